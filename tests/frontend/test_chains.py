"""Tests of how a display block's rows and cells make chains (each pair of align columns its own chain)."""

from __future__ import annotations

import pytest

from verifier.frontend.chains import block_chains, unwrap
from verifier.frontend.latex_tokens import scan


def _chains(latex: str) -> list[tuple[bool, list[tuple[str | None, str]]]]:
    return [(continues, [(op, " ".join(t.text for t in tokens)) for op, tokens, _ in entries])
            for continues, entries in block_chains(unwrap(scan(latex)))]


@pytest.mark.parametrize("latex, chains", [
    # Each '&=' continues the chain of its own pair of columns, as the page lines them up (red team r3s.10).
    (r"\begin{align*} 1 &= 1 & 2 &= 2 \\ &= 2 & &= 3 \end{align*}",
     [(False, [(None, "1"), ("=", "1"), ("=", "2")]), (False, [(None, "2"), ("=", "2"), ("=", "3")])]),
    # A tag in the remark column is a chain of its own, never continued (red team r3s.9).
    (r"20 &= 20 && (21) \\ &= 21", [(False, [(None, "20"), ("=", "20"), ("=", "21")]), (False, [(None, "( 21 )")])]),
    # A row that starts with '-' and has its own relation is an equation of its own (red team r3s.23: 0 = 1 and
    # -1 = 0, both false, were read 0 = 1 - 1 = 0 and proved).
    (r"0 &= 1 \\ -1 &= 0", [(False, [(None, "0"), ("=", "1")]), (False, [(None, "- 1"), ("=", "0")])]),
    (r"5 &= 2 \\ &\quad - 3", [(False, [(None, "5"), ("=", "2 - 3")])]),     # without a relation: carried on
    (r"= 3", [(True, [("=", "3")])]),                        # continues the chain before the block
    (r"1 + 1 = 2 \qquad [3]", [(False, [(None, "1 + 1"), ("=", "2")])]),     # the tag after \qquad: dropped
])
def test_block_chains(latex: str, chains: list[tuple[bool, list[tuple[str | None, str]]]]) -> None:
    assert _chains(latex) == chains

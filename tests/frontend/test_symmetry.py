"""A hypothesis over all indices: ``assume = ["W[r, s] = W[s, r]"]`` with r, s not declared makes W symmetric.
Truths by hand in the comments."""

from __future__ import annotations

from pathlib import Path

import sympy as sp
from search.test_engine import HEADER

from verifier.frontend.goals import symmetrised
from verifier.frontend.loader import load_library
from verifier.model import ClaimResult
from verifier.search.engine import verify_claim

W = sp.IndexedBase("W", real=True)
a, b = sp.symbols("a b", integer=True)


def run(tmp_path: Path, claim: str) -> ClaimResult:
    """Verify one claim (the engine tests' header, and a family W) in this process."""
    path = tmp_path / "t.toml"
    header = HEADER.replace("[symbols]", '[symbols]\nW = "indexed real"')
    path.write_text(header + '\n[[claim]]\nid = "t"\ntitle = "t"\n' + claim, encoding="utf-8")
    library = load_library(path)
    assert not library.errors, library.errors
    return verify_claim(library, library.claims[0])


def test_symmetrised_entries() -> None:
    # W[a, b] becomes (W[a, b] + W[b, a])/2; a diagonal entry W[a, a] stays W[a, a].
    assert symmetrised(W[a, b], (W,)) == (W[a, b] + W[b, a]) / 2
    assert symmetrised(W[a, a], (W,)) == W[a, a]


def test_a_claim_true_only_for_symmetric_families(tmp_path: Path) -> None:
    # v[1] W[1, 2] = v[1] W[2, 1] holds for symmetric W, fails for W[1, 2] = 1, W[2, 1] = 0, v[1] = 1.
    claim = 'statement = "v[1]*W[1, 2] = v[1]*W[2, 1]"\n'
    assert run(tmp_path, 'assume = ["W[r, s] = W[s, r]"]\n' + claim).verdict == "proved"
    result = run(tmp_path, claim)
    assert result.verdict == "refuted"


def test_a_counterexample_under_symmetry_is_symmetric(tmp_path: Path) -> None:
    # W[1, 2] = 2 W[2, 1] is false for symmetric W unless W[1, 2] = 0 (then both are 0); the counterexample shown
    # gives W[1, 2] and W[2, 1] one value.
    result = run(tmp_path, 'assume = ["W[r, s] = W[s, r]"]\nstatement = "W[1, 2] = 2*W[2, 1]"\n')
    (outcome,) = result.outcomes
    assert outcome.verdict == "refuted"
    assert outcome.counterexample["W[1, 2]"] == outcome.counterexample["W[2, 1]"] != "0"


def test_a_declared_index_keeps_its_meaning(tmp_path: Path) -> None:
    # With i, k declared (one value each), "W[i, k] = W[k, i]" is a hypothesis at those values only: W[1, 2] = W[2, 1]
    # does not follow (i = k = 1 satisfies it while W[1, 2] = 1, W[2, 1] = 0).
    claim = 'assume = ["W[i, k] = W[k, i]"]\nstatement = "W[1, 2] = W[2, 1]"\n'
    assert run(tmp_path, claim).verdict == "refuted"


def test_a_finite_valued_family_is_symmetric_entry_by_entry(tmp_path: Path) -> None:
    """Averaging does not keep B in {0, 1} (the mean of 0 and 1 is 1/2), so its symmetry is stated entry by entry.
    For symmetric B with entries in {0, 1} (by hand, over the two cases B[1, 2] = B[2, 1] = 0 or 1):
    B[1, 2]*B[2, 1] = B[1, 2] holds, and E[1, 2] + E[2, 1] = 1 never does."""
    path = tmp_path / "t.toml"
    path.write_text('[symbols]\nB = "indexed in {0, 1}"\n[[claim]]\nid = "t"\ntitle = "t"\n'
                    'assume = ["B[r, s] = B[s, r]"]\nstatement = "B[1, 2]*B[2, 1] = B[1, 2]"\n'
                    '[[claim]]\nid = "u"\ntitle = "u"\n'
                    'assume = ["B[r, s] = B[s, r]"]\nexists = "B[1, 2] + B[2, 1] = 1"\n', encoding="utf-8")
    library = load_library(path)
    assert not library.errors, library.errors
    assert verify_claim(library, library.claims[0]).verdict == "proved"
    assert verify_claim(library, library.claims[1]).verdict == "refuted"

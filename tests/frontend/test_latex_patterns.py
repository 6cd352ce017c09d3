"""Tests of notation patterns: what a ``?placeholder`` takes (worked out by hand from what TeX groups), and patterns
that are malformed."""

from __future__ import annotations

import pytest

from verifier.errors import ExpressionError
from verifier.frontend.latex import read
from verifier.frontend.latex_patterns import Rules, match, pattern
from verifier.frontend.latex_tokens import scan
from verifier.frontend.parser import unparse

# (pattern, formula, what each placeholder takes, or None when the pattern does not match at the start)
TAKES = [
    (r"\sigma ?z", r"\sigma z^2", {"z": "z^{2}"}),                 # last: an atom with its scripts
    (r"\sigma ?z", r"\sigma \mathbf{x}_i", {"z": r"\mathbf{x}_{i}"}),
    (r"\sigma ?z", r"\sigma {a + b}", {"z": "a+b"}),               # a braced group, without its braces
    (r"\sigma ?z", r"\sigma (a + b) c", {"z": "(a+b)"}),
    # An argument list's script is on the application: sigma(z)^2 was read sigma(z^2) and
    # sigma(z)^2 = sigma(z^2) proved (red team r3s.21).
    (r"\sigma ?z", r"\sigma(z)^2", {"z": "(z)"}),
    (r"?a^{-1}", r"(1 + e^{-z})^{-1}", {"a": "(1+e^{-z})"}),       # before a script: the atom before it
    (r"?a^{-1}", r"2 (1 + e^{-z})^{-1}", None),                   # not 2 (1 + e^{-z})
    (r"\omega_{?p?q}", r"\omega_{kj}", {"p": "k", "q": "j"}),       # side by side: one atom each
    (r"S(?v)_{?i}", r"S(\mathbf{x} + a)_i", {"v": r"\mathbf{x}+a", "i": "i"}),   # up to the next token
    (r"L(?p, ?t)", r"L(f(a, b), y)", {"p": "f(a,b)", "t": "y"}),
    (r"?a + ?a", "x + y", None),                                   # used twice: the same tokens both times
    (r"?a + ?a", "x + x", {"a": "x"}),
]


@pytest.mark.parametrize("source, formula, takes", TAKES)
def test_what_a_placeholder_takes(source: str, formula: str, takes: dict[str, str] | None) -> None:
    found = match(tuple(scan(source, holes=True)), scan(formula), 0)
    if takes is None:
        assert found is None
        return
    assert found is not None
    _, holes = found
    assert {name: "".join(t.text for t in tokens) for name, tokens in holes.items()} == takes


def test_pattern_errors() -> None:
    with pytest.raises(ExpressionError, match=r"\?j, which the pattern does not have"):
        pattern(r"x_{?i}", "x[?j]")
    with pytest.raises(ExpressionError):
        pattern(r"x_{?i}", "x[?i")
    with pytest.raises(ExpressionError, match="empty LaTeX pattern"):
        pattern("  ", "x")


def test_the_script_of_an_argument_list_is_on_the_application() -> None:
    # sigma(z)^2 = sigma(z^2) was proved (z = 1: 0.534 against 0.731 with the sigmoid): it reads sig(z)^2 now.
    rules = Rules(symbols={"z": "real"}, functions=frozenset({"sig"}), patterns=(pattern(r"\sigma ?z", "sig(?z)"),))
    assert unparse(read(r"\sigma(z)^2 = \sigma(z^2)", rules)) == "sig(z)^2 = sig(z^2)"
    assert unparse(read(r"\sigma z^2", rules)) == "sig(z^2)"          # no parentheses: TeX shows sigma z^2

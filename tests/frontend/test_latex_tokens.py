"""Tests of the LaTeX scanner: the tokens of what TeX shows (kinds, texts and columns worked out by hand), and what
cannot be scanned, with the exact column of the reason."""

from __future__ import annotations

import pytest

from verifier.errors import ExpressionError
from verifier.frontend.latex_tokens import Token, TokenKind, scan

K = TokenKind


def texts(source: str) -> list[str]:
    return [t.text for t in scan(source)]


# (LaTeX, the texts of its tokens), as TeX shows the formula.
GOOD = [
    ("2 3", ["23"]),                                     # spaces between digits vanish
    ("1 000 + .5", ["1000", "+", ".5"]),
    ("2.5 x", ["2.5", "x"]),
    ("x^1 y", ["x", "^", "{", "1", "}", "y"]),            # a script is one character
    ("x_i^{10}", ["x", "_", "{", "i", "}", "^", "{", "10", "}"]),
    (r"x_\mathbf{y}", ["x", "_", "{", r"\mathbf", "{", "y", "}", "}"]),   # a command with its argument
    (r"\sqrt 2", [r"\sqrt", "{", "2", "}"]),
    (r"\sqrt2a", [r"\sqrt", "{", "2", "}", "a"]),
    (r"\\[4pt] \\[-1.5ex]", ["\\\\", "\\\\"]),           # row spacing prints nothing (it was read 4*p*t)
    (r"\frac32", [r"\frac", "{", "3", "}", "{", "2", "}"]),
    (r"\frac{1}2", [r"\frac", "{", "1", "}", "{", "2", "}"]),
    (r"\cfrac{a}{b}", [r"\frac", "{", "a", "}", "{", "b", "}"]),
    (r"\dfrac{a}{b}", [r"\frac", "{", "a", "}", "{", "b", "}"]),
    (r"\left( a \, \right)", ["(", "a", ")"]),
    (r"1{,}000{,}000", ["1000000"]),
    ("1,000,000", ["1000000"]),
    (r"3{,}14", ["3.14"]),                                # a decimal comma
    (r"a \lt b \gt c", ["a", "<", "b", ">", "c"]),
    ("a <= b >= c != d", ["a", r"\leq", "b", r"\geq", "c", r"\neq", "d"]),
    (r"a \le b \ne c", ["a", r"\leq", "b", r"\neq", "c"]),
    (r"\boxed{a = b}", ["a", "=", "b"]),                  # a boxed relation stands at the top
    (r"2\boxed{a}", ["2", "{", "a", "}"]),                 # a boxed factor is a group
    (r"a = b \qquad c = d", ["a", "=", "b", "\\\\", "c", "=", "d"]),   # two formulas side by side
    (r"a = b \qquad [3] \\ c", ["a", "=", "b", "\\\\", "c"]),     # no relation after it: a tag, dropped (r3s.11)
    (r"& \qquad - 2", ["&", "-", "2"]),                           # at the start of a cell: an indent
    (r"a = b \quad (1)", ["a", "=", "b"]),                 # an equation's tag
    (r"a = b \tag{2}", ["a", "=", "b"]),
    (r"\|x\| + \lVert y \rVert", [r"\|", "x", r"\|", "+", r"\|", "y", r"\|"]),
    (r"\sum_{x \in \{0, 1\}}", [r"\sum", "_", "{", "x", r"\in", r"\{", "0", ",", "1", r"\}", "}"]),
    ("(1,0,0)", ["(", "1", ",", "0", ",", "0", ")"]),     # a list: not three digits after the comma
]


@pytest.mark.parametrize("latex, expected", GOOD)
def test_tokens(latex: str, expected: list[str]) -> None:
    assert texts(latex) == expected


def test_kinds() -> None:
    tokens = scan(r"\mathrm{e}^{x} \mathrm{d}x \mathrm{Var} \text{if } \|a\| \{ ?k", holes=True)
    assert [t.kind for t in tokens] == [K.UPRIGHT, K.CARET, K.LBRACE, K.LETTER, K.RBRACE, K.UPRIGHT, K.LETTER,
                                        K.WORD, K.WORD, K.NORM, K.LETTER, K.NORM, K.SET_OPEN, K.HOLE]
    # A kind is its text for punctuation, so that the sheet can compare a kind with a character.
    assert K.LBRACE == "{" and K.CMD == "cmd"


def test_columns_count_from_a_base() -> None:
    assert [t.col for t in scan("a + b", base=100)] == [101, 103, 105]
    # A number joined across spaces sits at its first digit; a braced script at its character.
    assert [(t.text, t.col) for t in scan("1 000 + x^2")] == [
        ("1000", 1), ("+", 7), ("x", 9), ("^", 10), ("{", 11), ("2", 11), ("}", 11)]


def test_widths_count_the_source() -> None:
    # What each token spans in the source: "<=" is the token \leq, 2 characters; "1 000" one number of 5.
    assert [(t.text, t.col, t.width) for t in scan(r"a <= 1 000 \lt b")] == [
        ("a", 1, 1), (r"\leq", 3, 2), ("1000", 6, 5), ("<", 12, 3), ("b", 16, 1)]


def test_scripts_written_either_way_scan_alike() -> None:
    assert [t.key() for t in scan("x_i")] == [t.key() for t in scan("x_{i}")]
    assert Token(K.LETTER, "x", 1).key() == Token(K.LETTER, "x", 9).key()


# (LaTeX, a fragment of the reason, the 1-based column of the reason), counted by hand.
BAD = [
    ("a @ b", "unexpected character '@'", 3),
    ("a \\", "lone '\\'", 3),
    (r"\frac{a}{b", "never closed", 9),
    ("a ]", "unmatched ']'", 3),
    (r"2\,3", "digits separated by '\\,'", 2),
    ("2~3", "digits separated by '~'", 2),
    (r"1{,}000", "thousands separator or a decimal comma", 1),
    (r"1{,}00{,}000", "groups of three", 1),
    (r"1{,} a", "not between digits", 1),
    ("f(1,000)", "inside brackets", 4),
    ("1.2.3", "two decimal points", 1),
    (r"\frac.2", "decimal point without a digit", 6),          # found by the fuzz test: a traceback before
    ("x^.5", "decimal point without a digit", 3),
    (r"\frac{a}", "needs an argument", 1),
    ("x^", "needs an argument", 2),
    (r"\text x", "must be followed by {...}", 1),
    (r"a = b \qquad \text{for } c", "a remark, or a condition", 7),  # was joined: x = x \qquad \text{a} read x*a
    # TeX shows x^10 as x^1 0 and \sum_{j=1}^10 with the bound 1: refused at the 0, never read as 10 or 0*j
    ("x^10", "number right after a factor", 4),
    (r"\sum_{j=1}^10 j", "number right after a factor", 13),
    (r"\sum_1^10 j", "number right after a factor", 9),
    (r"\sqrt25", "number right after a factor", 7),
    (r"\frac123", "number right after a factor", 8),
    # A script without braces takes one token: y_[0] shows y with '[' below and 0] after it (was a confusing
    # message about a subscripted name; x^(2) likewise)
    ("y_[0]", "'_' takes only '['", 3),
    ("x^(2)", "'^' takes only '('", 3),
    ("z^-1", "'^' raises only '-'", 3),                           # was "expected a formula" after the minus
    (r"e^-z + 1", "'^' raises only '-'", 3),
    (r"\frac(a)(b)", "'\\frac' takes only '('", 6),
    # Found by the red team: nesting past Python's own limit was a RecursionError, not a refusal
    ("\\frac{1}{" * 800 + "1" + "}" * 800, "nested too deeply", 1806),
    ("\\sqrt" * 1000 + "1", "nested too deeply", 1006),
]


@pytest.mark.parametrize("latex, reason, column", BAD)
def test_not_scanned(latex: str, reason: str, column: int) -> None:
    with pytest.raises(ExpressionError) as info:
        scan(latex)
    assert reason in info.value.message
    assert info.value.column == column

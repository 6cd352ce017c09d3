"""Tests of the LaTeX reader: tables of formulas and their readings (written by hand), and formulas that cannot be
read, with the exact column of the reason."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from verifier.errors import ExpressionError
from verifier.frontend.latex import Rules, pattern, read, scan
from verifier.frontend.parser import MAX_DEPTH, MAX_TEXT, Call, Compare, Index, Name, parse_expression, unparse

RULES = Rules(
    patterns=tuple(sorted((
        pattern(r"\mathbf{x}_{?i}", "x[?i]"),
        pattern(r"f(\mathbf{x}, \theta)", "f"),
        pattern(r"w^{2}_{?j}", "w2[?j]"),
        pattern(r"w_{?j}^{2}", "w2[?j]"),
        pattern(r"S(?v)_{?i}", "S(?v, ?i)"),
        pattern(r"\omega_{?p?q}^{(2)}", "om2[?p, ?q]"),
        pattern(r"L(?p, ?t)", "LL(?p, ?t)"),
    ), key=lambda p: -len(p.tokens))),
    symbols={"x": "indexed real", "y": "in {0, 1}", "K": "integer positive", "k1": "integer positive",
             "z": "real", "a": "real", "b": "real", "n": "integer", "i": "integer 1..K"},
    functions=frozenset({"sigma", "S", "LL", "g"}),
    abbreviations=frozenset({"f"}),
    bounds={"j": ("1", "K")},
    operators={"*": "conv"},
)

# (LaTeX, its reading in the expression language), each reading worked out by hand from the grammar.
GOOD = [
    (r"\frac{a}{b}", "a / b"),
    (r"\dfrac{1}{2} a", "1 / 2 * a"),
    (r"\tfrac12 a + \frac1a", "1 / 2 * a + 1 / a"),           # the short form of one-character arguments
    (r"a \cdot b \times z", "a * b * z"),
    (r"2a b", "2 * a * b"),                                  # implicit multiplication
    (r"a^2 + b^{n+1}", "a^2 + b^(n + 1)"),
    (r"\left( a + b \right)^2", "(a + b)^2"),
    (r"[a + b] z", "(a + b) * z"),                           # brackets without a comma group
    (r"\sum_{j=1}^{K} \mathbf{x}_j", "Sum(x[j], (j, 1, K))"),
    (r"\sum_j e^{\mathbf{x}_j}", "Sum(exp(x[j]), (j, 1, K))"),   # bounds from the notation
    (r"\sum_j \mathbf{x}_j a + b", "Sum(x[j] * a, (j, 1, K)) + b"),   # the body is one term
    (r"\prod_{n=1}^{k_1} z", "Product(z, (n, 1, k1))"),      # k_1 is the declared k1
    (r"e^{-z}", "exp(-z)"),
    (r"e", "E"),                                             # Euler's number, not a symbol
    (r"\exp(z) + \log(z) + \ln z", "exp(z) + log(z) + log(z)"),   # natural logarithms
    (r"\sqrt{a^2}", "sqrt(a^2)"),
    (r"\sigma(z) \tanh(z)", "sigma(z) * tanh(z)"),
    (r"g(z) - y(1 - z)", "g(z) - y * (1 - z)"),             # y is not a function: a product
    (r"\frac{\partial f(\mathbf{x}, \theta)}{\partial z}", "diff(f, z)"),
    (r"\frac{\partial}{\partial \mathbf{x}_i} [(y - a)^2]", "diff((y - a)^2, x[i])"),
    (r"\frac{\partial(1 - z)}{\partial z}", "diff(1 - z, z)"),
    (r"\text{Diag}", "Diag"),
    (r"[a, b]^\top", "[a, b]"),
    (r"(1, 2) + 2 \times (3, 3)", "[1, 2] + 2 * [3, 3]"),
    (r"\begin{cases} a & \text{for } y = 1 \\ b & \text{otherwise} \end{cases}",
     "Piecewise((a, y = 1), (b, True))"),
    (r"\begin{cases} a & \text{if } 1 \leq n \leq K \\ 0 & \text{otherwise} \end{cases}",
     "Piecewise((a, 1 <= n <= K), (0, True))"),
    (r"a \leq b \geq z \neq y", "a <= b >= z != y"),
    (r"w_j^2 + w^2_{n-1}", "w2[j] + w2[n - 1]"),             # the superscript is a layer label
    (r"\omega_{kj}^{(2)}", "om2[k, j]"),
    (r"S(\mathbf{x} + a)_i", "S(x + a, i)"),
    (r"L(f(\mathbf{x}, \theta), y)", "LL(f, y)"),
    (r"[1, 2] * [3, 4]", "conv([1, 2], [3, 4])"),            # '*' as the notation says
    (r"\lceil \frac{a}{2} \rceil + \lfloor b \rfloor", "ceiling(a / 2) + floor(b)"),
    (r"|a - b|", "Abs(a - b)"),
    (r"-a^2", "-a^2"),
    (r"\mathbf{x}_{n+1}", "x[n + 1]"),                       # x is an indexed family
    (r"\frac{1}{1 + e^{-(\mathbf{x}_1 - \mathbf{x}_2)}}", "1 / (1 + exp(-(x[1] - x[2])))"),
]


@pytest.mark.parametrize("latex, reading", GOOD)
def test_reading(latex: str, reading: str) -> None:
    assert unparse(read(latex, RULES)) == reading
    # The reading is a tree of the expression parser: its text parses back to the same text.
    assert unparse(parse_expression(reading)) == reading


def test_reading_nodes() -> None:
    node = read(r"\frac{\partial}{\partial \mathbf{x}_i} z \leq 1", RULES)
    assert isinstance(node, Compare) and node.ops == ("<=",)
    derivative = node.operands[0]
    assert isinstance(derivative, Call) and derivative.func == "diff"
    # A pattern's reading sits at the column where the pattern matched (\mathbf{x}_i at column 26).
    assert derivative.args[1] == Index(Name("x", 26), (Name("i", 26),), 26)


# (LaTeX, a fragment of the reason, the 1-based column of the reason), counted by hand.
BAD = [
    (r"a + \dots", "elided", 5),
    (r"\log 2a", "ambiguous", 7),                              # log(2a) or (log 2)*a: nothing guessed
    (r"a_{1} + b", "subscripted name 'a_{1}'", 1),             # a is declared, but not indexed
    (r"\sum_n z", "no bounds", 1),                            # no bounds for n in the notation
    (r"a \approx b", "approximation", 3),
    (r"\begin{bmatrix} a \end{bmatrix}", "'bmatrix' is not read", 1),
    (r"\mathbf{p}^\top", "transpose", 11),
    (r"\frac{\partial a}{\partial (a + b)}", "not a variable", 19),
    (r"a @ b", "unexpected character '@'", 3),
    (r"\frac{a}{b", "never closed", 9),
    (r"\begin{cases} a & \text{for } y = 1 \\ b \end{cases}", "one '&'", 40),
    (r"\begin{cases} a & y \end{cases}", "must be a relation", 19),
    (r"\foo + 1", "'\\foo' is not read", 1),
    (r"a b c ]", "unmatched ']'", 7),
    (r"a, b", "cannot read ','", 2),
    (r"\sqrt[3]{a}", "only square roots", 1),
]


@pytest.mark.parametrize("latex, reason, column", BAD)
def test_not_read(latex: str, reason: str, column: int) -> None:
    with pytest.raises(ExpressionError) as info:
        read(latex, RULES)
    assert reason in info.value.message
    assert info.value.column == column


def test_star_without_meaning() -> None:
    with pytest.raises(ExpressionError) as info:
        read("a * b", Rules(symbols={"a": "real", "b": "real"}))
    assert "'*' has no meaning" in info.value.message and info.value.column == 3


def test_scanner_normalises_scripts_and_commands() -> None:
    # x_i and x_{i} scan alike; \dfrac is \frac; \left and spacing vanish.
    assert [t.key() for t in scan("x_i")] == [t.key() for t in scan("x_{i}")]
    assert [t.text for t in scan(r"\dfrac{a}{b}")] == [r"\frac", "{", "a", "}", "{", "b", "}"]
    assert [t.text for t in scan(r"\left( a \, \right)")] == ["(", "a", ")"]


def test_columns_count_from_a_base() -> None:
    tokens = scan("a + b", base=100)
    assert [t.col for t in tokens] == [101, 103, 105]


def test_limits_of_the_expression_parser() -> None:
    with pytest.raises(ExpressionError) as info:
        read("a" * (MAX_TEXT + 1), RULES)
    assert "too long" in info.value.message
    deep = "(" * (MAX_DEPTH + 5) + "a" + ")" * (MAX_DEPTH + 5)
    with pytest.raises(ExpressionError) as info:
        read(deep, RULES)
    assert "nested too deeply" in info.value.message and info.value.column == MAX_DEPTH + 1


def test_pattern_errors() -> None:
    with pytest.raises(ExpressionError, match=r"\?j, which the pattern does not have"):
        pattern(r"x_{?i}", "x[?j]")
    with pytest.raises(ExpressionError):
        pattern(r"x_{?i}", "x[?i")


def test_tilde_star_needs_a_meaning() -> None:
    rules = Rules(symbols={"a": "real", "b": "real"}, operators={r"\tilde{*}": "fconv"})
    assert unparse(read(r"a \tilde{*} b", rules)) == "fconv(a, b)"
    with pytest.raises(ExpressionError) as info:
        read(r"a \tilde{*} b", Rules(symbols={"a": "real", "b": "real"}))
    assert "no meaning" in info.value.message and info.value.column == 3


FRAGMENTS = [r"\frac", r"\sum_", r"\sum_{j=1}^{K}", "{", "}", "(", ")", "[", "]", "^", "_", "a", "b", "2", "+", "-",
             "=", ",", "&", r"\\", r"\left(", r"\right)", r"\partial", r"\begin{cases}", r"\end{cases}",
             r"\text{for }", r"\text{otherwise}", r"\mathbf{x}", "e", r"\log", r"\sigma", r"\leq", "|", "*",
             r"\top", r"\sqrt", r"\dots", "?", "'", r"\tilde{*}", r"\frac12", r"\lceil", r"\rceil", " "]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=30))
def test_any_formula_reads_or_says_why(parts: list[str]) -> None:
    text = "".join(parts)
    try:
        node = read(text, RULES)
    except ExpressionError as err:
        assert err.column is None or 1 <= err.column <= len(text) + 1
        return
    assert unparse(parse_expression(unparse(node))) == unparse(node)

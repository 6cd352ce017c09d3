"""Tests of calculus as sheets write it: which fractions are derivatives, sums over a finite set by substitution,
norms (each expected value worked out by hand)."""

from __future__ import annotations

from fractions import Fraction

import pytest

from verifier.errors import ExpressionError
from verifier.frontend.latex import read
from verifier.frontend.latex_calculus import euclidean_norm, is_scalar, leibniz, substitute
from verifier.frontend.latex_patterns import Rules
from verifier.frontend.latex_tokens import Token, scan
from verifier.frontend.parser import Num, Vector, parse_expression, unparse


def _group(latex: str) -> list[Token]:  # the tokens between the braces of {latex}
    return scan("{" + latex + "}")[1:-1]


# (numerator, denominator, whether \frac{..}{..} is written as a derivative)
FRACTIONS = [
    ("d", "dx", True), ("d^2", "dx^2", True), ("dy", "dx", True), (r"\partial f", r"\partial x", True),
    (r"\mathrm{d}", r"\mathrm{d}x", True), (r"\partial^2 f", r"\partial x \partial y", True),
    ("d_1", "d_2", None),          # subscripted d's: a quotient
    ("d + 1", "dx", None),          # (d + 1) / (d x)
    ("d", "d", None),               # d / d
    ("d", r"\partial x", None),    # two kinds of differential
    ("a", "dx", None),
]


@pytest.mark.parametrize("top, bottom, expected", FRACTIONS)
def test_which_fractions_are_derivatives(top: str, bottom: str, expected: bool | None) -> None:
    assert leibniz(_group(top), _group(bottom)) is expected


def test_substitution_leaves_a_name_bound_again() -> None:
    body = parse_expression("y + Sum(y*k, (y, 1, y))")
    # The inner y is bound by the sum (only its upper bound is the free y).
    assert unparse(substitute(body, "y", Num(Fraction(3), 1))) == "3 + Sum(y * k, (y, 1, 3))"


def test_norms() -> None:
    vector = parse_expression("[a, -b]")
    assert isinstance(vector, Vector)
    assert unparse(euclidean_norm(vector)) == "sqrt(a^2 + (-b)^2)"
    rules = Rules(symbols={"a": "real", "x": "indexed real"})
    assert is_scalar(parse_expression("exp(a) - x[1]"), rules)
    assert not is_scalar(parse_expression("x"), rules)            # a family
    assert not is_scalar(parse_expression("q"), rules)            # undeclared: perhaps a vector


def test_what_a_product_reaches() -> None:
    # Red team r3s.35: prod_{j=1}^{3} j / 3 = 2 was read as the product of j/3 and refuted, though (prod j)/3 = 2 is
    # a reading of the page as good; a product is not linear, so '/', '\cdot' or '\times' in its body is not read.
    rules = Rules(symbols={"j": "integer"})
    for latex, column in ((r"\prod_{j=1}^{3} j / 3 = 2", 19), (r"\prod_{j=1}^{3} 2 \cdot j = 48", 19)):
        with pytest.raises(ExpressionError) as info:
            read(latex, rules)
        assert "what '\\prod' reaches is ambiguous" in info.value.message and info.value.column == column
    assert unparse(read(r"\prod_{j=1}^{3} \frac{j}{3} + \sum_{j=1}^{3} j / 3", rules)) == \
        "Product(j / 3, (j, 1, 3)) + Sum(j / 3, (j, 1, 3))"

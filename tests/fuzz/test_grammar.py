"""The fuzzer's grammar: seeds reproduce, derivatives computed rule by rule are right, and claims true by
construction hold at points (checked with mpmath, independently of the verifier)."""

from __future__ import annotations

import random
from fractions import Fraction

import mpmath
import pytest

from fuzz.grammar import TEMPLATES, Grammar, Smooth, header, num, var
from fuzz.judge import generate
from verifier.frontend import parser as P


def _numeric(e: Smooth, x: float, y: float) -> mpmath.mpf:
    """The value of a smooth expression by mpmath, read from its own tree (not the verifier's)."""
    a = e.args
    if e.op == "var":
        return mpmath.mpf(x if a[0] == "x" else y if a[0] == "y" else 0.5)
    if e.op == "num":
        value = a[0]
        assert isinstance(value, Fraction)
        return mpmath.mpf(value.numerator) / value.denominator
    f = _numeric(a[0], x, y)  # type: ignore[arg-type]
    if e.op in ("+", "-", "*", "/"):
        g = _numeric(a[1], x, y)  # type: ignore[arg-type]
        ops = {"+": lambda: f + g, "-": lambda: f - g, "*": lambda: f * g, "/": lambda: f / g}
        return ops[e.op]()
    if e.op == "^":
        return f ** a[1]  # type: ignore[operator]
    fn = {"exp": mpmath.exp, "log": mpmath.log, "sqrt": mpmath.sqrt, "tanh": mpmath.tanh, "sin": mpmath.sin,
          "cos": mpmath.cos, "sigma": lambda t: 1 / (1 + mpmath.exp(-t))}[e.op]
    return fn(f)


@pytest.mark.parametrize("seed", range(30))
def test_derivatives_match_numeric_differentiation(seed: int) -> None:
    # mpmath.diff differentiates the numeric function independently of the rules in Smooth.d.
    g = Grammar(random.Random(seed))
    e = g.real(3, ("x", "y"))
    with mpmath.workdps(40):
        for x in (-1.25, 0.5, 2.0):
            exact = _numeric(e.d("x"), x, 0.75)
            numeric = mpmath.diff(lambda t, e=e: _numeric(e, t, 0.75), x)
            assert abs(exact - numeric) <= mpmath.mpf(10) ** -20 * (1 + abs(numeric))


def test_a_smooth_expression_reads_back() -> None:
    e = Smooth("*", (var("x"), Smooth("exp", (Smooth("-", (num(0), var("y"))),))))
    assert e.text() == "(x * exp((0 - y)))"
    assert P.unparse(P.parse_expression(e.text())) == "x * exp(0 - y)"
    assert e.at("y", num(2)).text() == "(x * exp((0 - 2)))"


def test_seeds_reproduce_and_differ() -> None:
    a = [c.toml() for c in generate(60, seed=7)]
    assert a == [c.toml() for c in generate(60, seed=7)]
    assert a != [c.toml() for c in generate(60, seed=8)]


def test_every_template_is_used_and_every_claim_parses() -> None:
    claims = generate(400, seed=3)
    assert {c.template.split(",")[0] for c in claims} == set(TEMPLATES)
    assert any("mutant" in c.template for c in claims)
    for c in claims:
        for key in ("statement", "exists"):
            if key in c.keys:
                P.parse_relation(str(c.keys[key]))
    assert "[symbols]" in header() and "[define]" in header()

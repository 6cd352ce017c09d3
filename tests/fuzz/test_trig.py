"""The inverse and reciprocal trigonometric templates' tables and truths, established with mpmath at 50 digits (values,
and one-sided difference quotients at a step of 10^-20), apart from the verifier.

A formula is undefined at a point where mpmath gives no real number (``asin(2)``, ``sqrt(-1)``), or a function is at
its own pole or a quotient's divisor is 0 (``tan`` where ``|cos| < 10^-40``: at 50 digits cos(pi/2) is about
10^-51, and no point tried is nearer a zero than 10^-4 otherwise)."""

from __future__ import annotations

import ast
import random
from collections.abc import Iterator
from fractions import Fraction

import mpmath
import pytest

from fuzz.grammar import Grammar
from fuzz.trig import INVERSE_DERIVATIVES, INVERSE_OWN, RECIPROCAL, TRIG, Num, _meets, _within

F = Fraction
TINY = mpmath.mpf(10) ** -40


class Undefined(Exception):
    """The formula is undefined at the point."""


def _pole(d: mpmath.mpf) -> mpmath.mpf:
    if abs(d) < TINY:
        raise Undefined
    return d


def _real(fn):  # type: ignore[no-untyped-def]
    def apply(t: mpmath.mpf) -> mpmath.mpf:
        v = fn(t)
        if isinstance(v, mpmath.mpc) or not mpmath.isfinite(v):
            raise Undefined
        return v
    return apply


_F = {
    "sin": mpmath.sin, "cos": mpmath.cos, "tan": lambda t: mpmath.sin(t) / _pole(mpmath.cos(t)),
    "sec": lambda t: 1 / _pole(mpmath.cos(t)), "csc": lambda t: 1 / _pole(mpmath.sin(t)),
    "cot": lambda t: mpmath.cos(t) / _pole(mpmath.sin(t)), "sinh": mpmath.sinh, "cosh": mpmath.cosh,
    "tanh": mpmath.tanh, "asin": _real(mpmath.asin), "acos": _real(mpmath.acos), "atan": mpmath.atan,
    "asinh": mpmath.asinh, "acosh": _real(mpmath.acosh), "atanh": _real(mpmath.atanh),
    "sqrt": _real(mpmath.sqrt), "Abs": abs, "sign": mpmath.sign,
}


def value(text: str, x: mpmath.mpf) -> mpmath.mpf:
    """A formula of the tables at ``x``, or :class:`Undefined` (a division by a number under 10^-40 too)."""
    return _eval(ast.parse(text.replace("^", "**"), mode="eval").body, x)


def _eval(node: ast.expr, x: mpmath.mpf) -> mpmath.mpf:
    if isinstance(node, ast.Constant):
        return mpmath.mpf(node.value)
    if isinstance(node, ast.Name):
        return x if node.id == "x" else +mpmath.pi
    if isinstance(node, ast.UnaryOp):
        return -_eval(node.operand, x)
    if isinstance(node, ast.Call):
        assert isinstance(node.func, ast.Name)
        v = _F[node.func.id](_eval(node.args[0], x))
        if isinstance(v, mpmath.mpc) or not mpmath.isfinite(v):
            raise Undefined
        return v
    assert isinstance(node, ast.BinOp)
    a, b = _eval(node.left, x), _eval(node.right, x)
    if isinstance(node.op, ast.Div):
        return a / _pole(b)
    return {ast.Add: a + b, ast.Sub: a - b, ast.Mult: a * b, ast.Pow: a ** b}[type(node.op)]  # type: ignore[index]


def derivative(text: str, x: mpmath.mpf) -> mpmath.mpf | None:
    """The derivative at ``x`` from both one-sided quotients, or ``None`` where there is none (the function
    undefined at or beside the point, slopes that differ, or a jump)."""
    h = mpmath.mpf(10) ** -20
    try:
        f0, up, down = value(text, x), value(text, x + h), value(text, x - h)
    except Undefined:
        return None
    left, right = (f0 - down) / h, (up - f0) / h
    if abs(left - right) > mpmath.mpf(10) ** -3 or max(abs(left), abs(right)) > 10 ** 10:
        return None
    return (left + right) / 2


def real(v: Num) -> mpmath.mpf:
    return mpmath.mpf(v.r.numerator) / v.r.denominator + mpmath.mpf(v.h.numerator) / v.h.denominator * mpmath.pi / 2


#: Points tried: multiples of pi/2 from -2pi to 4pi, their neighbours, rationals among the templates' ends.
POINTS = [Num(F(0), F(k)) for k in range(-4, 9)] + [Num(F(d, 10), F(k)) for k in range(-3, 5) for d in (-3, 3)] + \
         [Num(F(q)) for q in ("-7/2", "-2", "-1", "-9/10", "-1/3", "1/2", "1", "11/10", "3/2", "2", "5/2", "7/2")]


def point(v: Num) -> tuple[Num, Num]:
    return v, v


@pytest.fixture(autouse=True)
def _fifty_digits() -> Iterator[None]:
    with mpmath.workdps(50):
        yield


def _defined(text: str, x: mpmath.mpf) -> bool:
    try:
        value(text, x)
    except Undefined:
        return False
    return True


@pytest.mark.parametrize(("composed", "formula", "region", "undefined"), INVERSE_OWN)
def test_inverse_own_rows(composed: str, formula: str, region: tuple, undefined: list) -> None:
    # At every point: the composition is undefined exactly on its set; elsewhere it equals the formula exactly
    # inside the closed region (the ends included) and differs outside.
    for v in POINTS:
        u = real(v)
        left = composed.format(A="x")
        if _meets(undefined, point(v)):
            assert not _defined(left, u), (left, v)
            continue
        same = abs(value(left, u) - value(formula.format(A="x"), u)) < mpmath.mpf(10) ** -30
        assert same == _within(point(v), region), (left, formula, v)


@pytest.mark.parametrize(("function", "formula", "bad", "wrong", "at"), INVERSE_DERIVATIVES)
def test_inverse_derivative_rows(function: str, formula: str, bad: list, wrong: str, at: str) -> None:
    for v in POINTS:
        x = real(v)
        slope = derivative(function, x)
        if _meets(bad, point(v)):
            # the formula is defined there and the derivative is not
            assert slope is None and _defined(formula, x), (function, v)
        elif slope is None:
            # no derivative, and the formula undefined too: nothing is claimed either way
            assert not _defined(formula, x), (function, v)
        else:
            assert abs(slope - value(formula, x)) < mpmath.mpf(10) ** -15, (function, v)
    x = value(at, mpmath.mpf(0))
    slope = derivative(function, x)
    assert slope is not None and abs(slope - value(wrong, x)) > mpmath.mpf(10) ** -3


@pytest.mark.parametrize("sides", RECIPROCAL)
def test_reciprocal_rows(sides: list[tuple[str, str]]) -> None:
    # Undefined exactly at the multiples of pi/2 of the parity given; equal wherever both are defined.
    for text, parity in sides:
        for k in range(-3, 5):
            expected = parity == "any" or parity == ("even", "odd")[k % 2]
            assert _defined(text, k * mpmath.pi / 2) != expected, (text, k)
    for x in (mpmath.mpf(-2), mpmath.mpf("0.3"), mpmath.mpf(1), mpmath.mpf(4)):
        values = [value(text, x) for text, _ in sides]
        assert all(abs(v - values[0]) < mpmath.mpf(10) ** -30 for v in values)


def test_hand_cases() -> None:
    # asin(sin x) = x on [-3/2, 3/2] (3/2 < pi/2); on [0, 8/5] false at 8/5 > pi/2; atan(tan x) = x at x = pi/2
    # claims nothing (the left side is undefined), read from the right it is false there.
    asin_x = next(r for r in INVERSE_OWN if r[0] == "asin(sin({A}))" and r[1] == "{A}")
    assert _within((Num(F(-3, 2)), Num(F(3, 2))), asin_x[2])
    assert not _within((Num(F(0)), Num(F(8, 5))), asin_x[2])
    assert _meets([("lattice", "odd")], point(Num(F(0), F(1))))
    assert not _meets([("lattice", "odd")], (Num(F(-3, 2)), Num(F(157, 100))))     # 1.57 < pi/2
    assert _meets([("lattice", "odd")], (Num(F(-3, 2)), Num(F(1571, 1000))))       # 1.571 > pi/2


@pytest.mark.parametrize("template", sorted(TRIG))
def test_templates_give_claims_with_their_truth(template: str) -> None:
    grammar = Grammar(random.Random(11))
    made = [TRIG[template](grammar) for _ in range(60)]
    assert {truth for _, truth in made} == {True, False}
    assert all("statement" in keys for keys, _ in made)


@pytest.mark.parametrize("seed", range(6))
def test_generated_truths_at_points(seed: int) -> None:
    # Each generated claim at the points of its domain among POINTS (and its where point): a true one holds at each
    # (left side undefined, or both defined and equal); a false one fails at one of them, or, on a domain with no
    # such point, at one of the rationals of the domain.
    grammar = Grammar(random.Random(seed))
    for template in sorted(TRIG):
        for _ in range(30):
            keys, truth = TRIG[template](grammar)
            left, right = str(keys["statement"]).split(" = ")
            candidates = _points_of(keys)
            fails = [x for x in candidates if _fails(left, right, x)]
            assert bool(fails) != truth, (keys, truth, fails[:1])


def _points_of(keys: dict) -> list[mpmath.mpf]:
    where = keys.get("where")
    if where:
        text = where["x"]
        return [value(text, mpmath.mpf(0))]
    lo, hi = (-mpmath.inf, mpmath.inf)
    if "assume" in keys:
        lo = value(keys["assume"][0].split(" <= ")[0], mpmath.mpf(0))
        hi = value(keys["assume"][1].split(" <= ")[1], mpmath.mpf(0))
    grid = [real(v) for v in POINTS] + [mpmath.mpf(k) / 8 for k in range(-60, 61)]
    return [x for x in grid if lo <= x <= hi] + ([lo, hi] if "assume" in keys else [])


def _fails(left: str, right: str, x: mpmath.mpf) -> bool:
    def side(text: str) -> mpmath.mpf | None:
        if text.startswith("diff("):
            return derivative(text[5:text.rindex(", x)")], x)
        try:
            return value(text, x)
        except Undefined:
            return None
    a = side(left)
    if a is None:
        return False
    b = side(right)
    return b is None or abs(a - b) > mpmath.mpf(10) ** -12

"""The ranges of the bounded functions, checked with mpmath at 50 digits at points spread over the reals (and over
[-1, 1] for asin and acos, [1, oo) for acosh, where they are defined), apart from the verifier."""

from __future__ import annotations

import mpmath
import pytest
import sympy as sp

from verifier.kernel.facts import Facts
from verifier.kernel.ranges import RANGES, range_of, sign_between_zeros

R = sp.Rational

_MP = {sp.sin: mpmath.sin, sp.cos: mpmath.cos, sp.tanh: mpmath.tanh, sp.atan: mpmath.atan, sp.asin: mpmath.asin,
       sp.acos: mpmath.acos, sp.acosh: mpmath.acosh}
#: Where each is looked at: its domain, and for tanh only where 50 digits tell it from +-1 (1 - tanh(40) = 2e-35).
_DOMAIN = {sp.asin: (-1, 1), sp.acos: (-1, 1), sp.acosh: (1, 10 ** 6), sp.tanh: (-40, 40)}


@pytest.mark.parametrize("fn", list(RANGES), ids=lambda f: f.__name__)
def test_every_value_lies_in_the_range(fn: type) -> None:
    lo, hi, lo_open, hi_open = RANGES[fn]
    a, b = _DOMAIN.get(fn, (-10 ** 6, 10 ** 6))
    with mpmath.workdps(50):
        ends = [None if e is None else mpmath.mpf(sp.N(e, 60)) for e in (lo, hi)]
        for k in range(401):
            t = mpmath.mpf(a) + (mpmath.mpf(b) - a) * k / 400
            for u in (t, t / 10 ** 4):        # spread out, and crowded near 0
                if not a <= u <= b:
                    continue
                v = _MP[fn](u)
                assert ends[0] is None or (v > ends[0] if lo_open else v >= ends[0]), (fn, u)
                assert ends[1] is None or (v < ends[1] if hi_open else v <= ends[1]), (fn, u)


def test_only_for_a_real_argument() -> None:
    x = sp.Symbol("x", real=True)
    w = sp.Symbol("w")
    assert range_of(sp.atan(x)) == RANGES[sp.atan]
    assert range_of(sp.atan(w)) is None            # a complex argument: no range
    assert range_of(sp.tan(x)) is None and range_of(sp.exp(x)) is None


T = sp.Symbol("t", real=True)


@pytest.mark.parametrize(("e", "lo", "hi", "expected"), [
    # (expression, lower and upper bound of t as (value, strict), the sign and strictness expected, by hand)
    (sp.sin(T), (0, True), (1, True), (1, True)),                 # (0, 1) in (0, pi)
    (sp.cos(T), (0, True), (1, True), (1, True)),                 # (0, 1) in (-pi/2, pi/2)
    (sp.cos(T), (0, True), (2, True), None),                      # pi/2 = 1.5708 in (0, 2)
    (sp.sin(T), (0, False), (3, False), (1, False)),              # sin(0) = 0 at the closed end
    (sp.sin(T), (-1, False), (0, True), (-1, True)),              # [-1, 0) in (-pi, 0)
    (sp.sin(2 * T), (0, True), (R(3, 2), True), (1, True)),       # 2t in (0, 3), inside (0, pi)
    (sp.sin(T - 1), (1, False), (4, False), (1, False)),          # t - 1 in [0, 3]
    (sp.cos(T), (2, False), (4, False), (-1, True)),              # [2, 4] in (pi/2, 3pi/2)
    (sp.cos(-T), (-4, False), (-2, False), (-1, True)),           # -t in [2, 4]
    (sp.sin(T), (0, True), (R(355, 113), False), None),           # 355/113 = 3.14159292 > pi
    (sp.sin(T), (0, True), (R(311, 99), False), (1, True)),       # 311/99 = 3.1414 < pi
    (sp.sin(T), (0, True), None, None),                           # no upper bound
    (sp.tan(T), (0, True), (1, True), None),                      # not a sine or cosine
    (sp.sin(T), (10**400, True), (10**400 + 1, True), None),     # too far out to place: nothing said
])
def test_the_sign_between_two_zeros(e: sp.Expr, lo: tuple | None, hi: tuple | None, expected: tuple | None) -> None:
    facts = Facts()
    if lo is not None:
        facts = facts.add((sp.Gt if lo[1] else sp.Ge)(T, lo[0]))
    if hi is not None:
        facts = facts.add((sp.Lt if hi[1] else sp.Le)(T, hi[0]))
    assert sign_between_zeros(e, facts) == expected
    if expected is not None:
        # mpmath at 50 digits, at points spread over the interval: the sign holds (strictly inside).
        fn = sp.lambdify(T, e, "mpmath")
        with mpmath.workdps(50):
            a, b = mpmath.mpf(sp.Rational(lo[0])), mpmath.mpf(sp.Rational(hi[0]))
            for k in range(1, 100):
                assert fn(a + (b - a) * k / 100) * expected[0] > 0

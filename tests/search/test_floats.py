"""The float screen (:mod:`verifier.search.floats`): values of expressions at a point, worked out by hand or with mpmath
(50 digits) in the comment beside each; where the floats must give up (``None``); and how a relation is screened.

The point throughout: a = log(2), b = 1/2, c = 1, K = 3, v = [1, 2, -log(2)] (v[1], v[2], v[3]), g zero outside
1..K with g[1] = 5, g[2] = 7, g[3] = 11.
"""

from __future__ import annotations

import pytest
import sympy as sp

from verifier.search import floats

a, b, c = sp.symbols("a b c", real=True)
z = sp.Symbol("z", real=True)       # no value at the point
K = sp.Symbol("K", integer=True, positive=True)
i, j = sp.symbols("i j", integer=True)
v, g, w = sp.IndexedBase("v"), sp.IndexedBase("g"), sp.IndexedBase("w")
f = sp.Function("f")

POINT = floats.Point({a: sp.log(2), b: sp.Rational(1, 2), c: sp.Integer(1), K: sp.Integer(3),
                      v[1]: sp.Integer(1), v[2]: sp.Integer(2), v[3]: -sp.log(2),
                      g[1]: sp.Integer(5), g[2]: sp.Integer(7), g[3]: sp.Integer(11)},
                     families=[(g, sp.Integer(1), K)])

VALUES = [
    (sp.exp(a) + b, 2.5),                                       # exp(log 2) + 1/2 = 2 + 1/2
    (sp.log(b), -0.69314718055994530942),                       # log(1/2) = -log 2 (mpmath)
    (sp.sqrt(a), 0.83255461115769775635),                       # sqrt(log 2) (mpmath)
    (a**2 / b, 0.96090602783640284933),                         # 2 (log 2)^2 (mpmath)
    ((c - 3)**K, -8.0),                                         # (-2)^3: an integer power of a negative base
    (sp.Sum(v[j]**2, (j, 1, K)), 5.4804530139182014247),        # 1 + 4 + (log 2)^2 (mpmath)
    (sp.Sum(sp.exp(v[j]), (j, 1, K)), 10.607337927389695463),   # e + e^2 + 1/2 (mpmath)
    (sp.Sum(1, (j, 4, K)), 0.0),                                # 4..3 is empty: 0, as in the format
    (sp.Product(j, (j, 1, K)), 6.0),                            # 1 * 2 * 3
    (sp.Sum(sp.Sum(1, (i, 1, j)), (j, 1, K)), 6.0),             # triangular: 1 + 2 + 3
    (sp.Sum(g[j], (j, 0, K + 1)), 23.0),                        # g[0] = g[4] = 0 outside 1..3: 5 + 7 + 11
    (sp.KroneckerDelta(K, 2) * w[7], 0.0),                      # 0 * w[7] is 0 though w[7] has no value
    (sp.Piecewise((1, a > 1), (2, True)), 2.0),                 # log 2 < 1: the otherwise branch
    (sp.Max(a, b), 0.69314718055994530942),                     # log 2 > 1/2
    (sp.Min(a, b), 0.5),
    (sp.Abs(a - 1), 0.30685281944005469058),                    # 1 - log 2 (mpmath)
    (sp.floor(b + 1), 1.0),                                     # floor(3/2)
    (sp.ceiling(-b), 0.0),                                      # ceiling(-1/2)
    (sp.KroneckerDelta(K, 3), 1.0),
    (sp.Heaviside(a - b), 1.0),                                 # log 2 - 1/2 > 0
    (sp.sign(b - a), -1.0),
    (sp.tan(b), 0.54630248984379051326),                        # tan(1/2) (mpmath)
    (sp.factorial(K) + sp.binomial(K + 2, 2), 16.0),            # 3! + C(5, 2) = 6 + 10
    (sp.cos(sp.pi * c), -1.0),
]


@pytest.mark.parametrize("expr, expected", VALUES)
def test_values(expr: sp.Expr, expected: float) -> None:
    assert floats.value(expr, POINT) == pytest.approx(expected, rel=1e-14, abs=1e-15)


UNDECIDED = [
    sp.log(a - sp.log(2)),                     # log of 0: undefined exactly, 0.0 or a tiny float in floats
    sp.log(-b),                                # log of a negative number
    sp.sqrt(-b),                               # not real
    (-b)**sp.Rational(1, 3),                   # a fractional power of a negative base
    (b - sp.Rational(1, 2))**-1,               # 1/0
    sp.exp(1000 * c),                          # overflows a float
    f(a),                                      # a function it does not know
    sp.Derivative(f(a), a),
    sp.Limit(1 / a, a, sp.oo),
    z + 1,                                     # a name without a value
    v[9],                                      # an entry without a value
    sp.I * a,                                  # not real
    sp.oo,
    sp.Piecewise((1, a > 1)),                  # no branch applies: undefined there
    sp.Piecewise((1, a > sp.log(2)), (2, True)),   # a condition at its boundary
    sp.floor(3 * b - sp.Rational(1, 2)),       # floor at an integer (1), from a non-integer argument
    # phi^40 = L_40 - psi^40 = 228826127 - 4.4e-9 (Lucas number L_40; psi = -1/phi): the floor is 228826126, but
    # the float of phi^40 is only known to about 1e-7.
    sp.floor((c / 2 + sp.sqrt(5) / 2)**40),
    sp.Heaviside(a - sp.log(2)),               # at the jump, a convention the kernel never evaluates
    sp.tan(sp.pi / 2 * c),                     # where cos is 0
    sp.KroneckerDelta(K, 2) * sp.log(-b),      # 0 * log(-1/2) is undefined, not 0
    sp.Sum(j, (j, 1, 10**6)),                  # more terms than the budget
    sp.factorial(200 * c),                     # 200! overflows a float
]


@pytest.mark.parametrize("expr", UNDECIDED)
def test_undecided(expr: sp.Expr) -> None:
    assert floats.value(expr, POINT) is None


@pytest.mark.parametrize("relation, expected", [
    ((sp.exp(a), "=", sp.Integer(2)), True),            # exp(log 2) = 2, up to rounding
    ((sp.exp(a), "=", sp.Integer(3)), False),
    ((sp.exp(a), "<=", sp.Integer(2)), None),           # an inequality at equality: the exact check decides
    ((sp.exp(a), "<", sp.Integer(2)), None),
    ((sp.exp(a), "!=", sp.Integer(2)), None),
    ((sp.exp(a), "!=", sp.Integer(3)), True),
    ((a, "<", c), True),                                # log 2 < 1
    ((a, ">", c), False),
    ((a, ">=", b), True),                               # log 2 > 1/2
    ((a + sp.Rational(1, 10**12), "=", a), True),                     # below the tolerance: counts as holding
    ((sp.log(-b), "=", c), None),                       # a side without a value
    ((sp.Integer(10**50 + 1), "=", sp.Integer(10**50)), None),    # no float holds 10^50 + 1
    ((sp.cos(sp.Rational(1, 10**25) * c), "=", c), None),        # cos(10^-25) = 1 - 5e-51: 1/10^25 is no float
    ((3**(40 * c), "=", 3**(40 * c) + 1), None),                  # 3^40 > 2^52: + 1 is lost in floats
])
def test_screen(relation: tuple, expected: bool | None) -> None:
    assert floats.screen(relation, POINT) is expected

"""The rules of the inverse trigonometric and hyperbolic functions (verifier.kernel.inverse), and the identities they
let the kernel confirm. Each truth is checked beside it with mpmath at 50 digits, at points inside the domain."""

from __future__ import annotations

import mpmath
import pytest
import sympy as sp

from verifier.kernel import inverse
from verifier.kernel.facts import Facts
from verifier.kernel.identity import confirm_identity

x = sp.Symbol("x", real=True)
p = sp.Symbol("p", positive=True)
q = sp.Symbol("q", negative=True)
Y = sp.Symbol("y", real=True)


def _never(_: sp.Expr, strict: bool) -> bool:
    return False


def _by_assumptions(a: sp.Expr, strict: bool) -> bool:
    return a.is_positive is True if strict else a.is_nonnegative is True


def test_the_reciprocal_rule_needs_a_proved_sign() -> None:
    # atan(1/p) = pi/2 - atan(p) for p > 0 and -pi/2 - atan(p) for p < 0 (mpmath below); for x of unknown sign the
    # rule does not apply (x = -1: atan(-1) + atan(-1) = -pi/2, not pi/2).
    assert inverse.rewritten(sp.atan(1 / p), _by_assumptions) == sp.pi / 2 - sp.atan(p)
    assert inverse.rewritten(sp.atan(1 / q), _by_assumptions) == -sp.pi / 2 - sp.atan(q)
    assert inverse.rewritten(sp.atan(1 / x), _by_assumptions) == sp.atan(1 / x)
    assert inverse.rewritten(sp.atan(1 / p), _never) == sp.atan(1 / p)
    # atan(2/p) = pi/2 - atan(p/2): the numerator is a number.
    assert inverse.rewritten(sp.atan(2 / p), _by_assumptions) == sp.pi / 2 - sp.atan(p / 2)
    with mpmath.workdps(50):
        for v in (mpmath.mpf("0.3"), mpmath.mpf(7)):
            assert abs(mpmath.atan(1 / v) - (mpmath.pi / 2 - mpmath.atan(v))) < mpmath.mpf(10) ** -45
            assert abs(mpmath.atan(-1 / v) - (-mpmath.pi / 2 - mpmath.atan(-v))) < mpmath.mpf(10) ** -45


def test_the_inverse_hyperbolic_functions_through_log() -> None:
    assert inverse.rewritten(sp.asinh(x), _never) == sp.log(x + sp.sqrt(x**2 + 1))
    assert inverse.rewritten(sp.acosh(x), _never) == sp.log(x + sp.sqrt(x**2 - 1))
    assert inverse.rewritten(sp.atanh(x), _never) == sp.log((1 + x) / (1 - x)) / 2
    with mpmath.workdps(50):
        for v in (mpmath.mpf("-2.5"), mpmath.mpf("0.7"), mpmath.mpf(3)):
            assert abs(mpmath.asinh(v) - mpmath.log(v + mpmath.sqrt(v**2 + 1))) < mpmath.mpf(10) ** -45
        for v in (mpmath.mpf(1), mpmath.mpf("1.5"), mpmath.mpf(40)):
            assert abs(mpmath.acosh(v) - mpmath.log(v + mpmath.sqrt(v**2 - 1))) < mpmath.mpf(10) ** -45
        for v in (mpmath.mpf("-0.9"), mpmath.mpf("0.25")):
            assert abs(mpmath.atanh(v) - mpmath.log((1 + v) / (1 - v)) / 2) < mpmath.mpf(10) ** -45


def test_an_inverse_of_its_own_function_on_the_principal_range() -> None:
    half = sp.Symbol("h", positive=True)
    # asin(sin(u)) = u needs -pi/2 <= u <= pi/2: at u = 2, asin(sin 2) = pi - 2 (mpmath below); not rewritten
    # without the premise.
    assert inverse.rewritten(sp.asin(sp.sin(x)), _never) == sp.asin(sp.sin(x))
    assert inverse.rewritten(sp.asinh(sp.sinh(x)), _never) == x          # sinh is one-to-one on the reals
    assert inverse.rewritten(sp.acosh(sp.cosh(x)), _never) == sp.Abs(x)  # cosh is even, acosh >= 0
    assert inverse.rewritten(sp.atanh(sp.tanh(half)), _never) == half
    with mpmath.workdps(50):
        assert abs(mpmath.asin(mpmath.sin(2)) - (mpmath.pi - 2)) < mpmath.mpf(10) ** -45
        assert abs(mpmath.acosh(mpmath.cosh(-3)) - 3) < mpmath.mpf(10) ** -45


def test_a_bound_variable_is_left_alone() -> None:
    j = sp.Symbol("j", integer=True)
    n = sp.Symbol("n", integer=True)
    s = sp.Sum(sp.asinh(j), (j, 1, n))
    assert inverse.rewritten(s, _never) == s


def _facts(*hypotheses: sp.Basic) -> Facts:
    return Facts().add(sp.And(*hypotheses)) if hypotheses else Facts()


CONFIRMED = [
    (sp.atan(p) + sp.atan(1 / p), sp.pi / 2, ()),                      # the reciprocal rule, p > 0
    (sp.atan(q) + sp.atan(1 / q), -sp.pi / 2, ()),                     # p < 0
    (sp.atan(x) + sp.atan(1 / x), sp.pi / 2, (sp.Gt(x, 0),)),          # x > 0 from a hypothesis
    (sp.asinh(x), sp.log(x + sp.sqrt(x**2 + 1)), ()),
    (sp.acosh(x), sp.log(x + sp.sqrt(x**2 - 1)), ()),                  # claimed where acosh is defined, x >= 1
    (sp.atanh(x), sp.log((1 + x) / (1 - x)) / 2, ()),                  # claimed on (-1, 1)
    (sp.atanh(x), (sp.log(1 + x) - sp.log(1 - x)) / 2, ()),            # log of a quotient of positive terms
    (sp.asin(sp.sin(x)), x, (sp.Gt(x, -1), sp.Lt(x, 1))),                # -1 < x < 1 lies in [-pi/2, pi/2]
    (sp.acos(sp.cos(x)), x, (sp.Gt(x, 0), sp.Lt(x, 3))),                 # (0, 3) lies in [0, pi]
    (sp.atan(sp.tan(x)), x, (sp.Gt(x, -1), sp.Lt(x, 1))),
    (sp.asinh(sp.sinh(x)), x, ()),
    # the addition formula (y, x in (-1, 1): x*y < 1; x in [2, 3]: x^2 > 1, x > 0), checked with mpmath below
    (sp.atan(x) + sp.atan(Y), sp.atan((x + Y) / (1 - x * Y)), (sp.Gt(x, -1), sp.Lt(x, 1), sp.Gt(Y, -1), sp.Lt(Y, 1))),
    (2 * sp.atan(x), sp.atan(2 * x / (1 - x**2)), (sp.Gt(x, -1), sp.Lt(x, 1))),
    (2 * sp.atan(x) - sp.pi, sp.atan(2 * x / (1 - x**2)), (sp.Ge(x, 2), sp.Le(x, 3))),
    (2 * sp.atan(x) + sp.pi, sp.atan(2 * x / (1 - x**2)), (sp.Ge(x, -3), sp.Le(x, -2))),
    # sines and cosines of combinations of inverse functions (double angles, the addition formula; by hand:
    # sin(2a) = 2 sin a cos a with sin(asin x) = x, cos(asin x) = sqrt(1 - x^2); cos(2a) = 2cos^2 a - 1;
    # sin(a + b) = sin a cos b + cos a sin b with sin(atan x) = x/sqrt(1 + x^2), cos(atan x) = 1/sqrt(1 + x^2))
    (sp.sin(2 * sp.asin(x)), 2 * x * sp.sqrt(1 - x**2), ()),
    (2 * x * sp.sqrt(1 - x**2), sp.sin(2 * sp.asin(x)), ()),
    (sp.cos(2 * sp.acos(x)), 2 * x**2 - 1, ()),
    (sp.sin(sp.atan(x) + sp.atan(Y)), (x + Y) / (sp.sqrt(1 + x**2) * sp.sqrt(1 + Y**2)), ()),
]


@pytest.mark.parametrize(("lhs", "rhs", "hypotheses"), CONFIRMED, ids=str)
def test_identities_are_confirmed(lhs: sp.Expr, rhs: sp.Expr, hypotheses: tuple[sp.Basic, ...]) -> None:
    assert confirm_identity(lhs, rhs, _facts(*hypotheses)) is not None


NOT_CONFIRMED = [
    (sp.atan(x) + sp.atan(1 / x), sp.pi / 2),           # x = -1: -pi/4 - pi/4 = -pi/2
    (sp.atan(q) + sp.atan(1 / q), sp.pi / 2),           # q = -1: -pi/2
    (sp.atan(p) + sp.atan(1 / p), -sp.pi / 2),          # p = 1: pi/2
    (sp.atan(2 / p), sp.pi / 2 - sp.atan(p)),           # p = 1: atan 2 = 1.107 against pi/4 = 0.785
    (sp.atanh(x), sp.log((1 + x) / (1 - x))),           # x = 1/2: 0.549 against log 3 = 1.099
    (sp.asinh(x), sp.log(x + sp.sqrt(x**2 - 1))),       # x = 0: the right side is undefined
    (sp.acosh(x), sp.log(x + sp.sqrt(x**2 + 1))),       # x = 1: 0 against log(1 + sqrt 2) = 0.881
    (sp.asin(sp.sin(x)), x),                            # x = 2: pi - 2
    (sp.acos(sp.cos(x)), x),                            # x = -1: acos(cos(-1)) = 1
    (sp.acosh(sp.cosh(x)), x),                          # x = -1: 1
    (sp.atan(x) + sp.atan(Y), sp.atan((x + Y) / (1 - x * Y))),     # x = y = 2: 2.214 against atan(-4/3) = -0.927
    (2 * sp.atan(p), sp.atan(2 * p / (1 - p**2))),                  # p = 2 likewise
    (2 * sp.atan(p) - sp.pi, sp.atan(2 * p / (1 - p**2))),          # p = 1/2: 0.927 - pi against atan(4/3)
    (sp.sin(2 * sp.asin(x)), 2 * x * sp.sqrt(1 + x**2)),              # x = 1: sin(pi) = 0 against 2 sqrt 2
    (2 * x**2 - 1, sp.cos(2 * sp.acos(x))),                           # x = 2: 7 against an undefined acos(2)
    (sp.cos(sp.atan(x) + sp.atan(Y)), (1 + x * Y) / (sp.sqrt(1 + x**2) * sp.sqrt(1 + Y**2))),   # x = y = 1: 0, 1
]


@pytest.mark.parametrize(("lhs", "rhs"), NOT_CONFIRMED, ids=str)
def test_wrong_variants_are_not_confirmed(lhs: sp.Expr, rhs: sp.Expr) -> None:
    assert confirm_identity(lhs, rhs, _facts()) is None


@pytest.mark.parametrize(("u", "v"), [("0.3", "-0.9"), ("0.99", "0.99"), ("-0.5", "-0.7"), ("2", "3"), ("2", "2"),
                                      ("-2", "-3"), ("0.5", "1.5")])
def test_the_addition_formula_by_mpmath(u: str, v: str) -> None:
    # atan(u) + atan(v) - atan((u + v)/(1 - u*v)) is 0 for u*v < 1, pi for u*v > 1 with u > 0, -pi with u < 0.
    with mpmath.workdps(50):
        a, b = mpmath.mpf(u), mpmath.mpf(v)
        gap = mpmath.atan(a) + mpmath.atan(b) - mpmath.atan((a + b) / (1 - a * b))
        expected = 0 if a * b < 1 else (mpmath.pi if a > 0 else -mpmath.pi)
        assert abs(gap - expected) < mpmath.mpf(10) ** -40

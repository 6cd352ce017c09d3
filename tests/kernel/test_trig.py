"""The trigonometric normal form (verifier.kernel.trig), and the definedness and enclosures of the trigonometric and
inverse functions. Each truth is checked beside it by hand or with mpmath."""

from __future__ import annotations

from collections.abc import Callable

import mpmath
import pytest
import sympy as sp

from verifier.kernel import defined, interval, trig

x, y = sp.symbols("x y", real=True)
z = sp.Symbol("z")      # not known to be real
j = sp.Dummy("j", integer=True)
X = sp.IndexedBase("X", real=True)

IDENTITIES = [
    sp.sin(x)**2 + sp.cos(x)**2 - 1,                                    # Pythagoras
    sp.sin(2 * x) - 2 * sp.sin(x) * sp.cos(x),                          # double angle
    sp.cos(x + y) - (sp.cos(x) * sp.cos(y) - sp.sin(x) * sp.sin(y)),    # addition
    sp.sin(3 * x) - 3 * sp.sin(x) + 4 * sp.sin(x)**3,                   # triple angle
    sp.cos(x / 2)**2 - (1 + sp.cos(x)) / 2,                             # half angle
    1 + sp.tan(x)**2 - sp.sec(x)**2,                                    # where cos x != 0
    sp.cot(x) * sp.tan(x) - 1,                                          # where sin x cos x != 0
    sp.sin(x - 3 * y / 2) - (sp.sin(x) * sp.cos(3 * y / 2) - sp.cos(x) * sp.sin(3 * y / 2)),
    sp.exp(x) * (sp.sin(x)**2 + sp.cos(x)**2) - sp.exp(x),
    sp.asin(x) + sp.acos(x) - sp.pi / 2,                                # on [-1, 1]
]


@pytest.mark.parametrize("d", IDENTITIES, ids=str)
def test_identities_reduce_to_zero(d: sp.Expr) -> None:
    assert trig.reduced(d) == 0


NOT_IDENTITIES = [
    sp.sin(2 * x) - 2 * sp.sin(x),          # x = 1: sin 2 = 0.909, 2 sin 1 = 1.683
    sp.cos(x)**2 - 1,                       # x = 1
    sp.tan(x + y) - sp.tan(x) - sp.tan(y),  # x = y = 1/2
    sp.sin(x) - x,                          # x = 1
]


@pytest.mark.parametrize("d", NOT_IDENTITIES, ids=str)
def test_non_identities_do_not_reduce_to_zero(d: sp.Expr) -> None:
    assert trig.reduced(d) != 0


def test_arguments_it_cannot_read_stay_atoms() -> None:
    assert trig.reduced(sp.sin(z)**2 + sp.cos(z)**2 - 1) is None          # not known to be real
    # a bound index inside the argument: not an angle of its own
    assert trig.reduced(sp.Sum(sp.sin(X[j])**2 + sp.cos(X[j])**2, (j, 1, 3)) - 3) is None


def test_where_the_functions_are_defined() -> None:
    u = x
    assert defined.conditions(sp.tan(u), sufficient=True) == (sp.Ne(sp.cos(u), 0),)
    assert defined.conditions(sp.sec(u), sufficient=True) == (sp.Ne(sp.cos(u), 0),)
    assert defined.conditions(sp.cot(u), sufficient=True) == (sp.Ne(sp.sin(u), 0),)
    assert defined.conditions(sp.csc(u), sufficient=True) == (sp.Ne(sp.sin(u), 0),)
    assert set(defined.conditions(sp.asin(u), sufficient=True)) == {sp.Ge(u + 1, 0), sp.Ge(1 - u, 0)}
    assert set(defined.conditions(sp.acos(u), sufficient=True)) == {sp.Ge(u + 1, 0), sp.Ge(1 - u, 0)}
    assert defined.conditions(sp.acosh(u), sufficient=True) == (sp.Ge(u - 1, 0),)
    assert set(defined.conditions(sp.atanh(u), sufficient=True)) == {sp.Gt(u + 1, 0), sp.Gt(1 - u, 0)}
    assert defined.everywhere(sp.atan(u)) and defined.everywhere(sp.asinh(u))


R = sp.Rational
ENCLOSED = [
    (sp.atan(2), lambda: mpmath.atan(2)), (sp.asin(R(1, 3)), lambda: mpmath.asin(mpmath.mpf(1) / 3)),
    (sp.acos(R(1, 3)), lambda: mpmath.acos(mpmath.mpf(1) / 3)), (sp.asinh(2), lambda: mpmath.asinh(2)),
    (sp.acosh(3), lambda: mpmath.acosh(3)), (sp.atanh(R(1, 2)), lambda: mpmath.atanh(mpmath.mpf(1) / 2)),
    (sp.sec(1), lambda: mpmath.sec(1)), (sp.csc(2), lambda: mpmath.csc(2)), (sp.cot(1), lambda: mpmath.cot(1)),
]


@pytest.mark.parametrize("e, value", ENCLOSED, ids=[str(e) for e, _ in ENCLOSED])
def test_enclosures_contain_the_value(e: sp.Expr, value: Callable[[], mpmath.mpf]) -> None:
    # mpmath's value at 50 digits, within 1e-30: the rigorous sign of e - (value -+ 1e-30) is +1 and -1
    with mpmath.workdps(50):
        mid = sp.Rational(str(mpmath.nstr(value(), 45)))
    eps = sp.Rational(1, 10**30)
    assert interval.sign(e - (mid - eps)) == 1
    assert interval.sign(e - (mid + eps)) == -1


def test_outside_the_domain_nothing_is_enclosed() -> None:
    assert interval.enclose(sp.asin(2, evaluate=False)) is None
    assert interval.enclose(sp.acosh(R(1, 2), evaluate=False)) is None
    assert interval.enclose(sp.atanh(2, evaluate=False)) is None
    # an exact 0 is never decided by an enclosure: asin(1/3) + acos(1/3) - pi/2 = 0
    assert interval.sign(sp.asin(R(1, 3)) + sp.acos(R(1, 3)) - sp.pi / 2) is None


def test_nonzero_by_factors() -> None:
    # sin(2x) = 2 sin x cos x: nonzero where sin x != 0 and cos x != 0 (csc(x) sec(x)/2 defined gives csc(2x)).
    assert trig.nonzero_by_factors(sp.sin(2 * x), [sp.sin(x), sp.cos(x)])
    # sin(2x) with only sin x != 0 known: at x = pi/2, sin x = 1 and sin(2x) = sin(pi) = 0.
    assert not trig.nonzero_by_factors(sp.sin(2 * x), [sp.sin(x)])
    # sin^2 + cos^2 = 1 is never 0, whatever is known.
    assert trig.nonzero_by_factors(sp.sin(x)**2 + sp.cos(x)**2, [])
    # cos(2x) = (cos x - sin x)(cos x + sin x): not a product of sin x and cos x (0 at x = pi/4).
    assert not trig.nonzero_by_factors(sp.cos(2 * x), [sp.sin(x), sp.cos(x)])
    # tan(x) != 0 where it is defined gives sin(x) != 0 (its numerator): 1/tan(x) = cot(x) is claimed where
    # tan(x) is defined and nonzero, and cot(x) is defined there.
    assert trig.nonzero_by_factors(sp.sin(x), [sp.tan(x)])
    # cos(x) != 0 alone says nothing of sin(x) (x = 0).
    assert not trig.nonzero_by_factors(sp.sin(x), [sp.cos(x)])
    # sin(4x) = 2 sin(2x) cos(2x) = 4 sin x cos x (cos x - sin x)(cos x + sin x): nonzero where sin(2x) != 0 and
    # cos(2x) != 0, whose factors these are.
    assert trig.nonzero_by_factors(sp.sin(4 * x), [sp.sin(2 * x), sp.cos(2 * x)])
    assert not trig.nonzero_by_factors(sp.sin(4 * x), [sp.sin(2 * x)])     # x = pi/4: sin(pi/2) = 1, sin(pi) = 0
    # 1 - sin(x)^2 = cos(x)^2 on the circle: nonzero where cos(x) is, and conversely (sec(x)^2 = 1/(1 - sin(x)^2)
    # both ways); 1 - cos(x)^2 = sin(x)^2 likewise. But 1 - sin(x) != 0 (x = 3pi/2 allowed: 1 - (-1) = 2) says
    # nothing of cos(x), which is 0 there.
    assert trig.nonzero_by_factors(sp.cos(x), [1 - sp.sin(x)**2])
    assert trig.nonzero_by_factors(1 - sp.sin(x)**2, [sp.cos(x)])
    assert trig.nonzero_by_factors(sp.sin(x), [1 - sp.cos(x)**2])
    assert not trig.nonzero_by_factors(sp.cos(x), [1 - sp.sin(x)])
    # cos(x) != 0 gives cos(x)^2 = (1 - sin(x))(1 + sin(x)) != 0, so 1 - sin(x) != 0 (sin(x) = 1 only where
    # cos(x) = 0); sin(x) != 0 says nothing of 1 - sin(x) (x = pi/2).
    assert trig.nonzero_by_factors(1 - sp.sin(x), [sp.cos(x)])
    assert not trig.nonzero_by_factors(1 - sp.sin(x), [sp.sin(x)])


def test_sines_and_cosines_of_combinations_of_inverse_functions_are_expanded() -> None:
    # sin(2 asin x) = 2 sin(asin x) cos(asin x) = 2x sqrt(1 - x^2); cos(acos x + atan x) = x/sqrt(1 + x^2) -
    # sqrt(1 - x^2) x/sqrt(1 + x^2) (by hand); a single atom (sin(asin x) = x already) and a non-integer multiple
    # (sin(asin(x)/2)) are left alone.
    assert trig.expanded_angles(sp.sin(2 * sp.asin(x))) == 2 * x * sp.sqrt(1 - x**2)
    assert sp.expand(trig.expanded_angles(sp.cos(sp.acos(x) + sp.atan(x)))
                     - (x - sp.sqrt(1 - x**2) * x) / sp.sqrt(1 + x**2)) == 0
    assert trig.expanded_angles(sp.sin(sp.asin(x) / 2)) == sp.sin(sp.asin(x) / 2)
    assert trig.expanded_angles(sp.sin(2 * x)) == sp.sin(2 * x)

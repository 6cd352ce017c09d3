"""Rigorous signs of closed-form numbers (:mod:`verifier.kernel.interval`).

The sign is exact for rationals and comes from an mpmath interval enclosure otherwise: 0 only for an exact rational
0, and ``None`` whenever the enclosure cannot exclude 0 (or the expression is not a real number at all).
"""

from __future__ import annotations

import mpmath
import pytest
import sympy as sp

from verifier.kernel import evaluation, identity, interval
from verifier.kernel.facts import Facts

E, log, exp, sqrt = sp.E, sp.log, sp.exp, sp.sqrt
R = sp.Rational

SIGNS = [
    (R(3, 7), 1), (R(-3, 7), -1), (sp.Integer(0), 0),
    (exp(1) - R(2718281828, 10**9), 1),          # e = 2.718281828459...
    (exp(1) - R(2718281829, 10**9), -1),
    (E - R(27182818284590452353602874713526, 10**31), 1),   # agrees with e to 31 digits
    (E - R(27182818284590452353602874713527, 10**31), -1),
    (log(2) - R(693147, 10**6), 1),              # log 2 = 0.693147180...
    (log(2) - R(693148, 10**6), -1),
    (exp(-50), 1), (-exp(-50), -1), (exp(-10**4), 1),
    (exp(-50) - exp(-51), 1),
    (sp.pi - R(314159265358979, 10**14), 1),
    (sqrt(2) - R(14142135623730951, 10**16), -1),
    (sp.tanh(1) - R(3, 4), 1), (sp.sinh(1) - R(11752, 10**4), 1),
    (sp.cosh(1) - R(15430, 10**4), 1), (sp.cosh(1) - R(15431, 10**4), -1),
    (sp.tanh(-30) + 1, 1),                       # 1 + tanh(-30) ~ 1.7e-26 > 0
    (sp.Abs(-exp(-60)), 1),
    (sp.sin(1) - R(8414709848, 10**10), 1),
    (log(1 + exp(300)) - 300, 1),                # ~5e-131: low-precision evalf calls it 0 (SymPy #20733)
]


@pytest.mark.parametrize("e, expected", SIGNS, ids=[str(e) for e, _ in SIGNS])
def test_sign(e: sp.Expr, expected: int) -> None:
    assert interval.sign(e) == expected


UNDECIDABLE = [
    sp.Symbol("x"),                      # a free symbol: not a number
    sp.Symbol("x", positive=True),       # even a positive one: sign() is for numbers only
    exp(sp.Symbol("y")) - 1,
    log(8) - 3 * log(2),                 # exactly 0, but not a rational 0: never reported as 0
    sp.sin(sp.pi),                       # SymPy makes this 0 ...
    sp.sin(sp.pi / 7) ** 2 + sp.cos(sp.pi / 7) ** 2 - 1,   # ... but not this exact 0
    sqrt(-2), sp.I, log(-2), sp.oo, -sp.oo, sp.zoo, sp.nan, sp.Float(0.5),
    sp.floor(sqrt(2)) - 1 + sp.Symbol("z"),
    sp.Sum(1 / sp.Symbol("j", integer=True) ** 2, (sp.Symbol("j", integer=True), 1, sp.oo)),
]


@pytest.mark.parametrize("e", UNDECIDABLE, ids=[str(e) for e in UNDECIDABLE])
def test_undecidable_is_none_never_zero(e: sp.Expr) -> None:
    s = interval.sign(e)
    if e == 0:       # SymPy already evaluated it to the rational 0
        assert s == 0
    else:
        assert s is None


def test_exact_zero_only_for_rational_zero() -> None:
    assert interval.sign(sqrt(2) ** 2 - 2) == 0          # SymPy evaluates it to the Integer 0
    assert interval.sign(exp(log(3)) - 3) == 0
    assert interval.sign(log(4) - 2 * log(2)) is None    # not evaluated by SymPy: undecided, not 0


def test_is_real() -> None:
    assert interval.is_real(R(1, 2)) and interval.is_real(log(2)) and interval.is_real(exp(-50))
    assert not interval.is_real(sp.I) and not interval.is_real(sqrt(-2)) and not interval.is_real(log(-2))
    assert not interval.is_real(sp.Symbol("x", real=True)) and not interval.is_real(sp.oo)


def test_enclosure_contains_the_value() -> None:
    box = interval.enclose(log(2) - R(693147, 10**6))
    assert box is not None and 1.8055e-7 < box[0] <= box[1] < 1.8057e-7
    assert interval.enclose(sp.Symbol("x")) is None
    assert interval.enclose(log(-1 - sp.Abs(sp.Integer(2)))) is None


def test_tiny_difference_needs_precision() -> None:
    """#20733 / #23086 (named in the project's SymPy notes): evalf at low precision can print 0 for a nonzero number.
    The enclosure raises the precision instead, and never answers 0 for it."""
    tiny = exp(-300) * (exp(R(1, 10**30)) - 1)      # ~5e-161
    assert interval.sign(tiny) == 1
    assert interval.sign(-tiny) == -1


# -- functions SymPy evaluates untrustworthily (class 11): floor, ceiling, sign, Abs, Max, Min, Heaviside ----------

#: sqrt(2) / (541131238821888000 - 382637568482834149*sqrt(2)): mpmath at 50 digits gives 1401.95502034590472397...
NEAR = sqrt(2) / (541131238821888000 - 382637568482834149 * sqrt(2))


def mp50(f) -> mpmath.mpf:
    with mpmath.workdps(50):
        return f()


def test_the_referee_value_of_the_near_integer() -> None:
    value = mp50(lambda: mpmath.sqrt(2) / (541131238821888000 - 382637568482834149 * mpmath.sqrt(2)))
    assert mpmath.floor(value) == 1401 and mpmath.ceil(value) == 1402
    assert sp.floor(NEAR) == 1402       # SymPy's automatic evaluation is wrong here (SymPy #21039, #26368)


@pytest.mark.parametrize("e, expected", [
    (sp.floor(NEAR, evaluate=False), 1401),
    (sp.ceiling(NEAR, evaluate=False), 1402),
    (sp.floor(-NEAR, evaluate=False), -1402),
    (sp.floor(sqrt(2), evaluate=False), 1),                 # 1.414...
    (sp.ceiling(R(7, 2), evaluate=False), 4),
    (sp.floor((1 + sqrt(2)) ** 2 - 2 * sqrt(2), evaluate=False), 3),   # exactly 3: expand shows it
    (sp.sign(sqrt(2) - R(14142135623730951, 10**16), evaluate=False), -1),
    (sp.Abs(sqrt(2) - R(14142135623730951, 10**16), evaluate=False),
     R(14142135623730951, 10**16) - sqrt(2)),
    (sp.Max(sqrt(2), R(141421356237, 10**11), evaluate=False), sqrt(2)),
    (sp.Min(sqrt(2), R(141421356238, 10**11), evaluate=False), sqrt(2)),
    (sp.Heaviside(NEAR - 1401, evaluate=False), 1),
])
def test_settle_decides_untrusted_functions_rigorously(e: sp.Expr, expected: sp.Expr) -> None:
    assert sp.expand(interval.settle(e) - expected) == 0


def test_settle_puts_values_in_without_sympy_evaluating() -> None:
    y = sp.Symbol("y", real=True)
    assert interval.settle(sp.floor(y * NEAR), {y: 1}) == 1401
    assert interval.settle(sp.floor(y * NEAR) - 1401, {y: 1}) == 0
    assert interval.sign(sp.floor(NEAR, evaluate=False) - 1401) == 0
    assert interval.sign(sp.floor(NEAR, evaluate=False) - 1402) == -1


def test_undecided_untrusted_functions_are_held() -> None:
    # Heaviside at its jump: no value; floor of an exact integer that only an enclosure sees: undecided
    held = interval.settle(sp.Heaviside(sp.Integer(0), evaluate=False))
    assert interval.held_original(held) is sp.Heaviside
    exact = sp.sqrt(2) * sp.sqrt(3) - sp.sqrt(6) + sp.log(2) + sp.log(3) - sp.log(6) + 2    # = 2, not evaluated
    out = interval.settle(sp.floor(exact, evaluate=False))
    assert interval.held_original(out) is sp.floor
    assert interval.sign(out - 2) is None and interval.sign(out - 4) == -1   # floor(2 +- tiny) in [1, 2]
    # a held node is never evaluated by SymPy later
    assert (out + 1).subs({}) == out + 1


def test_comparisons_of_numbers_are_decided_here() -> None:
    rel = sp.Gt(NEAR, R(140196, 100), evaluate=False)        # 1401.955... > 1401.96 is false (referee above)
    assert interval.settle(rel) is sp.false
    assert interval.settle(sp.Lt(NEAR, R(140196, 100), evaluate=False)) is sp.true


def test_enclosures_of_untrusted_functions_contain_the_value() -> None:
    lo, hi = interval.enclose(sp.floor(NEAR, evaluate=False) + sp.Max(sqrt(2), 1, evaluate=False), prec=300)
    value = mp50(lambda: 1401 + mpmath.sqrt(2))        # the ends are rounded to floats for display
    assert abs(lo - value) < 1e-9 and abs(hi - value) < 1e-9


# -- class 11 through the checker: claims about these numbers --------------------------------------------------

#: (lhs, op, rhs, true?) with truth from mpmath at 50 digits: NEAR = 1401.955020345904723975...
CLAIMS = [
    (sp.floor(NEAR, evaluate=False), "=", 1402, False),
    (sp.floor(NEAR, evaluate=False), "=", 1401, True),
    (sp.ceiling(NEAR, evaluate=False), "=", 1402, True),
    (sp.floor(NEAR, evaluate=False), "<", 1402, True),
    (sp.Max(NEAR, R(140196, 100), evaluate=False), "=", R(140196, 100), True),     # 1401.955... < 1401.96
    (sp.Min(NEAR, R(140195, 100), evaluate=False), "=", R(140195, 100), True),     # 1401.95 < 1401.955...
    (sp.sign(NEAR - R(140196, 100), evaluate=False), "=", -1, True),
    (sp.Abs(NEAR - R(140196, 100), evaluate=False), "=", R(140196, 100) - NEAR, True),
    (NEAR, ">", R(140196, 100), False),
    (NEAR, "<", R(140196, 100), True),
]


@pytest.mark.parametrize("lhs, op, rhs, true", CLAIMS, ids=[f"{op}{rhs}" for _, op, rhs, _ in CLAIMS])
def test_claims_about_near_integers(lhs: sp.Expr, op: str, rhs: sp.Expr, true: bool) -> None:
    relation = (lhs, op, sp.sympify(rhs))
    proved = identity.confirm_relation(relation, Facts())
    assert (proved is not None) is true
    check = evaluation.confirm_at_point(relation, [], {}, Facts())
    assert check is not None and check.holds is true


def test_floor_of_a_name_at_a_point() -> None:
    y = sp.Symbol("y", real=True)
    check = evaluation.confirm_at_point((sp.floor(y * NEAR, evaluate=False), "=", sp.Integer(1402)), [], {y: 1},
                                        Facts())
    assert check is not None and not check.holds and check.lhs == 1401


# -- sums and products too long to write out (issue 17, class 7) --------------------------------------------------

_J = sp.Symbol("j", integer=True)
_mp = mpmath.mp.clone()
_mp.dps = 40


def _big(e: sp.Expr) -> tuple[float, float]:
    box = interval.enclose(e)
    assert box is not None, e
    return box


@pytest.mark.parametrize("e, value", [
    # Values by mpmath at 40 digits, independently of the engine: harmonic numbers, zeta(2) minus the tail
    # (psi(1, n + 1) = sum_{j > n} 1/j^2), log(n + 1) (the sum of log(1 + 1/j) telescopes), and the Wallis product
    # prod_{j <= n} 4j^2/(4j^2 - 1) = (pi/2) Gamma(n + 1)^2 / (Gamma(n + 1/2) Gamma(n + 3/2)).
    (sp.Sum(1 / _J, (_J, 1, 1674)), _mp.harmonic(1674)),
    (sp.Sum(1 / _J, (_J, 1, 2**20)), _mp.harmonic(2**20)),
    (sp.Sum(1 / _J**2, (_J, 1, 10**5)), _mp.zeta(2) - _mp.psi(1, 10**5 + 1)),
    (sp.Sum(sp.log(1 + 1 / _J), (_J, 1, 4096)), _mp.log(4097)),
    (sp.Product(4 * _J**2 / ((2 * _J - 1) * (2 * _J + 1)), (_J, 1, 10**4)),
     _mp.pi / 2 * _mp.gamma(10**4 + 1) ** 2 / (_mp.gamma(10**4 + 0.5) * _mp.gamma(10**4 + 1.5))),
])
def test_a_long_sum_or_product_is_enclosed_without_writing_it_out(e: sp.Expr, value: object) -> None:
    lo, hi = _big(e)
    assert lo <= float(value) <= hi  # type: ignore[arg-type]
    assert hi - lo < 0.5


def test_a_long_sum_decides_a_bound_it_crosses() -> None:
    # H(1674) = 8.00049 > 8 > H(1673) = 7.99989 (mpmath above): the enclosure at 1674 is too wide to tell, never
    # wrong; at 2048 (H = 8.2025) it decides.
    assert mpmath.harmonic(1673) < 8 < mpmath.harmonic(1674)
    assert interval.sign(sp.Sum(1 / _J, (_J, 1, 1674)) - 8) in (1, None)
    assert interval.sign(sp.Sum(1 / _J, (_J, 1, 1673)) - 8) in (-1, None)
    assert interval.sign(sp.Sum(1 / _J, (_J, 1, 2048)) - 8) == 1


def test_a_long_sum_with_an_undefined_term_has_no_enclosure() -> None:
    # 1/(j - 3000) is undefined at j = 3000, inside 1..5000; log(j - 10) is undefined for j <= 10.
    assert interval.enclose(sp.Sum(1 / (_J - 3000), (_J, 1, 5000))) is None
    assert interval.enclose(sp.Sum(sp.log(_J - 10), (_J, 1, 5000))) is None
    assert not interval.is_real(sp.Sum(1 / (_J - 3000), (_J, 1, 5000)))
    # Over 11..5000 every term is defined: an enclosure (its value is log((5000 - 10)!) ~ 37,581.6 by Stirling).
    lo, hi = _big(sp.Sum(sp.log(_J - 10), (_J, 11, 5000)))
    assert lo <= float(_mp.loggamma(4991)) <= hi


def test_a_long_alternating_sum_is_enclosed_by_pairs() -> None:
    # sum_{j=1}^{2K} (-1)^(j+1)/j = H_{2K} - H_K (mpmath), and sum_{j=1}^{2K} (-1)^j j = K (pairs -(2i-1) + 2i = 1),
    # sum_{j=3}^{12} (-1)^j j = 5 (by hand: -3 + 4 - 5 + 6 - 7 + 8 - 9 + 10 - 11 + 12).
    k = 2**14
    lo, hi = _big(sp.Sum((-1) ** (_J + 1) / _J, (_J, 1, 2 * k)))
    assert lo <= float(_mp.harmonic(2 * k) - _mp.harmonic(k)) <= hi and hi - lo < 0.001
    assert _big(sp.Sum((-1) ** _J * _J, (_J, 1, 6000))) == (3000.0, 3000.0)
    assert _big(sp.Sum((-1) ** _J * _J, (_J, 3, 12))) == (5.0, 5.0)


def test_a_piecewise_whose_condition_is_not_real_is_kept() -> None:
    # log(0) > 0 is neither true nor false (log(0) is undefined): SymPy's own Piecewise raises "Invalid comparison
    # of non-real"; the node is kept as written, for definedness to decide.
    x0 = sp.Symbol("x0", real=True)
    e = sp.Piecewise((1, sp.log(x0) > 0), (0, True))
    out = interval.settle(e, {x0: sp.Integer(0)})
    assert isinstance(out, sp.Piecewise)

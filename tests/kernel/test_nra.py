"""Nonlinear real arithmetic (z3) in the kernel: proofs by unsat, models only as proposals, and the classical
inequalities as lemmas. Every truth below is established by hand in the comment beside it."""

from __future__ import annotations

import sympy as sp

from verifier.kernel import nra
from verifier.kernel.rules import Facts, normal

x, y, z, a, b = sp.symbols("x y z a b", real=True)
u = sp.Symbol("u", positive=True)
p, q = sp.symbols("p q", real=True)
UNIT = Facts().add(sp.Gt(p, 0)).add(sp.Lt(p, 1)).add(sp.Gt(q, 0)).add(sp.Lt(q, 1))


NO_FACTS = Facts()


def decide(e: sp.Expr, op: str, facts: Facts = NO_FACTS) -> object:
    return nra.decide(normal(e, facts), op, facts)


def test_a_square_is_nonnegative() -> None:
    # (x - y)^2 >= 0 for real x, y.
    assert isinstance(decide((x - y) ** 2, ">="), nra.Proof)


def test_the_sigmoid_slope_is_at_most_a_quarter() -> None:
    # sigma' = s(1 - s) <= 1/4 since (s - 1/2)^2 >= 0.
    s = 1 / (1 + sp.exp(-z))
    assert isinstance(decide(sp.Rational(1, 4) - sp.diff(s, z), ">="), nra.Proof)


def test_e_is_a_log_term_with_logarithm_one() -> None:
    # log(u) > 1 exactly when u > e (log increasing, log e = 1): for u > e, log(u) - 1 > 0.
    assert isinstance(nra.decide(sp.log(u) - 1, ">", NO_FACTS, hypotheses=(sp.Gt(u, sp.E),)), nra.Proof)
    # u > 5/2 is not enough (log(2.6) = 0.956 < 1, math.log): never a proof.
    assert not isinstance(nra.decide(sp.log(u) - 1, ">", NO_FACTS, hypotheses=(sp.Gt(u, sp.Rational(5, 2)),)),
                          nra.Proof)
    # exp(2) likewise: u > exp(2) gives log(u) > 2.
    assert isinstance(nra.decide(sp.log(u) - 2, ">", NO_FACTS, hypotheses=(sp.Gt(u, sp.exp(2)),)), nra.Proof)


def test_a_false_inequality_gives_a_model_not_a_proof() -> None:
    # x^2 >= x fails at x = 1/2 (1/4 < 1/2): a model, whose value makes x^2 - x negative when re-checked.
    found = decide(x**2 - x, ">=")
    assert isinstance(found, nra.Model)
    v = found.point[x]
    assert v**2 - v < 0


def test_exp_is_above_its_tangent_and_log_below() -> None:
    # exp(x) >= 1 + x and log(u) <= u - 1 (u > 0): convexity / concavity, tangents at 0 and 1.
    assert isinstance(decide(sp.exp(x) - 1 - x, ">="), nra.Proof)
    assert isinstance(decide(u - 1 - sp.log(u), ">="), nra.Proof)
    # exp(x) >= 1 + x + x^2/2 is false at x = -1 (0.3679 < 0.5): never a proof.
    assert not isinstance(decide(sp.exp(x) - 1 - x - x**2 / 2, ">="), nra.Proof)


def test_gibbs_and_entropy_bounds() -> None:
    # KL of two Bernoullis >= 0; binary entropy <= log 2, with equality at p = 1/2 (so not strictly).
    kl = p * (sp.log(p) - sp.log(q)) + (1 - p) * (sp.log(1 - p) - sp.log(1 - q))
    assert isinstance(decide(kl, ">=", UNIT), nra.Proof)
    gap = sp.log(2) + p * sp.log(p) + (1 - p) * sp.log(1 - p)
    assert isinstance(decide(gap, ">=", UNIT), nra.Proof)
    assert not isinstance(decide(gap, ">", UNIT), nra.Proof)


def test_log_sum_exp_bounds_by_max_cases() -> None:
    # max(a, b) <= log(e^a + e^b) <= max(a, b) + log 2; not <= max(a, b) (a = b = 0: log 2 > 0).
    lse = sp.log(sp.exp(a) + sp.exp(b))
    assert isinstance(decide(lse - sp.Max(a, b), ">="), nra.Proof)
    assert isinstance(decide(sp.Max(a, b) + sp.log(2) - lse, ">="), nra.Proof)
    assert not isinstance(decide(sp.Max(a, b) - lse, ">="), nra.Proof)


def test_a_log_of_a_term_not_proved_positive_is_not_used() -> None:
    # log(x) for real x: nothing sound to say (x may be <= 0), so no proof of log(x)^2 >= 0 this way.
    assert decide(sp.log(x) ** 2 + 1, ">") is None


def test_abs_and_max_are_split_exactly() -> None:
    # |a + b| <= |a| + |b|; |a + b| = |a| + |b| fails at a = 1, b = -1.
    assert isinstance(decide(sp.Abs(a) + sp.Abs(b) - sp.Abs(a + b), ">="), nra.Proof)
    assert not isinstance(decide(sp.Abs(a) + sp.Abs(b) - sp.Abs(a + b), "="), nra.Proof)


def test_hypotheses_that_are_not_linear() -> None:
    # a*b = 1 implies (a + b)^2 >= 4 ((a - b)^2 >= 0 and (a + b)^2 = (a - b)^2 + 4ab); not a + b >= 2 (a = b = -1).
    assert nra.confirm_under(((a + b) ** 2, ">=", sp.Integer(4)), [sp.Eq(a * b, 1)], Facts()) is not None
    assert nra.confirm_under((a + b, ">=", sp.Integer(2)), [sp.Eq(a * b, 1)], Facts()) is None


def test_an_integer_is_relaxed_to_a_real_soundly() -> None:
    # n^2 >= n holds for every integer n but not for n = 1/2: the relaxation may fail to prove it, never errs.
    n = sp.Symbol("n", integer=True)
    assert not isinstance(decide(n**2 - n - 1, ">="), nra.Proof)    # false at n = 0: -1


def test_a_sum_of_nonnegative_terms() -> None:
    # sum_{j=1}^{n} w_j^2 >= 0 for n >= 0; sum_{j=1}^{n} w_j >= 0 is false (n = 1, w_1 = -1); with no fact on n
    # (Karr: n < 0 reverses the range and flips the sign) the first is not proved either.
    n = sp.Symbol("n", integer=True)
    j = sp.Symbol("j", integer=True)
    w = sp.IndexedBase("w", real=True)
    facts = Facts().add(sp.Ge(n, 0))
    assert isinstance(nra.decide(sp.Sum(w[j] ** 2, (j, 1, n)), ">=", facts), nra.Proof)
    assert not isinstance(nra.decide(sp.Sum(w[j], (j, 1, n)), ">=", facts), nra.Proof)
    assert not isinstance(nra.decide(sp.Sum(w[j] ** 2, (j, 1, n)), ">=", Facts()), nra.Proof)


def test_a_max_inside_a_sum_is_not_split_globally() -> None:
    # sum_{j=1}^{n} max(w_j, 0) >= sum_{j=1}^{n} w_j is true, but splitting "w_j >= 0" outside the sum would mean
    # nothing; the split is not made there (the claim may stay unproved, never proved by a wrong case split), and
    # sum_j max(w_j, 0) <= 0 is false (n = 1, w_1 = 1) and never proved.
    n = sp.Symbol("n", integer=True)
    j = sp.Symbol("j", integer=True)
    w = sp.IndexedBase("w", real=True)
    facts = Facts().add(sp.Ge(n, 1))
    assert not isinstance(nra.decide(-sp.Sum(sp.Max(w[j], 0), (j, 1, n)), ">=", facts), nra.Proof)


ATOMS = [x, y, sp.exp(x), sp.exp(-y), sp.log(1 + sp.exp(x)), sp.Max(x, y), sp.Abs(x - y), sp.log(2)]


def _false_by_construction(coeffs: list[int], picks: list[tuple[int, int]], r: sp.Rational) -> sp.Expr:
    """``q - q(0, 0) - r`` for a polynomial ``q`` in the atoms: at x = y = 0 it is exactly ``-r < 0``."""
    q = sp.Add(*[c * ATOMS[i] * ATOMS[k] for c, (i, k) in zip(coeffs, picks, strict=False)])
    return q - q.subs({x: 0, y: 0}) - r


def test_false_by_construction_is_never_proved() -> None:
    # Each e below is -r < 0 at x = y = 0, so "e >= 0" is false: no proof, whatever the solver answers.
    from hypothesis import given, settings
    from hypothesis import strategies as st

    @settings(max_examples=40, deadline=None)
    @given(st.lists(st.integers(-3, 3), min_size=1, max_size=4),
           st.lists(st.tuples(st.integers(0, len(ATOMS) - 1), st.integers(0, len(ATOMS) - 1)), min_size=4,
                    max_size=4),
           st.fractions(min_value=sp.Rational(1, 100), max_value=5).map(lambda f: sp.Rational(f.numerator,
                                                                                                f.denominator)))
    def check(coeffs: list[int], picks: list[tuple[int, int]], r: sp.Rational) -> None:
        e = _false_by_construction(coeffs, picks, r)
        assert not isinstance(nra.decide(normal(e, Facts()), ">=", Facts(), budget_ms=300), nra.Proof)

    check()


def test_cauchy_schwarz_over_sums() -> None:
    # (sum_j w_j)^2 <= n sum_j w_j^2 for n >= 0 (Cauchy-Schwarz with ones); not (sum w)^2 <= sum w^2 (n = 2,
    # w = (1, 1): 4 > 2).
    n = sp.Symbol("n", integer=True)
    j = sp.Symbol("j", integer=True)
    w = sp.IndexedBase("w", real=True)
    facts = Facts().add(sp.Ge(n, 0))
    s, s2 = sp.Sum(w[j], (j, 1, n)), sp.Sum(w[j] ** 2, (j, 1, n))
    assert isinstance(nra.decide(n * s2 - s**2, ">=", facts), nra.Proof)
    assert not isinstance(nra.decide(s2 - s**2, ">=", facts), nra.Proof)


def test_one_term_of_a_sum_of_nonnegative_terms() -> None:
    # log(sum_j e^{x_j}) >= x_k for 1 <= k <= n; for k outside the range (k = n + 1) the term is not in the sum,
    # and the claim fails (n = 1, x_1 = 0, x_2 = 1: 0 < 1): not proved there.
    n = sp.Symbol("n", integer=True)
    j, k = sp.symbols("j k", integer=True)
    v = sp.IndexedBase("v", real=True)
    lse = sp.log(sp.Sum(sp.exp(v[j]), (j, 1, n)))
    inside = Facts().add(sp.Ge(n, 1)).add(sp.Ge(k, 1)).add(sp.Le(k, n))
    assert isinstance(nra.decide(normal(lse - v[k], inside), ">=", inside), nra.Proof)
    outside = Facts().add(sp.Ge(n, 1)).add(sp.Eq(k, n + 1))
    assert not isinstance(nra.decide(normal(lse - v[k], outside), ">=", outside), nra.Proof)


# -- a partial operation constrains only where it is evaluated (issue 17, class 1) ------------------------------

def test_a_square_root_in_a_branch_not_taken_leaves_the_domain_whole() -> None:
    # Piecewise((sqrt(x), x >= 0), (-sqrt(-x), True)) is -2 at x = -4: ">= 0" is false, "<= 0" too (x = 4: 2).
    signed_root = sp.Piecewise((sp.sqrt(x), x >= 0), (-sp.sqrt(-x), True))
    assert not isinstance(decide(signed_root, ">="), nra.Proof)
    assert not isinstance(decide(-signed_root, ">="), nra.Proof)
    # x * signed_root >= 0: x >= 0 gives x*sqrt(x) >= 0, x < 0 gives x*(-sqrt(-x)) >= 0; by hand.
    assert isinstance(decide(x * signed_root, ">="), nra.Proof)
    # signed_root^2 = |x|: sqrt(x)^2 = x for x >= 0, sqrt(-x)^2 = -x for x < 0.
    assert isinstance(decide(signed_root**2 - sp.Abs(x), "="), nra.Proof)


def test_a_square_root_in_a_later_condition_holds_only_after_the_earlier_ones_fail() -> None:
    # Piecewise((-1, x < 0), (1, sqrt(x) >= 1), (0, True)) is -1 at x = -1: ">= 0" is false (the square root is
    # never evaluated there); ">= -1" is true (every value is -1, 1 or 0).
    e = sp.Piecewise((-1, x < 0), (1, sp.sqrt(x) >= 1), (0, True))
    assert not isinstance(decide(e, ">="), nra.Proof)
    assert isinstance(decide(e + 1, ">="), nra.Proof)


def test_a_square_root_inside_two_nested_branches() -> None:
    # Piecewise((Piecewise((sqrt(x - 1), x >= 1), (0, True)), x >= 0), (x, True)) is -3 at x = -3: ">= 0" false.
    e = sp.Piecewise((sp.Piecewise((sp.sqrt(x - 1), x >= 1), (0, True)), x >= 0), (x, True))
    assert not isinstance(decide(e, ">="), nra.Proof)
    # e >= min(x, 0): for x < 0 it is x, for 0 <= x < 1 it is 0, for x >= 1 it is sqrt(x - 1) >= 0; by hand.
    assert isinstance(decide(e - sp.Min(x, 0), ">="), nra.Proof)


def test_a_logarithm_in_a_branch_needs_a_positive_argument_only_there() -> None:
    # Piecewise((log(x), x > 0), (x, True)): at x = -2 it is -2 and at x = 1/10 it is log(1/10) = -2.30: ">= -1"
    # is false; "< x + 1" holds everywhere (log(x) <= x - 1 < x + 1 for x > 0, and x < x + 1), by hand.
    e = sp.Piecewise((sp.log(x), x > 0), (x, True))
    assert not isinstance(decide(e + 1, ">="), nra.Proof)
    assert isinstance(decide(x + 1 - e, ">"), nra.Proof)
    # The top-level log(x) of a real x is still not translated (nothing sound to say where x <= 0).
    assert decide(sp.log(x) ** 2 + 1, ">") is None


def test_a_piecewise_without_an_otherwise_branch_is_claimed_only_where_a_condition_holds() -> None:
    # Piecewise((x, x > 0), (-x, x < 0)) is undefined at 0 and |x| > 0 elsewhere: "> 0" holds where it is defined.
    # Inside a branch not taken it restricts nothing: Piecewise((1, x < 0), (Piecewise((x, x > 0)), True)) is
    # undefined only at 0 and equals 1 for x < 0, x for x > 0; ">= 1" fails at x = 1/2.
    assert isinstance(decide(sp.Piecewise((x, x > 0), (-x, x < 0)), ">"), nra.Proof)
    inner = sp.Piecewise((1, x < 0), (sp.Piecewise((x, x > 0)), True))
    assert isinstance(decide(inner, ">"), nra.Proof)
    assert not isinstance(decide(inner - 1, ">="), nra.Proof)


def test_the_ranges_of_bounded_functions() -> None:
    # atan(x) in (-pi/2, pi/2), tanh(x) in (-1, 1), asin(x) in [-pi/2, pi/2], acos(x) in [0, pi] (principal
    # branches, by hand); so atan(x) + atan(y) < pi and pi/2 - atan(x) > 0, and asin(x) + acos(y) <= 3*pi/2.
    assert isinstance(decide(sp.pi / 2 - sp.atan(x), ">"), nra.Proof)
    assert isinstance(decide(sp.atan(x) + sp.pi / 2, ">"), nra.Proof)
    assert isinstance(decide(sp.pi - sp.atan(x) - sp.atan(y), ">"), nra.Proof)
    assert isinstance(decide(1 - sp.tanh(x), ">"), nra.Proof)
    assert isinstance(decide(3 * sp.pi / 2 - sp.asin(x) - sp.acos(y), ">="), nra.Proof)
    assert isinstance(decide(sp.acos(x), ">="), nra.Proof)
    # False ones are never proved: atan(15) = 1.5042 > 3/2 and atan(10^4) = 1.5707 > 157/100 (mpmath); tanh(3) =
    # 0.995 > 99/100; acos(-1) = pi > 3; asin(x) > 0 fails at x = -1/2.
    assert not isinstance(decide(sp.Rational(3, 2) - sp.atan(x), ">"), nra.Proof)
    assert not isinstance(decide(sp.Rational(157, 100) - sp.atan(x), ">"), nra.Proof)
    assert not isinstance(decide(sp.Rational(99, 100) - sp.tanh(x), ">"), nra.Proof)
    assert not isinstance(decide(3 - sp.acos(x), ">="), nra.Proof)
    assert not isinstance(decide(sp.asin(x), ">"), nra.Proof)

"""The sum and product rules (:mod:`verifier.kernel.sums`): empty ranges are 0 (products 1), never Karr's convention;
every rule sound for symbolic bounds where the range may be empty; bounds must be integers.

Each truth is established without the kernel: by hand (written beside it), or by plain SymPy ``doit`` on concrete
numbers after empty ranges are set to 0 (:func:`test_rules.plain_value`).
"""

from __future__ import annotations

import pytest
import sympy as sp
from kernel.test_rules import BASE, FAMILIES, GE, LE, F, K, Z, differ, g, j, k, m, make_facts, plain_value, v, w, x

from verifier.kernel import evaluation, sums
from verifier.kernel import identity as kernel_identity
from verifier.kernel.rules import Facts, normal

R = sp.Rational
n0 = sp.Symbol("n", integer=True, nonnegative=True)


def identity(lhs: sp.Expr, rhs: sp.Expr, *hyps: sp.Basic) -> kernel_identity.Confirmed | None:
    return kernel_identity.confirm_identity(lhs, rhs, make_facts(*BASE, *hyps, families=FAMILIES))


def at(lhs: sp.Expr, op: str, rhs: sp.Expr, point: dict, *hyps: sp.Basic) -> evaluation.PointCheck | None:
    return evaluation.confirm_at_point((lhs, op, rhs), list(hyps), point, make_facts(families=FAMILIES))


# -- empty ranges -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("size", range(-4, 5))
def test_write_out_is_empty_below_one(size: int) -> None:
    """f(1) + ... + f(n), and 0 for n <= 0 (by hand: the terms j*v[j] for j = 1..n)."""
    expected = sp.Add(*[t * v[t] for t in range(1, size + 1)])
    assert sp.expand(sums.write_out(v[j] * j, j, size) - expected) == 0


@pytest.mark.parametrize("size", range(-3, 4))
def test_write_out_product_is_one_when_empty(size: int) -> None:
    expected = sp.Mul(*[v[t] for t in range(1, size + 1)])     # by hand; the empty product is 1
    assert sums.write_out_product(v[j], j, size) == expected


@pytest.mark.parametrize("lo, hi, expected", [
    (1, 3, 2 * v[1] + 3 * v[2] + 4 * v[3]),       # by hand: (j + 1) * v[j] for j = 1, 2, 3
    (3, 1, 0), (0, -3, 0), (5, 4, 0),             # empty
    (-2, 0, -v[-2] + v[0] * 1),                   # j = -2: -1*v[-2]; j = -1: 0; j = 0: v[0]
])
def test_normal_form_of_numeric_sums(lo: int, hi: int, expected: sp.Expr) -> None:
    s = sp.Sum(v[j] * (j + 1), (j, lo, hi))
    assert sp.expand(normal(s, Facts()) - expected) == 0
    assert sp.expand(plain_value(s, {}) - expected) == 0          # the referee agrees


def test_numeric_products() -> None:
    assert normal(sp.Product(j, (j, 1, 4)), Facts()) == 24                  # 4! by hand
    assert normal(sp.Product(v[j], (j, 3, 1)), Facts()) == 1                # empty
    # n = 20 lies in -2..20, so the factor i = 20 is 0 (by hand)
    assert normal(sp.Product(20 - j, (j, -2, 20)), Facts()) == 0


def test_sum_known_to_be_empty_is_zero() -> None:
    facts = make_facts(LE(Z, 0))
    assert normal(sp.Sum(v[j], (j, 1, Z)), facts) == 0
    assert normal(sp.Sum(v[j], (j, 5, Z + 4)), facts) == 0


def test_a_sum_normalised_before_is_served_only_under_the_same_facts() -> None:
    # A sum's normal form is computed once per process for the same sum under the same facts. Under Z <= 0 the sum
    # is empty (0); with nothing known of Z it is not (at Z = 1 it is v[1]): the second answer must not be the first.
    s = sp.Sum(v[j], (j, 1, Z))
    assert normal(s, Facts()) != 0
    assert normal(s, make_facts(LE(Z, 0))) == 0
    assert normal(s, Facts()).has(sp.Sum)


def test_sum_constant_needs_a_nonnegative_size() -> None:
    assert sums.sum_constant(x, m, make_facts(GE(m, 0))) == m * x
    out = sums.sum_constant(x, Z, Facts())
    assert isinstance(out, sp.Piecewise)
    assert out.subs(Z, -1) == 0 and out.subs(Z, 3) == 3 * x      # Sum(x, (j, 1, -1)) = 0, (j, 1, 3) = 3x


def test_shift_to_one() -> None:
    f, top = sums.shift_to_one(v[j], j, sp.Integer(3), K)
    assert f == v[j + 2] and top == K - 2


def test_collapse_delta_keeps_the_range_condition() -> None:
    out = sums.collapse_delta(v[j], j, k, K)
    assert isinstance(out, sp.Piecewise)
    assert out.args[0][0] == v[k] and out.args[1] == (0, True)
    assert normal(out, make_facts(GE(k, 1), LE(k, K))) == v[k]
    assert normal(out, make_facts(GE(k, K + 1))) == 0
    # for a negative size no k passes the condition: the sum is empty (by hand)
    assert out.subs({K: -1, k: 0}) == 0 and out.subs({K: -1, k: -1}) == 0


def test_peel_needs_a_nonnegative_size() -> None:
    e = sp.Sum(v[j], (j, 1, Z + 2)) - sp.Sum(v[j], (j, 1, Z))
    assert sums.peel(e, Facts(), front=False) == e                  # Z may be -1: not peeled
    peeled = sums.peel(e, make_facts(GE(Z, 0)), front=False)
    assert sp.expand(peeled - v[Z + 1] - v[Z + 2]) == 0


@pytest.mark.parametrize("summand, top, hyps, expected", [
    (w[j], K, [], True),
    (w[j + 1], K, [], False),           # at j = 0 the entry w[1] may be nonzero
    (w[j - 1], K, [], False),           # at j = K + 1 the entry w[K] may be nonzero
    (w[j - 1], K + 1, [], True),
    (w[K - j + 1], K, [], True),        # reversed
    (v[j], K, [], False),               # no range
    (F[j], m, [], False),               # m may be 0 while F[1] is not
    (F[j], m, [GE(m, 1)], True),
    (w[j] / v[j], K, [], False),        # 0 / v[j] is undefined where v[j] = 0: not "0 outside"
])
def test_vanishes_outside(summand: sp.Expr, top: sp.Expr, hyps: list, expected: bool) -> None:
    facts = make_facts(*BASE, *hyps, families=FAMILIES)
    assert sums.vanishes_outside(summand, j, top, facts) is expected


def test_finite_support() -> None:
    facts = make_facts(families=FAMILIES)
    assert sums.finite_support(g[j] * v[j], j, facts)
    assert sums.finite_support(g[3 - j] ** 2, j, facts)
    assert not sums.finite_support(v[j], j, facts)
    assert not sums.finite_support(1 / g[j], j, facts)
    assert not sums.finite_support(g[2 * j], j, facts)


# -- the examples, proved or not, and at points ---------------------------------------------------------


def test_peel_two_at_k_one_is_false() -> None:
    lhs, rhs = sp.Sum(v[j], (j, 1, K - 2)), sp.Sum(v[j], (j, 1, K)) - v[K - 1] - v[K]
    # K = 1: left side empty, 0; right side v[1] - v[0] - v[1] = -v[0] = -7 (by hand)
    point = {K: 1, v[0]: 7, v[1]: 3}
    assert plain_value(lhs, point) == 0 and plain_value(rhs, point) == -7
    assert identity(lhs, rhs) is None
    check = at(lhs, "=", rhs, point)
    assert check is not None and not check.holds and check.lhs == 0 and check.rhs == -7
    assert identity(lhs, rhs, GE(K, 2)) is not None


@pytest.mark.parametrize("top", [-1, -2, -5])
def test_negative_sizes_are_empty_at_points(top: int) -> None:
    # Sum(x, (j, 1, top)) for top < 0: empty, 0; Karr's convention would give top * x
    check = at(sp.Sum(x, (j, 1, Z)), "=", Z * x, {Z: top, x: 1})
    assert check is not None and not check.holds and check.lhs == 0 and check.rhs == top


def test_summand_simplified_in_its_range_is_not_used_where_it_is_empty() -> None:
    lhs = sp.Sum(sp.Piecewise((1 / n0, n0 > 0), (5, True)), (j, 1, n0))
    # n = 0: the sum is empty, 0 (by hand); n = 3: three terms 1/3, sum 1
    assert plain_value(lhs, {n0: 0}) == 0 and plain_value(lhs, {n0: 3}) == 1
    assert identity(lhs, sp.Integer(1)) is None
    assert identity(lhs, sp.Integer(1), GE(n0, 1)) is not None
    check = at(lhs, "=", sp.Integer(1), {n0: 0})
    assert check is not None and not check.holds and check.lhs == 0


def test_a_summand_undefined_at_an_empty_size_does_not_leave_the_sum() -> None:
    # Issue 17, class 5: Sum(2/n, (j, 1, n)) is 0 at n = 0 (empty: the summand is never evaluated) and 2 at n >= 1,
    # by hand; n * (2/n) = 2 would say 2 at n = 0 too.
    lhs = sp.Sum(2 / n0, (j, 1, n0))
    assert plain_value(lhs, {n0: 0}) == 0 and plain_value(lhs, {n0: 3}) == 2
    assert identity(lhs, sp.Integer(2)) is None
    assert identity(lhs, sp.Integer(2), GE(n0, 1)) is not None
    check = at(lhs, "=", sp.Integer(2), {n0: 0})
    assert check is not None and not check.holds and check.lhs == 0
    out = sums.sum_constant(2 / n0, n0, make_facts(GE(n0, 0)))
    assert isinstance(out, sp.Piecewise) and out.subs(n0, 0) == 0 and out.subs(n0, 4) == 2


@pytest.mark.parametrize("summand, rhs", [
    (2 / n0, sp.Integer(2)),                    # n = 0: 0, not 2
    (j / n0, (n0 + 1) / 2),                     # n = 0: 0, not 1/2; n >= 1: (n(n + 1)/2)/n
    (v[j] / n0 + 1 / n0, sp.Sum(v[j], (j, 1, n0)) / n0 + 1),      # n = 0: 0 on the left, 0/0 on the right
    (sp.log(n0), n0 * sp.log(n0)),              # n = 0: 0, and 0*log(0) is undefined
])
def test_a_factor_undefined_at_an_empty_size_is_never_taken_out(summand: sp.Expr, rhs: sp.Expr) -> None:
    # Each identity holds for n >= 1 (by hand, above) and fails at n = 0, where the left sum is empty, 0.
    lhs = sp.Sum(summand, (j, 1, n0))
    assert plain_value(lhs, {n0: 0}) == 0
    assert identity(lhs, rhs) is None
    assert identity(lhs, rhs, GE(n0, 1)) is not None


@pytest.mark.parametrize("lo, hi", [(R(1, 2), R(3, 2)), (sp.Integer(1), R(5, 2)), (x, sp.Integer(3))])
def test_non_integer_bounds_decide_nothing(lo: sp.Expr, hi: sp.Expr) -> None:
    s = sp.Sum((-1) ** (2 * j), (j, lo, hi))
    assert not sums.well_formed(s)
    for value in (2, -2, 0, 1, 3):
        assert identity(s, sp.Integer(value)) is None
        assert at(s, "=", sp.Integer(value), {x: 1}) is None
    assert kernel_identity.confirm_sign(s, make_facts(), strict=False) is None


def test_half_integer_bounds_value_by_hand() -> None:
    # the class 10: over j = 1/2, 3/2 the terms (-1)^(2j) are (-1)^1 = -1 and (-1)^3 = -1, total -2; a
    # reading with an integer index gives 2. The kernel proves neither.
    terms = [(-1) ** (2 * R(1, 2)), (-1) ** (2 * R(3, 2))]
    assert sum(terms) == -2
    s = sp.Sum((-1) ** (2 * j), (j, R(1, 2), R(3, 2)))
    assert identity(s, sp.Integer(2)) is None and identity(s, sp.Integer(-2)) is None


def test_sum_of_a_family_over_all_integers_still_widens() -> None:
    # w is 0 outside 1..K: Sum(w[j], (j, 0, K + 3)) = Sum(w[j], (j, 1, K)) (by hand: the extra entries are 0)
    assert identity(sp.Sum(w[j], (j, 0, K + 3)), sp.Sum(w[j], (j, 1, K))) is not None
    point = {K: 2, w[1]: 1, w[2]: 2}
    assert not differ(sp.Sum(w[j], (j, 0, K + 3)), sp.Sum(w[j], (j, 1, K)), point, FAMILIES)


# -- every rule where the range may be empty: FALSE rows (never proved, refuted at the point) and TRUE rows ---------

#: (name, lhs, rhs, point where they differ). Z is an integer of any sign, m >= 0; each value by hand.
EMPTY_FALSE = [
    # split: Sum(1..Z) + Sum(Z+1..K) = Sum(1..K) needs 0 <= Z <= K; at Z = 3, K = 1: 6 + 0 vs 1 (v[j] = j)
    ("split at a bound beyond the range", sp.Sum(v[j], (j, 1, Z)) + sp.Sum(v[j], (j, Z + 1, K)),
     sp.Sum(v[j], (j, 1, K)), {Z: 3, K: 1, v[1]: 1, v[2]: 2, v[3]: 3}),
    # Karr: Sum(K..1) = -Sum(2..K-1); at K = 3 the left side is empty (0), the right side -v[2] = -2
    ("Karr reversal", sp.Sum(v[j], (j, K, 1)), -sp.Sum(v[j], (j, 2, K - 1)), {K: 3, v[2]: 2}),
    # linearity with a constant: Sum(x + v[j], (j, 1, Z)) = Z*x + Sum(v[j]); at Z = -1: 0 vs -x = -1
    ("constant pulled out for a negative size", sp.Sum(x + v[j], (j, 1, Z)), Z * x + sp.Sum(v[j], (j, 1, Z)),
     {Z: -1, x: 1}),
    # peel front: Sum(1..Z+1) = v[1] + Sum(v[j+1], 1..Z); at Z = -1: 0 vs v[1] = 1
    ("peel front for a negative size", sp.Sum(v[j], (j, 1, Z + 1)), v[1] + sp.Sum(v[j + 1], (j, 1, Z)),
     {Z: -1, v[1]: 1}),
    # class 9 with an indicator: Sum(Piecewise((1, j <= Z), (0, True)), 1..Z) is max(Z, 0); at Z = -1: 0 vs -1
    ("indicator summand, negative size", sp.Sum(sp.Piecewise((1, j <= Z), (0, True)), (j, 1, Z)), Z, {Z: -1}),
    # a constant summand simplified under n >= 1 then times n: at n = 0 the sum is 0, not 2
    ("constant simplified in range", sp.Sum(sp.Piecewise((2 / n0, n0 >= 1), (7, True)), (j, 1, n0)),
     sp.Integer(2), {n0: 0}),
]


@pytest.mark.parametrize("name, lhs, rhs, point", EMPTY_FALSE, ids=[r[0] for r in EMPTY_FALSE])
def test_rules_where_the_range_may_be_empty_false(name: str, lhs: sp.Expr, rhs: sp.Expr, point: dict) -> None:
    assert differ(lhs, rhs, point, FAMILIES), name          # the referee: plain SymPy, empty ranges 0
    assert identity(lhs, rhs) is None and identity(rhs, lhs) is None
    check = at(lhs, "=", rhs, point)
    assert check is not None and not check.holds


EMPTY_TRUE = [
    # Sum(1..Z) is max(Z, 0): with the Piecewise written out, an identity for every integer Z (by hand)
    ("size of any sign", sp.Sum(sp.Integer(1), (j, 1, Z)), sp.Piecewise((Z, Z >= 0), (0, True)), []),
    # m >= 0: the indicator of j <= m is 1 on the whole range: m terms of 1 (by hand; m = 0 gives 0 = 0)
    ("indicator, nonnegative size", sp.Sum(sp.Piecewise((1, j <= m), (0, True)), (j, 1, m)), m, []),
    # delta with the index in range, any size: the condition 1 <= k <= Z is a hypothesis (by hand)
    ("delta, size of any sign", sp.Sum(v[j] * sp.KroneckerDelta(j, k), (j, 1, Z)), v[k], [GE(k, 1), LE(k, Z)]),
    # Z <= 0: every sum over 1..Z is empty (by hand)
    ("known empty", sp.Sum(v[j] * x, (j, 1, Z)) + sp.Product(v[j], (j, 1, Z)), sp.Integer(1), [LE(Z, 0)]),
]


@pytest.mark.parametrize("name, lhs, rhs, hyps", EMPTY_TRUE, ids=[r[0] for r in EMPTY_TRUE])
def test_rules_where_the_range_may_be_empty_true(name: str, lhs: sp.Expr, rhs: sp.Expr, hyps: list) -> None:
    for value in range(-3, 4):      # the referee agrees at every size the hypotheses allow, k = 1
        point = {Z: value, m: max(value, 0), k: 1, x: 3, **{v[t]: t + 5 for t in range(-3, 5)}}
        if all(bool(h.xreplace(point)) for h in hyps):
            assert not differ(lhs, rhs, point, FAMILIES), (name, value)
    assert identity(lhs, rhs, *hyps) is not None


def test_sums_with_several_limits() -> None:
    i = sp.Dummy("i", integer=True)
    # SymPy folds Sum(Sum(f, (i, ...)), (j, ...)) into one Sum with two limits; each limit is a rule's own sum
    inner_depends = sp.Sum(sp.Sum(1, (i, 1, j - 2)), (j, 1, 3))
    assert len(inner_depends.limits) == 2
    assert normal(inner_depends, Facts()) == 1      # j = 1, 2: empty; j = 3: one term (by hand)
    double = sp.Sum(v[i] * v[j], (i, 1, Z), (j, 1, Z))
    # (v[1] + ... + v[Z])^2 for Z >= 1 and 0 = 0^2 for Z <= 0 (by hand)
    assert identity(double, sp.Sum(v[j], (j, 1, Z)) ** 2) is not None
    point = {Z: 2, v[1]: 2, v[2]: 3}
    assert plain_value(double, point) == 25
    check = at(double, "=", sp.Integer(25), point)
    assert check is not None and check.holds


def test_polynomial_sums_in_closed_form_only_for_a_size_known_nonnegative() -> None:
    """Sum(j, (j, 1, n)) = n(n + 1)/2 for n >= 0 (at n = 3: 1 + 2 + 3 = 6 = 3*4/2); for n = -2 the sum is empty
    (0) while n(n + 1)/2 = 1, so without n >= 0 there is no closed form. Sum(j^2 + c*j, (j, 1, n)) =
    n(n + 1)(2n + 1)/6 + c n(n + 1)/2 (at n = 2, c = 1: 1 + 1 + 4 + 2 = 8 = 5 + 3)."""
    n = sp.Symbol("n", integer=True)
    c = sp.Symbol("c", real=True)
    nonneg = Facts().add(sp.Ge(n, 0, evaluate=False))
    assert sums.polynomial_sum(j, j, n, nonneg) == sp.expand(n * (n + 1) / 2)
    assert sums.polynomial_sum(j, j, n, Facts()) is None
    closed = sums.polynomial_sum(j**2 + c * j, j, n, nonneg)
    assert closed is not None and closed.subs({n: 2, c: 1}) == 8
    assert sums.polynomial_sum(v[j] * j, j, n, nonneg) is None        # an entry depends on j: not a polynomial


def test_a_summand_that_mentions_its_size_is_not_summed_in_closed_form() -> None:
    """Sum(j/n, (j, 1, n)) is (n + 1)/2 for n >= 1 but 0 (empty) at n = 0, where (n + 1)/2 = 1/2 (by hand): the
    closed form would meet n/n, which SymPy cancels even at n = 0."""
    n = sp.Symbol("n", integer=True)
    assert sums.polynomial_sum(j / n, j, n, Facts().add(sp.Ge(n, 0, evaluate=False))) is None

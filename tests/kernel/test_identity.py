"""Tests of verifier.kernel.identity: signs and identities for every allowed value, instances of a bounded check,
and SymPy's known failure modes (leaked bound indices, lost Piecewise conditions, branch cuts, tiny differences).

Every FALSE row asserts that the kernel returns ``None`` (never a confirmation).
"""

from __future__ import annotations

import pytest
import sympy as sp
from kernel.test_evaluation import at
from kernel.test_rules import FAMILIES, GE, LE, K, N, a, b, g, i, k, make_facts, p, sigma, v, x, y, z

from verifier import kernel
from verifier.kernel import evaluation, identity
from verifier.kernel.facts import Facts

R = sp.Rational
c = sp.Symbol("c", complex=True)
j = sp.Dummy("j", integer=True)


# -- confirm_sign ------------------------------------------------------------------------------------------------

# (expression, strict, hypotheses): the expression is > 0 (strict) or >= 0 for every allowed value (where defined).
SIGN_TRUE = [
    (sigma(z), True, []),
    (1 - sigma(z), True, []),
    (sp.diff(sigma(z), z), True, []),
    (sp.exp(x) + x ** 2, True, []),
    (p + x ** 2, True, []),
    (1 / (1 + x ** 2), True, []),
    (1 / x ** 2, True, []),                       # where defined (x != 0)
    (x ** 2, False, []),
    (x ** 2 * y ** 4 + 3 * sp.exp(y), True, []),
    (p ** x, True, []),                           # a positive base to a real power
    (sp.exp(1) - R(2718281828, 10 ** 9), True, []),
    (sp.exp(-50), True, []),
    (x - x, False, []),
    (K - 1, False, []),                           # a linear fact: K >= 1
    (sp.Integer(0), False, []),
]

SIGN_FALSE = [
    # (expression, strict, point where it fails)
    (x ** 2, True, {x: 0}),                       # an even power of a real is 0 where the base is
    (x ** 2 + y ** 2, True, {x: 0, y: 0}),
    (x ** 2 * sp.exp(y), True, {x: 0, y: 0}),
    (x ** 2 / (1 + y ** 2), True, {x: 0, y: 0}),
    (x, False, {x: -1}),
    (sigma(z) - R(1, 2), True, {z: 0}),
    (sp.exp(x) - 1, False, {x: -1}),
    (x ** 4 - x ** 2, False, {x: R(1, 2)}),
    (x - x, True, {}),
    (sp.log(2) - R(693148, 10 ** 6), False, {}),
]


@pytest.mark.parametrize("e, strict, hyps", SIGN_TRUE, ids=[str(t[0]) for t in SIGN_TRUE])
def test_sign_confirmed(e: sp.Expr, strict: bool, hyps: list) -> None:
    assert identity.confirm_sign(e, make_facts(GE(K, 1), *hyps), strict=strict) is not None


@pytest.mark.parametrize("e, strict, point", SIGN_FALSE, ids=[str(t[0]) for t in SIGN_FALSE])
def test_sign_never_confirmed_when_false(e: sp.Expr, strict: bool, point: dict) -> None:
    value = sp.N(e.xreplace(point), 50)
    assert (value <= 0) if strict else (value < 0)
    assert identity.confirm_sign(e, Facts(), strict=strict) is None


def test_sign_of_a_sum_of_positive_terms() -> None:
    """A sum of positive terms is positive when it has a term (K >= 1); with K = 0 it is 0, and for K < 0 Karr's
    sum -(f(K + 1) + ... + f(0)) is negative."""
    m = sp.Symbol("m", integer=True)
    softmax = sp.exp(v[i]) / sp.Sum(sp.exp(v[j]), (j, 1, K))
    assert identity.confirm_sign(softmax, make_facts(GE(K, 1)), strict=True) is not None
    assert identity.confirm_sign(sp.Sum(sp.exp(v[j]), (j, 1, m)), make_facts(GE(m, 0)), strict=True) is None
    assert identity.confirm_sign(sp.Sum(sp.exp(v[j]), (j, 1, m)), Facts(), strict=False) is None
    assert identity.confirm_sign(sp.Sum(v[j] ** 2, (j, 1, K)), make_facts(GE(K, 1)), strict=True) is None
    assert identity.confirm_sign(sp.Sum(sp.exp(v[j]), (j, 0, m)), make_facts(GE(m, 0)), strict=True) is not None


@pytest.mark.parametrize("e", [sp.exp(c), p ** sp.I, p ** (x * sp.I), sp.exp(x) * sp.exp(c)])
def test_sign_of_complex_values_is_never_confirmed(e: sp.Expr) -> None:
    """exp(c) for complex c (c = i*pi gives -1) and p^I are not positive: ``expu`` atoms are only made of real
    arguments, and a positive base counts only with a real exponent."""
    assert identity.confirm_sign(e, Facts(), strict=True) is None
    assert identity.confirm_sign(e, Facts(), strict=False) is None


def test_confirm_instance_makes_the_instance_itself() -> None:
    """The bounded check's instance is substituted by the checker: a true instance is confirmed, a false one is not,
    and values that are not allowed integers are refused."""
    facts = make_facts(GE(K, 1), GE(k, 1), LE(k, K), families=FAMILIES)
    hyps = [GE(K, 1), GE(k, 1), LE(k, K)]
    off_by_one = (sp.Sum(v[j], (j, 1, K)), "=", sp.Sum(v[j], (j, 1, K - 1)))
    assert identity.confirm_instance(off_by_one, hyps, {K: 2, k: 1}, facts) is None
    peeled = (sp.Sum(v[j], (j, 1, K)), "=", sp.Sum(v[j], (j, 1, K - 1)) + v[K])
    assert identity.confirm_instance(peeled, hyps, {K: 3, k: 2}, facts) is not None
    outside = (g[N + 1] + sp.Sum(v[j] * sp.KroneckerDelta(j, k), (j, 1, K)), "=", v[k])
    assert identity.confirm_instance(outside, hyps, {K: 3, k: 2, N: 2}, facts) is not None
    assert identity.confirm_instance((sigma(z), ">", 0), [], {}, facts) is not None
    assert identity.confirm_instance(peeled, hyps, {K: R(1, 2)}, facts) is None        # not an integer
    assert identity.confirm_instance(peeled, hyps, {K: 0}, facts) is None              # K is declared positive
    assert identity.confirm_instance(peeled, hyps, {x: 1}, facts) is None              # x is not an integer name
    vacuous = identity.confirm_instance(off_by_one, hyps, {K: 2, k: 3}, facts)         # k <= K is false there
    assert vacuous is not None and "vacuous" in vacuous.method


# -- confirm_identity: guards against SymPy's failure modes -------------------------------------------------------


def test_leaked_bound_index_27359() -> None:
    """SymPy #27359: ``simplify`` of a Sum of Piecewise/KroneckerDelta returns ``x[i]`` with the summation index
    ``i`` free. Such a result is never confirmed equal to the sum; the correct value is, with the range fact."""
    ii, jj, nn = sp.symbols("i j n", integer=True)
    u = -sp.Sum(sp.Piecewise((sp.KroneckerDelta(ii, jj), v[ii] > 0), (0, True)), (ii, 1, nn))
    leaked = sp.simplify(u)
    facts = make_facts(GE(nn, 1), GE(jj, 1), LE(jj, nn))
    assert identity.confirm_identity(u, leaked, facts) is None
    assert identity.confirm_identity(u, -sp.Piecewise((1, v[jj] > 0), (0, True)), facts) is not None
    assert identity.confirm_identity(u, -sp.Piecewise((1, v[jj] > 0), (0, True)), make_facts(GE(nn, 1))) is None


def test_a_normal_form_that_leaks_a_name_is_not_trusted(monkeypatch: pytest.MonkeyPatch) -> None:
    """Defence in depth for #27359: if the rules ever returned a form with a new free name, it is not trusted even
    when it cancels."""
    leak = sp.Symbol("leak", integer=True)
    monkeypatch.setattr(identity, "normal", lambda e, facts: leak * (x + 1) - leak * x - leak)
    assert identity.confirm_identity(x, x + 1, Facts()) is None
    assert identity.confirm_sign(x, Facts(), strict=False) is None


def test_piecewise_conditions_are_kept_24072() -> None:
    """SymPy #24072: ``piecewise_fold``/``simplify`` dropped a term of a sum of Piecewise. The checker's normal form
    keeps every condition: the value at a = 1 is 3/2, and a result missing a term is never confirmed."""
    aa = sp.Symbol("a", positive=True)
    e = sp.Piecewise((1, aa <= 1), (0, True)) + sp.Piecewise((1, aa <= 1), (0, True)) / (2 * aa) \
        + sp.Piecewise((1, aa > 1), (0, True)) / aa
    assert evaluation.evaluate(e, {aa: sp.Integer(1)}, Facts()) == R(3, 2)
    dropped = sp.Piecewise((1, aa <= 1), (1 / aa, True))
    assert identity.confirm_identity(e, dropped, Facts()) is None
    check = at((e, "=", dropped), {aa: 1})
    assert check is not None and not check.holds


def test_piecewise_missing_condition_21481_25603() -> None:
    """SymPy #21481 / #25603: a simplified Piecewise lost part of an ``And`` condition. Such a result is not
    confirmed, and the point where it differs is a rigorous counterexample."""
    whole = sp.Piecewise((sp.log(x), (x <= 5) & (x > 3)), (x, True))
    lost = sp.Piecewise((sp.log(x), x <= 5), (x, True))
    assert identity.confirm_identity(whole, lost, Facts()) is None
    check = at((whole, "=", lost), {x: 1})
    assert check is not None and not check.holds and check.lhs == 1 and check.rhs == 0


@pytest.mark.parametrize("lhs, rhs", [
    (sp.log(a * b), sp.log(a) + sp.log(b)),           # a = b = -1: log(1) = 0, but log(-1) + log(-1) = 2*pi*I
    (sp.sqrt(x ** 2), x),                             # x = -1
    (sp.sqrt(a * b), sp.sqrt(a) * sp.sqrt(b)),        # a = b = -1: 1 vs -1
    ((x ** 2) ** R(1, 2), x),
    (sp.log(sp.exp(c)), c),                           # c = 2*pi*I
    (sp.sqrt(sp.exp(c)), sp.exp(c / 2)),
])
def test_branch_cuts_are_never_proved_for_real_or_complex_values(lhs: sp.Expr, rhs: sp.Expr) -> None:
    """Branch cuts: ``expand_log(force=True)`` and ``powsimp(force=True)`` would prove these; the checker must not
    (for real a, b and x, or complex c). For positive values proving is allowed."""
    assert identity.confirm_identity(lhs, rhs, Facts()) is None


def test_branch_cuts_for_positive_values() -> None:
    q = sp.Symbol("q", positive=True)
    assert identity.confirm_identity(sp.sqrt(p ** 2), p, Facts()) is not None
    assert identity.confirm_identity(sp.log(p * q), sp.log(p) + sp.log(q), Facts()) is not None


def test_tiny_differences_are_not_equalities_23086() -> None:
    """#23086 (named in the project's notes; see also SymPy #20733): a float evaluation can call a tiny nonzero
    number 0. Nothing here is confirmed equal, and the counterexample at a point is found exactly."""
    assert identity.confirm_identity(x + sp.exp(-100), x, Facts()) is None
    assert identity.confirm_identity(sp.log(1 + sp.exp(300)), sp.Integer(300), Facts()) is None
    assert identity.confirm_sign(sp.log(1 + sp.exp(300)) - 300, Facts(), strict=True) is not None


def test_an_identity_whose_left_side_is_defined_nowhere_holds_vacuously() -> None:
    nowhere = sp.Piecewise((1, sp.Ne(0, 0, evaluate=False)), evaluate=False)     # 0/0 as written: never defined
    confirmed = identity.confirm_identity(nowhere, sp.Integer(7), kernel.Facts())
    assert confirmed is not None and confirmed.method.startswith("vacuous")
    # Defined for x != 0, where it is 1, not 7: no confirmation.
    somewhere = sp.Piecewise((1, sp.Ne(x, 0, evaluate=False)), evaluate=False)
    assert identity.confirm_identity(somewhere, sp.Integer(7), kernel.Facts()) is None
    assert identity.confirm_identity(somewhere, sp.Integer(1), kernel.Facts()) is not None


@pytest.mark.parametrize("op", ["<", "<=", ">", ">=", "!="])
def test_an_inequality_whose_left_side_is_defined_nowhere_holds_vacuously(op: str) -> None:
    # 0/0 as written is defined at no point, so nothing is claimed, whatever the relation (section 2a).
    nowhere = sp.Piecewise((1, sp.Ne(0, 0, evaluate=False)), evaluate=False)
    confirmed = identity.confirm_relation((nowhere, op, sp.Integer(7)), kernel.Facts())
    assert confirmed is not None and confirmed.method.startswith("vacuous")
    # Defined for x != 0, where it is 1 < 7: not vacuous, and 1 >= 7 is never confirmed.
    somewhere = sp.Piecewise((1, sp.Ne(x, 0, evaluate=False)), evaluate=False)
    assert identity.confirm_relation((somewhere, ">=", sp.Integer(7)), kernel.Facts()) is None


def test_a_reciprocal_of_tan_defined_where_cot_is_on_an_interval_without_poles() -> None:
    # On 0 < t < 1 (inside (0, pi/2), by hand) cot(t) and 1/tan(t) are both defined and equal: 1/tan(t) is defined
    # wherever cot(t) is. On 0 < t < 2, t = pi/2 (1.5708) is allowed: cot(pi/2) = 0 is defined, tan(pi/2) is not.
    t = sp.Symbol("t", real=True)
    inside = Facts().add(sp.Gt(t, 0)).add(sp.Lt(t, 1))
    assert identity.defined_where(1 / sp.tan(t), sp.cot(t), inside)
    assert identity.confirm_identity(sp.cot(t), 1 / sp.tan(t), inside) is not None
    wider = Facts().add(sp.Gt(t, 0)).add(sp.Lt(t, 2))
    assert not identity.defined_where(1 / sp.tan(t), sp.cot(t), wider)
    assert identity.confirm_identity(sp.cot(t), 1 / sp.tan(t), wider) is None

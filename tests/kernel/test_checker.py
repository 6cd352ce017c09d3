"""The trusted checker (:mod:`verifier.kernel.checker`): signs, points, SymPy's known failure modes, and proposals from
the untrusted strategies that are wrong on purpose.

Every FALSE row asserts that the checker returns ``None`` (never a confirmation); every point that is not allowed
(violates a hypothesis or a declaration, or gives a value to something that is not a name) is rejected outright.
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import pytest
import sympy as sp
from kernel.test_rules import FAMILIES, GE, LE, NE, K, N, a, b, g, i, k, make_facts, p, sigma, v, x, y, z

from verifier import kernel
from verifier.frontend.library import load_library
from verifier.kernel import evaluation, identity
from verifier.kernel.facts import Facts
from verifier.search import engine, strategies
from verifier.search.engine import verify_claim

R = sp.Rational
j = sp.Dummy("j", integer=True)
c = sp.Symbol("c", complex=True)

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


# -- confirm_at_point --------------------------------------------------------------------------------------------


def at(rel: tuple, point: dict, hyps: list | None = None, facts: Facts | None = None) -> evaluation.PointCheck | None:
    point = {key: sp.sympify(val) for key, val in point.items()}
    return evaluation.confirm_at_point(rel, hyps or [], point, facts if facts is not None else Facts())


def test_counterexample_and_witness() -> None:
    check = at((x ** 2, "=", x), {x: 2})
    assert check is not None and not check.holds and (check.lhs, check.rhs) == (4, 2)
    check = at((x ** 2 - 2 * x, "<", 0), {x: 1})
    assert check is not None and check.holds
    check = at((sp.log(8), "=", 3 * sp.log(2)), {})      # exact: expand writes log(8) as 3*log(2)
    assert check is not None and check.holds
    check = at((sp.log(1 + sp.exp(x)) - x, "<=", 0), {x: 300})
    assert check is not None and not check.holds


@pytest.mark.parametrize("rel, point", [
    ((sp.exp(-x), "=", 0), {x: 50}),                          # tiny, not 0
    ((sp.log(1 + sp.exp(x)), "=", x), {x: 300}),              # ~5e-131 apart: low-precision evalf says equal
    ((sp.sqrt(x ** 2), "=", x), {x: -1}),                     # branch: |x|, not x
    ((sp.Limit(sigma(z), z, sp.oo), "=", sigma(z)), {z: 0}),  # the limit's z is bound: 1 vs 1/2
])
def test_rigorous_counterexamples(rel: tuple, point: dict) -> None:
    check = at(rel, point)
    assert check is not None and not check.holds


@pytest.mark.parametrize("rel, point", [
    ((sp.sin(x) ** 2 + sp.cos(x) ** 2, "=", 1), {x: R(1, 3)}),   # exactly equal, but no exact evaluation shows it
    ((sp.sin(x) ** 2 + sp.cos(x) ** 2, "!=", 1), {x: R(1, 3)}),
])
def test_undecidable_at_a_point_is_none(rel: tuple, point: dict) -> None:
    assert at(rel, point) is None


ALLOWED_NOT = [
    # (relation, hypotheses, point): the relation fails at the point, but the point is not allowed
    ((x, "<", 0), [sp.Gt(x, 0)], {x: -1}),                    # violates a hypothesis
    ((sp.sqrt(p ** 2), "=", p), [], {p: -1}),                 # violates "positive"
    ((sp.sqrt(p ** 2), "=", p), [], {p: 0}),
    ((2 * k, "=", 1), [], {k: R(1, 2)}),                       # an integer given a fraction
    ((x ** 2, ">=", 0), [], {x: sp.I}),                        # a real given a complex value
    ((x ** 2, ">=", 0), [], {x: sp.sqrt(-2)}),
    ((x, "=", x + 1), [], {x: sp.Float(0.5)}),                 # a float is not exact
    ((sp.exp(x), ">", 0), [], {sp.exp(x): -1}),                # a value for exp(x), not for x
    ((x + y, "=", 0), [], {x: 1}),                             # y has no value
    ((v[k], "=", 1), [], {k: 1, v[1]: x}),                     # a value that is not a number
    ((x, "=", 1), [], {x: sp.oo}),
]


@pytest.mark.parametrize("rel, hyps, point", ALLOWED_NOT)
def test_points_that_are_not_allowed_are_rejected(rel: tuple, hyps: list, point: dict) -> None:
    assert at(rel, point, hyps) is None


def test_plain_python_numbers_are_exact() -> None:
    from fractions import Fraction
    check = evaluation.confirm_at_point((x + 1, "=", x), [], {x: 0}, Facts())
    assert check is not None and not check.holds
    check = evaluation.confirm_at_point((2 * x, "=", 1), [], {x: Fraction(1, 2)}, Facts())
    assert check is not None and check.holds
    assert evaluation.confirm_at_point((x, "=", 1), [], {x: 0.5}, Facts()) is None     # a float is not exact


def test_a_point_must_satisfy_the_facts_themselves() -> None:
    """The facts are what the normal form relied on; a point that breaks them is not a counterexample even when the
    caller forgot the matching hypothesis."""
    facts = make_facts(GE(k, 1), LE(k, K), NE(i, k))
    rel = (sp.Sum(v[j] * sp.KroneckerDelta(j, k), (j, 1, K)), "=", v[k])
    assert at(rel, {K: 1, k: 2, v[2]: 1}, facts=facts) is None           # k > K
    assert at((sp.KroneckerDelta(i, k), "=", 0), {i: 1, k: 1, K: 1}, facts=facts) is None   # i = k
    assert at(rel, {K: 2, k: 2, v[1]: 1, v[2]: 1}, facts=facts, hyps=[]) is None             # i has no value
    check = at(rel, {K: 2, k: 2, i: 1, v[1]: 1, v[2]: 1}, facts=facts)
    assert check is not None and check.holds


def test_zero_outside_entries_are_zero_at_a_point() -> None:
    facts = make_facts(families=FAMILIES)
    check = at((g[N + 1], "=", 1), {N: 2, g[3]: 5}, facts=facts)
    assert check is not None and not check.holds and check.lhs == 0


def test_substitute_keeps_bound_variables() -> None:
    lim = sp.Limit(sigma(z), z, sp.oo)
    assert evaluation.substitute(lim, {z: 0}) == lim
    s = sp.Sum(v[j] * z, (j, 1, K))
    assert evaluation.substitute(s, {z: 2, K: 3}) == sp.Sum(2 * v[j], (j, 1, 3))


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


def test_the_checker_never_calls_simplify_equals_or_refine(monkeypatch: pytest.MonkeyPatch) -> None:
    """``Expr.equals`` can decide by evaluating at random floats, ``simplify`` and ``refine`` lose conditions: the
    trusted core works with every one of them disabled."""
    def forbidden(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the trusted core called a forbidden SymPy function")
    for name in ("simplify", "refine", "nsimplify", "powsimp", "expand_log", "logcombine", "piecewise_fold"):
        monkeypatch.setattr(sp, name, forbidden)
    monkeypatch.setattr(sp.Expr, "equals", forbidden)
    monkeypatch.setattr(sp.Basic, "simplify", forbidden, raising=False)
    facts = make_facts(GE(K, 1), GE(k, 1), LE(k, K), families=FAMILIES)
    assert identity.confirm_identity(sp.Sum(v[j] * sp.KroneckerDelta(j, k), (j, 1, K)), v[k], facts) is not None
    assert identity.confirm_identity((sp.tanh(z / 2) + 1) / 2, sigma(z), facts) is not None
    assert identity.confirm_sign(sigma(z), facts, strict=True) is not None
    assert identity.confirm_identity(sp.Limit(sigma(z), z, sp.oo), 1, facts) is not None
    check = at((sp.exp(-x), "=", 0), {x: 50})
    assert check is not None and not check.holds


# -- wrong proposals from the untrusted strategies --------------------------------------------------------------

HEADER = """
[symbols]
x = "real"
p = "positive"
K = "integer positive"
i = "integer 1..K"
v = "indexed real"
"""


def run(tmp_path: Path, claim: str) -> list[str]:
    """Verify one claim (in this process) and return its obligations' verdicts."""
    path = tmp_path / "t.toml"
    path.write_text(HEADER + '\n[[claim]]\nid = "t"\ntitle = "t"\n' + textwrap.dedent(claim), encoding="utf-8")
    library = load_library(path)
    assert not library.errors, library.errors
    return [o.verdict for o in verify_claim(library, library.claims[0]).outcomes]


def propose(points: list[dict]) -> Any:
    """A replacement for :func:`verifier.search.strategies.points` that proposes exactly these points (by name)."""
    def fake(atoms: list, count: int, *args: Any, **kwargs: Any) -> Any:
        names = {str(x_): x_ for x_ in atoms}
        for pt in points:
            yield {names[key]: sp.sympify(val) for key, val in pt.items() if key in names}
    return fake


def test_points_violating_a_hypothesis_do_not_refute(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """sqrt(x^2) = x fails at x = -1 and x = -2 (1 != -1), but x > 0 is assumed: with only those points proposed,
    nothing refutes it (it is true: x > 0 gives sqrt(x^2) = |x| = x), so the verdict is not refuted."""
    monkeypatch.setattr(strategies, "points", propose([{"x": -1}, {"x": -2}]))
    assert run(tmp_path, 'assume = ["x > 0"]\nstatement = "sqrt(x^2) = x"') in (["unknown"], ["proved"])


def test_points_violating_a_declaration_do_not_refute(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """p is declared positive: p = -1 would make sqrt(p^2) = p fail, but it is not an allowed value."""
    monkeypatch.setattr(strategies, "points", propose([{"p": -1}, {"p": 0}, {"p": "I"}]))
    assert run(tmp_path, 'statement = "sqrt(p^2) = p"') == ["proved"]


def test_instances_outside_a_range_do_not_refute(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """i is in 1..K: at K = 1, i = 2 the delta sum is 0 but v[2] need not be; that instance is not allowed."""
    outside = [{sp.Symbol("K", integer=True, positive=True): sp.Integer(1),
                sp.Symbol("i", integer=True, positive=True): sp.Integer(2)}]
    monkeypatch.setattr(strategies, "probe_instances", lambda case, problem: outside)
    monkeypatch.setattr(strategies, "points", propose([{"v[2]": 1}, {"v[2]": 5}]))
    verdicts = run(tmp_path, 'statement = "Sum(v[j]*KroneckerDelta(j, i), (j, 1, K)) = v[i]"')
    assert verdicts == ["proved"]


def test_points_where_a_false_relation_holds_refute_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """x^2 = x is false, but holds at 0 and 1: proposing only those gives no counterexample, and no proof (the
    solver's own proposals are switched off here; they would find x = -1)."""
    monkeypatch.setattr(strategies, "points", propose([{"x": 0}, {"x": 1}]))
    monkeypatch.setattr(engine, "_solver_model", lambda case, problem: None)
    assert run(tmp_path, 'statement = "x^2 = x"') == ["unknown"]


def _bogus_instances(monkeypatch: pytest.MonkeyPatch, values: list[int]) -> None:
    """A wrong bounded-check proposal: instances of K (declared positive) at the given values, described as the
    whole of K in 1..5, and no real points at all."""
    K_ = sp.Symbol("K", integer=True, positive=True)
    bogus = strategies.InstanceSet([{K_: sp.Integer(n)} for n in values], "K in 1..5", 5)
    monkeypatch.setattr(strategies, "points", propose([]))
    monkeypatch.setattr(strategies, "instances", lambda case, problem, **kwargs: bogus)
    monkeypatch.setattr(strategies, "beyond", lambda case, problem, checked, **kwargs: [])


def test_instances_outside_the_declaration_are_never_a_bounded_check(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """Sum(v[j], (j, 1, K)) = Sum(v[j], (j, 1, K - 1)) is false for every K >= 1 (v[K] is free), and true at K = 0
    (both sums empty), which K = "integer positive" does not allow: proposing K = 0 alone earns nothing."""
    _bogus_instances(monkeypatch, [0])
    assert run(tmp_path, 'statement = "Sum(v[j], (j, 1, K)) = Sum(v[j], (j, 1, K - 1))"') == ["unknown"]


def test_an_instance_the_kernel_cannot_confirm_is_never_a_bounded_check(tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """At K = 1 the relation reads v[1] = 0, which holds for no value but 0 of v[1]: not confirmed for every value,
    so no ``checked``, and with no points proposed no counterexample either."""
    _bogus_instances(monkeypatch, [1])
    assert run(tmp_path, 'statement = "Sum(v[j], (j, 1, K)) = Sum(v[j], (j, 1, K - 1))"') == ["unknown"]


def test_the_engine_decides_only_through_the_kernel(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With the kernel's verdict functions refusing everything, every claim is unknown, whatever the strategies
    propose: the engine has no other way to a verdict. The same claims settle without the patch (checked by hand:
    x + x = 2*x and exp(x) > 0 are identities, x^2 = x fails at x = 2, floor(K/2) + ceiling(K/2) = K holds)."""
    claims = {'statement = "x + x = 2*x"': ["proved"], 'statement = "exp(x) > 0"': ["proved"],
              'statement = "x^2 = x"': ["refuted"], 'statement = "floor(K/2) + ceiling(K/2) = K"': ["checked"],
              'exists = "x^2 = 4"': ["proved"]}
    for claim, verdicts in claims.items():
        assert run(tmp_path, claim) == verdicts, claim
    for name in ("prove", "refute", "witness", "check", "no_witness_possible"):
        monkeypatch.setattr(kernel, name, lambda *args, **kwargs: None)
    for claim in claims:
        assert run(tmp_path, claim) == ["unknown"], claim


# -- facts from declarations, and every point checked against every declaration ----------------------------------

KD = sp.Symbol("K", integer=True, positive=True)
ND = sp.Symbol("n", integer=True)
RD = sp.Symbol("r", real=True)
YD = sp.Symbol("y", integer=True)
QD = sp.IndexedBase("q", real=True)
DECLARATIONS = [
    kernel.Declaration(KD, integer=True, signs=frozenset({"positive"})),
    kernel.Declaration(ND, integer=True),
    kernel.Declaration(RD, values=kernel.Interval(sp.Integer(0), sp.Integer(1), lo_open=True)),   # (0, 1]
    kernel.Declaration(YD, integer=True, domain=(sp.Integer(0), sp.Integer(1))),
    kernel.Declaration(QD, signs=frozenset({"positive"}), index_range=(sp.Integer(1), KD)),       # zero outside 1..K
]
DFACTS = kernel.facts_from(DECLARATIONS, [], None, [KD, ND, RD, YD, QD[ND]])


@pytest.mark.parametrize("point, allowed", [
    ({KD: 2}, True), ({KD: 0}, False), ({KD: R(1, 2)}, False),                 # integer, positive
    ({RD: 1}, True), ({RD: R(1, 2)}, True), ({RD: 0}, False), ({RD: 2}, False), ({RD: -1}, False),   # (0, 1]
    ({YD: 1}, True), ({YD: 2}, False),                                          # in {0, 1}
    ({KD: 2, QD[1]: 3}, True), ({KD: 2, QD[1]: -1}, False), ({KD: 2, QD[1]: 0}, False),   # positive inside
    ({KD: 2, QD[0]: 0}, True), ({KD: 2, QD[0]: 1}, False), ({KD: 2, QD[3]: 5}, False),    # 0 outside 1..K
    ({QD[1]: 1}, False),                                                        # the range's end K has no value
], ids=str)
def test_a_point_is_checked_against_every_declaration(point: dict, allowed: bool) -> None:
    assert kernel.admits(DFACTS, point) is allowed


def test_the_facts_come_from_the_declarations() -> None:
    """K positive integer gives K >= 1; r in (0, 1] gives r > 0 and r <= 1; q is zero outside 1..K, and at a fixed
    K = 3 outside 1..3; y in {0, 1} gives 0 <= y <= 1. A fixed value the declaration refuses makes the facts
    inconsistent, and nothing is proved with them."""
    assert DFACTS.nonneg(KD - 1) and not DFACTS.positive(KD - 1)
    assert DFACTS.positive(RD) and DFACTS.nonneg(1 - RD) and not DFACTS.positive(1 - RD)
    assert DFACTS.nonneg(YD) and DFACTS.nonneg(1 - YD)
    assert DFACTS.family_range(QD) == (1, KD)
    assert kernel.facts_from(DECLARATIONS, [], {KD: sp.Integer(3)}).family_range(QD) == (1, 3)
    assert kernel.facts_from(DECLARATIONS, [], {KD: sp.Integer(3)}).consistent
    bad = kernel.facts_from(DECLARATIONS, [], {KD: sp.Integer(0)}, [KD])
    assert not bad.consistent
    assert kernel.prove([(KD, "=", KD)], [], bad) is None


def test_a_counterexample_is_a_verdict_only_at_an_allowed_point() -> None:
    """K <= 5 fails at K = 6 (6 > 5); r*(1 - r) = 0 fails at r = 1/2 (1/4), and holds at r = 0, which (0, 1] does not
    allow; q[n] > 0 fails at n = 0, where q[0] = 0 outside 1..K (the family's words hold inside only)."""
    refuted = kernel.refute((KD, "<=", 5), [], {KD: 6}, DFACTS, "m")
    assert isinstance(refuted, kernel.Refuted) and refuted.point == {KD: 6} and (refuted.lhs, refuted.rhs) == (6, 5)
    assert kernel.refute((KD, "<=", 5), [], {KD: 4}, DFACTS, "m") is None        # holds there
    assert kernel.refute((KD, "<=", -1), [], {KD: 0}, DFACTS, "m") is None       # K = 0 is not allowed
    assert kernel.refute((RD * (1 - RD), "=", 0), [], {RD: R(1, 2)}, DFACTS, "m") is not None
    assert kernel.refute((RD * (1 - RD), "!=", 0), [], {RD: 0}, DFACTS, "m") is None
    entry = kernel.refute((QD[ND], ">", 0), [], {KD: 2, ND: 0, QD[0]: 0}, DFACTS, "m")
    assert entry is not None and entry.lhs == 0
    assert kernel.refute((QD[ND], ">", 0), [], {KD: 2, ND: 0, QD[0]: 1}, DFACTS, "m") is None


def test_a_witness_is_a_verdict_only_at_an_allowed_point() -> None:
    proof = kernel.witness([(RD, "=", 1)], [], {RD: 1}, DFACTS)
    assert isinstance(proof, kernel.Proved) and proof.witness is not None and proof.witness.point == {RD: 1}
    assert kernel.witness([(RD, "=", 0)], [], {RD: 0}, DFACTS) is None          # 0 is outside (0, 1]
    assert kernel.witness([(RD, "=", 1)], [sp.Gt(RD, 1)], {RD: 1}, DFACTS) is None   # a hypothesis fails
    assert kernel.witness([], [], {}, DFACTS) is None


def test_an_exists_with_no_allowed_value_is_refuted_never_proved() -> None:
    """y in {0, 1} with y > 5: both cases have a false hypothesis (0 > 5, 1 > 5)."""
    relation = (sp.Integer(0), "<=", sp.Integer(1))
    cases = [([relation], [sp.Gt(sp.Integer(v), 5, evaluate=False)],
              kernel.facts_from(DECLARATIONS, [], {YD: sp.Integer(v)})) for v in (0, 1)]
    refuted = kernel.no_witness_possible(cases)
    assert isinstance(refuted, kernel.Refuted) and "nothing exists" in (refuted.message or "")
    open_case = ([relation], [sp.Gt(RD, 0)], DFACTS)
    assert kernel.no_witness_possible([*cases, open_case]) is None
    false_case = ([(sp.Integer(1), "=", sp.Integer(0))], [], DFACTS)      # y = 0 in the case y = 1: 1 = 0 is false
    assert isinstance(kernel.no_witness_possible([*cases, false_case]), kernel.Refuted)
    assert kernel.no_witness_possible([]) is None
    proof = kernel.prove([(KD, "=", KD + 1)], cases[0][1], cases[0][2])
    assert proof is not None and proof.method.startswith("vacuous")


def test_a_bounded_check_names_the_instances_it_confirmed() -> None:
    """floor(K/2) + ceiling(K/2) = K at K = 1, 2, 3 (1 = 0 + 1, 2 = 1 + 1, 3 = 1 + 2)."""
    rel = (sp.floor(KD / 2) + sp.ceiling(KD / 2), "=", KD)
    checked = kernel.check([rel], [], [{KD: sp.Integer(n)} for n in (1, 2, 3)], DFACTS, "K in 1..3", 3)
    assert isinstance(checked, kernel.Checked) and checked.checked == "K in 1..3: 3 of 3" and checked.instances == 3
    capped = kernel.check([rel], [], [{KD: sp.Integer(1)}], DFACTS, "the first 1 of 3 of K in 1..3", 3)
    assert isinstance(capped, kernel.Checked) and capped.checked.endswith(": 1 of 3")
    assert kernel.check([rel], [], [{KD: sp.Integer(1)}, {KD: sp.Integer(0)}], DFACTS, "K in 0..1", 2) == \
        {KD: sp.Integer(0)}                                                      # K = 0 is not allowed
    assert kernel.check([(KD, "<=", 1)], [], [{KD: sp.Integer(1)}, {KD: sp.Integer(2)}], DFACTS, "K in 1..2", 2) == \
        {KD: sp.Integer(2)}                                                      # 2 <= 1 is false
    assert kernel.check([rel], [], [], DFACTS, "nothing", 0) is None
    assert kernel.check([rel], [], [{KD: sp.Integer(1)}, {KD: 1}], DFACTS, "K in 1..2", 2) is None   # one, twice


def test_the_words_of_a_family_hold_inside_its_range_only() -> None:
    """q = "indexed positive 1..K": q[n] > 0 only for 1 <= n <= K; q[0] = 0. SymPy's assumption on the family's
    symbol says every entry is positive; the kernel uses it only where the index is known to be in range."""
    q = sp.IndexedBase("q", positive=True)
    outside = make_facts(GE(K, 1), families=[(q, sp.Integer(1), K)])
    inside = make_facts(GE(K, 1), GE(k, 1), LE(k, K), families=[(q, sp.Integer(1), K)])
    assert identity.confirm_sign(q[k], outside, strict=True) is None
    assert identity.confirm_sign(q[k] + 1, outside, strict=True) is None
    assert identity.confirm_sign(q[k], inside, strict=True) is not None
    assert identity.confirm_sign(q[k], make_facts(GE(k, 1)), strict=True) is not None     # no range: everywhere


def test_an_identity_whose_left_side_is_defined_nowhere_holds_vacuously() -> None:
    nowhere = sp.Piecewise((1, sp.Ne(0, 0, evaluate=False)), evaluate=False)     # 0/0 as written: never defined
    confirmed = identity.confirm_identity(nowhere, sp.Integer(7), kernel.Facts())
    assert confirmed is not None and confirmed.method.startswith("vacuous")
    # Defined for x != 0, where it is 1, not 7: no confirmation.
    somewhere = sp.Piecewise((1, sp.Ne(x, 0, evaluate=False)), evaluate=False)
    assert identity.confirm_identity(somewhere, sp.Integer(7), kernel.Facts()) is None
    assert identity.confirm_identity(somewhere, sp.Integer(1), kernel.Facts()) is not None

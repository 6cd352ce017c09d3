"""The verdict functions of the trusted checker (:mod:`verifier.kernel.checker`): verdicts only at allowed points and
from confirmed proposals, proposals from the untrusted strategies that are wrong on purpose, and a trusted core that
never calls SymPy's simplify, equals or refine. Signs and identities are tested in test_identity.py, points in
test_evaluation.py.
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import pytest
import sympy as sp
from kernel.test_evaluation import at
from kernel.test_rules import FAMILIES, GE, LE, K, k, make_facts, sigma, v, x, z

from verifier import kernel
from verifier.frontend.library import load_library
from verifier.kernel import identity
from verifier.search import engine, strategies
from verifier.search.engine import verify_claim

R = sp.Rational
j = sp.Dummy("j", integer=True)


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

"""Where a verdict is decided: one obligation, built, settled by strategies whose proposals the checker confirms.

For a ``forall`` problem, each case (of the finite domains it uses) goes through, in order:

1. a quick probe for a counterexample at one small instance (cheap, and most wrong steps fail here);
2. a symbolic proof for every size: the normal form of :mod:`verifier.kernel.rules`, confirmed by
   :func:`verifier.kernel.checker.confirm_identity` / :func:`~verifier.kernel.checker.confirm_sign` -> ``proved``;
3. a wider probe for a counterexample -> ``refuted``;
4. a bounded check over a finite set of sizes and indices, each instance confirmed exactly -> ``checked``;
   an instance that fails is probed for a counterexample -> ``refuted``;
5. otherwise ``unknown``, saying what was tried.

An ``exists`` problem needs a witness confirmed at a point. The worst case decides: refuted > unknown > checked >
proved.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import sympy as sp

from verifier.kernel import checker, rules
from verifier.search import strategies
from verifier.errors import ExpressionError
from verifier.frontend.goals import Case, Problem, library_problems
from verifier.frontend.loader import Library
from verifier.model import Claim, ClaimResult, Obligation, Outcome, Verdict, worst

#: Points tried per instance when probing for a counterexample or a witness.
PROBE_POINTS = 14
WITNESS_POINTS = 40


@dataclass
class Settled:
    """A verdict and its evidence, before it is attached to an obligation."""

    verdict: Verdict
    method: str | None = None
    counterexample: dict[str, str] | None = None
    values: dict[str, str] | None = None
    sizes: str | None = None
    message: str | None = None
    tried: list[str] = field(default_factory=list)


def settle(problem: Problem) -> Settled:
    """Settle a built problem (all its cases)."""
    if not problem.cases:
        return Settled("proved", method="vacuous: no case satisfies the hypotheses")
    results = [settle_case(case, problem) for case in problem.cases]
    verdict = worst([r.verdict for r in results])
    chosen = next(r for r in results if r.verdict == verdict)
    if verdict in ("proved", "checked"):
        methods = sorted({r.method for r in results if r.method})
        sizes = sorted({r.sizes for r in results if r.sizes})
        return Settled(verdict, method="; ".join(methods), sizes="; ".join(sizes) or None)
    return chosen


def settle_case(case: Case, problem: Problem) -> Settled:
    """Settle one case of a problem."""
    if problem.kind == "exists":
        return _witness(case, problem)
    tried: list[str] = []
    found = _probe(case, problem, instances=1, per_instance=1, start=1)
    if found:
        return found
    proof = _prove(case)
    if proof:
        return Settled("proved", method=proof)
    tried.append("symbolic normal form, logarithm rules and nonlinear real arithmetic (z3) "
                 f"(no proof; {_residual(case)})")
    found = _probe(case, problem, instances=40, per_instance=2) or \
        _probe(case, problem, instances=6, per_instance=PROBE_POINTS) or _solver_model(case, problem)
    if found:
        return found
    tried.append("counterexample search at small sizes")
    if strategies.integer_names(case, problem):
        return _bounded(case, problem, tried)
    return Settled("unknown", message="tried: " + "; ".join(tried), tried=tried)


def _prove(case: Case) -> str | None:
    methods = []
    for relation in case.relations:
        confirmed = checker.confirm_relation(relation, case.facts)
        if confirmed is None:
            method = _prove_under_nonlinear_hypotheses(relation, case)
            if method is None:
                return None
            confirmed = checker.Confirmed(method)
        methods.append(confirmed.method)
    return "; ".join(sorted(set(methods))) if methods else "nothing to prove"


def _prove_under_nonlinear_hypotheses(relation: tuple, case: Case) -> str | None:
    """The relation by nonlinear real arithmetic with the hypotheses that the facts cannot hold (a sum equal to 1,
    a product): those that add nothing to empty facts."""
    nonlinear = [h for h in case.hypotheses if checker.Facts().add(h) == checker.Facts()]
    if not nonlinear:
        return None
    from verifier.kernel import nra     # z3 is imported only when needed
    return nra.confirm_under(relation, nonlinear, case.facts)


def _probe(case: Case, problem: Problem, *, instances: int, per_instance: int, start: int = 0) -> Settled | None:
    for ints in strategies.probe_instances(case, problem)[:instances]:
        for rel in case.relations:
            atoms = strategies.real_atoms(case, ints, [rel])
            for reals in strategies.points(atoms, per_instance, start=start):
                point = symmetric_point({**ints, **reals}, case)
                check = checker.confirm_at_point(rel, case.hypotheses, point, case.facts)
                if check is not None and not check.holds:
                    point, check = _simpler(case, rel, ints, atoms, point, check)
                    return _refuted(case, point, check, "counterexample, exact evaluation")
    return None


#: A residual longer than this is cut in the message.
RESIDUAL_CHARS = 160


def _residual(case: Case) -> str:
    """What the normal form leaves of the first relation (``lhs - rhs``), short, and which hypotheses share a name
    with it (one of them, used differently, might close it)."""
    lhs, op, rhs = case.relations[0]
    try:
        d = rules.normal(lhs - rhs, case.facts).replace(rules.expu, sp.exp)
    except (RecursionError, TypeError, ValueError):
        return "the normal form could not be taken"
    text = str(d)
    if len(text) > RESIDUAL_CHARS:
        text = text[:RESIDUAL_CHARS - 3] + "..."
    goal = {"=": "= 0", "!=": "!= 0", "<": "< 0", "<=": "<= 0", ">": "> 0", ">=": ">= 0"}.get(op, "")

    def names(e: sp.Basic) -> set[str]:
        return {str(x) for x in e.free_symbols} | {str(x.base) for x in e.atoms(sp.Indexed)}

    # Declared ranges (a >= or <= between names) are always there: only the others are worth naming.
    related = [checker.show_relation(h) for h in case.hypotheses
               if names(h) & names(d) and not isinstance(h, (sp.Ge, sp.Le))]
    hint = f"; hypotheses on the same names: {', '.join(related[:3])}" if related else ""
    return f"left to show: {text} {goal}{hint}"


#: The relation to decide for each operator: its two sides' difference, and the sign it must have.
_SIGN_QUERY = {"=": (1, "="), ">=": (1, ">="), ">": (1, ">"), "<=": (-1, ">="), "<": (-1, ">")}


def _solver_model(case: Case, problem: Problem) -> Settled | None:
    """A model of the relation's failure from nonlinear real arithmetic (:mod:`verifier.kernel.nra`), as a
    proposal: the checker re-checks it exactly at the point (names the model leaves out get 0)."""
    from verifier.kernel import nra     # z3 is imported only when needed
    if strategies.integer_names(case, problem):
        return None
    hypotheses = nra.normal_hypotheses(case.hypotheses, case.facts)
    for rel in case.relations:
        lhs, op, rhs = rel
        if op not in _SIGN_QUERY:
            continue
        side, sign = _SIGN_QUERY[op]
        model = nra.decide(rules.normal(side * (lhs - rhs), case.facts), sign, case.facts, hypotheses=hypotheses)
        if not isinstance(model, nra.Model):
            continue
        given = {a: model.point.get(a, sp.Integer(0)) for a in strategies.real_atoms(case, {}, [rel])}
        point = symmetric_point(given, case)
        check = checker.confirm_at_point(rel, case.hypotheses, point, case.facts)
        if check is not None and not check.holds:
            return _refuted(case, point, check, "counterexample from a solver model, exact evaluation")
    return None


def symmetric_point(point: dict, case: Case) -> dict:
    """The point with ``F[a, b]`` and ``F[b, a]`` both given their mean, for each family the hypotheses make
    symmetric: a counterexample or witness is then shown at a symmetric ``F``. (The relation of such a case is
    written in ``(F + F^T)/2``, whose value at the mean is its value at the point: nothing else changes.)"""
    if not case.symmetric:
        return point
    out = dict(point)
    for x, v in point.items():
        if isinstance(x, sp.Indexed) and x.base in case.symmetric and len(x.indices) == 2:
            other = x.base[x.indices[1], x.indices[0]]
            out[x] = (v + point.get(other, v)) / 2
    return out


def _simpler(case: Case, rel: tuple, ints: dict, atoms: list, point: dict,
             check: checker.PointCheck) -> tuple[dict, checker.PointCheck]:
    """A counterexample easier to read, if one of the first (simplest) points also is one: all zeros, then small
    integers."""
    for reals in strategies.points(atoms, 3):
        simple = symmetric_point({**ints, **reals}, case)
        if simple == point:
            break
        found = checker.confirm_at_point(rel, case.hypotheses, simple, case.facts)
        if found is not None and not found.holds:
            return simple, found
    return point, check


def _bounded(case: Case, problem: Problem, tried: list[str]) -> Settled:
    inst = strategies.instances(case, problem)
    if not inst.assignments:
        return Settled("unknown", message="tried: " + "; ".join(tried + ["bounded check: no instance satisfies "
                                                                           "the hypotheses"]), tried=tried)
    for ints in inst.assignments:
        for rel in case.relations:
            if checker.confirm_instance(rel, case.hypotheses, ints, case.facts) is not None:
                continue
            atoms = strategies.real_atoms(case, ints, [rel])
            for reals in strategies.points(atoms, WITNESS_POINTS):
                point = symmetric_point({**ints, **reals}, case)
                check = checker.confirm_at_point(rel, case.hypotheses, point, case.facts)
                if check is not None and not check.holds:
                    return _refuted(case, point, check, "counterexample found by the bounded check, exact "
                                                        "evaluation")
            shown = ", ".join(f"{k} = {v}" for k, v in sorted(ints.items(), key=lambda kv: kv[0].name))
            return Settled("unknown", sizes=inst.description,
                           message=f"tried: {'; '.join(tried)}; bounded check could not confirm the instance "
                                   f"{shown}, and found no counterexample there")
    return Settled("checked", method="bounded check: every instance confirmed exactly", sizes=inst.description)


def _witness(case: Case, problem: Problem) -> Settled:
    for ints in strategies.probe_instances(case, problem)[:12]:
        atoms = strategies.real_atoms(case, ints)
        for reals in strategies.points(atoms, WITNESS_POINTS):
            point = symmetric_point({**ints, **reals}, case)
            checks = [checker.confirm_at_point(rel, case.hypotheses, point, case.facts) for rel in case.relations]
            if all(c is not None and c.holds for c in checks):
                first = checks[0]
                assert first is not None
                return Settled("proved", method="witness, exact evaluation",
                               counterexample=_show_point(case, point),
                               values={"lhs": _show_value(first.lhs), "rhs": _show_value(first.rhs)})
    found = _solver_witness(case, problem)
    if found is not None:
        return found
    return Settled("unknown", message="no witness found among small values (tried integers, simple fractions and "
                                      "logarithms of small rationals) nor from the solver")


def _solver_witness(case: Case, problem: Problem) -> Settled | None:
    """A witness proposed by a model of nonlinear real arithmetic (one relation, no integer names), re-checked
    exactly at the point."""
    from verifier.kernel import nra
    if len(case.relations) != 1 or strategies.integer_names(case, problem):
        return None
    (rel,) = case.relations
    lhs, op, rhs = rel
    model = nra.witness(rules.normal(lhs - rhs, case.facts), op, case.facts,
                        nra.normal_hypotheses(case.hypotheses, case.facts))
    if model is None:
        return None
    given = {a: model.point.get(a, sp.Integer(0)) for a in strategies.real_atoms(case, {}, [rel])}
    point = symmetric_point(given, case)
    check = checker.confirm_at_point(rel, case.hypotheses, point, case.facts)
    if check is None or not check.holds:
        return None
    return Settled("proved", method="witness from a solver model, exact evaluation",
                   counterexample=_show_point(case, point),
                   values={"lhs": _show_value(check.lhs), "rhs": _show_value(check.rhs)})


def _refuted(case: Case, point: dict, check: checker.PointCheck, method: str) -> Settled:
    return Settled("refuted", method=method, counterexample=_show_point(case, point),
                   values={"lhs": _show_value(check.lhs), "rhs": _show_value(check.rhs)})


def _show_point(case: Case, point: dict) -> dict[str, str]:
    point = checker.admissible(point, case.facts)
    shown = {str(k): str(v) for k, v in case.values.items()}
    for k, v in sorted(point.items(), key=lambda kv: sp.default_sort_key(kv[0])):
        shown[str(k)] = str(v)
    return shown


def _show_value(v: sp.Expr) -> str:
    text = str(v)
    if v.is_Rational:
        return text
    box = checker.interval.enclose(v)
    if box is not None:
        return f"{text} ≈ {sp.Float((box[0] + box[1]) / 2, 10)}"
    return text


# -- claims ---------------------------------------------------------------------------------------------------


def settle_obligation(ob: Obligation, built: "Problem | ExpressionError") -> Outcome:
    """The outcome of one obligation (an input error becomes verdict ``error``)."""
    start = time.perf_counter()
    if isinstance(built, ExpressionError):
        return Outcome(ob, "error", message=str(built), seconds=time.perf_counter() - start, bad_input=True)
    settled = settle(built)
    return Outcome(ob, settled.verdict, method=settled.method, seconds=time.perf_counter() - start,
                   counterexample=settled.counterexample, values=settled.values, sizes=settled.sizes,
                   message=settled.message)


def verify_claim(library: Library, claim: Claim) -> ClaimResult:
    """Settle every obligation of a claim in this process (no time limit; see :mod:`verifier.runner.executor`)."""
    result = ClaimResult(claim)
    for ob, built in library_problems(library, claim):
        result.outcomes.append(settle_obligation(ob, built))
    return result

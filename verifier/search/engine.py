"""Where a verdict is decided: one obligation, built, settled by strategies whose proposals the checker confirms.

For a ``forall`` problem, each case (of the finite domains it uses) goes through, in order:

1. a quick probe for a counterexample at one small instance (cheap, and most wrong steps fail here): the point is
   screened by a float evaluation (:mod:`verifier.search.floats`), and checked exactly only where the relation may
   fail (the wider probe of step 3 checks that point again exactly, whatever the floats said);
2. a symbolic proof for every size: the normal form of :mod:`verifier.kernel.rules`, confirmed by
   :func:`verifier.kernel.identity.confirm_identity` / :func:`~verifier.kernel.identity.confirm_sign` -> ``proved``;
3. a wider probe for a counterexample -> ``refuted``;
4. a bounded check over a finite set of sizes and indices, each instance confirmed exactly, then a search for a
   counterexample beyond it (sizes up to twice the largest checked, and a few larger ones; small values, then the
   extreme points of :mod:`verifier.search.extremes`) -> ``checked`` naming
   exactly the set confirmed; an instance that fails is probed for a counterexample -> ``refuted``;
5. otherwise ``unknown``, saying what was tried.

The worst case decides: refuted > unknown > checked > proved. An ``exists`` problem needs one witness, in any case
of its finite domains, confirmed at a point; when no case has a value satisfying the hypotheses, it is refuted.
Every ``proved``, ``checked`` and ``refuted`` comes from a kernel verdict object (:mod:`verifier.kernel.verdicts`).
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Mapping
from dataclasses import dataclass, field

import sympy as sp

from verifier import kernel
from verifier.errors import EngineFault, ExpressionError, NotRead
from verifier.frontend.library import Library
from verifier.frontend.problem import Case, Problem
from verifier.frontend.problem_builder import library_problems
from verifier.kernel import Checked, Proved, Refuted, rules
from verifier.kernel.relations import OPERATORS, oriented
from verifier.model import Claim, ClaimResult, Obligation, Outcome, Verdict, not_read, obligations, worst
from verifier.search import extremes, floats, integers, strategies

#: Points tried per instance when probing for a counterexample or a witness.
PROBE_POINTS = 14
WITNESS_POINTS = 40
#: Points tried per instance beyond a bounded check.
BEYOND_POINTS = 2


@dataclass
class Settled:
    """A verdict and its evidence, before it is attached to an obligation. A ``proved``, ``checked`` or ``refuted``
    one is made from a kernel verdict only (:func:`_from_proved`, :func:`_from_checked`, :func:`_from_refuted`)."""

    verdict: Verdict
    method: str | None = None
    counterexample: dict[str, str] | None = None
    values: dict[str, str] | None = None
    sizes: str | None = None
    message: str | None = None
    tried: list[str] = field(default_factory=list)


def _from_proved(proof: Proved, case: Case) -> Settled:
    if proof.witness is None:
        return Settled("proved", method=proof.method)
    w = proof.witness
    return Settled("proved", method=proof.method, counterexample=_show_point(case, w.point),
                   values={"lhs": _show_value(w.lhs), "rhs": _show_value(w.rhs)})


def _from_checked(checked: Checked, case: Case) -> Settled:
    """The set is named with the case it belongs to (``y = 1: K in 1..5: 5 of 5``) when there are finite-domain
    values."""
    where = ", ".join(f"{k} = {v}" for k, v in sorted(case.values.items(), key=lambda kv: str(kv[0])))
    return Settled("checked", method=checked.method, sizes=f"{where}: {checked.checked}" if where else checked.checked)


def _from_refuted(refuted: Refuted, case: Case | None) -> Settled:
    values = None
    if refuted.lhs is not None and refuted.rhs is not None:
        values = {"lhs": _show_value(refuted.lhs), "rhs": _show_value(refuted.rhs)}
        if refuted.undefined:
            values[refuted.undefined] = "undefined there (not a real number)"
    point = _show_point(case, refuted.point) if case is not None else None
    return Settled("refuted", method=refuted.method, counterexample=point, values=values, message=refuted.message)


def _unknown(message: str, tried: list[str] | None = None, sizes: str | None = None) -> Settled:
    return Settled("unknown", message=message, tried=list(tried or []), sizes=sizes)


def settle(problem: Problem) -> Settled:
    """Settle a built problem (all its cases)."""
    if not problem.cases:
        return _unknown("nothing to settle: the problem has no case")
    if problem.kind == "exists":
        return _exists(problem)
    if problem.general:
        # A claim at given values (where K = 64) is first proved for every value: cheaper than the instance.
        proof = kernel.prove_instance([(c.relations, c.hypotheses, c.facts) for c in problem.general], problem.values,
                                      [(c.relations, c.hypotheses, c.facts) for c in problem.cases])
        if proof is not None:
            return _from_proved(proof, problem.cases[0])
    results = [settle_case(case, problem) for case in problem.cases]
    verdict = worst([r.verdict for r in results])
    chosen = next(r for r in results if r.verdict == verdict)
    if verdict in ("proved", "checked"):
        methods = sorted({r.method for r in results if r.method})
        sizes = sorted({r.sizes for r in results if r.sizes})
        return Settled(verdict, method="; ".join(methods), sizes="; ".join(sizes) or None)
    return chosen


def settle_case(case: Case, problem: Problem) -> Settled:
    """Settle one case of a ``forall`` problem."""
    tried: list[str] = []
    found = _probe(case, problem, instances=1, per_instance=1, start=1, screened=True)
    if found:
        return found
    proof = kernel.prove(case.relations, case.hypotheses, case.facts)
    if proof:
        return _from_proved(proof, case)
    tried.append("symbolic normal form, logarithm rules and nonlinear real arithmetic (z3) "
                 f"(no proof; {_residual(case)})")
    found = _probe(case, problem, instances=40, per_instance=2) or \
        _probe(case, problem, instances=6, per_instance=PROBE_POINTS) or _angles(case, problem) or \
        _inside_intervals(case, problem) or \
        _solver_model(case, problem) or _integer_model(case, problem)
    if found:
        return found
    tried.append("counterexample search at small sizes")
    if strategies.integer_names(case):
        return _bounded(case, problem, tried)
    return _unknown("tried: " + "; ".join(tried), tried)


def _probe(case: Case, problem: Problem, *, instances: int, per_instance: int, start: int = 0,
           screened: bool = False) -> Settled | None:
    return _search(case, strategies.probe_instances(case, problem)[:instances], per_instance, start,
                   "counterexample, exact evaluation", screened=screened)


def _search(case: Case, instances: list[dict], per_instance: int, start: int, method: str, *,
            screened: bool = False) -> Settled | None:
    """The first counterexample the kernel confirms among points extending ``instances``, made readable. With
    ``screened``, a point where the floats say the relation clearly holds is not checked exactly."""
    for ints in instances:
        for rel in case.relations:
            atoms = strategies.real_atoms(case, ints, [rel])
            for reals in strategies.points(atoms, per_instance, start=start):
                point = symmetric_point({**ints, **strategies.in_domains(reals, case.facts)}, case)
                if screened and floats.screen(rel, floats.Point(point, case.facts.families)):
                    continue
                refuted = kernel.refute(rel, case.hypotheses, point, case.facts, method)
                if refuted is not None:
                    return _from_refuted(_simpler(case, rel, ints, atoms, refuted), case)
    return None


def _angles(case: Case, problem: Problem) -> Settled | None:
    """A counterexample at a rational multiple of pi for a name inside a trigonometric function (where ``tan`` is
    undefined, ``sin`` is 0...), the other names at small values."""
    for ints in strategies.probe_instances(case, problem)[:3]:
        for rel in case.relations:
            atoms = strategies.real_atoms(case, ints, [rel])
            for reals in strategies.angle_points(atoms, rel):
                point = symmetric_point({**ints, **reals}, case)
                refuted = kernel.refute(rel, case.hypotheses, point, case.facts, "counterexample, exact evaluation")
                if refuted is not None:
                    return _from_refuted(refuted, case)
    return None


def _inside_intervals(case: Case, problem: Problem) -> Settled | None:
    """A counterexample with the names declared in a bounded interval (``real (0, 1)``) at points inside it, which
    the small values of :func:`strategies.points` may all miss, the other names at small values."""
    for ints in strategies.probe_instances(case, problem)[:2]:
        for rel in case.relations:
            atoms = strategies.real_atoms(case, ints, [rel])
            for reals in strategies.interval_points(atoms, case.facts):
                point = symmetric_point({**ints, **reals}, case)
                refuted = kernel.refute(rel, case.hypotheses, point, case.facts, "counterexample, exact evaluation")
                if refuted is not None:
                    return _from_refuted(refuted, case)
    return None


def _simpler(case: Case, rel: tuple, ints: dict, atoms: list, refuted: Refuted) -> Refuted:
    """A counterexample easier to read, if one of the first (simplest) points also is one: all zeros, then small
    integers."""
    for reals in strategies.points(atoms, 3):
        simple = symmetric_point({**ints, **reals}, case)
        if simple == refuted.point:
            break
        found = kernel.refute(rel, case.hypotheses, simple, case.facts, refuted.method)
        if found is not None:
            return found
    return refuted


def _bounded(case: Case, problem: Problem, tried: list[str]) -> Settled:
    """A bounded check; ``checked`` only once a search beyond the checked set found no counterexample."""
    inst = strategies.instances(case, problem)
    result = kernel.check(case.relations, case.hypotheses, inst.assignments, case.facts, inst.description,
                           inst.total)
    if result is None:
        found = _search_beyond(case, strategies.beyond(case, problem, inst))
        return found or _unknown("tried: " + "; ".join([*tried, "bounded check: no instance satisfies the "
                                                                  "hypotheses"]), tried)
    if isinstance(result, Checked):
        beyond = strategies.beyond(case, problem, inst)
        return _search_beyond(case, beyond) or _from_checked(result, case)
    found = _search(case, [dict(result)], WITNESS_POINTS, 0,
                    "counterexample found by the bounded check, exact evaluation")
    if found:
        return found
    shown = ", ".join(f"{k} = {v}" for k, v in sorted(result.items(), key=lambda kv: str(kv[0])))
    return _unknown(f"tried: {'; '.join(tried)}; bounded check could not confirm the instance {shown}, and found "
                    "no counterexample there", tried, sizes=inst.description)


def _search_beyond(case: Case, instances: list[dict]) -> Settled | None:
    """A counterexample beyond a bounded check: at the small points of every instance first, then at the extreme
    points of :mod:`verifier.search.extremes` (bounded names at the ends of their intervals, the entries past those
    the claim writes in extreme patterns) and, at sizes no larger than a default bounded check's, as many small
    points as a probe tries, each checked exactly only where the floats may see a failure."""
    method = "counterexample beyond the bounded check, exact evaluation"
    found = _search(case, instances, BEYOND_POINTS, 0, method)
    if found:
        return found
    for ints in instances:
        for rel in case.relations:
            atoms = strategies.real_atoms(case, ints, [rel])
            written = extremes.written_entries(rel, list(case.hypotheses), ints)
            # At a size a default bounded check would have covered (one a small `sizes` set leaves out), the
            # wider probe's small values too.
            small = all(abs(int(v)) <= strategies.DEFAULT_MAX_SIZE for v in ints.values())
            wider = strategies.points(atoms, PROBE_POINTS - BEYOND_POINTS, start=BEYOND_POINTS) if small else ()
            for reals in itertools.chain(extremes.end_points(atoms, case.facts),
                                         extremes.family_patterns(atoms, written), wider):
                point = symmetric_point({**ints, **strategies.in_domains(reals, case.facts)}, case)
                if floats.screen(rel, floats.Point(point, case.facts.families)):
                    continue
                refuted = kernel.refute(rel, case.hypotheses, point, case.facts, method)
                if refuted is not None:
                    return _from_refuted(refuted, case)
    return None


def _exists(problem: Problem) -> Settled:
    """An ``exists``: one confirmed witness in one case suffices; refuted when no case has an allowed value."""
    for case in problem.cases:
        if kernel.contradictory(case.hypotheses, case.facts):
            continue
        proof = _witness(case, problem)
        if proof:
            return _from_proved(proof, case)
    refuted = kernel.no_witness_possible([(c.relations, c.hypotheses, c.facts) for c in problem.cases])
    if refuted:
        return _from_refuted(refuted, None)
    return _unknown("no witness found among small values (tried integers, simple fractions and logarithms of "
                    "small rationals) nor from the solver")


def _witness(case: Case, problem: Problem) -> Proved | None:
    for ints in strategies.probe_instances(case, problem)[:12]:
        atoms = strategies.real_atoms(case, ints)
        for reals in strategies.points(atoms, WITNESS_POINTS):
            proof = kernel.witness(case.relations, case.hypotheses, symmetric_point({**ints, **reals}, case),
                                   case.facts)
            if proof is not None:
                return proof
    return _solver_witness(case, problem)


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
    goal = f"{op} 0" if op in OPERATORS else ""

    def names(e: sp.Basic) -> set[str]:
        return {str(x) for x in e.free_symbols} | {str(x.base) for x in e.atoms(sp.Indexed)}

    # Declared ranges (a >= or <= between names) are always there: only the others are worth naming.
    related = [kernel.show_relation(h) for h in case.hypotheses
               if names(h) & names(d) and not isinstance(h, (sp.Ge, sp.Le))]
    hint = f"; hypotheses on the same names: {', '.join(related[:3])}" if related else ""
    return f"left to show: {text} {goal}{hint}"


def _solver_model(case: Case, problem: Problem) -> Settled | None:
    """A model of the relation's failure from nonlinear real arithmetic (:mod:`verifier.kernel.nra`), as a
    proposal: the kernel re-checks it exactly at the point (names the model leaves out get 0)."""
    from verifier.kernel import nra  # z3 is imported only when needed
    if strategies.integer_names(case):
        return None
    hypotheses = nra.normal_hypotheses(case.hypotheses, case.facts)
    for rel in case.relations:
        lhs, op, rhs = rel
        if op not in OPERATORS or op == "!=":
            continue
        side, sign = oriented(op)
        model = nra.decide(rules.normal(side * (lhs - rhs), case.facts), sign, case.facts, hypotheses=hypotheses)
        if not isinstance(model, nra.Model):
            continue
        given = {a: model.point.get(a, sp.Integer(0)) for a in strategies.real_atoms(case, {}, [rel])}
        refuted = kernel.refute(rel, case.hypotheses, symmetric_point(given, case), case.facts,
                                "counterexample from a solver model, exact evaluation")
        if refuted is not None:
            return _from_refuted(refuted, case)
    return None


def _integer_model(case: Case, problem: Problem) -> Settled | None:
    """A counterexample over the integer names from an integer solver model (``N = 2000`` for a bound that fails
    only there), re-checked by the kernel exactly at the point."""
    for rel in case.relations:
        for point in integers.integer_failures(case, problem, rel):
            refuted = kernel.refute(rel, case.hypotheses, {**point, **case.values}, case.facts,
                                    "counterexample from an integer solver model, exact evaluation")
            if refuted is not None:
                return _from_refuted(refuted, case)
    return None


def _solver_witness(case: Case, problem: Problem) -> Proved | None:
    """A witness proposed by a model of nonlinear real arithmetic (one relation, no integer names), re-checked by
    the kernel exactly at the point."""
    from verifier.kernel import nra  # z3 is imported only when needed
    if len(case.relations) != 1 or strategies.integer_names(case):
        return None
    (rel,) = case.relations
    lhs, op, rhs = rel
    model = nra.witness(rules.normal(lhs - rhs, case.facts), op, case.facts,
                        nra.normal_hypotheses(case.hypotheses, case.facts))
    if model is None:
        return None
    given = {a: model.point.get(a, sp.Integer(0)) for a in strategies.real_atoms(case, {}, [rel])}
    return kernel.witness(case.relations, case.hypotheses, symmetric_point(given, case), case.facts,
                          "witness from a solver model, exact evaluation")


def symmetric_point(point: dict, case: Case) -> dict:
    """The point with the case's values, made symmetric (or antisymmetric) in each family the hypotheses make so,
    so that a counterexample or witness is proposed at such an ``F``: a real family's ``F[a, b]`` and ``F[b, a]``
    get their mean (its relation is written in ``(F + F^T)/2``, whose value at the mean is its value at the point),
    or for an antisymmetric one ``(F[a, b] - F[b, a])/2`` and its negative; an integer or finite-valued symmetric
    family's entry below the diagonal takes the value above it (the kernel checks the symmetry at the point)."""
    # The case's values stand for its entries wherever they are read: written, they were put in already; a sum
    # reaches them through its index (Sum(w[j], (j, 1, k)) >= w[1] with w[1] = 0 in the case was refuted at the
    # sum's w[1] = 1). They are put last: nothing may move them (a case B[1, 2] = 1, B[2, 1] = 0 that a symmetric
    # copy made B[2, 1] = 1 satisfied the symmetry at a point the relation was not evaluated at).
    return {**_symmetric(point, case), **case.values}


def _symmetric(point: dict, case: Case) -> dict:
    copied = {f for f in map(kernel.symmetric_family, case.hypotheses) if f is not None}
    sign = {f: 1 for f in case.symmetric} | {f: -1 for f in case.antisymmetric}
    if not sign and not copied:
        return point
    out = dict(point)
    for x, v in point.items():
        if isinstance(x, sp.Indexed) and x.base in sign and len(x.indices) == 2:
            other = x.base[x.indices[1], x.indices[0]]
            out[x] = (v + sign[x.base] * point.get(other, sign[x.base] * v)) / 2
        elif isinstance(x, sp.Indexed) and x.base in copied and len(x.indices) == 2:
            # An integer or finite-valued family: the entry below the diagonal takes the value above it.
            a, b = x.indices
            other = x.base[b, a]
            if other in point and sp.default_sort_key(b) < sp.default_sort_key(a):
                out[x] = point[other]
    return out


def _show_point(case: Case, point: Mapping) -> dict[str, str]:
    shown = {str(k): str(v) for k, v in case.values.items()}
    for k, v in sorted(point.items(), key=lambda kv: sp.default_sort_key(kv[0])):
        shown[str(k)] = str(v)
    return shown


def _show_value(v: sp.Expr) -> str:
    text = str(v)
    if v.is_Rational:
        return text
    box = kernel.enclose(v)
    if box is not None:
        return f"{text} ≈ {sp.Float((box[0] + box[1]) / 2, 10)}"
    return text


# -- claims ---------------------------------------------------------------------------------------------------


def settle_obligation(ob: Obligation, built: Problem | ExpressionError) -> Outcome:
    """The outcome of one obligation (an input error becomes verdict ``error``; a fault of the engine, ``unknown``
    with its reason)."""
    start = time.perf_counter()
    if isinstance(built, EngineFault):
        return Outcome(ob, "unknown", message=f"internal error in the engine: {built.message}",
                       seconds=time.perf_counter() - start)
    if isinstance(built, NotRead):      # a sheet's step whose reading cannot be built: the page, not a fault
        return Outcome(ob, "unknown", message=built.message, seconds=time.perf_counter() - start)
    if isinstance(built, ExpressionError):
        return Outcome(ob, "error", message=str(built), seconds=time.perf_counter() - start, bad_input=True)
    try:
        settled = settle(built)
    except RecursionError:
        settled = _unknown("stopped: expression too deep for the engine")
    except (ArithmeticError, AttributeError, LookupError, NotImplementedError, TypeError, ValueError) as err:
        # A fault of the engine (or of SymPy inside it) on a well-formed obligation: no verdict, never bad input.
        settled = _unknown(f"internal error in the engine: {type(err).__name__}: {err}")
    return Outcome(ob, settled.verdict, method=settled.method, seconds=time.perf_counter() - start,
                   counterexample=settled.counterexample, values=settled.values, sizes=settled.sizes,
                   message=settled.message)


def reviewed(library: Library, claim: Claim, outcome: Outcome) -> Outcome:
    """``outcome`` once the reference evaluator has looked at it (:mod:`verifier.oracle.crosscheck`): a verdict it
    shows wrong is withheld as ``unknown``, "internal disagreement: ..."."""
    from verifier.oracle.crosscheck import review
    return review(library, claim, outcome)


def verify_claim(library: Library, claim: Claim) -> ClaimResult:
    """Settle every obligation of a claim in this process (no time limit; see :mod:`verifier.runner.executor`)."""
    result = ClaimResult(claim)
    for (ob, built), (_, origin) in zip(library_problems(library, claim), obligations(claim), strict=True):
        reason = not_read(claim, origin)
        result.outcomes.append(Outcome(ob, "unknown", message=reason) if reason is not None
                               else reviewed(library, claim, settle_obligation(ob, built)))
    return result

"""The trusted checker: the only code that can make a verdict ``proved``, ``checked`` or ``refuted``.

Strategies (:mod:`verifier.search.strategies`) search, guess and call whatever SymPy offers; none of that is trusted.
They hand this module a *proposal*, and a verdict exists only if the checker confirms it. The verdict functions
:func:`prove`, :func:`refute`, :func:`witness`, :func:`check` and :func:`no_witness_possible` return the kernel's
verdict objects (:mod:`verifier.kernel.verdicts`), which nothing outside the kernel can construct; they rest on:

- :mod:`verifier.kernel.identity`: ``lhs = rhs`` for all allowed values (``confirm_identity``: both sides brought to
  the normal form of :mod:`verifier.kernel.rules`, each rule an equality with its premises discharged from the
  facts, and the difference must cancel to the polynomial 0 over the rationals, its atoms treated as independent
  unknowns); ``e >= 0`` or ``e > 0`` (``confirm_sign``: after the normal form, ``e = N/D`` with ``N`` and ``D``
  polynomials whose every coefficient has one sign and whose every atom is positive); a relation at one instance of
  a bounded check (``confirm_instance``: the values substituted there, then confirmed as above).
- :mod:`verifier.kernel.evaluation`: a relation, or its failure, at one point where every free name has a value
  (``confirm_at_point``): the point gives every name a number its declaration allows, satisfies every hypothesis and
  fact, and the relation holds (a witness) or fails (a counterexample), by exact rational arithmetic or by interval
  arithmetic (:mod:`verifier.kernel.interval`) whose enclosure excludes the other outcome.

A sum over an empty range (upper bound below the lower one) is 0, a product 1 (:mod:`verifier.kernel.sums`; not
Karr's convention, which SymPy's ``doit`` follows); nothing is decided about a sum whose bounds are not integers.

A relation is claimed where its left side is defined (:mod:`verifier.kernel.defined`): ``lhs = rhs`` (or ``<`` ...)
is confirmed only when ``rhs`` is shown defined wherever ``lhs`` is, and at a point where ``lhs`` is defined and
``rhs`` is not, the relation fails.

The trusted core is this module with :mod:`verifier.kernel.identity`, :mod:`verifier.kernel.evaluation`,
:mod:`verifier.kernel.relations`, :mod:`verifier.kernel.rules`, :mod:`verifier.kernel.sums`,
:mod:`verifier.kernel.defined`, :mod:`verifier.kernel.linear`, :mod:`verifier.kernel.interval` and
:mod:`verifier.kernel.universal` (hypotheses over all indices), and, as last
resorts, :mod:`verifier.kernel.multisum`, :mod:`verifier.kernel.geometric`, :mod:`verifier.kernel.logs`,
:mod:`verifier.kernel.inequalities` and :mod:`verifier.kernel.nra` (which trusts z3's ``unsat`` answer only).
It does no I/O and imports nothing of the CLI or the reports. What it takes from SymPy is listed in
:mod:`verifier.kernel.rules`; nothing here calls ``simplify``, ``equals``, ``is_zero`` or ``refine``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import sympy as sp

from verifier.kernel.evaluation import (
    admissible,
    condition_truth,
    confirm_at_point,
    contradictory,
    has_free_names,
    substitute,
)
from verifier.kernel.facts import Facts, admits, exact_number
from verifier.kernel.identity import Confirmed, confirm_instance, confirm_relation, defined_where, where_defined
from verifier.kernel.relations import Relation
from verifier.kernel.sums import well_formed
from verifier.kernel.universal import AllIndices, Definition, definitions, instances, rewrite
from verifier.kernel.verdicts import Checked, Proved, Refuted, Witness, made


def prove(relations: Sequence[Relation], hypotheses: Sequence[sp.Basic], facts: Facts) -> Proved | None:
    """``proved``: every relation holds for every allowed value that satisfies the hypotheses (vacuously when none
    does), each confirmed by :func:`confirm_relation`; ``None`` when one is not confirmed."""
    if not facts.consistent:
        return None
    sides = [side for lhs, _, rhs in relations for side in (lhs, rhs)]
    hypotheses = [*hypotheses, *instances(hypotheses, sides, facts.families, facts.decide)]
    if contradictory(hypotheses, facts):
        return made(Proved, method="vacuous: no allowed value satisfies the hypotheses")
    defs = definitions(hypotheses)
    if defs:
        relations = [_defined_entries_put(r, defs, facts) for r in relations]
    methods = []
    for relation in relations:
        confirmed = confirm_relation(relation, facts) or _confirm_under_hypotheses(relation, hypotheses, facts)
        if confirmed is None:
            return None
        methods.append(confirmed.method)
    return made(Proved, method="; ".join(sorted(set(methods))) if methods else "nothing to prove")


def _defined_entries_put(relation: Relation, defs: Sequence[Definition], facts: Facts) -> Relation:
    """The relation with the entries of families that a hypothesis over all indices defines replaced by their
    values (:func:`verifier.kernel.universal.rewrite`)."""
    def within(limits: Sequence[tuple[sp.Symbol, sp.Expr, sp.Expr]]) -> Callable[[sp.Basic], bool | None]:
        inner = facts
        for j, lo, hi in limits:
            inner = inner.forget(j).within(j, lo, hi)
        return inner.decide

    lhs, op, rhs = relation
    put = [rewrite(side, defs, facts.families, within) for side in (lhs, rhs)]
    return put[0], op, put[1]


def _confirm_under_hypotheses(relation: Relation, hypotheses: Sequence[sp.Basic], facts: Facts) -> Confirmed | None:
    """The relation by nonlinear real arithmetic using the hypotheses that the facts cannot hold (a sum equal to 1,
    a product), where its left side is defined and its right side is shown defined there too::

        facts, H |- rhs defined where lhs is        facts, H, lhs defined |- lhs op rhs   (z3: the negation unsat)
        -------------------------------------------------------------------------------------------------------
                                             facts, H |- lhs op rhs
    """
    nonlinear = [h for h in hypotheses if not isinstance(h, AllIndices) and Facts().add(h) == Facts()]
    lhs, _, rhs = relation
    if not nonlinear or not (well_formed(lhs) and well_formed(rhs)) or not defined_where(rhs, lhs, facts):
        return None
    from verifier.kernel import nra  # z3 is imported only when a proof needs it
    method = nra.confirm_under(relation, nonlinear, where_defined(lhs, facts))
    return Confirmed(method) if method else None


def _alpha_equal(a: sp.Basic, b: sp.Basic) -> bool:
    """Whether two expressions are the same up to the names of their bound variables (each build of a sum makes
    its own fresh index): SymPy's ``as_dummy`` renames every bound variable canonically, structurally."""
    return bool(a.as_dummy() == b.as_dummy())


#: One case of a problem as the kernel is handed it: its relations, hypotheses and facts.
CaseData = tuple[Sequence[Relation], Sequence[sp.Basic], Facts]


def prove_instance(general: Sequence[CaseData], values: Mapping[sp.Symbol, sp.Expr], instance: Sequence[CaseData]
                   ) -> Proved | None:
    """``proved`` for an obligation whose names were given values (``where``), from a proof for every value::

        facts |- R(v) for every allowed v      every value v0 allowed by its declaration      R(v0) is the obligation
        -------------------------------------------------------------------------------------------------------
                                              the obligation holds

    ``general`` and ``instance`` are the cases of the obligation with the names left free and with their values,
    case by case; each instance relation must be the general one with the values put in (structurally), and each
    general hypothesis, so substituted, true or among the instance's hypotheses. ``None`` when any of it fails.
    """
    if not general or len(general) != len(instance) or not values:
        return None
    methods = []
    for (g_rels, g_hyps, g_facts), (i_rels, i_hyps, _) in zip(general, instance, strict=True):
        if not admits(g_facts, values) or len(g_rels) != len(i_rels):
            return None
        for (gl, op, gr), (il, iop, ir) in zip(g_rels, i_rels, strict=True):
            if op != iop or not _alpha_equal(substitute(gl, values), il) \
                    or not _alpha_equal(substitute(gr, values), ir):
                return None
        given = {h.as_dummy() for h in i_hyps}
        for h in g_hyps:
            h = substitute(h, values)
            if h.as_dummy() not in given and condition_truth(h) is not True:
                return None
        proof = prove(g_rels, g_hyps, g_facts)
        if proof is None:
            return None
        methods.append(proof.method)
    shown = ", ".join(f"{k} = {v}" for k, v in sorted(values.items(), key=lambda kv: str(kv[0])))
    names = ", ".join(sorted(str(k) for k in values))
    return made(Proved, method=f"proved for every {names}, so at {shown}: " + "; ".join(sorted(set(methods))))


def refute(relation: Relation, hypotheses: Sequence[sp.Basic], point: Mapping[sp.Basic, sp.Expr], facts: Facts,
           method: str) -> Refuted | None:
    """``refuted``: the relation fails at the point, which every declaration allows and which satisfies every
    hypothesis (:func:`confirm_at_point`); ``None`` otherwise."""
    check = confirm_at_point(relation, list(hypotheses), point, facts)
    if check is None or check.holds:
        return None
    return made(Refuted, method=method, point=_shown_point(point, facts), lhs=check.lhs, rhs=check.rhs,
                undefined=check.undefined)


def witness(relations: Sequence[Relation], hypotheses: Sequence[sp.Basic], point: Mapping[sp.Basic, sp.Expr],
            facts: Facts, method: str = "witness, exact evaluation") -> Proved | None:
    """``proved`` for an ``exists``: every relation holds at the point, which every declaration allows and which
    satisfies every hypothesis; ``None`` otherwise."""
    if not relations:
        return None
    checks = [confirm_at_point(rel, list(hypotheses), point, facts) for rel in relations]
    if not all(c is not None and c.holds for c in checks):
        return None
    first = checks[0]
    assert first is not None
    found = made(Witness, point=_shown_point(point, facts), lhs=first.lhs, rhs=first.rhs)
    return made(Proved, method=method, witness=found)


def no_witness_possible(cases: Sequence[tuple[Sequence[Relation], Sequence[sp.Basic], Facts]]) -> Refuted | None:
    """``refuted`` for an ``exists`` (never true vacuously) when no case can have a witness: in each case
    ``(relations, hypotheses, facts)`` the hypotheses are contradictory, or a relation with no free name is false;
    ``None`` when some case may have one."""
    def impossible(relations: Sequence[Relation], hypotheses: Sequence[sp.Basic], facts: Facts) -> bool:
        if not facts.consistent:
            return False
        if contradictory(hypotheses, facts):
            return True
        closed = [r for r in relations
                  if not (has_free_names(exact_number(r[0])) or has_free_names(exact_number(r[2])))]
        return any((c := confirm_at_point(r, [], {}, facts)) is not None and not c.holds for r in closed)

    if not cases or not all(impossible(*case) for case in cases):
        return None
    return made(Refuted, method="no allowed value satisfies the hypotheses and the relation", point={},
                message="in every case, no value allowed by the declarations satisfies the hypotheses and the "
                        "relation, so nothing exists")


def check(relations: Sequence[Relation], hypotheses: Sequence[sp.Basic],
          instances: Sequence[Mapping[sp.Basic, sp.Expr]], facts: Facts, named: str, total: int
          ) -> Checked | Mapping[sp.Basic, sp.Expr] | None:
    """``checked``: every relation confirmed (:func:`confirm_instance`) at every instance of a finite set, which
    ``named`` describes (a set of ``total`` instances; when more than the instances given, ``named`` must say which
    were given). Returns the first instance that is not confirmed instead, for the caller to search there for a
    counterexample; ``None`` when there is no instance, or an instance is repeated (the count would overstate what
    was checked). The verdict says how many instances were confirmed."""
    distinct = {tuple(sorted((str(k), exact_number(v)) for k, v in values.items())) for values in instances}
    if not instances or not facts.consistent or len(distinct) != len(instances):
        return None
    for values in instances:
        for rel in relations:
            if confirm_instance(rel, list(hypotheses), values, facts) is None:
                return values
    n = len(instances)
    return made(Checked, method="bounded check: every instance confirmed exactly",
                checked=f"{named}: {n} of {max(total, n)}", instances=n)


def _shown_point(point: Mapping[sp.Basic, sp.Expr], facts: Facts) -> dict[sp.Basic, sp.Expr]:
    """The point's values, without entries the zero-outside rule sets to 0."""
    return admissible({k: exact_number(v) for k, v in point.items()}, facts)

"""Identities and signs for every allowed value, part of the trusted checker (:mod:`verifier.kernel.checker`).

- :func:`confirm_identity`: ``lhs = rhs`` for all allowed values. Both sides are brought to the normal form of
  :mod:`verifier.kernel.rules` (each rule an equality with its premises discharged from the facts), and the difference
  must cancel to the polynomial 0 over the rationals, its atoms (``expu(t)``, sums, entries, deltas) treated as
  independent unknowns, which is stronger than needed. (An identity of rational functions holds wherever both sides
  are defined.)
- :func:`confirm_sign`: ``e >= 0`` or ``e > 0``: after the normal form, ``e = N/D`` with ``N`` and ``D`` polynomials
  whose every coefficient has one sign and whose every atom is positive.
- :func:`confirm_relation`: either, by the relation's operator.
- :func:`confirm_instance`: a relation at integer values of some names (one instance of a bounded check), for all
  values of the others; the values are substituted here, then the relation is confirmed as above.

A relation is claimed where its left side is defined (:mod:`verifier.kernel.defined`): ``lhs = rhs`` (or ``<`` ...)
is confirmed only when ``rhs`` is shown defined wherever ``lhs`` is.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import sympy as sp

from verifier.kernel import conditions, defined, geometric, interval, inverse, logs, radicals, trig, zeros
from verifier.kernel.evaluation import (
    allowed,
    apply_zero_outside,
    at_point,
    binders,
    condition_truth,
    contradictory,
    substitute,
)
from verifier.kernel.facts import Facts, admits, exact_number, facts_from
from verifier.kernel.relations import NEGATED, Relation, show_relation
from verifier.kernel.rules import normal
from verifier.kernel.sums import merge_sums, peel, size_conditions, well_formed


@dataclass(frozen=True)
class Confirmed:
    """A confirmation: how the claim was confirmed (shown to users as the method)."""

    method: str


def is_zero_polynomially(e: sp.Expr) -> bool:
    """Whether ``e``, read as a rational function of its atoms, is the zero function."""
    if e == 0:
        return True
    num, den = sp.fraction(sp.together(e))
    if sp.expand(den) == 0:
        return False
    return sp.expand(num) == 0


def confirm_identity(lhs: sp.Expr, rhs: sp.Expr, facts: Facts, *, splits: int = 2) -> Confirmed | None:
    """Confirm ``lhs = rhs`` for every allowed value, or return ``None``.

    When the normal form leaves a condition undecided (of a ``Piecewise`` or a ``KroneckerDelta``), the identity
    is confirmed in both cases, up to ``splits`` conditions deep::

        facts, C |- lhs = rhs        facts, not C |- lhs = rhs
        ------------------------------------------------------
                        facts |- lhs = rhs

    In the case ``s = e`` for a symbol ``s``, ``s`` is replaced by ``e`` (equal values, so equal results).
    The conditions split on include the sizes of sums (``n >= 0`` for ``Sum(g, (j, 1, n))``).

    The identity is claimed where ``lhs`` is defined: ``rhs`` must be shown defined there (:func:`defined_where`).
    Where ``lhs`` is defined nowhere, nothing is claimed::

        facts, the conditions implied by "lhs is defined" are contradictory
        -------------------------------------------------------------------
                        facts |- lhs = rhs (vacuously)
    """
    local = _where_lhs_defined(lhs, rhs, facts)
    return _confirm_identity(lhs, rhs, local, splits) if isinstance(local, Facts) else local


#: The method of a relation whose left side is defined at no allowed point.
VACUOUS = "vacuous: the left side is defined nowhere here"


def _where_lhs_defined(lhs: sp.Expr, rhs: sp.Expr, facts: Facts) -> Facts | Confirmed | None:
    """The facts where ``lhs`` is defined, when ``rhs`` is shown defined there too; ``Confirmed(VACUOUS)`` when
    ``lhs`` is defined nowhere; ``None`` when a side is not well formed or ``rhs`` is not shown defined."""
    if not (well_formed(lhs) and well_formed(rhs)):
        return None
    local = where_defined(lhs, facts)
    if _nowhere(local, facts):
        return Confirmed(VACUOUS)
    return local if defined_where(rhs, lhs, facts) else None


def _nowhere(local: Facts, facts: Facts) -> bool:
    """Whether ``local`` (``facts`` with the conditions of a side being defined) is contradictory: the side is
    defined nowhere (``0 != 0``, what a division by 0 needs, or linear conditions that exclude each other)."""
    return local is not facts and (0 in local.unequal or contradictory((), local))


def defined_where(side: sp.Expr, given: sp.Expr, facts: Facts) -> bool:
    """Whether ``side`` is defined wherever ``given`` is (and the facts hold):

        facts, the conditions implied by "given is defined" |- each condition sufficient for "side is defined"
        -----------------------------------------------------------------------------------------------------
                               side is defined wherever given is

    A sub-expression of ``side`` that is also a sub-expression of ``given`` (outside a Piecewise, a sum, a limit)
    is defined there. A condition is discharged when it is one of ``given``'s, when the facts with ``given``'s
    conditions decide it, or, for ``u > 0``, ``u >= 0``, ``u != 0``, by :func:`confirm_sign`; ``u != 0`` also when
    ``u``'s zero set lies inside that of a nonzero expression of ``given``'s (:mod:`verifier.kernel.zeros`). An opaque
    ``defined(L)`` of a limit is discharged when the normal form evaluates the limit to an expression defined
    everywhere.
    """
    need = defined.conditions(side, sufficient=True)
    if need:
        need = defined.conditions_beyond(side, defined.strict_subterms(given))
    if not need:
        return True
    have = defined.conditions(given, sufficient=False)
    local = where_defined(given, facts)
    if any(c.has(sp.Sum) for c in need):
        need = tuple(conditions.renamed_like(c, local, have) for c in need)
    known = [c.lhs - c.rhs for c in have if isinstance(c, (sp.Ne, sp.Gt, sp.Lt))]
    return all(c in have or _discharged(c, local) or _nonzero_by_zero_sets(c, known, local)
               or (isinstance(c, sp.Ne) and c.rhs == 0 and c.lhs.has(sp.sin, sp.cos, sp.tan, sp.cot, sp.sec, sp.csc)
                   and trig.nonzero_by_factors(c.lhs, known)) or _under_given(c, have, local) for c in need)


def _under_given(c: sp.Basic, have: tuple[sp.Basic, ...], facts: Facts) -> bool:
    """Each relation of ``c`` (a relation, or an ``And`` of them) confirmed by nonlinear real arithmetic with the
    conditions of the given side as hypotheses (``x + 1 >= 0`` where ``1 - x^2 >= 0``), a last resort."""
    rels = [h for h in have if isinstance(h, (sp.core.relational.Relational, sp.And, sp.Or, sp.Not))]
    parts = sp.And.make_args(c)
    ops = {sp.Gt: ">", sp.Ge: ">=", sp.Lt: "<", sp.Le: "<="}
    if not rels or not all(type(r) in ops for r in parts):
        return False
    from verifier.kernel import nra  # z3 is imported only when a proof needs it
    return all(nra.confirm_under((r.lhs, ops[type(r)], r.rhs), rels, facts) is not None for r in parts)


def _nonzero_by_zero_sets(c: sp.Basic, known: list[sp.Expr], facts: Facts) -> bool:
    """``u != 0`` where every expression of ``known`` (and every one the facts know) is nonzero, by comparing zero
    sets (:mod:`verifier.kernel.zeros`): ``1/((x - 1)*(x + 1))`` is defined wherever ``1/(x^2 - 1)`` is."""
    if not (isinstance(c, sp.Ne) and c.rhs == 0):
        return False
    return zeros.nonzero(c.lhs, [*known, *facts.unequal], lambda f: any(
        confirm_sign(s * f, facts, strict=True) is not None for s in (1, -1)))


def where_defined(e: sp.Expr, facts: Facts) -> Facts:
    """The facts and the conditions implied by ``e`` being defined: a relation is claimed only there."""
    for c in defined.conditions(e, sufficient=False):
        if isinstance(c, sp.Basic) and not c.free_symbols and interval.settle(c) is sp.false:
            return facts.add(sp.false)  # a condition on numbers alone, decided rigorously: defined nowhere
        if isinstance(c, sp.Implies) and any(facts.decide(x) is False for x in sp.And.make_args(c.args[1])):
            c = sp.Not(c.args[0])   # a branch whose value is undefined wherever it is chosen is never chosen
        if isinstance(c, (sp.core.relational.Relational, sp.And)):
            facts = facts.add(c)
    return facts


def _discharged(c: sp.Basic, facts: Facts) -> bool:
    if c.has(sp.Sum):
        c = conditions.renamed_like(c, facts)
    if isinstance(c, sp.core.function.AppliedUndef):        # defined(e)
        (e,) = c.args
        if isinstance(e, sp.Limit):
            value = normal(e, facts)
            return not value.has(sp.Limit) and defined.everywhere(value) and not value.has(sp.oo, -sp.oo, sp.zoo)
        return False
    if isinstance(c, sp.Implies):       # a Piecewise branch's value, defined where the branch is chosen
        premise, conclusion = c.args
        if facts.decide(premise) is False:
            return True
        local = facts.add(premise)      # (the premise's linear parts: each a consequence of it)
        return all(_discharged(x, local) for x in sp.And.make_args(conclusion))
    if facts.decide(c) is True:
        return True
    if isinstance(c, (sp.Gt, sp.Ge)) and c.rhs == 0:
        return confirm_sign(c.lhs, facts, strict=isinstance(c, sp.Gt)) is not None
    if isinstance(c, sp.Ne) and c.rhs == 0:
        return any(confirm_sign(s * c.lhs, facts, strict=True) is not None for s in (1, -1))
    return False


def _confirm_identity(lhs: sp.Expr, rhs: sp.Expr, facts: Facts, splits: int) -> Confirmed | None:
    d = normal(lhs - rhs, facts)
    if _leaks(d, lhs - rhs):
        return None
    if is_zero_polynomially(d):
        return Confirmed("normal form: exact cancellation")
    if facts.decide(sp.Eq(d, 0, evaluate=False)) is True:
        return Confirmed("linear arithmetic from the hypotheses")
    if d.has(sp.Sum):
        merged = merge_sums(d)
        if is_zero_polynomially(merged):
            return Confirmed("normal form: sums combined, exact cancellation")
        for front in (False, True):
            peeled = peel(d, facts, front=front)
            if peeled != d and is_zero_polynomially(merge_sums(normal(peeled, facts))):
                where = "first" if front else "last"
                return Confirmed(f"normal form: {where} terms of a sum split off, sums combined, exact cancellation")
    found = _power_identity(d, facts)
    if found is not None:
        return found
    method = geometric.confirm(lhs, rhs, d, facts, confirm_identity, substitute, is_zero_polynomially)
    if method is not None:
        return Confirmed(method)
    found = _radical_identity(d, facts)
    if found is not None:
        return found
    found = _under_positive_names(lhs - rhs, facts)
    if found is not None:
        return found
    if d.has(sp.Piecewise):
        decided = conditions.settled(d, lambda r: _decide_by_signs(r, facts))
        if decided != d:
            n = normal(decided, facts)
            if not _leaks(n, d) and is_zero_polynomially(n):
                return Confirmed("Piecewise conditions decided by the sign rules, exact cancellation")
    if d.has(*trig.TRIG) and trig.reduced(d) == 0:
        return Confirmed("trigonometric normal form: sines and cosines of independent angles modulo "
                         "sin^2 + cos^2 = 1, exact cancellation")
    found = _inverse_identity(d, facts) or _inverse_identity(lhs - rhs, facts)
    if found is not None:
        return found
    if splits <= 0:
        return None
    cond = _undecided_condition(d, facts)
    if cond is None:
        cond = next(iter(size_conditions(d, facts)), None)
    if cond is None:
        return None
    cases = []
    for branch in (cond, _negation(cond)):
        if branch is None:
            return None
        left, right, f = lhs, rhs, facts.add(branch)
        if isinstance(branch, sp.Eq):
            s, e = _solved(branch)
            if s is not None:
                left, right = substitute(left, {s: e}), substitute(right, {s: e})
        confirmed = _confirm_identity(left, right, f, splits - 1)
        if confirmed is None:
            return None
        cases.append(confirmed.method)
    return Confirmed(f"case split on {show_relation(cond)}: " + "; ".join(sorted(set(cases))))


def _power_identity(d: sp.Expr, facts: Facts) -> Confirmed | None:
    """``d = 0`` by the logarithm rules (:mod:`verifier.kernel.logs`), then by nonlinear real arithmetic
    (:mod:`verifier.kernel.nra`), for a normal form that does not cancel by itself. Only where they can add
    something: logarithms, or cases (``Max``, ``Min``, ``Abs``, ``sign``, ``Piecewise`` conditions over the reals)."""
    if not d.has(sp.log, sp.Max, sp.Min, sp.Abs, sp.sign, sp.Piecewise):
        return None
    from verifier.kernel import nra  # z3 is imported only when a proof needs it
    expanded = logs.expand_logs(d, lambda a: nra.positive(a, facts))
    if expanded != d and not _leaks(expanded, d) and is_zero_polynomially(expanded):
        return Confirmed("logarithm rules under positivity, exact cancellation")
    if isinstance(nra.decide(expanded, "=", facts), nra.Proof):
        return Confirmed(nra.METHOD)
    return None


def _under_positive_names(d: sp.Expr, facts: Facts) -> Confirmed | None:
    """``d = 0`` with each real name that the facts show positive (``assume = ["x > 0"]``) replaced by a name
    declared positive, so that the normal form knows what the declaration ``positive`` would tell it::

        facts |- x > 0        d(t) = 0 for every t > 0
        ------------------------------------------------
                   facts |- d(x) = 0
    """
    names = {s for s in d.free_symbols if isinstance(s, sp.Symbol) and s.is_real is True
             and s.is_positive is not True and not s.is_integer and facts.positive(s)}
    if not names:
        return None
    stand_in = {s: sp.Dummy(s.name, positive=True) for s in names}
    try:
        positive = d.xreplace(stand_in)
    except (TypeError, ValueError):
        return None     # SymPy re-evaluating a Piecewise condition may compare nan (0**s/0 under s > 1)
    n = normal(positive, facts)
    if _leaks(n, positive) or not is_zero_polynomially(n):
        return None
    return Confirmed("normal form: names shown positive by the hypotheses read as positive, exact cancellation")


def _decide_by_signs(r: sp.Basic, facts: Facts) -> bool | None:
    """A relation ``a op b`` decided for every allowed value by the sign of ``a - b`` (:func:`confirm_sign`), when
    ``a - b`` is shown defined everywhere; ``None`` otherwise."""
    if not isinstance(r, (sp.Gt, sp.Ge, sp.Lt, sp.Le, sp.Ne, sp.Eq)):
        return None
    u = r.lhs - r.rhs
    if not all(_discharged(c, facts) for c in defined.conditions(u, sufficient=True)):
        return None
    if isinstance(r, (sp.Lt, sp.Le)):
        u, r = -u, (sp.Gt if isinstance(r, sp.Lt) else sp.Ge)(-u, 0, evaluate=False)
    if isinstance(r, (sp.Ne, sp.Eq)):
        nonzero = any(confirm_sign(s * u, facts, strict=True) is not None for s in (1, -1))
        return (isinstance(r, sp.Ne)) if nonzero else None
    strict = isinstance(r, sp.Gt)
    if confirm_sign(u, facts, strict=strict) is not None:
        return True
    if confirm_sign(-u, facts, strict=not strict) is not None:
        return False
    return None


def _radical_identity(d: sp.Expr, facts: Facts) -> Confirmed | None:
    """``d = 0`` once square roots of numbers are denested, square roots of squares taken, square roots in a product
    merged, and powers with symbolic exponents written through ``exp`` and ``log`` (:mod:`verifier.kernel.radicals`),
    for a normal form that does not cancel by itself."""
    if not d.has(sp.Pow):
        return None
    rooted = radicals.square_roots(radicals.denest(d), lambda b: confirm_sign(b, facts, strict=False) is not None)
    rooted = radicals.merged_roots(rooted, lambda b, strict: confirm_sign(b, facts, strict=strict) is not None)
    rewritten = radicals.powers_through_exp(rooted, lambda b: _positive(b, facts) or facts.positive(b))
    n = _rewritten_normal(rewritten, d, facts)
    if n is not None and is_zero_polynomially(n):
        return Confirmed("normal form: radicals denested, square roots of squares taken or merged, powers through "
                         "exp and log, exact cancellation")
    return None


def _inverse_identity(d: sp.Expr, facts: Facts) -> Confirmed | None:
    """``d = 0`` once inverse trigonometric and hyperbolic functions are rewritten by their principal branches' rules
    (:mod:`verifier.kernel.inverse`), then by the normal form, the logarithm rules under positivity and the
    trigonometric normal form."""
    if not d.has(*inverse.INVERSE):
        return None
    from verifier.kernel import nra  # z3 is imported only when a proof needs it

    def sign(a: sp.Expr, strict: bool) -> bool:
        if strict and (_positive(a, facts) or facts.positive(a) or nra.positive(a, facts)):
            return True
        return confirm_sign(a, facts, strict=strict) is not None

    n = _rewritten_normal(trig.expanded_angles(inverse.rewritten(d, sign)), d, facts)
    if n is not None and (is_zero_polynomially(n) or (n.has(*trig.TRIG) and trig.reduced(n) == 0)):
        return Confirmed("inverse functions by their principal branches' rules, exact cancellation")
    return None


def _rewritten_normal(rewritten: sp.Expr, d: sp.Expr, facts: Facts) -> sp.Expr | None:
    """The normal form of ``rewritten``, a rewriting of ``d``, with its logarithms expanded under positivity when it
    does not cancel as it is; ``None`` when the rewriting changed nothing or the normal form has a name ``d`` has not
    (a bound index that escaped)."""
    if rewritten == d:
        return None
    n = normal(rewritten, facts)
    if _leaks(n, d):
        return None
    if not is_zero_polynomially(n) and n.has(sp.log):
        from verifier.kernel import nra  # z3 is imported only when a proof needs it
        n = logs.expand_logs(n, lambda a: nra.positive(a, facts))
    return n


def _leaks(result: sp.Expr, source: sp.Expr) -> bool:
    """Whether a normal form has a free name its source did not have: a bound index that escaped its sum (the
    failure of SymPy issue #27359). The rules should never do this; a result that does is not trusted."""
    def names(e: sp.Expr) -> set:
        return {s for s in e.free_symbols if not isinstance(s, sp.Indexed)} | \
            {x.base.label for x in e.atoms(sp.Indexed)}
    return not names(result) <= names(source)


def confirm_relation(relation: Relation, facts: Facts) -> Confirmed | None:
    """Confirm ``lhs op rhs`` for every allowed value: :func:`confirm_identity` for ``=``, :func:`confirm_sign` for
    the inequalities (``!=`` by a strict sign either way)."""
    lhs, op, rhs = relation
    if op == "=":
        return confirm_identity(lhs, rhs, facts)
    local = _where_lhs_defined(lhs, rhs, facts)
    if not isinstance(local, Facts):
        return local
    facts = local
    if op in ("<", "<="):
        return confirm_sign(rhs - lhs, facts, strict=op == "<")
    if op in (">", ">="):
        return confirm_sign(lhs - rhs, facts, strict=op == ">")
    if op == "!=":
        if facts.decide(sp.Ne(lhs, rhs, evaluate=False)) is True:
            return Confirmed("linear arithmetic from the hypotheses")
        if _nonzero_by_zero_sets(sp.Ne(lhs - rhs, 0, evaluate=False), [], facts):
            return Confirmed("zero sets: each factor divides a nonzero hypothesis")
        return confirm_sign(lhs - rhs, facts, strict=True) or confirm_sign(rhs - lhs, facts, strict=True)
    return None


def confirm_instance(relation: Relation, hypotheses: list[sp.Basic], values: Mapping[sp.Basic, sp.Expr],
                     facts: Facts) -> Confirmed | None:
    """Confirm a relation at one instance of a bounded check: integer values for some names (sizes, indices), for
    every value of the others.

    The instance is made here, not by the caller: each value must be an integer that its name's declaration allows,
    the relation's sides and the hypotheses are substituted (bound variables kept), entries of zero-outside families
    outside their range become 0, and the facts are derived again from the declarations, the fixed values and the
    substituted hypotheses.
    """
    values = {k: exact_number(v) for k, v in values.items()}
    if not all(isinstance(k, sp.Symbol) and k.is_integer and isinstance(v, sp.Integer) and allowed(k, v)
               for k, v in values.items()) or not admits(facts, values):
        return None
    local = at_point(facts, values)
    substituted = []
    for h in hypotheses:
        h = substitute(h, values)
        if condition_truth(h) is False:
            return Confirmed("vacuous: a hypothesis is false at this instance")
        if h is not sp.true and h is not True:
            substituted.append(h)
    lhs, op, rhs = relation
    lhs, rhs = (apply_zero_outside(substitute(exact_number(side), values), local) for side in (lhs, rhs))
    inst = facts_from(facts.declarations, substituted, {**dict(facts.fixed), **values}, (lhs, rhs))
    if not inst.consistent:
        return None
    return confirm_relation((lhs, op, rhs), inst)


def _undecided_condition(d: sp.Expr, facts: Facts) -> sp.Basic | None:
    """The first relation between integers, in a Piecewise condition or a KroneckerDelta, that the facts leave open."""
    candidates: list[sp.Basic] = []
    for x in sp.preorder_traversal(d):
        if isinstance(x, sp.KroneckerDelta) and len(x.args) == 2:
            candidates.append(sp.Eq(*x.args))
        elif isinstance(x, sp.Piecewise):
            for _, c in x.args:
                candidates.extend(a for a in sp.preorder_traversal(c)
                                  if isinstance(a, sp.core.relational.Relational))
    for c in candidates:
        if isinstance(c, sp.core.relational.Relational) and not c.free_symbols & binders(d) \
                and all(s.is_integer for s in c.free_symbols) and facts.decide(c) is None:
            return c
    return None


def _negation(c: sp.Basic) -> sp.Basic | None:
    for cls, neg in NEGATED.items():
        if isinstance(c, cls):
            return neg(c.lhs, c.rhs, evaluate=False)
    return None


def _solved(eq: sp.Eq) -> tuple[sp.Symbol | None, sp.Expr | None]:
    """``eq`` as ``s = e`` with ``s`` a symbol not in ``e``, if it can be read so directly."""
    for s, e in ((eq.lhs, eq.rhs), (eq.rhs, eq.lhs)):
        if isinstance(s, sp.Symbol) and s not in e.free_symbols:
            return s, e
    d = sp.expand(eq.lhs - eq.rhs)
    for s in sorted(d.free_symbols, key=sp.default_sort_key):
        c = d.coeff(s)
        if c in (1, -1) and s not in (d - c * s).free_symbols:
            return s, sp.expand(-(d - c * s) / c)
    return None, None


def confirm_sign(e: sp.Expr, facts: Facts, *, strict: bool) -> Confirmed | None:
    """Confirm ``e > 0`` (strict) or ``e >= 0`` for every allowed value where ``e`` is defined, or return ``None``:
    by the normal form, else (a last resort) by the logarithm rules and nonlinear real arithmetic
    (:mod:`verifier.kernel.nra`)."""
    if not well_formed(e):
        return None
    found = _sign_by_normal_form(e, facts, strict=strict)
    if found is not None:
        return found
    from verifier.kernel import nra  # z3 is imported only when a proof needs it
    d = normal(e, facts)
    if _leaks(d, e):
        return None
    d = logs.expand_logs(d, lambda a: nra.positive(a, facts))
    # Sums over one range combined first, so that a sum of squares is one sum of nonnegative terms.
    for form in (d, merge_sums(d)) if d.has(sp.Sum) else (d,):
        if isinstance(nra.decide(form, ">" if strict else ">=", facts), nra.Proof):
            return Confirmed(nra.METHOD)
    return None


def _sign_by_normal_form(e: sp.Expr, facts: Facts, *, strict: bool) -> Confirmed | None:
    d = normal(e, facts)
    if _leaks(d, e):
        return None
    if d.is_number:
        s = interval.sign(d)
        if s is not None and (s > 0 or (s == 0 and not strict)):
            return Confirmed("exact evaluation")
        return None
    if facts.positive(d) if strict else facts.nonneg(d):
        return Confirmed("linear arithmetic from the hypotheses")
    num, den = sp.fraction(sp.together(d))
    num, den = sp.expand(num), sp.expand(den)
    sn, sd = _definite_sign(num, facts), _definite_sign(den, facts)
    if sn is None or sd is None or sd[0] == 0:
        return None
    if sn[0] == 0:
        return None if strict else Confirmed("normal form: zero")
    if sn[0] * sd[0] > 0 and (sn[1] or not strict):
        return Confirmed("normal form: positive coefficients over positive atoms")
    return None


def _definite_sign(p: sp.Expr, facts: Facts) -> tuple[int, bool] | None:
    """The sign that every term of the expanded polynomial ``p`` has for all values of its atoms, and whether
    ``p`` is then never 0: ``(0, False)`` for the zero polynomial, ``None`` when the terms' signs are not known.

        every term c*t1^e1*...*tm^em with c > 0 rational, and each factor ti^ei with ti > 0 and ei real
        (then ti^ei > 0), or ei an even integer and ti real (then ti^ei >= 0), or ei a rational non-integer and
        ti real (then ti^ei >= 0 wherever it is defined as a real number)
        ---------------------------------------------------------------------------------------------
        p >= 0; and p > 0 when some term has only factors of the first kind

    An atom ``Sum(g, (j, 1, n))`` counts as positive when ``g > 0`` for every ``j`` and the facts imply ``n >= 1``.
    """
    if p == 0:
        return 0, False
    signs = set()
    strict = False
    for term in sp.Add.make_args(p):
        c, rest = term.as_coeff_Mul()
        if not c.is_Rational or c == 0:
            return None
        positive = True
        for factor in sp.Mul.make_args(rest):
            base, e = factor.as_base_exp()
            if (_positive(base, facts) or _positive_sum(base, facts)) and _real(e):
                continue
            if e.is_Integer and int(e) % 2 == 0 and _real(base):
                positive = False    # an even power of a real is >= 0, and 0 where the base is
                continue
            if e.is_Rational and not e.is_Integer and _real(base):
                positive = False    # a real root, where defined (base >= 0), is >= 0
                continue
            return None
        strict = strict or positive
        signs.add(1 if c > 0 else -1)
    return (signs.pop(), strict) if len(signs) == 1 else None


def _positive(x: sp.Expr, facts: Facts) -> bool:
    """Certainly positive: a number by its rigorous enclosure (SymPy's ``is_positive`` of a number is a low-precision
    float evaluation), anything else by its assumptions, but only where every entry of a family with an index range
    is known to be inside that range (outside, the entry is 0, whatever its words say)."""
    if x.is_number:
        return interval.sign(x) == 1
    return _entries_in_range(x, facts) and x.is_positive is True


def _entries_in_range(x: sp.Expr, facts: Facts) -> bool:
    """Whether the facts place the index of every entry ``F[i]`` in ``x`` inside ``F``'s index range."""
    for entry in x.atoms(sp.Indexed):
        rng = facts.family_range(entry.base)
        if rng is None:
            continue
        if len(entry.indices) != 1:
            return False
        (i,), (lo, hi) = entry.indices, rng
        if not (facts.nonneg(i - lo) and facts.nonneg(hi - i)):
            return False
    return True


def _positive_sum(x: sp.Expr, facts: Facts) -> bool:
    """``Sum(g, (j, 1, n)) > 0``: at least one term (``n >= 1``; for ``n <= 0`` the sum is empty, 0), and every
    term positive (for ``1 <= j <= n``)."""
    if not (isinstance(x, sp.Sum) and len(x.limits) == 1 and x.limits[0][1] == 1):
        return False
    j, _, n = x.limits[0]
    return _positive(x.function, facts.within(j, sp.Integer(1), n)) and facts.positive(n)


def _real(x: sp.Expr) -> bool:
    """Certainly real (numbers as in :func:`_positive`)."""
    return interval.is_real(x) if x.is_number else x.is_real is True

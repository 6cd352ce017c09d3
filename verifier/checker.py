"""The trusted checker: the only code that can make a verdict ``proved``, ``checked`` or ``refuted``.

Strategies (:mod:`verifier.strategies`) search, guess and call whatever SymPy offers; none of that is trusted.
They hand this module a *proposal*, and a verdict exists only if a function here confirms it:

- :func:`confirm_identity`: ``lhs = rhs`` for all allowed values. Both sides are brought to the normal form of
  :mod:`verifier.rules` (each rule an equality with its premises discharged from the facts), and the difference must
  cancel to the polynomial 0 over the rationals, its atoms (``expu(t)``, sums, entries, deltas) treated as independent
  unknowns, which is stronger than needed. (An identity of rational functions holds wherever both sides are defined.)
- :func:`confirm_sign`: ``e >= 0`` or ``e > 0``: after the normal form, ``e = N/D`` with ``N`` and ``D`` polynomials
  whose every coefficient has one sign and whose every atom is positive.
- :func:`confirm_at_point`: a relation, or its failure, at one point where every free name has a value: the point
  satisfies every hypothesis and the relation holds (a witness) or fails (a counterexample), by exact rational
  arithmetic or by interval arithmetic (:mod:`verifier.interval`) whose enclosure excludes the other outcome.

The trusted core is this module with :mod:`verifier.rules`, :mod:`verifier.linear` and :mod:`verifier.interval`.
It does no I/O and imports nothing of the CLI or the reports. What it takes from SymPy is listed in
:mod:`verifier.rules`; nothing here calls ``simplify``, ``equals``, ``is_zero`` or ``refine``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

import sympy as sp

from verifier import interval
from verifier.rules import Facts, expu, merge_sums, normal, peel

Relation = tuple[sp.Expr, str, sp.Expr]   # (lhs, op, rhs), op in "=", "!=", "<", "<=", ">", ">="


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
    """
    d = normal(lhs - rhs, facts)
    if is_zero_polynomially(d):
        return Confirmed("normal form: exact cancellation")
    if d.has(sp.Sum):
        merged = merge_sums(d)
        if is_zero_polynomially(merged):
            return Confirmed("normal form: sums combined, exact cancellation")
        for front in (False, True):
            peeled = peel(d, front=front)
            if peeled != d and is_zero_polynomially(merge_sums(normal(peeled, facts))):
                where = "first" if front else "last"
                return Confirmed(f"normal form: {where} terms of a sum split off, sums combined, exact cancellation")
    if splits <= 0:
        return None
    cond = _undecided_condition(d, facts)
    if cond is None:
        return None
    cases = []
    for branch in (cond, _negation(cond)):
        if branch is None:
            return None
        l, r, f = lhs, rhs, facts.add(branch)
        if isinstance(branch, sp.Eq):
            s, e = _solved(branch)
            if s is not None:
                l, r = l.xreplace({s: e}), r.xreplace({s: e})
        confirmed = confirm_identity(l, r, f, splits=splits - 1)
        if confirmed is None:
            return None
        cases.append(confirmed.method)
    return Confirmed(f"case split on {_show(cond)}: " + "; ".join(sorted(set(cases))))


def _undecided_condition(d: sp.Expr, facts: Facts) -> sp.Basic | None:
    """The first relation between integers, in a Piecewise condition or a KroneckerDelta, that the facts leave open."""
    candidates: list[sp.Basic] = []
    for x in sp.preorder_traversal(d):
        if isinstance(x, sp.KroneckerDelta):
            candidates.append(sp.Eq(*x.args))
        elif isinstance(x, sp.Piecewise):
            for _, c in x.args:
                candidates.extend(a for a in sp.preorder_traversal(c)
                                  if isinstance(a, sp.core.relational.Relational))
    for c in candidates:
        if isinstance(c, sp.core.relational.Relational) and not c.free_symbols & _bound(d) \
                and all(s.is_integer for s in c.free_symbols) and facts.decide(c) is None:
            return c
    return None


def _bound(d: sp.Expr) -> set:
    return {lim[0] for x in sp.preorder_traversal(d) if isinstance(x, sp.Sum) for lim in x.limits}


def _negation(c: sp.Basic) -> sp.Basic | None:
    table = {sp.Eq: sp.Ne, sp.Ne: sp.Eq, sp.Lt: sp.Ge, sp.Le: sp.Gt, sp.Gt: sp.Le, sp.Ge: sp.Lt}
    for cls, neg in table.items():
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


def _show(c: sp.Basic) -> str:
    ops = {sp.Eq: "=", sp.Ne: "!=", sp.Lt: "<", sp.Le: "<=", sp.Gt: ">", sp.Ge: ">="}
    for cls, op in ops.items():
        if isinstance(c, cls):
            return f"{c.lhs} {op} {c.rhs}"
    return str(c)


def confirm_sign(e: sp.Expr, facts: Facts, *, strict: bool) -> Confirmed | None:
    """Confirm ``e > 0`` (strict) or ``e >= 0`` for every allowed value, or return ``None``."""
    d = normal(e, facts)
    if d.is_number:
        s = interval.sign(d)
        if s is not None and (s > 0 or (s == 0 and not strict)):
            return Confirmed("exact evaluation")
        return None
    num, den = sp.fraction(sp.together(d))
    num, den = sp.expand(num), sp.expand(den)
    sn, sd = _definite_sign(num), _definite_sign(den)
    if sn is None or sd is None or sd == 0:
        if num == 0 and not strict and sd not in (None, 0):
            return Confirmed("normal form: zero")
        return None
    if sn * sd > 0:
        return Confirmed("normal form: positive coefficients over positive atoms")
    return None


def _definite_sign(p: sp.Expr) -> int | None:
    """+1 or -1 if every term of the expanded polynomial ``p`` has that sign for all values of its atoms."""
    if p == 0:
        return 0
    signs = set()
    for term in sp.Add.make_args(p):
        c, rest = term.as_coeff_Mul()
        if not c.is_Rational or c == 0:
            return None
        for factor in sp.Mul.make_args(rest):
            base, e = factor.as_base_exp()
            if not (base.is_positive is True or (e.is_Integer and int(e) % 2 == 0 and base.is_real is True)):
                return None
        signs.add(1 if c > 0 else -1)
    return signs.pop() if len(signs) == 1 else None


def at_point(facts: Facts, point: Mapping[sp.Basic, sp.Expr]) -> Facts:
    """The facts with the ranges of zero-outside families evaluated at the point's sizes."""
    families = tuple((b, lo.xreplace(dict(point)), hi.xreplace(dict(point)))
                     for b, lo, hi in facts.families)
    return Facts(facts.constraints, facts.unequal, families)


def admissible(point: Mapping[sp.Basic, sp.Expr], facts: Facts) -> dict[sp.Basic, sp.Expr]:
    """The point without values for entries that the out-of-bound-is-zero convention fixes to 0."""
    local = at_point(facts, point)
    return {k: v for k, v in point.items()
            if not (isinstance(k, sp.Indexed) and apply_zero_outside(k, local) == 0)}


def evaluate(e: sp.Expr, point: Mapping[sp.Basic, sp.Expr], facts: Facts) -> sp.Expr:
    """``e`` at a point: every free name replaced, finite sums written out, the normal form taken. Entries of a
    zero-outside family at an index outside its range are 0, whatever the point says."""
    facts = at_point(facts, point)
    point = admissible(point, facts)
    value = e
    for _ in range(2):  # entries x[1], x[2] ... appear only once sums over symbolic sizes are written out
        value = apply_zero_outside(value.xreplace(point), facts)
        value = normal(value, facts).replace(expu, sp.exp)
    return apply_zero_outside(value, facts)


def apply_zero_outside(e: sp.Expr, facts: Facts) -> sp.Expr:
    """Replace entries ``F[n]`` with a numeric index outside ``F``'s declared numeric range by 0."""
    repl = {}
    for x in e.atoms(sp.Indexed):
        rng = facts.family_range(x.base)
        if rng is None or len(x.indices) != 1:
            continue
        (i,) = x.indices
        lo, hi = rng
        if i.is_Integer and lo.is_Integer and hi.is_Integer and not (lo <= i <= hi):
            repl[x] = sp.Integer(0)
    return e.xreplace(repl) if repl else e


def truth(lhs: sp.Expr, op: str, rhs: sp.Expr) -> bool | None:
    """Whether a relation between two numbers holds, decided exactly or by a rigorous enclosure (else ``None``)."""
    if isinstance(lhs, sp.logic.boolalg.BooleanAtom) or isinstance(rhs, sp.logic.boolalg.BooleanAtom):
        return None
    s = interval.sign(sp.expand(lhs - rhs))
    if s is None:
        return None
    return {"=": s == 0, "!=": s != 0, "<": s < 0, "<=": s <= 0, ">": s > 0, ">=": s >= 0}[op]


def condition_truth(cond: sp.Basic) -> bool | None:
    """Whether a condition on numbers (a relation, or And/Or/Not of them) holds, rigorously, else ``None``."""
    if cond is sp.true or cond is True:
        return True
    if cond is sp.false or cond is False:
        return False
    if isinstance(cond, (sp.And, sp.Or)):
        values = [condition_truth(a) for a in cond.args]
        if isinstance(cond, sp.And):
            return False if False in values else (None if None in values else True)
        return True if True in values else (None if None in values else False)
    if isinstance(cond, sp.Not):
        v = condition_truth(cond.args[0])
        return None if v is None else not v
    ops = {sp.Eq: "=", sp.Ne: "!=", sp.Lt: "<", sp.Le: "<=", sp.Gt: ">", sp.Ge: ">="}
    for cls, op in ops.items():
        if isinstance(cond, cls):
            return truth(cond.lhs, op, cond.rhs)
    return None


@dataclass(frozen=True)
class PointCheck:
    """The relation at a point: both sides' values and whether the relation holds there."""

    holds: bool
    lhs: sp.Expr
    rhs: sp.Expr


def confirm_at_point(relation: Relation, hypotheses: list[sp.Basic], point: Mapping[sp.Basic, sp.Expr],
                     facts: Facts) -> PointCheck | None:
    """Evaluate a relation at a point that satisfies every hypothesis; ``None`` when either cannot be settled
    rigorously, or a hypothesis fails there, or a free name is left without a value."""
    facts = at_point(facts, point)
    for h in hypotheses:
        value = _evaluate_condition(h, point, facts)
        if condition_truth(value) is not True:
            return None
    lhs, op, rhs = relation
    a, b = evaluate(lhs, point, facts), evaluate(rhs, point, facts)
    if (a.free_symbols or b.free_symbols or a.has(sp.Indexed) or b.has(sp.Indexed)
            or a.has(sp.Sum) or b.has(sp.Sum)):
        return None
    holds = truth(a, op, b)
    if holds is None:
        return None
    return PointCheck(holds, a, b)


def _evaluate_condition(cond: sp.Basic, point: Mapping[sp.Basic, sp.Expr], facts: Facts) -> sp.Basic:
    if isinstance(cond, (sp.And, sp.Or, sp.Not)):
        return cond.func(*[_evaluate_condition(a, point, facts) for a in cond.args])
    if isinstance(cond, sp.core.relational.Relational):
        lhs, rhs = evaluate(cond.lhs, point, facts), evaluate(cond.rhs, point, facts)
        return cond.func(lhs, rhs, evaluate=False)
    return cond.xreplace(dict(point))

"""Evaluation at a point, part of the trusted checker (:mod:`verifier.kernel.checker`).

:func:`confirm_at_point` settles a relation, or its failure, at one point where every free name has a value: the
point gives every name a number its declaration allows, satisfies every hypothesis and fact, and the relation holds
(a witness) or fails (a counterexample), by exact rational arithmetic or by interval arithmetic
(:mod:`verifier.kernel.interval`) whose enclosure excludes the other outcome. A side is evaluated where it is
defined (:mod:`verifier.kernel.defined`). :func:`contradictory` says that no allowed value satisfies the hypotheses.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

import sympy as sp

from verifier.kernel import defined, interval, linear
from verifier.kernel.facts import Facts, admits, exact_number
from verifier.kernel.relations import RELATION_OPS, Relation, sign_satisfies
from verifier.kernel.rules import expu, normal
from verifier.kernel.sums import well_formed
from verifier.kernel.universal import AllIndices


def at_point(facts: Facts, point: Mapping[sp.Basic, sp.Expr]) -> Facts:
    """The facts with the ranges of zero-outside families evaluated at the point's sizes."""
    families = tuple((b, lo.xreplace(dict(point)), hi.xreplace(dict(point)))
                     for b, lo, hi in facts.families)
    return replace(facts, families=families)


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
        value = apply_zero_outside(substitute(value, point), facts)
        value = normal(value, facts).replace(expu, sp.exp)
    return apply_zero_outside(value, facts)


def substitute(e: sp.Basic, mapping: Mapping[sp.Basic, sp.Expr]) -> sp.Basic:
    """``e.xreplace(mapping)``, except that a variable bound in ``e`` (of a ``Limit``, ``Sum`` or ``Product``) keeps
    its meaning there: ``Limit(f(z), z, oo)`` at ``z = 0`` stays ``Limit(f(z), z, oo)``, not ``Limit(f(0), 0, oo)``."""
    mapping = dict(mapping)
    if not mapping or not isinstance(e, sp.Basic):
        return e
    if not any(v in mapping for v in binders(e)):
        return interval.settle(e, mapping)
    if isinstance(e, sp.Limit):
        f, z, z0, direction = e.args
        inner = {k: v for k, v in mapping.items() if k != z}
        return sp.Limit(substitute(f, inner), z, substitute(z0, mapping), str(direction))
    if isinstance(e, (sp.Sum, sp.Product)):
        names = {lim[0] for lim in e.limits}
        inner = {k: v for k, v in mapping.items() if k not in names}
        limits = [(lim[0], substitute(lim[1], inner), substitute(lim[2], inner)) for lim in e.limits]
        return e.func(substitute(e.function, inner), *limits)
    return interval.rebuild(e, tuple(substitute(a, mapping) for a in e.args))


def binders(e: sp.Basic) -> set:
    """The variables bound inside ``e``: of its limits, sums and products."""
    out: set = set()
    for x in sp.preorder_traversal(e):
        if isinstance(x, sp.Limit):
            out.add(x.args[1])
        elif isinstance(x, (sp.Sum, sp.Product)):
            out |= {lim[0] for lim in x.limits}
    return out


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
    return interval.settle(e, repl) if repl else e


def truth(lhs: sp.Expr, op: str, rhs: sp.Expr) -> bool | None:
    """Whether a relation between two numbers holds, decided exactly or by a rigorous enclosure (else ``None``)."""
    if isinstance(lhs, sp.logic.boolalg.BooleanAtom) or isinstance(rhs, sp.logic.boolalg.BooleanAtom):
        return None
    # Sums too long to write out are enclosed, which shows an inequality but never an equality: once is enough.
    long = op in ("=", "!=") and any(isinstance(x, (sp.Sum, sp.Product)) for side in (lhs, rhs)
                                     for x in sp.preorder_traversal(side))
    s = interval.sign(sp.expand(interval.settle(lhs) - interval.settle(rhs)), quick=long)
    if s is None:
        return None
    return sign_satisfies(s, op)


def condition_truth(cond: sp.Basic) -> bool | None:
    """Whether a condition on numbers (a relation, or And/Or/Not/Implies of them) holds, rigorously, else ``None``."""
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
    if isinstance(cond, sp.Implies):    # the consequent is read only where the antecedent holds (it may be undefined)
        v = condition_truth(cond.args[0])
        return True if v is False else (None if v is None else condition_truth(cond.args[1]))
    for cls, op in RELATION_OPS.items():
        if isinstance(cond, cls):
            return truth(cond.lhs, op, cond.rhs)
    return None


@dataclass(frozen=True)
class PointCheck:
    """The relation at a point: both sides' values and whether the relation holds there. When the right side is
    undefined there (and the left side defined), the relation fails, ``undefined`` is ``"rhs"`` and ``rhs`` is
    ``nan``: no value is reported for it."""

    holds: bool
    lhs: sp.Expr
    rhs: sp.Expr
    undefined: str | None = None


def confirm_at_point(relation: Relation, hypotheses: list[sp.Basic], point: Mapping[sp.Basic, sp.Expr],
                     facts: Facts) -> PointCheck | None:
    """Evaluate a relation at a point that satisfies every hypothesis; ``None`` when either cannot be settled
    rigorously, or a hypothesis fails there, or a free name is left without a value.

    The point itself is checked first: every value is a closed-form number allowed by its name's declaration
    (integer, sign words, interval ends, finite domain; an entry of a family outside its index range must be 0:
    :func:`verifier.kernel.facts.admits`), and every linear fact and disequality of ``facts`` holds there.
    """
    try:
        return _confirm_at_point(relation, hypotheses, point, facts)
    except ValueError:
        # SymPy's arithmetic can fail on some large numbers (a root of a large rational: "... is not a prime
        # factor of ..."): nothing is decided at such a point.
        return None


def _confirm_at_point(relation: Relation, hypotheses: list[sp.Basic], point: Mapping[sp.Basic, sp.Expr],
                      facts: Facts) -> PointCheck | None:
    relation = (exact_number(relation[0]), relation[1], exact_number(relation[2]))
    point = {k: exact_number(v) for k, v in point.items()}
    if not all(isinstance(e, sp.Expr) and well_formed(e) for e in (relation[0], relation[2])):
        return None
    if not all(allowed(k, v) for k, v in point.items()) or not admits(facts, point) \
            or not _satisfies(facts, point):
        return None
    facts = at_point(facts, point)
    for h in hypotheses:
        if isinstance(h, AllIndices):
            # Symmetry is the one hypothesis over all indices that a point can be checked against: the entries it
            # leaves out extend to a symmetric family. For any other, what the point leaves out may not extend.
            family = symmetric_family(h)
            if family is None or not _symmetric_at(family, {**dict(facts.fixed), **point}):
                return None
            continue
        value = _rational_condition(h, point)
        if value is None:
            value = condition_truth(_evaluate_condition(h, point, facts))
        if value is not True:
            return None
    lhs, op, rhs = relation
    left, right = (_defined_at(side, point, facts) for side in (lhs, rhs))
    if left is not True or right is None:
        return None     # the relation is claimed only where its left side is defined
    a = evaluate(lhs, point, facts)
    if not _is_value(a):
        return None
    if right is False:
        return PointCheck(False, a, sp.nan, undefined="rhs")
    b = evaluate(rhs, point, facts)
    if not _is_value(b):
        return None
    holds = truth(a, op, b)
    if holds is None:
        return None
    return PointCheck(holds, a, b)


def _defined_at(e: sp.Expr, point: Mapping[sp.Basic, sp.Expr], facts: Facts) -> bool | None:
    """Whether ``e`` is defined (a real number) at the point, rigorously; ``None`` when undecided."""
    return defined.at_point(e, lambda x: evaluate(x, point, facts),
                            lambda c: condition_truth(_evaluate_condition(c, point, facts)), substitute)


def _is_value(v: sp.Basic) -> bool:
    """A number with nothing left unevaluated: no free name, entry, held node or non-real part, and no sum or
    product but over a range given by numbers (too long to write out: enclosed by :mod:`interval`)."""
    return isinstance(v, sp.Expr) and not (v.free_symbols or v.has(sp.Indexed, sp.nan, sp.zoo)) \
        and all(len(s.limits) == 1 and s.limits[0][1].is_Integer and s.limits[0][2].is_Integer
                for s in v.atoms(sp.Sum, sp.Product)) \
        and not any(interval.held_original(f) for f in v.atoms(sp.core.function.AppliedUndef))


def symmetric_family(h: sp.Basic) -> sp.IndexedBase | None:
    """The family ``F`` of the hypothesis over all indices ``F[r, s] = F[s, r]``, else ``None``."""
    if not isinstance(h, AllIndices) or len(h.variables) != 2:
        return None
    body = h.body
    if not isinstance(body, sp.Eq) or not all(isinstance(x, sp.Indexed) for x in body.args):
        return None
    a, b = body.args
    r, s = h.variables
    if a.base != b.base or {a.indices, b.indices} != {(r, s), (s, r)}:
        return None
    return a.base


def _symmetric_at(family: sp.IndexedBase, point: Mapping[sp.Basic, sp.Expr]) -> bool:
    """Whether the point gives ``F[a, b]`` and ``F[b, a]`` the same value wherever it gives both (an entry whose
    transpose it leaves out extends to a symmetric ``F``)."""
    for x, v in point.items():
        if isinstance(x, sp.Indexed) and x.base == family and len(x.indices) == 2:
            other = family[x.indices[1], x.indices[0]]
            if other in point and interval.sign(sp.expand(point[other] - v)) != 0:
                return False
    return True


def _rational_condition(h: sp.Basic, point: Mapping[sp.Basic, sp.Expr]) -> bool | None:
    """A relation between polynomials with rational values at the point, decided by exact rational arithmetic
    (most hypotheses are ranges of integers); ``None`` for anything else."""
    if not isinstance(h, sp.core.relational.Relational) or h.has(sp.Function, sp.Sum, sp.Indexed):
        return None
    d = sp.expand(substitute(h.lhs - h.rhs, point))
    if not d.is_Rational:
        return None
    return truth(d, RELATION_OPS[type(h)], sp.Integer(0)) if type(h) in RELATION_OPS else None


def allowed(name: sp.Basic, value: sp.Basic) -> bool:
    """Whether ``value`` is a number that the declaration of ``name`` (a symbol or an entry ``x[1]``) allows."""
    if not (isinstance(name, sp.Symbol) or (isinstance(name, sp.Indexed) and all(i.is_Integer for i in name.indices))):
        return False    # only names get values: giving exp(x) a value would not constrain x
    if not isinstance(value, sp.Expr) or value.free_symbols or value.has(sp.nan, sp.zoo, sp.oo, -sp.oo):
        return False
    if name.is_integer and not value.is_Integer:
        return False
    if name.is_real and not interval.is_real(value):
        return False
    wanted = {"positive": {1}, "negative": {-1}, "nonnegative": {0, 1}, "nonpositive": {0, -1},
              "nonzero": {1, -1}, "zero": {0}}
    needed = [signs for key, signs in wanted.items() if getattr(name, "is_" + key) is True]
    if needed:
        s = interval.sign(value)
        if s is None or not all(s in signs for signs in needed):
            return False
    return True


def _satisfies(facts: Facts, point: Mapping[sp.Basic, sp.Expr]) -> bool:
    """Whether every linear fact and every disequality of ``facts`` that mentions a name of the point holds there
    (all its names given).

    A fact about none of the point's names is about names that neither the relation nor the hypotheses use (those
    must all have values): the declarations of other relations of the same case, which do not bear on this one.
    """
    values = dict(point)
    for c in facts.constraints:
        if not any(v in values for v, _ in c.coeffs):
            continue
        if not all(v in values for v, _ in c.coeffs):
            return False
        total = sp.Rational(c.const.numerator, c.const.denominator) + \
            sp.Add(*[sp.Rational(a.numerator, a.denominator) * values[v] for v, a in c.coeffs])
        s = interval.sign(sp.expand(total))
        if s is None or s < 0 or (s == 0 and c.strict):
            return False
    for d in facts.unequal:
        if not d.free_symbols & set(values):
            continue
        value = d.xreplace(values)
        if value.free_symbols:
            return False
        s = interval.sign(sp.expand(value))
        if s is None or s == 0:
            return False
    return True


def _evaluate_condition(cond: sp.Basic, point: Mapping[sp.Basic, sp.Expr], facts: Facts) -> sp.Basic:
    if isinstance(cond, (sp.And, sp.Or, sp.Not)):
        return cond.func(*[_evaluate_condition(a, point, facts) for a in cond.args])
    if isinstance(cond, sp.core.relational.Relational):
        lhs, rhs = evaluate(cond.lhs, point, facts), evaluate(cond.rhs, point, facts)
        return cond.func(lhs, rhs, evaluate=False)
    return substitute(cond, dict(point))


def contradictory(hypotheses: Sequence[sp.Basic], facts: Facts) -> bool:
    """Whether no allowed value satisfies the hypotheses: one of them is a false relation between numbers
    (decided rigorously), or the linear facts admit no point.

        some hypothesis h is false, or the linear facts F are infeasible
        ----------------------------------------------------------------
                    no allowed value satisfies the hypotheses
    """
    if any(not has_free_names(h) and not isinstance(h, AllIndices) and condition_truth(h) is False for h in hypotheses):
        return True
    return bool(facts.constraints) and linear.infeasible(list(facts.constraints))


def has_free_names(h: sp.Basic) -> bool:
    """Whether ``h`` is an expression with a free name (not a closed number or condition)."""
    return isinstance(h, sp.Basic) and bool(h.free_symbols)

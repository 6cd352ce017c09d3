"""Integer points where a relation between polynomials in a problem's integer names may fail, proposed by z3 over
the integers. Untrusted, like every search: the kernel checks each point exactly."""

from __future__ import annotations

from math import lcm
from typing import TYPE_CHECKING

import sympy as sp

from verifier.frontend.problem import Case, Problem
from verifier.kernel.relations import RELATION_OPS, holds, negated, oriented
from verifier.search.strategies import integer_names

if TYPE_CHECKING:
    import z3

#: The time one integer solver call may take, in milliseconds.
INTEGER_SOLVER_MS = 500


def integer_failures(case: Case, problem: Problem, relation: tuple) -> list[dict[sp.Symbol, sp.Integer]]:
    """Integer points where a relation between polynomials in the integer names may fail, proposed by z3 over the
    integers: a model of the hypotheses (those polynomial in these names), the declared signs and ranges, and the
    negated relation, after the normal form (sums of polynomials are in closed form there). Only a proposal: the
    kernel checks the point exactly. ``[]`` when the relation is not such a polynomial or no model is found."""
    from verifier.kernel import rules

    names = integer_names(case)
    lhs, op, rhs = relation
    side, goal = oriented(op)
    if goal not in ("=", ">=", ">", "!=") or not names:
        return []
    d = rules.normal(side * (lhs - rhs), case.facts)
    polys = [_int_poly(d, names)] + [_int_poly(h.lhs - h.rhs, names) for h in case.hypotheses
                                     if isinstance(h, sp.core.relational.Relational)]
    if polys[0] is None:
        return []
    import z3

    zs = {s: z3.Int(str(s)) for s in names}
    solver = z3.Solver()
    solver.set("timeout", INTEGER_SOLVER_MS)
    solver.add(holds(negated(goal), _to_z3(polys[0], zs), 0))
    relations = [h for h in case.hypotheses if isinstance(h, sp.core.relational.Relational)]
    for h, p in zip(relations, polys[1:], strict=True):
        if p is not None and type(h) in RELATION_OPS:
            solver.add(holds(RELATION_OPS[type(h)], _to_z3(p, zs), 0))
    for s, z in zs.items():
        if s.is_positive:
            solver.add(z >= 1)
        elif s.is_nonnegative:
            solver.add(z >= 0)
    if solver.check() != z3.sat:
        return []
    model = solver.model()
    return [{s: sp.Integer(model.eval(z, model_completion=True).as_long()) for s, z in zs.items()}]


def _int_poly(e: sp.Expr, names: list[sp.Symbol]) -> sp.Poly | None:
    """``e`` as a polynomial with rational coefficients in ``names`` only, or ``None``."""
    if not e.free_symbols <= set(names) or e.has(sp.Function, sp.Sum, sp.Indexed, sp.Piecewise):
        return None
    try:
        p = sp.Poly(sp.expand(e), *names)
    except sp.PolynomialError:
        return None
    return p if all(c.is_Rational for c in p.coeffs()) else None


def _to_z3(p: sp.Poly, zs: dict[sp.Symbol, z3.ArithRef]) -> z3.ArithRef:
    """A polynomial with rational coefficients as a z3 integer term, scaled by the positive lcm of the
    denominators (the sign, and so every relation with 0, is kept)."""
    scale = lcm(*[int(c.q) for c in p.coeffs()]) if p.coeffs() else 1
    total = 0
    for monomial, c in p.terms():
        term = int(c * scale)
        for s, k in zip(p.gens, monomial, strict=True):
            for _ in range(k):
                term = term * zs[s]
        total = total + term
    return total

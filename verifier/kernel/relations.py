"""Relations as the project writes them: ``(lhs, op, rhs)`` with ``op`` in ``=``, ``!=``, ``<``, ``<=``, ``>``, ``>=``,
and SymPy's relation classes for those operators."""

from __future__ import annotations

import sympy as sp

Relation = tuple[sp.Expr, str, sp.Expr]   # (lhs, op, rhs), op in "=", "!=", "<", "<=", ">", ">="


#: SymPy's relation classes and the operators the project writes for them.
RELATION_OPS: dict[type[sp.Basic], str] = {sp.Eq: "=", sp.Ne: "!=", sp.Lt: "<", sp.Le: "<=", sp.Gt: ">", sp.Ge: ">="}


def show_relation(c: sp.Basic) -> str:
    """A relation as the project writes it (``k != i``, ``K >= 2``), for reports."""
    for cls, op in RELATION_OPS.items():
        if isinstance(c, cls):
            return f"{c.lhs} {op} {c.rhs}"
    return str(c)

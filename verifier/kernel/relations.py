"""Relations as the project writes them: ``(lhs, op, rhs)`` with ``op`` in ``=``, ``!=``, ``<``, ``<=``, ``>``, ``>=``,
SymPy's relation classes for those operators, their negations and mirror images, and whether a difference of a
given sign satisfies an operator. The one table of relation operators (the parser's grammar names the same six)."""

from __future__ import annotations

import sympy as sp

Relation = tuple[sp.Expr, str, sp.Expr]   # (lhs, op, rhs), op in "=", "!=", "<", "<=", ">", ">="


#: The operators the project writes, and SymPy's relation class for each.
RELATION_CLASSES: dict[str, type[sp.core.relational.Relational]] = {
    "=": sp.Eq, "!=": sp.Ne, "<": sp.Lt, "<=": sp.Le, ">": sp.Gt, ">=": sp.Ge,
}
#: SymPy's relation classes and the operators the project writes for them.
RELATION_OPS: dict[type[sp.Basic], str] = {cls: op for op, cls in RELATION_CLASSES.items()}
#: Each relation class and the class of its negation (``a < b`` fails exactly when ``a >= b``).
NEGATED: dict[type[sp.Basic], type[sp.core.relational.Relational]] = {
    sp.Eq: sp.Ne, sp.Ne: sp.Eq, sp.Lt: sp.Ge, sp.Le: sp.Gt, sp.Gt: sp.Le, sp.Ge: sp.Lt,
}
#: Each relation class and the class that says the same with its sides swapped (``a < b`` is ``b > a``).
MIRRORED: dict[type[sp.Basic], type[sp.core.relational.Relational]] = {
    sp.Ge: sp.Le, sp.Gt: sp.Lt, sp.Le: sp.Ge, sp.Lt: sp.Gt, sp.Eq: sp.Eq, sp.Ne: sp.Ne,
}


def mirrored(op: str) -> str:
    """The operator that says the same with the sides swapped (``<`` for ``>``)."""
    return RELATION_OPS[MIRRORED[RELATION_CLASSES[op]]]


def sign_satisfies(sign: int, op: str) -> bool:
    """Whether ``d op 0`` holds for a number ``d`` whose sign is ``sign`` (-1, 0 or 1): ``a op b`` for ``d = a - b``."""
    return {"=": sign == 0, "!=": sign != 0, "<": sign < 0, "<=": sign <= 0, ">": sign > 0, ">=": sign >= 0}[op]


def show_relation(c: sp.Basic) -> str:
    """A relation as the project writes it (``k != i``, ``K >= 2``), for reports."""
    for cls, op in RELATION_OPS.items():
        if isinstance(c, cls):
            return f"{c.lhs} {op} {c.rhs}"
    return str(c)

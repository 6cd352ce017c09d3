"""Relations as the project writes them: ``(lhs, op, rhs)`` with ``op`` in ``=``, ``!=``, ``<``, ``<=``, ``>``, ``>=``.

:data:`OPERATORS` is the one table of the relation operators: for each, SymPy's relation class, the operator of its
negation, the operator that says the same with the sides swapped, and the comparison it makes (on numbers, SymPy
expressions or z3 terms alike). Every other view (:data:`RELATION_CLASSES`, :data:`NEGATED`, :data:`MIRRORED`,
:func:`holds`, :func:`sign_satisfies`) is read from it. The parser's grammar names the same six operators (a test
holds them equal; the parser sits below the kernel)."""

from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sympy as sp

Relation = tuple[sp.Expr, str, sp.Expr]   # (lhs, op, rhs), op in "=", "!=", "<", "<=", ">", ">="


@dataclass(frozen=True)
class Operator:
    """One relation operator: how the project writes it, SymPy's class for it, its negation and its mirror image
    (as operators), and the comparison it makes."""

    text: str
    cls: type[sp.core.relational.Relational]
    negation: str
    mirror: str
    compare: Callable[[Any, Any], Any]


#: The relation operators, by how the project writes them.
OPERATORS: dict[str, Operator] = {o.text: o for o in (
    Operator("=", sp.Eq, "!=", "=", operator.eq), Operator("!=", sp.Ne, "=", "!=", operator.ne),
    Operator("<", sp.Lt, ">=", ">", operator.lt), Operator("<=", sp.Le, ">", ">=", operator.le),
    Operator(">", sp.Gt, "<=", "<", operator.gt), Operator(">=", sp.Ge, "<", "<=", operator.ge),
)}
#: The operators the project writes, and SymPy's relation class for each.
RELATION_CLASSES: dict[str, type[sp.core.relational.Relational]] = {op: o.cls for op, o in OPERATORS.items()}
#: SymPy's relation classes and the operators the project writes for them.
RELATION_OPS: dict[type[sp.Basic], str] = {o.cls: op for op, o in OPERATORS.items()}
#: Each relation class and the class of its negation (``a < b`` fails exactly when ``a >= b``).
NEGATED: dict[type[sp.Basic], type[sp.core.relational.Relational]] = {
    o.cls: OPERATORS[o.negation].cls for o in OPERATORS.values()}
#: Each relation class and the class that says the same with its sides swapped (``a < b`` is ``b > a``).
MIRRORED: dict[type[sp.Basic], type[sp.core.relational.Relational]] = {
    o.cls: OPERATORS[o.mirror].cls for o in OPERATORS.values()}


def mirrored(op: str) -> str:
    """The operator that says the same with the sides swapped (``<`` for ``>``)."""
    return OPERATORS[op].mirror


def negated(op: str) -> str:
    """The operator of the relation's negation (``>=`` for ``<``)."""
    return OPERATORS[op].negation


def oriented(op: str) -> tuple[int, str]:
    """``a op b`` as ``side * (a - b) goal 0`` with ``goal`` one of ``=``, ``!=``, ``>``, ``>=`` (``a < b`` is
    ``-(a - b) > 0``)."""
    return (-1, mirrored(op)) if op in ("<", "<=") else (1, op)


def holds(op: str, a: Any, b: Any) -> Any:
    """``a op b`` as Python's comparison makes it: a truth value for numbers, a z3 or SymPy condition for terms."""
    return OPERATORS[op].compare(a, b)


def sign_satisfies(sign: int, op: str) -> bool:
    """Whether ``d op 0`` holds for a number ``d`` whose sign is ``sign`` (-1, 0 or 1): ``a op b`` for ``d = a - b``."""
    return bool(holds(op, sign, 0))


def show_relation(c: sp.Basic) -> str:
    """A relation as the project writes it (``k != i``, ``K >= 2``), for reports."""
    for cls, op in RELATION_OPS.items():
        if isinstance(c, cls):
            return f"{c.lhs} {op} {c.rhs}"
    return str(c)

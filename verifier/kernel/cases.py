"""``Max`` and ``Min`` split into cases, for the decision procedure of :mod:`verifier.kernel.nra`.

Part of the trusted core: each case replaces one ``Max(a1, ..., an)`` by one of its arguments ``ai`` under the
conditions ``ai >= aj`` for every j (``<=`` for ``Min``), and the cases' conditions cover every point, so a relation
that holds in every case holds.
"""

from __future__ import annotations

import sympy as sp

#: At most this many cases from splitting Max and Min (past it, they are encoded by if-then-else).
MAX_CASES = 16


def max_cases(e: sp.Expr) -> list[tuple[sp.Expr, list[sp.Basic]]]:
    """The cases of the first ``Max``/``Min`` of ``e`` (and then of the rest): ``e`` with ``Max(a1, ..., an)``
    replaced by ``ai``, under ``ai >= aj`` for every j (``<=`` for ``Min``)."""
    cases: list[tuple[sp.Expr, list[sp.Basic]]] = [(e, [])]
    while True:
        atoms = [x for x in outside_binders(cases[0][0]) if isinstance(x, (sp.Max, sp.Min))
                 and not any(isinstance(y, (sp.Max, sp.Min)) for y in x.args for y in sp.preorder_traversal(y))]
        if not atoms or len(cases) * len(atoms[0].args) > MAX_CASES:
            return cases
        atom = atoms[0]
        rel = sp.Ge if isinstance(atom, sp.Max) else sp.Le
        new = []
        for expr, conds in cases:
            for a in atom.args:
                extra = [rel(a, b, evaluate=False) for b in atom.args if b is not a]
                new.append((expr.xreplace({atom: a}), conds + extra))
        cases = new


def outside_binders(e: sp.Basic) -> list[sp.Basic]:
    """The subexpressions of ``e`` not inside a sum, product or limit (where a bound index is free: a condition on
    it would mean nothing outside)."""
    out = [e]
    if not isinstance(e, (sp.Sum, sp.Product, sp.Limit)):
        for a in e.args:
            out.extend(outside_binders(a))
    return out

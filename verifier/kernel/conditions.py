"""Conditions decided beyond the linear facts: sums matched to the hypotheses up to the name of their index, and
``Piecewise`` conditions settled by the sign rules.

Part of the trusted core (see :mod:`verifier.kernel.identity`). Two rules:

- **Renaming a bound index** (alpha-equivalence)::

      f(j) = g(j) with j renamed to i, same bounds
      ------------------------------------------------
      Sum(f(i), (i, lo, hi)) = Sum(g(j), (j, lo, hi))

  so a hypothesis ``Sum(w[i]^2, (i, 1, n)) > 0`` speaks of the sum a claim writes with its own index.
- **A condition decided for every allowed value**::

      facts |- c (or facts |- not c)
      ------------------------------------------------------------------
      Piecewise((v, c), ...) = the same Piecewise with c replaced by True (or False)

  (the value of a ``Piecewise`` depends only on the truth of its conditions), with ``c`` decided by the caller's
  sign rules; a condition with a variable bound inside the expression (of a sum, a product, a limit, a derivative)
  is left alone.
"""

from __future__ import annotations

from collections.abc import Callable

import sympy as sp

from verifier.kernel.facts import Facts

#: At most this many conditions of one expression are given to the sign rules (each may ask the solver).
MAX_CONDITIONS = 8


def renamed_like(c: sp.Basic, facts: Facts, others: tuple[sp.Basic, ...] = ()) -> sp.Basic:
    """``c`` with each sum replaced by a sum of the facts (or of ``others``) that is the same up to the name of its
    index."""
    known = [s for e in [*_fact_terms(facts), *others] for s in e.atoms(sp.Sum)]
    if not known:
        return c
    repl = {}
    for s in c.atoms(sp.Sum):
        match = next((k for k in known if k != s and alpha_equal(s, k)), None)
        if match is not None:
            repl[s] = match
    return c.xreplace(repl) if repl else c


def alpha_equal(a: sp.Sum, b: sp.Sum) -> bool:
    """Whether two sums of one index are the same up to the name of that index (the first rule)."""
    if len(a.limits) != 1 or len(b.limits) != 1:
        return False
    (i, lo, hi), (j, lo2, hi2) = a.limits[0], b.limits[0]
    if (lo, hi) != (lo2, hi2) or j in a.function.free_symbols - {i}:
        return False
    return a.function.xreplace({i: j}) == b.function


def _fact_terms(facts: Facts) -> list[sp.Expr]:
    return [v for c in facts.constraints for v, _ in c.coeffs if isinstance(v, sp.Basic)] + list(facts.unequal)


def settled(d: sp.Expr, decide: Callable[[sp.Basic], bool | None]) -> sp.Expr:
    """``d`` with the relations in its ``Piecewise`` conditions that ``decide`` settles replaced by their truth (the
    second rule); relations that mention a variable bound in ``d`` are left alone (the facts speak of the free name,
    not of a limit's variable that has its name)."""
    bound = {lim[0] for x in sp.preorder_traversal(d) if isinstance(x, (sp.Sum, sp.Product)) for lim in x.limits} | \
        {x.args[1] for x in sp.preorder_traversal(d) if isinstance(x, sp.Limit)} | \
        {v for x in sp.preorder_traversal(d) if isinstance(x, (sp.Derivative, sp.Integral, sp.Subs))
         for v in x.variables}
    relations: list[sp.Basic] = []
    for pw in d.atoms(sp.Piecewise):
        for _, cond in pw.args:
            for r in sp.preorder_traversal(cond):
                if isinstance(r, sp.core.relational.Relational) and r not in relations \
                        and not r.free_symbols & bound:
                    relations.append(r)
    repl: dict[sp.Basic, sp.Basic] = {}
    for r in relations[:MAX_CONDITIONS]:
        truth = decide(r)
        if truth is not None:
            repl[r] = sp.true if truth else sp.false
    return d.xreplace(repl) if repl else d

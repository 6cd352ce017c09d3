"""Geometric sums in closed form (momentum buffers, discounted returns), by a case split on the ratio.

Part of the trusted core, called by :func:`verifier.kernel.identity.confirm_identity` when the normal form leaves a
sum ``Sum(c^(j + s), (j, 1, n))`` (``c`` a real symbol, ``s`` an integer):

    c != 1, n >= 0    (1 - c) * Sum(c^(j + s), (j, 1, n)) = c^(1 + s) - c^(n + 1 + s)   (telescoping)
    ------------------------------------------------------------------------------------------------------
    Sum(c^(j + s), (j, 1, n)) = (c^(1 + s) - c^(n + 1 + s)) / (1 - c)

and the case ``c = 1`` is confirmed separately with ``c`` replaced by 1 (where the sum is ``n``)::

    facts, c = 1 |- lhs = rhs        facts, c != 1 |- lhs = rhs (sums in closed form)
    ------------------------------------------------------------------------------
                            facts |- lhs = rhs
"""

from __future__ import annotations

from collections.abc import Callable

import sympy as sp

from verifier.kernel.facts import Facts


def geometric_sums(d: sp.Expr, facts: Facts) -> dict[sp.Sum, tuple[sp.Symbol, sp.Expr]]:
    """The sums ``Sum(c^(j + s), (j, 1, n))`` of ``d`` whose size the facts show nonnegative (an empty sum is 0,
    and the closed form is not 0 for n < 0), each with its ratio ``c`` and its closed form."""
    out = {}
    for x in d.atoms(sp.Sum):
        if len(x.limits) != 1 or x.limits[0][1] != 1:
            continue
        j, _, n = x.limits[0]
        if not facts.nonneg(n):
            continue
        f = x.function
        if not (isinstance(f, sp.Pow) and isinstance(f.base, sp.Symbol) and f.base.is_real):
            continue
        s = sp.expand(f.exp - j)
        if not s.is_Integer:
            continue
        c = f.base
        out[x] = (c, (c ** (1 + s) - c ** (n + 1 + s)) / (1 - c))
    return out


def confirm(lhs: sp.Expr, rhs: sp.Expr, d: sp.Expr, facts: Facts,
            confirm_identity: Callable[..., object], substitute: Callable[..., sp.Expr],
            is_zero: Callable[[sp.Expr], bool]) -> str | None:
    """``lhs = rhs`` by the rule of the module docstring, ``d`` the normal form of ``lhs - rhs``; the method, or
    ``None``."""
    sums = geometric_sums(d, facts)
    if not sums:
        return None
    c = sorted({ratio for ratio, _ in sums.values()}, key=sp.default_sort_key)[0]
    closed = {x: form for x, (ratio, form) in sums.items() if ratio == c}
    if not is_zero(d.xreplace(closed)):
        return None
    at_one = confirm_identity(substitute(lhs, {c: sp.Integer(1)}), substitute(rhs, {c: sp.Integer(1)}), facts)
    if at_one is None:
        return None
    return f"geometric sums in closed form, case split on {c} = 1"

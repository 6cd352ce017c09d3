"""Derivatives by an entry ``w[k]`` of a family, and of sums, with the definedness of the scalar case (section 2a).

SymPy differentiates ``Sum(Abs(w[j]), (j, 1, K))`` by ``w[k]`` term by term, to ``Sum(sign(w[j])*KroneckerDelta(j,
k), ...)``: the kink of ``|w_k|`` at 0 is then a ``sign`` of another entry ``w[j]``, which a test for ``w[k]`` itself
does not see, and once the delta is summed the derivative is ``sign(w[k])``, 0 where there is none. Here:

- an expression *touches* ``w[k]`` when it holds ``w[k]`` or another entry ``w[i]`` of the same family that may be
  it (``w[j]``, ``w[k - 1]``, but not ``w[k + 1]``): every kink or joint whose argument touches the variable counts;
- a sum whose terms hold ``w`` only at positions ``j + c`` (one entry per shift, each index in one term) is split
  before differentiating into the terms that are ``w[k]``'s and a rest free of it::

      Sum(g(j), (j, lo, hi)) = R + sum over c of Piecewise((g(k - c), lo <= k - c <= hi), (0, True))

  with ``R`` a fresh name held fixed: the derivative of what is left is the scalar one, kinks and joints included,
  and ``R`` is put back as the sum minus those terms;
- a kink inside a sum whose index its argument involves is a condition of that term, kept inside the sum (a partial
  summand), never moved out of it, where its index would be free.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import TypeAlias

import sympy as sp

Expr: TypeAlias = sp.Expr
Variable: TypeAlias = "sp.Symbol | sp.Indexed"


def touches(e: sp.Basic, v: sp.Symbol | sp.Indexed) -> bool:
    """Whether ``e`` may depend on ``v``: it holds ``v``, or, for an entry ``w[k]``, an entry of ``w`` whose index
    is not shown to differ from ``k`` (``w[j]`` for a summed ``j`` is ``w[k]`` in one term)."""
    if e.has(v):
        return True
    if not isinstance(v, sp.Indexed):
        return False
    return any(x.base == v.base and _may_equal(x.indices, v.indices) for x in e.atoms(sp.Indexed)) \
        or any(x == v.base for x in sp.preorder_traversal(e) if isinstance(x, sp.IndexedBase)
               and not _inside_entry(e, x))


def _may_equal(a: tuple, b: tuple) -> bool:
    """Whether two index tuples may be equal (not shown different by a nonzero numeric difference)."""
    if len(a) != len(b):
        return True
    return not any((sp.expand(x - y)).is_number and sp.expand(x - y) != 0 for x, y in zip(a, b, strict=True))


def _inside_entry(e: sp.Basic, base: sp.IndexedBase) -> bool:
    """Whether every occurrence of the family ``base`` in ``e`` is as an entry ``base[...]``."""
    entries = sum(1 for x in sp.preorder_traversal(e) if isinstance(x, sp.Indexed) and x.base == base)
    bases = sum(1 for x in sp.preorder_traversal(e) if isinstance(x, sp.IndexedBase) and x == base)
    return entries == bases


def _entry_terms(s: sp.Sum, v: sp.Indexed) -> list[Expr] | None:
    """The indices ``k - c`` of the terms of ``s`` that hold ``v = w[k]``, when every entry of ``w`` in its summand
    is ``w[j + c]`` for its index ``j`` or an entry shown to differ from ``w[k]``; ``None`` otherwise."""
    if len(s.limits) != 1 or len(v.indices) != 1 or len(s.limits[0]) != 3:
        return None
    j, g = s.limits[0][0], s.function
    if not _inside_entry(g, v.base):
        return None
    (k,) = v.indices
    shifts: list[Expr] = []
    for x in g.atoms(sp.Indexed):
        if x.base != v.base:
            continue
        if len(x.indices) != 1:
            return None
        (a,) = x.indices
        if not a.has(j):
            if _may_equal((a,), (k,)):
                return None     # the same entry in every term
            continue
        c = sp.expand(a - j)
        if c.has(j):
            return None
        if c not in shifts:
            shifts.append(c)
    return [sp.expand(k - c) for c in shifts]     # distinct shifts: distinct terms


#: At most this many of ``w[k]``'s terms are taken out of the sums of one expression (each doubles the cases).
MAX_TERMS = 3


def split_entries(e: Expr, v: sp.Symbol | sp.Indexed) -> list[tuple[Expr, dict[sp.Basic, Expr], sp.Basic]] | None:
    """``e`` with every outermost sum that touches the entry ``v`` and splits (see the module) written as a fresh
    name plus those of ``v``'s terms that are in its range, one case for each choice of the terms in range: that
    expression, what to put back for each fresh name, and the condition of the case. ``None`` when no sum splits."""
    if not isinstance(v, sp.Indexed):
        return None
    found: list[tuple[sp.Sum, Expr]] = []
    for s in _outermost_sums(e, v):
        found.extend((s, p) for p in _entry_terms(s, v) or [])
    if not found or len(found) > MAX_TERMS:
        return None
    rests = {s: sp.Dummy("rest", real=True) for s, _ in found}
    out: list[tuple[Expr, dict[sp.Basic, Expr], sp.Basic]] = []
    for chosen in itertools.product((True, False), repeat=len(found)):
        terms: dict[sp.Basic, Expr] = {s: sp.Integer(0) for s in rests}
        conditions: list[sp.Basic] = []
        for (s, p), inside in zip(found, chosen, strict=True):
            (j, lo, hi), g = s.limits[0], s.function
            in_range = sp.And(sp.Le(lo, p), sp.Le(p, hi))
            conditions.append(in_range if inside else sp.Not(in_range))
            if inside:
                terms[s] += g.xreplace({j: p})
        condition = sp.And(*conditions)
        if condition is sp.false:
            continue
        replace = {s: rests[s] + terms[s] for s in rests}
        back = {rests[s]: s - terms[s] for s in rests}
        out.append((e.xreplace(replace), back, condition))
    if out:
        out[-1] = (*out[-1][:2], sp.true)     # the cases cover every k
    return out


def _outermost_sums(e: sp.Basic, v: sp.Symbol | sp.Indexed) -> list[sp.Sum]:
    """The sums in ``e`` that touch ``v`` and lie in no other sum or product."""
    if isinstance(e, sp.Sum) and touches(e, v):
        return [e]
    if isinstance(e, (sp.Product, sp.Derivative, sp.Subs, sp.Integral, sp.Limit)) or not e.args:
        return []
    out: list[sp.Sum] = []
    for a in e.args:
        out.extend(s for s in _outermost_sums(a, v) if s not in out)
    return out


#: The condition a kink needs to be away from its kink (``u != 0``), or ``None`` for no kink.
KinkCondition = Callable[[sp.Basic], "sp.Basic | None"]


def conditions_in_sums(d: Expr, condition: KinkCondition) -> Expr:
    """``d`` (a derivative) with the condition of every kink inside a sum or product whose bound index the condition
    involves put into the summand of the innermost such sum (a partial ``Piecewise``: undefined in that term, so
    wherever that term is); the kinks free of bound indices are the caller's."""

    def walk(x: sp.Basic, bound: frozenset, local: list[sp.Basic]) -> sp.Basic:
        if not isinstance(x, sp.Basic) or not x.args or isinstance(x, (sp.Indexed, sp.IndexedBase)) \
                or not (bound or x.has(sp.Sum, sp.Product)):
            return x
        if isinstance(x, (sp.Sum, sp.Product)):
            inner: list[sp.Basic] = []
            body = walk(x.function, bound | {lim[0] for lim in x.limits}, inner)
            if inner:
                body = sp.Piecewise((body, sp.And(*inner)))
            return x.func(body, *x.limits)
        c = condition(x)
        if c is not None and c.free_symbols & bound and c not in local:
            local.append(c)
        if isinstance(x, (sp.Derivative, sp.Subs)):
            return x
        return x.func(*[walk(a, bound, local) for a in x.args])

    out = walk(d, frozenset(), [])
    return out if isinstance(out, sp.Expr) else d


def bound_symbols(e: sp.Basic) -> set[sp.Basic]:
    """The indices bound by the sums and products in ``e``."""
    return {lim[0] for s in e.atoms(sp.Sum, sp.Product) for lim in s.limits}

"""Extreme points for the search beyond a bounded check: where a claim that holds at the sizes checked fails just
past them, at a point the small values of :func:`verifier.search.strategies.points` never reach.

- :func:`end_points` puts each real name bounded by its declaration or by linear hypotheses on it alone at the
  closed ends of its interval, one name at a time and all at once (``(1 + x)^k >= 1 + k*x`` under ``x >= -5/2``
  fails at x = -5/2 from k = 7 on, and only near that end);
- :func:`family_patterns` gives the entries that a larger size brings in, past the ones the claim writes, extreme
  patterns: all of them 1 (or -1) and the written ones 0, or the last of them 1 (or -1) and every other entry 0
  (``Max(q[1], ..., q[6]) >= Sum(q[j], (j, 1, k))/k`` fails at k = 7 with q[7] = 1, every other entry 0).

Proposals only: the engine screens each point by floats and the kernel confirms a counterexample exactly, with
every declaration and hypothesis checked at the point.
"""

from __future__ import annotations

from collections.abc import Iterator

import sympy as sp

from verifier.kernel import Facts
from verifier.search.strategies import points


def end_points(atoms: list[sp.Basic], facts: Facts) -> Iterator[dict]:
    """Assignments that put one bounded real name at a time at each closed end of its interval (the other bounded
    names inside theirs), then all of them at their lower ends and all at their upper ends; the remaining names at
    small values."""
    ends = {a: e for a in atoms if isinstance(a, sp.Symbol) and not a.is_integer and (e := _closed_ends(a, facts))}
    if not ends:
        return
    base = next(points(atoms, 1), {})
    inside = {a: _inside(e) for a, e in ends.items()}
    for a, (lo, hi) in ends.items():
        for end in (lo, hi):
            if end is not None:
                yield {**base, **inside, a: end}
    if len(ends) > 1:
        for side in (0, 1):
            yield {**base, **inside, **{a: e[side] for a, e in ends.items() if e[side] is not None}}


def _closed_ends(a: sp.Symbol, facts: Facts) -> tuple[sp.Expr | None, sp.Expr | None] | None:
    """The ends of ``a``'s declared interval, or else of the linear facts on ``a`` alone, that belong to it (an open
    end is not a value of the name); ``None`` when there is none."""
    d = facts.declaration(a)
    iv = d.values if d is not None else None
    if iv is not None and (iv.lo is not None or iv.hi is not None):
        lo = iv.lo if iv.lo is not None and iv.lo.is_number and not iv.lo_open else None
        hi = iv.hi if iv.hi is not None and iv.hi.is_number and not iv.hi_open else None
    else:
        low, high = facts.bounds(a)
        lo = low[0] if low is not None and not low[1] else None
        hi = high[0] if high is not None and not high[1] else None
    return (lo, hi) if lo is not None or hi is not None else None


def _inside(ends: tuple[sp.Expr | None, sp.Expr | None]) -> sp.Expr:
    """A value inside an interval: the middle of its closed ends, or one past its only closed end."""
    lo, hi = ends
    if lo is not None and hi is not None:
        return (lo + hi) / 2
    if lo is not None:
        return lo + 1
    assert hi is not None
    return hi - 1


def family_patterns(atoms: list[sp.Basic], written: set[sp.Basic]) -> Iterator[dict]:
    """Assignments that give the entries among ``atoms`` not in ``written`` (those a size brings in past the ones the
    claim writes) extreme values and every other entry a low one: all of them high, then only the last one; high is
    1 (2 for a positive family) and low 0 (1), then, for a family that may be negative, -1 against 0. The other
    names at small values."""
    entries = [a for a in atoms if isinstance(a, sp.Indexed)]
    past = [a for a in entries if a not in written]
    if not past:
        return
    base = next(points([a for a in atoms if not isinstance(a, sp.Indexed)], 1), {})
    for sign in (1, -1):
        levels = {a: lv for a in entries if (lv := _levels(a, sign)) is not None}
        if not levels:
            continue
        low = {a: lv[0] for a, lv in levels.items()}
        chosen = [a for a in past if a in levels]
        if chosen:
            yield {**base, **low, **{a: levels[a][1] for a in chosen}}
        if len(chosen) > 1:
            yield {**base, **low, chosen[-1]: levels[chosen[-1]][1]}


def _levels(a: sp.Indexed, sign: int) -> tuple[sp.Integer, sp.Integer] | None:
    """A low and a high value of an entry (high below low for ``sign`` -1); ``None`` when its family's sign rules
    the pattern out."""
    positive = bool(a.base.is_positive) or bool(a.is_positive)
    nonnegative = positive or bool(a.is_nonnegative) or bool(a.base.is_nonnegative)
    if sign < 0:
        return None if nonnegative else (sp.Integer(0), sp.Integer(-1))
    return (sp.Integer(1), sp.Integer(2)) if positive else (sp.Integer(0), sp.Integer(1))


def written_entries(relation: tuple, hypotheses: list[sp.Basic], ints: dict) -> set[sp.Basic]:
    """The entries at numeric indices that the relation and hypotheses write themselves (not through a sum), once the
    integer names have their values."""
    out: set[sp.Basic] = set()
    lhs, _, rhs = relation
    for e in (lhs, rhs, *hypotheses):
        if not isinstance(e, sp.Basic):
            continue
        bound: set[sp.Basic] = set().union(*(s.variables for s in e.atoms(sp.Sum, sp.Product)))
        for x in e.atoms(sp.Indexed):
            if not (x.free_symbols & bound):
                x = x.xreplace(ints)
                if all(i.is_Integer for i in x.indices):
                    out.add(x)
    return out

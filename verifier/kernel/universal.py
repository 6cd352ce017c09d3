"""Hypotheses over all indices: ``assume = ["x[i] <= x[i + 1]"]`` where ``i`` is declared nowhere.

``AllIndices(G, (r, s))`` says that ``G(r, s)`` holds for every integer ``r, s`` at which every entry of ``G`` lies
inside its family's index range (every integer, for a family declared without a range). Its variables are bound:
they are not names of the problem, no point gives them a value, and so no counterexample or witness is ever confirmed
under such a hypothesis (the one exception is symmetry, which the checker verifies at a point). A proof uses it
through its instances only, each derived here by one rule::

    AllIndices(G, v)      a = the indices of an entry that the problem names, matched against an entry of G
    --------------------------------------------------------------------------------------------------------
         (some entry of G(a) lies outside its family's range)  or  G(a)

The kernel derives the instances itself (:func:`instances`, called by :func:`~verifier.kernel.facts.facts_from` and
the prover), at the entries ``x[a]`` free in the problem's expressions: not inside a sum, whose index is bound.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import sympy as sp

#: At most this many instances of one hypothesis: a problem naming more entries uses only the first ones.
MAX_INSTANCES = 200


class AllIndices(sp.logic.boolalg.Boolean):
    """``G(v)`` for every value of the index variables ``v`` that keeps every entry of ``G`` inside its range."""

    def __new__(cls, body: sp.Basic, variables: Sequence[sp.Dummy]) -> AllIndices:
        if not variables or not all(isinstance(v, sp.Dummy) and v.is_integer for v in variables):
            raise ValueError("the variables of a hypothesis over all indices are integer Dummy symbols")
        return sp.Basic.__new__(cls, body, sp.Tuple(*variables))

    @property
    def body(self) -> sp.Basic:
        """The relation ``G``, in which the variables are free."""
        return self.args[0]

    @property
    def variables(self) -> tuple[sp.Dummy, ...]:
        """The bound index variables."""
        return tuple(self.args[1])

    @property
    def bound_symbols(self) -> list[sp.Dummy]:
        """The variables, as SymPy's binders report theirs (``as_dummy`` renames them canonically)."""
        return list(self.variables)

    @property
    def free_symbols(self) -> set[sp.Basic]:
        """The names of ``G`` other than the variables and the entries indexed by them."""
        bound = set(self.variables)
        return {s for s in self.body.free_symbols
                if s not in bound and not (isinstance(s, sp.Indexed) and s.free_symbols & bound)}

    def _eval_subs(self, old: Any, new: Any) -> Any:
        return self if old in self.variables else None


def is_universal(h: object) -> bool:
    """Whether ``h`` is a hypothesis over all indices."""
    return isinstance(h, AllIndices)


def instances(hypotheses: Iterable[sp.Basic], expressions: Iterable[sp.Basic],
              families: Sequence[tuple[sp.IndexedBase, sp.Expr, sp.Expr]],
              decide: Callable[[sp.Basic], bool | None]) -> list[sp.Basic]:
    """The instances of every :class:`AllIndices` among ``hypotheses`` at the entries free in ``expressions`` and in
    the other hypotheses. ``families`` gives each family with an index range and that range (as in
    :class:`~verifier.kernel.facts.Facts`); ``decide`` settles whether an instance's entries lie inside their
    ranges: an instance inside is kept as it is, one outside is dropped, and an undecided one is guarded by the
    condition that some entry lies outside."""
    hypotheses = list(hypotheses)
    universal = [h for h in hypotheses if isinstance(h, AllIndices)]
    if not universal:
        return []
    entries: set[sp.Indexed] = set()
    for e in list(expressions) + [h for h in hypotheses if not isinstance(h, AllIndices)]:
        entries |= _free_entries(e)
    ranges = {base: (lo, hi) for base, lo, hi in families}
    out: list[sp.Basic] = []
    for h in universal:
        made: list[sp.Basic] = []
        for binding in _bindings(h, sorted(entries, key=sp.default_sort_key)):
            if len(made) >= MAX_INSTANCES:
                break
            instance = _guarded(h.body.xreplace(binding), ranges, decide)
            if instance is not None and instance not in made:
                made.append(instance)
        out.extend(made)
    return out


def _bindings(h: AllIndices, entries: list[sp.Indexed]) -> list[dict[sp.Dummy, sp.Expr]]:
    """Every value of the variables that turns some entry of ``G`` into one of ``entries``: an index written as a
    variable plus an integer (``x[i + 1]``) is solved for the variable; other indices must match exactly."""
    variables = set(h.variables)
    patterns = [x for x in h.body.atoms(sp.Indexed) if x.free_symbols & variables]
    found: list[dict[sp.Dummy, sp.Expr]] = []
    for pattern in sorted(patterns, key=sp.default_sort_key):
        for entry in entries:
            if entry.base != pattern.base or len(entry.indices) != len(pattern.indices):
                continue
            binding = _match(pattern.indices, entry.indices, variables)
            if binding is not None and set(binding) == variables and binding not in found:
                found.append(binding)
    return found


def _match(pattern: Sequence[sp.Expr], indices: Sequence[sp.Expr], variables: set[sp.Dummy]
           ) -> dict[sp.Dummy, sp.Expr] | None:
    binding: dict[sp.Dummy, sp.Expr] = {}
    for p, a in zip(pattern, indices, strict=True):
        used = p.free_symbols & variables
        if not used:
            if sp.expand(p - a) != 0:
                return None
            continue
        if len(used) != 1:
            return None
        (v,) = used
        shift = sp.expand(p - v)
        if not shift.is_Integer:
            return None
        value = sp.expand(a - shift)
        if binding.get(v, value) != value:
            return None
        binding[v] = value
    return binding


def _guarded(instance: sp.Basic, ranges: Mapping[sp.IndexedBase, tuple[sp.Expr, sp.Expr]],
             decide: Callable[[sp.Basic], bool | None]) -> sp.Basic | None:
    """``instance`` where its entries lie inside their ranges (every index of a ranged family); ``None`` when one
    lies outside (the hypothesis says nothing there)."""
    ends: dict[tuple[sp.Expr, sp.Expr, sp.Expr], None] = {}
    for x in sorted(_free_entries(instance), key=sp.default_sort_key):
        if x.base in ranges:
            lo, hi = ranges[x.base]
            ends.update(dict.fromkeys((i, lo, hi) for i in x.indices))
    if not ends:
        return instance
    # Unevaluated: SymPy would settle "i >= 1" from i's assumptions, which only the facts may do.
    known = decide(sp.And(*[r for i, lo, hi in ends for r in (sp.Ge(i, lo, evaluate=False),
                                                              sp.Le(i, hi, evaluate=False))], evaluate=False))
    if known is True:
        return instance
    if known is False:
        return None
    outside = [r for i, lo, hi in ends for r in (sp.Lt(i, lo, evaluate=False), sp.Gt(i, hi, evaluate=False))]
    return sp.Or(*outside, instance, evaluate=False)


def _free_entries(e: object) -> set[sp.Indexed]:
    """The entries of ``e`` whose indices are free in ``e`` (not bound by a sum)."""
    if not isinstance(e, sp.Basic):
        return set()
    free = e.free_symbols
    return {x for x in free if isinstance(x, sp.Indexed) and all(i.free_symbols <= free for i in x.indices)}

"""Hypotheses over all indices: ``assume = ["x[i] <= x[i + 1]"]`` where ``i`` is declared nowhere.

``AllIndices(G, (r, s))`` says that ``G(r, s)`` holds for every integer ``r, s`` at which every index they take in
``G`` lies inside its family's index range (every integer, for a family declared without a range): ``r`` in
``Sum(W[r, j], (j, 1, n)) = 1`` ranges over the rows of ``W``. Its variables are bound:
they are not names of the problem, no point gives them a value, and so no counterexample or witness is ever confirmed
under such a hypothesis (the one exception is symmetry, which the checker verifies at a point). A proof uses it
through its instances only, each derived here by one rule::

    AllIndices(G, v)      a: values of v read off the entries that the problem names
    ---------------------------------------------------------------------------------------
    (an index that v takes in G lies outside its family's range at v = a)  or  G(a)

The kernel derives the instances itself (:func:`instances`, called by :func:`~verifier.kernel.facts.facts_from` and
the prover), at the indices of the entries the problem names (``x[a]``, or ``W[1, j]`` inside a sum over ``j``: the
row 1), never at a sum's bound index.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import sympy as sp

from verifier.kernel import interval

#: At most this many instances of one hypothesis: a problem naming more entries uses only the first ones.
MAX_INSTANCES = 200


class AllIndices(sp.logic.boolalg.Boolean):
    """``G(v)`` for every value of the index variables ``v`` that keeps every entry of ``G`` inside its range."""

    def __new__(cls, body: sp.Basic, variables: Sequence[sp.Symbol]) -> AllIndices:
        # SymPy's as_dummy renames bound variables to plain Dummies (without their assumptions): any symbol.
        if not variables or not all(isinstance(v, sp.Symbol) for v in variables):
            raise ValueError("the variables of a hypothesis over all indices are symbols")
        return sp.Basic.__new__(cls, body, sp.Tuple(*variables))

    @property
    def body(self) -> sp.Basic:
        """The relation ``G``, in which the variables are free."""
        return self.args[0]

    @property
    def variables(self) -> tuple[sp.Symbol, ...]:
        """The bound index variables."""
        return tuple(self.args[1])

    @property
    def bound_symbols(self) -> list[sp.Symbol]:
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
    """The instances of every :class:`AllIndices` among ``hypotheses`` at the entries of ``expressions`` and of the
    other hypotheses. ``families`` gives each family with an index range and that range (as in
    :class:`~verifier.kernel.facts.Facts`); ``decide`` settles whether an instance's entries lie inside their
    ranges: an instance inside is kept as it is, one outside is dropped, and an undecided one is guarded by the
    condition that some entry lies outside.

    Any value of the variables gives a true instance; the entries only choose which are useful: an entry ``F[a]``
    matched against an entry ``F[v + c]`` of ``G`` gives ``v = a - c`` (positions of ``G`` that are not a variable
    plus an integer are not matched), where ``a`` uses only names free in the problem (not a sum's index)."""
    hypotheses = list(hypotheses)
    universal = [h for h in hypotheses if isinstance(h, AllIndices)]
    if not universal:
        return []
    exprs = [e for e in list(expressions) + [h for h in hypotheses if not isinstance(h, AllIndices)]
             if isinstance(e, sp.Basic)]
    free = set().union(*[e.free_symbols for e in exprs]) if exprs else set()
    entries = {x for e in exprs for x in e.atoms(sp.Indexed)}
    ranges = {base: (lo, hi) for base, lo, hi in families}
    out: list[sp.Basic] = []
    for h in universal:
        made: list[sp.Basic] = []
        for binding in _bindings(h, sorted(entries, key=sp.default_sort_key), free):
            instance = _guarded(h, binding, ranges, decide)
            if instance is not None and instance not in made:
                made.append(instance)
        out.extend(made)
    return out


def _bindings(h: AllIndices, entries: list[sp.Indexed], free: set[sp.Basic]) -> list[dict[sp.Symbol, sp.Expr]]:
    """The values of the variables read off ``entries`` by :func:`_match` against the entries of ``G`` (using only
    the names ``free``), every variable's values combined with every other's (``x[r] = x[s]`` at ``x[1]`` and
    ``x[2]`` gives r, s in {1, 2}), at most :data:`MAX_INSTANCES` of them."""
    variables = h.variables
    patterns = [x for x in h.body.atoms(sp.Indexed) if x.free_symbols & set(variables)]
    values: dict[sp.Symbol, list[sp.Expr]] = {v: [] for v in variables}
    for pattern in sorted(patterns, key=sp.default_sort_key):
        for entry in entries:
            if entry.base != pattern.base or len(entry.indices) != len(pattern.indices):
                continue
            binding = _match(pattern.indices, entry.indices, set(variables)) or {}
            for v, value in binding.items():
                if value.free_symbols <= free and value not in values[v]:
                    values[v].append(value)
    combined = itertools.islice(itertools.product(*[values[v] for v in variables]), MAX_INSTANCES)
    return [dict(zip(variables, chosen, strict=True)) for chosen in combined]


def _match(pattern: Sequence[sp.Expr], indices: Sequence[sp.Expr], variables: set[sp.Symbol]
           ) -> dict[sp.Symbol, sp.Expr] | None:
    """The values of the variables that make ``pattern`` (indices ``v + c``) the ``indices``; ``None`` when one
    variable would need two values."""
    binding: dict[sp.Symbol, sp.Expr] = {}
    for p, a in zip(pattern, indices, strict=True):
        used = p.free_symbols & variables
        if len(used) != 1:
            continue
        (v,) = used
        shift = sp.expand(p - v)
        if not shift.is_Integer:
            continue
        value = sp.expand(a - shift)
        if binding.get(v, value) != value:
            return None
        binding[v] = value
    return binding


def _guarded(h: AllIndices, binding: Mapping[sp.Symbol, sp.Expr],
             ranges: Mapping[sp.IndexedBase, tuple[sp.Expr, sp.Expr]],
             decide: Callable[[sp.Basic], bool | None]) -> sp.Basic | None:
    """``G`` at ``binding`` where the indices the variables take lie inside their families' ranges; ``None`` when
    one lies outside (the hypothesis says nothing there)."""
    variables = set(h.variables)
    ends: dict[tuple[sp.Expr, sp.Expr, sp.Expr], None] = {}
    for x in sorted(h.body.atoms(sp.Indexed), key=sp.default_sort_key):
        if x.base in ranges:
            lo, hi = ranges[x.base]
            ends.update(dict.fromkeys((i.xreplace(dict(binding)), lo, hi) for i in x.indices
                                      if i.free_symbols & variables))
    instance = h.body.xreplace(dict(binding))
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


#: A definition read from a hypothesis over all indices: the family, its index variables, and the value of its entry.
Definition = tuple[sp.IndexedBase, tuple[sp.Symbol, ...], sp.Expr]


def definitions(hypotheses: Iterable[sp.Basic]) -> list[Definition]:
    """The hypotheses over all indices that give every entry of a family: ``F[v1, ..., vk] = e`` with distinct
    variables ``v``, and ``e`` not mentioning ``F``."""
    out: list[Definition] = []
    for h in hypotheses:
        if not (isinstance(h, AllIndices) and isinstance(h.body, sp.Eq)):
            continue
        for entry, value in (h.body.args, h.body.args[::-1]):
            if isinstance(entry, sp.Indexed) and set(entry.indices) == set(h.variables) \
                    and len(set(entry.indices)) == len(entry.indices) and not value.has(entry.base) \
                    and isinstance(value, sp.Expr):
                out.append((entry.base, tuple(entry.indices), value))
                break
    return out


def rewrite(e: sp.Expr, defs: Sequence[Definition], families: Sequence[tuple[sp.IndexedBase, sp.Expr, sp.Expr]],
            decide: Callable[[sp.Basic], bool | None],
            within: Callable[[sp.Symbol, sp.Expr, sp.Expr], Callable[[sp.Basic], bool | None]]) -> sp.Expr:
    """``e`` with every entry of a defined family replaced by its value, where its indices provably lie inside the
    family's range (``decide``; inside a sum over ``j``, with ``lo <= j <= hi`` known: ``within``)::

        F[v] = e(v) for every v in F's range      a in F's range
        ---------------------------------------------------------
                            F[a] = e(a)
    """
    if not defs or not isinstance(e, sp.Basic):
        return e
    table = {base: (variables, value) for base, variables, value in defs}
    ranges = {base: (lo, hi) for base, lo, hi in families}

    def walk(x: sp.Basic, decide: Callable[[sp.Basic], bool | None]) -> sp.Basic:
        if isinstance(x, sp.Indexed) and x.base in table:
            variables, value = table[x.base]
            if len(variables) == len(x.indices) and _inside(x, ranges, decide):
                return interval.settle(value, dict(zip(variables, x.indices, strict=True)))
            return x
        if isinstance(x, sp.Sum) and len(x.limits) == 1 and len(x.limits[0]) == 3:
            j, lo, hi = x.limits[0]
            return sp.Sum(walk(x.function, within(j, lo, hi)), (j, lo, hi))
        if not x.args or isinstance(x, (sp.Sum, sp.Product, sp.Derivative, AllIndices)) or not x.has(*table):
            return x
        # Rebuilt as the kernel rebuilds: floor, sign, Max... of numbers held, not evaluated by SymPy.
        return interval.rebuild(x, tuple(walk(a, decide) for a in x.args))

    return walk(e, decide)


def _inside(x: sp.Indexed, ranges: Mapping[sp.IndexedBase, tuple[sp.Expr, sp.Expr]],
            decide: Callable[[sp.Basic], bool | None]) -> bool:
    if x.base not in ranges:
        return True
    lo, hi = ranges[x.base]
    return decide(sp.And(*[r for i in x.indices for r in (sp.Ge(i, lo, evaluate=False), sp.Le(i, hi, evaluate=False))],
                         evaluate=False)) is True

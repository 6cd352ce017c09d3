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

import sympy as sp

from verifier.kernel import interval

#: At most this many instances of one hypothesis: a problem naming more entries uses only the first ones.
MAX_INSTANCES = 200


class AllIndices(sp.logic.boolalg.Boolean):
    """``G(v)`` for every value of the index variables ``v`` at which every index they take in the entries written
    in the hypothesis lies inside its family's range.

    ``written`` are those entries as the file writes them (``x[j + 5]`` in ``x[j] + 0*x[j + 5] >= 1``, which SymPy
    cancels from ``G``): they, not ``G``, say where the variables range."""

    def __new__(cls, body: sp.Basic, variables: Sequence[sp.Symbol], written: Sequence[sp.Indexed] = ()
                ) -> AllIndices:
        # SymPy's as_dummy renames bound variables to plain Dummies (without their assumptions): any symbol.
        if not variables or not all(isinstance(v, sp.Symbol) for v in variables):
            raise ValueError("the variables of a hypothesis over all indices are symbols")
        if not written:
            written = sorted((x for x in body.atoms(sp.Indexed) if x.free_symbols & set(variables)),
                             key=sp.default_sort_key)
        return sp.Basic.__new__(cls, body, sp.Tuple(*variables), sp.Tuple(*written))

    @property
    def body(self) -> sp.Basic:
        """The relation ``G``, in which the variables are free."""
        return self.args[0]

    @property
    def variables(self) -> tuple[sp.Symbol, ...]:
        """The bound index variables."""
        return tuple(self.args[1])

    @property
    def written(self) -> tuple[sp.Indexed, ...]:
        """The entries indexed by the variables, as written."""
        return tuple(self.args[2])

    @property
    def bound_symbols(self) -> list[sp.Symbol]:
        """The variables, as SymPy's binders report theirs (``as_dummy`` renames them canonically)."""
        return list(self.variables)

    @property
    def free_symbols(self) -> set[sp.Basic]:
        """The names of ``G`` and of the written entries, other than the variables and the entries they index."""
        bound = set(self.variables)
        names = self.body.free_symbols.union(*[x.free_symbols for x in self.written])
        return {s for s in names if s not in bound and not (isinstance(s, sp.Indexed) and s.free_symbols & bound)}

    def _eval_subs(self, old: sp.Basic, new: sp.Basic) -> AllIndices | None:
        return self if old in self.variables else None


Ranges = Mapping[sp.IndexedBase, tuple[sp.Expr, sp.Expr]]
Decide = Callable[[sp.Basic], "bool | None"]

#: Rounds of instances at the entries of instances (``p[j] <= p[j + 1]`` at ``p[1]`` and ``p[4]`` needs two).
ROUNDS = 3


def instances(hypotheses: Iterable[sp.Basic], expressions: Iterable[sp.Basic],
              families: Sequence[tuple[sp.IndexedBase, sp.Expr, sp.Expr]], decide: Decide) -> list[sp.Basic]:
    """The instances of every :class:`AllIndices` among ``hypotheses`` at the entries of ``expressions`` and of the
    other hypotheses, then at the entries of those instances (:data:`ROUNDS` in all). ``families`` gives each
    family with an index range and that range (as in :class:`~verifier.kernel.facts.Facts`); ``decide`` settles
    whether the indices an instance gives its variables lie inside their ranges: an instance inside is kept as it
    is, one outside is dropped, and an undecided one is guarded by the condition that some index lies outside. A
    hypothesis that SymPy made false says that no index is inside (:func:`_nowhere`).

    Any value of the variables gives a true instance; the entries only choose which are useful: an entry ``F[a]``
    matched against an entry ``F[v + c]`` of the hypothesis gives ``v = a - c`` (positions that are not a variable
    plus an integer are not matched), where ``a`` uses only names free in the problem (not a sum's index)."""
    hypotheses = list(hypotheses)
    universal = [h for h in hypotheses if isinstance(h, AllIndices)]
    if not universal:
        return []
    ranges = {base: (lo, hi) for base, lo, hi in families}
    exprs = [e for e in list(expressions) + [h for h in hypotheses if not isinstance(h, AllIndices)]
             if isinstance(e, sp.Basic)]
    free = set().union(*[e.free_symbols for e in exprs]) if exprs else set()
    out = [c for h in universal if h.body is sp.false for c in [_nowhere(h, ranges)] if c is not None]
    entries: set[sp.Indexed] = set()
    for _ in range(ROUNDS):
        new = {x for e in exprs for x in e.atoms(sp.Indexed)} - entries
        if not new:
            break
        entries |= new
        exprs = []
        for h in universal:
            if h.body is sp.false:
                continue
            made = 0
            for binding in _bindings(h, sorted(entries, key=sp.default_sort_key), free):
                instance = _guarded(h, binding, ranges, decide)
                if instance is not None and instance not in out and made < MAX_INSTANCES:
                    out.append(instance)
                    exprs.append(instance)
                    made += 1
    return out


def _nowhere(h: AllIndices, ranges: Ranges) -> sp.Basic | None:
    """What a hypothesis false at every index says: that no value of some variable puts all its written indices
    inside their ranges. A variable written ``v + c`` in a family over ``lo..hi`` lies in ``lo - c..hi - c``, and
    an intersection of such spans is empty when one's low end exceeds another's high end::

        AllIndices(false, v)      v + c_i in lo_i..hi_i for the written indices i of v (ranged families)
        -------------------------------------------------------------------------------------------------
                 lo_i - c_i > hi_k - c_k for some variable v and some i, k of v   (false if none)

    ``None`` when a written index of a ranged family is not one variable plus an integer (nothing is derived)."""
    spans: dict[sp.Symbol, list[tuple[sp.Expr, sp.Expr]]] = {v: [] for v in h.variables}
    for x in h.written:
        if x.base not in ranges:
            continue
        lo, hi = ranges[x.base]
        for i in x.indices:
            used = sorted(i.free_symbols & set(h.variables), key=str)
            if not used:
                continue
            shift = sp.expand(i - used[0])
            if len(used) != 1 or not shift.is_Integer:
                return None
            spans[used[0]].append((lo - shift, hi - shift))
    empty = [sp.Gt(a, b, evaluate=False)
             for found in spans.values() for (a, _), (_, b) in itertools.product(found, found)]
    if not empty:
        return sp.false
    return empty[0] if len(empty) == 1 else sp.Or(*empty, evaluate=False)


def _bindings(h: AllIndices, entries: list[sp.Indexed], free: set[sp.Basic]) -> list[dict[sp.Symbol, sp.Expr]]:
    """The values of the variables read off ``entries`` by :func:`_match` against the entries of the hypothesis
    (using only the names ``free``), every variable's values combined with every other's (``x[r] = x[s]`` at
    ``x[1]`` and ``x[2]`` gives r, s in {1, 2}), at most :data:`MAX_INSTANCES` of them."""
    variables = h.variables
    patterns = {x for x in h.body.atoms(sp.Indexed) if x.free_symbols & set(variables)} | set(h.written)
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


def _inside(h: AllIndices, binding: Mapping[sp.Symbol, sp.Expr], ranges: Ranges) -> list[sp.Basic]:
    """``lo <= i <= hi`` for every index ``i`` that the variables take (at ``binding``) in a written entry of a
    family over ``lo..hi``."""
    variables = set(h.variables)
    ends: dict[tuple[sp.Expr, sp.Expr, sp.Expr], None] = {}
    for x in h.written:
        if x.base in ranges:
            lo, hi = ranges[x.base]
            ends.update(dict.fromkeys((i.xreplace(dict(binding)), lo, hi) for i in x.indices
                                      if i.free_symbols & variables))
    # Unevaluated: SymPy would settle "i >= 1" from i's assumptions, which only the facts may do.
    return [r for i, lo, hi in ends for r in (sp.Ge(i, lo, evaluate=False), sp.Le(i, hi, evaluate=False))]


def _guarded(h: AllIndices, binding: Mapping[sp.Symbol, sp.Expr], ranges: Ranges, decide: Decide
             ) -> sp.Basic | None:
    """``G`` at ``binding`` where the indices the variables take lie inside their families' ranges; ``None`` when
    one lies outside (the hypothesis says nothing there)."""
    instance = h.body.xreplace(dict(binding))
    inside = _inside(h, binding, ranges)
    if not inside:
        return instance
    known = decide(sp.And(*inside, evaluate=False))
    if known is True:
        return instance
    if known is False:
        return None
    return sp.Or(*[_negated(r) for r in inside], instance, evaluate=False)


def _negated(r: sp.Basic) -> sp.Basic:
    """``i < lo`` for ``i >= lo`` and ``i > hi`` for ``i <= hi``, unevaluated."""
    return (sp.Lt if isinstance(r, sp.Ge) else sp.Gt)(r.lhs, r.rhs, evaluate=False)


#: A definition read from a hypothesis over all indices: the hypothesis, the family, its index variables, and the
#: value of its entry.
Definition = tuple[AllIndices, sp.IndexedBase, tuple[sp.Symbol, ...], sp.Expr]


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
                out.append((h, entry.base, tuple(entry.indices), value))
                break
    return out


Limits = Sequence[tuple[sp.Symbol, sp.Expr, sp.Expr]]


def rewrite(e: sp.Expr, defs: Sequence[Definition], families: Sequence[tuple[sp.IndexedBase, sp.Expr, sp.Expr]],
            within: Callable[[Limits], Decide]) -> sp.Expr:
    """``e`` with every entry of a defined family replaced by its value, where the indices it gives the variables
    provably lie inside the ranges of the hypothesis's written entries (``within(limits)`` decides with the facts
    and ``lo <= j <= hi`` for the indices of the sums around the entry)::

        F[v] = e(v) for every v inside      a inside
        ---------------------------------------------
                        F[a] = e(a)
    """
    if not defs or not isinstance(e, sp.Basic):
        return e
    table = {base: (h, variables, value) for h, base, variables, value in defs}
    ranges = {base: (lo, hi) for base, lo, hi in families}

    def walk(x: sp.Basic, limits: tuple[tuple[sp.Symbol, sp.Expr, sp.Expr], ...]) -> sp.Basic:
        if isinstance(x, sp.Indexed) and x.base in table:
            h, variables, value = table[x.base]
            if len(variables) != len(x.indices):
                return x
            binding = dict(zip(variables, x.indices, strict=True))
            inside = _inside(h, binding, ranges)
            if inside and within(limits)(sp.And(*inside, evaluate=False)) is not True:
                return x
            return interval.settle(value, binding)
        if isinstance(x, sp.Sum) and all(len(lim) == 3 for lim in x.limits) and x.has(*table):
            # SymPy lists a sum's limits innermost first; the facts take them outermost first, so that an inner
            # bound that names an outer index (j <= m) is kept when the outer index is forgotten and bound again.
            inner = tuple(tuple(lim) for lim in reversed(x.limits))
            return sp.Sum(walk(x.function, limits + inner), *x.limits)
        if not x.args or isinstance(x, (sp.Sum, sp.Product, sp.Derivative, AllIndices)) or not x.has(*table):
            return x
        # Rebuilt as the kernel rebuilds: floor, sign, Max... of numbers held, not evaluated by SymPy.
        return interval.rebuild(x, tuple(walk(a, limits) for a in x.args))

    return walk(e, ())

"""Multiple sums: ``Sum(f, (i, a, b), (j, c, d))`` (SymPy folds ``Sum(Sum(f, ...), ...)`` into this form).

Part of the trusted core, called from the normal form (:func:`verifier.kernel.rules.normal`) before the rules of
single sums (:mod:`verifier.kernel.sums`). Every rule below holds for finite sums over a *rectangular* range (integer
bounds that do not involve the other indices) whose every range is nonempty: the premise of :func:`nested` is that the
facts imply each size ``n >= 1``. Then each sum is an ordinary finite sum, and finite sums commute and distribute. Any
other multiple sum (a range that may be empty, or bounds that involve another index) is left to the single-sum rules,
one limit at a time.

The normal form of a rectangular multiple sum:

1. the summand is expanded and split by linearity (:func:`split_terms`);
2. an index that a ``KroneckerDelta`` of the term involves is summed first, by the single-sum rules (interchange);
3. otherwise the term's indices fall into groups that share no factor, and the sum is the product of one sum per
   group (:func:`factor_independent`); a group of one index is a single sum, a larger group a multiple sum over
   canonical indices chosen in the order that makes it smallest (:func:`canonical_multi`), so that sums equal up
   to renaming and interchange are the same atom.
"""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING

import sympy as sp

from verifier.kernel import sums

if TYPE_CHECKING:
    from verifier.kernel.facts import Facts

#: A group of more indices than this is not renamed canonically (its permutations would cost too much).
MAX_GROUP = 4


def nested(e: sp.Sum, facts: Facts, simplify: sums.Simplify) -> sp.Expr | None:
    """The normal form of a sum with several limits (see the module docstring), or ``None`` when its premise
    fails: a range that is not a run of integers, bounds that involve another index, or a range that the facts do
    not show nonempty.

        every limit (j, a, b) has integer bounds free of the other indices, and the facts imply b - a + 1 >= 1
        ----------------------------------------------------------------------------------------------------
        the rules of this module apply to Sum(f, (j1, a1, b1), ..., (jr, ar, br))
    """
    limits = [tuple(lim) for lim in e.limits]
    indices = [lim[0] for lim in limits]
    if not all(len(lim) == 3 and sums.integer_bounds(lim) and not (lim[1].free_symbols | lim[2].free_symbols)
               & set(indices) for lim in limits):
        return None
    shifted = []
    f = e.function
    for j, a, b in limits:
        f, n = sums.shift_to_one(f, j, a, b)
        if not facts.positive(n):
            return None
        shifted.append((j, n))
    inner = facts
    for j, n in shifted:
        inner = inner.within(j, 1, n)
    f = simplify(f, inner)
    total: sp.Expr = sp.Integer(0)
    for c, term in split_terms(f, indices):
        total += c * _term(term, shifted, facts, simplify)
    return total


def split_terms(f: sp.Expr, indices: list[sp.Symbol]) -> list[tuple[sp.Expr, sp.Expr]]:
    """
        f = c1*g1 + ... + cm*gm, each ci free of every index
        ----------------------------------------------------------------------------
        Sum(f, L1, ..., Lr) = c1*Sum(g1, L1, ..., Lr) + ... + cm*Sum(gm, L1, ..., Lr)
    """
    pairs: dict[sp.Expr, sp.Expr] = {}
    for term in sp.Add.make_args(sp.expand(f)):
        inside: list[sp.Basic] = []
        outside: list[sp.Basic] = []
        for factor in sp.Mul.make_args(term):
            (inside if factor.free_symbols & set(indices) else outside).append(factor)
        g = sp.Mul(*inside)
        pairs[g] = pairs.get(g, sp.Integer(0)) + sp.Mul(*outside)
    return [(c, g) for g, c in pairs.items() if c != 0]


def _single(g: sp.Expr, j: sp.Symbol, n: sp.Expr, facts: Facts, simplify: sums.Simplify) -> sp.Expr:
    return sums.normal_sum(sp.Sum(g, (j, 1, n)), facts, simplify)


def _term(g: sp.Expr, limits: list[tuple[sp.Symbol, sp.Expr]], facts: Facts, simplify: sums.Simplify) -> sp.Expr:
    """``Sum(g, (j1, 1, n1), ...)`` for one term ``g`` of the summand (every ``ni >= 1``)."""
    used = [(j, n) for j, n in limits if j in g.free_symbols]
    unused = [n for j, n in limits if j not in g.free_symbols]
    factor = sp.Mul(*unused)        # Sum(c, (j, 1, n)) = n*c for an index the term does not involve
    if not used:
        return factor * g
    if len(used) == 1:
        (j, n), = used
        return factor * _single(g, j, n, facts, simplify)
    for j, n in used:
        if any(isinstance(x, sp.KroneckerDelta) and j in x.free_symbols for x in sp.Mul.make_args(g)) or n.is_Integer:
            # Interchange: sum over j first (it collapses or writes out), then over the others.
            first = _single(g, j, n, facts, simplify)
            rest = [(k, m) for k, m in used if k != j]
            return factor * _again(first, rest, facts, simplify)
    bounds = dict(used)
    product: sp.Expr = factor
    for group, part in factor_independent(g, [j for j, _ in used]):
        if len(group) == 1:
            (j,) = group
            product *= _single(part, j, bounds[j], facts, simplify)
        else:
            product *= canonical_multi(part, [(j, bounds[j]) for j in group])
    return product


def _again(e: sp.Expr, limits: list[tuple[sp.Symbol, sp.Expr]], facts: Facts, simplify: sums.Simplify
           ) -> sp.Expr:
    """``Sum(e, *limits)`` normalised, for an ``e`` with fewer sums over these indices than before."""
    total: sp.Expr = sp.Integer(0)
    for c, term in split_terms(simplify(e, facts), [j for j, _ in limits]):
        total += c * _term(term, limits, facts, simplify)
    return total


def factor_independent(g: sp.Expr, indices: list[sp.Symbol]) -> list[tuple[tuple[sp.Symbol, ...], sp.Expr]]:
    """
        g = g1(J1) * ... * gr(Jr), the index groups J1, ..., Jr disjoint, ranges rectangular
        ------------------------------------------------------------------------------------
        Sum(g, over J1 ∪ ... ∪ Jr) = Sum(g1, over J1) * ... * Sum(gr, over Jr)
    Returns the groups and their factors (a factor that involves no index stays with the first group).
    """
    factors = list(sp.Mul.make_args(g))
    parent = {j: j for j in indices}

    def root(j: sp.Symbol) -> sp.Symbol:
        while parent[j] != j:
            j = parent[j]
        return j

    for f in factors:
        present = [j for j in indices if j in f.free_symbols]
        for other in present[1:]:
            parent[root(other)] = root(present[0])
    groups: dict[sp.Symbol, list[sp.Symbol]] = {}
    for j in indices:
        groups.setdefault(root(j), []).append(j)
    out = []
    for members in groups.values():
        part = sp.Mul(*[f for f in factors if f.free_symbols & set(members)])
        out.append((tuple(members), part))
    free = sp.Mul(*[f for f in factors if not f.free_symbols & set(indices)])
    if free != 1:
        out[0] = (out[0][0], out[0][1] * free)
    return out


def canonical_multi(g: sp.Expr, limits: list[tuple[sp.Symbol, sp.Expr]]) -> sp.Expr:
    """
        pi a permutation of the indices (finite sums commute; rectangular ranges)
        -------------------------------------------------------------------------
        Sum(g, (j1, 1, n1), ..., (jr, 1, nr)) = Sum(g[j := pi(j)], ... the same ranges, renamed ...)
    choosing, among the renamings to canonical indices, the one whose sum prints smallest.
    """
    if len(limits) > MAX_GROUP:
        return sp.Sum(g, *[(j, 1, n) for j, n in limits])
    level = sums.nesting_level(g)
    names = [sums.canonical_index(level + t) for t in range(len(limits))]
    best = None
    for order in itertools.permutations(range(len(limits))):
        mapping = {limits[o][0]: names[t] for t, o in enumerate(order)}
        summand = sp.expand(g.xreplace(mapping))
        lims = tuple((names[t], 1, limits[o][1]) for t, o in enumerate(order))
        key = (sp.srepr(summand), sp.srepr(lims))
        if best is None or key < best[0]:
            best = (key, summand, lims)
    assert best is not None
    return sp.Sum(best[1], *best[2])

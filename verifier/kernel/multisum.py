"""Multiple sums: ``Sum(f, (i, a, b), (j, c, d))`` (SymPy folds ``Sum(Sum(f, ...), ...)`` into this form).

Part of the trusted core, called from the normal form of :mod:`verifier.kernel.rules`. Every rule holds for finite
sums under Karr's convention (each sum is a signed finite sum, and signed finite sums commute and distribute), for
any integer bounds that do not involve the other indices (a *rectangular* range). A sum whose bounds involve another
of its indices is left as one atom.

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

import sympy as sp

#: A group of more indices than this is not renamed canonically (its permutations would cost too much).
MAX_GROUP = 4


def nested(e: sp.Sum, facts: "rules.Facts") -> sp.Expr:
    """The normal form of a sum with several limits (see the module docstring)."""
    from verifier.kernel import rules

    limits = [tuple(lim) for lim in e.limits]
    indices = [lim[0] for lim in limits]
    if not all(j.is_integer and a.is_finite and b.is_finite and (b - a).is_integer
               and not (a.free_symbols | b.free_symbols) & set(indices) for j, a, b in limits):
        return e    # a series, or bounds that depend on another index: one atom
    shifted = []
    f = e.function
    for j, a, b in limits:
        f, n = rules.shift_to_one(f, j, a, b)
        shifted.append((j, n))
    inner = facts
    for j, n in shifted:
        inner = inner.within(j, 1, n) if facts.nonneg(n) else inner
    f = rules._structural(f, inner)
    total: sp.Expr = sp.Integer(0)
    for c, term in split_terms(f, indices):
        total += c * _term(term, shifted, facts)
    return total


def split_terms(f: sp.Expr, indices: list[sp.Symbol]) -> list[tuple[sp.Expr, sp.Expr]]:
    """
        f = c1*g1 + ... + cm*gm, each ci free of every index
        ----------------------------------------------------------------------------
        Sum(f, L1, ..., Lr) = c1*Sum(g1, L1, ..., Lr) + ... + cm*Sum(gm, L1, ..., Lr)
    """
    pairs: dict[sp.Expr, sp.Expr] = {}
    for term in sp.Add.make_args(sp.expand(f)):
        inside, outside = [], []
        for factor in sp.Mul.make_args(term):
            (inside if factor.free_symbols & set(indices) else outside).append(factor)
        g = sp.Mul(*inside)
        pairs[g] = pairs.get(g, sp.Integer(0)) + sp.Mul(*outside)
    return [(c, g) for g, c in pairs.items() if c != 0]


def _term(g: sp.Expr, limits: list[tuple[sp.Symbol, sp.Expr]], facts: "rules.Facts") -> sp.Expr:
    """``Sum(g, (j1, 1, n1), ...)`` for one term ``g`` of the summand."""
    from verifier.kernel import rules

    used = [(j, n) for j, n in limits if j in g.free_symbols]
    unused = [n for j, n in limits if j not in g.free_symbols]
    factor = sp.Mul(*unused)        # Sum(c, (j, 1, n)) = n*c for an index the term does not involve
    if not used:
        return factor * g
    if len(used) == 1:
        (j, n), = used
        return factor * rules._sum(sp.Sum(g, (j, 1, n)), facts)
    for j, n in used:
        if any(isinstance(x, sp.KroneckerDelta) and j in x.free_symbols for x in sp.Mul.make_args(g)) or n.is_Integer:
            # Interchange: sum over j first (it collapses or writes out), then over the others.
            first = rules._sum(sp.Sum(g, (j, 1, n)), facts)
            rest = [(k, m) for k, m in used if k != j]
            return factor * _again(first, rest, facts)
    bounds = dict(used)
    product: sp.Expr = factor
    for group, part in factor_independent(g, [j for j, _ in used]):
        if len(group) == 1:
            (j,) = group
            product *= rules._sum(sp.Sum(part, (j, 1, bounds[j])), facts)
        else:
            product *= canonical_multi(part, [(j, bounds[j]) for j in group])
    return product


def _again(e: sp.Expr, limits: list[tuple[sp.Symbol, sp.Expr]], facts: "rules.Facts") -> sp.Expr:
    """``Sum(e, *limits)`` normalised, for an ``e`` with fewer sums over these indices than before."""
    from verifier.kernel import rules

    total: sp.Expr = sp.Integer(0)
    for c, term in split_terms(rules._structural(e, facts), [j for j, _ in limits]):
        total += c * _term(term, limits, facts)
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
    from verifier.kernel import rules

    if len(limits) > MAX_GROUP:
        return sp.Sum(g, *[(j, 1, n) for j, n in limits])
    level = rules._level(g)
    names = [rules.canonical_index(level + t) for t in range(len(limits))]
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

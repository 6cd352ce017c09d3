"""The rules for sums and products, and the normal form of a sum.

Part of the trusted core (see :mod:`verifier.kernel.checker`). Meaning (section 2a of the format):

- ``Sum(f, (j, lo, hi))`` is ``f(lo) + ... + f(hi)`` for integers ``lo <= hi`` and 0 when ``hi < lo`` (an empty
  sum); ``Product`` is 1 over an empty range. This is not Karr's convention, which SymPy's ``doit`` follows
  (``Sum(f, (j, 1, -2)) = -f(-1) - f(0)`` there): no rule here uses ``doit``.
- Bounds are integers. A sum whose bounds are not known to be integers is left alone by every rule, and the checker
  refuses to decide anything about it (:func:`well_formed`).

Every rule is an equality for every integer value of the bounds, the empty ranges included; where it needs the range
to be nonempty (or of a size at least something), that premise is discharged from the facts, or the rule does not
fire. After :func:`shift_to_one` every sum runs over ``1..n``, and ``n <= 0`` means empty.

A summand is simplified under the facts of its range (``1 <= j <= n``), which imply ``n >= 1``: such a simplified
summand is used only inside the sum, and where it leaves the sum (a summand free of ``j``), only when ``n >= 1``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import TYPE_CHECKING

import sympy as sp

from verifier.kernel import defined, interval

if TYPE_CHECKING:
    from verifier.kernel.facts import Facts

#: Sums and products with numeric bounds are written out term by term up to this many terms.
MAX_TERMS = 400

#: The normal form of the summands (:func:`verifier.kernel.rules.normal`'s structural pass), handed in by the caller.
Simplify = Callable[[sp.Expr, "Facts"], sp.Expr]


def integer_bounds(limit: tuple) -> bool:
    """Whether a limit ``(j, lo, hi)`` runs an integer index between two finite integer bounds."""
    j, lo, hi = limit
    return all(x.is_integer is True and x.is_finite is not False for x in (j, lo, hi)) \
        and not any(x.has(sp.oo, -sp.oo, sp.zoo, sp.nan) for x in (lo, hi))


def well_formed(e: sp.Basic) -> bool:
    """Whether every ``Sum`` and ``Product`` in ``e`` has integer bounds (a sum may also be a series: a bound
    ``-oo`` or ``oo``, an opaque atom unless it has finite support). The checker decides nothing about an
    expression that is not: its meaning is an error of the file."""
    for x in sp.preorder_traversal(e):
        if isinstance(x, (sp.Sum, sp.Product)):
            for lim in x.limits:
                if len(lim) != 3:
                    return False
                if isinstance(x, sp.Sum) and _series(lim):
                    continue
                if not integer_bounds(lim):
                    return False
    return True


def _series(limit: tuple) -> bool:
    j, lo, hi = limit
    ends = [b for b in (lo, hi) if b in (sp.oo, -sp.oo)]
    finite = [b for b in (lo, hi) if b not in (sp.oo, -sp.oo)]
    return bool(ends) and j.is_integer is True and all(b.is_integer is True for b in finite) \
        and lo != sp.oo and hi != -sp.oo


# -- canonical bound indices ---------------------------------------------------------------------------------


def canonical_index(level: int) -> sp.Dummy:
    """The bound index used by every normalised sum at nesting ``level`` (so equal sums are equal atoms)."""
    return _CANONICAL.setdefault(level, sp.Dummy(f"j{level}", integer=True))


_CANONICAL: dict[int, sp.Dummy] = {}


def nesting_level(e: sp.Basic) -> int:
    """One more than the deepest canonical index bound inside ``e``."""
    depth = 0
    for x in sp.preorder_traversal(e):
        if isinstance(x, sp.Sum):
            for lim in x.limits:
                for lvl, d in _CANONICAL.items():
                    if lim[0] == d:
                        depth = max(depth, lvl + 1)
    return depth


def _level_of(j: sp.Symbol) -> int:
    for level, d in _CANONICAL.items():
        if d == j:
            return level
    return -1


# -- the rules -----------------------------------------------------------------------------------------------


def shift_to_one(f: sp.Expr, j: sp.Symbol, a: sp.Expr, b: sp.Expr) -> tuple[sp.Expr, sp.Expr]:
    """
        a, b integers
        ------------------------------------------------------------
        Sum(f(j), (j, a, b)) = Sum(f(j + a - 1), (j, 1, b - a + 1))
    (both empty exactly when b < a). Returns the new summand and upper bound.
    """
    if a == 1:
        return f, b
    return f.xreplace({j: j + a - 1}), sp.expand(b - a + 1)


def write_out(f: sp.Expr, j: sp.Symbol, n: int) -> sp.Expr:
    """
        n an integer
        -------------------------------------------------------------------------
        Sum(f(j), (j, 1, n)) = f(1) + f(2) + ... + f(n)     (0 when n <= 0: empty)
    """
    return sp.Add(*[interval.settle(f, {j: sp.Integer(v)}) for v in range(1, n + 1)])


def write_out_product(f: sp.Expr, j: sp.Symbol, n: int) -> sp.Expr:
    """
        n an integer
        -----------------------------------------------------------------------------
        Product(f(j), (j, 1, n)) = f(1) * f(2) * ... * f(n)     (1 when n <= 0: empty)
    """
    return sp.Mul(*[interval.settle(f, {j: sp.Integer(v)}) for v in range(1, n + 1)])


def empty(n: sp.Expr, facts: Facts) -> bool:
    """
        the facts imply n <= 0
        ----------------------------
        Sum(f(j), (j, 1, n)) = 0
    """
    return facts.nonneg(-n)


def collapse_delta(g: sp.Expr, j: sp.Symbol, e: sp.Expr, n: sp.Expr) -> sp.Expr:
    """
        e an integer not involving j
        ---------------------------------------------------------------------------------------
        Sum(g(j) * KroneckerDelta(j, e), (j, 1, n)) = Piecewise((g(e), 1 <= e <= n), (0, True))
    (for every integer n: when n <= 0 no e satisfies the condition, and the sum is empty).
    """
    return sp.Piecewise((interval.settle(g, {j: e}), sp.And(sp.Le(1, e), sp.Le(e, n))), (0, True))


def sum_constant(c: sp.Expr, n: sp.Expr, facts: Facts) -> sp.Expr:
    """
        c does not involve j      the facts imply n >= 1, or n >= 0 and c defined everywhere
        ---------------------------------------------------------------------------------------
        Sum(c, (j, 1, n)) = n * c
    and otherwise ``Sum(c, (j, 1, n)) = Piecewise((n * c, n >= 0), (0, True))`` (for any integer n) when ``c`` is
    defined everywhere, ``Piecewise((n * c, n >= 1), (0, True))`` when it is not: an empty sum is 0 even where its
    summand is undefined (``Sum(2/m, (j, 1, m))`` is 0 at m = 0, not ``0 * (2/0)``).
    """
    if facts.positive(n) or (facts.nonneg(n) and defined.everywhere(c)):
        return n * c
    return sp.Piecewise((n * c, sp.Ge(n, 0 if defined.everywhere(c) else 1)), (0, True))


def sum_constant_in_range(c: sp.Expr, n: sp.Expr, facts: Facts) -> sp.Expr:
    """A summand free of ``j`` that was simplified under ``1 <= j <= n`` (so under ``n >= 1``) equals the
    original summand only when the range has a term:

        c does not involve j      c = c' wherever 1 <= j <= n
        ----------------------------------------------------------------------
        Sum(c', (j, 1, n)) = Piecewise((n * c, n >= 1), (0, True))
    (``n * c`` alone when the facts imply ``n >= 1``, or ``n >= 0`` and ``c`` is defined everywhere, so that
    ``0 * c = 0``).
    """
    if facts.positive(n) or (facts.nonneg(n) and defined.everywhere(c)):
        return n * c
    return sp.Piecewise((n * c, sp.Ge(n, 1)), (0, True))


def split_linear(f: sp.Expr, j: sp.Symbol) -> list[tuple[sp.Expr, sp.Expr]]:
    """
        f = c1*g1 + ... + cm*gm, each ci free of j
        ---------------------------------------------------------------
        Sum(f, (j, 1, n)) = c1*Sum(g1, (j, 1, n)) + ... + cm*Sum(gm, (j, 1, n))
    (for every integer n: all are 0 when the range is empty). Returns the pairs (ci, gi), gi = 1 for terms free of j.
    """
    pairs: dict[sp.Expr, sp.Expr] = {}
    for term in sp.Add.make_args(sp.expand(f, deep=False)):
        inside: list[sp.Basic] = []
        outside: list[sp.Basic] = []
        for factor in sp.Mul.make_args(term):
            (inside if j in factor.free_symbols else outside).append(factor)
        g = sp.Mul(*inside)
        pairs[g] = pairs.get(g, sp.Integer(0)) + sp.Mul(*outside)
    return [(c, g) for g, c in pairs.items() if c != 0]


def vanishes_outside(g: sp.Expr, j: sp.Symbol, n: sp.Expr, facts: Facts) -> bool:
    """Whether ``g(j) = 0`` for every integer ``j <= 0`` and every ``j >= n + 1``, because a factor of ``g`` is a
    family entry ``F[e(j)]``, ``e = +-j + c``, whose index then lies outside the range where ``F`` may be nonzero,
    and every other factor is defined for every ``j`` (so that it times 0 is 0).

        F zero outside lo..hi      e(j) = s*j + c (s = +-1)      e(j) outside lo..hi for j <= 0 and for j >= n+1
        -----------------------------------------------------------------------------------------------------
        Sum(g(j), (j, 1, n)) = Sum(g(j), (j, -oo, oo))
    (for every integer n: when n <= 0 every j is <= 0 or >= n + 1, so both sides are 0).
    """
    if not defined.everywhere(g):
        return False
    below = above = False
    for factor in sp.Mul.make_args(g):
        base, expo = factor.as_base_exp()
        if not (isinstance(base, sp.Indexed) and len(base.indices) == 1 and expo.is_positive):
            continue
        rng = facts.family_range(base.base)
        if rng is None:
            continue
        lo, hi = rng
        idx = sp.expand(base.indices[0])
        s = idx.coeff(j)
        c = sp.expand(idx - s * j)
        if s not in (1, -1) or j in c.free_symbols:
            continue
        if s == 1:
            below = below or facts.positive(lo - c)              # j <= 0:   e <= c < lo
            above = above or facts.positive(n + 1 + c - hi)      # j >= n+1: e >= n + 1 + c > hi
        else:
            below = below or facts.positive(c - hi)              # j <= 0:   e >= c > hi
            above = above or facts.positive(lo - (c - n - 1))    # j >= n+1: e <= c - n - 1 < lo
    return below and above


def finite_support(g: sp.Expr, j: sp.Symbol, facts: Facts) -> bool:
    """Whether ``g(j)`` is 0 for all but finitely many integers ``j``: a factor ``F[s*j + c]^p`` (``s = +-1``,
    ``p > 0``) of a family ``F`` that is zero outside a range, the other factors defined everywhere. Only such sums
    over all integers are rewritten."""
    if not defined.everywhere(g):
        return False
    for factor in sp.Mul.make_args(g):
        base, expo = factor.as_base_exp()
        if not (isinstance(base, sp.Indexed) and len(base.indices) == 1 and expo.is_positive
                and facts.family_range(base.base) is not None):
            continue
        idx = sp.expand(base.indices[0])
        s = idx.coeff(j)
        if s in (1, -1) and j not in (idx - s * j).free_symbols:
            return True
    return False


def support_range(e: sp.Sum, facts: Facts) -> tuple[sp.Symbol, sp.Expr, sp.Expr] | None:
    """For a sum over every integer whose terms vanish outside a finite range, that range (the sum over it is the
    same sum)::

        each term of g has a factor F[j + c], F zero outside lo..hi (one F, one c)      g defined for every j
        -------------------------------------------------------------------------------------------------------
                           Sum(g(j), (j, -oo, oo)) = Sum(g(j), (j, lo - c, hi - c))
    """
    if len(e.limits) != 1:
        return None
    j, a, b = e.limits[0]
    if (a, b) != (-sp.oo, sp.oo) or not j.is_integer or not defined.everywhere(e.function):
        return None
    ranges = {_term_support(term, j, facts) for term in sp.Add.make_args(sp.expand(e.function))}
    if len(ranges) != 1 or None in ranges:
        return None
    (support,) = ranges
    assert support is not None
    return (j, *support)


def _term_support(term: sp.Expr, j: sp.Symbol, facts: Facts) -> tuple[sp.Expr, sp.Expr] | None:
    """``(lo - c, hi - c)`` for a factor ``F[j + c]`` of ``term``, ``F`` zero outside ``lo..hi``."""
    for factor in sp.Mul.make_args(term):
        base, expo = factor.as_base_exp()
        if not (isinstance(base, sp.Indexed) and len(base.indices) == 1 and expo.is_positive):
            continue
        rng = facts.family_range(base.base)
        shift = sp.expand(base.indices[0] - j)
        if rng is not None and j not in shift.free_symbols and shift.is_integer:
            return rng[0] - shift, rng[1] - shift
    return None


def canonical_infinite(g: sp.Expr, j: sp.Symbol, facts: Facts) -> sp.Expr:
    """
        ---------------------------------------------------------------------------- (finite support; s = +-1)
        Sum(g(j), (j, -oo, oo)) = Sum(g(s*(j - c)), (j, -oo, oo))
    choosing s, c so that the first family entry (by name) with index s*j + c becomes F[j].
    """
    entries = sorted((x for x in g.atoms(sp.Indexed) if len(x.indices) == 1 and j in x.indices[0].free_symbols
                      and facts.family_range(x.base) is not None), key=lambda x: (str(x.base), sp.default_sort_key(x)))
    for x in entries:
        idx = sp.expand(x.indices[0])
        s = idx.coeff(j)
        c = sp.expand(idx - s * j)
        if s in (1, -1) and j not in c.free_symbols:
            return g.xreplace({j: s * (j - c)})
    return g


# -- the normal form of a sum ----------------------------------------------------------------------------------


def normal_sum(e: sp.Sum, facts: Facts, simplify: Simplify) -> sp.Expr:
    """The normal form of a sum: shifted to start at 1, empty or written out when its size is known, split by
    linearity, collapsed against deltas, widened over a zero-outside family; else a canonical ``Sum`` atom."""
    if not all(len(lim) == 3 for lim in e.limits):
        return e
    f = e.function
    for limit in e.limits:      # innermost first; never rebuilt as one Sum (SymPy would fold it back)
        f = _sum_over(f, limit, facts, simplify)
    return f


#: A derivation's entry is one side of two obligations (a step's right side is the next step's left side), and
#: a run's obligations share their sums: a sum's normal form, a pure function of the summand, the limit, the facts
#: and the rules, is computed once per process. The keys compare structurally (a bound index is the entry's own
#: dummy, names carry their assumptions), so only the same sum under the same facts is served.
@lru_cache(maxsize=2048)
def _sum_over(f: sp.Expr, limit: tuple, facts: Facts, simplify: Simplify) -> sp.Expr:
    """The normal form of ``Sum(f, limit)`` for one limit."""
    j, a, b = limit
    if a == -sp.oo and b == sp.oo and j.is_integer:
        return _infinite_sum(f, j, facts, simplify)
    if not integer_bounds(limit):
        return sp.Sum(f, limit)     # a series, or bounds that are not integers: none of the rules applies
    f, n = shift_to_one(f, j, a, b)
    if n.is_Integer and int(n) <= MAX_TERMS:
        return simplify(write_out(f, j, int(n)), facts)
    if empty(n, facts):
        return sp.Integer(0)
    total: sp.Expr = sp.Integer(0)
    for c, g in split_linear(f, j):
        if not (facts.positive(n) or _defined_everywhere(c, facts)):
            c, g = sp.Integer(1), c * g     # c may be undefined where the range is empty, and the sum still 0
        c = simplify(c, facts)
        if j not in g.free_symbols:
            total += c * sum_constant(g, n, facts)
        else:
            total += c * _sum_term(g, j, n, facts, simplify)
    return total


def _defined_everywhere(c: sp.Expr, facts: Facts) -> bool:
    """Whether ``c`` is defined for every value, a sum over all integers of a summand defined everywhere and zero
    outside a finite range (the normal form of a sum over a family's range) counting as defined."""
    finite = {x: sp.Dummy() for x in c.atoms(sp.Sum) if len(x.limits) == 1 and x.limits[0][1:] == (-sp.oo, sp.oo)
              and defined.everywhere(x.function) and finite_support(x.function, x.limits[0][0], facts)}
    return defined.everywhere(c.xreplace(finite) if finite else c)


def _sum_term(g: sp.Expr, j: sp.Symbol, n: sp.Expr, facts: Facts, simplify: Simplify) -> sp.Expr:
    """``Sum(g, (j, 1, n))`` under ``facts``, which say nothing of ``j``. The summand is simplified under
    ``1 <= j <= n``; a factor of it free of ``j`` leaves the sum only when the facts imply ``n >= 1``."""
    g = simplify(g, facts.within(j, 1, n))
    nonempty = facts.positive(n)
    total: sp.Expr = sp.Integer(0)
    for c, h in split_linear(g, j):
        if not nonempty:
            c, h = sp.Integer(1), c * h
        if j not in h.free_symbols:
            total += c * sum_constant_in_range(h, n, facts)
        else:
            total += c * _sum_atom(h, j, n, facts, simplify)
    return total


def _sum_atom(g: sp.Expr, j: sp.Symbol, n: sp.Expr, facts: Facts, simplify: Simplify) -> sp.Expr:
    """``Sum(g, (j, 1, n))`` for a summand already simplified in its range: a delta collapsed, a zero-outside family
    widened, else a canonical ``Sum`` atom."""
    for factor in sp.Mul.make_args(g):
        if isinstance(factor, sp.KroneckerDelta) and len(factor.args) == 2:
            e = _solve_for(j, factor.args[0] - factor.args[1])
            if e is not None and e.is_integer:
                rest = sp.Mul(*[f for f in sp.Mul.make_args(g) if f is not factor])
                return simplify(collapse_delta(rest, j, e, n), facts)
    if vanishes_outside(g, j, n, facts):
        return _infinite_sum(g, j, facts, simplify)
    closed = polynomial_sum(g, j, n, facts)
    if closed is not None:
        return simplify(closed, facts)
    k = canonical_index(nesting_level(g))
    return sp.Sum(sp.cancel(g.xreplace({j: k})), (k, 1, n))


#: A polynomial summand of at most this degree in its index is summed in closed form.
MAX_POLYNOMIAL_DEGREE = 8


def polynomial_sum(g: sp.Expr, j: sp.Symbol, n: sp.Expr, facts: Facts) -> sp.Expr | None:
    """
        g(j) a polynomial in j, free of n's names      F(0) = 0      F(m) - F(m - 1) = g(m)      n >= 0
        --------------------------------------------------------------------------------------------
        Sum(g(j), (j, 1, n)) = F(n)                                        (by induction on n)
    ``F`` is proposed by SymPy's ``summation`` (not trusted) and both premises are checked here by polynomial
    arithmetic; ``None`` when a premise does not hold (then the sum stays an atom).
    """
    if not facts.nonneg(n) or not _polynomial_in(g, j) or g.free_symbols & n.free_symbols:
        # A summand that mentions the size (j/n, simplified under 1 <= j <= n) could meet its own bound in F(n),
        # where SymPy would cancel n/n even at n = 0, the empty sum: such a sum stays an atom.
        return None
    m = sp.Dummy("m", integer=True)
    try:
        proposal = sp.summation(g, (j, 1, m))
    except (ValueError, NotImplementedError, TypeError):
        return None
    if proposal.has(sp.Sum, sp.Piecewise) or not proposal.free_symbols <= (g.free_symbols - {j}) | {m}:
        return None
    if sp.expand(proposal.xreplace({m: sp.Integer(0)})) != 0:
        return None
    if sp.expand(proposal - proposal.xreplace({m: m - 1}) - g.xreplace({j: m})) != 0:
        return None
    return sp.expand(proposal.xreplace({m: n}))


def _polynomial_in(g: sp.Expr, j: sp.Symbol) -> bool:
    """Whether ``g`` is a polynomial in ``j`` of small degree whose every other part is free of ``j``."""
    if j not in g.free_symbols:
        return False
    if any(j in a.free_symbols for a in g.atoms(sp.Function, sp.Indexed, sp.Sum, sp.Product, sp.Piecewise)):
        return False
    if not g.is_polynomial(j):
        return False
    return sp.degree(g, j) <= MAX_POLYNOMIAL_DEGREE


def _solve_for(j: sp.Symbol, d: sp.Expr) -> sp.Expr | None:
    """The value of ``j`` that makes ``d = s*j + c`` zero, when ``s = +-1`` and ``c`` does not involve ``j``."""
    d = sp.expand(d)
    s = d.coeff(j)
    c = sp.expand(d - s * j)
    if s not in (1, -1) or j in c.free_symbols:
        return None
    return sp.expand(-c / s)


def _infinite_sum(g: sp.Expr, j: sp.Symbol, facts: Facts, simplify: Simplify) -> sp.Expr:
    g = simplify(g, facts)
    total: sp.Expr = sp.Integer(0)
    pairs = split_linear(g, j)
    if not all(finite_support(term, j, facts) for _, term in pairs):
        # A series that may not converge: splitting it, or moving its index, could turn "undefined" into a value.
        return sp.Sum(g, (j, -sp.oo, sp.oo))
    for c, term in pairs:
        term = canonical_infinite(term, j, facts)
        k = canonical_index(nesting_level(term))
        total += c * sp.Sum(sp.cancel(term.xreplace({j: k})), (k, -sp.oo, sp.oo))
    return total


def normal_product(e: sp.Product, facts: Facts, simplify: Simplify) -> sp.Expr:
    """A product with integer bounds whose size is a known number is written out (1 when empty); any other product
    is left as it is, its arguments normalised."""
    if len(e.limits) != 1 or not integer_bounds(e.limits[0]):
        return e
    j, a, b = e.limits[0]
    f, n = shift_to_one(e.function, j, a, b)
    if n.is_Integer and int(n) <= MAX_TERMS:
        return simplify(write_out_product(f, j, int(n)), facts)
    if empty(n, facts):
        return sp.Integer(1)
    return e


# -- combining sums --------------------------------------------------------------------------------------------


def merge_sums(e: sp.Expr) -> sp.Expr:
    """
        ci free of j
        ------------------------------------------------------------------------
        c1*Sum(g1, (j, lo, hi)) + c2*Sum(g2, (j, lo, hi)) = Sum(c1*g1 + c2*g2, (j, lo, hi))
    applied to every group of terms over the same range, the merged summand brought to canonical form (for every
    integer lo, hi: all are 0 when the range is empty).
    """
    groups: dict[tuple, list[sp.Expr]] = {}
    others: list[sp.Expr] = []
    for term in sp.Add.make_args(sp.expand(e)):
        sums = [f for f in sp.Mul.make_args(term) if isinstance(f, sp.Sum)]
        if len(sums) != 1:
            others.append(term)
            continue
        s = sums[0]
        c = sp.Mul(*[f for f in sp.Mul.make_args(term) if f is not s])
        j = s.limits[0][0]
        if j in c.free_symbols or len(s.limits) != 1:
            others.append(term)
            continue
        groups.setdefault((s.limits[0][1], s.limits[0][2]), []).append((j, c * s.function))
    total = sp.Add(*others)
    for (lo, hi), parts in groups.items():
        # One bound index for the group: the deepest one (sums inside a summand use shallower indices only).
        k = max((j for j, _ in parts), key=lambda j: _level_of(j))
        summand = sp.cancel(sp.together(sp.Add(*[f.xreplace({j: k}) for j, f in parts])))
        if summand != 0:
            total += sp.Sum(summand, (k, lo, hi))
    return total


def peel(e: sp.Expr, facts: Facts, *, front: bool) -> sp.Expr:
    """
        c >= 1 an integer       the facts imply m >= 0
        -------------------------------------------------------------------------------------
        Sum(g(j), (j, 1, m + c)) = Sum(g(j), (j, 1, m)) + g(m + 1) + ... + g(m + c)             (back)
        Sum(g(j), (j, 1, m + c)) = g(1) + ... + g(c) + Sum(g(j + c), (j, 1, m))                 (front)
    applied to every sum whose upper bound exceeds, by a constant, the upper bound of another sum of ``e`` that
    starts at 1, so that sums over the same range can then be combined. (Without ``m >= 0`` it is false: with
    ``m = -1, c = 2`` the left side is ``g(1)``, the right side ``g(0) + g(1)``.)
    """
    sums = [x for x in e.atoms(sp.Sum) if len(x.limits) == 1 and x.limits[0][1] == 1]
    uppers = {x.limits[0][2] for x in sums}
    repl = {}
    for x in sums:
        j, _, n = x.limits[0]
        for m in uppers:
            c = sp.expand(n - m)
            if c.is_Integer and 0 < int(c) <= MAX_TERMS and facts.nonneg(m):
                g, c = x.function, int(c)
                if front:
                    head = sp.Add(*[interval.settle(g, {j: sp.Integer(t)}) for t in range(1, c + 1)])
                    repl[x] = head + sp.Sum(g.xreplace({j: j + c}), (j, 1, m))
                else:
                    tail = sp.Add(*[interval.settle(g, {j: m + t}) for t in range(1, c + 1)])
                    repl[x] = sp.Sum(g, (j, 1, m)) + tail
                break
    return e.xreplace(repl) if repl else e


def size_conditions(e: sp.Expr, facts: Facts) -> list[sp.Basic]:
    """The conditions ``n >= 0`` on the sizes of the sums ``Sum(g, (j, 1, n))`` in ``e`` that the facts leave
    open: a case split on one of them lets :func:`peel` fire in one case and :func:`empty` in the other."""
    out = []
    for x in sp.preorder_traversal(e):
        if isinstance(x, sp.Sum) and len(x.limits) == 1 and x.limits[0][1] == 1 and integer_bounds(x.limits[0]):
            n = x.limits[0][2]
            if not facts.nonneg(n) and not facts.nonneg(-n):
                out.append(sp.Ge(n, 0, evaluate=False))
    return out

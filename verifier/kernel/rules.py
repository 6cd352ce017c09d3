"""The rewriting rules of the trusted core, and the normal form they build.

Part of the trusted core (see :mod:`verifier.kernel.checker`). Each rule is one small function that returns an expression
*equal* to its input for every allowed value; its docstring draws the rule, premises over the conclusion. The
normal form applies them bottom-up:

1. hyperbolic functions are rewritten through ``exp``;
2. every ``exp(a1*t1 + ... + c)`` becomes a product of powers of atoms ``expu(t/L)`` (``expu`` is ``exp`` under
   another name, so that SymPy does not fold powers back);
3. sums are shifted to start at 1, given a canonical bound index, split by linearity, collapsed against
   ``KroneckerDelta``, summed when their bounds are numbers, and widened to ``(-oo, oo)`` when a factor is a family
   that is zero outside its range (the out-of-bound-is-zero convention) and so vanishes outside the sum's range;
4. ``Piecewise`` and ``KroneckerDelta`` are settled where the facts decide their conditions.

What is trusted from SymPy: its constructors' automatic evaluation, ``diff`` (used while building), ``expand``,
``together`` and ``cancel`` (polynomial arithmetic over the rationals), ``xreplace`` and the assumptions declared on
symbols (``is_real``, ``is_positive`` of a symbol or of an expression built from them). Nothing here calls
``simplify``, ``equals``, ``refine`` or ``is_zero``; the sign of a number comes from :mod:`verifier.kernel.interval`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from math import lcm

import sympy as sp

from verifier.kernel import interval
from verifier.kernel import linear

#: ``expu(t)`` stands for ``exp(t)``: a positive atom that SymPy leaves alone.
expu = sp.Function("expu", positive=True)

#: Sums with numeric bounds are written out term by term up to this many terms.
MAX_TERMS = 400


@dataclass(frozen=True)
class Facts:
    """What is known about the integer (and real) symbols: linear constraints, disequalities, zero-outside ranges."""

    constraints: tuple[linear.Constraint, ...] = ()
    unequal: frozenset[sp.Expr] = frozenset()          # expressions known to be nonzero (a - b for a != b)
    families: tuple[tuple[sp.IndexedBase, sp.Expr, sp.Expr], ...] = ()

    def add(self, relation: sp.Basic) -> "Facts":
        """These facts and one more relation (ignored when it is not linear: facts only ever help)."""
        new = list(self.constraints)
        unequal = set(self.unequal)
        for rel in _conjuncts(relation):
            if isinstance(rel, sp.Ne):
                unequal.add(sp.expand(rel.lhs - rel.rhs))
                continue
            for c in _as_constraints(rel):
                new.append(c)
        return replace(self, constraints=tuple(new), unequal=frozenset(unequal))

    def within(self, j: sp.Symbol, lo: sp.Expr, hi: sp.Expr) -> "Facts":
        """These facts and ``lo <= j <= hi``."""
        return self.add(sp.And(sp.Ge(j, lo, evaluate=False), sp.Le(j, hi, evaluate=False)))

    def forget(self, s: sp.Symbol) -> "Facts":
        """These facts without any that mention ``s`` (for an expression where ``s`` is a bound variable)."""
        constraints = tuple(c for c in self.constraints if all(v != s for v, _ in c.coeffs))
        unequal = frozenset(d for d in self.unequal if s not in d.free_symbols)
        return replace(self, constraints=constraints, unequal=unequal)

    def nonneg(self, e: sp.Expr) -> bool:
        """Whether the facts imply ``e >= 0``."""
        return linear.implies(self.constraints, e)

    def positive(self, e: sp.Expr) -> bool:
        """Whether the facts imply ``e > 0``."""
        return linear.implies(self.constraints, e, strict=True)

    def family_range(self, base: sp.IndexedBase) -> tuple[sp.Expr, sp.Expr] | None:
        """The range outside which a family is zero, if it has one."""
        for b, lo, hi in self.families:
            if b == base:
                return lo, hi
        return None

    def decide(self, cond: sp.Basic) -> bool | None:
        """Settle a condition: ``True`` or ``False`` when the facts imply it or its negation, else ``None``."""
        if cond is sp.true or cond is True:
            return True
        if cond is sp.false or cond is False:
            return False
        if isinstance(cond, sp.And):
            results = [self.decide(a) for a in cond.args]
            if any(r is False for r in results):
                return False
            return True if all(r is True for r in results) else None
        if isinstance(cond, sp.Or):
            results = [self.decide(a) for a in cond.args]
            if any(r is True for r in results):
                return True
            return False if all(r is False for r in results) else None
        if isinstance(cond, sp.Not):
            r = self.decide(cond.args[0])
            return None if r is None else not r
        if isinstance(cond, (sp.Eq, sp.Ne)):
            d = sp.expand(cond.lhs - cond.rhs)
            equal = self._equal(d)
            if equal is None:
                return None
            return equal if isinstance(cond, sp.Eq) else not equal
        if isinstance(cond, sp.core.relational.Relational):
            d = sp.expand(cond.lhs - cond.rhs)
            if d.is_number:
                s = interval.sign(d)
                if s is None:
                    return None
                return {sp.Lt: s < 0, sp.Le: s <= 0, sp.Gt: s > 0, sp.Ge: s >= 0}.get(type(cond))
            constraints = _as_constraints(cond)
            if not constraints:
                return None     # not linear: nothing is known (an empty conjunction must not read as "implied")
            if all(self._holds(c) for c in constraints):
                return True
            negated = _negate(cond)
            opposite = _as_constraints(negated) if negated is not None else []
            if opposite and all(self._holds(c) for c in opposite):
                return False
        return None

    def _equal(self, d: sp.Expr) -> bool | None:
        if d == 0:
            return True
        if d.is_number:
            s = interval.sign(d)
            return None if s is None else s == 0
        if d in self.unequal or -d in self.unequal:
            return False
        if self.positive(d) or self.positive(-d):
            return False
        if self.nonneg(d) and self.nonneg(-d):
            return True
        return None

    def _holds(self, c: linear.Constraint) -> bool:
        return linear.infeasible(list(self.constraints) + [_negated_constraint(c)])


def _negated_constraint(c: linear.Constraint) -> linear.Constraint:
    """``not (e >= 0)`` is ``-e > 0``; ``not (e > 0)`` is ``-e >= 0``."""
    coeffs = tuple((v, -a) for v, a in c.coeffs)
    return linear._tighten(linear.Constraint(coeffs, -c.const, not c.strict))


def _conjuncts(relation: sp.Basic) -> list[sp.Basic]:
    if isinstance(relation, sp.And):
        return [r for a in relation.args for r in _conjuncts(a)]
    return [relation]


def _as_constraints(rel: sp.Basic) -> list[linear.Constraint]:
    """A relation as linear constraints (``a = b`` gives two); none when it is not linear."""
    if not isinstance(rel, sp.core.relational.Relational):
        return []
    d = rel.lhs - rel.rhs
    if isinstance(rel, sp.Eq):
        out = [linear.constraint(d), linear.constraint(-d)]
    elif isinstance(rel, (sp.Ge, sp.Gt)):
        out = [linear.constraint(d, strict=isinstance(rel, sp.Gt))]
    elif isinstance(rel, (sp.Le, sp.Lt)):
        out = [linear.constraint(-d, strict=isinstance(rel, sp.Lt))]
    else:
        return []
    return [c for c in out if c is not None]


def _negate(rel: sp.Basic) -> sp.Basic | None:
    table = {sp.Ge: sp.Lt, sp.Gt: sp.Le, sp.Le: sp.Gt, sp.Lt: sp.Ge}
    for cls, neg in table.items():
        if isinstance(rel, cls):
            return neg(rel.lhs, rel.rhs, evaluate=False)
    return None


# -- rule 1: hyperbolic functions through exp ----------------------------------------------------------------


def rewrite_hyperbolic(e: sp.Expr) -> sp.Expr:
    """
        tanh(z) = (exp(z) - exp(-z)) / (exp(z) + exp(-z))
        sinh(z) = (exp(z) - exp(-z)) / 2          cosh(z) = (exp(z) + exp(-z)) / 2
    (definitions, valid for every complex z where defined).
    """
    table = {
        sp.tanh: lambda z: (sp.exp(z) - sp.exp(-z)) / (sp.exp(z) + sp.exp(-z)),
        sp.sinh: lambda z: (sp.exp(z) - sp.exp(-z)) / 2,
        sp.cosh: lambda z: (sp.exp(z) + sp.exp(-z)) / 2,
    }
    for fn, body in table.items():
        e = e.replace(fn, body)
    return e


# -- rule 2: exponentials as powers of atoms -------------------------------------------------------------------


def exp_atoms(e: sp.Expr) -> sp.Expr:
    """
        a1, ..., an rational     t1, ..., tn real     L_t a common denominator of every coefficient of t
        -------------------------------------------------------------------------------------------------
        exp(a1*t1 + ... + an*tn + c) = exp(c) * expu(t1/L1)^(a1*L1) * ... * expu(tn/Ln)^(an*Ln)

    (exp(u + v) = exp(u) exp(v) and exp(m u) = exp(u)^m for integer m, for every complex u, v; the terms must be
    real because ``expu`` is declared positive.) An ``exp`` whose argument is not known to be real is left alone.
    """
    e = e.replace(expu, sp.exp)
    exps = [x for x in sp.preorder_traversal(e) if isinstance(x, sp.exp)]
    if not exps:
        return e
    denominators: dict[sp.Expr, int] = {}
    for x in exps:
        for coeff, term in _exp_terms(x.args[0]):
            if term.is_number:
                continue
            denominators[term] = lcm(denominators.get(term, 1), int(coeff.q))

    def convert(arg: sp.Expr) -> sp.Expr:
        terms = _exp_terms(arg)
        if not all(term.is_number or term.is_real is True for _, term in terms):
            return sp.exp(arg)
        out: sp.Expr = sp.Integer(1)
        for coeff, term in terms:
            if term == 1 or term.is_number:
                out *= sp.exp(coeff * term)     # a number: SymPy evaluates exp(log(2)) = 2 exactly
            else:
                L = denominators.get(term, int(coeff.q))
                if L % int(coeff.q):
                    L = lcm(L, int(coeff.q))
                out *= expu(term / L) ** int(coeff * L)
        return out

    return _bottom_up(e, lambda x: convert(x.args[0]) if isinstance(x, sp.exp) else x)


def _exp_terms(arg: sp.Expr) -> list[tuple[sp.Rational, sp.Expr]]:
    """``arg`` as rational multiples of terms; the constant part is one term ``(c, 1)``."""
    collected: dict[sp.Expr, sp.Rational] = {}
    for term in sp.Add.make_args(sp.expand(arg)):
        c, rest = term.as_coeff_Mul()
        if not c.is_Rational:
            c, rest = sp.Integer(1), term
        collected[rest] = collected.get(rest, sp.Integer(0)) + c
    return [(c, t) for t, c in collected.items() if c != 0]


def _bottom_up(e: sp.Basic, fn) -> sp.Basic:
    if not e.args or isinstance(e, (sp.Symbol, sp.Indexed, sp.IndexedBase)):
        return fn(e)
    args = [_bottom_up(a, fn) for a in e.args]
    if any(a is not b for a, b in zip(args, e.args)):
        e = e.func(*args)
    return fn(e)


# -- rule 3: sums --------------------------------------------------------------------------------------------


def canonical_index(level: int) -> sp.Dummy:
    """The bound index used by every normalised sum at nesting ``level`` (so equal sums are equal atoms)."""
    return _CANONICAL.setdefault(level, sp.Dummy(f"j{level}", integer=True))


_CANONICAL: dict[int, sp.Dummy] = {}


def _level(e: sp.Basic) -> int:
    """One more than the deepest canonical index bound inside ``e``."""
    depth = 0
    for x in sp.preorder_traversal(e):
        if isinstance(x, sp.Sum):
            for lim in x.limits:
                for lvl, d in _CANONICAL.items():
                    if lim[0] == d:
                        depth = max(depth, lvl + 1)
    return depth


def shift_to_one(f: sp.Expr, j: sp.Symbol, a: sp.Expr, b: sp.Expr) -> tuple[sp.Expr, sp.Expr]:
    """
        ------------------------------------------------------------ (any integers a, b; Karr's convention)
        Sum(f(j), (j, a, b)) = Sum(f(j + a - 1), (j, 1, b - a + 1))
    Returns the new summand and upper bound.
    """
    if a == 1:
        return f, b
    return f.xreplace({j: j + a - 1}), sp.expand(b - a + 1)


def write_out(f: sp.Expr, j: sp.Symbol, n: int) -> sp.Expr:
    """
        n an integer
        ------------------------------------------------------------------------------ (Karr's convention)
        Sum(f(j), (j, 1, n)) = f(1) + f(2) + ... + f(n)            (n >= 0)
        Sum(f(j), (j, 1, n)) = -(f(n + 1) + f(n + 2) + ... + f(0))  (n < 0)
    (SymPy's convention too: ``Sum(f, (j, a, b)) = -Sum(f, (j, b + 1, a - 1))`` when ``b < a``.)
    """
    if n >= 0:
        return sp.Add(*[f.xreplace({j: sp.Integer(v)}) for v in range(1, n + 1)])
    return -sp.Add(*[f.xreplace({j: sp.Integer(v)}) for v in range(n + 1, 1)])


def collapse_delta(g: sp.Expr, j: sp.Symbol, e: sp.Expr, n: sp.Expr) -> sp.Expr:
    """
        e an integer not involving j        n >= 0
        ---------------------------------------------------------------------------------------
        Sum(g(j) * KroneckerDelta(j, e), (j, 1, n)) = Piecewise((g(e), 1 <= e <= n), (0, True))
    """
    return sp.Piecewise((g.xreplace({j: e}), sp.And(sp.Le(1, e), sp.Le(e, n))), (0, True))


def sum_constant(c: sp.Expr, n: sp.Expr) -> sp.Expr:
    """
        c does not involve j
        --------------------------- (any integer n; Karr's convention)
        Sum(c, (j, 1, n)) = n * c
    """
    return n * c


def split_linear(f: sp.Expr, j: sp.Symbol) -> list[tuple[sp.Expr, sp.Expr]]:
    """
        f = c1*g1 + ... + cm*gm, each ci free of j
        ---------------------------------------------------------------
        Sum(f, (j, 1, n)) = c1*Sum(g1, (j, 1, n)) + ... + cm*Sum(gm, (j, 1, n))
    Returns the pairs (ci, gi), with gi = 1 for terms free of j.
    """
    pairs: dict[sp.Expr, sp.Expr] = {}
    for term in sp.Add.make_args(sp.expand(f, deep=False)):
        inside, outside = [], []
        for factor in sp.Mul.make_args(term):
            (inside if j in factor.free_symbols else outside).append(factor)
        g = sp.Mul(*inside)
        pairs[g] = pairs.get(g, sp.Integer(0)) + sp.Mul(*outside)
    return [(c, g) for g, c in pairs.items() if c != 0]


def vanishes_outside(g: sp.Expr, j: sp.Symbol, n: sp.Expr, facts: Facts) -> bool:
    """Whether ``g(j) = 0`` for every integer ``j <= 0`` and every ``j >= n + 1``, because a factor of ``g`` is a
    family entry ``F[e(j)]``, ``e = +-j + c``, whose index then lies outside the range where ``F`` may be nonzero.

        F zero outside lo..hi      e(j) = s*j + c (s = +-1)      e(j) outside lo..hi for j <= 0 and for j >= n+1
        -----------------------------------------------------------------------------------------------------
        Sum(g(j), (j, 1, n)) = Sum(g(j), (j, -oo, oo))      (n >= 0: the sum has finite support)
    """
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
    ``p > 0``) of a family ``F`` that is zero outside a range. Only such sums over all integers are rewritten."""
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


def piecewise_in_range(value: sp.Expr, cond: sp.Basic, facts: Facts) -> bool:
    """
        F zero outside lo..hi       (lo <= e <= hi) implies cond
        -------------------------------------------------------
        Piecewise((F[e] * r, cond), (0, True)) = F[e] * r
    """
    for factor in sp.Mul.make_args(value):
        if isinstance(factor, sp.Indexed) and len(factor.indices) == 1:
            rng = facts.family_range(factor.base)
            if rng is None:
                continue
            inner = facts.within(factor.indices[0], *rng) if isinstance(factor.indices[0], sp.Symbol) else \
                facts.add(sp.And(sp.Ge(factor.indices[0], rng[0]), sp.Le(factor.indices[0], rng[1])))
            if inner.decide(cond) is True:
                return True
    return False


def limit_at_infinity(f: sp.Expr, u: sp.Symbol, towards_zero: bool) -> sp.Expr | None:
    """
        f = N(u)/D(u), N and D polynomials in u with rational coefficients
        ----------------------------------------------------------------------------------------------
        lim f as u -> 0+ = ratio of the lowest-order coefficients (0 or +-oo when the orders differ);
        lim f as u -> oo = ratio of the leading coefficients (0 or +-oo when the degrees differ)
    (used with u = expu(z/L): z -> -oo gives u -> 0+, z -> oo gives u -> oo). ``None`` when f has another form.
    """
    num, den = sp.fraction(sp.cancel(sp.together(f)))
    try:
        pn, pd = sp.Poly(num, u), sp.Poly(den, u)
    except sp.PolynomialError:
        return None
    if not all(c.is_Rational for c in pn.coeffs() + pd.coeffs()) or pd.is_zero:
        return None
    if pn.is_zero:
        return sp.Integer(0)
    if towards_zero:
        (kn,), cn = min(pn.terms())
        (kd,), cd = min(pd.terms())
        order = kd - kn            # f ~ (cn/cd) * u^(kn - kd)
        if order < 0:
            return sp.Integer(0)
    else:
        (kn,), cn = max(pn.terms())
        (kd,), cd = max(pd.terms())
        order = kn - kd
        if order < 0:
            return sp.Integer(0)
    ratio = sp.Rational(cn) / sp.Rational(cd)
    if order == 0:
        return ratio
    return sp.oo if ratio > 0 else -sp.oo


def _limit(e: sp.Limit, facts: Facts) -> sp.Basic:
    f, z, point = e.args[0], e.args[1], e.args[2]
    if point not in (sp.oo, -sp.oo) or not isinstance(z, sp.Symbol) or not z.is_real:
        return e
    body = normal(f, facts.forget(z))   # z is bound here: what the facts say of the free z does not hold
    atoms = [a for a in body.atoms(expu) if z in a.free_symbols]
    scales = {sp.expand(a.args[0] / z) for a in atoms}
    if len(scales) != 1:
        return e
    (scale,) = scales
    if not (scale.is_Rational and scale != 0):
        return e
    u = sp.Dummy("u", positive=True)
    g = body.xreplace({a: u for a in atoms})
    if z in g.free_symbols:
        return e
    towards_zero = (point == -sp.oo) == (scale > 0)
    value = limit_at_infinity(g, u, towards_zero)
    return e if value is None else value


# -- the normal form -----------------------------------------------------------------------------------------


def normal(e: sp.Expr, facts: Facts) -> sp.Expr:
    """The normal form of ``e`` under ``facts``: equal to ``e`` for every allowed value."""
    e = rewrite_hyperbolic(e)
    e = exp_atoms(e)
    e = _structural(e, facts)
    return exp_atoms(e)


def entry_outside(x: sp.Indexed, facts: Facts) -> bool:
    """
        F zero outside lo..hi       the facts imply e < lo or e > hi
        ------------------------------------------------------------
        F[e] = 0
    """
    rng = facts.family_range(x.base)
    if rng is None or len(x.indices) != 1:
        return False
    (e,) = x.indices
    lo, hi = rng
    return facts.decide(sp.Lt(e, lo)) is True or facts.decide(sp.Gt(e, hi)) is True


def _structural(e: sp.Basic, facts: Facts) -> sp.Basic:
    if isinstance(e, sp.Indexed):
        return sp.Integer(0) if entry_outside(e, facts) else e
    if isinstance(e, sp.Sum):
        return _sum(e, facts)
    if isinstance(e, sp.Limit):
        return _limit(e, facts)
    if isinstance(e, (sp.Max, sp.Min)):
        return _max_min(e, facts)
    if isinstance(e, sp.Piecewise):
        return _piecewise(e, facts)
    if not e.args or isinstance(e, (sp.Symbol, sp.IndexedBase)):
        return e
    args = [_structural(a, facts) for a in e.args]
    if isinstance(e, sp.KroneckerDelta) and len(args) == 2:    # (SymPy's 3-argument delta_range form is opaque)
        decided = facts.decide(sp.Eq(args[0], args[1]))
        if decided is not None:
            return sp.Integer(1 if decided else 0)
        return sp.KroneckerDelta(*sorted(args, key=sp.default_sort_key))
    if isinstance(e, sp.Mul):
        args = _drop_implied_indicators(args, facts)
    if any(a is not b for a, b in zip(args, e.args)) or len(args) != len(e.args):
        return e.func(*args)
    return e


def _max_min(e: sp.Basic, facts: Facts) -> sp.Basic:
    """
        the facts imply a >= b for every other argument b                (a <= b for Min)
        -----------------------------------------------------------------------------------
        Max(a, b, ...) = a                                                 (Min(a, b, ...) = a)
    """
    args = [_structural(a, facts) for a in e.args]
    for a in args:
        others = [b for b in args if b is not a]
        if isinstance(e, sp.Max) and all(facts.nonneg(a - b) for b in others):
            return a
        if isinstance(e, sp.Min) and all(facts.nonneg(b - a) for b in others):
            return a
    return e.func(*args)


def _drop_implied_indicators(factors: list[sp.Basic], facts: Facts) -> list[sp.Basic]:
    """In a product, ``F[e] * Piecewise((1, C), (0, True))`` is ``F[e]`` when F's range implies C (see
    :func:`piecewise_in_range`)."""
    value = sp.Mul(*[f for f in factors if not _is_indicator(f)])
    return [f for f in factors if not (_is_indicator(f) and piecewise_in_range(value, f.args[0][1], facts))]


def _is_indicator(f: sp.Basic) -> bool:
    return isinstance(f, sp.Piecewise) and len(f.args) == 2 and f.args[0][0] == 1 and f.args[1][0] == 0 \
        and f.args[1][1] in (True, sp.true)


def _piecewise(e: sp.Piecewise, facts: Facts) -> sp.Basic:
    pieces = []
    for value, cond in e.args:
        decided = facts.decide(cond)
        if decided is False:
            continue
        value = _structural(value, facts)
        if decided is True:
            if not pieces:
                return value
            pieces.append((value, sp.true))
            break
        pieces.append((value, cond))
    if not pieces:
        return sp.nan
    if len(pieces) == 2 and pieces[1][1] in (True, sp.true) and pieces[1][0] == 0:
        value, cond = pieces[0]
        if piecewise_in_range(value, cond, facts):
            return value
        if not any(p.exp.is_negative and not p.base.is_positive for p in value.atoms(sp.Pow)):
            # v is defined everywhere, so v * 0 is 0 where the condition fails
            return indicator(value, cond)
    return sp.Piecewise(*pieces)


def indicator(value: sp.Expr, cond: sp.Basic) -> sp.Expr:
    """
        ------------------------------------------------------------------ (any value, any condition)
        Piecewise((v, C), (0, True)) = v * Piecewise((1, C), (0, True))
    so that a condition is one atom, however the value around it is written.
    """
    if value == 1:
        return sp.Piecewise((1, cond), (0, True))
    return value * sp.Piecewise((1, cond), (0, True))


def _sum(e: sp.Sum, facts: Facts) -> sp.Expr:
    if len(e.limits) != 1:
        from verifier.kernel import multisum     # (imports this module)
        return multisum.nested(e, facts)
    j, a, b = e.limits[0]
    if a == -sp.oo and b == sp.oo:
        return _infinite_sum(e.function, j, facts)
    if not (a.is_finite and b.is_finite and (b - a).is_integer and j.is_integer):
        return e    # a series, or a range that is not a run of integers: none of the rules below applies
    f, n = shift_to_one(e.function, j, a, b)
    if n.is_Integer and abs(int(n)) <= MAX_TERMS:
        return _structural(write_out(f, j, int(n)), facts)
    # The summand is used only at 1 <= j <= n when n >= 0; for n < 0 (Karr) at n + 1 <= j <= 0 instead.
    inner = facts.within(j, 1, n) if facts.nonneg(n) else facts
    f = _structural(f, inner)
    total: sp.Expr = sp.Integer(0)
    for c, g in split_linear(f, j):
        term = c * _sum_term(g, j, n, facts)
        if isinstance(term, sp.Mul):
            term = sp.Mul(*_drop_implied_indicators(list(term.args), facts))
        total += term
    return total


def _sum_term(g: sp.Expr, j: sp.Symbol, n: sp.Expr, facts: Facts) -> sp.Expr:
    """``Sum(g, (j, 1, n))`` under ``facts``, which say nothing of ``j``: the facts of the summand's range would
    imply ``n >= 1``, which the rules about the whole sum must not assume."""
    if j not in g.free_symbols:
        return sum_constant(g, n)
    nonempty = facts.nonneg(n)
    if nonempty:
        for factor in sp.Mul.make_args(g):
            if isinstance(factor, sp.KroneckerDelta) and len(factor.args) == 2:
                e = _solve_for(j, factor.args[0] - factor.args[1])
                if e is not None and e.is_integer:
                    rest = sp.Mul(*[f for f in sp.Mul.make_args(g) if f is not factor])
                    return _structural(collapse_delta(rest, j, e, n), facts)
        if vanishes_outside(g, j, n, facts):
            return _infinite_sum(g, j, facts)
    level = _level(g)
    k = canonical_index(level)
    return sp.Sum(sp.cancel(g.xreplace({j: k})), (k, 1, n))


def _solve_for(j: sp.Symbol, d: sp.Expr) -> sp.Expr | None:
    """The value of ``j`` that makes ``d = s*j + c`` zero, when ``s = +-1`` and ``c`` does not involve ``j``."""
    d = sp.expand(d)
    s = d.coeff(j)
    c = sp.expand(d - s * j)
    if s not in (1, -1) or j in c.free_symbols:
        return None
    return sp.expand(-c / s)


def _infinite_sum(g: sp.Expr, j: sp.Symbol, facts: Facts) -> sp.Expr:
    g = _structural(g, facts)
    total: sp.Expr = sp.Integer(0)
    pairs = split_linear(g, j)
    if not all(finite_support(term, j, facts) for _, term in pairs):
        # A series that may not converge: splitting it, or moving its index, could turn "undefined" into a value.
        return sp.Sum(g, (j, -sp.oo, sp.oo))
    for c, term in pairs:
        term = canonical_infinite(term, j, facts)
        k = canonical_index(_level(term))
        total += c * sp.Sum(sp.cancel(term.xreplace({j: k})), (k, -sp.oo, sp.oo))
    return total


def merge_sums(e: sp.Expr) -> sp.Expr:
    """
        ci free of j
        ------------------------------------------------------------------------
        c1*Sum(g1, (j, lo, hi)) + c2*Sum(g2, (j, lo, hi)) = Sum(c1*g1 + c2*g2, (j, lo, hi))
    applied to every group of terms over the same range, the merged summand brought to canonical form.
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


def peel(e: sp.Expr, *, front: bool) -> sp.Expr:
    """
        c >= 0 an integer
        ------------------------------------------------------------------------------------- (Karr: any m)
        Sum(g(j), (j, 1, m + c)) = Sum(g(j), (j, 1, m)) + g(m + 1) + ... + g(m + c)             (back)
        Sum(g(j), (j, 1, m + c)) = g(1) + ... + g(c) + Sum(g(j + c), (j, 1, m))                 (front)
    applied to every sum whose upper bound exceeds, by a constant, the upper bound of another sum of ``e`` that
    starts at 1, so that sums over the same range can then be combined.
    """
    sums = [x for x in e.atoms(sp.Sum) if len(x.limits) == 1 and x.limits[0][1] == 1]
    uppers = {x.limits[0][2] for x in sums}
    repl = {}
    for x in sums:
        j, _, n = x.limits[0]
        for m in uppers:
            c = sp.expand(n - m)
            if c.is_Integer and 0 < int(c) <= MAX_TERMS:
                g, c = x.function, int(c)
                if front:
                    head = sp.Add(*[g.xreplace({j: sp.Integer(t)}) for t in range(1, c + 1)])
                    repl[x] = head + sp.Sum(g.xreplace({j: j + c}), (j, 1, m))
                else:
                    tail = sp.Add(*[g.xreplace({j: m + t}) for t in range(1, c + 1)])
                    repl[x] = sp.Sum(g, (j, 1, m)) + tail
                break
    return e.xreplace(repl) if repl else e


def _level_of(j: sp.Symbol) -> int:
    for level, d in _CANONICAL.items():
        if d == j:
            return level
    return -1

"""The rewriting rules of the trusted core, and the normal form they build.

Part of the trusted core (see :mod:`verifier.kernel.checker`). Each rule is one small function that returns an
expression *equal* to its input for every allowed value; its docstring draws the rule, premises over the conclusion. The
normal form applies them bottom-up:

1. hyperbolic functions are rewritten through ``exp``;
2. every ``exp(a1*t1 + ... + c)`` becomes a product of powers of atoms ``expu(t/L)`` (``expu`` is ``exp`` under
   another name, so that SymPy does not fold powers back);
3. sums are shifted to start at 1, given a canonical bound index, split by linearity, collapsed against
   ``KroneckerDelta``, summed when their bounds are numbers, and widened to ``(-oo, oo)`` when a factor is a family
   that is zero outside its range (the out-of-bound-is-zero convention) and so vanishes outside the sum's range
   (:mod:`verifier.kernel.sums`; an empty range is 0, not Karr's convention);
4. ``Piecewise`` and ``KroneckerDelta`` are settled where the facts decide their conditions;
5. ``Max``/``Min`` where the facts order the arguments, ``Abs``/``sign``/``Heaviside`` where they decide the sign,
   and integer parts are moved out of ``floor``/``ceiling``.

Before anything else, ``floor``, ``ceiling``, ``sign``, ``Abs``, ``Max``, ``Min``, ``Heaviside``, ``KroneckerDelta`` of
numbers and relations between numbers are decided rigorously (:func:`verifier.kernel.interval.settle`), never by
SymPy; every node is rebuilt through :func:`verifier.kernel.interval.rebuild`, which keeps it so.

What is trusted from SymPy: its constructors' automatic evaluation (except for the functions just named, on numbers),
``diff`` (used while building), ``expand``, ``together`` and ``cancel`` (polynomial arithmetic over the rationals),
``xreplace`` and the assumptions declared on symbols (``is_real``, ``is_positive`` of a symbol or of an expression built
from them). Nothing here calls ``simplify``, ``equals``, ``refine`` or ``is_zero``; the sign of a number comes from
:mod:`verifier.kernel.interval`.
"""

from __future__ import annotations

from collections.abc import Callable
from math import lcm

import sympy as sp

from verifier.kernel import defined, interval, multisum, sums
from verifier.kernel.facts import Facts

#: ``expu(t)`` stands for ``exp(t)``: a positive atom that SymPy leaves alone.
expu = sp.Function("expu", positive=True)


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


def _bottom_up(e: sp.Basic, fn: Callable[[sp.Basic], sp.Basic]) -> sp.Basic:
    if not e.args or isinstance(e, (sp.Symbol, sp.Indexed, sp.IndexedBase)):
        return fn(e)
    args = tuple(_bottom_up(a, fn) for a in e.args)
    if any(a is not b for a, b in zip(args, e.args, strict=True)):
        e = interval.rebuild(e, args)
    return fn(e)


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


def limit_of_rational(f: sp.Expr, z: sp.Symbol, point: sp.Expr) -> sp.Expr | None:
    """
        f = N(z)/D(z) in lowest terms, N and D polynomials in z alone with rational coefficients
        ---------------------------------------------------------------------------------------------
        lim f as z -> oo (or -oo: z = -u, u -> oo) as in :func:`limit_at_infinity`;
        lim f as z -> a (a rational, D(a) != 0) = N(a)/D(a)   (f = N/D except where a cancelled factor is 0,
                                                                 finitely many points; N/D is continuous at a)
    ``None`` when f has another form, or D(a) = 0.
    """
    if f.free_symbols - {z}:
        return None
    if point in (sp.oo, -sp.oo):
        u = sp.Dummy("u", positive=True)
        return limit_at_infinity(f.xreplace({z: u if point == sp.oo else -u}), u, towards_zero=False)
    if point.is_infinite:
        return None
    if not point.is_Rational:
        return None
    num, den = sp.fraction(sp.cancel(sp.together(f)))
    try:
        pn, pd = sp.Poly(num, z), sp.Poly(den, z)
    except sp.PolynomialError:
        return None
    if not all(c.is_Rational for c in pn.coeffs() + pd.coeffs()) or pd.is_zero or pd.eval(point) == 0:
        return None
    return sp.Rational(pn.eval(point)) / sp.Rational(pd.eval(point))


def _limit(e: sp.Limit, facts: Facts) -> sp.Basic:
    f, z, point = e.args[0], e.args[1], e.args[2]
    if not isinstance(z, sp.Symbol) or not z.is_real or not (point in (sp.oo, -sp.oo) or point.is_Rational):
        return e
    if point in (sp.oo, -sp.oo):
        # Only large |z| matter: z = w (or -w) with w > 0, and the limit as w -> oo.
        w = sp.Dummy("w", positive=True)
        f, z, point = f.xreplace({z: w if point == sp.oo else -w}), w, sp.oo
    body = normal(f, facts.forget(z))   # z is bound here: what the facts say of the free z does not hold
    if not body.has(expu) or point not in (sp.oo, -sp.oo):
        value = limit_of_rational(body, z, point)
        return e if value is None else value
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
    if e.has(*interval.UNTRUSTED, sp.core.relational.Relational):
        e = interval.settle(e)
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
        if len(e.limits) > 1 and all(len(lim) == 3 for lim in e.limits):
            done = multisum.nested(e, facts, _structural)
            if done is not None:
                return _drop_indicators_in_terms(done, facts)
        return _drop_indicators_in_terms(sums.normal_sum(e, facts, _structural), facts)
    if isinstance(e, sp.Product):
        return sums.normal_product(e, facts, _structural)
    if isinstance(e, sp.Limit):
        return _limit(e, facts)
    if isinstance(e, (sp.Max, sp.Min)):
        return _max_min(e, facts)
    if isinstance(e, (sp.floor, sp.ceiling)):
        return _round(e, facts)
    if isinstance(e, (sp.Abs, sp.sign, sp.Heaviside)):
        return _by_sign(e, facts)
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
    if any(a is not b for a, b in zip(args, e.args, strict=False)) or len(args) != len(e.args):
        return interval.rebuild(e, tuple(args)) if len(args) == len(e.args) else e.func(*args)
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
    return interval.rebuild(e, tuple(args))


def _round(e: sp.Basic, facts: Facts) -> sp.Basic:
    """
        k an integer
        ---------------------------------------  (likewise ceiling)
        floor(k + r) = k + floor(r)
    where ``floor(r)`` of a number ``r`` is decided by :func:`verifier.kernel.interval.settle`, never by SymPy.
    """
    arg = _structural(e.args[0], facts)
    whole = [t for t in sp.Add.make_args(sp.expand(arg)) if t.is_integer is True]
    if not whole:
        return interval.rebuild(e, (arg,))
    rest = sp.expand(arg - sp.Add(*whole))
    return sp.Add(*whole) + interval.settle(e.func(rest, evaluate=False))


def _by_sign(e: sp.Basic, facts: Facts) -> sp.Basic:
    """
        the facts imply u > 0 (u < 0; u >= 0 for Abs)
        ---------------------------------------------------------------------
        Abs(u) = u (-u; u),  sign(u) = 1 (-1),  Heaviside(u) = 1 (0)
    """
    u = _structural(e.args[0], facts)
    positive, negative = facts.positive(u), facts.positive(-u)
    if isinstance(e, sp.Abs) and (positive or facts.nonneg(u)):
        return u
    if isinstance(e, sp.Abs) and (negative or facts.nonneg(-u)):
        return -u
    if positive:
        return sp.Integer(1)
    if negative:
        return sp.Integer(-1 if isinstance(e, sp.sign) else 0)
    return interval.rebuild(e, (u, *e.args[1:]))


def _drop_implied_indicators(factors: list[sp.Basic], facts: Facts) -> list[sp.Basic]:
    """In a product, ``F[e] * Piecewise((1, C), (0, True))`` is ``F[e]`` when F's range implies C (see
    :func:`piecewise_in_range`)."""
    value = sp.Mul(*[f for f in factors if not _is_indicator(f)])
    return [f for f in factors if not (_is_indicator(f) and piecewise_in_range(value, f.args[0][1], facts))]


def _drop_indicators_in_terms(e: sp.Expr, facts: Facts) -> sp.Expr:
    """:func:`_drop_implied_indicators` in every term of a sum of products."""
    terms = []
    for t in sp.Add.make_args(e):
        factors = list(sp.Mul.make_args(t))
        kept = _drop_implied_indicators(factors, facts)
        terms.append(t if len(kept) == len(factors) else sp.Mul(*kept))
    return sp.Add(*terms)


def _is_indicator(f: sp.Basic) -> bool:
    return isinstance(f, sp.Piecewise) and len(f.args) == 2 and f.args[0][0] == 1 and f.args[1][0] == 0 \
        and f.args[1][1] in (True, sp.true)


def _piecewise(e: sp.Piecewise, facts: Facts) -> sp.Basic:
    pieces: list[tuple[sp.Basic, sp.Basic]] = []
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
        if defined.everywhere(value):
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



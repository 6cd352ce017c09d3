"""Where a derivative that SymPy wrote has a kink: a ``sign``, ``Heaviside`` or ``DiracDelta`` of an argument, or a
``Piecewise`` relation, that depends on the variable of differentiation (section 2a: no derivative there, unless the
function is differentiable, which :mod:`verifier.frontend.builtins` and :mod:`verifier.frontend.joints` decide).

An argument depends on ``v`` when it contains ``v``, and, for an entry ``v = w[k]`` of a family, also when it contains
another entry ``w[j]`` whose index may be ``k``: ``Sum(Abs(w[j]), (j, 1, K))`` differentiated by ``w[k]`` is SymPy's
``Sum(KroneckerDelta(j, k)*sign(w[j]), ...)``, whose kink at ``w[k] = 0`` is that of the term ``j = k``. The
condition of a kink is then ``w[j] != 0`` or ``j != k``. Inside a sum or a product a condition that mentions the
bound index belongs to the summand (a partial summand), never outside, where the index means nothing; so does every
condition of a kink inside a sum (no point of the joint rule is tried there: undefined, not decided).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TypeAlias

import sympy as sp

from verifier.kernel import defined

Expr: TypeAlias = sp.Expr

#: The atoms of a derivative whose argument is a kink (a ``DiracDelta`` is a jump of the function itself).
KINKS = (sp.sign, sp.Heaviside, sp.DiracDelta)


def kink_condition(w: Expr, v: sp.Symbol | sp.Indexed) -> sp.Basic | None:
    """Where a kink at ``w = 0`` does not touch the derivative in ``v``: ``w != 0``, or, when ``w`` depends on ``v``
    only through entries of ``v``'s family, ``w != 0`` or each such entry's index differs from ``v``'s (just
    ``w != 0`` when an entry's index is bound by a sum inside ``w``). ``None`` when ``w`` does not depend on ``v``."""
    if w.has(v):
        return sp.Ne(w, 0)
    if not isinstance(v, sp.Indexed):
        return None
    entries = [a for a in w.atoms(sp.Indexed) if a.base == v.base and len(a.indices) == len(v.indices)]
    if not entries:
        return None
    bound = {lim[0] for s in w.atoms(sp.Sum, sp.Product) for lim in s.limits}
    if any(a.free_symbols & bound for a in entries):
        return sp.Ne(w, 0)      # an entry at a sum's index (Sum(w[j]*x[j], ...)): some term is v's
    apart = sp.And(*[sp.Or(*[sp.Ne(i, j) for i, j in zip(a.indices, v.indices, strict=True)]) for a in entries])
    return sp.Or(sp.Ne(w, 0), apart)


def still(w: Expr, v: sp.Symbol | sp.Indexed, d: Expr | None = None, kink: sp.Basic | None = None) -> sp.Basic | None:
    """Where ``w`` does not move with ``v`` although it is 0, so that its kink or boundary at ``w = 0`` is none:
    ``dw/dv = 0``. For a relation of a ``Piecewise`` (``d`` not given) only when ``w`` is affine in ``v`` (``dw/dv``
    free of ``v`` and its family): ``w`` is then constant in ``v``, and so is the branch taken. For a kink ``kink``
    (``sign(w)`` or ``Heaviside(w)``, never ``DiracDelta(w)``, a jump) of the derivative ``d``, only when ``d``
    reads ``kink`` times a multiple ``c*dw/dv``, as the chain rule writes the derivative of ``Abs(w)``,
    ``Max(w, 0)``, ``Min(w, 0)``: with ``w = 0`` and ``dw/dv = 0``, ``|w(v + h)| = o(h)``, so these are
    differentiable there with derivative 0, which is what that term of ``d`` is; and where ``c``, with no kink of
    its own in ``v``, is 0 (``|b|*x`` by ``b`` where ``x = 0``), the kinked part enters the function times a factor
    that tends to 0, which is ``o(h)`` as well: then ``c*dw/dv = 0`` is the condition. ``None`` when neither
    holds."""
    try:
        dw = sp.diff(w, v)
    except (ValueError, TypeError, NotImplementedError):
        return None
    if dw == 0 or dw.has(sp.Derivative, sp.Subs, sp.DiracDelta, sp.nan, sp.zoo, sp.oo, -sp.oo):
        return None
    if kink is None or d is None:
        if _reads(dw, v):
            return None
    else:
        if isinstance(kink, sp.DiracDelta):
            return None
        s = sp.Dummy("s")
        coefficient = sp.diff(d.xreplace({kink: s}), s)
        if coefficient.has(s):
            return None
        factor = sp.together(renamed(coefficient) / renamed(dw))
        _, den = sp.fraction(factor)
        if den.free_symbols & (dw.free_symbols | {v}) or den.has(sp.Sum, sp.Product, sp.KroneckerDelta):
            return None
        if not any(_reads(a, v) for a in factor.atoms(*SMOOTHLESS)):
            return _unless_false(sp.Eq(coefficient, 0))
    return _unless_false(sp.Eq(dw, 0))


def _unless_false(c: sp.Basic) -> sp.Basic | None:
    """``c``, or ``None`` where it is false (the argument always moves: no case to add)."""
    return None if c is sp.false else c


#: What may make a factor jump or bend.
SMOOTHLESS = (sp.sign, sp.Heaviside, sp.DiracDelta, sp.Abs, sp.Max, sp.Min, sp.Piecewise, sp.floor, sp.ceiling,
              sp.Derivative, sp.Subs)


def _reads(e: sp.Basic, v: sp.Symbol | sp.Indexed) -> bool:
    """Whether ``e`` may depend on ``v``: it contains ``v`` or, for an entry, another entry of its family."""
    return e.has(v) or (isinstance(v, sp.Indexed) and e.has(v.base))


def relation_kinks(d: sp.Basic, v: sp.Symbol | sp.Indexed, *, direct: bool) -> list[sp.Basic]:
    """The conditions of the relations of ``d``'s ``Piecewise`` (outside sums) that depend on ``v``: only through
    other entries of its family (``w[i] > 0`` where ``i`` may be ``k``), and, with ``direct``, also those that
    contain ``v`` (outside a sum the joint rule of :mod:`verifier.frontend.joints` decides those)."""
    out: list[sp.Basic] = []
    for piece in outside_sums(d, sp.Piecewise):
        for _, cond in piece.args:
            for rel in cond.atoms(sp.core.relational.Relational) if isinstance(cond, sp.Basic) else ():
                if isinstance(rel, (sp.Eq, sp.Ne)) or (rel.has(v) and not direct):
                    continue
                w = sp.expand(rel.lhs - rel.rhs)
                c = kink_condition(w, v)
                flat = still(w, v) if c is not None else None
                c = c if flat is None else sp.Or(c, flat)
                if c is not None and c not in out:
                    out.append(c)
    return out


def outside_sums(e: sp.Basic, *types: type) -> Iterator[sp.Basic]:
    """The sub-expressions of ``e`` of the given types that are not inside a sum or a product."""
    if isinstance(e, types):
        yield e
    if isinstance(e, (sp.Sum, sp.Product)):
        return
    for a in e.args:
        yield from outside_sums(a, *types)


def _branch_kinks(x: sp.Basic, body: Expr, v: sp.Symbol | sp.Indexed, chosen: sp.Basic, out: list[sp.Basic],
                  repl: dict[sp.Basic, sp.Basic]) -> None:
    """The conditions of the kinks in ``v`` of ``x`` (a part of the summand ``body``, outside its inner sums), each
    needed only where the ``Piecewise`` branches it sits in are ``chosen`` (``sign(w)`` in a branch taken where
    ``|w| > 1`` is no kink); its ``DiracDelta`` put in ``repl`` to become 0."""
    if isinstance(x, (sp.Sum, sp.Product)):
        return
    if isinstance(x, KINKS):
        c = kink_condition(x.args[0], v)
        flat = still(x.args[0], v, body, x) if c is not None else None
        c = c if flat is None else sp.Or(c, flat)
        damp = damping(body, x, x.args[0]) if isinstance(x, (sp.sign, sp.Heaviside)) else sp.false
        c = c if c is None or damp is sp.false else sp.Or(c, damp)
        if c is not None and c is not sp.true:
            out.append(c if chosen is sp.true else sp.Or(c, sp.Not(chosen)))
            if isinstance(x, sp.DiracDelta):
                repl[x] = sp.Integer(0)
    if isinstance(x, sp.Piecewise):
        earlier: list[sp.Basic] = []
        for value, cond in x.args:
            _branch_kinks(value, body, v, sp.And(chosen, cond, *[sp.Not(e) for e in earlier]), out, repl)
            earlier.append(cond)
        return
    for a in x.args:
        _branch_kinks(a, body, v, chosen, out, repl)


def in_summands(d: Expr, v: sp.Symbol | sp.Indexed) -> Expr:
    """``d`` with the summand of each sum or product made partial where one of its kinks in ``v`` is (over an empty
    range the sum is 0 whatever its summand), and its ``DiracDelta`` there replaced by 0 (its point left
    undefined)."""
    def visit(x: sp.Basic) -> sp.Basic:
        if not x.args:
            return x
        if isinstance(x, (sp.Sum, sp.Product)):
            body = visit(x.function)
            conditions: list[sp.Basic] = []
            repl: dict[sp.Basic, sp.Basic] = {}
            _branch_kinks(body, body, v, sp.true, conditions, repl)
            conditions += relation_kinks(body, v, direct=True)
            body = body.xreplace(repl) if repl else body
            if conditions:
                body = sp.Piecewise((body, sp.And(*conditions)))
            return x.func(body, *x.limits)
        return x.func(*[visit(a) for a in x.args])

    return visit(d)


def damping(d: Expr, jump: sp.Basic, w: Expr) -> sp.Basic:
    """Where every occurrence of ``jump`` (``sign(w)`` or ``Heaviside(w)``) in the derivative ``d`` is inside a
    product with a factor that vanishes continuously where ``w = 0`` (``w^r``, ``Abs(w)^r``, ``Max(w, 0)^r``,
    ``Min(w, 0)^r``, ``r > 0``): ``true``, ``false``, or the condition ``r > 0`` on an exponent of unknown sign.
    The function is continuous there (its derivative has no delta) and its derivative tends to 0 on both sides, so
    by the mean value theorem the derivative exists there and is 0, which is what such a product is at ``w = 0``
    (``|h|^(3/2)`` and ``Max(h, 0)^2`` at 0; ``Max(h, 0)*Heaviside(-h)``; ``|h|^(s - 1)*sign(h)`` where s > 1).
    """
    def vanishing(f: sp.Basic) -> sp.Basic:
        base, power = f.as_base_exp()
        if isinstance(base, (sp.Max, sp.Min)):
            shaped = set(base.args) in ({w, sp.Integer(0)}, {-w, sp.Integer(0)})
        else:
            shaped = base in (w, -w, sp.Abs(w))
        if not shaped or power.is_positive is False or power.is_real is not True or power.has(w):
            return sp.false
        return sp.true if power.is_positive else sp.Gt(power, 0)

    def ok(node: sp.Basic, inside: sp.Basic) -> sp.Basic:
        if node == jump:
            return inside
        if isinstance(node, sp.Mul) and inside is sp.false:
            inside = sp.Or(*[vanishing(f) for f in node.args])
        return sp.And(*[ok(arg, inside) for arg in node.args])

    return ok(d, sp.false)


def own_term(e: Expr, v: sp.Symbol | sp.Indexed) -> tuple[Expr, Expr, sp.Basic] | None:
    """``e`` as ``c * Sum(f(j), (j, lo, hi))`` whose summand reads ``v``'s family only at the entry ``j + s`` (``v``
    an entry ``w[k]``, ``c`` free of the family, ``s`` an integer free of ``j``): the derivative in ``w[k]`` is then
    that of the one term ``f(k - s)``, where ``lo <= k - s <= hi``, and 0 elsewhere. Returns
    ``(c, f(k - s), lo <= k - s <= hi)``, or ``None``."""
    if not isinstance(v, sp.Indexed) or len(v.indices) != 1:
        return None
    c, s = sp.S.One, e
    if isinstance(e, sp.Mul):
        sums = [a for a in e.args if isinstance(a, sp.Sum)]
        if len(sums) != 1:
            return None
        s = sums[0]
        c = e / s
    if not isinstance(s, sp.Sum) or len(s.limits) != 1 or c.has(v.base):
        return None
    (j, lo, hi), (k,) = s.limits[0], v.indices
    f = s.function
    if k.has(j) or lo.has(v.base) or hi.has(v.base) or f.has(sp.Sum, sp.Product):
        return None
    read = {a.indices for a in f.atoms(sp.Indexed) if a.base == v.base} or {(j,)}
    if len(read) != 1:
        return None
    (index,) = read.pop()
    shift = sp.expand(index - j)       # the entry w[j + shift]: the term that reads w[k] is j = k - shift
    if shift.has(j) or shift.has(v.base) or shift.is_integer is not True:
        return None
    own = sp.expand(k - shift)
    return c, f.xreplace({j: own}), sp.And(sp.Ge(own, lo), sp.Le(own, hi))


def sum_joints(e: Expr, v: sp.Symbol | sp.Indexed) -> Expr | None:
    """A sum that is 0 where it is defined and undefined where a relation of a ``Piecewise`` inside a sum of ``e``
    that depends on ``v`` is at its boundary (a jump or a corner of one term: SymPy's derivative may have lost it,
    ``Piecewise((w[j] + 1, w[j] > 0), (w[j], True))`` differentiates to 1 in both branches); ``None`` when there is
    none. Added to the derivative, it leaves its value and makes those points undefined."""
    guards: list[Expr] = []

    def visit(x: sp.Basic, limits: tuple) -> None:
        if isinstance(x, (sp.Sum, sp.Product)):
            visit(x.function, (*x.limits, *limits))
            return
        if isinstance(x, sp.Piecewise) and limits:
            for c in relation_kinks(sp.Piecewise(*x.args, evaluate=False), v, direct=True):
                guards.append(sp.Sum(sp.Piecewise((0, c)), *limits))
        for a in x.args:
            visit(a, limits)

    visit(e, ())
    return sp.Add(*guards, evaluate=False) if guards else None


def renamed(e: sp.Basic) -> sp.Basic:
    """``e`` with the index of every sum and product renamed by its depth and place (keeping what it is told), so
    that two sums written apart (each with its own bound name) compare equal when they are the same sum."""
    def visit(x: sp.Basic, depth: int) -> sp.Basic:
        if not x.args:
            return x
        if isinstance(x, (sp.Sum, sp.Product)):
            names = {lim[0]: sp.Dummy("i", dummy_index=1000 * depth + n, **lim[0].assumptions0)
                     for n, lim in enumerate(x.limits)}
            x = x.xreplace(names)
            return x.func(visit(x.function, depth + 1), *x.limits)
        return x.func(*[visit(a, depth) for a in x.args])

    return visit(e, 0) if e.has(sp.Sum, sp.Product) else e


def factored(e: Expr) -> Expr:
    """``e`` with the factors of each sum's summand that do not read its index, and are defined everywhere, put
    outside it (the same function, empty ranges included: ``c*0 = 0``), so that a kink they carry is decided once
    for the whole sum: ``Sum(Abs(b)*xs[j], (j, 1, K))`` is ``Abs(b)*Sum(xs[j], ...)``, which is 0 for every b where
    the sum of the xs is 0, though not each term."""
    def pull(s: sp.Sum) -> Expr:
        if len(s.limits) != 1 or not isinstance(s.function, sp.Mul):
            return s
        index = s.limits[0][0]
        out = [f for f in s.function.args if not f.has(index) and defined.everywhere(f)]
        if not out:
            return s
        return sp.Mul(*out) * sp.Sum(sp.Mul(*[f for f in s.function.args if f not in out]), s.limits[0])

    return e.replace(lambda x: isinstance(x, sp.Sum), pull) if e.has(sp.Sum) else e


def merged_powers(d: Expr, e: Expr) -> Expr:
    """``d`` (SymPy's derivative of ``e``) with the powers of one nonnegative kinked base ``B`` (``Abs(u)``,
    ``Max(u, 0)``) in a product added up: the chain rule writes the derivative of ``B^p`` as
    ``p*B^p*sign(u)/B``, which is 0/0 where ``B = 0``, although for ``p > 1`` ``B^p`` is differentiable there with
    derivative 0, which is what ``p*B^(p - 1)*sign(u)`` is (its sign damped, :func:`damping`), and for ``p <= 1``
    that product is undefined or a kink there as well. Only for a base every power of which in ``e`` has a real
    exponent; the product is the same function wherever it was defined."""
    bases = {b for b, x in (a.as_base_exp() for a in e.atoms(sp.Pow))
             if isinstance(b, (sp.Abs, sp.Max)) and (not isinstance(b, sp.Max) or sp.S.Zero in b.args)}
    bases = {b for b in bases if all(x.is_real for a in e.atoms(sp.Pow) for c, x in [a.as_base_exp()] if c == b)}
    if not bases:
        return d

    def merge(m: sp.Mul) -> Expr:
        powers: dict[sp.Basic, Expr] = {}
        rest: list[Expr] = []
        for f in m.args:
            b, x = f.as_base_exp()
            if b in bases:
                powers[b] = powers.get(b, sp.S.Zero) + x
            else:
                rest.append(f)
        return sp.Mul(*rest, *[sp.Pow(b, x) for b, x in powers.items()])

    return d.replace(lambda x: isinstance(x, sp.Mul), merge)

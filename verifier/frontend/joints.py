"""Derivatives of a ``Piecewise`` the user wrote, at the joints of its branches (section 2a of the format).

SymPy differentiates a ``Piecewise`` branch by branch, so at a joint it gives the derivative of whichever branch the
conditions pick there: 0 for a ReLU ``Piecewise((v, v > 0), (0, True))`` at 0, where it has no derivative. The
meaning is the function's: at a joint the derivative exists when the function is continuous there and its one-sided
derivatives agree, and then it is their common value (a Huber loss at its joints, a squared hinge at its hinge).

A *boundary* is a function ``p`` of the variable such that some condition holds on one side of ``p = 0`` and not on
the other: every relation ``lhs op rhs`` of a condition, with ``lhs - rhs = c*p`` (``c`` a nonzero number, ``p``
primitive and sign-normalised, so that ``x > d`` and ``2*d < 2*x`` share one boundary). Near a point where ``p = 0``
and ``p' != 0`` (every other boundary nonzero there), the expression is ``f+`` where ``p > 0``, ``f-`` where ``p < 0``
and ``f0`` at the point, each read by deciding the boundary's relations as that side says::

    p = 0     p' != 0     f+ = f0 = f-     (f+)' = (f-)'      (at the point)
    ---------------------------------------------------------------------------
    the derivative exists there and is (f+)'

Elsewhere on the boundary (a jump, a corner, ``p`` with ``p' = 0``) the derivative is left undefined: the point is
then out of what a relation claims, never given a wrong value. Away from every boundary it is SymPy's, branch by
branch.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TypeAlias

import sympy as sp

from verifier.kernel import defined
from verifier.kernel.relations import RELATION_OPS, sign_satisfies

Expr: TypeAlias = sp.Expr
Derivative: TypeAlias = Callable[[Expr, "sp.Symbol | sp.Indexed"], Expr]



def boundaries(e: Expr, v: sp.Symbol | sp.Indexed) -> dict[Expr, list[tuple[sp.Basic, int]]]:
    """The boundaries in ``v`` of the conditions of every ``Piecewise`` in ``e`` (but those on the index of a sum):
    ``p`` -> its relations, each with the sign of ``(lhs - rhs)/p``."""
    out: dict[Expr, list[tuple[sp.Basic, int]]] = {}
    bound = {lim[0] for s in e.atoms(sp.Sum, sp.Product) for lim in s.limits}
    for piece in e.atoms(sp.Piecewise):
        for _, cond in piece.args:
            if not isinstance(cond, sp.Basic):
                continue
            for rel in cond.atoms(sp.core.relational.Relational):
                if type(rel) not in RELATION_OPS or not rel.has(v) or rel.free_symbols & bound:
                    continue    # (a relation on a sum's index: inside the summand, see verifier.frontend.kinks)
                _, p = sp.expand(rel.lhs - rel.rhs).as_content_primitive()
                sign = 1
                if p.could_extract_minus_sign():
                    p, sign = -p, -1
                out.setdefault(p, []).append((rel, sign))
    return out


def joint_derivative(e: Expr, v: sp.Symbol | sp.Indexed, derivative: Derivative, smooth: Derivative) -> Expr | None:
    """``de/dv`` where it exists, for an ``e`` whose ``Piecewise`` conditions depend on ``v`` (``None`` when none
    does): ``smooth(e, v)`` (SymPy's, branch by branch) away from every boundary, and the rule of the module on each;
    ``derivative`` differentiates what is left once a boundary's relations are decided (it comes back here for the
    other boundaries)."""
    found = boundaries(e, v)
    if not found:
        return None
    branches: list[tuple[Expr, sp.Basic]] = [(_away(e, v, derivative, smooth), sp.And(*[sp.Ne(p, 0) for p in found]))]
    others = {p: [q for q in found if q != p] for p in found}
    attempts: list[Callable[[], tuple[Expr, sp.Basic] | None]] = [
        partial(_level, e, v, p, relations, derivative) for p, relations in found.items()]
    for p, relations in found.items():
        for point in _points(p, v):
            attempts.append(partial(_at_joint, e, v, p, relations, others[p], derivative, point))
            attempts.append(partial(_squeezed, e, v, p, relations, derivative, point))
    for attempt in attempts:
        try:
            joint = attempt()
            if joint is not None:
                sp.Piecewise(joint)     # SymPy refuses some conditions (a Piecewise inside a relation)
                branches.append(joint)
        except (ValueError, TypeError, NotImplementedError, sp.PolynomialError):
            continue    # that joint is left undefined: out of what a relation claims, never a wrong value
    try:
        return sp.Piecewise(*branches)
    except (ValueError, TypeError, NotImplementedError):
        return sp.Piecewise(branches[0])    # every joint left undefined


def _away(e: Expr, v: sp.Symbol | sp.Indexed, derivative: Derivative, smooth: Derivative) -> Expr:
    """The derivative away from every boundary, where the conditions are locally constant: branch by branch, each
    branch's own kinks undefined only where that branch is taken (the Abs of Piecewise((t^2/2, Abs(t) <= 1), ...)'s
    other branch is no kink at 0)."""
    if isinstance(e, sp.Piecewise):
        try:
            return sp.Piecewise(*[(derivative(value, v), cond) for value, cond in e.args])
        except (ValueError, TypeError, NotImplementedError):
            pass
    return smooth(e, v)


def _side(e: Expr, relations: list[tuple[sp.Basic, int]], side: int) -> Expr:
    """``e`` with the relations of one boundary decided on one side (``nan`` where no branch is left: undefined)."""
    # Each relation decided by the side's sign of ``p`` (+1, -1, or 0 at the point).
    return e.xreplace({rel: sp.true if sign_satisfies(sign * side, RELATION_OPS[type(rel)]) else sp.false
                       for rel, sign in relations})


#: At most this many points of one boundary are treated one by one (more: the boundary is kept symbolic).
MAX_POINTS = 4


def _points(p: Expr, v: sp.Symbol | sp.Indexed) -> list[Expr | None]:
    """The points of the boundary ``p = 0``: one for ``p`` linear in ``v``, the real roots SymPy finds for an
    ``Abs`` or a polynomial (``Abs(t) - 1``: -1 and 1), else ``[None]`` (the boundary kept as ``p = 0``). A root is
    a proposal: the condition ``v = root`` it brings is true only where ``p = 0`` holds as well."""
    slope = sp.diff(p, v)
    if slope == 0:
        return []
    if not slope.has(v):
        return [sp.expand(v - p / slope)]
    if isinstance(v, sp.Symbol) and (p.has(sp.Abs) or p.is_polynomial(v)):
        try:
            roots = sp.solve(p, v)
        except (NotImplementedError, ValueError, TypeError):
            return [None]
        if isinstance(roots, list) and 0 < len(roots) <= MAX_POINTS \
                and all(r.is_real and not r.has(v) and sp.simplify(p.xreplace({v: r})) == 0 for r in roots):
            return list(roots)
    return [None]


def _at_joint(e: Expr, v: sp.Symbol | sp.Indexed, p: Expr, relations: list[tuple[sp.Basic, int]],
              others: list[Expr], derivative: Derivative, v0: Expr | None) -> tuple[Expr, sp.Basic] | None:
    """The derivative on ``p = 0`` (at ``v = v0`` when given) where the rule of the module proves it exists: its
    value and that condition."""
    plus, minus, zero = (_side(e, relations, s) for s in (1, -1, 0))
    if sp.nan in (plus, minus, zero):
        return None
    point: dict[sp.Basic, Expr] = {} if v0 is None else {v: v0}
    slope = sp.diff(p, v).xreplace(point)
    if v0 is not None and slope == 0:
        leading = _leading(p, v, v0)
        if leading is None:
            return None
        order, slope = leading
        if order % 2 == 0:
            return _touching(plus if slope.is_positive else minus, zero, v, v0, others, derivative)
    d_plus, d_minus = derivative(plus, v), derivative(minus, v)

    def at(x: Expr, side: int = 0) -> Expr:
        """``x`` at the joint; on a side, where SymPy's formula is 0/0 there (``(-t)^(3/2)/t``), its one-sided
        limit along that side (a function continuous at the joint whose derivative tends to L from one side has
        one-sided derivative L there, by the mean value theorem)."""
        if not point:
            return x
        value = x.xreplace(point)
        written = _undefined_as_written(x, point)
        if not written and not value.has(*NOT_A_NUMBER):
            return value
        if side == 0 or not (slope.is_positive or slope.is_negative):
            return sp.nan if written else value
        direction = "+" if (slope > 0) == (side > 0) else "-"
        (v0,) = point.values()
        try:
            found = sp.limit(x, v, v0, direction)
        except (NotImplementedError, ValueError, TypeError):
            return sp.nan
        if found.has(sp.nan, sp.AccumBounds):
            return UNDECIDED    # no limit (x^2*sin(1/x)'s slopes): the derivative may still exist
        return found

    values = [at(plus, 1), at(minus, -1), at(zero), at(d_plus, 1), at(d_minus, -1)]
    if any(x.has(*NOT_A_NUMBER) for x in values):
        return None     # undefined there, or an infinite slope (a square root's at 0): no derivative
    if any(x.has(UNDECIDED) for x in values):
        return _undecided(v, point, others, slope)
    corner = sp.cancel((values[3] - values[4]) / slope)
    if corner.is_number and corner != 0:
        return None     # the slopes differ by a nonzero multiple of p's, which is nonzero: a corner (Abs of u)
    conditions = [sp.Eq(p, 0) if v0 is None else sp.Eq(v, v0), sp.Ne(slope, 0), *[sp.Ne(at(q), 0) for q in others],
                  sp.Eq(values[0], values[2]), sp.Eq(values[1], values[2]), sp.Eq(values[3], values[4])]
    condition = sp.And(*conditions)
    if condition is sp.false:
        return None
    return values[3], condition


#: What SymPy's arithmetic makes of a point outside a function's domain (log(0) is zoo, atan(zoo) an AccumBounds).
NOT_A_NUMBER = (sp.nan, sp.zoo, sp.oo, -sp.oo, sp.AccumBounds)


#: A one-sided limit that does not exist (an oscillation: the mean value theorem then says nothing).
UNDECIDED = sp.Dummy("undecided")


def _undecided(v: sp.Symbol | sp.Indexed, point: dict[sp.Basic, Expr], others: list[Expr],
               slope: Expr) -> tuple[Expr, sp.Basic] | None:
    """The joint where the rule of the module cannot tell whether the derivative exists: a branch whose condition
    nothing decides (the kernel's opaque ``defined(0) = 1``) and whose value is opaque too, so that the point is
    neither proved nor refuted through it (undefined would refute ``0 = diff(...)`` where ``x^2*sin(1/x)``
    joined to 0 has derivative 0, or prove a claim about it vacuously)."""
    if not point:
        return None
    (v0,) = point.values()
    opaque = sp.Eq(defined.DEFINED(sp.Integer(0)), 1, evaluate=False)
    return (OPAQUE_SLOPE(v0), sp.And(sp.Eq(v, v0), sp.Ne(slope, 0), *[sp.Ne(q.xreplace(point), 0) for q in others],
                                     opaque))


#: The value of a derivative that is not decided at a joint.
OPAQUE_SLOPE = sp.Function("slope_at_joint", real=True)


def _undefined_as_written(x: Expr, point: dict[sp.Basic, Expr]) -> bool:
    """Whether some part of ``x`` that reads the variable is not a number at the point: SymPy's arithmetic may still
    make a number of the whole (``1/log(0)`` is ``1/zoo = 0``, ``atan(log(0))`` an interval), which is then no
    value of ``x`` there, only at best its limit."""
    return any(isinstance(n, sp.Expr) and n.has(*point) and n.xreplace(point).has(*NOT_A_NUMBER)
               for n in sp.preorder_traversal(x))


def _level(e: Expr, v: sp.Symbol | sp.Indexed, p: Expr, relations: list[tuple[sp.Basic, int]],
           derivative: Derivative) -> tuple[Expr, sp.Basic] | None:
    """The derivative where the boundary does not move with ``v`` at all: ``p``, a polynomial in ``v``, is 0 for
    every ``v`` (each of its coefficients is 0: ``x*y`` in ``x`` where ``y = 0``). The relations of the boundary
    are then decided as at ``p = 0`` on a whole neighbourhood, and the derivative is that of what is left."""
    if not p.is_polynomial(v):
        return None
    coefficients = sp.Poly(p, v).all_coeffs()
    if any(c.has(v) for c in coefficients) or all(c.is_number for c in coefficients):
        return None
    condition = sp.And(*[sp.Eq(c, 0) for c in coefficients])
    zero = _side(e, relations, 0)
    if condition is sp.false or zero.has(sp.nan):
        return None
    return derivative(zero, v), condition


def _squeezed(e: Expr, v: sp.Symbol | sp.Indexed, p: Expr, relations: list[tuple[sp.Basic, int]],
              derivative: Derivative, v0: Expr | None) -> tuple[Expr, sp.Basic] | None:
    """The derivative at ``v = v0`` (on ``p = 0`` when not given) where the three readings of the expression near
    the boundary (``f+``, ``f-``, ``f0``) agree there and so do their derivatives: near the point the expression is
    one of them at each point, and each is ``f(v0) + L*h + o(h)``, so the expression is differentiable there with
    derivative ``L``, whether or not ``p`` moves (``x*y > 0`` at ``x = 0``, ``y = 0``)::

        f+ = f- = f0 at v0       (f+)' = (f-)' = (f0)' = L at v0
        --------------------------------------------------------
              the derivative exists at v0 and is L

    Tried only where the rule of :func:`_at_joint` may not decide: ``p`` not linear in ``v``, its slope there not
    shown nonzero."""
    slope = sp.diff(p, v)
    if not slope.has(v):
        return None     # p linear in v: where its slope is 0 it is constant in v, and _level decides
    point: dict[sp.Basic, Expr] = {} if v0 is None else {v: v0}
    if slope.xreplace(point).is_nonzero:
        return None
    sides = [_side(e, relations, s) for s in (1, -1, 0)]
    if any(x.has(sp.nan) for x in sides):
        return None
    values = [x.xreplace(point) for x in (*sides, *[derivative(x, v) for x in sides])]
    if any(x.has(sp.nan, sp.zoo, sp.oo, -sp.oo) for x in values):
        return None
    condition = sp.And(sp.Eq(p, 0) if v0 is None else sp.Eq(v, v0), sp.Eq(values[0], values[2]),
                       sp.Eq(values[1], values[2]), sp.Eq(values[3], values[5]), sp.Eq(values[4], values[5]))
    return None if condition is sp.false else (values[5], condition)


#: The highest order of a zero of a boundary at a point that is looked at (``x^3`` has one of order 3 at 0).
MAX_ORDER = 8


def _leading(p: Expr, v: sp.Symbol | sp.Indexed, v0: Expr) -> tuple[int, Expr] | None:
    """The order ``k`` of the zero of ``p`` at ``v = v0`` and ``p``'s ``k``-th derivative there (a nonzero number of
    known sign): ``p`` has the sign of that number on the right of ``v0``, and on the left that sign times
    ``(-1)^k``. ``None`` when no derivative up to :data:`MAX_ORDER` is shown nonzero."""
    d = p
    for k in range(1, MAX_ORDER + 1):
        d = sp.diff(d, v)
        c = d.xreplace({v: v0})
        if c.is_zero:
            continue
        return (k, c) if c.is_positive or c.is_negative else None
    return None


def _touching(near: Expr, zero: Expr, v: sp.Symbol | sp.Indexed, v0: Expr, others: list[Expr],
              derivative: Derivative) -> tuple[Expr, sp.Basic] | None:
    """The derivative at ``v = v0`` where the boundary touches 0 without crossing it (a zero of even order, as
    ``x^2`` at 0): on both sides of ``v0`` the expression is ``near``, at ``v0`` it is ``zero``. Where these agree at
    ``v0`` the function is ``near`` on a whole neighbourhood, so its derivative is ``near``'s there::

        near = zero at v0          near differentiable at v0
        ----------------------------------------------------
             the derivative exists at v0 and is near'(v0)
    """
    point = {v: v0}
    value_near, value_zero = near.xreplace(point), zero.xreplace(point)
    slope = derivative(near, v).xreplace(point)
    if any(x.has(sp.nan, sp.zoo, sp.oo, -sp.oo) for x in (value_near, value_zero, slope)):
        return None
    condition = sp.And(sp.Eq(v, v0), *[sp.Ne(q.xreplace(point), 0) for q in others], sp.Eq(value_near, value_zero))
    return None if condition is sp.false else (slope, condition)


def flat_points(u: Expr, v: sp.Symbol | sp.Indexed, *, floor: bool) -> list[tuple[Expr, Expr]]:
    """The points ``v = c`` where ``floor(u)`` (``ceiling(u)`` when not ``floor``) is constant on a neighbourhood
    although ``u`` is an integer ``n`` there, each with that ``n``: ``u - n`` has a zero of even order at ``c`` and
    stays >= 0 near it (<= 0 for the ceiling), as ``x^2`` at 0 (``floor(x^2)`` is 0 on (-1, 1)). Only for ``u`` a
    polynomial in ``v`` alone, at the rational zeros of its derivative; elsewhere an integer value of ``u`` is a
    jump, or is left undefined. ``floor(k*Abs(p))`` (``k > 0``) is 0 near a rational zero of a polynomial ``p`` as
    well, and so is ``ceiling(k*Abs(p))`` (``k < 0``)."""
    # SymPy writes Abs(2*x) as 2*Abs(x) and Abs(-x) as Abs(x): the constant factor is split off first.
    k, kink = u.as_independent(v, as_Add=False) if isinstance(u, sp.Mul) else (sp.Integer(1), u)
    if isinstance(kink, sp.Abs) and isinstance(v, sp.Symbol) and kink.args[0].free_symbols == {v} \
            and kink.args[0].is_polynomial(v) and k.is_Rational and (k > 0 if floor else k < 0):
        try:
            zeros = [c for c in sp.Poly(kink.args[0], v).real_roots() if c.is_Rational]
        except (sp.PolynomialError, NotImplementedError, ValueError, TypeError):
            return []
        return [(c, sp.Integer(0)) for c in dict.fromkeys(zeros)][:MAX_POINTS]
    if not isinstance(v, sp.Symbol) or u.free_symbols != {v} or not u.is_polynomial(v):
        return []
    try:
        critical = sp.Poly(sp.diff(u, v), v).real_roots()
    except (sp.PolynomialError, NotImplementedError, ValueError, TypeError):
        return []
    out: list[tuple[Expr, Expr]] = []
    for c in dict.fromkeys(critical):
        n = sp.expand(u.xreplace({v: c})) if c.is_Rational else None
        if n is None or not n.is_Integer or len(out) >= MAX_POINTS:
            continue
        leading = _leading(u - n, v, c)
        if leading is not None and leading[0] % 2 == 0 \
                and (leading[1].is_positive if floor else leading[1].is_negative):
            out.append((c, n))
    return out


def removable_points(e: Expr, d: Expr, v: sp.Symbol | sp.Indexed) -> list[tuple[Expr, sp.Basic]]:
    """The derivative where SymPy's formula ``d`` for ``e``'s is 0/0 though ``e`` is differentiable: a root
    ``b^r`` (``r`` a negative fraction) in ``d`` of a polynomial ``b`` in ``v`` alone, at a rational zero ``c`` of
    ``b`` of even order with ``b >= 0`` around it (``sqrt(x^6 + x^4)`` at 0), where ``e`` is defined on a whole
    neighbourhood and made of functions continuous where defined. There, by the mean value theorem::

        e continuous at c     e' = d near c (c left out)     d -> L from both sides
        ------------------------------------------------------------------------
                           the derivative exists at c and is L

    Each with the condition ``v = c``; none where ``e`` has a kink, a jump or a ``Piecewise`` of its own."""
    if not isinstance(v, sp.Symbol) or d.free_symbols != {v} or e.free_symbols != {v} \
            or e.has(sp.Abs, sp.Max, sp.Min, sp.sign, sp.Heaviside, sp.floor, sp.ceiling, sp.Piecewise, sp.Sum):
        return []
    bases = {b for b, r in (a.as_base_exp() for a in d.atoms(sp.Pow))
             if r.is_Rational and r.is_negative and not r.is_integer and b.has(v) and b.is_polynomial(v)}
    out: list[tuple[Expr, sp.Basic]] = []
    for b in bases:
        try:
            zeros = [c for c in dict.fromkeys(sp.Poly(b, v).real_roots()) if c.is_Rational]
        except (sp.PolynomialError, NotImplementedError, ValueError, TypeError):
            continue
        for c in zeros[:MAX_POINTS]:
            leading = _leading(b, v, c)
            if leading is None or leading[0] % 2 or not leading[1].is_positive or not _defined_around(e, v, c):
                continue
            try:
                right, left = sp.limit(d, v, c, "+"), sp.limit(d, v, c, "-")
            except (NotImplementedError, ValueError, TypeError):
                continue
            if right == left and right.is_real and right.is_finite:
                out.append((right, sp.Eq(v, c)))
    return out


def _defined_around(e: Expr, v: sp.Symbol, c: Expr) -> bool:
    """Whether ``e`` is defined on a neighbourhood of ``v = c``: each of its conditions (``u > 0``, ``u >= 0``,
    ``u != 0`` with ``u`` a polynomial in ``v``) holds strictly at ``c``, or, for ``u >= 0``, ``u`` has a zero of
    even order there and is positive around it."""
    for cond in defined.conditions(e, sufficient=True):
        if not isinstance(cond, (sp.Gt, sp.Ge, sp.Ne)) or cond.rhs != 0 or not cond.lhs.is_polynomial(v) \
                or cond.lhs.free_symbols - {v}:
            return False
        u = cond.lhs.xreplace({v: c})
        if (u.is_positive if not isinstance(cond, sp.Ne) else u.is_nonzero):
            continue
        leading = _leading(cond.lhs, v, c) if isinstance(cond, sp.Ge) and u.is_zero else None
        if leading is None or leading[0] % 2 or not leading[1].is_positive:
            return False
    return True

"""Where an expression is defined, as a real number.

Part of the trusted core. Meaning (section 2a of the format): a relation is claimed at every allowed point where its
left side is defined; a step ``A = B`` is false at a point where ``A`` is defined and ``B`` is not. Defined means
real-valued and finite:

- ``log(u)`` needs ``u > 0``; ``b^x`` needs ``b != 0`` for a negative integer ``x``, ``b >= 0`` for a positive
  non-integer rational ``x`` (``sqrt``), ``b > 0`` for a negative non-integer ``x`` and for a symbolic exponent
  (only sufficient: ``0^x`` is defined for ``x > 0``; for a negative ``b`` the exact condition is that ``x`` is an
  integer, ``x = floor(x)``);
- ``tan(u)`` and ``sec(u)`` need ``cos(u) != 0`` (tan is undefined at the odd multiples of pi/2), ``cot(u)`` and
  ``csc(u)`` need ``sin(u) != 0`` (the multiples of pi); ``asin(u)`` and ``acos(u)`` need ``-1 <= u <= 1``,
  ``acosh(u)`` needs ``u >= 1``, ``atanh(u)`` needs ``-1 < u < 1`` (the principal branches, real there); ``atan``
  and ``asinh`` are defined everywhere;
- ``Heaviside(u)`` is defined everywhere, but its value at the jump is a convention (SymPy's 1/2, or its second
  argument) that decides nothing here: it is a number never evaluated (``0 * Heaviside(0) = 0``,
  ``Heaviside(0) = 1/2`` undecided);
- a ``Piecewise`` without an otherwise (``True``) branch is *partial*: undefined where no condition holds (the
  derivative of ``Abs(x)`` is ``Piecewise((sign(x), Ne(x, 0)))``, undefined at the kink); a branch's value needs
  to be defined only where that branch is chosen (``Piecewise((1/n, n > 0), (5, True))`` is defined everywhere);
  a condition whose side is undefined (``log(x) > 0`` at ``x = 0``) leaves the Piecewise undefined (the builder
  carries that side's conditions on every branch's value);
- every argument must be defined (``0 * log(-1)`` is undefined);
- a limit, a derivative, an integral, a series, a sum whose summand is partial, and any function not listed here
  are defined where the checker can show their value is a real number; symbolically their condition is the opaque
  atom ``defined(e)``, which only the same atom on the other side discharges (or, for a limit, its evaluation).

:func:`conditions` lists conditions symbolically, :func:`at_point` decides definedness at a point.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

import sympy as sp

from verifier.kernel import interval
from verifier.kernel.relations import RELATION_OPS, sign_satisfies

#: ``defined(e)``: the condition that ``e`` is defined, for an ``e`` whose condition is not written out.
DEFINED = sp.Function("defined")

#: Functions defined (as real numbers) for every real argument.
TOTAL = (sp.exp, sp.sin, sp.cos, sp.atan, sp.sinh, sp.cosh, sp.tanh, sp.asinh, sp.Abs, sp.sign, sp.floor,
         sp.ceiling, sp.Max, sp.Min, sp.KroneckerDelta, sp.Heaviside)

#: Values of sub-expressions at the point under consideration (the checker's exact evaluation).
Valuation = Callable[[sp.Expr], sp.Expr]

#: Truth of a condition at the point under consideration: True, False or None (undecided).
Judge = Callable[[sp.Basic], "bool | None"]

#: Puts values for bound indices into an expression (a summand).
Substitute = Callable[[sp.Basic, dict], sp.Basic]


def conditions(e: sp.Basic, *, sufficient: bool) -> tuple[sp.Basic, ...]:
    """Conditions for ``e`` to be defined, inner ones first, those that hold by the symbols' assumptions left out.

    With ``sufficient``, together they imply that ``e`` is defined (used for the side that must be shown defined);
    without, each is implied by ``e`` being defined (used as hypotheses from the side that is defined). The two
    differ only where an exact condition is not written: a symbolic exponent ``b^x`` needs ``b > 0`` in the first
    list and nothing in the second.
    """
    return _conditions(e, sufficient)


def conditions_beyond(e: sp.Basic, known: frozenset) -> tuple[sp.Basic, ...]:
    """Sufficient conditions for ``e`` to be defined, given that every expression in ``known`` is defined (its
    conditions are left out)."""
    if e in known:
        return ()
    if not isinstance(e, sp.Basic) or not e.args or isinstance(e, (sp.Symbol, sp.Indexed, sp.IndexedBase)) \
            or isinstance(e, (sp.Sum, sp.Product, sp.Piecewise, sp.Limit, sp.Derivative, sp.Integral)):
        return _conditions(e, True)
    out: list[sp.Basic] = []
    for a in e.args:
        if isinstance(a, sp.Basic) and not isinstance(a, sp.logic.boolalg.Boolean):
            out.extend(c for c in conditions_beyond(a, known) if c not in out)
    out.extend(c for c in _own(e, True) if not _holds(c) and c not in out)
    return tuple(out)


def strict_subterms(e: sp.Basic) -> frozenset:
    """The sub-expressions of ``e`` that are defined wherever ``e`` is: every one, except inside a ``Piecewise``
    (a branch not chosen need not be defined), a sum or product (its range may be empty) and a limit, derivative or
    integral (their bodies are not evaluated at the point)."""
    out: set = set()
    stack = [e]
    while stack:
        x = stack.pop()
        if not isinstance(x, sp.Basic) or not x.args or x in out:
            continue
        out.add(x)
        if isinstance(x, (sp.Sum, sp.Product, sp.Piecewise, sp.Limit, sp.Derivative, sp.Integral)) \
                or isinstance(x, sp.logic.boolalg.Boolean):
            continue
        stack.extend(x.args)
    return frozenset(out)


def everywhere(e: sp.Basic) -> bool:
    """Whether ``e`` is defined for every value of its names (no condition at all)."""
    return not _conditions(e, True)


@lru_cache(maxsize=4096)
def _conditions(e: sp.Basic, sufficient: bool) -> tuple[sp.Basic, ...]:
    if not isinstance(e, sp.Basic) or not e.args or isinstance(e, (sp.Symbol, sp.Indexed, sp.IndexedBase)):
        return ()
    if isinstance(e, (sp.Sum, sp.Product)):
        return _bound_conditions(e, sufficient)
    if isinstance(e, (sp.Limit, sp.Derivative, sp.Integral)):
        return (DEFINED(e),)
    if isinstance(e, sp.Piecewise):
        return _piecewise_conditions(e, sufficient)
    out: list[sp.Basic] = []
    for a in e.args:
        if isinstance(a, sp.Basic) and not isinstance(a, sp.logic.boolalg.Boolean):
            out.extend(c for c in _conditions(a, sufficient) if c not in out)
    out.extend(c for c in _own(e, sufficient) if not _holds(c) and c not in out)
    return tuple(out)


def _own(e: sp.Basic, sufficient: bool) -> list[sp.Basic]:
    """The conditions of the node itself, its arguments assumed defined."""
    if isinstance(e, (sp.Add, sp.Mul)) or isinstance(e, TOTAL) or e.is_Number or isinstance(e, sp.NumberSymbol):
        return []
    if isinstance(e, sp.Pow):
        b, x = e.args
        if x.is_integer:    # b^k for an integer k of unknown sign: b != 0 suffices, and is needed only if k < 0
            if x.is_nonnegative:
                return []
            return [sp.Ne(b, 0, evaluate=False) if sufficient or x.is_negative else integer_power_condition(b, x)]
        if x.is_Rational:
            return [sp.Ge(b, 0, evaluate=False) if x > 0 else sp.Gt(b, 0, evaluate=False)]
        return [sp.Gt(b, 0, evaluate=False)] if sufficient else [integer_exponent(x)] if b.is_negative else []
    if isinstance(e, sp.log) and len(e.args) == 1:
        return [sp.Gt(e.args[0], 0, evaluate=False)]
    if isinstance(e, (sp.tan, sp.sec)):
        return [sp.Ne(sp.cos(e.args[0]), 0, evaluate=False)]
    if isinstance(e, (sp.cot, sp.csc)):
        return [sp.Ne(sp.sin(e.args[0]), 0, evaluate=False)]
    if isinstance(e, (sp.asin, sp.acos)):       # the principal branches, real on [-1, 1]
        u = e.args[0]
        return [sp.Ge(u + 1, 0, evaluate=False), sp.Ge(1 - u, 0, evaluate=False)]
    if isinstance(e, sp.acosh):                 # real on [1, oo)
        return [sp.Ge(e.args[0] - 1, 0, evaluate=False)]
    if isinstance(e, sp.atanh):                 # real and finite on (-1, 1)
        u = e.args[0]
        return [sp.Gt(u + 1, 0, evaluate=False), sp.Gt(1 - u, 0, evaluate=False)]
    if isinstance(e, sp.Function) and type(e).__name__ == "expu":
        return []
    if interval.held_original(e) is not None:
        return []       # floor, ceiling, sign, Abs, Max, Min, Heaviside of numbers, left undecided: defined
    return [DEFINED(e)]


def _bound_conditions(e: sp.Basic, sufficient: bool) -> tuple[sp.Basic, ...]:
    """A sum or product: its bounds defined, and its summand wherever the range puts the index (not written out
    unless the summand is defined everywhere)."""
    out: list[sp.Basic] = []
    for lim in e.limits:
        for bound in lim[1:]:
            out.extend(c for c in _conditions(bound, sufficient) if c not in out)
    infinite = any(b in (sp.oo, -sp.oo) for lim in e.limits for b in lim[1:])
    if infinite or _conditions(e.function, sufficient):
        out.append(DEFINED(e))      # a series may diverge; a partial summand is needed at every index
    return tuple(out)


def _piecewise_conditions(e: sp.Piecewise, sufficient: bool) -> tuple[sp.Basic, ...]:
    """A Piecewise: some condition holds (unless it has an otherwise branch), and the value chosen is defined:
    ``Implies(c_i and not c_1 ... and not c_(i-1), conditions of v_i)`` for each branch whose value has
    conditions; among the necessary conditions, also each condition that every branch's value has. (An opaque
    ``defined(e)`` when a condition or a value's condition is not a plain relation.)"""
    if any(c.has(sp.Sum, sp.Limit, sp.Piecewise, sp.Integral, sp.Derivative) for _, c in e.args):
        return (DEFINED(e),)
    out: list[sp.Basic] = []
    if not any(c in (True, sp.true) for _, c in e.args):
        cond = sp.Or(*[c for _, c in e.args])
        if cond not in (True, sp.true):
            out.append(cond)
    earlier: list[sp.Basic] = []
    common: list[sp.Basic] | None = None
    for v, c in e.args:
        conds = _conditions(v, sufficient)
        if any(isinstance(x, sp.core.function.AppliedUndef) for x in conds):
            return (DEFINED(e),)
        common = list(conds) if common is None else [x for x in common if x in conds]
        if conds:
            chosen = sp.And(c, *[sp.Not(x) for x in earlier])
            out.append(sp.Implies(chosen, sp.And(*conds)))
        earlier.append(c)
    if not sufficient and common:
        # Where e is defined some branch is chosen and its value defined: a condition of every branch's value
        # holds (log(x) > 0 as a condition makes both branches' values need x > 0).
        out.extend(common)
    return tuple(x for x in out if x not in (True, sp.true))


def integer_power_condition(b: sp.Expr, k: sp.Expr) -> sp.Basic:
    """The exact condition of ``b^k`` for an integer ``k`` of unknown sign: ``b != 0`` or ``k >= 0``."""
    return sp.Or(sp.Ne(b, 0, evaluate=False), sp.Ge(k, 0, evaluate=False))


def integer_exponent(k: sp.Expr) -> sp.Basic:
    """The exact condition of ``b^k`` for a negative ``b`` and a symbolic ``k``: ``k`` is an integer (a fractional
    power of a negative is undefined), written ``k = floor(k)``."""
    return sp.Eq(k, sp.floor(k), evaluate=False)


def holds(c: sp.Basic) -> bool:
    """Whether a condition ``u > 0``, ``u >= 0`` or ``u != 0`` holds for every value of ``u``'s symbols (their
    assumptions), or, for a number, by its rigorous sign; ``False`` when that is not shown."""
    return _holds(c)


def _holds(c: sp.Basic) -> bool:
    """Whether a condition ``u > 0``, ``u >= 0`` or ``u != 0`` holds by the assumptions of ``u``'s symbols (or, for
    a number, by its rigorous sign)."""
    if not isinstance(c, (sp.Gt, sp.Ge, sp.Ne)) or c.rhs != 0:
        return False
    u = c.lhs
    if u.is_number:
        s = interval.sign(u)
        if s is None:
            return False
        return sign_satisfies(s, RELATION_OPS[type(c)])
    if isinstance(c, sp.Gt):
        return u.is_positive is True
    if isinstance(c, sp.Ge):
        return u.is_nonnegative is True
    return u.is_nonzero is True


# -- at a point ----------------------------------------------------------------------------------------------


def at_point(e: sp.Basic, value: Valuation, judge: Judge,
             substitute: Substitute) -> bool | None:
    """Whether ``e`` is defined at the point that ``value`` evaluates at: ``True``, ``False`` or ``None`` when it
    cannot be decided rigorously. ``judge`` decides a condition there; ``substitute`` puts a value for a bound
    index into a summand."""
    if everywhere(e):
        return True
    return _at(e, value, judge, substitute)


def _at(e: sp.Basic, value: Valuation, judge: Judge, substitute: Substitute) -> bool | None:
    if not isinstance(e, sp.Basic) or not e.args or isinstance(e, (sp.Symbol, sp.Indexed, sp.IndexedBase)):
        return True
    if everywhere(e):
        return True
    if isinstance(e, sp.Piecewise):
        for v, c in e.args:
            if _undefined_condition(c, value, judge, substitute):
                return False
            t = judge(c)
            if t is None:
                return None
            if t:
                return _at(v, value, judge, substitute)
        return False
    if isinstance(e, (sp.Sum, sp.Product)):
        return _sum_at(e, value, judge, substitute)
    if isinstance(e, (sp.Limit, sp.Derivative, sp.Integral)):
        return True if _real_number(value(e)) else None
    results = [_at(a, value, judge, substitute) for a in e.args
               if isinstance(a, sp.Basic) and not isinstance(a, sp.logic.boolalg.Boolean)]
    if False in results:
        return False
    if None in results:
        return None
    own = _power_at(e, value) if isinstance(e, sp.Pow) else _own(e, True)
    if any(isinstance(c, sp.core.function.AppliedUndef) for c in own):
        return True if _real_number(value(e)) else None
    verdicts = [judge(c) for c in own]
    if False in verdicts:
        return False
    return None if None in verdicts else True


def _undefined_condition(c: sp.Basic, value: Valuation, judge: Judge, substitute: Substitute) -> bool:
    """Whether a side of a relation in the condition ``c`` is undefined at the point (``log(x) > 0`` at
    ``x = -1``): the Piecewise is undefined there, as the builder makes it by carrying that side's conditions on
    every branch's value. The consequent of an ``Implies`` (the conditions of a branch's value, needed only where
    that branch is chosen: ``Implies(x > 0, log(x) != 0)``) is read only where its antecedent holds."""
    if not isinstance(c, sp.Basic):
        return False
    if isinstance(c, sp.Implies):
        # A definedness guard (the builder's): its conclusion is read only where its premise is shown to hold (an
        # undecided premise shows nothing undefined).
        antecedent, consequent = c.args
        return _undefined_condition(antecedent, value, judge, substitute) or (
            judge(antecedent) is True and _undefined_condition(consequent, value, judge, substitute))
    if isinstance(c, sp.core.relational.Relational):
        return any(_not_real(side) or _at(side, value, judge, substitute) is False for side in c.args)
    return any(_undefined_condition(a, value, judge, substitute) for a in c.args)


def _not_real(side: sp.Basic) -> bool:
    """A number SymPy has already evaluated to one that is not a real number (``acosh(1/2)`` is ``I*pi/3``,
    ``atanh(1)`` is ``oo``)."""
    return isinstance(side, sp.Expr) and side.is_number and (
        side is sp.nan or side.is_extended_real is False or side.is_finite is False)


def _power_at(e: sp.Pow, value: Valuation) -> list[sp.Basic]:
    """The exact condition of ``b^x`` once the exponent's value is known: ``b != 0`` for a negative integer,
    ``b >= 0`` for a positive non-integer, ``b > 0`` for a negative non-integer (``0^x = 0`` for ``x > 0``)."""
    b, x = e.args
    xv = x if x.is_number else value(x)
    s = interval.sign(xv) if isinstance(xv, sp.Expr) else None
    if s is None:
        return [DEFINED(e)]
    if xv.is_Integer:
        return [] if s >= 0 else [sp.Ne(b, 0, evaluate=False)]
    if not xv.is_Rational and not interval.is_real(xv):
        return [DEFINED(e)]
    return [sp.Ge(b, 0, evaluate=False) if s > 0 else sp.Gt(b, 0, evaluate=False)]


def _sum_at(e: sp.Basic, value: Valuation, judge: Judge, substitute: Substitute) -> bool | None:
    """A sum or product at a point: its bounds are integers there, and the summand is defined at every index in the
    range (an empty range needs nothing)."""
    if len(e.limits) != 1:
        return None
    j, lo, hi = e.limits[0]
    for bound in (lo, hi):
        if _at(bound, value, judge, substitute) is not True:
            return None
    a, b = value(lo), value(hi)
    if not (isinstance(a, sp.Integer) and isinstance(b, sp.Integer)):
        return None
    if int(b) - int(a) > 400:     # too long to write out: its enclosure shows every term defined, or nothing
        names = (e.function.free_symbols - {j}) | e.function.atoms(sp.Indexed)
        whole = e.func(substitute(e.function, {x: value(x) for x in names}), (j, a, b))
        return True if not whole.free_symbols and interval.is_real(whole) else None
    results = [_at_index(e.function, {j: sp.Integer(t)}, value, judge, substitute) for t in range(int(a), int(b) + 1)]
    if False in results:
        return False
    return None if None in results else True


def _at_index(f: sp.Basic, index: dict, value: Valuation, judge: Judge, substitute: Substitute) -> bool | None:
    """The summand ``f`` at one index: walked as written, the index put in only where a value or a condition is
    read, so that SymPy never evaluates a pole away first (``(n - 1)/j`` at ``j = 0`` would be ``zoo*(n - 1)``)."""
    return _at(f, lambda x: value(substitute(x, index)), lambda c: judge(substitute(c, index)), substitute)


def _real_number(v: sp.Basic) -> bool:
    return isinstance(v, sp.Expr) and not v.free_symbols and interval.is_real(v)

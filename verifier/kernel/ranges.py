"""The ranges of the bounded elementary functions, as facts about their values for the decision procedure of
:mod:`verifier.kernel.nra`.

Part of the trusted core. For a real argument ``u``, wherever the function is defined (``asin`` and ``acos`` on
``[-1, 1]``, ``acosh`` on ``[1, oo)``, the others everywhere), its value lies in the range of its principal branch::

    sin(u), cos(u) in [-1, 1]      tanh(u) in (-1, 1)      atan(u) in (-pi/2, pi/2)
    asin(u) in [-pi/2, pi/2]       acos(u) in [0, pi]      acosh(u) in [0, oo)

(``atan`` and ``tanh`` are strictly increasing with these limits at -oo and oo; ``asin``, ``acos`` and ``acosh``
are the principal branches, whose values are these closed ranges.)

A sine or cosine of ``u = a*x + b`` (``a``, ``b`` rational) whose name ``x`` the linear facts keep in an interval
also has a sign, when that interval puts ``u`` between two consecutive zeros (of sin: ``k*pi``; of cos:
``(k + 1/2)*pi``)::

    k*pi < u < (k + 1)*pi for every allowed x        (the ends compared with pi exactly, by rigorous intervals)
    ----------------------------------------------
    (-1)^k * sin(u) > 0                              (>= 0 where an end of u's interval is a zero and belongs to it)

and ``(-1)^(k + 1) * cos(u) > 0`` between ``(k + 1/2)*pi`` and ``(k + 3/2)*pi``: so ``cos(x) != 0`` for ``x`` in
``(0, 1)``, where ``cot(x) = 1/tan(x)`` is claimed.
"""

from __future__ import annotations

import math
from fractions import Fraction

import sympy as sp

from verifier.kernel import interval, linear
from verifier.kernel.facts import Facts

#: A function's range: its lower and upper ends (``None``: unbounded) and whether each is excluded.
Range = tuple[sp.Expr | None, sp.Expr | None, bool, bool]

RANGES: dict[type, Range] = {
    sp.sin: (sp.Integer(-1), sp.Integer(1), False, False),
    sp.cos: (sp.Integer(-1), sp.Integer(1), False, False),
    sp.tanh: (sp.Integer(-1), sp.Integer(1), True, True),
    sp.atan: (-sp.pi / 2, sp.pi / 2, True, True),
    sp.asin: (-sp.pi / 2, sp.pi / 2, False, False),
    sp.acos: (sp.Integer(0), sp.pi, False, False),
    sp.acosh: (sp.Integer(0), None, False, False),
}


def range_of(e: sp.Basic) -> Range | None:
    """The range of ``e``'s values where it is defined, when ``e`` is one of these functions of a real argument."""
    found = RANGES.get(type(e))
    if found is None or len(e.args) != 1 or e.args[0].is_real is not True:
        return None
    return found


def sign_between_zeros(e: sp.Basic, facts: Facts) -> tuple[int, bool] | None:
    """The sign of ``sin(u)`` or ``cos(u)`` where the facts keep ``u`` between two consecutive zeros, and whether it
    is strict (``None``: not shown)."""
    if not isinstance(e, (sp.sin, sp.cos)):
        return None
    form = linear.linear_form(e.args[0])
    if form is None or len(form[0]) != 1:
        return None
    (x, a), = form[0].items()
    b = form[1]
    lo, hi = facts.bounds(x)
    if lo is None or hi is None:
        return None
    ends = [(_fraction(v) * a + b, is_open) for v, is_open in (lo, hi)]
    (low, low_open), (high, high_open) = ends if a > 0 else ends[::-1]
    offset = Fraction(0) if isinstance(e, sp.sin) else Fraction(1, 2)
    try:
        k = math.floor(float(low) / math.pi - float(offset))      # a guess, checked exactly below
    except (OverflowError, ValueError):
        return None
    below = interval.sign(sp.Rational(low.numerator, low.denominator) - _pi_times(k + offset))
    above = interval.sign(_pi_times(k + 1 + offset) - sp.Rational(high.numerator, high.denominator))
    if below is None or above is None or below < 0 or above < 0:
        return None
    strict = (below > 0 or low_open) and (above > 0 or high_open)
    return (-1) ** (k if isinstance(e, sp.sin) else k + 1), strict


def _fraction(q: sp.Rational) -> Fraction:
    return Fraction(int(q.p), int(q.q))


def _pi_times(q: Fraction) -> sp.Expr:
    return sp.Rational(q.numerator, q.denominator) * sp.pi

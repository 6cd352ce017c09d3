"""Functions of one number, as written: undefined outside their domain, exact where the value is rational, rigorous
intervals elsewhere. Each takes ``note``, which is told every quantity whose zero is a critical point of the
function (a ``log`` or ``sqrt`` argument, the argument of ``Abs`` or ``sign``, the distance of a ``floor``'s argument
from its value, the distance to an end of a domain)."""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from typing import Any, TypeAlias

import mpmath
from mpmath import iv

from verifier.oracle.values import (
    CannotTell,
    Interval,
    Number,
    PiRational,
    Undefined,
    approx,
    ends,
    sign,
    sub,
)

Note: TypeAlias = Callable[[Number], None]
Function: TypeAlias = Callable[[Note, Number], Number]


def rational_root(a: Fraction, q: int) -> Fraction | None:
    """The exact ``q``-th root of a positive rational, when it is rational."""
    if q > 64:
        return None
    num, den = _int_root(a.numerator, q), _int_root(a.denominator, q)
    return None if num is None or den is None else Fraction(num, den)


def _int_root(n: int, q: int) -> int | None:
    r = round(n ** (1.0 / q)) if n.bit_length() < 1000 else None
    if r is None:
        return None
    for c in (r - 1, r, r + 1):
        if c >= 0 and c ** q == n:
            return c
    return None


def _exp(note: Note, x: Number) -> Number:
    return Fraction(1) if x == 0 else iv.exp(approx(x))


def _log(note: Note, x: Number) -> Number:
    note(x)
    if sign(x) <= 0:
        raise Undefined("the log of a number <= 0")
    return Fraction(0) if x == 1 else iv.log(approx(x))


def _sqrt(note: Note, x: Number) -> Number:
    note(x)
    if sign(x) < 0:
        raise Undefined("the square root of a negative number")
    if isinstance(x, Fraction):
        root = rational_root(x, 2)
        if root is not None:
            return root
    return iv.sqrt(approx(x))


def _abs(note: Note, x: Number) -> Number:
    note(x)
    return x if sign(x) >= 0 else -x


def _sign(note: Note, x: Number) -> Number:
    note(x)
    return Fraction(sign(x))


def _heaviside(note: Note, x: Number) -> Number:
    note(x)
    s = sign(x)
    if s == 0:
        raise CannotTell("Heaviside(0) is defined but never decided")
    return Fraction(int(s > 0))


def _floor(note: Note, x: Number, up: bool = False) -> Number:
    if isinstance(x, Fraction):
        n = -((-x.numerator) // x.denominator) if up else x.numerator // x.denominator
        note(sub(x, Fraction(n)))
        return Fraction(n)
    lo, hi = ends(x)
    rounded = (mpmath.ceil(lo), mpmath.ceil(hi)) if up else (mpmath.floor(lo), mpmath.floor(hi))
    if rounded[0] != rounded[1]:
        raise CannotTell("the floor of a number too close to an integer")
    return Fraction(int(rounded[0]))


def _exps(x: Number) -> tuple[Interval, Interval]:
    u = approx(x)
    return iv.exp(u), iv.exp(-u)


def _sinh(note: Note, x: Number) -> Number:
    if x == 0:
        return Fraction(0)
    up, down = _exps(x)
    return (up - down) / 2


def _cosh(note: Note, x: Number) -> Number:
    if x == 0:
        return Fraction(1)
    up, down = _exps(x)
    return (up + down) / 2


def _tanh(note: Note, x: Number) -> Number:
    if x == 0:
        return Fraction(0)
    # 1 - 2/(e^(2x) + 1): one occurrence of x, so the enclosure stays tight.
    return 1 - 2 / (iv.exp(2 * approx(x)) + 1)


def _quarter_turns(x: Number) -> int | None:
    """``k`` modulo 4 when ``x`` is exactly ``k*pi/2`` (where sin and cos are 0 or +-1), else ``None``."""
    if x == 0:
        return 0
    if isinstance(x, PiRational) and x.rational == 0 and (2 * x.multiple).denominator == 1:
        return int(2 * x.multiple) % 4
    return None


def _sin(note: Note, x: Number) -> Number:
    k = _quarter_turns(x)
    return iv.sin(approx(x)) if k is None else Fraction((0, 1, 0, -1)[k])


def _cos(note: Note, x: Number) -> Number:
    k = _quarter_turns(x)
    return iv.cos(approx(x)) if k is None else Fraction((1, 0, -1, 0)[k])


def _quotient(top: Function, bottom: Function, pole: str) -> Function:
    """``top/bottom`` of one argument, undefined where ``bottom`` is 0."""
    def apply(note: Note, x: Number) -> Number:
        d = bottom(note, x)
        if sign(d) == 0:
            raise Undefined(pole)
        n = top(note, x)
        return n / d if isinstance(n, Fraction) and isinstance(d, Fraction) else approx(n) / approx(d)
    return apply


def _monotone(fn: Callable[[Any], Any], increasing: bool, lo: int | None = None, hi: int | None = None,
              strict: bool = False, at_zero: int | None = None) -> Function:
    """A monotone function of one number, defined on [lo, hi] (open ends when ``strict``): its value on an
    interval is its values at the ends, widened by a few units of the last digit."""
    def apply(note: Note, x: Number) -> Number:
        for end, below in ((lo, True), (hi, False)):
            if end is not None:
                gap = sub(x, Fraction(end))
                note(gap)
                c = sign(gap)     # the enclosure's own sign: near an end, not "equal as far as can be seen"
                if (c < 0 or (strict and c == 0)) if below else (c > 0 or (strict and c == 0)):
                    raise Undefined(f"{fn.__name__} outside its domain")
        if at_zero is not None and x == 0:
            return Fraction(at_zero)
        a, b = ends(approx(x))
        ya, yb = (fn(a), fn(b)) if increasing else (fn(b), fn(a))
        slack = mpmath.mpf(10) ** (5 - mpmath.mp.dps) * (1 + max(abs(ya), abs(yb)))
        return iv.mpf([ya - slack, yb + slack])
    return apply


UNARY: dict[str, Function] = {
    "exp": _exp, "log": _log, "sqrt": _sqrt, "Abs": _abs, "sign": _sign, "Heaviside": _heaviside,
    "floor": _floor, "ceiling": lambda note, x: _floor(note, x, up=True),
    "sin": _sin, "cos": _cos, "tan": _quotient(_sin, _cos, "tan at a pole"), "sinh": _sinh, "cosh": _cosh,
    "tanh": _tanh, "sec": _quotient(lambda note, x: Fraction(1), _cos, "sec at a pole"),
    "csc": _quotient(lambda note, x: Fraction(1), _sin, "csc at a pole"), "cot": _quotient(_cos, _sin, "cot at a pole"),
    "atan": _monotone(mpmath.atan, True, at_zero=0), "asinh": _monotone(mpmath.asinh, True, at_zero=0),
    "asin": _monotone(mpmath.asin, True, -1, 1, at_zero=0), "acos": _monotone(mpmath.acos, False, -1, 1),
    "acosh": _monotone(mpmath.acosh, True, lo=1), "atanh": _monotone(mpmath.atanh, True, -1, 1, strict=True,
                                                                   at_zero=0),
}

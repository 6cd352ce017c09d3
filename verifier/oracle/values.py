"""The reference evaluator's numbers: exact rationals where possible, rigorous intervals elsewhere.

A value is a :class:`fractions.Fraction` (exact), a :class:`PiRational` (``r + q*pi``, exact: where a trigonometric
function has a pole or a zero is told), or an mpmath interval (:data:`Interval`, an enclosure of the exact value,
carried at the working precision of :func:`working`). Two values are ordered only when their enclosures are
apart by more than :data:`APART` (relative); within :data:`SAME` of each other they are equal as far as can be seen
(:class:`Close`), and otherwise the evaluator cannot tell. Vectors are :class:`Vec`: entries over an integer range,
0 outside it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, TypeAlias

import mpmath
from mpmath import iv

#: The greatest working precision (decimal digits): nested derivatives need the room.
DPS = 110
#: Relative distance under which two values count as equal, and over which as different.
SAME = mpmath.mpf(10) ** -20
APART = mpmath.mpf(10) ** -9
#: An exact rational whose numerator or denominator is longer than this many bits is carried as an interval.
MAX_BITS = 3000

Interval: TypeAlias = Any     # mpmath.iv.mpf (its class is not exported)
INTERVAL = type(iv.mpf(1))


@dataclass(frozen=True)
class PiRational:
    """``rational + multiple*pi`` with both rational and ``multiple`` not 0, carried exactly: an enclosure of
    ``pi/2`` cannot tell that ``tan`` has a pole there, this can (and ``r + q*pi`` is 0 only when both are)."""

    rational: Fraction
    multiple: Fraction

    def __neg__(self) -> PiRational:
        return PiRational(-self.rational, -self.multiple)


Number: TypeAlias = Fraction | PiRational | Interval


def pi_rational(rational: Fraction, multiple: Fraction) -> Number:
    """``rational + multiple*pi``: a rational when ``multiple`` is 0."""
    return rational if multiple == 0 else PiRational(rational, multiple)


def _parts(v: Number) -> tuple[Fraction, Fraction] | None:
    """The rational part and the multiple of pi of an exact value."""
    if isinstance(v, Fraction):
        return v, Fraction(0)
    if isinstance(v, PiRational):
        return v.rational, v.multiple
    return None


@contextmanager
def working(dps: int) -> Iterator[None]:
    """Intervals (and mpmath floats) carried at ``dps`` decimal digits inside the block."""
    saved = iv.dps, mpmath.mp.dps
    iv.dps = mpmath.mp.dps = dps
    try:
        yield
    finally:
        iv.dps, mpmath.mp.dps = saved


def ends(v: Number) -> tuple[mpmath.mpf, mpmath.mpf]:
    """The ends of ``v``'s enclosure."""
    if isinstance(v, Fraction):
        x = mpmath.mpf(v.numerator) / v.denominator
        return x, x
    if isinstance(v, PiRational):
        v = approx(v)
    return mpmath.mpf(v.a), mpmath.mpf(v.b)


def size(v: Number) -> mpmath.mpf:
    """An upper bound of ``|v|``."""
    lo, hi = ends(v)
    return max(abs(lo), abs(hi))


class Undefined(Exception):
    """The expression as written is undefined at the point (a division by zero, a log of a number <= 0, ...)."""


class CannotTell(Exception):
    """The evaluator cannot tell the value (too close to call, a construct it does not evaluate, too large)."""


class NotGiven(CannotTell):
    """The value needs an entry of a family that the point (a counterexample, a witness) does not give."""


@dataclass(frozen=True)
class Vec:
    """A vector or one-index family: entries ``get(i)`` for ``lo <= i <= hi`` (``None``: no range), 0 outside."""

    lo: int | None
    hi: int | None
    get: Callable[[int], Number]

    def entry(self, i: int) -> Number:
        """The entry at ``i``, 0 outside the range."""
        if self.lo is not None and self.hi is not None and not self.lo <= i <= self.hi:
            return Fraction(0)
        return self.get(i)

    def length(self) -> int:
        """The number of entries (an unranged family has none to count)."""
        if self.lo is None or self.hi is None:
            raise CannotTell("the length of a family without a range")
        return max(self.hi - self.lo + 1, 0)


def tidy(v: Number) -> Number:
    """``v``, carried approximately once it is too long to carry exactly."""
    parts = _parts(v)
    if parts is not None and any(q.numerator.bit_length() > MAX_BITS or q.denominator.bit_length() > MAX_BITS
                                 for q in parts):
        return approx(v)
    return v


def approx(v: Number) -> Interval:
    """``v`` as an interval."""
    if isinstance(v, Fraction):
        return iv.mpf(v.numerator) / v.denominator if v.denominator != 1 else iv.mpf(v.numerator)
    if isinstance(v, PiRational):
        return approx(v.rational) + approx(v.multiple) * iv.pi
    return v


def pair(a: Number, b: Number) -> tuple[Fraction, Fraction] | tuple[Interval, Interval]:
    """``a`` and ``b`` of one kind (Python has no arithmetic between a Fraction and an mpf)."""
    if isinstance(a, Fraction) and isinstance(b, Fraction):
        return a, b
    return approx(a), approx(b)


def add(a: Number, b: Number) -> Number:
    """``a + b``."""
    p, q = _parts(a), _parts(b)
    if p is not None and q is not None:
        return tidy(pi_rational(p[0] + q[0], p[1] + q[1]))
    x, y = pair(a, b)
    return tidy(x + y)


def sub(a: Number, b: Number) -> Number:
    """``a - b``."""
    return add(a, -b)


def mul(a: Number, b: Number) -> Number:
    """``a * b``."""
    for c, v in ((a, b), (b, a)):
        p = _parts(v)
        if isinstance(c, Fraction) and p is not None:
            return tidy(pi_rational(c * p[0], c * p[1]))
    x, y = pair(a, b)
    return tidy(x * y)


def div(a: Number, b: Number) -> Number:
    """``a / b`` (``b`` not 0)."""
    p, q = _parts(a), _parts(b)
    if p is not None and q is not None and (q[1] == 0 or q[0] == p[0] == 0):
        return tidy(pi_rational(p[0] / q[0], p[1] / q[0]) if q[1] == 0 else p[1] / q[1])
    x, y = pair(a, b)
    return tidy(x / y)


def integer(v: Number) -> int:
    """``v`` as a Python integer, when it is exactly one."""
    if isinstance(v, Fraction) and v.denominator == 1:
        return v.numerator
    if isinstance(v, Fraction):
        raise CannotTell(f"{v} is not an integer")
    raise CannotTell("an integer that is not known exactly")


def sign(v: Number) -> int:
    """-1, 0 or 1; an interval that holds 0 cannot be told."""
    if isinstance(v, Fraction):
        return (v > 0) - (v < 0)
    if isinstance(v, PiRational) and v.rational == 0:
        return sign(v.multiple)
    lo, hi = ends(v)
    if lo > 0:
        return 1
    if hi < 0:
        return -1
    if lo == 0 and hi == 0:
        return 0
    raise CannotTell("a sign too close to 0")


class Close(CannotTell):
    """Two approximate values within :data:`SAME` of each other: equal as far as the evaluator can see."""


def compare(a: Number, b: Number) -> int:
    """The sign of ``a - b``: exact for rationals; approximate values within :data:`SAME` (relative) raise
    :class:`Close`, and between :data:`SAME` and :data:`APART` the evaluator cannot tell."""
    if isinstance(a, Fraction) and isinstance(b, Fraction):
        return (a > b) - (a < b)
    if _parts(a) is not None and _parts(b) is not None:
        return sign(sub(a, b))      # exact: r + q*pi is 0 only when r and q are
    scale = max(mpmath.mpf(1), size(a), size(b))
    lo, hi = ends(approx(a) - approx(b))
    if max(abs(lo), abs(hi)) <= SAME * scale:
        raise Close("two values equal as far as can be seen")
    if lo > APART * scale:
        return 1
    if hi < -APART * scale:
        return -1
    raise CannotTell("two values too close to call")


def show(v: Number | Vec) -> str:
    """A short text for a value (in a disagreement message)."""
    if isinstance(v, Vec):
        if v.lo is None or v.hi is None or v.hi - v.lo > 8:
            return "a vector"
        return "[" + ", ".join(show(v.entry(i)) for i in range(v.lo, v.hi + 1)) + "]"
    if isinstance(v, Fraction) and len(str(v)) <= 40:
        return str(v)
    if isinstance(v, PiRational) and len(str(v.rational) + str(v.multiple)) <= 40:
        return ("" if v.rational == 0 else f"{v.rational} + ") + f"{v.multiple}*pi"
    lo, hi = ends(v)
    return "≈ " + mpmath.nstr((lo + hi) / 2, 15)

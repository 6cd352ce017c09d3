"""Templates for inverse and reciprocal trigonometric and hyperbolic functions, each truth worked out by hand.

Points are ``r + h*pi/2`` with ``r`` and ``h`` rational (:class:`Num`), so that a pole or a kink at a multiple of
pi/2 is told exactly. A relation is claimed where its left side is defined (spec 2a), and each template draws a
domain for ``x``: every real, a closed interval with rational ends (``assume``), or one point (``where``), among
them multiples of pi/2, where tan, sec, csc and cot have poles and the inverses of periodic functions kinks.

- ``inverse-own``: an inverse of a function applied to it (``asin(sin(c*x))``, ``acosh(cosh(c*x))``, ...) against
  one branch's formula, which holds exactly on a closed region (``asin(sin(u)) = pi - u`` on [pi/2, 3pi/2]); and a
  function of its inverse (``sin(asin(x)) = x``), which holds wherever its left side is defined.
- ``inverse-derivative``: a derivative of those and of the inverse and reciprocal functions against its formula,
  true with the derivative on the left (the formula is right wherever the derivative exists) and, read from the
  right, false exactly where the formula is defined and the derivative is not (a kink, a pole of the function as
  written, a domain that ends); a wrong formula, false at a point given beside it.
- ``reciprocal-trig``: two ways of writing sec, csc, cot, tan, 1, sec^2, csc^2, equal wherever both are defined, so
  that a relation between them is false exactly where its right side is undefined and its left side is not.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fuzz.grammar import Grammar

Keys = dict[str, object]
F = Fraction


@dataclass(frozen=True)
class Num:
    """``r + h*pi/2``, exactly."""

    r: Fraction
    h: Fraction = Fraction()

    def scaled(self, c: Fraction) -> Num:
        """``c`` times the number."""
        return Num(c * self.r, c * self.h)

    def float(self) -> float:
        """The number as a float (far from every other number the templates compare it with)."""
        return float(self.r) + float(self.h) * math.pi / 2


def compare(a: Num, b: Num) -> int:
    """The sign of ``a - b``: exact when both have the same multiple of pi/2, else by floats, whose gap the
    templates' numbers keep above 10^-4 (the closest: 1571/1000 - pi/2 = 2.04e-4)."""
    if a.h == b.h:
        return (a.r > b.r) - (a.r < b.r)
    gap = a.float() - b.float()
    assert abs(gap) > 1e-4, (a, b)
    return 1 if gap > 0 else -1


#: A closed range (``None``: no end on that side).
Range = tuple[Num | None, Num | None]
#: A set of points: ``("lattice", parity)`` the multiples k*pi/2 with k even, odd or any; ``("open", lo, hi)`` an
#: open interval; ``("point", v)`` one point.
Atom = tuple[object, ...]


def _inside(v: Num, rng: Range) -> bool:
    lo, hi = rng
    return (lo is None or compare(v, lo) >= 0) and (hi is None or compare(v, hi) <= 0)


def _meets(atoms: list[Atom], domain: Range) -> bool:
    """Whether the closed ``domain`` holds a point of the set."""
    lo, hi = domain
    for atom in atoms:
        if atom[0] == "lattice":
            parity = atom[1]
            if lo is not None and lo == hi:
                k = lo.h
                if lo.r == 0 and k.denominator == 1 and parity in ("any", ("even", "odd")[int(k) % 2]):
                    return True
                continue
            if lo is None or hi is None:
                return True
            first = math.ceil(lo.float() / (math.pi / 2))
            last = math.floor(hi.float() / (math.pi / 2))
            ks = range(first, last + 1)
            if any(parity == "any" or (k % 2 == 0) == (parity == "even") for k in ks):
                return True
        elif atom[0] == "open":
            a, b = atom[1], atom[2]
            assert a is None or isinstance(a, Num)
            assert b is None or isinstance(b, Num)
            if (hi is None or a is None or compare(hi, a) > 0) and (lo is None or b is None or compare(lo, b) < 0):
                return True
        else:
            v = atom[1]
            assert isinstance(v, Num)
            if _inside(v, domain):
                return True
    return False


def _within(domain: Range, region: Range) -> bool:
    """Whether the closed ``domain`` lies in the closed ``region``."""
    (lo, hi), (a, b) = domain, region
    return (a is None or (lo is not None and compare(lo, a) >= 0)) and \
        (b is None or (hi is not None and compare(hi, b) <= 0))


HALF_PI = Num(F(0), F(1))
_ENDS = [F(-4), F(-3), F(-2), F(-8, 5), F(-3, 2), F(-1), F(-1, 2), F(0), F(1, 2), F(1), F(3, 2), F(157, 100),
         F(1571, 1000), F(8, 5), F(2), F(3), F(16, 5), F(4), F(5), F(6), F(7)]
#: Points given by ``where``: their text and value.
_POINTS: list[tuple[str, Num]] = [
    ("0", Num(F(0))), ("1", Num(F(1))), ("-1", Num(F(-1))), ("2", Num(F(2))), ("1/2", Num(F(1, 2))),
    ("pi/2", Num(F(0), F(1))), ("-pi/2", Num(F(0), F(-1))), ("pi", Num(F(0), F(2))), ("3*pi/2", Num(F(0), F(3))),
    ("pi/4", Num(F(0), F(1, 2))), ("2*pi", Num(F(0), F(4))), ("pi/2 + 1", Num(F(1), F(1))),
]


def _domain(g: Grammar, keys: Keys) -> Range:
    """A domain for ``x`` put into ``keys``: every real, an interval, or a point."""
    form = g.rng.random()
    if form < 0.25:
        return None, None
    if form < 0.7:
        lo, hi = sorted(g.rng.sample(_ENDS, 2))
        keys["assume"] = [f"{lo} <= x", f"x <= {hi}"]
        return Num(lo), Num(hi)
    text, v = g.rng.choice(_POINTS)
    keys["where"] = {"x": text}
    return v, v


def _scaled(domain: Range, c: Fraction) -> Range:
    lo, hi = domain
    return (None if lo is None else lo.scaled(c)), (None if hi is None else hi.scaled(c))


def _n(h: int) -> Num:
    return Num(F(0), F(h))


_ODD: list[Atom] = [("lattice", "odd")]
_EVEN: list[Atom] = [("lattice", "even")]
_OUTSIDE_1: list[Atom] = [("open", None, Num(F(-1))), ("open", Num(F(1)), None)]

#: (the composition of the argument ``{A}``, a branch's formula, the closed region of the argument where they are
#: equal, the set where the composition is undefined)
INVERSE_OWN: list[tuple[str, str, Range, list[Atom]]] = [
    ("asin(sin({A}))", "{A}", (_n(-1), _n(1)), []),
    ("asin(sin({A}))", "pi - {A}", (_n(1), _n(3)), []),
    ("acos(cos({A}))", "{A}", (_n(0), _n(2)), []),
    ("acos(cos({A}))", "-{A}", (_n(-2), _n(0)), []),
    ("acos(cos({A}))", "2*pi - {A}", (_n(2), _n(4)), []),
    ("acos(cos({A}))", "Abs({A})", (_n(-2), _n(2)), []),
    ("atan(tan({A}))", "{A}", (_n(-1), _n(1)), _ODD),
    ("atan(tan({A}))", "{A} - pi", (_n(1), _n(3)), _ODD),
    ("acosh(cosh({A}))", "{A}", (_n(0), None), []),
    ("acosh(cosh({A}))", "-{A}", (None, _n(0)), []),
    ("acosh(cosh({A}))", "Abs({A})", (None, None), []),
    ("asinh(sinh({A}))", "{A}", (None, None), []),
    ("atanh(tanh({A}))", "{A}", (None, None), []),
    ("sin(asin({A}))", "{A}", (None, None), _OUTSIDE_1),
    ("cos(acos({A}))", "{A}", (None, None), _OUTSIDE_1),
    ("tan(atan({A}))", "{A}", (None, None), []),
    ("sinh(asinh({A}))", "{A}", (None, None), []),
    ("cosh(acosh({A}))", "{A}", (None, None), [("open", None, Num(F(1)))]),
    ("tanh(atanh({A}))", "{A}", (None, None), [*_OUTSIDE_1, ("point", Num(F(-1))), ("point", Num(F(1)))]),
]


def inverse_own(g: Grammar) -> tuple[Keys, bool | None]:
    """A composition against a branch's formula on a domain, by hand: with the composition on the left, true when
    the domain's points where it is defined lie in the formula's region; read from the right, also false where the
    composition is undefined in the domain."""
    composed, formula, region, undefined = g.rng.choice(INVERSE_OWN)
    c = g.rng.choice([F(1), F(1), F(2), F(1, 2)])
    arg = {F(1): "x", F(2): "2*x", F(1, 2): "x/2"}[c]
    left, right = composed.format(A=arg), formula.format(A=f"({arg})" if c != 1 else arg)
    keys: Keys = {}
    domain = _scaled(_domain(g, keys), c)
    at_undefined_point = domain[0] is not None and domain[0] == domain[1] and _meets(undefined, domain)
    within = at_undefined_point or _within(domain, region)
    if g.rng.random() < 0.5:
        keys["statement"] = f"{left} = {right}"
        return keys, within
    keys["statement"] = f"{right} = {left}"
    return keys, within and not _meets(undefined, domain)


#: (a function of x, its derivative wherever that exists, the set where the formula is defined and the derivative
#: is not, a wrong formula, a point where the derivative exists and differs from the wrong formula)
INVERSE_DERIVATIVES: list[tuple[str, str, list[Atom], str, str]] = [
    ("asin(sin(x))", "sign(cos(x))", _ODD, "1", "2"),
    ("acos(cos(x))", "sign(sin(x))", _EVEN, "1", "-1"),
    ("atan(tan(x))", "1", _ODD, "1/(1 + x^2)", "1"),
    ("acosh(cosh(x))", "sign(x)", [("point", Num(F(0)))], "1", "-1"),
    ("asinh(sinh(x))", "1", [], "cosh(x)", "1"),
    ("atanh(tanh(x))", "1", [], "1 - tanh(x)^2", "1"),
    ("atan(x)", "1/(1 + x^2)", [], "1/(1 - x^2)", "1/2"),
    ("asin(x)", "1/sqrt(1 - x^2)", [], "-1/sqrt(1 - x^2)", "0"),
    ("acos(x)", "-1/sqrt(1 - x^2)", [], "1/sqrt(1 - x^2)", "0"),
    ("asinh(x)", "1/sqrt(x^2 + 1)", [], "1/sqrt(x^2 - 1)", "2"),
    ("acosh(x)", "1/sqrt(x^2 - 1)", [("open", None, Num(F(-1)))], "1/sqrt(x^2 + 1)", "2"),
    ("atanh(x)", "1/(1 - x^2)", _OUTSIDE_1, "1/(1 + x^2)", "1/2"),
    ("sec(x)", "sec(x)*tan(x)", [], "sec(x)^2", "1"),
    ("csc(x)", "-csc(x)*cot(x)", [], "csc(x)*cot(x)", "1"),
    ("cot(x)", "-csc(x)^2", [], "-sec(x)^2", "1"),
    ("tan(x)", "1 + tan(x)^2", [], "sec(x)", "1"),
    ("1/tan(x)", "-csc(x)^2", _ODD, "-1/sin(x)", "1"),
    ("1/cot(x)", "sec(x)^2", _EVEN, "csc(x)^2", "1"),
    ("cos(x)/sin(x)", "-1/sin(x)^2", [], "-1/cos(x)^2", "1"),
    ("1/cos(x)", "sin(x)/cos(x)^2", [], "cos(x)/sin(x)^2", "1"),
]


def inverse_derivative(g: Grammar) -> tuple[Keys, bool | None]:
    """A derivative against its formula on a domain (derivative on the left: true; read from the right: false
    where the domain meets the set the formula is defined and the derivative is not), or a wrong formula at the
    point beside it."""
    function, formula, bad, wrong, point = g.rng.choice(INVERSE_DERIVATIVES)
    diff = f"diff({function}, x)"
    if g.rng.random() < 0.25:
        keys: Keys = {"statement": f"{diff} = {wrong}" if g.rng.random() < 0.5 else f"{wrong} = {diff}"}
        if g.rng.random() < 0.5:
            keys["where"] = {"x": point}
        return keys, False
    keys = {}
    domain = _domain(g, keys)
    if g.rng.random() < 0.5:
        keys["statement"] = f"{diff} = {formula}"
        return keys, True
    keys["statement"] = f"{formula} = {diff}"
    return keys, not _meets(bad, domain)


#: Ways of writing one function, each with the multiples k*pi/2 where it is undefined as written (``"none"``,
#: ``"even"``: k pi, ``"odd"``: pi/2 + k pi, ``"any"``); all are equal wherever both are defined.
RECIPROCAL: list[list[tuple[str, str]]] = [
    [("cot(x)", "even"), ("cos(x)/sin(x)", "even"), ("1/tan(x)", "any"), ("cos(x)*csc(x)", "even"),
     ("csc(x)/sec(x)", "any")],
    [("tan(x)", "odd"), ("sin(x)/cos(x)", "odd"), ("1/cot(x)", "any"), ("sin(x)*sec(x)", "odd"),
     ("sec(x)/csc(x)", "any")],
    [("sec(x)", "odd"), ("1/cos(x)", "odd"), ("tan(x)/sin(x)", "any"), ("csc(x)*tan(x)", "any")],
    [("csc(x)", "even"), ("1/sin(x)", "even"), ("cot(x)/cos(x)", "any"), ("sec(x)*cot(x)", "any")],
    [("1", "none"), ("tan(x)*cot(x)", "any"), ("sin(x)*csc(x)", "even"), ("cos(x)*sec(x)", "odd"),
     ("sec(x)^2 - tan(x)^2", "odd"), ("csc(x)^2 - cot(x)^2", "even")],
    [("sec(x)^2", "odd"), ("1 + tan(x)^2", "odd"), ("1/cos(x)^2", "odd"), ("1/(1 - sin(x)^2)", "odd")],
    [("csc(x)^2", "even"), ("1 + cot(x)^2", "even"), ("1/sin(x)^2", "even"), ("1/(1 - cos(x)^2)", "even")],
    [("sin(2*x)", "none"), ("2*sin(x)*cos(x)", "none"), ("2*tan(x)/(1 + tan(x)^2)", "odd"),
     ("2/(tan(x) + cot(x))", "any")],
]


def _undefined(parity: str) -> list[Atom]:
    return [] if parity == "none" else [("lattice", parity)]


def reciprocal_trig(g: Grammar) -> tuple[Keys, bool | None]:
    """Two ways of writing one function on a domain: false exactly where the domain has a multiple of pi/2 at which
    the right side is undefined and the left side is not (the two parities of k checked one by one)."""
    left, right = g.rng.sample(g.rng.choice(RECIPROCAL), 2)
    keys: Keys = {"statement": f"{left[0]} = {right[0]}"}
    domain = _domain(g, keys)
    for parity in ("even", "odd"):
        if _meets([("lattice", parity)], domain) and _meets(_undefined(right[1]), _at(parity)) \
                and not _meets(_undefined(left[1]), _at(parity)):
            return keys, False
    return keys, True


def _at(parity: str) -> Range:
    """A multiple of pi/2 of that parity (0 or pi/2), as a domain of one point."""
    v = Num(F(0), F(0 if parity == "even" else 1))
    return v, v


TRIG: dict[str, Callable[[Grammar], tuple[Keys, bool | None]]] = {
    "inverse-own": inverse_own, "inverse-derivative": inverse_derivative, "reciprocal-trig": reciprocal_trig,
}

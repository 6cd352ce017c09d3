"""Templates for corners an outside red team found and the first grammar lacked, each truth worked out by hand.

- ``family-gradient``: a sum over a family, differentiated by one entry ``w[k]`` (the index form of L1, ReLU, Huber
  and hinge gradients), and a sum over examples differentiated by a scalar. The derivative of a kink inside the sum
  is undefined exactly where the scalar's is (spec 2a), and a relation is claimed where its left side is defined: so
  ``sign(w[k]) = diff(Sum(Abs(w[j]), ...), w[k])`` is false (at w[k] = 0 the left side is 0, the right undefined),
  and the same with its sides swapped holds (claimed only where the derivative exists).
- ``integer-powers``: powers of powers with integer exponents of any sign, where ``0^(-1)`` is undefined as written
  and ``0^0 = 1``.
- ``point-kink``: a derivative at one point, where the formula has a kink or a jump the function may not have
  (``floor(x^2)`` at 0 is differentiable, ``relu(x)`` at 0 is not), the value found by hand from the difference
  quotient.
- the inverse and reciprocal trigonometric and hyperbolic functions of :mod:`fuzz.trig`.

A claim without an ``assume`` may also get a hypothesis over all indices that its declarations already imply
(:data:`IMPLIED`): its truth is unchanged, and the cross-check must still look at it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from fuzz.trig import TRIG

if TYPE_CHECKING:
    from fuzz.grammar import Grammar

Keys = dict[str, object]

#: Hypotheses over all indices that the shared declarations imply (``u`` is 0 or 1 inside its range and 0 outside;
#: ``v`` is positive inside and 0 outside), so adding one to a claim never changes its truth.
IMPLIED = ["u[j]^2 = u[j]", "v[j] >= 0", "u[j] <= 1"]

_S = "Sum({f}, (j, 1, m))"

# (the summand of w[j], a formula equal to its derivative wherever that exists, written with the entry w[k],
#  whether the summand has a point where it is not differentiable, a wrong formula for the derivative)
_FAMILY: list[tuple[str, str, bool, str]] = [
    ("w[j]^2", "2*w[k]", False, "w[k]"),
    ("sigma(w[j])", "sigma(w[k])*(1 - sigma(w[k]))", False, "sigma(w[k])"),
    ("exp(w[j]/2)", "exp(w[k]/2)/2", False, "exp(w[k]/2)"),
    ("Abs(w[j])", "sign(w[k])", True, "1"),
    ("relu(w[j])", "step(w[k])", True, "1"),
    ("w[j]^2/2 + Abs(w[j])", "w[k] + sign(w[k])", True, "w[k] + 1"),
    ("sqrt(w[j]^2)", "sign(w[k])", True, "Abs(w[k])"),
    ("Max(w[j], 0)", "step(w[k])", True, "0"),
    ("huber(w[j])", "Piecewise((w[k], Abs(w[k]) <= 1), (sign(w[k]), True))", False,
     "Piecewise((w[k], Abs(w[k]) <= 1), (1, True))"),
    ("sqhinge(w[j])", "-2*Max(0, 1 - w[k])", False, "-2*Max(0, 1 - w[k])^2"),
    ("Abs(w[j])^3", "3*w[k]*Abs(w[k])", False, "3*w[k]^2"),
]


def family_gradient(g: Grammar) -> tuple[Keys, bool | None]:
    """A gradient in index form, by hand: where the summand is differentiable both sides agree everywhere; where it
    has a kink at 0, the derivative is undefined there, so the formula on the left is false at w[k] = 0 (its value
    is defined) and on the right holds (claimed only where the derivative exists). Each wrong formula differs from
    the derivative at w[k] = 1 or w[k] = -1 (squares: 1 vs 2; sigma: sigma vs sigma'; Abs: 1 vs -1 at -1; relu and
    Max: 1 vs 0 at -1, 0 vs 1 at 1; w^2/2 + Abs: 0 vs -2 at -1; sqrt(w^2): 2 vs 1 at 2; Huber: 1 vs -1 at -2;
    squared hinge: -8 vs -4 at -1; |w|^3: 3 vs -3 at -1)."""
    rng = g.rng
    form = rng.random()
    if form < 0.15:
        return _family_other(g)
    summand, right, kinked, wrong = rng.choice(_FAMILY)
    diff = f"diff({_S.format(f=summand)}, w[k])"
    if form < 0.3:
        target = rng.choice(["0", "1", "-1"])
        witness = _witness(summand, target)
        return {"exists": f"{diff} = {target}"}, witness
    if form < 0.45:
        pin = rng.choice(["0", "1", "-2"])
        keys: Keys = {"statement": f"{right} = {diff}", "assume": [f"w[k] = {pin}"]}
        return keys, not (kinked and pin == "0")
    if form < 0.6:
        return {"statement": f"{diff} = {wrong}"}, False
    if rng.random() < 0.5:
        return {"statement": f"{right} = {diff}"}, not kinked
    return {"statement": f"{diff} = {right}"}, True


def _witness(summand: str, target: str) -> bool:
    """Whether the derivative of the summand at w[k] takes the value ``target`` (0, 1 or -1) somewhere, by hand."""
    values = {
        "w[j]^2": {"0", "1", "-1"},                      # 2w: every real
        "sigma(w[j])": set(),                            # sigma' is in (0, 1/4]
        "exp(w[j]/2)": {"1"},                            # exp(w/2)/2 = 1 at w = 2 log 2; never <= 0
        "Abs(w[j])": {"1", "-1"},                        # +-1 away from 0, none at 0
        "relu(w[j])": {"0", "1"},                        # 0 for w < 0, 1 for w > 0
        "w[j]^2/2 + Abs(w[j])": set(),                   # w + sign(w): (1, oo) for w > 0, (-oo, -1) for w < 0
        "sqrt(w[j]^2)": {"1", "-1"},
        "Max(w[j], 0)": {"0", "1"},
        "huber(w[j])": {"0", "1", "-1"},                 # w on [-1, 1]
        "sqhinge(w[j])": {"0", "-1"},                    # -2 max(0, 1 - w): 0 for w >= 1, -1 at w = 1/2
        "Abs(w[j])^3": {"0", "1", "-1"},                 # 3w|w|: every real
    }[summand]
    return target in values


def _family_other(g: Grammar) -> tuple[Keys, bool | None]:
    """An Abs of a sum, a sum that does not reach w[k], and sums over examples differentiated by a scalar."""
    total = "Sum(w[j], (j, 1, m))"
    options: list[tuple[Keys, bool | None]] = [
        # |S| as a function of w[k] has slope sign(S), and a kink where S = 0 (S moves with w[k] at slope 1)
        ({"statement": f"diff(Abs({total}), w[k]) = sign({total})"}, True),
        ({"statement": f"sign({total}) = diff(Abs({total}), w[k])"}, False),
        # w[k] does not occur when j stops at k - 1
        ({"statement": "diff(Sum(Abs(w[j]), (j, 1, k - 1)), w[k]) = 0"}, True),
        ({"statement": "0 = diff(Sum(relu(w[j]), (j, 1, k - 1)), w[k])"}, True),
        # |x - j| has no derivative at x = j: the sum of signs is right where the left side is defined, and at
        # x = 1 (j = 1 is always in the range, m >= 1) the sum of signs is defined and the derivative not
        ({"statement": "diff(Sum(Abs(x - j), (j, 1, m)), x) = Sum(sign(x - j), (j, 1, m))"}, True),
        ({"statement": "Sum(sign(x - j), (j, 1, m)) = diff(Sum(Abs(x - j), (j, 1, m)), x)"}, False),
        # max(0, 1 - j x) has slope -j where 1 - j x > 0, 0 where < 0, none at x = 1/j (x = 1 for j = 1)
        ({"statement": "diff(Sum(Max(0, 1 - j*x), (j, 1, m)), x) = "
                       "Sum(Piecewise((-j, 1 - j*x > 0), (0, True)), (j, 1, m))"}, True),
        ({"statement": "Sum(Piecewise((-j, 1 - j*x > 0), (0, True)), (j, 1, m)) = "
                       "diff(Sum(Max(0, 1 - j*x), (j, 1, m)), x)"}, False),
        # floor(x + j) jumps at integers x; elsewhere its slope is 0
        ({"statement": "diff(Sum(floor(x + j), (j, 1, m)), x) = 0"}, True),
        ({"statement": "0 = diff(Sum(floor(x + j), (j, 1, m)), x)"}, False),
    ]
    return g.rng.choice(options)


def integer_powers(g: Grammar) -> tuple[Keys, bool | None]:
    """Powers of powers with integer exponents g, h of any sign, by hand. Where x != 0 every pair of sides agrees;
    at x = 0 a negative power of 0 is undefined and 0^0 = 1, so a side is false exactly when its left side is
    defined at some x = 0, g, h where its right side is not (the point in each comment)."""
    options: list[tuple[Keys, bool | None]] = [
        ({"statement": "(x^g)^h = x^(g*h)"}, True),      # left defined at 0: g >= 0, and h >= 0 unless g = 0
        ({"statement": "x^(g*h) = (x^g)^h"}, False),     # g = h = -1: 0^1 = 0, (0^-1)^-1 undefined
        ({"statement": "(x^g)^h = (x^h)^g"}, False),     # g = 0, h = -1: (0^0)^-1 = 1, (0^-1)^0 undefined
        ({"statement": "(p^g)^h = (p^h)^g"}, True),      # p > 0
        ({"statement": "x^g*x^h = x^(g + h)"}, True),     # left defined at 0: g, h >= 0
        ({"statement": "x^(g + h) = x^g*x^h"}, False),   # g = 1, h = -1: 0^0 = 1, 0^1*0^-1 undefined
        ({"statement": "x^g/x^g = 1"}, True),             # at 0 the left side is 0/0 or undefined unless g = 0
        ({"statement": "1 = x^g/x^g"}, False),            # x = 0, g = 1
        ({"statement": "(x^2)^g = (x^g)^2"}, True),       # both undefined at 0 exactly when g < 0
        ({"statement": "(x^g)^2 = (x^2)^g"}, True),
        ({"statement": "sqrt(x^(2*g)) = Abs(x)^g"}, True),
        ({"statement": "x = (x^g)^h", "assume": ["g*h = 1"]}, False),   # g = h = -1 at x = 0
        ({"statement": "(x^g)^h = x", "assume": ["g*h = 1"]}, True),
    ]
    return g.rng.choice(options)


# (the function of x, a point, its derivative there by the difference quotient, or None where it has none)
_POINT_KINKS: list[tuple[str, str, str | None]] = [
    ("floor(x^2)", "0", "0"), ("floor(Abs(x))", "0", "0"), ("ceiling(-x^2)", "0", "0"), ("relu(x^2)", "0", "0"),
    ("Abs(x)*sin(x)", "0", "0"), ("Abs(x)^3", "0", "0"), ("sqrt(x^4 + x^6)", "0", "0"),
    ("Abs(cos(x))^3", "pi/2", "0"), ("Max(x^3, 0)", "0", "0"), ("Max(x, 0) + Min(x, 0)", "0", "1"),
    ("relu(x) - relu(-x)", "0", "1"), ("x*Abs(x)", "0", "0"), ("Abs(x^3)", "0", "0"), ("floor(x)", "1/2", "0"),
    ("huber(x)", "1", "1"), ("huber(x)", "-1", "-1"), ("huber(x)", "0", "0"), ("sqhinge(x)", "1", "0"),
    ("Piecewise((1, x >= 0), (1, True))", "0", "0"), ("Piecewise((x^2, x > 0), (0, True))", "0", "0"),
    ("relu(x)", "0", None), ("Abs(sin(x))", "0", None), ("floor(x)", "0", None), ("step(x)", "0", None),
    ("lrelu(x)", "0", None), ("sign(x)^2", "0", None), ("sign(x)*x", "0", None), ("Abs(x)", "0", None),
]


def point_kink(g: Grammar) -> tuple[Keys, bool | None]:
    """A first derivative at a point, by hand: a relation is claimed where its left side is defined, so with the
    derivative on the left it holds where there is none, and with a value on the left it is false there."""
    rng = g.rng
    function, point, slope = rng.choice(_POINT_KINKS)
    value = slope if slope is not None and rng.random() < 0.6 else rng.choice(["2", "-1/2"])
    diff = f"diff({function}, x)"
    right = slope == value
    if rng.random() < 0.2:
        return {"exists": f"{diff} = {value}", "assume": [f"x = {point}"]}, right
    on_left = rng.random() < 0.5
    keys: Keys = {"statement": f"{diff} = {value}" if on_left else f"{value} = {diff}"}
    if rng.random() < 0.5:
        keys["where"] = {"x": point}
    else:
        keys["assume"] = [f"x = {point}"]
    return keys, right or (on_left and slope is None)


CORNERS: dict[str, Callable[[Grammar], tuple[Keys, bool | None]]] = {
    "family-gradient": family_gradient, "integer-powers": integer_powers, "point-kink": point_kink, **TRIG,
}

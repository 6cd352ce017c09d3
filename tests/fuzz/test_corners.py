"""The corner templates' truths, established with mpmath (one-sided difference quotients at 50 digits), apart from
the verifier."""

from __future__ import annotations

import random
from collections.abc import Iterator

import mpmath
import pytest

from fuzz.corners import _FAMILY, _POINT_KINKS, CORNERS
from fuzz.grammar import Grammar

_F = {
    "sign": lambda t: mpmath.sign(t), "Abs": abs, "sqrt": mpmath.sqrt, "exp": mpmath.exp, "sin": mpmath.sin,
    "cos": mpmath.cos, "floor": mpmath.floor, "ceiling": mpmath.ceil, "pi": mpmath.pi,
    "sigma": lambda t: 1 / (1 + mpmath.exp(-t)), "relu": lambda t: t if t > 0 else mpmath.mpf(0),
    "lrelu": lambda t: t if t >= 0 else t / 10, "step": lambda t: mpmath.mpf(1 if t >= 0 else 0),
    "huber": lambda t: t ** 2 / 2 if abs(t) <= 1 else abs(t) - mpmath.mpf(1) / 2,
    "sqhinge": lambda t: max(mpmath.mpf(0), 1 - t) ** 2, "Max": max, "Min": min,
    "Piecewise": lambda *branches: next(v for v, c in branches if c), "True": True,
}


def _value(text: str, **names: mpmath.mpf) -> mpmath.mpf:
    """A formula of the corner tables at a point, by mpmath (the tables use Python's operators but for ``^``)."""
    source = text.replace("^", "**").replace("w[j]", "w").replace("w[k]", "w")
    # Only the fixed strings of the tables above reach eval, never a file: the formulas stay readable as written.
    return eval(source, {"__builtins__": {}}, {**_F, **names})


def _slopes(text: str, **at: mpmath.mpf) -> tuple[mpmath.mpf, mpmath.mpf]:
    """The one-sided difference quotients of ``text`` in its one name, at a step of 10^-20."""
    (name, x0), = at.items()
    h = mpmath.mpf(10) ** -20
    f0 = _value(text, **{name: x0})
    return (f0 - _value(text, **{name: x0 - h})) / h, (_value(text, **{name: x0 + h}) - f0) / h


@pytest.fixture(autouse=True)
def _fifty_digits() -> Iterator[None]:
    """Every quotient at 50 digits, whatever precision another module left behind."""
    with mpmath.workdps(50):
        yield


@pytest.mark.parametrize(("summand", "right", "kinked", "wrong"), _FAMILY)
def test_family_rows(summand: str, right: str, kinked: bool, wrong: str) -> None:
    for w in (-2, -1, mpmath.mpf(-1) / 3, mpmath.mpf(1) / 2, 1, 2):
        left, right_slope = _slopes(summand, w=mpmath.mpf(w))
        assert abs(left - right_slope) < 1e-15 and abs(left - _value(right, w=mpmath.mpf(w))) < 1e-15
    at_zero = _slopes(summand, w=mpmath.mpf(0))
    assert (abs(at_zero[0] - at_zero[1]) > 1e-3) == kinked
    assert any(abs(_slopes(summand, w=mpmath.mpf(w))[1] - _value(wrong, w=mpmath.mpf(w))) > 1e-3
               for w in (-2, -1, 1, 2))


@pytest.mark.parametrize(("function", "point", "slope"), _POINT_KINKS)
def test_point_kink_rows(function: str, point: str, slope: str | None) -> None:
    x0 = _value(point)
    left, right = _slopes(function, x=x0)
    if slope is None:
        # no derivative: the slopes differ, or the function jumps (a quotient of size 10^20)
        assert abs(left - right) > 1e-3 or max(abs(left), abs(right)) > 1e10
    else:
        assert abs(left - mpmath.mpf(_value(slope))) < 1e-15 and abs(right - mpmath.mpf(_value(slope))) < 1e-15


@pytest.mark.parametrize("template", sorted(CORNERS))
def test_corner_templates_give_claims_with_their_truth(template: str) -> None:
    grammar = Grammar(random.Random(7))
    made = [CORNERS[template](grammar) for _ in range(40)]
    assert {truth for _, truth in made} == {True, False}   # each template draws true and false claims
    assert all(("statement" in keys) != ("exists" in keys) for keys, _ in made)

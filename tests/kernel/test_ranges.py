"""The ranges of the bounded functions, checked with mpmath at 50 digits at points spread over the reals (and over
[-1, 1] for asin and acos, [1, oo) for acosh, where they are defined), apart from the verifier."""

from __future__ import annotations

import mpmath
import pytest
import sympy as sp

from verifier.kernel.ranges import RANGES, range_of

_MP = {sp.sin: mpmath.sin, sp.cos: mpmath.cos, sp.tanh: mpmath.tanh, sp.atan: mpmath.atan, sp.asin: mpmath.asin,
       sp.acos: mpmath.acos, sp.acosh: mpmath.acosh}
#: Where each is looked at: its domain, and for tanh only where 50 digits tell it from +-1 (1 - tanh(40) = 2e-35).
_DOMAIN = {sp.asin: (-1, 1), sp.acos: (-1, 1), sp.acosh: (1, 10 ** 6), sp.tanh: (-40, 40)}


@pytest.mark.parametrize("fn", list(RANGES), ids=lambda f: f.__name__)
def test_every_value_lies_in_the_range(fn: type) -> None:
    lo, hi, lo_open, hi_open = RANGES[fn]
    a, b = _DOMAIN.get(fn, (-10 ** 6, 10 ** 6))
    with mpmath.workdps(50):
        ends = [None if e is None else mpmath.mpf(sp.N(e, 60)) for e in (lo, hi)]
        for k in range(401):
            t = mpmath.mpf(a) + (mpmath.mpf(b) - a) * k / 400
            for u in (t, t / 10 ** 4):        # spread out, and crowded near 0
                if not a <= u <= b:
                    continue
                v = _MP[fn](u)
                assert ends[0] is None or (v > ends[0] if lo_open else v >= ends[0]), (fn, u)
                assert ends[1] is None or (v < ends[1] if hi_open else v <= ends[1]), (fn, u)


def test_only_for_a_real_argument() -> None:
    x = sp.Symbol("x", real=True)
    w = sp.Symbol("w")
    assert range_of(sp.atan(x)) == RANGES[sp.atan]
    assert range_of(sp.atan(w)) is None            # a complex argument: no range
    assert range_of(sp.tan(x)) is None and range_of(sp.exp(x)) is None

"""Tests of verifier.frontend.definedness: the frames that conditions are recorded into while building, and that
every builder of one scope records into the same frames (a definition's value, cached in the scope, may be read by
another builder than the one that built it)."""

from __future__ import annotations

import sympy as sp

from verifier.frontend import parser as P
from verifier.frontend.builder import Builder
from verifier.frontend.declarations import declare
from verifier.frontend.definedness import NOWHERE, Frames
from verifier.frontend.scope import Definition, Scope

X = sp.Symbol("x", real=True)
HALF = sp.Rational(1, 2)


def test_a_condition_goes_to_the_innermost_frame_only_and_once() -> None:
    frames = Frames()
    frames.record(sp.Ne(X, 0))       # no frame open: it goes nowhere
    with frames.recording() as outer:
        frames.record(sp.Gt(X, 0))
        with frames.recording() as inner:
            frames.record(sp.Ne(X, 1))
            frames.record(sp.Ne(X, 1))
        assert frames.open
    assert not frames.open
    assert outer == [sp.Gt(X, 0)]
    assert inner == [sp.Ne(X, 1)]


def test_nothing_is_recorded_without_a_frame() -> None:
    frames = Frames()
    frames.record(sp.Ne(X, 0))
    with frames.recording() as frame:
        pass
    assert frame == []


def test_the_builders_of_one_scope_share_its_frames() -> None:
    # A lazily built vector cached by the first builder (the definition v = log(g), g a family) records what reading
    # its entry needs (g[1] > 0, since log needs a positive argument) into the frames of the second builder.
    scope = Scope()
    scope.symbols["m"] = declare("m", "integer positive", scope)
    scope.symbols["g"] = declare("g", "indexed real 1..m", scope)
    scope.definitions["v"] = Definition("v", None, P.parse_expression("log(g)"), "log(g)")
    first, second = Builder(scope), Builder(scope)
    assert first.frames is second.frames is scope.frames
    first.expression("v")
    with second.frames.recording() as needs:
        second.expression("v[1]")
    g1 = scope.symbols["g"].symbol[1]
    assert sp.Gt(g1, 0, evaluate=False) in needs


def test_a_condition_on_numbers_alone_is_decided_when_recorded() -> None:
    # log(-1/2) needs -1/2 > 0, false; log(2) needs 2 > 0, true; sqrt(pi - 3) needs pi - 3 >= 0, true (pi > 3.14).
    # SymPy could not rebuild a Piecewise holding -1/2 > 0 unevaluated (the fuzzer's f20261207.5822: an error).
    frames = Frames()
    with frames.recording() as needs:
        frames.record(sp.Gt(-HALF, 0, evaluate=False))
        frames.record(sp.Gt(sp.Integer(2), 0, evaluate=False))
        frames.record(sp.Ge(sp.pi - 3, 0, evaluate=False))
        frames.record(sp.Gt(X, HALF, evaluate=False))
    assert needs == [NOWHERE, sp.Gt(X, HALF)]
    # What was recorded can be rebuilt, as every substitution does (-1/2 > 0 itself made SymPy 1.14 fail there).
    sp.Piecewise((X, sp.And(*needs)), evaluate=False).xreplace({X: 2 * X})

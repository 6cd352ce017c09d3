"""Tests of verifier.display.plot: the line through a counterexample along which both sides are plotted, the points
sampled on it (drawn by verifier.outputs.plot), and decimal approximations of exact values."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
import sympy as sp

from verifier.display import plot
from verifier.outputs import plot as outputs_plot


def test_exact_values_get_approximations() -> None:
    # 16/81 = 0.19753086419..., log(2) = 0.69314718055994... (by hand / mpmath).
    assert plot.approximate("16/81") == "0.1975308642"
    assert plot.approximate("-log(2)") == "-0.6931471806"
    assert plot.approximate("3") is None                    # already exact as a decimal
    assert plot.approximate("__import__('os')") is None     # not the expression language: never evaluated


def _problem(lhs: sp.Expr, rhs: sp.Expr) -> SimpleNamespace:
    return SimpleNamespace(cases=[SimpleNamespace(values={}, relations=[(lhs, "=", rhs)])])


def test_the_plot_line_goes_through_the_counterexample() -> None:
    x = sp.Symbol("x", real=True)
    line = plot.line_through(_problem((x + 1) ** 2, x ** 2 + 1), {"x": "1"})
    assert line is not None
    # At x = 1: (1 + 1)^2 = 4 and 1^2 + 1 = 2.
    assert line.center == 1.0 and line.at == (4.0, 2.0) and line.label == "x"


def test_with_several_variables_the_line_moves_one_that_changes_a_side() -> None:
    # u - v = u + v at u = 0, v = 1: -1 against 1. Moving u changes both sides; the axis is u.
    u, v = sp.symbols("u v", real=True)
    line = plot.line_through(_problem(u - v, u + v), {"u": "0", "v": "1"})
    assert line is not None and line.label == "u" and line.at == (-1.0, 1.0)


def test_the_curve_stays_inside_the_declared_domain() -> None:
    # x declared positive, refuted at x = 1 (sqrt(x^2) = -x: 1 against -1). The plot spans [-1, 3]; the points with
    # x <= 0 are outside what the claim is about and have no curve (NaN), the others have both sides.
    x = sp.Symbol("x", positive=True)
    line = plot.line_through(_problem(sp.sqrt(x ** 2), -x), {"x": "1"})
    assert line is not None
    points = plot.sample(line)
    assert points is not None
    for at, left, right in zip(points.xs, points.lhs, points.rhs, strict=True):
        if at <= 0:
            assert left != left and right != right           # NaN
        else:
            assert left == pytest.approx(at) and right == pytest.approx(-at)
    # The range itself is cut where x's sign ends: from 0 to 3, not from -1.
    assert min(points.xs) == 0.0 and max(points.xs) == pytest.approx(3.0)
    # u + w = u - w at u = 2, w = 1 (3 against 1): the axis is u, its value t itself, declared nonnegative; w's sign
    # is not declared and sets no limit.
    u, w = sp.Symbol("u", nonnegative=True), sp.Symbol("w", real=True)
    along_u = plot.line_through(_problem(u + w, u - w), {"u": "2", "w": "1"})
    assert along_u is not None and along_u.label == "u" and along_u.signs == ((0.0, "nonnegative"),)


def test_the_curve_stays_where_the_hypotheses_hold() -> None:
    # x real under the hypothesis x > 1 (an assume), refuted at x = 3 (x = 2: 3 against 2). Points with x <= 1 are
    # outside what the claim is about: no curve there; the others have both sides (x and 2).
    x = sp.Symbol("x", real=True)
    problem = SimpleNamespace(cases=[SimpleNamespace(values={}, relations=[(x, "=", sp.Integer(2))],
                                                     hypotheses=[x > 1])])
    line = plot.line_through(problem, {"x": "3"})
    assert line is not None
    points = plot.sample(line)
    assert points is not None and min(points.xs) < 1 < max(points.xs)
    for at, left, right in zip(points.xs, points.lhs, points.rhs, strict=True):
        if at <= 1:
            assert left != left and right != right           # NaN
        else:
            assert left == pytest.approx(at) and right == 2.0


def test_no_plot_without_a_real_variable_or_with_one_left_unset() -> None:
    x, y = sp.symbols("x y", real=True)
    assert plot.line_through(_problem(sp.Integer(2), sp.Integer(3)), {}) is None
    assert plot.line_through(_problem(x + y, x), {"x": "1"}) is None      # y is not fixed by the counterexample


def test_svg_is_inline_and_marks_the_counterexample() -> None:
    pytest.importorskip("matplotlib")
    x = sp.Symbol("x", real=True)
    line = plot.line_through(_problem((x + 1) ** 2, x ** 2 + 1), {"x": "1"})
    assert line is not None
    sampled = plot.sample(line)
    assert sampled is not None
    svg = outputs_plot.svg(sampled)
    assert svg is not None and svg.startswith("<svg") and svg.rstrip().endswith("</svg>")
    assert "<?xml" not in svg and "<!DOCTYPE" not in svg

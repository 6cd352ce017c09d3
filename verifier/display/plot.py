"""Plots of refuted steps: both sides along a line through the counterexample, sampled for the HTML report.

For a refuted relation with real variables, :func:`line_through` fixes the integer names (sizes, indices) at the
counterexample, writes sums out, and lets the real variables move: one variable along its own axis, several together
along the diagonal ``v = v0 + t``. :func:`sample` evaluates both sides at :data:`SAMPLES` points of it into a
:class:`~verifier.model.Plot`, which the report draws (:mod:`verifier.outputs.plot`). Values are SymPy's numeric
evaluation of the built expressions at each point; nothing here runs code from a derivation file or decides a
verdict. :func:`approximate` gives the decimal approximation of an exact value the report shows.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sympy as sp

from verifier.errors import VerifierError
from verifier.frontend.builder import Builder
from verifier.frontend.scope import Scope
from verifier.model import Plot

#: Points along the line.
SAMPLES = 161


@dataclass
class Line:
    """Both sides of a relation as functions of one real parameter ``t``, and where the counterexample lies."""

    lhs: sp.Expr
    rhs: sp.Expr
    op: str
    t: sp.Symbol
    label: str          # the x axis: a variable's name, or a description of the diagonal
    center: float       # the counterexample's position on the line
    half_width: float
    at: tuple[float, float]     # both sides at the counterexample, evaluated from its exact values
    signs: tuple[tuple[float, str], ...] = ()   # each moving variable's value at t is offset + t; its declared sign
    hypotheses: tuple[sp.Basic, ...] = ()       # the case's hypotheses along the line, in t


def approximate(text: str, digits: int = 10) -> str | None:
    """A decimal approximation of an exact value written as the report writes it (``-1/2``, ``-2 - 2*log(2)``),
    read with the project's own parser; ``None`` when it is not a number or cannot be read."""
    value = _number(text)
    if value is None:
        return None
    try:
        approx = sp.N(value, digits)
        if approx.is_real:
            shown = f"{float(approx):.{digits}g}"
        else:
            shown = str(approx).replace("*I", "i")
    except (TypeError, ValueError, ArithmeticError):
        return None
    return None if shown == text.strip() else shown


def _number(text: str) -> sp.Expr | None:
    try:
        value = Builder(Scope()).expression(text)
    except (VerifierError, RecursionError):
        return None
    return value if isinstance(value, sp.Expr) and value.is_number else None


def line_through(problem: Any, counterexample: dict[str, str]) -> Line | None:
    """The first relation of ``problem`` (a built :class:`~verifier.frontend.problem.Problem`) whose sides differ at
    the counterexample, as a :class:`Line` through it; ``None`` when the relation has no real variable, a value
    cannot be read, or a variable is not fixed by the counterexample."""
    cases = getattr(problem, "cases", None)
    if not cases:
        return None
    values: dict[str, sp.Expr] = {}
    for name, text in counterexample.items():
        value = _number(text)
        if value is None:
            return None
        values[name] = value
    case = next((c for c in cases if all(values.get(str(s)) == v for s, v in c.values.items())), None)
    if case is None:
        return None
    for lhs, op, rhs in case.relations:
        line = _line(lhs, op, rhs, values, tuple(getattr(case, "hypotheses", ())))
        if line is not None:
            return line
    return None


def _line(lhs: sp.Expr, op: str, rhs: sp.Expr, values: dict[str, sp.Expr],
          hypotheses: tuple[sp.Basic, ...] = ()) -> Line | None:
    try:
        named = set().union(lhs.free_symbols, rhs.free_symbols, *(h.free_symbols for h in hypotheses))
        integers = {s: values[str(s)] for s in named
                    if isinstance(s, sp.Symbol) and s.is_integer and str(s) in values}
        sides = [side.xreplace(integers).doit() for side in (lhs, rhs)]
        conditions = tuple(h.xreplace(integers) for h in hypotheses)
    except Exception:  # SymPy failing to write out a sum: no plot
        return None
    free = set().union(*(side.free_symbols for side in sides))
    free -= {s.base.label for s in free if isinstance(s, sp.Indexed)}  # a family's name is not a variable
    variables = sorted((s for s in free if isinstance(s, (sp.Symbol, sp.Indexed)) and not s.is_integer), key=str)
    unset = [s for s in variables if str(s) not in values]
    # An IndexedBase or an index counts as free too; only the entries themselves and real scalars must be set.
    if not variables or unset or any(isinstance(s, sp.Symbol) and s.is_integer for s in free):
        return None
    # At the counterexample itself the exact values: a side may differ only there (a condition x = value).
    exact = {v: values[str(v)] for v in variables}
    at = (_at(sides[0].xreplace(exact), None, 0.0), _at(sides[1].xreplace(exact), None, 0.0))
    if any(math.isnan(a) for a in at) or math.isclose(at[0], at[1], rel_tol=1e-12, abs_tol=1e-12):
        return None
    t = sp.Dummy("t", real=True)
    lines = [_along(sides, op, t, exact, at, [v], conditions) for v in variables]
    if len(variables) > 1:
        lines.append(_along(sides, op, t, exact, at, variables, conditions))
    # The first line along which a side changes; else the last (the diagonal, or the one variable).
    return next((line for line in lines if line is not None and _varies(line)), lines[-1])


def _along(sides: list[sp.Expr], op: str, t: sp.Symbol, exact: dict[Any, sp.Expr], at: tuple[float, float],
           moving: list[Any], hypotheses: tuple[sp.Basic, ...] = ()) -> Line | None:
    """Both sides with the variables of ``moving`` moved by ``t`` from the counterexample, the others fixed there
    (one variable: its own value on the axis)."""
    if len(moving) == 1:
        (v,) = moving
        move = {**exact, v: t}
        center, label = float(exact[v]), str(v)
    else:
        move = {v: exact[v] + t for v in moving}
        center = 0.0
        label = f"t  ({', '.join(str(v) for v in moving)} each moved by t from the counterexample)"
    try:
        left, right = (side.xreplace(move) for side in sides)
        conditions = tuple(c for h in hypotheses if (c := h.xreplace(move)) is not sp.true)
    except Exception:  # SymPy refusing a substitution: no plot along this line
        return None
    offset = (lambda v: 0.0) if len(moving) == 1 else (lambda v: float(exact[v]))
    signs = tuple((offset(v), sign) for v in moving if (sign := _sign(v)))
    return Line(left, right, op, t, label, center, max(2.0, abs(center)), at, signs, conditions)


def _sign(v: Any) -> str:
    """The sign a variable is declared with (``positive`` ...), or ``""``: outside it the plot has no curve."""
    return next((name for name in ("positive", "negative", "nonnegative", "nonpositive")
                 if getattr(v, f"is_{name}", None) is True), "")


def _declared(line: Line, x: float) -> bool:
    """Whether every moving variable keeps its declared sign at ``t = x``, and no hypothesis of the case is false
    there (one that cannot be decided at a point, naming what the line does not fix, sets no limit)."""
    tests = {"positive": lambda a: a > 0, "negative": lambda a: a < 0, "nonnegative": lambda a: a >= 0,
             "nonpositive": lambda a: a <= 0}
    if not all(tests[sign](offset + x) for offset, sign in line.signs):
        return False
    for hypothesis in line.hypotheses:
        try:
            if hypothesis.xreplace({line.t: sp.Float(x, 20)}) is sp.false:
                return False
        except Exception:  # a hypothesis SymPy cannot put a point in: no limit from it
            continue
    return True


def _span(line: Line) -> tuple[float, float]:
    """The plotted range around the counterexample, cut where a moving variable's declared sign ends."""
    lo, hi = line.center - line.half_width, line.center + line.half_width
    for offset, sign in line.signs:
        edge = -offset      # the variable is 0 at t = -offset
        if sign in ("positive", "nonnegative"):
            lo = max(lo, edge)
        else:
            hi = min(hi, edge)
    return (lo, hi) if lo < hi else (line.center - line.half_width, line.center + line.half_width)


def _varies(line: Line) -> bool:
    """Whether a side takes another value half-way to either end of the plotted range."""
    for x in (line.center - line.half_width / 2, line.center + line.half_width / 2):
        for side, value in ((line.lhs, line.at[0]), (line.rhs, line.at[1])):
            other = _at(side, line.t, x)
            if not math.isnan(other) and not math.isclose(other, value, rel_tol=1e-9, abs_tol=1e-9):
                return True
    return False


def _at(expr: sp.Expr, t: sp.Symbol | None, x: float) -> float:
    """The real value of ``expr`` at ``t = x`` (or of ``expr`` itself for no ``t``), or NaN when it is not a finite
    real number."""
    try:
        value = sp.N(expr if t is None else expr.xreplace({t: sp.Float(x, 20)}), 15)
        if value.is_real and value.is_finite:
            return float(value)
    except Exception:  # a point where SymPy cannot evaluate: a gap in the curve
        pass
    return math.nan


def sample(line: Line, *, expired: Callable[[], bool] = lambda: False) -> Plot | None:
    """Both sides at :data:`SAMPLES` points of ``line`` around the counterexample, inside the declared signs of its
    variables (NaN where a variable leaves its declared sign or a hypothesis fails); ``None`` when time runs
    out."""
    lo, hi = _span(line)
    xs = [lo + (hi - lo) * n / (SAMPLES - 1) for n in range(SAMPLES)]
    ls, rs = [], []
    for x in xs:
        if expired():
            return None
        inside = _declared(line, x)     # outside the declared domain the sides are not the claim's: no curve
        ls.append(_at(line.lhs, line.t, x) if inside else math.nan)
        rs.append(_at(line.rhs, line.t, x) if inside else math.nan)
    return Plot(line.label, line.center, line.at, xs, ls, rs)

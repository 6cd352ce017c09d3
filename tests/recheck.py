"""Re-checking a reported counterexample without the trusted checker: plain SymPy substitution, ``doit`` and
high-precision evaluation. Values are read back with the project's own safe parser and builder."""

from __future__ import annotations

import re

import sympy as sp

from verifier.frontend.builder import Builder
from verifier.frontend.declarations import build_scope
from verifier.frontend.library import Library
from verifier.frontend.problem import Problem
from verifier.frontend.problem_builder import library_problems
from verifier.model import Claim, Outcome

_ENTRY = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)\[(.+)\]\Z")


def point_of(builder: Builder, problem: Problem, counterexample: dict[str, str]) -> dict[sp.Basic, sp.Expr]:
    """The counterexample as a substitution: names to symbols, ``x[2]`` to entries, values built safely."""
    names = {str(s): s for s in problem.infos}
    point: dict[sp.Basic, sp.Expr] = {}
    for key, text in counterexample.items():
        value = builder.expression(text)
        m = _ENTRY.match(key)
        if m:
            base = names[m.group(1)]
            idx = tuple(builder.expression(i) for i in m.group(2).split(","))
            point[base[idx]] = value
        else:
            point[names[key]] = value
    return point


def _zero_outside(e: sp.Expr, problem: Problem, point: dict) -> sp.Expr:
    repl = {}
    for info in problem.infos.values():
        if not info.indexed or info.lo is None:
            continue
        lo, hi = info.lo.xreplace(point), info.hi.xreplace(point)
        for x in e.atoms(sp.Indexed):
            if x.base == info.symbol and len(x.indices) == 1 and x.indices[0].is_Integer:
                if not (lo <= x.indices[0] <= hi):
                    repl[x] = sp.Integer(0)
    return e.xreplace(repl)


def _empty_ranges(e: sp.Basic) -> sp.Basic:
    """A sum over a numeric range whose upper bound is below the lower one is 0, a product 1 (the format's meaning;
    SymPy's ``doit`` follows Karr's convention instead)."""
    def is_empty(x: sp.Basic) -> bool:
        return isinstance(x, (sp.Sum, sp.Product)) and any(
            lim[1].is_number and lim[2].is_number and bool(lim[2] < lim[1]) for lim in x.limits)
    return e.replace(is_empty, lambda x: sp.Integer(0) if isinstance(x, sp.Sum) else sp.Integer(1))


def value_at(e: sp.Expr, problem: Problem, point: dict) -> sp.Expr:
    """``e`` at the point: substitute, write sums out (empty ranges as 0), apply the out-of-bound-is-zero
    convention, repeat."""
    for _ in range(3):
        e = _empty_ranges(_zero_outside(e.xreplace(point), problem, point)).doit()
    return e


def fails_at(library: Library, claim: Claim, outcome: Outcome) -> bool:
    """Whether the relation of ``outcome`` fails at its counterexample, every hypothesis holding there."""
    assert outcome.counterexample is not None
    builder = Builder(build_scope(library.context(claim)))
    problem = dict(library_problems(library, claim))[outcome.obligation]
    assert isinstance(problem, Problem)
    point = point_of(builder, problem, outcome.counterexample)
    for case in problem.cases:
        if any(point.get(s) != v for s, v in case.values.items()):
            continue
        for h in case.hypotheses:
            assert _holds(value_at(h.lhs, problem, point), h, value_at(h.rhs, problem, point)), h
        for lhs, op, rhs in case.relations:
            a, b = value_at(lhs, problem, point), value_at(rhs, problem, point)
            if not _relation_holds(a, op, b):
                return True
    return False


def _holds(a: sp.Expr, h: sp.Basic, b: sp.Expr) -> bool:
    op = {sp.Eq: "=", sp.Ne: "!=", sp.Lt: "<", sp.Le: "<=", sp.Gt: ">", sp.Ge: ">="}[type(h)]
    return _relation_holds(a, op, b)


def _relation_holds(a: sp.Expr, op: str, b: sp.Expr) -> bool:
    d = sp.N(a - b, 60)
    assert d.is_number, (a, b)
    tiny = sp.Float(10) ** -40
    return {"=": abs(d) < tiny, "!=": abs(d) >= tiny, "<": d < -tiny, "<=": d < tiny, ">": d > tiny,
            ">=": d > -tiny}[op]

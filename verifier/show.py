"""``verify show ID``: one claim as a person reads it, each relation rendered by SymPy's unicode pretty printer."""

from __future__ import annotations

import io

import sympy as sp

from verifier.errors import ExpressionError
from verifier.goals import Problem, library_problems
from verifier.loader import Library
from verifier.model import ClaimResult, Outcome
from verifier.report import describe, evidence

_MARKS = {"proved": "✓", "checked": "✓", "refuted": "✗", "unknown": "?", "error": "!"}
_STYLES = {"proved": "green", "checked": "cyan", "refuted": "red", "unknown": "yellow", "error": "bold magenta"}
_OPS = {"=": "=", "!=": "≠", "<": "<", "<=": "≤", ">": ">", ">=": "≥"}


def render_show(library: Library, result: ClaimResult, *, color: bool, width: int | None = None) -> str:
    """The claim, its relations pretty-printed, a mark per obligation and its evidence."""
    from rich.console import Console
    from rich.text import Text

    buf = io.StringIO()
    console = Console(file=buf, force_terminal=color, no_color=not color, width=width or 100,
                      highlight=False, emoji=False, markup=False)
    claim = result.claim
    console.print(Text(f"{claim.id}  {claim.title}", style="bold"))
    console.print(Text(f"{claim.file}:{claim.line}   verdict: {result.verdict}"
                       f"{'' if result.as_expected else '  (unexpected: expected ' + claim.expect + ')'}",
                       style=_STYLES[result.verdict]))
    if claim.latex:
        console.print(Text(f"latex: {claim.latex}", style="dim"))
    if claim.note:
        console.print(Text(f"note: {claim.note}", style="dim"))
    built = dict(library_problems(library, claim))
    chain = object()
    for outcome in result.outcomes:
        ob = outcome.obligation
        if ob.derivation != chain:
            chain = ob.derivation
            heading = {"statement": "statement", "exists": "exists"}.get(ob.kind, "derivation")
            if ob.kind == "step":
                heading = f"derivation '{ob.derivation}'" if ob.derivation else "steps"
            console.print()
            console.print(Text(heading, style="bold underline"))
        mark = _MARKS[outcome.verdict]
        console.print(Text(f"{mark} {describe(outcome)}  [{outcome.verdict}]", style=_STYLES[outcome.verdict]))
        console.print(Text(_pretty(built.get(ob), outcome), style=""))
        for line in evidence(outcome)[1:]:
            console.print(Text("    " + line, style="dim" if outcome.verdict in ("proved", "checked") else ""))
    return buf.getvalue()


def _pretty(problem: "Problem | ExpressionError | None", outcome: Outcome) -> str:
    if not isinstance(problem, Problem) or not problem.cases:
        return _indent(outcome.obligation.text)
    case = problem.cases[0]
    parts = []
    for lhs, op, rhs in case.relations[:4]:
        try:
            parts.append(sp.pretty(lhs, use_unicode=True) + "\n" + _OPS[op] + "\n" + sp.pretty(rhs, use_unicode=True))
        except Exception:  # the pretty printer failing must not cost the report
            parts.append(outcome.obligation.text)
    return _indent("\n\n".join(parts))


def _indent(text: str) -> str:
    return "\n".join("    " + line for line in text.splitlines())

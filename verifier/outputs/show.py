"""``verify show ID``: one claim as a person reads it, each relation rendered by SymPy's unicode pretty printer.

Each obligation gets a mark (✓ proved or checked, ✗ refuted, ? unknown, ! error), its relation as written, the
relation as built (pretty-printed), and its evidence: the method, the sizes checked, or a counterexample with the
values of both sides.
"""

from __future__ import annotations

import io
import signal
import threading
from typing import Any

import sympy as sp

from verifier.errors import ExpressionError
from verifier.frontend.library import Library
from verifier.frontend.problem import Problem
from verifier.frontend.problem_builder import library_problems
from verifier.model import ClaimResult, Outcome
from verifier.outputs.words import describe, evidence, verdict_label

_MARKS = {"proved": "✓", "checked": "✓", "refuted": "✗", "unknown": "?", "error": "!"}
_STYLES = {"proved": "green", "checked": "cyan", "refuted": "red", "unknown": "yellow", "error": "bold magenta"}
_OPS = {"=": "=", "!=": "≠", "<": "<", "<=": "≤", ">": ">", ">=": "≥"}


def render_show(library: Library, result: ClaimResult, *, color: bool, width: int | None = None,
                budget: float = 10.0) -> str:
    """The claim, its relations pretty-printed, a mark per obligation and its evidence. Building the relations
    for display gets ``budget`` seconds; past that the text is shown as written."""
    from rich.console import Console
    from rich.text import Text

    buf = io.StringIO()
    # Every automatic behaviour pinned, as in the text report: user text like "x[i]" is never markup.
    console = Console(file=buf, force_terminal=color, no_color=not color,
                      color_system="standard" if color else None, width=width or 100, force_jupyter=False,
                      force_interactive=False, legacy_windows=False, highlight=False, emoji=False, markup=False,
                      soft_wrap=True)  # the terminal wraps: rich re-wrapping would break the 2-D pretty printing
    claim = result.claim
    console.print(Text(f"{claim.id}  {claim.title}", style="bold"))
    console.print(Text(f"{claim.file}:{claim.line}   verdict: {verdict_label(result)}"
                       f"{'' if result.as_expected else '  (unexpected: expected ' + claim.expect + ')'}",
                       style=_STYLES[result.verdict]))
    if claim.latex:
        console.print(Text(f"latex: {claim.latex}", style="dim"))
    if claim.note:
        console.print(Text(f"note: {claim.note}", style="dim"))
    built = _build_with_limit(library, claim, budget)
    section: tuple[str, str | None] | None = None
    for outcome in result.outcomes:
        ob = outcome.obligation
        # A new heading per part of the claim: its statements, its own steps, each named chain, its exists.
        if (ob.kind, ob.derivation) != section:
            section = (ob.kind, ob.derivation)
            heading = {"statement": "statement", "exists": "exists"}.get(ob.kind, "steps")
            if ob.kind == "step" and ob.derivation:
                heading = f"derivation '{ob.derivation}'"
            console.print()
            console.print(Text(heading, style="bold underline"))
        mark = _MARKS[outcome.verdict]
        console.print(Text(f"{mark} {describe(outcome)}  [{outcome.verdict}]  line {ob.line}"
                           if ob.line is not None else f"{mark} {describe(outcome)}  [{outcome.verdict}]",
                           style=_STYLES[outcome.verdict]))
        console.print(Text(_indent(ob.text), style="italic"))
        for line in _sheet_lines(library, claim, ob):
            console.print(Text(line, style="dim"))
        pretty = _pretty(built.get(ob), outcome, (width or 100) - 4)
        if pretty and "".join(pretty.split()) != "".join(ob.text.split()):
            console.print(Text(pretty, style=""))
        for line in evidence(outcome)[1:]:
            console.print(Text("    " + line, style="dim" if outcome.verdict in ("proved", "checked") else ""))
    return buf.getvalue()


def _sheet_lines(library: Library, claim: Any, ob: Any) -> list[str]:
    """For a step read from a sheet: each entry's LaTeX, where it is, and how it was read."""
    from verifier.frontend.sheet import step_entries

    pair = step_entries(library.sheets, claim, ob)
    if pair is None:
        return []
    out = []
    for entry in pair if ob.index == 1 else pair[1:]:
        reading = entry.reading if entry.reading is not None else f"not read: {entry.reason}"
        out.append(f"    {entry.line}:{entry.col}  {entry.op or ' '} {entry.latex}")
        out.append(f"    {' ' * len(f'{entry.line}:{entry.col}')}  read as: {reading}")
    return out


def _build_with_limit(library: Library, claim: Any, budget: float) -> dict:
    """The claim's built problems for display, or nothing if building fails or outlasts ``budget`` seconds (the
    verdicts were settled in isolated workers; this process has no other guard)."""
    def expire(signum: int, frame: Any) -> None:
        raise _Expired

    use_alarm = threading.current_thread() is threading.main_thread() and hasattr(signal, "SIGALRM")
    previous = signal.signal(signal.SIGALRM, expire) if use_alarm else None
    if use_alarm:
        signal.setitimer(signal.ITIMER_REAL, budget)
    try:
        return dict(library_problems(library, claim))
    except (_Expired, Exception):
        return {}
    finally:
        if use_alarm:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)


class _Expired(Exception):
    """Building for display took too long."""


def _pretty(problem: Problem | ExpressionError | None, outcome: Outcome, columns: int) -> str | None:
    """The built relations of the obligation's first case, pretty-printed (``None`` when there is nothing to add)."""
    if not isinstance(problem, Problem) or not problem.cases:
        return None
    case = problem.cases[0]
    parts = []
    for lhs, op, rhs in case.relations[:4]:
        try:
            parts.append(_pretty_relation(lhs, op, rhs, columns))
        except Exception:  # the pretty printer failing must not cost the report
            parts.append(outcome.obligation.text)
    if len(case.relations) > 4:
        parts.append(f"... and {len(case.relations) - 4} more relations")
    if len(problem.cases) > 1:
        shown = ", ".join(f"{k} = {v}" for k, v in case.values.items())
        parts.append(f"(case {shown}; {len(problem.cases)} cases in all)")
    return _indent("\n\n".join(parts))


def _pretty_relation(lhs: sp.Basic, op: str, rhs: sp.Basic, columns: int) -> str:
    # Bound indices are Dummies (printed "_j"); for display, the names the file used.
    names = {d: sp.Symbol(d.name, integer=True) for e in (lhs, rhs) for d in e.atoms(sp.Dummy)}
    lhs, rhs = lhs.xreplace(names), rhs.xreplace(names)
    try:
        relation = sp.Rel(lhs, rhs, "==" if op == "=" else op, evaluate=False)
        return sp.pretty(relation, use_unicode=True, num_columns=columns)
    except Exception:  # e.g. an operand SymPy cannot relate: one side above the other
        return (sp.pretty(lhs, use_unicode=True, num_columns=columns) + "\n" + _OPS[op] + "\n"
                + sp.pretty(rhs, use_unicode=True, num_columns=columns))


def _indent(text: str) -> str:
    return "\n".join("    " + line for line in text.splitlines())

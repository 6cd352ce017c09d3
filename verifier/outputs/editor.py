"""The editor report (``--format editor``): one line per problem, ``file:line:column: severity: message``, the form
compilers print and editors jump to (Vim's quickfix, Emacs' compilation mode, a VS Code problem matcher).

A file that cannot be read is an ``error`` at its place. Each claim that missed its expectation gives a line per
obligation shown for it (the failing ones): ``error`` for a refuted step or one in error, ``warning`` for one left
``unknown`` or only ``checked`` with ``--require-proof``. The last line is the summary, which names no place.
"""

from __future__ import annotations

from verifier.model import ClaimResult, Outcome, RunResult
from verifier.outputs.words import (
    assignments,
    describe,
    error_place,
    location,
    outcome_place,
    shown_outcomes,
    status_line,
    summary_line,
    unexpected_results,
)


def render_editor(run: RunResult) -> str:
    """Every problem of ``run`` on a line of its own, then the summary."""
    lines = []
    for error in run.file_errors:
        file, line, column, reason = error_place(error)
        lines.append(f"{location(file, line, column) if file else 'verify'}: error: {reason}")
    for result in unexpected_results(run):
        lines.extend(_line(result, o) for o in shown_outcomes(result))
    for result in run.unproved():
        lines.extend(_line(result, o, "warning") for o in result.outcomes if o.verdict == "checked")
    lines.append(f"{summary_line(run)} - {status_line(run)}")
    return "\n".join(lines) + "\n"


def _line(result: ClaimResult, outcome: Outcome, severity: str | None = None) -> str:
    file, line, column = outcome_place(result, outcome)
    if severity is None:
        severity = "error" if outcome.verdict in ("refuted", "error") or result.claim.expect == "refuted" \
            else "warning"
    _, _, _, message = error_place(outcome.message or "")
    text = f"{result.claim.id} {describe(outcome)} {outcome.verdict}: {outcome.obligation.text}"
    if outcome.counterexample:
        text += f" (counterexample: {assignments(outcome.counterexample)})"
    if message:
        text += f": {message}"
    if outcome.verdict == "checked" and outcome.sizes:
        text += f" (checked for {outcome.sizes}, not proved)"
    return f"{location(file, line, column)}: {severity}: {' '.join(text.split())}"

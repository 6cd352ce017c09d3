"""The text report, for a person at a terminal: a table of claims, then the evidence for every claim that did not
meet its expectation, then a one-line summary and ``OK`` / ``FAILED (n unexpected)`` (rendered with rich, imported
only here and only when the report is rendered, coloured only when asked)."""

from __future__ import annotations

import io
import os
import sys
from typing import TYPE_CHECKING

from verifier.model import ClaimResult, RunResult
from verifier.outputs.words import (
    HOLDS,
    checked_note,
    describe,
    evidence,
    expected_refutation_note,
    expected_refutations,
    location,
    mismatch,
    obligation_heading,
    shown_outcomes,
    status_line,
    summary_line,
    time_cell,
    unexpected_results,
    unsettled_claims,
    verdict_label,
)
from verifier.printable import printable

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

VERDICT_STYLE = {
    "proved": "green", "checked": "cyan", "refuted": "red", "unknown": "blue", "error": "bold magenta",
}
#: An expected refutation has a colour of its own: yellow, as pytest shows an expected failure (xfail).
_EXPECTED_STYLE = "yellow"
#: The marks of the text report, and their stand-ins for a terminal whose encoding cannot print them.
_MARKS = {"ok": "✓", "bad": "✗"}
_ASCII_MARKS = {"ok": "ok", "bad": "X"}


def default_color() -> bool:
    """Whether to colour output written to standard output, following https://no-color.org and force-color.org."""
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    if os.environ.get("TERM") == "dumb":
        return False
    isatty = getattr(sys.stdout, "isatty", None)
    try:
        return bool(isatty and isatty())
    except ValueError:  # a closed stream
        return False


def render_text(run: RunResult, *, color: bool, width: int | None = None, ascii_only: bool = False,
                verbosity: int = 0) -> str:
    """The report for a person at a terminal: a table, the evidence for each unexpected result, the files that
    could not be read, the summary. An interrupted run shows what was settled and one line for the rest."""
    buffer = _Buffer("ascii" if ascii_only else "utf-8")
    console = _console(buffer, color=color, width=width)
    marks = _ASCII_MARKS if ascii_only else _MARKS
    unsettled = unsettled_claims(run)
    shown = [r for r in run.results if r not in unsettled]
    if shown and verbosity >= 0:
        console.print(_claims_table(shown, marks))
    if verbosity > 0:
        for result in shown:
            _print_obligations(console, result, marks)
    for result in unexpected_results(run):
        _print_failure(console, result, marks)
    checked = [(r, o) for r in run.results for o in r.outcomes if o.verdict == "checked"]
    if checked and verbosity >= 0:
        _line(console)
        _line(console, "checked on a finite set only (not proved):", "dim")
        for result, outcome in checked:
            _line(console, f"  {checked_note(result, outcome)}", "dim")
    if run.file_errors:
        _line(console)
        _line(console, "files that could not be read:", "bold red")
        for error in run.file_errors:
            _line(console, f"  {marks['bad']} {error}")
    refutations = expected_refutations(run)
    if refutations and verbosity >= 0:
        _line(console)
        _line(console, "expected refutations:", _EXPECTED_STYLE)
        for result in refutations:
            _line(console, f"  {expected_refutation_note(result)}", _EXPECTED_STYLE)
    if unsettled:
        _line(console)
        _line(console, f"interrupted: {len(unsettled)} of {len(run.results)} claims not settled "
                       f"({', '.join(r.claim.id for r in unsettled[:5])}{', ...' if len(unsettled) > 5 else ''})",
              "bold yellow")
    _line(console)
    _line(console, summary_line(run), "bold")
    _line(console, status_line(run), "bold green" if run.ok else "bold red")
    text = buffer.getvalue()
    return text.replace("…", "...") if ascii_only else text


class _Buffer(io.StringIO):
    """A text buffer that tells rich which encoding its text will meet (rich then draws ASCII rules for ASCII)."""

    def __init__(self, encoding: str) -> None:
        super().__init__()
        self._encoding = encoding

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return self._encoding


def _console(file: io.StringIO, *, color: bool, width: int | None) -> Console:
    from rich.console import Console

    # Every automatic behaviour is pinned: Jupyter would display instead of writing to the buffer, a dumb TERM
    # would drop the colours asked for, and markup/emoji/highlighting would reinterpret user text like "x[i]".
    return Console(
        file=file, force_terminal=color, no_color=not color, color_system="standard" if color else None,
        width=width, force_jupyter=False, force_interactive=False, legacy_windows=False,
        markup=False, emoji=False, highlight=False,
    )


def _verdict_style(result: ClaimResult) -> str:
    if result.verdict == "refuted" and result.as_expected:
        return _EXPECTED_STYLE
    return VERDICT_STYLE[result.verdict]


def _line(console: Console, content: str | Text = "", style: str = "") -> None:
    from rich.text import Text

    # Input is escaped before rich: the colour codes rich adds are then the only escapes left in a coloured report.
    # Soft wrap: the terminal wraps long lines, so a counterexample or a path copies out in one piece.
    console.print(Text(printable(content), style=style) if isinstance(content, str) else content, soft_wrap=True)


def _claims_table(results: list[ClaimResult], marks: dict[str, str]) -> Table:
    from rich import box
    from rich.table import Table
    from rich.text import Text

    table = Table(box=box.SIMPLE_HEAD, show_edge=False, header_style="bold")
    table.add_column("claim", no_wrap=True)
    table.add_column("title", min_width=8)
    table.add_column("verdict", no_wrap=True)
    table.add_column("ok", no_wrap=True)
    table.add_column("time", justify="right", no_wrap=True)
    for r in results:
        table.add_row(
            Text(printable(r.claim.id)),
            # The title column shrinks first; its text is cut with an ellipsis rather than wrapped.
            Text(printable(r.claim.title), no_wrap=True, overflow="ellipsis"),
            Text(verdict_label(r), style=_verdict_style(r)),
            Text(marks["ok"], style="green") if r.as_expected else Text(marks["bad"], style="bold red"),
            Text(time_cell(r), style="dim"),
        )
    return table


def _print_obligations(console: Console, result: ClaimResult, marks: dict[str, str]) -> None:
    """``-v``: every obligation of a claim, its verdict, method and time."""
    _line(console, f"{result.claim.id}  {location(result.claim.file, result.claim.line)}", "bold")
    for o in result.outcomes:
        mark = marks["ok"] if o.verdict in HOLDS else marks["bad"]
        method = f" ({o.method})" if o.method else ""
        _line(console, f"  {mark} {describe(o)}: {o.verdict}{method} {o.seconds:.2f}s  {o.obligation.text}",
              VERDICT_STYLE[o.verdict])


def _print_failure(console: Console, result: ClaimResult, marks: dict[str, str]) -> None:
    from rich.text import Text

    claim = result.claim
    _line(console)
    _line(console, Text.assemble((f"{marks['bad']} ", "bold red"), (printable(claim.id), "bold"), "  ",
                                 printable(claim.title)))
    _line(console, f"  {location(claim.file, claim.line)}: {mismatch(result)}", "dim")
    if not result.outcomes:
        _line(console, "  (the claim has no obligations)")
    for outcome in shown_outcomes(result):
        _line(console, f"  {obligation_heading(result, outcome)}", "bold")
        relation, verdict, *rest = evidence(outcome)
        _line(console, f"    {relation}")
        _line(console, f"    {verdict}", VERDICT_STYLE[outcome.verdict])
        for item in rest:
            _line(console, f"    {item}")

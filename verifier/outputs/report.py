"""Reports of a run, for people and for machines.

:func:`render` turns a :class:`~verifier.model.RunResult` into one of :data:`FORMATS`:

- ``text``: a table of claims, then the evidence for every claim that did not meet its expectation, then a
  one-line summary and ``OK`` / ``FAILED (n unexpected)`` (rendered with rich, coloured only when asked);
- ``json``: the report of section 5 of ``derivation-format.md``, exactly as :meth:`RunResult.to_json` builds it;
- ``junit``: JUnit XML, one test case per claim, for CI test-report viewers;
- ``github``: GitHub Actions workflow commands (``::error``) that annotate the failing lines of a pull request;
- ``markdown``: a summary for a pull-request comment or ``$GITHUB_STEP_SUMMARY``;
- ``html``: a self-contained page with the mathematics rendered (:mod:`verifier.outputs.html`, which imports SymPy).

This module never imports SymPy (a fully cached run must not pay for it) and imports rich only for ``text``.
Every format returns a string that ends with a newline.
"""

from __future__ import annotations

import html
import io
import json
import os
import re
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import PurePath
from typing import TYPE_CHECKING

from verifier.errors import UsageError
from verifier.model import ClaimResult, Outcome, RunResult

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

FORMATS = ("text", "json", "junit", "github", "markdown", "html")

_HOLDS = ("proved", "checked")
_VERDICT_STYLE = {
    "proved": "green", "checked": "cyan", "refuted": "red", "unknown": "yellow", "error": "bold magenta",
}


def render(run: RunResult, fmt: str, *, color: bool | None = None, width: int | None = None) -> str:
    """Render ``run`` in format ``fmt`` (one of :data:`FORMATS`) and return the text.

    ``color`` and ``width`` matter for ``text`` only. ``color=None`` decides as a terminal tool does (colour when
    standard output is a terminal and ``NO_COLOR`` is not set); ``color=False`` gives plain text without a single
    ANSI escape. ``width=None`` uses the terminal's width (or ``$COLUMNS``, or 80).
    """
    if fmt == "text":
        return render_text(run, color=default_color() if color is None else color, width=width)
    renderers: dict[str, Callable[[RunResult], str]] = {
        "json": render_json, "junit": render_junit, "github": render_github, "markdown": render_markdown,
        "html": _render_html,
    }
    if fmt not in renderers:
        raise UsageError(f"unknown report format {fmt!r}; choose one of {', '.join(FORMATS)}")
    return renderers[fmt](run)


def _render_html(run: RunResult) -> str:
    from verifier.outputs.html import render_html
    return render_html(run)


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


# --- wording shared by every format -------------------------------------------------------------------------


def summary_line(run: RunResult) -> str:
    """The pytest-like count line, e.g. ``21 claims: 14 proved, 3 checked, 4 refuted (4 expected), ... in 3.21s``."""
    c = run.counts()
    refuted = f"{c['refuted']} refuted"
    if c["refuted"]:
        expected = sum(1 for r in run.results if r.verdict == "refuted" and r.as_expected)
        refuted += f" ({expected} expected)"
    noun = "claim" if c["claims"] == 1 else "claims"
    line = (f"{c['claims']} {noun}: {c['proved']} proved, {c['checked']} checked, {refuted}, "
            f"{c['unknown']} unknown, {c['error']} error in {run.seconds:.2f}s")
    return line + (" (interrupted)" if run.interrupted else "")


def status_line(run: RunResult) -> str:
    """``OK`` or ``FAILED (n unexpected)``."""
    unexpected = run.counts()["unexpected"]
    problems = []
    if unexpected:
        problems.append(f"{unexpected} unexpected")
    unproved = len(run.unproved())
    if unproved:
        problems.append(f"{unproved} checked but not proved, with --require-proof")
    if run.file_errors:
        n = len(run.file_errors)
        problems.append(f"{n} file{'s' if n != 1 else ''} could not be read")
    return "OK" if not problems else f"FAILED ({', '.join(problems)})"


def verdict_label(result: ClaimResult) -> str:
    """The claim's verdict, marked ``(expected)`` for a refutation that was expected."""
    if result.verdict == "refuted" and result.claim.expect == "refuted":
        return "refuted (expected)"
    return result.verdict


def failing_outcomes(result: ClaimResult) -> list[Outcome]:
    """The outcomes that are neither proved nor checked, in the order written (``first_failure()`` first)."""
    return [o for o in result.outcomes if o.verdict not in _HOLDS]


def describe(outcome: Outcome) -> str:
    """Which obligation this is, for a person: ``step 2 of derivation "off-diagonal"``, ``statement 1``, ``exists``."""
    ob = outcome.obligation
    name = ob.kind if ob.index is None or ob.kind == "exists" else f"{ob.kind} {ob.index}"
    if ob.derivation:
        name += f' of derivation "{ob.derivation}"'
    return name


def location(file: str, line: int | None) -> str:
    """``file:line``, or the file alone when the line is not known."""
    return file if line is None else f"{file}:{line}"


def outcome_line(result: ClaimResult, outcome: Outcome | None) -> int | None:
    """The line to point at for an outcome: the obligation's own, else the claim's."""
    if outcome is not None and outcome.obligation.line is not None:
        return outcome.obligation.line
    return result.claim.line


def mismatch(result: ClaimResult) -> str:
    """How the claim missed its expectation, e.g. ``expected to hold, got refuted at step 2``."""
    wanted = "to hold" if result.claim.expect == "holds" else "to be refuted"
    text = f"expected {wanted}, got {result.verdict}"
    first = result.first_failure()
    return text + (f" at {describe(first)}" if first is not None else "")


def evidence(outcome: Outcome) -> list[str]:
    """The obligation's relation, then its verdict and evidence, one line each: ``[text, "refuted (method)",
    message, "sizes: ...", "counterexample: x = 1, ...", "lhs = ...", "rhs = ..."]`` (absent items left out)."""
    lines = [outcome.obligation.text, outcome.verdict + (f" ({outcome.method})" if outcome.method else "")]
    if outcome.message:
        lines.append(outcome.message)
    if outcome.sizes:
        lines.append(f"sizes: {outcome.sizes}")
    if outcome.counterexample:
        label = "witness" if outcome.obligation.kind == "exists" and outcome.verdict == "proved" else "counterexample"
        lines.append(f"{label}: {assignments(outcome.counterexample)}")
    lines.extend(f"{side} = {value}" for side, value in (outcome.values or {}).items())
    return lines


def assignments(values: dict[str, str]) -> str:
    """``name = value`` pairs joined by commas."""
    return ", ".join(f"{name} = {value}" for name, value in values.items())


def shown_outcomes(result: ClaimResult) -> list[Outcome]:
    """The outcomes to show for a claim that missed its expectation: the failing ones or, for an expected
    refutation that held, all of them."""
    return failing_outcomes(result) or result.outcomes


def obligation_heading(result: ClaimResult, outcome: Outcome) -> str:
    """``step 2 of derivation "d" (file:line):``."""
    return f"{describe(outcome)} ({location(result.claim.file, outcome_line(result, outcome))}):"


def failure_report(result: ClaimResult) -> list[str]:
    """Plain lines explaining why a claim missed its expectation: each outcome of :func:`shown_outcomes` with its
    evidence indented under it."""
    lines: list[str] = []
    for outcome in shown_outcomes(result):
        lines.append(obligation_heading(result, outcome))
        lines.extend(f"  {item}" for item in evidence(outcome))
    return lines or ["(the claim has no obligations)"]


def expected_refutation_note(result: ClaimResult) -> str:
    """One line saying where an expected refutation was found, e.g. ``q1.7c refuted at step 1 (file:12): ...``."""
    first = result.first_failure()
    if first is None:
        return f"{result.claim.id} refuted"
    where = location(result.claim.file, outcome_line(result, first))
    note = f"{result.claim.id} refuted at {describe(first)} ({where})"
    if first.counterexample:
        note += f": {assignments(first.counterexample)}"
    return note


def checked_note(result: ClaimResult, outcome: Outcome) -> str:
    """One line naming the set a ``checked`` obligation was checked on, e.g. ``q2.1 statement: K in 1..5: 5 of 5``."""
    return f"{result.claim.id} {describe(outcome)}: {outcome.sizes or 'a finite set'}"


def _unexpected(run: RunResult) -> list[ClaimResult]:
    return [r for r in run.results if not r.as_expected]


def _expected_refutations(run: RunResult) -> list[ClaimResult]:
    return [r for r in run.results if r.as_expected and r.claim.expect == "refuted"]


def _seconds(result: ClaimResult) -> str:
    return f"{result.seconds:.2f}s"


# --- text -------------------------------------------------------------------------------------------------


def render_text(run: RunResult, *, color: bool, width: int | None = None) -> str:
    """The report for a person at a terminal: a table, the evidence for each unexpected result, the summary."""
    buffer = io.StringIO()
    console = _console(buffer, color=color, width=width)
    if run.results:
        console.print(_claims_table(run))
    for result in _unexpected(run):
        _print_failure(console, result)
    checked = [(r, o) for r in run.results for o in r.outcomes if o.verdict == "checked"]
    if checked:
        _line(console)
        _line(console, "checked on a finite set only (not proved):", "dim")
        for result, outcome in checked:
            _line(console, f"  {checked_note(result, outcome)}", "dim")
    refutations = _expected_refutations(run)
    if refutations:
        _line(console)
        _line(console, "expected refutations:", "dim")
        for result in refutations:
            _line(console, f"  {expected_refutation_note(result)}", "dim")
    _line(console)
    _line(console, summary_line(run), "bold")
    _line(console, status_line(run), "bold green" if run.ok else "bold red")
    return buffer.getvalue()


def _console(file: io.StringIO, *, color: bool, width: int | None) -> Console:
    from rich.console import Console

    # Every automatic behaviour is pinned: Jupyter would display instead of writing to the buffer, a dumb TERM
    # would drop the colours asked for, and markup/emoji/highlighting would reinterpret user text like "x[i]".
    return Console(
        file=file, force_terminal=color, no_color=not color, color_system="standard" if color else None,
        width=width, force_jupyter=False, force_interactive=False, legacy_windows=False,
        markup=False, emoji=False, highlight=False,
    )


def _line(console: Console, content: str | Text = "", style: str = "") -> None:
    from rich.text import Text

    # Soft wrap: the terminal wraps long lines, so a counterexample or a path copies out in one piece.
    console.print(Text(content, style=style) if isinstance(content, str) else content, soft_wrap=True)


def _claims_table(run: RunResult) -> Table:
    from rich import box
    from rich.table import Table
    from rich.text import Text

    table = Table(box=box.SIMPLE_HEAD, show_edge=False, header_style="bold")
    table.add_column("claim", no_wrap=True)
    table.add_column("title", min_width=8)
    table.add_column("verdict", no_wrap=True)
    table.add_column("ok", no_wrap=True)
    table.add_column("time", justify="right", no_wrap=True)
    for r in run.results:
        table.add_row(
            Text(r.claim.id),
            # The title column shrinks first; its text is cut with an ellipsis rather than wrapped.
            Text(r.claim.title, no_wrap=True, overflow="ellipsis"),
            Text(verdict_label(r), style=_VERDICT_STYLE[r.verdict]),
            Text("✓", style="green") if r.as_expected else Text("✗", style="bold red"),
            Text("cached" if r.cached else _seconds(r), style="dim"),
        )
    return table


def _print_failure(console: Console, result: ClaimResult) -> None:
    from rich.text import Text

    claim = result.claim
    _line(console)
    _line(console, Text.assemble(("✗ ", "bold red"), (claim.id, "bold"), "  ", claim.title))
    _line(console, f"  {location(claim.file, claim.line)}: {mismatch(result)}", "dim")
    if not result.outcomes:
        _line(console, "  (the claim has no obligations)")
    for outcome in shown_outcomes(result):
        _line(console, f"  {obligation_heading(result, outcome)}", "bold")
        relation, verdict, *rest = evidence(outcome)
        _line(console, f"    {relation}")
        _line(console, f"    {verdict}", _VERDICT_STYLE[outcome.verdict])
        for item in rest:
            _line(console, f"    {item}")


# --- json -------------------------------------------------------------------------------------------------


def render_json(run: RunResult) -> str:
    """The JSON report of section 5 of the format, exactly as :meth:`RunResult.to_json` builds it."""
    return json.dumps(run.to_json(), indent=2) + "\n"


# --- junit ------------------------------------------------------------------------------------------------

# Characters XML 1.0 cannot carry at all, even escaped.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_safe(text: str) -> str:
    return _XML_INVALID.sub("\ufffd", text)


def render_junit(run: RunResult) -> str:
    """JUnit XML: one ``<testsuite name="verify">`` with a ``<testcase>`` per claim; a claim that missed its
    expectation has a ``<failure>`` (or ``<error>`` when its verdict is ``error``) carrying the evidence."""
    errors = sum(1 for r in run.results if not r.as_expected and r.verdict == "error")
    failures = sum(1 for r in run.results if not r.as_expected) - errors
    attrs = {"name": "verify", "tests": str(len(run.results)), "failures": str(failures),
             "errors": str(errors), "skipped": "0", "time": f"{run.seconds:.3f}"}
    root = ET.Element("testsuites", attrs)
    suite = ET.SubElement(root, "testsuite", attrs)
    properties = ET.SubElement(suite, "properties")
    for name, value in (("tool_version", run.tool_version), ("sympy_version", run.sympy_version),
                        ("interrupted", str(run.interrupted).lower())):
        ET.SubElement(properties, "property", {"name": name, "value": _xml_safe(value)})
    for result in run.results:
        suite.append(_testcase(result))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _testcase(result: ClaimResult) -> ET.Element:
    claim = result.claim
    attrs = {"classname": _xml_safe(claim.question or PurePath(claim.file).stem), "name": _xml_safe(claim.id),
             "file": _xml_safe(claim.file)}
    if claim.line is not None:
        attrs["line"] = str(claim.line)
    attrs["time"] = f"{result.seconds:.3f}"
    case = ET.Element("testcase", attrs)
    properties = ET.SubElement(case, "properties")
    for name, value in (("title", claim.title), ("verdict", result.verdict), ("expect", claim.expect)):
        ET.SubElement(properties, "property", {"name": name, "value": _xml_safe(value)})
    if not result.as_expected:
        tag = "error" if result.verdict == "error" else "failure"
        problem = ET.SubElement(case, tag, {"message": _xml_safe(f"{claim.id}: {mismatch(result)}"),
                                            "type": result.verdict})
        problem.text = _xml_safe("\n".join(failure_report(result)))
    ET.SubElement(case, "system-out").text = _xml_safe(_obligation_log(result))
    return case


def _obligation_log(result: ClaimResult) -> str:
    """Every obligation's verdict and method, one per line, for the test case's output."""
    lines = []
    for o in result.outcomes:
        line = f"{describe(o)}: {o.verdict}" + (f" ({o.method})" if o.method else "") + f" in {o.seconds:.3f}s"
        if o.sizes:
            line += f" [{o.sizes}]"
        lines.append(f"{line}: {o.obligation.text}")
    if result.verdict == "refuted" and result.as_expected:
        lines.append(f"expected refutation: {expected_refutation_note(result)}")
    return "\n".join(lines)


# --- github -----------------------------------------------------------------------------------------------


def escape_data(text: str) -> str:
    """Escape a workflow command's message the way GitHub's toolkit does (``%``, CR, LF)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a workflow command's property value (``file``, ``line``, ``title``): the message escapes plus ``:``
    and ``,``."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def workflow_command(command: str, message: str, **properties: str | int | None) -> str:
    """One GitHub Actions workflow command line, e.g. ``::error file=f.toml,line=3,title=t::message``."""
    props = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties.items()
                     if value is not None)
    return f"::{command}{' ' + props if props else ''}::{escape_data(message)}"


def render_github(run: RunResult) -> str:
    """An ``::error`` annotation at the failing line of every claim that missed its expectation, then one
    ``::notice`` with the summary."""
    lines = []
    for result in _unexpected(run):
        claim = result.claim
        message = "\n".join([f"{claim.id}: {mismatch(result)}", *failure_report(result)])
        lines.append(workflow_command(
            "error", message, file=claim.file, line=outcome_line(result, result.first_failure()),
            title=f"{claim.id} {result.verdict}: {claim.title}",
        ))
    lines.append(workflow_command("notice", f"{summary_line(run)} - {status_line(run)}", title="verify"))
    return "\n".join(lines) + "\n"


# --- markdown ---------------------------------------------------------------------------------------------


def md_cell(text: str) -> str:
    """Text made safe for one cell of a Markdown table: no HTML, no ``|``, on one line."""
    return html.escape(" ".join(text.split()), quote=False).replace("|", "\\|")


def md_code_block(lines: list[str]) -> str:
    """A fenced code block whose fence is longer than any run of backticks in ``lines``."""
    longest = max((len(run) for run in re.findall("`+", "\n".join(lines))), default=0)
    fence = "`" * max(3, longest + 1)
    return "\n".join([fence + "text", *lines, fence])


def render_markdown(run: RunResult) -> str:
    """A summary for a pull-request comment or ``$GITHUB_STEP_SUMMARY``: heading, counts, a table of claims and a
    collapsible section with the evidence for each claim that missed its expectation."""
    icon = "✅" if run.ok else "❌"
    parts = [f"## {icon} verify: {status_line(run)}", "", md_cell(summary_line(run)), ""]
    if run.results:
        parts += ["| claim | title | verdict | expected | time |", "| --- | --- | --- | --- | ---: |"]
        parts += [_md_row(r) for r in run.results]
        parts.append("")
    for result in _unexpected(run):
        parts += _md_details(result)
    return "\n".join(parts) + "\n"


def _md_row(result: ClaimResult) -> str:
    verdict = verdict_label(result)
    cells = [result.claim.id, result.claim.title, verdict,
             "✓" if result.as_expected else "✗ unexpected", "cached" if result.cached else _seconds(result)]
    row = [md_cell(cell) for cell in cells]
    if not result.as_expected:
        row[2] = f"**{row[2]}**"
    return "| " + " | ".join(row) + " |"


def _md_details(result: ClaimResult) -> list[str]:
    claim = result.claim
    summary = html.escape(f"{claim.id}: {claim.title} — {mismatch(result)}")
    where = html.escape(location(claim.file, outcome_line(result, result.first_failure())))
    return ["<details>", f"<summary><b>{summary}</b> ({where})</summary>", "",
            md_code_block(failure_report(result)), "", "</details>", ""]

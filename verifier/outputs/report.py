"""Reports of a run, for people and for machines.

:func:`render` turns a :class:`~verifier.model.RunResult` into one of :data:`FORMATS`:

- ``text``: a table of claims, then the evidence for every claim that did not meet its expectation, then a
  one-line summary and ``OK`` / ``FAILED (n unexpected)`` (rendered with rich, coloured only when asked);
- ``json``: the report of section 5 of ``derivation-format.md``, exactly as :meth:`RunResult.to_json` builds it;
- ``junit``: JUnit XML valid against the common JUnit schema (Jenkins' ``junit-10.xsd``, which pytest's own output
  also follows), one test case per claim and one error test case per file that could not be read;
- ``github``: GitHub Actions workflow commands (``::error``) that annotate the failing lines of a pull request, at
  most :data:`MAX_ANNOTATIONS` of them (GitHub shows ten per step), the rest listed in the log;
- ``markdown``: a summary for a pull-request comment or ``$GITHUB_STEP_SUMMARY``;
- ``html``: a self-contained page with the mathematics rendered (:mod:`verifier.outputs.html`, which imports SymPy).

Every format names every problem: each claim that missed its expectation and each file that could not be read.
:func:`load_report` reads a JSON report back and :func:`merge_reports` joins the reports of shards, so that one run
can be rendered in every format (``verify report``) and a split run joined into one (``verify merge``).

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
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

from verifier.errors import UsageError
from verifier.model import VERDICTS, Claim, ClaimResult, Outcome, RunResult

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

FORMATS = ("text", "json", "junit", "github", "markdown", "html")

#: GitHub shows at most ten error annotations per step; the rest would be dropped without a word.
MAX_ANNOTATIONS = 10

_HOLDS = ("proved", "checked")
_VERDICT_STYLE = {
    "proved": "green", "checked": "cyan", "refuted": "red", "unknown": "blue", "error": "bold magenta",
}
#: An expected refutation has a colour of its own: yellow, as pytest shows an expected failure (xfail).
_EXPECTED_STYLE = "yellow"
#: The marks of the text report, and their stand-ins for a terminal whose encoding cannot print them.
_MARKS = {"ok": "✓", "bad": "✗"}
_ASCII_MARKS = {"ok": "ok", "bad": "X"}
#: The outcome message the executor gives an obligation that Ctrl-C stopped before it was settled.
INTERRUPTED_MESSAGE = "interrupted before it was settled"


def render(run: RunResult, fmt: str, *, color: bool | None = None, width: int | None = None,
           ascii_only: bool = False, verbosity: int = 0) -> str:
    """Render ``run`` in format ``fmt`` (one of :data:`FORMATS`) and return the text.

    ``color``, ``width``, ``ascii_only`` and ``verbosity`` matter for ``text`` only. ``color=None`` decides as a
    terminal tool does (colour when standard output is a terminal and ``NO_COLOR`` is not set); ``color=False``
    gives plain text without a single ANSI escape. ``width=None`` uses the terminal's width (or ``$COLUMNS``, or
    80). ``ascii_only`` replaces the marks and rules a terminal's encoding cannot print. ``verbosity`` below 0
    leaves out the table of claims (``-q``), above 0 lists every obligation of every claim (``-v``).
    """
    if fmt == "text":
        return render_text(run, color=default_color() if color is None else color, width=width,
                           ascii_only=ascii_only, verbosity=verbosity)
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
    if run.interrupted:
        unsettled = len(unsettled_claims(run))
        line += f" (interrupted: {unsettled} not settled)" if unsettled else " (interrupted)"
    return line


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


def is_unsettled(result: ClaimResult) -> bool:
    """Whether Ctrl-C stopped the claim before any obligation that is not proved or checked was settled."""
    failing = failing_outcomes(result)
    return bool(failing) and all(o.message == INTERRUPTED_MESSAGE for o in failing)


def unsettled_claims(run: RunResult) -> list[ClaimResult]:
    """The claims an interrupted run did not finish (none for a run that was not interrupted)."""
    return [r for r in run.results if is_unsettled(r)] if run.interrupted else []


_ERROR_PLACE = re.compile(r"^(?P<file>.+?):(?P<line>\d+)(?::(?P<column>\d+))?: (?P<reason>.*)$", re.DOTALL)


def split_file_error(error: str) -> tuple[str | None, int | None, str]:
    """``"file:line:column: reason"`` (line and column optional) as ``(file, line, reason)``; ``(None, None,
    error)`` when the message names no place."""
    match = _ERROR_PLACE.match(error)
    if match:
        return match["file"], int(match["line"]), match["reason"]
    head, sep, reason = error.partition(": ")
    if sep and head.endswith(".toml") and "\n" not in head:
        return head, None, reason
    return None, None, error


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
    """Claims that missed their expectation, less those an interruption left unsettled (summed up in one line)."""
    return [r for r in run.results if not r.as_expected and not (run.interrupted and is_unsettled(r))]


def _expected_refutations(run: RunResult) -> list[ClaimResult]:
    return [r for r in run.results if r.as_expected and r.claim.expect == "refuted"]


def _seconds(result: ClaimResult) -> str:
    return f"{result.seconds:.2f}s"


def _time_cell(result: ClaimResult) -> str:
    """A claim's time: its own in this run, or ``cached`` (the time it once took is in the JSON report)."""
    return "cached" if result.cached else _seconds(result)


# --- text -------------------------------------------------------------------------------------------------


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
    for result in _unexpected(run):
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
    refutations = _expected_refutations(run)
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
    return _VERDICT_STYLE[result.verdict]


def _line(console: Console, content: str | Text = "", style: str = "") -> None:
    from rich.text import Text

    # Soft wrap: the terminal wraps long lines, so a counterexample or a path copies out in one piece.
    console.print(Text(content, style=style) if isinstance(content, str) else content, soft_wrap=True)


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
            Text(r.claim.id),
            # The title column shrinks first; its text is cut with an ellipsis rather than wrapped.
            Text(r.claim.title, no_wrap=True, overflow="ellipsis"),
            Text(verdict_label(r), style=_verdict_style(r)),
            Text(marks["ok"], style="green") if r.as_expected else Text(marks["bad"], style="bold red"),
            Text(_time_cell(r), style="dim"),
        )
    return table


def _print_obligations(console: Console, result: ClaimResult, marks: dict[str, str]) -> None:
    """``-v``: every obligation of a claim, its verdict, method and time."""
    _line(console, f"{result.claim.id}  {location(result.claim.file, result.claim.line)}", "bold")
    for o in result.outcomes:
        mark = marks["ok"] if o.verdict in _HOLDS else marks["bad"]
        method = f" ({o.method})" if o.method else ""
        _line(console, f"  {mark} {describe(o)}: {o.verdict}{method} {o.seconds:.2f}s  {o.obligation.text}",
              _VERDICT_STYLE[o.verdict])


def _print_failure(console: Console, result: ClaimResult, marks: dict[str, str]) -> None:
    from rich.text import Text

    claim = result.claim
    _line(console)
    _line(console, Text.assemble((f"{marks['bad']} ", "bold red"), (claim.id, "bold"), "  ", claim.title))
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
    """The JSON report of section 5 of the format as :meth:`RunResult.to_json` builds it, with ``"cached": true``
    on each claim taken from the cache (its times are those of the run that settled it) and ``"interrupted":
    true`` at the top when Ctrl-C stopped the run."""
    data = run.to_json()
    for entry, result in zip(data["claims"], run.results, strict=True):
        if result.cached:
            entry["cached"] = True
    if run.interrupted:
        data["interrupted"] = True
    return json.dumps(data, indent=2) + "\n"


def load_report(text: str, source: str = "report") -> RunResult:
    """A JSON report (format 1) read back as a run, for ``verify report`` and ``verify merge``."""
    try:
        data = json.loads(text)
        if not isinstance(data, dict) or data.get("format") != 1:
            raise ValueError("not a JSON report of format 1")
        tool = data.get("tool") or {}
        results = [_claim_from_json(entry) for entry in data["claims"]]
        return RunResult(results, float(data["summary"]["seconds"]), str(tool.get("version", "")),
                         str(tool.get("sympy", "")), interrupted=bool(data.get("interrupted", False)),
                         file_errors=[str(e) for e in data.get("errors", [])])
    except (ValueError, KeyError, TypeError, AttributeError) as err:
        raise UsageError(f"{source}: not a report of 'verify --format json' ({err})") from None


def _claim_from_json(entry: dict[str, Any]) -> ClaimResult:
    claim = Claim(id=str(entry["id"]), title=str(entry["title"]), file=str(entry["file"]), line=entry.get("line"),
                  expect="refuted" if entry.get("expect") == "refuted" else "holds", note=entry.get("note"))
    outcomes = [Outcome.from_json(o) for o in entry["obligations"]]
    if any(o.verdict not in VERDICTS for o in outcomes):
        raise ValueError(f"claim {claim.id}: unknown verdict")
    return ClaimResult(claim, outcomes, cached=bool(entry.get("cached", False)))


def merge_reports(runs: list[RunResult]) -> RunResult:
    """The shards of one run joined: every claim once (a claim in two shards must have one verdict), every file
    error once, and the longest shard's time (shards run side by side)."""
    if not runs:
        raise UsageError("merge needs at least one report")
    by_id: dict[str, ClaimResult] = {}
    for run in runs:
        for result in run.results:
            seen = by_id.get(result.claim.id)
            if seen is not None and seen.verdict != result.verdict:
                raise UsageError(f"claim {result.claim.id} is {seen.verdict} in one report and {result.verdict} in "
                                 "another; merge reports of the same library and options only")
            by_id.setdefault(result.claim.id, result)
    versions = {(run.tool_version, run.sympy_version) for run in runs}
    if len(versions) > 1:
        raise UsageError("the reports come from different versions of verify or SymPy: "
                         + ", ".join(f"{t} (sympy {s})" for t, s in sorted(versions)))
    errors = list(dict.fromkeys(e for run in runs for e in run.file_errors))
    return RunResult(list(by_id.values()), max(run.seconds for run in runs), runs[0].tool_version,
                     runs[0].sympy_version, interrupted=any(run.interrupted for run in runs), file_errors=errors)


# --- junit ------------------------------------------------------------------------------------------------

# Characters XML 1.0 cannot carry at all, even escaped.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_safe(text: str) -> str:
    return _XML_INVALID.sub("\ufffd", text)


def render_junit(run: RunResult) -> str:
    """JUnit XML: one ``<testsuite name="verify">`` with a ``<testcase>`` per claim; a claim that missed its
    expectation has a ``<failure>`` (or ``<error>`` when its verdict is ``error``) carrying the evidence, and each
    file that could not be read is a test case with an ``<error>``.

    The attributes are those of the common schema: a test case has ``name``, ``classname`` (the file's path,
    dotted) and ``time`` only, its place and verdict go to ``<system-out>``; a cached claim's time is 0 (it took
    no time in this run) and its output says it was cached.
    """
    cases = [_testcase(result) for result in run.results] + [_file_error_case(e) for e in run.file_errors]
    errors = sum(1 for case in cases if case.find("error") is not None)
    failures = sum(1 for case in cases if case.find("failure") is not None)
    counts = {"tests": str(len(cases)), "failures": str(failures), "errors": str(errors)}
    root = ET.Element("testsuites", {"name": "verify", **counts, "time": f"{run.seconds:.3f}"})
    started = time.strftime("%Y-%m-%dT%H:%M:%S", time.localtime(time.time() - run.seconds))
    suite = ET.SubElement(root, "testsuite", {"name": "verify", **counts, "skipped": "0",
                                              "time": f"{run.seconds:.3f}", "timestamp": started})
    properties = ET.SubElement(suite, "properties")
    for name, value in (("tool_version", run.tool_version), ("sympy_version", run.sympy_version),
                        ("interrupted", str(run.interrupted).lower())):
        ET.SubElement(properties, "property", {"name": name, "value": _xml_safe(value)})
    suite.extend(cases)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _classname(file: str) -> str:
    """``derivations/q2.toml`` as ``derivations.q2``, the way pytest names a module's test cases."""
    return ".".join(PurePath(file).with_suffix("").parts)


def _testcase(result: ClaimResult) -> ET.Element:
    claim = result.claim
    attrs = {"name": _xml_safe(claim.id), "classname": _xml_safe(_classname(claim.file)),
             "time": "0.000" if result.cached else f"{result.seconds:.3f}"}
    case = ET.Element("testcase", attrs)
    if not result.as_expected:
        tag = "error" if result.verdict == "error" else "failure"
        problem = ET.SubElement(case, tag, {"message": _xml_safe(f"{claim.id}: {mismatch(result)}"),
                                            "type": result.verdict})
        problem.text = _xml_safe("\n".join(failure_report(result)))
    ET.SubElement(case, "system-out").text = _xml_safe(_obligation_log(result))
    return case


def _file_error_case(error: str) -> ET.Element:
    file, _, reason = split_file_error(error)
    case = ET.Element("testcase", {"name": _xml_safe(file or "derivations"),
                                   "classname": _xml_safe(_classname(file) if file else "verify"), "time": "0.000"})
    problem = ET.SubElement(case, "error", {"message": _xml_safe(f"cannot read {file or 'a file'}: {reason}"),
                                            "type": "file error"})
    problem.text = _xml_safe(error)
    return case


def _obligation_log(result: ClaimResult) -> str:
    """The claim's place, title and verdict, then every obligation's verdict and method, one per line."""
    claim = result.claim
    lines = [f"{location(claim.file, claim.line)}: {claim.title}",
             f"verdict: {verdict_label(result)} (expected to {'hold' if claim.expect == 'holds' else 'be refuted'})"]
    if result.cached:
        lines.append(f"cached: settled by an earlier run in {result.seconds:.3f}s")
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
    """An ``::error`` annotation for every file that could not be read and at the failing line of every claim
    that missed its expectation, at most :data:`MAX_ANNOTATIONS`; the problems past the cap as plain log lines;
    then one ``::notice`` with the summary."""
    problems: list[tuple[str, dict[str, str | int | None], str]] = []
    for error in run.file_errors:
        file, line, _ = split_file_error(error)
        problems.append((error, {"file": file, "line": line, "title": "verify: file cannot be read"}, error))
    for result in _unexpected(run):
        claim = result.claim
        message = "\n".join([f"{claim.id}: {mismatch(result)}", *failure_report(result)])
        where = location(claim.file, outcome_line(result, result.first_failure()))
        problems.append((message, {"file": claim.file, "line": outcome_line(result, result.first_failure()),
                                   "title": f"{claim.id} {result.verdict}: {claim.title}"},
                         f"{where}: {claim.id}: {mismatch(result)}"))
    lines = [workflow_command("error", message, **props) for message, props, _ in problems[:MAX_ANNOTATIONS]]
    rest = problems[MAX_ANNOTATIONS:]
    if rest:
        lines.append(f"{len(rest)} more problem(s), not annotated (GitHub shows {MAX_ANNOTATIONS} per step):")
        lines.extend(f"  {short}" for _, _, short in rest)
    summary = f"{summary_line(run)} - {status_line(run)}"
    if rest:
        summary += f"; {len(rest)} problem(s) past the first {MAX_ANNOTATIONS} are listed in the log and the summary"
    lines.append(workflow_command("notice", summary, title="verify"))
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
    if run.results or run.file_errors:
        parts += ["| claim | title | verdict | expected | time |", "| --- | --- | --- | --- | ---: |"]
        parts += [_md_error_row(error) for error in run.file_errors]
        parts += [_md_row(r) for r in run.results]
        parts.append("")
    for result in _unexpected(run):
        parts += _md_details(result)
    return "\n".join(parts) + "\n"


def _md_row(result: ClaimResult) -> str:
    verdict = verdict_label(result)
    cells = [result.claim.id, result.claim.title, verdict,
             "✓" if result.as_expected else "✗ unexpected", _time_cell(result)]
    row = [md_cell(cell) for cell in cells]
    if not result.as_expected:
        row[2] = f"**{row[2]}**"
    return "| " + " | ".join(row) + " |"


def _md_error_row(error: str) -> str:
    file, line, reason = split_file_error(error)
    where = location(file, line) if file else "(no file)"
    cells = [md_cell(where), md_cell(f"cannot be read: {reason}"), "**error**", md_cell("✗ unexpected"), ""]
    return "| " + " | ".join(cells) + " |"


def _md_details(result: ClaimResult) -> list[str]:
    claim = result.claim
    summary = html.escape(f"{claim.id}: {claim.title} — {mismatch(result)}")
    where = html.escape(location(claim.file, outcome_line(result, result.first_failure())))
    return ["<details>", f"<summary><b>{summary}</b> ({where})</summary>", "",
            md_code_block(failure_report(result)), "", "</details>", ""]

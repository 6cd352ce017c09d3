"""The GitHub report: workflow commands (``::error``) that annotate the failing lines of a pull request, at most
:data:`MAX_ANNOTATIONS` of them (GitHub shows ten per step), the rest listed in the log."""

from __future__ import annotations

from verifier.model import RunResult
from verifier.outputs.words import (
    error_place,
    failure_report,
    location,
    mismatch,
    outcome_place,
    status_line,
    summary_line,
    unexpected_results,
)

#: GitHub shows at most ten error annotations per step; the rest would be dropped without a word.
MAX_ANNOTATIONS = 10


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
        file, line, column, _ = error_place(error)
        problems.append((error, {"file": file, "line": line, "col": column, "title": "verify: file cannot be read"},
                         error))
    for result in unexpected_results(run):
        claim = result.claim
        message = "\n".join([f"{claim.id}: {mismatch(result)}", *failure_report(result)])
        file, line, column = outcome_place(result, result.first_failure())
        where = location(file, line, column)
        problems.append((message, {"file": file, "line": line, "col": column,
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

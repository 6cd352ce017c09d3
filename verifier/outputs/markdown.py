"""The Markdown report, for a pull-request comment or ``$GITHUB_STEP_SUMMARY``."""

from __future__ import annotations

import html
import re

from verifier.model import ClaimResult, RunResult
from verifier.outputs.words import (
    failure_report,
    location,
    mismatch,
    outcome_line,
    split_file_error,
    status_line,
    summary_line,
    time_cell,
    unexpected_results,
    verdict_label,
)


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
    for result in unexpected_results(run):
        parts += _md_details(result)
    return "\n".join(parts) + "\n"


def _md_row(result: ClaimResult) -> str:
    verdict = verdict_label(result)
    cells = [result.claim.id, result.claim.title, verdict,
             "✓" if result.as_expected else "✗ unexpected", time_cell(result)]
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

"""Tests of verifier.cli.emit: the per-sheet summary added to a report, and where a report is written."""

from __future__ import annotations

from verifier.cli.emit import _with_sheet_summary
from verifier.model import RunResult


def _run_of_sheet(name: str) -> RunResult:
    summary: list[dict[str, object]] = [{"sheet": name, "claims": 1, "proved": 1, "checked": 0, "refuted": 0,
                                         "unknown": 0, "error": 0, "wrong": [], "not_read": [], "outside": []}]
    return RunResult([], 0.0, "0", "0", sheets=summary)


def test_a_sheet_name_cannot_add_properties_to_its_github_notice() -> None:
    # A file may be named so: "," would end the title property, "::" the property list (GitHub's workflow-command
    # rules escape % CR LF : and , in a property value).
    name = "a,line=99,title=x::injected.md"
    text = _with_sheet_summary("", _run_of_sheet(name), None, "github")
    notice = text.splitlines()[0]
    properties, message = notice.removeprefix("::notice ").split("::", 1)
    assert properties == "title=sheet a%2Cline=99%2Ctitle=x%3A%3Ainjected.md"
    assert message.startswith("a,line=99,title=x::injected.md: 1 claims")

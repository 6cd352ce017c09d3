"""Tests of verifier.outputs.report and its formats: every format, from hand-made results (no engine, no SymPy)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from verifier.errors import UsageError
from verifier.model import Claim, ClaimResult, Expect, Obligation, ObligationKind, Outcome, RunResult, Verdict
from verifier.outputs.github import escape_data, escape_property
from verifier.outputs.markdown import md_code_block
from verifier.outputs.report import FORMATS, render
from verifier.outputs.text import default_color

Q1 = "derivations/q1.toml"
Q2 = "derivations/q2.toml"
Q3 = "derivations/q3.toml"


def outcome(kind: ObligationKind, text: str, line: int | None, verdict: Verdict, *, derivation: str | None = None,
            index: int | None = 1, **evidence: Any) -> Outcome:
    """An outcome with its obligation."""
    return Outcome(Obligation(kind, text, line, derivation=derivation, index=index), verdict, **evidence)


def claim_result(cid: str, title: str, file: str, line: int | None, outcomes: list[Outcome], *,
                 expect: Expect = "holds", question: str | None = None, cached: bool = False) -> ClaimResult:
    """A claim with its outcomes."""
    return ClaimResult(Claim(cid, title, file, line, expect=expect, question=question), outcomes, cached=cached)


PROVED = claim_result("q2.1", "Softmax is translation-invariant", Q2, 10, [
    outcome("statement", "S(x + c, i) = S(x, i)", 12, "proved", method="simplify", seconds=0.12)], question="q2")
CHECKED = claim_result("q2.2", "Softmax sums to one", Q2, 20, [
    outcome("step", "Sum(S(x, j), (j, 1, K)) = 1", 22, "checked", method="exact instances", sizes="K in 1..6",
            seconds=0.5)], question="q2")
EXPECTED_REFUTATION = claim_result("q1.7c", "MSE is convex in a", Q1, 30, [
    outcome("statement", "diff((y - sigma(a))^2, a, 2) >= 0", 31, "refuted", method="exact substitution",
            counterexample={"a": "2", "y": "1"}, values={"lhs": "-2/9", "rhs": "0"}, seconds=0.02)],
    expect="refuted")
UNEXPECTED_REFUTATION = claim_result("q2.4", "Jacobian of softmax, off-diagonal", Q2, 40, [
    outcome("step", "a = b", 45, "proved", method="simplify", derivation="off-diagonal", index=1),
    outcome("step", "-S(x, i)*S(x, k) = S(x, i)*S(x, k)", 47, "refuted", method="exact substitution",
            derivation="off-diagonal", index=2, counterexample={"K": "2", "x[1]": "0", "x[2]": "0"},
            values={"lhs": "-1/4", "rhs": "1/4"}, seconds=0.4)], question="q2")
UNKNOWN = claim_result("q3.1", "A hard limit", Q3, 5, [
    outcome("statement", "limit(f(n), n, oo) = 0", 6, "unknown", method="simplify, bounded check",
            message="timeout after 10s", seconds=10.0)], question="q3")
ERROR = claim_result("q3.2", "Broken | claim", Q3, 15, [
    outcome("statement", "foo(x) = 1", 16, "error", message="derivations/q3.toml:16: unknown function 'foo'")],
    question="q3", cached=True)

ALL = [PROVED, CHECKED, EXPECTED_REFUTATION, UNEXPECTED_REFUTATION, UNKNOWN, ERROR]
UNEXPECTED_IDS = ["q2.4", "q3.1", "q3.2"]
SUMMARY = "6 claims: 1 proved, 1 checked, 2 refuted (1 expected), 1 unknown, 1 error in 11.23s"


def make_run(results: list[ClaimResult] | None = None, seconds: float = 11.2345) -> RunResult:
    """A run over ``results`` (by default one claim of each kind)."""
    return RunResult(ALL if results is None else results, seconds, "0.1.0", "1.14.0")


@pytest.fixture
def run() -> RunResult:
    return make_run()


# --- render ---------------------------------------------------------------------------------------------


def test_formats_are_the_cli_choices() -> None:
    assert FORMATS == ("text", "json", "junit", "github", "markdown", "html", "editor")


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_renders_and_ends_with_a_newline(run: RunResult, fmt: str) -> None:
    out = render(run, fmt, color=False, width=80)
    assert out.endswith("\n") and out.strip()


def test_unknown_format_is_a_usage_error(run: RunResult) -> None:
    with pytest.raises(UsageError, match="pdf"):
        render(run, "pdf")


def test_report_imports_neither_sympy_nor_rich_until_text() -> None:
    code = (
        "import sys\n"
        "from verifier.model import RunResult\n"
        "from verifier.outputs.report import render\n"
        "run = RunResult([], 0.0, '0', '0')\n"
        "for fmt in ('json', 'junit', 'github', 'markdown'):\n"
        "    render(run, fmt)\n"
        "assert 'rich' not in sys.modules, 'rich imported eagerly'\n"
        "render(run, 'text', color=False)\n"
        "assert 'rich' in sys.modules\n"
        "assert 'sympy' not in sys.modules, 'sympy imported'\n"
    )
    root = Path(__file__).resolve().parents[2]
    proc = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr


# --- json -----------------------------------------------------------------------------------------------


def test_json_is_the_models_report(run: RunResult) -> None:
    data = json.loads(render(run, "json"))
    expected = run.to_json()
    expected["claims"][-1]["cached"] = True  # ERROR, the last claim, came from the cache
    assert data == expected
    assert set(data) == {"format", "tool", "summary", "claims"}
    assert data["format"] == 1
    assert set(data["tool"]) == {"name", "version", "sympy"}


def test_json_has_the_specs_summary_and_claim_keys(run: RunResult) -> None:
    data = json.loads(render(run, "json"))
    assert {"claims", "proved", "checked", "refuted", "unknown", "error", "unexpected", "seconds"} <= set(
        data["summary"])
    assert data["summary"]["unexpected"] == 3
    claim = data["claims"][3]
    assert {"id", "title", "file", "line", "verdict", "expect", "as_expected", "obligations"} <= set(claim)
    assert (claim["id"], claim["verdict"], claim["as_expected"]) == ("q2.4", "refuted", False)
    refuted = claim["obligations"][1]
    assert {"kind", "derivation", "index", "text", "verdict", "method", "seconds"} <= set(refuted)
    assert refuted["counterexample"] == {"K": "2", "x[1]": "0", "x[2]": "0"}
    assert refuted["values"] == {"lhs": "-1/4", "rhs": "1/4"}


# --- junit ----------------------------------------------------------------------------------------------


def junit(run: RunResult) -> ET.Element:
    """The parsed JUnit report's single test suite."""
    root = ET.fromstring(render(run, "junit"))
    assert root.tag == "testsuites"
    suites = root.findall("testsuite")
    assert len(suites) == 1
    return suites[0]


def cases(run: RunResult) -> dict[str, ET.Element]:
    return {case.get("name", ""): case for case in junit(run).iter("testcase")}


def test_junit_counts(run: RunResult) -> None:
    suite = junit(run)
    assert suite.get("name") == "verify"
    assert [suite.get(k) for k in ("tests", "failures", "errors", "skipped")] == ["6", "2", "1", "0"]
    assert float(suite.get("time", "nan")) == pytest.approx(11.2345, abs=1e-3)
    assert len(suite.findall("testcase")) == 6


def test_junit_testcase_attributes(run: RunResult) -> None:
    by_name = cases(run)
    assert list(by_name) == [r.claim.id for r in ALL]
    case = by_name["q2.4"]
    # The schema allows name, classname and time only; the place goes to the output.
    assert set(case.attrib) == {"name", "classname", "time"}
    assert case.get("classname") == "derivations.q2"
    assert f"{Q2}:40: Jacobian of softmax" in (case.findtext("system-out") or "")
    assert float(case.get("time", "nan")) == pytest.approx(0.4)  # 0 + 0.4, its two obligations


def test_junit_cached_case_takes_no_time_and_says_so(run: RunResult) -> None:
    case = cases(run)["q3.2"]
    assert case.get("time") == "0.000"
    assert "cached: settled by an earlier run" in (case.findtext("system-out") or "")
    # The test cases' times add up to no more than the run: 0.12 + 0.5 + 0.02 + 0.4 + 10.0 + 0 = 11.04 <= 11.2345.
    assert sum(float(c.get("time", "nan")) for c in cases(run).values()) <= 11.2345


def test_junit_failures_and_errors_are_where_expected(run: RunResult) -> None:
    by_name = cases(run)
    failing = {name for name, case in by_name.items() if case.find("failure") is not None}
    erroring = {name for name, case in by_name.items() if case.find("error") is not None}
    assert failing == {"q2.4", "q3.1"}
    assert erroring == {"q3.2"}


def test_junit_failure_carries_the_evidence(run: RunResult) -> None:
    failure = cases(run)["q2.4"].find("failure")
    assert failure is not None
    assert "step 2" in failure.get("message", "")
    body = failure.text or ""
    for expected in ("x[1] = 0", "lhs = -1/4", "rhs = 1/4", f"{Q2}:47", "exact substitution"):
        assert expected in body
    unknown = cases(run)["q3.1"].find("failure")
    assert unknown is not None and "timeout after 10s" in (unknown.text or "")


def test_junit_system_out_lists_each_obligation(run: RunResult) -> None:
    out = cases(run)["q2.4"].findtext("system-out") or ""
    assert "step 1" in out and "proved (simplify)" in out
    assert "step 2" in out and "refuted (exact substitution)" in out
    assert "K in 1..6" in (cases(run)["q2.2"].findtext("system-out") or "")


def test_junit_survives_characters_xml_cannot_carry() -> None:
    nasty = claim_result("x.1", "bell \x07 & <tag> \"quote\"", "d.toml", 1, [
        outcome("statement", "a < b & c", 2, "refuted", message="nul \x00 here")])
    case = cases(make_run([nasty]))["x.1"]
    failure = case.find("failure")
    assert failure is not None and "a < b & c" in (failure.text or "")


# --- github ---------------------------------------------------------------------------------------------

ERROR_LINE = re.compile(r"^::error file=(?P<file>[^,:]+),line=(?P<line>\d+),title=(?P<title>[^,:]*)::(?P<msg>.+)$")


def github_errors(run: RunResult) -> list[re.Match[str]]:
    lines = render(run, "github").splitlines()
    errors = [line for line in lines if line.startswith("::error")]
    matches = [ERROR_LINE.match(line) for line in errors]
    assert all(matches), errors
    return [m for m in matches if m]


def test_github_one_error_per_unexpected_claim_at_the_failing_line(run: RunResult) -> None:
    errors = github_errors(run)
    assert [(m["file"], int(m["line"])) for m in errors] == [(Q2, 47), (Q3, 6), (Q3, 16)]
    assert [m["msg"].split(":")[0] for m in errors] == UNEXPECTED_IDS


def test_github_message_names_step_counterexample_and_values(run: RunResult) -> None:
    msg = github_errors(run)[0]["msg"]
    assert "\n" not in msg and "%0A" in msg
    for expected in ("q2.4", "step 2", "refuted", "x[1] = 0", "lhs = -1/4", "rhs = 1/4"):
        assert expected in msg


def test_github_reports_only_failures_then_a_summary_notice(run: RunResult) -> None:
    lines = render(run, "github").splitlines()
    assert len(lines) == len(UNEXPECTED_IDS) + 1
    assert not any("q1.7c" in line or "q2.1" in line for line in lines)
    assert lines[-1] == f"::notice title=verify::{SUMMARY} - FAILED (3 unexpected)"


def test_github_passing_run_has_only_the_notice() -> None:
    summary = "2 claims: 1 proved, 0 checked, 1 refuted (1 expected), 0 unknown, 0 error in 11.23s"
    assert render(make_run([PROVED, EXPECTED_REFUTATION]), "github").splitlines() == [
        f"::notice title=verify::{summary} - OK"]


@pytest.mark.parametrize(("raw", "data", "prop"), [
    ("plain", "plain", "plain"),
    ("100%", "100%25", "100%25"),
    ("a\nb", "a%0Ab", "a%0Ab"),
    ("a\r\nb", "a%0D%0Ab", "a%0D%0Ab"),
    ("a:b", "a:b", "a%3Ab"),
    ("a,b", "a,b", "a%2Cb"),
    ("%0A", "%250A", "%250A"),  # a literal escape sequence is not decoded by GitHub
    ("50%: x,\n", "50%25: x,%0A", "50%25%3A x%2C%0A"),
])
def test_github_escaping(raw: str, data: str, prop: str) -> None:
    assert escape_data(raw) == data
    assert escape_property(raw) == prop


def test_github_escapes_properties_and_message_in_the_command() -> None:
    weird = claim_result("w.1", "Ratio: 50%, roughly", "d/we,ird:name.toml", 3, [
        outcome("statement", "p = 50%", 4, "refuted", message="line one\nline two")])
    (line,) = [ln for ln in render(make_run([weird]), "github").splitlines() if ln.startswith("::error")]
    props, msg = line[len("::error "):].split("::", 1)
    assert props == "file=d/we%2Cird%3Aname.toml,line=4,title=w.1 refuted%3A Ratio%3A 50%25%2C roughly"
    assert "p = 50%25" in msg and "line one%0Aline two" in msg and "\n" not in msg


def test_github_line_falls_back_to_the_claim_then_to_none() -> None:
    no_step_line = claim_result("a.1", "t", "a.toml", 7, [outcome("statement", "x = 1", None, "refuted")])
    no_line = claim_result("a.2", "t", "a.toml", None, [outcome("statement", "x = 1", None, "refuted")])
    lines = render(make_run([no_step_line, no_line]), "github").splitlines()
    assert lines[0].startswith("::error file=a.toml,line=7,title=")
    assert lines[1].startswith("::error file=a.toml,title=")


# --- markdown -------------------------------------------------------------------------------------------


def table_rows(md: str) -> list[str]:
    return [line for line in md.splitlines() if line.startswith("| ")]


def test_markdown_heading_summary_and_table(run: RunResult) -> None:
    md = render(run, "markdown")
    assert md.splitlines()[0].startswith("## ") and "FAILED (3 unexpected)" in md.splitlines()[0]
    assert SUMMARY in md
    rows = table_rows(md)
    assert rows[0] == "| claim | title | verdict | expected | time |"
    assert rows[1] == "| --- | --- | --- | --- | ---: |"
    assert [row.split(" | ")[0][2:] for row in rows[2:]] == [r.claim.id for r in ALL]
    assert "| q1.7c | MSE is convex in a | refuted (expected) | ✓ | 0.02s |" in rows


def test_markdown_escapes_pipes_in_cells(run: RunResult) -> None:
    rows = table_rows(render(run, "markdown"))
    error_row = next(row for row in rows if row.startswith("| q3.2 "))
    assert "Broken \\| claim" in error_row
    assert all(len(re.findall(r"(?<!\\)\|", row)) == 6 for row in rows)


def test_markdown_details_for_each_unexpected_claim(run: RunResult) -> None:
    md = render(run, "markdown")
    blocks = re.findall(r"<details>\n<summary>(.*?)</summary>(.*?)</details>", md, re.DOTALL)
    assert [summary.split(":")[0].removeprefix("<b>") for summary, _ in blocks] == UNEXPECTED_IDS
    body = blocks[0][1]
    assert "```text" in body
    for expected in ("x[1] = 0", "lhs = -1/4", "rhs = 1/4", "step 2"):
        assert expected in body


def test_markdown_passing_run() -> None:
    md = render(make_run([PROVED]), "markdown")
    assert "OK" in md.splitlines()[0] and "<details>" not in md


def test_markdown_code_fence_outgrows_backticks_in_content() -> None:
    block = md_code_block(["a ``` b"])
    assert block.startswith("````text\n") and block.endswith("\n````")


# --- text -----------------------------------------------------------------------------------------------


def test_text_without_color_is_plain(run: RunResult) -> None:
    out = render(run, "text", color=False, width=80)
    assert "\x1b" not in out
    for result in ALL:
        assert result.claim.id in out


def test_text_shows_the_evidence_of_unexpected_failures(run: RunResult) -> None:
    out = render(run, "text", color=False, width=80)
    for expected in ("x[1] = 0", "lhs = -1/4", "rhs = 1/4", f"{Q2}:47", 'step 2 of derivation "off-diagonal"',
                     "timeout after 10s", "unknown function 'foo'", "refuted (expected)"):
        assert expected in out
    assert "a = 2, y = 1" in out  # the expected refutation's one-line mention


def test_text_ends_with_summary_and_status(run: RunResult) -> None:
    lines = render(run, "text", color=False, width=80).rstrip("\n").splitlines()
    assert lines[-2:] == [SUMMARY, "FAILED (3 unexpected)"]


def test_text_passing_run_says_ok() -> None:
    lines = render(make_run([PROVED], seconds=0.5), "text", color=False).rstrip("\n").splitlines()
    assert lines[-2:] == ["1 claim: 1 proved, 0 checked, 0 refuted, 0 unknown, 0 error in 0.50s", "OK"]


def test_text_table_fits_80_columns_and_truncates_long_titles() -> None:
    long_title = "A remarkably long title that says far more than a table cell can show at eighty columns"
    result = claim_result("q9.1", long_title, "q9.toml", 1, [outcome("statement", "x = x", 2, "proved")])
    out = render(make_run([result, UNEXPECTED_REFUTATION]), "text", color=False, width=80)
    table = out.split("\n\n")[0].splitlines()
    assert all(len(line) <= 80 for line in table)
    assert long_title not in out and "…" in out


def test_text_with_color_has_ansi_codes(run: RunResult) -> None:
    assert "\x1b[" in render(run, "text", color=True, width=80)


def test_text_color_true_is_honoured_on_a_dumb_terminal(run: RunResult, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TERM", "dumb")
    assert "\x1b[31m" in render(run, "text", color=True, width=80)  # red, for the refutation


def test_text_color_false_is_plain_even_when_colour_is_forced(run: RunResult, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.setenv("TTY_COMPATIBLE", "1")
    assert "\x1b" not in render(run, "text", color=False, width=80)


def test_text_does_not_interpret_markup_in_user_text() -> None:
    result = claim_result("m.1", "[bold]x[/bold] :smile:", "m.toml", 1, [
        outcome("statement", "x[i] = [red]y", 2, "refuted")])
    out = render(make_run([result]), "text", color=False, width=120)
    assert "[bold]x[/bold] :smile:" in out and "x[i] = [red]y" in out


def test_text_for_expected_refutation_that_held_lists_its_obligations() -> None:
    held = claim_result("q5.1", "Thought to be wrong", "q5.toml", 3, [
        outcome("step", "a = a", 4, "checked", method="exact instances", sizes="K in 1..6")], expect="refuted")
    out = render(make_run([held]), "text", color=False, width=80)
    assert "expected to be refuted, got checked" in out and "sizes: K in 1..6" in out
    assert out.rstrip().endswith("FAILED (1 unexpected)")


def test_text_color_none_follows_no_color(run: RunResult, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdout", _Tty())
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert default_color() is True
    assert "\x1b[" in render(run, "text", width=80)
    monkeypatch.setenv("NO_COLOR", "1")
    assert default_color() is False
    assert "\x1b" not in render(run, "text", width=80)


def test_default_color_is_off_when_not_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdout", _Tty(False))
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    assert default_color() is False


class _Tty:
    """A stand-in for standard output that says whether it is a terminal."""

    def __init__(self, tty: bool = True) -> None:
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty

    def write(self, text: str) -> int:
        return len(text)

    def flush(self) -> None:
        pass


# --- every problem named, in every format ------------------------------------------------------------------

SCHEMA = Path(__file__).with_name("junit-10.xsd")
FILE_ERROR = "derivations/q9.toml:3:7: expected '=' after a key"


def with_file_error(results: list[ClaimResult] | None = None) -> RunResult:
    run = make_run(results)
    run.file_errors = [FILE_ERROR]
    return run


@pytest.mark.parametrize("results", [None, [PROVED], []], ids=["mixed", "passing", "empty"])
def test_junit_validates_against_the_common_schema(results: list[ClaimResult] | None) -> None:
    xmlschema = pytest.importorskip("xmlschema")
    schema = xmlschema.XMLSchema(str(SCHEMA))
    for run in (make_run(results), with_file_error(results)):
        errors = list(schema.iter_errors(render(run, "junit")))
        assert errors == [], errors[:3]


def test_the_schema_rejects_what_the_old_report_wrote() -> None:
    # The validator really checks: a test case with a `file` attribute (as written before) is invalid.
    xmlschema = pytest.importorskip("xmlschema")
    schema = xmlschema.XMLSchema(str(SCHEMA))
    bad = '<testsuites><testsuite name="v" tests="1" failures="0" errors="0">' \
          '<testcase name="a" file="d.toml"/></testsuite></testsuites>'
    assert not schema.is_valid(bad)


def test_junit_suite_has_a_timestamp_and_testsuites_no_skipped(run: RunResult) -> None:
    root = ET.fromstring(render(run, "junit"))
    assert "skipped" not in root.attrib
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d", root.find("testsuite").get("timestamp", ""))  # type: ignore[union-attr]


def test_a_file_that_cannot_be_read_is_in_every_format() -> None:
    run = with_file_error([PROVED])
    case = cases(run)["derivations/q9.toml"]
    error = case.find("error")
    assert error is not None and "expected '='" in error.get("message", "")
    assert junit(run).get("errors") == "1" and junit(run).get("tests") == "2"
    annotations = [line for line in render(run, "github").splitlines() if line.startswith("::error")]
    assert annotations == ["::error file=derivations/q9.toml,line=3,col=7,title=verify%3A file cannot be read::"
                           "derivations/q9.toml:3:7: expected '=' after a key"]
    rows = table_rows(render(run, "markdown"))
    assert any(row.startswith("| derivations/q9.toml:3 | cannot be read: expected '=' after a key | **error**")
               for row in rows)
    text = render(run, "text", color=False, width=100)
    assert FILE_ERROR in text and text.rstrip().endswith("FAILED (1 file could not be read)")


def test_annotations_are_capped_at_ten_and_the_rest_is_listed() -> None:
    failing = [claim_result(f"q8.{n}", f"Wrong {n}", "derivations/q8.toml", 10 * n,
                            [outcome("statement", "1 = 2", 10 * n + 1, "refuted")]) for n in range(1, 13)]
    lines = render(make_run(failing), "github").splitlines()
    errors = [line for line in lines if line.startswith("::error")]
    assert len(errors) == 10
    log = "\n".join(lines)
    assert "derivations/q8.toml:111: q8.11:" in log and "derivations/q8.toml:121: q8.12:" in log
    assert lines[-1].startswith("::notice") and "2 problem(s) past the first 10" in lines[-1]


# --- reading reports back and joining shards ----------------------------------------------------------------


def test_a_json_report_reads_back_to_the_same_reports(run: RunResult) -> None:
    from verifier.outputs.jsonreport import load_report
    run.file_errors = [FILE_ERROR]
    again = load_report(render(run, "json"))
    for fmt in ("json", "github", "markdown"):
        assert render(again, fmt) == render(run, fmt)
    assert render(again, "text", color=False, width=100) == render(run, "text", color=False, width=100)
    strip = re.compile(r'timestamp="[^"]*"')
    assert strip.sub("", render(again, "junit")) == strip.sub("", render(run, "junit"))


def test_load_report_rejects_what_is_not_a_report() -> None:
    from verifier.outputs.jsonreport import load_report
    with pytest.raises(UsageError, match="not a report"):
        load_report('{"format": 2}', "r.json")
    with pytest.raises(UsageError, match=r"r\.json"):
        load_report("not json", "r.json")


def test_merge_joins_shards_once_each() -> None:
    from verifier.outputs.jsonreport import merge_reports
    a = make_run([PROVED, UNEXPECTED_REFUTATION], seconds=3.0)
    b = make_run([CHECKED, UNEXPECTED_REFUTATION], seconds=5.0)
    b.file_errors = [FILE_ERROR]
    merged = merge_reports([a, b])
    assert [r.claim.id for r in merged.results] == ["q2.1", "q2.4", "q2.2"]
    assert merged.seconds == 5.0 and merged.file_errors == [FILE_ERROR]
    assert merged.counts()["unexpected"] == 1


def test_merge_joins_the_sheet_summaries_of_shards() -> None:
    from verifier.outputs.jsonreport import merge_reports
    # Two shards of one sheet (Q2 here): q2.4 refuted at line 41 in one, nothing wrong in the other; the joined
    # summary counts the joined claims (q2.1 proved, q2.4 refuted, q2.2 checked: by hand from the shards).
    a = make_run([PROVED, UNEXPECTED_REFUTATION])
    b = make_run([CHECKED])
    a.sheets = [{"sheet": Q2, "claims": 2, "proved": 1, "checked": 0, "refuted": 1, "unknown": 0, "error": 0,
                 "wrong": [{"claim": "q2.4", "lines": [41]}], "not_read": [], "outside": [7]}]
    b.sheets = [{"sheet": Q2, "claims": 1, "proved": 0, "checked": 1, "refuted": 0, "unknown": 0, "error": 0,
                 "wrong": [], "not_read": [], "outside": [7, 9]}]
    merged = merge_reports([a, b])
    assert merged.sheets == [{"sheet": Q2, "claims": 3, "proved": 1, "checked": 1, "refuted": 1, "unknown": 0,
                              "error": 0, "wrong": [{"claim": "q2.4", "lines": [41]}], "not_read": [],
                              "errors": [], "outside": [7, 9]}]
    assert merge_reports([make_run([PROVED])]).sheets is None


def test_merge_refuses_disagreeing_shards() -> None:
    from verifier.outputs.jsonreport import merge_reports
    held = claim_result("q2.4", "Jacobian of softmax, off-diagonal", Q2, 40, [outcome("statement", "a = a", 41,
                                                                                       "proved")])
    with pytest.raises(UsageError, match=r"q2\.4 is refuted in one report and proved"):
        merge_reports([make_run([UNEXPECTED_REFUTATION]), make_run([held])])


# --- text conventions ---------------------------------------------------------------------------------------


def test_expected_refutation_is_yellow_and_unknown_is_not(run: RunResult) -> None:
    out = render(run, "text", color=True, width=120)
    line = next(line for line in out.splitlines() if "q1.7c" in line and "MSE" in line)
    assert "\x1b[33mrefuted (expected)" in line  # 33: yellow
    unknown = next(line for line in out.splitlines() if "q3.1" in line and "A hard limit" in line)
    assert "\x1b[33m" not in unknown


def test_ascii_only_prints_no_character_outside_ascii(run: RunResult) -> None:
    out = render(run, "text", color=False, width=80, ascii_only=True)
    out.encode("ascii")  # raises if a mark or a rule were left
    assert " ok " in out and "X q2.4" in out


def test_quiet_leaves_the_table_out_and_verbose_lists_obligations(run: RunResult) -> None:
    quiet = render(run, "text", color=False, width=100, verbosity=-1)
    assert "Softmax is translation-invariant" not in quiet and "q2.4" in quiet
    verbose = render(run, "text", color=False, width=200, verbosity=1)
    assert "step 1 of derivation \"off-diagonal\": proved (simplify)" in verbose


def test_interrupted_run_sums_unsettled_claims_in_one_line() -> None:
    from verifier.model import INTERRUPTED_MESSAGE
    stopped = [claim_result(f"q7.{n}", f"Stopped {n}", "derivations/q7.toml", n, [
        outcome("step", f"a{k} = b{k}", n, "unknown", message=INTERRUPTED_MESSAGE, index=k) for k in range(1, 30)])
        for n in range(1, 20)]
    run = make_run([PROVED, *stopped])
    run.interrupted = True
    lines = render(run, "text", color=False, width=100).splitlines()
    assert len(lines) < 12, lines  # 19 claims of 29 obligations each: one line, not a block per obligation
    assert any(line.startswith("interrupted: 19 of 20 claims not settled (q7.1, q7.2") for line in lines)


def test_piped_text_is_not_cut_at_80_columns() -> None:
    long_title = "A remarkably long title that says far more than a table cell can show at eighty columns"
    result = claim_result("q9.1", long_title, "q9.toml", 1, [outcome("statement", "x = x", 2, "proved")])
    assert long_title in render(make_run([result]), "text", color=False, width=10_000)


# --- control characters from input ----------------------------------------------------------------------

#: Escape sequences a sheet can carry: erase the line and move up (overwrite the report), set the window's title,
#: a C1 CSI, a carriage return, a right-to-left override.
HOSTILE = "\x1b[2K\x1b[1A\x1b]0;pwned\x07\x9b2J\r\u202e"
RAW = set("\x1b\x07\x9b\r\u202e")


def _hostile_run() -> RunResult:
    file = f"s{HOSTILE}.md"
    result = claim_result(f"q{HOSTILE}", f"title {HOSTILE}", file, 1, [
        outcome("step", f"x = text{HOSTILE}", 3, "refuted", counterexample={"x": "1"}, values={"lhs": "1", "rhs": "2"},
                message=f"{file}:3: not read {HOSTILE}")])
    return RunResult([result], 1.0, "0.1.0", "1.14.0", file_errors=[f"{file}:2: bad {HOSTILE}"])


@pytest.mark.parametrize("fmt", FORMATS)
def test_no_format_passes_a_control_character_from_input(fmt: str) -> None:
    text = render(_hostile_run(), fmt, color=False, width=200, verbosity=1)
    assert not RAW & set(text)
    if fmt not in ("json", "junit"):    # JSON writes \u001b, JUnit a replacement character: neither is raw
        assert "\\x1b[2K" in text


def test_coloured_text_has_colours_but_no_escape_from_input() -> None:
    text = render(_hostile_run(), "text", color=True, width=200, verbosity=1)
    assert "\x1b[1;31m" in text                        # rich's colours are there
    assert "\x1b[2K" not in text and "\\x1b[2K" in text
    assert not (RAW - {"\x1b"}) & set(text)

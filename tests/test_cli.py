"""Tests of the ``verify`` command on small temporary libraries: selection, exit statuses and report formats."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from fractions import Fraction
from pathlib import Path

import pytest

from libraries import COMMON, Q1, Q2
from verifier.cli import main

Q10 = """\
question = "q10"
[symbols]
b = "real"

[[claim]]
id = "q10.1"
title = "Not selected by q1"
statement = "b - b = 0"
"""

ANSI = "\x1b["


def write_library(root: Path, files: dict[str, str] | None = None) -> Path:
    """A library in ``root/derivations`` (default: the files above); returns the folder."""
    folder = root / "derivations"
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in (files or {"_common.toml": COMMON, "q1.toml": Q1, "q2.toml": Q2, "q10.toml": Q10}).items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def lib(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The default library, with the working directory set to its parent."""
    write_library(tmp_path)
    monkeypatch.chdir(tmp_path)
    for name in ("NO_COLOR", "FORCE_COLOR", "CI"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """``main(argv)`` in this process: (status, stdout, stderr)."""
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def verdicts(report: str) -> dict[str, str]:
    """Claim id -> verdict of a JSON report."""
    return {c["id"]: c["verdict"] for c in json.loads(report)["claims"]}


# --- selection and usage errors -------------------------------------------------------------------------------


def test_list_shows_ids_titles_and_places(lib: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "list")
    assert code == 0
    assert [line.split()[0] for line in out.splitlines()] == ["q1.1", "q1.2", "q1.3", "q10.1", "q2.1"]
    assert "Doubling" in out and "derivations/q1.toml:4" in out


def test_prefix_selects_the_question_only(lib: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "q1", "--format", "json", "--no-cache")
    assert verdicts(out) == {"q1.1": "proved", "q1.2": "refuted", "q1.3": "refuted"}
    assert code == 1  # q1.2 is refuted but expected to hold


def test_exact_ids_that_all_hold_exit_0(lib: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "q1.1", "q1.3", "q2", "--format", "json", "--no-cache")
    assert code == 0
    assert verdicts(out) == {"q1.1": "proved", "q1.3": "refuted", "q2.1": "proved"}


@pytest.mark.parametrize("argv, message", [
    (["q9"], "unknown claim id(s): q9"),
    (["q1.1", "q1.9"], "unknown claim id(s): q1.9"),
    (["--timeout", "0"], "--timeout must be a positive number"),
    (["--timeout", "-1"], "--timeout must be a positive number"),
    (["--jobs", "0"], "--jobs must be at least 1"),
    (["--derivations", "missing"], "no derivations at 'missing'"),
    (["list", "q1"], "'list' takes no ids"),
    (["all", "q1"], "'all' takes no ids"),
    (["show"], "usage: verify show ID"),
    (["show", "q9.9"], "unknown claim id: q9.9"),
])
def test_usage_errors_exit_2_with_a_message(lib: Path, capsys: pytest.CaptureFixture[str], argv: list[str],
                                            message: str) -> None:
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert out == ""
    assert message in err
    assert "Traceback" not in err


def test_argparse_errors_return_2_instead_of_raising(lib: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "--format", "xml")
    assert code == 2 and "invalid choice" in err


def test_unreadable_file_exits_2_with_file_and_line(lib: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (lib / "derivations" / "q3.toml").write_text('[[claim]]\nid = "q3.1"\ntitle = \n', encoding="utf-8")
    code, out, err = run(capsys, "q1.1", "--no-cache")
    assert code == 2
    assert re.search(r"derivations/q3\.toml:3: TOML syntax error", err)
    assert "q1.1" in out  # the readable claims are still reported
    assert "Traceback" not in err


def test_bad_expression_exits_2_naming_file_and_line(lib: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (lib / "derivations" / "q3.toml").write_text(
        'question = "q3"\n[symbols]\nx = "real"\n\n[[claim]]\nid = "q3.1"\ntitle = "t"\nstatement = "x + zz = x"\n',
        encoding="utf-8")
    code, out, err = run(capsys, "q3", "--format", "json", "--no-cache")
    assert code == 2
    assert verdicts(out) == {"q3.1": "error"}
    assert "derivations/q3.toml:8" in err and "zz" in err


def test_infinite_timeout_is_accepted(lib: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "q1.1", "--timeout", "inf", "--format", "json", "--no-cache")
    assert code == 0 and verdicts(out) == {"q1.1": "proved"}


# --- --jobs ---------------------------------------------------------------------------------------------------


def _without_seconds(report: str) -> list[dict[str, object]]:
    claims = json.loads(report)["claims"]
    for c in claims:
        for o in c["obligations"]:
            o.pop("seconds")
    return claims


def test_jobs_give_the_same_report_as_a_serial_run(lib: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, serial, _ = run(capsys, "all", "--jobs", "1", "--format", "json", "--no-cache")
    _, parallel, _ = run(capsys, "all", "--jobs", "2", "--format", "json", "--no-cache")
    assert [c["id"] for c in json.loads(serial)["claims"]] == ["q1.1", "q1.2", "q1.3", "q10.1", "q2.1"]
    assert _without_seconds(serial) == _without_seconds(parallel)


# --- report formats -------------------------------------------------------------------------------------------


def test_json_on_stdout_is_the_report_and_nothing_else(lib: Path) -> None:
    # A subprocess: stdout at the level of file descriptors, worker processes included.
    proc = subprocess.run([sys.executable, "-m", "verifier", "all", "--format", "json", "--no-cache"],
                          cwd=lib, capture_output=True, text=True, check=False, timeout=120,
                          env={**os.environ, "NO_COLOR": "1"})
    assert proc.returncode == 1, proc.stderr
    report = json.loads(proc.stdout)
    assert set(report) == {"format", "tool", "summary", "claims"}
    assert report["format"] == 1
    assert set(report["tool"]) == {"name", "version", "sympy"}
    assert {"claims", "proved", "checked", "refuted", "unknown", "error", "unexpected", "seconds"} \
        <= set(report["summary"])
    assert report["summary"]["claims"] == 5 and report["summary"]["unexpected"] == 1
    claim = next(c for c in report["claims"] if c["id"] == "q1.2")
    assert {"id", "title", "file", "line", "verdict", "expect", "as_expected", "obligations"} <= set(claim)
    assert claim["file"] == "derivations/q1.toml" and claim["as_expected"] is False
    ob = claim["obligations"][0]
    assert ob["kind"] == "statement" and ob["verdict"] == "refuted"
    assert set(ob["counterexample"]) == {"x"} and set(ob["values"]) == {"lhs", "rhs"}
    x = Fraction(ob["counterexample"]["x"])  # a rational point: x + 1 = x fails by exactly 1 there
    assert Fraction(ob["values"]["lhs"]) == x + 1 and Fraction(ob["values"]["rhs"]) == x
    step = next(c for c in report["claims"] if c["id"] == "q2.1")["obligations"][0]
    assert step["kind"] == "step" and step["index"] == 1 and step["derivation"] is None


def test_output_writes_the_file_and_nothing_to_stdout(lib: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "q1", "--format", "json", "--output", "report.json", "--no-cache")
    assert code == 1 and out == ""
    assert verdicts((lib / "report.json").read_text(encoding="utf-8"))["q1.2"] == "refuted"
    assert [p.name for p in lib.iterdir() if p.name.startswith(".report")] == []  # no temporary file left


def test_output_that_cannot_be_written_exits_2(lib: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "q1.1", "--output", str(lib / "no" / "such" / "dir.json"), "--no-cache")
    assert code == 2 and "cannot write" in err and "Traceback" not in err


def test_junit_has_one_testcase_per_claim(lib: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "all", "--format", "junit", "--no-cache")
    assert code == 1
    cases = ET.fromstring(out).findall(".//testcase")
    assert sorted(c.get("name") or "" for c in cases) == ["q1.1", "q1.2", "q1.3", "q10.1", "q2.1"]
    failed = [c.get("name") for c in cases if c.find("failure") is not None or c.find("error") is not None]
    assert failed == ["q1.2"]


def test_github_annotates_each_unexpected_claim(lib: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "all", "--format", "github", "--no-cache")
    errors = [line for line in out.splitlines() if line.startswith("::error")]
    assert len(errors) == 1
    assert re.match(r"::error file=derivations/q1\.toml,line=\d+(,[^:]*)?::q1\.2", errors[0])


def test_markdown_has_a_row_per_claim(lib: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "all", "--format", "markdown", "--no-cache")
    assert out.startswith("## ") and sum(1 for line in out.splitlines() if line.startswith("| q")) == 5


def test_no_color_wins_over_force_color(lib: Path, capsys: pytest.CaptureFixture[str],
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FORCE_COLOR", "1")
    _, forced, _ = run(capsys, "q1", "--no-cache")
    assert ANSI in forced  # so the check below is not vacuous
    monkeypatch.setenv("NO_COLOR", "1")
    _, plain, _ = run(capsys, "q1", "--no-cache")
    assert ANSI not in plain and "q1.2" in plain and "FAILED" in plain


def test_text_report_explains_the_failure(lib: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "q1", "--no-cache", "--color", "never")
    assert "expected to hold, got refuted at statement" in out
    x = Fraction(re.search(r"counterexample: x = (\S+)", out).group(1))
    assert f"lhs = {x + 1}" in out and f"rhs = {x}" in out


def test_the_progress_bar_stays_quiet_on_short_runs_and_draws_on_long_ones() -> None:
    import io

    from verifier.cli import _Bar

    quick = _Bar(io.StringIO())
    quick(1, 10)
    quick.close()
    assert quick.stream.getvalue() == ""
    slow = _Bar(io.StringIO())
    slow.start -= 5
    slow(5, 10)
    drawn = slow.stream.getvalue()
    assert "5/10 obligations" in drawn and drawn.count("█") == _Bar.WIDTH // 2
    slow.close()
    assert slow.stream.getvalue().endswith("\r")

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
    # Column 9: just after `title = `, where the value is missing.
    assert re.search(r"derivations/q3\.toml:3:9: TOML syntax error", err)
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
    _, serial, _ = run(capsys, "all", "--jobs", "1", "--format", "json", "--no-cache", "--no-display")
    _, parallel, _ = run(capsys, "all", "--jobs", "2", "--format", "json", "--no-cache", "--no-display")
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

    from verifier.cli.progress import Bar

    quick = Bar(io.StringIO())
    quick(1, 10)
    quick.close()
    assert quick.stream.getvalue() == ""
    slow = Bar(io.StringIO())
    slow.start -= 5
    slow(5, 10)
    drawn = slow.stream.getvalue()
    assert "5/10 obligations" in drawn and drawn.count("█") == Bar.WIDTH // 2
    slow.close()
    assert slow.stream.getvalue().endswith("\r")


# --- conventions: -q/-v, list --format json, nearest ids, lines in CI, ASCII marks, piped width ---------------


def test_quiet_and_verbose(lib: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, normal, _ = run(capsys, "q1", "--no-cache", "--color", "never")
    _, quiet, _ = run(capsys, "q1", "--no-cache", "--color", "never", "-q")
    _, verbose, _ = run(capsys, "q1", "--no-cache", "--color", "never", "-v")
    assert "Doubling" in normal and "Doubling" not in quiet and "FAILED" in quiet
    assert "statement: proved" in verbose and "statement: proved" not in normal


def test_list_as_json(lib: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "list", "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["errors"] == []
    assert [c["id"] for c in data["claims"]] == ["q1.1", "q1.2", "q1.3", "q10.1", "q2.1"]
    assert data["claims"][0] == {"id": "q1.1", "title": "Doubling", "file": "derivations/q1.toml", "line": 4,
                                 "question": "q1", "expect": "holds"}
    assert run(capsys, "list", "--format", "junit")[0] == 2


def test_an_unknown_id_suggests_the_nearest(lib: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "q1.4")
    assert "unknown claim id(s): q1.4 (see 'verify list')" in err
    suggested = re.search(r"\n  did you mean (.*)\?\n", err)
    assert code == 2 and suggested and set(suggested.group(1).split(", ")) == {"q1.1", "q1.2", "q1.3"}
    code, _, err = run(capsys, "show", "q2.2")
    assert code == 2 and "did you mean q2.1" in err
    _, _, err = run(capsys, "zzzzzz")
    assert "did you mean" not in err


def test_in_ci_a_line_per_claim_as_it_settles(lib: Path, capsys: pytest.CaptureFixture[str],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    code, out, err = run(capsys, "q1", "--no-cache", "--format", "json")
    lines = sorted(line for line in err.splitlines() if line.startswith("["))
    assert code == 1 and len(lines) == 3, err
    assert any(re.fullmatch(r"\[\d/3\] q1\.2 refuted ✗ \d+\.\d\ds", line) for line in lines), lines
    assert any(re.fullmatch(r"\[\d/3\] q1\.3 refuted \(expected\) ✓ \d+\.\d\ds", line) for line in lines), lines
    assert json.loads(out)["summary"]["claims"] == 3  # the report itself is untouched
    _, _, quiet = run(capsys, "q1", "--no-cache", "-q")
    assert not any(line.startswith("[") for line in quiet.splitlines())


def test_marks_fall_back_to_ascii_when_the_terminal_cannot_print_them(lib: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "verifier", "q1", "--no-cache"], cwd=lib, capture_output=True,
                          check=False, timeout=120, env={**os.environ, "PYTHONIOENCODING": "ascii", "NO_COLOR": "1",
                                                         "CI": ""})
    assert proc.returncode == 1
    proc.stdout.decode("ascii")  # every byte is ASCII: no mark replaced by '?', none left out
    assert b"?" not in proc.stdout and b" ok " in proc.stdout and b"X q1.2" in proc.stdout


def test_a_piped_report_is_not_cut_at_80_columns(lib: Path, capsys: pytest.CaptureFixture[str]) -> None:
    title = "A title long enough that an eighty-column table would have to cut it somewhere in the middle"
    (lib / "derivations" / "q3.toml").write_text(
        f'question = "q3"\n[symbols]\nx = "real"\n\n[[claim]]\nid = "q3.1"\ntitle = "{title}"\n'
        'statement = "x = x"\n', encoding="utf-8")
    _, out, _ = run(capsys, "q3", "--no-cache", "--color", "never")
    assert title in out


def test_the_progress_bar_fits_a_narrow_terminal() -> None:
    import io

    from verifier.cli.progress import Bar

    for columns in (20, 40, 60, 200):
        bar = Bar(io.StringIO(), columns=columns)
        bar.start -= 5
        bar(123, 4567)
        drawn = bar.stream.getvalue()
        assert len(drawn.lstrip("\r")) <= columns - 1, (columns, drawn)
        assert "123/4567" in drawn or columns < 30


# --- shards, merge and report ---------------------------------------------------------------------------------


def test_shards_are_disjoint_cover_everything_and_merge_to_one_run(lib: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    _, whole, _ = run(capsys, "all", "--format", "json", "--no-cache")
    ids = []
    for i in (1, 2, 3):
        run(capsys, "all", "--shard", f"{i}/3", "--format", "json", "--output", f"s{i}.json", "--no-cache")
        ids.append([c["id"] for c in json.loads((lib / f"s{i}.json").read_text(encoding="utf-8"))["claims"]])
    # 5 claims in library order q1.1 q1.2 q1.3 q10.1 q2.1, dealt out in turn.
    assert ids == [["q1.1", "q10.1"], ["q1.2", "q2.1"], ["q1.3"]]
    code, merged, _ = run(capsys, "merge", "s1.json", "s2.json", "s3.json", "--format", "json")
    assert code == 1  # q1.2 misses its expectation, as in the whole run
    assert verdicts(merged) == verdicts(whole)
    assert json.loads(merged)["summary"]["unexpected"] == json.loads(whole)["summary"]["unexpected"] == 1


@pytest.mark.parametrize("shard", ["0/2", "3/2", "1/0", "a/b", "2"])
def test_a_bad_shard_is_a_usage_error(lib: Path, capsys: pytest.CaptureFixture[str], shard: str) -> None:
    code, _, err = run(capsys, "all", "--shard", shard)
    assert code == 2 and "is not I/N" in err


def test_one_run_renders_every_format(lib: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (lib / "derivations" / "q3.toml").write_text('[[claim]]\nid = "q3.1"\ntitle = \n', encoding="utf-8")
    code, _, _ = run(capsys, "all", "--format", "json", "--output", "r.json", "--no-cache")
    assert code == 2  # q3.toml cannot be read
    for fmt in ("text", "github", "markdown", "junit", "json"):
        status, out, _ = run(capsys, "report", "r.json", "--format", fmt, "--color", "never")
        assert status == 2 and "q1.2" in out, fmt
        assert "derivations/q3.toml" in out, fmt  # the unreadable file is named in every format
    code, _, err = run(capsys, "report", "missing.json")
    assert code == 2 and "cannot read 'missing.json'" in err


def test_a_saved_report_of_a_sheet_keeps_its_summary(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    # A sheet whose second line is wrong (2a = a + 2, false at a = 1: 2 against 3): the text report of the run and
    # the text rendered from its saved JSON report end with the same per-sheet summary.
    monkeypatch.chdir(tmp_path)
    (tmp_path / "s.md").write_text("**Answer 1.1**\n$$2 a = a + a$$\n\n**Answer 1.2**\n$$2 a = a + 2$$\n",
                                   encoding="utf-8")
    (tmp_path / "s.notation.toml").write_text('[symbols]\na = "real"\n', encoding="utf-8")
    _, direct, _ = run(capsys, "--derivations", "s.md", "--no-cache", "--jobs", "1", "--color", "never")
    run(capsys, "--derivations", "s.md", "--jobs", "1", "--format", "json", "--output", "r.json")
    _, again, _ = run(capsys, "report", "r.json", "--color", "never")
    summary = direct[direct.index("\nSheets:\n"):]
    assert "s.md: 2 claims; wrong: q1.2 (line 5)" in summary
    assert again.endswith(summary)


def test_progress_lines_show_a_sheets_unread_steps_as_unknown(capsys: pytest.CaptureFixture[str]) -> None:
    # Answer 2.3 of the bundled sheet has two steps that are not read (an elided list, '\dots'): the claim is
    # unknown in the report, and its progress line says so too, not "error".
    sheet = Path(__file__).resolve().parents[1] / "derivations" / "sheets" / "assignment-1-answers.md"
    _, out, err = run(capsys, "q2.3", "--no-cache", "--color", "never", "-v", "--jobs", "1", "--derivations",
                      str(sheet))
    assert "[1/1] q2.3 unknown" in err
    assert "not read: '\\dots'" in out


def test_a_bracket_after_a_scalar_is_not_read_as_a_product(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    # With y declared real, y[0] + 1 = 1 was read y*0 + 1 = 1 and proved; on the page y[0] is an entry of y. The
    # step is now "not read" at the bracket (column 4 of the file's line), and `verify init` lists the line.
    monkeypatch.chdir(tmp_path)
    (tmp_path / "s.md").write_text("**Answer 1.1**\n$$y[0] + 1 = 1$$\n", encoding="utf-8")
    (tmp_path / "s.notation.toml").write_text('[symbols]\ny = "real"\n', encoding="utf-8")
    code, out, _ = run(capsys, "--derivations", "s.md", "--no-cache", "--jobs", "1", "--format", "json")
    assert code == 1 and verdicts(out) == {"q1.1": "unknown"}
    _, text, _ = run(capsys, "--derivations", "s.md", "--no-cache", "--jobs", "1", "--color", "never")
    assert "not read: '[' right after 'y'" in text and "s.md:2:4" in text
    assert run(capsys, "init", "s.md", "--output", "inferred.toml")[0] == 0
    assert "line 2: '[' right after 'y'" in (tmp_path / "inferred.toml").read_text(encoding="utf-8")

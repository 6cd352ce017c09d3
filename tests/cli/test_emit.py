"""Tests of verifier.cli.emit: the per-sheet summary added to a report, and where a report is written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from verifier.cli import main
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


@pytest.mark.parametrize("output", ["s.md", "s.notation.toml", "link.md"])
def test_output_naming_an_input_is_refused_and_the_input_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                             capsys: pytest.CaptureFixture[str], output: str) -> None:
    # The sheet, its table, and a link to the sheet are all files the run reads: a report written there would
    # replace the answers or the table.
    monkeypatch.chdir(tmp_path)
    sheet = "**Answer 1.1**\n$$2 a = a + a$$\n"
    table = '[symbols]\na = "real"\n'
    (tmp_path / "s.md").write_text(sheet, encoding="utf-8")
    (tmp_path / "s.notation.toml").write_text(table, encoding="utf-8")
    (tmp_path / "link.md").symlink_to("s.md")
    code = main(["--derivations", "s.md", "--no-cache", "--jobs", "1", "--format", "json", "--output", output])
    err = capsys.readouterr().err
    assert code == 2
    assert f"--output {output} is an input of this run" in err
    assert (tmp_path / "s.md").read_text(encoding="utf-8") == sheet
    assert (tmp_path / "s.notation.toml").read_text(encoding="utf-8") == table


def test_output_naming_the_report_read_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    saved = RunResult([], 0.0, "0", "0").to_json()
    (tmp_path / "r.json").write_text(json.dumps(saved), encoding="utf-8")
    assert main(["report", "r.json", "--format", "markdown", "--output", "r.json"]) == 2
    assert "--output r.json is an input of this run" in capsys.readouterr().err
    assert json.loads((tmp_path / "r.json").read_text(encoding="utf-8")) == saved


def test_output_elsewhere_is_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "r.json").write_text(json.dumps(RunResult([], 0.0, "0", "0").to_json()), encoding="utf-8")
    (tmp_path / "out.md").write_text("old", encoding="utf-8")
    assert main(["report", "r.json", "--format", "markdown", "--output", "out.md"]) == 0
    assert (tmp_path / "out.md").read_text(encoding="utf-8").startswith("## ")


def test_a_sheet_named_with_escapes_reaches_no_format_raw(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    # The sheet's name and its text carry ESC sequences (erase line, cursor up, window title): the per-sheet
    # summary, the HTML page and every other format show them escaped.
    monkeypatch.chdir(tmp_path)
    name = "s\x1b[2K"
    (tmp_path / f"{name}.md").write_text("**Answer 1.1**\n$$2 a = a + a \\text{\x1b]0;pwned\x07}$$\n",
                                         encoding="utf-8")
    (tmp_path / f"{name}.notation.toml").write_text('[symbols]\na = "real"\n', encoding="utf-8")
    main(["--derivations", f"{name}.md", "--no-cache", "--jobs", "1", "--format", "json", "--output", "r.json"])
    for fmt in ("text", "github", "markdown", "html", "editor", "junit"):
        main(["report", "r.json", "--format", fmt, "--color", "never"])
        out = capsys.readouterr().out
        assert "\x1b" not in out and "\x07" not in out, fmt
        assert "s\\x1b[2K" in out or fmt == "junit", fmt

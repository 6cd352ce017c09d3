"""Positions in the file: every error and step at its line and column, counted in the file's line (not inside the
TOML string), in the editor format (``file:line:column: severity: message``), GitHub annotations and JSON."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from verifier.cli import main

# Columns below are counted by hand in these lines (1-based): `statement = "x + y = 2*x"` has its string's text
# start at column 14, so `y` (the 5th character of the text) is at column 18.
LIBRARY = """\
question = "q1"
[symbols]
x = "real"
[define]
"f(z)" = "z + w"

[[claim]]
id = "q1.1"
title = "Undeclared"
statement = "x + y = 2*x"

[[claim]]
id = "q1.2"
title = "A chain"
steps = ["x + x",
         "2*x", "3*x"]

[[claim]]
id = "q1.3"
title = "In a definition"
statement = "f(x) = x"
"""


@pytest.fixture
def lib(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "q1.toml").write_text(LIBRARY, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CI", raising=False)
    return tmp_path


def report(capsys: pytest.CaptureFixture[str], fmt: str, path: str = "q1.toml") -> tuple[int, str]:
    code = main(["--derivations", path, "--no-cache", "--format", fmt, "--jobs", "1"])
    return code, capsys.readouterr().out


def test_editor_lines_point_at_the_column_in_the_file(lib: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = report(capsys, "editor")
    assert code == 2
    lines = out.splitlines()
    places = [line.split(": ", 2)[:2] for line in lines[:-1]]
    # y: line 10, column 18. The refuted step 2*x = 3*x: its last entry "3*x" starts at column 18 of line 16
    # (`         "2*x", "3*x"]`: nine spaces, "2*x" in columns 10-14, a comma and a space, the quote at 17).
    # w in the body of f: `"f(z)" = "z + w"`, the body's text starts at column 11, w is its 5th character.
    assert places == [["q1.toml:10:18", "error"], ["q1.toml:16:18", "error"], ["q1.toml:5:15", "error"]]
    assert "undeclared name 'y'" in lines[0] and "counterexample: x = " in lines[1]
    assert re.match(r"3 claims: .* - FAILED", lines[-1])


def test_github_annotations_and_json_carry_the_column(lib: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, out = report(capsys, "github")
    assert "file=q1.toml,line=10,col=18," in out and "file=q1.toml,line=16,col=18," in out
    _, out = report(capsys, "json")
    step = json.loads(out)["claims"][1]["obligations"][1]
    assert (step["line"], step["column"], step["verdict"]) == (16, 18, "refuted")


def test_a_toml_syntax_error_has_its_column(lib: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # The list opened on line 2 is not closed: tomllib stops at line 3, column 1, where `c` starts.
    (lib / "bad.toml").write_text('a = "x"\nb = [1, 2\nc = 3\n', encoding="utf-8")
    code, out = report(capsys, "editor", "bad.toml")
    assert code == 2
    assert out.startswith("bad.toml:3:1: error: TOML syntax error: Unclosed array")

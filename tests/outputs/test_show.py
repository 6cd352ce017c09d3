"""Tests of ``verify show ID``: one claim rendered for a person."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from verifier.cli import main

LIBRARY = """\
question = "q1"
[symbols]
x = "real"
a = "real positive"

[[claim]]
id = "q1.1"
title = "Adding fractions"
latex = '\\frac{a}{a+1}'
note = "a note for the reader"
statement = "a/(a + 1) + 1/(a + 1) = 1"
steps = ["a/(a + 1) + 1/(a + 1)", "(a + 1)/(a + 1)", "1"]

[[claim.derivation]]
name = "bound"
steps = ["a/(a + 1)", "< 1"]

[[claim]]
id = "q1.2"
title = "A wrong step"
steps = ["(x + 1)^2", "x^2 + 1"]

[[claim]]
id = "q1.3"
title = "Undeclared name"
statement = "x + zz = x"
"""


@pytest.fixture
def lib(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The library above in ``tmp_path/derivations``; the working directory is ``tmp_path``."""
    (tmp_path / "derivations").mkdir()
    (tmp_path / "derivations" / "q1.toml").write_text(LIBRARY, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    for name in ("NO_COLOR", "FORCE_COLOR"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


def show(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """``verify show ARGV --no-cache`` in this process: (status, stdout, stderr)."""
    code = main(["show", *argv, "--no-cache"])
    out, err = capsys.readouterr()
    return code, out, err


def test_a_claim_that_holds(lib: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = show(capsys, "q1.1")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["q1.1", "Adding", "fractions"]
    assert "derivations/q1.toml:6" in lines[1] and "proved" in lines[1]
    assert "latex: \\frac{a}{a+1}" in out and "note: a note for the reader" in out
    # one heading per part, one mark per obligation
    assert [line for line in lines if line in ("statement", "steps", "derivation 'bound'")] == \
        ["statement", "steps", "derivation 'bound'"]
    marks = [line for line in lines if line[:2] in ("✓ ", "✗ ", "? ", "! ")]
    assert [m.split("  ")[0] for m in marks] == ["✓ statement", "✓ step 1", "✓ step 2",
                                                   '✓ step 1 of derivation "bound"']
    assert "─" in out  # a fraction bar: relations are pretty-printed with SymPy's unicode printer
    assert "a/(a + 1) < 1" in out  # and each is shown as written
    assert "\x1b[" not in out


def test_a_refuted_step_shows_the_counterexample_and_both_sides(lib: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = show(capsys, "q1.2")
    assert code == 1
    assert "unexpected: expected holds" in out
    assert "✗ step 1  [refuted]" in out
    assert "(x + 1)^2 = x^2 + 1" in out
    assert "counterexample: x = " in out
    assert "lhs = " in out and "rhs = " in out


def test_an_input_error_exits_2(lib: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = show(capsys, "q1.3")
    assert code == 2
    assert "! statement  [error]" in out and "zz" in out


def test_unknown_id_exits_2(lib: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = show(capsys, "q1")  # a question, not a claim id
    assert code == 2 and out == "" and "unknown claim id: q1" in err


def test_colour_on_request_only(lib: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert "\x1b[" in show(capsys, "q1.2", "--color", "always")[1]
    assert "\x1b[" not in show(capsys, "q1.2", "--color", "never")[1]


def test_output_and_json(lib: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = show(capsys, "q1.2", "--output", "shown.txt")
    assert code == 1 and out == ""
    assert "✗ step 1" in (lib / "shown.txt").read_text(encoding="utf-8")
    code, out, _ = show(capsys, "q1.2", "--format", "json")
    assert code == 1 and [c["id"] for c in json.loads(out)["claims"]] == ["q1.2"]


def test_control_characters_of_a_title_are_escaped_in_colour_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    # TOML's \u001b is a raw ESC in the title: erase the line, cursor up, set the window's title.
    (tmp_path / "q.toml").write_text('[symbols]\nx = "real"\n[[claim]]\nid = "c1"\n'
                                     'title = "t\\u001b[2K\\u001b[1A\\u001b]0;pwned\\u0007"\nstatement = "x = x"\n',
                                     encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, out, _ = show(capsys, "c1", "--derivations", "q.toml", "--color", "always")
    assert code == 0
    assert "\x1b[1m" in out                                  # the colours asked for are there
    assert "\x1b[2K" not in out and "\x07" not in out and "\x1b]" not in out
    assert "t\\x1b[2K\\x1b[1A\\x1b]0;pwned\\x07" in out

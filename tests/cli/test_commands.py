"""Tests of verifier.cli.commands: what the commands say on standard error."""

from __future__ import annotations

from pathlib import Path

import pytest

from verifier.cli import main


def test_standard_error_shows_a_file_names_control_characters_escaped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    # Two sheets, one named with ESC sequences (erase the line, set the window's title): the note on sheets left
    # without a table, then (with tables) the per-claim progress lines (-v) and the per-sheet lines all name it,
    # escaped.
    monkeypatch.chdir(tmp_path)
    name = "a\x1b[2K\x1b]0;t\x07"
    shown = "a\\x1b[2K\\x1b]0;t\\x07.md"
    for stem in (name, "b"):
        (tmp_path / f"{stem}.md").write_text("**Answer 1.1**\n$$2 a = a + a$$\n", encoding="utf-8")
    main(["--derivations", ".", "--no-cache", "--jobs", "1", "--format", "json"])
    err = capsys.readouterr().err
    assert f"verify: {shown}, b.md: not read: no notation table" in err
    assert "\x1b" not in err and "\x07" not in err
    for stem in (name, "b"):
        (tmp_path / f"{stem}.notation.toml").write_text('[symbols]\na = "real"\n', encoding="utf-8")
    main(["--derivations", ".", "--no-cache", "--jobs", "1", "-v", "--format", "json"])
    err = capsys.readouterr().err
    assert f"{shown}:q1.1 proved" in err and f"{shown}: 1 claims settled" in err
    assert "\x1b" not in err and "\x07" not in err

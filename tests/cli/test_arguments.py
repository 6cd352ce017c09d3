"""One command per job: each command's own help (with examples and exit statuses), the command found wherever the
options are, paths where ids are expected, the nearest command for a typo, and every older spelling kept."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from libraries import COMMON, Q1

from verifier.cli import main
from verifier.cli.arguments import COMMANDS, command_of, parse


@pytest.fixture
def lib(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "derivations"
    folder.mkdir()
    (folder / "_common.toml").write_text(COMMON, encoding="utf-8")
    (folder / "q1.toml").write_text(Q1, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize("name", list(COMMANDS))
def test_each_command_has_its_own_help(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([name, "-h"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"usage: verify {name} ")
    assert "examples:" in out and f"  verify {name}" in out
    assert "exit status:" in out and "130" in out


def test_the_top_help_lists_the_commands_examples_and_exit_statuses(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["-h"]) == 0
    out = capsys.readouterr().out
    assert all(f"  {name} " in out for name in COMMANDS)
    assert "examples:" in out and "exit status:" in out and "[tool.verify]" in out


@pytest.mark.parametrize("argv, command", [
    (["show", "q2.4"], ("show", 0)),
    (["--format", "json", "all"], ("all", 2)),
    (["--changed", "all"], ("all", 1)),
    (["--changed", "HEAD~1", "list"], ("list", 2)),
    (["-v", "--derivations", "show", "files", "x.toml"], ("files", 3)),
    (["q2.4"], (None, -1)),
    (["--", "show"], (None, -1)),
])
def test_the_command_is_the_first_word_that_is_not_an_option(argv: list[str], command: tuple[str | None, int]
                                                              ) -> None:
    assert command_of(argv) == command


@pytest.mark.parametrize("argv, targets", [
    (["q2.4", "q3"], ("q2.4", "q3")),
    (["all", "--format", "json"], ("all",)),
    (["--format", "json", "all"], ("all",)),
    (["show", "--format", "json", "q2.4"], ("show", "q2.4")),
    (["files", "a.toml", "b.toml"], ("files", "a.toml", "b.toml")),
    (["merge", "s1.json", "s2.json", "--format", "markdown"], ("merge", "s1.json", "s2.json")),
    (["--changed", "all"], ("all",)),
    ([], ()),
])
def test_every_spelling_of_the_contract_parses_as_before(lib: Path, argv: list[str], targets: tuple[str, ...]
                                                         ) -> None:
    assert parse(argv).targets == targets


def test_a_typo_suggests_the_nearest_command(lib: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["shwo"]) == 2
    assert "did you mean the command 'show'?" in capsys.readouterr().err


def test_a_claim_id_as_first_word_still_selects_it(lib: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["q1.1", "--format", "json", "--no-cache"]) in (0, 1)
    assert '"id": "q1.1"' in capsys.readouterr().out


def test_a_path_is_accepted_where_an_id_is_expected(lib: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["derivations/q1.toml", "--format", "json", "--no-cache"])
    report = json.loads(capsys.readouterr().out)
    assert code in (0, 1)
    assert [c["id"] for c in report["claims"]] == ["q1.1", "q1.2", "q1.3"]
    assert main(["derivations/q9.toml"]) == 2
    assert "no such file: derivations/q9.toml" in capsys.readouterr().err


def test_every_option_that_takes_a_value_is_skipped_when_finding_the_command() -> None:
    from verifier.cli.arguments import parser
    for action in parser()._actions:
        if action.option_strings and action.nargs is None:
            for option in action.option_strings:
                assert command_of([option, "show", "list"]) == ("list", 2), option

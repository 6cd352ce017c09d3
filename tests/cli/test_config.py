"""``[tool.verify]`` in pyproject.toml: found by walking up from the working folder, the command line winning,
errors at their line and column, and ``--show-config``."""

from __future__ import annotations

from pathlib import Path

import pytest

from verifier.cli import main
from verifier.cli.arguments import parse
from verifier.cli.config import find, load
from verifier.errors import UsageError
from verifier.outputs.report import FORMATS

PYPROJECT = """\
[project]
name = "course"

[tool.verify]
derivations = "notes/derivations"
timeout = 12
jobs = 1
require_proof = true
format = "json"

[tool.other]
timeout = 99
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project with [tool.verify], the working folder two levels below it."""
    (tmp_path / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    below = tmp_path / "notes" / "week1"
    below.mkdir(parents=True)
    monkeypatch.chdir(below)
    return tmp_path


def test_found_by_walking_up_and_paths_relative_to_its_folder(project: Path) -> None:
    assert find() == project / "pyproject.toml"
    options = parse(["all"])
    # notes/derivations seen from notes/week1 is ../derivations.
    assert options.derivations == str(Path("..") / "derivations")
    assert (options.timeout, options.jobs, options.require_proof, options.format) == (12.0, 1, True, "json")
    origins = dict(options.origins)
    assert origins["timeout"] == "../../pyproject.toml:6 [tool.verify]"
    assert origins["notation"] == "default"


def test_the_command_line_wins(project: Path) -> None:
    options = parse(["all", "--timeout", "3", "--format", "text", "--derivations", "elsewhere"])
    assert (options.timeout, options.format, options.derivations) == (3.0, "text", "elsewhere")
    assert dict(options.origins)["timeout"] == "command line"
    assert options.jobs == 1


def test_a_pyproject_without_the_table_is_passed_over(project: Path) -> None:
    inner = project / "notes" / "pyproject.toml"
    inner.write_text('[project]\nname = "inner"\n', encoding="utf-8")
    assert find() == project / "pyproject.toml"


def test_no_table_gives_the_defaults(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    if find() is not None:
        pytest.skip("a pyproject.toml with [tool.verify] lies above the temporary folder")
    options = parse(["all"])
    assert (options.derivations, options.timeout, options.format) == ("derivations", None, "text")


@pytest.mark.parametrize("body, message, line, column", [
    ("  timout = 3\n", "unknown key 'timout'", 2, 3),
    ("timeout = -1\n", "timeout must be a positive number", 2, 1),
    ("jobs = 1.5\n", "jobs must be a whole number", 2, 1),
    ("require-proof = true\n", "did you mean 'require_proof'", 2, 1),
    ("format = \"xml\"\n", "format must be one of text", 2, 1),
    ("timeout = \n", "TOML syntax error", 2, 11),
])
def test_errors_name_the_line_and_column(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, body: str, message: str,
                                         line: int, column: int) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.verify]\n" + body, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(UsageError) as caught:
        load(FORMATS)
    err = caught.value
    assert message in err.message and (err.file, err.line, err.column) == ("pyproject.toml", line, column)


def test_a_bad_table_exits_2_with_file_line_and_column(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.verify]\njobs = 0\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["all"]) == 2
    assert "verify: error: pyproject.toml:2:1: [tool.verify] jobs must be" in capsys.readouterr().err


def test_show_config_prints_each_value_and_where_it_came_from(project: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--show-config", "--jobs", "2"]) == 0
    out = capsys.readouterr().out
    lines = {line.split(" = ")[0]: line for line in out.splitlines() if " = " in line}
    assert "12.0" in lines["timeout"] and "pyproject.toml:6 [tool.verify]" in lines["timeout"]
    assert "2" in lines["jobs"] and "command line" in lines["jobs"]
    assert "(none)" in lines["notation"] and "default" in lines["notation"]
    assert out.startswith("# [tool.verify] from ")


def test_the_configured_format_does_not_apply_to_show_and_list(project: Path) -> None:
    assert parse(["list"]).format == "text"
    assert parse(["show", "q1.1"]).format == "text"
    assert parse(["q1.1"]).format == "json"

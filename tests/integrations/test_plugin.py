"""Tests of the pytest plugin: one item per claim, failures explained as in the text report, and no interference
with ordinary test runs."""

from __future__ import annotations

from pathlib import Path

import pytest
from libraries import COMMON, Q1

# Imported here so that it outlives each in-process pytester session: pytester removes the modules a session
# imported, and a second import of SymPy in one process does not give a working engine.
import verifier.search.engine  # noqa: F401
from verifier.cli import main
from verifier.integrations.pytest_plugin import is_derivation_file

pytest_plugins = ["pytester"]


NOT_DERIVATIONS = {
    # TOML files that mention claims but are not derivation files: never collected.
    "config.toml": '[tool]\nname = "x"\n\n[[claim]]\nid = "c"\n',
    "notes.toml": 'text = "see the [[claim]] tables"\n',
    "_shared.toml": COMMON,
}


@pytest.fixture
def project(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.Pytester:
    """A project with a derivation library, other TOML files and an ordinary test."""
    # Hypothesis' plugin costs a second per inner session and has nothing to do here.
    monkeypatch.setenv("PYTEST_ADDOPTS", "-p no:hypothesispytest -p no:cacheprovider")
    (pytester.path / "derivations").mkdir()
    (pytester.path / "derivations" / "_common.toml").write_text(COMMON, encoding="utf-8")
    (pytester.path / "derivations" / "q1.toml").write_text(Q1, encoding="utf-8")
    for name, text in NOT_DERIVATIONS.items():
        (pytester.path / "derivations" / name).write_text(text, encoding="utf-8")
    (pytester.path / "pyproject.toml").write_text(
        '[project]\nname = "demo"\n\n[[claim]]\nid = "p"\n\n[tool.pytest.ini_options]\ntestpaths = ["tests"]\n',
        encoding="utf-8")
    (pytester.path / "tests").mkdir()
    (pytester.path / "tests" / "test_plain.py").write_text("def test_plain():\n    assert True\n",
                                                           encoding="utf-8")
    return pytester


def test_one_item_per_claim_named_by_its_id(project: pytest.Pytester) -> None:
    result = project.runpytest("--collect-only", "-q", "derivations")
    ids = [line for line in result.outlines if "::" in line]
    assert ids == ["derivations/q1.toml::q1.1", "derivations/q1.toml::q1.2", "derivations/q1.toml::q1.3"]


def test_items_pass_when_the_claim_meets_its_expectation(project: pytest.Pytester) -> None:
    result = project.runpytest("derivations", "-rA")
    result.assert_outcomes(passed=2, failed=1)
    result.stdout.fnmatch_lines(["PASSED derivations/q1.toml::q1.1", "PASSED derivations/q1.toml::q1.3",
                                 "FAILED derivations/q1.toml::q1.2 - derivations/q1.toml:9: expected*"])


def test_a_failure_reads_like_the_text_report(project: pytest.Pytester,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    result = project.runpytest("derivations/q1.toml")
    result.assert_outcomes(passed=2, failed=1)
    assert main(["q1.2", "--no-cache", "--color", "never", "--derivations", "derivations/q1.toml"]) == 1
    text = capsys.readouterr().out.splitlines()
    start = next(n for n, line in enumerate(text) if line.startswith("✗ q1.2"))
    stop = next(n for n in range(start, len(text)) if not text[n].strip())
    explanation = [line.strip() for line in text[start + 1:stop]]
    assert any(line.startswith("counterexample: x = ") for line in explanation)
    assert any(line.startswith("lhs = ") for line in explanation)
    shown = [line.strip() for line in result.outlines]
    for line in explanation:
        assert line in shown, line
    assert "Traceback" not in result.stdout.str()


def collected(result: pytest.RunResult) -> list[str]:
    return sorted(line for line in result.outlines if "::" in line)


ALL_ITEMS = ["derivations/q1.toml::q1.1", "derivations/q1.toml::q1.2", "derivations/q1.toml::q1.3",
             "tests/test_plain.py::test_plain"]


def test_a_plain_run_collects_no_derivation(project: pytest.Pytester) -> None:
    # testpaths = ["tests"]: the plugin adds nothing, and pyproject.toml is not a derivation file.
    result = project.runpytest()
    result.assert_outcomes(passed=1)
    # The root given explicitly is no opt-in either: a course repository's `pytest .` runs its own tests only.
    assert collected(project.runpytest("--collect-only", "-q", ".")) == ["tests/test_plain.py::test_plain"]
    (project.path / "pyproject.toml").write_text('[project]\nname = "demo"\n', encoding="utf-8")
    assert collected(project.runpytest("--collect-only", "-q")) == ["tests/test_plain.py::test_plain"]


def test_the_flag_collects_every_derivation_file(project: pytest.Pytester) -> None:
    assert collected(project.runpytest("--collect-only", "-q", "--verify-derivations", ".")) == ALL_ITEMS


@pytest.mark.slow
def test_xdist_gives_the_same_verdicts(project: pytest.Pytester) -> None:
    pytest.importorskip("xdist")
    serial = project.runpytest_subprocess("derivations", "-rA", "-p", "no:randomly")
    parallel = project.runpytest_subprocess("derivations", "-rA", "-n", "2")
    for result in (serial, parallel):
        result.assert_outcomes(passed=2, failed=1)
    def verdicts(result: pytest.RunResult) -> list[str]:
        return sorted(line.split(" - ")[0] for line in result.outlines if line.startswith(("PASSED", "FAILED")))
    assert verdicts(serial) == verdicts(parallel) == [
        "FAILED derivations/q1.toml::q1.2", "PASSED derivations/q1.toml::q1.1", "PASSED derivations/q1.toml::q1.3"]
    assert "2 workers" in parallel.stdout.str() or "created: 2/2 workers" in parallel.stdout.str()
    # A plain run with xdist collects no derivation either: the workers follow the controller's choice.
    plain = project.runpytest_subprocess("-n", "2")
    plain.assert_outcomes(passed=1)


def test_an_unreadable_derivation_file_is_a_collection_error(project: pytest.Pytester) -> None:
    (project.path / "derivations" / "q9.toml").write_text('[[claim]]\nid = "q9.1"\ntitle = \n', encoding="utf-8")
    result = project.runpytest("derivations")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*derivations/q9.toml:3:9: TOML syntax error*"])
    assert "Traceback" not in result.stdout.str()


def test_a_misspelt_top_level_key_is_reported_not_skipped(project: pytest.Pytester) -> None:
    (project.path / "derivations" / "q8.toml").write_text(
        'titel = "typo"\n[symbols]\nx = "real"\n\n[[claim]]\nid = "q8.1"\ntitle = "t"\nstatement = "x = x"\n',
        encoding="utf-8")
    result = project.runpytest("derivations/q8.toml")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*derivations/q8.toml:1: unknown top-level key 'titel'*"])


def test_timeout_option(project: pytest.Pytester) -> None:
    result = project.runpytest("derivations", "--verify-timeout", "30", "-k", "q1.1")
    result.assert_outcomes(passed=1, deselected=2)
    result = project.runpytest("derivations", "--verify-timeout", "0")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert "--verify-timeout must be a positive number" in result.stderr.str()


def test_the_real_project_files_are_not_derivation_files() -> None:
    root = Path(__file__).resolve().parents[2]
    assert not is_derivation_file(root / "pyproject.toml")
    # tests/redteam/claims and tests/homework are derivation libraries on purpose, each judged by its own test and
    # kept from collection by a conftest.py.
    assert not [p for p in (root / "tests").rglob("*.toml")
                if is_derivation_file(p) and not {"redteam", "homework"} & set(p.parts)]
    assert [p.name for p in sorted((root / "derivations").glob("*.toml")) if is_derivation_file(p)] == \
        sorted(p.name for p in (root / "derivations").glob("q*.toml"))

"""Tests of ``verify files PATH...`` (what the pre-commit hook runs) and of the hook itself in a real pre-commit."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from verifier.cli import main
from verifier.integrations.detect import is_derivation_source

WRONG = 'question = "q4"\n[symbols]\nb = "real"\n\n[[claim]]\nid = "q4.1"\ntitle = "Wrong"\nstatement = "b + 1 = b"\n'
FILES = {
    "_common.toml": '[symbols]\nx = "real"\n[define]\n"dbl(z)" = "2*z"\n',
    "q1.toml": 'question = "q1"\nuse = ["_common.toml"]\n\n[[claim]]\nid = "q1.1"\ntitle = "Doubling"\n'
               'statement = "x + x = dbl(x)"\n',
    "q2.toml": 'question = "q2"\n[symbols]\na = "real"\n\n[[claim]]\nid = "q2.1"\ntitle = "Zero"\n'
               'statement = "a - a = 0"\n',
    "q3.toml": 'question = "q3"\nuse = ["_common.toml"]\n\n[[claim]]\nid = "q3.1"\ntitle = "Half"\n'
               'statement = "dbl(x)/2 = x"\n',
}
PYPROJECT = '[project]\nname = "course"\n\n[tool.course]\nnote = "[[claim]] is mentioned here"\n'


@pytest.fixture
def course(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A course repository's files: a library, a pyproject.toml and another TOML file; cwd is its top."""
    (tmp_path / "derivations").mkdir()
    for name, text in FILES.items():
        (tmp_path / "derivations" / name).write_text(text, encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    (tmp_path / "derivations" / "settings.toml").write_text('colour = "blue"\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CI", raising=False)
    return tmp_path


def selected(capsys: pytest.CaptureFixture[str], *paths: str) -> tuple[int, set[str]]:
    code = main(["files", *paths, "--format", "json", "--no-cache"])
    out = capsys.readouterr().out
    return code, ({c["id"] for c in json.loads(out)["claims"]} if out else set())


def test_only_the_files_given_and_their_users(course: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert selected(capsys, "derivations/q2.toml") == (0, {"q2.1"})
    # _common.toml holds no claim; q1 and q3 use it.
    assert selected(capsys, "derivations/_common.toml") == (0, {"q1.1", "q3.1"})


def test_other_toml_files_are_left_alone(course: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert not is_derivation_source(course / "pyproject.toml")
    assert not is_derivation_source(course / "derivations" / "settings.toml")
    code = main(["files", "pyproject.toml", "derivations/settings.toml", "--no-cache"])
    captured = capsys.readouterr()
    assert code == 0 and captured.out == "" and "nothing to verify" in captured.err


def test_a_wrong_step_in_a_given_file_fails(course: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (course / "derivations" / "q4.toml").write_text(WRONG, encoding="utf-8")
    assert selected(capsys, "derivations/q4.toml", "pyproject.toml") == (1, {"q4.1"})


def test_a_broken_file_elsewhere_does_not_block(course: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (course / "derivations" / "q9.toml").write_text('[[claim]]\nid = "q9.1"\ntitle = \n', encoding="utf-8")
    assert selected(capsys, "derivations/q2.toml") == (0, {"q2.1"})
    code = main(["files", "derivations/q9.toml", "--no-cache"])
    captured = capsys.readouterr()
    assert code == 2 and "derivations/q9.toml:3" in captured.err and "derivations/q9.toml:3" in captured.out


def test_a_missing_file_is_a_usage_error(course: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["files", "derivations/nope.toml"]) == 2
    assert "no such file: derivations/nope.toml" in capsys.readouterr().err


# --- the hook in a real pre-commit ----------------------------------------------------------------------------

ROOT = Path(__file__).resolve().parents[2]


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True)


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_the_hook_in_a_real_pre_commit(course: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    pytest.importorskip("pre_commit")
    env = {**os.environ, "GIT_CONFIG_GLOBAL": "/dev/null", "GIT_CONFIG_NOSYSTEM": "1",
           "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.org", "PRE_COMMIT_HOME": str(tmp_path_factory.mktemp("pre-commit")),
           "NO_COLOR": "1"}
    env.pop("CI", None)
    (course / ".gitignore").write_text(".verify_cache/\n", encoding="utf-8")
    (course / "derivations" / "q4.toml").write_text(WRONG, encoding="utf-8")
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=course, check=True, env=env)
    subprocess.run(["git", "add", "."], cwd=course, check=True, env=env)
    subprocess.run(["git", "commit", "-q", "-m", "course"], cwd=course, check=True, env=env)

    # The tool as one commit: pre-commit installs a (repository, commit) once, so the three runs share one install
    # (try-repo on a working tree with edits would make a new commit, and a new install, each time).
    tool = tmp_path_factory.mktemp("tool") / "verify"
    subprocess.run(["git", "clone", "-q", "--no-hardlinks", str(ROOT), str(tool)], check=True, env=env)
    edits = subprocess.run(["git", "diff", "HEAD", "--binary"], cwd=ROOT, check=True, capture_output=True,
                           env=env).stdout
    if edits:
        subprocess.run(["git", "apply"], cwd=tool, input=edits, check=True, env=env)
        subprocess.run(["git", "commit", "-qam", "edits"], cwd=tool, check=True, env=env)

    def try_repo(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "pre_commit", "try-repo", str(tool), "verify", "-v", *args],
                              cwd=course, env=env, capture_output=True, text=True, timeout=900, check=False)

    # --all-files, as pre-commit.ci and most CI call hooks: the committed wrong step is caught.
    everything = try_repo("--all-files")
    assert everything.returncode == 1, everything.stdout + everything.stderr
    assert "q4.1" in everything.stdout and "q2.1" in everything.stdout
    # pyproject.toml and settings.toml match no pattern; only derivation files are passed.
    assert "pyproject" not in everything.stdout and "settings" not in everything.stdout

    # Files given: the claims in them and in their users, nothing else.
    one = try_repo("--files", "derivations/_common.toml", "pyproject.toml")
    assert one.returncode == 0, one.stdout + one.stderr
    assert "q1.1" in one.stdout and "q3.1" in one.stdout and "q4.1" not in one.stdout

    # An untracked scratch file does not block a commit that does not contain it.
    (course / "derivations" / "q4.toml").write_text(WRONG.replace("b + 1 = b", "b + 0 = b"), encoding="utf-8")
    (course / "derivations" / "scratch.toml").write_text(WRONG.replace("q4", "q5"), encoding="utf-8")
    _git(course, "add", "derivations/q4.toml")
    staged = try_repo()
    assert staged.returncode == 0, staged.stdout + staged.stderr
    assert "q4.1" in staged.stdout and "q5.1" not in staged.stdout

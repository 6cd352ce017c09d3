"""Tests of ``verify --changed [REF]`` against a real temporary git repository."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from verifier.cli import main
from verifier.cli.git import changed_files
from verifier.frontend.library import load_library

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

FILES = {
    "_common.toml": '[symbols]\nx = "real"\n[define]\n"dbl(z)" = "2*z"\n',
    "q1.toml": 'question = "q1"\nuse = ["_common.toml"]\n\n[[claim]]\nid = "q1.1"\ntitle = "Doubling"\n'
               'statement = "x + x = dbl(x)"\n',
    "q2.toml": 'question = "q2"\n[symbols]\na = "real"\n\n[[claim]]\nid = "q2.1"\ntitle = "Zero"\n'
               'statement = "a - a = 0"\n',
    "q3.toml": 'question = "q3"\nuse = ["_common.toml"]\n\n[[claim]]\nid = "q3.1"\ntitle = "Half"\n'
               'statement = "dbl(x)/2 = x"\n',
}


def git(repo: Path, *args: str) -> str:
    """Run git in ``repo`` and return its output."""
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True).stdout


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository on branch ``main`` with the library committed; the working directory is its top."""
    for name, value in {"GIT_CONFIG_GLOBAL": "/dev/null", "GIT_CONFIG_NOSYSTEM": "1",
                        "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
                        "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}.items():
        monkeypatch.setenv(name, value)
    (tmp_path / "derivations").mkdir()
    for name, text in FILES.items():
        (tmp_path / "derivations" / name).write_text(text, encoding="utf-8")
    (tmp_path / ".gitignore").write_text(".verify_cache/\n", encoding="utf-8")
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "library")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def changed(ref: str = "") -> set[str]:
    """The claim ids that ``--changed REF`` selects."""
    library = load_library(Path("derivations"))
    files = changed_files(library, Path("derivations"), ref)
    return {c.id for c in library.claims if c.file in files}


def edit(repo: Path, name: str) -> None:
    """Append a comment to a derivation file (a change git sees, the same claims)."""
    path = repo / "derivations" / name
    path.write_text(path.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")


def test_nothing_changed_says_so_and_exits_0(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["all", "--changed"]) == 0
    out, err = capsys.readouterr()
    assert out == "" and "nothing to verify" in err
    assert main(["--changed", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["summary"]["claims"] == 0


def test_uncommitted_edit_on_the_default_branch(repo: Path) -> None:
    edit(repo, "q2.toml")
    assert changed() == {"q2.1"}


def test_a_changed_used_file_selects_its_users(repo: Path) -> None:
    edit(repo, "_common.toml")
    assert changed() == {"q1.1", "q3.1"}


def test_staged_edit_counts(repo: Path) -> None:
    edit(repo, "q3.toml")
    git(repo, "add", "derivations/q3.toml")
    assert changed() == {"q3.1"}


def test_untracked_new_file(repo: Path) -> None:
    (repo / "derivations" / "q4.toml").write_text(
        'question = "q4"\n[symbols]\nb = "real"\n\n[[claim]]\nid = "q4.1"\ntitle = "t"\nstatement = "b = b"\n',
        encoding="utf-8")
    assert changed() == {"q4.1"}


def test_branch_compares_with_the_merge_base_of_the_default_branch(repo: Path) -> None:
    git(repo, "checkout", "-q", "-b", "feature")
    edit(repo, "q2.toml")
    git(repo, "commit", "-q", "-am", "edit q2")
    assert changed() == {"q2.1"}  # committed on the branch
    edit(repo, "q1.toml")
    assert changed() == {"q1.1", "q2.1"}  # plus an uncommitted edit
    git(repo, "checkout", "-q", "--", "derivations/q1.toml")
    git(repo, "checkout", "-q", "main")
    git(repo, "checkout", "-q", "-b", "other")
    assert changed() == set()  # a branch without commits of its own


def test_commits_on_the_default_branch_are_not_changes(repo: Path) -> None:
    edit(repo, "q2.toml")
    git(repo, "commit", "-q", "-am", "edit q2")
    assert changed() == set()
    assert changed("HEAD~1") == {"q2.1"}


def test_explicit_ref(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    first = git(repo, "rev-parse", "HEAD").strip()
    edit(repo, "_common.toml")
    git(repo, "commit", "-q", "-am", "edit common")
    edit(repo, "q2.toml")
    git(repo, "commit", "-q", "-am", "edit q2")
    assert changed("HEAD~1") == {"q2.1"}
    assert changed(first) == {"q1.1", "q2.1", "q3.1"}
    assert main(["--changed", "HEAD~1", "--format", "json", "--no-cache"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert [c["id"] for c in report["claims"]] == ["q2.1"]


def test_selectors_and_changed_intersect(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit(repo, "_common.toml")
    assert main(["q3", "--changed", "--format", "json", "--no-cache"]) == 0
    assert [c["id"] for c in json.loads(capsys.readouterr().out)["claims"]] == ["q3.1"]


def test_changed_followed_by_a_command_is_not_a_ref(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit(repo, "q2.toml")
    assert main(["--changed", "all", "--format", "json", "--no-cache"]) == 0
    assert [c["id"] for c in json.loads(capsys.readouterr().out)["claims"]] == ["q2.1"]


def test_unknown_ref_exits_2(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["all", "--changed", "no-such-branch"]) == 2
    assert "unknown git reference 'no-such-branch'" in capsys.readouterr().err
    assert main(["all", "--changed=--output=x"]) == 2  # never passed to git as an option
    assert "unknown git reference" in capsys.readouterr().err


def test_outside_a_repository_exits_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    (tmp_path / "derivations").mkdir()
    (tmp_path / "derivations" / "q2.toml").write_text(FILES["q2.toml"], encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["all", "--changed"]) == 2
    assert "git repository" in capsys.readouterr().err

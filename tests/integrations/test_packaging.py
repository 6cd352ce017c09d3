"""The distribution: its name and metadata, and an sdist that carries the tests and the library (built for real)."""

from __future__ import annotations

import re
import subprocess
import sys
import tarfile
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_metadata() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    # `verifier` on PyPI is an unrelated project: the distribution has a name of its own.
    assert project["name"] == "derivation-verifier"
    assert project["license"] == "MIT" and (ROOT / "LICENSE").read_text(encoding="utf-8").startswith("MIT License")
    assert project["scripts"] == {"verify": "verifier.cli:main"}
    # A range, not a pin: torch pins its own SymPy.
    assert [d for d in project["dependencies"] if d.startswith("sympy")] == ["sympy>=1.13.1,<1.15"]
    assert {"Homepage", "Source", "Issues"} <= set(project["urls"])


@pytest.mark.slow
def test_the_sdist_carries_the_tests_and_the_library(tmp_path: Path) -> None:
    pytest.importorskip("build")
    subprocess.run([sys.executable, "-m", "build", "--sdist", "--outdir", str(tmp_path), str(ROOT)],
                   check=True, capture_output=True, timeout=600)
    (sdist,) = tmp_path.glob("derivation_verifier-*.tar.gz")
    with tarfile.open(sdist) as tar:
        names = {name.split("/", 1)[1] for name in tar.getnames() if "/" in name}
        pkg_info = tar.extractfile(next(n for n in tar.getnames() if n.endswith("/PKG-INFO")))
        assert pkg_info is not None
        metadata = pkg_info.read().decode()
    for wanted in ("LICENSE", "tests/test_cli.py", "tests/outputs/junit-10.xsd", "derivations/q1.toml",
                   "derivations/_common.toml", "verifier/cli/__init__.py", ".pre-commit-hooks.yaml"):
        assert wanted in names, wanted
    assert not any("node_modules" in name or "__pycache__" in name for name in names)
    assert "License-Expression: MIT" in metadata and "Name: derivation-verifier" in metadata


INSTALL_LINE = re.compile(r'^pip install "(derivation-verifier @ git\+https://github\.com/OWNER/REPO@main)"$',
                          re.MULTILINE)


def test_the_readme_install_line_names_a_reference_that_reaches_the_repository() -> None:
    # Only the branch main reaches the repository: a tag made in a clone never does.
    assert INSTALL_LINE.search((ROOT / "README.md").read_text(encoding="utf-8"))


@pytest.mark.slow
def test_the_readme_install_line_works_in_a_fresh_venv(tmp_path: Path) -> None:
    # The README's line as written, its URL pointed at a local repository that has what main has: a clone of this
    # one whose main is the commit under test.
    match = INSTALL_LINE.search((ROOT / "README.md").read_text(encoding="utf-8"))
    assert match
    env = {"GIT_CONFIG_GLOBAL": "/dev/null", "GIT_CONFIG_NOSYSTEM": "1", "PATH": "/usr/bin:/bin"}
    repo = tmp_path / "repo"
    subprocess.run(["git", "clone", "-q", "--no-hardlinks", str(ROOT), str(repo)], check=True, env=env)
    subprocess.run(["git", "update-ref", "refs/heads/main", "HEAD"], cwd=repo, check=True, env=env, capture_output=True)
    # file://localhost/...: pip's older URL parser refuses a file URL without a host.
    requirement = match.group(1).replace("https://github.com/OWNER/REPO", f"file://localhost{repo}")
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    # --no-deps: the project's own install is what is tested (its dependencies are SymPy's, rich's and z3's).
    subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "--no-deps", requirement],
                   check=True, capture_output=True, timeout=600)
    assert (venv / "bin" / "verify").is_file()
    from verifier import __version__
    # Importing verifier imports nothing else, so the version reads without the dependencies.
    out = subprocess.run([str(venv / "bin" / "python"), "-c", "import verifier; print(verifier.__file__, "
                          "verifier.__version__)"], capture_output=True, text=True, check=True, cwd=tmp_path)
    where, version = out.stdout.split()
    assert Path(where).is_relative_to(venv) and version == __version__

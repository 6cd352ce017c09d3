"""The distribution: its name and metadata, and an sdist that carries the tests and the library (built for real)."""

from __future__ import annotations

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
                   "derivations/_common.toml", "verifier/cli.py", ".pre-commit-hooks.yaml"):
        assert wanted in names, wanted
    assert not any("node_modules" in name or "__pycache__" in name for name in names)
    assert "License-Expression: MIT" in metadata and "Name: derivation-verifier" in metadata


@pytest.mark.slow
def test_the_readme_install_line_works_from_a_tag(tmp_path: Path) -> None:
    # The README's `pip install "derivation-verifier @ git+URL@v0.3.0"`, with a local repository for URL: a clone
    # of this one, tagged as a release is.
    from verifier import __version__
    env = {"GIT_CONFIG_GLOBAL": "/dev/null", "GIT_CONFIG_NOSYSTEM": "1", "GIT_AUTHOR_NAME": "t",
           "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org",
           "PATH": "/usr/bin:/bin"}
    repo = tmp_path / "repo"
    subprocess.run(["git", "clone", "-q", "--no-hardlinks", str(ROOT), str(repo)], check=True, env=env)
    subprocess.run(["git", "tag", "-f", f"v{__version__}"], cwd=repo, check=True, env=env, capture_output=True)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f'pip install "derivation-verifier @ git+https://github.com/OWNER/REPO@v{__version__}"' in readme
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(target),
                    f"derivation-verifier @ git+file://{repo}@v{__version__}"], check=True, capture_output=True,
                   timeout=600)
    assert (target / "verifier" / "cli.py").is_file() and (target / "bin" / "verify").is_file()
    (dist,) = target.glob("derivation_verifier-*.dist-info")
    assert dist.name == f"derivation_verifier-{__version__}.dist-info"

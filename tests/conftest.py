"""Shared fixtures: a temporary derivation library, and the ``verify`` CLI run on it in-process or as a subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from verifier.cli import main

#: The homework library is run (and its decided fraction reported) by tests/homework/test_homework.py, not claim by
#: claim by the project's own pytest plugin.
collect_ignore_glob = ["homework/*.toml"]

#: Options every run in the tests uses: no cache (runs stay independent) and few worker processes.
DEFAULT_OPTIONS = ("--no-cache", "--jobs", "2")


@pytest.fixture(autouse=True)
def _not_in_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    """The tests see the CLI as a person does, also when the suite itself runs in CI: there ``CI`` adds a line per
    claim to standard error (the tests of that line set it themselves)."""
    monkeypatch.delenv("CI", raising=False)


@dataclass
class Run:
    """What one run of the CLI gave: exit status, standard output and standard error."""

    code: int
    out: str
    err: str

    def json(self) -> dict[str, Any]:
        """The JSON report on standard output."""
        return json.loads(self.out)

    def verdicts(self) -> dict[str, str]:
        """Claim id -> verdict, from the JSON report."""
        return {c["id"]: c["verdict"] for c in self.json()["claims"]}

    def error_lines(self) -> list[str]:
        """The ``verify: error: ...`` lines of standard error."""
        return [line for line in self.err.splitlines() if line.startswith("verify: error: ")]


Files = dict[str, "str | bytes"]


@pytest.fixture
def write_library(tmp_path: Path) -> Callable[[Files], Path]:
    """Write a derivation library (file name -> text or bytes) into a fresh folder and return the folder."""

    def write(files: Files) -> Path:
        root = tmp_path / "derivations"
        root.mkdir(exist_ok=True)
        for name, content in files.items():
            path = root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")
        return root

    return write


@pytest.fixture
def verify_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
           ) -> Callable[..., Run]:
    """Run ``verify ARGS --derivations derivations`` in-process (``verifier.cli.main``) inside the temporary folder.

    File names in messages are then relative to it (``derivations/q1.toml``).
    """
    monkeypatch.chdir(tmp_path)

    def run(*args: str, derivations: str = "derivations") -> Run:
        capsys.readouterr()
        code = main([*args, "--derivations", derivations, *DEFAULT_OPTIONS])
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run


@pytest.fixture
def verify_subprocess(tmp_path: Path) -> Callable[..., Run]:
    """Run ``python -m verifier ARGS --derivations derivations`` as a subprocess in the temporary folder.

    ``timeout`` (seconds) bounds the whole command; exceeding it fails the test instead of hanging it.
    """

    def run(*args: str, derivations: str = "derivations", timeout: float = 120) -> Run:
        try:
            done = subprocess.run([sys.executable, "-m", "verifier", *args, "--derivations", derivations,
                                   *DEFAULT_OPTIONS], cwd=tmp_path, capture_output=True, text=True,
                                  timeout=timeout, check=False)
        except subprocess.TimeoutExpired:
            pytest.fail(f"verify {' '.join(args)} did not finish within {timeout}s")
        return Run(done.returncode, done.stdout, done.stderr)

    return run

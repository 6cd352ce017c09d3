"""A pytest plugin: ``pytest derivations/`` collects one test item per claim, named by its id.

An item passes when its claim meets its expectation and fails with the same explanation as the text report.
Files are collected when they live in a folder holding derivation files (a ``.toml`` with ``[[claim]]`` tables);
other ``.toml`` files (``pyproject.toml``) are left alone. With pytest-xdist the items spread over workers.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterator

import pytest

from verifier.loader import Library, load_file


def pytest_addoption(parser: pytest.Parser) -> None:
    """``--verify-timeout``: the per-obligation limit for derivation items."""
    group = parser.getgroup("verifier")
    group.addoption("--verify-timeout", type=float, default=60.0,
                    help="wall-clock limit per obligation for derivation items (default: 60)")


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> "DerivationFile | None":
    """Collect ``.toml`` derivation files (those with claims, not starting with '_')."""
    if file_path.suffix != ".toml" or file_path.name.startswith("_") or file_path.name == "pyproject.toml":
        return None
    try:
        head = file_path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    if "[[claim]]" not in head.replace(" ", ""):
        return None
    return DerivationFile.from_parent(parent, path=file_path)


class DerivationFile(pytest.File):
    """A derivation file: one item per claim."""

    def collect(self) -> Iterator["ClaimItem"]:
        from verifier.loader import load_library
        library = load_library(self.path, display_root=Path.cwd())
        if library.errors:
            raise DerivationCollectError("; ".join(str(e) for e in library.errors))
        for claim in library.claims:
            yield ClaimItem.from_parent(self, name=claim.id, library=library, claim=claim)


class DerivationCollectError(Exception):
    """A derivation file that cannot be read."""


class ClaimItem(pytest.Item):
    """One claim: passes when it meets its expectation."""

    def __init__(self, *, library: Library, claim: Any, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.library = library
        self.claim = claim
        self.result: Any = None

    def runtest(self) -> None:
        from verifier.executor import run_obligations
        timeout = self.config.getoption("--verify-timeout")
        results, _ = run_obligations(self.library, [self.claim], jobs=1, timeout=timeout)
        self.result = results[0]
        if not self.result.as_expected:
            raise ClaimFailed(self.result)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        """The same explanation as the text report."""
        if isinstance(excinfo.value, ClaimFailed):
            from verifier.report import failure_report
            return "\n".join(failure_report(excinfo.value.result))
        return str(super().repr_failure(excinfo))

    def reportinfo(self) -> tuple[Path, int | None, str]:
        return self.path, (self.claim.line or 1) - 1, f"claim {self.claim.id}: {self.claim.title}"


class ClaimFailed(Exception):
    """A claim that did not meet its expectation."""

    def __init__(self, result: Any) -> None:
        super().__init__(result.claim.id)
        self.result = result


__all__ = ["load_file"]

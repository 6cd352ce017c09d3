"""A pytest plugin: ``pytest derivations/`` collects one test item per claim, named by its id.

Opt-in, as pytest-mypy's ``--mypy`` is: a plain ``pytest`` (its ``testpaths``, or ``pytest .``) collects nothing
from derivation files. Derivation files are collected when given on the command line (a file, or a folder other
than the root), or everywhere with ``--verify-derivations``.

An item passes when its claim meets its expectation and fails with the same explanation as the text report.
A ``.toml`` file is collected when it is a derivation file: a ``[[claim]]`` header on a line of its own, a name
not starting with ``_``, and (when it parses) only the top-level keys of the format or claims with something to
check. Other ``.toml`` files (``pyproject.toml``, tool configuration that happens to mention ``[[claim]]``) are
left alone. A derivation file that cannot be read is a collection error naming the file, the line and the reason.
With pytest-xdist the items spread over workers. Ctrl-C stops the session, as it does for Python tests.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from verifier.frontend.library import Library
from verifier.integrations.detect import is_derivation_file
from verifier.model import Claim, ClaimResult
from verifier.runner.session import DEFAULT_TIMEOUT


def pytest_addoption(parser: pytest.Parser) -> None:
    """``--verify-derivations`` (collect every derivation file) and ``--verify-timeout`` (the per-obligation
    limit for derivation items)."""
    group = parser.getgroup("verifier")
    group.addoption("--verify-derivations", action="store_true", default=False,
                    help="collect every derivation file found (without it: only those given on the command line)")
    group.addoption("--verify-timeout", type=float, default=DEFAULT_TIMEOUT,
                    help=f"wall-clock limit per obligation for derivation items (default: {DEFAULT_TIMEOUT:g})")


#: The paths given on the command line, resolved. pytest-xdist's workers parse the same command line, so each
#: worker computes the same list and collects exactly what a run without xdist would.
_EXPLICIT = pytest.StashKey[list[Path]]()


def pytest_configure(config: pytest.Config) -> None:
    """Reject a ``--verify-timeout`` that would time every obligation out; note the paths given explicitly."""
    timeout = config.getoption("--verify-timeout", default=DEFAULT_TIMEOUT)
    if timeout is not None and not timeout > 0:
        raise pytest.UsageError("--verify-timeout must be a positive number of seconds")
    explicit: list[Path] = []
    if config.args_source == pytest.Config.ArgsSource.ARGS:
        root = config.rootpath.resolve()
        for arg in config.args:
            path = (config.invocation_params.dir / arg.split("::")[0]).resolve()
            if path.is_file() or (path.is_dir() and path != root):
                explicit.append(path)
    config.stash[_EXPLICIT] = explicit


def _wanted(config: pytest.Config, file_path: Path) -> bool:
    """Whether a derivation file is to be collected: ``--verify-derivations``, or a path given explicitly."""
    if config.getoption("--verify-derivations"):
        return True
    resolved = file_path.resolve()
    return any(resolved == path or path in resolved.parents for path in config.stash.get(_EXPLICIT, []))


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> DerivationFile | None:
    """Collect ``.toml`` derivation files (those with claims, not starting with '_') that are wanted."""
    if file_path.suffix != ".toml" or not _wanted(parent.config, file_path) or not is_derivation_file(file_path):
        return None
    return DerivationFile.from_parent(parent, path=file_path)


class DerivationFile(pytest.File):
    """A derivation file: one item per claim."""

    def collect(self) -> Iterator[ClaimItem]:
        from verifier.frontend.library import load_library
        library = load_library(self.path, display_root=Path.cwd())
        if library.errors:
            # CollectError: pytest shows the message alone, without a traceback of the plugin.
            raise self.CollectError("\n".join(str(e) for e in library.errors))
        for claim in library.claims:
            yield ClaimItem.from_parent(self, name=claim.id, library=library, claim=claim)


class ClaimItem(pytest.Item):
    """One claim: passes when it meets its expectation."""

    def __init__(self, *, library: Library, claim: Claim, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.library = library
        self.claim = claim
        self.result: ClaimResult | None = None

    def runtest(self) -> None:
        from verifier.runner.session import SessionOptions, settle
        # One worker per item (pytest-xdist spreads the items), and no cache: a test run leaves no files behind.
        options = SessionOptions(jobs=1, timeout=self.config.getoption("--verify-timeout"), use_cache=False)
        run = settle(self.library, [self.claim], options)
        if run.interrupted:  # the executor caught Ctrl-C to stop its worker; the session must stop too
            raise KeyboardInterrupt
        self.result = run.results[0]
        if not self.result.as_expected:
            raise ClaimFailed(self.result)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        """The same explanation as the text report."""
        if isinstance(excinfo.value, ClaimFailed):
            from verifier.outputs.words import failure_report, location, mismatch
            result = excinfo.value.result
            head = f"{location(result.claim.file, result.claim.line)}: {mismatch(result)}"
            return "\n".join([head, *failure_report(result)])
        return str(super().repr_failure(excinfo))

    def reportinfo(self) -> tuple[Path, int | None, str]:
        return self.path, (self.claim.line or 1) - 1, f"claim {self.claim.id}: {self.claim.title}"


class ClaimFailed(Exception):
    """A claim that did not meet its expectation."""

    def __init__(self, result: ClaimResult) -> None:
        super().__init__(result.claim.id)
        self.result = result



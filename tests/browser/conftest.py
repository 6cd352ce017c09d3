"""Says, once at the end of a run, why the browser tests were skipped and how to run them."""

from __future__ import annotations

import pytest
from browser.tools import HOW_TO_INSTALL, find_chromium


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """A line after the summary when browser tests were skipped for want of Chromium."""
    skipped = [r for r in terminalreporter.stats.get("skipped", []) if "tests/browser/" in r.nodeid]
    if skipped and find_chromium() is None:
        terminalreporter.write_line(f"{len(skipped)} browser test(s) skipped: {HOW_TO_INSTALL}", yellow=True)

"""No regular expression of the project's own backtracks: each runs on adversarial lines of 10^5 characters (see
``regex_sweep.py``) in a child process, every call within the sweep's bound and the whole within a time limit."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

SWEEP = Path(__file__).with_name("regex_sweep.py")


def test_every_pattern_of_the_project_is_linear_on_long_lines() -> None:
    try:
        done = subprocess.run([sys.executable, str(SWEEP), "100000"], capture_output=True, text=True, timeout=240,
                              check=False)
    except subprocess.TimeoutExpired as stopped:
        tried = (stopped.stdout or b"").decode() if isinstance(stopped.stdout, bytes) else stopped.stdout or ""
        last = [line for line in tried.splitlines() if not line.startswith(" ")][-1:]
        pytest.fail(f"a pattern never finished on a long line: {last}")
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert done.stdout.rstrip().endswith("OK")


def test_the_sweep_finds_the_patterns_inline_and_compiled() -> None:
    sys.path.insert(0, str(SWEEP.parent))
    try:
        import regex_sweep
    finally:
        sys.path.remove(str(SWEEP.parent))
    found = {(where, source) for source, _, _, where, _ in regex_sweep.project_patterns()}
    # Patterns compiled at module level and written inline are both found, with the methods they are used with.
    assert ("verifier/frontend/nonmath.py", r"[^\n]") in found
    assert any(where == "verifier/frontend/tomlfile.py" and r"(?<!\d)\d{4000,}" == source for where, source in found)

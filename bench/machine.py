"""What the benchmark ran on: cores, CPU model, memory, Python, SymPy and the project's commit."""

from __future__ import annotations

import os
import platform
import subprocess
import sys
from importlib import metadata
from pathlib import Path
from typing import Any


def machine(repo: Path) -> dict[str, Any]:
    """A description of this machine and of the software measured on it."""
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:
        usable = os.cpu_count() or 1
    return {
        "cores": os.cpu_count(),
        "usable_cores": usable,
        "cpu": _cpu_model(),
        "memory_gb": _memory_gb(),
        "os": platform.platform(),
        "python": platform.python_version(),
        "python_executable": sys.executable,
        "sympy": _version("sympy"),
        "verifier": _version("verifier"),
        "commit": _commit(repo),
    }


def describe(m: dict[str, Any]) -> str:
    """One line for the top of the printed table."""
    mem = f", {m['memory_gb']:.1f} GB" if m.get("memory_gb") else ""
    commit = f", commit {m['commit'][:10]}" if m.get("commit") else ""
    return (f"{m['cores']} cores ({m['usable_cores']} usable), {m['cpu']}{mem}; {m['os']}; "
            f"Python {m['python']}, SymPy {m['sympy']}, verifier {m['verifier']}{commit}")


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith(("model name", "hardware", "cpu model")):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine() or "unknown"


def _memory_gb() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / 1024 ** 2
    except (OSError, ValueError):
        pass
    return None


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "unknown"


def _commit(repo: Path) -> str | None:
    """The checked-out commit (read-only: ``git rev-parse``), or None outside a repository."""
    try:
        out = subprocess.run(["git", "rev-parse", "HEAD"], cwd=repo, capture_output=True, text=True, timeout=10,
                             check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return out.stdout.strip() or None

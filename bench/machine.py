"""What the benchmark ran on: cores, CPU model, memory, Python, SymPy and the project's commit."""

from __future__ import annotations

import os
import platform
import subprocess
import sys
import time
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
        "verifier": _version("derivation-verifier"),
        "commit": _commit(repo),
    }


def effective_cores(workers: int, loops: int = 3_000_000) -> float:
    """How many cores this process tree gets now: ``workers`` CPU-bound processes run at once, compared with one
    alone. Below ``workers`` when other tenants of a shared machine take CPU time: parallel runs then gain less."""
    burn = [sys.executable, "-c", f"for _ in range({loops}): pass"]

    def run(n: int) -> float:
        start = time.perf_counter()
        procs = [subprocess.Popen(burn) for _ in range(n)]
        for p in procs:
            p.wait()
        return time.perf_counter() - start

    alone = min(run(1) for _ in range(2))
    together = min(run(workers) for _ in range(2))
    return round(workers * alone / together, 2) if together > 0 else float(workers)


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

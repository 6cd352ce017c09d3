"""Running one command as a subprocess and measuring it: wall time, CPU time and peak memory.

Peak memory comes from ``wait4``: the kernel reports the largest resident set of the child *and of every
descendant it reaped* (the verifier joins its worker processes), which is what ``getrusage(RUSAGE_CHILDREN)``
would give for this one child. Because that is the peak of one process, not of the tree at one instant, a run can
also sample the summed proportional set size (PSS, each shared page counted once overall) of the live process tree.
Sampling costs CPU, so it is only done in runs that are not timed.
"""

from __future__ import annotations

import contextlib
import os
import select
import signal
import subprocess
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

MB = 1024 * 1024


@dataclass
class Run:
    """One finished (or killed) subprocess and what it cost."""

    argv: list[str]
    returncode: int
    wall: float                       # seconds from start to reaping
    cpu: float                        # user + system seconds of the process and its reaped descendants
    max_rss_mb: float                 # largest resident set of any one process of the tree
    timed_out: bool = False
    tree_peak_mb: float | None = None  # sampled peak of the tree's summed PSS (None when not sampled)
    stderr_tail: str = ""

    def to_json(self) -> dict[str, Any]:
        """The run as plain values."""
        out = asdict(self)
        out["wall"] = round(self.wall, 4)
        out["cpu"] = round(self.cpu, 4)
        out["max_rss_mb"] = round(self.max_rss_mb, 1)
        if self.tree_peak_mb is not None:
            out["tree_peak_mb"] = round(self.tree_peak_mb, 1)
        return out


def run(argv: Sequence[str | Path], *, cwd: Path, timeout: float | None = None, sample_memory: bool = False,
        sample_interval: float = 0.05, stdout: Path | None = None) -> Run:
    """Run ``argv`` in ``cwd`` and measure it; past ``timeout`` seconds its whole process group is killed.

    Standard output goes to ``stdout`` (or is discarded); the end of standard error is kept for diagnostics.
    """
    args = [str(a) for a in argv]
    sink = open(stdout, "wb") if stdout else contextlib.nullcontext(subprocess.DEVNULL)
    with tempfile.TemporaryFile() as err, sink as out:
        start = time.perf_counter()
        # A session of its own: a timeout kills the worker processes too, not only the parent.
        proc = subprocess.Popen(args, cwd=cwd, stdin=subprocess.DEVNULL, stdout=out, stderr=err,
                                start_new_session=True)
        sampler = _TreeSampler(proc.pid, sample_interval) if sample_memory else None
        timed_out = not _wait_exit(proc.pid, timeout)
        if timed_out:
            _kill_group(proc.pid)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here: Popen must not wait again
        peak = sampler.stop() if sampler else None
        err.seek(0)
        tail = err.read()[-4000:].decode("utf-8", errors="replace")
    return Run(argv=args, returncode=proc.returncode, wall=wall, cpu=usage.ru_utime + usage.ru_stime,
               max_rss_mb=usage.ru_maxrss * 1024 / MB, timed_out=timed_out, tree_peak_mb=peak, stderr_tail=tail)


def _wait_exit(pid: int, timeout: float | None) -> bool:
    """Wait until ``pid`` exits, without reaping it (its rusage is read by ``wait4``); False past the timeout."""
    if timeout is None:
        return True
    try:
        fd = os.pidfd_open(pid)
    except (AttributeError, OSError):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None:
                return True
            time.sleep(0.05)
        return False
    try:
        ready, _, _ = select.select([fd], [], [], timeout)
        return bool(ready)
    finally:
        os.close(fd)


def _kill_group(pid: int) -> None:
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


class _TreeSampler:
    """Samples the summed PSS (RSS where PSS is not readable) of a process and its descendants in a thread."""

    def __init__(self, root: int, interval: float) -> None:
        self.root = root
        self.interval = interval
        self.peak_kb = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)
        self._thread.start()

    def stop(self) -> float:
        """Stop sampling; the peak in MB."""
        self._stop.set()
        self._thread.join()
        return self.peak_kb * 1024 / MB

    def _loop(self) -> None:
        while not self._stop.is_set():
            total = sum(_pss_kb(p) for p in _tree(self.root))
            self.peak_kb = max(self.peak_kb, total)
            self._stop.wait(self.interval)


def _tree(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
        except OSError:
            continue
        # The command name may hold spaces and parentheses: the fields start after the last ')'.
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(children.get(pid, ()))
    return out


def _pss_kb(pid: int) -> int:
    for name, key in (("smaps_rollup", "Pss:"), ("status", "VmRSS:")):
        try:
            for line in Path(f"/proc/{pid}/{name}").read_text().splitlines():
                if line.startswith(key):
                    return int(line.split()[1])
        except (OSError, ValueError):
            continue
    return 0

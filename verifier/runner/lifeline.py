"""Child processes that end with their parent.

A worker whose parent is killed (SIGKILL, the kernel's out-of-memory killer, a CI runner cancelling the job) gets no
chance to be stopped by it, and would go on computing, holding its memory, for as long as its obligation takes. On
Linux the kernel kills the child when its parent dies (``PR_SET_PDEATHSIG``); elsewhere a thread of the child watches
its parent and ends the child when the parent is gone.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading
import time

__all__ = ["tie_to_parent"]

_PR_SET_PDEATHSIG = 1
#: How often a child without ``PR_SET_PDEATHSIG`` looks for its parent, in seconds.
_WATCH_EVERY = 0.5


def tie_to_parent(parent_pid: int) -> None:
    """Called first thing in a forked child: make it end when ``parent_pid`` (its parent) ends."""
    if not _death_signal():
        threading.Thread(target=_watch, args=(parent_pid,), daemon=True, name="lifeline").start()
    if os.getppid() != parent_pid:   # the parent died before the tie was made
        os._exit(1)


def _death_signal() -> bool:
    """Ask the kernel for SIGKILL when the parent dies; whether it was granted."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return int(libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)) == 0
    except (OSError, AttributeError):
        return False


def _watch(parent_pid: int) -> None:
    while os.getppid() == parent_pid:
        time.sleep(_WATCH_EVERY)
    os._exit(1)

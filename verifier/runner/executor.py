"""Running obligations in worker processes: a wall-clock limit and a memory limit each, killed when they hang.

The parent never computes a verdict itself. It hands one obligation at a time to each of ``jobs`` worker processes
(forked once, after SymPy is imported, so they start at once; spawned where ``fork`` is missing or unsafe, see
:func:`start_method`, each then timed from when it has started), waits for the first answer or deadline, and

- on an answer, records the outcome;
- past the deadline, kills the worker (a SIGALRM cannot interrupt SymPy's C-level big-integer work), records
  ``unknown`` with the reason, and starts a fresh worker;
- when a worker dies (a crash, the memory limit), records ``error`` and starts a fresh worker.

Outcomes land in slots fixed before the run, so the report's order never depends on which worker finished first.
Ctrl-C stops the workers; what was settled so far is kept and the rest is marked ``unknown`` (interrupted). A
SIGTERM (a cancelled CI job) is handled the same way, so that no worker is left running a hard obligation. A parent
killed outright (SIGKILL, out of memory) cannot stop its workers: they are tied to it (:mod:`.lifeline`) and die with
it.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any

from verifier.frontend.library import Library
from verifier.model import INTERRUPTED_MESSAGE, Claim, ClaimResult, Outcome, not_read, obligations
from verifier.runner.dedup import obligation_keys, relocated
from verifier.runner.lifeline import tie_to_parent

#: Address-space limit of a worker process, in bytes.
MEMORY_LIMIT = 3 * 1024 ** 3
#: The longest wait for a worker that was not forked to start (import SymPy), in seconds.
_STARTUP_LIMIT = 120.0
#: The longest single wait for an answer; the selectors below cannot wait forever (``--timeout inf``).
_MAX_WAIT = 3600.0

Progress = Callable[[int, int], None]
#: Called with each claim as soon as its last obligation is settled (claims settle in any order).
Settled = Callable[[ClaimResult], None]


@dataclass(frozen=True)
class Task:
    """One obligation to settle: the claim's position in the run and the obligation's position in the claim."""

    claim_no: int
    ob_no: int


def start_method() -> str:
    """How workers are started: ``VERIFY_START_METHOD`` (``fork`` or ``spawn``) when this system has it, else
    ``fork`` on Linux (workers start at once, SymPy already imported), else ``spawn`` (macOS, where ``fork`` is
    unsafe, and Windows, where it is missing). Not ``forkserver``: its workers are the server's children, and a
    worker is tied to the process that started it (:mod:`.lifeline`)."""
    available = mp.get_all_start_methods()
    asked = os.environ.get("VERIFY_START_METHOD", "")
    if asked in ("fork", "spawn") and asked in available:
        return asked
    return "fork" if sys.platform.startswith("linux") and "fork" in available else "spawn"


def _worker_main(conn: Connection, library: Library, claims: list[Claim], memory: int | None,
                 parent_pid: int, announce: bool = False) -> None:
    tie_to_parent(parent_pid)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if memory:
        try:
            import resource
            resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
        except (ImportError, ValueError, OSError):  # no such limit here (Windows; macOS refuses RLIMIT_AS)
            pass
    from verifier.frontend.problem_builder import library_problems
    from verifier.search import engine

    if announce:    # a worker that was not forked has just imported SymPy: its obligations' clocks start now
        conn.send("ready")

    built: dict[int, list[Any]] = {}
    while True:
        try:
            task = conn.recv()
        except EOFError:
            return
        if task is None:
            return
        try:
            if task.claim_no not in built:
                built = {task.claim_no: library_problems(library, claims[task.claim_no])}
            ob, problem = built[task.claim_no][task.ob_no]
            outcome = engine.reviewed(library, claims[task.claim_no], engine.settle_obligation(ob, problem))
        except MemoryError:
            ob = obligations(claims[task.claim_no])[task.ob_no][0]
            outcome = Outcome(ob, "unknown", message="stopped: the memory limit was reached")
        except RecursionError:
            ob = obligations(claims[task.claim_no])[task.ob_no][0]
            outcome = Outcome(ob, "unknown", message="stopped: expression too deep for the engine")
        except Exception as err:  # an engine bug must cost one obligation, not the run
            ob = obligations(claims[task.claim_no])[task.ob_no][0]
            outcome = Outcome(ob, "unknown", message=f"internal error in the engine: {type(err).__name__}: {err}")
        conn.send(outcome.to_json())


class _Worker:
    def __init__(self, ctx: Any, library: Library, claims: list[Claim], memory: int | None) -> None:
        self.conn, child = ctx.Pipe()
        self.announces = ctx.get_start_method() != "fork"
        self.proc = ctx.Process(target=_worker_main, args=(child, library, claims, memory, os.getpid(),
                                                           self.announces), daemon=True)
        self.proc.start()
        child.close()
        self.task: Task | None = None
        self.claim_no: int | None = None     # the claim whose problems this worker has built
        self.deadline = 0.0
        self.started = 0.0

    def wait_ready(self) -> None:
        """Wait until a worker that was not forked has started (a dead one is found out by its first task)."""
        if self.announces:
            self.announces = False
            try:
                if self.conn.poll(_STARTUP_LIMIT):
                    self.conn.recv()
            except (EOFError, OSError):
                pass

    def give(self, task: Task, timeout: float) -> None:
        self.task = task
        self.started = time.monotonic()
        self.deadline = self.started + timeout
        try:
            self.conn.send(task)
        except OSError:     # the worker died before its first task: its pipe's end is read as its death
            pass

    def kill(self) -> None:
        try:
            self.proc.kill()
        except (OSError, AttributeError):
            pass
        self.proc.join(timeout=5)
        self.conn.close()


class _Queue:
    """Obligations still to run, handed out so that a worker stays on the claim it has built: the next obligation
    of its own claim, else the first claim nobody started, else one taken from the end of the longest claim."""

    def __init__(self, todo: list[list[int]]) -> None:
        self.left = [deque(numbers) for numbers in todo]
        self.unstarted = deque(c for c, numbers in enumerate(todo) if numbers)

    def add(self, task: Task) -> None:
        """Run ``task`` after all (an identical obligation's outcome could not stand for it)."""
        self.left[task.claim_no].append(task.ob_no)
        if len(self.left[task.claim_no]) == 1:
            self.unstarted.append(task.claim_no)

    def __bool__(self) -> bool:
        return any(self.left)

    def next_for(self, claim_no: int | None) -> Task:
        if claim_no is not None and self.left[claim_no]:
            return Task(claim_no, self.left[claim_no].popleft())
        while self.unstarted:
            c = self.unstarted.popleft()
            if self.left[c]:
                return Task(c, self.left[c].popleft())
        c = max(range(len(self.left)), key=lambda n: len(self.left[n]))
        return Task(c, self.left[c].pop())


def run_obligations(library: Library, claims: list[Claim], *, jobs: int, timeout: float,
                    progress: Progress | None = None, memory: int | None = MEMORY_LIMIT,
                    on_claim: Settled | None = None) -> tuple[list[ClaimResult], bool]:
    """Settle every obligation of ``claims`` in worker processes. Returns the results and whether interrupted.

    ``progress(done, total)`` is called after each obligation, ``on_claim(result)`` after each claim's last one.
    """
    method = start_method()
    if method == "fork":
        import verifier.search.engine  # noqa: F401  (SymPy imported once, before forking, so workers start at once)

    built = [obligations(c) for c in claims]
    obs = [[ob for ob, _ in b] for b in built]
    slots: list[list[Outcome | None]] = [[None] * len(o) for o in obs]
    # Identical obligations (:mod:`.dedup`) are run once; the others wait for its outcome.
    firsts: dict[str, Task] = {}
    copies: dict[Task, list[Task]] = {}
    todo: list[list[int]] = []
    # A step whose entry the sheet reader did not read is settled here, as the reader said, never sent to a worker.
    unread: list[tuple[Task, str]] = []
    for c, keys in enumerate(obligation_keys(library, claims)):
        todo.append([])
        for n, key in enumerate(keys):
            reason = not_read(claims[c], built[c][n][1])
            if reason is not None:
                unread.append((Task(c, n), reason))
            elif key in firsts:
                copies.setdefault(firsts[key], []).append(Task(c, n))
            else:
                firsts[key] = Task(c, n)
                todo[c].append(n)
    pending = _Queue(todo)
    total = sum(len(o) for o in obs)
    left = [len(o) for o in obs]
    for c, n in enumerate(left):
        if not n and on_claim:
            on_claim(ClaimResult(claims[c], []))
    done = 0

    def settled(task: Task, outcome: Outcome) -> None:
        nonlocal done
        slots[task.claim_no][task.ob_no] = outcome
        done += 1
        left[task.claim_no] -= 1
        if progress:
            progress(done, total)
        if on_claim and not left[task.claim_no]:
            on_claim(ClaimResult(claims[task.claim_no], [o for o in slots[task.claim_no] if o]))
        for copy in copies.pop(task, []):
            shared = relocated(outcome, claims[task.claim_no].file, claims[copy.claim_no].file,
                               obs[copy.claim_no][copy.ob_no])
            if shared is None:
                pending.add(copy)
            else:
                settled(copy, shared)

    for task, reason in unread:
        settled(task, Outcome(obs[task.claim_no][task.ob_no], "unknown", message=reason))
    ctx = mp.get_context(method)
    workers: list[_Worker] = []
    interrupted = False
    installed, previous = _sigterm_as_interrupt()
    try:
        for _ in range(max(1, min(jobs, len(firsts))) if firsts else 0):
            workers.append(_Worker(ctx, library, claims, memory))
        while pending or any(w.task for w in workers):
            for w in workers:
                w.wait_ready()
                if w.task is None and pending:
                    w.give(pending.next_for(w.claim_no), timeout)
                    w.claim_no = w.task.claim_no if w.task else None
            busy = [w for w in workers if w.task is not None]
            now = time.monotonic()
            ready = wait([w.conn for w in busy],
                         timeout=min(_MAX_WAIT, max(0.0, min(w.deadline for w in busy) - now)))
            for i, w in enumerate(workers):
                if w.task is None:
                    continue
                task = w.task
                ob = obs[task.claim_no][task.ob_no]
                if w.conn in ready:
                    try:
                        outcome = Outcome.from_json(w.conn.recv())
                        outcome.obligation = ob
                    except (EOFError, OSError):
                        seconds = time.monotonic() - w.started
                        w.proc.join(timeout=5)  # reaped first, so that the exit code is known
                        outcome = Outcome(ob, "unknown", seconds=seconds,
                                          message=f"the worker process died ({_exit_reason(w.proc.exitcode)}); "
                                                  "the obligation may need more memory than allowed")
                        w.kill()
                        workers[i] = w = _Worker(ctx, library, claims, memory)
                elif time.monotonic() >= w.deadline:
                    outcome = Outcome(ob, "unknown", seconds=timeout,
                                      message=f"timeout: no verdict within {timeout:g}s (raise --timeout)")
                    w.kill()
                    workers[i] = w = _Worker(ctx, library, claims, memory)
                else:
                    continue
                w.task = None
                settled(task, outcome)
    except KeyboardInterrupt:
        interrupted = True
    finally:
        for w in workers:
            if w.task is None and not interrupted:
                try:
                    w.conn.send(None)
                except OSError:
                    pass
            w.kill()
        if installed:
            signal.signal(signal.SIGTERM, previous if previous is not None else signal.SIG_DFL)
    results = []
    for c, claim in enumerate(claims):
        outs = [o if o is not None else Outcome(obs[c][n], "unknown", message=INTERRUPTED_MESSAGE)
                for n, o in enumerate(slots[c])]
        results.append(ClaimResult(claim, outs))
    return results, interrupted


def _sigterm_as_interrupt() -> tuple[bool, Any]:
    """Make SIGTERM raise KeyboardInterrupt in this process (main thread only): whether it did, and the handler it
    replaced."""
    if threading.current_thread() is not threading.main_thread():
        return False, None

    def interrupt(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    try:
        return True, signal.signal(signal.SIGTERM, interrupt)
    except (ValueError, OSError):
        return False, None


def _exit_reason(code: int | None) -> str:
    if code is None:
        return "exit status unknown"
    if code < 0:
        try:
            return f"killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"killed by signal {-code}"
    return f"exit code {code}"


def default_jobs() -> int:
    """The number of cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return max(1, os.cpu_count() or 1)

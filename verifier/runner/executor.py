"""Running obligations in worker processes: a wall-clock limit and a memory limit each, killed when they hang.

The parent never computes a verdict itself. It hands one obligation at a time to each of ``jobs`` worker processes
(forked once, after SymPy is imported, so they start at once; spawned where ``fork`` is missing or unsafe, see
:func:`start_method`, each then timed from when it has started), waits for the first answer or deadline, and

- on an answer, records the outcome;
- past the deadline, kills the worker (a SIGALRM cannot interrupt SymPy's C-level big-integer work), records
  ``unknown`` with the reason, and starts a fresh worker;
- when a worker dies (a crash, the memory limit), records ``error`` and starts a fresh worker.

When the reports ask for it (``show``), the worker then builds what they show of the obligation
(:class:`~verifier.display.prepare.Renderer`) and sends it as a second answer, under a limit of its own: a worker
out of that time, or dead, costs the picture, never the verdict. Obligations settled before (the cache) or not by a
worker (a timeout) are given to a worker to render only.

Outcomes land in slots fixed before the run, so the report's order never depends on which worker finished first.
Ctrl-C stops the workers; what was settled so far is kept and the rest is marked ``unknown`` (interrupted). A
SIGTERM (a cancelled CI job) is handled the same way, so that no worker is left running a hard obligation. A parent
killed outright (SIGKILL, out of memory) cannot stop its workers: they are tied to it (:mod:`.lifeline`) and die with
it.
"""

from __future__ import annotations

import gc
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
from types import FrameType
from typing import TYPE_CHECKING, Any

from verifier.display.prepare import RENDER_SECONDS, Renderer, entries_of
from verifier.frontend.library import Library
from verifier.model import (
    INTERRUPTED_MESSAGE,
    Claim,
    ClaimResult,
    Obligation,
    Origin,
    Outcome,
    Shown,
    ShownEntry,
    not_read,
    obligations,
)
from verifier.runner.dedup import obligation_keys, relocated
from verifier.runner.lifeline import tie_to_parent

if TYPE_CHECKING:
    from verifier.errors import ExpressionError
    from verifier.frontend.problem import Problem

#: Address-space limit of a worker process, in bytes.
MEMORY_LIMIT = 3 * 1024 ** 3
#: The longest wait for a worker that was not forked to start (import SymPy), in seconds.
_STARTUP_LIMIT = 120.0
#: The longest single wait for an answer; the selectors below cannot wait forever (``--timeout inf``).
_MAX_WAIT = 3600.0
#: How long past a worker's own limit for rendering (it stops itself) the parent waits before killing it.
_RENDER_GRACE = 5.0

Progress = Callable[[int, int], None]
#: A worker's problems of the claim it is on, by claim number.
Built = dict[int, "_ClaimProblems"]
#: Called with each claim as soon as its last obligation is settled (claims settle in any order).
Settled = Callable[[ClaimResult], None]


@dataclass(frozen=True)
class Task:
    """One obligation to settle: the claim's position in the run and the obligation's position in the claim."""

    claim_no: int
    ob_no: int
    show: bool = False      # also build what the reports show of it


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


def load_engine() -> None:
    """Import what every worker uses: the engine with SymPy, the cross-check that reviews each verdict, and the
    part of SymPy that SymPy imports on its first sum (``sympy.tensor``); the last two cost a worker 0.03 to 0.05 s
    of CPU. Forked workers find them imported by the parent instead of each importing them again."""
    import sympy.tensor.tensor  # noqa: F401

    import verifier.oracle.crosscheck
    import verifier.search.engine  # noqa: F401


#: Allocations between two collections of the youngest generation in a worker (Python's default is 700).
GC_THRESHOLD = 10_000


def quiet_collector() -> None:
    """Keep the cyclic garbage collector off what a worker holds from the start (SymPy, the engine, the library):
    frozen, those objects are never traversed again, and collections come less often. SymPy's expressions are
    freed by reference counting; with the defaults, collections took 3 to 4% of a worker's CPU."""
    gc.freeze()
    gc.set_threshold(GC_THRESHOLD)


def _worker_main(conn: Connection, library: Library, claims: list[Claim], memory: int | None,
                 parent_pid: int, announce: bool = False, render_seconds: float = RENDER_SECONDS,
                 columns: int | None = None) -> None:
    tie_to_parent(parent_pid)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if memory:
        try:
            import resource
            resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
        except (ImportError, ValueError, OSError):  # no such limit here (Windows; macOS refuses RLIMIT_AS)
            pass
    load_engine()   # before the clocks start
    quiet_collector()

    if announce:    # a worker that was not forked has just imported SymPy: its obligations' clocks start now
        conn.send("ready")

    built: Built = {}
    renderer = None
    while True:
        try:
            message = conn.recv()
        except EOFError:
            return
        if message is None:
            return
        task, given = message
        if given is not None:   # settled before: rendered only
            outcome = Outcome.from_json(given)
        else:
            outcome = _settled(library, claims, built, task)
            conn.send(outcome.to_json())
        if task.show:
            renderer = renderer or Renderer(library, columns)

            def problem(task: Task = task) -> Problem | ExpressionError | None:
                try:
                    return _problems(library, claims, built, task.claim_no)[task.ob_no][1]
                except Exception:  # display only: a claim that no longer builds has no plot
                    return None

            conn.send(renderer.shown(claims[task.claim_no], task.ob_no, outcome, problem,
                                     render_seconds).to_json())


class _ClaimProblems:
    """The problems of one claim, each built when its obligation is first asked for: a worker given part of a long
    claim builds that part only (the claim's entries are built once, as :func:`library_problems` builds them)."""

    def __init__(self, library: Library, claim: Claim) -> None:
        from verifier.errors import ExpressionError
        from verifier.frontend.declarations import scope_of
        from verifier.frontend.problem_builder import ProblemBuilder
        self.claim = claim
        self.origins = obligations(claim)
        self.done: dict[int, tuple[Obligation, Problem | ExpressionError]] = {}
        self.error: ExpressionError | None = None
        try:
            scope = scope_of(library.context(claim))
        except ExpressionError as err:
            self.error = err
            return
        self.builder = ProblemBuilder(claim, scope)

    def __getitem__(self, n: int) -> tuple[Obligation, Problem | ExpressionError]:
        if n not in self.done:
            ob, where = self.origins[n]
            if self.error is not None:
                from verifier.frontend.unbuilt import unbuilt
                self.done[n] = (ob, unbuilt(self.claim, where, self.error))
            else:
                self.done[n] = (ob, self.builder.built(ob, where))
        return self.done[n]


def _problems(library: Library, claims: list[Claim], built: Built, claim_no: int) -> _ClaimProblems:
    """The problems of the claim a worker is on (kept in ``built``; those of the claim it was on before dropped)."""
    if claim_no not in built:
        built.clear()
        built[claim_no] = _ClaimProblems(library, claims[claim_no])
    return built[claim_no]


def _settled(library: Library, claims: list[Claim], built: Built, task: Task) -> Outcome:
    """The outcome of one obligation, the claim's problems built at most once (kept in ``built``)."""
    from verifier.search import engine
    try:
        ob, problem = _problems(library, claims, built, task.claim_no)[task.ob_no]
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
    return outcome


class _Worker:
    def __init__(self, ctx: Any, library: Library, claims: list[Claim], memory: int | None,
                 render_seconds: float, columns: int | None = None) -> None:
        self.conn, child = ctx.Pipe()
        self.announces = ctx.get_start_method() != "fork"
        self.render_seconds = render_seconds
        self.proc = ctx.Process(target=_worker_main, args=(child, library, claims, memory, os.getpid(),
                                                           self.announces, render_seconds, columns), daemon=True)
        self.proc.start()
        child.close()
        self.task: Task | None = None
        self.claim_no: int | None = None     # the claim whose problems this worker has built
        self.deadline = 0.0
        self.started = 0.0
        self.outcome: Outcome | None = None     # settled, its rendering awaited

    def wait_ready(self) -> None:
        """Wait until a worker that was not forked has started (a dead one is found out by its first task)."""
        if self.announces:
            self.announces = False
            try:
                if self.conn.poll(_STARTUP_LIMIT):
                    self.conn.recv()
            except (EOFError, OSError):
                pass

    def give(self, task: Task, timeout: float, given: Outcome | None = None) -> None:
        """Start ``task``: settle it within ``timeout`` seconds, or only render ``given``, its outcome."""
        self.task = task
        self.outcome = given
        self.started = time.monotonic()
        self.deadline = self.started + (timeout if given is None else self.render_seconds + _RENDER_GRACE)
        try:
            self.conn.send((task, None if given is None else given.to_json()))
        except OSError:     # the worker died before its first task: its pipe's end is read as its death
            pass

    def rendering(self, outcome: Outcome) -> None:
        """The verdict has come; what the reports show of it comes next, within the rendering limit."""
        self.outcome = outcome
        self.deadline = time.monotonic() + self.render_seconds + _RENDER_GRACE

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

    def __init__(self, todo: list[list[int]], show: bool = False) -> None:
        self.show = show
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
            return Task(claim_no, self.left[claim_no].popleft(), self.show)
        while self.unstarted:
            c = self.unstarted.popleft()
            if self.left[c]:
                return Task(c, self.left[c].popleft(), self.show)
        c = max(range(len(self.left)), key=lambda n: len(self.left[n]))
        return Task(c, self.left[c].pop(), self.show)


def run_obligations(library: Library, claims: list[Claim], *, jobs: int, timeout: float,
                    progress: Progress | None = None, memory: int | None = MEMORY_LIMIT,
                    on_claim: Settled | None = None, show: bool = False,
                    given: dict[int, list[Outcome]] | None = None,
                    render_seconds: float = RENDER_SECONDS, columns: int | None = None
                    ) -> tuple[list[ClaimResult], bool]:
    """Settle every obligation of ``claims`` in worker processes. Returns the results and whether interrupted.

    ``progress(done, total)`` is called after each obligation, ``on_claim(result)`` after each claim's last one.
    With ``show``, each outcome also carries what the reports show of it (:class:`~verifier.model.Shown`, built in
    ``render_seconds`` at most; with ``columns``, its relations as built pretty-printed to that width); the claims
    of ``given`` (by position) are settled already (the cache): their outcomes are only rendered.
    """
    given = given or {}
    method = start_method()
    if method == "fork":
        load_engine()   # once, before forking, so that workers start at once

    built = [obligations(c) for c in claims]
    obs = [[ob for ob, _ in b] for b in built]
    slots: list[list[Outcome | None]] = [[None] * len(o) for o in obs]
    # Identical obligations (:mod:`.dedup`) are run once; the others wait for its outcome.
    firsts: dict[str, Task] = {}
    copies: dict[Task, list[Task]] = {}
    todo: list[list[int]] = []
    to_render: dict[Task, Outcome] = {}
    # A step whose entry the sheet reader did not read is settled here, as the reader said, never sent to a worker
    # to settle (only, with ``show``, to render).
    unread: list[tuple[Task, str]] = []
    for c, keys in enumerate(obligation_keys(library, claims)):
        todo.append([])
        if c in given:
            for n, outcome in enumerate(given[c]):
                to_render[Task(c, n, show)] = outcome
                todo[c].append(n)
            continue
        for n, key in enumerate(keys):
            reason = not_read(claims[c], built[c][n][1])
            if reason is not None:
                unread.append((Task(c, n, show), reason))
            elif key in firsts:
                copies.setdefault(firsts[key], []).append(Task(c, n, show))
            else:
                firsts[key] = Task(c, n, show)
                todo[c].append(n)
    pending = _Queue(todo, show)
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
                if outcome.shown is not None:
                    shared.shown = _moved(outcome.shown, claims[copy.claim_no], built[copy.claim_no], copy.ob_no)
                settled(copy, shared)

    def finished(task: Task, outcome: Outcome, rendered: bool) -> None:
        """A verdict that no worker rendered (a step not read, a timeout, a dead worker) is rendered on its own
        first."""
        if show and not rendered and task not in to_render:
            to_render[task] = outcome
            pending.add(task)
        else:
            settled(task, outcome)

    for task, reason in unread:
        finished(task, Outcome(obs[task.claim_no][task.ob_no], "unknown", message=reason), False)
    ctx = mp.get_context(method)
    workers: list[_Worker] = []
    interrupted = False
    installed, previous = _sigterm_as_interrupt()
    try:
        for _ in range(max(1, min(jobs, len(firsts) + len(to_render))) if firsts or to_render else 0):
            workers.append(_Worker(ctx, library, claims, memory, render_seconds, columns))
        while pending or any(w.task for w in workers):
            for w in workers:
                w.wait_ready()
                if w.task is None and pending:
                    task = pending.next_for(w.claim_no)
                    w.give(task, timeout, to_render.get(task))
                    w.claim_no = task.claim_no
            busy = [w for w in workers if w.task is not None]
            now = time.monotonic()
            ready = wait([w.conn for w in busy],
                         timeout=min(_MAX_WAIT, max(0.0, min(w.deadline for w in busy) - now)))
            for i, w in enumerate(workers):
                if w.task is None:
                    continue
                task = w.task
                ob = obs[task.claim_no][task.ob_no]
                rendered = w.outcome is not None
                if w.conn in ready:
                    try:
                        answer = w.conn.recv()
                        if w.outcome is not None:
                            outcome = w.outcome
                            outcome.shown = Shown.from_json(answer)
                        else:
                            outcome = Outcome.from_json(answer)
                            outcome.obligation = ob
                            if task.show:
                                w.rendering(outcome)
                                continue
                    except (EOFError, OSError):
                        seconds = time.monotonic() - w.started
                        w.proc.join(timeout=5)  # reaped first, so that the exit code is known
                        outcome = w.outcome or Outcome(
                            ob, "unknown", seconds=seconds,
                            message=f"the worker process died ({_exit_reason(w.proc.exitcode)}); the obligation "
                                    "may need more memory than allowed")
                        w.kill()
                        workers[i] = w = _Worker(ctx, library, claims, memory, render_seconds, columns)
                elif time.monotonic() >= w.deadline:
                    outcome = w.outcome or Outcome(ob, "unknown", seconds=timeout,
                                                   message=f"timeout: no verdict within {timeout:g}s (raise --timeout)")
                    w.kill()
                    workers[i] = w = _Worker(ctx, library, claims, memory, render_seconds, columns)
                else:
                    continue
                w.task, w.outcome = None, None
                finished(task, outcome, rendered)
    except KeyboardInterrupt:
        interrupted = True
        for w in workers:   # a verdict that had come, its rendering cut short, is kept
            if w.task is not None and w.outcome is not None:
                slots[w.task.claim_no][w.task.ob_no] = w.outcome
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
        outs = [o if o is not None else to_render.get(Task(c, n, show))
                or Outcome(obs[c][n], "unknown", message=INTERRUPTED_MESSAGE) for n, o in enumerate(slots[c])]
        results.append(ClaimResult(claim, outs, cached=c in given))
    return results, interrupted


def _moved(shown: Shown, claim: Claim, origins: list[tuple[Obligation, Origin]], n: int) -> Shown:
    """What the reports show of an identical obligation (:mod:`.dedup`), at the place of obligation ``n`` of
    ``claim`` (whose obligations are ``origins``): its entries' texts and lines, the same pictures."""
    places = entries_of(claim, n, origins[n][0], origins)
    entries = [ShownEntry(place.text, place.line, e.mathml) for place, e in zip(places, shown.entries, strict=False)]
    return Shown(entries, shown.plot, dict(shown.approximations))


def _sigterm_as_interrupt() -> tuple[bool, Any]:
    """Make SIGTERM raise KeyboardInterrupt in this process (main thread only): whether it did, and the handler it
    replaced."""
    if threading.current_thread() is not threading.main_thread():
        return False, None

    def interrupt(signum: int, frame: FrameType | None) -> None:
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

"""Tests of the executor: a hung or crashing obligation costs itself only, the order is stable, Ctrl-C keeps
what was settled.

Hangs and crashes are made by replacing :func:`verifier.search.engine.settle_obligation` before the workers are forked
(they inherit the replacement), so no test depends on how long SymPy takes on a hard input.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

import verifier.search.engine
from verifier.frontend.library import Library, load_library
from verifier.model import Chain, Claim, Obligation, Outcome, obligations
from verifier.runner.cache import CACHE_DIR, Cache
from verifier.runner.executor import run_obligations

LIBRARY = """\
question = "q1"
[symbols]
x = "real"
y = "real"

[[claim]]
id = "q1.1"
title = "Doubling"
statement = "x + x = 2*x"

[[claim]]
id = "q1.2"
title = "Off by one"
statement = "x + 1 = x"

[[claim]]
id = "q1.3"
title = "The special one"
statement = "y*1 = y"

[[claim]]
id = "q1.4"
title = "Steps"
steps = ["(x + 1)^2", "x^2 + 2*x + 1", "x^2 + 2*x + 2"]
"""

SPECIAL = "y*1 = y"


@pytest.fixture
def library(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Library:
    """The library above, read with the working directory at its folder."""
    (tmp_path / "q1.toml").write_text(LIBRARY, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return load_library(tmp_path)


def patch_special(monkeypatch: pytest.MonkeyPatch, action: Any) -> None:
    """Make ``settle_obligation`` call ``action()`` on the special obligation (workers inherit it when forked)."""
    real = verifier.search.engine.settle_obligation

    def settle(ob: Obligation, problem: Any) -> Outcome:
        if ob.text == SPECIAL:
            action()
        return real(ob, problem)

    monkeypatch.setattr(verifier.search.engine, "settle_obligation", settle)


def verdicts(results: list[Any]) -> dict[str, list[str]]:
    """Claim id -> the verdicts of its obligations, in order."""
    return {r.claim.id: [o.verdict for o in r.outcomes] for r in results}


EXPECTED = {"q1.1": ["proved"], "q1.2": ["refuted"], "q1.3": ["proved"], "q1.4": ["proved", "refuted"]}


def test_serial_and_parallel_runs_agree(library: Library) -> None:
    calls: list[tuple[int, int]] = []
    serial, interrupted = run_obligations(library, library.claims, jobs=1, timeout=30,
                                          progress=lambda done, total: calls.append((done, total)))
    parallel, _ = run_obligations(library, library.claims, jobs=3, timeout=30)
    assert not interrupted
    assert verdicts(serial) == verdicts(parallel) == EXPECTED
    assert [r.claim.id for r in parallel] == ["q1.1", "q1.2", "q1.3", "q1.4"]
    assert calls == [(n, 5) for n in range(1, 6)]
    step = parallel[3].outcomes[1]
    assert step.obligation.kind == "step" and step.obligation.index == 2 and step.counterexample


def test_order_does_not_depend_on_which_worker_finishes_first(library: Library,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    patch_special(monkeypatch, lambda: time.sleep(0.3))
    results, _ = run_obligations(library, library.claims, jobs=2, timeout=30)
    assert [r.claim.id for r in results] == ["q1.1", "q1.2", "q1.3", "q1.4"]
    assert verdicts(results) == EXPECTED


def test_a_step_not_read_is_settled_as_read_without_a_worker(library: Library,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    # The reader's reason is the verdict at once: nothing is built (building would make the step an error) and no
    # worker starts (settling anything in a worker fails this test).
    def fail(*_: Any) -> Outcome:
        raise AssertionError("settled in a worker")

    monkeypatch.setattr(verifier.search.engine, "settle_obligation", fail)
    reason = "not read: '\\dots' at s.md:4:2"
    sheet_claim = Claim(id="s.1", title="t", file="s.md", line=1,
                        chains=(Chain("line 3", ("x", "= ? not read"), (3, 4), unread=(None, reason)),))
    results, interrupted = run_obligations(library, [sheet_claim], jobs=1, timeout=30)
    assert not interrupted
    assert [(o.verdict, o.message) for o in results[0].outcomes] == [("unknown", reason)]


def test_a_hung_obligation_times_out_and_the_others_keep_their_verdicts(library: Library,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    patch_special(monkeypatch, lambda: time.sleep(3600))
    start = time.monotonic()
    results, interrupted = run_obligations(library, library.claims, jobs=2, timeout=1.0)
    assert time.monotonic() - start < 10
    assert not interrupted
    assert verdicts(results) == {**EXPECTED, "q1.3": ["unknown"]}
    hung = results[2].outcomes[0]
    assert hung.message is not None and hung.message.startswith("timeout") and "1s" in hung.message


def test_a_crashed_worker_gives_unknown_and_the_run_continues(library: Library,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    patch_special(monkeypatch, lambda: os._exit(3))
    results, interrupted = run_obligations(library, library.claims, jobs=1, timeout=30)
    assert not interrupted
    assert verdicts(results) == {**EXPECTED, "q1.3": ["unknown"]}
    crashed = results[2].outcomes[0]
    assert crashed.message is not None and "exit code 3" in crashed.message
    assert not crashed.bad_input  # the engine's trouble, not the file's: exit status 1, not 2


def test_an_engine_exception_costs_one_obligation(library: Library, monkeypatch: pytest.MonkeyPatch) -> None:
    def boom() -> None:
        raise ZeroDivisionError("engine bug")

    patch_special(monkeypatch, boom)
    results, _ = run_obligations(library, library.claims, jobs=2, timeout=30)
    assert verdicts(results) == {**EXPECTED, "q1.3": ["unknown"]}
    assert "internal error in the engine: ZeroDivisionError" in (results[2].outcomes[0].message or "")
    assert not results[2].outcomes[0].bad_input


DRIVER = """\
import os, signal, sys, time
import verifier.search.engine, verifier.cli

# As in a terminal, whatever the test runner did with SIGINT.
signal.signal(signal.SIGINT, signal.default_int_handler)
real = verifier.search.engine.settle_obligation

def settle(ob, problem):
    if ob.text == %r:
        with open(os.environ["STUCK_MARKER"] + ".tmp", "w") as f:
            f.write(str(os.getpid()))
        os.replace(os.environ["STUCK_MARKER"] + ".tmp", os.environ["STUCK_MARKER"])
        time.sleep(3600)
    return real(ob, problem)

verifier.search.engine.settle_obligation = settle
sys.exit(verifier.cli.main(sys.argv[1:]))
"""


def gone(pid: int) -> bool:
    """Whether process ``pid`` has ended (and been reaped)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


@pytest.mark.slow
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_interrupt_exits_130_and_reports_what_was_settled(tmp_path: Path, signum: int) -> None:
    # q1.3 moved last, so that with one worker everything before it is settled when it gets stuck.
    text = LIBRARY.replace('title = "The special one"', 'title = "Last"').replace(
        'id = "q1.3"', 'id = "q1.9"')
    parts = text.split("[[claim]]")
    (tmp_path / "derivations").mkdir()
    (tmp_path / "derivations" / "q1.toml").write_text(
        "[[claim]]".join([parts[0], parts[1], parts[2], parts[4], parts[3]]), encoding="utf-8")
    (tmp_path / "driver.py").write_text(DRIVER % SPECIAL, encoding="utf-8")
    marker = tmp_path / "stuck"
    proc = subprocess.Popen([sys.executable, "driver.py", "all", "--jobs", "1", "--format", "json"],
                            cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "STUCK_MARKER": str(marker)})
    try:
        deadline = time.monotonic() + 60
        while not marker.exists():
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "the stuck obligation was never reached"
            time.sleep(0.05)
        worker = int(marker.read_text(encoding="utf-8"))
        proc.send_signal(signum)
        out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 130, err
    report = json.loads(out)
    assert [(c["id"], c["verdict"]) for c in report["claims"]] == [
        ("q1.1", "proved"), ("q1.2", "refuted"), ("q1.4", "refuted"), ("q1.9", "unknown")]
    assert "interrupted" in report["claims"][3]["obligations"][0]["message"]
    assert "Traceback" not in err
    # What was settled is cached; the interrupted claim is not.
    library = load_library(tmp_path / "derivations", display_root=tmp_path)
    cache = Cache(tmp_path / CACHE_DIR, options={"timeout": 60.0})
    assert {c.id: cache.get(library, c) is not None for c in library.claims} == \
        {"q1.1": True, "q1.2": True, "q1.4": True, "q1.9": False}
    deadline = time.monotonic() + 5
    while not gone(worker):  # the worker stuck on the obligation was stopped, not orphaned
        assert time.monotonic() < deadline, f"worker {worker} still running"
        time.sleep(0.05)


@pytest.mark.slow
def test_ctrl_c_prints_one_short_summary(tmp_path: Path) -> None:
    # Many claims, one stuck: the text report shows what was settled and one line for the rest, never a block per
    # obligation left unsettled.
    claims = "".join(f'\n[[claim]]\nid = "q2.{n}"\ntitle = "Later {n}"\nstatement = "x + {n} = {n} + x"\n'
                     for n in range(1, 30))
    (tmp_path / "derivations").mkdir()
    (tmp_path / "derivations" / "q1.toml").write_text(LIBRARY + claims, encoding="utf-8")
    (tmp_path / "driver.py").write_text(DRIVER % SPECIAL, encoding="utf-8")
    marker = tmp_path / "stuck"
    proc = subprocess.Popen([sys.executable, "driver.py", "all", "--jobs", "1", "--no-cache", "--color", "never"],
                            cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "STUCK_MARKER": str(marker)})
    try:
        deadline = time.monotonic() + 60
        while not marker.exists():
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "the stuck obligation was never reached"
            time.sleep(0.05)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 130, err
    lines = out.splitlines()
    summary = [line for line in lines if line.startswith("interrupted: ")]
    assert len(summary) == 1 and "claims not settled" in summary[0], out
    assert "interrupted before it was settled" not in out  # no block per unsettled obligation
    assert len(lines) < 25, out
    assert "Traceback" not in err


def _children(pid: int) -> set[int]:
    """The processes whose parent is ``pid`` (Linux: /proc)."""
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        found.update(int(c) for c in (task / "children").read_text(encoding="utf-8").split())
    return found


def _ended(pid: int) -> bool:
    """Whether process ``pid`` no longer runs: gone, or a zombie nobody reaped yet (in a container, the process
    that adopts orphans may not reap them)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="utf-8")
    except (FileNotFoundError, ProcessLookupError):
        return True
    return stat.rpartition(")")[2].split()[0] in ("Z", "X")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads the process tree from /proc")
def test_workers_die_when_the_parent_is_killed_outright(tmp_path: Path) -> None:
    # SIGKILL (as the out-of-memory killer or a cancelled CI job sends it) gives the parent no chance to stop its
    # workers: one stuck on an obligation for an hour, the other idle, both must end with it.
    (tmp_path / "derivations").mkdir()
    (tmp_path / "derivations" / "q1.toml").write_text(LIBRARY, encoding="utf-8")
    (tmp_path / "driver.py").write_text(DRIVER % SPECIAL, encoding="utf-8")
    marker = tmp_path / "stuck"
    proc = subprocess.Popen([sys.executable, "driver.py", "all", "--jobs", "2", "--no-cache"], cwd=tmp_path,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env={**os.environ, "STUCK_MARKER": str(marker)})
    try:
        deadline = time.monotonic() + 60
        while not marker.exists():
            assert proc.poll() is None, "the run ended before the stuck obligation"
            assert time.monotonic() < deadline, "the stuck obligation was never reached"
            time.sleep(0.05)
        workers = _children(proc.pid)
        assert int(marker.read_text(encoding="utf-8")) in workers and len(workers) == 2
        proc.kill()
        proc.wait()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    deadline = time.monotonic() + 5
    while not all(_ended(w) for w in workers):
        if time.monotonic() > deadline:
            for w in workers:
                if not _ended(w):
                    os.kill(w, signal.SIGKILL)
            pytest.fail(f"workers still running after their parent was killed: {sorted(workers)}")
        time.sleep(0.05)


def test_spawned_workers_settle_as_forked_ones(library: Library, monkeypatch: pytest.MonkeyPatch) -> None:
    """The path of systems without a safe ``fork`` (macOS, Windows), forced on Linux."""
    import multiprocessing

    monkeypatch.setenv("VERIFY_START_METHOD", "spawn")
    used: list[str] = []
    real = multiprocessing.get_context

    def get_context(method: str | None = None) -> Any:
        used.append(str(method))
        return real(method)

    monkeypatch.setattr(multiprocessing, "get_context", get_context)
    # A spawned worker imports SymPy before its first task; its clock starts after that, so a limit far above the
    # obligations' own time but near the import's time under load must still let every obligation settle.
    results, interrupted = run_obligations(library, library.claims, jobs=2, timeout=10)
    assert used == ["spawn"] and not interrupted
    assert verdicts(results) == EXPECTED


def test_the_start_method(monkeypatch: pytest.MonkeyPatch) -> None:
    from verifier.runner.executor import start_method
    monkeypatch.setenv("VERIFY_START_METHOD", "spawn")
    assert start_method() == "spawn"
    monkeypatch.setenv("VERIFY_START_METHOD", "forkserver")  # its workers would not be ours: not used
    assert start_method() in ("fork", "spawn")
    monkeypatch.delenv("VERIFY_START_METHOD")
    assert start_method() == ("fork" if sys.platform.startswith("linux") else "spawn")


def test_a_worker_that_dies_at_start_costs_its_obligations_not_the_run(library: Library,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    import verifier.runner.executor as executor
    monkeypatch.setattr(executor, "tie_to_parent", lambda pid: os._exit(1))
    results, interrupted = run_obligations(library, library.claims, jobs=1, timeout=30)
    assert not interrupted
    assert all(o.verdict == "unknown" and "worker process died" in (o.message or "") and not o.bad_input
               for r in results for o in r.outcomes)


def test_with_show_each_outcome_carries_what_the_reports_show(library: Library) -> None:
    # One worker renders each obligation (building it unevaluated, as written) before it settles the next: the
    # verdicts are those of a run without rendering.
    results, _ = run_obligations(library, library.claims, jobs=1, timeout=30, show=True)
    assert verdicts(results) == EXPECTED
    # A statement shows its relation; the first step of a chain the chain's first entry and its own, the second
    # step its own entry only, each with its line in q1.toml (written above: the steps are on line 24).
    statement = results[0].outcomes[0].shown
    assert statement is not None and [e.text for e in statement.entries] == ["x + x = 2*x"]
    first, second = (o.shown for o in results[3].outcomes)
    assert first is not None and second is not None
    assert [e.text for e in first.entries] == ["(x + 1)^2", "x^2 + 2*x + 1"]
    assert [e.text for e in second.entries] == ["x^2 + 2*x + 2"]
    assert all(e.mathml is not None and e.mathml.startswith("<math") for e in [*first.entries, *second.entries])
    assert {e.line for e in [*first.entries, *second.entries]} == {24}


def test_a_settled_outcome_given_is_rendered_not_settled_again(library: Library) -> None:
    # q1.1 holds (x + x = 2x); given as refuted, it stays refuted: the workers only render what they are given.
    claim = library.claims[0]
    given = Outcome(obligations(claim)[0][0], "refuted", counterexample={"x": "1"}, values={"lhs": "2", "rhs": "2"})
    results, _ = run_obligations(library, [claim], jobs=1, timeout=30, show=True, given={0: [given]})
    (outcome,) = results[0].outcomes
    assert outcome is given and outcome.verdict == "refuted" and results[0].cached
    assert outcome.shown is not None and outcome.shown.entries[0].mathml is not None


def test_a_rendering_that_hangs_or_fails_costs_the_picture_not_the_verdict(library: Library,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    import verifier.display.prepare
    import verifier.runner.executor

    def hang(*args: Any, **kwargs: Any) -> Any:
        time.sleep(3600)

    monkeypatch.setattr(verifier.display.prepare.Renderer, "shown", hang)
    monkeypatch.setattr(verifier.runner.executor, "_RENDER_GRACE", 0.5)
    start = time.monotonic()
    results, _ = run_obligations(library, library.claims[:2], jobs=1, timeout=30, show=True, render_seconds=0.5)
    assert time.monotonic() - start < 20
    assert verdicts(results) == {"q1.1": ["proved"], "q1.2": ["refuted"]}
    assert all(o.shown is None for r in results for o in r.outcomes)

    def fail(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("no picture")

    monkeypatch.setattr(verifier.display.prepare.Renderer, "shown", fail)
    results, _ = run_obligations(library, library.claims[:2], jobs=1, timeout=30, show=True)
    assert verdicts(results) == {"q1.1": ["proved"], "q1.2": ["refuted"]}


def test_ctrl_c_while_a_verdict_is_rendered_keeps_the_verdict(library: Library,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    import verifier.display.prepare

    def interrupt_and_hang(*args: Any, **kwargs: Any) -> Any:
        # In the worker, after it sent the verdict: the parent (given a second to read it) gets Ctrl-C.
        time.sleep(1.0)
        os.kill(os.getppid(), signal.SIGINT)
        time.sleep(3600)

    monkeypatch.setattr(verifier.display.prepare.Renderer, "shown", interrupt_and_hang)
    results, interrupted = run_obligations(library, library.claims[:1], jobs=1, timeout=30, show=True)
    # q1.1 (x + x = 2x) was settled before its rendering was cut short: proved, not "interrupted".
    assert interrupted and verdicts(results) == {"q1.1": ["proved"]}
    assert results[0].outcomes[0].shown is None


def test_a_worker_builds_only_the_obligations_it_is_given(library: Library) -> None:
    """A worker given the second step of q1.4 builds that step alone, and builds it as the whole claim's build does
    (the same relation: x^2 + 2x + 1 against x^2 + 2x + 2)."""
    from verifier.frontend.problem_builder import library_problems
    from verifier.runner.executor import _ClaimProblems

    claim = library.select(["q1.4"])[0]
    lazy = _ClaimProblems(library, claim)
    ob, problem = lazy[1]
    assert list(lazy.done) == [1]
    whole_ob, whole = library_problems(library, claim)[1]
    assert ob == whole_ob
    assert not isinstance(problem, Exception) and not isinstance(whole, Exception)
    assert [c.relations for c in problem.cases] == [c.relations for c in whole.cases]
    assert lazy[1] is lazy.done[1]

"""The naive peer: every obligation, built by the project's own builder, checked by ``simplify(lhs - rhs) == 0``.

Run as ``python -m bench.naive --derivations DIR --output FILE`` (one process, one obligation after another). It
writes one JSON line per obligation, as soon as it is answered, so that what was settled survives if the parent
kills the process at its overall limit. Answers:

- ``equal``: every relation of every case simplified to exactly 0;
- ``nonzero``: some relation did not (which is *not* evidence that the obligation is false);
- ``undecided``: an inequality or an ``exists`` (the peer only tries ``=``), or nothing to check;
- ``error``: the obligation could not be built, or SymPy raised;
- ``timeout``: past the per-obligation limit (a SIGALRM; SymPy's C-level work may outlast it).
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import time
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import Any, TextIO

_START = time.perf_counter()


class Timeout(BaseException):
    """Raised by the alarm; a BaseException so that SymPy's own ``except Exception`` cannot swallow it."""


def main(argv: Sequence[str] | None = None) -> int:
    """Answer every obligation of a library; the exit status is 0 unless the library could not be read."""
    p = argparse.ArgumentParser(prog="python -m bench.naive", description=__doc__.splitlines()[0])
    p.add_argument("--derivations", type=Path, required=True, help="a library folder or one .toml file")
    p.add_argument("--output", type=Path, required=True, help="where to write the JSON lines")
    p.add_argument("--limit", type=float, default=30.0, help="seconds per obligation (default: 30)")
    args = p.parse_args(argv)
    with open(args.output, "w", encoding="utf-8") as out:
        return run_peer(args.derivations, args.limit, out)


def run_peer(derivations: Path, limit: float, out: TextIO) -> int:
    """Answer every obligation of the library at ``derivations``, one JSON line each on ``out``."""
    import sympy as sp

    from verifier.frontend.library import load_library
    from verifier.frontend.problem_builder import library_problems

    _emit(out, {"event": "start", "import_seconds": time.perf_counter() - _START})
    library = load_library(derivations)
    if library.errors:
        _emit(out, {"event": "failed", "errors": [str(e) for e in library.errors]})
        return 2
    signal.signal(signal.SIGALRM, alarm)
    build_total = check_total = 0.0
    for claim in library.claims:
        start = time.perf_counter()
        try:
            built: list[tuple[Any, Any]] = limited(limit, partial(library_problems, library, claim))
            failure = None
        except Timeout:
            built, failure = [], "timeout"
        except Exception as err:  # the builder's own failure costs this claim only
            built, failure = [], f"error: {type(err).__name__}: {err}"
        build_seconds = time.perf_counter() - start
        build_total += build_seconds
        if failure is not None:
            from verifier.model import obligations
            for n, (ob, _) in enumerate(obligations(claim)):
                answer = "timeout" if failure == "timeout" else "error"
                _emit(out, _line(claim.id, n, ob, answer, f"while building: {failure}", 0.0))
            continue
        for n, (ob, problem) in enumerate(built):
            start = time.perf_counter()
            try:
                answer, reason = limited(limit, partial(decide, problem, sp.simplify))
            except Timeout:
                answer, reason = "timeout", f"no answer within {limit:g}s"
            except Exception as err:
                answer, reason = "error", f"{type(err).__name__}: {err}"
            seconds = time.perf_counter() - start
            check_total += seconds
            _emit(out, _line(claim.id, n, ob, answer, reason, seconds))
    _emit(out, {"event": "done", "seconds": time.perf_counter() - _START, "build_seconds": build_total,
                "check_seconds": check_total})
    return 0


def decide(problem: Any, simplify: Callable[[Any], Any]) -> tuple[str, str]:
    """The naive answer for one built obligation (a ``Problem`` or the ``ExpressionError`` that kept it from
    being built), and why."""
    from verifier.errors import ExpressionError

    if isinstance(problem, ExpressionError):
        return "error", f"not built: {problem}"
    if problem.kind == "exists":
        return "undecided", "an exists claim (the peer only checks '=')"
    relations = [r for case in problem.cases for r in case.relations]
    if not relations:
        return "undecided", "nothing to check (every case excluded by the hypotheses)"
    ops = sorted({op for _, op, _ in relations if op != "="})
    if ops:
        return "undecided", f"a relation {' '.join(ops)} (the peer only checks '=')"
    for lhs, _, rhs in relations:
        if simplify(lhs - rhs) != 0:
            return "nonzero", "simplify(lhs - rhs) is not 0"
    return "equal", "simplify(lhs - rhs) == 0"


def limited(limit: float, fn: Callable[[], Any]) -> Any:
    """``fn()``, stopped by :class:`Timeout` after ``limit`` seconds of wall time (the alarm must be installed)."""
    signal.setitimer(signal.ITIMER_REAL, limit)
    try:
        return fn()
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)


def alarm(signum: int, frame: Any) -> None:
    """The SIGALRM handler that :func:`limited` relies on."""
    raise Timeout


def _line(claim: str, n: int, ob: Any, answer: str, reason: str, seconds: float) -> dict[str, Any]:
    return {"event": "obligation", "claim": claim, "n": n, "kind": ob.kind, "text": ob.text, "answer": answer,
            "reason": reason, "seconds": round(seconds, 4)}


def _emit(out: TextIO, record: dict[str, Any]) -> None:
    out.write(json.dumps(record) + "\n")
    out.flush()


def read_lines(path: Path) -> list[dict[str, Any]]:
    """The records a peer run wrote (a partial last line, from a killed run, is dropped)."""
    records = []
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return []
    for line in text.splitlines():
        try:
            records.append(json.loads(line))
        except json.JSONDecodeError:
            break
    return records


if __name__ == "__main__":
    sys.exit(main())

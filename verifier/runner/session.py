"""A session: claims settled, from the cache where possible and in worker processes otherwise, into a
:class:`~verifier.model.RunResult`. The command line and the pytest plugin both settle claims here."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from verifier import __version__
from verifier.frontend.library import Library
from verifier.model import Claim, ClaimResult, RunResult
from verifier.runner.cache import CACHE_DIR, Cache, sympy_version

#: The wall-clock limit per obligation, in seconds, when none is given.
DEFAULT_TIMEOUT = 60.0


@dataclass(frozen=True)
class SessionOptions:
    """How claims are settled: ``jobs`` worker processes (``None``: one per core), a wall-clock limit per obligation
    (``None``: :data:`DEFAULT_TIMEOUT`), and whether the cache is read and written."""

    jobs: int | None = None
    timeout: float | None = None
    use_cache: bool = True


def settle(library: Library, claims: list[Claim], options: SessionOptions, *,
           on_claim: Callable[[ClaimResult], None] | None = None,
           progress: Callable[[int, int], None] | None = None) -> RunResult:
    """Settle ``claims``, from the cache where possible. ``on_claim`` is called with each claim's result as it is
    settled (cached ones first), ``progress`` with the obligations done and their total."""
    start = time.perf_counter()
    timeout = options.timeout or DEFAULT_TIMEOUT
    cache = Cache(Path(CACHE_DIR), options={"timeout": timeout}) if options.use_cache else None
    results: list[ClaimResult | None] = [cache.get(library, c) if cache else None for c in claims]
    todo = [c for c, r in zip(claims, results, strict=True) if r is None]
    lines = _unread_settled(library, on_claim) if on_claim else None
    if lines:
        for r in results:
            if r is not None:
                lines(r)
    interrupted = False
    if todo:
        from verifier.runner.executor import default_jobs, run_obligations
        fresh, interrupted = run_obligations(library, todo, jobs=options.jobs or default_jobs(), timeout=timeout,
                                             progress=progress, on_claim=lines)
        by_id = {r.claim.id: r for r in fresh}
        for n, c in enumerate(claims):
            if results[n] is None:
                results[n] = by_id[c.id]
                if cache:  # after Ctrl-C too: the cache keeps what was settled, never "interrupted"
                    cache.put(library, by_id[c.id])
    settled = [r for r in results if r is not None]
    if library.sheets:
        from verifier.frontend.infer import settle_inferred
        from verifier.frontend.sheet import settle_unread
        settle_unread(library.sheets, settled)
        settle_inferred(library.sheets, library.notations, settled)
    return run_result(settled, time.perf_counter() - start, interrupted)


def _unread_settled(library: Library, lines: Callable[[ClaimResult], None]) -> Callable[[ClaimResult], None]:
    """``lines``, called after a sheet's unread steps are made ``unknown`` (as in the report)."""
    if not library.sheets:
        return lines
    from verifier.frontend.infer import settle_inferred
    from verifier.frontend.sheet import settle_unread

    def settled(result: ClaimResult) -> None:
        settle_unread(library.sheets, [result])
        settle_inferred(library.sheets, library.notations, [result])
        lines(result)

    return settled


def run_result(results: list[ClaimResult], seconds: float, interrupted: bool = False) -> RunResult:
    """A run of this tool and SymPy version."""
    return RunResult(results, seconds, __version__, sympy_version(), interrupted=interrupted)

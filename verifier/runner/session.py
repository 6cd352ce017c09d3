"""A session: claims settled, from the cache where possible and in worker processes otherwise, into a
:class:`~verifier.model.RunResult`. The command line and the pytest plugin both settle claims here. When a report
asks for it, each outcome also carries what the reports show of it (:class:`~verifier.model.Shown`), built in the
workers, with the LaTeX each sheet entry was read from."""

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
    (``None``: :data:`DEFAULT_TIMEOUT`), whether the cache is read and written, and whether each outcome carries what
    the reports show of it (for the HTML page and the JSON report)."""

    jobs: int | None = None
    timeout: float | None = None
    use_cache: bool = True
    show: bool = False      # each outcome also carries what the reports show of it
    columns: int | None = None  # with ``show``, its relations as built pretty-printed too, to this width


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
    lines = _inferred_settled(library, on_claim) if on_claim else None
    if lines:
        for r in results:
            if r is not None:
                lines(r)
    interrupted = False
    if todo or (options.show and claims):
        from verifier.runner.executor import default_jobs, run_obligations
        cached = {n: r.outcomes for n, r in enumerate(results) if r is not None} if options.show else {}
        fresh, interrupted = run_obligations(
            library, claims if options.show else todo, jobs=options.jobs or default_jobs(), timeout=timeout,
            progress=progress, on_claim=_fresh_only(lines, {r.claim.id for r in results if r}) if lines else None,
            show=options.show, given=cached, columns=options.columns)
        by_id = {r.claim.id: r for r in fresh}
        for n, c in enumerate(claims):
            if results[n] is None and cache:  # after Ctrl-C too: the cache keeps what was settled
                cache.put(library, by_id[c.id])
            if results[n] is None or options.show:
                results[n] = by_id[c.id]
    settled = [r for r in results if r is not None]
    if library.sheets:
        from verifier.frontend.infer import settle_inferred
        settle_inferred(library.sheets, library.notations, settled)
        if options.show:
            _with_sources(library, settled)
    return run_result(settled, time.perf_counter() - start, interrupted)


def render(library: Library, results: list[ClaimResult], options: SessionOptions) -> None:
    """Give each outcome of ``results``, settled before, what the reports show of it, built in worker processes
    (``options.jobs`` of them, each obligation within the rendering limit)."""
    from verifier.runner.executor import default_jobs, run_obligations
    run_obligations(library, [r.claim for r in results], jobs=options.jobs or default_jobs(),
                    timeout=options.timeout or DEFAULT_TIMEOUT, show=True,
                    given={n: r.outcomes for n, r in enumerate(results)})
    if library.sheets:
        _with_sources(library, results)


def _fresh_only(lines: Callable[[ClaimResult], None], cached: set[str]) -> Callable[[ClaimResult], None]:
    """``lines`` for claims settled now (a cached claim, only rendered, was shown already)."""
    def fresh(result: ClaimResult) -> None:
        if result.claim.id not in cached:
            lines(result)
    return fresh


def _with_sources(library: Library, results: list[ClaimResult]) -> None:
    """Give each entry read from a sheet, as the reports show it, the LaTeX it was read from."""
    from verifier.frontend.sheet import step_entries
    for result in results:
        for outcome in result.outcomes:
            if outcome.shown is None:
                continue
            pair = step_entries(library.sheets, result.claim, outcome.obligation)
            if pair is not None:
                read = list(pair) if len(outcome.shown.entries) == 2 else [pair[1]]
                for entry, source in zip(outcome.shown.entries, read, strict=False):
                    entry.latex = source.latex


def _inferred_settled(library: Library, lines: Callable[[ClaimResult], None]) -> Callable[[ClaimResult], None]:
    """``lines``, called after a sheet's steps refuted on guessed declarations are made ``unknown`` (as in the
    report)."""
    if not library.sheets:
        return lines
    from verifier.frontend.infer import settle_inferred

    def settled(result: ClaimResult) -> None:
        settle_inferred(library.sheets, library.notations, [result])
        lines(result)

    return settled


def run_result(results: list[ClaimResult], seconds: float, interrupted: bool = False) -> RunResult:
    """A run of this tool and SymPy version."""
    return RunResult(results, seconds, __version__, sympy_version(), interrupted=interrupted)

"""What the reports show of each claim beyond its verdicts, computed here, where the claim's library is at hand, so
that the reports render from plain data (:class:`~verifier.model.Display`) and never build anything.

For the HTML page (:func:`for_page`) a claim gets its relations and chain entries as MathML, built as written
(:mod:`verifier.display.mathml`), a plot of each refuted relation near its counterexample, built as the engine built
it (:mod:`verifier.display.plot`), and decimal approximations of the exact values in its evidence. For ``verify
show`` (:func:`for_show`) it gets its relations as built, pretty-printed, and for a step read from a sheet the LaTeX
of its entries and how each was read. Building gets a budget of seconds per claim (an alarm in the main thread, which
stops SymPy between two Python steps; elsewhere, a check between steps); out of time, the relations are shown as
text.
"""

from __future__ import annotations

import importlib.util
import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sympy as sp

from verifier.display.mathml import OPERATORS, Families, Written
from verifier.display.plot import approximate, line_through, sample
from verifier.errors import ExpressionError
from verifier.frontend.library import Library, load_library
from verifier.frontend.problem import Problem
from verifier.frontend.problem_builder import library_problems
from verifier.model import Claim, ClaimResult, Display, Obligation, Outcome, Plot, RunResult, obligations


def for_page(run: RunResult, library: Library | None = None, *, families: Families | None = None,
             budget: float = 20.0) -> None:
    """Give each claim of ``run`` its :class:`~verifier.model.Display` for the HTML page: MathML, plots and
    approximations. A claim is built in ``library`` when it holds the claim's file, else in the library read again
    from the claim's file (a saved report's claims); ``families`` prints layer-labelled families
    (:func:`verifier.display.mathml.families_from_notation`)."""
    libraries = _Libraries(library)
    for result in run.results:
        display = Display(approximations=_approximations(result.outcomes))
        claim_library = libraries.get(result.claim)
        if claim_library is not None:
            try:
                with time_limit(budget) as expired:
                    _page(display, result, claim_library, families, expired)
            except Expired:     # out of time between two guarded steps: the relations as text, no plots
                display = Display(approximations=display.approximations)
        result.display = display


def for_show(result: ClaimResult, library: Library, *, columns: int, budget: float = 10.0) -> None:
    """Give one claim its :class:`~verifier.model.Display` for ``verify show``: its relations as built,
    pretty-printed to ``columns`` (building gets ``budget`` seconds), and the sheet lines of its steps."""
    display = Display(sheet_lines=_sheet_lines(library, result))
    problems: dict[Obligation, Problem | ExpressionError] = {}
    try:
        with time_limit(budget):
            problems = _problems(library, result.claim)
    except Expired:
        problems = {}
    for n, outcome in enumerate(result.outcomes):
        pretty = _pretty(problems.get(outcome.obligation), outcome, columns)
        if pretty is not None:
            display.pretty[n] = pretty
    result.display = display


def _page(out: Display, result: ClaimResult, library: Library, families: Families | None,
          expired: Callable[[], bool]) -> None:
    claim, outcomes = result.claim, result.outcomes
    try:
        written: Written | None = Written(library, claim, families)
    except Exception:  # a library that no longer builds: every relation shows as text
        written = None
    if written is not None:
        origins = [origin for _, origin in obligations(claim)]
        whole = len(origins) == len(outcomes)
        for o, origin in zip(outcomes, origins if whole else [("statement",)] * len(outcomes), strict=True):
            if origin[0] in ("statement", "exists") and not expired():
                _put(out.relations, o.obligation.text, written.relation(o.obligation.text))
        for chain in claim.chains if whole else ():
            for n, text in enumerate(chain.steps):
                if not expired():
                    _put(out.entries, (text, n == 0), written.chain_entry(text, n == 0))
    wanted = [n for n, o in enumerate(outcomes) if o.verdict == "refuted" and o.counterexample]
    if not wanted or expired():
        return
    problems = _problems(library, claim)
    for n in wanted:
        if expired():
            return
        line = line_through(problems.get(outcomes[n].obligation), outcomes[n].counterexample or {})
        if line is None:
            continue
        plotted = sample(line, expired=expired) if _plotting_available() else Plot(line.label, line.center, line.at)
        if plotted is not None:
            out.plots[n] = plotted


def _put(table: dict[Any, str], key: Any, math: str | None) -> None:
    if math:
        table[key] = math


def _problems(library: Library, claim: Claim) -> dict[Obligation, Problem | ExpressionError]:
    try:
        return dict(library_problems(library, claim))
    except Exception:  # display only: a claim that no longer builds has no plot and no pretty relations
        return {}


def _approximations(outcomes: list[Outcome]) -> dict[str, str]:
    """The decimal approximation of each exact value in the evidence that the report does not approximate itself."""
    out = {}
    for o in outcomes:
        for text in (o.values or {}).values():
            if " ≈ " not in text and text not in out:
                approx = approximate(text)
                if approx:
                    out[text] = approx
    return out


def _sheet_lines(library: Library, result: ClaimResult) -> dict[int, list[str]]:
    """For each step read from a sheet: each entry's LaTeX, where it is, and how it was read."""
    if not library.sheets:
        return {}
    from verifier.frontend.sheet import step_entries

    out: dict[int, list[str]] = {}
    for n, outcome in enumerate(result.outcomes):
        ob = outcome.obligation
        pair = step_entries(library.sheets, result.claim, ob)
        if pair is None:
            continue
        lines = []
        for entry in pair if ob.index == 1 else pair[1:]:
            reading = entry.reading if entry.reading is not None else f"not read: {entry.reason}"
            lines.append(f"    {entry.line}:{entry.col}  {entry.op or ' '} {entry.latex}")
            lines.append(f"    {' ' * len(f'{entry.line}:{entry.col}')}  read as: {reading}")
        out[n] = lines
    return out


def _pretty(problem: Problem | ExpressionError | None, outcome: Outcome, columns: int) -> str | None:
    """The built relations of the obligation's first case, pretty-printed (``None`` when there is nothing to add)."""
    if not isinstance(problem, Problem) or not problem.cases:
        return None
    case = problem.cases[0]
    parts = []
    for lhs, op, rhs in case.relations[:4]:
        try:
            parts.append(_pretty_relation(lhs, op, rhs, columns))
        except Exception:  # the pretty printer failing must not cost the report
            parts.append(outcome.obligation.text)
    if len(case.relations) > 4:
        parts.append(f"... and {len(case.relations) - 4} more relations")
    if len(problem.cases) > 1:
        shown = ", ".join(f"{k} = {v}" for k, v in case.values.items())
        parts.append(f"(case {shown}; {len(problem.cases)} cases in all)")
    return "\n".join("    " + line for line in "\n\n".join(parts).splitlines())


def _pretty_relation(lhs: sp.Basic, op: str, rhs: sp.Basic, columns: int) -> str:
    # Bound indices are Dummies (printed "_j"); for display, the names the file used.
    names = {d: sp.Symbol(d.name, integer=True) for e in (lhs, rhs) for d in e.atoms(sp.Dummy)}
    lhs, rhs = lhs.xreplace(names), rhs.xreplace(names)
    try:
        relation = sp.Rel(lhs, rhs, "==" if op == "=" else op, evaluate=False)
        return sp.pretty(relation, use_unicode=True, num_columns=columns)
    except Exception:  # e.g. an operand SymPy cannot relate: one side above the other
        return (sp.pretty(lhs, use_unicode=True, num_columns=columns) + "\n" + OPERATORS[op] + "\n"
                + sp.pretty(rhs, use_unicode=True, num_columns=columns))


class _Libraries:
    """Each claim's library: the one given when it holds the claim's file, else read again from the claim's file
    (its ``use``d files come with it), once per file."""

    def __init__(self, library: Library | None) -> None:
        self._given = library
        self._by_file: dict[str, Library | None] = {}

    def get(self, claim: Claim) -> Library | None:
        if self._given is not None and claim.file in self._given.files:
            return self._given
        if claim.file not in self._by_file:
            try:
                library = load_library(Path(claim.file))
                self._by_file[claim.file] = library if claim.file in library.files else None
            except Exception:  # the file moved or no longer reads: the report shows text
                self._by_file[claim.file] = None
        return self._by_file[claim.file]


def _plotting_available() -> bool:
    return importlib.util.find_spec("matplotlib") is not None


@contextmanager
def time_limit(seconds: float) -> Iterator[Callable[[], bool]]:
    """Stop work after ``seconds``: :class:`Expired` raised by an alarm in the main thread; elsewhere, only the
    check that is yielded."""
    deadline = time.monotonic() + seconds
    state = {"expired": False}

    def expired() -> bool:
        return state["expired"] or time.monotonic() > deadline

    def alarm(signum: int, frame: Any) -> None:
        state["expired"] = True
        raise Expired

    use_alarm = threading.current_thread() is threading.main_thread() and hasattr(signal, "SIGALRM")
    previous = signal.signal(signal.SIGALRM, alarm) if use_alarm else None
    if use_alarm:
        signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield expired
    finally:
        if use_alarm:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)


class Expired(Exception):
    """Building for display took longer than its budget."""

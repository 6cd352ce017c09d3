"""What the reports show of each obligation beyond its verdict, computed in the worker process that settles it,
where the claim's library is at hand, so that the reports render from plain data carried by the outcome
(:class:`~verifier.model.Shown`) and never build anything.

:class:`Renderer` gives an obligation its relation or chain entries as MathML, built as written
(:mod:`verifier.display.mathml`), a plot of a refuted relation near its counterexample, built as the engine built it
(:mod:`verifier.display.plot`), and decimal approximations of the exact values in its evidence; a failure to build
any of it costs that picture only (the report shows the text), never the verdict; for ``verify show`` it also
pretty-prints the relations as the engine built them. :func:`for_show` gives a claim the lines of the sheet it was
read from (the LaTeX of each entry and how it was read), which the parent reads without building anything. Building
gets a budget of seconds (an alarm in the worker's main thread, which stops SymPy between two Python steps;
elsewhere, a check between steps); out of time, what is not built yet is shown as text.
"""

from __future__ import annotations

import importlib.util
import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import sympy as sp

from verifier.display.mathml import OPERATORS, Families, Written, families_from_notation
from verifier.display.plot import approximate, line_through, sample
from verifier.errors import ExpressionError
from verifier.frontend.library import Library
from verifier.frontend.problem import Problem
from verifier.model import (
    Claim,
    ClaimResult,
    Display,
    Obligation,
    Origin,
    Outcome,
    Plot,
    Shown,
    ShownEntry,
    obligations,
)

#: The longest a worker spends building what the reports show of one obligation, in seconds.
RENDER_SECONDS = 20.0


class Renderer:
    """What the reports show of each obligation of a library's claims (:meth:`shown`); a claim's relations are
    built as written once for all its obligations. A sheet's families print as its notation writes them; with
    ``columns``, the relations as built are pretty-printed to that width too (``verify show``)."""

    def __init__(self, library: Library, columns: int | None = None) -> None:
        self.library = library
        self.columns = columns      # for ``verify show``: the relations as built, pretty-printed to this width
        self.families: Families | None = None
        if library.sheets:
            from verifier.frontend.notation import written_families
            written = {k: v for n in library.notations for k, v in written_families(n).items()}
            self.families = families_from_notation(written)
        self._written: tuple[Claim, Written | None] | None = None
        self._origins: tuple[Claim, list[tuple[Obligation, Origin]]] | None = None

    def shown(self, claim: Claim, n: int, outcome: Outcome,
              problem: Callable[[], Problem | ExpressionError | None], budget: float = RENDER_SECONDS) -> Shown:
        """What the reports show of obligation ``n`` of ``claim``, settled as ``outcome``; ``problem()`` gives it
        built as the engine built it (asked only for a plot). Out of ``budget`` seconds, the rest is left out."""
        origins = self._origins_for(claim)
        out = Shown(entries=entries_of(claim, n, outcome.obligation, origins))
        try:
            with time_limit(budget) as expired:
                out.approximations = _approximations([outcome])
                written = self._written_for(claim)
                for entry, first in zip(out.entries, _firsts(origins, n, len(out.entries)), strict=True):
                    if written is None or expired():
                        break
                    entry.mathml = (written.relation(entry.text) if first is None
                                    else written.chain_entry(entry.text, first))
                if outcome.verdict == "refuted" and outcome.counterexample and not expired():
                    out.plot = _plot(problem(), outcome, expired)
                if self.columns is not None and not expired():
                    out.pretty = _pretty(problem(), outcome, self.columns)
        except Expired:     # out of time between two guarded steps: what is built so far
            pass
        except Exception:  # display only: a picture that cannot be built is left out, never the verdict
            pass
        return out

    def _origins_for(self, claim: Claim) -> list[tuple[Obligation, Origin]]:
        """The claim's obligations, listed once for all of them (a chain of n steps has n)."""
        if self._origins is None or self._origins[0] is not claim:
            self._origins = (claim, obligations(claim))
        return self._origins[1]

    def _written_for(self, claim: Claim) -> Written | None:
        if self._written is None or self._written[0] is not claim:
            try:
                written: Written | None = Written(self.library, claim, self.families)
            except Exception:  # a library that no longer builds: every relation shows as text
                written = None
            self._written = (claim, written)
        return self._written[1]


def for_show(result: ClaimResult, library: Library) -> None:
    """Give one claim its :class:`~verifier.model.Display` for ``verify show``: the sheet lines of its steps (its
    relations pretty-printed come with its outcomes: :class:`Renderer` with ``columns``)."""
    result.display = Display(sheet_lines=_sheet_lines(library, result))


def entries_of(claim: Claim, n: int, ob: Obligation,
               origins: list[tuple[Obligation, Origin]] | None = None) -> list[ShownEntry]:
    """The relation of obligation ``n`` as written, or for a step the chain's entries it shows (the first entry
    too for the first step); ``origins``: the claim's obligations, when listed already."""
    origins = obligations(claim) if origins is None else origins
    if n >= len(origins) or origins[n][1][0] != "step":
        return [ShownEntry(ob.text, ob.line)]
    _, chain_no, k = origins[n][1]
    assert chain_no is not None
    chain = claim.chains[chain_no]
    later = ShownEntry(chain.steps[k + 1], chain.step_lines[k + 1])
    return [ShownEntry(chain.steps[0], chain.step_lines[0]), later] if k == 0 else [later]


def _firsts(origins: list[tuple[Obligation, Origin]], n: int, count: int) -> list[bool | None]:
    """For each entry :func:`entries_of` gives: ``None`` for a relation, else whether it is its chain's first."""
    if n >= len(origins) or origins[n][1][0] != "step":
        return [None] * count
    return [True, False] if count == 2 else [False]


def _plot(problem: Problem | ExpressionError | None, outcome: Outcome, expired: Callable[[], bool]) -> Plot | None:
    line = line_through(problem, outcome.counterexample or {})
    if line is None:
        return None
    return sample(line, expired=expired) if _plotting_available() else Plot(line.label, line.center, line.at)


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

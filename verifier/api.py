"""The Python API: check one relation or one chain, or run a library, from Python (a notebook, a script, a test).

:func:`check` and :func:`check_chain` take what a ``[[claim]]`` of a derivation file holds, as Python values, and
return a :class:`Result`; :func:`run` reads a library (a folder, a file or a sheet) as ``verify all`` does and
returns a :class:`Report`. Each obligation is settled in a worker process under a wall-clock limit, exactly as on
the command line: a timeout stops the worker, never the caller (no signal is used), so it works in a notebook's
kernel. Results and reports print as text and show themselves in Jupyter with the same MathML as the HTML report.

The values given are data, read by the project's own parser: nothing given here is evaluated as Python.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from verifier.model import ClaimResult, Expect, Outcome, RunResult, Verdict

if TYPE_CHECKING:
    from verifier.frontend.library import Library

#: The file name under which a claim checked from Python is reported (no file holds it).
PYTHON_SOURCE = "<python>"

Value = int | float | str


@dataclass(frozen=True)
class Step:
    """One obligation settled: a statement, a step of a chain (each related to the entry before) or ``exists``."""

    kind: str
    text: str
    verdict: Verdict
    method: str | None
    counterexample: dict[str, str] | None
    values: dict[str, str] | None
    sizes: str | None
    message: str | None
    line: int | None
    seconds: float

    @classmethod
    def of(cls, outcome: Outcome) -> Step:
        """The step of an outcome."""
        ob = outcome.obligation
        return cls(ob.kind, ob.text, outcome.verdict, outcome.method, outcome.counterexample, outcome.values,
                   outcome.sizes, outcome.message, ob.line, outcome.seconds)

    def __str__(self) -> str:
        mark = {"proved": "✓", "checked": "✓", "refuted": "✗", "error": "!"}.get(self.verdict, "?")
        lines = [f"{mark} {self.verdict}: {self.text}"]
        if self.method:
            lines.append(f"    {self.method}")
        if self.sizes and self.verdict == "checked":
            lines.append(f"    for {self.sizes}")
        if self.counterexample is not None:
            point = ", ".join(f"{k} = {v}" for k, v in self.counterexample.items()) or "no free variables"
            lines.append(f"    counterexample: {point}")
        for side, value in (self.values or {}).items():
            lines.append(f"    {side}: {value}")
        if self.message:
            lines.append(f"    {self.message}")
        return "\n".join(lines)


class Result:
    """A claim settled: its ``verdict`` (the worst of its steps), the ``method`` and ``counterexample`` of the step
    that decided it, and every step. ``holds`` says whether it met its expectation."""

    def __init__(self, result: ClaimResult, library: Library | None = None) -> None:
        self.claim_result = result
        self._library = library
        self.steps: tuple[Step, ...] = tuple(Step.of(o) for o in result.outcomes)

    @property
    def id(self) -> str:
        """The claim's id (``check`` for a claim checked from Python)."""
        return self.claim_result.claim.id

    @property
    def verdict(self) -> Verdict:
        """``proved``, ``checked``, ``refuted``, ``unknown`` or ``error``: the worst verdict of the steps."""
        return self.claim_result.verdict

    @property
    def holds(self) -> bool:
        """Whether the verdict meets the claim's expectation (``proved`` or ``checked``, unless refutation is
        expected)."""
        return self.claim_result.as_expected

    def _decisive(self) -> Step | None:
        failing = self.claim_result.first_failure()
        if failing is not None:
            return Step.of(failing)
        return self.steps[0] if self.steps else None

    @property
    def method(self) -> str | None:
        """How the deciding step was settled (the first step not proved or checked, else the first step)."""
        step = self._decisive()
        return step.method if step else None

    @property
    def counterexample(self) -> dict[str, str] | None:
        """The values of the free names where the first refuted step fails, or ``None``."""
        for step in self.steps:
            if step.verdict == "refuted":
                return step.counterexample
        return None

    @property
    def message(self) -> str | None:
        """Why the deciding step is unknown or an error (``None`` when it says nothing)."""
        step = self._decisive()
        return step.message if step else None

    def to_json(self) -> dict[str, Any]:
        """The claim's entry of the JSON report."""
        return self.claim_result.to_json()

    def __str__(self) -> str:
        claim = self.claim_result.claim
        head = f"{claim.id}: {self.verdict}" + ("" if self.holds else " (not as expected)")
        return "\n".join([head, *(f"  {line}" for s in self.steps for line in str(s).split("\n"))])

    def __repr__(self) -> str:
        return str(self)

    def _repr_html_(self) -> str:
        from verifier.runner.session import run_result
        return _html(run_result([self.claim_result], self.claim_result.seconds), self._library)


class Report:
    """A run of a library: its ``claims`` (a :class:`Result` each, in library order), the ``summary`` counts,
    ``errors`` (the files that could not be read) and ``ok``; ``to_json()`` is the JSON report of the format."""

    def __init__(self, run: RunResult, library: Library | None = None) -> None:
        self.run = run
        self._library = library
        self.claims: tuple[Result, ...] = tuple(Result(r, library) for r in run.results)

    @property
    def summary(self) -> dict[str, Any]:
        """Claims per verdict, how many missed their expectation, and the seconds the run took."""
        counts: dict[str, Any] = self.run.counts()
        counts["seconds"] = round(self.run.seconds, 3)
        return counts

    @property
    def ok(self) -> bool:
        """Whether every claim met its expectation and every file could be read (``verify`` would exit 0)."""
        return self.run.ok

    @property
    def errors(self) -> list[str]:
        """The files that could not be read, as ``file:line: reason``."""
        return list(self.run.file_errors)

    def __getitem__(self, claim_id: str) -> Result:
        for r in self.claims:
            if r.id == claim_id:
                return r
        raise KeyError(claim_id)

    def to_json(self) -> dict[str, Any]:
        """The JSON report (format 1 of the public contract), with the per-sheet summary for sheets."""
        data = self.run.to_json()
        if self._library is not None and self._library.sheets:
            from verifier.frontend.sheet import annotate
            annotate(data, self._library.sheets, self.run.results)
        return data

    def __str__(self) -> str:
        from verifier.outputs.text import render_text
        return render_text(self.run, color=False, width=120).rstrip("\n")

    def __repr__(self) -> str:
        return str(self)

    def _repr_html_(self) -> str:
        return _html(self.run, self._library)


def check(statement: str | Sequence[str], *, symbols: Mapping[str, str] | None = None,
          define: Mapping[str, str] | None = None, assume: Sequence[str] = (),
          where: Mapping[str, Value] | None = None, sizes: Mapping[str, Value | Sequence[int]] | None = None,
          expect: Expect = "holds", timeout: float | None = None) -> Result:
    """Settle a relation (or several) for every allowed value of its names, as a claim's ``statement``.

    ``symbols`` declares every free name (``{"x": "real", "K": "integer positive"}``), ``define`` gives macros
    (``{"sigma(z)": "1/(1 + exp(-z))"}``), ``assume`` hypotheses, ``where`` values for names, ``sizes`` the sizes a
    bounded check tries: each as in a derivation file. ``timeout`` is the wall-clock limit per obligation in
    seconds (default 60). A file that would be malformed raises :class:`verifier.errors.DerivationFileError`.
    """
    raw: dict[str, Any] = {"statement": statement if isinstance(statement, str) else list(statement)}
    return _settle(raw, symbols, define, assume, where, sizes, expect, timeout)


def check_chain(steps: Sequence[str], *, symbols: Mapping[str, str] | None = None,
                define: Mapping[str, str] | None = None, assume: Sequence[str] = (),
                where: Mapping[str, Value] | None = None, sizes: Mapping[str, Value | Sequence[int]] | None = None,
                expect: Expect = "holds", timeout: float | None = None) -> Result:
    """Settle a chain, each entry related to the one before (``"= ..."`` by default, or ``"<= ..."``, ``"< ..."``):
    a claim's ``steps``. The keywords are those of :func:`check`; ``result.steps`` has one step per link."""
    raw: dict[str, Any] = {"steps": list(steps)}
    return _settle(raw, symbols, define, assume, where, sizes, expect, timeout)


def run(path: str | Path, notation: str | Path | None = None, *, select: Sequence[str] = (),
        jobs: int | None = None, timeout: float | None = None, cache: bool = True,
        require_proof: bool = False) -> Report:
    """Settle the claims of a library (a folder, one ``.toml`` file, or a sheet ``.md``/``.tex`` read with its
    ``notation`` table), as ``verify all`` does: ``select`` picks claim ids (``["q2.4", "q3"]``), ``jobs`` worker
    processes, ``timeout`` seconds per obligation, ``cache`` reads and writes ``.verify_cache/``, and
    ``require_proof`` makes a claim that is only ``checked`` fail the report. Files that cannot be read are in
    ``report.errors``; an unknown id raises :class:`verifier.errors.UsageError`."""
    from verifier.errors import UsageError
    from verifier.frontend.library import load_library
    from verifier.runner.session import SessionOptions, settle
    where = Path(path)
    if not where.exists():
        raise UsageError(f"no derivations at '{path}'")
    table = Path(notation) if notation is not None else None
    if table is not None and not table.is_file():
        raise UsageError(f"notation: no such file '{notation}'")
    library = load_library(where, notation=table)
    selectors = list(select)
    unknown = library.unknown_selectors(selectors)
    if unknown:
        raise UsageError(f"unknown claim id(s): {', '.join(unknown)}")
    claims = library.select(selectors) if selectors else list(library.claims)
    result = settle(library, claims, SessionOptions(jobs=jobs, timeout=timeout, use_cache=cache))
    result.file_errors = [str(err) for err in library.errors]
    result.require_proof = require_proof
    return Report(result, library=library)


def _html(run: RunResult, library: Library | None) -> str:
    """The HTML of a notebook's output: MathML and plots built in worker processes from ``library`` (where the
    claims were read), once."""
    from verifier.outputs.html import render_fragment
    if library is not None and any(o.shown is None for r in run.results for o in r.outcomes):
        from verifier.runner.session import SessionOptions, render
        render(library, run.results, SessionOptions())
    return render_fragment(run)


def _settle(raw: dict[str, Any], symbols: Mapping[str, str] | None, define: Mapping[str, str] | None,
            assume: Sequence[str], where: Mapping[str, Value] | None,
            sizes: Mapping[str, Value | Sequence[int]] | None, expect: Expect, timeout: float | None) -> Result:
    from verifier.frontend.library import Library
    from verifier.frontend.tomlfile import from_data
    from verifier.runner.session import SessionOptions, settle
    text = next(iter(raw.values()))
    raw = {"id": "check", "title": text if isinstance(text, str) else " ".join(map(str, text)), **raw}
    if assume:
        raw["assume"] = [assume] if isinstance(assume, str) else list(assume)
    if where:
        raw["where"] = dict(where)
    if sizes:
        raw["sizes"] = {k: list(v) if isinstance(v, (list, tuple, range)) else v for k, v in sizes.items()}
    if expect != "holds":
        raw["expect"] = expect
    data = {"symbols": dict(symbols or {}), "define": dict(define or {}), "claim": [raw]}
    source = from_data(data, PYTHON_SOURCE)
    library = Library(files={source.path: source}, claims=list(source.claims))
    if timeout is not None and not timeout > 0:
        from verifier.errors import UsageError
        raise UsageError("timeout must be a positive number of seconds")
    run_ = settle(library, library.claims, SessionOptions(jobs=1, timeout=timeout, use_cache=False))
    return Result(run_.results[0], library)


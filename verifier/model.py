"""The project's data: claims as read from derivation files, and the verdicts settled for them.

A *claim* (one ``[[claim]]`` table) becomes a list of *obligations*: each relation of its ``statement``, each step of
each chain, its ``exists``. Each obligation gets an :class:`Outcome` with one of five verdicts and the evidence the
public contract (``derivation-format.md``, section 3) requires. Nothing here imports SymPy: reports, the cache and the
CLI work on these plain values alone.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Literal

from verifier.errors import VerifierError

Verdict = Literal["proved", "checked", "refuted", "unknown", "error"]
ObligationKind = Literal["statement", "step", "exists"]
Expect = Literal["holds", "refuted"]

#: From best to worst; a claim's verdict is the worst of its obligations'.
VERDICTS: tuple[Verdict, ...] = ("proved", "checked", "unknown", "refuted", "error")
_RANK = {v: r for r, v in enumerate(VERDICTS)}
#: The message of an obligation that Ctrl-C stopped before it was settled (its verdict is ``unknown``).
INTERRUPTED_MESSAGE = "interrupted before it was settled"


def worst(verdicts: list[Verdict]) -> Verdict:
    """The worst verdict in the order error > refuted > unknown > checked > proved (``proved`` for none)."""
    return max(verdicts, key=_RANK.__getitem__, default="proved")


def meets(verdict: Verdict, expect: Expect) -> bool:
    """Whether a claim's verdict meets its expectation (section 3 of the format)."""
    if expect == "refuted":
        return verdict == "refuted"
    return verdict in ("proved", "checked")


@dataclass(frozen=True)
class Chain:
    """A named derivation of a claim: a chain of entries, each related to the one before."""

    name: str | None
    steps: tuple[str, ...]
    step_lines: tuple[int | None, ...]
    assume: tuple[str, ...] = ()
    where: tuple[tuple[str, str], ...] = ()
    line: int | None = None
    where_line: int | None = None
    #: The column in the file where each entry's text starts (empty when not known).
    step_columns: tuple[int | None, ...] = ()
    #: For a chain read from a sheet, why each entry was not read ("not read: REASON at FILE:LINE:COL"), ``None``
    #: for an entry that was (empty for a derivation file).
    unread: tuple[str | None, ...] = ()
    #: For a chain read from a sheet, each entry as it is written there (empty for a derivation file).
    entries: tuple[SheetEntry, ...] = ()


@dataclass(frozen=True)
class SheetEntry:
    """An entry of a chain read from a sheet: where its LaTeX starts (``FILE:LINE:COL``, what a reading that cannot
    be built is charged to), its relation to the entry before as written, and its text as shown (its reading, or
    its LaTeX in brackets when it was not read)."""

    at: str
    op: str | None
    text: str


@dataclass(frozen=True)
class Written:
    """Where a claim's ``assume`` (``name`` is ``None``) or ``where`` value (of ``name``) is written: its file, line
    and the column of its first character (``None`` when not known)."""

    text: str
    name: str | None
    file: str
    line: int | None
    column: int | None


@contextmanager
def written_in(source: Written | None) -> Iterator[None]:
    """Errors raised inside with no line are about the value ``source`` says is written in another file: that
    file's, at the value's line and column (a column inside the value is counted from there)."""
    try:
        yield
    except VerifierError as err:
        if source is not None and err.line is None:
            err.file, err.line = source.file, source.line
            inside = err.column
            err.column = source.column if inside is None or source.column is None else source.column + inside - 1
        raise


@dataclass(frozen=True)
class Claim:
    """One ``[[claim]]`` of a derivation file, as written (expressions still text)."""

    id: str
    title: str
    file: str
    line: int | None
    statements: tuple[str, ...] = ()
    statement_lines: tuple[int | None, ...] = ()
    chains: tuple[Chain, ...] = ()
    exists: str | None = None
    exists_line: int | None = None
    #: The column in the file where each statement's (and ``exists``'s) text starts (empty, ``None``: not known).
    statement_columns: tuple[int | None, ...] = ()
    exists_column: int | None = None
    assume: tuple[str, ...] = ()
    where: tuple[tuple[str, str], ...] = ()
    where_line: int | None = None
    sizes: tuple[tuple[str, str], ...] = ()
    expect: Expect = "holds"
    latex: str | None = None
    note: str | None = None
    question: str | None = None
    #: Where an ``assume`` or ``where`` value was written when that is another file than the claim's (a sheet's
    #: notation table).
    sources: tuple[Written, ...] = ()
    #: For a claim read from a sheet, the notation table it was read with.
    table: str | None = None


@dataclass(frozen=True)
class Obligation:
    """One relation to settle. ``text`` is ``"lhs REL rhs"`` as shown to users."""

    kind: ObligationKind
    text: str
    line: int | None
    derivation: str | None = None
    index: int | None = None
    column: int | None = None   # where the obligation's (last) entry starts on its line of the file


@dataclass
class Outcome:
    """The verdict on one obligation and its evidence."""

    obligation: Obligation
    verdict: Verdict
    method: str | None = None
    seconds: float = 0.0
    counterexample: dict[str, str] | None = None
    values: dict[str, str] | None = None
    sizes: str | None = None
    message: str | None = None
    bad_input: bool = False    # an error caused by the derivation file (exit status 2), not by the engine
    #: What the reports show of the obligation beyond its verdict (given only when a report asks for it).
    shown: Shown | None = field(default=None, compare=False, repr=False)

    def to_json(self) -> dict[str, Any]:
        """The obligation's entry of the JSON report (section 5 of the format), with ``"display"`` when the
        outcome carries what the reports show (:meth:`Shown.to_json`)."""
        ob = self.obligation
        out: dict[str, Any] = {
            "kind": ob.kind, "derivation": ob.derivation, "index": ob.index, "text": ob.text,
            "line": ob.line, "verdict": self.verdict, "method": self.method,
            "seconds": round(self.seconds, 4),
        }
        if ob.column is not None:
            out["column"] = ob.column
        for key in ("counterexample", "values", "sizes", "message"):
            value = getattr(self, key)
            if value is not None:
                out[key] = value
        if self.bad_input:
            out["bad_input"] = True
        if self.shown is not None:
            out["display"] = self.shown.to_json()
        return out

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Outcome:
        """Rebuild an outcome from :meth:`to_json` (used by the cache and worker processes)."""
        ob = Obligation(kind=data["kind"], text=data["text"], line=data.get("line"),
                        derivation=data.get("derivation"), index=data.get("index"), column=data.get("column"))
        return cls(obligation=ob, verdict=data["verdict"], method=data.get("method"),
                   seconds=data.get("seconds", 0.0), counterexample=data.get("counterexample"),
                   values=data.get("values"), sizes=data.get("sizes"), message=data.get("message"),
                   bad_input=bool(data.get("bad_input", False)),
                   shown=Shown.from_json(data["display"]) if isinstance(data.get("display"), dict) else None)


@dataclass
class Plot:
    """Both sides of a refuted relation along a line through its counterexample (``center``, where the sides are
    ``at``), with ``label`` the axis: each side's value at each point of ``xs``, NaN where it has no real value. No
    points when they were not computed (the plotting extra is not installed)."""

    label: str
    center: float
    at: tuple[float, float]
    xs: list[float] = field(default_factory=list)
    lhs: list[float] = field(default_factory=list)
    rhs: list[float] = field(default_factory=list)


    def to_json(self) -> dict[str, Any]:
        """The plot as plain JSON values (a NaN, where a side has no real value, as ``null``)."""
        return {"label": self.label, "center": self.center, "at": list(self.at), "xs": self.xs,
                "lhs": [None if math.isnan(v) else v for v in self.lhs],
                "rhs": [None if math.isnan(v) else v for v in self.rhs]}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Plot:
        """Rebuild a plot from :meth:`to_json`."""
        def floats(values: list[Any]) -> list[float]:
            return [math.nan if v is None else float(v) for v in values]
        at = floats(list(data["at"]))
        return cls(str(data["label"]), float(data["center"]), (at[0], at[1]), floats(data.get("xs", [])),
                   floats(data.get("lhs", [])), floats(data.get("rhs", [])))


@dataclass
class ShownEntry:
    """A relation, or an entry of a chain, as the reports show it: its text in the file (a chain's entry after the
    first with its sign, ``= b``), its line, its MathML built as written, and the LaTeX it was read from (a sheet)."""

    text: str
    line: int | None = None
    mathml: str | None = None
    latex: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The entry as JSON, without the fields it does not have."""
        out: dict[str, Any] = {"text": self.text, "line": self.line}
        if self.mathml is not None:
            out["mathml"] = self.mathml
        if self.latex is not None:
            out["latex"] = self.latex
        return out

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ShownEntry:
        """Rebuild an entry from :meth:`to_json`."""
        return cls(str(data["text"]), data.get("line"), data.get("mathml"), data.get("latex"))


@dataclass
class Shown:
    """What the reports show of one obligation beyond its verdict, computed in the worker that settled it (or, for
    an outcome from the cache, in a worker afterwards) and carried by the outcome, so that a report renders from the
    outcome alone: its ``entries`` (a statement or ``exists``: the relation; a step: the chain's entry it adds,
    after the chain's first entry for its first step), the plot of a refuted relation near its counterexample, and
    decimal approximations of the exact values of its evidence. Part of the JSON report as ``"display"``."""

    entries: list[ShownEntry] = field(default_factory=list)
    plot: Plot | None = None
    approximations: dict[str, str] = field(default_factory=dict)
    #: For ``verify show``: the relations as the engine built them, pretty-printed.
    pretty: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The ``"display"`` of an obligation in the JSON report."""
        out: dict[str, Any] = {"entries": [e.to_json() for e in self.entries]}
        if self.plot is not None:
            out["plot"] = self.plot.to_json()
        if self.approximations:
            out["approximations"] = dict(self.approximations)
        if self.pretty is not None:
            out["pretty"] = self.pretty
        return out

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Shown:
        """Rebuild from :meth:`to_json`."""
        plot = data.get("plot")
        return cls([ShownEntry.from_json(e) for e in data.get("entries", [])],
                   Plot.from_json(plot) if isinstance(plot, dict) else None,
                   {str(k): str(v) for k, v in (data.get("approximations") or {}).items()},
                   data.get("pretty") if isinstance(data.get("pretty"), str) else None)


@dataclass
class Display:
    """What ``verify show`` shows of a claim beyond its verdicts and what its outcomes carry, read where its
    library is at hand (:func:`verifier.display.prepare.for_show`): by the position of an outcome, the lines of a
    sheet it was read from."""

    sheet_lines: dict[int, list[str]] = field(default_factory=dict)


@dataclass
class ClaimResult:
    """A claim with the outcomes of all its obligations, in the order they are written, and what the reports show of
    it beyond its verdicts (:class:`Display`, given only for the reports that need it, never cached)."""

    claim: Claim
    outcomes: list[Outcome] = field(default_factory=list)
    cached: bool = False
    display: Display | None = field(default=None, compare=False, repr=False)

    @property
    def verdict(self) -> Verdict:
        """The worst verdict of the claim's obligations."""
        return worst([o.verdict for o in self.outcomes])

    @property
    def as_expected(self) -> bool:
        """Whether the claim's verdict meets its ``expect``."""
        return meets(self.verdict, self.claim.expect)

    @property
    def seconds(self) -> float:
        """Time spent on the claim's obligations."""
        return sum(o.seconds for o in self.outcomes)

    def first_failure(self) -> Outcome | None:
        """The outcome a reader should look at first: the first one that is not proved or checked."""
        for o in self.outcomes:
            if o.verdict not in ("proved", "checked"):
                return o
        return None

    def to_json(self) -> dict[str, Any]:
        """The claim's entry of the JSON report."""
        c = self.claim
        return {
            "id": c.id, "title": c.title, "file": c.file, "line": c.line,
            "verdict": self.verdict, "expect": c.expect, "as_expected": self.as_expected,
            "note": c.note,
            **({"latex": c.latex} if c.latex is not None else {}),
            "obligations": [o.to_json() for o in self.outcomes],
        }


@dataclass
class RunResult:
    """Everything a run settled, in a stable order (library order of the claims)."""

    results: list[ClaimResult]
    seconds: float
    tool_version: str
    sympy_version: str
    interrupted: bool = False
    file_errors: list[str] = field(default_factory=list)   # "file:line: reason" of files that could not be read
    require_proof: bool = False     # ``--require-proof``: a claim that is only ``checked`` fails the run
    #: The per-sheet summary of the claims read from answer sheets (``None``: no sheet), as in the JSON report.
    sheets: list[dict[str, Any]] | None = None

    def counts(self) -> dict[str, int]:
        """Claims per verdict, and how many did not meet their expectation."""
        out = {"claims": len(self.results)}
        for v in VERDICTS:
            out[v] = sum(1 for r in self.results if r.verdict == v)
        out["unexpected"] = sum(1 for r in self.results if not r.as_expected)
        return out

    def unproved(self) -> list[ClaimResult]:
        """The claims that fail the run only because ``require_proof`` is set: ``checked``, not ``proved``."""
        return [r for r in self.results if r.verdict == "checked"] if self.require_proof else []

    @property
    def ok(self) -> bool:
        """Whether every selected claim met its expectation (and, with ``require_proof``, none is only
        ``checked``) and every file could be read."""
        return not self.file_errors and all(r.as_expected for r in self.results) and not self.unproved()

    def to_json(self) -> dict[str, Any]:
        """The whole JSON report (format 1)."""
        summary: dict[str, Any] = self.counts()
        summary["seconds"] = round(self.seconds, 3)
        out = {
            "format": 1,
            "tool": {"name": "verifier", "version": self.tool_version, "sympy": self.sympy_version},
            "summary": summary,
            "claims": [r.to_json() for r in self.results],
        }
        if self.file_errors:
            out["errors"] = list(self.file_errors)
        if self.sheets is not None:
            out["sheets"] = self.sheets
        return out


#: Where an obligation comes from in its claim: (kind, chain number or None, statement or step number).
Origin = tuple[ObligationKind, "int | None", int]


def obligations(claim: Claim) -> list[tuple[Obligation, Origin]]:
    """A claim's obligations in the order written: statements, then each chain's steps, then ``exists``."""
    out: list[tuple[Obligation, Origin]] = []
    for n, (text, line) in enumerate(zip(claim.statements, claim.statement_lines, strict=False)):
        out.append((Obligation("statement", text, line, None, n + 1 if len(claim.statements) > 1 else None,
                               _at(claim.statement_columns, n)), ("statement", None, n)))
    for c, chain in enumerate(claim.chains):
        for n in range(len(chain.steps) - 1):
            text = f"{_strip_op(chain.steps[n])} {_op(chain.steps[n + 1])} {_strip_op(chain.steps[n + 1])}"
            if chain.entries and any(r is not None for r in chain.unread[n:n + 2]):   # shown as the sheet writes it
                left, right = chain.entries[n:n + 2]
                text = f"{left.text} {right.op or '='} {right.text}"
            out.append((Obligation("step", " ".join(text.split()), chain.step_lines[n + 1], chain.name, n + 1,
                                   _at(chain.step_columns, n + 1)), ("step", c, n)))
    if claim.exists is not None:
        out.append((Obligation("exists", claim.exists, claim.exists_line, column=claim.exists_column),
                    ("exists", None, 0)))
    return out


def not_read(claim: Claim, origin: Origin) -> str | None:
    """Why an obligation cannot be settled because the reader did not read one of its entries (a step's earlier
    entry first): its reason, the obligation's verdict being ``unknown``; ``None`` when everything was read."""
    kind, chain, n = origin
    if kind != "step" or chain is None:
        return None
    return next((r for r in claim.chains[chain].unread[n:n + 2] if r is not None), None)


def _at(columns: tuple[int | None, ...], n: int) -> int | None:
    return columns[n] if n < len(columns) else None


_LEADING = ("<=", ">=", "==", "!=", "<", ">", "=")


def _op(step: str) -> str:
    s = step.lstrip()
    for op in _LEADING:
        if s.startswith(op):
            return "=" if op == "==" else op
    return "="


def _strip_op(step: str) -> str:
    s = step.strip()
    for op in _LEADING:
        if s.startswith(op):
            return s[len(op):].strip()
    return s

"""The HTML report: one self-contained page a person reads, the mathematics rendered as MathML Core.

The page has no script and loads nothing: its style sheet is inline (with a print style sheet), its formulas are
MathML, its plots inline SVG. A summary table of the claims comes first, then each claim: its title, where it is
written, each statement and each step of each derivation rendered as written (:class:`verifier.outputs.mathml.Written`)
with its mark and method, and for a refutation the counterexample with both sides' exact and approximate values, and,
where the step has real variables, a plot of both sides along a line through the counterexample (with matplotlib,
an optional extra: without it the page says how to install it).

Nothing here decides a verdict: the page shows the :class:`~verifier.model.Outcome` values it is given. Building for
display (and plotting) runs under a time budget; past it, or when building fails, a relation is shown as its text.
"""

from __future__ import annotations

import html
import importlib.util
import re
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from verifier import DISTRIBUTION
from verifier.model import Claim, ClaimResult, Outcome, RunResult, obligations
from verifier.outputs.words import status_line, summary_line, verdict_label

#: How to get the plots: the ``plot`` extra of the distribution.
PLOT_HINT = f"pip install '{DISTRIBUTION}[plot]'"

_MARKS = {"proved": "✓", "checked": "✓", "refuted": "✗", "unknown": "?", "error": "!"}

_STYLE = """
:root { --ink: #1d2330; --muted: #5b6475; --rule: #d8dce4; --paper: #ffffff; --band: #f4f6f9;
  --proved: #1a7f37; --checked: #0b6e99; --refuted: #c62828; --unknown: #9a6700; --error: #8e24aa; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 72rem; padding: 1.5rem 2rem 4rem; color: var(--ink); background: var(--paper);
  font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; }
h2 { font-size: 1.25rem; margin: 0; }
h3 { font-size: 1rem; margin: 1rem 0 .25rem; color: var(--muted); font-weight: 600; }
a { color: inherit; }
code { font: .9em/1.4 ui-monospace, "DejaVu Sans Mono", monospace; overflow-wrap: anywhere; }
.status-ok { color: var(--proved); } .status-failed { color: var(--refuted); }
.meta { color: var(--muted); font-size: .9rem; margin: .15rem 0 0; }
table.summary { border-collapse: collapse; width: 100%; margin: 1rem 0 2rem; font-size: .95rem; }
table.summary th, table.summary td { text-align: left; padding: .3rem .6rem; border-bottom: 1px solid var(--rule); }
table.summary th { background: var(--band); }
table.summary td.time { text-align: right; color: var(--muted); white-space: nowrap; }
.badge { display: inline-block; padding: 0 .5rem; border-radius: .75rem; font-size: .85rem; font-weight: 600;
  color: #fff; white-space: nowrap; }
.v-proved { background: var(--proved); } .v-checked { background: var(--checked); }
.v-refuted { background: var(--refuted); } .v-unknown { background: var(--unknown); }
.v-error { background: var(--error); }
.m-proved { color: var(--proved); } .m-checked { color: var(--checked); } .m-refuted { color: var(--refuted); }
.m-unknown { color: var(--unknown); } .m-error { color: var(--error); }
.unexpected { color: var(--refuted); font-weight: 600; }
section.claim { border: 1px solid var(--rule); border-radius: .5rem; padding: 1rem 1.25rem; margin: 0 0 1.5rem;
  break-inside: avoid-page; }
section.claim.missed { border-left: .35rem solid var(--refuted); }
.note { margin: .5rem 0 0; }
table.steps { border-collapse: collapse; width: 100%; }
table.steps td { vertical-align: middle; padding: .35rem .5rem; border-top: 1px solid var(--band); }
table.steps td.mark { width: 1.5rem; font-size: 1.2rem; font-weight: 700; text-align: center; }
table.steps td.math { max-width: 44rem; }
div.math { overflow-x: auto; overflow-y: hidden; padding: .25rem 0; }
table.steps td.verdict { width: 17rem; font-size: .9rem; }
.src code { font-size: .8rem; color: var(--muted); white-space: pre-wrap; }
table.steps td.line { width: 4rem; color: var(--muted); font-size: .85rem; text-align: right; white-space: nowrap; }
mtable.cases mtd { text-align: left; padding: .1em .6em .1em 0; }
math { font-family: "STIX Two Math", "Latin Modern Math", "DejaVu Math TeX Gyre", "Cambria Math", math;
  font-size: 1.15rem; }
.evidence { margin: .25rem 0 .5rem 2rem; font-size: .92rem; }
.evidence table { border-collapse: collapse; margin: .25rem 0; }
.evidence th, .evidence td { text-align: left; padding: .15rem .6rem; border-bottom: 1px solid var(--band);
  vertical-align: top; }
.evidence th { color: var(--muted); font-weight: 600; }
ul.assignment { list-style: none; padding: 0; margin: .1rem 0 .4rem; display: flex; flex-wrap: wrap; gap: .3rem; }
ul.assignment li { background: var(--band); border-radius: .25rem; padding: .05rem .45rem; }
.plot svg { width: 30rem; max-width: 100%; height: auto; }
.hint { color: var(--muted); font-size: .85rem; }
footer { color: var(--muted); font-size: .85rem; margin-top: 2rem; }
@media print {
  @page { margin: 15mm; }
  thead { display: table-header-group; }
  tr, .plot { break-inside: avoid; }
  body { max-width: none; padding: 0; font-size: 11pt; }
  a { text-decoration: none; }
  section.claim { border: none; border-top: 1px solid #999; border-radius: 0; padding: .5rem 0; }
  section.claim.missed { border-left: none; }
  .badge { color: #000; background: none !important; border: 1px solid #000; }
  table.steps td.math { max-width: none; }
  div.math { overflow: visible; }
  .hint { display: none; }
}
"""


def render_html(run: RunResult, *, families: dict[str, tuple[str, str]] | None = None,
                budget: float = 20.0, sources: dict[tuple[str, int], str] | None = None) -> str:
    """The whole page for ``run``. Each claim's relations are built for display in the context of its library
    (read again from the claim's file), with ``budget`` seconds per claim for building and plotting. ``families``
    prints layer-labelled families (see :func:`verifier.outputs.mathml.families_from_notation`); ``sources`` gives
    the source text of a sheet's lines, by claim id and line, shown beside each step read from them."""
    libraries = _Libraries()
    plots = _plotting_available()
    parts = [_head(run), _summary(run)]
    for result in run.results:
        parts.append(_claim_section(result, libraries, families, budget, plots, sources or {}))
    if run.file_errors:
        items = "".join(f"<li><code>{_e(err)}</code></li>" for err in run.file_errors)
        parts.append(f'<section class="errors"><h2>Files that could not be read</h2><ul>{items}</ul></section>')
    parts.append(f"<footer>verify {_e(run.tool_version)} · SymPy {_e(run.sympy_version)}"
                 f"{'' if plots else ' · plots: ' + _e(PLOT_HINT)}</footer>")
    return "\n".join([*parts, "</body>", "</html>"]) + "\n"


# --- page parts -------------------------------------------------------------------------------------------


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _anchor(claim: Claim) -> str:
    return "claim-" + re.sub(r"[^A-Za-z0-9_.-]", "_", claim.id)


def _head(run: RunResult) -> str:
    status = status_line(run)
    cls = "status-ok" if run.ok else "status-failed"
    return (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        f"<title>verify: {_e(status)}</title>\n<style>{_STYLE}</style>\n</head>\n<body>\n"
        f"<header><h1>verify: <span class=\"{cls}\">{_e(status)}</span></h1>"
        f"<p class=\"meta\">{_e(summary_line(run))}</p></header>"
    )


def _badge(verdict: str, label: str | None = None) -> str:
    return f'<span class="badge v-{verdict}">{_e(label or verdict)}</span>'


def _summary(run: RunResult) -> str:
    rows = []
    for r in run.results:
        ok = "✓" if r.as_expected else '<span class="unexpected">✗ unexpected</span>'
        time = "cached" if r.cached else f"{r.seconds:.2f}s"
        rows.append(f'<tr><td><a href="#{_anchor(r.claim)}">{_e(r.claim.id)}</a></td><td>{_e(r.claim.title)}</td>'
                    f"<td>{_badge(r.verdict, verdict_label(r))}</td><td>{ok}</td>"
                    f'<td class="time">{time}</td></tr>')
    return ('<table class="summary"><thead><tr><th>claim</th><th>title</th><th>verdict</th><th>expected</th>'
            f'<th>time</th></tr></thead><tbody>{"".join(rows)}</tbody></table>')


def _claim_section(result: ClaimResult, libraries: _Libraries, families: Any, budget: float,
                   plots: bool, sources: dict[tuple[str, int], str]) -> str:
    claim = result.claim
    where = f"{claim.file}:{claim.line}" if claim.line is not None else claim.file
    expect = "expected to hold" if claim.expect == "holds" else "expected to be refuted"
    missed = "" if result.as_expected else ' · <span class="unexpected">not as expected</span>'
    out = [f'<section class="claim{"" if result.as_expected else " missed"}" id="{_anchor(claim)}">',
           f"<h2>{_e(claim.id)} · {_e(claim.title)} {_badge(result.verdict, verdict_label(result))}</h2>",
           f'<p class="meta"><code>{_e(where)}</code> · {_e(expect)}{missed}</p>']
    if claim.latex:
        out.append(f'<p class="meta">as written in LaTeX: <code>{_e(claim.latex)}</code></p>')
    if claim.note:
        out.append(f'<p class="note">{_e(claim.note)}</p>')
    library = libraries.get(claim)
    try:
        with _time_limit(budget) as expired:
            parts = _Display(result, library, families, plots, expired, sources).parts()
    except _Expired:  # out of time between two guarded steps: the relations as text
        parts = _Display(result, None, families, plots, lambda: True, sources).parts()
    out.extend(parts)
    out.append("</section>")
    return "\n".join(out)


class _Display:
    """One claim's statements, chains and ``exists``, each obligation with its mark and evidence."""

    def __init__(self, result: ClaimResult, library: Any, families: Any, plots: bool,
                 expired: Callable[[], bool], sources: dict[tuple[str, int], str] | None = None) -> None:
        self.result = result
        self.sources = sources or {}
        self.library = library
        self.plots = plots
        self.expired = expired
        self.written = self._written(families)
        self._problems: dict[Any, Any] | None = None

    def _written(self, families: Any) -> Any:
        if self.library is None:
            return None
        from verifier.outputs.mathml import Written
        try:
            return Written(self.library, self.result.claim, families)
        except Exception:  # a library that no longer builds: every relation shows as text
            return None

    def parts(self) -> list[str]:
        claim, outcomes = self.result.claim, self.result.outcomes
        origins = [origin for _, origin in obligations(claim)]
        if len(origins) != len(outcomes):  # outcomes that do not follow the claim's text: a flat list
            return [self._table([self._row(o, self._relation(o.obligation.text), o) for o in outcomes])]
        out: list[str] = []
        statements = [(o, origin) for o, origin in zip(outcomes, origins, strict=True) if origin[0] == "statement"]
        if statements:
            out.append("<h3>statement</h3>")
            out.append(self._table([self._row(o, self._relation(o.obligation.text), o) for o, _ in statements]))
        for c, chain in enumerate(claim.chains):
            steps = {origin[2]: o for o, origin in zip(outcomes, origins, strict=True)
                     if origin[0] == "step" and origin[1] == c}
            out.append(f"<h3>{'derivation ' + _e(repr(chain.name)) if chain.name else 'steps'}</h3>")
            rows = []
            for n, text in enumerate(chain.steps):
                outcome = steps.get(n - 1) if n else None
                math = self._entry(text, n == 0)
                rows.append(self._row(outcome, math, outcome, line=chain.step_lines[n]))
            out.append(self._table(rows))
        for o, origin in zip(outcomes, origins, strict=True):
            if origin[0] == "exists":
                out.append("<h3>exists</h3>")
                out.append(self._table([self._row(o, self._relation(o.obligation.text), o)]))
        return out

    # -- pieces ---------------------------------------------------------------------------------------------

    def _relation(self, text: str) -> str:
        math = None if self.written is None or self.expired() else self.written.relation(text)
        return f'<div class="math">{math}</div>' if math else f"<code>{_e(text)}</code>"

    def _entry(self, text: str, first: bool) -> str:
        math = None if self.written is None or self.expired() else self.written.chain_entry(text, first)
        return f'<div class="math">{math}</div>' if math else f"<code>{_e(text)}</code>"

    @staticmethod
    def _table(rows: list[str]) -> str:
        return f'<table class="steps"><tbody>{"".join(rows)}</tbody></table>'

    def _row(self, outcome: Outcome | None, math: str, evidence_of: Outcome | None, line: int | None = None) -> str:
        if outcome is None:
            mark, verdict = "", ""
        else:
            mark = f'<span class="m-{outcome.verdict}" title="{_e(outcome.verdict)}">{_MARKS[outcome.verdict]}</span>'
            verdict = self._verdict(outcome)
            line = outcome.obligation.line if outcome.obligation.line is not None else line
        where = f"line {line}" if line is not None else ""
        source = self.sources.get((self.result.claim.id, line)) if line is not None else None
        if source is not None:
            math += f'<div class="src"><code>{_e(source)}</code></div>'
        row = (f'<tr><td class="mark">{mark}</td><td class="math">{math}</td><td class="verdict">{verdict}</td>'
               f'<td class="line">{where}</td></tr>')
        if evidence_of is not None and evidence_of.verdict not in ("proved", "checked"):
            row += f'<tr><td></td><td colspan="3">{self._evidence(evidence_of)}</td></tr>'
        return row

    def _verdict(self, outcome: Outcome) -> str:
        label: str = outcome.verdict
        if outcome.verdict == "unknown" and outcome.message and outcome.message.startswith("not read"):
            label = "not read"
        text = f'<span class="m-{outcome.verdict}"><b>{_e(label)}</b></span>'
        if outcome.method:
            text += f" · {_e(outcome.method)}"
        if outcome.verdict == "checked" and outcome.sizes:
            text += f"<br>for {_e(outcome.sizes)}"
        return text

    def _evidence(self, outcome: Outcome) -> str:
        out = ['<div class="evidence">']
        if outcome.message:
            out.append(f"<p>{_e(outcome.message)}</p>")
        if outcome.sizes and outcome.verdict != "checked":
            out.append(f"<p>sizes: {_e(outcome.sizes)}</p>")
        if outcome.counterexample is not None:
            label = ("witness" if outcome.obligation.kind == "exists" and outcome.verdict == "proved"
                     else "counterexample")
            if outcome.counterexample:
                cells = "".join(f"<li><code>{_e(k)} = {_e(v)}</code></li>" for k, v in outcome.counterexample.items())
                out.append(f'<p><b>{label}</b></p><ul class="assignment">{cells}</ul>')
            else:
                out.append(f"<p><b>{label}</b>: no free variables (the relation is false as written)</p>")
        if outcome.values:
            rows = "".join(f"<tr><td>{_e(_side(side))}</td><td><code>{_e(exact)}</code></td>"
                           f"<td><code>{_e(approx)}</code></td></tr>"
                           for side, (exact, approx) in ((s, _split_value(v)) for s, v in outcome.values.items()))
            out.append("<table><thead><tr><th>side</th><th>exact</th><th>approximately</th></tr></thead>"
                       f"<tbody>{rows}</tbody></table>")
        if outcome.verdict == "refuted" and outcome.counterexample:
            out.append(self._plot(outcome))
        out.append("</div>")
        return "".join(out)

    def _plot(self, outcome: Outcome) -> str:
        if self.library is None or self.expired():
            return ""
        from verifier.outputs import plot
        line = plot.line_through(self._problem(outcome), outcome.counterexample or {})
        if line is None:
            return ""
        if not self.plots:
            return f'<p class="hint">A plot of both sides would be here: {_e(PLOT_HINT)}</p>'
        svg = plot.svg(line, expired=self.expired)
        return f'<div class="plot">{svg}</div>' if svg else ""

    def _problem(self, outcome: Outcome) -> Any:
        if self._problems is None:
            from verifier.frontend.problem_builder import library_problems
            try:
                self._problems = dict(library_problems(self.library, self.result.claim))
            except Exception:  # display only: a claim that no longer builds has no plot
                self._problems = {}
        return self._problems.get(outcome.obligation)


def _side(name: str) -> str:
    return {"lhs": "left side", "rhs": "right side"}.get(name, name)


def _split_value(text: str) -> tuple[str, str]:
    """An exact value and its decimal approximation: the report's own ``≈`` part, or computed from the exact value
    with the project's parser (never Python's), or empty when it cannot be."""
    exact, sep, approx = text.partition(" ≈ ")
    if sep:
        return exact, approx
    from verifier.outputs.plot import approximate
    return exact, approximate(exact) or ""


# --- support ----------------------------------------------------------------------------------------------


class _Libraries:
    """Each claim's library, read again from the claim's file (its ``use``d files come with it), once per file."""

    def __init__(self) -> None:
        self._by_file: dict[str, Any] = {}

    def get(self, claim: Claim) -> Any:
        if claim.file not in self._by_file:
            from verifier.frontend.library import load_library
            try:
                library = load_library(Path(claim.file))
                self._by_file[claim.file] = library if claim.file in library.files else None
            except Exception:  # the file moved or no longer reads: the page shows text
                self._by_file[claim.file] = None
        return self._by_file[claim.file]


def _plotting_available() -> bool:
    return importlib.util.find_spec("matplotlib") is not None


@contextmanager
def _time_limit(seconds: float) -> Iterator[Callable[[], bool]]:
    """Stop work after ``seconds`` (an alarm in the main thread; elsewhere, only the check that is yielded)."""
    import time

    deadline = time.monotonic() + seconds
    state = {"expired": False}

    def expired() -> bool:
        return state["expired"] or time.monotonic() > deadline

    def alarm(signum: int, frame: Any) -> None:
        state["expired"] = True
        raise _Expired

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


class _Expired(Exception):
    """Building for display took longer than its budget."""

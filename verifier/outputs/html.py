"""The HTML report: one self-contained page a person reads, the mathematics rendered as MathML Core.

The page has no script and loads nothing: its style sheet is inline (with a print style sheet), its formulas are
MathML, its plots inline SVG. A summary table of the claims comes first, then each claim: its title, where it is
written, each statement and each step of each derivation rendered as written (as MathML, when the claim's
:class:`~verifier.model.Display` has it) with its mark and method, and for a refutation the counterexample with both
sides' exact and approximate values, and, where the step has real variables, a plot of both sides along a line
through the counterexample (with matplotlib, an optional extra: without it the page says how to install it).

Nothing here decides a verdict or builds anything: the page shows the :class:`~verifier.model.Outcome` values it is
given, laid out from the outcomes alone, with what each carries (:class:`~verifier.model.Shown`, built in the worker
that settled it: :class:`verifier.display.prepare.Renderer`), so a saved JSON report gives the same page; a relation
without MathML is shown as its text.
"""

from __future__ import annotations

import html
import importlib.util
import re

from verifier import DISTRIBUTION
from verifier.model import Claim, ClaimResult, Outcome, RunResult, ShownEntry
from verifier.outputs.plot import svg
from verifier.outputs.words import VERDICT_MARKS, status_line, summary_line, verdict_label

#: How to get the plots: the ``plot`` extra of the distribution.
PLOT_HINT = f"pip install '{DISTRIBUTION}[plot]'"

_STYLE = """
:root { --ink: #1d2330; --muted: #5b6475; --rule: #d8dce4; --paper: #ffffff; --band: #f4f6f9;
  --proved: #1a7f37; --checked: #0b6e99; --refuted: #c62828; --unknown: #9a6700; --error: #8e24aa;
  --expected: #4d5566; }
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
.v-expected { background: var(--expected); } .m-expected { color: var(--expected); }
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


def render_html(run: RunResult, sheets: list[str] | None = None) -> str:
    """The whole page for ``run``, with the per-sheet summary's ``sheets`` lines at its end."""
    plots = _plotting_available()
    parts = [_head(run), _summary(run)]
    for result in run.results:
        parts.append(_claim_section(result, plots))
    if run.file_errors:
        items = "".join(f"<li><code>{_e(err)}</code></li>" for err in run.file_errors)
        parts.append(f'<section class="errors"><h2>Files that could not be read</h2><ul>{items}</ul></section>')
    if sheets:
        items = "".join(f"<li>{_e(line)}</li>" for line in sheets)
        parts.append(f'<section class="sheets"><h2>Sheets</h2><ul>{items}</ul></section>')
    parts.append(f"<footer>verify {_e(run.tool_version)} · SymPy {_e(run.sympy_version)}"
                 f"{'' if plots else ' · plots: ' + _e(PLOT_HINT)}</footer>")
    return "\n".join([*parts, "</body>", "</html>"]) + "\n"


def render_fragment(run: RunResult) -> str:
    """``run`` as a fragment of a page (a notebook's output): the claims' sections as on the page, under the page's
    style scoped to the fragment so that it leaves the notebook's own style alone."""
    plots = _plotting_available()
    parts = [_claim_section(r, plots) for r in run.results]
    if len(run.results) != 1 or run.file_errors:
        parts.insert(0, f"<p class=\"meta\">{_e(summary_line(run))} · {_e(status_line(run))}</p>{_summary(run)}")
    if run.file_errors:
        items = "".join(f"<li><code>{_e(err)}</code></li>" for err in run.file_errors)
        parts.append(f'<section class="errors"><h3>Files that could not be read</h3><ul>{items}</ul></section>')
    return f'<div class="{_SCOPE}"><style>{_scoped_style()}</style>{"".join(parts)}</div>'


_SCOPE = "verify-report"


def _scoped_style() -> str:
    """The page's style with every selector put under the fragment's class; the print style is left out."""
    screen = _STYLE.split("@media print", 1)[0]
    rules = []
    for selectors, body in re.findall(r"(?:^|(?<=\}))([^{}]+)\{([^{}]*)\}", screen):
        scoped = []
        for sel in selectors.split(","):
            sel = sel.strip()
            if sel in (":root", "body"):
                scoped.append(f".{_SCOPE}")
            elif sel:
                scoped.append(f".{_SCOPE} {sel}")
        rules.append(f"{', '.join(scoped)} {{ {' '.join(body.split())} }}")
    return "\n".join(rules)


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


def _badge(verdict: str, label: str | None = None, planned: bool = False) -> str:
    return f'<span class="badge v-{_tone(verdict, planned)}">{_e(label or verdict)}</span>'


def _tone(verdict: str, planned: bool) -> str:
    """The colour of a verdict: a refutation the claim expects (a planted mistake found) is not a failure's red."""
    return "expected" if planned and verdict == "refuted" else verdict


def _planned(result: ClaimResult) -> bool:
    """Whether the claim expects a refutation and got it."""
    return result.claim.expect == "refuted" and result.as_expected


def _summary(run: RunResult) -> str:
    rows = []
    for r in run.results:
        ok = "✓" if r.as_expected else '<span class="unexpected">✗ unexpected</span>'
        time = "cached" if r.cached else f"{r.seconds:.2f}s"
        rows.append(f'<tr><td><a href="#{_anchor(r.claim)}">{_e(r.claim.id)}</a></td><td>{_e(r.claim.title)}</td>'
                    f"<td>{_badge(r.verdict, verdict_label(r), _planned(r))}</td><td>{ok}</td>"
                    f'<td class="time">{time}</td></tr>')
    return ('<table class="summary"><thead><tr><th>claim</th><th>title</th><th>verdict</th><th>expected</th>'
            f'<th>time</th></tr></thead><tbody>{"".join(rows)}</tbody></table>')


def _claim_section(result: ClaimResult, plots: bool) -> str:
    claim = result.claim
    where = f"{claim.file}:{claim.line}" if claim.line is not None else claim.file
    expect = "expected to hold" if claim.expect == "holds" else "expected to be refuted"
    missed = "" if result.as_expected else ' · <span class="unexpected">not as expected</span>'
    out = [f'<section class="claim{"" if result.as_expected else " missed"}" id="{_anchor(claim)}">',
           f"<h2>{_e(claim.id)} · {_e(claim.title)} "
           f"{_badge(result.verdict, verdict_label(result), _planned(result))}</h2>",
           f'<p class="meta"><code>{_e(where)}</code> · {_e(expect)}{missed}</p>']
    if claim.latex:
        out.append(f'<p class="meta">as written in LaTeX: <code>{_e(claim.latex)}</code></p>')
    if claim.note:
        out.append(f'<p class="note">{_e(claim.note)}</p>')
    out.extend(_Display(result, plots).parts())
    out.append("</section>")
    return "\n".join(out)


class _Display:
    """One claim's statements, chains and ``exists``, each obligation with its mark and evidence, laid out from its
    outcomes alone: what each carries (:class:`~verifier.model.Shown`), or else its text."""

    def __init__(self, result: ClaimResult, plots: bool) -> None:
        self.result = result
        self.plots = plots

    def parts(self) -> list[str]:
        outcomes = self.result.outcomes
        out: list[str] = []
        statements = [o for o in outcomes if o.obligation.kind == "statement"]
        if statements:
            out.append("<h3>statement</h3>")
            out.append(self._table([row for o in statements for row in self._rows(o)]))
        chains: dict[str | None, list[Outcome]] = {}
        for o in outcomes:
            if o.obligation.kind == "step":
                chains.setdefault(o.obligation.derivation, []).append(o)
        for name, steps in chains.items():
            out.append(f"<h3>{'derivation ' + _e(repr(name)) if name else 'steps'}</h3>")
            out.append(self._table([row for o in steps for row in self._rows(o)]))
        for o in outcomes:
            if o.obligation.kind == "exists":
                out.append("<h3>exists</h3>")
                out.append(self._table(self._rows(o)))
        return out

    # -- pieces ---------------------------------------------------------------------------------------------

    def _rows(self, outcome: Outcome) -> list[str]:
        """The rows of one obligation: each entry it shows (a chain's first entry, unmarked, before its first
        step), the last with the obligation's mark, verdict and evidence."""
        ob = outcome.obligation
        entries = outcome.shown.entries if outcome.shown and outcome.shown.entries else [ShownEntry(ob.text, ob.line)]
        rows = [self._row(None, entry) for entry in entries[:-1]]
        return [*rows, self._row(outcome, entries[-1])]

    @staticmethod
    def _table(rows: list[str]) -> str:
        return f'<table class="steps"><tbody>{"".join(rows)}</tbody></table>'

    def _row(self, outcome: Outcome | None, entry: ShownEntry) -> str:
        math = f'<div class="math">{entry.mathml}</div>' if entry.mathml else f"<code>{_e(entry.text)}</code>"
        line = entry.line
        if outcome is None:
            mark, verdict = "", ""
        else:
            mark = (f'<span class="m-{_tone(outcome.verdict, _planned(self.result))}" title="{_e(outcome.verdict)}">'
                    f'{VERDICT_MARKS[outcome.verdict]}</span>')
            verdict = self._verdict(outcome)
            line = outcome.obligation.line if outcome.obligation.line is not None else line
        where = f"line {line}" if line is not None else ""
        if entry.latex is not None:
            math += f'<div class="src"><code>{_e(entry.latex)}</code></div>'
        row = (f'<tr><td class="mark">{mark}</td><td class="math">{math}</td><td class="verdict">{verdict}</td>'
               f'<td class="line">{where}</td></tr>')
        if outcome is not None and outcome.verdict not in ("proved", "checked"):
            row += f'<tr><td></td><td colspan="3">{self._evidence(outcome)}</td></tr>'
        return row

    def _verdict(self, outcome: Outcome) -> str:
        label: str = outcome.verdict
        if outcome.verdict == "unknown" and outcome.message and outcome.message.startswith("not read"):
            label = "not read"
        text = f'<span class="m-{_tone(outcome.verdict, _planned(self.result))}"><b>{_e(label)}</b></span>'
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
            approximations = outcome.shown.approximations if outcome.shown else {}
            rows = "".join(f"<tr><td>{_e(_side(side))}</td><td><code>{_e(exact)}</code></td>"
                           f"<td><code>{_e(approx)}</code></td></tr>"
                           for side, (exact, approx) in ((s, _split_value(v, approximations))
                                                         for s, v in outcome.values.items()))
            out.append("<table><thead><tr><th>side</th><th>exact</th><th>approximately</th></tr></thead>"
                       f"<tbody>{rows}</tbody></table>")
        if outcome.verdict == "refuted" and outcome.counterexample:
            out.append(self._plot(outcome))
        out.append("</div>")
        return "".join(out)

    def _plot(self, outcome: Outcome) -> str:
        plot = outcome.shown.plot if outcome.shown else None
        if plot is None:
            return ""
        if not self.plots:
            return f'<p class="hint">A plot of both sides would be here: {_e(PLOT_HINT)}</p>'
        drawn = svg(plot)
        return f'<div class="plot">{drawn}</div>' if drawn else ""

def _side(name: str) -> str:
    return {"lhs": "left side", "rhs": "right side"}.get(name, name)


def _split_value(text: str, approximations: dict[str, str]) -> tuple[str, str]:
    """An exact value and its decimal approximation: the report's own ``≈`` part, or the one computed for the exact
    value (``approximations``), or empty."""
    exact, sep, approx = text.partition(" ≈ ")
    if sep:
        return exact, approx
    return exact, approximations.get(exact, "")


# --- support ----------------------------------------------------------------------------------------------


def _plotting_available() -> bool:
    return importlib.util.find_spec("matplotlib") is not None

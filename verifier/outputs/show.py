"""``verify show ID``: one claim as a person reads it, each relation rendered by SymPy's unicode pretty printer.

Each obligation gets a mark (✓ proved or checked, ✗ refuted, ? unknown, ! error), its relation as written, the
relation as built (pretty-printed in the worker that settled it, when its outcome carries it:
:class:`verifier.display.prepare.Renderer`), the lines of a sheet it was read from (the claim's
:class:`~verifier.model.Display`), and its evidence: the method, the sizes checked, or a counterexample with
the values of both sides.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from verifier.model import ClaimResult, Display
from verifier.outputs.text import VERDICT_STYLE
from verifier.outputs.words import VERDICT_MARKS, describe, evidence, verdict_label
from verifier.printable import printable

if TYPE_CHECKING:
    from rich.text import Text


def render_show(result: ClaimResult, *, color: bool, width: int | None = None) -> str:
    """The claim, its relations pretty-printed, a mark per obligation and its evidence."""
    from rich.console import Console

    buf = io.StringIO()
    # Every automatic behaviour pinned, as in the text report: user text like "x[i]" is never markup.
    console = Console(file=buf, force_terminal=color, no_color=not color,
                      color_system="standard" if color else None, width=width or 100, force_jupyter=False,
                      force_interactive=False, legacy_windows=False, highlight=False, emoji=False, markup=False,
                      soft_wrap=True)  # the terminal wraps: rich re-wrapping would break the 2-D pretty printing
    claim = result.claim
    console.print(_text(f"{claim.id}  {claim.title}", style="bold"))
    console.print(_text(f"{claim.file}:{claim.line}   verdict: {verdict_label(result)}"
                       f"{'' if result.as_expected else '  (unexpected: expected ' + claim.expect + ')'}",
                       style=VERDICT_STYLE[result.verdict]))
    if claim.latex:
        console.print(_text(f"latex: {claim.latex}", style="dim"))
    if claim.note:
        console.print(_text(f"note: {claim.note}", style="dim"))
    display = result.display or Display()
    section: tuple[str, str | None] | None = None
    for n, outcome in enumerate(result.outcomes):
        ob = outcome.obligation
        # A new heading per part of the claim: its statements, its own steps, each named chain, its exists.
        if (ob.kind, ob.derivation) != section:
            section = (ob.kind, ob.derivation)
            heading = {"statement": "statement", "exists": "exists"}.get(ob.kind, "steps")
            if ob.kind == "step" and ob.derivation:
                heading = f"derivation '{ob.derivation}'"
            console.print()
            console.print(_text(heading, style="bold underline"))
        mark = VERDICT_MARKS[outcome.verdict]
        console.print(_text(f"{mark} {describe(outcome)}  [{outcome.verdict}]  line {ob.line}"
                           if ob.line is not None else f"{mark} {describe(outcome)}  [{outcome.verdict}]",
                           style=VERDICT_STYLE[outcome.verdict]))
        console.print(_text(_indent(ob.text), style="italic"))
        for line in display.sheet_lines.get(n, []):
            console.print(_text(line, style="dim"))
        pretty = outcome.shown.pretty if outcome.shown else None
        if pretty and "".join(pretty.split()) != "".join(ob.text.split()):
            console.print(_text(pretty, style=""))
        for line in evidence(outcome)[1:]:
            console.print(_text("    " + line, style="dim" if outcome.verdict in ("proved", "checked") else ""))
    return buf.getvalue()


def _text(text: str, style: str) -> Text:
    """A piece of the page, its input escaped before rich (whose colour codes are then the only escapes)."""
    from rich.text import Text
    return Text(printable(text), style=style)


def _indent(text: str) -> str:
    return "\n".join("    " + line for line in text.splitlines())

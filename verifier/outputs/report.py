"""Reports of a run, for people and for machines.

:func:`render` turns a :class:`~verifier.model.RunResult` into one of :data:`FORMATS`, each a module of its own
(the wording they share: :mod:`verifier.outputs.words`):

- ``text``: a table of claims, then the evidence for every claim that did not meet its expectation, then a
  one-line summary and ``OK`` / ``FAILED (n unexpected)`` (rendered with rich, coloured only when asked);
- ``json``: the report of section 5 of ``derivation-format.md``, exactly as :meth:`RunResult.to_json` builds it;
- ``junit``: JUnit XML valid against the common JUnit schema (Jenkins' ``junit-10.xsd``, which pytest's own output
  also follows), one test case per claim and one error test case per file that could not be read;
- ``github``: GitHub Actions workflow commands (``::error``) that annotate the failing lines of a pull request, at
  most :data:`~verifier.outputs.github.MAX_ANNOTATIONS` of them (GitHub shows ten per step), the rest listed in the log;
- ``markdown``: a summary for a pull-request comment or ``$GITHUB_STEP_SUMMARY``;
- ``editor``: ``file:line:column: severity: message`` lines that editors jump to (:mod:`verifier.outputs.editor`);
- ``html``: a self-contained page with the mathematics rendered (:mod:`verifier.outputs.html`), from what each
  claim's display carries.

Every format names every problem: each claim that missed its expectation and each file that could not be read.
:func:`~verifier.outputs.jsonreport.load_report` reads a JSON report back and
:func:`~verifier.outputs.jsonreport.merge_reports` joins the reports of shards, so that one run
can be rendered in every format (``verify report``) and a split run joined into one (``verify merge``).

No format imports SymPy (a fully cached run must not pay for it); rich is imported only for ``text``.
Every format returns a string that ends with a newline, and in which no control character from input is left
but line feed and tab (:func:`~verifier.printable.printable`: a sheet cannot drive the reader's terminal).
"""

from __future__ import annotations

from collections.abc import Callable

from verifier.errors import UsageError
from verifier.model import RunResult
from verifier.outputs.editor import render_editor
from verifier.outputs.github import render_github
from verifier.outputs.html import render_html
from verifier.outputs.jsonreport import render_json
from verifier.outputs.junit import render_junit
from verifier.outputs.markdown import render_markdown
from verifier.outputs.text import default_color, render_text
from verifier.printable import printable

#: Every format but ``text`` (which takes the options of :func:`render`) and its renderer.
_RENDERERS: dict[str, Callable[[RunResult], str]] = {
    "json": render_json, "junit": render_junit, "github": render_github, "markdown": render_markdown,
    "html": render_html, "editor": render_editor,
}
FORMATS = ("text", *_RENDERERS)


def render(run: RunResult, fmt: str, *, color: bool | None = None, width: int | None = None,
           ascii_only: bool = False, verbosity: int = 0) -> str:
    """Render ``run`` in format ``fmt`` (one of :data:`FORMATS`) and return the text.

    ``color``, ``width``, ``ascii_only`` and ``verbosity`` matter for ``text`` only. ``color=None`` decides as a
    terminal tool does (colour when standard output is a terminal and ``NO_COLOR`` is not set); ``color=False``
    gives plain text without a single ANSI escape. ``width=None`` uses the terminal's width (or ``$COLUMNS``, or
    80). ``ascii_only`` replaces the marks and rules a terminal's encoding cannot print. ``verbosity`` below 0
    leaves out the table of claims (``-q``), above 0 lists every obligation of every claim (``-v``).
    """
    if fmt == "text":
        color = default_color() if color is None else color
        text = render_text(run, color=color, width=width, ascii_only=ascii_only, verbosity=verbosity)
        return printable(text, styled=color)
    if fmt not in _RENDERERS:
        raise UsageError(f"unknown report format {fmt!r}; choose one of {', '.join(FORMATS)}")
    return printable(_RENDERERS[fmt](run))

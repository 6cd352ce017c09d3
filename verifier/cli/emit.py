"""Reports delivered: rendered in the format asked (with a summary per sheet), written to standard output or to
``--output``."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TextIO

from verifier.cli.arguments import Options
from verifier.cli.progress import can_print, isatty
from verifier.errors import UsageError
from verifier.frontend.library import Library
from verifier.model import RunResult
from verifier.printable import printable


def emit(run: RunResult, args: Options, library: Library | None = None) -> None:
    """Render ``run`` as the options ask (a sheet's summary added when ``library`` has sheets) and deliver it."""
    from verifier.outputs.report import render
    color = {"always": True, "never": False}.get(args.color)
    if color is None:
        color = auto_color(sys.stdout) if not args.output else False
    to_terminal = not args.output and isatty(sys.stdout)
    # A terminal gets its own width; a pipe or a file is never cut at 80 columns (no line is padded to this width).
    width = None if to_terminal else 10_000
    ascii_only = not args.output and not can_print(sys.stdout, "✓✗…─")
    if library is not None and library.sheets:
        from verifier.frontend.sheet import summarize
        run.sheets = summarize(library.sheets, run.results) or None
    if args.format == "html":
        from verifier.frontend.sheet import summary_lines
        from verifier.outputs.html import render_html
        text = render_html(run, summary_lines(run.sheets) if run.sheets else None)
    else:
        text = render(run, args.format, color=color, width=width, ascii_only=ascii_only,
                      verbosity=args.verbosity)
        if run.sheets:
            text = _with_sheet_summary(text, run, library, args.format)
    deliver(text, args, styled=color and args.format == "text")


def _with_sheet_summary(text: str, run: RunResult, library: Library | None, fmt: str) -> str:
    """A report with the per-sheet summary (``run.sheets``): a "sheets" field in JSON (and, read with the sheet's
    ``library``, each sheet step's column and LaTeX), a closing section in text and Markdown, a notice per sheet in
    GitHub annotations (JUnit keeps its schema's shape: one test case per claim, named by sheet; the HTML page has
    its own section)."""
    from verifier.frontend.sheet import annotate, summary_lines
    summary = run.sheets or []
    if fmt == "json":
        if library is None:     # a saved report: its "sheets" field is written with the rest
            return text
        data = json.loads(text)
        annotate(data, library.sheets, run.results)
        return json.dumps(data, indent=2) + "\n"
    if fmt == "text":
        return text + "\nSheets:\n" + "".join(f"  {line}\n" for line in summary_lines(summary))
    if fmt == "markdown":
        return text + "\n### Sheets\n\n" + "".join(f"- {line}\n" for line in summary_lines(summary))
    if fmt == "github":     # a notice per sheet (GitHub shows ten per step), the rest in the log
        from verifier.outputs.github import MAX_ANNOTATIONS, workflow_command
        lines = list(zip(summary, summary_lines(summary), strict=True))
        notices = "".join(workflow_command("notice", line, title=f"sheet {entry['sheet']}") + "\n"
                          for entry, line in lines[:MAX_ANNOTATIONS])
        return text + notices + "".join(f"{line}\n" for _, line in lines[MAX_ANNOTATIONS:])
    return text


def input_files(library: Library) -> list[Path]:
    """Every file a run read: derivation files and the files they use, sheets, notation tables and the files
    those use, and the files that could not be read."""
    names = [*library.files, *library.sheets, *(e.file for e in library.errors if e.file)]
    names += [n.path for n in library.notations]
    return [Path(name) for name in names] + [p for n in library.notations for p in n.used_paths]


def refuse_overwriting_inputs(args: Options, inputs: Iterable[Path]) -> None:
    """Stop before a run whose ``--output`` is one of its ``inputs`` (the same file once links are followed): the
    report would replace a sheet, a table or a derivation file."""
    if not args.output:
        return
    target = Path(args.output)
    if not target.exists():
        return
    for path in inputs:
        try:
            same = path.exists() and target.samefile(path)
        except OSError:
            continue
        if same:
            raise UsageError(f"--output {args.output} is an input of this run ({path}); the report would replace "
                             "it; write it elsewhere")


def deliver(text: str, args: Options, *, styled: bool = False) -> None:
    """Write a report to ``--output`` or to standard output, every control character from input escaped
    (:func:`~verifier.printable.printable`; ``styled``: the colours of a coloured report kept). A regular
    file is replaced whole (a reader never sees half a report); a symlink, a device or a pipe (``/dev/stdout``) is
    written through."""
    text = printable(text, styled=styled)
    if not args.output:
        _write(sys.stdout, text)
        return
    target = Path(args.output)
    try:
        if target.is_symlink() or (target.exists() and not target.is_file()):
            with open(target, "w", encoding="utf-8") as out:
                out.write(text)
            return
        tmp = target.with_name(f".{target.name}.tmp-{os.getpid()}")
        try:
            tmp.write_text(text, encoding="utf-8")
            os.replace(tmp, target)
        except OSError:
            tmp.unlink(missing_ok=True)
            raise
    except OSError as err:
        raise UsageError(f"--output: cannot write '{args.output}': {err.strerror or err}") from None


def auto_color(stream: TextIO) -> bool:
    """Whether to colour what goes to ``stream`` (``--color auto``)."""
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return stream.isatty() and os.environ.get("TERM") != "dumb"


def _write(stream: TextIO, text: str) -> None:
    try:
        stream.write(text)
    except UnicodeEncodeError:
        encoding = stream.encoding or "ascii"
        stream.write(text.encode(encoding, errors="replace").decode(encoding))
    stream.flush()

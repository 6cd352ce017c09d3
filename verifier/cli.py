"""The ``verify`` command: select claims, settle them (or take them from the cache), report, exit 0/1/2.

Commands: ``all`` (the default), claim ids, ``list``, ``show ID``, ``files PATH...`` (the claims of the derivation
files given and of the files that use them: what the pre-commit hook runs), ``report REPORT.json`` (a JSON report
rendered in another format, so that one run gives every format) and ``merge REPORT.json...`` (the JSON reports of
``--shard`` runs joined into one).

Exit status: 0 when every selected claim met its expectation, 1 when one did not, 2 for a usage error, an unknown
id, or a derivation file that cannot be read or built (each reported on one line with its file and line), 130 when
interrupted. Reports go to standard output (or ``--output``); progress and messages go to standard error: a bar on a
terminal, and in CI (standard error not a terminal, ``CI`` set) a line per claim as it settles.
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TextIO

from verifier import __version__
from verifier.errors import UsageError, VerifierError
from verifier.frontend.library import Library, load_library
from verifier.model import Claim, ClaimResult, RunResult
from verifier.runner.cache import CACHE_DIR, Cache, sympy_version

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130
FORMATS = ("text", "json", "junit", "github", "markdown", "html")


def parser() -> argparse.ArgumentParser:
    """The command-line parser."""
    p = argparse.ArgumentParser(
        prog="verify", description="Settle the claims of a derivation library: proved, checked, refuted, "
                                   "unknown or error, step by step.",
        epilog="commands: 'all' (every claim), 'list' (ids and titles), 'show ID' (one claim, rendered), "
               "'files PATH...' (the claims of these derivation files and of the files that use them), "
               "'report REPORT.json' (a JSON report in another --format), 'merge REPORT.json...' (shards joined), "
               "or claim ids ('q2.4', or 'q2' for every claim of question 2).")
    p.add_argument("targets", nargs="*", metavar="all|list|show|files|report|merge|ID",
                   help="what to verify (default: all)")
    p.add_argument("--derivations", default="derivations", metavar="PATH",
                   help="a folder of derivation files, one .toml file, or an answer sheet (.md, .tex) "
                        "(default: ./derivations)")
    p.add_argument("--notation", metavar="FILE", default=None,
                   help="the notation table that reads the sheets (default: SHEET.notation.toml beside a sheet)")
    p.add_argument("--format", default="text", choices=FORMATS, help="report format (default: text)")
    p.add_argument("--output", metavar="FILE", help="write the report to FILE instead of standard output")
    p.add_argument("--jobs", type=int, default=None, metavar="N",
                   help="worker processes (default: the number of cores)")
    p.add_argument("--timeout", type=float, default=None, metavar="SECONDS",
                   help="wall-clock limit per obligation (default: 60)")
    p.add_argument("--require-proof", action="store_true",
                   help="fail the run (exit 1) when a claim is only checked on a finite set, not proved")
    p.add_argument("--no-cache", action="store_true", help=f"neither read nor write {CACHE_DIR}/")
    p.add_argument("--changed", nargs="?", const="", default=None, metavar="GIT_REF",
                   help="only claims in files changed since GIT_REF (default: the merge base with the default "
                        "branch, or HEAD on it), and in files that use them")
    p.add_argument("--shard", metavar="I/N", type=_shard,
                   help="only the I-th of N equal parts of the selected claims (1 <= I <= N), in library order, so "
                        "that a CI matrix spreads a library over machines; join the JSON reports with 'merge'")
    p.add_argument("--color", choices=("auto", "always", "never"), default="auto",
                   help="colour in the text report (default: auto; NO_COLOR is honoured)")
    p.add_argument("-q", "--quiet", action="count", default=0,
                   help="less output: no table of claims and no progress lines")
    p.add_argument("-v", "--verbose", action="count", default=0,
                   help="more output: every obligation in the text report, and a line per claim as it settles")
    p.add_argument("--version", action="version", version=f"verify {__version__} (sympy {sympy_version()})")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit status (the console script exits with it)."""
    try:
        code = _main(list(sys.argv[1:] if argv is None else argv))
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        code = EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader went away (``verify all | head``): stop quietly; further writes to stdout would fail again.
        try:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        except (OSError, ValueError):
            pass
        code = EXIT_FAILED
    if argv is None:
        sys.exit(code)
    return code


def _main(argv: list[str]) -> int:
    try:
        args = parser().parse_args(argv)
    except SystemExit as stop:  # argparse's usage errors (status 2), --help and --version (status 0)
        return stop.code if isinstance(stop.code, int) else (0 if stop.code is None else EXIT_USAGE)
    try:
        return _run(args)
    except VerifierError as err:
        print(f"verify: error: {err}", file=sys.stderr)
        return EXIT_USAGE


def _shard(text: str) -> tuple[int, int]:
    """``I/N`` as ``(I, N)``, with 1 <= I <= N."""
    index, sep, count = text.partition("/")
    if not (sep and index.strip().isdigit() and count.strip().isdigit()) or not 1 <= int(index) <= int(count):
        raise argparse.ArgumentTypeError(f"'{text}' is not I/N with 1 <= I <= N (e.g. 2/4)")
    return int(index), int(count)


def shard(claims: list[Claim], index: int, count: int) -> list[Claim]:
    """The ``index``-th of ``count`` parts of ``claims`` (1-based): every ``count``-th claim in library order, so
    that the parts are disjoint, cover every claim, differ in size by at most one, and do not depend on timing."""
    return claims[index - 1::count]


def _run(args: argparse.Namespace) -> int:
    if args.jobs is not None and args.jobs < 1:
        raise UsageError("--jobs must be at least 1")
    if args.timeout is not None and not args.timeout > 0:
        raise UsageError("--timeout must be a positive number of seconds")
    if args.output and Path(args.output).is_dir():
        raise UsageError(f"--output: '{args.output}' is a folder; give a file name")
    args.verbosity = args.verbose - args.quiet
    targets = list(args.targets)
    if targets and targets[0] in ("report", "merge"):
        return _report(targets[0], targets[1:], args)
    if targets and targets[0] == "files":
        return _files(targets[1:], args)
    path = Path(args.derivations)
    if not path.exists():
        raise UsageError(f"no derivations at '{args.derivations}' (give a folder or a .toml file with "
                         "--derivations)")
    notation = Path(args.notation) if args.notation else None
    if notation is not None and not notation.is_file():
        raise UsageError(f"--notation: no such file '{args.notation}'")
    library = load_library(path, notation=notation)
    for err in library.errors:
        print(f"verify: error: {err}", file=sys.stderr)

    targets = list(args.targets) or ["all"]
    if args.changed and (args.changed == "all" or library.select([args.changed])) \
            and not _is_commit(args.changed, path):
        # ``verify --changed all``: argparse took the command for the optional GIT_REF, but it names no commit.
        targets = [args.changed, *args.targets]
        args.changed = ""
    command = targets[0]
    if command == "list":
        if len(targets) > 1:
            raise UsageError("'list' takes no ids")
        return _list(library, args)
    if command == "show":
        if len(targets) != 2:
            raise UsageError("usage: verify show ID")
        return _show(library, targets[1], args)
    selectors = targets[1:] if command == "all" else targets
    if command == "all" and selectors:
        raise UsageError("'all' takes no ids")
    claims = library.select(selectors) if selectors else list(library.claims)
    unknown = library.unknown_selectors(selectors)
    if unknown:
        raise UsageError(f"unknown claim id(s): {', '.join(unknown)} (see 'verify list'){_nearest(library, unknown)}")
    if args.changed is not None:
        changed = changed_files(library, path, args.changed)
        claims = [c for c in claims if c.file in changed]
        if not claims:
            since = f" since {args.changed}" if args.changed else ""
            print(f"verify: no selected claim is in a derivation file changed{since}; nothing to verify",
                  file=sys.stderr)
            if (args.format != "text" or args.output) and not library.errors:
                _emit(_result([], 0.0), args)
            return EXIT_USAGE if library.errors else EXIT_OK
    if args.shard:
        claims = shard(claims, *args.shard)
    run = verify(library, claims, args)
    run.file_errors = [str(err) for err in library.errors]
    run.require_proof = args.require_proof
    _emit(run, args, library)
    return _status(run, print_bad_input=True)


def _status(run: RunResult, *, print_bad_input: bool) -> int:
    """The exit status of a run: 130 interrupted, 2 bad input, 1 a claim missed its expectation, else 0."""
    if run.interrupted:
        return EXIT_INTERRUPTED
    if run.file_errors or any(o.bad_input for r in run.results for o in r.outcomes):
        if print_bad_input:
            # One line per distinct problem: a bad shared definition fails every obligation that uses it.
            messages = dict.fromkeys(o.message for r in run.results for o in r.outcomes if o.bad_input)
            for message in messages:
                print(f"verify: error: {message}", file=sys.stderr)
        return EXIT_USAGE
    return EXIT_OK if run.ok else EXIT_FAILED


def _nearest(library: Library, unknown: list[str]) -> str:
    """A second line, ``did you mean q1.2, q1.3?``, for ids that match none; nothing when nothing is near."""
    known = list(dict.fromkeys([c.id for c in library.claims] + [c.question for c in library.claims if c.question]))
    near = dict.fromkeys(m for u in unknown for m in difflib.get_close_matches(u, known, n=3, cutoff=0.5))
    return f"\n  did you mean {', '.join(near)}?" if near else ""


def _report(command: str, paths: list[str], args: argparse.Namespace) -> int:
    """``verify report REPORT.json`` and ``verify merge REPORT.json...``: render saved JSON reports."""
    from verifier.outputs.jsonreport import load_report, merge_reports
    if command == "report" and len(paths) != 1:
        raise UsageError("usage: verify report REPORT.json [--format F] [--output FILE]")
    if not paths:
        raise UsageError("usage: verify merge REPORT.json... [--format F] [--output FILE]")
    runs = []
    for name in paths:
        try:
            text = sys.stdin.read() if name == "-" else Path(name).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as err:
            raise UsageError(f"{command}: cannot read '{name}': {getattr(err, 'strerror', None) or err}") from None
        runs.append(load_report(text, name))
    run = runs[0] if command == "report" else merge_reports(runs)
    _emit(run, args)
    return _status(run, print_bad_input=False)


def _files(paths: list[str], args: argparse.Namespace) -> int:
    """``verify files PATH...``: the claims of the derivation files given and of the files that use them; other
    files (``pyproject.toml``, any TOML that is not a derivation file) are left alone. What the pre-commit hook
    runs, with the file names pre-commit passes."""
    from verifier.integrations.detect import is_derivation_source
    if not paths:
        raise UsageError("usage: verify files PATH...")
    given = [Path(p) for p in paths]
    missing = [str(p) for p in given if not p.is_file()]
    if missing:
        raise UsageError(f"files: no such file: {', '.join(missing)}")
    sources = [p.resolve() for p in given if is_derivation_source(p)]
    if args.verbosity > 0:
        for p in given:
            if p.resolve() not in sources:
                print(f"verify: {p}: not a derivation file, left alone", file=sys.stderr)
    if not sources:
        print("verify: none of the files given is a derivation file; nothing to verify", file=sys.stderr)
        return EXIT_OK
    folders = sorted({p.parent for p in sources})
    roots = [f for f in folders if not any(r in f.parents for r in folders)]
    runs = []
    for root in roots:
        library = load_library(root)
        wanted = {f for f in library.files if Path(f).resolve() in sources}
        selected = _with_users(library, wanted)
        claims = [c for c in library.claims if c.file in selected]
        needed = _with_used(library, selected)
        errors = [e for e in library.errors
                  if e.file is None or e.file in needed or Path(e.file).resolve() in sources]
        for err in errors:
            print(f"verify: error: {err}", file=sys.stderr)
        run = verify(library, claims, args)
        run.file_errors = [str(err) for err in errors]
        runs.append(run)
    joined = RunResult([r for run in runs for r in run.results], sum(run.seconds for run in runs), __version__,
                       sympy_version(), interrupted=any(run.interrupted for run in runs),
                       file_errors=[e for run in runs for e in run.file_errors])
    _emit(joined, args)
    return _status(joined, print_bad_input=True)


def _with_users(library: Library, files: set[str]) -> set[str]:
    """``files`` and every library file that uses one of them, directly or through other files."""
    found = set(files)
    grew = True
    while grew:
        grew = False
        for f, source in library.files.items():
            if f not in found and any(u in found for u in source.uses):
                found.add(f)
                grew = True
    return found


def _with_used(library: Library, files: set[str]) -> set[str]:
    """``files`` and every file they use, directly or through other files (read or not)."""
    found = set(files)
    todo = list(files)
    while todo:
        source = library.files.get(todo.pop())
        for used in source.uses if source else ():
            if used not in found:
                found.add(used)
                todo.append(used)
    return found


def verify(library: Library, claims: list[Claim], args: argparse.Namespace) -> RunResult:
    """Settle ``claims``, from the cache where possible."""
    start = time.perf_counter()
    timeout = args.timeout or 60.0
    cache = None if args.no_cache else Cache(Path(CACHE_DIR), options={"timeout": timeout})
    results: list[ClaimResult | None] = [cache.get(library, c) if cache else None for c in claims]
    todo = [c for c, r in zip(claims, results, strict=True) if r is None]
    per_claim = _settled_lines(sys.stderr, len(claims), getattr(args, "verbosity", 0))
    sheets = _sheet_lines(sys.stderr, claims) if len(library.sheets) > 1 and getattr(args, "verbosity", 0) >= 0 \
        else None
    lines = _unread_settled(library, _both(per_claim, sheets)) if per_claim or sheets else None
    if lines:
        for r in results:
            if r is not None:
                lines(r)
    interrupted = False
    if todo:
        from verifier.runner.executor import default_jobs, run_obligations
        progress = _progress_bar(sys.stderr) if per_claim is None else None
        fresh, interrupted = run_obligations(library, todo, jobs=args.jobs or default_jobs(), timeout=timeout,
                                             progress=progress, on_claim=lines)
        if progress:
            progress.close()
        by_id = {r.claim.id: r for r in fresh}
        for n, c in enumerate(claims):
            if results[n] is None:
                results[n] = by_id[c.id]
                if cache:  # after Ctrl-C too: the cache keeps what was settled, never "interrupted"
                    cache.put(library, by_id[c.id])
    settled = [r for r in results if r is not None]
    if library.sheets:
        from verifier.frontend.sheet import settle_unread
        settle_unread(library.sheets, settled)
    return _result(settled, time.perf_counter() - start, interrupted)


def _unread_settled(library: Library, lines: Callable[[ClaimResult], None]) -> Callable[[ClaimResult], None]:
    """``lines``, called after a sheet's unread steps are made ``unknown`` (as in the report)."""
    if not library.sheets:
        return lines
    from verifier.frontend.sheet import settle_unread

    def settled(result: ClaimResult) -> None:
        settle_unread(library.sheets, [result])
        lines(result)

    return settled


def _result(results: list[ClaimResult], seconds: float, interrupted: bool = False) -> RunResult:
    return RunResult(results, seconds, __version__, sympy_version(), interrupted=interrupted)


def _emit(run: RunResult, args: argparse.Namespace, library: Library | None = None) -> None:
    from verifier.outputs.report import render
    color = {"always": True, "never": False}.get(args.color)
    if color is None:
        color = _auto_color(sys.stdout) if not args.output else False
    to_terminal = not args.output and _isatty(sys.stdout)
    # A terminal gets its own width; a pipe or a file is never cut at 80 columns (no line is padded to this width).
    width = None if to_terminal else 10_000
    ascii_only = not args.output and not _can_print(sys.stdout, "✓✗…─")
    if args.format == "html" and library is not None and library.sheets:
        # A sheet's page shows each line's LaTeX beside how it was read.
        from verifier.frontend.notation import written_families
        from verifier.frontend.sheet import sources
        from verifier.outputs.html import render_html
        from verifier.outputs.mathml import families_from_notation
        written = {k: v for n in library.notations for k, v in written_families(n).items()}
        text = render_html(run, sources=sources(library.sheets, run.results), families=families_from_notation(written))
    else:
        text = render(run, args.format, color=color, width=width, ascii_only=ascii_only,
                      verbosity=getattr(args, "verbosity", 0))
    if library is not None and library.sheets:
        text = _with_sheet_summary(text, run, library, args.format)
    _deliver(text, args)


def _with_sheet_summary(text: str, run: RunResult, library: Library, fmt: str) -> str:
    """A report with the per-sheet summary: a "sheets" field in JSON (and each sheet step's column and LaTeX), a
    closing section in text, Markdown and HTML, a notice per sheet in GitHub annotations (JUnit keeps its schema's
    shape: one test case per claim, named by sheet)."""
    import json

    from verifier.frontend.sheet import annotate, summarize, summary_lines
    summary = summarize(library.sheets, run.results)
    if not summary:
        return text
    if fmt == "json":
        data = json.loads(text)
        annotate(data, library.sheets, run.results)
        return json.dumps(data, indent=2) + "\n"
    if fmt == "text":
        return text + "\nSheets:\n" + "".join(f"  {line}\n" for line in summary_lines(summary))
    if fmt == "markdown":
        return text + "\n### Sheets\n\n" + "".join(f"- {line}\n" for line in summary_lines(summary))
    if fmt == "github":     # a notice per sheet (GitHub shows ten per step), the rest in the log
        from verifier.outputs.github import MAX_ANNOTATIONS
        lines = list(zip(summary, summary_lines(summary), strict=True))
        notices = "".join(f"::notice title=sheet {entry['sheet']}::{line}\n" for entry, line in lines[:MAX_ANNOTATIONS])
        return text + notices + "".join(f"{line}\n" for _, line in lines[MAX_ANNOTATIONS:])
    if fmt == "html":
        import html

        items = "".join(f"<li>{html.escape(line)}</li>" for line in summary_lines(summary))
        return text.replace("</body>", f'<section class="sheets"><h2>Sheets</h2><ul>{items}</ul></section>\n</body>', 1)
    return text


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _can_print(stream: TextIO, text: str) -> bool:
    """Whether ``stream``'s encoding can carry ``text`` (a Latin-1 or ASCII terminal cannot carry ✓)."""
    try:
        text.encode(getattr(stream, "encoding", None) or "utf-8")
    except (UnicodeEncodeError, LookupError):
        return False
    return True


def _deliver(text: str, args: argparse.Namespace) -> None:
    """Write a report to ``--output`` or to standard output. A regular file is replaced whole (a reader never sees
    half a report); a symlink, a device or a pipe (``/dev/stdout``) is written through."""
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


def _auto_color(stream: TextIO) -> bool:
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


class _Bar:
    """A one-line progress bar on a terminal's standard error, shown once a run has taken a second (short runs
    stay quiet) and erased at the end. It fits the terminal's width: the bar shrinks, then goes, then the text is
    cut, so that the line never wraps (a wrapped line cannot be redrawn with a carriage return)."""

    WIDTH = 30

    def __init__(self, stream: TextIO, columns: int | None = None) -> None:
        self.stream = stream
        self.columns = columns
        self.start = time.monotonic()
        self.shown = False
        self.ascii = not _can_print(stream, "█░")

    def _width(self) -> int:
        if self.columns is not None:
            return self.columns
        try:
            return os.get_terminal_size(self.stream.fileno()).columns
        except (AttributeError, ValueError, OSError):
            return shutil.get_terminal_size().columns

    def __call__(self, done: int, total: int) -> None:
        elapsed = time.monotonic() - self.start
        if elapsed < 1.0 and done < total:
            return
        columns = max(1, self._width() - 1)  # the last column stays free: some terminals wrap on it
        text = f" {done}/{total} obligations {elapsed:.1f}s"
        room = min(self.WIDTH, columns - len("verifying ") - len(text))
        if room >= 5:
            filled = room * done // max(total, 1)
            full, empty = ("#", ".") if self.ascii else ("█", "░")
            line = f"verifying {full * filled}{empty * (room - filled)}{text}"
        else:
            line = f"verifying{text}"
        self._write("\r" + line[:columns])
        self.shown = True

    def close(self) -> None:
        if self.shown:
            self._write("\r" + " " * max(1, self._width() - 1) + "\r")

    def _write(self, text: str) -> None:
        self.stream.write(text)
        self.stream.flush()


def _progress_bar(stream: TextIO) -> _Bar | None:
    return _Bar(stream) if _isatty(stream) and not os.environ.get("CI") else None


def _settled_lines(stream: TextIO, total: int, verbosity: int) -> Callable[[ClaimResult], None] | None:
    """In CI (standard error not a terminal, ``CI`` set) or with ``-v``: a line per claim as it settles, e.g.
    ``[3/21] q2.4 refuted (expected) ✓ 0.41s``, so that a long run shows its progress in the log. None with
    ``-q`` or at a terminal, where the bar shows progress."""
    if verbosity < 0 or _isatty(stream) or not (os.environ.get("CI") or verbosity > 0):
        return None
    from verifier.outputs.words import verdict_label
    marks = ("✓", "✗") if _can_print(stream, "✓✗") else ("ok", "X")
    count = 0

    def line(result: ClaimResult) -> None:
        nonlocal count
        count += 1
        took = "cached" if result.cached else f"{result.seconds:.2f}s"
        mark = marks[0] if result.as_expected else marks[1]
        stream.write(f"[{count}/{total}] {result.claim.id} {verdict_label(result)} {mark} {took}\n")
        stream.flush()

    return line


def _sheet_lines(stream: TextIO, claims: list[Claim]) -> Callable[[ClaimResult], None]:
    """A line per sheet once all its claims are settled, when several sheets are graded together:
    ``alice.md: 11 claims settled, 2 not as expected (q2.4, q5.2)``."""
    left: dict[str, int] = {}
    for c in claims:
        left[c.file] = left.get(c.file, 0) + 1
    missed: dict[str, list[str]] = {f: [] for f in left}

    def line(result: ClaimResult) -> None:
        sheet = result.claim.file
        left[sheet] -= 1
        if not result.as_expected:
            missed[sheet].append(result.claim.id.rpartition(":")[2])
        if left[sheet] == 0:
            total = sum(1 for c in claims if c.file == sheet)
            wrong = f", {len(missed[sheet])} not as expected ({', '.join(missed[sheet])})" if missed[sheet] else ""
            stream.write(f"\r{sheet}: {total} claims settled{wrong}\n")
            stream.flush()

    return line


def _both(first: Callable[[ClaimResult], None] | None, second: Callable[[ClaimResult], None] | None
          ) -> Callable[[ClaimResult], None]:
    """One callback that calls both (either may be missing)."""
    def call(result: ClaimResult) -> None:
        for f in (first, second):
            if f is not None:
                f(result)
    return call


def _list(library: Library, args: argparse.Namespace) -> int:
    if args.format == "json":
        entries = [{"id": c.id, "title": c.title, "file": c.file, "line": c.line, "question": c.question,
                    "expect": c.expect} for c in library.claims]
        _deliver(json.dumps({"claims": entries, "errors": [str(e) for e in library.errors]}, indent=2) + "\n", args)
    elif args.format == "text":
        width = max((len(c.id) for c in library.claims), default=2)
        lines = [f"{c.id:<{width}}  {c.title}  ({c.file}:{c.line})" for c in library.claims]
        _deliver("\n".join(lines) + ("\n" if lines else ""), args)
    else:
        raise UsageError("'list' writes --format text or json")
    return EXIT_USAGE if library.errors else EXIT_OK


def _show(library: Library, cid: str, args: argparse.Namespace) -> int:
    claims = [c for c in library.claims if c.id == cid]
    if not claims:
        raise UsageError(f"unknown claim id: {cid} (see 'verify list'){_nearest(library, [cid])}")
    run = verify(library, claims, args)
    result = run.results[0]
    if args.format != "text":
        _emit(run, args)
    else:
        from verifier.outputs.show import render_show
        color = {"always": True, "never": False}.get(args.color)
        if color is None:
            color = _auto_color(sys.stdout) if not args.output else False
        width = None
        if not args.output and sys.stdout.isatty():
            width = max(40, shutil.get_terminal_size().columns)
        _deliver(render_show(library, result, color=color, width=width, budget=args.timeout or 10.0), args)
    if run.interrupted:
        return EXIT_INTERRUPTED
    if library.errors or any(o.bad_input for o in result.outcomes):
        return EXIT_USAGE
    return EXIT_OK if result.as_expected else EXIT_FAILED


def changed_files(library: Library, path: Path, ref: str) -> set[str]:
    """The library's files changed since ``ref`` (committed, staged, unstaged or untracked), and their users.

    An empty ``ref`` means the merge base with the default branch, or ``HEAD`` on the default branch itself.
    """
    top = _git(["rev-parse", "--show-toplevel"], path)
    if top is None:
        raise UsageError("--changed needs a git repository (and git)")
    root = Path(top.strip())
    if not ref:
        base = _default_base(path)
        if base is None:  # a repository without a commit yet: every file is new
            return set(library.files)
        ref = base
    if not _is_commit(ref, path):
        raise UsageError(f"--changed: unknown git reference '{ref}'")
    # -z: names as they are (no quoting of unusual characters); run at the top level, where names are relative to.
    names = (_git(["diff", "--name-only", "-z", "--no-renames", ref, "--"], path, cwd_root=root) or "").split("\0")
    names += (_git(["ls-files", "--others", "--exclude-standard", "-z"], path, cwd_root=root) or "").split("\0")
    changed_abs = {(root / n).resolve() for n in names if n}
    return _with_users(library, {f for f in library.files if Path(f).resolve() in changed_abs})


def _is_commit(ref: str, path: Path) -> bool:
    return not ref.startswith("-") and _git(["rev-parse", "--verify", "--quiet", ref + "^{commit}"], path) is not None


def _default_base(path: Path) -> str | None:
    """The merge base of HEAD with the default branch; HEAD on that branch or without one; None without commits."""
    head = _git(["rev-parse", "--verify", "--quiet", "HEAD^{commit}"], path)
    if head is None:
        return None
    candidates = ["origin/HEAD", "origin/main", "origin/master"]
    configured = (_git(["config", "init.defaultBranch"], path) or "").strip()
    candidates += [b for b in (configured, "main", "master") if b]
    for candidate in candidates:
        if not _is_commit(candidate, path):
            continue
        base = _git(["merge-base", "HEAD", candidate], path)
        if base:
            # On the default branch itself the merge base is HEAD: then only uncommitted edits count.
            return base.strip() if base.strip() != head.strip() else "HEAD"
    return "HEAD"


def _git(args: list[str], path: Path, cwd_root: Path | None = None) -> str | None:
    cwd = cwd_root or (path if path.is_dir() else path.parent)
    try:
        out = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, timeout=30, check=False,
                             encoding="utf-8", errors="surrogateescape")
    except (OSError, subprocess.TimeoutExpired):
        return None
    return out.stdout if out.returncode == 0 else None

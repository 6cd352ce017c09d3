"""The ``verify`` command: select claims, settle them (or take them from the cache), report, exit 0/1/2.

Exit status: 0 when every selected claim met its expectation, 1 when one did not, 2 for a usage error, an unknown
id, or a derivation file that cannot be read or built (each reported on one line with its file and line), 130 when
interrupted. Reports go to standard output (or ``--output``); progress and messages go to standard error.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Sequence, TextIO

from verifier import __version__
from verifier.runner.cache import CACHE_DIR, Cache, sympy_version
from verifier.errors import UsageError, VerifierError
from verifier.frontend.loader import Library, load_library
from verifier.model import Claim, ClaimResult, RunResult

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130
FORMATS = ("text", "json", "junit", "github", "markdown", "html")


def parser() -> argparse.ArgumentParser:
    """The command-line parser."""
    p = argparse.ArgumentParser(
        prog="verify", description="Settle the claims of a derivation library: proved, checked, refuted, "
                                   "unknown or error, step by step.",
        epilog="commands: 'all' (every claim), 'list' (ids and titles), 'show ID' (one claim, rendered), or claim "
               "ids ('q2.4', or 'q2' for every claim of question 2).")
    p.add_argument("targets", nargs="*", metavar="all|list|show|ID", help="what to verify (default: all)")
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
    p.add_argument("--color", choices=("auto", "always", "never"), default="auto",
                   help="colour in the text report (default: auto; NO_COLOR is honoured)")
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


def _run(args: argparse.Namespace) -> int:
    if args.jobs is not None and args.jobs < 1:
        raise UsageError("--jobs must be at least 1")
    if args.timeout is not None and not args.timeout > 0:
        raise UsageError("--timeout must be a positive number of seconds")
    if args.output and Path(args.output).is_dir():
        raise UsageError(f"--output: '{args.output}' is a folder; give a file name")
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
        raise UsageError(f"unknown claim id(s): {', '.join(unknown)} (see 'verify list')")
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
    run = verify(library, claims, args)
    run.file_errors = [str(err) for err in library.errors]
    run.require_proof = args.require_proof
    _emit(run, args, library)
    if run.interrupted:
        return EXIT_INTERRUPTED
    bad_input = library.errors or any(o.bad_input for r in run.results for o in r.outcomes)
    if bad_input:
        # One line per distinct problem: a bad shared definition fails every obligation that uses it.
        messages = dict.fromkeys(o.message for r in run.results for o in r.outcomes if o.bad_input)
        for message in messages:
            print(f"verify: error: {message}", file=sys.stderr)
        return EXIT_USAGE
    return EXIT_OK if run.ok else EXIT_FAILED


def verify(library: Library, claims: list[Claim], args: argparse.Namespace) -> RunResult:
    """Settle ``claims``, from the cache where possible."""
    start = time.perf_counter()
    timeout = args.timeout or 60.0
    cache = None if args.no_cache else Cache(Path(CACHE_DIR), options={"timeout": timeout})
    results: list[ClaimResult | None] = [cache.get(library, c) if cache else None for c in claims]
    todo = [c for c, r in zip(claims, results) if r is None]
    interrupted = False
    if todo:
        from verifier.runner.executor import default_jobs, run_obligations
        progress = _progress_bar(sys.stderr)
        fresh, interrupted = run_obligations(library, todo, jobs=args.jobs or default_jobs(), timeout=timeout,
                                             progress=progress)
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


def _result(results: list[ClaimResult], seconds: float, interrupted: bool = False) -> RunResult:
    return RunResult(results, seconds, __version__, sympy_version(), interrupted=interrupted)


def _emit(run: RunResult, args: argparse.Namespace, library: Library | None = None) -> None:
    from verifier.outputs.report import render
    color = {"always": True, "never": False}.get(args.color)
    if color is None:
        color = _auto_color(sys.stdout) if not args.output else False
    text = render(run, args.format, color=color)
    if library is not None and library.sheets:
        text = _with_sheet_summary(text, run, library, args.format)
    _deliver(text, args)


def _with_sheet_summary(text: str, run: RunResult, library: Library, fmt: str) -> str:
    """A report with the per-sheet summary: a "sheets" field in JSON (and each sheet step's column and LaTeX), a
    closing section in text and Markdown."""
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
    return text


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
    stay quiet) and erased at the end."""

    WIDTH = 30

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.start = time.monotonic()
        self.shown = False

    def __call__(self, done: int, total: int) -> None:
        elapsed = time.monotonic() - self.start
        if elapsed < 1.0 and done < total:
            return
        filled = self.WIDTH * done // max(total, 1)
        bar = "█" * filled + "░" * (self.WIDTH - filled)
        self._write(f"\rverifying {bar} {done}/{total} obligations {elapsed:.1f}s")
        self.shown = True

    def close(self) -> None:
        if self.shown:
            self._write("\r" + " " * (self.WIDTH + 50) + "\r")

    def _write(self, text: str) -> None:
        try:
            self.stream.write(text)
        except UnicodeEncodeError:
            self.stream.write(text.replace("█", "#").replace("░", "."))
        self.stream.flush()


def _progress_bar(stream: TextIO) -> _Bar | None:
    return _Bar(stream) if stream.isatty() and not os.environ.get("CI") else None


def _list(library: Library, args: argparse.Namespace) -> int:
    width = max((len(c.id) for c in library.claims), default=2)
    lines = [f"{c.id:<{width}}  {c.title}  ({c.file}:{c.line})" for c in library.claims]
    _write(sys.stdout, "\n".join(lines) + ("\n" if lines else ""))
    return EXIT_USAGE if library.errors else EXIT_OK


def _show(library: Library, cid: str, args: argparse.Namespace) -> int:
    claims = [c for c in library.claims if c.id == cid]
    if not claims:
        raise UsageError(f"unknown claim id: {cid} (see 'verify list')")
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
    changed = {f for f in library.files if Path(f).resolve() in changed_abs}
    grew = True
    while grew:
        grew = False
        for f, source in library.files.items():
            if f not in changed and any(u in changed for u in source.uses):
                changed.add(f)
                grew = True
    return changed


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

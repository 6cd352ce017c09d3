"""The ``verify`` command: select claims, settle them (or take them from the cache), report, exit 0/1/2.

Exit status: 0 when every selected claim met its expectation, 1 when one did not, 2 for a usage error, an unknown
id, or a derivation file that cannot be read or built (each reported on one line with its file and line), 130 when
interrupted. Reports go to standard output (or ``--output``); progress and messages go to standard error.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Sequence, TextIO

from verifier import __version__
from verifier.cache import CACHE_DIR, Cache, sympy_version
from verifier.errors import UsageError, VerifierError
from verifier.loader import Library, load_library
from verifier.model import ClaimResult, RunResult

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130
FORMATS = ("text", "json", "junit", "github", "markdown")


def parser() -> argparse.ArgumentParser:
    """The command-line parser."""
    p = argparse.ArgumentParser(
        prog="verify", description="Settle the claims of a derivation library: proved, checked, refuted, "
                                   "unknown or error, step by step.",
        epilog="commands: 'all' (every claim), 'list' (ids and titles), 'show ID' (one claim, rendered), or claim "
               "ids ('q2.4', or 'q2' for every claim of question 2).")
    p.add_argument("targets", nargs="*", metavar="all|list|show|ID", help="what to verify (default: all)")
    p.add_argument("--derivations", default="derivations", metavar="PATH",
                   help="a folder of derivation files or one .toml file (default: ./derivations)")
    p.add_argument("--format", default="text", choices=FORMATS, help="report format (default: text)")
    p.add_argument("--output", metavar="FILE", help="write the report to FILE instead of standard output")
    p.add_argument("--jobs", type=int, default=None, metavar="N",
                   help="worker processes (default: the number of cores)")
    p.add_argument("--timeout", type=float, default=None, metavar="SECONDS",
                   help="wall-clock limit per obligation (default: 60)")
    p.add_argument("--no-cache", action="store_true", help=f"neither read nor write {CACHE_DIR}/")
    p.add_argument("--changed", nargs="?", const="", default=None, metavar="GIT_REF",
                   help="only claims in files changed since GIT_REF (default: the merge base with the default "
                        "branch), and in files that use them")
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
    if argv is None:
        sys.exit(code)
    return code


def _main(argv: list[str]) -> int:
    args = parser().parse_args(argv)
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
    path = Path(args.derivations)
    if not path.exists():
        raise UsageError(f"no derivations at '{args.derivations}' (give a folder or a .toml file with "
                         "--derivations)")
    library = load_library(path)
    for err in library.errors:
        print(f"verify: error: {err}", file=sys.stderr)

    targets = list(args.targets) or ["all"]
    command = targets[0]
    if command == "list":
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
            print("verify: no derivation file changed; nothing to verify", file=sys.stderr)
            if args.format != "text" and not library.errors:
                _emit(_result([], 0.0), args)
            return EXIT_USAGE if library.errors else EXIT_OK
    run = verify(library, claims, args)
    _emit(run, args)
    if run.interrupted:
        return EXIT_INTERRUPTED
    bad_input = library.errors or any(o.bad_input for r in run.results for o in r.outcomes)
    if bad_input:
        for r in run.results:
            for o in r.outcomes:
                if o.bad_input:
                    print(f"verify: error: {o.message}", file=sys.stderr)
        return EXIT_USAGE
    return EXIT_OK if run.ok else EXIT_FAILED


def verify(library: Library, claims: list, args: argparse.Namespace) -> RunResult:
    """Settle ``claims``, from the cache where possible."""
    start = time.perf_counter()
    timeout = args.timeout or 60.0
    cache = None if args.no_cache else Cache(Path(CACHE_DIR), options={"timeout": timeout})
    results: list[ClaimResult | None] = [cache.get(library, c) if cache else None for c in claims]
    todo = [c for c, r in zip(claims, results) if r is None]
    interrupted = False
    if todo:
        from verifier.executor import default_jobs, run_obligations
        progress = _progress_bar(sys.stderr)
        fresh, interrupted = run_obligations(library, todo, jobs=args.jobs or default_jobs(), timeout=timeout,
                                             progress=progress)
        if progress:
            progress.close()
        by_id = {r.claim.id: r for r in fresh}
        for n, c in enumerate(claims):
            if results[n] is None:
                results[n] = by_id[c.id]
                if cache and not interrupted:
                    cache.put(library, by_id[c.id])
    return _result([r for r in results if r is not None], time.perf_counter() - start, interrupted)


def _result(results: list[ClaimResult], seconds: float, interrupted: bool = False) -> RunResult:
    return RunResult(results, seconds, __version__, sympy_version(), interrupted=interrupted)


def _emit(run: RunResult, args: argparse.Namespace) -> None:
    from verifier.report import render
    color = {"always": True, "never": False}.get(args.color)
    if color is None:
        color = _auto_color(sys.stdout) if not args.output else False
    text = render(run, args.format, color=color)
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        _write(sys.stdout, text)


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
    """A one-line progress counter on a terminal's standard error."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.start = time.monotonic()

    def __call__(self, done: int, total: int) -> None:
        self.stream.write(f"\rverifying: {done}/{total} obligations ({time.monotonic() - self.start:.1f}s)")
        self.stream.flush()

    def close(self) -> None:
        self.stream.write("\r" + " " * 60 + "\r")
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
    from verifier.show import render_show
    color = {"always": True, "never": False}.get(args.color)
    if color is None:
        color = _auto_color(sys.stdout)
    _write(sys.stdout, render_show(library, run.results[0], color=color))
    result = run.results[0]
    if any(o.bad_input for o in result.outcomes):
        return EXIT_USAGE
    return EXIT_OK if result.as_expected else EXIT_FAILED


def changed_files(library: Library, path: Path, ref: str) -> set[str]:
    """The library's files changed since ``ref`` (committed, staged, unstaged or untracked), and their users."""
    top = _git(["rev-parse", "--show-toplevel"], path)
    if top is None:
        raise UsageError("--changed needs a git repository")
    root = Path(top.strip())
    if not ref:
        ref = _default_base(path)
    if _git(["rev-parse", "--verify", "--quiet", ref + "^{commit}"], path) is None:
        raise UsageError(f"--changed: unknown git reference '{ref}'")
    names = (_git(["diff", "--name-only", ref, "--"], path) or "").splitlines()
    names += (_git(["ls-files", "--others", "--exclude-standard"], path, cwd_root=root) or "").splitlines()
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


def _default_base(path: Path) -> str:
    for candidate in ("origin/HEAD", "origin/main", "origin/master", "main", "master"):
        if _git(["rev-parse", "--verify", "--quiet", candidate], path) is None:
            continue
        base = _git(["merge-base", "HEAD", candidate], path)
        if base:
            head = _git(["rev-parse", "HEAD"], path)
            # On the default branch itself the merge base is HEAD: then only uncommitted edits count.
            return base.strip() if head is None or base.strip() != head.strip() else "HEAD"
    return "HEAD"


def _git(args: list[str], path: Path, cwd_root: Path | None = None) -> str | None:
    cwd = cwd_root or (path if path.is_dir() else path.parent)
    try:
        out = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return out.stdout if out.returncode == 0 else None

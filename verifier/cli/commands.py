"""The ``verify`` command: select claims, settle them (or take them from the cache), report, exit 0/1/2.

Commands: ``all`` (the default), claim ids, ``list``, ``show ID``, ``files PATH...`` (the claims of the derivation
files given and of the files that use them: what the pre-commit hook runs), ``report REPORT.json`` (a JSON report
rendered in another format, so that one run gives every format) and ``merge REPORT.json...`` (the JSON reports of
``--shard`` runs joined into one).

Exit status: 0 when every selected claim met its expectation, 1 when one did not, 2 for a usage error, an unknown id, or
a derivation file that cannot be read or built (each reported on one line with its file and line), 5 when the library
has no claim at all (nothing was checked), 130 when interrupted. Reports go to standard output (or ``--output``);
progress and messages go to standard error: a bar on a terminal, and in CI (standard error not a terminal, ``CI`` set) a
line per claim as it settles.
"""

from __future__ import annotations

import difflib
import json
import os
import shutil
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from verifier import __version__
from verifier.cli.arguments import (
    COMMANDS,
    EXIT_FAILED,
    EXIT_INTERRUPTED,
    EXIT_NOTHING,
    EXIT_OK,
    EXIT_USAGE,
    Options,
    parse,
)
from verifier.cli.emit import auto_color, deliver, emit, input_files, refuse_overwriting_inputs
from verifier.cli.progress import both, progress_bar, settled_lines, sheet_lines
from verifier.errors import UsageError, VerifierError
from verifier.frontend.library import SHEET_SUFFIXES, Library, load_library, with_used, with_users
from verifier.frontend.tomlfile import NOTATION_SUFFIX
from verifier.model import Claim, RunResult
from verifier.printable import printable
from verifier.runner.cache import sympy_version
from verifier.runner.session import SessionOptions, run_result, settle


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit status (the console script exits with it)."""
    try:
        code = _main(list(sys.argv[1:] if argv is None else argv))
    except KeyboardInterrupt:
        _stderr("interrupted")
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
        args = parse(argv)
    except SystemExit as stop:  # argparse's usage errors (status 2), --help and --version (status 0)
        return stop.code if isinstance(stop.code, int) else (0 if stop.code is None else EXIT_USAGE)
    except VerifierError as err:  # a bad [tool.verify]
        _stderr(f"verify: error: {err}")
        return EXIT_USAGE
    if args.show_config:
        print(show_config(args), end="")
        return EXIT_OK
    if args.completion:
        from verifier.cli.completion import script
        print(script(args.completion), end="")
        return EXIT_OK
    try:
        return _run(args)
    except VerifierError as err:
        _stderr(f"verify: error: {err}")
        return EXIT_USAGE


def _stderr(text: str) -> None:
    """A line on standard error, every control character from input escaped (a file name or a message quoting a
    sheet cannot drive the terminal)."""
    print(printable(text), file=sys.stderr)


def shard(claims: list[Claim], index: int, count: int) -> list[Claim]:
    """The ``index``-th of ``count`` parts of ``claims`` (1-based): every ``count``-th claim in library order, so
    that the parts are disjoint, cover every claim, differ in size by at most one, and do not depend on timing."""
    return claims[index - 1::count]


def _run(args: Options) -> int:
    if args.jobs is not None and args.jobs < 1:
        raise UsageError("--jobs must be at least 1")
    if args.timeout is not None and not args.timeout > 0:
        raise UsageError("--timeout must be a positive number of seconds")
    if args.output and Path(args.output).is_dir():
        raise UsageError(f"--output: '{args.output}' is a folder; give a file name")
    targets = list(args.targets)
    if targets and targets[0] in ("report", "merge"):
        return _report(targets[0], targets[1:], args)
    if targets and targets[0] == "init":
        return _init(targets[1:], args)
    if targets and targets[0] == "files":
        return _files(targets[1:], args)
    if targets and targets[0] not in COMMANDS and all(Path(t).is_file() for t in targets):
        # ``verify derivations/q2.toml``: paths where ids are expected; a sheet is read as --derivations would.
        if len(targets) == 1 and Path(targets[0]).suffix in SHEET_SUFFIXES:
            return _run(replace(args, derivations=targets[0], targets=()))
        return _files(targets, args)
    path = Path(args.derivations)
    if not path.exists():
        raise UsageError(f"no derivations at '{args.derivations}' (give a folder or a .toml file with "
                         "--derivations)")
    notation = Path(args.notation) if args.notation else None
    if notation is not None and not notation.is_file():
        raise UsageError(f"--notation: no such file '{args.notation}'")
    use_root = Path(args.use_root) if args.use_root else None
    if use_root is not None and not use_root.is_dir():
        raise UsageError(f"--use-root: no such folder '{args.use_root}'")
    library = load_library(path, notation=notation, root=use_root)
    refuse_overwriting_inputs(args, input_files(library))
    for err in library.errors:
        _stderr(f"verify: error: {err}")
    for note in library.notes:
        _stderr(f"verify: {note}")

    targets = list(args.targets) or ["all"]
    if args.changed is not None:
        # Imported only when used, like the notation guesser of verify init: a cached run is mostly start-up.
        from verifier.cli.git import changed_files, is_commit
    if args.changed and (args.changed == "all" or library.select([args.changed])) \
            and not is_commit(args.changed, path):
        # ``verify --changed all``: argparse took the command for the optional GIT_REF, but it names no commit.
        targets = [args.changed, *args.targets]
        args = replace(args, changed="")
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
        paths = [u for u in unknown if Path(u).suffix in (".toml", *SHEET_SUFFIXES) or "/" in u or os.sep in u]
        if paths:
            raise UsageError(f"no such file: {', '.join(paths)}")
        raise UsageError(f"unknown claim id(s): {', '.join(unknown)} (see 'verify list'){_nearest(library, unknown)}")
    if args.changed is not None:
        changed = changed_files(library, path, args.changed)
        claims = [c for c in claims if c.file in changed]
        if not claims:
            since = f" since {args.changed}" if args.changed else ""
            _stderr(f"verify: no selected claim is in a derivation file changed{since}; nothing to verify")
            if (args.format != "text" or args.output) and not library.errors:
                emit(run_result([], 0.0), args)
            return EXIT_USAGE if library.errors else EXIT_OK
    if args.shard:
        claims = shard(claims, *args.shard)
    run = verify(library, claims, args)
    run.file_errors = [str(err) for err in library.errors]
    run.require_proof = args.require_proof
    emit(run, args, library)
    if not library.claims and not library.errors and not run.interrupted:
        _stderr(f"verify: nothing was checked: no claim in {args.derivations}")
        return EXIT_NOTHING
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
                _stderr(f"verify: error: {message}")
        return EXIT_USAGE
    return EXIT_OK if run.ok else EXIT_FAILED


def _nearest(library: Library, unknown: list[str]) -> str:
    """A second line, ``did you mean q1.2, q1.3?``, for ids that match none; nothing when nothing is near."""
    known = list(dict.fromkeys([c.id for c in library.claims] + [c.question for c in library.claims if c.question]))
    near = dict.fromkeys(m for u in unknown for m in difflib.get_close_matches(u, known, n=3, cutoff=0.5))
    commands = dict.fromkeys(m for u in unknown for m in difflib.get_close_matches(u, list(COMMANDS), n=1,
                                                                                      cutoff=0.6))
    if commands:
        return f"\n  did you mean the command {', '.join(repr(c) for c in commands)}? (verify -h lists them)"
    return f"\n  did you mean {', '.join(near)}?" if near else ""


def show_config(args: Options) -> str:
    """``--show-config``: each option read from the configuration, its value and where it comes from."""
    from verifier.cli.config import find
    found = find()
    lines = [f"# [tool.verify] from {found}" if found else "# no pyproject.toml with [tool.verify] in the working "
             "folder or above"]
    for key, origin in args.origins:
        value = getattr(args, key)
        shown = json.dumps(value) if value is not None else "(none)"
        lines.append(f"{key + ' = ' + shown:<40} # {origin}")
    return "\n".join(lines) + "\n"


def _report(command: str, paths: list[str], args: Options) -> int:
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
    refuse_overwriting_inputs(args, [Path(name) for name in paths if name != "-"])
    run = runs[0] if command == "report" else merge_reports(runs)
    emit(run, args)
    return _status(run, print_bad_input=False)


def _init(paths: list[str], args: Options) -> int:
    """``verify init SHEET``: write the notation table inferred from a sheet (``SHEET.notation.toml``, or
    ``--output``), for a person to correct; an existing file is never overwritten."""
    if len(paths) != 1:
        raise UsageError("usage: verify init SHEET [--output FILE]")
    sheet = Path(paths[0])
    if sheet.suffix not in SHEET_SUFFIXES or not sheet.is_file():
        raise UsageError(f"init: '{paths[0]}' is not an answer sheet (a .md or .tex file)")
    target = Path(args.output) if args.output else sheet.with_name(sheet.stem + NOTATION_SUFFIX)
    if target.is_symlink():     # a link, even one to nothing, would write wherever it points
        raise UsageError(f"init: '{target}' is a symbolic link; remove it, or write elsewhere with --output FILE")
    if target.exists():
        raise UsageError(f"init: '{target}' exists; correct it, remove it, or write elsewhere with --output FILE")
    try:
        text = sheet.read_text(encoding="utf-8").removeprefix("\ufeff")
    except (OSError, UnicodeDecodeError) as err:
        raise UsageError(f"init: cannot read '{sheet}': {err}") from None
    from verifier.frontend.infer import infer_table
    table = infer_table(text, str(sheet))
    try:    # created here or not at all: never through a link made meanwhile, never over a file
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o644)
    except OSError as err:
        raise UsageError(f"init: cannot create '{target}': {err.strerror}") from None
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(table)
    unread = table.count("\n#   line ")
    _stderr(f"verify: wrote {target}: a guess and its reason for each name; {unread} reason(s) why an entry is "
          "still not read, listed at its end")
    return EXIT_OK


def _files(paths: list[str], args: Options) -> int:
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
                _stderr(f"verify: {p}: not a derivation file, left alone")
    if not sources:
        _stderr("verify: none of the files given is a derivation file; nothing to verify")
        return EXIT_OK
    folders = sorted({p.parent for p in sources})
    roots = [f for f in folders if not any(r in f.parents for r in folders)]
    runs = []
    for root in roots:
        library = load_library(root)
        refuse_overwriting_inputs(args, input_files(library))
        wanted = {f for f in library.files if Path(f).resolve() in sources}
        selected = with_users(library, wanted)
        claims = [c for c in library.claims if c.file in selected]
        needed = with_used(library, selected)
        errors = [e for e in library.errors
                  if e.file is None or e.file in needed or Path(e.file).resolve() in sources]
        for err in errors:
            _stderr(f"verify: error: {err}")
        run = verify(library, claims, args)
        run.file_errors = [str(err) for err in errors]
        runs.append(run)
    joined = RunResult([r for run in runs for r in run.results], sum(run.seconds for run in runs), __version__,
                       sympy_version(), interrupted=any(run.interrupted for run in runs),
                       file_errors=[e for run in runs for e in run.file_errors])
    emit(joined, args)
    return _status(joined, print_bad_input=True)


def verify(library: Library, claims: list[Claim], args: Options, *, columns: int | None = None) -> RunResult:
    """Settle ``claims`` (:func:`verifier.runner.session.settle`), with the progress the options ask for; with
    ``columns`` (``verify show``), each outcome carries its relations as built, pretty-printed to that width."""
    per_claim = settled_lines(sys.stderr, len(claims), args.verbosity)
    sheets = sheet_lines(sys.stderr, claims) if len(library.sheets) > 1 and args.verbosity >= 0 else None
    progress = progress_bar(sys.stderr) if per_claim is None else None
    # The page and the JSON report carry what each obligation shows (a saved JSON report renders the same page),
    # unless a JSON report is asked without it.
    show = args.format == "html" or (args.format == "json" and not args.no_display) or columns is not None
    options = SessionOptions(jobs=args.jobs, timeout=args.timeout, use_cache=not args.no_cache, show=show,
                             columns=columns)
    run = settle(library, claims, options, on_claim=both(per_claim, sheets) if per_claim or sheets else None,
                 progress=progress)
    if progress:
        progress.close()
    return run


def _list(library: Library, args: Options) -> int:
    if args.format == "json":
        entries = [{"id": c.id, "title": c.title, "file": c.file, "line": c.line, "question": c.question,
                    "expect": c.expect} for c in library.claims]
        deliver(json.dumps({"claims": entries, "errors": [str(e) for e in library.errors]}, indent=2) + "\n", args)
    elif args.format == "text":
        width = max((len(c.id) for c in library.claims), default=2)
        lines = [f"{c.id:<{width}}  {c.title}  ({c.file}:{c.line})" for c in library.claims]
        deliver("\n".join(lines) + ("\n" if lines else ""), args)
    else:
        raise UsageError("'list' writes --format text or json")
    return EXIT_USAGE if library.errors else EXIT_OK


def _show(library: Library, cid: str, args: Options) -> int:
    claims = [c for c in library.claims if c.id == cid]
    if not claims:
        raise UsageError(f"unknown claim id: {cid} (see 'verify list'){_nearest(library, [cid])}")
    width = None
    if args.format == "text" and not args.output and sys.stdout.isatty():
        width = max(40, shutil.get_terminal_size().columns)
    run = verify(library, claims, args, columns=(width or 100) - 4 if args.format == "text" else None)
    result = run.results[0]
    if args.format != "text":
        emit(run, args)
    else:
        from verifier.display.prepare import for_show
        from verifier.outputs.show import render_show
        color = {"always": True, "never": False}.get(args.color)
        if color is None:
            color = auto_color(sys.stdout) if not args.output else False
        for_show(result, library)
        deliver(render_show(result, color=color, width=width), args, styled=color)
    if run.interrupted:
        return EXIT_INTERRUPTED
    if library.errors or any(o.bad_input for o in result.outcomes):
        return EXIT_USAGE
    return EXIT_OK if result.as_expected else EXIT_FAILED

"""The command line: its parser, and what it says as typed :class:`Options`."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from dataclasses import dataclass

from verifier import __version__
from verifier.outputs.report import FORMATS
from verifier.runner.cache import CACHE_DIR, sympy_version

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130
#: The library read has no claim at all (an empty folder, sheets with no answer read): nothing was checked.
EXIT_NOTHING = 5


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
    p.add_argument("--use-root", metavar="DIR", default=None,
                   help="the folder 'use' may read files in (default: the git repository holding --derivations, "
                        "else that folder)")
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


def _shard(text: str) -> tuple[int, int]:
    """``I/N`` as ``(I, N)``, with 1 <= I <= N."""
    index, sep, count = text.partition("/")
    if not (sep and index.strip().isdigit() and count.strip().isdigit()) or not 1 <= int(index) <= int(count):
        raise argparse.ArgumentTypeError(f"'{text}' is not I/N with 1 <= I <= N (e.g. 2/4)")
    return int(index), int(count)


@dataclass(frozen=True)
class Options:
    """The command line, read: what to verify, how to settle it, and how to report it."""

    targets: tuple[str, ...] = ()
    derivations: str = "derivations"
    notation: str | None = None
    use_root: str | None = None
    format: str = "text"
    output: str | None = None
    jobs: int | None = None
    timeout: float | None = None
    require_proof: bool = False
    no_cache: bool = False
    changed: str | None = None
    shard: tuple[int, int] | None = None
    color: str = "auto"
    verbosity: int = 0      # -v counts up, -q counts down


def parse(argv: Sequence[str]) -> Options:
    """The options ``argv`` gives; argparse's usage errors, ``--help`` and ``--version`` raise ``SystemExit``."""
    args = parser().parse_args(argv)
    return Options(targets=tuple(args.targets), derivations=args.derivations, notation=args.notation,
                   use_root=args.use_root,
                   format=args.format, output=args.output, jobs=args.jobs, timeout=args.timeout,
                   require_proof=args.require_proof, no_cache=args.no_cache, changed=args.changed,
                   shard=args.shard, color=args.color, verbosity=args.verbose - args.quiet)

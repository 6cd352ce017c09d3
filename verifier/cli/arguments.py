"""The command line: its parsers (one per command, each with its own help, examples and exit statuses), the
configuration in ``[tool.verify]`` (:mod:`verifier.cli.config`), and what they say together as typed
:class:`Options`.

The first word that is not an option names the command (``all``, ``files``, ``show``, ``list``, ``report``,
``merge``, ``init``); any other word is a claim id or a path, as in ``verify q2.4 q3`` and
``verify derivations/q2.toml``, and is parsed as ``all`` with those selectors. A command is one entry of
:data:`COMMANDS`.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from dataclasses import dataclass

from verifier import __version__
from verifier.cli import config as cfg
from verifier.outputs.report import FORMATS
from verifier.runner.cache import CACHE_DIR, sympy_version
from verifier.runner.session import DEFAULT_TIMEOUT

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130
#: The library read has no claim at all (an empty folder, sheets with no answer read): nothing was checked.
EXIT_NOTHING = 5

EXIT_STATUSES = """exit status:
  0    every selected claim met its expectation
  1    a claim did not (or, with --require-proof, is only checked)
  2    a usage error, an unknown id, or a derivation file that cannot be read or built (file:line:column: reason)
  5    nothing was checked: the library read has no claim (each file left out is named, with the reason)
  130  interrupted (what was settled so far is still reported)"""


@dataclass(frozen=True)
class Command:
    """A command: what it does, its operands (``None``: none), and examples."""

    summary: str
    operands: tuple[str, str] | None
    examples: tuple[str, ...]


#: The commands, in the order the help lists them.
COMMANDS: dict[str, Command] = {
    "all": Command("verify every claim of the library (the default)", None,
                   ("verify all", "verify all --derivations notes/ --format junit --output report.xml",
                    "verify all --shard 2/4 --format json --output shard-2.json")),
    "files": Command("verify the claims of these derivation files and of the files that use them (what the "
                     "pre-commit hook runs); other TOML files are left alone",
                     ("PATH", "derivation files"),
                     ("verify files derivations/q2.toml", "verify files $(git diff --name-only)")),
    "show": Command("one claim rendered for a person: each relation pretty-printed, a mark per step, the evidence",
                    ("ID", "a claim id"), ("verify show q2.4", "verify show q2.4 --timeout 5")),
    "list": Command("the ids, titles and places of the claims", None,
                    ("verify list", "verify list --format json")),
    "report": Command("a saved JSON report rendered in another --format (one run, every format)",
                      ("REPORT", "a JSON report, or - for standard input"),
                      ("verify report report.json --format markdown",
                       "verify report report.json --format junit --output junit.xml")),
    "merge": Command("the JSON reports of --shard runs joined into one", ("REPORT", "JSON reports"),
                     ("verify merge shard-*.json --format markdown",)),
    "init": Command("write SHEET.notation.toml (or --output FILE), a notation table inferred from an answer sheet, "
                    "each guess with its reason, for you to correct; an existing file is never overwritten",
                    ("SHEET", "an answer sheet (.md or .tex)"),
                    ("verify init answers.md", "verify init answers.tex --output course.notation.toml")),
}

#: Options read from ``[tool.verify]`` as well, with their built-in defaults.
CONFIGURABLE = {"derivations": "derivations", "notation": None, "timeout": None, "jobs": None,
                "require_proof": False, "format": "text"}



def _common(p: argparse.ArgumentParser) -> None:
    """The options every command takes. Their defaults are ``None`` here, so that ``[tool.verify]`` can tell a
    value given on the command line from one left out."""
    p.add_argument("--derivations", default=None, metavar="PATH",
                   help="a folder of derivation files, one .toml file, or an answer sheet (.md, .tex) "
                        "(default: ./derivations)")
    p.add_argument("--notation", metavar="FILE", default=None,
                   help="the notation table that reads the sheets (default: SHEET.notation.toml beside a sheet)")
    p.add_argument("--use-root", metavar="DIR", default=None,
                   help="the folder 'use' may read files in (default: the git repository holding --derivations, "
                        "else that folder)")
    p.add_argument("--format", default=None, choices=FORMATS, help="report format (default: text)")
    p.add_argument("--output", metavar="FILE", help="write the report to FILE instead of standard output")
    p.add_argument("--jobs", type=int, default=None, metavar="N",
                   help="worker processes (default: the number of cores)")
    p.add_argument("--timeout", type=float, default=None, metavar="SECONDS",
                   help=f"wall-clock limit per obligation (default: {DEFAULT_TIMEOUT:g})")
    p.add_argument("--require-proof", action="store_true", default=None,
                   help="fail the run (exit 1) when a claim is only checked on a finite set, not proved")
    p.add_argument("--no-cache", action="store_true", help=f"neither read nor write {CACHE_DIR}/")
    p.add_argument("--no-display", action="store_true",
                   help="a JSON report without what the page shows of each obligation (MathML, plots): faster, and "
                        "'verify report' renders such a report's page as text")
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
    p.add_argument("--show-config", action="store_true",
                   help=f"print the options in force and where each comes from ([{cfg.TABLE}] in "
                        f"{cfg.CONFIG_FILE}, the command line, or the default), then exit")
    p.add_argument("--version", action="version", version=f"verify {__version__} (sympy {sympy_version()})")


def parser() -> argparse.ArgumentParser:
    """The top-level parser: claim ids or paths, and the list of commands."""
    commands = "\n".join(f"  {name:<8} {c.summary}" for name, c in COMMANDS.items())
    p = argparse.ArgumentParser(
        prog="verify", formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Settle the claims of a derivation library: proved, checked, refuted, unknown or error, step "
                    "by step.",
        epilog=f"commands (each has its own help: verify COMMAND -h):\n{commands}\n\n"
               "examples:\n  verify all\n  verify q2.4 q3            # claims by id; q2 selects every q2.* claim\n"
               "  verify derivations/q2.toml   # the claims of a file (and of the files that use it)\n"
               "  verify show q2.4\n  verify --completion bash > ~/.local/share/bash-completion/completions/verify\n\n"
               f"options also come from [{cfg.TABLE}] in {cfg.CONFIG_FILE} (derivations, notation, timeout, jobs, "
               "require_proof, format), found in the working folder or above; the command line wins.\n\n"
               + EXIT_STATUSES)
    p.add_argument("targets", nargs="*", metavar="COMMAND|ID|PATH",
                   help="a command (below), claim ids ('q2.4', or 'q2' for every claim of question 2), or derivation "
                        "files (default: all)")
    p.add_argument("--completion", choices=("bash", "zsh", "fish"),
                   help="print a shell completion script (commands, options, and claim ids from the library)")
    _common(p)
    return p


def command_parser(name: str) -> argparse.ArgumentParser:
    """The parser of one command, with its own usage, examples and exit statuses."""
    c = COMMANDS[name]
    examples = "\n".join(f"  {e}" for e in c.examples)
    p = argparse.ArgumentParser(prog=f"verify {name}", description=c.summary[0].upper() + c.summary[1:] + ".",
                                formatter_class=argparse.RawDescriptionHelpFormatter,
                                epilog=f"examples:\n{examples}\n\n{EXIT_STATUSES}")
    if c.operands is not None:
        metavar, what = c.operands
        p.add_argument("operands", nargs="*", metavar=metavar, help=what)
    else:
        p.add_argument("operands", nargs="*", metavar="ID", help=argparse.SUPPRESS)
    _common(p)
    return p


def _shard(text: str) -> tuple[int, int]:
    """``I/N`` as ``(I, N)``, with 1 <= I <= N."""
    index, sep, count = text.partition("/")
    if not (sep and index.strip().isdigit() and count.strip().isdigit()) or not 1 <= int(index) <= int(count):
        raise argparse.ArgumentTypeError(f"'{text}' is not I/N with 1 <= I <= N (e.g. 2/4)")
    return int(index), int(count)


@dataclass(frozen=True)
class Options:
    """The command line and ``[tool.verify]``, read: what to verify, how to settle it, and how to report it."""

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
    no_display: bool = False
    changed: str | None = None
    shard: tuple[int, int] | None = None
    color: str = "auto"
    verbosity: int = 0      # -v counts up, -q counts down
    show_config: bool = False
    completion: str | None = None
    #: Where each configurable option's value comes from: "command line", "FILE:LINE [tool.verify]" or "default".
    origins: tuple[tuple[str, str], ...] = ()


def command_of(argv: Sequence[str]) -> tuple[str | None, int]:
    """The command ``argv`` names and its position: the first word that is not an option or an option's value, when
    it is a command; ``(None, -1)`` otherwise."""
    # The options that take one value, read from the parser (``--changed`` takes one only when the next word is not
    # a command).
    valued = {s for a in parser()._actions if a.nargs is None and a.option_strings for s in a.option_strings}
    n = 0
    while n < len(argv):
        word = argv[n]
        if word == "--":
            return None, -1
        if word.startswith("-") and word != "-":
            if word in valued:
                n += 1
            elif word == "--changed" and n + 1 < len(argv) and not argv[n + 1].startswith("-") \
                    and argv[n + 1] not in COMMANDS:
                n += 1
            n += 1
            continue
        return (word, n) if word in COMMANDS else (None, -1)
    return None, -1


def parse(argv: Sequence[str], config: cfg.Config | None = None) -> Options:
    """The options ``argv`` and ``[tool.verify]`` give (``config``, else the one found from the working folder);
    argparse's usage errors, ``--help`` and ``--version`` raise ``SystemExit``, a bad configuration a
    :class:`~verifier.errors.UsageError`."""
    name, at = command_of(argv)
    if name is None:
        args = parser().parse_intermixed_args(argv)
        targets = tuple(args.targets)
        completion = args.completion
    else:
        args = command_parser(name).parse_intermixed_args([*argv[:at], *argv[at + 1:]])
        targets = (name, *args.operands)
        completion = None
    if config is None:
        config = cfg.load(FORMATS)
    values, origins = {}, []
    for key, default in CONFIGURABLE.items():
        given = getattr(args, key)
        if given is not None:
            values[key], origin = given, "command line"
        elif key in config.values and not (key == "format" and name in ("show", "list")):
            values[key], origin = config.values[key], config.origin(key)
        else:
            values[key], origin = default, "default"
        origins.append((key, origin))
    return Options(targets=targets, output=args.output, use_root=args.use_root, no_cache=args.no_cache,
                   no_display=args.no_display, changed=args.changed, shard=args.shard, color=args.color,
                   verbosity=args.verbose - args.quiet, show_config=args.show_config, completion=completion,
                   origins=tuple(origins), **values)

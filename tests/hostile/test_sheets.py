r"""Hostile sheets and notation tables, through the real CLI in a child process.

A folder of submissions is input nobody on the course staff wrote. Each case here once hung the verifier, passed a
wrong answer in silence, read a file outside the library, or blamed the wrong file; each must now end within 10 s
(the child process is killed past that, and the case fails) with the status and the message written beside it.
Large inputs are generated. Wrong answers are wrong by hand: ``a + a = 3a`` fails at ``a = 1`` (2 != 3).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.conftest import DEFAULT_OPTIONS, Run

#: Every case ends within this many seconds (reading, checking and reporting included).
BOUND = 10.0
TABLE = '[symbols]\na = "real"\nb = "real"\n'
RIGHT = "$$a + a = 2a$$\n"
WRONG = "$$a + a = 3a$$\n"     # a = 1: 2 != 3
SECRET = "s3cr3t-t0ken-value"


@dataclass
class Case:
    """Files written under ``lib/`` (``None`` values: symbolic links, given in ``links``), the command, and what
    must come out: the exit status, lines of standard error, and text that must appear nowhere."""

    files: dict[str, str]
    status: int
    errors: list[str] = field(default_factory=list)
    args: tuple[str, ...] = ("all",)
    derivations: str = "lib"
    links: dict[str, str] = field(default_factory=dict)
    absent: list[str] = field(default_factory=list)
    outside: dict[str, str] = field(default_factory=dict)    # files written beside lib/, outside its root
    verdicts: dict[str, str] | None = None
    either: tuple[int, str] | None = None    # another ending allowed: its status and a line of standard error
    fifos: tuple[str, ...] = ()                # named pipes made under lib/
    shown: list[str] = field(default_factory=list)    # text that must appear in the report (standard output)


def _sheet(text: str, table: str = TABLE) -> dict[str, str]:
    return {"s.md": text, "s.notation.toml": table}


def _many_headings(n: int) -> str:
    return "".join(f"Answer {k}.1\n\n{RIGHT}\n" for k in range(1, n + 1))


def _long_formulas(answers: int) -> str:
    # Each answer a block of two different formulas of about 9,000 characters (under the 20,000 of one block):
    # about 1.8 MB in all, under the limit of a sheet's size, and nothing read twice.
    return "".join(f"Answer {k}.1\n\n$$" + " + ".join(f"\\frac{{a}}{{{k * 1000 + j}}}" for j in range(500)) + " = "
                   + " + ".join(f"\\frac{{b}}{{{k * 1000 + j}}}" for j in range(500)) + "$$\n\n"
                   for k in range(1, answers + 1))


def _hole_patterns(count: int) -> str:
    return TABLE + '[define]\n"f(u, v)" = "u + v"\n[latex]\n' + "".join(
        f"'?a \\op{chr(97 + k)} ?b' = \"f(?a, ?b)\"\n" for k in range(count))


CASES: dict[str, Case] = {
    # -- hangs ----------------------------------------------------------------------------------------------------
    "a word, 100,000 spaces and a word (the heading decoration used to backtrack in cubic time)": Case(
        _sheet("Answer" + " " * 100_000 + "x\n\nAnswer 1.1\n\n" + WRONG), 1, verdicts={"q1.1": "refuted"}),
    "a table's heading pattern that backtracks exponentially": Case(
        _sheet("Answer 1.1\n" + "a" * 40 + "!\n" + RIGHT, "heading = '((\\w+\\s?)*)'\n" + TABLE), 2,
        ["lib/s.notation.toml:1: the 'heading' pattern took more than 3 s on lib/s.md (the limit of time for a "
         "table's patterns on one sheet)"]),
    "a table's stop pattern that backtracks exponentially": Case(
        _sheet("Answer 1.1\n" + "a" * 40 + "!\n" + RIGHT, "stop = '(a+)+$'\n" + TABLE), 2,
        ["lib/s.notation.toml:1: the 'stop' pattern took more than 3 s on lib/s.md"]),
    "20 patterns that start with a placeholder over a 36 KB sheet": Case(
        _sheet("".join(f"Answer {k}.1\n\n$$ {' + '.join(['a'] * 150)} = b $$\n\n" for k in range(1, 61)),
               _hole_patterns(20)), 0, args=("list",)),
    "20,000 answer headings": Case(
        _sheet(_many_headings(20_000)), 2,
        ["lib/s.md:8001: more than 2000 answer headings (the limit of answers in one sheet)"]),
    "1,900 answers, under the limit, listed at once": Case(_sheet(_many_headings(1_900)), 0, args=("list",)),
    "20,000 chain blocks in one answer": Case(
        _sheet("Answer 1.1\n\n" + RIGHT * 20_000), 2,
        ["lib/s.md:1: claim q1.1 has more than 1000 steps (the limit of steps in one claim)"]),
    "470,000 relations in one block": Case(
        _sheet("Answer 1.1\n\n$$" + "a = " * 470_000 + "a$$\n"), 2,
        ["lib/s.md:1: claim q1.1 has more than 1000 steps"]),
    "100 answers of 900 entries each (360 KB)": Case(
        _sheet("".join(f"#### Answer {k}.1\n\n$$" + " = ".join(["a"] * 900) + "$$\n\n" for k in range(1, 101))), 2,
        ["more than 10000 steps in this sheet (the limit of steps in one sheet)"]),
    "2 MB of long formulas, none alike, listed": Case(
        _sheet(_long_formulas(100)), 0, args=("list",),
        either=(2, "reading this sheet took more than 4 s (the limit of reading time per sheet)")),
    "2 MB of long formulas, none alike, without a table": Case(
        {"s.md": _long_formulas(100)}, 0, args=("list",), derivations="lib/s.md",
        either=(2, "reading this sheet took more than 4 s (the limit of reading time per sheet)")),
    # -- wrong answers that passed in silence -------------------------------------------------------------------
    "CR-only line endings": Case(
        _sheet("Answer 1.1\r\r" + WRONG.replace("\n", "\r")), 1, verdicts={"q1.1": "refuted"}),
    "CR LF line endings": Case(
        _sheet("Answer 1.1\r\n\r\n" + WRONG.replace("\n", "\r\n")), 1, verdicts={"q1.1": "refuted"}),
    "an answer given twice, the second one wrong": Case(
        _sheet("Answer 2.4\n\n" + RIGHT + "\nAnswer 2.4\n\n" + WRONG), 2,
        ["lib/s.md:5: 'Answer 2.4' is given twice (first at line 1)"]),
    "an unterminated $$ that would swallow the next answer's": Case(
        _sheet("Answer 1.1\n\n$$a + a = 2a\n\nAnswer 1.2\n\n" + WRONG), 2,
        ["lib/s.md:3: the display block opened here with $$ runs over the heading 'Answer 1.2' at line 5: is "
         "its $$ missing?"]),
    "a $$ never closed at the end": Case(
        _sheet("Answer 1.1\n\n" + RIGHT + "\n$$a = 3a\n"), 2,
        ["lib/s.md:5: the display block opened here with $$ is never closed ($$ is missing)"]),
    "an empty sheet": Case(
        _sheet(""), 5, ["verify: lib/s.md: nothing to check: no line is an answer heading",
                        "verify: nothing was checked: no claim in lib"]),
    "a sheet with no answer heading": Case(
        _sheet("Question 1\n\n" + WRONG), 5, ["lib/s.md: nothing to check: no line is an answer heading"]),
    "answers without display math": Case(
        _sheet("Answer 1.1\n\nIt is $a + a = 3a$.\n"), 5,
        ["lib/s.md: nothing to check: none of its 1 answers has a chain of two entries in display math"]),
    "a folder of sheets with no notation table": Case(
        {"alice.md": "Answer 1.1\n\n" + WRONG, "bob.tex": "Answer 1.1\n\n" + WRONG}, 5,
        ["verify: lib/alice.md, lib/bob.tex: not read: no notation table in lib (write "
         "SHEET.notation.toml beside a sheet, or give one with --notation FILE)"]),
    "$$ inside a fenced code block is not mathematics": Case(
        _sheet("Answer 1.1\n\n```\n" + WRONG + "```\n\n" + RIGHT), 0, verdicts={"q1.1": "proved"}),
    "a fenced code block never closed": Case(
        _sheet("Answer 1.1\n\n" + RIGHT + "~~~\n" + WRONG), 2,
        ["lib/s.md:4: the code block opened here with ~~~ is never closed"]),
    "$$ inside inline code is not mathematics": Case(
        _sheet("Answer 1.1\n\nWrite `" + WRONG.strip() + "` for display math.\n\n" + RIGHT), 0,
        verdicts={"q1.1": "proved"}),
    "$$ inside a LaTeX comment is not mathematics": Case(
        {"s.tex": "Answer 1.1\n\n% " + WRONG + RIGHT, "s.notation.toml": TABLE}, 0, derivations="lib/s.tex",
        verdicts={"q1.1": "proved"}),
    # -- reading outside the library ----------------------------------------------------------------------------
    # (the first character of the name in 'use = ["..."]' is at column 9)
    "use = /etc/passwd": Case(
        _sheet("Answer 1.1\n\n" + RIGHT, 'use = ["/etc/passwd"]\n' + TABLE), 2,
        ["lib/s.notation.toml:1:9: 'use' names '/etc/passwd', which is outside the library's root"],
        absent=["root:"]),
    "use = a file under /proc": Case(
        _sheet("Answer 1.1\n\n" + RIGHT, 'use = ["/proc/self/environ"]\n' + TABLE), 2,
        ["lib/s.notation.toml:1:9: 'use' names '/proc/self/environ', which is outside the library's root"],
        absent=["PATH="]),
    "use = ../ out of the library": Case(
        _sheet("Answer 1.1\n\n" + RIGHT, 'use = ["../secret.toml"]\n' + TABLE), 2,
        ["lib/s.notation.toml:1:9: 'use' names '../secret.toml', which is outside the library's root"],
        outside={"secret.toml": f'[symbols]\ntoken = "{SECRET}"\n'}, absent=[SECRET]),
    "use of a symbolic link leading out of the library": Case(
        _sheet("Answer 1.1\n\n" + RIGHT, 'use = ["inside.toml"]\n' + TABLE), 2,
        ["lib/s.notation.toml:1:9: 'use' names 'inside.toml', which is outside the library's root"],
        links={"inside.toml": "../secret.toml"}, outside={"secret.toml": f'[symbols]\ntoken = "{SECRET}"\n'},
        absent=[SECRET]),
    "a sheet that is a symbolic link leading out of the library": Case(
        {"s.notation.toml": TABLE, "a.md": "Answer 1.1\n\n" + RIGHT}, 0,
        ["verify: lib/b.md: not read: a symbolic link that leads outside the library's root"],
        links={"b.md": "../elsewhere.md"}, outside={"elsewhere.md": f"Answer 1.1\n\n$${SECRET} = 1$$\n"},
        absent=[SECRET]),
    "a used file's values are never quoted": Case(
        _sheet("Answer 1.1\n\n" + RIGHT, 'use = ["_names.toml"]\n' + TABLE)
        | {"_names.toml": f'[symbols]\ntoken = "{SECRET}"\n'}, 2,
        ["lib/_names.toml:2: an error in this file, which the notation table lib/s.notation.toml uses"],
        derivations="lib/s.md", absent=[SECRET]),
    "a symbolic link to a folder of sheets outside the library": Case(
        {"s.notation.toml": TABLE, "a.md": "Answer 1.1\n\n" + RIGHT}, 0,
        ["verify: lib/more: not read: a symbolic link to a folder (links to folders are not followed)"],
        links={"more": "../elsewhere"}, outside={"elsewhere/b.md": f"Answer 1.1\n\n$${SECRET} = 1$$\n",
                                                 "elsewhere/c.toml": f'[symbols]\nx = "{SECRET}"\n'},
        absent=[SECRET]),
    # -- files that are no regular file: a named pipe blocked the run for ever -----------------------------------
    "a named pipe as the notation table beside a sheet": Case(
        {"s.md": "Answer 1.1\n\n" + RIGHT}, 2,
        ["lib/s.notation.toml: cannot read the notation table: not a regular file (a named pipe, a device or a "
         "socket)"], derivations="lib/s.md", fifos=("s.notation.toml",)),
    "a named pipe as a sheet in a folder": Case(
        {"s.notation.toml": TABLE, "a.md": "Answer 1.1\n\n" + WRONG}, 1,
        ["verify: lib/evil.md: not read: not a regular file (a named pipe, a device or a socket)"],
        fifos=("evil.md",)),
    "a named pipe given as the sheet": Case(
        {"s.notation.toml": TABLE}, 2, ["lib/evil.md: not read: not a regular file"], derivations="lib/evil.md",
        fifos=("evil.md",)),
    "a named pipe that a table uses": Case(
        _sheet("Answer 1.1\n\n" + RIGHT, 'use = ["pipe.toml"]\n' + TABLE), 2,
        ["lib/s.notation.toml:1:9: 'use' names 'pipe.toml', which is not a regular file"],
        derivations="lib/s.md", fifos=("pipe.toml",)),
    # -- numbers taken as written: 1.01 is not 1.1 --------------------------------------------------------------
    # a + 1 = 2 holds only at a = 1, which the table assumes for q1.1 alone; at a = 0 it fails (1 != 2).
    "answers 1.01, 1.1 and 1.10 are three claims, the table's q1.1 only one of them": Case(
        _sheet("".join(f"Answer {n}\n\n$$a + 1 = 2$$\n\n" for n in ("1.01", "1.1", "1.10")),
               TABLE + '[claim."q1.1"]\nassume = ["a = 1"]\n'), 1,
        verdicts={"q1.01": "refuted", "q1.1": "proved", "q1.10": "refuted"}),
    "verify q1.1 selects q1.1 alone, not q1.01 or q1.10": Case(
        _sheet("".join(f"Answer {n}\n\n$$a + 1 = 2$$\n\n" for n in ("1.01", "1.1", "1.10")),
               TABLE + '[claim."q1.1"]\nassume = ["a = 1"]\n'), 0, args=("q1.1",), verdicts={"q1.1": "proved"}),
    # -- environments: read like aligned, or reported with their column -----------------------------------------
    "alignedat is read as aligned is": Case(
        _sheet("Answer 1.1\n\n$$\\begin{alignedat}{2} a + a &= 3a \\end{alignedat}$$\n"), 1,
        verdicts={"q1.1": "refuted"}),
    "array is not read, and says so at its column": Case(
        _sheet("Answer 1.1\n\n$$\\begin{array}{l} a + a = 3a \\end{array}$$\n"), 1,
        shown=["not read: the environment 'array' is not read at lib/s.md:3:3"], verdicts={"q1.1": "unknown"}),
    "a Unicode superscript or circled digit in display math (it ended the reading of the whole sheet)": Case(
        _sheet("Answer 1.1\n\n" + WRONG + "\nAnswer 1.2\n\n$$3^\u00b2 = 9$$\n\n$$\u2460 = 1$$\n"), 1,
        verdicts={"q1.1": "refuted", "q1.2": "unknown"}),
    "answers whose only mathematics is inline are named, not passed in silence": Case(
        _sheet("Answer 1.1\n\n" + RIGHT + "\nAnswer 1.2\n\nSo $a + a = 3a$.\n\nAnswer 1.3\n\n\\( a = 3a \\)\n"), 0,
        ["verify: lib/s.md: answers with no display math to check (inline math is not read): q1.2 (line 5), q1.3 "
         "(line 9)"], shown=["no display math to check (inline math is not read): q1.2 (line 5), q1.3 (line 9)"],
        absent=["every step read"]),
    "a sheet whose claims are all in error does not read as clean": Case(
        _sheet("Answer 1.1\n\n" + RIGHT, TABLE + 'c = "bogus"\n'), 2,
        shown=["lib/s.md: 1 claims; not built (error): q1.1 (line 3)"], absent=["every step read"]),
    "a block entry keyed by words found before two blocks is named": Case(
        _sheet("Answer 1.1\n\nOut diagonal:\n\n$$a = 1$$\n\nOn the diagonal:\n\n$$a = 1$$\n",
               TABLE + '[claim."q1.1".block."diagonal"]\nwhere = { a = "1" }\n'), 0,
        ["verify: lib/s.md: entries of lib/s.notation.toml keyed by words that apply to several blocks (the words are "
         "in the text before each): claim.\"q1.1\".block.\"diagonal\" (lines 5, 9)"]),
    # -- other input from elsewhere ----------------------------------------------------------------------------
    "a saved report nested 2,000 deep": Case(
        {"deep.json": "[" * 2000 + "]" * 2000}, 2,
        ["verify: error: lib/deep.json: not a report of 'verify --format json' (nested too deeply)"],
        args=("report", "lib/deep.json", "--format", "html"), absent=["Traceback"]),
    "a sheet whose name writes GitHub annotation properties": Case(
        {"s.notation.toml": TABLE, "b.md": "Answer 1.1\n\n" + RIGHT,
         "a,line=99,title=x::injected.md": "Answer 1.1\n\n" + RIGHT}, 0, args=("all", "--format", "github"),
        absent=["title=sheet lib/a,line=99"]),
    "terminal control sequences in a sheet, shown in a report": Case(
        _sheet("Answer 1.1 \x1b]0;pwned\x07\n\n$$\\text{\x1b[2K\x1b[1Aq1.1 proved}\x1b]0;x\x07 = 2$$\n\n"
               "$$a \x9b= a$$\n", "heading = 'Answer (\\S+).*'\n" + TABLE), 1,
        absent=["\x1b", "\x07", "\x9b"]),
    "terminal control sequences in a sheet, as GitHub annotations": Case(
        _sheet("Answer 1.1\n\n$$\\text{\x1b[2K\x1b[1Aq1.1 proved} = 2$$\n"), 1, args=("all", "--format", "github"),
        absent=["\x1b"]),
    "a used file's keys and the names it uses are never quoted either": Case(
        _sheet("Answer 1.1\n\n" + RIGHT, 'use = ["_names.toml", "_more.toml"]\n' + TABLE)
        | {"_names.toml": f"{SECRET} = 1\n", "_more.toml": f'use = ["{SECRET}.toml"]\n'}, 2,
        ["lib/_names.toml:1: an error in this file, which the notation table lib/s.notation.toml uses",
         "lib/_more.toml:1: an error in this file, which the notation table lib/s.notation.toml uses"],
        derivations="lib/s.md", absent=[SECRET]),
    # -- faults blamed on the right file ------------------------------------------------------------------------
    "a loop of symbolic links in use": Case(
        _sheet("Answer 1.1\n\n" + RIGHT, 'use = ["l1.toml"]\n' + TABLE), 2,
        ["lib/s.notation.toml:1:9: 'use' names 'l1.toml', which cannot be resolved: a loop of symbolic links"],
        links={"l1.toml": "l2.toml", "l2.toml": "l1.toml"}, absent=["internal error"]),
    # Columns counted by hand: in 'assume = ["a >"]' the string starts at column 12, its end (the quote) is 15.
    "an assume of the table that does not parse": Case(
        _sheet("Answer 1.1\n\n" + RIGHT, TABLE + '[claim."q1.1"]\nassume = ["a >"]\n'), 2,
        ["lib/s.notation.toml:5:15: claim \"q1.1\": assume: "]),
    "an assume of the table with a name nothing declares": Case(
        _sheet("Answer 1.1\n\n" + RIGHT, TABLE + '[claim."q1.1"]\nassume = ["a + zz > 0"]\n'), 2,
        ["lib/s.notation.toml:5:16: undeclared name 'zz'"]),
    "a where of the table that does not parse": Case(
        _sheet("Answer 1.1\n\n" + RIGHT, TABLE + '[claim."q1.1"]\nwhere = { a = "1/" }\n'), 2,
        ["lib/s.notation.toml:5:18: claim \"q1.1\": where.a: "]),
    # '"g(t)" = "t + zz"': the value starts at column 11, zz at 15 (it was column 5, counted in the value alone).
    "a definition of the table with a name nothing declares": Case(
        _sheet("Answer 1.1\n\n$$g(a) = 2a$$\n", TABLE + '[define]\n"g(t)" = "t + zz"\n'), 2,
        ["lib/s.notation.toml:5:15: in definition of 'g': undeclared name 'zz'"]),
    "an assume of the table with a function nothing defines": Case(
        _sheet("Answer 1.1\n\n" + RIGHT, TABLE + '[claim."q1.1"]\nassume = ["f(a) > 0"]\n'), 2,
        ["lib/s.notation.toml:5:12: unknown function 'f'"]),
    "a where of the table that breaks its name's declaration": Case(
        _sheet("Answer 1.1\n\n" + RIGHT, TABLE + 'n = "integer positive"\n[claim."q1.1"]\nwhere = { n = "1/2" }\n'),
        2, ["lib/s.notation.toml:6:16: where: n = 1/2 is not an integer, but n is declared integer"]),
    "a where of the table on a name nothing declares": Case(
        _sheet("Answer 1.1\n\n" + RIGHT, TABLE + '[claim."q1.1"]\nwhere = { zz = 1 }\n'), 2,
        ["lib/s.notation.toml:5:16: where: 'zz' is not a declared scalar symbol"]),
    "60,000 assumes in a table (each was looked for in the whole table: 52 s)": Case(
        _sheet("Answer 1.1\n\n" + RIGHT, TABLE + '[claim."q1.1"]\nassume = ['
               + ", ".join(f'"a > -{k}"' for k in range(60_000)) + "]\n"), 0, args=("list",),
        either=(2, "reading this sheet took more than 4 s (the limit of reading time per sheet)")),
    "a where of a block of the table that divides by zero": Case(
        _sheet("Answer 1.1\n\n" + RIGHT, TABLE + '[claim."q1.1".block.1]\nwhere = { a = "1/0" }\n'), 2,
        ["lib/s.notation.toml:5:16: where: a = 1/0 is not real, but a is declared real"]),
    # -- found by trying new hostile sheets and tables -----------------------------------------------------------
    "a heading pattern whose group catches nothing": Case(
        _sheet("Answer\n\n" + RIGHT, "heading = 'Answer(\\d*)'\n" + TABLE), 2,
        ["lib/s.md:1: the heading's number '' is not a claim number"]),
    "a heading pattern whose group catches a command line": Case(
        _sheet("Answer 1.1; rm -rf /\n\n" + RIGHT, "heading = 'Answer (.*)'\n" + TABLE), 2,
        ["lib/s.md:1: the heading's number '1.1; rm -rf /' is not a claim number"]),
    "a heading pattern with a repetition count too large to compile": Case(
        _sheet("Answer 1.1\n\n" + RIGHT, "heading = 'Answer a{99999999999}(\\d)'\n" + TABLE), 2,
        ["lib/s.notation.toml:1:1: 'heading' is not a regular expression: the repetition number is too large"]),
    "a million dollar signs": Case(
        _sheet("Answer 1.1\n" + "$" * 1_000_000 + "\n"), 2,
        ["lib/s.md:2: more than 20000 display blocks (the limit of display blocks in one sheet)"]),
    "11,940 steps over 199 answers, each under the limit of a claim": Case(
        _sheet("".join(f"Answer {k}.1\n" + "$$a=a$$\n" * 30 for k in range(1, 200))), 2,
        ["more than 10000 steps in this sheet (the limit of steps in one sheet)"]),
    "1,001 patterns in a table": Case(
        _sheet("Answer 1.1\n\n" + RIGHT, TABLE + "[latex]\n" + "".join(f"'\\x{k}' = \"a\"\n" for k in range(1001))),
        2, ["lib/s.notation.toml:4:1: 1001 LaTeX patterns (the limit of patterns in one table is 1000)"]),
    "a table that uses itself": Case(
        _sheet("Answer 1.1\n\n" + RIGHT, 'use = ["s.notation.toml"]\n' + TABLE), 2,
        ["lib/s.notation.toml:1:9: 'use' names 's.notation.toml', which is not a derivation file (.toml)"]),
    "a table of lists nested 100,000 deep": Case(
        _sheet("Answer 1.1\n\n" + RIGHT, "a = " + "[" * 100_000 + "]" * 100_000 + "\n"), 2,
        ["lib/s.notation.toml: TOML syntax error: a number too long or lists nested too deeply"]),
    "a notation table that is a symbolic link leading out of the library": Case(
        {"s.md": "Answer 1.1\n\n" + RIGHT}, 2,
        ["lib/s.md: not read: its notation table is a symbolic link leading outside the library's root"],
        links={"s.notation.toml": "../elsewhere.toml"}, outside={"elsewhere.toml": f'[symbols]\na = "{SECRET}"\n'},
        absent=[SECRET]),
    "a wrong answer and a heading inside an HTML comment are not read": Case(
        _sheet("<!--\nAnswer 1.1\n\n" + WRONG + "-->\nAnswer 1.1\n\n" + RIGHT), 0, verdicts={"q1.1": "proved"}),
    "a LaTeX line break with its space (\\\\[2pt]) opens no display block": Case(
        {"s.tex": "Answer 1.1\n\nFirst line\\\\[2pt] second line.\n\n" + WRONG, "s.notation.toml": TABLE}, 1,
        derivations="lib/s.tex", verdicts={"q1.1": "refuted"}),
    "$$ inside \\verb is not mathematics": Case(
        {"s.tex": "Answer 1.1\n\nWrite \\verb|" + WRONG.strip() + "| for display.\n\n" + RIGHT,
         "s.notation.toml": TABLE}, 0, derivations="lib/s.tex", verdicts={"q1.1": "proved"}),
}


def _write(root: Path, case: Case) -> None:
    lib = root / "lib"
    lib.mkdir()
    for name, text in case.files.items():
        (lib / name).write_text(text, encoding="utf-8", newline="")
    for name, text in case.outside.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    for name, target in case.links.items():
        (lib / name).symlink_to(target)
    for name in case.fifos:
        os.mkfifo(lib / name)


def _run(root: Path, case: Case) -> tuple[Run, float]:
    start = time.monotonic()
    try:
        done = subprocess.run([sys.executable, "-m", "verifier", *case.args, "--derivations", case.derivations,
                               *DEFAULT_OPTIONS, *(("--format", "json") if case.verdicts is not None else ())],
                              cwd=root, capture_output=True, text=True, timeout=BOUND, check=False,
                              env={**os.environ, "NO_COLOR": "1"})
    except subprocess.TimeoutExpired:
        pytest.fail(f"did not end within {BOUND:g} s")
    return Run(done.returncode, done.stdout, done.stderr), time.monotonic() - start


@pytest.mark.parametrize("name", list(CASES))
def test_hostile_sheet(tmp_path: Path, name: str) -> None:
    case = CASES[name]
    _write(tmp_path, case)
    run, _seconds = _run(tmp_path, case)
    assert "Traceback" not in run.err and "internal error" not in run.err, run.err
    if case.either is not None and run.code == case.either[0]:     # stopped at a limit of time, saying so
        assert case.either[1] in run.err, run.err
        return
    assert run.code == case.status, run.err
    for expected in case.errors:
        assert expected in run.err, f"{expected!r} not in:\n{run.err}"
    for expected in case.shown:
        assert expected in run.out, f"{expected!r} not in:\n{run.out}"
    for text in case.absent:
        assert text not in run.out and text not in run.err, text
    if case.verdicts is not None:
        assert run.verdicts() == case.verdicts


def test_every_case_is_written_as_intended(tmp_path: Path) -> None:
    # The generated inputs are what their names say (the sizes the issue reported).
    assert len(CASES["20 patterns that start with a placeholder over a 36 KB sheet"].files["s.md"]) > 36_000
    assert len(CASES["470,000 relations in one block"].files["s.md"]) < 2_000_000
    assert CASES["CR-only line endings"].files["s.md"].count("\n") == 0
    long = CASES["2 MB of long formulas, none alike, listed"].files["s.md"]
    assert 1_700_000 < len(long.encode()) < 2_000_000
    assert max(len(line) for line in long.splitlines()) < 20_000 - len("$$$$")


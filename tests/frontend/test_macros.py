"""Tests of the commands a sheet defines for itself: a block that uses one is not read, never read as the standard
command (red-team finding r3s.3: ``\\renewcommand{\\frac}[2]{#2/#1}`` then ``\\frac{1}{2} = 0.5`` was proved, though
the page shows 2/1 = 0.5)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from verifier.cli import main
from verifier.frontend.macros import Definitions, definitions


def _found(text: str) -> Definitions:
    starts = [0] + [n + 1 for n, ch in enumerate(text) if ch == "\n"]
    return definitions(text, starts)


@pytest.mark.parametrize("preamble, command", [
    (r"\renewcommand{\pi}{3}", r"\pi"),
    (r"\renewcommand\frac[2]{#2/#1}", r"\frac"),
    (r"\let\geq\leq", r"\geq"),
    (r"\let\geq=\leq", r"\geq"),
    (r"\def\half{\frac{1}{3}}", r"\half"),
    (r"\gdef\cdot{+}", r"\cdot"),
    (r"\DeclareMathOperator{\log}{exp}", r"\log"),
    (r"\newcommand*{\e}{3}", r"\e"),
    (r"\mathchardef\leq=3", r"\leq"),
])
def test_a_definition_is_found(preamble: str, command: str) -> None:
    found = _found("a\n" + preamble + "\n")
    assert found.commands == {command: 2}
    hit = found.first_use(f"x {command} y")
    assert hit is not None and hit[0] == 2 and f"'{command}' is defined by the sheet itself at line 2" in hit[1]


def test_what_is_not_a_definition_or_not_used() -> None:
    found = _found(r"\left( \leq \right) \letter \definition")      # \left, \letter: not \let; \definition
    assert found.commands == {} and found.environments == {} and found.everywhere is None
    found = _found(r"\let\geq\leq")
    assert found.first_use(r"2 \geqslant 1") is None                 # another command
    assert found.first_use(r"2 \leq 1") is None                      # the one \geq was made from is unchanged


def test_environments_and_what_changes_every_formula() -> None:
    found = _found("\n" + r"\renewenvironment{cases}{}{}")
    hit = found.first_use(r"a = \begin{cases} 1 & x \end{cases}")
    assert hit is not None and hit[0] == 4 and "the environment 'cases' is defined by the sheet itself at line 2" \
        in hit[1]
    for hazard in (r"\catcode`\^=12", r"\expandafter\def\csname geq\endcsname{\leq}", r"\input{macros}"):
        hit = _found(hazard).first_use("1 = 1")
        assert hit is not None and hit[0] is None and "no display block is read" in hit[1]


def test_a_sheet_that_redefines_commands(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # The page shows 3 = 3 (true), 2 <= 1 (false) and 2/1 = 0.5 (false): they were refuted, proved and proved.
    # Each block is now not read, at the redefined command; the block using none of them is still read.
    sheet = tmp_path / "s.tex"
    sheet.write_text("\\documentclass{article}\n\\renewcommand{\\pi}{3}\n\\let\\geq\\leq\n"
                     "\\renewcommand{\\frac}[2]{#2/#1}\n% \\renewcommand{\\cdot}{+}\n\\begin{document}\n"
                     "\\section*{Answer 1.1}\n\\[ \\pi = 3 \\]\n\\section*{Answer 1.2}\n\\[ 2 \\geq 1 \\]\n"
                     "\\section*{Answer 1.3}\n\\[ \\frac{1}{2} = 0.5 \\]\n"
                     "\\section*{Answer 1.4}\n\\[ 2 \\cdot 3 = 6 \\]\n"
                     "\\end{document}\n", encoding="utf-8")
    main(["all", "--derivations", str(sheet), "--format", "json", "--no-cache"])
    report = json.loads(capsys.readouterr().out)
    found = {c["id"]: (c["verdict"], c["obligations"][0].get("message") or "") for c in report["claims"]}
    assert found["q1.1"][0] == "unknown" and "'\\pi' is defined by the sheet itself at line 2" in found["q1.1"][1]
    assert found["q1.2"][0] == "unknown" and "'\\geq' is defined by the sheet itself at line 3" in found["q1.2"][1]
    assert found["q1.2"][1].endswith("s.tex:10:6")                          # the column of \geq
    assert found["q1.3"][0] == "unknown" and "'\\frac' is defined" in found["q1.3"][1]
    assert found["q1.4"][0] == "proved"              # a definition in a comment defines nothing: 2 * 3 = 6

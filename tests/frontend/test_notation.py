"""Tests of notation tables: layers (global, question, claim, block), pattern order, and errors with their line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from verifier.errors import DerivationFileError
from verifier.frontend.latex import read
from verifier.frontend.notation import load_notation
from verifier.frontend.parser import unparse

TABLE = """\
prefix = "ex"

[symbols]
x = "indexed real"
y = "real"
K = "integer positive"

[define]
"h(t)" = "t^2"
c = "2"

[latex]
'\\mathbf{x}_{?i}' = "x[?i]"
'y' = "y"

[bounds]
j = "1..K"

[claim."ex2"]
latex = { 'y' = "2*y" }
assume = ["K >= 2"]

[claim."ex2.1"]
latex = { 'y' = "3*y" }
where = { K = 3 }

[claim."ex2.1".block.2]
latex = { 'y' = "4*y" }
bounds = { j = "0..K" }
assume = ["y > 0"]
skip = false

[claim."ex2.1".block.3]
skip = true
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "t.notation.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_layers(tmp_path: Path) -> None:
    table = load_notation(write(tmp_path, TABLE), "t")
    assert table.prefix == "ex"
    # y is read by the innermost table that maps it: global, then the question's, the claim's, the block's.
    readings = {(cid, block): unparse(read("y", table.block(cid, block).rules))
                for cid, block in [("ex1.1", 1), ("ex2.2", 1), ("ex2.1", 1), ("ex2.1", 2)]}
    assert readings == {("ex1.1", 1): "y", ("ex2.2", 1): "2 * y", ("ex2.1", 1): "3 * y", ("ex2.1", 2): "4 * y"}
    assert unparse(read(r"\sum_j \mathbf{x}_j", table.block("ex2.1", 2).rules)) == "Sum(x[j], (j, 0, K))"
    assert unparse(read(r"\sum_j \mathbf{x}_j", table.block("ex2.1", 1).rules)) == "Sum(x[j], (j, 1, K))"
    assert table.claim_settings("ex2.1") == (("K >= 2",), (("K", "3"),))
    block = table.block("ex2.1", 2)
    assert block.assume == ("y > 0",) and not block.skip
    assert table.block("ex2.1", 3).skip


def test_functions_and_abbreviations_from_define(tmp_path: Path) -> None:
    rules = load_notation(write(tmp_path, TABLE), "t").block("ex1.1", 1).rules
    # h is a function of the table: h(y) applies it; y(1 + y) is a product; c is an abbreviation.
    assert unparse(read("h(y) + y(1 + y) + c", rules)) == "h(y) + y * (1 + y) + c"


def test_longest_pattern_first(tmp_path: Path) -> None:
    text = TABLE + "\n[claim.\"ex3\".latex]\n'\\mathbf{x}' = \"x\"\n'\\mathbf{x}_{0}' = \"y\"\n"
    rules = load_notation(write(tmp_path, text), "t").block("ex3.1", 1).rules
    assert unparse(read(r"\mathbf{x}_0 + \mathbf{x}_1", rules)) == "y + x[1]"


# The column is where in the value at fault the error is (the end of input: its closing quote), else the key's
# (a pattern's first character, inside its quotes; the claim's id for a block keyed by 0; the name 'use' names);
# tomllib gives the column of a syntax error.
@pytest.mark.parametrize("text, message, line, column", [
    ("colour = 1\n", "unknown key 'colour'", 1, 1),
    ("[latex]\n'x_{?i' = \"x[?i]\"\n", "never closed", 2, 2),
    ("[latex]\n'x_{?i}' = \"x[?j]\"\n", "?j, which the pattern does not have", 2, 2),
    ("[bounds]\nj = \"1 to K\"\n", "bounds.j must be a range", 2, 1),
    ("[operators]\n'+' = \"plus\"\n", "operators:", 2, 2),
    ("heading = 'Answer'\n", "needs one group", 1, 1),
    ("heading = 'Answer ('\n", "not a regular expression", 1, 1),
    ("[claim.\"q1\"]\ncolour = 1\n", "unknown key 'colour'", 2, 1),
    ("[claim.\"q1\".block.0]\nassume = []\n", "keyed by its number (from 1)", 1, 9),
    ("use = [\"missing.toml\"]\n", "does not exist", 1, 9),
    ("[symbols\n", "TOML syntax error", 1, 9),
    ("[claim.\"q1\"]\nassume = ['x >= 0', '(y']\n", "assume: expected ')'", 2, 24),
    ("[claim.\"q1\"]\nwhere = { n = \"2 +\" }\n", "where.n: expected an expression", 2, 19),
    # A pattern's error is at its own entry, not on the first line holding its text ('y' in [symbols]).
    ("[symbols]\nx = \"real\"\n[latex]\n\"a\" = \"x\"\n\"y\" = \"2 +\"\n", "the pattern 'y'", 5, 2),
    ("[latex]\n\"\" = \"x\"\n", "an empty LaTeX pattern", 2, 2),
    ("[symbols]\nx = \"real\"\n[claim.\"q1\".latex]\n  'x' = \"2 $\"\n", "unexpected character '$'", 4, 4),
])
def test_errors_name_the_line(tmp_path: Path, text: str, message: str, line: int, column: int) -> None:
    with pytest.raises(DerivationFileError) as info:
        load_notation(write(tmp_path, text), "t.notation.toml")
    assert message in info.value.message
    assert info.value.line == line
    assert str(info.value).startswith(f"t.notation.toml:{line}:{column}: ")


def test_use_brings_names_of_derivation_files(tmp_path: Path) -> None:
    (tmp_path / "_shared.toml").write_text('[symbols]\nz = "indexed real"\n[define]\n"s(t)" = "t"\n',
                                           encoding="utf-8")
    table = load_notation(write(tmp_path, 'use = ["_shared.toml"]\n'), "t")
    rules = table.block("q1.1", 1).rules
    assert unparse(read("s(z_1)", rules)) == "s(z[1])"


def test_heading_prefix_and_stop_adapt_to_another_template(tmp_path: Path) -> None:
    from verifier.frontend.sheet import read_sheet
    table = load_notation(write(tmp_path, "heading = 'Problem\\s+(\\d+)'\nprefix = \"p\"\nstop = '^Hint'\n"
                                          "[symbols]\na = \"real\"\n"), "t")
    text = "## Problem 7\n$$a = a$$\nHint\n$$a = 2$$\n## Answer 1.1\n$$a = a$$\n"
    claims, sheet = read_sheet(text, "s.md", table)
    # "Problem 7" gives p7; the hint ends it (its block is not read); "Answer 1.1" is no heading here.
    assert [c.id for c in claims] == ["p7"] and [len(c) for c in sheet.chains["p7"]] == [2]


@pytest.mark.parametrize("stop", ["^$", "", "\\s*"])
def test_a_stop_that_matches_an_empty_line_is_an_error(tmp_path: Path, stop: str) -> None:
    # With such a stop every answer ended at the blank line after its heading: no block was read, and the run
    # said "0 claims ... OK".
    with pytest.raises(DerivationFileError, match="'stop' matches an empty line"):
        load_notation(write(tmp_path, f"stop = '{stop}'\n"), "t")


def test_a_block_keyed_by_the_words_before_it(tmp_path: Path) -> None:
    from verifier.frontend.sheet import read_sheet
    table = load_notation(write(tmp_path, '[symbols]\na = "real"\n[claim."q1.1".block."Off the diagonal"]\n'
                                          'assume = ["a > 0"]\n'), "t")
    text = "**Answer 1.1**\n$$a = a$$\nOff the diagonal:\n$$a = a + 0$$\n"
    claims, _ = read_sheet(text, "s.md", table)
    # Only the block after "Off the diagonal" gets the assumption, wherever it is in the answer.
    assert [c.assume for c in claims[0].chains] == [(), ("a > 0",)]


def test_the_written_form_of_each_family_read_from_patterns() -> None:
    """The bundled table reads '\\omega_{?p?q}^{(2)}' as om2[?p, ?q] and 'w_{?j}^2'-style superscripts as w2: the
    sheet writes om2 as omega with the layer label (2), whatever its subscript."""
    from verifier.frontend.library import load_library
    from verifier.frontend.notation import written_families

    root = Path(__file__).resolve().parents[2]
    library = load_library(root / "derivations/sheets/assignment-1-answers.md")
    (notation,) = library.notations
    written = written_families(notation)
    assert written["om2"] == r"\omega^{(2)}" and written["om1"] == r"\omega^{(1)}"


SIGMA_TABLE = """\
[define]
"sigma(z)" = "1/(1 + exp(-z))"

[symbols]
z = "real"

[claim."q1.2"]
symbols = { sigma = "positive" }              # in this answer, a standard deviation

[claim."q2".symbols]
z = "integer"
"""

SIGMA_SHEET = """\
**Answer 1.1**
$$\\sigma(0) = \\frac{1}{2}$$
**Answer 1.2**
$$\\sqrt{\\sigma^2} = \\sigma$$
"""


def test_symbols_of_one_claim(tmp_path: Path) -> None:
    path = tmp_path / "t.notation.toml"
    path.write_text(SIGMA_TABLE, encoding="utf-8")
    notation = load_notation(path, "t.notation.toml")
    # The sigmoid everywhere, a value in q1.2 only.
    assert unparse(read(r"\sigma(z)", notation.block("q1.1", 1).rules)) == "sigma(z)"
    assert unparse(read(r"\sigma^2", notation.block("q1.2", 1).rules)) == "sigma^2"
    assert notation.claim_symbols("q1.2") == (("sigma", "positive", 8),)      # lines counted in SIGMA_TABLE
    assert notation.claim_symbols("q2.3") == (("z", "integer", 11),)    # a question's, in the table form
    assert notation.claim_symbols("q1.1") == ()


def test_a_letter_that_means_another_thing_in_one_answer(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # sigma(0) = 1/(1 + e^0) = 1/2 with the sigmoid; sqrt(sigma^2) = sigma for a positive sigma (and false for a
    # negative one, so the declaration of q1.2 is what proves it).
    (tmp_path / "s.notation.toml").write_text(SIGMA_TABLE, encoding="utf-8")
    (tmp_path / "s.md").write_text(SIGMA_SHEET, encoding="utf-8")
    from verifier.cli import main
    code = main(["all", "--derivations", str(tmp_path / "s.md"), "--format", "json", "--no-cache"])
    report = json.loads(capsys.readouterr().out)
    assert code == 0
    assert {c["id"]: c["verdict"] for c in report["claims"]} == {"q1.1": "proved", "q1.2": "proved"}


BLOCK_TABLE = """\
[define]
"sigma(z)" = "1/(1 + exp(-z))"

[symbols]
z = "real"

[claim."q1.1".block."standard deviation"]
symbols = { sigma = "positive" }              # in this block, a standard deviation

[claim."q1.1".block.4.symbols]
sigma = "real"
"""

BLOCK_SHEET = """\
**Answer 1.1**
$$\\sigma(0) = \\frac{1}{2}$$
With a standard deviation:
$$\\sqrt{\\sigma^2} = \\sigma$$
$$\\sigma(z) + \\sigma(-z) = 1$$
$$\\sqrt{\\sigma^2} = \\sigma$$
"""


def test_symbols_of_one_block(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # One answer uses sigma as the sigmoid (lines 2, 5: sigma(0) = 1/(1 + 1) = 1/2, and
    # 1/(1 + e^-z) + 1/(1 + e^z) = 1) and as a value in two blocks: positive after the words "standard deviation"
    # (sqrt(sigma^2) = |sigma| = sigma, line 4), real in block 4 (line 6: at sigma = -1, sqrt(1) = 1 != -1).
    path = tmp_path / "s.notation.toml"
    path.write_text(BLOCK_TABLE, encoding="utf-8")
    notation = load_notation(path, "s.notation.toml")
    assert notation.claim_symbols("q1.1") == (("sigma_standarddeviation", "positive", 8),
                                              ("sigma_b4", "real", 11))         # lines counted in BLOCK_TABLE
    assert notation.claim_symbols("q1.2") == ()
    assert unparse(read(r"\sigma(z)", notation.block("q1.1", 3).rules)) == "sigma(z)"
    assert notation.block("q1.1", 2, "With a standard deviation:").rules.renames == {
        "sigma": "sigma_standarddeviation"}
    (tmp_path / "s.md").write_text(BLOCK_SHEET, encoding="utf-8")
    from verifier.cli import main
    main(["all", "--derivations", str(tmp_path / "s.md"), "--format", "json", "--no-cache"])
    report = json.loads(capsys.readouterr().out)
    verdicts = {o["line"]: o["verdict"] for c in report["claims"] for o in c["obligations"]}
    assert verdicts == {2: "proved", 4: "proved", 5: "proved", 6: "refuted"}


def test_a_block_symbols_table_must_be_declarations(tmp_path: Path) -> None:
    path = tmp_path / "s.notation.toml"
    path.write_text('[claim."q1".block.2]\nsymbols = { sigma = 1 }\n', encoding="utf-8")
    with pytest.raises(DerivationFileError, match="'symbols' must be a table"):
        load_notation(path, "s.notation.toml")

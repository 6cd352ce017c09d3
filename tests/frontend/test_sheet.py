"""Tests of answer sheets read as claims: headings, display blocks and chains, lines and columns, steps not read,
the bundled sheet end to end, and grading a folder of submissions with one notation table."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from verifier.cli import main
from verifier.errors import DerivationFileError
from verifier.frontend.library import load_library
from verifier.frontend.notation import Notation, load_notation
from verifier.frontend.sheet import read_sheet

ROOT = Path(__file__).resolve().parents[2]
SHEET = ROOT / "derivations" / "sheets" / "assignment-1-answers.md"
TABLE = ROOT / "derivations" / "sheets" / "assignment-1-answers.notation.toml"
SUBMISSIONS = Path(__file__).resolve().parent / "sheets" / "submissions"

SMALL_TABLE = """\
[symbols]
a = "real"
b = "real"
x = "indexed real"
K = "integer positive"
[bounds]
j = "1..K"
[claim."q1.2".block.2]
assume = ["a > 0"]
"""


@pytest.fixture
def notation(tmp_path: Path) -> Notation:
    path = tmp_path / "t.notation.toml"
    path.write_text(SMALL_TABLE, encoding="utf-8")
    return load_notation(path, "t.notation.toml")


@pytest.mark.parametrize("heading, cid", [
    ("Answer 2.4", "q2.4"),
    ("#### Answer 1.4", "q1.4"),
    ("**Answer 5.3**", "q5.3"),
    ("\\section*{Answer 2.4}", "q2.4"),
    ("### Answer 3", "q3"),
])
def test_headings(notation: Notation, heading: str, cid: str) -> None:
    claims, _ = read_sheet(f"{heading}\n\n$$a = a$$\n", "s.md", notation)
    assert [c.id for c in claims] == [cid]


def test_a_question_line_ends_an_answer(notation: Notation) -> None:
    text = "**Answer 1.1**\n\n$$a = a$$\n\n1.2 Show that\n\n$$b = b$$\n"
    _claims, sheet = read_sheet(text, "s.md", notation)
    assert [len(c) for c in sheet.chains["q1.1"]] == [2]      # the question's block is not the answer's


def test_blocks_chains_lines_and_columns(notation: Notation) -> None:
    text = ("**Answer 1.2**\n"                                # line 1
            "Inline $a = b$ is not read.\n"                   # line 2
            "$$a + b = b + a$$\n"                             # line 3: a chain
            "\\[\n"                                           # line 4
            "\\begin{aligned} a &= a \\\\ &= 2a - a \\end{aligned}\n"   # line 5: &= continues
            "\\]\n"
            "$$= a + 0$$\n"                                   # line 7: continues the chain before
            "\\begin{equation*} b \\leq b + 1 \\end{equation*}\n")      # line 8
    claims, sheet = read_sheet(text, "s.md", notation)
    chains = sheet.chains["q1.2"]
    assert [[(e.op, e.reading) for e in chain] for chain in chains] == [
        [(None, "a + b"), ("=", "b + a")],
        [(None, "a"), ("=", "a"), ("=", "2 * a - a"), ("=", "a + 0")],
        [(None, "b"), ("<=", "b + 1")],
    ]
    # Lines and columns counted by hand: "$$a + b" has 'a' at column 3 of line 3; "&= 2a" has '2' at column 30.
    assert (chains[0][0].line, chains[0][0].col) == (3, 3)
    assert (chains[1][2].line, chains[1][2].col) == (5, 30)
    assert (chains[1][3].line, chains[1][3].col) == (7, 5)   # after the leading '= '
    (claim,) = claims
    assert [c.step_lines for c in claim.chains] == [(3, 3), (5, 5, 5, 7), (8, 8)]
    assert claim.chains[1].assume == ("a > 0",)               # block 2 of q1.2 in the notation


def test_cells_that_start_with_a_formula_start_a_chain(notation: Notation) -> None:
    text = "**Answer 1.1**\n$$\\begin{aligned} a &= a + 0 & b &= b \\\\ a &= 1a \\end{aligned}$$\n"
    _, sheet = read_sheet(text, "s.md", notation)
    assert [[e.reading for e in c] for c in sheet.chains["q1.1"]] == [["a", "a + 0"], ["b", "b"], ["a", "1 * a"]]


@pytest.mark.parametrize("rows, chains", [
    # Found by a red team: each continuation row started a chain of its own, refuting 5 = 2 (the page: 5 = 2 + 3).
    (r"5 &= 2 \\ &\quad + 3 \\ &= 5", [["5", "2 + 3", "5"]]),
    (r"5 &= 7 \\ &\qquad - 2", [["5", "7 - 2"]]),
    (r"6 &= 2 \\ &\quad \cdot 3", [["6", "2 * 3"]]),
    (r"1 + {} & 1 \\ & = 2", [["1 + 1", "2"]]),                 # a row ending with '+' goes on in the next cell
    (r"1 + 1 &= 2 && \text{by (2)} \\ &= 3 && \text{(oops)}", [["1 + 1", "2", "3"]]),   # remarks are not math
    (r"a = a \\ -b = -b", [["a", "a"], ["-b", "-b"]]),              # '-' before a relation: a formula of its own
    # Red team (r3s.9): a tag in the '&&' column became the chain that the next row's '&= 21' continued, so that
    # 20 = 21 (on the page) was never checked and 21 = 21 was proved. The tag is a chain of one entry, dropped.
    (r"20 &= 20 && (21) \\ &= 21", [["20", "20", "21"]]),
    # Red team (r3s.10): two pairs of columns; row 2's first '&=' continued the second column's chain.
    (r"1 &= 1 & 2 &= 2 \\ &= 2 & &= 3", [["1", "1", "2"], ["2", "2", "3"]]),
    (r"7 &=& 8 \\ &=& 9", [["7", "8", "9"]]),                       # eqnarray: the relation's own column
])
def test_rows_that_carry_on_a_formula(notation: Notation, rows: str, chains: list[list[str]]) -> None:
    text = f"**Answer 1.1**\n$$\\begin{{aligned}} {rows} \\end{{aligned}}$$\n"
    _, sheet = read_sheet(text, "s.md", notation)
    assert [[e.reading for e in c] for c in sheet.chains["q1.1"]] == chains


@pytest.mark.parametrize("block", [
    # Found by a red team: these environments were dropped without a word (a sheet of them passed, checking nothing).
    "\\begin{alignat*}{2}\n7 &= 8\n\\end{alignat*}",
    "\\begin{eqnarray*}\n7 &=& 8\n\\end{eqnarray*}",     # the relation in a cell of its own
    "\\begin{flalign*}\n7 &= 8\n\\end{flalign*}",
    "\\begin{displaymath}\n7 = 8\n\\end{displaymath}",
    "$$\\begin{alignedat}{1} 7 &= 8 \\end{alignedat}$$",      # {1} is the number of columns, not a factor
])
def test_display_environments_are_read(notation: Notation, block: str) -> None:
    _, sheet = read_sheet(f"**Answer 1.1**\n{block}\n", "s.md", notation)
    assert [[e.reading for e in c] for c in sheet.chains["q1.1"]] == [["7", "8"]]


def test_an_entry_not_read_keeps_its_reason_and_column(notation: Notation) -> None:
    text = "**Answer 1.1**\n$$a = a + \\dots = a$$\n"
    claims, sheet = read_sheet(text, "s.md", notation)
    entry = sheet.chains["q1.1"][0][1]
    # '\dots' starts at column 11 of line 2 ("$$a = a + \dots").
    assert entry.reading is None and "elided" in (entry.reason or "")
    assert (entry.reason_line, entry.reason_col) == (2, 11)
    assert claims[0].chains[0].steps[1].startswith("= ?")     # never parses: never built as something else


def test_no_block_is_dropped(notation: Notation) -> None:
    # Each block below was dropped without a word (no step, no "not read") before: a relation written \lt or \gt,
    # a chain inside \boxed{..}, and a block that is one formula the reader cannot read. The last answer has no
    # other block: it must still be a claim.
    text = ("**Answer 1.1**\n$$a \\lt a + 1$$\n$$\\boxed{a = a + 0}$$\n$$b \\gt b - 1$$\n"
            "**Answer 1.2**\n$$\\begin{bmatrix} a \\end{bmatrix}$$\n")
    claims, sheet = read_sheet(text, "s.md", notation)
    assert [[(e.op, e.reading) for e in c] for c in sheet.chains["q1.1"]] == [
        [(None, "a"), ("<", "a + 1")], [(None, "a"), ("=", "a + 0")], [(None, "b"), (">", "b - 1")]]
    assert [c.id for c in claims] == ["q1.1", "q1.2"]
    (lone,) = sheet.chains["q1.2"]
    assert [e.reading for e in lone] == [None, None] and "bmatrix" in (lone[0].reason or "")
    assert (lone[0].reason_line, lone[0].reason_col) == (6, 3)     # \begin{bmatrix} after "$$" on line 6


def test_qquad_separates_two_equations(notation: Notation) -> None:
    # TeX shows "a = a + 0     b = b": two equations side by side, never a = (a + 0)*b = b.
    text = "**Answer 1.1**\n$$a = a + 0 \\qquad b = b$$\n"
    _, sheet = read_sheet(text, "s.md", notation)
    assert [[e.reading for e in c] for c in sheet.chains["q1.1"]] == [["a", "a + 0"], ["b", "b"]]


def test_bundled_sheet_end_to_end(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["all", "--derivations", str(SHEET), "--format", "json", "--no-cache"])
    report = json.loads(capsys.readouterr().out)
    assert code == 1                                          # the sheet has mistakes
    steps = [(c["id"], o) for c in report["claims"] for o in c["obligations"]]
    refuted = sorted({(cid, o["line"]) for cid, o in steps if o["verdict"] == "refuted"})
    # The sheet's mistakes (see ../q2.toml, q4.toml, q5.toml): the off-diagonal first line of 2.4 (line 131), the
    # detail lines y[3] and y[4] of 4.3 (lines 200, 201), the first display line of 5.2 (bound k_1, line 261) and
    # the derivative line of 5.5 (line 317).
    assert refuted == [("q2.4", 131), ("q4.3", 200), ("q4.3", 201), ("q5.2", 261), ("q5.5", 317)]
    others = [o for _, o in steps if o["verdict"] not in ("proved", "checked", "refuted")]
    assert all(o["verdict"] == "unknown" and o["message"].startswith("not read: ") for o in others)
    decided = len(steps) - len(others)
    assert len(steps) >= 80 and decided >= 0.9 * len(steps)
    assert report["sheets"][0]["wrong"][0] == {"claim": "q2.4", "lines": [131]}
    # Each step names its entry's column and LaTeX: the off-diagonal chain's first line starts at column 76.
    first = next(o for cid, o in steps if cid == "q2.4" and o["verdict"] == "refuted")
    assert first["column"] == 76 and first["latex"].startswith(r"\frac{-\sum_j e^{\mathbf{x}_j}")


def test_show_gives_the_latex_beside_its_reading(capsys: pytest.CaptureFixture[str]) -> None:
    main(["show", "q1.1", "--derivations", str(SHEET), "--no-cache", "--color", "never"])
    out = capsys.readouterr().out
    # Answer 1.1 is "$$g(z) = 1/(1 + e^{-z})$$" on line 19: g(z) at column 3, the right side at column 10.
    assert "19:3    g(z)" in out and "19:10  = 1/(1 + e^{-z})" in out
    assert "read as: 1 / (1 + exp(-z))" in out


def test_grading_a_folder_of_submissions(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["all", "--derivations", str(SUBMISSIONS), "--notation", str(TABLE), "--format", "json",
                 "--no-cache"])
    report = json.loads(capsys.readouterr().out)
    assert code == 1
    verdicts = {c["id"]: c["verdict"] for c in report["claims"]}
    # Each mistake worked out by hand in alice.md and bob.tex:
    assert verdicts == {
        "alice.md:q1.1": "refuted",     # g(z) = 1/(1 + e^{z}) is not the sigmoid: at z = 1, 1/(1+e) != 1/(1+e^-1)
        "alice.md:q1.3": "proved",
        "alice.md:q1.4": "refuted",     # -y(1-f) - (1-y)f: at y = 0 it is -f, the derivative is f
        "alice.md:q2.1": "proved",
        "alice.md:q2.4": "proved",      # the off-diagonal line corrected
        "alice.md:q3": "refuted",       # (tanh(x) + 1)/2 at x = 2: (tanh 2 + 1)/2 = 0.982 != sigma(2) = 0.881
        "alice.md:q4.3": "refuted",     # valid: [1,2,3,4] * [2,0,1] = [5, 8], not [5, 7]; y[3], y[4] corrected
        "alice.md:q5.1": "refuted",     # |a^2| = d - k1 - k2 + 2, not + 1
        "alice.md:q5.2": "proved",      # the sum up to k_2 (corrected)
        "bob.tex:q2.1": "refuted",      # "+ c" added: at c = 1 the two sides differ by 1
        "bob.tex:q3": "proved",
    }
    alice = next(s for s in report["sheets"] if s["sheet"].endswith("alice.md"))
    assert alice["not_read"] == [{"claim": "alice.md:q4.3", "lines": [70]}]    # the \approx line
    assert {"claim": "alice.md:q4.3", "lines": [68]} in alice["wrong"]


def test_text_report_names_sheets(capsys: pytest.CaptureFixture[str]) -> None:
    main(["all", "--derivations", str(SUBMISSIONS), "--notation", str(TABLE), "--no-cache", "--color", "never"])
    out = capsys.readouterr().out
    assert "Sheets:" in out and "bob.tex: 2 claims; wrong: bob.tex:q2.1 (line 8)" in out


def test_progress_shows_each_sheet_once_its_claims_are_settled(capsys: pytest.CaptureFixture[str]) -> None:
    """bob.tex has two claims, q2.1 wrong (see above): one line for it on standard error when both are settled."""
    main(["all", "--derivations", str(SUBMISSIONS), "--notation", str(TABLE), "--no-cache", "--color", "never"])
    err = capsys.readouterr().err
    assert "bob.tex: 2 claims settled, 1 not as expected (q2.1)" in err
    assert "alice.md: 9 claims settled" in err


def test_default_library_reads_toml_only() -> None:
    lib = load_library(ROOT / "derivations", display_root=ROOT)
    assert len(lib.claims) == 21 and not lib.sheets and not lib.errors
    assert all(c.file.endswith(".toml") for c in lib.claims)


def test_folder_with_a_notation_table_reads_its_sheets() -> None:
    lib = load_library(ROOT / "derivations" / "sheets", display_root=ROOT)
    assert not lib.errors and len(lib.sheets) == 1 and len(lib.claims) == 17
    assert lib.claims[0].id == "q1.1"                          # one sheet: ids are not prefixed


def test_a_notation_table_is_not_a_derivation_file(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["list", "--derivations", str(TABLE)])
    assert code == 2 and "a notation table is not a derivation file" in capsys.readouterr().err


def test_a_sheet_without_notation_does_not_stop_the_others(tmp_path: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "a.md").write_text("**Answer 1.1**\n$$a = a$$\n", encoding="utf-8")
    (tmp_path / "b.md").write_text("**Answer 1.1**\n$$b = b$$\n", encoding="utf-8")
    (tmp_path / "b.notation.toml").write_text('[symbols]\nb = "real"\n', encoding="utf-8")
    (tmp_path / "c.notation.toml").write_text('[symbols]\nc = "real"\n', encoding="utf-8")
    code = main(["all", "--derivations", str(tmp_path), "--format", "json", "--no-cache"])
    captured = capsys.readouterr()
    report = json.loads(captured.out)
    # b.md is read with its table; a.md has no table of its own and its folder holds two: it is read with the
    # declarations inferred from it, and the run says so in one line.
    assert [(c["id"], c["verdict"]) for c in report["claims"]] == [("a.md:q1.1", "proved"), ("b.md:q1.1", "proved")]
    assert code == 0 and captured.err.count("a.md: declarations inferred; `verify init") == 1


def test_a_bad_declaration_is_reported_at_the_tables_line(tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "s.md").write_text("**Answer 1.1**\n$$a = a$$\n", encoding="utf-8")
    (tmp_path / "s.notation.toml").write_text('[symbols]\nb = "real"\na = "positive negative"\n',
                                              encoding="utf-8")
    code = main(["all", "--derivations", str(tmp_path / "s.md"), "--format", "json", "--no-cache"])
    report = json.loads(capsys.readouterr().out)
    (step,) = report["claims"][0]["obligations"]
    # The declaration on line 3 of the table cannot hold: an error of the table, at its line (exit 2), not a
    # line of the sheet that was not read.
    assert code == 2 and step["verdict"] == "error" and "s.notation.toml:3" in step["message"]


def test_unclosed_openers_are_an_error_found_in_linear_time(notation: Notation) -> None:
    text = "**Answer 1.1**\n$$a = a$$\n" + "\\[ " * 200_000
    start = time.perf_counter()
    with pytest.raises(DerivationFileError) as info:
        read_sheet(text, "s.md", notation)
    assert time.perf_counter() - start < 5
    assert (info.value.line, info.value.message) == (3, "the display block opened here with \\[ is never closed "
                                                        "(\\] is missing)")


def test_a_block_that_cannot_be_scanned_is_cut_at_its_relations(notation: Notation) -> None:
    # '@' is no LaTeX the reader knows: only the entry holding it is not read; the step b = b + 0 is still read.
    text = "**Answer 1.1**\n$$a @ 1 = b = b + 0$$\n"
    _, sheet = read_sheet(text, "s.md", notation)
    (chain,) = sheet.chains["q1.1"]
    assert [(e.op, e.reading) for e in chain] == [(None, None), ("=", "b"), ("=", "b + 0")]
    assert "'@'" in (chain[0].reason or "") and (chain[0].reason_line, chain[0].reason_col) == (2, 5)


def test_a_relation_with_nothing_after_it(notation: Notation) -> None:
    _, sheet = read_sheet("**Answer 1.1**\n$$a = a =$$\n", "s.md", notation)
    last = sheet.chains["q1.1"][0][-1]
    # The second '=' is at column 9 of line 2 ("$$a = a =").
    assert last.reading is None and last.reason == "nothing after '='" and (last.reason_line, last.reason_col) == (2, 9)


SHEET_FRAGMENTS = ["**Answer 1.1**\n", "#### Answer 1.2\n", "1.3 Show that\n", "$$", r"\[", r"\]", "a", "=", "b",
                   "&=", r"\\", r"\begin{aligned}", r"\end{aligned}", r"\begin{equation*}", r"\end{equation*}",
                   "{", "}", "\n", "\r\n", "\r", "@", r"\dots", "$", r"\approx", " ", "```\n", "`", "<!--", "-->"]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(SHEET_FRAGMENTS), max_size=40))
def test_any_sheet_is_read_or_refused_at_a_line(notation: Notation, parts: list[str]) -> None:
    # A sheet is read, or refused with an error at one of its lines (an unclosed block, a heading given twice);
    # nothing else ever escapes.
    text = "".join(parts)
    lines = text.replace("\r\n", "\n").replace("\r", "\n").count("\n") + 1
    try:
        _claims, sheet = read_sheet(text, "s.md", notation)
    except DerivationFileError as err:
        assert err.file == "s.md" and err.line is not None and 1 <= err.line <= lines
        return
    for chains in sheet.chains.values():
        for chain in chains:
            assert len(chain) >= 2
            for entry in chain:
                assert 1 <= entry.line <= lines and (entry.reading is not None or entry.reason)


def test_github_and_html_reports_name_each_sheet(capsys: pytest.CaptureFixture[str]) -> None:
    """bob.tex has q2.1 wrong at line 8 (see above): a notice for the sheet in GitHub's annotations, a line in the
    HTML page's sheet section."""
    main(["all", "--derivations", str(SUBMISSIONS), "--notation", str(TABLE), "--no-cache", "--format", "github"])
    assert "bob.tex: 2 claims; wrong: bob.tex:q2.1 (line 8)" in capsys.readouterr().out
    main(["all", "--derivations", str(SUBMISSIONS), "--notation", str(TABLE), "--no-cache", "--format", "html"])
    page = capsys.readouterr().out
    assert '<section class="sheets">' in page and "bob.tex: 2 claims; wrong: bob.tex:q2.1 (line 8)" in page


def test_patterns_that_start_with_a_placeholder_read_in_linear_time(tmp_path: Path) -> None:
    # A pattern that starts with a hole ('?a \opa ?b') is tried at every factor of a formula; its hole used to scan
    # to the end of the formula each time: 20 such patterns over 20 blocks of 150 terms took 5.5 s, now 0.3 s.
    table = tmp_path / "t.notation.toml"
    table.write_text('[symbols]\na = "real"\nb = "real"\n[define]\n"f(u, v)" = "u + v"\n[latex]\n'
                     + "".join(f"'?a \\op{chr(97 + k)} ?b' = \"f(?a, ?b)\"\n" for k in range(20)), encoding="utf-8")
    notation = load_notation(table, "t.notation.toml")
    terms = " + ".join(["a"] * 150)
    text = "Answer 1.1\n\n" + f"$$ {terms} = {terms} $$\n" * 20 + f"$$ {terms} \\opc b = b $$\n"
    start = time.monotonic()
    _claims, sheet = read_sheet(text, "s.md", notation)
    assert time.monotonic() - start < 3
    chains = sheet.chains["q1.1"]
    assert len(chains) == 21 and all(e.reading == " + ".join(["a"] * 150) for e in chains[0])
    # The pattern took the whole sum before '\opc' as its first hole, and 'b' as its second.
    assert chains[-1][0].reading == f"f({terms}, b)"


def test_a_block_outside_every_answer_is_reported(notation: Notation) -> None:
    # After a heading that is not an answer's, or after a question's line, a block is in no answer: it is listed
    # (its line), never dropped without a word.
    text = "#### Answer 1.1\n$$a = a$$\n#### Remark\n$$2 = 3$$\n#### Answer 1.2\n$$b = b$$\n"
    claims, sheet = read_sheet(text, "s.md", notation)
    assert [c.id for c in claims] == ["q1.1", "q1.2"] and sheet.outside == [4]


def test_a_relation_with_nothing_before_it_in_its_answer_is_not_read(notation: Notation) -> None:
    # '= 3' and '&= 4' start their answers: no chain to continue (chains never cross answers). Both were dropped.
    text = ("#### Answer 1.1\n$$a + 1$$\n#### Answer 1.2\n$$= 3$$\n#### Answer 1.3\n"
            "$$\\begin{aligned} &= 4 \\end{aligned}$$\n")
    claims, sheet = read_sheet(text, "s.md", notation)
    assert [c.id for c in claims] == ["q1.2", "q1.3"]
    for cid in ("q1.2", "q1.3"):
        (chain,) = sheet.chains[cid]
        assert chain[0].reading is None and "nothing comes before it" in (chain[0].reason or "")


def test_a_sheet_with_math_outside_answers_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sheet = tmp_path / "h.md"
    sheet.write_text("#### Answer 1.1\n\n$$1 = 1$$\n\n#### Remark\n\n$$2 = 3$$\n", encoding="utf-8")
    main(["all", "--derivations", str(sheet)])
    out = capsys.readouterr()
    assert "outside any answer, not read: line 7" in out.out + out.err


def test_table_entries_that_match_nothing_and_skipped_blocks_are_named(tmp_path: Path) -> None:
    # A misspelt block key, a block number past the answer's blocks and a claim not on the sheet applied nothing,
    # without a word; a skipped block vanished from the report.
    table = tmp_path / "t.notation.toml"
    table.write_text('[symbols]\nx = "real"\n[claim."q1.7"]\nassume = ["x = 0"]\n'
                     '[claim."q1.1".block."Out diagnal"]\nassume = ["x = 0"]\n[claim."q1.2".block.3]\n'
                     'assume = ["x = 1"]\n[claim."q1.2".block.1]\nskip = true\n', encoding="utf-8")
    text = "#### Answer 1.1\nOut diagonal\n$$x = 0$$\n#### Answer 1.2\n$$x = 1$$\n"
    _claims, sheet = read_sheet(text, "s.md", load_notation(table, "t.notation.toml"))
    assert sheet.skipped == [5]
    assert sheet.unmatched == ['claim."q1.7"', 'claim."q1.1".block."Out diagnal"', 'claim."q1.2".block.3']


def test_a_sentence_that_starts_with_a_number_does_not_end_the_answer(notation: Notation) -> None:
    # "2.5 is the value ..." is the answer's own prose (a question starts "2.5 Show ..."); the block after it was
    # dropped without a word.
    text = "#### Answer 1.1\n\n$$a = a$$\n\n2.5 is the value of the first term, hence\n\n$$b = b$$\n"
    _claims, sheet = read_sheet(text, "s.md", notation)
    assert len(sheet.chains["q1.1"]) == 2 and sheet.outside == []


def test_a_sheet_whose_claims_are_in_error_is_not_summarized_as_clean() -> None:
    # Every claim of the sheet is in error (its table cannot be read): the summary names them, never "every step
    # read and none refuted".
    from verifier.frontend.sheet import Sheet, summarize, summary_lines
    from verifier.model import Claim, ClaimResult, Obligation, Outcome
    broken = ClaimResult(Claim("q1.1", "Answer 1.1", "s.md", 1), [
        Outcome(Obligation("step", "x = 1", 3), "error", message="s.notation.toml:4: unknown word")])
    built_nothing = ClaimResult(Claim("q1.2", "Answer 1.2", "s.md", None), [
        Outcome(Obligation("step", "x = 2", None), "error", message="s.notation.toml:4: unknown word")])
    summary = summarize({"s.md": Sheet("s.md")}, [broken, built_nothing])
    assert summary[0]["errors"] == [{"claim": "q1.1", "lines": [3]}, {"claim": "q1.2", "lines": []}]
    assert summary_lines(summary) == ["s.md: 2 claims; not built (error): q1.1 (line 3), q1.2"]


def test_math_the_page_may_not_show_is_reported_not_read(notation: Notation) -> None:
    # Red team r3s.13 and r3s.30: 7 = 8 inside \ifnum (TeX prints it or not as it typesets) and 1 = 2 inside
    # <div hidden> were read and refuted. Each is now one formula not read, at the conditional's (or element's) line
    # and column; the rest of the answer is checked.
    text = "\\section*{Answer 1.1}\n\\[ a = a \\]\n  \\ifnum0=1\n\\[ 7 = 8 \\]\n\\fi\n"
    _, sheet = read_sheet(text, "s.tex", notation)
    read, refused = sheet.chains["q1.1"]
    assert [e.reading for e in read] == ["a", "a"] and [e.reading for e in refused] == [None, None]
    assert "\\ifnum" in (refused[0].reason or "") and (refused[0].reason_line, refused[0].reason_col) == (3, 3)
    text = "#### Answer 1.1\n$$a = a$$\n<div hidden>\n\n$$1 = 2$$\n\n</div>\n"
    _, sheet = read_sheet(text, "s.md", notation)
    read, refused = sheet.chains["q1.1"]
    assert "hidden HTML element <div>" in (refused[0].reason or "") and refused[0].reason_line == 3


def test_math_in_code_is_not_read_and_its_lines_are_listed(notation: Notation) -> None:
    # Red team r3s.29: under "- item" (content at column 2) six spaces are indented code; the page shows the text.
    text = "#### Answer 1.1\n$$a = a$$\n- item\n\n      $$1 = 2$$\n\n[r]: /u \"$$3 = 4$$\"\n"
    _, sheet = read_sheet(text, "s.md", notation)
    assert [[e.reading for e in c] for c in sheet.chains["q1.1"]] == [["a", "a"]] and sheet.unshown == [5, 7]

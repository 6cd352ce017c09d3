"""Tests of a sheet's layout: decorations of a heading, line endings, text that is not mathematics (blanked in place,
so that lines and columns do not move), answers and display blocks, and the errors at their lines."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from verifier.errors import DerivationFileError
from verifier.frontend.layout import lay_out, printable, undecorated
from verifier.frontend.notation import Notation, load_notation


@pytest.fixture
def notation(tmp_path: Path) -> Notation:
    path = tmp_path / "t.notation.toml"
    path.write_text('[symbols]\na = "real"\n', encoding="utf-8")
    return load_notation(path, "t.notation.toml")


@pytest.mark.parametrize("line, body", [
    ("#### Answer 1.4", "Answer 1.4"),
    ("**Answer 5.3**:", "Answer 5.3"),
    ("__Answer 5.3__.", "Answer 5.3"),
    ("\\section*{Answer 2.4}", "Answer 2.4"),
    ("\\subsubsection{Answer 2}", "Answer 2"),
    ("  Answer 2.4  ", "Answer 2.4"),
    ("####### Answer 1", "# Answer 1"),      # at most six '#' are a Markdown heading
    # Punctuation inside the emphasis, words after it, one '*': these were no headings, so their math was charged
    # to the answer before (red-team finding r3s.2).
    ("**Answer 1.2.**", "Answer 1.2"),
    ("**Answer 1.3:**", "Answer 1.3"),
    ("**Answer 1.4** We have", "Answer 1.4"),
    ("*Answer 1.5*", "Answer 1.5"),
    ("_Answer 1.6:_ so", "Answer 1.6"),
    ("- **Answer 1.7**", "Answer 1.7"),
    # Markdown and LaTeX heading forms whose math was charged to the answer before (red team r3s.22, r3s.31).
    ("#### Answer 1.2 ####", "Answer 1.2"),
    ("# Answer 1.3 {#sec-a13}", "Answer 1.3"),
    ("#### [Answer 1.4](#a4)", "Answer 1.4"),
    (r"\section*{Answer~1.2}", "Answer 1.2"),
    (r"\section*{Answer\ 1.11}", "Answer 1.11"),
    (r"\noindent\textbf{Answer 1.3}", "Answer 1.3"),
    (r"\section*{\textbf{Answer 1.9}}", "Answer 1.9"),
    (r"\textbf{Answer 1.10.}", "Answer 1.10"),
    (r"{\bf Answer 1.5}", "Answer 1.5"),
    (r"\textit{Answer 1.6}", "Answer 1.6"),
    (r"\item[\textbf{Answer 1.7}]", "Answer 1.7"),
])
def test_undecorated(line: str, body: str) -> None:
    assert undecorated(line) == body


def test_undecorated_is_linear_on_a_word_spaces_and_a_word() -> None:
    start = time.monotonic()
    assert undecorated("Answer" + " " * 1_000_000 + "x") == "Answer" + " " * 1_000_000 + "x"
    assert time.monotonic() - start < 2


@pytest.mark.parametrize("ending", ["\n", "\r\n", "\r"])
def test_every_line_ending_counts(notation: Notation, ending: str) -> None:
    layout = lay_out(ending.join(["Answer 1.1", "", "$$a = a$$", ""]), "s.md", notation)
    assert [(a.number, a.line) for a in layout.answers] == [("1.1", 1)]
    assert [(b.line, b.content) for b in layout.blocks] == [(3, "a = a")]


def test_code_is_blanked_in_place(notation: Notation) -> None:
    text = "Answer 1.1\n```\n$$a = 2$$\n```\nsee `$$a = 3$$` and <!-- $$a = 4$$ -->\n$$a = a$$\n"
    layout = lay_out(text, "s.md", notation)
    assert len(layout.text) == len(text) and layout.text.count("\n") == text.count("\n")
    assert [b.content for b in layout.blocks] == ["a = a"]
    assert layout.blocks[0].line == 6


def test_a_backtick_run_without_its_match_is_only_backticks(notation: Notation) -> None:
    # Three backticks open inline code only if three close it in the same paragraph; a blank line ends it.
    layout = lay_out("Answer 1.1\na ``` b\n\n$$a = a$$ ``` \n", "s.md", notation)
    assert [b.content for b in layout.blocks] == ["a = a"]


def test_latex_comments_and_verbatim_are_blanked(notation: Notation) -> None:
    text = ("Answer 1.1\n50\\% of it % $$a = 2$$\n\\verb|$$a = 3$$|\n\\begin{verbatim}\n$$a = 4$$\n"
            "\\end{verbatim}\nA line\\\\[2pt] break.\n$$a = a$$\n")
    layout = lay_out(text, "s.tex", notation)
    assert [b.content for b in layout.blocks] == ["a = a"]


def test_an_answer_runs_to_the_next_heading_or_question(notation: Notation) -> None:
    text = "Answer 1.1\n$$a = a$$\n1.2 Show that\n$$a = 2$$\nAnswer 1.2\n$$a = 1$$\n"
    layout = lay_out(text, "s.md", notation)
    first, second = layout.answers
    assert [b.content for b in layout.blocks_of(first)] == ["a = a"]
    assert [b.content for b in layout.blocks_of(second)] == ["a = 1"]


@pytest.mark.parametrize("text, line, message", [
    ("Answer 1.1\n$$a = a\nAnswer 1.2\n$$a = 1$$\n", 2, "runs over the heading 'Answer 1.2' at line 3"),
    ("Answer 1.1\n\\[a = a\n", 2, "the display block opened here with \\[ is never closed (\\] is missing)"),
    ("Answer 1.1\n$$a = a$$\nAnswer 1.1\n$$a = 1$$\n", 3, "'Answer 1.1' is given twice (first at line 1)"),
    ("Answer 1.1\n```\n$$a = a$$\n", 2, "the code block opened here with ``` is never closed"),
    ("Answer 1.1\n<!-- $$a = a$$\n", 2, "the HTML comment opened here with <!-- is never closed"),
])
def test_what_cannot_be_laid_out_is_an_error_at_its_line(notation: Notation, text: str, line: int,
                                                        message: str) -> None:
    with pytest.raises(DerivationFileError) as info:
        lay_out(text, "s.md", notation)
    assert (info.value.file, info.value.line) == ("s.md", line)
    assert message in info.value.message


def test_a_tex_environment_never_closed_is_an_error(notation: Notation) -> None:
    with pytest.raises(DerivationFileError) as info:
        lay_out("Answer 1.1\n\\begin{comment}\n$$a = 2$$\n", "s.tex", notation)
    assert info.value.line == 2 and "comment opened here is never closed" in info.value.message


def test_a_long_line_of_openers_is_laid_out_in_linear_time(notation: Notation) -> None:
    start = time.monotonic()
    layout = lay_out("Answer 1.1\n" + "$$" * 19_000 + "\n", "s.md", notation)
    assert time.monotonic() - start < 3 and len(layout.blocks) == 9_500


def test_what_the_page_does_not_show_as_math_is_blanked(notation: Notation) -> None:
    # On the page: <pre> shows its text literally (MathJax and KaTeX skip it); TeX prints nothing between \iffalse
    # and \fi, nor after \end{document}. None of these blocks may be read.
    layout = lay_out("Answer 1.1\n<pre>\n$$a = 2$$\n</pre>\n$$a = a$$\n", "s.md", notation)
    assert [b.content for b in layout.blocks] == ["a = a"]
    text = ("\\section*{Answer 1.1}\n\\iffalse\n\\[ a = 2 \\]\n\\fi\n\\[ a = a \\]\n\\end{document}\n"
            "\\section*{Answer 1.2}\n\\[ a = 3 \\]\n")
    layout = lay_out(text, "s.tex", notation)
    assert [b.content.strip() for b in layout.blocks] == ["a = a"]


def test_blockquote_markers_are_not_math(notation: Notation) -> None:
    # '> ' opens each line of a Markdown quote: a marker, not the relation '>'; a heading in a quote is a heading.
    text = "> #### Answer 1.1\n>\n> $$\\begin{aligned}\n> 1 &= 1 \\\\\n> 2 &= 2\n> \\end{aligned}$$\n"
    layout = lay_out(text, "s.md", notation)
    assert [a.number for a in layout.answers] == ["1.1"]
    assert ">" not in layout.blocks[0].content and len(layout.text) == len(text)


@pytest.mark.parametrize("line, number", [("- #### Answer 1.5", "1.5"), ("#### Answer 1.2a", "1.2a"),
                                          ("\\textbf{Answer 1.3}", "1.3"), ("\\paragraph{Answer 1.4}", "1.4")])
def test_more_heading_forms(notation: Notation, line: str, number: str) -> None:
    layout = lay_out(f"{line}\n\n$$a = a$$\n", "s.md", notation)
    assert [a.number for a in layout.answers] == [number]


@pytest.mark.parametrize("env, body", [("alignat*", "{2}\n6 &= 7"), ("eqnarray", "6 &=& 7"),
                                       ("flalign*", "6 &= 7"), ("xalignat*", "{2}6 &= 7"),
                                       ("displaymath", "6 = 7"), ("dmath*", "6 = 7")])
def test_more_display_environments_are_blocks(notation: Notation, env: str, body: str) -> None:
    # Each was dropped without a word before: its equation vanished from the report.
    layout = lay_out(f"Answer 1.1\n\\begin{{{env}}}{body}\n\\end{{{env}}}\n", "s.md", notation)
    (block,) = layout.blocks
    assert block.content.split() in (["6", "&=", "7"], ["6", "=", "7"])


def test_an_escaped_dollar_opens_no_display_block(notation: Notation) -> None:
    # \$ prints a dollar sign: "\$$4 = 5$$" is a dollar, inline math $4 = 5$ and a dollar; it was read as a display.
    layout = lay_out("Answer 1.1\nCosts \\$$4 = 5$$ each.\n\n$$a = a$$\n", "s.md", notation)
    assert [b.content for b in layout.blocks] == ["a = a"]


def test_an_indented_code_block_is_not_math(notation: Notation) -> None:
    # Four spaces after a blank line make a code block in Markdown: the page shows the text "$$2 + 2 = 5$$". In a
    # list item the same indentation is the item's content, and its math is read.
    layout = lay_out("Answer 1.1\n\n    $$2 + 2 = 5$$\n\n$$a = a$$\n", "s.md", notation)
    assert [b.content for b in layout.blocks] == ["a = a"]
    layout = lay_out("Answer 1.1\n\n- first\n\n    $$b = b$$\n", "s.md", notation)
    assert [b.content for b in layout.blocks] == ["b = b"]
    layout = lay_out("Answer 1.1\n$$\n    a = a\n$$\n", "s.md", notation)
    assert [b.content.strip() for b in layout.blocks] == ["a = a"]


def test_an_emphasised_heading_with_punctuation_starts_its_answer(notation: Notation) -> None:
    # Each block belongs to the answer whose heading is above it; all were charged to answer 1.1 (r3s.2).
    text = ("#### Answer 1.1\n$$1 = 1$$\n**Answer 1.2.**\n$$2 = 3$$\n**Answer 1.4** We have\n$$6 = 7$$\n"
            "*Answer 1.5*\n$$8 = 9$$\n")
    layout = lay_out(text, "s.md", notation)
    assert [(a.number, [b.line for b in layout.blocks_of(a)]) for a in layout.answers] == [
        ("1.1", [2]), ("1.2", [4]), ("1.4", [6]), ("1.5", [8])]


def test_printable_escapes_every_control_character_and_keeps_the_rest() -> None:
    # C0 (but tab and line feed), DEL and C1 are written \xNN; letters, spaces and non-ASCII letters stay.
    assert printable("a\x1b[2K\x07 b\x7f\x9b\tç") == "a\\x1b[2K\\x07 b\\x7f\\x9b\tç"


def test_the_branch_of_a_conditional_that_tex_prints(notation: Notation) -> None:
    # Red team r3s.13: the printed \else of \iffalse was dropped (2 = 3, false, never checked), the \else of \iftrue
    # that TeX skips was read (5 = 6 refuted), and a nested \if..\fi ended \iffalse early (7 = 8 read).
    text = ("\\section*{Answer 1.1}\n\\iffalse\n\\[ 1 = 1 \\]\n\\else\n\\[ 2 = 3 \\]\n\\fi\n"
            "\\iftrue \\[ 4 = 4 \\] \\else \\[ 5 = 6 \\] % c\n\\fi\n"
            "\\iffalse \\ifx\\a\\b \\fi \\[ 7 = 8 \\] \\fi\n"
            "\\newif\\ifshow \\iffalse \\newif\\ifq \\[ 9 = 10 \\] \\fi\n")
    layout = lay_out(text, "s.tex", notation)
    assert [b.content.strip() for b in layout.blocks] == ["2 = 3", "4 = 4"]
    with pytest.raises(DerivationFileError, match="never closed"):
        lay_out("\\section*{Answer 1.1}\n\\iftrue \\ifx a b \\fi\n\\[ 1 = 1 \\]\n", "s.tex", notation)


def test_more_verbatim_like_constructs_are_not_math(notation: Notation) -> None:
    # Red team r3s.34: fancyvrb's Verbatim, \lstinline, \mintinline and \url print their text as code or a URL;
    # the math inside was read and refuted.
    text = ("\\section*{Answer 1.1}\n\\begin{Verbatim}\n\\[ 2 = 3 \\]\n\\end{Verbatim}\n\\begin{BVerbatim*}\n"
            "\\[ 3 = 4 \\]\n\\end{BVerbatim*}\n\\lstinline|\\[ 5 = 6 \\]| \\url{\\[ 8 = 9 \\]}\n"
            "\\mintinline{latex}{\\[ 14 = 15 \\]} \\lstinline[language=TeX]!\\[ 1 = 2 \\]!\n\\[ a = a \\]\n")
    layout = lay_out(text, "s.tex", notation)
    assert [b.content.strip() for b in layout.blocks] == ["a = a"]

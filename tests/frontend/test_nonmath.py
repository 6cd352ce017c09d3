r"""Tests of what a sheet's page does not show as mathematics (blanked in place) and what it may or may not show
(refused): Markdown by CommonMark's block structure, LaTeX by what TeX prints.

The truths here are CommonMark's (https://spec.commonmark.org, 0.31: list items' content column, indented code,
fenced code in list items, link reference definitions; each case also rendered with markdown-it, which follows the
spec) and TeX's (a conditional other than \iffalse/\iftrue prints the branch its test selects as it typesets)."""

from __future__ import annotations

import re
import time

import pytest

from verifier.errors import DerivationFileError
from verifier.frontend.nonmath import Visible, blank_markdown, blank_tex


def _fail(message: str, offset: int) -> DerivationFileError:
    return DerivationFileError(message, file="s", line=offset)


def _markdown(text: str) -> Visible:
    starts = [0] + [m.end() for m in re.finditer("\n", text)]
    visible = blank_markdown(text, starts, _fail)
    assert len(visible.text) == len(text) and visible.text.count("\n") == text.count("\n")   # nothing moves
    return visible


def _math(visible: Visible) -> list[str]:
    """The display math left to read, in order."""
    return re.findall(r"\$\$(.*?)\$\$", visible.text, re.DOTALL)


# Math the page shows: each is read.
@pytest.mark.parametrize("text", [
    "- item\n\n  $$a = a$$\n",             # the item's content column is 2: its own paragraph
    "- item\n\n    $$a = a$$\n",           # 2 columns past the content column: still a paragraph (not 4)
    "1. step\n\n   $$a = a$$\n",           # '1. ' puts the content at column 3
    "1. step\n\n      $$a = a$$\n",        # 3 past it
    "- a\n  - b\n\n    $$a = a$$\n",       # the nested item's content column is 4
    "- a\n\n\t$$a = a$$\n",                # a tab reaches column 4: 2 past the content column
    "text\n    $$a = a$$\n",               # indented code cannot interrupt a paragraph (spec example 113)
    "- item\n$$a = a$$\n",                 # a lazy continuation line of the item's paragraph
    "- item\n      $$a = a$$\n",           # no blank line: the paragraph goes on, however deep
    "text\n[id]: /url\n$$a = a$$\n",       # a link definition cannot interrupt a paragraph: this is text
    "[id] and $$a = a$$\n",                # no colon: a shortcut reference, not a definition
    "[1]: $$a = a$$ is shown\n",           # text after the destination that is no title: no definition
    '[id]: /url "t" $$a = a$$\n',          # text after the title: no definition either
    "- item\n\n  ```\n  code\n  ```\n\n  $$a = a$$\n",     # after the item's fence closes
    "<div>\n\n$$a = a$$\n\n</div>\n",      # HTML that does not hide: MathJax typesets what is inside
    "<img hidden> $$a = a$$\n",            # a void element hides only itself
])
def test_math_the_page_shows_is_read(text: str) -> None:
    visible = _markdown(text)
    assert _math(visible) == ["a = a"] and not visible.refused


# Text the page shows literally (code) or not at all (a link definition): none of it may be read. Red team
# r3s.29 (the first two: indented code inside list items was read as math and refuted) and r3s.30 (a title).
@pytest.mark.parametrize("text", [
    "- item\n\n      $$1 = 2$$\n",         # 4 columns past the item's content column 2: indented code
    "1. step\n\n       $$1 = 2$$\n",       # 4 past column 3
    "- a\n  - b\n\n        $$1 = 2$$\n",   # 4 past the nested item's column 4
    "-      $$1 = 2$$\n",                  # 5+ spaces after the marker: the item starts with indented code
    "\n    $$1 = 2$$\n",                   # indented code outside any list
    "\n\t$$1 = 2$$\n",                     # a tab is 4 columns
    "- item\n\n  ```\n  $$1 = 2$$\n  ```\n",            # a fence inside the item
    "1. step\n\n    ```\n    $$1 = 2$$\n    ```\n",     # the item's fence at column 4 (1 past its content)
    "- item\n\n  ```\n  $$1 = 2$$\nafter\n",            # a fence left open ends with its item
    "[id]: https://example.com \"$$1 = 2$$\"\n",       # a title is never shown
    "[id]: /url\n  \"$$1 = 2$$\"\n",                   # the title on the next line
    "[id]: /url '$$1 =\n2$$'\n",                       # a title over two lines
    "- [id]: /url ($$1 = 2$$)\n",                      # a definition in a list item
    "> [id]: /url \"$$1 = 2$$\"\n",                    # in a quote
])
def test_code_and_link_definitions_are_not_read(text: str) -> None:
    visible = _markdown(text + "\n$$a = a$$\n")
    assert _math(visible) == ["a = a"]


@pytest.mark.parametrize("text, hidden", [
    ("<div hidden>\n\n$$1 = 2$$\n\n</div>\n$$a = a$$\n", "1 = 2"),           # red team r3s.30
    ('<p style="display: none">$$1 = 2$$</p> $$a = a$$\n', "1 = 2"),
    ("<DIV HIDDEN><div>x</div>$$1 = 2$$</div> $$a = a$$\n", "1 = 2"),       # nested, any case
    ('<span style="visibility:hidden">$$1 = 2$$</span>$$a = a$$\n', "1 = 2"),
    ("<template>\n$$1 = 2$$\n</template>\n$$a = a$$\n", "1 = 2"),         # inert: never rendered
    ("<noscript>$$1 = 2$$</noscript> $$a = a$$\n", "1 = 2"),              # shown only without scripts (MathJax)
])
def test_math_in_a_hidden_element_is_refused(text: str, hidden: str) -> None:
    # The page may hide it (or a script may show it): not read, and reported as such by the sheet.
    visible = _markdown(text)
    assert _math(visible) == [hidden, "a = a"]
    (refusal,) = visible.refused
    inside, outside = text.index(hidden), text.index("a = a")
    assert visible.refusal(inside) == refusal and visible.refusal(outside) is None
    assert "hidden HTML element" in refusal.reason and text[refusal.at] == "<"


@pytest.mark.parametrize("text, message", [
    ("<div hidden>\n$$1 = 2$$\n", "the hidden HTML element <div> opened here is never closed"),
    ("```\n$$1 = 2$$\n", "the code block opened here with ``` is never closed"),
    ("- a\n\n  ~~~~\n  $$1 = 2$$\n", "the code block opened here with ~~~~ is never closed"),
])
def test_what_never_closes_is_an_error(text: str, message: str) -> None:
    with pytest.raises(DerivationFileError, match=re.escape(message)):
        _markdown(text)


def test_markdown_is_read_in_linear_time() -> None:
    # Deep nesting on one line, many items, many definitions and tags: each was a quadratic risk.
    for text in ("- " * 50_000 + "$$a$$\n", "- a\n" * 50_000, "  " * 20_000 + "- a\n" * 2, "[a]: b\n" * 50_000,
                 "<div hidden></div>" * 20_000, "<b " * 50_000):
        start = time.monotonic()
        _markdown(text)
        assert time.monotonic() - start < 3, text[:20]


def _tex(text: str) -> Visible:
    visible = blank_tex(text, _fail)
    assert len(visible.text) == len(text)
    return visible


def _blocks(visible: Visible) -> list[str]:
    return [b.strip() for b in re.findall(r"\\\[(.*?)\\\]", visible.text, re.DOTALL)]


@pytest.mark.parametrize("text, word", [
    ("\\ifnum0=1\n\\[ 7 = 8 \\]\n\\fi\n", "\\ifnum"),                          # red team r3s.13
    ("\\newif\\ifshow\n\\showfalse\n\\ifshow\n\\[ 7 = 8 \\]\n\\fi\n", "\\ifshow"),   # r3s.13: a \newif flag
    ("\\ifx\\a\\b \\[ 7 = 8 \\] \\else \\[ 9 = 9 \\] \\fi\n", "\\ifx"),           # either branch
    ("\\ifthenelse{\\boolean{x}}{\\[ 7 = 8 \\]}{}\n", "\\ifthenelse"),           # ifthen's: no \fi
    ("\\iftrue \\ifodd1 \\[ 7 = 8 \\] \\fi \\fi\n", "\\ifodd"),                  # in a branch TeX prints
    ("\\ifdim1pt<2pt \\ifnum1=1 \\[ 7 = 8 \\] \\fi \\fi\n", "\\ifdim"),          # nested: the outermost
])
def test_a_conditional_tex_decides_as_it_typesets_is_refused(text: str, word: str) -> None:
    visible = _tex(text + "\\[ a = a \\]\n")
    (refusal,) = visible.refused
    assert text[refusal.at:].startswith(word) and word in refusal.reason
    assert visible.refusal(text.index("7 = 8")) == refusal
    assert visible.refusal(len(text) + 3) is None and _blocks(visible)[-1] == "a = a"


@pytest.mark.parametrize("text, shown", [
    ("\\[ a \\iff b \\]\n", ["a \\iff b"]),                     # \iff is a relation, not a conditional
    ("\\iffalse \\[ a \\iff b \\] \\fi \\[ a = a \\]\n", ["a = a"]),     # ... nor does it nest in \iffalse
    ("\\newif\\ifshow \\[ a = a \\]\n", ["a = a"]),               # declaring a flag prints nothing
    ("\\iffalse \\ifnum1=1 \\[ 7 = 8 \\] \\fi \\fi \\[ a = a \\]\n", ["a = a"]),     # in a skipped branch
])
def test_what_is_not_a_conditional_to_refuse(text: str, shown: list[str]) -> None:
    visible = _tex(text)
    assert _blocks(visible) == shown and not visible.refused


@pytest.mark.parametrize("text", ["\\ifnum1=1 \\[ a = a \\]\n", "\\ifthenelse{x}{\\[ a = a \\]}\n"])
def test_a_conditional_never_closed_is_an_error(text: str) -> None:
    with pytest.raises(DerivationFileError, match=r"never closed|three arguments"):
        _tex(text)


def test_tex_conditionals_are_paired_in_linear_time() -> None:
    for text in ("\\ifnum1=1 " * 30_000 + "\\fi " * 30_000, "\\ifthenelse{" * 30_000 + "}{}{}" * 30_000):
        start = time.monotonic()
        _tex(text)
        assert time.monotonic() - start < 3, text[:20]

r"""What of a sheet the page does not show as mathematics, and what it shows only under conditions no reader of the
file can know.

Each is found in one pass, linear in the sheet's length, and blanked in place (line endings kept, so that lines and
columns do not move):

- Markdown, following CommonMark's block structure (https://spec.commonmark.org): fenced code and indented code
  (four columns beyond the content column of the list item that holds the line, so that an item's own content,
  indented under its marker, is still read), link reference definitions (``[id]: url "title"`` is never shown),
  inline code, HTML comments and ``<pre>``, ``<script>``, ``<style>`` and ``<textarea>`` (MathJax skips them);
- LaTeX: comments, ``\verb`` and verbatim-like environments, the branch of ``\iffalse``/``\iftrue`` that TeX does
  not print, and everything after ``\end{document}``.

What the page may or may not show is *refused* rather than guessed: a display block inside an HTML element that
hides it (the ``hidden`` attribute, ``display: none``, a ``<template>`` or ``<noscript>``), or inside a TeX
conditional other than ``\iffalse``/``\iftrue`` (``\ifnum``, ``\ifx``, a ``\newif`` flag, ``\ifthenelse`` ...),
whose branch depends on what TeX computes as it typesets. A refusal is a region with its reason and where it
starts; the sheet reports each block in it as not read.
A construct never closed is an error at its opener.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass

from verifier.errors import DerivationFileError

__all__ = ["Fail", "Refusal", "Visible", "blank", "blank_markdown", "blank_tex"]

#: An error at an offset of the sheet.
Fail = Callable[[str, int], DerivationFileError]


@dataclass(frozen=True)
class Refusal:
    """A region (offsets ``start`` to ``stop``) whose display blocks are not read: why, and where that starts."""

    start: int
    stop: int
    reason: str
    at: int


@dataclass(frozen=True)
class Visible:
    """A sheet's text with what is not mathematics blanked, and the regions refused (outermost only, in order)."""

    text: str
    refused: list[Refusal]

    def refusal(self, offset: int) -> Refusal | None:
        """The refused region holding ``offset``, if any."""
        k = bisect.bisect_right(self.refused, offset, key=lambda r: r.start) - 1
        return self.refused[k] if k >= 0 and offset < self.refused[k].stop else None


def blank(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` with every span (in order, not overlapping) made spaces, line endings kept."""
    if not spans:
        return text
    out: list[str] = []
    at = 0
    for start, stop in spans:
        out.append(text[at:start])
        out.append(_NOT_NEWLINE.sub(" ", text[start:stop]))
        at = stop
    out.append(text[at:])
    return "".join(out)


def _outermost(regions: list[Refusal]) -> list[Refusal]:
    out: list[Refusal] = []
    for r in sorted(regions, key=lambda r: (r.start, -r.stop)):
        if not out or r.start >= out[-1].stop:
            out.append(r)
    return out


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, stop in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], stop))
        else:
            merged.append((start, stop))
    return merged


_NOT_NEWLINE = re.compile(r"[^\n]")

# --- Markdown ---------------------------------------------------------------------------------------------------

#: HTML the page does not show as mathematics (MathJax skips these tags), and what closes each.
_SKIPPED_TAGS = {"<!--": "-->", "<pre>": "</pre>", "<script": "</script>", "<style": "</style>",
                 "<textarea": "</textarea>"}
_QUOTE = re.compile(r"(?:[ \t]{0,3}>[ \t]?)+")
_BACKTICKS_OR_BLANK = re.compile(r"`+|\n[ \t]*(?=\n)")
_MARKER = re.compile(r"(?:[-*+]|(\d{1,9})[.)])(?=[ \t]|$)")
_FENCE = re.compile(r"`{3,}|~{3,}")
_ATX = re.compile(r"#{1,6}(?:[ \t]|$)")
_LINK_DEFINITION = re.compile(r"\[(?:[^\[\]\\]|\\.){1,999}\]:[ \t]*(?:<[^<>]*>|\S+)?[ \t]*")
_TITLE_CLOSER = {'"': '"', "'": "'", "(": ")"}
_TAG = re.compile(r"<([A-Za-z][A-Za-z0-9-]{0,40})((?:[ \t\n][^<>]{0,2000})?)>")
_HIDING = re.compile(r"(?:^|[ \t\n])hidden(?:[ \t\n=]|$)|display[ \t]*:[ \t]*none|visibility[ \t]*:[ \t]*hidden",
                     re.IGNORECASE)
#: Elements whose content is never rendered while scripts run (MathJax is one).
_INERT = {"template", "noscript"}
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


def blank_markdown(text: str, starts: list[int], fail: Fail) -> Visible:
    """A Markdown sheet's text as the page shows it to a reader of mathematics (see the module's docstring)."""
    spans: list[tuple[int, int]] = []
    for start in starts:
        quote = _QUOTE.match(text, start)
        if quote and quote.end() > start:
            spans.append((start, quote.end()))
    text = blank(text, spans)
    text = blank(text, _markdown_blocks(text, starts, fail))
    spans = []
    pos = 0
    ahead: dict[str, int | None] = {opener: None for opener in ("`", *_SKIPPED_TAGS)}   # where each is next
    while True:
        for opener, at in ahead.items():
            if at is None or 0 <= at < pos:     # each found again only once passed: linear in the text
                ahead[opener] = text.find(opener, pos)
        found = [(at, opener) for opener, at in ahead.items() if at is not None and at >= 0]
        if not found:
            break
        at, opener = min(found)
        if opener != "`":
            closer = _SKIPPED_TAGS[opener]
            end = text.find(closer, at + len(opener))
            if end < 0:
                what = "HTML comment" if opener == "<!--" else "HTML block"
                raise fail(f"the {what} opened here with {opener} is never closed", at)
            spans.append((at, end + len(closer)))
            pos = end + len(closer)
            continue
        pos = _code_span(text, at, spans)
    text = blank(text, spans)
    return Visible(text, _hidden_elements(text, fail))


def _indentation(line: str, col: int = 0, k: int = 0) -> tuple[int, int]:
    """The column and the index of the first character of ``line`` from ``k`` on that is not a space or a tab
    (tabs stop every four columns), counting from column ``col``."""
    while k < len(line) and line[k] in " \t":
        col += 4 - col % 4 if line[k] == "\t" else 1
        k += 1
    return col, k


def _thematic_break(rest: str) -> bool:
    marks = rest.replace(" ", "").replace("\t", "")
    return len(marks) >= 3 and marks[0] in "-*_" and marks == marks[0] * len(marks)


def _markdown_blocks(text: str, starts: list[int], fail: Fail) -> list[tuple[int, int]]:
    """The spans of fenced code, indented code and link reference definitions: one pass over the lines, following
    the content columns of the open list items (a line indented up to an item's content column is in it; a
    paragraph's continuation keeps the items open without it, and never starts code)."""
    spans: list[tuple[int, int]] = []
    items: list[int] = []       # content columns of the open list items, outermost first
    para = False                # the line before is a paragraph's text
    fence: tuple[str, int, int, int, int] | None = None    # character, length, items, offset, column of an open one
    title: str | None = None    # a link definition's title to come: its closing character ("?": may follow)
    for n, start in enumerate(starts):
        stop = starts[n + 1] - 1 if n + 1 < len(starts) else len(text)
        line = text[start:stop]
        col, k = _indentation(line)
        blank_line = k == len(line)
        depth = bisect.bisect_right(items, col)
        if fence is not None:
            char, length, held, opened, column = fence
            if blank_line or depth >= held:
                run = line[k:].rstrip(" \t")
                if col - column < 4 and len(run) >= length and run == char * len(run):
                    spans.append((opened, stop))
                    fence = None
                continue
            spans.append((opened, start - 1))    # its list item ends, and the code with it
            fence = None
        if title is not None:
            rest = line[k:]
            if title == "?" and rest[:1] in _TITLE_CLOSER:
                title = _TITLE_CLOSER[rest[0]]
                rest = rest[1:]
            if title != "?" and not blank_line:
                spans.append((start, stop))
                title = None if title in rest else title
                continue
            title = None
        if blank_line:
            para = False
            continue
        base = items[depth - 1] if depth else 0
        if col - base >= 4:
            if not para:        # indented code; a paragraph's (lazy) continuation otherwise
                del items[depth:]
                spans.append((start, stop))
            continue
        rest = line[k:]
        ruled = _thematic_break(rest)
        marker = None if ruled else _MARKER.match(line, k)
        if marker and para and (marker.group(1) not in (None, "1") or not line[marker.end():].strip()):
            marker = None       # these never interrupt a paragraph
        if para and depth < len(items) and not (marker or ruled or _ATX.match(rest) or _FENCE.match(rest)):
            continue            # a lazy continuation line: the items stay open
        del items[depth:]
        while marker:           # a list item's marker, and those of the items it opens on its line (- - a)
            after_marker = col + marker.end() - k
            after, k = _indentation(line, after_marker, marker.end())
            if k == len(line):             # an item that starts empty
                items.append(after_marker + 1)
                break
            if after - after_marker > 4:    # an item that starts with indented code
                items.append(after_marker + 1)
                spans.append((start + k, stop))
                k = len(line)
                break
            items.append(after)
            col = after
            marker = _MARKER.match(line, k)
        rest = line[k:]
        if not rest:
            para = False
            continue
        if (f := _FENCE.match(rest)) is not None and not (f.group()[0] == "`" and "`" in rest[f.end():]):
            fence = (f.group()[0], len(f.group()), len(items), start, col)
            para = False
            continue
        if not para and (d := _LINK_DEFINITION.match(rest)) is not None \
                and (left := _after_destination(rest[d.end():])) != "":
            spans.append((start, stop))
            title = left
            continue
        para = not (_ATX.match(rest) or _thematic_break(rest))
    if fence is not None:
        raise fail(f"the code block opened here with {fence[0] * fence[1]} is never closed", fence[3])
    return _merged(spans)


def _after_destination(after: str) -> str | None:
    """What a link reference definition leaves open after its destination (``after``, its spaces skipped):
    ``None`` when it is complete, ``"?"`` when a title may follow on the next line, the closing character of a
    title that goes on; ``""`` when ``after`` is no title, so that the line is no definition (it is shown)."""
    if not after:
        return "?"
    closer = _TITLE_CLOSER.get(after[0])
    if closer is None:
        return ""
    end = after.find(closer, 1)
    if end < 0:
        return closer
    return None if not after[end + 1:].strip() else ""


def _code_span(text: str, tick: int, spans: list[tuple[int, int]]) -> int:
    """Inline code opened by the run of backticks at ``tick``: closed by the next run as long, in the same paragraph
    (else the run is only backticks). Records the span; returns where to go on."""
    opener = _BACKTICKS_OR_BLANK.match(text, tick)
    assert opener is not None
    length = len(opener.group())
    for m in _BACKTICKS_OR_BLANK.finditer(text, opener.end()):
        if m.group().startswith("\n"):
            return opener.end()
        if len(m.group()) == length:
            spans.append((tick, m.end()))
            return m.end()
    return opener.end()


def _hidden_elements(text: str, fail: Fail) -> list[Refusal]:
    """The HTML elements the page hides (``hidden``, ``display: none``, ``visibility: hidden``), each from its
    opening tag to its closing one (elements of the same name nest inside)."""
    out: list[Refusal] = []
    pos = 0
    while (tag := _TAG.search(text, pos)) is not None:
        pos = tag.end()
        name = tag.group(1).lower()
        if name in _VOID or tag.group(2).rstrip().endswith("/") or not (
                name in _INERT or _HIDING.search(tag.group(2))):
            continue
        depth = 1
        same = re.compile(rf"<(/?){re.escape(name)}(?=[\s/>])", re.IGNORECASE)
        for m in same.finditer(text, tag.end()):
            depth += -1 if m.group(1) else 1
            if depth == 0:
                break
        else:
            raise fail(f"the hidden HTML element <{name}> opened here is never closed", tag.start())
        end = text.find(">", m.end())
        pos = len(text) if end < 0 else end + 1
        out.append(Refusal(tag.start(), pos, f"inside the hidden HTML element <{name}>, which the page does not "
                           "show", tag.start()))
    return out


# --- LaTeX ------------------------------------------------------------------------------------------------------

_TEX_SPECIAL = re.compile(r"%|\\begin\{(verbatim|comment|lstlisting|minted|[BL]?Verbatim|filecontents)(\*?)\}"
                          r"|\\(?:verb\*?|lstinline(?:\[[^\]\n]*\])?|mintinline\{[^{}\n]*\}|url|path)(?![A-Za-z])"
                          r"|\\if(?:false|true)(?![A-Za-z])|\\end\{document\}|\\newif\s*\\[A-Za-z]*"
                          r"|\\if(?!f(?![A-Za-z]))[A-Za-z]*|\\.", re.DOTALL)
#: The words that open, divide and close a conditional; ``\iff`` (a relation) opens none, ``\ifthenelse`` (a
#: command with arguments) none that ``\fi`` closes.
_TEX_CONDITIONAL = re.compile(r"(\\newif\s*)?\\(if(?!f(?![A-Za-z])|thenelse(?![A-Za-z]))[A-Za-z]*|else|fi)"
                              r"(?![A-Za-z])")
_BRACES = re.compile(r"\\.|[{}]", re.DOTALL)


def blank_tex(text: str, fail: Fail) -> Visible:
    r"""A LaTeX sheet's text as TeX prints it to a reader of mathematics (see the module's docstring)."""
    spans: list[tuple[int, int]] = []
    refused: list[Refusal] = []
    pairs = _pairs(text)
    pos = 0
    while (m := _TEX_SPECIAL.search(text, pos)) is not None:
        word = m.group()
        if word == "%":
            end = text.find("\n", m.start())
            end = len(text) if end < 0 else end
        elif word in ("\\iffalse", "\\iftrue"):
            pos = _branches(pairs, m, spans, fail)
            continue
        elif word.startswith("\\if"):     # read on inside (comments, verbatim), except \ifthenelse's arguments
            refused.append(_conditional(text, pairs, m, fail))
            pos = refused[-1].stop if word == "\\ifthenelse" else m.end()
            continue
        elif word == "\\end{document}":
            end = len(text)
        elif m.group(1):
            closer = f"\\end{{{m.group(1)}{m.group(2)}}}"
            end = text.find(closer, m.end())
            if end < 0:
                raise fail(f"the environment {m.group(1)}{m.group(2)} opened here is never closed", m.start())
            end += len(closer)
        elif word.startswith(("\\verb", "\\lstinline", "\\mintinline", "\\url", "\\path")) and m.end() < len(text):
            delimiter = "}" if text[m.end()] == "{" else text[m.end()]     # \url{..}, \lstinline|..|
            end = text.find(delimiter, m.end() + 1)
            line_end = text.find("\n", m.end())
            if end < 0 or 0 <= line_end < end:
                raise fail(f"{word.split('[')[0].split('{')[0]} is not closed on its line", m.start())
            end += 1
        else:
            pos = m.end()
            continue
        spans.append((m.start(), end))
        pos = end
    return Visible(blank(text, _merged(spans)), _outermost(refused))   # \iftrue's skipped branch holds spans


def _branches(pairs: Pairs, opening: re.Match[str], spans: list[tuple[int, int]], fail: Fail) -> int:
    r"""The branch of ``\iffalse ... \else ... \fi`` (or ``\iftrue``) that TeX does not print, with the three
    words, added to ``spans`` (conditionals nest inside it); where to go on reading (the printed branch)."""
    middle, t = _closing(pairs, opening, fail)
    if opening.group() == "\\iffalse":
        spans.append((opening.start(), middle.end() if middle else t.end()))
        spans.extend([(t.start(), t.end())] if middle else [])
        return middle.end() if middle else t.end()
    spans.append((opening.start(), opening.end()))
    spans.append((middle.start() if middle else t.start(), t.end()))
    return opening.end()


Pairs = dict[int, tuple[re.Match[str] | None, re.Match[str]]]


def _pairs(text: str) -> Pairs:
    r"""For each conditional of the text (by the offset of its opening word), its ``\else`` (if any) and its
    ``\fi``, paired in one pass (conditionals nest)."""
    pairs: Pairs = {}
    open_: list[list[re.Match[str] | None]] = []     # [opening, its \else] of each conditional open
    for t in _TEX_CONDITIONAL.finditer(text):
        word = t.group(2)
        if word.startswith("if") and not t.group(1):
            open_.append([t, None])
        elif word == "else" and open_:
            open_[-1][1] = t
        elif word == "fi" and open_:
            opening, middle = open_.pop()
            assert opening is not None
            pairs[opening.start()] = (middle, t)
    return pairs


def _closing(pairs: Pairs, opening: re.Match[str], fail: Fail) -> tuple[re.Match[str] | None, re.Match[str]]:
    r"""The ``\else`` (if any) and the ``\fi`` of the conditional opened at ``opening``."""
    if opening.start() not in pairs:
        raise fail(f"{opening.group()} is never closed (\\fi is missing)", opening.start())
    return pairs[opening.start()]


def _conditional(text: str, pairs: Pairs, opening: re.Match[str], fail: Fail) -> Refusal:
    r"""The region of a conditional whose branch TeX chooses as it typesets: to its ``\fi``, or for
    ``\ifthenelse`` to the end of its three arguments."""
    word = opening.group()
    reason = (f"inside {word}, whose branch TeX chooses as it typesets (what the page shows there depends on it, "
              "and is not guessed)")
    if word != "\\ifthenelse":
        return Refusal(opening.start(), _closing(pairs, opening, fail)[1].end(), reason, opening.start())
    depth, groups, end = 0, 0, opening.end()
    for b in _BRACES.finditer(text, opening.end()):
        if b.group() == "{":
            depth += 1
        elif b.group() == "}":
            depth -= 1
            if depth == 0:
                groups += 1
                end = b.end()
                if groups == 3:
                    break
    else:
        raise fail("\\ifthenelse is not followed by its three arguments", opening.start())
    return Refusal(opening.start(), end, reason, opening.start())

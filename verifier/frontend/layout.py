r"""Where the answers of a sheet are: its lines, the text that is not mathematics, the answer headings, the display
blocks and the answer each block belongs to.

A sheet is input nobody on the course staff wrote, so every step here is linear in the sheet's length (no regular
expression of the project's own backtracks on any line), a table's own patterns (``heading``, ``stop``) run in a
child process with a time limit, and what cannot be laid out is an error at its line, never a silent loss:

- every line ending counts (``\n``, ``\r\n``, ``\r``);
- code is not mathematics: in Markdown, fenced code blocks, inline code and HTML comments; in LaTeX, comments,
  ``\verb`` and verbatim-like environments; a fence, comment or environment never closed is an error;
- a display block never closed, or running over an answer heading (a ``$$`` forgotten), is an error at its line;
- an answer heading given twice (a student answering twice) is an error at the second, naming the first;
- more answers than :data:`MAX_ANSWERS`, or display blocks than :data:`MAX_BLOCKS`, is an error.
"""

from __future__ import annotations

import bisect
import multiprocessing as mp
import os
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection

from verifier.errors import DerivationFileError
from verifier.frontend.notation import Notation
from verifier.printable import printable

__all__ = ["MAX_ANSWERS", "MAX_BLOCKS", "PATTERN_SECONDS", "Answer", "Block", "Layout", "lay_out", "undecorated"]

#: Answers (headings) of one sheet; display blocks of one sheet.
MAX_ANSWERS = 2_000
MAX_BLOCKS = 20_000
#: Time a notation table's own ``heading`` and ``stop`` patterns may take over one sheet, in seconds.
PATTERN_SECONDS = 3.0

_OPENER = re.compile(r"\$\$|\\\[|\\begin\{((?:equation|align|gather|multline|flalign|x{0,2}alignat|eqnarray|displaymath"
                     r"|dmath|dgroup)\*?)\}")
_SECTION = re.compile(r"\\(?:(?:sub)*section|(?:sub)?paragraph|textbf)\*?\{")
_COLUMNS = re.compile(r"[ \t]*\{[ \t]*\d+[ \t]*\}")
_LIST_ITEM = re.compile(r"(?:[-*+]|\d{1,9}[.)])[ \t]+")
_TEX_SPACE = re.compile(r"~|\\[ ,;]")
_TEX_ITEM = re.compile(r"\\item\s*\[")
_TEX_FONT = re.compile(r"\s*(?:\\noindent\b|\\(?:textbf|textit|emph|textsc|underline)\s*\{|"
                       r"\{\s*\\(?:bf|it|em|sc)\b)\s*")
#: HTML the page does not show as mathematics (MathJax skips these tags), and what closes each.
_HIDDEN = {"<!--": "-->", "<pre>": "</pre>", "<script": "</script>", "<style": "</style>", "<textarea": "</textarea>"}
_LINK = re.compile(r"\[([^\[\]]*)\]\([^()]*\)")
_QUOTE = re.compile(r"(?:[ \t]{0,3}>[ \t]?)+")
_CLAIM_NUMBER = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.\-]*")
_BACKTICKS_OR_BLANK = re.compile(r"`+|\n[ \t]*(?=\n)")
_NOT_NEWLINE = re.compile(r"[^\n]")
_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")
_TEX_SPECIAL = re.compile(r"%|\\begin\{(verbatim|comment|lstlisting|minted|[BL]?Verbatim|filecontents)(\*?)\}"
                          r"|\\(?:verb\*?|lstinline(?:\[[^\]\n]*\])?|mintinline\{[^{}\n]*\}|url|path)(?![A-Za-z])"
                          r"|\\if(?:false|true)(?![A-Za-z])|\\end\{document\}|\\.", re.DOTALL)
_TEX_CONDITIONAL = re.compile(r"(\\newif\s*)?\\(if[A-Za-z]*|else|fi)(?![A-Za-z])")
#: An error at an offset of the sheet.
Fail = Callable[[str, int], DerivationFileError]


@dataclass(frozen=True)
class Block:
    """A display block: where its opener starts, its content and the offset of the content, its opener's line."""

    start: int
    content: str
    base: int
    line: int


@dataclass(frozen=True)
class Answer:
    """One answer: its claim number (the heading's group), title, heading line and its offset, and the offsets the
    answer spans (from the end of its heading line)."""

    number: str
    title: str
    line: int
    at: int
    start: int
    stop: int


@dataclass(frozen=True)
class Layout:
    """A sheet laid out: its text (line endings made ``\\n``, code blanked), line starts, answers and blocks."""

    text: str
    starts: list[int]
    answers: list[Answer]
    blocks: list[Block]
    offsets: list[int]      # where each block starts

    def blocks_of(self, answer: Answer) -> list[Block]:
        """The display blocks that start inside an answer, in order."""
        offsets = self.offsets
        return self.blocks[bisect.bisect_left(offsets, answer.start):bisect.bisect_left(offsets, answer.stop)]


def lay_out(text: str, shown: str, notation: Notation) -> Layout:
    """Lay out a sheet; raises :class:`DerivationFileError` (at the sheet's line, or at the table's for its own
    patterns) for what cannot be laid out."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def fail(message: str, offset: int) -> DerivationFileError:
        return DerivationFileError(message, file=shown, line=bisect.bisect_right(starts, offset))

    text = _blank_tex(text, fail) if shown.endswith(".tex") else _blank_markdown(text, starts, fail)
    lines = text.split("\n")
    heads, stops = _classify(lines, notation, shown)
    answers = _answers(heads, stops, lines, starts, notation, fail)
    blocks = _blocks(text, starts, answers, fail)
    return Layout(text, starts, answers, blocks, [b.start for b in blocks])


def undecorated(line: str) -> str:
    r"""A heading line without its decoration: ``#### Answer 1.4``, ``**Answer 5.3**:``, ``\section*{Answer 2.4}``,
    ``#### Answer 1.2 ####``, ``# Answer 1.3 {#a13}``, ``#### [Answer 1.4](#a4)``, ``\section*{Answer~1.2}``,
    ``{\bf Answer 1.5}``, ``\noindent\textbf{Answer 1.3.}``, ``\item[\textbf{Answer 1.7}]`` all give ``Answer ...``."""
    body = _TEX_SPACE.sub(" ", line).strip()
    item = _LIST_ITEM.match(body) or _TEX_ITEM.match(body)
    if item:
        body = body[item.end():]
    if body.startswith("#"):
        body = body[min(len(body) - len(body.lstrip("#")), 6):].lstrip()
        body = _without_closing(body)
    if (link := _LINK.fullmatch(body)) is not None:
        body = link.group(1)
    while (font := _TEX_FONT.match(body)) is not None:      # \noindent\textbf{..}, {\bf ..}, \section*{\textbf{..}}
        body = body[font.end():]
    if body[:1] in ("*", "_"):       # the emphasis only: **Answer 1.2.**, *Answer 1.5*, **Answer 1.4** We have
        mark = body[:2] if body[:2] in ("**", "__") else body[:1]
        close = body.find(mark, len(mark))
        body = body[len(mark):close if close > 0 else None].strip()
    section = _SECTION.match(body)
    if section:
        body = body[section.end():]
    while (font := _TEX_FONT.match(body)) is not None:
        body = body[font.end():]
    body = body.rstrip()
    if body[-1:] in (":", "."):
        body = body[:-1].rstrip()
    if body[-2:] in ("**", "__"):
        body = body[:-2].rstrip()
    while body.endswith(("}", "]")):
        body = body[:-1].rstrip()
    return body.rstrip(".:").strip()


def _without_closing(body: str) -> str:
    """A Markdown heading's text without its attributes (``{#id}``) and closing hashes (``####`` after a space),
    in one pass from the end (a regular expression anchored at the end is quadratic on a long line of spaces)."""
    body = body.rstrip(" \t")
    if body.endswith("}") and (brace := body.rfind("{")) >= 0 and body[brace + 1:].lstrip(" \t")[:1] in ("#", "."):
        body = body[:brace].rstrip(" \t")
    hashes = body.rstrip("#")
    if hashes != body and (not hashes or hashes[-1] in " \t"):
        body = hashes.rstrip(" \t")
    return body


# --- text that is not mathematics -------------------------------------------------------------------------------

def _blank(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` with every span made spaces (line endings kept, so that lines and columns do not move)."""
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


def _blank_markdown(text: str, starts: list[int], fail: Fail) -> str:
    """Blockquote markers, fenced code blocks, then inline code, HTML comments and ``<pre>``, ``<script>``,
    ``<style>`` and ``<textarea>`` blocks, blanked."""
    spans: list[tuple[int, int]] = []
    for start in starts:
        quote = _QUOTE.match(text, start)
        if quote and quote.end() > start:
            spans.append((start, quote.end()))
    text = _blank(text, spans)
    spans = []
    fence: tuple[str, int, int] | None = None     # (character, length, offset) of an open fence
    for n, start in enumerate(starts):
        stop = starts[n + 1] - 1 if n + 1 < len(starts) else len(text)
        m = _FENCE.match(text, start, stop)
        if fence is None:
            if m:
                fence = (m.group(1)[0], len(m.group(1)), start)
        elif m and m.group(1)[0] == fence[0] and len(m.group(1)) >= fence[1] and not text[m.end():stop].strip():
            spans.append((fence[2], stop))
            fence = None
    if fence is not None:
        raise fail(f"the code block opened here with {fence[0] * fence[1]} is never closed", fence[2])
    text = _blank(_blank(text, spans), _indented_code(text, starts))
    spans = []
    pos = 0
    ahead: dict[str, int | None] = {opener: None for opener in ("`", *_HIDDEN)}   # where each opener is next
    while True:
        for opener, at in ahead.items():
            if at is None or 0 <= at < pos:     # each found again only once passed: linear in the text
                ahead[opener] = text.find(opener, pos)
        found = [(at, opener) for opener, at in ahead.items() if at is not None and at >= 0]
        if not found:
            break
        at, opener = min(found)
        if opener != "`":
            closer = _HIDDEN[opener]
            end = text.find(closer, at + len(opener))
            if end < 0:
                what = "HTML comment" if opener == "<!--" else "HTML block"
                raise fail(f"the {what} opened here with {opener} is never closed", at)
            spans.append((at, end + len(closer)))
            pos = end + len(closer)
            continue
        pos = _code_span(text, at, spans)
    return _blank(text, spans)


def _indented_code(text: str, starts: list[int]) -> list[tuple[int, int]]:
    """The lines of indented code blocks: indented four spaces (or a tab) after a blank line, outside a list item
    (whose content is indented as well)."""
    spans: list[tuple[int, int]] = []
    blank_before = True
    in_item = in_code = False
    for n, start in enumerate(starts):
        stop = starts[n + 1] - 1 if n + 1 < len(starts) else len(text)
        line = text[start:stop]
        if not line.strip():
            blank_before = True
            continue
        indent = len(line) - len(line.lstrip(" \t"))
        if "\t" in line[:indent] or indent >= 4:
            in_code = in_code or (blank_before and not in_item)
            if in_code:
                spans.append((start, stop))
        else:
            in_code = False
            if indent == 0:
                in_item = _LIST_ITEM.match(line) is not None
        blank_before = False
    return spans


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


def _blank_tex(text: str, fail: Fail) -> str:
    r"""Comments (``%`` to the end of the line), ``\verb|...|`` and verbatim-like environments, blanked."""
    spans: list[tuple[int, int]] = []
    pos = 0
    while (m := _TEX_SPECIAL.search(text, pos)) is not None:
        word = m.group()
        if word == "%":
            end = text.find("\n", m.start())
            end = len(text) if end < 0 else end
        elif word in ("\\iffalse", "\\iftrue"):
            pos = _branches(text, m, spans, fail)
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
    merged: list[tuple[int, int]] = []
    for start, stop in sorted(spans):      # the skipped branch of \iftrue holds spans of its own
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], stop))
        else:
            merged.append((start, stop))
    return _blank(text, merged)


def _branches(text: str, opening: re.Match[str], spans: list[tuple[int, int]], fail: Fail) -> int:
    r"""The branch of ``\iffalse ... \else ... \fi`` (or ``\iftrue``) that TeX does not print, with the three
    words, added to ``spans`` (conditionals nest inside it); where to go on reading (the printed branch)."""
    depth, middle = 1, None
    for t in _TEX_CONDITIONAL.finditer(text, opening.end()):
        word = t.group(2)
        if word.startswith("if") and not t.group(1):
            depth += 1
        elif word == "else" and depth == 1:
            middle = t
        elif word == "fi":
            depth -= 1
            if depth == 0:
                break
    else:
        raise fail(f"{opening.group()} is never closed (\\fi is missing)", opening.start())
    if opening.group() == "\\iffalse":
        spans.append((opening.start(), middle.end() if middle else t.end()))
        spans.extend([(t.start(), t.end())] if middle else [])
        return middle.end() if middle else t.end()
    spans.append((opening.start(), opening.end()))
    spans.append((middle.start() if middle else t.start(), t.end()))
    return opening.end()


# --- headings and answers ---------------------------------------------------------------------------------------

Heads = list[tuple[int, str, str]]     # (line index, claim number, title)


def _classify(lines: list[str], notation: Notation, shown: str) -> tuple[Heads, list[int]]:
    """The heading lines and the stop lines. The table's own patterns run in a child process with a time limit
    (Python's regular expressions can take exponential time, and cannot be interrupted)."""
    if not notation.own_patterns:
        return _match_lines(lines, notation.heading, notation.stop, None)
    ctx = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else mp.get_context()
    receiver, sender = ctx.Pipe(duplex=False)
    child = ctx.Process(target=_child, args=(sender, lines, notation.heading, notation.stop, os.getpid()),
                        daemon=True)
    child.start()
    sender.close()
    deadline = time.monotonic() + PATTERN_SECONDS
    found: list[object] = []
    try:
        while len(found) < 2:
            if not receiver.poll(max(0.0, deadline - time.monotonic())):
                key = "stop" if found else "heading"
                raise DerivationFileError(
                    f"the '{key}' pattern took more than {PATTERN_SECONDS:g} s on {shown} (the limit of time "
                    "for a table's patterns on one sheet): it backtracks; write it without nested or adjacent "
                    "repetitions such as (a+)+ or \\s*\\s*", file=notation.path, line=notation.lines.get(key))
            try:
                found.append(receiver.recv())
            except EOFError:
                raise DerivationFileError(f"the 'heading' or 'stop' pattern could not be run on {shown}",
                                          file=notation.path, line=notation.lines.get("heading")) from None
    finally:
        if child.is_alive():
            child.kill()
        child.join()
        receiver.close()
    heads, stops = found
    assert isinstance(heads, list) and isinstance(stops, list)
    return heads, stops


def _child(sender: Connection, lines: list[str], heading: re.Pattern[str], stop: re.Pattern[str],
           parent: int) -> None:
    from verifier.runner.lifeline import tie_to_parent
    tie_to_parent(parent)
    _match_lines(lines, heading, stop, sender)


def _match_lines(lines: list[str], heading: re.Pattern[str], stop: re.Pattern[str], sender: Connection | None
                 ) -> tuple[Heads, list[int]]:
    heads: Heads = []
    for n, line in enumerate(lines):
        body = undecorated(line)
        m = heading.fullmatch(body)
        if m:
            heads.append((n, m.group(1) or "", body))
    if sender is not None:
        sender.send(heads)
    at_heading = {n for n, _, _ in heads}
    stops = [n for n, line in enumerate(lines) if n not in at_heading and stop.search(line)]
    if sender is not None:
        sender.send(stops)
    return heads, stops


def _answers(heads: Heads, stops: list[int], lines: list[str], starts: list[int], notation: Notation,
             fail: Fail) -> list[Answer]:
    """Each answer runs from the end of its heading line to the next heading or stop line (one pass)."""
    if len(heads) > MAX_ANSWERS:
        raise fail(f"more than {MAX_ANSWERS} answer headings (the limit of answers in one sheet)",
                   starts[heads[MAX_ANSWERS][0]])
    end = len(lines[-1]) + starts[-1]
    answers: list[Answer] = []
    first: dict[str, int] = {}
    k = 0
    for h, (n, number, title) in enumerate(heads):
        if not _CLAIM_NUMBER.fullmatch(number):
            raise fail(f"the heading's number {number[:40]!r} is not a claim number (letters, digits, '.', '_', "
                       "'-'): the group of the table's 'heading' pattern must catch the number", starts[n])
        if number in first:
            raise fail(f"'{title[:80]}' is given twice (first at line {first[number]}): each answer must be "
                       "given once, so that none is left unchecked", starts[n])
        first[number] = n + 1
        while k < len(stops) and stops[k] <= n:
            k += 1
        stop = min(starts[stops[k]] if k < len(stops) else end,
                   starts[heads[h + 1][0]] if h + 1 < len(heads) else end)
        answers.append(Answer(number, printable(title), n + 1, starts[n], starts[n] + len(lines[n]), stop))
    return answers


# --- display blocks ---------------------------------------------------------------------------------------------

def _blocks(text: str, starts: list[int], answers: list[Answer], fail: Fail) -> list[Block]:
    """Each display block, in one pass: after a block the search resumes past its end. ``\\\\[2pt]`` (a line
    break with its space) opens nothing. A block never closed, or running over an answer's heading (its closing
    delimiter forgotten, it would take the next answer's opening one), is an error at its opener."""
    heading_offsets = [a.at for a in answers]
    out: list[Block] = []
    pos = 0
    while (m := _OPENER.search(text, pos)) is not None:
        if m.group() == "\\[" and _escaped(text, m.start()):
            pos = m.end()
            continue
        if m.group() == "$$" and _escaped(text, m.start()):
            # \$$4 = 5$$ shows a dollar, then inline math $4 = 5$ (not read), then a dollar: no display block
            close = text.find("$", m.end())
            pos = close + 1 if close >= 0 else m.end()
            continue
        closer = {"$$": "$$", "\\[": "\\]"}.get(m.group(), f"\\end{{{m.group(1)}}}")
        end = text.find(closer, m.end())
        if end < 0:
            raise fail(f"the display block opened here with {m.group()} is never closed ({closer} is missing)",
                       m.start())
        k = bisect.bisect_right(heading_offsets, m.start())
        if k < len(answers) and answers[k].at < end:
            raise fail(f"the display block opened here with {m.group()} runs over the heading '{answers[k].title}' "
                       f"at line {answers[k].line}: is its {closer} missing?", m.start())
        base = m.end()
        if m.group(1) and "alignat" in m.group(1):     # its number of columns: \begin{alignat*}{2}
            columns = _COLUMNS.match(text, base, end)
            base = columns.end() if columns else base
        content = text[base:end]
        if m.group(1) and m.group(1).startswith("eqnarray"):    # rows are 'left & relation & right'
            content = content.replace("&", " ")
        out.append(Block(m.start(), content, base, bisect.bisect_right(starts, m.start())))
        if len(out) > MAX_BLOCKS:
            raise fail(f"more than {MAX_BLOCKS} display blocks (the limit of display blocks in one sheet)",
                       m.start())
        pos = end + len(closer)
    return out


def _escaped(text: str, at: int) -> bool:
    """Whether the character at ``at`` follows an odd number of backslashes."""
    n = at
    while n > 0 and text[n - 1] == "\\":
        n -= 1
    return (at - n) % 2 == 1

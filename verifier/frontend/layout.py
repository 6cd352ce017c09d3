r"""Where the answers of a sheet are: its lines, the text that is not mathematics, the answer headings, the display
blocks and the answer each block belongs to.

A sheet is input nobody on the course staff wrote, so every step here is linear in the sheet's length (no regular
expression of the project's own backtracks on any line), a table's own patterns (``heading``, ``stop``) run in a
child process with a time limit, and what cannot be laid out is an error at its line, never a silent loss:

- every line ending counts (``\n``, ``\r\n``, ``\r``);
- code is not mathematics, nor is what the page does not show (:mod:`.nonmath`, which follows CommonMark's block
  structure for Markdown); a fence, comment or environment never closed is an error; a display block in what the
  page may or may not show (a hidden HTML element, a TeX conditional) carries the reason it is not read, and the
  lines of display math found in code or hidden text are listed, never dropped without a word;
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
from dataclasses import dataclass, replace
from multiprocessing.connection import Connection

from verifier.errors import DerivationFileError
from verifier.frontend.nonmath import Fail, Refusal, blank_markdown, blank_tex
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
_LINK = re.compile(r"\[([^\[\]]*)\]\([^()]*\)")
_CLAIM_NUMBER = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.\-]*")


@dataclass(frozen=True)
class Block:
    """A display block: where its opener starts, its content and the offset of the content, its opener's line;
    the region of the sheet it is in whose display math is not read, if any."""

    start: int
    content: str
    base: int
    line: int
    refused: Refusal | None = None


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
    unshown: list[int]      # lines of display math in text the page does not show as mathematics (code ...)

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

    visible = blank_tex(text, fail) if shown.endswith(".tex") else blank_markdown(text, starts, fail)
    unshown = sorted({bisect.bisect_right(starts, m.start()) for m in _OPENER.finditer(text)
                      if visible.text[m.start()] == " "})
    text = visible.text
    lines = text.split("\n")
    heads, stops = _classify(lines, notation, shown)
    answers = _answers(heads, stops, lines, starts, notation, fail)
    blocks = [replace(b, refused=visible.refusal(b.start)) for b in _blocks(text, starts, answers, fail)]
    return Layout(text, starts, answers, blocks, [b.start for b in blocks], unshown)


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

r"""Answer sheets (Markdown or LaTeX) read as claims: a heading per answer, a chain per display block.

A heading line such as ``Answer 2.4``, ``#### Answer 1.4``, ``**Answer 5.3**`` or ``\section*{Answer 2.4}`` starts
claim ``q2.4`` (the pattern and the prefix come from the notation table); the answer runs until the next heading or
the next line of a question (``2.5 Show that ...``). Inside it, every display block (``$$...$$``, ``\[...\]``,
``equation*``, ``align*``, and ``aligned`` inside them) is read:

- the block's rows (``\\``) and cells (``&``) are joined; the formula is cut at its top-level relations
  (``=``, ``\leq`` ...) into the entries of a chain, each related to the one before;
- a block, a row or a cell that starts with a relation continues the chain before it (``&= ...``, or a block
  ``$$= ...$$``); one that starts with a formula starts a new chain;
- inline math (``$...$``) is not read.

Every entry carries its line and column in the sheet. An entry that cannot be read keeps its LaTeX and the reason
(:attr:`Entry.reason`); the steps that touch it are reported ``unknown`` with "not read: REASON" by
:func:`settle_unread`, and the rest of the sheet is still checked.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from verifier.errors import ExpressionError
from verifier.frontend import parser as P
from verifier.frontend.latex import RELOPS, Rules, Token, read_tokens, scan
from verifier.frontend.notation import Notation
from verifier.model import Chain, Claim, ClaimResult, Obligation, Outcome

__all__ = ["UNREAD", "Entry", "Sheet", "annotate", "read_sheet", "settle_unread", "step_entries", "summarize",
           "summary_lines"]

#: The step text of an entry that was not read: it never parses, so it is never built as something else.
UNREAD = "? not read"
_OPENER = re.compile(r"\$\$|\\\[|\\begin\{((?:equation|align|gather|multline)\*?)\}")
_WRAPPERS = frozenset({"aligned", "align", "align*", "split", "gathered", "gather", "gather*", "equation",
                       "equation*", "multline", "multline*", "alignedat"})
_DECORATION = re.compile(r"^\s*(?:#{1,6}\s*)?(?:\*\*|__)?\s*(?:\\(?:sub)*section\*?\{)?(.*?)\}?\s*(?:\*\*|__)?"
                         r"\s*[:.]?\s*$")
_OPS_TEXT = {"=": "=", "<": "<", ">": ">", "<=": "<=", ">=": ">=", "!=": "!="}


@dataclass(frozen=True)
class Entry:
    """One entry of a chain as written in the sheet, and how it was read."""

    op: str | None            # the relation to the entry before (None for a chain's first entry)
    latex: str
    line: int
    col: int
    reading: str | None       # the expression text, or None when not read
    reason: str | None = None
    reason_line: int | None = None
    reason_col: int | None = None

    def step(self) -> str:
        """The entry as a step of a chain in the expression language."""
        text = self.reading if self.reading is not None else UNREAD
        return f"{self.op} {text}" if self.op else text


@dataclass
class Sheet:
    """A sheet's reading: for each claim id, its chains of entries (in the order of the claim's chains)."""

    path: str
    chains: dict[str, list[list[Entry]]] = field(default_factory=dict)


class _Positions:
    def __init__(self, text: str) -> None:
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def at(self, offset: int) -> tuple[int, int]:
        """1-based line and column of a 0-based offset."""
        line = bisect.bisect_right(self.starts, offset)
        return line, offset - self.starts[line - 1] + 1


def read_sheet(text: str, shown: str, notation: Notation, *, id_prefix: str = "") -> tuple[list[Claim], Sheet]:
    """The claims of a sheet and its reading. Never raises for the sheet's content: what cannot be read is
    recorded in the entries."""
    positions = _Positions(text)
    lines = text.split("\n")
    regions = _regions(lines, notation, positions)
    sheet = Sheet(shown)
    claims: list[Claim] = []
    blocks = _blocks(text)
    for cid, title, heading_line, start, stop in regions:
        full_id = id_prefix + cid
        chains: list[list[Entry]] = []
        chain_blocks: list[int] = []
        number = 0
        leads = _leads(text, blocks, start, stop)
        for offset, m in blocks:
            if not start <= offset < stop:
                continue
            number += 1
            settings = notation.block(cid, number, leads[number])
            if settings.skip:
                continue
            content, base = m
            for continues, entries in _read_block(content, base, settings.rules, positions):
                if continues and chains:
                    chains[-1].extend(entries)
                else:
                    if continues:   # nothing before it to continue: the block's first entry starts the chain
                        entries = [replace(entries[0], op=None), *entries[1:]]
                    chains.append(list(entries))
                    chain_blocks.append(number)
        # A block that is one formula not read is still reported, as a step from it to itself: never dropped.
        kept = [(c if len(c) >= 2 else [c[0], replace(c[0], op="=")], b)
                for c, b in zip(chains, chain_blocks, strict=True) if len(c) >= 2 or c[0].reading is None]
        if not kept:
            continue
        sheet.chains[full_id] = [c for c, _ in kept]
        claims.append(_claim(full_id, cid, title, shown, heading_line, kept, notation, id_prefix, leads))
    return claims, sheet


def _blocks(text: str) -> list[tuple[int, tuple[str, int]]]:
    """Each display block: (where it starts, (its content, the offset of the content)). One pass over the text:
    after a block the search resumes past its end, and an opener never closed ends the search."""
    out: list[tuple[int, tuple[str, int]]] = []
    pos = 0
    while (m := _OPENER.search(text, pos)) is not None:
        closer = {"$$": "$$", "\\[": "\\]"}.get(m.group(), f"\\end{{{m.group(1)}}}")
        end = text.find(closer, m.end())
        if end < 0:
            break
        out.append((m.start(), (text[m.end():end], m.end())))
        pos = end + len(closer)
    return out


def _regions(lines: list[str], notation: Notation, positions: _Positions
             ) -> list[tuple[str, str, int, int, int]]:
    """(claim id, title, heading line, start offset, stop offset) of each answer."""
    offsets = positions.starts
    found: list[tuple[str, str, int, int]] = []
    ends: list[int] = []
    for n, line in enumerate(lines):
        m = _DECORATION.match(line)
        body = m.group(1) if m else line
        head = notation.heading.fullmatch(body.strip())
        if head:
            found.append((notation.prefix + head.group(1), body.strip(), n + 1, offsets[n]))
        elif notation.stop.search(line):
            ends.append(offsets[n])
    out: list[tuple[str, str, int, int, int]] = []
    seen: set[str] = set()
    for k, (cid, title, heading_line, offset) in enumerate(found):
        stop = min([e for e in ends if e > offset] + ([found[k + 1][3]] if k + 1 < len(found) else [])
                   + [offsets[-1] + len(lines[-1]) + 1])
        if cid in seen:
            continue    # a repeated heading: the first answer counts
        seen.add(cid)
        out.append((cid, title, heading_line, offsets[heading_line - 1] + len(lines[heading_line - 1]), stop))
    return out


def _read_block(content: str, base: int, rules: Rules, positions: _Positions) -> list[tuple[bool, list[Entry]]]:
    """The chains a display block writes: (whether it continues the chain before, its entries)."""
    try:
        tokens = scan(content, base=base)
    except ExpressionError:
        return _by_relations(content, base, rules, positions)
    tokens = _unwrap(tokens)
    chains: list[tuple[bool, list[tuple[str | None, list[Token], int]]]] = []   # (relation, tokens, offset)
    for row in _cut(tokens, lambda t: t.kind == "cmd" and t.text == "\\\\"):
        for cell in _cut(row, lambda t: t.kind == "&"):
            cell = _trim(cell)
            if not cell:
                continue
            parts = _cut(cell, lambda t: _relop(t) is not None, keep=True)
            starts_with_relation = _relop(cell[0]) is not None
            entries = [(_relop(p[0]), p[1:], p[0].col - 1) if _relop(p[0]) else (None, p, p[0].col - 1)
                       for p in parts]
            if starts_with_relation and chains:
                chains[-1][1].extend(entries)
            else:
                chains.append((starts_with_relation, entries))
    out: list[tuple[bool, list[Entry]]] = []
    for continues, raw in chains:
        read = [_entry(op, toks, content, base, rules, positions) if toks else
                _entry(op, toks, content, at, rules, positions) for op, toks, at in raw]
        out.append((continues, read))
    return out


def _unwrap(tokens: list[Token]) -> list[Token]:
    """Drop environments that only lay out lines (aligned, align* ...)."""
    return [t for t in tokens if not (t.kind in ("begin", "end") and t.text in _WRAPPERS)]


def _cut(tokens: list[Token], is_separator: Callable[[Token], bool], keep: bool = False) -> list[list[Token]]:
    """Split at separators outside brackets and environments; with ``keep`` a separator starts the next part."""
    parts: list[list[Token]] = [[]]
    depth = 0
    for t in tokens:
        if depth == 0 and is_separator(t):
            parts.append([t] if keep else [])
            continue
        if t.kind in ("{", "(", "[", "begin"):
            depth += 1
        elif t.kind in ("}", ")", "]", "end"):
            depth = max(0, depth - 1)
        parts[-1].append(t)
    return [p for p in parts if p]


def _trim(tokens: list[Token]) -> list[Token]:
    """A cell without trailing punctuation."""
    while tokens and tokens[-1].kind in (",", ".", ";"):
        tokens = tokens[:-1]
    return tokens


#: Relations a sheet may write that are not checked: the step is reported as not read.
_UNCHECKED = {r"\approx": "'\\approx' (an approximation) is not a relation that can be checked"}


def _relop(token: Token) -> str | None:
    if token.kind in ("=", "<", ">"):
        return token.kind
    if token.kind == "cmd" and token.text in RELOPS:
        return RELOPS[token.text]
    if token.kind == "cmd" and token.text in _UNCHECKED:
        return token.text
    return None


def _entry(op: str | None, tokens: list[Token], content: str, base: int, rules: Rules,
           positions: _Positions) -> Entry:
    """One entry of a chain, read (or not, with the reason and where)."""
    if not tokens:
        return Entry(op, "", *positions.at(base), None, f"nothing after '{op}'", *positions.at(base))
    first = tokens[0].col - 1
    last = max(t.col - 1 + len(t.text) for t in tokens)
    latex = _source(content, base, first, last)
    line, col = positions.at(first)
    if op in _UNCHECKED:
        return Entry(op, latex, line, col, None, _UNCHECKED[op], line, col)
    try:
        node = read_tokens(tokens, rules)
        if isinstance(node, P.Compare):
            raise ExpressionError("a relation inside an entry of a chain", column=node.col)
        return Entry(op, latex, line, col, P.unparse(node))
    except ExpressionError as err:
        at = (err.column - 1) if err.column else first
        reason_line, reason_col = positions.at(max(at, 0))
        return Entry(op, latex, line, col, None, err.message, reason_line, reason_col)
    except RecursionError:
        return Entry(op, latex, line, col, None, "formula nested too deeply", line, col)


def _source(content: str, base: int, first: int, last: int) -> str:
    text = content[max(0, first - base):max(0, last - base)]
    if text.count("{") > text.count("}"):   # a \begin{..} or \text{..} token is longer than its text
        end = content.find("}", last - base)
        text = content[first - base:end + 1] if end >= 0 else text
    return " ".join(text.split())


#: Relations as written, for cutting a block that cannot be scanned as a whole.
_TEXT_RELATIONS = ((r"\leq", "<="), (r"\geq", ">="), (r"\neq", "!="), (r"\le", "<="), (r"\ge", ">="),
                   (r"\ne", "!="), ("=", "="), ("<", "<"), (">", ">"))


def _by_relations(content: str, base: int, rules: Rules, positions: _Positions) -> list[tuple[bool, list[Entry]]]:
    """A block that cannot be scanned as a whole (a stray character, too deep, too long): cut its text at the
    relations outside braces and read each part alone, so that only the parts at fault are not read."""
    cuts: list[tuple[int, int, str]] = []
    depth, pos = 0, 0
    while pos < len(content):
        ch = content[pos]
        depth += {"{": 1, "}": -1}.get(ch, 0)
        if depth == 0 and ch in "\\=<>":
            found = next(((text, op) for text, op in _TEXT_RELATIONS if content.startswith(text, pos)
                          and not content[pos + len(text):pos + len(text) + 1].isalpha()), None)
            if found:
                cuts.append((pos, pos + len(found[0]), found[1]))
                pos += len(found[0])
                continue
            if ch == "\\":
                pos += 1   # a command or an escaped character is never a relation
        pos += 1
    bounds = [(0, None)] + [(end, op) for _, end, op in cuts]
    stops = [start for start, _, _ in cuts] + [len(content)]
    entries = []
    for (start, op), stop in zip(bounds, stops, strict=True):
        piece = content[start:stop]
        if not piece.strip():
            continue
        try:
            tokens = _trim(_unwrap(scan(piece, base=base + start)))
        except ExpressionError as err:
            line, col = positions.at(base + start + len(piece) - len(piece.lstrip()))
            reason_line, reason_col = positions.at((err.column - 1) if err.column else base + start)
            entries.append(Entry(op, " ".join(piece.split()), line, col, None, err.message, reason_line, reason_col))
            continue
        if tokens:
            entries.append(_entry(op, tokens, content, base, rules, positions))
    if not entries:
        return []
    return [(entries[0].op is not None, entries)]


def _leads(text: str, blocks: list[tuple[int, tuple[str, int]]], start: int, stop: int) -> dict[int, str]:
    """The text before each display block of an answer (since the block before), by block number."""
    out: dict[int, str] = {}
    lead_from = start
    for offset, (content, base) in blocks:
        if start <= offset < stop:
            out[len(out) + 1] = text[lead_from:offset]
            lead_from = base + len(content)
    return out


def _claim(full_id: str, cid: str, title: str, shown: str, heading_line: int,
           kept: list[tuple[list[Entry], int]], notation: Notation, id_prefix: str, leads: dict[int, str]) -> Claim:
    assume, where = notation.claim_settings(cid)
    chains = []
    names: dict[str, int] = {}
    for entries, block in kept:
        settings = notation.block(cid, block, leads.get(block, ""))
        name = f"line {entries[0].line}"
        names[name] = names.get(name, 0) + 1
        if names[name] > 1:
            name = f"{name} ({names[name]})"
        chains.append(Chain(name=name, steps=tuple(e.step() for e in entries),
                            step_lines=tuple(e.line for e in entries), assume=settings.assume,
                            where=settings.where, line=entries[0].line,
                            where_line=entries[0].line if settings.where else None))
    question = id_prefix + cid.rsplit(".", 1)[0] if "." in cid else None
    return Claim(id=full_id, title=title, file=shown, line=heading_line, chains=tuple(chains), assume=assume,
                 where=where, where_line=heading_line if where else None, question=question)


def step_entries(sheets: dict[str, Sheet], claim: Claim, ob: Obligation) -> tuple[Entry, Entry] | None:
    """The two sheet entries a step of a sheet's claim relates (``None`` for a claim not read from a sheet)."""
    sheet = sheets.get(claim.file)
    chains = sheet.chains.get(claim.id) if sheet else None
    names = [c.name for c in claim.chains]
    if not chains or ob.kind != "step" or ob.derivation not in names or ob.index is None:
        return None
    chain = chains[names.index(ob.derivation)]
    if not 0 < ob.index < len(chain):
        return None
    return chain[ob.index - 1], chain[ob.index]


def settle_unread(sheets: dict[str, Sheet], results: list[ClaimResult]) -> None:
    """Give every step of a sheet that touches an entry not read (or whose reading cannot be built) the verdict
    ``unknown``, "not read: REASON" at the sheet's line and column; the obligation's text shows the LaTeX."""
    for result in results:
        for n, outcome in enumerate(result.outcomes):
            ob = outcome.obligation
            pair = step_entries(sheets, result.claim, ob)
            if pair is None:
                continue
            left, right = pair
            path = sheets[result.claim.file].path
            bad = next((e for e in (left, right) if e.reading is None), None)
            # A build error located in the sheet is about a reading; one located elsewhere (the notation table, a
            # used file) is an error of that file and stays one.
            in_sheet = outcome.verdict == "error" and outcome.bad_input and \
                (outcome.message or "").startswith(f"{path}:")
            if bad is None and not in_sheet:
                continue
            if bad is not None:
                reason = f"not read: {bad.reason} at {path}:{bad.reason_line}:{bad.reason_col}"
            else:
                message = re.sub(rf"^{re.escape(path)}:\d+(?::\d+)?: ", "", outcome.message or "", count=1)
                culprit = next((e for e in (right, left) if e.reading and _mentions(e.reading, message)), right)
                reason = f"not read: {message} (in the reading of {path}:{culprit.line}:{culprit.col})"
            text = f"{_shown(left)} {right.op or '='} {_shown(right)}"
            result.outcomes[n] = Outcome(replace(ob, text=text), "unknown", message=reason,
                                         seconds=outcome.seconds)


def _mentions(reading: str, message: str) -> bool:
    """Whether the name a build error quotes ('j') occurs in a reading."""
    quoted = re.search(r"'([A-Za-z_][A-Za-z0-9_]*)'", message)
    return quoted is not None and re.search(rf"\b{quoted.group(1)}\b", reading) is not None


def _shown(entry: Entry) -> str:
    return entry.reading if entry.reading is not None else f"[{entry.latex}]"


def summarize(sheets: dict[str, Sheet], results: list[ClaimResult]) -> list[dict[str, object]]:
    """One entry per sheet for a grader: its claims' verdicts, and which claims have a refuted step or a step not
    read, with the lines."""
    out: list[dict[str, object]] = []
    for path in sheets:
        mine = [r for r in results if r.claim.file == path]
        if not mine:
            continue
        entry: dict[str, object] = {"sheet": path, "claims": len(mine)}
        for verdict in ("proved", "checked", "refuted", "unknown", "error"):
            entry[verdict] = sum(1 for r in mine if r.verdict == verdict)
        entry["wrong"] = _lines_of(mine, lambda o: o.verdict == "refuted")
        entry["not_read"] = _lines_of(mine, lambda o: o.verdict == "unknown"
                                      and (o.message or "").startswith("not read:"))
        out.append(entry)
    return out


def _lines_of(results: list[ClaimResult], chosen: Callable[[Outcome], bool]) -> list[dict[str, object]]:
    found: list[dict[str, object]] = []
    for r in results:
        lines = sorted({o.obligation.line for o in r.outcomes if chosen(o) and o.obligation.line is not None})
        if lines:
            found.append({"claim": r.claim.id, "lines": lines})
    return found


def summary_lines(summary: list[dict[str, object]]) -> list[str]:
    """The per-sheet summary as lines of text: "alice.md: 17 claims; wrong: q2.4 (line 131); not read: ..."."""
    lines = []
    for entry in summary:
        parts = [f"{entry['sheet']}: {entry['claims']} claims"]
        for key, label in (("wrong", "wrong"), ("not_read", "not read")):
            items = entry[key]
            assert isinstance(items, list)
            if items:
                shown = ", ".join(f"{i['claim']} (line{'s' if len(i['lines']) > 1 else ''} "
                                  f"{', '.join(str(n) for n in i['lines'])})" for i in items)
                parts.append(f"{label}: {shown}")
        if len(parts) == 1:
            parts.append("every step read and none refuted")
        lines.append("; ".join(parts))
    return lines


def sources(sheets: dict[str, Sheet], results: list[ClaimResult]) -> dict[tuple[str, int], str]:
    """The LaTeX of every step read from a sheet, by claim id and line: what the HTML report shows beside the
    reading."""
    out: dict[tuple[str, int], str] = {}
    for result in results:
        for outcome in result.outcomes:
            pair = step_entries(sheets, result.claim, outcome.obligation)
            if pair is not None and outcome.obligation.line is not None:
                out[(result.claim.id, outcome.obligation.line)] = pair[1].latex
    return out


def annotate(report: dict[str, object], sheets: dict[str, Sheet], results: list[ClaimResult]) -> None:
    """Add to a JSON report (format 1) what a sheet knows: the per-sheet summary (``"sheets"``), and for each
    step read from a sheet, the column and the LaTeX of its entry (``"column"``, ``"latex"``)."""
    report["sheets"] = summarize(sheets, results)
    claims = report.get("claims")
    assert isinstance(claims, list)
    for entry, result in zip(claims, results, strict=False):
        for ob_json, outcome in zip(entry["obligations"], result.outcomes, strict=False):
            pair = step_entries(sheets, result.claim, outcome.obligation)
            if pair is not None:
                ob_json["column"] = pair[1].col
                ob_json["latex"] = pair[1].latex

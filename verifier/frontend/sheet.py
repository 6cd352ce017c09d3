r"""Answer sheets (Markdown or LaTeX) read as claims: a heading per answer, a chain per display block.

A heading line such as ``Answer 2.4``, ``#### Answer 1.4``, ``**Answer 5.3**`` or ``\section*{Answer 2.4}`` starts
claim ``q2.4`` (the pattern and the prefix come from the notation table); the answer runs until the next heading or
the next line of a question (``2.5 Show that ...``). Inside it, every display block (``$$...$$``, ``\[...\]``,
``equation*``, ``align*``, ``alignat*``, ``eqnarray*`` ..., and ``aligned`` inside them) is read:

- the block's rows (``\\``) and cells (``&``) are joined; the formula is cut at its top-level relations
  (``=``, ``\leq`` ...) into the entries of a chain, each related to the one before;
- a block, a row or a cell that starts with a relation continues the chain before it (``&= ...``, or a block
  ``$$= ...$$``); one that starts with a formula starts a new chain, except a row or cell that carries on the
  formula above (``&\quad + 3``, or after ``1 + {} &``), which is joined to it; a cell of ``\text{..}`` alone is a
  remark;
- inline math (``$...$``) is not read.

Every entry carries its line and column in the sheet. An entry that cannot be read keeps its LaTeX and the reason
(:attr:`Entry.reason`, carried by its chain as :attr:`verifier.model.Chain.unread`); the steps that touch it are
``unknown`` with "not read: REASON" as they are settled, never built (:func:`verifier.model.not_read`), their text
showing its LaTeX (:attr:`verifier.model.Chain.entries`), and the rest of the sheet is still checked. A reading
that cannot be built is found as it is built (:mod:`.unbuilt`). Where the answers and blocks
are, and what is not mathematics (code, comments), is found by :mod:`.layout`; a sheet that cannot be laid out, or
that goes past a limit (:data:`MAX_STEPS` steps in one claim, :data:`MAX_SHEET_STEPS` in one sheet,
:data:`READ_SECONDS` of reading), is an error of the sheet.
"""

from __future__ import annotations

import bisect
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from verifier.errors import DerivationFileError, ExpressionError
from verifier.frontend import parser as P
from verifier.frontend.chains import UNCHECKED, block_chains, trim, unwrap
from verifier.frontend.latex import Rules, Token, read_tokens, scan
from verifier.frontend.latex_tokens import RELATION_WORDS
from verifier.frontend.layout import Answer, Block, Layout, lay_out
from verifier.frontend.macros import Definitions, definitions
from verifier.frontend.notation import Notation, Settings, rename
from verifier.model import Chain, Claim, ClaimResult, Obligation, Outcome, SheetEntry, Written
from verifier.printable import printable

__all__ = ["MAX_SHEET_STEPS", "MAX_STEPS", "READ_SECONDS", "UNREAD", "Entry", "Sheet", "annotate", "read_sheet",
           "step_entries", "summarize", "summary_lines"]

#: The step text of an entry that was not read: it never parses, so it is never built as something else.
UNREAD = "? not read"
#: Entries of the chains of one claim; of all the claims of one sheet.
MAX_STEPS = 1_000
MAX_SHEET_STEPS = 10_000
#: Time the reading of one sheet may take, in seconds of the clock on the wall: a folder of submissions read in CI
#: must end in bounded time whatever else the machine runs (the processor's time grows slower than the wall's
#: under load). A sheet with 200 KB of display math reads in under a second of the processor.
READ_SECONDS = 4.0


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

    def not_read(self, path: str) -> str | None:
        """Why the entry was not read, where in ``path`` (the sheet); ``None`` when it was."""
        if self.reading is not None:
            return None
        return printable(f"not read: {self.reason} at {path}:{self.reason_line}:{self.reason_col}")

    def step(self) -> str:
        """The entry as a step of a chain in the expression language."""
        text = self.reading if self.reading is not None else UNREAD
        return f"{self.op} {text}" if self.op else text


@dataclass
class Sheet:
    """A sheet's reading: for each claim id, its chains of entries (in the order of the claim's chains)."""

    path: str
    chains: dict[str, list[list[Entry]]] = field(default_factory=dict)
    names: dict[str, dict[str, int]] = field(default_factory=dict)    # claim id -> chain name -> its position
    table: str = ""                                                   # the notation table it was read with
    answers: int = 0                                                  # answer headings found
    outside: list[int] = field(default_factory=list)                  # lines of display blocks in no answer
    unshown: list[int] = field(default_factory=list)                  # lines of display math in code, hidden text
    empty: list[tuple[str, int]] = field(default_factory=list)        # answers with nothing to check: id, line
    skipped: list[int] = field(default_factory=list)                  # lines of blocks the table skips
    unmatched: list[str] = field(default_factory=list)                # the table's claim and block entries unused
    shared: list[str] = field(default_factory=list)                   # block entries by words used more than once


class _Positions:
    def __init__(self, starts: list[int]) -> None:
        self.starts = starts

    def at(self, offset: int) -> tuple[int, int]:
        """1-based line and column of a 0-based offset."""
        line = bisect.bisect_right(self.starts, offset)
        return line, offset - self.starts[line - 1] + 1


def read_sheet(text: str, shown: str, notation: Notation, *, id_prefix: str = "", deadline: float | None = None
               ) -> tuple[list[Claim], Sheet]:
    """The claims of a sheet and its reading. What cannot be read in an entry is recorded in the entry; a sheet
    that cannot be laid out or goes past a limit raises :class:`DerivationFileError`. ``deadline`` (on the
    monotonic clock) is shared with what was done to the sheet before (inferring its declarations); by default
    :data:`READ_SECONDS` from now."""
    if deadline is None:    # the sheet's own cost, whatever else the machine runs
        deadline = time.monotonic() + READ_SECONDS
    layout = lay_out(text, shown, notation)
    positions = _Positions(layout.starts)
    defined = definitions(layout.text, layout.starts)
    sheet = Sheet(shown, table=notation.path, answers=len(layout.answers))
    claims: list[Claim] = []
    sheet_steps = 0
    inside = {block.start for answer in layout.answers for block in layout.blocks_of(answer)}
    sheet.outside = [block.line for block in layout.blocks if block.start not in inside]
    sheet.unshown = layout.unshown
    used: set[tuple[str, int | str | None]] = set()
    by_words: dict[tuple[str, str], list[int]] = {}     # a block table keyed by words -> the blocks it applies to
    for answer in layout.answers:
        cid = notation.prefix + answer.number
        full_id = id_prefix + cid
        chains: list[list[Entry]] = []
        chain_settings: list[Settings] = []
        steps = 0
        for number, (block, lead) in enumerate(_with_leads(layout, answer), start=1):
            if time.monotonic() > deadline:
                raise DerivationFileError(f"reading this sheet took more than {READ_SECONDS:g} s (the limit of "
                                          "reading time per sheet)", file=shown, line=block.line)
            settings = notation.block(cid, number, lead)
            key = notation.block_key(cid, number, lead)
            used.add((cid, key))
            if isinstance(key, str):
                by_words.setdefault((cid, key), []).append(block.line)
            if settings.skip:
                sheet.skipped.append(block.line)
                continue
            for continues, entries in _read_block(block, settings.rules, positions, MAX_STEPS - steps, defined):
                steps += len(entries)
                if continues and chains:
                    chains[-1].extend(entries)
                else:
                    if continues:   # nothing before it in this answer: reported, never dropped
                        entries = [replace(entries[0], op=None, reading=None, reason=(
                            f"'{entries[0].op}' continues a chain, but nothing comes before it in this answer"),
                            reason_line=entries[0].line, reason_col=entries[0].col), *entries[1:]]
                    chains.append(list(entries))
                    chain_settings.append(settings)
            if steps > MAX_STEPS:
                raise DerivationFileError(f"claim {full_id} has more than {MAX_STEPS} steps (the limit of steps "
                                          "in one claim)", file=shown, line=answer.line)
            if sheet_steps + steps > MAX_SHEET_STEPS:
                raise DerivationFileError(f"more than {MAX_SHEET_STEPS} steps in this sheet (the limit of steps in "
                                          "one sheet)", file=shown, line=block.line)
        sheet_steps += steps
        # A block that is one formula not read is still reported, as a step from it to itself: never dropped.
        kept = [(c if len(c) >= 2 else [c[0], replace(c[0], op="=")], b)
                for c, b in zip(chains, chain_settings, strict=True) if len(c) >= 2 or c[0].reading is None]
        if not kept:        # inline math only, or nothing: named, never a silent pass
            sheet.empty.append((full_id, answer.line))
            continue
        sheet.chains[full_id] = [c for c, _ in kept]
        claim = _claim(full_id, cid, answer, shown, kept, notation, id_prefix)
        sheet.names[full_id] = {chain.name or "": n for n, chain in enumerate(claim.chains)}
        claims.append(claim)
    sheet.unmatched = _unmatched(notation, [notation.prefix + a.number for a in layout.answers], used)
    sheet.shared = [f'claim."{cid}".block."{key}" (lines {", ".join(str(n) for n in lines)})'
                    for (cid, key), lines in by_words.items() if len(lines) > 1]
    return claims, sheet


def _unmatched(notation: Notation, cids: list[str], used: set[tuple[str, int | str | None]]) -> list[str]:
    """The table's ``claim`` and ``block`` entries that apply to nothing in the sheet: a hypothesis silently not
    applied is how a right line comes out refuted."""
    questions = {cid.rsplit(".", 1)[0] for cid in cids if "." in cid}
    out = [f'claim."{key}"' for key in notation.claims if key not in cids and key not in questions]
    out += [f'claim."{cid}".block.{key if isinstance(key, int) else chr(34) + key + chr(34)}'
            for cid, key in notation.blocks if (cid, key) not in used]
    return out


def _with_leads(layout: Layout, answer: Answer) -> list[tuple[Block, str]]:
    """The display blocks of an answer, each with the text before it (since the block before)."""
    out = []
    lead_from = answer.start
    for block in layout.blocks_of(answer):
        out.append((block, layout.text[lead_from:block.start]))
        lead_from = block.base + len(block.content)
    return out


def _read_block(block: Block, rules: Rules, positions: _Positions, budget: int, defined: Definitions
                ) -> list[tuple[bool, list[Entry]]]:
    """The chains a display block writes: (whether it continues the chain before, its entries). Past ``budget``
    entries the rest is not read (the caller reports the limit). A block in a region the page may not show, or
    using what the sheet defines, is one formula not read."""
    content, base = block.content, block.base
    refused = block.refused
    hit = (refused.at - base, refused.reason) if refused is not None else (
        defined.first_use(content) if content.strip() else None)
    if hit is not None:
        line, col = positions.at(base + len(content) - len(content.lstrip()))
        where = positions.at(base + hit[0]) if hit[0] is not None else (line, col)
        return [(False, [Entry(None, printable(" ".join(content.split())), line, col, None, hit[1], *where)])]
    try:
        tokens = scan(content, base=base)
    except ExpressionError:
        return _by_relations(content, base, rules, positions, budget)
    chains = block_chains(unwrap(tokens))
    out: list[tuple[bool, list[Entry]]] = []
    for continues, raw in chains:
        if budget < 0:
            break
        read = [_entry(op, toks, content, base, rules, positions) if toks else
                _entry(op, toks, content, at, rules, positions) for op, toks, at in raw[:budget + 1]]
        budget -= len(read)
        out.append((continues, read))
    return out


def _entry(op: str | None, tokens: list[Token], content: str, base: int, rules: Rules,
           positions: _Positions) -> Entry:
    """One entry of a chain, read (or not, with the reason and where)."""
    if not tokens:
        return Entry(op, "", *positions.at(base), None, f"nothing after '{op}'", *positions.at(base))
    first = tokens[0].col - 1
    last = max(t.col - 1 + t.width for t in tokens)     # the source's width: '<=' is the token \leq
    latex = _source(content, base, first, last)
    line, col = positions.at(first)
    if op in UNCHECKED:
        return Entry(op, latex, line, col, None, UNCHECKED[op], line, col)
    reading, reason, at = _reading(tokens, rules)
    if reading is not None:
        return Entry(op, latex, line, col, reading)
    if at is None:
        return Entry(op, latex, line, col, None, reason, line, col)
    reason_line, reason_col = positions.at(max(at if at >= 0 else first, 0))
    return Entry(op, latex, line, col, None, reason, reason_line, reason_col)


#: Readings of entries already read, by the notation's rules and the tokens (columns counted from the first):
#: submissions on one template write most entries alike, and each is read once per process.
_READINGS: dict[int, tuple[Rules, dict[tuple[object, ...], tuple[str | None, str | None, int | None]]]] = {}
_MAX_READINGS = 20_000


def _reading(tokens: list[Token], rules: Rules) -> tuple[str | None, str | None, int | None]:
    """An entry's reading as expression text, or ``None`` with the reason and the offset it names (``-1``: the
    entry's start; ``None``: no place, the entry's own)."""
    start = tokens[0].col
    signature = tuple((t.kind, t.text, t.col - start, t.glued, t.width) for t in tokens)
    held = _READINGS.get(id(rules))
    if held is None or held[0] is not rules:    # keyed by identity; the rules are kept, so the id is not reused
        if sum(len(m) for _, m in _READINGS.values()) > _MAX_READINGS:
            _READINGS.clear()
        held = _READINGS[id(rules)] = (rules, {})
    memo = held[1]
    if signature not in memo:
        memo[signature] = _read_entry(tokens, rules)
    reading, reason, at = memo[signature]
    return reading, reason, (at + start if at is not None and at >= 0 else at)


def _read_entry(tokens: list[Token], rules: Rules) -> tuple[str | None, str | None, int | None]:
    start = tokens[0].col
    try:
        node = read_tokens(tokens, rules)
        if isinstance(node, P.Compare):
            raise ExpressionError("a relation inside an entry of a chain", column=node.col)
        return rename(P.unparse(node), rules.renames), None, None
    except ExpressionError as err:
        return None, err.message, (err.column - 1 - start) if err.column else -1
    except RecursionError:
        return None, "formula nested too deeply", None


def _source(content: str, base: int, first: int, last: int) -> str:
    text = content[max(0, first - base):max(0, last - base)]
    if text.count("{") > text.count("}"):   # a \begin{..} or \text{..} token is longer than its text
        end = content.find("}", last - base)
        text = content[first - base:end + 1] if end >= 0 else text
    return printable(" ".join(text.split()))


_SPECIAL = re.compile(r"[{}=<>]|\\(?:[A-Za-z]+|.)", re.DOTALL)


def _by_relations(content: str, base: int, rules: Rules, positions: _Positions, budget: int
                  ) -> list[tuple[bool, list[Entry]]]:
    """A block that cannot be scanned as a whole (a stray character, too deep, too long): cut its text at the
    relations outside braces and read each part alone, so that only the parts at fault are not read. Past
    ``budget`` relations the rest is not read."""
    cuts: list[tuple[int, int, str]] = []
    depth = 0
    for m in _SPECIAL.finditer(content):   # a command or an escaped character is one piece, never a relation
        word = m.group()
        depth += {"{": 1, "}": -1}.get(word, 0)
        op = RELATION_WORDS.get(word) if depth == 0 else None
        if op is not None:
            cuts.append((m.start(), m.end(), op))
            if len(cuts) > budget:
                break
    bounds = [(0, None)] + [(end, op) for _, end, op in cuts]
    stops = [start for start, _, _ in cuts] + [len(content)]
    entries = []
    for (start, op), stop in zip(bounds, stops, strict=True):
        piece = content[start:stop]
        if not piece.strip():
            continue
        try:
            tokens = trim(unwrap(scan(piece, base=base + start)))
        except ExpressionError as err:
            line, col = positions.at(base + start + len(piece) - len(piece.lstrip()))
            reason_line, reason_col = positions.at((err.column - 1) if err.column else base + start)
            entries.append(Entry(op, printable(" ".join(piece.split())), line, col, None, err.message, reason_line,
                                 reason_col))
            continue
        if tokens:
            entries.append(_entry(op, tokens, content, base, rules, positions))
    if not entries:
        return []
    return [(entries[0].op is not None, entries)]


def _claim(full_id: str, cid: str, answer: Answer, shown: str, kept: list[tuple[list[Entry], Settings]],
           notation: Notation, id_prefix: str) -> Claim:
    assume, where = notation.claim_settings(cid)
    title, heading_line = answer.title, answer.line
    chains = []
    names: dict[str, int] = {}
    for entries, settings in kept:
        name = f"line {entries[0].line}"
        names[name] = names.get(name, 0) + 1
        if names[name] > 1:
            name = f"{name} ({names[name]})"
        chains.append(Chain(name=name, steps=tuple(e.step() for e in entries),
                            step_lines=tuple(e.line for e in entries), assume=settings.assume,
                            where=settings.where, line=entries[0].line,
                            where_line=entries[0].line if settings.where else None,
                            unread=tuple(e.not_read(shown) for e in entries),
                            entries=tuple(SheetEntry(f"{shown}:{e.line}:{e.col}", e.op, _shown(e)) for e in entries)))
    question = id_prefix + cid.rsplit(".", 1)[0] if "." in cid else None
    # The table's hypotheses are the table's: an error in one is reported at its own line and column there (at the
    # line of its first 'assume' when the text is not found as written, with an escape).
    written: list[tuple[str | None, str]] = [*((None, a) for a in assume), *where]
    written += [w for _, settings in kept for w in [*((None, a) for a in settings.assume), *settings.where]]
    sources = tuple(Written(text, name, notation.path, *notation.written.get(
        (name, text), (notation.hypotheses.get(text), None))) for name, text in dict.fromkeys(written))
    return Claim(id=full_id, title=title, file=shown, line=heading_line, chains=tuple(chains), assume=assume,
                 where=where, where_line=heading_line if where else None, question=question, sources=sources,
                 table=notation.path)


def step_entries(sheets: dict[str, Sheet], claim: Claim, ob: Obligation) -> tuple[Entry, Entry] | None:
    """The two sheet entries a step of a sheet's claim relates (``None`` for a claim not read from a sheet)."""
    sheet = sheets.get(claim.file)
    chains = sheet.chains.get(claim.id) if sheet else None
    position = sheet.names.get(claim.id, {}).get(ob.derivation or "") if sheet else None
    if not chains or ob.kind != "step" or position is None or ob.index is None:
        return None
    chain = chains[position]
    if not 0 < ob.index < len(chain):
        return None
    return chain[ob.index - 1], chain[ob.index]


def _shown(entry: Entry) -> str:
    return entry.reading if entry.reading is not None else f"[{entry.latex}]"


def summarize(sheets: dict[str, Sheet], results: list[ClaimResult]) -> list[dict[str, object]]:
    """One entry per sheet for a grader: its claims' verdicts, and which claims have a refuted step or a step not
    read, and which are in error, with the lines."""
    out: list[dict[str, object]] = []
    by_file: dict[str, list[ClaimResult]] = {}
    for r in results:
        by_file.setdefault(r.claim.file, []).append(r)
    for path in sheets:
        mine = by_file.get(path, [])
        if not mine:
            continue
        entry: dict[str, object] = {"sheet": path, "claims": len(mine)}
        for verdict in ("proved", "checked", "refuted", "unknown", "error"):
            entry[verdict] = sum(1 for r in mine if r.verdict == verdict)
        entry["wrong"] = _lines_of(mine, lambda o: o.verdict == "refuted")
        entry["not_read"] = _lines_of(mine, lambda o: o.verdict == "unknown"
                                      and (o.message or "").startswith("not read:"))
        entry["errors"] = [{"claim": r.claim.id, "lines": _error_lines(r)} for r in mine if r.verdict == "error"]
        entry["empty"] = [{"claim": cid, "line": line} for cid, line in sheets[path].empty]
        entry["outside"] = sheets[path].outside
        out.append(entry)
    return out


def _error_lines(result: ClaimResult) -> list[int]:
    """Where a claim in error went wrong: the lines of its obligations in error, else its own line."""
    lines = sorted({o.obligation.line for o in result.outcomes if o.verdict == "error" and o.obligation.line})
    return lines or ([result.claim.line] if result.claim.line is not None else [])


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
        for key, label in (("wrong", "wrong"), ("not_read", "not read"), ("errors", "not built (error)")):
            items = entry.get(key, [])
            assert isinstance(items, list)
            if items:
                shown = ", ".join(f"{i['claim']} (line{'s' if len(i['lines']) > 1 else ''} "
                                  f"{', '.join(str(n) for n in i['lines'])})" if i["lines"] else str(i["claim"])
                                  for i in items)
                parts.append(f"{label}: {shown}")
        empty = entry.get("empty")
        if isinstance(empty, list) and empty:
            parts.append("no display math to check (inline math is not read): " + ", ".join(
                f"{i['claim']} (line {i['line']})" for i in empty))
        outside = entry.get("outside")
        if isinstance(outside, list) and outside:
            parts.append(f"display math outside any answer, not read: line{'s' if len(outside) > 1 else ''} "
                         f"{', '.join(str(n) for n in outside)}")
        if len(parts) == 1:
            parts.append("every step read and none refuted")
        lines.append("; ".join(parts))
    return lines


def sources(sheets: dict[str, Sheet], results: list[ClaimResult]) -> dict[tuple[str, str, int], str]:
    """The LaTeX of every entry read from a sheet, by claim id, chain name and position in the chain (each entry's
    own, also when a line holds several): what the HTML report shows beside the reading."""
    out: dict[tuple[str, str, int], str] = {}
    for result in results:
        sheet = sheets.get(result.claim.file)
        if sheet is None or result.claim.id not in sheet.chains:
            continue
        chains = sheet.chains[result.claim.id]
        for name, position in sheet.names.get(result.claim.id, {}).items():
            for n, entry in enumerate(chains[position]):
                out[(result.claim.id, name, n)] = entry.latex
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

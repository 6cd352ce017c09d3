r"""Notation tables: how the LaTeX of a sheet maps to the expression language (``SHEET.notation.toml``).

One table serves every sheet written on the same template, so that the sheets themselves need no change::

    heading = 'Answer\s+(\d+(?:\.\d+)?)'      # optional: a heading line that starts a claim; the id is
    prefix = "q"                              #   prefix + the first group ("Answer 2.4" -> q2.4)
    stop = '^\s*\d+\.\d+\s'                   # optional: a line that ends the current answer (a question)
    use = ["../_common.toml"]                 # optional: derivation files whose [symbols] and [define] it uses

    [symbols]                                 # as in derivation files
    x = "indexed real"
    [define]                                  # as in derivation files
    "sigma(z)" = "1/(1 + exp(-z))"

    [latex]                                   # LaTeX patterns -> expression text; ?name is a placeholder
    '\mathbf{x}_{?i}' = "x[?i]"
    'f(\mathbf{x}, \theta)' = "f"
    [bounds]                                  # default bounds of \sum_j and \prod_j
    j = "1..K"
    [operators]                               # binary operators: a function of two arguments
    '*' = "slide"

    [claim."q2"]                              # for every claim of question 2 (or one claim: [claim."q2.4"])
    latex = { 'i' = "i" }                     # the same tables as above: latex, bounds, operators
    assume = ["K >= 2"]                       # and assume / where, as in a [[claim]]
    [claim."q2.4".block.2]                    # the 2nd display block of the claim (or block."Out diagonal":
    assume = ["j != i"]                       #   the blocks just after those words): latex, bounds, operators,
                                              #   assume, where
    skip = true                               # or not read at all (the block is shown as "not read: skipped")

Later tables win: a block's patterns over its claim's, a claim's over its question's, over the global ones. Among
patterns, the longest is tried first (then the innermost table's). Loading checks the shape of the table and that every
pattern parses; the meaning of the expression texts is checked when a claim is built, like that of a derivation file.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from verifier.errors import DerivationFileError, ExpressionError
from verifier.frontend.latex import Pattern, Rules, pattern
from verifier.frontend.tomlfile import NOTATION_SUFFIX

__all__ = ["DEFAULT_HEADING", "DEFAULT_STOP", "SUFFIX", "Notation", "Settings", "load_notation"]

SUFFIX = NOTATION_SUFFIX
DEFAULT_HEADING = r"Answer\s+(\d+(?:\.\d+)?)"
#: A question's text ends an answer: "2.1 Show ...", "- 1.2 What ...", "**Question 2**", a Markdown heading.
DEFAULT_STOP = r"^\s*(?:[-*]\s+)?\d+\.\d+\s+\S|^\s*\*\*Question\b|^#{1,6}\s|^\s*\\(?:sub)*section\*?\{"
_TOP_KEYS = frozenset({"heading", "prefix", "stop", "use", "symbols", "define", "latex", "bounds", "operators",
                       "claim"})
_LAYER_KEYS = frozenset({"latex", "bounds", "operators", "assume", "where", "block"})
_BLOCK_KEYS = frozenset({"latex", "bounds", "operators", "assume", "where", "skip"})
_BOUNDS = re.compile(r"\s*(.+?)\s*\.\.\s*(.+?)\s*\Z")


@dataclass(frozen=True)
class Layer:
    """The tables of one level (global, a question, a claim, a block)."""

    patterns: dict[str, Pattern] = field(default_factory=dict)
    bounds: dict[str, tuple[str, str]] = field(default_factory=dict)
    operators: dict[str, str] = field(default_factory=dict)
    assume: tuple[str, ...] = ()
    where: tuple[tuple[str, str], ...] = ()
    skip: bool = False


@dataclass(frozen=True)
class Settings:
    """What holds for one display block: the reading rules and its hypotheses."""

    rules: Rules
    assume: tuple[str, ...]
    where: tuple[tuple[str, str], ...]
    skip: bool


@dataclass
class Notation:
    """A notation table as read."""

    path: str
    heading: re.Pattern[str]
    prefix: str
    stop: re.Pattern[str]
    uses: tuple[str, ...]
    used_paths: tuple[Path, ...]
    symbols: tuple[tuple[str, str, int | None], ...]
    definitions: tuple[tuple[str, str, int | None], ...]
    top: Layer
    claims: dict[str, Layer]
    blocks: dict[tuple[str, int | str], Layer]
    digest: str
    known: dict[str, str] = field(default_factory=dict)        # symbols of used files, for the reader
    known_functions: frozenset[str] = frozenset()
    known_abbreviations: frozenset[str] = frozenset()

    def claim_settings(self, claim_id: str) -> tuple[tuple[str, ...], tuple[tuple[str, str], ...]]:
        """The ``assume`` and ``where`` of a claim (its question's, then its own)."""
        assume: tuple[str, ...] = ()
        where: dict[str, str] = {}
        for layer in self._layers(claim_id):
            assume += layer.assume
            where.update(layer.where)
        return assume, tuple(where.items())

    def block(self, claim_id: str, number: int, lead: str = "") -> Settings:
        """The reading rules of display block ``number`` (from 1) of a claim, with the block's own hypotheses.
        ``lead`` is the sheet's text just before the block: a block table keyed by words (``block."Out
        diagonal"``) applies to the blocks whose lead contains them, wherever they are in the answer."""
        layers = self._layers(claim_id)
        own = self.blocks.get((claim_id, number))
        if own is None:
            own = next((layer for (cid, key), layer in self.blocks.items()
                        if cid == claim_id and isinstance(key, str) and key in lead), Layer())
        patterns: dict[str, tuple[int, Pattern]] = {}
        bounds: dict[str, tuple[str, str]] = {}
        operators: dict[str, str] = {}
        for rank, layer in enumerate([self.top, *layers, own]):
            patterns.update((source, (rank, p)) for source, p in layer.patterns.items())
            bounds.update(layer.bounds)
            operators.update(layer.operators)
        symbols = {**self.known, **{name: text for name, text, _ in self.symbols}}
        functions = set(self.known_functions)
        abbreviations = set(self.known_abbreviations)
        for key, _, _ in self.definitions:
            (functions if "(" in key else abbreviations).add(key.partition("(")[0].strip())
        # The longest pattern first; among patterns as long, the innermost table's.
        ordered = tuple(p for _, p in sorted(patterns.values(), key=lambda rp: (-len(rp[1].tokens), -rp[0])))
        rules = Rules(patterns=ordered, symbols=symbols, functions=frozenset(functions),
                      abbreviations=frozenset(abbreviations), bounds=bounds, operators=operators)
        return Settings(rules, own.assume, own.where, own.skip)

    def _layers(self, claim_id: str) -> list[Layer]:
        question = claim_id.rsplit(".", 1)[0] if "." in claim_id else None
        return [self.claims[k] for k in (question, claim_id) if k is not None and k in self.claims]


def load_notation(p: Path, shown: str) -> Notation:
    """Read and check a notation table; raises :class:`DerivationFileError` with the line of the problem."""
    def fail(message: str, needle: str | None = None) -> DerivationFileError:
        return DerivationFileError(message, file=shown, line=_line_of(text, needle) if needle else None)

    try:
        text = p.read_text(encoding="utf-8").removeprefix("\ufeff")
    except (OSError, UnicodeDecodeError) as err:
        raise DerivationFileError(f"cannot read the notation table: {err}", file=shown) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        m = re.search(r"at line (\d+)", str(err))
        raise DerivationFileError(f"TOML syntax error: {str(err).split(' (at')[0]}", file=shown,
                                  line=int(m.group(1)) if m else None) from None
    for key in data:
        if key not in _TOP_KEYS:
            raise fail(f"unknown key '{key}' in a notation table (allowed: {', '.join(sorted(_TOP_KEYS))})", key)
    heading = _regex(data, "heading", DEFAULT_HEADING, fail)
    if heading.groups < 1:
        raise fail("'heading' needs one group (...) that gives the claim's number", "heading")
    stop = _regex(data, "stop", DEFAULT_STOP, fail)
    prefix = data.get("prefix", "q")
    if not isinstance(prefix, str) or not re.fullmatch(r"[A-Za-z0-9_]*", prefix):
        raise fail("'prefix' must be letters, digits or '_'", "prefix")
    uses, used_paths = _uses(data.get("use", []), p, fail)
    symbols = _strings_table(data, "symbols", text, fail)
    definitions = _strings_table(data, "define", text, fail)
    top = _layer(data, "the notation", fail, _TOP_KEYS)
    claims: dict[str, Layer] = {}
    blocks: dict[tuple[str, int | str], Layer] = {}
    raw_claims = data.get("claim", {})
    if not isinstance(raw_claims, dict):
        raise fail("'claim' must be tables: [claim.\"q2.4\"]", "claim")
    for cid, raw in raw_claims.items():
        if not isinstance(raw, dict):
            raise fail(f"claim.\"{cid}\" must be a table", cid)
        claims[cid] = _layer(raw, f"claim \"{cid}\"", fail, _LAYER_KEYS)
        raw_blocks = raw.get("block", {})
        if not isinstance(raw_blocks, dict):
            raise fail(f"claim.\"{cid}\".block must be tables: [claim.\"{cid}\".block.1]", cid)
        for number, block in raw_blocks.items():
            if (number.isdigit() and int(number) < 1) or not number.strip() or not isinstance(block, dict):
                raise fail(f"claim.\"{cid}\".block.{number}: a block is a table keyed by its number (from 1) or "
                           "by words of the text just before it", cid)
            block_key: int | str = int(number) if number.isdigit() else number
            blocks[(cid, block_key)] = _layer(block, f"claim \"{cid}\" block {number}", fail, _BLOCK_KEYS)
    known, functions, abbreviations = _used_names(used_paths)
    return Notation(shown, heading, prefix, stop, uses, used_paths, symbols, definitions, top, claims, blocks,
                    hashlib.sha256(text.encode("utf-8")).hexdigest(), known, functions, abbreviations)


def _line_of(text: str, needle: str) -> int | None:
    pos = text.find(needle)
    return text.count("\n", 0, pos) + 1 if pos >= 0 else None


def _regex(data: dict[str, Any], key: str, default: str, fail: Any) -> re.Pattern[str]:
    value = data.get(key, default)
    if not isinstance(value, str):
        raise fail(f"'{key}' must be a regular expression in a string", key)
    try:
        return re.compile(value, re.MULTILINE)
    except re.error as err:
        raise fail(f"'{key}' is not a regular expression: {err}", key) from None


def _uses(value: Any, p: Path, fail: Any) -> tuple[tuple[str, ...], tuple[Path, ...]]:
    if not isinstance(value, list) or not all(isinstance(u, str) for u in value):
        raise fail("'use' must be a list of file names", "use")
    paths = []
    for u in value:
        target = (p.parent / u).resolve()
        if not u.strip() or not target.is_file():
            raise fail(f"'use' names a file that does not exist: {u!r} (relative to {p.name})", "use")
        paths.append(target)
    return tuple(value), tuple(paths)


def _used_names(paths: tuple[Path, ...]) -> tuple[dict[str, str], frozenset[str], frozenset[str]]:
    """The names the used derivation files declare and define (they are read again, fully, by the loader)."""
    symbols: dict[str, str] = {}
    functions: set[str] = set()
    abbreviations: set[str] = set()
    for path in paths:
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
            continue   # the loader reports the file itself
        for name, decl in (data.get("symbols") or {}).items():
            if isinstance(decl, str):
                symbols[name] = decl
        for key in data.get("define") or {}:
            (functions if "(" in key else abbreviations).add(key.partition("(")[0].strip())
    return symbols, frozenset(functions), frozenset(abbreviations)


def _strings_table(data: dict[str, Any], name: str, text: str, fail: Any
                   ) -> tuple[tuple[str, str, int | None], ...]:
    table = data.get(name, {})
    if not isinstance(table, dict):
        raise fail(f"[{name}] must be a table of name = \"...\" entries", f"[{name}]")
    header = re.search(rf"^\s*\[\s*{name}\s*\]", text, re.MULTILINE)
    start = header.end() if header else 0
    out = []
    for key, value in table.items():
        if not isinstance(value, str):
            raise fail(f"[{name}] {key}: expected a string", key)
        m = re.compile(rf"^\s*[\"']?{re.escape(key)}[\"']?\s*=", re.MULTILINE).search(text, start)
        out.append((key, value, text.count("\n", 0, m.start()) + 1 if m else None))
    return tuple(out)


def _layer(raw: dict[str, Any], label: str, fail: Any, allowed: frozenset[str]) -> Layer:
    for key in raw:
        if key not in allowed:
            raise fail(f"{label}: unknown key '{key}' (allowed: {', '.join(sorted(allowed))})", key)
    patterns: dict[str, Pattern] = {}
    latex = raw.get("latex", {})
    if not isinstance(latex, dict):
        raise fail(f"{label}: 'latex' must be a table of 'LaTeX' = \"expression\" entries", "latex")
    for source, reading in latex.items():
        if not isinstance(reading, str):
            raise fail(f"{label}: the pattern '{source}' must map to an expression string", source)
        try:
            patterns[source] = pattern(source, reading)
        except ExpressionError as err:
            raise fail(f"{label}: the pattern '{source}' = \"{reading}\": {err.message}", source) from None
    bounds: dict[str, tuple[str, str]] = {}
    for name, value in (raw.get("bounds") or {}).items():
        m = _BOUNDS.match(value) if isinstance(value, str) else None
        if m is None:
            raise fail(f"{label}: bounds.{name} must be a range \"lo..hi\", e.g. \"1..K\"", name)
        bounds[name] = (m.group(1), m.group(2))
    operators: dict[str, str] = {}
    for op, fn in (raw.get("operators") or {}).items():
        if op not in ("*", r"\tilde{*}") or not isinstance(fn, str) or not re.fullmatch(r"[A-Za-z]\w*", fn):
            raise fail(f"{label}: operators: '*' or '\\tilde{{*}}' = \"a function name\"", op)
        operators[op] = fn
    assume = raw.get("assume", [])
    if not isinstance(assume, list) or not all(isinstance(a, str) for a in assume):
        raise fail(f"{label}: 'assume' must be a list of relations", "assume")
    where = raw.get("where", {})
    if not isinstance(where, dict) or not all(isinstance(v, (str, int)) and not isinstance(v, bool)
                                              for v in where.values()):
        raise fail(f"{label}: 'where' must be a table of name = value", "where")
    skip = raw.get("skip", False)
    if not isinstance(skip, bool):
        raise fail(f"{label}: 'skip' must be true or false", "skip")
    return Layer(patterns, bounds, operators, tuple(assume), tuple((k, str(v)) for k, v in where.items()), skip)


_ENTRY_READING = re.compile(r"\s*([A-Za-z_][A-Za-z0-9_]*)\s*\[")
_SUBSCRIPT = re.compile(r"_\{[^{}]*\}|_[A-Za-z0-9?]")


def written_families(notation: Notation) -> dict[str, str]:
    """How the sheet writes each family that a pattern reads as entries, without its subscript:
    ``'\\omega_{?p?q}^{(2)}' = "om2[?p, ?q]"`` gives ``{"om2": "\\omega^{(2)}"}`` (for printing ``om2`` as the
    sheet does, with its layer label)."""
    out: dict[str, str] = {}
    layers = [notation.top, *notation.claims.values(), *notation.blocks.values()]
    for layer in layers:
        for source, entry_pattern in layer.patterns.items():
            match = _ENTRY_READING.match(entry_pattern.replacement)
            if match:
                out.setdefault(match.group(1), _SUBSCRIPT.sub("", source))
    return out

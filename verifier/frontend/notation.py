r"""Notation tables: how the LaTeX of a sheet maps to the expression language (``SHEET.notation.toml``).

One table serves every sheet written on the same template, so that the sheets themselves need no change::

    heading = 'Answer\s+(\d+(?:\.\d+)?)'      # optional: a heading line that starts a claim; the id is
    prefix = "q"                              #   prefix + the first group ("Answer 2.4" -> q2.4)
    stop = '^\s*\d+\.\d+\s'                   # optional: a line that ends the current answer (a question)
    use = ["../_common.toml"]                 # optional: derivation files whose [symbols] and [define] it uses
    inferred = ["d", "k1"]                    # optional (verify init writes it): declarations that are guesses;
                                              #   a step refuted only under them is unknown, saying so

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
    latex = { 'i' = "i" }                     # the same tables as above: latex, bounds, operators, symbols
    symbols = { sigma = "positive" }          #   (in these claims, \sigma is a value: not the sigmoid)
    assume = ["K >= 2"]                       # and assume / where, as in a [[claim]]
    [claim."q2.4".block.2]                    # the 2nd display block of the claim (or block."Out diagonal":
    assume = ["j != i"]                       #   the blocks just after those words): latex, bounds, operators,
    symbols = { sigma = "positive" }          #   assume, where, symbols (a block's own name: sigma_b2 in
                                              #   reports, "sigma_Outdiagonal" for block."Out diagonal")
    skip = true                               # or not read at all (the block is shown as "not read: skipped")

Later tables win: a block's patterns over its claim's, a claim's over its question's, over the global ones. Among
patterns, the longest is tried first (then the innermost table's). Loading checks the shape of the table, that every
pattern parses and that every ``assume`` and ``where`` is an expression, each at the table's line; the meaning of the
expression texts is checked when a claim is built, like that of a derivation file.

A table is read as data with limits (:data:`MAX_PATTERNS`, the file size of a derivation file); ``use`` reads only
files inside the library's root (symbolic links resolved), and what a used file says is never quoted in a message
about the table.
"""

from __future__ import annotations

import bisect
import hashlib
import re
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Protocol

from verifier.errors import DerivationFileError, ExpressionError
from verifier.frontend import parser as P
from verifier.frontend.latex import Pattern, Rules, pattern
from verifier.frontend.tomlfile import MAX_FILE_BYTES, NOTATION_SUFFIX, read_text, repository_root, toml_error

__all__ = ["DEFAULT_HEADING", "DEFAULT_STOP", "MAX_PATTERNS", "SUFFIX", "Notation", "Settings", "block_name",
           "load_notation", "notation_from_text", "rename"]

SUFFIX = NOTATION_SUFFIX
DEFAULT_HEADING = r"Answer\s+(\d+(?:\.\d+)?[a-z]?)"
#: A question's text ends an answer: "2.1 Show ...", "- 1.2 What ...", "**Question 2**", a Markdown heading; not a
#: sentence of the answer that starts with a number ("2.5 is the first term, hence").
DEFAULT_STOP = r"^\s*(?:[-*]\s+)?\d+\.\d+\s+[^\sa-z]|^\s*\*\*Question\b|^#{1,6}\s|^\s*\\(?:sub)*section\*?\{"
_TOP_KEYS = frozenset({"heading", "prefix", "stop", "use", "symbols", "define", "latex", "bounds", "operators",
                       "claim", "inferred"})
_LAYER_KEYS = frozenset({"latex", "bounds", "operators", "assume", "where", "block", "symbols"})
_BLOCK_KEYS = frozenset({"latex", "bounds", "operators", "assume", "where", "skip", "symbols"})
#: LaTeX patterns of one table, all levels together.
MAX_PATTERNS = 1_000


class Fail(Protocol):
    """How a reader reports a fault of the file it reads."""

    def __call__(self, message: str, needle: str | None = None, /, *, value: str | None = None,
                 column: int | None = None, key: str | None = None) -> DerivationFileError:
        """The error for a fault of the table (raised by the caller): at the string ``value`` (``column``: a column
        inside it), or the line assigning ``key``, else at ``needle``, when given."""


@dataclass(frozen=True)
class Layer:
    """The tables of one level (global, a question, a claim, a block)."""

    patterns: dict[str, Pattern] = field(default_factory=dict)
    bounds: dict[str, tuple[str, str]] = field(default_factory=dict)
    operators: dict[str, str] = field(default_factory=dict)
    assume: tuple[str, ...] = ()
    where: tuple[tuple[str, str], ...] = ()
    skip: bool = False
    symbols: tuple[tuple[str, str, int | None], ...] = ()     # a question's or a claim's own declarations


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
    own_patterns: bool = False                                 # whether 'heading' or 'stop' is the table's own
    inferred: frozenset[str] = frozenset()                     # names whose declaration is still a guess
    lines: dict[str, int | None] = field(default_factory=dict)   # the table's line of 'heading', 'stop'
    hypotheses: dict[str, int | None] = field(default_factory=dict)   # each assume and where value -> its line
    #: The line and column of each assume (name ``None``) and where value (its name's), by name and text.
    written: dict[tuple[str | None, str], tuple[int, int]] = field(default_factory=dict)
    #: ``(table, key, column)``: where the text of each ``[symbols]`` and ``[define]`` value starts on its line.
    columns: tuple[tuple[str, str, int], ...] = ()
    _settings: dict[tuple[str, int | str | None], Settings] = field(default_factory=dict, repr=False)

    def claim_settings(self, claim_id: str) -> tuple[tuple[str, ...], tuple[tuple[str, str], ...]]:
        """The ``assume`` and ``where`` of a claim (its question's, then its own)."""
        assume: tuple[str, ...] = ()
        where: dict[str, str] = {}
        for layer in self._layers(claim_id):
            assume += layer.assume
            where.update(layer.where)
        return assume, tuple(where.items())

    def claim_symbols(self, claim_id: str) -> tuple[tuple[str, str, int | None], ...]:
        """The declarations of a claim's own ``symbols`` (its question's, then its own, which win): in that claim
        they replace the table's, so that a letter can mean another thing in one answer."""
        own: dict[str, tuple[str, str, int | None]] = {}
        for layer in self._layers(claim_id):
            own.update((name, (name, text, line)) for name, text, line in layer.symbols)
        for (cid, key), layer in self.blocks.items():     # a block's own names, under the names it reads them as
            if cid == claim_id:
                own.update((fresh, (fresh, text, line)) for name, text, line in layer.symbols
                           if (fresh := block_name(name, key)))
        return tuple(own.values())

    def block(self, claim_id: str, number: int, lead: str = "") -> Settings:
        """The reading rules of display block ``number`` (from 1) of a claim, with the block's own hypotheses.
        ``lead`` is the sheet's text just before the block: a block table keyed by words (``block."Out
        diagonal"``) applies to the blocks whose lead contains them, wherever they are in the answer."""
        key = self.block_key(claim_id, number, lead)
        if (claim_id, key) not in self._settings:   # the rules of a claim's plain blocks are made once
            self._settings[(claim_id, key)] = self._block(claim_id, self.blocks.get((claim_id, key), Layer())
                                                          if key is not None else Layer(), key)
        return self._settings[(claim_id, key)]

    def block_key(self, claim_id: str, number: int, lead: str = "") -> int | str | None:
        """The key of the block table that applies to display block ``number`` of a claim (see :meth:`block`), or
        None."""
        if (claim_id, number) in self.blocks:
            return number
        return next((key for (cid, key) in self.blocks if cid == claim_id and isinstance(key, str) and key in lead),
                    None)

    def _block(self, claim_id: str, own: Layer, key: int | str | None) -> Settings:
        layers = self._layers(claim_id)
        patterns: dict[str, tuple[int, Pattern]] = {}
        bounds: dict[str, tuple[str, str]] = {}
        operators: dict[str, str] = {}
        for rank, layer in enumerate([self.top, *layers, own]):
            patterns.update((source, (rank, p)) for source, p in layer.patterns.items())
            bounds.update(layer.bounds)
            operators.update(layer.operators)
        declared = {name: text for name, text, _ in self.claim_symbols(claim_id)}
        declared.update((name, text) for name, text, _ in own.symbols)
        renames = {name: block_name(name, key) for name, _, _ in own.symbols if key is not None}
        symbols = {**self.known, **{name: text for name, text, _ in self.symbols}, **declared}
        functions = set(self.known_functions)
        abbreviations = set(self.known_abbreviations)
        for key, _, _ in self.definitions:
            (functions if "(" in key else abbreviations).add(key.partition("(")[0].strip())
        functions -= declared.keys()     # \sigma declared a value in one answer is not the sigmoid there
        abbreviations -= declared.keys()
        # The longest pattern first; among patterns as long, the innermost table's.
        ordered = tuple(p for _, p in sorted(patterns.values(), key=lambda rp: (-len(rp[1].tokens), -rp[0])))
        rules = Rules(patterns=ordered, symbols=symbols, functions=frozenset(functions),
                      abbreviations=frozenset(abbreviations), bounds=bounds, operators=operators, renames=renames)
        return Settings(rules, tuple(rename(a, renames) for a in own.assume),
                        tuple((renames.get(k, k), rename(v, renames)) for k, v in own.where), own.skip)

    def _layers(self, claim_id: str) -> list[Layer]:
        question = claim_id.rsplit(".", 1)[0] if "." in claim_id else None
        return [self.claims[k] for k in (question, claim_id) if k is not None and k in self.claims]


def load_notation(p: Path, shown: str, *, root: Path | None = None) -> Notation:
    """Read and check a notation table; raises :class:`DerivationFileError` with the line of the problem. Its
    ``use`` files must be inside ``root`` (by default :func:`repository_root` of the table)."""
    return notation_from_text(read_text(p, shown, "the notation table"), p, shown, root=root)


def notation_from_text(text: str, p: Path, shown: str, *, root: Path | None = None) -> Notation:
    """A notation table from its text, as if read from ``p`` (which locates its ``use`` files)."""
    def fail(message: str, needle: str | None = None, *, value: str | None = None, column: int | None = None,
             key: str | None = None) -> DerivationFileError:
        """The error at the line and column of the string ``value`` (``column``: a column inside the value), or of
        the first line that assigns ``key``, else of the first ``needle``."""
        at = _quoted(text, value) if value is not None else _assigned(text, key) if key is not None else None
        if at is None:
            at = text.find(needle) if needle else -1
            column = None
        if at < 0:
            return DerivationFileError(message, file=shown)
        return DerivationFileError(message, file=shown, line=text.count("\n", 0, at) + 1,
                                   column=at - text.rfind("\n", 0, at) + (column - 1 if column else 0))

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise toml_error(str(err), text, shown) from None
    except (ValueError, RecursionError):   # too many digits in a number; lists nested too deeply
        raise DerivationFileError("TOML syntax error: a number too long or lists nested too deeply",
                                  file=shown) from None
    for key in data:
        if key not in _TOP_KEYS:
            raise fail(f"unknown key '{key}' in a notation table (allowed: {', '.join(sorted(_TOP_KEYS))})", key)
    heading = _regex(data, "heading", DEFAULT_HEADING, fail)
    if heading.groups < 1:
        raise fail("'heading' needs one group (...) that gives the claim's number", "heading")
    stop = _regex(data, "stop", DEFAULT_STOP, fail)
    if stop.search("") is not None:
        raise fail("'stop' matches an empty line: every blank line (and, for an empty pattern, every line) would end "
                   "an answer before its display math, which would then be checked nowhere", "stop")
    prefix = data.get("prefix", "q")
    if not isinstance(prefix, str) or not re.fullmatch(r"[A-Za-z0-9_]*", prefix):
        raise fail("'prefix' must be letters, digits or '_'", "prefix")
    uses, used_paths = _uses(data.get("use", []), p, repository_root(p) if root is None else root, fail)
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
        claims[cid] = replace(_layer(raw, f"claim \"{cid}\"", fail, _LAYER_KEYS),
                              symbols=_claim_symbols(raw, cid, text, fail))
        raw_blocks = raw.get("block", {})
        if not isinstance(raw_blocks, dict):
            raise fail(f"claim.\"{cid}\".block must be tables: [claim.\"{cid}\".block.1]", cid)
        for number, block in raw_blocks.items():
            if (number.isdigit() and int(number) < 1) or not number.strip() or not isinstance(block, dict):
                raise fail(f"claim.\"{cid}\".block.{number}: a block is a table keyed by its number (from 1) or "
                           "by words of the text just before it", cid)
            block_key: int | str = int(number) if number.isdigit() else number
            header = f'[claim."{cid}".block.{number if number.isdigit() else chr(34) + number + chr(34)}]'
            blocks[(cid, block_key)] = replace(
                _layer(block, f"claim \"{cid}\" block {number}", fail, _BLOCK_KEYS),
                symbols=_own_symbols(block, f"claim \"{cid}\" block {number}", header, text, fail))
    count = sum(len(layer.patterns) for layer in (top, *claims.values(), *blocks.values()))
    if count > MAX_PATTERNS:
        raise fail(f"{count} LaTeX patterns (the limit of patterns in one table is {MAX_PATTERNS})", "[latex]")
    known, functions, abbreviations = _used_names(used_paths)
    layers = [top, *claims.values(), *blocks.values()]
    written = _written(text, layers)
    return Notation(shown, heading, prefix, stop, uses, used_paths, symbols, definitions, top, claims, blocks,
                    hashlib.sha256(text.encode("utf-8")).hexdigest(), known, functions, abbreviations,
                    own_patterns="heading" in data or "stop" in data, inferred=_inferred(data, fail),
                    lines={key: _line_of(text, key) for key in ("heading", "stop") if key in data},
                    hypotheses=_hypothesis_lines(written, text, layers), written=written,
                    columns=_value_columns(text, symbols, definitions))


def _inferred(data: dict[str, Any], fail: Fail) -> frozenset[str]:
    """The names ``inferred`` lists: their declarations are guesses of ``verify init``."""
    names = data.get("inferred", [])
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise fail("'inferred' must be a list of names whose declaration is a guess", "inferred")
    return frozenset(names)


def _claim_symbols(raw: dict[str, Any], cid: str, text: str, fail: Fail) -> tuple[tuple[str, str, int | None], ...]:
    """A claim table's own ``symbols``, each with its line (``[claim."q3".symbols]`` or ``symbols = {..}``)."""
    return _own_symbols(raw, f"claim \"{cid}\"", f'[claim."{cid}"]', text, fail)


def _own_symbols(raw: dict[str, Any], label: str, header: str, text: str,
                 fail: Fail) -> tuple[tuple[str, str, int | None], ...]:
    """The ``symbols`` of a claim's or a block's table, each with its line (``symbols = {..}`` after ``header``,
    or a ``header[:-1].symbols]`` table)."""
    table = raw.get("symbols", {})
    if not isinstance(table, dict) or not all(isinstance(v, str) for v in table.values()):
        raise fail(f"{label}: 'symbols' must be a table of name = \"declaration\" entries", label.split()[-1])
    lines = _key_lines(text, header[:-1] + ".symbols]")
    inline = _key_lines(text, header).get("symbols")
    return tuple((name, decl, lines.get(name, inline)) for name, decl in table.items())


def block_name(name: str, key: int | str) -> str:
    """The name a block's own declaration of ``name`` is read as (``sigma`` of block 2: ``sigma_b2``; of
    block."Out diagonal": ``sigma_Outdiagonal``), so that the letter keeps its table's meaning elsewhere in the
    claim."""
    if isinstance(key, int):
        return f"{name}_b{key}"
    return f"{name}_{''.join(ch for ch in key if ch.isascii() and ch.isalnum()) or 'block'}"


def rename(text: str, renames: dict[str, str]) -> str:
    """``text`` (an expression) with each name of ``renames`` (not a function's name) replaced."""
    if not renames:
        return text
    return _A_NAME.sub(lambda m: renames.get(m.group(), m.group()), text)


_A_NAME = re.compile(r"(?<![A-Za-z0-9_])[A-Za-z][A-Za-z0-9_]*(?![A-Za-z0-9_]|\s*\()")


def _hypothesis_lines(written: dict[tuple[str | None, str], tuple[int, int]], text: str, layers: list[Layer]
                      ) -> dict[str, int | None]:
    """The line of each ``assume`` and ``where`` value of the table (where its text is written as it is read, else
    the line of the first ``assume``)."""
    out: dict[str, int | None] = {}
    fallback = _line_of(text, "assume")
    for layer in layers:
        for key in [*((None, a) for a in layer.assume), *layer.where]:
            at = written.get(key)
            out.setdefault(key[1], at[0] if at is not None else fallback)
    return out


#: A TOML string on one line, basic (its text as written, escapes included) or literal.
_STRING = re.compile(r"\"((?:[^\"\\\n]|\\.)*)\"|'([^'\n]*)'")
#: ``name = value`` with a value that is a string without escapes, or a whole number.
_ASSIGNED = re.compile(r"(?<![\w.\"'])([A-Za-z_][A-Za-z0-9_]*)[ \t]*=[ \t]*"
                       r"(?:\"([^\"\\\n]*)\"|'([^'\n]*)'|([-+]?[0-9]+)(?![\w.]))")


def _written(text: str, layers: list[Layer]) -> dict[tuple[str | None, str], tuple[int, int]]:
    """Where each ``assume`` and ``where`` value is first written in the table as a string (or, for a ``where``, a
    whole number): its line and the column of its first character. A value written otherwise (with an escape) is
    left out. One pass over the table, whatever the number of values."""
    strings: dict[str, int] = {}
    for m in _STRING.finditer(text):
        strings.setdefault(m.group(1) if m.group(1) is not None else m.group(2), m.start() + 1)
    assigned: dict[tuple[str, str], int] = {}
    for m in _ASSIGNED.finditer(text):
        group = next(g for g in (2, 3, 4) if m.group(g) is not None)
        assigned.setdefault((m.group(1), m.group(group)), m.start(group))
    starts = [0, *(m.end() for m in re.finditer("\n", text))]
    out: dict[tuple[str | None, str], tuple[int, int]] = {}
    for layer in layers:
        for name, value in [*((None, a) for a in layer.assume), *layer.where]:
            at = strings.get(value) if name is None else assigned.get((name, value))
            if at is not None and (name, value) not in out:
                line = bisect.bisect_right(starts, at)
                out[(name, value)] = (line, at - starts[line - 1] + 1)
    return out


def _assigned(text: str, key: str) -> int | None:
    """The offset of the first character of ``key`` on the first line that assigns it, quoted (as a LaTeX pattern
    is, and a name of ``[symbols]`` is not), else bare."""
    quoted = re.search(rf"^[ \t]*(['\"]){re.escape(key)}\1[ \t]*=", text, re.MULTILINE)
    if quoted is not None:
        return quoted.end(1)
    bare = re.search(rf"^[ \t]*({re.escape(key)})[ \t]*=", text, re.MULTILINE) if key else None
    return bare.start(1) if bare is not None else None


def _value_columns(text: str, symbols: tuple[tuple[str, str, int | None], ...],
                   definitions: tuple[tuple[str, str, int | None], ...]) -> tuple[tuple[str, str, int], ...]:
    """Where each ``[symbols]`` and ``[define]`` value starts on its line (searched on that line alone), so that an
    error inside a definition of the table is at its column in the table."""
    starts = [0, *(m.end() for m in re.finditer("\n", text))]
    out = []
    for table, entries in (("symbols", symbols), ("define", definitions)):
        for key, value, line in entries:
            if line is None or line > len(starts):
                continue
            end = starts[line] if line < len(starts) else len(text)
            at = _quoted(text[starts[line - 1]:end], value)
            if at is not None:
                out.append((table, key, at + 1))
    return tuple(out)


def _quoted(text: str, value: str) -> int | None:
    """The offset of the first character of the first string in ``text`` written ``"value"`` or ``'value'``."""
    found = [n + 1 for n in (text.find(f'"{value}"'), text.find(f"'{value}'")) if n >= 0]
    return min(found) if found else None


def _line_of(text: str, needle: str) -> int | None:
    pos = text.find(needle)
    return text.count("\n", 0, pos) + 1 if pos >= 0 else None


def _regex(data: dict[str, Any], key: str, default: str, fail: Fail) -> re.Pattern[str]:
    value = data.get(key, default)
    if not isinstance(value, str):
        raise fail(f"'{key}' must be a regular expression in a string", key)
    try:
        return re.compile(value, re.MULTILINE)
    except (re.error, OverflowError, RecursionError) as err:   # OverflowError: a repetition count too large
        raise fail(f"'{key}' is not a regular expression: {err}", key) from None


def _uses(value: Any, p: Path, root: Path, fail: Fail) -> tuple[tuple[str, ...], tuple[Path, ...]]:
    """The files a table uses, each inside ``root`` once symbolic links are resolved."""
    if not isinstance(value, list) or not all(isinstance(u, str) for u in value):
        raise fail("'use' must be a list of file names", "use")
    paths = []
    for u in value:
        shown = repr(u[:200])
        try:
            target = (p.parent / u).resolve() if u.strip() and "\0" not in u else None
        except (OSError, RuntimeError):   # a loop of symbolic links
            raise fail(f"'use' names {shown}, which cannot be resolved: a loop of symbolic links", "use",
                       value=u) from None
        if target is not None and not target.is_relative_to(root.resolve()):
            raise fail(f"'use' names {shown}, which is outside the library's root {root}: a table reads only files "
                       "of its library (--use-root DIR allows another root)", "use", value=u)
        if target is not None and target.exists() and not target.is_file() and not target.is_dir():
            raise fail(f"'use' names {shown}, which is not a regular file (a named pipe, a device or a socket)",
                       "use", value=u)
        if target is None or not target.is_file():
            raise fail(f"'use' names a file that does not exist: {shown} (relative to {p.name})", "use", value=u)
        if not target.name.endswith(".toml") or target.name.endswith(NOTATION_SUFFIX):
            raise fail(f"'use' names {shown}, which is not a derivation file (.toml)", "use", value=u)
        paths.append(target)
    return tuple(value), tuple(paths)


def _used_names(paths: tuple[Path, ...]) -> tuple[dict[str, str], frozenset[str], frozenset[str]]:
    """The names the used derivation files declare and define (they are read again, fully, by the loader)."""
    symbols: dict[str, str] = {}
    functions: set[str] = set()
    abbreviations: set[str] = set()
    for path in paths:
        try:
            if path.stat().st_size > MAX_FILE_BYTES:
                continue
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ValueError, RecursionError):
            continue   # the loader reports the file itself
        if not isinstance(data.get("symbols") or {}, dict) or not isinstance(data.get("define") or {}, dict):
            continue
        for name, decl in (data.get("symbols") or {}).items():
            if isinstance(decl, str):
                symbols[name] = decl
        for key in data.get("define") or {}:
            (functions if "(" in key else abbreviations).add(key.partition("(")[0].strip())
    return symbols, frozenset(functions), frozenset(abbreviations)


def _strings_table(data: dict[str, Any], name: str, text: str, fail: Fail
                   ) -> tuple[tuple[str, str, int | None], ...]:
    table = data.get(name, {})
    if not isinstance(table, dict):
        raise fail(f"[{name}] must be a table of name = \"...\" entries", f"[{name}]")
    lines = _key_lines(text, f"[{name}]")
    out = []
    for key, value in table.items():
        if not isinstance(value, str):
            raise fail(f"[{name}] {key}: expected a string", key)
        out.append((key, value, lines.get(key)))
    return tuple(out)


def _key_lines(text: str, header: str) -> dict[str, int]:
    """The line of each ``key = ...`` after the line ``header`` (the first of each key), in one pass."""
    found: dict[str, int] = {}
    after = False
    for n, line in enumerate(text.split("\n"), start=1):
        stripped = line.strip()
        if not after:
            after = stripped.replace(" ", "").replace("\t", "") == header.replace(" ", "")
            continue
        key, equals, _ = stripped.partition("=")
        key = key.strip()
        if equals and key:
            found.setdefault(key.strip("\"'"), n)
    return found


def _layer(raw: dict[str, Any], label: str, fail: Fail, allowed: frozenset[str]) -> Layer:
    for key in raw:
        if key not in allowed:
            raise fail(f"{label}: unknown key '{key}' (allowed: {', '.join(sorted(allowed))})", key)
    patterns: dict[str, Pattern] = {}
    latex = raw.get("latex", {})
    if not isinstance(latex, dict):
        raise fail(f"{label}: 'latex' must be a table of 'LaTeX' = \"expression\" entries", "latex")
    for source, reading in latex.items():
        if not isinstance(reading, str):
            raise fail(f"{label}: the pattern '{source}' must map to an expression string", source,
                       key=source)
        try:
            patterns[source] = pattern(source, reading)
        except ExpressionError as err:
            raise fail(f"{label}: the pattern '{source}' = \"{reading}\": {err.message}", source,
                       key=source) from None
    bounds: dict[str, tuple[str, str]] = {}
    for name, value in (raw.get("bounds") or {}).items():
        lo, dots, hi = value.strip().partition("..") if isinstance(value, str) and "\n" not in value else ("", "", "")
        if not dots or not lo.strip() or not hi.strip():
            raise fail(f"{label}: bounds.{name} must be a range \"lo..hi\", e.g. \"1..K\"", name)
        bounds[name] = (lo.strip(), hi.strip())
    operators: dict[str, str] = {}
    for op, fn in (raw.get("operators") or {}).items():
        if op not in ("*", r"\tilde{*}") or not isinstance(fn, str) or not re.fullmatch(r"[A-Za-z]\w*", fn):
            raise fail(f"{label}: operators: '*' or '\\tilde{{*}}' = \"a function name\"", op)
        operators[op] = fn
    assume = raw.get("assume", [])
    if not isinstance(assume, list) or not all(isinstance(a, str) for a in assume):
        raise fail(f"{label}: 'assume' must be a list of relations", "assume")
    for relation in assume:
        _expression(relation, f"{label}: assume", relation, fail, relation=True)
    where = raw.get("where", {})
    if not isinstance(where, dict) or not all(isinstance(v, (str, int)) and not isinstance(v, bool)
                                              for v in where.values()):
        raise fail(f"{label}: 'where' must be a table of name = value", "where")
    for name, value in where.items():
        _expression(str(value), f"{label}: where.{name}", "where", fail)
    skip = raw.get("skip", False)
    if not isinstance(skip, bool):
        raise fail(f"{label}: 'skip' must be true or false", "skip")
    return Layer(patterns, bounds, operators, tuple(assume), tuple((k, str(v)) for k, v in where.items()), skip)


def _expression(text: str, label: str, needle: str, fail: Fail, *, relation: bool = False) -> None:
    """Check that ``text`` parses (as a relation for an ``assume``), for an error at the table's line rather than
    at the sheet's."""
    try:
        (P.parse_relation if relation else P.parse_expression)(text)
    except ExpressionError as err:
        raise fail(f"{label}: {err.message}", needle, value=text, column=err.column) from None
    except RecursionError:
        raise fail(f"{label}: expression nested too deeply", needle, value=text) from None


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

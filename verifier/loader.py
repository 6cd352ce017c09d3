"""Reading derivation libraries: TOML files into :class:`~verifier.model.Claim` values, with line numbers.

Loading checks the *shape* of every file (keys, types, required fields, unique ids, ``use`` targets) and nothing
else; it imports no SymPy, so a run whose verdicts all come from the cache stays fast. Expressions are parsed and
built later, claim by claim, so one bad expression costs one claim, not the run.

``tomllib`` reports no positions, so line numbers are recovered by scanning the text: the ``[[claim]]`` headers in
order, then each key and each string of a claim inside its block.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from verifier.errors import DerivationFileError
from verifier.model import Chain, Claim

CLAIM_KEYS = frozenset({"id", "title", "latex", "note", "statement", "steps", "derivation", "exists", "assume",
                        "where", "sizes", "expect"})
CHAIN_KEYS = frozenset({"name", "assume", "where", "steps"})
FILE_KEYS = frozenset({"question", "title", "use", "symbols", "define", "claim"})
MAX_FILE_BYTES = 2_000_000

_ID = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.\-]*\Z")


@dataclass(frozen=True)
class SourceFile:
    """One derivation file as read: its shared names (still text) and its claims."""

    path: str
    question: str | None
    title: str | None
    uses: tuple[str, ...]
    symbols: tuple[tuple[str, str, int | None], ...]
    definitions: tuple[tuple[str, str, int | None], ...]
    claims: tuple[Claim, ...]
    digest: str
    used_paths: tuple[Path, ...] = ()


@dataclass
class Library:
    """Every file of a derivation library, its claims in order, and the files that could not be read."""

    files: dict[str, SourceFile] = field(default_factory=dict)
    claims: list[Claim] = field(default_factory=list)
    errors: list[DerivationFileError] = field(default_factory=list)

    def context(self, claim: Claim) -> list[SourceFile]:
        """The files whose names a claim sees: used files first (depth first, each once), then its own."""
        order: list[SourceFile] = []
        seen: set[str] = set()

        def visit(path: str) -> None:
            if path in seen or path not in self.files:
                return
            seen.add(path)
            for used in self.files[path].uses:
                visit(used)
            order.append(self.files[path])

        visit(claim.file)
        return order

    def select(self, ids: list[str]) -> list[Claim]:
        """Claims matching any selector: an exact id, or a prefix ending at a dot (``q2`` selects ``q2.*``)."""
        chosen = [c for c in self.claims if any(_matches(c, s) for s in ids)]
        return chosen

    def unknown_selectors(self, ids: list[str]) -> list[str]:
        """Selectors that match no claim."""
        return [s for s in ids if not any(_matches(c, s) for c in self.claims)]


def _matches(claim: Claim, selector: str) -> bool:
    return claim.id == selector or claim.id.startswith(selector + ".") or claim.question == selector


def discover(path: Path) -> list[Path]:
    """The ``.toml`` files of a library folder (sorted), or the one file given."""
    if path.is_file():
        return [path]
    if not path.is_dir():
        raise DerivationFileError(f"no such file or folder: {path}", file=str(path))
    return sorted(p for p in path.rglob("*.toml") if p.is_file())


def load_library(path: Path, *, display_root: Path | None = None) -> Library:
    """Read every file of a library; unreadable files are collected in ``errors``, never raised."""
    lib = Library()
    root = path if path.is_dir() else path.parent
    paths = discover(path)
    pending = list(paths)
    loaded: set[Path] = set()
    while pending:
        p = pending.pop(0).resolve()
        if p in loaded:
            continue
        loaded.add(p)
        shown = _display(p, display_root)
        try:
            source = load_file(p, shown, root=root, display_root=display_root)
        except DerivationFileError as err:
            lib.errors.append(err)
            continue
        lib.files[shown] = source
        pending.extend(source.used_paths)
    ids: dict[str, Claim] = {}
    for p in paths:
        shown = _display(p.resolve(), display_root)
        source = lib.files.get(shown)
        if source is None:
            continue
        for claim in source.claims:
            if claim.id in ids:
                first = ids[claim.id]
                lib.errors.append(DerivationFileError(
                    f"duplicate claim id '{claim.id}' (first defined at {first.file}:{first.line}); ids must be "
                    "unique in the whole library", file=claim.file, line=claim.line))
                continue
            ids[claim.id] = claim
            lib.claims.append(claim)
    return lib


def _display(p: Path, display_root: Path | None) -> str:
    base = display_root or Path.cwd()
    try:
        return str(p.relative_to(base.resolve()))
    except ValueError:
        return str(p)


def load_file(p: Path, shown: str, *, root: Path, display_root: Path | None = None) -> SourceFile:
    """Read and check one derivation file."""
    try:
        raw = p.read_bytes()
    except OSError as err:
        raise DerivationFileError(f"cannot read file: {err.strerror}", file=shown) from None
    if len(raw) > MAX_FILE_BYTES:
        raise DerivationFileError(f"file too large ({len(raw)} bytes; at most {MAX_FILE_BYTES})", file=shown)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        raise DerivationFileError("file is not valid UTF-8 text", file=shown, line=line) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        msg = str(err)
        m = re.search(r"\(at line (\d+), column (\d+)\)", msg)
        line = int(m.group(1)) if m else None
        msg = re.sub(r"\s*\(at line \d+, column \d+\)", "", msg)
        raise DerivationFileError(f"TOML syntax error: {msg}", file=shown, line=line) from None
    return _read(data, text, shown, p, root, display_root)


class _Lines:
    """Line numbers recovered from the text of a file (1-based)."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()
        self.claims = self._headers(r"\[\[\s*claim\s*\]\]")
        self.chains = self._headers(r"\[\[\s*claim\s*\.\s*derivation\s*\]\]")

    def _headers(self, pattern: str) -> list[int]:
        rx = re.compile(r"\s*" + pattern)
        return [n for n, line in enumerate(self.lines, start=1) if rx.match(line)]

    def section(self, name: str) -> int | None:
        rx = re.compile(r"\s*\[\s*" + re.escape(name) + r"\s*\]")
        for n, line in enumerate(self.lines, start=1):
            if rx.match(line):
                return n
        return None

    def key(self, key: str, start: int | None, stop: int | None = None) -> int | None:
        """First line in [start, stop) that assigns ``key``."""
        rx = re.compile(r'\s*("?)' + re.escape(key) + r'\1\s*=')
        return self._find(lambda line: bool(rx.match(line)), start, stop)

    def string(self, value: str, start: int | None, stop: int | None = None) -> int | None:
        """First line in [start, stop) that contains the string ``value`` (or its first line)."""
        needle = value.strip().splitlines()[0] if value.strip() else value
        return self._find(lambda line: needle in line or _escaped(needle) in line, start, stop)

    def _find(self, test: Any, start: int | None, stop: int | None) -> int | None:
        lo = start or 1
        hi = stop or len(self.lines) + 1
        for n in range(lo, min(hi, len(self.lines) + 1)):
            if test(self.lines[n - 1]):
                return n
        return None

    def block_end(self, start: int | None) -> int | None:
        """The line of the next ``[[claim]]`` header after ``start``."""
        if start is None:
            return None
        later = [n for n in self.claims if n > start]
        return later[0] if later else None


def _escaped(s: str) -> str:
    return s.replace("\\", "\\\\").replace('"', '\\"')


def _read(data: dict[str, Any], text: str, shown: str, p: Path, root: Path,
          display_root: Path | None) -> SourceFile:
    lines = _Lines(text)

    def fail(msg: str, line: int | None = None) -> DerivationFileError:
        return DerivationFileError(msg, file=shown, line=line)

    for key in data:
        if key not in FILE_KEYS:
            raise fail(f"unknown top-level key '{key}' (allowed: {', '.join(sorted(FILE_KEYS))})",
                       lines.key(key, 1))
    question = _opt_str(data, "question", fail, lines.key("question", 1))
    title = _opt_str(data, "title", fail, lines.key("title", 1))
    uses_raw = data.get("use", [])
    if not isinstance(uses_raw, list) or not all(isinstance(u, str) for u in uses_raw):
        raise fail("'use' must be a list of file names, e.g. use = [\"_common.toml\"]", lines.key("use", 1))
    uses, used_paths = [], []
    for u in uses_raw:
        target = (p.parent / u).resolve()
        if not target.is_file():
            raise fail(f"'use' names a file that does not exist: {u}", lines.key("use", 1))
        uses.append(_display(target, display_root))
        used_paths.append(target)
    symbols = _table_of_strings(data, "symbols", lines, fail)
    definitions = _table_of_strings(data, "define", lines, fail)
    claims_raw = data.get("claim", [])
    if not isinstance(claims_raw, list) or not all(isinstance(c, dict) for c in claims_raw):
        raise fail("'claim' must be an array of tables: write each claim under [[claim]]", lines.claims[:1] and
                   lines.claims[0] or None)
    if p.name.startswith("_") and claims_raw:
        raise fail("files whose name starts with '_' hold shared definitions only, not claims",
                   lines.claims[0] if lines.claims else None)
    claims = []
    for n, raw in enumerate(claims_raw):
        header = lines.claims[n] if n < len(lines.claims) else None
        claims.append(_claim(raw, header, lines, shown, question, fail))
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return SourceFile(shown, question, title, tuple(uses), symbols, definitions, tuple(claims), digest,
                      tuple(used_paths))


def _opt_str(data: dict[str, Any], key: str, fail: Any, line: int | None) -> str | None:
    value = data.get(key)
    if value is not None and not isinstance(value, str):
        raise fail(f"'{key}' must be a string, got {_type(value)}", line)
    return value


def _type(value: Any) -> str:
    return {str: "a string", int: "a number", float: "a number", bool: "a boolean", list: "a list",
            dict: "a table"}.get(type(value), type(value).__name__)


def _table_of_strings(data: dict[str, Any], name: str, lines: _Lines, fail: Any
                      ) -> tuple[tuple[str, str, int | None], ...]:
    table = data.get(name, {})
    start = lines.section(name)
    if not isinstance(table, dict):
        raise fail(f"[{name}] must be a table of name = \"...\" entries", start)
    out = []
    for key, value in table.items():
        line = lines.key(key, start) or start
        if not isinstance(value, str):
            raise fail(f"[{name}] {key}: expected a string, got {_type(value)}", line)
        out.append((key, value, line))
    return tuple(out)


def _claim(raw: dict[str, Any], header: int | None, lines: _Lines, shown: str, question: str | None,
           fail: Any) -> Claim:
    stop = lines.block_end(header)

    def line_of(key: str) -> int | None:
        return lines.key(key, header, stop) or header

    for key in raw:
        if key not in CLAIM_KEYS:
            raise fail(f"claim: unknown key '{key}' (allowed: {', '.join(sorted(CLAIM_KEYS))})", line_of(key))
    for key in ("id", "title"):
        if key not in raw:
            raise fail(f"claim without '{key}': every [[claim]] needs an id and a title", header)
        if not isinstance(raw[key], str) or not raw[key].strip():
            raise fail(f"claim '{key}' must be a non-empty string, got {_type(raw[key])}", line_of(key))
    cid = raw["id"].strip()
    if not _ID.match(cid):
        raise fail(f"claim id '{cid}' may use only letters, digits, '_', '-' and '.'", line_of("id"))
    if not any(k in raw for k in ("statement", "steps", "derivation", "exists")):
        raise fail(f"claim '{cid}' has nothing to check: give a statement, steps, a derivation or exists", header)

    statements: list[str] = []
    statement_lines: list[int | None] = []
    if "statement" in raw:
        value = raw["statement"]
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list) or not items or not all(isinstance(s, str) for s in items):
            raise fail(f"claim '{cid}': 'statement' must be a string or a list of strings", line_of("statement"))
        start = line_of("statement")
        for s in items:
            statements.append(s)
            statement_lines.append(lines.string(s, start, stop) or start)

    chains: list[Chain] = []
    if "steps" in raw:
        chains.append(_chain({"steps": raw["steps"]}, None, line_of("steps"), stop, lines, cid, fail))
    if "derivation" in raw:
        derivs = raw["derivation"]
        if not isinstance(derivs, list) or not all(isinstance(d, dict) for d in derivs):
            raise fail(f"claim '{cid}': write each derivation under [[claim.derivation]]", line_of("derivation"))
        heads = [n for n in lines.chains if header is None or (n > header and (stop is None or n < stop))]
        names: set[str] = set()
        for n, d in enumerate(derivs):
            head = heads[n] if n < len(heads) else header
            chain = _chain(d, d.get("name"), head, stop, lines, cid, fail)
            if chain.name in names:
                raise fail(f"claim '{cid}': two derivations named '{chain.name}'", head)
            names.add(chain.name or "")
            chains.append(chain)

    exists = raw.get("exists")
    if exists is not None and not isinstance(exists, str):
        raise fail(f"claim '{cid}': 'exists' must be a string (one relation)", line_of("exists"))
    expect = raw.get("expect", "holds")
    if expect not in ("holds", "refuted"):
        raise fail(f"claim '{cid}': expect must be \"holds\" or \"refuted\", got {expect!r}", line_of("expect"))
    for key in ("latex", "note"):
        if key in raw and not isinstance(raw[key], str):
            raise fail(f"claim '{cid}': '{key}' must be a string, got {_type(raw[key])}", line_of(key))
    return Claim(
        id=cid, title=raw["title"].strip(), file=shown, line=header,
        statements=tuple(statements), statement_lines=tuple(statement_lines), chains=tuple(chains),
        exists=exists, exists_line=line_of("exists") if exists is not None else None,
        assume=_assume(raw, cid, fail, line_of("assume")), where=_where(raw, cid, fail, line_of("where")),
        sizes=_sizes(raw, cid, fail, line_of("sizes")), expect=expect, latex=raw.get("latex"),
        note=raw.get("note"), question=question,
    )


def _chain(raw: dict[str, Any], name: Any, head: int | None, stop: int | None, lines: _Lines, cid: str,
           fail: Any) -> Chain:
    for key in raw:
        if key not in CHAIN_KEYS:
            raise fail(f"claim '{cid}': unknown key '{key}' in a derivation (allowed: "
                       f"{', '.join(sorted(CHAIN_KEYS))})", lines.key(key, head, stop) or head)
    if name is not None and not isinstance(name, str):
        raise fail(f"claim '{cid}': a derivation's name must be a string, got {_type(name)}", head)
    steps = raw.get("steps")
    steps_line = lines.key("steps", head, stop) or head
    if not isinstance(steps, list) or not all(isinstance(s, str) for s in steps):
        raise fail(f"claim '{cid}': 'steps' must be a list of strings", steps_line)
    if len(steps) < 2:
        raise fail(f"claim '{cid}': a chain needs at least two entries (each step is compared with the one "
                   "before)", steps_line)
    step_lines: list[int | None] = []
    cursor = steps_line
    for s in steps:
        found = lines.string(s, cursor, stop)
        step_lines.append(found or cursor)
        if found:
            cursor = found
    where_line = lines.key("where", head, stop) or head
    return Chain(name=name, steps=tuple(steps), step_lines=tuple(step_lines),
                 assume=_assume(raw, cid, fail, lines.key("assume", head, stop) or head),
                 where=_where(raw, cid, fail, where_line), line=head)


def _assume(raw: dict[str, Any], cid: str, fail: Any, line: int | None) -> tuple[str, ...]:
    value = raw.get("assume", [])
    if not isinstance(value, list) or not all(isinstance(a, str) for a in value):
        raise fail(f"claim '{cid}': 'assume' must be a list of relations, e.g. assume = [\"k != i\"]", line)
    return tuple(value)


def _where(raw: dict[str, Any], cid: str, fail: Any, line: int | None) -> tuple[tuple[str, str], ...]:
    value = raw.get("where", {})
    if not isinstance(value, dict):
        raise fail(f"claim '{cid}': 'where' must be a table, e.g. where = {{ y = 1 }}", line)
    out = []
    for name, v in value.items():
        if isinstance(v, bool) or not isinstance(v, (int, float, str)):
            raise fail(f"claim '{cid}': where.{name} must be a number or an expression string, got {_type(v)}",
                       line)
        out.append((name, repr(v) if isinstance(v, float) else str(v)))
    return tuple(out)


def _sizes(raw: dict[str, Any], cid: str, fail: Any, line: int | None) -> tuple[tuple[str, str], ...]:
    value = raw.get("sizes", {})
    if not isinstance(value, dict):
        raise fail(f"claim '{cid}': 'sizes' must be a table, e.g. sizes = {{ K = \"1..6\" }}", line)
    out = []
    for name, v in value.items():
        if isinstance(v, bool):
            v = None
        if isinstance(v, int):
            v = f"{v}..{v}"
        elif isinstance(v, list) and v and all(isinstance(i, int) and not isinstance(i, bool) for i in v):
            v = ",".join(str(i) for i in v)
        if not isinstance(v, str) or not re.fullmatch(r"\s*-?\d+\s*\.\.\s*-?\d+\s*|\s*-?\d+(\s*,\s*-?\d+)*\s*", v):
            raise fail(f"claim '{cid}': sizes.{name} must be a range like \"1..6\", a list of integers or an "
                       "integer", line)
        out.append((name, v.replace(" ", "")))
    return tuple(out)

"""One derivation file: TOML text into a :class:`SourceFile` (its shared names, still text, and its claims as
:class:`~verifier.model.Claim` values), with line numbers.

Reading checks the *shape* of the file (keys, types, required fields, ``use`` targets) and nothing else.
``tomllib`` reports no positions, so line numbers are recovered by scanning the text: the ``[[claim]]`` headers in
order, then each key and each string of a claim inside its block.
"""

from __future__ import annotations

import bisect
import difflib
import hashlib
import math
import os
import re
import stat
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from verifier.errors import DerivationFileError
from verifier.model import Chain, Claim

#: The name ending of a notation table (``SHEET.notation.toml``), which is not a derivation file.
NOTATION_SUFFIX = ".notation.toml"

CLAIM_KEYS = frozenset({"id", "title", "latex", "note", "statement", "steps", "derivation", "exists", "assume",
                        "where", "sizes", "expect"})
CHAIN_KEYS = frozenset({"name", "assume", "where", "steps"})
FILE_KEYS = frozenset({"question", "title", "use", "symbols", "define", "claim"})
MAX_FILE_BYTES = 2_000_000

_ID = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.\-]*\Z")


class Fail(Protocol):
    """How a reader reports a fault of the file it reads."""

    def __call__(self, message: str, line: int | None = None, /) -> DerivationFileError:
        """The error for a fault of the file, at a line when known (raised by the caller)."""


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
    #: ``(table, key, column)``: where the text of each ``[symbols]`` and ``[define]`` value starts on its line.
    columns: tuple[tuple[str, str, int], ...] = ()

    def column_of(self, table: str, key: str) -> int | None:
        """The column where the value of ``key`` in ``[table]`` starts on its line (``None``: not known)."""
        return next((c for t, k, c in self.columns if t == table and k == key), None)


def repository_root(path: Path) -> Path:
    """The folder a library's files may ``use`` files in by default: the git repository holding ``path``, else
    ``path`` itself (its folder, for a file)."""
    folder = path.resolve()
    folder = folder if folder.is_dir() else folder.parent
    for candidate in (folder, *folder.parents):
        if (candidate / ".git").exists():
            return candidate
    return folder


def display_path(p: Path, display_root: Path | None) -> str:
    """How a file is named in messages and reports: relative to ``display_root`` (or the working folder) when it
    lies below it."""
    base = display_root or Path.cwd()
    try:
        return str(p.relative_to(base.resolve()))
    except ValueError:
        return str(p)


def read_text(p: Path, shown: str, what: str = "file") -> str:
    """The text of a file of at most :data:`MAX_FILE_BYTES` bytes of UTF-8; a file that cannot be read, is too large
    or is not UTF-8 is a :class:`DerivationFileError` naming ``shown`` (and the line of the first bad byte)."""
    try:
        # Opened without waiting and checked before reading: a named pipe or a device would block or never end.
        fd = os.open(p, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as f:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                raise DerivationFileError(f"cannot read {what}: not a regular file (a named pipe, a device or a "
                                          "socket)", file=shown)
            raw = f.read(MAX_FILE_BYTES + 1)
            size = max(len(raw), os.fstat(fd).st_size)
    except OSError as err:
        raise DerivationFileError(f"cannot read {what}: {err.strerror}", file=shown) from None
    if len(raw) > MAX_FILE_BYTES:
        raise DerivationFileError(f"file too large ({size} bytes; at most {MAX_FILE_BYTES})", file=shown)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        raise DerivationFileError("file is not valid UTF-8 text", file=shown, line=line) from None
    # Editors on Windows may start a file with a byte order mark, which TOML does not allow; it carries no meaning.
    return text.removeprefix("\ufeff")


def load_file(p: Path, shown: str, *, display_root: Path | None = None, root: Path | None = None) -> SourceFile:
    """Read and check one derivation file; its ``use`` files must be inside ``root`` (by default
    :func:`repository_root` of the file)."""
    if p.name.endswith(NOTATION_SUFFIX):
        raise DerivationFileError("a notation table is not a derivation file: give the sheet it reads "
                                  "(--derivations SHEET.md --notation TABLE)", file=shown)
    text = read_text(p, shown)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise toml_error(str(err), text, shown) from None
    except ValueError as err:  # tomllib lets Python's limit on the digits of an integer through
        m = re.search(r"(?<!\d)\d{4000,}", text)
        digits_line = text.count("\n", 0, m.start()) + 1 if m else None
        reason = str(err).split(";")[0]
        raise DerivationFileError(f"TOML syntax error: a number has too many digits ({reason})", file=shown,
                                  line=digits_line) from None
    except RecursionError:
        raise DerivationFileError("TOML syntax error: lists or tables nested too deeply", file=shown) from None
    return _read(data, text, shown, p, display_root, repository_root(p) if root is None else root.resolve())


def from_data(data: dict[str, Any], shown: str) -> SourceFile:
    """A derivation file given as data (the tables ``tomllib`` would read), checked as a file is: what the Python
    API builds a claim from. Nothing is written, so nothing has a line."""
    return _read(data, "", shown, Path(shown), None, repository_root(Path(shown)))


#: What to do about tomllib's most common complaints (matched at the start of its message).
_TOML_HINTS = (
    ("Illegal character '\\n'", "a string is not closed on this line: a \"...\" or '...' string must end on the "
                                "line where it starts; use \"\"\"...\"\"\" or '''...''' for text over several lines"),
    ("Expected \"'\"", "a '...' string is not closed"),
    ("Unterminated string", "a \"\"\"...\"\"\" or '''...''' string is never closed"),
    ("Invalid value", "a value must be a quoted string, a number, true or false, a list [...] or a table {...}, "
                      "e.g. x = \"real\""),
    ("Cannot overwrite a value", "a key is given twice in the same table"),
    ("Cannot declare", "a table is declared twice: write [symbols] and [define] once per file, and each claim "
                       "under its own [[claim]]"),
    ("Unclosed array", "a list [...] is not closed with ']'"),
    ("Unescaped '\\'", "in a \"...\" string a backslash starts an escape: write LaTeX in a '...' string, or "
                        "double the backslash"),
)


def toml_error(message: str, text: str, shown: str) -> DerivationFileError:
    """A tomllib complaint as a one-line error with the line (the last line when it is the end of the file)."""
    m = re.search(r" ?\(at line (\d+), column (\d+)\)| ?\(at end of document\)", message)
    line = column = None
    if m:
        line = int(m.group(1)) if m.group(1) else max(1, len(text.rstrip("\n").split("\n")))
        column = int(m.group(2)) if m.group(2) else None
        message = message[:m.start()] + message[m.end():]
    for start, hint in _TOML_HINTS:
        if message.startswith(start):
            message = f"{message} ({hint})"
            break
    return DerivationFileError(f"TOML syntax error: {message}", file=shown, line=line, column=column)


class _Lines:
    """Line numbers recovered from the text of a file (1-based; only line feeds end a line, as in tomllib).

    Every lookup is a binary search in an index built once, so a large file costs time linear in its size.
    """

    _KEY = re.compile(r"""^[ \t]*(?:"((?:[^"\\\n]|\\.)*)"|'([^'\n]*)'|([A-Za-z0-9_-]+))[ \t]*=""", re.MULTILINE)

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [0]
        self.starts.extend(m.end() for m in re.finditer("\n", text))
        self.claims = self._headers(r"\[\[[ \t]*claim[ \t]*\]\]")
        self.chains = self._headers(r"\[\[[ \t]*claim[ \t]*\.[ \t]*derivation[ \t]*\]\]")
        self.keys: dict[str, list[int]] = {}
        for m in self._KEY.finditer(text):
            name = next(g for g in m.groups() if g is not None)
            self.keys.setdefault(name, []).append(self.line_at(m.start()))

    def line_at(self, offset: int) -> int:
        """The line of a character offset."""
        return bisect.bisect_right(self.starts, offset)

    def offset(self, line: int | None) -> int:
        """The offset where a line starts (0 for ``None``)."""
        if line is None or line < 1:
            return 0
        return self.starts[min(line, len(self.starts)) - 1]

    def _headers(self, pattern: str) -> list[int]:
        rx = re.compile(r"^[ \t]*" + pattern, re.MULTILINE)
        return [self.line_at(m.start()) for m in rx.finditer(self.text)]

    def section(self, name: str) -> int | None:
        """The line of the ``[name]`` header."""
        m = re.search(r"^[ \t]*\[[ \t]*" + re.escape(name) + r"[ \t]*\]", self.text, re.MULTILINE)
        return self.line_at(m.start()) if m else None

    def key(self, key: str, start: int | None, stop: int | None = None) -> int | None:
        """First line in [start, stop) that assigns ``key``."""
        found = self.keys.get(key)
        if not found:
            return None
        n = bisect.bisect_left(found, start or 1)
        if n < len(found) and (stop is None or found[n] < stop):
            return found[n]
        return None

    def column(self, value: str, after: int, stop: int | None = None) -> int | None:
        """The column (1-based, in its line) where the text of the string ``value`` starts, found as
        :meth:`string` finds it; ``None`` for a string over several lines (its text starts on the next line)."""
        found = self._find(value, after, stop)
        if found is None or "\n" in value.strip():
            return None
        pos, needle = found
        start = pos + (1 if needle[:1] in "'\"" and not value.startswith(needle[:1]) else 0)
        return start - self.starts[self.line_at(pos) - 1] + 1

    def string(self, value: str, after: int, stop: int | None = None) -> tuple[int, int] | None:
        """Where the string ``value`` is written at or after offset ``after`` and before line ``stop``: its line and
        the offset just past it (or past its first line, for a string over several lines)."""
        found = self._find(value, after, stop)
        if found is None:
            return None
        pos, needle = found
        return self.line_at(pos), pos + len(needle)

    def _find(self, value: str, after: int, stop: int | None) -> tuple[int, str] | None:
        """The offset of the first way ``value`` may be written, and that writing."""
        limit = self.offset(stop) if stop is not None else len(self.text)
        stripped = value.strip()
        needles: list[str] = []
        if stripped and "\n" not in stripped:
            needles += [f'"{_escaped(value)}"', f"'{value}'", f'"{value}"']
        if stripped:
            first = stripped.split("\n", 1)[0]
            needles += [_escaped(first), first]
        else:
            needles += ['""', "''"]
        for needle in needles:
            pos = self.text.find(needle, after, limit)
            if pos >= 0:
                return pos, needle
        return None

    def block_end(self, start: int | None, headers: list[int] | None = None) -> int | None:
        """The line of the next header (of a claim, or of ``headers``) after ``start``."""
        if start is None:
            return None
        headers = self.claims if headers is None else headers
        n = bisect.bisect_right(headers, start)
        return headers[n] if n < len(headers) else None


def _escaped(s: str) -> str:
    return s.replace("\\", "\\\\").replace('"', '\\"')


def _read(data: dict[str, Any], text: str, shown: str, p: Path,
          display_root: Path | None, root: Path) -> SourceFile:
    lines = _Lines(text)

    def fail(msg: str, line: int | None = None) -> DerivationFileError:
        return DerivationFileError(msg, file=shown, line=line)

    for key in data:
        if key not in FILE_KEYS:
            raise fail(f"unknown top-level key '{_safe(key)}'{_did_you_mean(key, FILE_KEYS)} (allowed: "
                       f"{', '.join(sorted(FILE_KEYS))})", lines.key(key, 1) or lines.section(key))
    question = _opt_str(data, "question", fail, lines.key("question", 1))
    title = _opt_str(data, "title", fail, lines.key("title", 1))
    uses_raw = data.get("use", [])
    use_line = lines.key("use", 1)
    if not isinstance(uses_raw, list) or not all(isinstance(u, str) for u in uses_raw):
        raise fail(f"'use' must be a list of file names, e.g. use = [\"_common.toml\"], got {_type(uses_raw)}",
                   use_line)
    uses, used_paths = [], []
    for u in uses_raw:
        try:
            target = (p.parent / u).resolve()
            found = bool(u.strip()) and target.is_file()
        except (OSError, ValueError, RuntimeError):   # RuntimeError: a loop of symbolic links
            found = False
        if found and not target.is_relative_to(root):
            raise fail(f"'use' names {_safe(u)!r}, which is outside the library's root {root}: a library reads only "
                       "its own files (--use-root DIR allows another root)", use_line)
        if not found:
            raise fail(f"'use' names a file that does not exist: {u!r} (names are relative to the folder of "
                       f"{p.name})", use_line)
        uses.append(display_path(target, display_root))
        used_paths.append(target)
    symbols = _table_of_strings(data, "symbols", lines, fail)
    definitions = _table_of_strings(data, "define", lines, fail)
    declared = {name: line for name, _, line in symbols}
    for key, _, line in definitions:
        name = key.partition("(")[0].strip()
        if name in declared:
            raise fail(f"'{name}' is both declared in [symbols] (line {declared[name]}) and defined in [define]; "
                       "rename one of them", line)
    claims_raw = data.get("claim", [])
    if not isinstance(claims_raw, list) or not all(isinstance(c, dict) for c in claims_raw):
        where = lines.claims[0] if lines.claims else lines.key("claim", 1) or lines.section("claim")
        raise fail(f"'claim' must be an array of tables, got {_type(claims_raw)}: write each claim under "
                   "[[claim]]", where)
    if p.name.startswith("_") and claims_raw:
        raise fail("files whose name starts with '_' hold shared definitions only, not claims",
                   lines.claims[0] if lines.claims else None)
    claims = []
    for n, raw in enumerate(claims_raw):
        header = lines.claims[n] if n < len(lines.claims) else None
        claims.append(_claim(raw, header, lines, shown, question, fail))
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    columns = tuple((table, key, column) for table, entries in (("symbols", symbols), ("define", definitions))
                    for key, value, line in entries
                    if (column := lines.column(value, lines.offset(line))) is not None)
    return SourceFile(shown, question, title, tuple(uses), symbols, definitions, tuple(claims), digest,
                      tuple(used_paths), columns)


def _opt_str(data: dict[str, Any], key: str, fail: Fail, line: int | None) -> str | None:
    value = data.get(key)
    if value is not None and not isinstance(value, str):
        raise fail(f"'{key}' must be a string, got {_type(value)}", line)
    return value


def _did_you_mean(key: str, allowed: frozenset[str]) -> str:
    close = difflib.get_close_matches(key, sorted(allowed), n=1, cutoff=0.7)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _safe(text: str) -> str:
    """``text`` for a one-line message: control characters (a newline in a quoted key) escaped."""
    return text if text.isprintable() else text.encode("unicode_escape").decode("ascii")


def _type(value: Any) -> str:
    if isinstance(value, list) and not value:
        return "an empty list"
    if isinstance(value, str) and not value.strip():
        return "an empty string"
    return {str: "a string", int: "a number", float: "a number", bool: "a boolean", list: "a list",
            dict: "a table"}.get(type(value), f"a {type(value).__name__}")


def _strings(value: Any, what: str, example: str) -> str | None:
    """Why ``value`` is not a list of strings (``None`` when it is one)."""
    if isinstance(value, str):
        return f"{what} must be a list of strings, got a string: write {example}"
    if not isinstance(value, list):
        return f"{what} must be a list of strings, got {_type(value)}: write {example}"
    for n, item in enumerate(value, start=1):
        if not isinstance(item, str):
            return f"{what} must be a list of strings, but entry {n} is {_type(item)} (quote it)"
    return None


def _table_of_strings(data: dict[str, Any], name: str, lines: _Lines, fail: Fail
                      ) -> tuple[tuple[str, str, int | None], ...]:
    table = data.get(name, {})
    start = lines.section(name)
    if not isinstance(table, dict):
        raise fail(f"[{name}] must be a table of name = \"...\" entries, got {_type(table)}",
                   start or lines.key(name, 1))
    out = []
    for key, value in table.items():
        line = lines.key(key, start) or start
        if not key.isprintable():
            raise fail(f"[{name}] '{_safe(key)}': a name cannot contain control characters", line)
        if not isinstance(value, str):
            if name == "symbols":
                hint = ", e.g. \"real\" or \"integer 1..K\""
            elif isinstance(value, (int, float)) and not isinstance(value, bool):
                hint = f": quote it, \"{value}\""
            else:
                hint = ""
            raise fail(f"[{name}] {_safe(key)}: expected a string, got {_type(value)}{hint}", line)
        out.append((key, value, line))
    return tuple(out)


def _claim(raw: dict[str, Any], header: int | None, lines: _Lines, shown: str, question: str | None,
           fail: Fail) -> Claim:
    stop = lines.block_end(header)
    # Keys of the claim itself come before its first [[claim.derivation]] (TOML puts later keys in the chain).
    own_stop = lines.block_end(header, lines.chains)
    if own_stop is None or (stop is not None and own_stop > stop):
        own_stop = stop

    def line_of(key: str) -> int | None:
        return lines.key(key, header, own_stop) or header

    for key in raw:
        if key not in CLAIM_KEYS:
            raise fail(f"claim: unknown key '{_safe(key)}'{_did_you_mean(key, CLAIM_KEYS)} (allowed: "
                       f"{', '.join(sorted(CLAIM_KEYS))})", line_of(key))
    for key in ("id", "title"):
        if key not in raw:
            raise fail(f"claim without '{key}': every [[claim]] needs an id and a title", header)
        if not isinstance(raw[key], str) or not raw[key].strip():
            raise fail(f"claim '{key}' must be a non-empty string, got {_type(raw[key])}", line_of(key))
    cid = raw["id"].strip()
    if not _ID.match(cid):
        raise fail(f"claim id '{_safe(cid)}' may use only letters, digits, '_', '-' and '.'", line_of("id"))
    if not any(k in raw for k in ("statement", "steps", "derivation", "exists")):
        raise fail(f"claim '{cid}' has nothing to check: give a statement, steps, a derivation or exists", header)

    statements: list[str] = []
    statement_lines: list[int | None] = []
    statement_columns: list[int | None] = []
    if "statement" in raw:
        value = raw["statement"]
        start = line_of("statement")
        if not (isinstance(value, str) or (isinstance(value, list) and value
                                           and all(isinstance(s, str) for s in value))):
            raise fail(f"claim '{cid}': 'statement' must be a string or a non-empty list of strings, got "
                       f"{_type(value)}", start)
        cursor = lines.offset(start)
        for s in [value] if isinstance(value, str) else value:
            statements.append(s)
            statement_columns.append(lines.column(s, cursor, own_stop))
            found = lines.string(s, cursor, own_stop)
            statement_lines.append(found[0] if found else start)
            if found:
                cursor = found[1]

    chains: list[Chain] = []
    if "steps" in raw:
        chains.append(_chain({"steps": raw["steps"]}, None, line_of("steps"), own_stop, lines, cid, fail))
    if "derivation" in raw:
        derivs = raw["derivation"]
        if not isinstance(derivs, list) or not all(isinstance(d, dict) for d in derivs):
            raise fail(f"claim '{cid}': 'derivation' must be tables, got {_type(derivs)}: write each derivation "
                       "under [[claim.derivation]]", line_of("derivation"))
        heads = [n for n in lines.chains if header is None or (n > header and (stop is None or n < stop))]
        names: set[str] = set()
        for n, d in enumerate(derivs):
            head = heads[n] if n < len(heads) else header
            chain_stop = heads[n + 1] if n + 1 < len(heads) else stop
            chain = _chain(d, d.get("name"), head, chain_stop, lines, cid, fail)
            if chain.name in names:
                raise fail(f"claim '{cid}': two derivations named '{_safe(chain.name or '')}'", head)
            names.add(chain.name or "")
            chains.append(chain)

    exists = raw.get("exists")
    if exists is not None and not isinstance(exists, str):
        raise fail(f"claim '{cid}': 'exists' must be a string (one relation), got {_type(exists)}",
                   line_of("exists"))
    expect = raw.get("expect", "holds")
    if expect not in ("holds", "refuted") or isinstance(expect, bool):
        raise fail(f"claim '{cid}': expect must be \"holds\" or \"refuted\", got {expect!r}", line_of("expect"))
    for key in ("latex", "note"):
        if key in raw and not isinstance(raw[key], str):
            raise fail(f"claim '{cid}': '{key}' must be a string, got {_type(raw[key])}", line_of(key))
    exists_line = exists_column = None
    if exists is not None:
        exists_column = lines.column(exists, lines.offset(line_of("exists")), own_stop)
        found = lines.string(exists, lines.offset(line_of("exists")), own_stop)
        exists_line = found[0] if found else line_of("exists")
    return Claim(
        id=cid, title=raw["title"].strip(), file=shown, line=header,
        statements=tuple(statements), statement_lines=tuple(statement_lines), chains=tuple(chains),
        exists=exists, exists_line=exists_line, statement_columns=tuple(statement_columns),
        exists_column=exists_column,
        assume=_assume(raw, cid, fail, line_of("assume")), where=_where(raw, cid, fail, line_of("where")),
        where_line=line_of("where") if "where" in raw else None,
        sizes=_sizes(raw, cid, fail, line_of("sizes")), expect=expect, latex=raw.get("latex"),
        note=raw.get("note"), question=question,
    )


def _chain(raw: dict[str, Any], name: Any, head: int | None, stop: int | None, lines: _Lines, cid: str,
           fail: Fail) -> Chain:
    """A chain: the claim's own ``steps`` (``name`` None, searched in [head, stop)) or a [[claim.derivation]]."""
    for key in raw:
        if key not in CHAIN_KEYS:
            raise fail(f"claim '{cid}': unknown key '{_safe(key)}' in a derivation"
                       f"{_did_you_mean(key, CHAIN_KEYS)} (allowed: {', '.join(sorted(CHAIN_KEYS))})",
                       lines.key(key, head, stop) or head)
    if name is not None and not isinstance(name, str):
        raise fail(f"claim '{cid}': a derivation's name must be a string, got {_type(name)}",
                   lines.key("name", head, stop) or head)
    label = f"claim '{cid}'" + (f", derivation '{_safe(name)}'" if name else "")
    steps = raw.get("steps")
    steps_line = lines.key("steps", head, stop) or head
    if steps is None:
        raise fail(f"{label}: a derivation needs steps = [\"...\", \"...\"]", head)
    problem = _strings(steps, "'steps'", 'steps = ["first entry", "second entry", ...]')
    if problem:
        raise fail(f"{label}: {problem}", steps_line)
    if len(steps) < 2:
        raise fail(f"{label}: a chain needs at least two entries (each step is compared with the one "
                   "before)", steps_line)
    step_lines: list[int | None] = []
    step_columns: list[int | None] = []
    cursor = lines.offset(steps_line)
    for s in steps:
        step_columns.append(lines.column(s, cursor, stop))
        found = lines.string(s, cursor, stop)
        step_lines.append(found[0] if found else lines.line_at(cursor) if steps_line else None)
        if found:
            cursor = found[1]
    where_line = lines.key("where", head, stop) or head
    return Chain(name=name, steps=tuple(steps), step_lines=tuple(step_lines), step_columns=tuple(step_columns),
                 assume=_assume(raw, label, fail, lines.key("assume", head, stop) or head),
                 where=_where(raw, label, fail, where_line), line=head,
                 where_line=where_line if "where" in raw else None)


def _assume(raw: dict[str, Any], cid: str, fail: Fail, line: int | None) -> tuple[str, ...]:
    value = raw.get("assume", [])
    problem = _strings(value, "'assume'", 'assume = ["k != i"]')
    if problem:
        raise fail(f"{_who(cid)}: {problem}", line)
    return tuple(value)


def _who(cid: str) -> str:
    return cid if cid.startswith("claim '") else f"claim '{cid}'"


def _where(raw: dict[str, Any], cid: str, fail: Fail, line: int | None) -> tuple[tuple[str, str], ...]:
    value = raw.get("where", {})
    if not isinstance(value, dict):
        raise fail(f"{_who(cid)}: 'where' must be a table, e.g. where = {{ y = 1 }}, got {_type(value)}", line)
    out = []
    for name, v in value.items():
        if isinstance(v, bool) or not isinstance(v, (int, float, str)):
            raise fail(f"{_who(cid)}: where.{_safe(name)} must be a number or an expression string, got {_type(v)}",
                       line)
        if isinstance(v, float) and not math.isfinite(v):
            raise fail(f"{_who(cid)}: where.{_safe(name)} must be a finite number, got {v}", line)
        out.append((name, repr(v) if isinstance(v, float) else str(v)))
    return tuple(out)


#: Bounds on ``sizes``: a bounded check tries a few hundred instances at most, so more values only cost time.
MAX_SIZE_VALUES = 1000
MAX_SIZE = 1_000_000


def _sizes(raw: dict[str, Any], cid: str, fail: Fail, line: int | None) -> tuple[tuple[str, str], ...]:
    value = raw.get("sizes", {})
    if not isinstance(value, dict):
        raise fail(f"claim '{cid}': 'sizes' must be a table, e.g. sizes = {{ K = \"1..6\" }}, got {_type(value)}",
                   line)
    out = []
    for name, v in value.items():
        if isinstance(v, bool):
            v = None
        if isinstance(v, int):
            v = f"{v}..{v}"
        elif isinstance(v, list) and v and all(isinstance(i, int) and not isinstance(i, bool) for i in v):
            v = ",".join(str(i) for i in v)
        if not isinstance(v, str) or not re.fullmatch(r"\s*-?\d+\s*\.\.\s*-?\d+\s*|\s*-?\d+(\s*,\s*-?\d+)*\s*", v):
            raise fail(f"claim '{cid}': sizes.{_safe(name)} must be a range like \"1..6\", a list of integers or an "
                       "integer", line)
        v = re.sub(r"\s", "", v)
        numbers = re.findall(r"-?\d+", v)
        if any(len(x.lstrip("-")) > len(str(MAX_SIZE)) for x in numbers):
            raise fail(f"claim '{cid}': sizes.{_safe(name)} is too large (each size at most {MAX_SIZE}); a bounded "
                       "check needs only small sizes", line)
        values = [int(x) for x in numbers]
        count = values[1] - values[0] + 1 if ".." in v else len(values)
        if ".." in v and count < 1:
            raise fail(f"claim '{cid}': sizes.{_safe(name)} = \"{v}\" is an empty range (write the low bound "
                       "first)", line)
        if count > MAX_SIZE_VALUES or any(abs(x) > MAX_SIZE for x in values):
            raise fail(f"claim '{cid}': sizes.{_safe(name)} = \"{v}\" is too large (at most {MAX_SIZE_VALUES} "
                       f"values, each at most {MAX_SIZE}); a bounded check needs only small sizes", line)
        out.append((name, v))
    return tuple(out)

"""``[tool.verify]`` in ``pyproject.toml``: the options a project sets once, found by walking up from the working
folder to the first ``pyproject.toml`` that has the table (as ruff, mypy and pytest find theirs).

Keys: ``derivations`` and ``notation`` (paths, relative to the folder of that ``pyproject.toml``), ``timeout``
(seconds per obligation), ``jobs``, ``require_proof`` and ``format``. An option given on the command line wins. A
key that is not one of these, or a value of the wrong type, is an error at its line and column (exit 2).
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from verifier.errors import UsageError

CONFIG_FILE = "pyproject.toml"
TABLE = "tool.verify"

#: Each key, what it must be, and how it is checked.
KEYS = {
    "derivations": "a path (a folder, a .toml file or a sheet)",
    "notation": "a path to a notation table",
    "timeout": "a positive number of seconds",
    "jobs": "a whole number of worker processes, at least 1",
    "require_proof": "true or false",
    "format": "a report format",
}

_HEADER = re.compile(r"^[ \t]*\[[ \t]*tool[ \t]*\.[ \t]*verify[ \t]*\][ \t]*(#.*)?$", re.MULTILINE)


@dataclass(frozen=True)
class Config:
    """The ``[tool.verify]`` table in force: its values (paths made relative to the working folder), the file it came
    from and each key's line (``None`` when no file has the table)."""

    values: dict[str, Any] = field(default_factory=dict)
    file: Path | None = None
    lines: dict[str, int] = field(default_factory=dict)

    def origin(self, key: str) -> str:
        """Where ``key``'s value comes from, for ``--show-config``."""
        return f"{_shown(self.file)}:{self.lines[key]} [{TABLE}]" if self.file and key in self.lines else "default"


def find(start: Path | None = None) -> Path | None:
    """The first ``pyproject.toml`` with a ``[tool.verify]`` table in ``start`` (the working folder) or above."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        candidate = folder / CONFIG_FILE
        try:
            if candidate.is_file() and _HEADER.search(candidate.read_text(encoding="utf-8", errors="replace")):
                return candidate
        except OSError:
            continue
    return None


def load(formats: tuple[str, ...], start: Path | None = None) -> Config:
    """The configuration in force from ``start`` (the working folder); an empty one when no file has the table."""
    path = find(start)
    if path is None:
        return Config()
    shown = _shown(path)
    try:
        text = path.read_text(encoding="utf-8")
        data = tomllib.loads(text.removeprefix("\ufeff"))
    except (OSError, UnicodeDecodeError) as err:
        raise UsageError(f"cannot read it: {err}", file=shown) from None
    except tomllib.TOMLDecodeError as err:
        line, column = _position(str(err))
        raise UsageError(f"TOML syntax error: {re.sub(r' [(]at .*[)]$', '', str(err))}", file=shown, line=line,
                         column=column) from None
    table = data.get("tool", {}).get("verify", {})
    lines = _key_lines(text)
    if not isinstance(table, dict):
        raise UsageError(f"[{TABLE}] must be a table", file=shown)
    values: dict[str, Any] = {}
    for key, value in table.items():
        line, column = lines.get(key, (None, None))
        if key not in KEYS:
            near = [k for k in KEYS if k.replace("_", "-") == key or k == key.replace("-", "_")]
            hint = f" (did you mean '{near[0]}'?)" if near else f" (allowed: {', '.join(KEYS)})"
            raise UsageError(f"[{TABLE}] unknown key '{key}'{hint}", file=shown, line=line, column=column)
        problem = _check(key, value, formats)
        if problem:
            raise UsageError(f"[{TABLE}] {key} must be {problem}, got {value!r}", file=shown, line=line,
                             column=column)
        if key in ("derivations", "notation"):
            value = _relative(path.parent / value)
        values[key] = float(value) if key == "timeout" else value
    return Config(values, path, {k: lines[k][0] for k in values if k in lines})


def _check(key: str, value: Any, formats: tuple[str, ...]) -> str | None:
    """What ``value`` should have been for ``key`` (``None`` when it is right)."""
    if key in ("derivations", "notation"):
        return None if isinstance(value, str) and value.strip() else KEYS[key]
    if key == "timeout":
        ok = isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0
        return None if ok else KEYS[key]
    if key == "jobs":
        return None if isinstance(value, int) and not isinstance(value, bool) and value >= 1 else KEYS[key]
    if key == "require_proof":
        return None if isinstance(value, bool) else KEYS[key]
    return None if value in formats else f"one of {', '.join(formats)}"


def _key_lines(text: str) -> dict[str, tuple[int, int]]:
    """The line and column of each key written in the ``[tool.verify]`` table (up to the next table header)."""
    header = _HEADER.search(text)
    if header is None:
        return {}
    start = header.end()
    stop = re.compile(r"^[ \t]*\[", re.MULTILINE).search(text, start)
    body = text[start:stop.start() if stop else len(text)]
    first_line = text.count("\n", 0, start) + 1
    out: dict[str, tuple[int, int]] = {}
    for m in re.finditer(r"""^([ \t]*)(?:"([^"\n]*)"|'([^'\n]*)'|([A-Za-z0-9_-]+))[ \t]*=""", body, re.MULTILINE):
        key = m.group(2) or m.group(3) or m.group(4) or ""
        out.setdefault(key, (first_line + body.count("\n", 0, m.start()), len(m.group(1)) + 1))
    return out


def _position(message: str) -> tuple[int | None, int | None]:
    m = re.search(r"at line (\d+), column (\d+)", message)
    return (int(m.group(1)), int(m.group(2))) if m else (None, None)


def _relative(path: Path) -> str:
    """``path`` as the command line would name it: relative to the working folder where it can be."""
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive (Windows)
        return str(path)


def _shown(path: Path | None) -> str:
    return _relative(path) if path is not None else ""

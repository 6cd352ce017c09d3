"""Which ``.toml`` files are derivation files, judged by their content (never by running anything in them).

A course repository has other TOML files (``pyproject.toml``, tool configuration), so a file name pattern alone is not
enough: the pre-commit hook (``verify files``) and the pytest plugin both ask here.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from verifier.frontend.tomlfile import FILE_KEYS

_CHECKABLE = frozenset({"statement", "steps", "derivation", "exists"})
_CLAIM_HEADER = re.compile(r"^[ \t]*\[\[[ \t]*claim[ \t]*\]\]", re.MULTILINE)
#: Files that are never derivation files, whatever they contain.
_TOOL_FILES = frozenset({"pyproject.toml", "Cargo.toml", "ruff.toml", ".ruff.toml", "poetry.lock", "Pipfile"})


def _read(path: Path) -> str | None:
    if path.suffix != ".toml" or path.name in _TOOL_FILES:
        return None
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None


def is_derivation_file(path: Path) -> bool:
    """Whether ``path`` looks like a derivation file with claims (a broken one included, to report it): a
    ``[[claim]]`` header on a line of its own, a name not starting with ``_``, and (when it parses) only the
    top-level keys of the format or claims with something to check."""
    text = _read(path)
    if text is None or path.name.startswith("_") or not _CLAIM_HEADER.search(text):
        return False
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return True  # a derivation file with a syntax error: taken, so that the error is reported
    claims = data.get("claim")
    if not isinstance(claims, list) or not all(isinstance(c, dict) for c in claims):
        return False
    # Only the format's keys at the top, or claims with something to check (then a misspelt top-level key is an
    # error to report, not a reason to skip the file).
    return set(data) <= FILE_KEYS or any(_CHECKABLE & set(c) for c in claims)


def is_shared_file(path: Path) -> bool:
    """Whether ``path`` is a file of shared definitions: a name starting with ``_`` and only the format's top-level
    keys (or a TOML syntax error, to report it)."""
    text = _read(path)
    if text is None or not path.name.startswith("_"):
        return False
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return True
    return bool(data) and set(data) <= FILE_KEYS


def is_derivation_source(path: Path) -> bool:
    """A derivation file with claims, or a file of shared definitions that derivation files ``use``."""
    return is_derivation_file(path) or is_shared_file(path)

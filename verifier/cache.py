"""The result cache in ``.verify_cache/``: a claim's outcomes, keyed by everything its verdict depends on.

The key hashes the claim as read (every field, lines included), the ``[symbols]`` and ``[define]`` entries of every
file it sees, the tool's and SymPy's versions and the options that change verdicts (the timeout). Entries are
written atomically (a temporary file renamed into place); an entry that cannot be read or does not match is ignored
and rewritten. Outcomes that depend on the machine rather than the claim (timeouts, crashed workers, interrupted
runs) are never stored. This module imports no SymPy, so a fully cached run never loads it.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import tempfile
from importlib import metadata
from pathlib import Path
from typing import Any

from verifier import __version__
from verifier.loader import Library
from verifier.model import Claim, ClaimResult, Outcome

CACHE_DIR = ".verify_cache"
_TAG = ("Signature: 8a477f597d28d172789f06886806bc55\n"
        "# This file is a cache directory tag created by the verifier.\n"
        "# For information about cache directory tags, see https://bford.info/cachedir/\n")
_FORMAT = 1


def sympy_version() -> str:
    """SymPy's version, read from its metadata (without importing it)."""
    try:
        return metadata.version("sympy")
    except metadata.PackageNotFoundError:
        return "unknown"


class Cache:
    """A folder of cached claim results."""

    def __init__(self, root: Path, *, options: dict[str, Any]) -> None:
        self.root = root
        self.options = options
        self._sympy = sympy_version()

    def key(self, library: Library, claim: Claim) -> str:
        """The hash of everything the claim's verdict depends on."""
        context = [(f.path, f.symbols, f.definitions) for f in library.context(claim)]
        payload = json.dumps({
            "format": _FORMAT, "tool": __version__, "sympy": self._sympy, "options": self.options,
            "claim": dataclasses.asdict(claim), "context": context,
        }, sort_keys=True, default=str)
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()

    def get(self, library: Library, claim: Claim) -> ClaimResult | None:
        """The cached result of a claim, or ``None``."""
        key = self.key(library, claim)
        path = self.root / "v1" / key[:2] / f"{key}.json"
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("key") != key:
                return None
            outcomes = [Outcome.from_json(o) for o in data["outcomes"]]
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None
        return ClaimResult(claim, outcomes, cached=True)

    def put(self, library: Library, result: ClaimResult) -> None:
        """Store a claim's result, unless an outcome depends on the machine (timeout, crash, interruption)."""
        if any(_transient(o) for o in result.outcomes):
            return
        key = self.key(library, result.claim)
        folder = self.root / "v1" / key[:2]
        data = {"key": key, "claim": result.claim.id, "outcomes": [o.to_json() for o in result.outcomes]}
        try:
            self._prepare()
            folder.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=".json")
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump(data, out)
            os.replace(tmp, folder / f"{key}.json")
        except OSError:
            pass  # a cache that cannot be written only costs time

    def _prepare(self) -> None:
        if (self.root / "CACHEDIR.TAG").exists():
            return
        self.root.mkdir(parents=True, exist_ok=True)
        (self.root / ".gitignore").write_text("# Created by the verifier automatically.\n*\n", encoding="utf-8")
        (self.root / "CACHEDIR.TAG").write_text(_TAG, encoding="utf-8")


def _transient(o: Outcome) -> bool:
    message = o.message or ""
    return o.verdict in ("unknown", "error") and not o.bad_input and (
        message.startswith("timeout") or message.startswith("the worker process died")
        or message.startswith("interrupted") or message.startswith("stopped:")
        or message.startswith("internal error"))

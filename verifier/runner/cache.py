"""The result cache in ``.verify_cache/``: a claim's outcomes, keyed by everything its verdict depends on.

The key hashes what is checked, by content: the claim's relations, chains, ``assume``, ``where`` and ``sizes`` (not
its title, notes or line numbers, so a comment added above it keeps its entry), the ``[symbols]`` and ``[define]``
entries of every file it sees (without their lines), the tool's version and a digest of the source of the whole
package, every module of it (an edited module anywhere, even one that only presents verdicts, never reuses old
verdicts), SymPy's version and the options that change verdicts (the timeout). A cached result is shown with the
lines of the claim as it is read now. Entries are written atomically (a temporary file renamed into place); an entry
that cannot be read, belongs to another key or does not describe the claim's obligations exactly is ignored and
rewritten. Outcomes that depend on the machine rather than the claim (timeouts, crashed workers, interrupted runs)
are never stored, nor errors (their messages name lines). This module imports no SymPy, so a fully cached run never
loads it.
"""

from __future__ import annotations

import dataclasses
import hashlib
import importlib.util
import json
import os
import re
import tempfile
from pathlib import Path

from verifier import __version__
from verifier.frontend.library import Library
from verifier.model import VERDICTS, Claim, ClaimResult, Obligation, Outcome, obligations

CACHE_DIR = ".verify_cache"
_TAG = ("Signature: 8a477f597d28d172789f06886806bc55\n"
        "# This file is a cache directory tag created by the verifier.\n"
        "# For information about cache directory tags, see https://bford.info/cachedir/\n")
_FORMAT = 2
#: Fields of a claim that do not change what is checked.
_NOT_CHECKED = frozenset({"title", "latex", "note", "line", "statement_lines", "exists_line", "where_line",
                          "step_lines"})
_fingerprint: str | None = None


def sympy_version() -> str:
    """SymPy's version, without importing SymPy: read from its ``release.py`` (fast), else from its metadata."""
    global _SYMPY_VERSION
    if _SYMPY_VERSION is None:
        _SYMPY_VERSION = _sympy_version()
    return _SYMPY_VERSION


_SYMPY_VERSION: str | None = None


def _sympy_version() -> str:
    spec = importlib.util.find_spec("sympy")
    if spec is not None and spec.origin:
        try:
            text = (Path(spec.origin).parent / "release.py").read_text(encoding="utf-8")
            match = re.search(r"""^__version__\s*=\s*["']([^"']+)["']""", text, re.MULTILINE)
            if match:
                return match.group(1)
        except OSError:
            pass
    from importlib import metadata
    try:
        return metadata.version("sympy")
    except metadata.PackageNotFoundError:
        return "unknown"


def tool_fingerprint() -> str:
    """The tool's version and a digest of the source of the modules that decide verdicts (read once)."""
    global _fingerprint
    if _fingerprint is None:
        _fingerprint = f"{__version__}+{engine_digest(Path(__file__).resolve().parent.parent)}"
    return _fingerprint


def engine_digest(package: Path) -> str:
    """A digest of the source of every module under ``package`` (its relative path and bytes)."""
    digest = hashlib.sha256()
    for source in sorted(package.rglob("*.py")):
        name = source.relative_to(package).as_posix().encode("utf-8")
        try:
            digest.update(name + b"\0" + source.read_bytes() + b"\0")
        except OSError:
            digest.update(name + b"\0?\0")
    return digest.hexdigest()[:16]


class Cache:
    """A folder of cached claim results."""

    def __init__(self, root: Path, *, options: dict[str, object]) -> None:
        self.root = root
        self.options = options
        self._sympy = sympy_version()

    def key(self, library: Library, claim: Claim) -> str:
        """The hash of everything the claim's verdict depends on."""
        context = [(f.path, [entry[:2] for entry in f.symbols], [entry[:2] for entry in f.definitions])
                   for f in library.context(claim)]
        payload = json.dumps({
            "format": _FORMAT, "tool": tool_fingerprint(), "sympy": self._sympy, "options": self.options,
            "claim": _checked(dataclasses.asdict(claim)), "context": context,
        }, sort_keys=True, default=str)
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()

    def get(self, library: Library, claim: Claim) -> ClaimResult | None:
        """The cached result of a claim, or ``None``."""
        key = self.key(library, claim)
        path = self.root / "v1" / key[:2] / f"{key}.json"
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if not isinstance(data, dict) or data.get("key") != key or data.get("claim") != claim.id:
                return None
            outcomes = [Outcome.from_json(o) for o in data["outcomes"]]
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None
        current = [ob for ob, _ in obligations(claim)]
        if not _describes(current, outcomes):
            return None
        for o, ob in zip(outcomes, current, strict=True):
            o.obligation = ob       # the lines of the claim as it is read now
        return ClaimResult(claim, outcomes, cached=True)

    def put(self, library: Library, result: ClaimResult) -> None:
        """Store a claim's result, unless an outcome depends on the machine (timeout, crash, interruption)."""
        if any(_transient(o) or o.verdict == "error" for o in result.outcomes):
            return
        key = self.key(library, result.claim)
        folder = self.root / "v1" / key[:2]
        # Without what the reports show: it names lines and LaTeX, which the key leaves out.
        outcomes = [{k: v for k, v in o.to_json().items() if k != "display"} for o in result.outcomes]
        data = {"key": key, "claim": result.claim.id, "outcomes": outcomes}
        try:
            self._prepare()
            folder.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=".json")
        except OSError:
            return  # a cache that cannot be written only costs time
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump(data, out)
            os.replace(tmp, folder / f"{key}.json")
        except (OSError, ValueError, TypeError):
            try:
                os.unlink(tmp)
            except OSError:
                pass

    def _prepare(self) -> None:
        if (self.root / "CACHEDIR.TAG").exists():
            return
        self.root.mkdir(parents=True, exist_ok=True)
        (self.root / ".gitignore").write_text("# Created by the verifier automatically.\n*\n", encoding="utf-8")
        (self.root / "CACHEDIR.TAG").write_text(_TAG, encoding="utf-8")


def _checked(fields: object) -> object:
    """A claim's fields (as a dict, chains included) without those that do not change what is checked."""
    if isinstance(fields, dict):
        return {k: _checked(v) for k, v in fields.items() if k not in _NOT_CHECKED}
    if isinstance(fields, (list, tuple)):
        return [_checked(v) for v in fields]
    return fields


def _describes(expected: list[Obligation], outcomes: list[Outcome]) -> bool:
    """Whether cached outcomes are, one for one, the obligations (lines aside) with well-formed verdicts."""
    if len(outcomes) != len(expected):
        return False
    for o, ob in zip(outcomes, expected, strict=True):
        if dataclasses.replace(o.obligation, line=ob.line) != ob or o.verdict not in VERDICTS \
                or not isinstance(o.seconds, (int, float)):
            return False
        for value in (o.counterexample, o.values):
            if value is not None and not (isinstance(value, dict)
                                          and all(isinstance(v, str) for v in value.values())):
                return False
        if any(v is not None and not isinstance(v, str) for v in (o.method, o.sizes, o.message)):
            return False
    return True


def _transient(o: Outcome) -> bool:
    message = o.message or ""
    return o.verdict in ("unknown", "error") and not o.bad_input and (
        message.startswith("timeout") or message.startswith("the worker process died")
        or message.startswith("interrupted") or message.startswith("stopped:")
        or message.startswith("internal error"))

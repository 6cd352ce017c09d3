"""Which derivation files changed since a git reference (``--changed``), with the files that use them."""

from __future__ import annotations

import subprocess
from pathlib import Path

from verifier.errors import UsageError
from verifier.frontend.library import Library, with_users


def changed_files(library: Library, path: Path, ref: str) -> set[str]:
    """The library's files changed since ``ref`` (committed, staged, unstaged or untracked), and their users.

    An empty ``ref`` means the merge base with the default branch, or ``HEAD`` on the default branch itself.
    """
    top = _git(["rev-parse", "--show-toplevel"], path)
    if top is None:
        raise UsageError("--changed needs a git repository (and git)")
    root = Path(top.strip())
    if not ref:
        base = _default_base(path)
        if base is None:  # a repository without a commit yet: every file is new
            return set(library.files)
        ref = base
    if not is_commit(ref, path):
        raise UsageError(f"--changed: unknown git reference '{ref}'")
    # -z: names as they are (no quoting of unusual characters); run at the top level, where names are relative to.
    names = (_git(["diff", "--name-only", "-z", "--no-renames", ref, "--"], path, cwd_root=root) or "").split("\0")
    names += (_git(["ls-files", "--others", "--exclude-standard", "-z"], path, cwd_root=root) or "").split("\0")
    changed_abs = {(root / n).resolve() for n in names if n}
    return with_users(library, {f for f in library.files if Path(f).resolve() in changed_abs})


def is_commit(ref: str, path: Path) -> bool:
    """Whether ``ref`` names a commit of the repository holding ``path`` (never an option such as ``-x``)."""
    return not ref.startswith("-") and _git(["rev-parse", "--verify", "--quiet", ref + "^{commit}"], path) is not None


def _default_base(path: Path) -> str | None:
    """The merge base of HEAD with the default branch; HEAD on that branch or without one; None without commits."""
    head = _git(["rev-parse", "--verify", "--quiet", "HEAD^{commit}"], path)
    if head is None:
        return None
    candidates = ["origin/HEAD", "origin/main", "origin/master"]
    configured = (_git(["config", "init.defaultBranch"], path) or "").strip()
    candidates += [b for b in (configured, "main", "master") if b]
    for candidate in candidates:
        if not is_commit(candidate, path):
            continue
        base = _git(["merge-base", "HEAD", candidate], path)
        if base:
            # On the default branch itself the merge base is HEAD: then only uncommitted edits count.
            return base.strip() if base.strip() != head.strip() else "HEAD"
    return "HEAD"


def _git(args: list[str], path: Path, cwd_root: Path | None = None) -> str | None:
    cwd = cwd_root or (path if path.is_dir() else path.parent)
    try:
        out = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, timeout=30, check=False,
                             encoding="utf-8", errors="surrogateescape")
    except (OSError, subprocess.TimeoutExpired):
        return None
    return out.stdout if out.returncode == 0 else None

"""Reading derivation libraries: the files of a folder (TOML derivation files, and sheets with their notation
table) into a :class:`Library` of :class:`~verifier.model.Claim` values in order, with the files that could not be
read.

Loading checks the *shape* of every file (:mod:`verifier.frontend.tomlfile`) and nothing else; it imports no SymPy,
so a run whose verdicts all come from the cache stays fast. Expressions are parsed and built later, claim by claim,
so one bad expression costs one claim, not the run.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from verifier.errors import DerivationFileError
from verifier.frontend.tomlfile import (
    NOTATION_SUFFIX,
    SourceFile,
    display_path,
    load_file,
    read_text,
    repository_root,
)
from verifier.model import Claim

if TYPE_CHECKING:     # the sheet reader is imported only when a library has a sheet (a run from the cache needs none)
    from verifier.frontend.notation import Notation
    from verifier.frontend.sheet import Sheet


@dataclass
class Library:
    """Every file of a derivation library, its claims in order, and the files that could not be read."""

    files: dict[str, SourceFile] = field(default_factory=dict)
    claims: list[Claim] = field(default_factory=list)
    errors: list[DerivationFileError] = field(default_factory=list)
    sheets: dict[str, Sheet] = field(default_factory=dict)     # the reading of each sheet (Markdown, LaTeX)
    notations: list[Notation] = field(default_factory=list)    # the notation tables the sheets were read with
    claim_scopes: dict[str, SourceFile] = field(default_factory=dict)   # a sheet's claim id -> its own [symbols]
    notes: list[str] = field(default_factory=list)             # what a reader of the run should know (one line each)

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
        if claim.id in self.claim_scopes:     # a claim's own declarations come last: they win
            order.append(self.claim_scopes[claim.id])
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


SHEET_SUFFIXES = (".md", ".tex")


def discover(path: Path, notation: Path | None = None, root: Path | None = None,
             display_root: Path | None = None) -> tuple[list[Path], list[str]]:
    """The files of a library folder (sorted), or the one file given; and what was left out, and why.

    A folder gives its ``.toml`` derivation files (notation tables ``*.notation.toml`` are not derivation files)
    and, when a notation table applies to them (``notation``, or a ``*.notation.toml`` in the folder itself), the
    sheets (``.md``, ``.tex``) at its top level: sheets in sub-folders are read only when that folder is given.
    A file that is a symbolic link to somewhere outside ``root`` is never read.
    """
    if path.is_file():
        return [path], []
    if path.exists() and not path.is_dir():
        raise DerivationFileError("not read: not a regular file (a named pipe, a device or a socket)",
                                  file=str(path))
    if not path.is_dir():
        raise DerivationFileError(f"no such file or folder: {path}", file=str(path))
    root = (root or repository_root(path)).resolve()
    skipped: list[str] = []

    def inside(p: Path) -> bool:
        try:
            target = p.resolve()
        except (OSError, RuntimeError):
            target = None
        if target is not None and target.is_relative_to(root):
            return True
        skipped.append(f"{display_path(p, display_root)}: not read: a symbolic link that leads outside the "
                       f"library's root {root}")
        return False

    tomls = sorted(p for p in path.rglob("*.toml") if not p.name.endswith(NOTATION_SUFFIX) and inside(p)
                   and p.is_file())
    # Neither followed nor read, but named: folders reached through a symbolic link (a submission could link
    # anywhere), and names of files to read that are no regular file (a named pipe would block the run).
    linked = sorted(p for p in path.rglob("*") if p.is_symlink() and p.is_dir())
    if linked:
        skipped.append(f"{_names(linked, display_root)}: not read: a symbolic link to a folder (links to folders "
                       "are not followed)")
    odd = sorted(p for p in path.rglob("*") if p.suffix in (".toml", *SHEET_SUFFIXES) and p.exists()
                 and not p.is_file() and not p.is_dir())
    if odd:
        skipped.append(f"{_names(odd, display_root)}: not read: not a regular file (a named pipe, a device or a "
                       "socket)")
    sheets = sorted(p for p in path.iterdir() if p.suffix in SHEET_SUFFIXES and p.is_file())
    deeper = sorted(p for p in path.rglob("*/*") if p.suffix in SHEET_SUFFIXES and p.is_file())
    if deeper:
        skipped.append(f"{_names(deeper, display_root)}: not read: sheets in a sub-folder are read only when that "
                       "folder is given to --derivations")
    if notation is None and not any(path.glob("*" + NOTATION_SUFFIX)):
        if sheets:
            skipped.append(f"{_names(sheets, display_root)}: not read: no notation table in "
                           f"{display_path(path.resolve(), display_root)} (write SHEET{NOTATION_SUFFIX} beside a "
                           "sheet, or give one with --notation FILE)")
        return tomls, skipped
    return tomls + [p for p in sheets if inside(p)], skipped


def _names(paths: list[Path], display_root: Path | None, most: int = 10) -> str:
    shown = ", ".join(display_path(p, display_root) for p in paths[:most])
    return shown + (f" and {len(paths) - most} more" if len(paths) > most else "")


def load_library(path: Path, *, display_root: Path | None = None, notation: Path | None = None,
                 root: Path | None = None) -> Library:
    """Read every file of a library; unreadable files are collected in ``errors``, never raised. Sheets are read
    with ``notation`` (or the notation table beside them); with several sheets, claim ids start with the
    sheet's file name (``alice.md:q2.4``). Every ``use`` must stay inside ``root`` (by default the git repository
    holding ``path``, else ``path``); a notation table given outside it may use files of its own repository."""
    lib = Library()
    root = (root or repository_root(path)).resolve()
    paths, skipped = discover(path, notation, root, display_root)
    lib.notes.extend(skipped)
    sheets = [p for p in paths if p.suffix in SHEET_SUFFIXES]
    notations: dict[Path, Notation | DerivationFileError] = {}
    pending = list(paths)
    loaded: set[Path] = set()
    own = {p.resolve() for p in paths}
    by_table: dict[Path, str] = {}      # a file only a notation table uses -> that table
    while pending:
        p = pending.pop(0).resolve()
        if p in loaded:
            continue
        loaded.add(p)
        shown = display_path(p, display_root)
        try:
            if p.suffix in SHEET_SUFFIXES:
                source = _load_sheet(p, shown, lib, notations, notation, display_root, root,
                                     f"{p.name}:" if len(sheets) > 1 else "")
            else:
                source = load_file(p, shown, display_root=display_root,
                                   root=root if p.is_relative_to(root) else None)
        except DerivationFileError as err:
            if p in by_table and p not in own:    # anything readable in the root: its text is not quoted
                err = DerivationFileError(f"an error in this file, which the notation table {by_table[p]} uses (what "
                                          "the file says is not quoted here: verify the file itself to see it)",
                                          file=err.file, line=err.line)
            lib.errors.append(err)
            continue
        except Exception as err:  # a loader bug must cost one file, never the run or a traceback
            lib.errors.append(DerivationFileError(
                f"internal error while reading this file ({type(err).__name__}: {err}); please report it",
                file=shown))
            continue
        lib.files[shown] = source
        pending.extend(source.used_paths)
        if p.suffix in SHEET_SUFFIXES:
            by_table.update({u.resolve(): source.uses[0] for u in source.used_paths if source.uses})
    ids: dict[str, Claim] = {}
    for p in paths:
        shown = display_path(p.resolve(), display_root)
        given = lib.files.get(shown)
        if given is None:
            continue
        for claim in given.claims:
            if claim.id in ids:
                first = ids[claim.id]
                lib.errors.append(DerivationFileError(
                    f"duplicate claim id '{claim.id}' (first defined at {first.file}:{first.line}); ids must be "
                    "unique in the whole library", file=claim.file, line=claim.line))
                continue
            ids[claim.id] = claim
            lib.claims.append(claim)
    lib.notations = [n for n in notations.values() if not isinstance(n, DerivationFileError)]
    return lib


def _load_sheet(p: Path, shown: str, lib: Library, notations: dict[Path, Notation | DerivationFileError],
                given: Path | None, display_root: Path | None, root: Path, id_prefix: str) -> SourceFile:
    """Read a sheet with its notation table into a :class:`SourceFile` (its reading goes to ``lib.sheets``). A
    table that cannot be read is reported once; the other sheets it reads say so. A sheet without a table is read
    with declarations inferred from it."""
    text = read_text(p, shown)
    table = _notation_for(p, given)
    from verifier.frontend.sheet import READ_SECONDS, read_sheet
    deadline = time.monotonic() + READ_SECONDS     # one budget for all that is done to read the sheet
    if table is None:
        from verifier.frontend.infer import inferred_notation
        notation = inferred_notation(text, p, shown, deadline)
        notations[Path(notation.path)] = notation
        lib.notes.append(f"{shown}: declarations inferred; `verify init {shown}` writes them for you to correct")
    else:
        try:
            table = table.resolve()
        except (OSError, RuntimeError):
            raise DerivationFileError(f"not read: its notation table {table.name} cannot be resolved (a loop of "
                                      "symbolic links)", file=shown) from None
        if given is None and not table.is_relative_to(root):
            raise DerivationFileError(f"not read: its notation table is a symbolic link leading outside the "
                                      f"library's root {root}", file=shown)
        table_shown = display_path(table, display_root)
        if table not in notations:
            from verifier.frontend.notation import load_notation
            try:
                notations[table] = load_notation(table, table_shown,
                                                 root=root if table.is_relative_to(root) else None)
            except DerivationFileError as err:
                notations[table] = err
                raise
        found = notations[table]
        if isinstance(found, DerivationFileError):
            raise DerivationFileError(f"not read: its notation table {table_shown} could not be read (see its "
                                      "error)", file=shown)
        notation = found
    try:
        claims, sheet = read_sheet(text, shown, notation, id_prefix=id_prefix, deadline=deadline)
    except DerivationFileError as err:
        if table is not None and err.file == notation.path:   # the table's own pattern failed: no other sheet
            notations[table] = err                              # is tried with it
        raise
    if not claims:
        lib.notes.append(f"{shown}: nothing to check: " + (
            f"none of its {sheet.answers} answers has a chain of two entries in display math" if sheet.answers else
            f"no line is an answer heading (the table's heading pattern: {notation.heading.pattern})"))
    if claims and sheet.empty:
        lib.notes.append(f"{shown}: answers with no display math to check (inline math is not read): " + ", ".join(
            f"{cid} (line {line})" for cid, line in sheet.empty[:_LISTED]) + _more(sheet.empty))
    if sheet.outside:
        lib.notes.append(f"{shown}: display math outside any answer (after a line that is not an answer heading, "
                         f"or a question's line), not read: {_lines(sheet.outside)}")
    if sheet.unshown:
        lib.notes.append(f"{shown}: display math in text the page does not show as mathematics (code, a comment, a "
                         f"link's definition, a skipped branch), not read: {_lines(sheet.unshown)}")
    if sheet.skipped:
        lib.notes.append(f"{shown}: display blocks skipped by the table (not checked): {_lines(sheet.skipped)}")
    if sheet.unmatched:
        lib.notes.append(f"{shown}: entries of {notation.path} that match nothing in this sheet (not applied): "
                         f"{', '.join(sheet.unmatched[:_LISTED])}{_more(sheet.unmatched)}")
    if sheet.shared:    # words found before several blocks: the entry's hypotheses hold in each, said aloud
        lib.notes.append(f"{shown}: entries of {notation.path} keyed by words that apply to several blocks (the words "
                         f"are in the text before each): {', '.join(sheet.shared[:_LISTED])}{_more(sheet.shared)}")
    lib.sheets[shown] = sheet
    for claim in claims:
        own = notation.claim_symbols(claim.id.removeprefix(id_prefix))
        if own:
            lib.claim_scopes[claim.id] = SourceFile(notation.path, None, None, (), own, (), (), notation.digest)
    # The table is a file of the library of its own, so that its names are reported at its own lines.
    lib.files.setdefault(notation.path, SourceFile(
        notation.path, None, None, tuple(display_path(u, display_root) for u in notation.used_paths),
        notation.symbols, notation.definitions, (), notation.digest, notation.used_paths, notation.columns))
    digest = hashlib.sha256((text + "\0" + notation.digest).encode("utf-8")).hexdigest()
    return SourceFile(shown, None, None, (notation.path,), (), (), tuple(claims), digest, notation.used_paths)


#: How many lines or entries a note about a sheet lists before "...".
_LISTED = 20


def _more(items: Sequence[object]) -> str:
    """" ..." when a note lists only the first :data:`_LISTED` of ``items``."""
    return " ..." if len(items) > _LISTED else ""


def _lines(numbers: list[int]) -> str:
    """``line 3`` or ``lines 3, 7, 9 ...``: the sheet's lines a note is about."""
    return f"line{'s' if len(numbers) > 1 else ''} {', '.join(str(n) for n in numbers[:_LISTED])}{_more(numbers)}"


def _notation_for(sheet: Path, given: Path | None) -> Path | None:
    """The notation table of a sheet: the one given, SHEET.notation.toml, or the only one in its folder."""
    if given is not None:
        return given
    beside = sheet.with_name(sheet.stem + NOTATION_SUFFIX)
    if beside.is_file():
        return beside
    found = sorted(sheet.parent.glob("*" + NOTATION_SUFFIX))
    return found[0] if len(found) == 1 else None


def with_users(library: Library, files: set[str]) -> set[str]:
    """``files`` and every library file that uses one of them, directly or through other files."""
    found = set(files)
    grew = True
    while grew:
        grew = False
        for f, source in library.files.items():
            if f not in found and any(u in found for u in source.uses):
                found.add(f)
                grew = True
    return found


def with_used(library: Library, files: set[str]) -> set[str]:
    """``files`` and every file they use, directly or through other files (read or not)."""
    found = set(files)
    todo = list(files)
    while todo:
        source = library.files.get(todo.pop())
        for used in source.uses if source else ():
            if used not in found:
                found.add(used)
                todo.append(used)
    return found

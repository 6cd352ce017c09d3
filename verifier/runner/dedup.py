"""Identical obligations settled once per run: submissions written on one template share most of their lines.

Two obligations are identical when everything their problem is built from is the same text: the relation as
written (for a step, both entries, and whether the first is a chain's first), its kind, the hypotheses and values
(``assume``, ``where``, ``sizes``, of the claim and of the chain), and the ``[symbols]`` and ``[define]`` entries of
every file the claim sees, in order. Positions (files, lines, columns) and ids are not part of it: they do not
change what is built, only where it is reported. The builder reads text alone, so identical texts build identical
problems, and the verdict of one is the verdict of the other.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace

from verifier.frontend.library import Library
from verifier.model import Claim, Obligation, Outcome, obligations


def obligation_keys(library: Library, claims: list[Claim]) -> list[list[str]]:
    """For each claim, the content key of each of its obligations (in the order of
    :func:`verifier.model.obligations`)."""
    contexts: dict[tuple[int, ...], str] = {}   # by the files' identity: a sheet's claims each have a scope
    out = []
    for claim in claims:
        files = library.context(claim)
        names = tuple(id(f) for f in files)
        if names not in contexts:
            contexts[names] = _digest([[list(s[:2]) for s in f.symbols] + [list(d[:2]) for d in f.definitions]
                                       for f in files])
        shared = [contexts[names], list(claim.assume), [list(w) for w in claim.where], [list(s) for s in claim.sizes]]
        keys = []
        for _, (kind, chain_no, n) in obligations(claim):
            if kind == "statement":
                own: list[object] = [claim.statements[n]]
            elif kind == "exists":
                own = [claim.exists]
            else:
                assert chain_no is not None
                chain = claim.chains[chain_no]
                own = [chain.steps[n], chain.steps[n + 1], n == 0, list(chain.assume),
                       [list(w) for w in chain.where]]
            keys.append(_digest([kind, shared, own]))
        out.append(keys)
    return out


def _digest(value: object) -> str:
    return hashlib.sha256(json.dumps(value, ensure_ascii=False).encode("utf-8")).hexdigest()


def relocated(outcome: Outcome, file: str, copy_file: str, copy: Obligation) -> Outcome | None:
    """``outcome`` (of an obligation of ``file``) as the outcome of the identical obligation ``copy`` of
    ``copy_file``: its time is not counted again, and a message that names the place of the first obligation names
    the copy's. ``None`` when the message names another place in the first's file, which the copy may not share:
    the copy is then settled on its own (also when the message names a place further on: "not read: ... (in the
    reading of FILE:LINE:COL)")."""
    shared = replace(outcome, obligation=copy, seconds=0.0)
    message = outcome.message or ""
    first = outcome.obligation
    if f"{file}:" not in message:
        return shared
    head = f"{file}:{first.line}:"
    if first.line is None or not message.startswith(head):
        return None
    column, sep, rest = message[len(head):].partition(": ")
    if sep and column.isdigit():
        if first.column is not None and copy.column is not None:
            column = str(int(column) - first.column + copy.column)
        rest = f"{column}: {rest}"
    else:
        rest = message[len(head):].lstrip()
        rest = f" {rest}"
    return replace(shared, message=f"{copy_file}:{copy.line}:{rest}")

r"""How the rows and cells of a display block make chains: each entry related to the one before.

A block's rows (``\\``) and cells (``&``) are cut at their top-level relations. In ``align``-like blocks the cells
come in pairs (``lhs &= rhs & lhs &= rhs``): a cell that starts with a relation (``&= ...``) continues the chain of
its own pair of columns, as the page lines it up, and a row that carries on the formula above (``&\quad + 3``,
after ``1 + {} &``) is joined to that column's last entry; a cell of ``\text{..}`` alone is a remark, and a formula
in a column of its own without a relation (``&& (21)``, a tag) is a chain of one entry, which the sheet drops.
"""

from __future__ import annotations

from collections.abc import Callable

from verifier.frontend.latex_tokens import RELOPS, Token

__all__ = ["UNCHECKED", "Raw", "block_chains", "relop", "trim", "unwrap"]

#: An entry before it is read: its relation to the one before, its tokens, its offset.
Raw = tuple[str | None, list[Token], int]
#: Relations a sheet may write that are not checked: the step is reported as not read.
UNCHECKED = {r"\approx": "'\\approx' (an approximation) is not a relation that can be checked"}
_WRAPPERS = frozenset({"aligned", "align", "align*", "split", "gathered", "gather", "gather*", "equation",
                       "equation*", "multline", "multline*", "alignedat"})


def block_chains(tokens: list[Token]) -> list[tuple[bool, list[Raw]]]:
    """The chains of a block's tokens: (whether it starts with a relation, so continues the chain before the
    block; its entries)."""
    chains: list[tuple[bool, list[Raw]]] = []
    columns: dict[int, int] = {}        # a pair of columns -> the chain it writes
    for row in _cut(tokens, lambda t: t.kind == "cmd" and t.text == "\\\\"):
        related = len(_cut(row, lambda t: relop(t) is not None, keep=True)) > 1    # the row has a relation
        for number, cell in enumerate(_cut(row, lambda t: t.kind == "&", empty=True)):
            cell = trim(_unbraced(cell))
            if not cell or all(t.kind == "word" for t in cell):     # && \text{by (2)}: a remark, no math
                continue
            parts = _cut(cell, lambda t: relop(t) is not None, keep=True)
            target = chains[columns.get(number // 2, len(chains) - 1)][1] if chains else []
            if target and _continues(target[-1][1], cell, parts, related):
                # "&= 2 \\ &\quad + 3": the row carries on the formula above it (2 + 3), as the page shows
                op, before, at = target[-1]
                target[-1] = (op, [*_unbraced(before), *parts[0]], at)
                target.extend((relop(p[0]), p[1:], p[0].col - 1) for p in parts[1:])
                continue
            starts_with_relation = relop(cell[0]) is not None
            entries = [(relop(p[0]), p[1:], p[0].col - 1) if relop(p[0]) else (None, p, p[0].col - 1)
                       for p in parts]
            if starts_with_relation and chains:
                target.extend(entries)
            else:
                chains.append((starts_with_relation, entries))
                columns[number // 2] = len(chains) - 1
    return chains


def unwrap(tokens: list[Token]) -> list[Token]:
    """Drop environments that only lay out lines (aligned, align* ...), and the column count of ``alignedat``."""
    out: list[Token] = []
    n = 0
    while n < len(tokens):
        t = tokens[n]
        n += 1
        if t.kind in ("begin", "end") and t.text in _WRAPPERS:
            count = [u.kind for u in tokens[n:n + 3]] == ["{", "number", "}"]
            n += 3 if t.kind == "begin" and t.text == "alignedat" and count else 0
            continue
        out.append(t)
    return out


def _cut(tokens: list[Token], is_separator: Callable[[Token], bool], keep: bool = False, empty: bool = False
         ) -> list[list[Token]]:
    """Split at separators outside brackets and environments; with ``keep`` a separator starts the next part, with
    ``empty`` empty parts are kept (the cells of a row keep their places)."""
    parts: list[list[Token]] = [[]]
    part = parts[0]
    depth = 0
    for t in tokens:
        kind = t.kind
        if kind in _OPENING:
            depth += 1
        elif kind in _CLOSING:
            depth = depth - 1 if depth else 0
        elif depth == 0 and is_separator(t):
            part = [t] if keep else []
            parts.append(part)
            continue
        part.append(t)
    return parts if empty else [p for p in parts if p]


_OPENING = frozenset({"{", "(", "[", "begin"})
_CLOSING = frozenset({"}", ")", "]", "end"})


def _binary(token: Token) -> bool:
    """An operator that only joins two operands (``+``, ``\\cdot``, ``\\times``, ``/``)."""
    return token.kind in ("+", "/") or (token.kind == "cmd" and token.text in (r"\cdot", r"\times"))


def _continues(before: list[Token], cell: list[Token], parts: list[list[Token]], related: bool) -> bool:
    """Whether a cell carries on the formula before it: the formula ends with an operator (``1 + {} & 1``), or the
    cell starts with one and its row holds no relation (``-7 &= -7`` is an equation of its own, as ``-x = y``)."""
    before = _unbraced(before)
    if relop(cell[0]) is not None:
        return False
    if not before or _binary(before[-1]) or before[-1].kind == "-":     # a &=& b: the relation's cell, then b
        return True
    return not related and (_binary(cell[0]) or (cell[0].kind == "-" and len(parts) == 1))


def _unbraced(tokens: list[Token]) -> list[Token]:
    """Without the empty groups ``{}`` at either end (``1 + {} & 1``: spacing for alignment, nothing printed)."""
    while len(tokens) >= 2 and tokens[0].kind == "{" and tokens[1].kind == "}":
        tokens = tokens[2:]
    while len(tokens) >= 2 and tokens[-2].kind == "{" and tokens[-1].kind == "}":
        tokens = tokens[:-2]
    return tokens


def trim(tokens: list[Token]) -> list[Token]:
    """A cell without trailing punctuation."""
    while tokens and tokens[-1].kind in (",", ".", ";"):
        tokens = tokens[:-1]
    return tokens


def relop(token: Token) -> str | None:
    if token.kind in ("=", "<", ">"):
        return token.kind
    if token.kind == "cmd" and token.text in RELOPS:
        return RELOPS[token.text]
    if token.kind == "cmd" and token.text in UNCHECKED:
        return token.text
    return None

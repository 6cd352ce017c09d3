"""Type-aware mutations of a claim (as OpFuzz mutates formulas): one operator or operand replaced by another of the
same kind, on the parser's tree of one relation or chain entry.

The kinds: ``sign`` (a term negated, or a negation dropped), ``factor`` (a number changed, or a term doubled),
``index`` (an index shifted by one), ``bound`` (an end of a sum's, product's or vector's range moved by one),
``exponent`` (a power's exponent changed), ``branch`` (a ``Piecewise`` condition's relation made strict or not, or
two branches' values swapped) and ``relation`` (the claim's relation changed). A mutant's truth is not known by
construction: the reference evaluator establishes it (a point where it fails), or it stays undecided.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import replace
from fractions import Fraction

from verifier.errors import ExpressionError
from verifier.frontend import parser as P

KINDS = ("sign", "factor", "index", "bound", "exponent", "branch", "relation")
_OTHER_RELATION = {"=": ["<", ">", "!="], "<=": ["<", ">=", "="], ">=": [">", "<=", "="], "<": ["<=", ">"],
                   ">": [">=", "<"], "!=": ["="]}
_LOOSER = {">": ">=", ">=": ">", "<": "<=", "<=": "<"}


def _nodes(node: P.Node) -> list[tuple[P.Node, tuple[int, ...]]]:
    """Every node a mutation may change, with its path (child positions from the root): not a derivative's
    variables and orders, a range's index name, nor a truth value."""
    out: list[tuple[P.Node, tuple[int, ...]]] = []

    def visit(n: P.Node, path: tuple[int, ...]) -> None:
        if isinstance(n, P.Name) and n.id in ("True", "False"):
            return
        out.append((n, path))
        for i, c in enumerate(P.children(n)):
            if isinstance(n, P.Call) and n.func == "diff" and i > 0:
                continue
            if isinstance(n, P.Tuple) and len(n.items) == 3 and i == 0:
                continue
            visit(c, (*path, i))

    visit(node, ())
    return out


def _with_children(n: P.Node, kids: tuple[P.Node, ...]) -> P.Node:
    if isinstance(n, P.Call):
        return replace(n, args=kids)
    if isinstance(n, P.Index):
        return replace(n, base=kids[0], indices=kids[1:])
    if isinstance(n, (P.Vector, P.Tuple)):
        return replace(n, items=kids)
    if isinstance(n, P.BinOp):
        return replace(n, left=kids[0], right=kids[1])
    if isinstance(n, P.Neg):
        return replace(n, operand=kids[0])
    if isinstance(n, P.Compare):
        return replace(n, operands=kids)
    return n


def _put(root: P.Node, path: tuple[int, ...], new: P.Node) -> P.Node:
    if not path:
        return new
    kids = list(P.children(root))
    kids[path[0]] = _put(kids[path[0]], path[1:], new)
    return _with_children(root, tuple(kids))


def _plus_one(n: P.Node, step: int) -> P.Node:
    op = "+" if step > 0 else "-"
    return P.BinOp(op, n, P.Num(Fraction(1), 0), 0)


def _candidates(root: P.Node, kind: str, rng: random.Random) -> list[Callable[[], P.Node]]:
    """The mutations of ``kind`` that ``root`` allows, each a thunk giving the mutated tree."""
    out: list[Callable[[], P.Node]] = []
    for n, path in _nodes(root):
        def at(new: P.Node, path: tuple[int, ...] = path) -> Callable[[], P.Node]:
            return lambda: _put(root, path, new)
        if kind == "sign" and path and not isinstance(n, (P.Tuple, P.Compare)):
            out.append(at(n.operand if isinstance(n, P.Neg) else P.Neg(n, 0)))
        elif kind == "factor" and isinstance(n, P.Num):
            out.append(at(P.Num(n.value + rng.choice([1, 2]), 0)))
        elif kind == "factor" and isinstance(n, (P.Name, P.Call)) and path:
            out.append(at(P.BinOp("*", P.Num(Fraction(2), 0), n, 0)))
        elif kind == "index" and isinstance(n, P.Index):
            kids = list(n.indices)
            kids[0] = _plus_one(kids[0], rng.choice([1, -1]))
            out.append(at(replace(n, indices=tuple(kids))))
        elif kind == "bound" and isinstance(n, P.Call) and n.func in ("Sum", "Product", "vector"):
            for i, lim in enumerate(n.args[1:], start=1):
                if isinstance(lim, P.Tuple) and len(lim.items) == 3:
                    end = rng.choice([1, 2])
                    items = list(lim.items)
                    items[end] = _plus_one(items[end], rng.choice([1, -1]))
                    args = list(n.args)
                    args[i] = replace(lim, items=tuple(items))
                    out.append(at(replace(n, args=tuple(args))))
        elif kind == "exponent" and isinstance(n, P.BinOp) and n.op == "^":
            out.append(at(replace(n, right=_plus_one(n.right, rng.choice([1, -1])))))
        elif kind == "branch" and isinstance(n, P.Compare) and path and any(op in _LOOSER for op in n.ops):
            out.append(at(replace(n, ops=tuple(_LOOSER.get(op, op) for op in n.ops))))
        elif kind == "branch" and isinstance(n, P.Call) and n.func == "Piecewise" and len(n.args) >= 2:
            first, second = n.args[0], n.args[1]
            if isinstance(first, P.Tuple) and isinstance(second, P.Tuple):
                swapped = (replace(first, items=(second.items[0], first.items[1])),
                           replace(second, items=(first.items[0], second.items[1])), *n.args[2:])
                out.append(at(replace(n, args=swapped)))
    if kind == "relation" and isinstance(root, P.Compare):
        k = rng.randrange(len(root.ops))
        ops = list(root.ops)
        ops[k] = rng.choice(_OTHER_RELATION[ops[k]])
        out.append(lambda: replace(root, ops=tuple(ops)))
    return out


def mutate_text(text: str, rng: random.Random, *, relation: bool) -> tuple[str, str] | None:
    """One random mutation of an expression (``relation``: of a relation), as ``(text, kind)``; ``None`` when none
    applies."""
    try:
        root: P.Node = P.parse_relation(text) if relation else P.parse_expression(text)
    except ExpressionError:
        return None
    kinds = list(KINDS)
    rng.shuffle(kinds)
    for kind in kinds:
        options = _candidates(root, kind, rng)
        if options:
            mutated = rng.choice(options)()
            out = P.unparse(mutated)
            if out != P.unparse(root):
                return out, kind
    return None


def mutate_keys(keys: dict[str, object], rng: random.Random) -> tuple[dict[str, object], str] | None:
    """A claim's keys with one mutation in its statement or one entry of its steps."""
    if isinstance(keys.get("statement"), str):
        found = mutate_text(str(keys["statement"]), rng, relation=True)
        return None if found is None else ({**keys, "statement": found[0]}, found[1])
    steps = keys.get("steps")
    if isinstance(steps, list) and steps:
        i = rng.randrange(len(steps))
        entry = str(steps[i])
        op = next((o for o in ("<=", ">=", "<", ">", "=") if entry.lstrip().startswith(o)), "")
        found = mutate_text(entry.lstrip()[len(op):], rng, relation=False)
        if found is None:
            return None
        new = list(steps)
        new[i] = f"{op} {found[0]}".strip()
        return {**keys, "steps": new}, found[1]
    return None

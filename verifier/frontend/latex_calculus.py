r"""Calculus as a sheet writes it, for the LaTeX reader: which fractions are derivatives (Leibniz's
``\frac{d}{dx}``, ``\frac{\partial^2 f}{\partial x \partial y}``) and their orders, a sum over a finite set
(its body with each element put for the index), and norms (of a scalar, or of a vector written out).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from fractions import Fraction
from typing import Any

from verifier.errors import ExpressionError
from verifier.frontend import parser as P
from verifier.frontend.latex_patterns import Rules
from verifier.frontend.latex_tokens import CLOSERS, OPENERS, Token, TokenKind, closing, index_after_body, split
from verifier.frontend.names import CONSTANTS

__all__ = ["denominator_part", "differentials", "euclidean_norm", "is_d", "is_scalar", "leibniz", "numerator",
           "order_of", "set_elements", "substitute"]

K = TokenKind
#: Functions whose value is a number when their arguments are.
_SCALAR_CALLS = frozenset({"exp", "log", "sqrt", "sin", "cos", "tan", "sinh", "cosh", "tanh", "Abs"})


def is_d(token: Token) -> bool:
    """Whether a token is a differential: ``\\partial``, ``d`` or ``\\mathrm{d}``."""
    return (token.kind == K.CMD and token.text == r"\partial") or (
        token.kind in (K.LETTER, K.UPRIGHT) and token.text == "d")


def leibniz(top: list[Token], bottom: list[Token]) -> bool | None:
    """Whether ``\\frac{top}{bottom}`` is written as a derivative (``\\frac{d}{dx}``, ``\\frac{d f}{d x}``,
    ``\\frac{\\partial^2 f}{\\partial x \\partial y}``); ``None`` for a quotient."""
    if not top or not bottom or not is_d(top[0]) or top[0].key() != bottom[0].key():
        return None
    if len(bottom) < 2 or bottom[1].kind in (K.CARET, K.UNDERSCORE):
        return None
    if top[0].kind != K.CMD and len(top) > 1 and top[1].kind in (K.UNDERSCORE, K.PLUS, K.MINUS):
        return None     # d_1 / d_2 and (d + 1) / (d x) are quotients
    return True


def numerator(top: list[Token]) -> tuple[int, list[Token]]:
    """The order written above a derivative (``d^2``) and what follows it (the function, or nothing)."""
    if len(top) > 1 and top[1].kind == K.CARET:
        end = closing(top, 2)
        return order_of(top[3:end], top[1]), top[end + 1:]
    return 1, top[1:]


def denominator_part(part: list[Token], d: Token, top_order: int) -> tuple[list[Token], int]:
    """One ``x^2`` after a differential ``d`` below a derivative: the variable's tokens and its order. The exponent is
    an order only when the numerator has one (``d^2``); otherwise ``h_n^1`` is a name, not an order."""
    order = 1
    if top_order > 1 and part and part[-1].kind == K.RBRACE:
        opener = next(n for n in range(len(part) - 1, -1, -1)
                      if part[n].kind in OPENERS and closing(part, n) == len(part) - 1)
        if opener >= 1 and part[opener - 1].kind == K.CARET:
            order, part = order_of(part[opener + 1:-1], part[opener - 1]), part[:opener - 1]
    if not part or part[0].kind in (K.CARET, K.UNDERSCORE):
        raise ExpressionError(f"'{d.text}' without a variable after it", column=d.col)
    return part, order


def differentials(top: list[Token], bottom: list[Token], at: Token,
                  read: Callable[[list[Token], Token], P.Node]) -> tuple[P.Node, ...]:
    """``\\partial x \\partial y^2`` below a derivative: the variables (each read by ``read``), each followed by
    its order when above 1, innermost (last written) first."""
    d = bottom[0]
    found: list[P.Node] = []
    top_order, _ = numerator(top)
    below = split(bottom, lambda t: t.key() == d.key())[1:]
    parts_below = [denominator_part(part, d, top_order) for part in below]
    if d.kind != K.CMD and len(parts_below) > 1:
        raise ExpressionError("several variables below 'd' (write \\partial)", column=d.col)
    for part, order in parts_below:
        var = read(part, d)
        if not isinstance(var, (P.Name, P.Index)):
            raise ExpressionError(f"cannot differentiate with respect to '{P.unparse(var)}' (not a variable)",
                                  column=part[0].col)
        found = [var, *([P.Num(Fraction(order), var.col)] if order > 1 else []), *found]
    if top_order != sum(order for _, order in parts_below):
        raise ExpressionError(f"the derivative's orders differ: {top_order} above, "
                              f"{sum(order for _, order in parts_below)} below", column=at.col)
    return tuple(found)


def set_elements(tokens: list[Token], n: int, at: Token,
                 read: Callable[[list[Token], Token], P.Node]) -> list[P.Node]:
    """``\\in \\{a, b\\}`` at ``tokens[n]``, the end of a sum's subscript: the elements (each read by ``read``),
    each value once (``{1, 1}`` is ``{1}``). Only numbers: names may coincide, and a set counts them once."""
    opener = tokens[n + 1] if n + 1 < len(tokens) else at
    if opener.kind != K.SET_OPEN:
        raise ExpressionError("a sum over a set is read only for a set written out, \\{a, b\\}", column=opener.col)
    end = next((k for k in range(n + 2, len(tokens)) if tokens[k].kind == K.SET_CLOSE), None)
    if end is None or end + 1 != len(tokens):
        raise ExpressionError("a set below a sum must end with '\\}' and the subscript there", column=opener.col)
    parts = split(tokens[n + 2:end], lambda t: t.kind == K.COMMA)
    if any(not part for part in parts):
        raise ExpressionError("an empty element of a set", column=opener.col)
    values: dict[Fraction, P.Node] = {}
    for part in parts:
        value = read(part, at)
        number = -value.operand.value if isinstance(value, P.Neg) and isinstance(value.operand, P.Num) else (
            value.value if isinstance(value, P.Num) else None)
        if number is None:
            raise ExpressionError("a sum over a set of names is not read (its elements may coincide): write the "
                                  "terms out", column=part[0].col)
        values.setdefault(number, value)
    return list(values.values())


def order_of(tokens: list[Token], at: Token) -> int:
    """The order of a derivative written in ``tokens`` (``2`` in ``d^{2}``); ``at`` locates an error."""
    if len(tokens) != 1 or not tokens[0].text.isdigit() or not 1 <= int(tokens[0].text) <= 20:
        raise ExpressionError("the order of a derivative must be a whole number from 1 to 20", column=at.col)
    return int(tokens[0].text)


def substitute(node: P.Node, name: str, value: P.Node) -> P.Node:
    """``node`` with the free name ``name`` replaced by ``value`` (a name bound again inside is left alone)."""
    if isinstance(node, P.Name):
        return value if node.id == name else node
    if isinstance(node, P.Call) and len(node.args) == 2 and isinstance(node.args[1], P.Tuple) and \
            node.args[1].items and isinstance(node.args[1].items[0], P.Name) and node.args[1].items[0].id == name:
        limits = node.args[1]
        bounds = tuple(substitute(item, name, value) for item in limits.items[1:])
        return dataclasses.replace(node, args=(node.args[0], dataclasses.replace(
            limits, items=(limits.items[0], *bounds))))
    changes: dict[str, Any] = {}
    for field_name in ("args", "indices", "items", "operands"):
        if hasattr(node, field_name):
            changes[field_name] = tuple(substitute(c, name, value) for c in getattr(node, field_name))
    for field_name in ("base", "left", "right", "operand"):
        if hasattr(node, field_name):
            changes[field_name] = substitute(getattr(node, field_name), name, value)
    return dataclasses.replace(node, **changes) if changes else node


def is_scalar(node: P.Node, rules: Rules) -> bool:
    """Whether ``node`` is certainly a number (declared scalars, entries, arithmetic of those)."""
    if isinstance(node, (P.Num, P.Index)):
        return True
    if isinstance(node, P.Name):
        return node.id in CONSTANTS or (node.id in rules.symbols and not rules.is_family(node.id))
    if isinstance(node, P.BinOp):
        return is_scalar(node.left, rules) and is_scalar(node.right, rules)
    if isinstance(node, P.Neg):
        return is_scalar(node.operand, rules)
    return isinstance(node, P.Call) and node.func in _SCALAR_CALLS and all(is_scalar(a, rules) for a in node.args)


def euclidean_norm(vector: P.Vector) -> P.Node:
    """``sqrt(a^2 + b^2 + ...)`` of a vector written out."""
    col = vector.col
    squares: P.Node | None = None
    for item in vector.items:
        square = P.BinOp("^", item, P.Num(Fraction(2), col), col)
        squares = square if squares is None else P.BinOp("+", squares, square, col)
    assert squares is not None
    return P.Call("sqrt", (squares,), col)


def bare(first: Token, operand: P.Node) -> bool:
    r"""Whether an operator's operand is written with nothing that closes it (``x^2``; not ``(x^2 - x)``, ``f(x)``,
    ``\frac{..}{..}``): a ``+`` or ``-`` after it may then belong to it."""
    return not isinstance(operand, P.Call) and first.kind not in OPENERS and first.text != r"\frac"


def big_body(reader: Any, token: Token, index: str) -> P.Node:
    r"""The body of ``\sum`` or ``\prod`` (``token``) read by ``reader``: the term that follows. For ``\prod``, which is
    not linear, a ``/``, ``\cdot`` or ``\times`` at the top of that term is ambiguous (``\prod_j j / 3``: (prod j)/3,
    or the product of j/3?) and not read; the index used again after the body is refused (``index_after_body``)."""
    start = reader.pos
    body: P.Node = reader.term()
    if token.text == r"\prod":
        depth = 0
        for t in reader.tokens[start:reader.pos]:
            depth += (t.kind in OPENERS) - (t.kind in CLOSERS)
            if depth == 0 and (t.kind == TokenKind.SLASH or (t.kind == TokenKind.CMD and t.text in (r"\cdot",
                                                                                                 r"\times"))):
                raise ExpressionError(f"what '\\prod' reaches is ambiguous ({t.text} in its body): put its body in "
                                      "parentheses", column=t.col)
    index_after_body(reader.tokens[reader.pos:], index, token.text)
    return body

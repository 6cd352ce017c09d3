r"""The expression language of derivation files: a hand-written scanner and recursive-descent parser.

Text from a file is never evaluated: it is scanned and parsed into the small tree of frozen dataclasses below, and
:mod:`verifier.frontend.builder` turns that tree into SymPy objects. The grammar (EBNF; ``{ }`` repeats, ``[ ]`` is
optional)::

    expression = comparison ;
    comparison = sum { relop sum } ;                    (* 0 < s < 1 is ONE Compare node *)
    sum        = term { ( "+" | "-" ) term } ;          (* left-associative *)
    term       = factor { ( "*" | "/" ) factor } ;      (* left-associative *)
    factor     = ( "-" | "+" ) factor | power ;         (* -x^2 is -(x^2) *)
    power      = postfix [ ( "^" | "**" ) factor ] ;    (* right-associative; 2^-1 is allowed *)
    postfix    = primary { "[" items "]" } ;
    primary    = NUMBER
               | NAME [ "(" [ items ] ")" ]             (* only a plain name can be called *)
               | "(" items ")"                          (* grouping, or a tuple if it has a comma *)
               | "[" items "]" ;                        (* vector literal *)
    items      = comparison { "," comparison } [ "," ] ;
    relop      = "=" | "==" | "!=" | "<" | "<=" | ">" | ">=" ;

    step       = [ relop ] sum ;                        (* one entry of a chain, see parse_step *)

    NUMBER     = digit { digit } [ "." digit { digit } ] [ ( "e" | "E" ) [ "+" | "-" ] digit { digit } ] ;
    NAME       = ( letter | "_" ) { letter | digit | "_" } ;   (* ASCII; not a keyword, not starting "__" *)

Spaces, tabs and newlines between tokens are ignored. Numbers are exact (:class:`fractions.Fraction`) and never
negative: ``-2`` is ``Neg(Num(2))``. ``**`` is read as ``^`` and ``==`` as ``=``. Columns are 1-based offsets into
the whole text (a newline counts as one character); a node's column is that of its first token, not counting
grouping parentheses around it (a ``BinOp`` or ``Compare`` has the column of its first operand, an ``Index`` that
of its base).

Limits keep hostile input harmless: at most :data:`MAX_TEXT` characters, numeric literals of at most
:data:`MAX_LITERAL` characters whose size is within ``10^±MAX_EXPONENT``, and at most :data:`MAX_DEPTH` levels of
nesting -- counted both while parsing (brackets, unary signs, exponents) and in the finished tree (a chain
``a + b + ...`` of binary operators is a tree as deep as it is long), so that nothing recursive that walks a tree
can overflow the stack.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction
from typing import TypeAlias

from verifier.errors import ExpressionError

__all__ = [
    "MAX_DEPTH", "MAX_EXPONENT", "MAX_LITERAL", "MAX_TEXT", "RELATIONS",
    "BinOp", "Call", "Compare", "Index", "Name", "Neg", "Node", "Num", "Tuple", "Vector",
    "names", "parse_expression", "parse_relation", "parse_step", "unparse", "walk",
]

MAX_TEXT = 20_000
MAX_LITERAL = 400
MAX_EXPONENT = 400
MAX_DEPTH = 200

#: The relation operators, as they appear in ``Compare.ops`` (``==`` is normalised to ``=``).
RELATIONS = frozenset({"=", "!=", "<", "<=", ">", ">="})

# Python keywords that could smuggle code; True and False are ordinary names the builder resolves.
_KEYWORDS = frozenset({
    "lambda", "import", "def", "class", "for", "in", "if", "elif", "else", "while", "with", "yield", "await",
    "async", "from", "global", "nonlocal", "del", "pass", "return", "raise", "try", "except", "finally",
    "assert", "is", "not", "and", "or", "None", "as", "break", "continue",
})

_DEPTH_MESSAGE = f"expression nested too deeply (more than {MAX_DEPTH} levels)"


# --- The tree ---------------------------------------------------------------------------------------------------

class _Node:
    __slots__ = ()

    def __str__(self) -> str:
        return unparse(self)  # type: ignore[arg-type]


@dataclass(frozen=True, slots=True)
class Num(_Node):
    """A numeric literal: an exact, non-negative rational."""

    value: Fraction
    col: int


@dataclass(frozen=True, slots=True)
class Name(_Node):
    """A name (``True`` and ``False`` are names too)."""

    id: str
    col: int


@dataclass(frozen=True, slots=True)
class Call(_Node):
    """``func(args)``; the callee is always a plain name. ``col`` is the column of the name."""

    func: str
    args: tuple[Node, ...]
    col: int


@dataclass(frozen=True, slots=True)
class Index(_Node):
    """``base[i]`` or ``base[i, j]``; ``v[i][j]`` is an Index of an Index."""

    base: Node
    indices: tuple[Node, ...]
    col: int


@dataclass(frozen=True, slots=True)
class Vector(_Node):
    """A vector literal ``[a, b, c]`` (at least one item)."""

    items: tuple[Node, ...]
    col: int


@dataclass(frozen=True, slots=True)
class Tuple(_Node):
    """A parenthesised list with at least one comma: ``(j, 1, K)`` or ``(a,)``."""

    items: tuple[Node, ...]
    col: int


@dataclass(frozen=True, slots=True)
class BinOp(_Node):
    """``left op right`` with ``op`` one of ``+ - * / ^``."""

    op: str
    left: Node
    right: Node
    col: int


@dataclass(frozen=True, slots=True)
class Neg(_Node):
    """Unary minus (unary plus leaves no node)."""

    operand: Node
    col: int


@dataclass(frozen=True, slots=True)
class Compare(_Node):
    """A relation or a chain of them: ``operands[0] ops[0] operands[1] ops[1] ...``."""

    operands: tuple[Node, ...]
    ops: tuple[str, ...]
    col: int


Node: TypeAlias = Num | Name | Call | Index | Vector | Tuple | BinOp | Neg | Compare


# --- The scanner ------------------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class _Token:
    kind: str  # "number", "name", "end", or the operator itself ("**" is "^", "==" is "=")
    text: str  # as written
    col: int
    value: Fraction | None = None


_WHITESPACE = " \t\r\n"
_NUMBER = re.compile(r"([0-9]+)(?:\.([0-9]*))?(?:[eE]([+-]?[0-9]+))?")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_DIGITS = frozenset("0123456789")
_NAME_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_")
_TWO_CHAR = {"**": "^", "==": "=", "!=": "!=", "<=": "<=", ">=": ">="}
_ONE_CHAR = frozenset("+-*/^=<>()[],")
_VALUE_END = frozenset({"number", "name", ")", "]"})


def _shown(ch: str) -> str:
    return f"'{ch}'" if ch.isprintable() else repr(ch)


def _number(match: re.Match[str], col: int) -> Fraction:
    """The exact value of a numeric literal; its size is checked before any power of ten is built."""
    whole, fraction, exponent = match.group(1), match.group(2) or "", match.group(3)
    mantissa = int(whole + fraction)
    if mantissa == 0:
        return Fraction(0)
    power = int(exponent or "0") - len(fraction)
    while mantissa % 10 == 0:
        mantissa //= 10
        power += 1
    if abs(power) > MAX_EXPONENT:
        raise ExpressionError(f"numeric literal out of range (exponent must be between -{MAX_EXPONENT} and "
                              f"{MAX_EXPONENT})", column=col)
    return Fraction(mantissa * 10**power) if power >= 0 else Fraction(mantissa, 10**-power)


def _scan(text: str) -> Iterator[_Token]:
    """Yield the tokens of ``text`` lazily, ending with one "end" token, so the leftmost problem is reported."""
    pos, n = 0, len(text)
    previous = "end"
    while True:
        while pos < n and text[pos] in _WHITESPACE:
            pos += 1
        if pos == n:
            yield _Token("end", "", pos + 1)
            return
        ch, col = text[pos], pos + 1
        if match := _NUMBER.match(text, pos):
            literal = match.group()
            if len(literal) > MAX_LITERAL:
                raise ExpressionError(f"numeric literal too long (more than {MAX_LITERAL} characters)", column=col)
            if match.group(2) == "":
                raise ExpressionError("a decimal point must be followed by a digit",
                                      column=col + len(match.group(1)))
            end = match.end()
            if end < n and text[end] in _NAME_CHARS:
                raise ExpressionError(f"unexpected character {_shown(text[end])} after a number", column=end + 1)
            token = _Token("number", literal, col, _number(match, col))
        elif match := _NAME.match(text, pos):
            word = match.group()
            if word.startswith("__"):
                raise ExpressionError("names starting with '__' are not allowed", column=col)
            if word in _KEYWORDS:
                raise ExpressionError(f"keyword '{word}' is not allowed", column=col)
            token = _Token("name", word, col)
        elif text[pos:pos + 2] in _TWO_CHAR:
            token = _Token(_TWO_CHAR[text[pos:pos + 2]], text[pos:pos + 2], col)
        elif ch in _ONE_CHAR:
            token = _Token(ch, ch, col)
        elif ch in "'\"":
            raise ExpressionError("strings are not allowed", column=col)
        elif ch == "." and previous in _VALUE_END:
            raise ExpressionError("attribute access ('.') is not allowed", column=col)
        elif ch == "." and text[pos + 1:pos + 2] in _DIGITS:
            raise ExpressionError("a number must start with a digit, not '.'", column=col)
        else:
            raise ExpressionError(f"unexpected character {_shown(ch)}", column=col)
        pos += len(token.text)
        previous = token.kind
        yield token


def _describe(token: _Token) -> str:
    if token.kind == "end":
        return "end of input"
    if token.kind in ("number", "name"):
        return f"{token.kind} '{token.text}'"
    return f"'{token.text}'"


# --- The parser -------------------------------------------------------------------------------------------------

# Binding powers for precedence climbing. A unary sign sits between "*" and "^": its operand is parsed at _POWER.
_COMPARE, _SUM, _TERM, _POWER = 1, 2, 3, 5
_BINARY = {"+": _SUM, "-": _SUM, "*": _TERM, "/": _TERM, "^": _POWER}


class _Parser:
    """One parse of one text. The grammar levels sum/term/factor/power are folded into :meth:`expression`
    (precedence climbing), so each nesting level costs at most three Python frames."""

    def __init__(self, text: str) -> None:
        if len(text) > MAX_TEXT:
            raise ExpressionError(f"expression too long (more than {MAX_TEXT} characters)", column=MAX_TEXT + 1)
        self._tokens = _scan(text)
        self.token = next(self._tokens)
        self._depth = 0
        if self.token.kind == "end":
            raise ExpressionError("empty expression", column=1)

    def advance(self) -> _Token:
        token = self.token
        self.token = next(self._tokens)
        return token

    def enter(self, token: _Token) -> None:
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise ExpressionError(_DEPTH_MESSAGE, column=token.col)

    def leave(self) -> None:
        self._depth -= 1

    def expression(self, min_power: int = _COMPARE) -> Node:
        """Parse operands and binary operators binding at least as tightly as ``min_power``."""
        token = self.token
        if token.kind in ("-", "+"):
            self.advance()
            self.enter(token)
            operand = self.expression(_POWER)
            self.leave()
            left: Node = Neg(operand, token.col) if token.kind == "-" else operand
        else:
            left = self.postfix()
        while True:
            op = self.token
            if op.kind in RELATIONS and min_power <= _COMPARE:
                return self.comparison(left)
            power = _BINARY.get(op.kind)
            if power is None or power < min_power:
                return left
            self.advance()
            if op.kind == "^":
                self.enter(op)
                right = self.expression(_POWER)  # right-associative, and may start with a sign
                self.leave()
            else:
                right = self.expression(power + 1)
            left = BinOp(op.kind, left, right, left.col)

    def comparison(self, first: Node) -> Compare:
        operands, ops = [first], []
        while self.token.kind in RELATIONS:
            ops.append(self.advance().kind)
            operands.append(self.expression(_SUM))
        return Compare(tuple(operands), tuple(ops), first.col)

    def postfix(self) -> Node:
        token = self.token
        node: Node
        if token.kind == "number":
            self.advance()
            node = Num(token.value, token.col)  # type: ignore[arg-type]
        elif token.kind == "name":
            self.advance()
            if self.token.kind == "(":
                node = Call(token.text, self.items(allow_empty=True)[0], token.col)
            else:
                node = Name(token.text, token.col)
        elif token.kind == "(":
            items, comma = self.items()
            node = Tuple(items, token.col) if comma else items[0]
        elif token.kind == "[":
            node = Vector(self.items()[0], token.col)
        else:
            raise ExpressionError(f"expected an expression, found {_describe(token)}", column=token.col)
        while self.token.kind in ("[", "("):
            if self.token.kind == "(":
                raise ExpressionError("only a name can be called (use '*' to multiply)", column=self.token.col)
            node = Index(node, self.items()[0], node.col)
        return node

    def items(self, allow_empty: bool = False) -> tuple[tuple[Node, ...], bool]:
        """Parse a bracketed, comma-separated list; return the items and whether there was a comma."""
        opener = self.advance()
        closer = ")" if opener.kind == "(" else "]"
        self.enter(opener)
        items: list[Node] = []
        comma = False
        if not (allow_empty and self.token.kind == closer):
            while True:
                items.append(self.expression())
                if self.token.kind != ",":
                    break
                comma = True
                self.advance()
                if self.token.kind == closer:
                    break
        if self.token.kind != closer:
            raise ExpressionError(f"expected '{closer}' to close '{opener.kind}' at column {opener.col}, "
                                  f"found {_describe(self.token)}", column=self.token.col)
        self.advance()
        self.leave()
        return tuple(items), comma

    def finish(self, node: Node) -> Node:
        """Check that the whole text was used and that the tree is not too deep."""
        token = self.token
        if token.kind in (")", "]"):
            raise ExpressionError(f"unmatched '{token.kind}'", column=token.col)
        if token.kind != "end":
            raise ExpressionError(f"expected an operator or end of input, found {_describe(token)}",
                                  column=token.col)
        _check_depth(node)
        return node


def children(node: Node) -> tuple[Node, ...]:
    """The nodes directly under ``node``, left to right."""
    match node:
        case Call(args=args):
            return args
        case Index(base=base, indices=indices):
            return (base, *indices)
        case Vector(items=items) | Tuple(items=items):
            return items
        case BinOp(left=left, right=right):
            return (left, right)
        case Neg(operand=operand):
            return (operand,)
        case Compare(operands=operands):
            return operands
    return ()


def _check_depth(root: Node) -> None:
    # Iterative on purpose: a chain like a + b + c + ... is as deep as it is long.
    stack = [(root, 0)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise ExpressionError(_DEPTH_MESSAGE, column=node.col)
        stack.extend((child, depth + 1) for child in reversed(children(node)))


# --- Public functions -------------------------------------------------------------------------------------------

def parse_expression(text: str) -> Node:
    """Parse ``text`` as one expression; a relation (``Compare``) is allowed at the top.

    Raises :class:`ExpressionError` with the 1-based column of the offending character.
    """
    parser = _Parser(text)
    return parser.finish(parser.expression())


def parse_relation(text: str) -> Compare:
    """Parse ``text`` as a relation such as ``a = b`` or ``0 < s < 1`` (parentheses around it are allowed)."""
    node = parse_expression(text)
    if not isinstance(node, Compare):
        raise ExpressionError("expected a relation (=, <, <=, >, >=, !=), found an expression", column=1)
    return node


def parse_step(text: str) -> tuple[str | None, Node]:
    """Parse one step of a chain: an expression, optionally preceded by a relation operator.

    ``"<= x + 1"`` gives ``("<=", <x + 1>)``, ``"== y"`` gives ``("=", <y>)`` and ``"y"`` gives ``(None, <y>)``.
    A relation after the leading operator is an error unless it is inside brackets.
    """
    parser = _Parser(text)
    op = parser.advance().kind if parser.token.kind in RELATIONS else None
    node = parser.expression(_SUM)
    token = parser.token
    if token.kind in RELATIONS:
        raise ExpressionError("a step is one expression, optionally preceded by a relation; "
                              f"found '{token.text}' at column {token.col}", column=token.col)
    return op, parser.finish(node)


def walk(node: Node) -> Iterator[Node]:
    """Every node of the tree, parents before children, left to right (iterative: safe on any depth)."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(children(current)))


def names(node: Node) -> set[str]:
    """The ids of all :class:`Name` nodes in the tree (function names of calls are not included)."""
    return {n.id for n in walk(node) if isinstance(n, Name)}


# --- Back to text -----------------------------------------------------------------------------------------------

# Precedence of a node's text when printed, from loosest to tightest.
_P_COMPARE, _P_SUM, _P_TERM, _P_SIGN, _P_POWER, _P_ATOM = 1, 2, 3, 4, 5, 6
_PRINT_PRECEDENCE = {"+": _P_SUM, "-": _P_SUM, "*": _P_TERM, "/": _P_TERM}


def unparse(node: Node) -> str:
    """Canonical text for ``node``: ``^`` for power, ``=`` for equality, and only the parentheses needed for
    ``parse_expression(unparse(tree))`` to give the same tree back (up to columns)."""
    return _unparse(node)[0]


def _wrap(node: Node, min_precedence: int) -> str:
    text, precedence = _unparse(node)
    return text if precedence >= min_precedence else f"({text})"


def _join(nodes: tuple[Node, ...]) -> str:
    parts = []
    for node in nodes:  # a loop, not a comprehension: in Python 3.11 that would cost a frame per level
        parts.append(_wrap(node, _P_COMPARE))
    return ", ".join(parts)


def _unparse(node: Node) -> tuple[str, int]:
    match node:
        case Num(value=value):
            return _format_number(value), _P_ATOM
        case Name(id=name):
            return name, _P_ATOM
        case Call(func=func, args=args):
            return f"{func}({_join(args)})", _P_ATOM
        case Index(base=base, indices=indices):
            return f"{_wrap(base, _P_ATOM)}[{_join(indices)}]", _P_ATOM
        case Vector(items=items):
            return f"[{_join(items)}]", _P_ATOM
        case Tuple(items=items):
            return f"({_join(items)}{',' if len(items) == 1 else ''})", _P_ATOM
        case Neg(operand=operand):
            return "-" + _wrap(operand, _P_SIGN), _P_SIGN
        case BinOp(op="^", left=left, right=right):
            return f"{_wrap(left, _P_ATOM)}^{_wrap(right, _P_SIGN)}", _P_POWER
        case BinOp(op=op, left=left, right=right):
            precedence = _PRINT_PRECEDENCE[op]
            return f"{_wrap(left, precedence)} {op} {_wrap(right, precedence + 1)}", precedence
        case Compare(operands=operands, ops=ops):
            parts = [_wrap(operands[0], _P_SUM)]
            for op, operand in zip(ops, operands[1:], strict=True):
                parts += [op, _wrap(operand, _P_SUM)]
            return " ".join(parts), _P_COMPARE
    raise TypeError(f"not an expression node: {node!r}")


def _format_number(value: Fraction) -> str:
    """A literal that parses back to ``value``; values no literal can write (negative, or not a terminating
    decimal such as 1/3) are shown in parentheses, as ``(-2)`` or ``(1/3)``."""
    if value < 0:
        return f"(-{_format_number(-value)})"
    decimal = _decimal(value)
    return decimal if decimal is not None else f"({value.numerator}/{value.denominator})"


def _decimal(value: Fraction) -> str | None:
    denominator, twos, fives = value.denominator, 0, 0
    while denominator % 2 == 0:
        denominator, twos = denominator // 2, twos + 1
    while denominator % 5 == 0:
        denominator, fives = denominator // 5, fives + 1
    if denominator != 1:
        return None
    places = max(twos, fives)
    mantissa, power = value.numerator * 10**places // value.denominator, -places
    if mantissa == 0:
        return "0"
    while mantissa % 10 == 0:
        mantissa, power = mantissa // 10, power + 1
    digits = str(mantissa)
    if power >= 0:
        plain = digits + "0" * power
    else:
        digits = digits.rjust(1 - power, "0")
        plain = f"{digits[:power]}.{digits[power:]}"
    scientific = f"{mantissa}e{power}"
    # Plain digits read best; scientific notation keeps 1e300 short (and within MAX_LITERAL).
    return plain if len(plain) <= max(len(scientific), 16) else scientific

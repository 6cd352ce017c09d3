"""``[symbols]`` entries read into the values they allow (section 2a of the format), independently of the builder.

``integer a..b`` is the integers from a to b (a bare ``a..b`` too), ``real a..b`` and ``real [a, b]`` the closed
interval, ``(a, b)``, ``[a, b)``, ``(a, b]`` the open and half-open ones, ``in {v1, ...}`` a finite set; a family
(``indexed``) has its index range as ``lo..hi`` and its values' interval in brackets before it, and is 0 outside
its range. Bounds are expressions of other names, evaluated at the point.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from verifier.errors import ExpressionError
from verifier.frontend import parser as P
from verifier.oracle.evaluate import Point, value
from verifier.oracle.values import INTERVAL, CannotTell, Number, PiRational, compare, sign

_WORDS = frozenset({"real", "positive", "negative", "nonnegative", "nonpositive", "nonzero", "integer", "complex"})
#: The signs (-1, 0, 1) each word allows.
_SIGNS = {"positive": {1}, "negative": {-1}, "nonnegative": {0, 1}, "nonpositive": {-1, 0}, "nonzero": {-1, 1}}


@dataclass(frozen=True)
class Decl:
    """What one declaration allows."""

    name: str
    indexed: bool
    integer: bool
    signs: frozenset[int]
    domain: tuple[P.Node, ...] | None = None
    interval: tuple[P.Node, P.Node, bool, bool] | None = None     # values: lo, hi, lo open, hi open
    index_range: tuple[P.Node, P.Node] | None = None              # a family's indices
    complex: bool = False

    def bound_names(self) -> set[str]:
        """The names the bounds and domain values are written with."""
        nodes = [*(self.domain or ()), *(self.interval[:2] if self.interval else ()),
                 *(self.index_range or ())]
        out: set[str] = set()
        for n in nodes:
            out |= P.names(n)
        return out

    def allows(self, v: Number, point: Point) -> bool:
        """Whether the value ``v`` is allowed (for a family: an entry inside its range) at ``point``."""
        if self.integer and not (isinstance(v, Fraction) and v.denominator == 1):
            if isinstance(v, Fraction):
                return False
            raise CannotTell("an integer name with a value not known exactly")
        if sign(v) not in self.signs:
            return False
        if self.domain is not None and not any(compare(v, _number(d, point)) == 0 for d in self.domain):
            return False
        if self.interval is not None:
            lo, hi, lo_open, hi_open = self.interval
            a, b = compare(v, _number(lo, point)), compare(v, _number(hi, point))
            if a < 0 or (a == 0 and lo_open) or b > 0 or (b == 0 and hi_open):
                return False
        return True


def _number(node: P.Node, point: Point) -> Number:
    v = value(node, point)
    if isinstance(v, (Fraction, PiRational, INTERVAL)):
        return v
    raise CannotTell("a bound that is not a number")


def read(name: str, text: str) -> Decl:
    """Read one declaration; :class:`CannotTell` for one this reader does not follow."""
    try:
        return _read(name, text.strip())
    except (ExpressionError, ValueError, IndexError) as err:
        raise CannotTell(f"declaration of {name}: {err}") from None


def _read(name: str, rest: str) -> Decl:
    words: list[str] = []
    while True:
        head, _, tail = rest.partition(" ")
        if head not in _WORDS and head != "indexed":
            break
        words.append(head)
        rest = tail.strip()
    indexed = "indexed" in words
    domain = interval = span = None
    if rest == "in" or rest.startswith(("in ", "in{")):
        rest = rest[2:].strip()
        close = _closing(rest)
        domain = tuple(P.parse_expression(t) for t in _split(rest[1:close]) if t.strip())
        rest = rest[close + 1:].strip()
    if rest[:1] in ("[", "(") and len(_split(rest[1:_closing(rest)])) == 2:
        close = _closing(rest)
        lo, hi = (P.parse_expression(t) for t in _split(rest[1:close]))
        interval = (lo, hi, rest[0] == "(", rest[close] == ")")
        rest = rest[close + 1:].strip()
    if rest:
        lo_text, sep, hi_text = rest.partition("..")
        if not sep:
            raise CannotTell(f"declaration of {name}: {rest!r} not read")
        span = (P.parse_expression(lo_text), P.parse_expression(hi_text))
    integer = "integer" in words
    index_range = None
    if span is not None:
        if indexed:
            index_range = span
        else:
            interval = (span[0], span[1], False, False)
            integer = integer or "real" not in words
    if domain is not None and "real" not in words and all(_is_integer_literal(d) for d in domain):
        integer = True
    signs = {-1, 0, 1}
    for w in words:
        signs &= _SIGNS.get(w, {-1, 0, 1})
    return Decl(name, indexed, integer, frozenset(signs), domain, interval, index_range, "complex" in words)


def _is_integer_literal(node: P.Node) -> bool:
    if isinstance(node, P.Neg):
        return _is_integer_literal(node.operand)
    return isinstance(node, P.Num) and node.value.denominator == 1


def _closing(text: str) -> int:
    """The position of the bracket that closes the one opening ``text`` (an interval may close with the other
    kind)."""
    depth = 0
    for pos, ch in enumerate(text):
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
            if depth == 0:
                return pos
    raise CannotTell("unbalanced brackets")


def _split(text: str) -> list[str]:
    out, depth, start = [], 0, 0
    for pos, ch in enumerate(text):
        depth += ch in "([{"
        depth -= ch in ")]}"
        if ch == "," and depth == 0:
            out.append(text[start:pos])
            start = pos + 1
    return [*out, text[start:]]

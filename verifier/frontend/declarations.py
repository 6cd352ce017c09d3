"""The declaration language of ``[symbols]`` (:func:`declare`), the signatures of ``[define]`` keys
(:func:`parse_signature`), and the scope a list of files declares (:func:`build_scope`).

A declaration is written in a small language of its own::

    decl     := ['indexed'] word* ['in' '{' expr (',' expr)* '}'] [interval] [expr '..' expr]
    interval := ('[' | '(') expr ',' expr (']' | ')')
    word     := real | positive | negative | nonnegative | nonpositive | nonzero | integer | complex

For a scalar, ``lo..hi`` is an integer range, or with ``real`` (and not ``integer``) the closed interval; for a
family it is the index range outside which every entry is 0, and the values of its entries are an interval in
brackets. The meaning is a :class:`~verifier.kernel.declarations.Declaration`.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeAlias

import sympy as sp

from verifier.errors import ExpressionError
from verifier.frontend import names
from verifier.frontend import parser as P
from verifier.frontend.builder import Builder
from verifier.frontend.builtins import CONSTANTS, FUNCTIONS
from verifier.frontend.scope import Definition, Scope, SymbolInfo
from verifier.kernel.declarations import SIGN_WORDS, Declaration
from verifier.kernel.declarations import Interval as ValueInterval

if TYPE_CHECKING:
    from verifier.frontend.tomlfile import SourceFile

Expr: TypeAlias = sp.Expr

_ASSUMPTION_WORDS = {
    "real": {"real": True}, "positive": {"positive": True}, "negative": {"negative": True},
    "nonnegative": {"nonnegative": True}, "nonpositive": {"nonpositive": True}, "nonzero": {"nonzero": True},
    "integer": {"integer": True}, "complex": {"complex": True},
}



def _usable_name(name: str) -> bool:
    """Whether ``name`` reads back as that same plain name in an expression (not a keyword, not a dunder)."""
    if not names.is_identifier(name):
        return False
    try:
        node = P.parse_expression(name)
    except ExpressionError:
        return False
    return isinstance(node, P.Name) and node.id == name


def _name_problem(name: str) -> str | None:
    """Why ``name`` cannot be declared or defined, as in "'exp' is a built-in name" (``None`` when it can)."""
    if name in FUNCTIONS or name in CONSTANTS:
        return f"'{name}' is a built-in name; choose another"
    if not _usable_name(name):
        if names.is_identifier(name):
            return f"'{name}' is a reserved word of the expression language; choose another"
        return f"'{name}' is not a plain name (letters, digits and '_', not starting with a digit or '__')"
    return None


def declare(name: str, text: str, scope: Scope, *, file: str | None = None, line: int | None = None,
            column: int | None = None) -> SymbolInfo:
    """Read one ``[symbols]`` entry (``"integer 1..K"``, ``"real (0, 1)"``, ``"in {0, 1}"``,
    ``"indexed real [0, 1] 1..m"`` ...) into a :class:`SymbolInfo` carrying its :class:`Declaration`."""
    problem = _name_problem(name)
    if problem:
        raise ExpressionError(f"symbol {problem}", file=file, line=line)
    spec = text.strip()
    if not spec:
        raise ExpressionError(f"symbol '{name}' has an empty declaration; write e.g. {name} = \"real\"",
                              file=file, line=line)
    try:
        return _declare(name, spec, Builder(scope, file=file), line)
    except ExpressionError as err:
        err.message = f"symbol '{name}' = {text!r}: {err.message}"
        err.located(file=file, line=line, column=column)
        raise
    except RecursionError:
        raise ExpressionError(f"symbol '{name}': declaration nested too deeply", file=file, line=line) from None


@dataclass
class _Parts:
    """The pieces of a declaration's text, before they are given a meaning."""

    words: list[str]
    indexed: bool
    domain: tuple[Expr, ...] | None = None
    interval: tuple[Expr, Expr, bool, bool] | None = None
    range: tuple[Expr, Expr] | None = None


def _declare(name: str, spec: str, builder: Builder, line: int | None) -> SymbolInfo:
    parts = _split_declaration(spec, builder)
    words = parts.words
    integer = "integer" in words
    interval, index_range = parts.interval, None
    if parts.range is not None:
        lo, hi = parts.range
        if parts.indexed:
            index_range = _integer_range(lo, hi, "an index range")
        elif "real" in words and not integer:
            if interval is not None:
                raise ExpressionError("give the values either as an interval or as LO..HI, not both")
            interval = (lo, hi, False, False)
        else:
            if interval is not None:
                raise ExpressionError("give the values either as an interval or as LO..HI, not both")
            lo, hi = _integer_range(lo, hi, "an integer range")
            interval, integer = (lo, hi, False, False), True
    if parts.domain is not None and all(v.is_integer for v in parts.domain) and "real" not in words:
        integer = True
    if integer:
        words = [*words, "integer"]
    elif (interval is not None or parts.domain is not None) and "complex" not in words:
        words = [*words, "real"]
    words = list(dict.fromkeys(words))
    if "complex" in words and (interval is not None or parts.domain is not None):
        raise ExpressionError("'complex' contradicts an interval or a finite domain of real numbers")
    signs = frozenset(w for w in words if w in SIGN_WORDS)
    check_consistent(signs, integer, interval, parts.domain)
    assumptions = _assumptions(words, signs, interval, parts.domain, zero_too=index_range is not None)
    try:
        symbol = sp.IndexedBase(name, **assumptions) if parts.indexed else sp.Symbol(name, **assumptions)
    except Exception as err:  # SymPy rejects contradictory assumptions with its own exception types
        raise ExpressionError(f"the words {' '.join(words)} contradict each other") from err
    values = None if interval is None else ValueInterval(*interval)
    declaration = Declaration(symbol, integer=integer, signs=signs, values=values, domain=parts.domain,
                              index_range=index_range)
    lo, hi = index_range if index_range is not None else (None, None)
    if not parts.indexed and integer and interval is not None:
        lo, hi = interval[0], interval[1]
    return SymbolInfo(name, symbol, indexed=parts.indexed, domain=None if parts.indexed else parts.domain,
                      lo=lo, hi=hi, words=tuple(words), line=line, declaration=declaration)


def _split_declaration(spec: str, builder: Builder) -> _Parts:
    """``['indexed'] word* ['in' '{'...'}'] [('['|'(') a ',' b (']'|')')] [lo '..' hi]``."""
    words: list[str] = []
    rest = spec
    while True:
        head, _, tail = rest.partition(" ")
        if head not in _ASSUMPTION_WORDS and head != "indexed":
            break
        words.append(head)
        rest = tail.strip()
    indexed = "indexed" in words
    parts = _Parts([w for w in words if w != "indexed"], indexed)
    if rest == "in" or rest.startswith(("in ", "in{")):
        rest = rest[2:].strip()
        if not rest.startswith("{"):
            raise ExpressionError("a finite domain is written in {a, b, ...}")
        closing = _matching(rest)
        parts.domain = _domain_values(rest[1:closing], builder)
        rest = rest[closing + 1:].strip()
    if rest[:1] in ("[", "(") and len(_top_level_split(rest[1:_matching(rest)])) > 1:
        closing = _matching(rest)
        ends = _top_level_split(rest[1:closing])
        if rest[closing] not in "])" or len(ends) != 2:
            raise ExpressionError("an interval is written [a, b], (a, b), [a, b) or (a, b], with two bounds")
        lo, hi = (_bound(t, builder) for t in ends)
        parts.interval = (lo, hi, rest[0] == "(", rest[closing] == ")")
        rest = rest[closing + 1:].strip()
    if rest:
        if ".." not in rest:
            allowed = ", ".join(sorted(_ASSUMPTION_WORDS))
            raise ExpressionError(f"unknown word '{rest.split()[0]}' (allowed: indexed, {allowed}, 'in {{...}}', "
                                  "an interval [a, b] or (a, b), a range LO..HI)")
        lo_text, _, hi_text = rest.partition("..")
        if not lo_text.strip() or not hi_text.strip():
            raise ExpressionError("a range needs both bounds, as in 1..K")
        parts.range = (_bound(lo_text, builder), _bound(hi_text, builder))
    return parts


def _matching(text: str) -> int:
    """The position of the bracket closing the one that opens ``text``."""
    # An interval may close with the other kind of bracket ([a, b) is half-open); inner brackets must match.
    pairs = {")": "(", "]": "[", "}": "{"}
    stack: list[str] = []
    for pos, ch in enumerate(text):
        if ch in "([{":
            stack.append(ch)
        elif ch in pairs:
            if len(stack) == 1 and (text[0] in "([") == (ch in ")]"):
                return pos
            if not stack or stack.pop() != pairs[ch]:
                break
    raise ExpressionError(f"unbalanced brackets in {text!r}")


def _top_level_split(text: str) -> list[str]:
    """``text`` split at the commas outside brackets."""
    out, depth, start = [], 0, 0
    for pos, ch in enumerate(text):
        depth += ch in "([{"
        depth -= ch in ")]}"
        if ch == "," and depth == 0:
            out.append(text[start:pos])
            start = pos + 1
    return [*out, text[start:]]


def _bound(text: str, builder: Builder) -> Expr:
    """One end of a range or interval: a finite real number or an expression of declared names."""
    bound = builder.value(P.parse_expression(text))
    if not isinstance(bound, sp.Expr) or isinstance(bound, sp.MatrixBase):
        raise ExpressionError(f"bound '{text.strip()}' is not a scalar: a bound is a number or an expression such "
                              "as K - 1")
    if bound.is_number and not (bound.is_real and bound.is_finite):
        raise ExpressionError(f"bound {bound} is not a finite real number (for no bound, leave it out: "
                              "'real', 'integer positive')")
    return bound


def _integer_range(lo: Expr, hi: Expr, what: str) -> tuple[Expr, Expr]:
    for bound in (lo, hi):
        if bound.is_integer is not True:
            raise ExpressionError(f"range bound {bound} is not an integer ({what} has integer bounds; a real "
                                  "interval is written 'real a..b' or with brackets, 'real [a, b]')")
    if (lo - hi).is_positive:
        raise ExpressionError(f"the range {lo}..{hi} is empty (write the low bound first)")
    return lo, hi


def _sign_set(signs: frozenset[str]) -> sp.Set:
    """The real numbers the sign words allow."""
    allowed = frozenset({-1, 0, 1})
    for w in signs:
        allowed &= SIGN_WORDS[w]
    pieces = {-1: sp.Interval.open(-sp.oo, 0), 0: sp.FiniteSet(0), 1: sp.Interval.open(0, sp.oo)}
    return sp.Union(*[pieces[s] for s in sorted(allowed)]) if allowed else sp.S.EmptySet


def check_consistent(signs: frozenset[str], integer: bool, interval: tuple | None,
                      domain: tuple[Expr, ...] | None) -> None:
    """A declaration that allows no value at all is an error that says which words contradict."""
    allowed = _sign_set(signs)
    if allowed is sp.S.EmptySet:
        raise ExpressionError(f"the words {' and '.join(sorted(signs))} contradict each other (no number is both)")
    if interval is not None and all(b.is_number for b in interval[:2]):
        lo, hi, lo_open, hi_open = interval
        box = sp.Interval(lo, hi, lo_open, hi_open)
        if box.is_empty:
            raise ExpressionError(f"the interval {_show_interval(interval)} is empty")
        allowed = sp.Intersection(allowed, box)
        if integer:
            allowed = sp.Intersection(allowed, sp.Range(sp.ceiling(lo), sp.floor(hi) + 1))
        if allowed.is_empty:
            said = " ".join(sorted(signs | ({"integer"} if integer else set())))
            raise ExpressionError(f"no number in {_show_interval(interval)} is {said}: the words contradict")
    if domain is not None:
        for v in domain:
            if integer and not v.is_integer:
                raise ExpressionError(f"the domain value {v} is not an integer, though the declaration says "
                                      "'integer'")
            if allowed.contains(v) is not sp.true:
                raise ExpressionError(f"the domain value {v} is not allowed by the other words of the declaration")


def _show_interval(interval: tuple) -> str:
    lo, hi, lo_open, hi_open = interval
    return f"{'(' if lo_open else '['}{lo}, {hi}{')' if hi_open else ']'}"


def _assumptions(words: list[str], signs: frozenset[str], interval: tuple | None,
                 domain: tuple[Expr, ...] | None, *, zero_too: bool) -> dict[str, bool]:
    """The SymPy assumptions of the declared symbol: what holds for every value it can take. For a family with an
    index range (``zero_too``) that includes the 0 outside the range: ``indexed positive 1..K`` gives nonnegative
    entries, never positive ones."""
    real = "real" in words or "integer" in words or bool(signs)
    out: dict[str, bool] = {}
    if "integer" in words:
        out["integer"] = True
    elif real:
        out["real"] = True
    elif "complex" in words:
        out["complex"] = True
    if domain is not None and all(v.is_integer for v in domain):
        out["integer"] = True
    if not real:
        return out
    # Only exact rational bounds and values are compared here: SymPy's numerical comparison of irrational numbers
    # is not trusted, and an assumption SymPy believes is used by every simplification.
    values = _sign_set(signs)
    if interval is not None:
        lo, hi, lo_open, hi_open = interval
        values = sp.Intersection(values, sp.Interval(lo if lo.is_Rational else -sp.oo,
                                                     hi if hi.is_Rational else sp.oo, lo_open, hi_open))
    if domain is not None and all(v.is_Rational for v in domain):
        values = sp.FiniteSet(*domain)
    if zero_too:
        values = sp.Union(values, sp.FiniteSet(0))
    inf, sup = values.inf, values.sup
    if inf.is_number and inf >= 0:
        out["positive" if (inf > 0 or 0 not in values) else "nonnegative"] = True
    elif sup.is_number and sup <= 0:
        out["negative" if (sup < 0 or 0 not in values) else "nonpositive"] = True
    elif 0 not in values and not zero_too:
        out["nonzero"] = True
    return out


def _domain_values(inner: str, builder: Builder) -> tuple[Expr, ...]:
    if not inner.strip():
        raise ExpressionError("the finite domain {} is empty: the declaration allows no value")
    # Parsed as a vector literal: "{1] + [2}" would parse as a sum of two vectors, not as a list of values.
    node = P.parse_expression(f"[{inner}]")
    if not isinstance(node, P.Vector):
        raise ExpressionError("a finite domain is a list of numbers separated by commas, as in {0, 1}")
    if len(node.items) > MAX_DOMAIN:
        raise ExpressionError(f"a finite domain holds at most {MAX_DOMAIN} values (the engine checks each value as "
                              "a case of its own); for a larger range write 'integer LO..HI'")
    values: dict[Expr, None] = {}
    for item in node.items:
        v = builder.value(item)
        if not (isinstance(v, sp.Expr) and v.is_number):
            raise ExpressionError(f"a finite domain holds numbers, got {P.unparse(item)}")
        if not (v.is_real and v.is_finite):
            raise ExpressionError(f"a finite domain holds finite real numbers, got {v}")
        values[v] = None
    return tuple(values)


#: At most this many values in a finite domain ``in {...}``: the engine splits an obligation into one case per value,
#: and no obligation may have more cases than this (``verifier.frontend.problem_builder.MAX_CASES``).
MAX_DOMAIN = 64


def parse_signature(key: str) -> tuple[str, tuple[str, ...] | None]:
    """Split a ``[define]`` key: ``"sigma(z)"`` gives ``("sigma", ("z",))``, ``"f"`` gives ``("f", None)``."""
    key = key.strip()
    if "(" not in key and ")" not in key:
        problem = _name_problem(key)
        if problem:
            raise ExpressionError(problem)
        return key, None
    name, _, rest = key.partition("(")
    name = name.strip()
    rest = rest.strip()
    if not rest.endswith(")") or "(" in rest or ")" in rest[:-1]:
        raise ExpressionError("a function is defined as name(a, b) = \"...\", with plain parameter names inside "
                              "one pair of parentheses")
    problem = _name_problem(name)
    if problem:
        raise ExpressionError(problem)
    inner = rest[:-1].strip()
    params = tuple(p.strip() for p in inner.split(",")) if inner else ()
    for p in params:
        if not p:
            raise ExpressionError("an empty parameter: write name(a, b), without a stray comma")
        problem = _name_problem(p)
        if problem:
            raise ExpressionError(f"parameter {problem}")
    repeated = sorted({p for p in params if params.count(p) > 1})
    if repeated:
        raise ExpressionError(f"parameter '{repeated[0]}' is repeated")
    return name, params


def build_scope(files: list[SourceFile]) -> Scope:
    """Declare the symbols and definitions of ``files`` in order (used files first)."""
    scope = Scope()
    for f in files:
        for name, text, line in f.symbols:
            scope.symbols[name] = declare(name, text, scope, file=f.path, line=line,
                                          column=f.column_of("symbols", name))
        for key, text, line in f.definitions:
            try:
                name, params = parse_signature(key)
                body = P.parse_expression(text)
            except ExpressionError as err:
                err.message = f"[define] {key}: {err.message}"
                err.located(file=f.path, line=line, column=f.column_of("define", key))
                raise
            scope.definitions[name] = Definition(name, params, body, text, file=f.path, line=line,
                                                 column=f.column_of("define", key))
            scope.cache.pop(name, None)
    return scope



#: The scopes of the last few contexts: the claims of one file share one (their declarations are built once).
_SCOPES: OrderedDict[tuple[int, ...], tuple[list[SourceFile], Scope]] = OrderedDict()
_SCOPES_KEPT = 8


def scope_of(files: list[SourceFile]) -> Scope:
    """:func:`build_scope` of ``files``, from the cache when the same file objects were built last (the cache holds
    the files themselves, so an identity is never reused while its entry lives)."""
    key = tuple(map(id, files))
    if key in _SCOPES:
        _SCOPES.move_to_end(key)
        return _SCOPES[key][1]
    scope = build_scope(files)
    _SCOPES[key] = (files, scope)
    if len(_SCOPES) > _SCOPES_KEPT:
        _SCOPES.popitem(last=False)
    return scope

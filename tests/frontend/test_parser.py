"""Tests of the expression parser: trees, canonical text, exact error messages and columns, hostile input."""

from __future__ import annotations

import dataclasses
import re
import subprocess
import sys
import time
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from verifier.errors import ExpressionError
from verifier.frontend.parser import (
    MAX_DEPTH,
    BinOp,
    Call,
    Compare,
    Index,
    Name,
    Neg,
    Node,
    Num,
    Tuple,
    Vector,
    names,
    parse_expression,
    parse_relation,
    parse_step,
    unparse,
    walk,
)

ROOT = Path(__file__).resolve().parents[2]


# --- Helpers: trees without columns -----------------------------------------------------------------------------

def strip(node: Node) -> Node:
    """The same tree with every column set to 0, so trees can be compared by structure alone."""
    changes: dict[str, Any] = {"col": 0}
    for field in dataclasses.fields(node):
        value = getattr(node, field.name)
        if isinstance(value, tuple):
            changes[field.name] = tuple(strip(v) if not isinstance(v, str) else v for v in value)
        elif field.name != "col" and not isinstance(value, (str, Fraction)):
            changes[field.name] = strip(value)
    return dataclasses.replace(node, **changes)


def n(value: int | str) -> Num:
    return Num(Fraction(value), 0)


def v(name: str) -> Name:
    return Name(name, 0)


def b(op: str, left: Node, right: Node) -> BinOp:
    return BinOp(op, left, right, 0)


def neg(operand: Node) -> Neg:
    return Neg(operand, 0)


def call(func: str, *args: Node) -> Call:
    return Call(func, args, 0)


def idx(base: Node, *indices: Node) -> Index:
    return Index(base, indices, 0)


def vec(*items: Node) -> Vector:
    return Vector(items, 0)


def tup(*items: Node) -> Tuple:
    return Tuple(items, 0)


def cmp(*parts: Node | str) -> Compare:
    """``cmp(a, "<", b, "<", c)``."""
    return Compare(tuple(parts[0::2]), tuple(parts[1::2]), 0)  # type: ignore[arg-type]


def error_of(function: Callable[[str], object], text: str) -> tuple[str, int | None]:
    with pytest.raises(ExpressionError) as info:
        function(text)
    return info.value.message, info.value.column


# --- Good input: trees ------------------------------------------------------------------------------------------

TREES = [
    ("x", v("x")),
    ("12", n(12)),
    ("a - b - c", b("-", b("-", v("a"), v("b")), v("c"))),
    ("a / b / c", b("/", b("/", v("a"), v("b")), v("c"))),
    ("a - (b - c)", b("-", v("a"), b("-", v("b"), v("c")))),
    ("a + b * c", b("+", v("a"), b("*", v("b"), v("c")))),
    ("(a + b) * c", b("*", b("+", v("a"), v("b")), v("c"))),
    ("2^3^2", b("^", n(2), b("^", n(3), n(2)))),
    ("2**3**2", b("^", n(2), b("^", n(3), n(2)))),
    ("(2^3)^2", b("^", b("^", n(2), n(3)), n(2))),
    ("-x^2", neg(b("^", v("x"), n(2)))),
    ("-2^-1", neg(b("^", n(2), neg(n(1))))),
    ("2^-1", b("^", n(2), neg(n(1)))),
    ("2^+1", b("^", n(2), n(1))),
    ("2^-x*y", b("*", b("^", n(2), neg(v("x"))), v("y"))),
    ("-a*b", b("*", neg(v("a")), v("b"))),
    ("a * -b", b("*", v("a"), neg(v("b")))),
    ("a - -b", b("-", v("a"), neg(v("b")))),
    ("--x", neg(neg(v("x")))),
    ("+x", v("x")),
    ("(-a)^b", b("^", neg(v("a")), v("b"))),
    ("0 < s < 1", cmp(n(0), "<", v("s"), "<", n(1))),
    ("a == b", cmp(v("a"), "=", v("b"))),
    ("a = b + 1", cmp(v("a"), "=", b("+", v("b"), n(1)))),
    ("a != b", cmp(v("a"), "!=", v("b"))),
    ("a >= b > c <= d", cmp(v("a"), ">=", v("b"), ">", v("c"), "<=", v("d"))),
    ("(a < b) = c", cmp(cmp(v("a"), "<", v("b")), "=", v("c"))),
    ("f(a < b, c)", call("f", cmp(v("a"), "<", v("b")), v("c"))),
    ("Piecewise((w[j], 1 <= j <= k), (0, True))",
     call("Piecewise", tup(idx(v("w"), v("j")), cmp(n(1), "<=", v("j"), "<=", v("k"))), tup(n(0), v("True")))),
    ("Sum(exp(x[j] + c), (j, 1, K))",
     call("Sum", call("exp", b("+", idx(v("x"), v("j")), v("c"))), tup(v("j"), n(1), v("K")))),
    ("f()", call("f")),
    ("f (x)", call("f", v("x"))),
    ("f(x,)", call("f", v("x"))),
    ("w[j, k]", idx(v("w"), v("j"), v("k"))),
    ("v[i][j]", idx(idx(v("v"), v("i")), v("j"))),
    ("flip(w)[p]", idx(call("flip", v("w")), v("p"))),
    ("(x + c)[i]", idx(b("+", v("x"), v("c")), v("i"))),
    ("x[i]^2", b("^", idx(v("x"), v("i")), n(2))),
    ("[1, 2, 3]", vec(n(1), n(2), n(3))),
    ("[1, 2, 3,]", vec(n(1), n(2), n(3))),
    ("[x]", vec(v("x"))),
    ("[[1, 2], [3, 4]]", vec(vec(n(1), n(2)), vec(n(3), n(4)))),
    ("(a)", v("a")),
    ("((a))", v("a")),
    ("(a,)", tup(v("a"))),
    ("(j, 1, K)", tup(v("j"), n(1), v("K"))),
    ("True", v("True")),
    ("_k1", v("_k1")),
    ("a +\n\tb", b("+", v("a"), v("b"))),
]


@pytest.mark.parametrize("text, tree", TREES)
def test_tree(text: str, tree: Node) -> None:
    assert strip(parse_expression(text)) == tree


NUMBERS = [
    ("0", Fraction(0)),
    ("007", Fraction(7)),
    ("0.25", Fraction(1, 4)),
    ("0.1", Fraction(1, 10)),
    ("1e-3", Fraction(1, 1000)),
    ("2.5E+2", Fraction(250)),
    ("1e400", Fraction(10) ** 400),
    ("1e-400", Fraction(1, 10**400)),
    ("0e999999999", Fraction(0)),
    ("1" + "0" * 399, Fraction(10) ** 399),
]


@pytest.mark.parametrize("text, value", NUMBERS)
def test_numbers_are_exact(text: str, value: Fraction) -> None:
    node = parse_expression(text)
    assert isinstance(node, Num) and isinstance(node.value, Fraction) and node.value == value


def test_columns() -> None:
    node = parse_expression("a + f(x)[i] * -(b)")
    assert node == BinOp(
        "+", Name("a", 1),
        BinOp("*", Index(Call("f", (Name("x", 7),), 5), (Name("i", 10),), 5), Neg(Name("b", 17), 15), 5), 1)
    assert parse_expression("[1, (2, 3)]") == Vector((Num(Fraction(1), 2), Tuple((Num(Fraction(2), 6),
                                                                                     Num(Fraction(3), 9)), 5)), 1)
    assert parse_expression("x <\n y").operands[1].col == 6  # type: ignore[union-attr]


# --- Good input: canonical text ---------------------------------------------------------------------------------

UNPARSE = [
    ("a - b - c", "a - b - c"),
    ("a - (b - c)", "a - (b - c)"),
    ("(a * b) / c", "a * b / c"),
    ("a / (b * c)", "a / (b * c)"),
    ("2 ** 3 ** 2", "2^3^2"),
    ("(2^3)^2", "(2^3)^2"),
    ("-x^2", "-x^2"),
    ("(-x)^2", "(-x)^2"),
    ("-2^-1", "-2^-1"),
    ("- (a * b)", "-(a * b)"),
    ("-a*b", "-a * b"),
    ("a^(b*c)", "a^(b * c)"),
    ("a == b", "a = b"),
    ("0<s<1", "0 < s < 1"),
    ("(a < b) < c", "(a < b) < c"),
    ("((x + c))[i]", "(x + c)[i]"),
    ("[1,2,3,]", "[1, 2, 3]"),
    ("(a ,)", "(a,)"),
    ("f( )", "f()"),
    ("0.250", "0.25"),
    ("1e-3", "0.001"),
    ("12.5e1", "125"),
    ("1e300", "1e300"),
    ("1.5e-300", "15e-301"),
    ("Piecewise((w[j], 1 <= j <= k), (0, True))", "Piecewise((w[j], 1 <= j <= k), (0, True))"),
]


@pytest.mark.parametrize("text, canonical", UNPARSE)
def test_unparse(text: str, canonical: str) -> None:
    tree = parse_expression(text)
    assert unparse(tree) == canonical == str(tree)
    assert strip(parse_expression(canonical)) == strip(tree)


def test_unparse_of_values_no_literal_can_write() -> None:
    assert unparse(BinOp("*", Num(Fraction(-2), 1), Num(Fraction(1, 3), 1), 1)) == "(-2) * (1/3)"


# --- Steps, relations, names ------------------------------------------------------------------------------------

STEPS = [
    ("<= x + 1", ("<=", b("+", v("x"), n(1)))),
    ("= y", ("=", v("y"))),
    ("== y", ("=", v("y"))),
    ("!= -y", ("!=", neg(v("y")))),
    ("> f(a < b)", (">", call("f", cmp(v("a"), "<", v("b"))))),
    ("x^2 - 1", (None, b("-", b("^", v("x"), n(2)), n(1)))),
]


@pytest.mark.parametrize("text, expected", STEPS)
def test_step(text: str, expected: tuple[str | None, Node]) -> None:
    op, node = parse_step(text)
    assert (op, strip(node)) == expected


STEP_ERRORS = [
    ("a = b", "a step is one expression, optionally preceded by a relation; found '=' at column 3", 3),
    ("<= a < b", "a step is one expression, optionally preceded by a relation; found '<' at column 6", 6),
    ("= a == b", "a step is one expression, optionally preceded by a relation; found '==' at column 5", 5),
    ("<=", "expected an expression, found end of input", 3),
    ("= = a", "expected an expression, found '='", 3),
    ("", "empty expression", 1),
    ("= a b", "expected an operator or end of input, found name 'b'", 5),
]


@pytest.mark.parametrize("text, message, column", STEP_ERRORS)
def test_step_errors(text: str, message: str, column: int) -> None:
    assert error_of(parse_step, text) == (message, column)


def test_relation() -> None:
    assert strip(parse_relation("0 < s < 1")) == cmp(n(0), "<", v("s"), "<", n(1))
    assert strip(parse_relation("(a = b)")) == cmp(v("a"), "=", v("b"))
    message = "expected a relation (=, <, <=, >, >=, !=), found an expression"
    assert error_of(parse_relation, "a + b") == (message, 1)
    assert error_of(parse_relation, "f(a < b)") == (message, 1)


def test_names() -> None:
    tree = parse_expression("Sum(exp(x[j] + c), (j, 1, K)) + f(True) * 2")
    assert names(tree) == {"x", "j", "c", "K", "True"}
    assert [type(node).__name__ for node in walk(parse_expression("-f(a)[i]"))] == ["Neg", "Index", "Call",
                                                                                    "Name", "Name"]


# --- Bad input: exact messages and columns ----------------------------------------------------------------------

ERRORS = [
    # Python that must not get through
    ("x.real", "attribute access ('.') is not allowed", 2),
    ("f(x).y", "attribute access ('.') is not allowed", 5),
    ("__import__('os')", "names starting with '__' are not allowed", 1),
    ("a + __class__", "names starting with '__' are not allowed", 5),
    ("lambda x: x", "keyword 'lambda' is not allowed", 1),
    ("[i for i in x]", "keyword 'for' is not allowed", 4),
    ("import os", "keyword 'import' is not allowed", 1),
    ("x if y else z", "keyword 'if' is not allowed", 3),
    ("a and b", "keyword 'and' is not allowed", 3),
    ("None", "keyword 'None' is not allowed", 1),
    ("'os'", "strings are not allowed", 1),
    ('f("a")', "strings are not allowed", 3),
    ("f(x)(y)", "only a name can be called (use '*' to multiply)", 5),
    ("(f)(x)", "only a name can be called (use '*' to multiply)", 4),
    ("x[1](y)", "only a name can be called (use '*' to multiply)", 5),
    ("2(x + 1)", "only a name can be called (use '*' to multiply)", 2),
    # characters outside the language
    ("a : b", "unexpected character ':'", 3),
    ("a; b", "unexpected character ';'", 2),
    ("a @ b", "unexpected character '@'", 3),
    ("{a}", "unexpected character '{'", 1),
    ("a}", "unexpected character '}'", 2),
    ("a & b", "unexpected character '&'", 3),
    ("a | b", "unexpected character '|'", 3),
    ("a % b", "unexpected character '%'", 3),
    ("a # comment", "unexpected character '#'", 3),
    ("a ! b", "unexpected character '!'", 3),
    ("a \\ b", "unexpected character '\\'", 3),
    ("$x", "unexpected character '$'", 1),
    ("a\x00", "unexpected character '\\x00'", 2),
    ("\u03b1 + 1", "unexpected character '\u03b1'", 1),
    ("a + .", "unexpected character '.'", 5),
    # numbers
    (".5", "a number must start with a digit, not '.'", 1),
    ("1.", "a decimal point must be followed by a digit", 2),
    ("1.e5", "a decimal point must be followed by a digit", 2),
    ("1.5.2", "attribute access ('.') is not allowed", 4),
    ("2x", "unexpected character 'x' after a number", 2),
    ("1j", "unexpected character 'j' after a number", 2),
    ("1_000", "unexpected character '_' after a number", 2),
    ("0x1F", "unexpected character 'x' after a number", 2),
    ("2e", "unexpected character 'e' after a number", 2),
    ("1e401", "numeric literal out of range (exponent must be between -400 and 400)", 1),
    ("x + 0.1e-400", "numeric literal out of range (exponent must be between -400 and 400)", 5),
    ("1e999999999999", "numeric literal out of range (exponent must be between -400 and 400)", 1),
    ("1" * 401, "numeric literal too long (more than 400 characters)", 1),
    # structure
    ("", "empty expression", 1),
    (" \n\t", "empty expression", 1),
    ("= a", "expected an expression, found '='", 1),
    ("a = = b", "expected an expression, found '='", 5),
    ("a === b", "expected an expression, found '='", 5),
    ("a <> b", "expected an expression, found '>'", 4),
    ("a +", "expected an expression, found end of input", 4),
    ("x^^2", "expected an expression, found '^'", 3),
    ("a***b", "expected an expression, found '*'", 4),
    ("()", "expected an expression, found ')'", 2),
    ("[]", "expected an expression, found ']'", 2),
    ("x[]", "expected an expression, found ']'", 3),
    ("f(,)", "expected an expression, found ','", 3),
    ("(a,,b)", "expected an expression, found ','", 4),
    ("(a + b", "expected ')' to close '(' at column 1, found end of input", 7),
    ("f(a, (b", "expected ')' to close '(' at column 6, found end of input", 8),
    ("f(a", "expected ')' to close '(' at column 2, found end of input", 4),
    ("[1, 2", "expected ']' to close '[' at column 1, found end of input", 6),
    ("x[i", "expected ']' to close '[' at column 2, found end of input", 4),
    ("(a b)", "expected ')' to close '(' at column 1, found name 'b'", 4),
    ("(a]", "expected ')' to close '(' at column 1, found ']'", 3),
    ("a b", "expected an operator or end of input, found name 'b'", 3),
    ("x 2", "expected an operator or end of input, found number '2'", 3),
    ("a, b", "expected an operator or end of input, found ','", 2),
    ("a)", "unmatched ')'", 2),
    ("a]", "unmatched ']'", 2),
    ("a +\n  $", "unexpected character '$'", 7),
]


@pytest.mark.parametrize("text, message, column", ERRORS)
def test_errors(text: str, message: str, column: int) -> None:
    assert error_of(parse_expression, text) == (message, column)


def test_leftmost_problem_is_reported() -> None:
    # The scanner is lazy: a syntax error before a bad character is reported first.
    assert error_of(parse_expression, "a b $") == ("expected an operator or end of input, found name 'b'", 3)


# --- Hostile sizes ----------------------------------------------------------------------------------------------

DEEP = "expression nested too deeply (more than 200 levels)"

HOSTILE = [
    ("(" * 10_000 + "x" + ")" * 9_000, DEEP, 201),
    ("(" * 201 + "x" + ")" * 201, DEEP, 201),
    ("f(" * 201 + "x" + ")" * 201, DEEP, 402),
    ("[" * 201 + "x" + "]" * 201, DEEP, 201),
    ("x" + "[1" * 201, DEEP, 402),
    ("-" * 10_000 + "x", DEEP, 201),
    ("-(" * 101 + "x" + ")" * 101, DEEP, 201),
    ("^".join(["2"] * 1_000), DEEP, 402),
    ("+".join(["a"] * 5_000), DEEP, 1),
    ("x" * 20_001, "expression too long (more than 20000 characters)", 20_001),
]


@pytest.mark.parametrize("text, message, column", HOSTILE, ids=lambda p: p[:12] if isinstance(p, str) else None)
def test_hostile_input_fails_cleanly_and_fast(text: str, message: str, column: int) -> None:
    start = time.perf_counter()
    assert error_of(parse_expression, text) == (message, column)
    assert time.perf_counter() - start < 0.5


def _call_deep(frames: int, function: Callable[..., Any], *args: Any) -> Any:
    """Call ``function`` with ``frames`` extra frames on the stack, as a caller deep in the verifier would."""
    return _call_deep(frames - 1, function, *args) if frames else function(*args)


@pytest.mark.parametrize("text", [
    "(" * MAX_DEPTH + "x" + ")" * MAX_DEPTH,
    "f(" * MAX_DEPTH + "x" + ")" * MAX_DEPTH,
    "[" * MAX_DEPTH + "x" + "]" * MAX_DEPTH,
    "-" * MAX_DEPTH + "x",
    "^".join(["2"] * (MAX_DEPTH + 1)),
    "+".join(["a"] * (MAX_DEPTH + 1)),
], ids=["parens", "calls", "vectors", "signs", "powers", "sum"])
def test_the_deepest_allowed_input_parses_with_room_to_spare(text: str) -> None:
    tree = _call_deep(150, parse_expression, text)
    assert strip(_call_deep(150, parse_expression, _call_deep(150, unparse, tree))) == strip(tree)


def test_parser_imports_no_sympy_and_evaluates_nothing() -> None:
    code = "import sys, verifier.frontend.parser; assert 'sympy' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)
    source = (ROOT / "verifier" / "frontend" / "parser.py").read_text()
    assert not re.search(r"(?<![\w.])(eval|exec|compile|__import__)\(|literal_eval|sympify|import sympy", source)


# --- Properties -------------------------------------------------------------------------------------------------

_numbers = st.builds(lambda m, k: Num(Fraction(m) * Fraction(10) ** k, 0),
                     st.integers(0, 10**6), st.integers(-30, 30))
_leaves = _numbers | st.builds(Name, st.sampled_from(["a", "b", "x", "w", "True", "_k", "x1"]), st.just(0))


def _compound(children: st.SearchStrategy[Node]) -> st.SearchStrategy[Node]:
    items = st.lists(children, min_size=1, max_size=3).map(tuple)
    compare = st.lists(st.sampled_from(["=", "!=", "<", "<=", ">", ">="]), min_size=1, max_size=3).flatmap(
        lambda ops: st.lists(children, min_size=len(ops) + 1, max_size=len(ops) + 1).map(
            lambda operands: Compare(tuple(operands), tuple(ops), 0)))
    return st.one_of(
        st.builds(BinOp, st.sampled_from(["+", "-", "*", "/", "^"]), children, children, st.just(0)),
        st.builds(Neg, children, st.just(0)),
        st.builds(Call, st.sampled_from(["f", "exp", "Sum"]), st.lists(children, max_size=3).map(tuple),
                  st.just(0)),
        st.builds(Index, children, items, st.just(0)),
        st.builds(Vector, items, st.just(0)),
        st.builds(Tuple, items, st.just(0)),
        compare,
    )


trees = st.recursive(_leaves, _compound, max_leaves=12)


@settings(max_examples=60, deadline=None, database=None)
@given(trees)
def test_unparse_round_trips_any_tree(tree: Node) -> None:
    assert strip(parse_expression(unparse(tree))) == tree


_TOKENS = ["a", "b", "f(", "1", "0.5", "2e-3", "+", "-", "*", "/", "^", "**", "(", ")", "[", "]", ",",
           "<", "<=", "=", "==", "!="]


@settings(max_examples=100, deadline=None, database=None)
@given(st.lists(st.sampled_from(_TOKENS), min_size=1, max_size=12), st.sampled_from(["", " "]))
def test_parse_unparse_parse_is_stable(tokens: list[str], separator: str) -> None:
    text = separator.join(tokens)
    try:
        tree = parse_expression(text)
    except ExpressionError:
        return
    assert strip(parse_expression(unparse(tree))) == strip(tree)


@settings(max_examples=60, deadline=None, database=None)
@given(st.text(alphabet=st.characters(codec="utf-8") | st.sampled_from(list("()[]^*+-=<>.,e1x_ ")), max_size=30))
def test_any_text_parses_or_raises_expression_error(text: str) -> None:
    try:
        parse_expression(text)
    except ExpressionError as error:
        assert error.column is not None and 1 <= error.column <= len(text) + 1

"""Tests of verifier.frontend.declarations: what ``[symbols]`` declarations and ``[define]`` signatures mean, and the
exact errors for bad ones."""

from __future__ import annotations

from typing import Any

import pytest
import sympy as sp
from frontend.test_builder import K, M, declared

from verifier.errors import ExpressionError
from verifier.frontend.declarations import parse_signature

# -- declarations ------------------------------------------------------------------------------------------------

UNKNOWN = ("(allowed: indexed, complex, integer, negative, nonnegative, nonpositive, nonzero, positive, real, "
           "'in {...}', an interval [a, b] or (a, b), a range LO..HI)")


@pytest.mark.parametrize("text, indexed, words, lo, hi, domain, assumptions", [
    ("real", False, ("real",), None, None, None, {"real": True}),
    ("real real", False, ("real",), None, None, None, {"real": True}),
    ("integer positive", False, ("integer", "positive"), None, None, None, {"integer": True, "positive": True}),
    ("nonnegative integer", False, ("nonnegative", "integer"), None, None, None, {"nonnegative": True}),
    ("integer 1..K", False, ("integer",), 1, K, None, {"integer": True, "positive": True}),
    ("1..3", False, ("integer",), 1, 3, None, {"integer": True, "positive": True}),
    ("integer 1 .. 3", False, ("integer",), 1, 3, None, {"integer": True, "positive": True}),
    ("integer 0..K - 1", False, ("integer",), 0, K - 1, None, {"nonnegative": True}),
    ("integer -1..3", False, ("integer",), -1, 3, None, {"integer": True, "positive": None}),
    ("integer K..K", False, ("integer",), K, K, None, {"integer": True}),
    ("indexed real", True, ("real",), None, None, None, {"real": True}),
    ("indexed", True, (), None, None, None, {}),
    ("indexed real 1..m", True, ("real",), 1, M, None, {"real": True}),
    ("in {0, 1}", False, ("integer",), None, None, (0, 1), {"integer": True}),
    ("in {0, 1, 1, 0}", False, ("integer",), None, None, (0, 1), {"integer": True}),
    ("in{-1, 1}", False, ("integer",), None, None, (-1, 1), {"integer": True}),
    ("in {1/2, 1}", False, ("real",), None, None, (sp.Rational(1, 2), 1), {"real": True, "integer": None}),
    ("in {pi, E}", False, ("real",), None, None, (sp.pi, sp.E), {"real": True}),
    ("  in { 2 }  ", False, ("integer",), None, None, (2,), {"integer": True}),
])
def test_declaration(text: str, indexed: bool, words: tuple[str, ...], lo: Any, hi: Any, domain: Any,
                     assumptions: dict[str, bool | None]) -> None:
    info = declared(text)
    assert info.indexed is indexed
    assert isinstance(info.symbol, sp.IndexedBase if indexed else sp.Symbol)
    assert info.words == words
    assert (info.lo, info.hi) == (lo, hi)
    assert info.domain == (tuple(sp.sympify(d) for d in domain) if domain is not None else None)
    assert info.line == 7
    target = info.symbol[1] if indexed else info.symbol
    for key, value in assumptions.items():
        assert getattr(target, "is_" + key) is value, key


@pytest.mark.parametrize("name, text, message", [
    ("a", "integer 1..", "t.toml:7: symbol 'a' = 'integer 1..': a range needs both bounds, as in 1..K"),
    ("a", "integer ..3", "t.toml:7: symbol 'a' = 'integer ..3': a range needs both bounds, as in 1..K"),
    ("a", "in {1] + [2}", "t.toml:7: symbol 'a' = 'in {1] + [2}': unbalanced brackets in '{1] + [2}'"),
    ("a", "in {1}[1]", "t.toml:7: symbol 'a' = 'in {1}[1]': unknown word '[1]' " + UNKNOWN),
    ("a", "in {}", "t.toml:7: symbol 'a' = 'in {}': the finite domain {} is empty: the declaration allows no value"),
    ("a", "in", "t.toml:7: symbol 'a' = 'in': a finite domain is written in {a, b, ...}"),
    ("a", "in x", "t.toml:7: symbol 'a' = 'in x': a finite domain is written in {a, b, ...}"),
    ("a", "in {x}", "t.toml:7: symbol 'a' = 'in {x}': a finite domain holds numbers, got x"),
    ("a", "in {(1, 2)}", "t.toml:7: symbol 'a' = 'in {(1, 2)}': a finite domain holds numbers, got (1, 2)"),
    ("a", "in {oo}", "t.toml:7: symbol 'a' = 'in {oo}': a finite domain holds finite real numbers, got oo"),
    ("a", "in {1}}", "t.toml:7: symbol 'a' = 'in {1}}': unknown word '}' " + UNKNOWN),
    ("a", "in {zz}", "t.toml:7:2: symbol 'a' = 'in {zz}': undeclared name 'zz': declare it in [symbols] or "
                     "[define]"),
    ("a", "reel", "t.toml:7: symbol 'a' = 'reel': unknown word 'reel' " + UNKNOWN),
    ("a", "integer in {0, 1/2}", "t.toml:7: symbol 'a' = 'integer in {0, 1/2}': the domain value 1/2 is not an "
                                 "integer, though the declaration says 'integer'"),
    ("a", "", "t.toml:7: symbol 'a' has an empty declaration; write e.g. a = \"real\""),
    ("a", "positive negative", "t.toml:7: symbol 'a' = 'positive negative': the words negative and positive "
                               "contradict each other (no number is both)"),
    ("a", "integer 1.5..3", "t.toml:7: symbol 'a' = 'integer 1.5..3': range bound 3/2 is not an integer (an "
                            "integer range has integer bounds; a real interval is written 'real a..b' or with "
                            "brackets, 'real [a, b]')"),
    ("a", "integer 1..oo", "t.toml:7: symbol 'a' = 'integer 1..oo': bound oo is not a finite real number (for no "
                           "bound, leave it out: 'real', 'integer positive')"),
    ("a", "integer [1, 2]..3", "t.toml:7: symbol 'a' = 'integer [1, 2]..3': a range needs both bounds, as in 1..K"),
    ("a", "integer 3..1", "t.toml:7: symbol 'a' = 'integer 3..1': the range 3..1 is empty (write the low bound "
                          "first)"),
    ("a", "integer 1...3", "t.toml:7:1: symbol 'a' = 'integer 1...3': a number must start with a digit, not '.'"),
    ("a", "integer 0..10^10^10", "t.toml:7:1: symbol 'a' = 'integer 0..10^10^10': exponent 10000000000 is too "
                                 "large (at most 10000)"),
    ("lambda", "real", "t.toml:7: symbol 'lambda' is a reserved word of the expression language; choose another"),
    ("in", "real", "t.toml:7: symbol 'in' is a reserved word of the expression language; choose another"),
    ("exp", "real", "t.toml:7: symbol 'exp' is a built-in name; choose another"),
    ("pi", "real", "t.toml:7: symbol 'pi' is a built-in name; choose another"),
    ("__x", "real", "t.toml:7: symbol '__x' is not a plain name (letters, digits and '_', not starting with a "
                    "digit or '__')"),
    ("a b", "real", "t.toml:7: symbol 'a b' is not a plain name (letters, digits and '_', not starting with a "
                    "digit or '__')"),
])
def test_declaration_error(name: str, text: str, message: str) -> None:
    with pytest.raises(ExpressionError) as caught:
        declared(text, name)
    assert str(caught.value) == message


def test_a_domain_may_hold_at_most_64_values() -> None:
    assert len(declared("in {" + ", ".join(map(str, range(64))) + "}").domain or ()) == 64
    with pytest.raises(ExpressionError, match="a finite domain holds at most 64 values"):
        declared("in {" + ", ".join(map(str, range(65))) + "}")


# -- [define] signatures -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("key, expected", [
    ("f", ("f", None)), ("sigma(z)", ("sigma", ("z",))), ("S(v, i)", ("S", ("v", "i"))),
    (" f ( z , w ) ", ("f", ("z", "w"))), ("f()", ("f", ())), ("f_2(x_1)", ("f_2", ("x_1",))),
])
def test_signature(key: str, expected: tuple[str, tuple[str, ...] | None]) -> None:
    assert parse_signature(key) == expected


@pytest.mark.parametrize("key, message", [
    ("f(z", "a function is defined as name(a, b) = \"...\", with plain parameter names inside one pair of "
            "parentheses"),
    ("f(z))", "a function is defined as name(a, b) = \"...\", with plain parameter names inside one pair of "
              "parentheses"),
    ("f((z))", "a function is defined as name(a, b) = \"...\", with plain parameter names inside one pair of "
               "parentheses"),
    ("f(z)(y)", "a function is defined as name(a, b) = \"...\", with plain parameter names inside one pair of "
                "parentheses"),
    ("f z)", "a function is defined as name(a, b) = \"...\", with plain parameter names inside one pair of "
             "parentheses"),
    ("f(z,)", "an empty parameter: write name(a, b), without a stray comma"),
    ("f(, z)", "an empty parameter: write name(a, b), without a stray comma"),
    ("f(z, z)", "parameter 'z' is repeated"),
    ("f(1)", "parameter '1' is not a plain name (letters, digits and '_', not starting with a digit or '__')"),
    ("f(__z)", "parameter '__z' is not a plain name (letters, digits and '_', not starting with a digit or '__')"),
    ("f(lambda)", "parameter 'lambda' is a reserved word of the expression language; choose another"),
    ("f(exp)", "parameter 'exp' is a built-in name; choose another"),
    ("", "'' is not a plain name (letters, digits and '_', not starting with a digit or '__')"),
    ("(z)", "'' is not a plain name (letters, digits and '_', not starting with a digit or '__')"),
    ("1f", "'1f' is not a plain name (letters, digits and '_', not starting with a digit or '__')"),
    ("exp(z)", "'exp' is a built-in name; choose another"),
    ("pi", "'pi' is a built-in name; choose another"),
    ("for", "'for' is a reserved word of the expression language; choose another"),
])
def test_signature_error(key: str, message: str) -> None:
    with pytest.raises(ExpressionError) as caught:
        parse_signature(key)
    assert caught.value.message == message

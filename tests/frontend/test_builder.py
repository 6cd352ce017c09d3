"""Tests of verifier.frontend.builder: what expressions build to, what they mean (spec section 2a), and exact errors.
The declaration language and ``[define]`` signatures are tested in test_declarations.py."""

from __future__ import annotations

import re
from typing import Any

import pytest
import sympy as sp

from verifier.errors import ExpressionError
from verifier.frontend import parser as P
from verifier.frontend.builder import Builder
from verifier.frontend.declarations import declare, parse_signature
from verifier.frontend.scope import Definition, Scope, SymbolInfo
from verifier.frontend.values import NOWHERE, Vec

SYMBOLS = [
    ("x", "real"), ("y", "in {0, 1}"), ("K", "integer positive"), ("i", "integer 1..K"), ("m", "integer positive"),
    ("g", "indexed real 1..m"), ("v", "indexed real"), ("w", "indexed real 1..3"),
]
DEFINITIONS = [("sigma(z)", "1/(1 + exp(-z))"), ("f", "sigma(x)"), ("sq(a, b)", "a^2 + b"), ("vec", "[x, 2*x]")]


def make_scope() -> Scope:
    """The names every expression below may use."""
    scope = Scope()
    for line, (name, text) in enumerate(SYMBOLS, start=2):
        scope.symbols[name] = declare(name, text, scope, file="t.toml", line=line)
    for line, (key, text) in enumerate(DEFINITIONS, start=20):
        name, params = parse_signature(key)
        scope.definitions[name] = Definition(name, params, P.parse_expression(text), text, file="t.toml", line=line)
    return scope


SCOPE = make_scope()
S = {name: info.symbol for name, info in SCOPE.symbols.items()}
X, Y, K, IDX, M, G, W = S["x"], S["y"], S["K"], S["i"], S["m"], S["g"], S["w"]


def build(text: str) -> Any:
    """Build ``text`` in a fresh builder (line 99 of ``t.toml``)."""
    return Builder(SCOPE, file="t.toml").expression(text, line=99)


def items(value: Any) -> list[Any]:
    """The entries of a vector of known length."""
    assert isinstance(value, Vec)
    out = value.concrete_items()
    assert out is not None
    return out


def declared(text: str, name: str = "a") -> SymbolInfo:
    """Declare ``name`` as ``text`` in the common scope (not stored)."""
    return declare(name, text, SCOPE, file="t.toml", line=7)


# -- good expressions ------------------------------------------------------------------------------------------

SCALARS: list[tuple[str, Any]] = [
    # exact numbers
    ("0.25", sp.Rational(1, 4)), ("1/3", sp.Rational(1, 3)), ("1e-3", sp.Rational(1, 1000)), ("2.5e2", 250),
    ("2^-1", sp.Rational(1, 2)), ("2**3", 8), ("2^3^2", 512), ("-x^2", -X**2), ("0^0", 1), ("1/0", sp.zoo),
    # vector literals: indexed from 1, zero outside 1..len
    ("[1, 2, 3][1]", 1), ("[1, 2, 3][3]", 3), ("[1, 2, 3][0]", 0), ("[1, 2, 3][4]", 0), ("[1, 2, 3][-1]", 0),
    ("[1, 2, 3][i]", sp.Piecewise((1, sp.Eq(IDX, 1)), (2, sp.Eq(IDX, 2)), (3, sp.Eq(IDX, 3)), (0, True))),
    ("len([1, 2, 3])", 3), ("len(g)", M), ("len(w)", 3), ("len(vector(n, (n, 2, K)))", K - 1),
    ("len(Matrix([[1, 2], [3, 4]]))", 4),
    ("flip([1, 2, 3])[1]", 3), ("flip([1, 2, 3])[4]", 0), ("flip(w)[1]", W[3]), ("flip(g)[1]", G[M]),
    ("vector(n^2, (n, 1, 3))[2]", 4), ("vector(n, (n, 2, 4))[1]", 2), ("vector(n, (n, 2, 4))[0]", 0),
    ("vector(n, (n, 2, 4))[4]", 0), ("vector(n, (n, 1, K))[i]", sp.Piecewise((IDX, K >= IDX), (0, True))),
    # families with a range are zero outside it; without one they are not
    ("g[0]", 0), ("g[m + 1]", 0), ("g[1]", G[1]), ("g[i]", G[IDX]), ("w[4]", 0), ("w[-2]", 0),
    ("v[0]", sp.IndexedBase("v", real=True)[0]),
    # functions, definitions, constants
    ("Piecewise((1, x > 0), (0, True))", sp.Piecewise((1, X > 0), (0, True))),
    ("Piecewise((x, x < 0), (-x, x >= 0))", sp.Piecewise((X, X < 0), (-X, X >= 0))),
    ("f", 1 / (1 + sp.exp(-X))), ("sigma(0)", sp.Rational(1, 2)), ("sq(x, 1)", X**2 + 1), ("vec[2]", 2 * X),
    ("diff(x^3, x, 2)", 6 * X), ("diff(g[1]*g[2], g[1])", G[2]), ("diff(x^2, x, 0)", X**2),
    ("Matrix([[1, 2], [3, 4]])[2, 1]", 3), ("eye(2)[1, 1]", 1),
    ("KroneckerDelta(i, 1)", sp.KroneckerDelta(IDX, 1)), ("Max(x, 1)", sp.Max(X, 1)), ("Abs(-2)", 2),
    ("floor(7/2)", 3), ("ceiling(7/2)", 4), ("sqrt(4)", 2), ("exp(log(x))", X), ("E", sp.E), ("pi", sp.pi),
    ("oo", sp.oo), ("y", Y),
    # relations
    ("x == 1", sp.Eq(X, 1)), ("x = 1", sp.Eq(X, 1)), ("x != 1", sp.Ne(X, 1)),
    ("0 < x < 1", sp.And(sp.Lt(0, X), sp.Lt(X, 1))), ("x = 1 = 2", sp.false),
    # relations as the values of And, Or, Not (a condition of a Piecewise)
    ("atan(1)", sp.pi / 4), ("asin(1)", sp.pi / 2), ("acos(1)", 0), ("sec(x)", sp.sec(X)), ("cot(x)", sp.cot(X)),
    ("csc(x)", sp.csc(X)), ("asinh(x)", sp.asinh(X)), ("acosh(x)", sp.acosh(X)), ("atanh(x)", sp.atanh(X)),
    ("log(8, 2)", 3), ("log(x, 2)", sp.log(X) / sp.log(2)),
    ("Or(x = 2, x = -2)", sp.Or(sp.Eq(X, 2), sp.Eq(X, -2))), ("Not(x > 0)", X <= 0),
    ("And(0 < x, x^2 < 4, True)", sp.And(sp.Lt(0, X), X**2 < 4)),
    ("Piecewise((1, Or(x = 2, x = -2)), (0, True))", sp.Piecewise((1, sp.Or(sp.Eq(X, 2), sp.Eq(X, -2))), (0, True))),
]


@pytest.mark.parametrize("text, expected", SCALARS, ids=[t for t, _ in SCALARS])
def test_scalar(text: str, expected: Any) -> None:
    assert build(text) == sp.sympify(expected)


VECTORS: list[tuple[str, list[Any]]] = [
    ("[1, 2, 3]", [1, 2, 3]), ("flip([1, 2, 3])", [3, 2, 1]), ("flip(w)", [W[3], W[2], W[1]]),
    ("vector(n^2, (n, 1, 3))", [1, 4, 9]), ("vector(n, (n, 2, 4))", [2, 3, 4]), ("vector(n, (n, 1, 0))", []),
    ("[1, 2] + [3, 4]", [4, 6]), ("2*[1, 2]", [2, 4]), ("[1, 2] - 1", [0, 1]), ("-[1, 2]", [-1, -2]),
    ("exp([0, 1])", [1, sp.E]), ("diff([x^2, x], x)", [2 * X, 1]), ("flip(flip([1, 2, 3]))", [1, 2, 3]),
    ("vector(j*x, (j, 1, 2))", [X, 2 * X]),
]


@pytest.mark.parametrize("text, expected", VECTORS, ids=[t for t, _ in VECTORS])
def test_vector(text: str, expected: list[Any]) -> None:
    assert items(build(text)) == [sp.sympify(e) for e in expected]


def test_vector_lengths() -> None:
    assert build("[1, 2, 3]").length == 3
    assert build("flip(g)").length == M
    assert build("vector(n, (n, 1, K))").length == K
    assert build("g").concrete_items() is None


def test_nested_vectors_are_matrices() -> None:
    assert build("[[1, 2], [3, 4]]") == sp.Matrix([[1, 2], [3, 4]])
    assert build("jacobian([x^2, x], [x])") == sp.Matrix([[2 * X], [1]])


def test_sums_bind_a_fresh_index() -> None:
    built = build("Sum(g[j], (j, 1, m))")
    assert isinstance(built, sp.Sum)
    (j, lo, hi), = built.limits
    assert isinstance(j, sp.Dummy) and j.is_integer and (lo, hi) == (1, M)
    assert built.function == G[j]
    assert build("Sum(j, (j, 1, 3))").doit() == 6
    assert build("Product(j, (j, 1, 4))").doit() == 24


def test_a_bound_index_never_captures_a_declared_name() -> None:
    built = build("Sum(i, (i, 1, 3))")
    assert IDX not in built.free_symbols
    assert built.doit() == 6


def test_definition_parameters_are_local() -> None:
    assert build("sigma(x) - sigma(x)") == 0
    assert build("sq(sq(x, 0), 1)") == X**4 + 1


# -- bad expressions: the exact message, with file, line and column ---------------------------------------------

ERRORS: list[tuple[str, str]] = [
    ("And(x, x > 0)", "t.toml:99:5: expected a condition (a relation such as x = 2, True or False), found a value"),
    ("Not(1)", "t.toml:99:5: expected a condition (a relation such as x = 2, True or False), found a value"),
    ("zz", "t.toml:99:1: undeclared name 'zz': declare it in [symbols] or [define]"),
    ("X + 1", "t.toml:99:1: undeclared name 'X': declare it in [symbols] or [define] (did you mean 'x'?)"),
    ("sigm(x)", "t.toml:99:1: unknown function 'sigm': use a built-in function or define it in [define] (did you "
                "mean 'sigma'?)"),
    ("foo(x)", "t.toml:99:1: unknown function 'foo': use a built-in function or define it in [define]"),
    ("sigma", "t.toml:99:1: 'sigma' is a function of 1 argument(s); call it as sigma(z)"),
    ("sigma(x, x)", "t.toml:99:1: sigma() takes 1 argument(s), got 2"),
    ("f(x)", "t.toml:99:1: 'f' is not a function"),
    ("x(1)", "t.toml:99:1: 'x' is not a function"),
    ("exp", "t.toml:99:1: 'exp' is a function; call it with arguments"),
    ("exp(x, 1)", "t.toml:99:1: exp() takes 1 argument, got 2"),
    ("x.y", "t.toml:99:2: attribute access ('.') is not allowed"),
    ("[1, 2, 3][2][1]", "t.toml:99:1: only indexed families, vectors and matrices can be indexed"),
    ("x[1]", "t.toml:99:1: only indexed families, vectors and matrices can be indexed"),
    ("g[3/2]", "t.toml:99:1: index 3/2 is not an integer"),
    ("g[x]", "t.toml:99:1: index x is not an integer expression: declare its names 'integer'"),
    ("Sum(x, (j, 1))", "t.toml:99:8: Sum expects limits (index, low, high), e.g. (j, 1, K)"),
    ("Sum(x, (pi, 1, 2))", "t.toml:99:9: 'pi' cannot be used as an index"),
    ("[1, 2] + [1, 2, 3]", "t.toml:99:1: vectors of different lengths (2 and 3)"),
    ("x + (x < 1)", "t.toml:99:6: expected a value, found a relation"),
    ("Piecewise((1, 2))",
     "t.toml:99:11: Piecewise expects pairs (value, condition), the condition a relation such as 1 <= j <= k, or True"),
    ("Piecewise((1, x))",
     "t.toml:99:11: Piecewise expects pairs (value, condition), the condition a relation such as 1 <= j <= k, or True"),
    ("Piecewise()", "t.toml:99:1: Piecewise needs at least one pair"),
    ("diff(x, 1)", "t.toml:99:1: diff: differentiate with respect to a symbol or an entry x[k]"),
    ("diff(x, x, 21)", "t.toml:99:1: diff: the order must be an integer from 0 to 20"),
    ("len(x)", "t.toml:99:1: len: the argument must be a vector or a family with a declared range"),
    ("flip(v)", "t.toml:99:1: flip: the argument must be a vector or a family with a declared range"),
    ("eye(1001)", "t.toml:99:1: eye() needs integer sizes from 0 to 1000"),
    ("x^100000", "t.toml:99:1: exponent 100000 is too large (at most 10000)"),
    ("(2^9999)^9999", "t.toml:99:2: number too large to compute exactly"),
    ("(1, 2) + 1", "t.toml:99:1: a tuple cannot take part in arithmetic"),
    ("-(1, 2)", "t.toml:99:1: a tuple cannot be negated"),
    ("vector(x, (n, 1, 20000))", "t.toml:99:1: vector too long (at most 10000 entries)"),
    ("limit(x, 1, 0)", "t.toml:99:10: limit: the variable must be a name"),
    # A matrix has no out-of-range convention (spec 2a): entry (3, 1) of a 2 x 2 matrix does not exist.
    ("Matrix([[1, 2], [3, 4]])[3, 1]", "t.toml:99:1: matrix entry [3, 1] is out of range: the matrix is 2 x 2, "
                                       "indexed from 1 (a matrix has no out-of-range-is-zero convention)"),
    ("eye(2) + 1", "t.toml:99:1: cannot build 'eye(2) + 1': unsupported operand type(s) for +: "
                   "'MutableDenseMatrix' and 'One'"),
    ("[[1, 2], [3]]", "t.toml:99:1: cannot build '[[1, 2], [3]]': mismatched dimensions"),
    ("[1, 2] * eye(2)", "t.toml:99:1: cannot combine a vector with a matrix by '*' (write the vector as "
                        "Matrix([...]) to use matrix arithmetic)"),
    ("[eye(2), 1]", "t.toml:99:2: a vector's entries are numbers or expressions (or rows [..] of a matrix), not a "
                    "matrix"),
    ("[(1, 2)]", "t.toml:99:2: a vector's entries are numbers or expressions (or rows [..] of a matrix), not a "
                 "tuple"),
    ("Sum(x, (j, 1, [1]))", "t.toml:99:15: Sum: a bound must be a scalar"),
    ("(" * 300 + "x" + ")" * 300, "t.toml:99:201: expression nested too deeply (more than 200 levels)"),
    ("", "t.toml:99:1: empty expression"),
]


@pytest.mark.parametrize("text, message", ERRORS, ids=[t[:40] for t, _ in ERRORS])
def test_error(text: str, message: str) -> None:
    with pytest.raises(ExpressionError) as caught:
        build(text)
    assert str(caught.value) == message


def test_errors_inside_a_definition_name_the_definition() -> None:
    scope = make_scope()
    scope.definitions["h"] = Definition("h", ("z",), P.parse_expression("z + zz"), "z + zz", file="t.toml", line=30)
    with pytest.raises(ExpressionError) as caught:
        Builder(scope, file="t.toml").expression("h(x)", line=99)
    assert str(caught.value) == ("t.toml:30:5: in definition of 'h': undeclared name 'zz': declare it in [symbols] "
                                 "or [define]")


@pytest.mark.parametrize("definitions, message", [
    ([("f", "f + 1")], "t.toml:1:1: in definition of 'f': definition 'f' refers to itself; a definition may use "
                       "only names declared or defined before it"),
    ([("f(z)", "f(z) + 1")], "t.toml:1:1: in definition of 'f': definition 'f' refers to itself; a definition may "
                             "use only names declared or defined before it"),
    ([("f(z)", "g(z)"), ("g(z)", "h(z)"), ("h(z)", "f(z)")],
     "t.toml:3:1: in definition of 'h': definition 'f' refers to itself (through f -> g -> h -> f); a definition "
     "may use only names declared or defined before it"),
])
def test_definitions_that_refer_to_themselves(definitions: list[tuple[str, str]], message: str) -> None:
    scope = make_scope()
    for line, (key, text) in enumerate(definitions, start=1):
        name, params = parse_signature(key)
        scope.definitions[name] = Definition(name, params, P.parse_expression(text), text, file="t.toml", line=line)
    call = "f(x)" if scope.definitions["f"].params else "f"
    with pytest.raises(ExpressionError) as caught:
        Builder(scope, file="t.toml").expression(call, line=99)
    assert str(caught.value) == message


# -- meaning (spec 2a) -----------------------------------------------------------------------------------------------

def scope_with(*symbols: tuple[str, str]) -> Scope:
    """The common scope plus ``symbols``."""
    scope = make_scope()
    for name, text in symbols:
        scope.symbols[name] = declare(name, text, scope, file="t.toml", line=50)
    return scope


def build_in(scope: Scope, text: str) -> Any:
    return Builder(scope, file="t.toml").expression(text, line=99)


def test_a_real_range_is_an_interval_not_two_integers() -> None:
    info = declared("real 0..1")
    assert info.declaration is not None and info.declaration.values is not None
    box = info.declaration.values
    assert (box.lo, box.hi, box.lo_open, box.hi_open) == (0, 1, False, False)
    assert info.symbol.is_integer is not True and info.symbol.is_real
    assert info.lo is None      # not an integer range: the bounded check must not enumerate it


@pytest.mark.parametrize("text, lo_open, hi_open", [
    ("real (0, 1)", True, True), ("real [0, 1)", False, True), ("real (0, 1]", True, False),
    ("real [0, 1]", False, False),
])
def test_open_and_half_open_intervals(text: str, lo_open: bool, hi_open: bool) -> None:
    box = declared(text).declaration.values     # type: ignore[union-attr]
    assert (box.lo, box.hi, box.lo_open, box.hi_open) == (0, 1, lo_open, hi_open)


def test_a_familys_words_hold_inside_its_range_only() -> None:
    info = declared("indexed positive 1..K", "p")
    assert info.declaration is not None and info.declaration.signs == {"positive"}
    assert info.declaration.index_range == (1, K)
    # p[0] = 0 (outside 1..K): SymPy must not believe any entry positive, only nonnegative (0 and positives).
    assert info.symbol[0].is_positive is not True
    assert info.symbol[0].is_nonnegative is True


def test_a_familys_value_interval_is_in_brackets() -> None:
    info = declared("indexed real [0, 1] 1..K", "pw")
    d = info.declaration
    assert d is not None and d.index_range == (1, K) and d.values is not None
    assert (d.values.lo, d.values.hi) == (0, 1)


def test_a_finite_domain_family() -> None:
    d = declared("indexed in {0, 1}", "yb").declaration
    assert d is not None and d.domain == (0, 1) and d.index_range is None


@pytest.mark.parametrize("text, message", [
    ("positive negative", "the words negative and positive contradict each other (no number is both)"),
    ("nonnegative negative", "the words negative and nonnegative contradict each other"),
    ("in {}", "the finite domain {} is empty: the declaration allows no value"),
    ("positive 0..0", "no number in [0, 0] is integer positive: the words contradict"),     # {0} has no positive
    ("real (1, 1)", "the interval (1, 1) is empty"),
    ("real [2, 1]", "the interval [2, 1] is empty"),
    ("positive real [-2, 0]", "no number in [-2, 0] is positive: the words contradict"),
    ("integer real (0, 1)", "no number in (0, 1) is integer: the words contradict"),        # no integer in (0, 1)
    ("positive in {0, 1}", "the domain value 0 is not allowed by the other words of the declaration"),
    ("indexed positive in {-1, 1} 1..K", "the domain value -1 is not allowed by the other words"),
])
def test_contradicting_declarations_are_errors(text: str, message: str) -> None:
    with pytest.raises(ExpressionError, match=re.escape(message)):
        declared(text)


def test_flip_and_len_of_a_family_not_starting_at_1() -> None:
    scope = scope_with(("f0", "indexed real 0..K"))
    f0 = scope.symbols["f0"].symbol
    assert build_in(scope, "len(f0)") == K + 1                    # entries 0..K
    # flip gives a vector, indexed from 1: entry i is f0[K + 1 - i], for i in 1..K + 1.
    assert build_in(scope, "flip(f0)[1]") == f0[K]
    assert build_in(scope, "flip(f0)[K + 1]") == f0[0]
    assert build_in(scope, "flip(f0)[2]") == f0[K - 1]
    assert build_in(scope, "flip(f0)[0]") == 0                    # outside 1..K + 1: f0[K + 1], outside 0..K
    assert build_in(scope, "len(flip(f0))") == K + 1
    assert build_in(scope, "flip(f0)").first == 1
    assert build_in(scope, "flip(g)[1]") == G[M]                  # from 1: i -> m + 1 - i, as before


def test_a_vector_of_negative_length_is_empty() -> None:
    mm = sp.Symbol("mm", integer=True)
    scope = scope_with(("mm", "integer"))
    length = build_in(scope, "len(vector(j, (j, 1, mm)))")
    # j from 1 to mm has mm entries when mm >= 0, none when mm < 0.
    assert [length.subs(mm, v) for v in (-3, 0, 2)] == [0, 0, 2]
    assert build_in(scope, "len(vector(j, (j, 1, K)))") == K      # K positive: no Max left


@pytest.mark.parametrize("text, expected", [
    ("([1, 2] + 1)[3]", 0), ("([1, 2] + 1)[2]", 3), ("exp([1, 2])[3]", 0), ("exp([1, 2])[0]", 0),
    ("(2*[1, 2])[3]", 0), ("(1 - [1, 2])[1]", 0), ("flip([1, 2, 3])[4]", 0),
])
def test_entrywise_arithmetic_keeps_zero_outside(text: str, expected: Any) -> None:
    assert build(text) == expected


def test_entrywise_arithmetic_at_a_symbolic_index_is_zero_outside() -> None:
    entry = build("([1, 2] + 1)[i]")
    # i = 3 is outside 1..2: 0; i = 1: 1 + 1 = 2.
    assert entry.subs(IDX, 3) == 0 and entry.subs(IDX, 1) == 2


def test_sums_over_empty_numeric_ranges() -> None:
    assert build("Sum(x, (j, 1, -3))") == 0        # empty: 0 (Karr's convention would give -4*x)
    assert build("Product(x, (j, 1, -3))") == 1
    assert build("Sum(x, (j, 3, 2))") == 0


@pytest.mark.parametrize("text", ["Sum((-1)^(2*j), (j, 1/2, 3/2))", "Product(j, (j, 1, 5/2))",
                                  "vector(j, (j, 1, x))", "Sum(j, (j, 1, sqrt(2)))"])
def test_non_integer_bounds_are_errors(text: str) -> None:
    with pytest.raises(ExpressionError, match="is not an integer"):
        build(text)


def test_floor_of_an_irrational_number_is_left_to_the_kernel() -> None:
    value = build("floor(sqrt(2)/(541131238821888000 - 382637568482834149*sqrt(2)))")
    assert isinstance(value, sp.floor)
    # The true value, at 60 digits: 1401.999..., so the floor is 1401 (SymPy's automatic evaluation says 1402).
    import mpmath
    with mpmath.workdps(60):
        exact = mpmath.sqrt(2) / (541131238821888000 - 382637568482834149 * mpmath.sqrt(2))
        assert mpmath.floor(exact) == 1401


def test_max_of_a_tiny_algebraic_number_builds() -> None:
    value = build("Max(sqrt(2) - 1414213562373095/1000000000000000, 0)")
    assert isinstance(value, sp.Max)
    import mpmath
    with mpmath.workdps(50):      # sqrt(2) = 1.41421356237309504..., so the difference is about 4.9e-17 > 0
        assert mpmath.sqrt(2) - mpmath.mpf(1414213562373095) / 10**15 > 0


def test_derivative_of_abs_is_undefined_at_the_kink() -> None:
    d = build("diff(Abs(x), x)")
    assert isinstance(d, sp.Piecewise) and len(d.args) == 1      # no otherwise branch
    assert d.subs(X, 2) == 1 and d.subs(X, -2) == -1             # |x|' = sign(x) away from 0
    assert d.subs(X, 0) is sp.nan                                 # no branch holds at 0


@pytest.mark.parametrize("text, expected", [
    ("diff(Abs(x)^2, x)", 2 * X),                   # |x|^2 = x^2
    ("diff(x*Abs(x), x)", 2 * sp.Abs(X)),           # (x|x|)' = 2|x|, also at 0
    ("diff(Abs(x)^3, x)", 3 * X * sp.Abs(X)),       # (|x|^3)' = 3x|x|
    ("diff(exp(x), x)", sp.exp(X)),
])
def test_differentiable_composites_stay_defined(text: str, expected: Any) -> None:
    assert sp.simplify(build(text) - expected) == 0


@pytest.mark.parametrize("text, kink", [
    ("diff(Max(x, 0), x)", 0), ("diff(Min(x, 1), x)", 1), ("diff(Heaviside(x), x)", 0), ("diff(sign(x), x)", 0),
    ("diff(floor(x), x)", 3), ("diff(ceiling(x), x)", -2),
])
def test_derivatives_at_kinks_and_jumps_are_undefined(text: str, kink: int) -> None:
    d = build(text)
    assert isinstance(d, sp.Piecewise) and len(d.args) == 1
    assert d.subs(X, kink) is sp.nan
    assert d.subs(X, sp.Rational(kink * 2 + 1, 2)) is not sp.nan     # half-way points are not kinks


def test_derivative_of_floor_is_zero_off_the_integers() -> None:
    d = build("diff(floor(x), x)")
    assert d.subs(X, sp.Rational(1, 2)) == 0


def test_derivative_with_respect_to_an_integer_is_an_error() -> None:
    with pytest.raises(ExpressionError, match="K is an integer, and a function of an integer has no derivative"):
        build("diff(Sum(j*x, (j, 1, K)), K)")


def test_a_limit_variable_is_fresh_and_has_no_declared_words() -> None:
    scope = scope_with(("zp", "positive"))
    value = build_in(scope, "limit(1/(1 + exp(-Abs(zp))), zp, -oo)")
    if isinstance(value, sp.Limit):
        var = value.args[1]
        assert var != scope.symbols["zp"].symbol and var.is_positive is None and var.is_real
        assert value.args[0].has(sp.Abs)      # Abs(z) not simplified to z under the declared positivity
    else:   # SymPy evaluated it: as z -> -oo, -|z| -> -oo, exp(-|z|) -> 0, so the limit is 1
        assert value == 1


def test_a_limit_variable_is_rebound_inside_definitions() -> None:
    scope = make_scope()
    scope.symbols["zp"] = declare("zp", "positive", scope)
    scope.definitions["fz"] = Definition("fz", None, P.parse_expression("Abs(zp)"), "Abs(zp)")
    value = build_in(scope, "limit(fz, zp, 0)")
    # |z| -> 0 as z -> 0 from either side; built unsimplified it is Limit(Abs(z'), z', 0).
    assert value == 0 or (isinstance(value, sp.Limit) and value.args[0] == sp.Abs(value.args[1]))


def test_a_jacobian_is_undefined_at_kinks_too() -> None:
    jac = build("jacobian([Abs(x), x^2], [x])")
    # d|x|/dx exists only for x != 0; d(x^2)/dx = 2x everywhere.
    assert jac[0, 0].subs(X, 0) is sp.nan and jac[0, 0].subs(X, 3) == 1
    assert jac[1, 0] == 2 * X


def side(text: str, scope: Scope = SCOPE) -> Any:
    """Build ``text`` as a side of a relation (with the definedness SymPy's evaluation would lose)."""
    return Builder(scope, file="t.toml").side(P.parse_expression(text))


def partial(value: Any, condition: sp.Basic) -> sp.Piecewise:
    return sp.Piecewise((value, condition), evaluate=False)


@pytest.mark.parametrize("text, expected", [
    # SymPy makes each of these a value defined everywhere; as written, each is undefined where shown.
    ("x/x", partial(1, sp.Ne(X, 0, evaluate=False))),                       # 0/0 at x = 0
    ("x^2/x", partial(X, sp.Ne(X, 0, evaluate=False))),                     # 0/0 at x = 0
    ("sqrt(x)^2", partial(X, sp.Ge(X, 0, evaluate=False))),                 # sqrt(-1) at x = -1
    ("exp(log(x))", partial(X, sp.Gt(X, 0, evaluate=False))),               # log(0) at x = 0
    ("log(x)*0", partial(0, sp.Gt(X, 0, evaluate=False))),                  # log(-1) at x = -1
    ("(x^2 - 2)^2/(x^2 - 2)", partial(X**2 - 2, sp.Ne(X**2 - 2, 0, evaluate=False))),   # at x = sqrt(2)
])
def test_a_side_keeps_the_points_where_it_is_undefined(text: str, expected: sp.Basic) -> None:
    assert side(text) == expected


def test_a_side_that_keeps_its_conditions_is_not_wrapped() -> None:
    # Each built value still carries the condition of every division, log and root as written.
    for text in ["1/(1 + exp(-x))", "x/(x^2 + 1)", "1/(2*x)", "(x + 1)/(2*x + 2)", "sqrt(4*x)", "log(2*x)",
                 "log(exp(x))", "1/x^2", "f", "sigma(x)/sigma(-x)", "Sum(1/j, (j, 1, K))", "x^(-1/2)"]:
        assert not side(text).has(sp.Piecewise), text
    # 1/(1/x) is x, defined at 0 for SymPy; as written it needs x != 0 (and 1/x != 0, which then holds).
    assert side("1/(1/x)") == partial(X, sp.Ne(X, 0, evaluate=False))


def test_conditions_stay_inside_their_binder() -> None:
    built = side("Sum(w[j]/w[j], (j, 1, K))")
    # The sum itself is not wrapped (an empty range needs nothing); its body is, with the bound index inside.
    assert isinstance(built, sp.Sum) and isinstance(built.function, sp.Piecewise)
    (j,) = built.variables
    assert built.function.args[0][1].has(j)
    vec = side("vector(1/(1/x), (n, 1, 2))")
    assert items(vec) == [partial(X, sp.Ne(X, 0, evaluate=False))] * 2   # entries 1 and 2, both 1/(1/x)


def test_a_branch_is_wrapped_where_it_is_chosen_only() -> None:
    built = side("Piecewise((x/x, x < 5), (5, True))")
    assert isinstance(built, sp.Piecewise) and built.args[-1] == (5, True)   # x = 7 gives 5: defined
    assert built.args[0][0] == partial(1, sp.Ne(X, 0, evaluate=False))         # x = 0 < 5 gives 0/0
    # Where the branch is chosen (x > 0), x != 0: nothing to keep.
    assert side("Piecewise((x/x, x > 0), (5, True))") == sp.Piecewise((1, X > 0), (5, True))
    # A condition is evaluated whenever no earlier one holds: 0/0 at x = 0 makes the second branch undefined too.
    # (SymPy drops the first branch, 1 > 2 being false.)
    assert side("Piecewise((1, x/x > 2), (3, True))") == partial(3, sp.Ne(X, 0, evaluate=False))


def test_a_definitions_conditions_apply_to_its_arguments() -> None:
    scope = make_scope()
    for key, text in [("r(t)", "t/t"), ("h", "x/x")]:
        name, params = parse_signature(key)
        scope.definitions[name] = Definition(name, params, P.parse_expression(text), text, file="t.toml", line=30)
    assert side("r(x + 1)", scope) == partial(1, sp.Ne(X + 1, 0, evaluate=False))   # (x + 1)/(x + 1)
    assert side("h", scope) == partial(1, sp.Ne(X, 0, evaluate=False))
    assert side("h", scope) == partial(1, sp.Ne(X, 0, evaluate=False))   # again, from the cache


@pytest.mark.parametrize("text", [
    "Max(0, 1 - log(-x^2 - 1))",                  # -x^2 - 1 < 0 for every real x: its log is undefined as written
    "Max(0, 1 - x/2 - log(-K))^2",                # the squared hinge of the fuzzer's seed-2026 finding (K > 0)
    "Piecewise((x, 1 - sqrt(-3) > 0), (0, True))",  # relu(1 - sqrt(-3)): the condition compares a non-real number
    "Min(x, sqrt(-1/2))", "floor(log(-1 - x^2))", "Abs(1/0) + x", "Heaviside(sqrt(-2))",
])
def test_an_argument_undefined_as_written_makes_the_call_undefined(text: str) -> None:
    # Each argument above is undefined as written at every point (a log or square root of a negative number, a
    # division by 0), so the call is too (section 2a): never a comparison of non-real numbers, never an input error.
    value = side(text)
    assert isinstance(value, sp.Piecewise) and len(value.args) == 1
    assert NOWHERE in sp.And.make_args(value.args[0][1])


def test_a_condition_undefined_as_written_makes_later_branches_undefined() -> None:
    # log(-K) with K > 0 is undefined: the first branch (x > 0) is still chosen and defined, the second condition is
    # evaluated only where x <= 0, and there the Piecewise is undefined, whichever branch would follow.
    value = side("Piecewise((1, x > 0), (2, log(-K) > 0), (3, True))")
    assert isinstance(value, sp.Piecewise)
    (first, c1), *later = value.args
    assert first == 1 and c1 == (X > 0)
    assert later and all(isinstance(v, sp.Piecewise) and NOWHERE in sp.And.make_args(v.args[0][1]) for v, _ in later)


def test_a_real_argument_is_left_as_it_is() -> None:
    # Only an argument SymPy shows non-real everywhere is replaced: 1/x and log(x) are real where defined.
    assert side("Max(0, 1/x)") == sp.Max(0, 1 / X)
    assert side("Piecewise((x, x > 0), (0, True))") == sp.Piecewise((X, X > 0), (0, True))


@pytest.mark.parametrize("text, point, expected", [
    ("diff(Max(x, 0) + Min(x, 0), x)", 0, 1),     # the function is x: derivative 1 everywhere, 0 included
    ("diff(Max(x, -x) - Abs(x), x)", 0, 0),       # Max(x, -x) = |x|: the function is 0
    ("diff(Max(x, 0)*Min(x, 0), x)", 0, 0),       # one factor is 0 on each side: the function is 0
    ("diff(Max(x^3, 0), x)", 0, 0),               # x^3 for x > 0, else 0: one-sided slopes 3*0^2 and 0 agree
    ("diff(Abs(x)*sin(x), x)", 0, 0),             # +-x*sin(x) on each side: slopes sin 0 + 0 = 0 and -0 agree
    ("diff(Abs(x^3), x)", 0, 0),                  # |x|^3: slopes 3x^2 and -3x^2, both 0 at 0
])
def test_a_kink_of_the_formula_where_the_function_is_differentiable(text: str, point: int, expected: int) -> None:
    # Section 2a: the test is the function, not the shape of its formula (each truth by hand beside it).
    assert build(text).subs(X, point) == expected


@pytest.mark.parametrize("text", [
    "diff(Max(x, 0), x)", "diff(Abs(x), x)", "diff(Max(x, 0) - Min(x, 0), x)",   # slopes 1 and 0, 1 and -1, 1 and -1
    "diff(Heaviside(x)*(x + 1), x)",                                            # a jump at 0: not continuous
    "diff(Abs(x^3)^(1/3), x)",                                                  # |x|: slopes 1 and -1
])
def test_a_kink_of_the_function_stays_undefined(text: str) -> None:
    assert build(text).subs(X, 0) is sp.nan


@pytest.mark.parametrize("text", ["sqrt(x^2*(x - 2))", "(x^2*(x - 2))^(1/2)", "(x^2*(x - 2))^(3/2)"])
def test_a_root_split_by_sympy_keeps_its_value_at_the_factor_zero(text: str) -> None:
    # SymPy builds sqrt(x^2*(x - 2)) as |x|*sqrt(x - 2); as written, at x = 0 it is 0^(1/2) = 0 (and 0^(3/2) = 0),
    # at x = 3 it is sqrt(9) = 3 (and 27).
    d = build(text)
    assert d.subs(X, 0) == 0
    assert d.subs(X, 3) in (3, 27)


def test_a_root_sympy_keeps_whole_or_splits_by_a_constant_is_left_as_built() -> None:
    assert build("sqrt(4*x)") == 2 * sp.sqrt(X)        # sqrt(4x) = 2 sqrt(x): nothing lost
    assert build("sqrt(x^4)") == X**2                  # sqrt(x^4) = x^2 for real x: nothing lost

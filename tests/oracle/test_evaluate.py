"""The reference evaluator on section 2a's conventions; every expected value is worked out by hand beside it."""

from __future__ import annotations

from fractions import Fraction

import mpmath
import pytest

from verifier.frontend import parser as P
from verifier.oracle.evaluate import Definition, Family, Point, holds, value
from verifier.oracle.values import DPS, CannotTell, Undefined, ends, working

F = Fraction


def at(text: str, defs: dict[str, str] | None = None, **scalars: object) -> object:
    definitions = {}
    for key, body in (defs or {}).items():
        name, _, params = key.partition("(")
        definitions[name] = Definition(tuple(p.strip() for p in params.rstrip(")").split(",")) if params else None,
                                       P.parse_expression(body))
    point = Point({k: F(v) if not isinstance(v, Fraction) else v for k, v in scalars.items()  # type: ignore[arg-type]
                   if not isinstance(v, Family)},
                  {k: v for k, v in scalars.items() if isinstance(v, Family)}, definitions)
    with working(DPS):
        return value(P.parse_expression(text), point)


def mid(v: object) -> mpmath.mpf:
    """The middle of a value's enclosure (an exact value's own)."""
    lo, hi = ends(v)  # type: ignore[arg-type]
    return (lo + hi) / 2


RELU = {"relu(v)": "Piecewise((v, v > 0), (0, True))"}
HUBER = {"huber(v)": "Piecewise((v^2/2, Abs(v) <= 1), (Abs(v) - 1/2, True))"}


@pytest.mark.parametrize("text", ["1/x", "log(x)", "x^(-1)", "sqrt(x - 1)", "(x - 2)^(1/3)", "0^(-2)",
                                  "Piecewise((1, x > 1))", "log(x - 3)"])
def test_undefined_as_written(text: str) -> None:
    # At x = 0 each is an operation the format leaves undefined: a division by 0, a log of 0, a square root of -1,
    # an odd root of -2, a negative power of 0, a Piecewise with no true branch, a log of -3.
    with pytest.raises(Undefined):
        at(text, x=0)


def test_defined_where_the_written_form_is() -> None:
    assert at("x/x", x=3) == 1                      # 3/3
    assert at("sqrt(x)^2", x=4) == 4                # sqrt(4) = 2 exactly, squared
    assert at("0^0") == 1                           # SymPy's and the format's 0^0
    assert at("(-8)^2") == 64
    assert at("x^(3/2)", x=F(9, 4)) == F(27, 8)    # (3/2)^3


def test_piecewise_takes_the_first_true_branch() -> None:
    assert at("Piecewise((1, x > 0), (2, x > -1), (3, True))", x=F(-1, 2)) == 2
    # The first true branch is taken even where its value is undefined (no falling through).
    with pytest.raises(Undefined):
        at("Piecewise((1/x, x >= 0), (5, True))", x=0)


def test_empty_ranges_and_symbolic_bounds() -> None:
    assert at("Sum(2/m, (j, 1, m))", m=0) == 0          # empty: no term 2/0 is ever formed
    assert at("Product(j, (j, 1, n))", n=0) == 1
    assert at("Product(j, (j, 1, n))", n=5) == 120
    assert at("Sum(Sum(i*j, (i, 1, j)), (j, 1, 3))") == 1 + (2 + 4) + (3 + 6 + 9)   # inner bound by outer index
    assert at("Sum(i*j, (i, 1, 2), (j, 1, 2))") == 9     # (1 + 2)(1 + 2)
    assert at("len(vector(j, (j, 3, 1)))") == 0


def test_vectors_are_zero_outside_their_range() -> None:
    assert at("([1, 2] + 1)[3]") == 0
    assert at("([1, 2] + 1)[2]") == 3
    assert at("flip([1, 2, 3])[1]") == 3
    assert at("exp([0, 0])[3]") == 0
    assert at("len(x)", x=Family("x", (0, 4), lambda i: F(i[0]))) == 5
    assert at("flip(x)[1]", x=Family("x", (0, 4), lambda i: F(i[0]))) == 4        # flip(f0)[1] = f0[K]


def test_families_are_zero_outside_and_entries_move_under_diff() -> None:
    x = Family("x", (1, 3), lambda i: F(i[0] + 1))
    assert at("x[0] + x[4]", x=x) == 0
    assert at("Sum(x[j]^2, (j, 1, 3))", x=x) == 4 + 9 + 16
    d = at("diff(Sum(x[j]^2, (j, 1, 3)), x[2])", x=x)        # 2*x[2] = 6
    assert abs(mid(d) - 6) < mpmath.mpf(10) ** -20


def test_derivatives_exist_only_where_differentiable() -> None:
    with pytest.raises(Undefined):                        # ReLU at 0: slopes 1 and 0
        at("diff(relu(z), z)", RELU, z=0)
    assert abs(mid(at("diff(relu(z), z)", RELU, z=2)) - 1) < mpmath.mpf(10) ** -20
    with pytest.raises(Undefined):                        # |x| at 0
        at("diff(Abs(x), x)", x=0)
    with pytest.raises(Undefined):                        # a step at its jump (its value there 1/2)
        at("diff(Piecewise((0, z < 0), (1/2, z = 0), (1, True)), z)", z=0)
    # Huber at its joint: slopes 1 and 1, continuous -> derivative 1; its second derivative there: 0 and 1.
    assert abs(mid(at("diff(huber(z), z)", HUBER, z=1)) - 1) < mpmath.mpf(10) ** -20
    with pytest.raises(Undefined):
        at("diff(huber(z), z, 2)", HUBER, z=1)
    # Max(x, 0)^2 at 0: slopes 0 and 0.
    assert abs(mid(at("diff(Max(x, 0)^2, x)", x=0))) < mpmath.mpf(10) ** -20
    with pytest.raises(Undefined):                        # sqrt at 0 is undefined to the left
        at("diff(sqrt(x), x)", x=0)


def test_derivative_values() -> None:
    sigma = {"sigma(t)": "1/(1 + exp(-t))"}
    # sigma'(0) = sigma(0)(1 - sigma(0)) = 1/4; tanh'(0) = 1; (x^3)'' at 2 is 6*2 = 12.
    assert abs(mid(at("diff(sigma(z), z)", sigma, z=0)) - mpmath.mpf(1) / 4) < mpmath.mpf(10) ** -20
    assert abs(mid(at("diff(tanh(z), z)", z=0)) - 1) < mpmath.mpf(10) ** -20
    assert abs(mid(at("diff(x^3, x, 2)", x=2)) - 12) < mpmath.mpf(10) ** -15
    assert abs(mid(at("diff(x^2*y, x, y)", x=3, y=5)) - 6) < mpmath.mpf(10) ** -15   # d/dy 2xy = 2x


def test_conditions_and_conventions() -> None:
    point = Point({"x": F(1)}, {}, {})
    assert holds(P.parse_relation("0 < x < 2"), point)
    assert not holds(P.parse_relation("0 < x < 1"), point)
    assert at("sign(0)") == 0
    with pytest.raises(CannotTell):                       # Heaviside(0) is defined but never decided
        at("Heaviside(0)")
    assert at("floor(-1/2) + ceiling(1/2)") == 0
    assert at("KroneckerDelta(2, 2) + Max(1, 3, 2) - Min(4, -1)") == 1 + 3 + 1
    with pytest.raises(CannotTell):
        at("Sum(1/j^2, (j, 1, oo))")


def test_inverse_and_reciprocal_functions() -> None:
    # asin(1) = pi/2, acos(1) = 0, atan(1) = pi/4, log(8, 2) = 3; asin(2), acosh(0), atanh(1), log(2, 1),
    # sec(pi/2) and cot(0) are undefined.
    assert abs(mid(at("asin(1)")) - mpmath.pi / 2) < mpmath.mpf(10) ** -20
    assert abs(mid(at("acos(1)"))) < mpmath.mpf(10) ** -20
    assert abs(mid(at("4*atan(1)")) - mpmath.pi) < mpmath.mpf(10) ** -20
    assert abs(mid(at("log(8, 2)")) - 3) < mpmath.mpf(10) ** -20
    for text in ("asin(2)", "acosh(0)", "atanh(1)", "log(2, 1)", "log(-2, 3)", "cot(0)", "csc(0)"):
        with pytest.raises(Undefined):
            at(text)
    for text in ("sec(pi/2)", "tan(-pi/2)", "tan(3*pi/2)", "csc(2*pi)", "cot(-pi)", "1/tan(pi/2)"):
        with pytest.raises(Undefined):              # cos(k*pi + pi/2) = 0 and sin(k*pi) = 0 exactly
            at(text)


def test_rational_multiples_of_pi_are_exact() -> None:
    # sin(k*pi/2) is 0, 1, 0, -1 and cos(k*pi/2) is 1, 0, -1, 0 for k = 0, 1, 2, 3; cot(pi/2) = 0/1; tan(pi) = 0.
    assert [at(f"sin({k}*pi/2)") for k in range(4)] == [0, 1, 0, -1]
    assert [at(f"cos({k}*pi/2)") for k in range(-1, 3)] == [0, 1, 0, -1]
    assert at("cot(pi/2)") == 0 and at("tan(pi)") == 0
    assert at("(pi + 1) - pi") == 1 and at("pi/pi") == 1 and at("2*pi - 2*pi") == 0
    # Near a pole, not at it: tan(pi/2 + 10^-12) = -cot(10^-12), about -10^12.
    assert abs(mid(at("tan(pi/2 + 10^(-12))")) + mpmath.mpf(10) ** 12) < 1
    # pi = pi exactly (an enclosure could only see them "equal as far as can be seen"); 355/113 > pi (by 2.7e-7).
    assert holds(P.parse_relation("pi <= pi < 355/113"), Point({}, {}, {}))


def test_derivatives_at_a_pole_or_a_kink_of_an_inverse() -> None:
    # acosh(cosh(x)) = |x|: no derivative at 0, slope 1 at 1/2. atan(tan(x)) and 1/tan(x) are undefined at pi/2
    # as written, so their derivatives are; at pi/4 d(1/tan)/dx = -csc(pi/4)^2 = -2.
    with pytest.raises(Undefined):
        at("diff(acosh(cosh(x)), x)", x=0)
    assert abs(mid(at("diff(acosh(cosh(x)), x)", x=F(1, 2))) - 1) < mpmath.mpf(10) ** -15
    for text in ("diff(atan(tan(pi/2 + x)), x)", "diff(1/tan(pi/2 + x), x)"):
        with pytest.raises(Undefined):
            at(text, x=0)
    assert abs(mid(at("diff(1/tan(pi/4 + x), x)", x=0)) + 2) < mpmath.mpf(10) ** -15


@pytest.mark.parametrize("text", [
    # Each is true, by a margin far below what 30 digits resolve (so the evaluator must not call it false):
    # 40114893348711941777/28365513113449345692 is a convergent of sqrt(2) (its difference is about 1e-40);
    # sqrt(10^100 + 1) - 10^50 is about 5e-51; exp(1e-50) - 1 - 1e-50 is about 5e-101.
    "40114893348711941777 - 28365513113449345692*sqrt(2) > 0",
    "sqrt(10^100 + 1) > 10^50",
    "exp(10^(-50)) - 1 - 10^(-50) > 0",
    "sin(10^(-50)) < 10^(-50)",
])
def test_cancellation_is_never_taken_for_a_failure(text: str) -> None:
    from verifier.oracle.crosscheck import truth
    with working(30):
        try:
            holds, _ = truth(P.parse_relation(text), Point({}, {}, {}))
        except CannotTell:
            return
    assert holds


def test_third_derivatives_at_their_precision() -> None:
    # d/dx d^2/dy^2 of x^3 y^2 is 6 x^2: 147/8 at x = 7/4 (the red team's mk.39).
    from verifier.oracle.crosscheck import truth
    node = P.parse_relation("diff(x^3*y^2, x, y, 2) = 6*x^2")
    point = Point({"x": F(7, 4), "y": F(-13, 6)}, {}, {})
    from verifier.oracle.evaluate import digits
    with working(digits([node], {})):
        holds, shown = truth(node, point)
    assert holds, shown


def test_a_vector_entry_undefined_as_written_leaves_the_length_defined() -> None:
    # vector(1/j, (j, 0, 2)) has 3 entries; the first, 1/0, is undefined, the others are 1 and 1/2.
    assert at("len(vector(1/j, (j, 0, 2)))") == 3
    assert at("vector(1/j, (j, 0, 2))[3]") == F(1, 2)
    with pytest.raises(Undefined):
        at("vector(1/j, (j, 0, 2))[1]")


def test_a_term_undefined_as_written_makes_a_product_undefined() -> None:
    # At m = 2 the only term of Product((m - 2)/j, (j, 0, m - 2)) is (2 - 2)/0: a division by zero as written.
    with pytest.raises(Undefined):
        at("Product((m - 2)/j, (j, 0, m - 2))", m=2)
    assert at("Product((m - 2)/j, (j, 0, m - 2))", m=1) == 1        # the range 0..-1 is empty

"""Derivatives of a user's Piecewise at the joints of its branches (verifier/frontend/joints.py): defined exactly
where the function is differentiable. Truths by hand in the comments."""

from __future__ import annotations

import sympy as sp

from verifier.frontend import joints
from verifier.frontend.builtins import derivative_where_defined
from verifier.kernel import defined

x = sp.Symbol("x", real=True)
b = sp.Symbol("b", positive=True)
RELU = sp.Piecewise((x, x > 0), (0, True))
HUBER = sp.Piecewise((x**2 / 2, (x >= -b) & (x <= b)), (b * (sp.Abs(x) - b / 2), True))


def value_at(e: sp.Expr, point: dict) -> sp.Expr:
    """The derivative's value at a point (``nan`` where no branch holds: undefined)."""
    return sp.simplify(e.subs(point))


def test_relations_with_one_zero_set_share_a_boundary() -> None:
    # x > b and 2*b - 2*x >= 0 have one zero set, x = b: one boundary (up to sign and a factor) with both relations;
    # x + b <= 0 another, x = -b.
    e = sp.Piecewise((1, x > b), (3, 2 * b - 2 * x >= 0), (4, x + b <= 0), (5, True))
    found = joints.boundaries(e, x)
    assert len(found) == 2
    by_size = sorted(found.items(), key=lambda kv: len(kv[1]))
    assert sp.simplify(by_size[0][0] ** 2 - (x + b) ** 2) == 0 and len(by_size[0][1]) == 1
    assert sp.simplify(by_size[1][0] ** 2 - (x - b) ** 2) == 0 and len(by_size[1][1]) == 2


def test_relu_has_no_derivative_at_zero() -> None:
    # One-sided derivatives 1 (right) and 0 (left) at 0; 1 for x > 0, 0 for x < 0.
    d = derivative_where_defined(RELU, x)
    assert value_at(d, {x: 0}) is sp.nan
    assert value_at(d, {x: 2}) == 1 and value_at(d, {x: -3}) == 0


def test_a_step_has_no_derivative_at_its_jump() -> None:
    # Piecewise((1, x >= 0), (0, True)) jumps at 0: not continuous, no derivative; 0 on both sides.
    d = derivative_where_defined(sp.Piecewise((1, x >= 0), (0, True)), x)
    assert value_at(d, {x: 0}) is sp.nan
    assert value_at(d, {x: 1}) == 0 and value_at(d, {x: -1}) == 0


def test_huber_is_differentiable_at_its_joints_but_not_twice() -> None:
    # H'(x) = x on [-b, b] and b*sign(x) outside: b at x = b from both sides, -b at -b. H'' is 1 inside, 0 outside:
    # no second derivative at +-b.
    d = derivative_where_defined(HUBER, x)
    assert value_at(d, {x: b}) == b and value_at(d, {x: -b}) == -b
    assert value_at(d, {x: b / 2}) == b / 2 and value_at(d, {x: 3 * b}) == b
    d2 = derivative_where_defined(d, x)
    assert value_at(d2, {x: b}) is sp.nan and value_at(d2, {x: -b}) is sp.nan
    assert value_at(d2, {x: b / 2}) == 1 and value_at(d2, {x: 2 * b}) == 0


def test_a_squared_relu_is_differentiable_at_zero() -> None:
    # relu(x)^2 is x^2 for x > 0 and 0 otherwise: both one-sided derivatives are 0 at 0, and it is continuous.
    d = derivative_where_defined(RELU**2, x)
    assert value_at(d, {x: 0}) == 0 and value_at(d, {x: 3}) == 6


def test_a_power_of_abs_and_a_squared_max_are_differentiable_at_zero() -> None:
    # d/dx |x|^(3/2) = (3/2) sign(x) |x|^(1/2) -> 0 on both sides, and |x|^(3/2)/x -> 0: the derivative at 0 is 0;
    # likewise Max(x, 0)^2 (2*Max(x, 0) -> 0). |x| itself still has none at 0.
    for f in (sp.Abs(x) ** sp.Rational(3, 2), sp.Max(x, 0) ** 2):
        assert value_at(derivative_where_defined(f, x), {x: 0}) == 0
    assert value_at(derivative_where_defined(sp.Abs(x), x), {x: 0}) is sp.nan


def test_a_one_sided_derivative_is_a_limit_where_the_formula_is_0_over_0() -> None:
    # |x|^(3/2) as Piecewise((x^(3/2), x >= 0), ((-x)^(3/2), True)): SymPy writes the left derivative 3(-x)^(3/2)/(2x),
    # 0/0 at 0; its limit is 0 as is the right one (3/2)sqrt(x): the derivative at 0 is 0. The signed square root
    # has slopes tending to +oo on both sides: no derivative at 0.
    d = derivative_where_defined(sp.Piecewise((x ** sp.Rational(3, 2), x >= 0), ((-x) ** sp.Rational(3, 2), True)), x)
    assert value_at(d, {x: 0}) == 0 and value_at(d, {x: 4}) == 3
    root = derivative_where_defined(sp.Piecewise((sp.sqrt(x), x >= 0), (-sp.sqrt(-x), True)), x)
    assert value_at(root, {x: 0}) is sp.nan


def test_a_branch_undefined_at_the_joint_is_read_by_its_one_sided_limit() -> None:
    # x/log(x) joined to 0 at 0: its quotient 1/log(h) -> 0 as h -> 0+ (mpmath: 1/log(1e-300) = -0.00145), and
    # the branch's derivative 1/log(x) - 1/log(x)^2 -> 0 as well: the derivative at 0 is 0 (also by SymPy's limit).
    assert abs(1 / float(sp.log(sp.Float("1e-300")))) < 0.002
    g = sp.Piecewise((x / sp.log(x), x > 0), (0, True))
    assert sp.limit(1 / sp.log(x) - 1 / sp.log(x) ** 2, x, 0, "+") == 0
    assert value_at(derivative_where_defined(g, x), {x: 0}) == 0
    # x*atan(log(x)) joined to 0: the right slopes tend to atan(-oo) = -pi/2, the left ones are 0: no derivative
    # at 0. SymPy reads atan(log(0)) as the interval AccumBounds(-pi/2, pi/2), which is no value.
    bent = sp.Piecewise((x * sp.atan(sp.log(x)), x > 0), (0, True))
    assert sp.limit(sp.atan(sp.log(x)), x, 0, "+") == -sp.pi / 2
    assert value_at(derivative_where_defined(bent, x), {x: 0}) is sp.nan
    # x*(atan(log(x)) + pi/2): the right slopes tend to 0 (atan(log x) + pi/2 + 1/(log(x)^2 + 1) -> 0): derivative 0
    flat = sp.Piecewise((x * (sp.atan(sp.log(x)) + sp.pi / 2), x > 0), (0, True))
    assert value_at(derivative_where_defined(flat, x), {x: 0}) == 0


def test_a_joint_whose_one_sided_slopes_have_no_limit_is_left_undecided() -> None:
    # x^2*sin(1/x) joined to 0 has derivative 0 at 0 (quotient h*sin(1/h) -> 0), though its branch's derivative
    # 2x*sin(1/x) - cos(1/x) has no limit there (SymPy: an AccumBounds): the mean value theorem says nothing, so the
    # point is neither given a value nor left undefined (undefined would refute 0 = diff(...) there).
    assert sp.limit(2 * x * sp.sin(1 / x) - sp.cos(1 / x), x, 0, "+").has(sp.AccumBounds)
    d = derivative_where_defined(sp.Piecewise((x**2 * sp.sin(1 / x), x > 0), (0, True)), x)
    at_zero = d.subs(x, 0)
    assert at_zero is not sp.nan and at_zero.has(joints.OPAQUE_SLOPE) and at_zero.has(defined.DEFINED)
    assert value_at(d, {x: -1}) == 0


def test_a_boundary_through_abs_is_split_into_its_points() -> None:
    # Piecewise((x^2/2, Abs(x) <= 1), (Abs(x) - 1/2, True)): H' = x inside, sign(x) outside; at +-1 both sides
    # agree (+-1), H'' jumps (1 inside, 0 outside); at 0 the other branch's Abs is no kink.
    h = sp.Piecewise((x**2 / 2, sp.Abs(x) <= 1), (sp.Abs(x) - sp.Rational(1, 2), True))
    d = derivative_where_defined(h, x)
    assert [value_at(d, {x: p}) for p in (1, -1, 0, 2)] == [1, -1, 0, 1]
    d2 = derivative_where_defined(d, x)
    assert value_at(d2, {x: 1}) is sp.nan and value_at(d2, {x: -1}) is sp.nan and value_at(d2, {x: 0}) == 1


def test_a_boundary_that_touches_zero_without_crossing_it() -> None:
    # relu(x^2) is x^2 on both sides of 0 and 0 at 0: the function x^2 near 0, derivative 0 there (by hand: the
    # difference quotient h^2/h -> 0). relu(x^2) - relu(-x^2) is x^2 too (the second term is 0 everywhere).
    relu_sq = RELU.subs(x, x**2)
    assert value_at(derivative_where_defined(relu_sq, x), {x: 0}) == 0
    assert value_at(derivative_where_defined(relu_sq - RELU.subs(x, -x**2), x), {x: 0}) == 0
    # A jump where x^2 touches 0: Piecewise((1, x^2 > 0), (0, True)) is 1 near 0 and 0 at 0: not continuous there.
    assert value_at(derivative_where_defined(sp.Piecewise((1, x**2 > 0), (0, True)), x), {x: 0}) is sp.nan


def test_a_boundary_with_a_zero_of_odd_order_is_crossed() -> None:
    # Piecewise((x^3, x^3 > 0), (0, True)) is x^3 for x > 0, 0 for x <= 0: continuous, one-sided derivatives 3*0^2 = 0
    # and 0 agree: derivative 0 at 0. Piecewise((x, x^3 > 0), (0, True)) is relu: slopes 1 and 0, none at 0.
    assert value_at(derivative_where_defined(sp.Piecewise((x**3, x**3 > 0), (0, True)), x), {x: 0}) == 0
    assert value_at(derivative_where_defined(sp.Piecewise((x, x**3 > 0), (0, True)), x), {x: 0}) is sp.nan


def test_the_points_where_a_floor_is_constant_though_its_argument_is_an_integer() -> None:
    # x^2 has its minimum 0 at 0: floor(x^2) = 0 on (-1, 1). x^2 - 1 likewise (floor -1 there). -x^2 has its maximum
    # 0 at 0: floor(-x^2) is -1 near 0 and 0 at 0, a jump; but ceiling(-x^2) = 0 on (-1, 1). x^3 crosses 0: a jump.
    # |x| >= 0 with its zero at 0: floor(|x|) = 0 on (-1, 1); ceiling(|x|) is 1 near 0 and 0 at 0.
    assert joints.flat_points(x**2, x, floor=True) == [(0, 0)]
    assert joints.flat_points(x**2 - 1, x, floor=True) == [(0, -1)]
    assert joints.flat_points(-(x**2), x, floor=True) == []
    assert joints.flat_points(-(x**2), x, floor=False) == [(0, 0)]
    assert joints.flat_points(x**3, x, floor=True) == []
    assert joints.flat_points(sp.Abs(x), x, floor=True) == [(0, 0)]
    assert joints.flat_points(sp.Abs(x), x, floor=False) == []
    # Abs(2*x) is built as 2*Abs(x): 0 <= 2|x| < 1 on (-1/2, 1/2), so floor(|2x|) = 0 there (the fuzzer, seed 8128:
    # f8128.15688, diff(floor(Abs(2*x)), x) = 2 at x = 0 was taken for a jump); -2|x| in (-1, 0] has ceiling 0.
    assert joints.flat_points(sp.Abs(2 * x), x, floor=True) == [(0, 0)]
    assert joints.flat_points(-sp.Abs(2 * x), x, floor=False) == [(0, 0)]
    assert joints.flat_points(-sp.Abs(2 * x), x, floor=True) == []
    assert joints.flat_points(sp.Abs(2 * x), x, floor=False) == []
    # (x - 1)^2 + 1/2 has its minimum 1/2 at 1, not an integer: nothing to do there.
    assert joints.flat_points((x - 1) ** 2 + sp.Rational(1, 2), x, floor=True) == []


def test_a_floor_constant_near_a_point_has_derivative_there() -> None:
    # floor(x^2) = 0 on (-1, 1): derivative 0 at 0; x*floor(x^2 - 1) = -x there: derivative -1. floor(x^2) jumps at
    # x = 1 (x^2 crosses 1): no derivative; floor(-x^2) jumps at 0.
    assert value_at(derivative_where_defined(sp.floor(x**2), x), {x: 0}) == 0
    assert value_at(derivative_where_defined(x * sp.floor(x**2 - 1), x), {x: 0}) == -1
    assert value_at(derivative_where_defined(sp.floor(x**2), x), {x: 1}) is sp.nan
    assert value_at(derivative_where_defined(sp.floor(-(x**2)), x), {x: 0}) is sp.nan
    assert value_at(derivative_where_defined(sp.floor(sp.Abs(x)), x), {x: 0}) == 0


def test_a_derivative_whose_formula_is_0_over_0_at_a_double_zero() -> None:
    # sqrt(x^6 + x^4) = x^2*sqrt(x^2 + 1): differentiable at 0 with derivative 0 (difference quotient
    # h*sqrt(h^2 + 1) -> 0, by hand), though SymPy's formula (3x^5 + 2x^3)/sqrt(x^6 + x^4) is 0/0 there (round 3,
    # r3c.3 z17). sqrt(x^4 + x^2) = |x|*sqrt(x^2 + 1) has slopes -1 and 1 at 0: no derivative. sqrt(x^3) is
    # undefined for x < 0: no two-sided derivative at 0.
    assert value_at(derivative_where_defined(sp.sqrt(x**6 + x**4), x), {x: 0}) == 0
    assert value_at(derivative_where_defined(sp.sqrt(x**4 + x**2), x), {x: 0}) is sp.nan
    assert value_at(derivative_where_defined(sp.sqrt(x**3), x), {x: 0}) is sp.nan
    assert joints.removable_points(sp.sqrt(x**6 + x**4), sp.diff(sp.sqrt(x**6 + x**4), x), x) == [(0, sp.Eq(x, 0))]


def test_a_corner_whose_slopes_differ_by_a_multiple_of_the_boundarys_is_dropped_at_once() -> None:
    # |a*x - t| at a*x = t: one-sided slopes -a and a, different wherever the boundary is crossed (a != 0): no
    # derivative there; so no symbolic joint clause (Eq(a, -a) with a != 0, never true) is kept for the checker.
    # Where a = 0 the boundary does not move with x (|0*x - t| = |t| for every x): derivative 0 there, the only
    # equations kept.
    a, t = sp.symbols("a t", real=True)
    d = derivative_where_defined(sp.Abs(a * x - t), x)
    assert d.atoms(sp.Eq) <= {sp.Eq(a, 0), sp.Eq(t, 0)}
    assert value_at(d, {a: 1, t: 0, x: 0}) is sp.nan
    assert value_at(d, {a: 2, t: 0, x: 1}) == 2
    assert value_at(d, {a: 0, t: 0, x: 1}) == 0
    assert value_at(d, {a: 0, t: 3, x: 1}) == 0


def test_a_boundary_that_does_not_move_with_the_variable_is_no_joint() -> None:
    # |x*y| by x: where y = 0 it is 0 for every x (derivative 0); where x = 0 and y != 0 a corner (slopes -|y|, |y|).
    y = sp.Symbol("y", real=True)
    d = derivative_where_defined(sp.Abs(x * y), x)
    assert value_at(d, {x: 0, y: 0}) == 0
    assert value_at(d, {x: 1, y: 0}) == 0
    assert value_at(d, {x: 0, y: 1}) is sp.nan
    assert value_at(d, {x: 1, y: -2}) == 2     # |-2x| = 2x near x = 1
    # Piecewise((x^2 + 1, x*y > 0), (1, True)) by x (the red team's r3.pj2): where y = 0 it is 1 for every x
    # (derivative 0); at x = 0 both branches are 1 with slope 0 (derivative 0); elsewhere 2x or 0 by the branch.
    d = derivative_where_defined(sp.Piecewise((x**2 + 1, x * y > 0), (1, True)), x)
    assert value_at(d, {x: 0, y: 0}) == 0
    assert value_at(d, {x: 3, y: 0}) == 0
    assert value_at(d, {x: 0, y: 5}) == 0
    assert value_at(d, {x: 3, y: 5}) == 6
    assert value_at(d, {x: 3, y: -5}) == 0
    # A ReLU of x*y by x: 0 for every x where y = 0; at x = 0, y = 1 the ReLU of x, no derivative.
    d = derivative_where_defined(sp.Piecewise((x * y, x * y > 0), (0, True)), x)
    assert value_at(d, {x: 2, y: 0}) == 0
    assert value_at(d, {x: 0, y: 1}) is sp.nan


def test_three_readings_that_agree_to_first_order_squeeze_the_derivative() -> None:
    # Piecewise((x^3, x^2*y > 0), (0, True)) by x at x = 0: x^3 and 0 both 0 with slope 0 there, so the function is
    # o(h) near 0 whatever the branch: derivative 0, for every y. Piecewise((1, x^2*y > 0), (0, True)) at x = 0,
    # y = 1 is 1 near 0 and 0 at 0: a jump, no derivative; at y = 0 it is 0 for every x, derivative 0.
    y = sp.Symbol("y", real=True)
    d = derivative_where_defined(sp.Piecewise((x**3, x**2 * y > 0), (0, True)), x)
    assert value_at(d, {x: 0, y: 1}) == 0
    assert value_at(d, {x: 0, y: -1}) == 0
    assert value_at(d, {x: 1, y: 1}) == 3
    d = derivative_where_defined(sp.Piecewise((1, x**2 * y > 0), (0, True)), x)
    assert value_at(d, {x: 0, y: 1}) is sp.nan
    assert value_at(d, {x: 0, y: 0}) == 0


def test_a_floor_of_a_scaled_abs_is_flat_at_its_zero() -> None:
    # floor(Abs(2*x)), which SymPy writes floor(2*Abs(x)), is 0 on (-1/2, 1/2): derivative 0 at x = 0, and none at
    # x = 1/2 (a jump to 1). The fuzzer's f8128.15688 (diff(floor(Abs(2*x)), x) = 2 at x = 0, false) was proved
    # vacuous, the derivative taken as undefined there. ceiling(2*Abs(x)) jumps at 0 (0 there, 1 around).
    d = derivative_where_defined(sp.floor(sp.Abs(2 * x)), x)
    assert value_at(d, {x: 0}) == 0
    assert value_at(d, {x: sp.Rational(1, 2)}) is sp.nan
    assert value_at(derivative_where_defined(sp.ceiling(2 * sp.Abs(x)), x), {x: 0}) is sp.nan

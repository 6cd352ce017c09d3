"""Definedness (:mod:`verifier.kernel.defined`) and how the checker uses it: a relation is claimed where its left side
is defined; a step whose right side is undefined at such a point is false there, and its counterexample says so.

Truths are by hand (written beside each) or by mpmath at 50 digits: a value is undefined when it is not a finite real
number (mpmath's log(-1) is pi*i, 1/0 raises).
"""

from __future__ import annotations

import mpmath
import pytest
import sympy as sp

from verifier.kernel import defined, evaluation, identity
from verifier.kernel.facts import Facts

x, y, s, t, z = sp.symbols("x y s t z", real=True)
p = sp.Symbol("p", positive=True)
v = sp.IndexedBase("v", real=True)
j = sp.Dummy("j", integer=True)
R = sp.Rational
FACTS = Facts()

#: The derivative of Abs(x) as the front end builds it: partial, undefined at the kink x = 0.
D_ABS = sp.Piecewise((sp.sign(x), sp.Ne(x, 0)))


def unevaluated_div(a: sp.Expr, b: sp.Expr) -> sp.Expr:
    """a/b as written, not cancelled by SymPy (x/x stays x * x^-1)."""
    return sp.Mul(a, sp.Pow(b, -1, evaluate=False), evaluate=False)


def at(lhs: sp.Expr, op: str, rhs: sp.Expr, point: dict) -> evaluation.PointCheck | None:
    return evaluation.confirm_at_point((sp.sympify(lhs), op, sp.sympify(rhs)), [], point, FACTS)


def not_a_real_number(f) -> bool:
    """The referee: mpmath at 50 digits finds no finite real value."""
    with mpmath.workdps(50):
        try:
            value = f()
        except ZeroDivisionError:
            return True
        return not (isinstance(value, mpmath.mpf) and mpmath.isfinite(value))


# -- conditions, symbolically -------------------------------------------------------------------------------------


@pytest.mark.parametrize("e, expected", [
    (sp.log(x), {sp.Gt(x, 0, evaluate=False)}),
    (1 / x, {sp.Ne(x, 0, evaluate=False)}),
    (sp.sqrt(x), {sp.Ge(x, 0, evaluate=False)}),
    (x ** R(-1, 2), {sp.Gt(x, 0, evaluate=False)}),
    (sp.Pow(x, R(1, 3), evaluate=False), {sp.Ge(x, 0, evaluate=False)}),   # real powers of negatives: undefined
    (sp.exp(x) + x ** 2 + sp.Abs(x), set()),
    (sp.sqrt(p) + sp.log(p) + 1 / p, set()),               # p > 0 by its declaration
    (sp.log(1 + sp.exp(x)), set()),                        # 1 + exp(x) > 0 by assumptions
    (1 / (1 + sp.exp(-x)), set()),
    (D_ABS, {sp.Ne(x, 0)}),
    (sp.Heaviside(x), set()),                             # defined; its value at the jump decides nothing
    (sp.Piecewise((x, x > 0), (1, True)), set()),
])
def test_conditions(e: sp.Expr, expected: set) -> None:
    assert set(defined.conditions(e, sufficient=True)) == expected
    assert defined.everywhere(e) is (not expected)


def test_sufficient_and_necessary_differ_for_a_symbolic_exponent() -> None:
    e = x ** y       # 0^y is defined for y > 0: "x > 0" is sufficient, not necessary
    assert defined.conditions(e, sufficient=True) == (sp.Gt(x, 0, evaluate=False),)
    assert defined.conditions(e, sufficient=False) == ()


def test_a_sum_with_a_partial_summand_is_opaque() -> None:
    e = sp.Sum(1 / v[j], (j, 1, 3))
    assert defined.conditions(e, sufficient=True) == (defined.DEFINED(e),)


# -- identities: the right side must be defined where the left side is -------------------------------------------


def test_a_step_may_remove_an_undefined_point() -> None:
    # x/x = 1 wherever x/x is defined (x != 0), by hand
    assert identity.confirm_identity(unevaluated_div(x, x), sp.Integer(1), FACTS) is not None


def test_a_step_may_not_add_an_undefined_point() -> None:
    rhs = unevaluated_div(x, x)
    assert identity.confirm_identity(sp.Integer(1), rhs, FACTS) is None
    assert not_a_real_number(lambda: mpmath.mpf(0) / mpmath.mpf(0))
    check = at(1, "=", rhs, {x: 0})
    assert check is not None and not check.holds and check.undefined == "rhs" and check.lhs == 1


def test_log_of_a_product_of_reals() -> None:
    lhs, rhs = sp.log(s * t), sp.log(s) + sp.log(t)
    assert identity.confirm_identity(lhs, rhs, FACTS) is None
    # s = t = -1: log(1) = 0 defined; log(-1) is pi*i, not real
    assert not_a_real_number(lambda: mpmath.log(-1))
    check = at(lhs, "=", rhs, {s: -1, t: -1})
    assert check is not None and not check.holds and check.undefined == "rhs" and check.lhs == 0
    # for positive reals it holds, and is proved
    q = sp.Symbol("q", positive=True)
    assert identity.confirm_identity(sp.log(p * q), sp.log(p) + sp.log(q), FACTS) is not None


def test_sqrt_of_a_square() -> None:
    assert identity.confirm_identity(sp.sqrt(z ** 2), z, FACTS) is None
    check = at(sp.sqrt(z ** 2), "=", z, {z: -1})        # sqrt(1) = 1, not -1
    assert check is not None and not check.holds and check.lhs == 1 and check.rhs == -1


def test_the_left_side_undefined_claims_nothing() -> None:
    # log(x) = 5 at x = -1: the left side is undefined there, so the point neither refutes nor witnesses
    assert at(sp.log(x), "=", 5, {x: -1}) is None
    assert at(sp.Mul(0, sp.log(x), evaluate=False), "=", 0, {x: -1}) is None
    # and 0 = 0*log(x) at x = -1 fails: the right side is undefined there (log(-1) not real)
    check = at(0, "=", sp.Mul(0, sp.log(x), evaluate=False), {x: -1})
    assert check is not None and not check.holds and check.undefined == "rhs"


def test_a_sum_with_an_undefined_term() -> None:
    # Sum(1/v[j], (j, 1, 2)) with v[1] = 0: the term 1/0 is undefined
    e = sp.Sum(1 / v[j], (j, 1, 2))
    check = at(0, "=", e, {v[1]: 0, v[2]: 1})
    assert check is not None and not check.holds and check.undefined == "rhs"
    # with v[1] = 2, v[2] = 4 it is 1/2 + 1/4 = 3/4 (by hand)
    check = at(R(3, 4), "=", e, {v[1]: 2, v[2]: 4})
    assert check is not None and check.holds


def test_a_product_whose_index_meets_a_pole_of_its_factor() -> None:
    # Product((n - 1)/j, (j, -1, n - 1)) at n = 1: the range -1..0 holds j = 0, where (n - 1)/j is 0/0, undefined
    # (by hand); putting j = 0 in first would let SymPy make 0/j into 0 (or (n - 1)/0 into zoo*(n - 1))
    n = sp.Symbol("n", integer=True)
    e = sp.Product((n - 1) / j, (j, -1, n - 1))
    assert at(e, ">=", 1, {n: 1}) is None
    check = at(2, "=", e, {n: 1})
    assert check is not None and not check.holds and check.undefined == "rhs"
    # at n = 0 the range is j = -1 alone: (0 - 1)/(-1) = 1 (by hand)
    check = at(e, ">=", 1, {n: 0})
    assert check is not None and check.holds


def test_an_evaluated_limit_is_defined() -> None:
    # lim_{z -> oo} 1/(1 + exp(-z)) = 1 (by hand)
    limit = sp.Limit(1 / (1 + sp.exp(-z)), z, sp.oo)
    assert identity.confirm_identity(sp.Integer(1), limit, FACTS) is not None
    assert identity.confirm_identity(limit, sp.Integer(1), FACTS) is not None


# -- kinks: derivatives as partial Piecewise ----------------------------------------------------------------------


def test_the_derivative_at_a_kink_is_no_witness() -> None:
    # diff(Abs(x), x) does not exist at x = 0, so x = 0 is no witness of "diff(Abs(x), x) = 0"
    assert at(D_ABS, "=", 0, {x: 0}) is None
    # at x = -2 it is sign(-2) = -1 (by hand): not 0
    check = at(D_ABS, "=", 0, {x: -2})
    assert check is not None and not check.holds and check.lhs == -1


def test_the_derivative_squared_is_not_refuted_at_the_kink() -> None:
    # diff(Abs(x), x)^2 = 1 wherever the derivative exists (sign(x)^2 = 1 for x != 0, by hand)
    assert at(D_ABS ** 2, "=", 1, {x: 0}) is None
    for value in (-3, R(1, 2), 7):
        check = at(D_ABS ** 2, "=", 1, {x: value})
        assert check is not None and check.holds


def test_heaviside_at_zero_decides_nothing() -> None:
    # SymPy's Heaviside(0) = 1/2 is a convention; at the jump nothing is decided either way
    for value in (0, R(1, 2), 1):
        assert at(sp.Heaviside(x), "=", value, {x: 0}) is None
        assert at(sp.Heaviside(x), "!=", value, {x: 0}) is None
        assert at(value, "=", sp.Heaviside(x), {x: 0}) is None
    # whatever its value there, x * Heaviside(x) = Max(x, 0) holds at x = 0 (0 = 0, by hand)
    check = at(sp.Max(x, 0), "=", x * sp.Heaviside(x), {x: 0})
    assert check is not None and check.holds
    check = at(sp.Heaviside(x), "=", 1, {x: R(1, 10)})          # H(1/10) = 1, by hand
    assert check is not None and check.holds


# -- inequalities --------------------------------------------------------------------------------------------------


def test_inequality_with_an_undefined_right_side() -> None:
    lhs, rhs = sp.Integer(0), 1 / x ** 2
    assert identity.confirm_relation((lhs, "<", rhs), FACTS) is None
    check = at(lhs, "<", rhs, {x: 0})                               # 1/0: undefined
    assert check is not None and not check.holds and check.undefined == "rhs"
    # 1/x^2 > 0 is claimed where the left side is defined (x != 0), and there it holds
    assert identity.confirm_relation((rhs, ">", lhs), FACTS) is not None


# -- Piecewise: a value needs to be defined only where its branch is chosen ----------------------------------------

n = sp.Symbol("n", integer=True, nonnegative=True)


def test_a_branch_value_is_needed_only_where_chosen() -> None:
    pw = sp.Piecewise((1 / n, n > 0), (5, True))          # 1/n is used only for n > 0: defined everywhere
    assert identity.defined_where(pw, sp.Integer(0), FACTS)
    # log(x) used where x > -1 includes x in (-1, 0]: log(-1/2) is not real (mpmath: log(-0.5) = -0.69 + pi*i)
    assert not_a_real_number(lambda: mpmath.log(mpmath.mpf(-0.5)))
    pw = sp.Piecewise((sp.log(x), x > -1), (0, True))
    assert not identity.defined_where(pw, sp.Integer(0), FACTS)
    check = at(0, "=", pw, {x: R(-1, 2)})
    assert check is not None and not check.holds and check.undefined == "rhs"
    check = at(0, "=", pw, {x: -2})                          # the otherwise branch: 0 = 0
    assert check is not None and check.holds


def test_nonlinear_conditions_of_the_given_side() -> None:
    # 1 - x^2 >= 0 gives -1 <= x <= 1, where asin(x) is defined; x^2 - 1 >= 0 does not give x - 1 >= 0 (x = -2).
    assert identity.defined_where(sp.asin(x), sp.sqrt(1 - x**2), FACTS)
    assert not identity.defined_where(sp.sqrt(x - 1) * sp.sqrt(x + 1), sp.sqrt(x**2 - 1), FACTS)
    # log(x + sqrt(x^2 - 1)) is defined only for x >= 1 (for x <= -1, x + sqrt(x^2 - 1) < 0): acosh(x) is there.
    assert identity.defined_where(sp.acosh(x), sp.log(x + sp.sqrt(x**2 - 1)), FACTS)


def test_an_integer_power_of_unknown_sign() -> None:
    # y^k for an integer k: undefined exactly where y = 0 and k < 0 (0^(-1) = 1/0; 0^0 = 1, 0^2 = 0).
    k = sp.Symbol("k", integer=True)
    exact = sp.Or(sp.Ne(y, 0), sp.Ge(k, 0))
    assert defined.conditions(y**k, sufficient=False) == (exact,)
    assert defined.conditions(y**k, sufficient=True) == (sp.Ne(y, 0),)     # stricter, still sufficient
    kn = sp.Symbol("kn", integer=True, nonnegative=True)
    assert defined.conditions(y**kn, sufficient=False) == ()


def test_a_negative_base_needs_an_integer_exponent() -> None:
    # (-2)^y is real only for an integer y (a fractional power of a negative is undefined): y = floor(y).
    assert defined.conditions(sp.Integer(-2) ** y, sufficient=False) == (sp.Eq(y, sp.floor(y), evaluate=False),)
    assert defined.conditions(sp.Integer(2) ** y, sufficient=False) == ()
    # At y = 1/2 SymPy's (-2)^(2y) is -2, but (-2)^y*(-2)^y as written is undefined (the builder carries y =
    # floor(y)); 4^y = 2 there.
    check = at(2, "=", sp.Piecewise((sp.Integer(-2) ** (2 * y), sp.Eq(y, sp.floor(y)))), {y: R(1, 2)})
    assert check is not None and not check.holds and check.undefined == "rhs"


def test_a_condition_with_an_undefined_side() -> None:
    # As the builder writes Piecewise((1, log(x) > 0), (0, True)): the condition's x > 0 carried on every value.
    pw = sp.Piecewise((sp.Piecewise((1, x > 0)), sp.log(x) > 0), (sp.Piecewise((0, x > 0)), True))
    # Where it is defined, x > 0 (each branch's value needs it): a necessary condition of its own.
    assert sp.Gt(x, 0) in defined.conditions(pw, sufficient=False)
    assert sp.Gt(x, 0) not in defined.conditions(sp.Piecewise((1 / x, y > 0), (1, True)), sufficient=False)
    # At x = 0 the condition log(0) > 0 has no truth value: the Piecewise is undefined there, not undecided.
    check = at(0, "=", pw, {x: 0})
    assert check is not None and not check.holds and check.undefined == "rhs"
    check = at(1, "=", pw, {x: 2})                           # log 2 = 0.69 > 0: the first branch, 1
    assert check is not None and check.holds


def test_a_value_condition_is_read_only_where_its_branch_is_chosen() -> None:
    # As the builder guards the derivative of Piecewise((x/log(x), x > 0), (0, True)): its value's conditions are
    # needed only where x > 0. At x = 0 that branch is not chosen, log(0) is never read, and the guarded side is 0
    # (the other branch), so 0 = it holds there (by hand: Implies(False, ...) is true; the otherwise value is 0).
    # It used to be taken as undefined, and the relation with it on the right refuted.
    inner = sp.Piecewise((sp.Piecewise((1 / sp.log(x) - 1 / sp.log(x) ** 2, x > 0), (0, True)), sp.Ne(x, 0)),
                         (0, True))
    guarded = sp.Piecewise((inner, sp.Implies(x > 0, sp.And(x > 0, sp.Ne(sp.log(x), 0)))))
    check = at(0, "=", guarded, {x: 0})
    assert check is not None and check.holds and check.undefined is None
    assert evaluation.condition_truth(sp.Implies(sp.Gt(0, 0, evaluate=False), sp.Ne(sp.log(0), 0))) is True
    # where the branch is chosen its conditions are read: at x = 1, log(1) = 0 and x/log(x) is undefined
    check = at(0, "=", guarded, {x: 1})
    assert check is not None and not check.holds and check.undefined == "rhs"


# -- powers at a point: the exponent's value decides the condition -------------------------------------------------


@pytest.mark.parametrize("base, expo, defined_there", [
    (0, 2, True),              # 0^2 = 0
    (0, -2, False),            # 1/0
    (-1, R(1, 2), False),      # sqrt(-1) is not real
    (-8, R(1, 3), False),      # a fractional power of a negative: undefined (the format's convention)
    (-2, 3, True),             # (-2)^3 = -8
    (0, R(1, 2), True),        # sqrt(0) = 0
    (0, R(-1, 2), False),      # 1/sqrt(0)
])
def test_power_with_a_symbolic_exponent_at_a_point(base: int, expo: sp.Expr, defined_there: bool) -> None:
    check = at(0, "=", x ** y, {x: base, y: expo})
    assert check is not None
    assert (check.undefined is None) is defined_there


def test_a_subterm_of_the_left_side_is_defined_where_it_is() -> None:
    # x^y is defined wherever the left side 2*x^y is (it is a factor of it); the identity holds by hand
    assert identity.confirm_identity(2 * x ** y, x ** y + x ** y, FACTS) is not None
    # but a branch of a Piecewise need not be defined: Piecewise((log(x), x > 0), (0, True)) is 0 at x = -1,
    # where log(x) is not real
    pw = sp.Piecewise((sp.log(x), x > 0), (0, True))
    assert identity.confirm_identity(pw, sp.log(x), FACTS) is None
    check = at(pw, "=", sp.log(x), {x: -1})
    assert check is not None and not check.holds and check.undefined == "rhs"


def test_a_condition_whose_side_is_not_a_real_number_is_undefined() -> None:
    # acosh(1/2) is I*pi/3 and atanh(1) is oo once SymPy evaluates them: neither is a real number, so a Piecewise
    # with such a condition is undefined (section 2a), and 0 = it fails where the left side (0) is defined. Each
    # branch's value carries the condition's side's conditions, as the builder writes it (1/2 - 1 >= 0; 1 - 1 > 0),
    # and the condition, undecided on a number that is not real, is no longer taken for one that cannot be told.
    for side, guard in ((sp.acosh(sp.Rational(1, 2)), sp.Ge(sp.Rational(-1, 2), 0, evaluate=False)),
                        (sp.atanh(1), sp.Gt(0, 0, evaluate=False))):
        pw = sp.Piecewise((sp.Piecewise((1, guard), evaluate=False), sp.Gt(side, 0, evaluate=False)),
                          (sp.Piecewise((0, guard), evaluate=False), True), evaluate=False)
        check = at(0, "=", pw, {})
        assert check is not None and not check.holds and check.undefined == "rhs"


def test_a_branch_undefined_wherever_it_is_chosen_is_never_chosen() -> None:
    # Piecewise((Piecewise((c, 0 != 0)), x > 0), (0, True)) (a branch whose value is undefined, as the builder writes
    # (-8)^(1/3)): where it is defined, x <= 0; and a left side whose condition on numbers alone is false
    # (7 - 5*sqrt(2) >= 0, about -0.07) is defined nowhere.
    inner = sp.Piecewise((sp.Integer(2), sp.Ne(0, 0, evaluate=False)), evaluate=False)
    e = sp.Piecewise((inner, x > 0), (0, True), evaluate=False)
    assert identity.where_defined(e, Facts()).decide(x <= 0) is True
    nowhere = sp.Piecewise((x, sp.Ge(7 - 5 * sp.sqrt(2), 0, evaluate=False)), evaluate=False)
    assert identity.confirm_identity(nowhere, x + 1, Facts()).method == identity.VACUOUS


"""The classical inequalities of kernel/inequalities.py are true: each rule's conclusion, evaluated with mpmath at
50 digits on a grid of positive values (no use of the verifier), holds."""

from __future__ import annotations

import itertools

import mpmath
import z3

from verifier.kernel import inequalities

VALUES = ["0.001", "0.3", "1", "2.5", "40"]


def holds(formula: z3.BoolRef, values: dict[str, mpmath.mpf]) -> bool:
    """Evaluate a z3 comparison of real unknowns named in ``values`` with mpmath (``lhs <= rhs`` only)."""
    lhs, rhs = formula.children()
    with mpmath.workdps(50):
        numbers = {k: mpmath.mpf(v) if isinstance(v, str) else v for k, v in values.items()}
        return _value(lhs, numbers) <= _value(rhs, numbers) + mpmath.mpf(10) ** -40


def log(v: str) -> mpmath.mpf:
    """log of a decimal string at 50 digits."""
    with mpmath.workdps(50):
        return mpmath.log(mpmath.mpf(v))


def _value(e: z3.ExprRef, values: dict[str, mpmath.mpf]) -> mpmath.mpf:
    if z3.is_rational_value(e):
        return mpmath.mpf(e.numerator_as_long()) / e.denominator_as_long()
    if z3.is_const(e):
        return values[str(e)]
    args = [_value(c, values) for c in e.children()]
    if z3.is_add(e):
        return mpmath.fsum(args)
    if z3.is_mul(e):
        out = mpmath.mpf(1)
        for a in args:
            out *= a
        return out
    if z3.is_sub(e):
        return args[0] - mpmath.fsum(args[1:])
    raise AssertionError(e)


def test_log_ratio_is_true() -> None:
    # b (log a - log b) <= a - b for a, b > 0 (log x <= x - 1 at x = a/b).
    a, b, la, lb = z3.Reals("a b la lb")
    rule = inequalities.log_ratio((la, a), (lb, b))
    for x, y in itertools.product(VALUES, VALUES):
        assert holds(rule, {"a": x, "b": y, "la": log(x), "lb": log(y)})


def test_scaled_log_ratio_is_true() -> None:
    # c b (log a - log c - log b) <= a - c b for a, b, c > 0.
    a, b, c, la, lb, lc = z3.Reals("a b c la lb lc")
    rule = inequalities.scaled_log_ratio((la, a), (lb, b), (lc, c))
    for x, y, w in itertools.product(VALUES, VALUES, VALUES):
        assert holds(rule, {"a": x, "b": y, "c": w, "la": log(x), "lb": log(y), "lc": log(w)})


def test_a_wrong_direction_would_fail_the_check() -> None:
    # The check itself can fail: b (log a - log b) >= a - b is false at a = 2.5, b = 1 (0.916 < 1.5).
    a, b, la, lb = z3.Reals("a b la lb")
    wrong = (a - b) <= b * (la - lb)
    assert not holds(wrong, {"a": VALUES[3], "b": VALUES[2], "la": log(VALUES[3]), "lb": log(VALUES[2])})

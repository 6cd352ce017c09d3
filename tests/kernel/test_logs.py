"""Logarithm rules under positivity (kernel/logs.py). Truths by hand in the comments."""

from __future__ import annotations

import sympy as sp

from verifier.kernel import logs, nra
from verifier.kernel.rules import Facts, expu

a, b = sp.symbols("a b", positive=True)
r, s = sp.symbols("r s", real=True)


def positive(e: sp.Expr) -> bool:
    return nra.positive(e, Facts())


def test_products_quotients_and_powers_of_positives_split() -> None:
    # log(a^2 b / 4) = 2 log a + log b - 2 log 2 for a, b > 0.
    got = logs.log_of_product(a**2 * b / 4, positive)
    assert got is not None and sp.expand(got - (2 * sp.log(a) + sp.log(b) - 2 * sp.log(2))) == 0


def test_a_product_of_reals_is_not_split() -> None:
    # log(r*s) = log r + log s is false at r = s = -1 (0 vs 2*pi*i): the premise r > 0 is not provable.
    assert logs.log_of_product(r * s, positive) is None


def test_negative_factors_in_pairs() -> None:
    # log((a - 2a)(b - 2b)) = log(ab) = log a + log b: both factors are negative, their product positive.
    got = logs.log_of_product((a - 2 * a) * (b - 2 * b), positive)
    assert got is not None and sp.expand(got - sp.log(a) - sp.log(b)) == 0


def test_log_of_exp_atoms() -> None:
    # log(expu(r)^3 / (1 + expu(r))) = 3r - log(1 + expu(r)).
    e = expu(r)
    got = logs.log_of_product(e**3 / (1 + e), positive)
    assert got is not None and sp.expand(got - 3 * r + sp.log(1 + e)) == 0


def test_expand_logs_rewrites_inside_an_expression() -> None:
    # 2 + log(a*b) -> 2 + log a + log b.
    assert sp.expand(logs.expand_logs(2 + sp.log(a * b), positive) - 2 - sp.log(a) - sp.log(b)) == 0


def test_a_symbolic_exponent_keeps_its_power_whole() -> None:
    # factor_list proposes (r, t) for r^t (a symbolic exponent), which crashed the rule (int(t)). log(r^t) = t*log(r)
    # is false for a real r (r = -1, t = 2: log(1) = 0 but log(-1) is undefined): no rewriting. For a positive a it
    # holds (log(b^x) = x*log(b), b > 0): rewritten so, or left whole when SymPy proposes no factoring.
    t = sp.Symbol("t", real=True)
    assert sp.factor_list(r**t) == (1, [(r, t)])
    assert logs.log_of_product(r**t, positive) is None
    for e, split in ((a**t, t * sp.log(a)), (a ** (2 * t) * b, 2 * t * sp.log(a) + sp.log(b))):
        got = logs.log_of_product(e, positive)
        assert got is None or sp.expand(got - split) == 0

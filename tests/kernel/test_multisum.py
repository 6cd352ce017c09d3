"""Multiple sums in the normal form (kernel/multisum.py). Truths by hand in the comments; wrong variants are
checked to stay different (their difference at n = 2 computed by hand)."""

from __future__ import annotations

import sympy as sp

from verifier.kernel.facts import Facts
from verifier.kernel.identity import confirm_identity

n = sp.Symbol("n", integer=True, positive=True)
m = sp.Symbol("m", integer=True, positive=True)
i, j, k = sp.symbols("i j k", integer=True)
x, W, A, B = (sp.IndexedBase(name, real=True) for name in "xWAB")
FACTS = Facts().add(sp.Ge(n, 1, evaluate=False)).add(sp.Ge(m, 1, evaluate=False)).add(sp.And(sp.Ge(k, 1), sp.Le(k, n)))


def test_square_of_a_sum() -> None:
    # (sum x)^2 = sum_i sum_j x_i x_j; not sum_j x_j^2 (n = 2, x = (1, 1): 4 vs 2).
    s = sp.Sum(x[j], (j, 1, n))
    assert confirm_identity(s**2, sp.Sum(x[i] * x[j], (i, 1, n), (j, 1, n)), FACTS)
    assert not confirm_identity(s**2, sp.Sum(x[j] ** 2, (j, 1, n)), FACTS)


def test_interchange_and_trace() -> None:
    # Finite sums commute; tr(AB) = tr(BA); tr(AB) != sum A_ij B_ij (A = E12, B = E21: 1 vs 0).
    assert confirm_identity(sp.Sum(A[i, j], (i, 1, n), (j, 1, m)), sp.Sum(A[i, j], (j, 1, m), (i, 1, n)), FACTS)
    tr_ab = sp.Sum(A[i, j] * B[j, i], (j, 1, n), (i, 1, n))
    assert confirm_identity(tr_ab, sp.Sum(B[i, j] * A[j, i], (j, 1, n), (i, 1, n)), FACTS)
    assert not confirm_identity(tr_ab, sp.Sum(A[i, j] * B[i, j], (j, 1, n), (i, 1, n)), FACTS)


def test_gradient_of_a_quadratic_form() -> None:
    # d/dx_k x^T W x = sum_j (W_kj + W_jk) x_j; not 2 sum_j W_kj x_j (W = E12, x = (0, 1), k = 1: 1 vs 2).
    f = sp.Sum(x[i] * W[i, j] * x[j], (i, 1, n), (j, 1, n))
    g = sp.diff(f, x[k])
    assert confirm_identity(g, sp.Sum((W[k, j] + W[j, k]) * x[j], (j, 1, n)), FACTS)
    assert not confirm_identity(g, 2 * sp.Sum(W[k, j] * x[j], (j, 1, n)), FACTS)


def test_bounds_that_depend_on_another_index_are_summed_one_limit_at_a_time() -> None:
    # sum_{i=1}^{n} sum_{j=1}^{i} 1 = sum_{i=1}^{n} i = n(n+1)/2 (n >= 1; at n = 3: 1 + 2 + 3 = 6): a triangular
    # range is not a multiple sum's rule, but the inner sum is i and the outer one a polynomial sum in closed form.
    tri = sp.Sum(1, (j, 1, i), (i, 1, n))
    assert confirm_identity(tri, n * (n + 1) / 2, FACTS) is not None
    assert confirm_identity(tri, n * n / 2, FACTS) is None      # at n = 1: 1 != 1/2

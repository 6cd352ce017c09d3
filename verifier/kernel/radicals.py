"""Radicals and symbolic powers: two rewriting rules the normal form does not apply by itself.

Part of the trusted core (see :mod:`verifier.kernel.identity`, which tries them when a difference does not cancel).

- **Denesting a root of a number.** A candidate ``B`` for ``A^(1/k)`` comes from SymPy's ``sqrtdenest`` (``k = 2``)
  or ``nsimplify`` over the radicals of ``A`` (``k`` up to :data:`MAX_ROOT`), neither trusted: the kernel checks it
  by raising it to the ``k``-th power::

      A a number with a radical inside     B >= 0 (rigorous interval sign)     expand(B^k - A) = 0
      -------------------------------------------------------------------------------------------
                                         A^(1/k) = B

  (``B^k = A`` and ``B >= 0`` make ``A >= 0`` and ``B`` its nonnegative ``k``-th root; ``expand`` is polynomial
  arithmetic in the radicals of ``B``, with SymPy's exact products of square roots of rationals.) So
  ``sqrt(11 + 6*sqrt(2)) = 3 + sqrt(2)``: ``(3 + sqrt(2))^2 = 11 + 6*sqrt(2)`` and ``3 + sqrt(2) > 0``; and
  ``(7 + 5*sqrt(2))^(1/3) = 1 + sqrt(2)``.
- **A power with a symbolic exponent through exp and log**::

      b > 0      x real
      --------------------------
      b^x = exp(x*log(b))

  (the definition of a real power of a positive base), so that ``a^x`` and ``exp(x*log(a))`` reach the same atom.
- **The square root of a square.** A candidate ``B`` for ``sqrt(A)`` (``A`` not a number) is read off the factors of
  ``A``'s numerator and denominator when each has only even multiplicities and a positive constant; the kernel checks
  it::

      cancel(B^2 - A) = 0      B >= 0 (proved by the caller's sign rules)
      -----------------------------------------------------------------
      sqrt(A) = B, and A^(-1/2) = 1/B where A != 0

  (``B`` is then the nonnegative square root of ``A``.) So ``sqrt(sinh(x)^2 + 1) = cosh(x)``, through
  ``(u/2 - 1/(2u))^2 + 1 = ((u^2 + 1)/(2u))^2`` with ``u = exp(x) > 0``.
- **Square roots multiplied.** In a product, the square roots of non-numeric bases are one root::

      each a_i >= 0 and each b_j > 0 (proved by the caller's sign rules)
      -----------------------------------------------------------------------------------
      sqrt(a_1) * ... * sqrt(a_k) / (sqrt(b_1) * ... * sqrt(b_m)) = sqrt(a_1 * ... * a_k) / sqrt(b_1 * ... * b_m)

  (the nonnegative root of a product of nonnegative numbers is the product of their roots.) So
  ``1/(sqrt(x - 1)*sqrt(x + 1)) = 1/sqrt(x^2 - 1)`` where ``x > 1``, the derivative of ``acosh``.
"""

from __future__ import annotations

from collections.abc import Callable

import sympy as sp

from verifier.kernel import interval

#: A root's candidate is looked for only in numbers of at most this many operations.
MAX_OPS = 60
#: Roots A^(1/k) are denested for k up to this.
MAX_ROOT = 6


def denest(e: sp.Expr) -> sp.Expr:
    """``e`` with every root of a number that has a radical inside replaced by its checked denesting (the first
    rule of the module docstring); roots that cannot be denested, or whose candidate fails, are kept."""
    repl: dict[sp.Basic, sp.Expr] = {}
    for x in sp.preorder_traversal(e):
        if _nested_root(x) and x not in repl:
            b = _denested(x)
            if b is not None:
                repl[x] = b
    return e.xreplace(repl) if repl else e


def _nested_root(x: sp.Basic) -> bool:
    return isinstance(x, sp.Pow) and x.exp.is_Rational and x.exp.p == 1 and 2 <= x.exp.q <= MAX_ROOT \
        and x.base.is_number and not x.base.is_Rational and x.base.has(sp.Pow) and sp.count_ops(x) <= MAX_OPS


def _denested(root: sp.Pow) -> sp.Expr | None:
    a, k = root.base, int(root.exp.q)
    try:
        if k == 2:
            b = sp.sqrtdenest(root)
        else:
            radicals = [x for x in sp.preorder_traversal(a) if isinstance(x, sp.Pow) and x.exp.is_Rational]
            b = sp.nsimplify(root.evalf(60), radicals)
    except (ValueError, TypeError, RecursionError, sp.PolynomialError, NotImplementedError):
        return None
    if b == root or not isinstance(b, sp.Expr) or not b.is_number or _nested(b) or b.has(sp.Float):
        return None
    if interval.sign(b) not in (0, 1) or sp.expand(b**k - a) != 0:
        return None
    return b


def _nested(b: sp.Expr) -> bool:
    """Whether ``b`` still has a root of a number that has a radical inside."""
    return any(_nested_root(x) for x in sp.preorder_traversal(b))


def powers_through_exp(e: sp.Expr, positive: Callable[[sp.Expr], bool]) -> sp.Expr:
    """``e`` with every ``b^x`` of a non-numeric real exponent and a base ``positive`` shows positive written
    ``exp(x*log(b))`` (the second rule of the module docstring), unevaluated so that SymPy does not fold it back."""
    repl: dict[sp.Basic, sp.Expr] = {}
    for x in sp.preorder_traversal(e):
        if isinstance(x, sp.Pow) and not x.exp.is_number and x.exp.is_real is True and x not in repl \
                and positive(x.base):
            repl[x] = sp.exp(x.exp * sp.log(x.base), evaluate=False)
    return e.xreplace(repl) if repl else e


def square_roots(e: sp.Expr, nonneg: Callable[[sp.Expr], bool]) -> sp.Expr:
    """``e`` with every ``A^(1/2)`` and ``A^(-1/2)`` of a non-numeric ``A`` that is the square of an expression
    ``nonneg`` shows nonnegative written through that expression (the third rule of the module docstring)."""
    repl: dict[sp.Basic, sp.Expr] = {}
    for x in sp.preorder_traversal(e):
        if isinstance(x, sp.Pow) and x.exp in (sp.Rational(1, 2), sp.Rational(-1, 2)) and not x.base.is_number \
                and x not in repl:
            b = _square_root(x.base)
            if b is not None and nonneg(b):
                repl[x] = b if x.exp > 0 else 1 / b
    return e.xreplace(repl) if repl else e


def _square_root(a: sp.Expr) -> sp.Expr | None:
    """A checked candidate ``B`` with ``B^2 = A`` from the factors of ``A``, or ``None``."""
    try:
        num, den = sp.fraction(sp.cancel(sp.together(a)))
        halves = []
        for part in (num, den):
            c, factors = sp.factor_list(part)
            if not c.is_Rational or c <= 0 or any(m % 2 for _, m in factors):
                return None
            halves.append(sp.sqrt(c) * sp.Mul(*[f ** (m // 2) for f, m in factors]))
        b = halves[0] / halves[1]
        if sp.cancel(sp.together(b**2 - a)) != 0:
            return None
    except (sp.PolynomialError, NotImplementedError, ValueError, TypeError, RecursionError):
        return None
    return b


def merged_roots(e: sp.Expr, sign: Callable[[sp.Expr, bool], bool]) -> sp.Expr:
    """``e`` with the square roots of non-numeric bases in each product merged into one (the fourth rule of the
    module docstring), where ``sign(a, strict)`` proves each base nonnegative (positive where it divides)."""
    repl: dict[sp.Basic, sp.Expr] = {}
    for x in sp.preorder_traversal(e):
        if not isinstance(x, sp.Mul) or x in repl:
            continue
        roots = [f for f in x.args if isinstance(f, sp.Pow) and f.exp in (sp.Rational(1, 2), sp.Rational(-1, 2))
                 and not f.base.is_number]
        if len(roots) < 2 or not all(sign(f.base, f.exp < 0) for f in roots):
            continue
        above = sp.expand(sp.Mul(*[f.base for f in roots if f.exp > 0]))
        below = sp.expand(sp.Mul(*[f.base for f in roots if f.exp < 0]))
        rest = [f for f in x.args if f not in roots]
        repl[x] = sp.Mul(*rest, sp.sqrt(above), 1 / sp.sqrt(below))
    return e.xreplace(repl) if repl else e

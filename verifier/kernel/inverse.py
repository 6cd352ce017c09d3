"""Inverse trigonometric and hyperbolic functions: the rules their principal branches obey.

Part of the trusted core (see :mod:`verifier.kernel.identity`, which tries them when a difference does not cancel).
Each rule rewrites one atom into an expression equal to it at every point where the atom is defined (real and
finite); a difference is claimed to vanish only where it is defined, so only where each of its atoms is. SymPy's own
evaluations (``sin(asin(u)) = u``, ``cos(asin(u)) = sqrt(1 - u^2)``, ``tan(atan(u)) = u``) happen when an expression
is built, and are trusted as its constructors are (:mod:`verifier.kernel.rules`). The rules:

1. **The reciprocal of an arctangent's argument**, for ``u`` proved positive (or proved negative)::

       u > 0                                    u < 0
       --------------------------------         ---------------------------------
       atan(1/u) = pi/2 - atan(u)               atan(1/u) = -pi/2 - atan(u)

   (``t = atan(u)`` lies in ``(0, pi/2)`` for ``u > 0``; ``pi/2 - t`` lies there too and its tangent is
   ``cot(t) = 1/u``, so it is the principal value ``atan(1/u)``; for ``u < 0`` both sides are odd in ``u``.)
   Without a proved sign nothing is rewritten: ``atan(x) + atan(1/x) = pi/2`` is false at ``x = -1``. The rule is
   applied to ``atan(c/w)`` with ``c`` a number, as ``atan(1/u)`` with ``u = w/c``.

2. **The inverse hyperbolic functions through the logarithm** (their principal branches)::

       u real                                  u >= 1                                  -1 < u < 1
       -----------------------------------     -----------------------------------     --------------------------------
       asinh(u) = log(u + sqrt(u^2 + 1))       acosh(u) = log(u + sqrt(u^2 - 1))       atanh(u) = log((1 + u)/(1 - u))/2

   (solve ``sinh(y) = u``, ``cosh(y) = u`` with ``y >= 0``, ``tanh(y) = u`` for ``exp(y)``; each premise is the
   condition under which the left side is defined, see :mod:`verifier.kernel.defined`, and the argument of each
   logarithm is positive there.)

3. **An inverse function of its own function**, on the principal range (the premises by the sign rules)::

       -pi/2 <= u <= pi/2      0 <= u <= pi          -pi/2 < u < pi/2      u real
       ------------------      ----------------      ------------------    -----------------------------------------
       asin(sin(u)) = u        acos(cos(u)) = u      atan(tan(u)) = u      asinh(sinh(u)) = u, atanh(tanh(u)) = u,
                                                                           acosh(cosh(u)) = Abs(u)

   (each function is one-to-one on that range, which is its inverse's range of values; ``cosh`` is even.) Outside
   the range nothing is rewritten: ``asin(sin(2)) = pi - 2``.

4. **The addition formula of the arctangent**, for ``w`` written as ``(u + v)/(1 - u*v)`` (up to cancellation)::

       u*v < 1                            u*v > 1, u > 0                     u*v > 1, u < 0
       --------------------------------   --------------------------------   ---------------------------------
       atan(w) = atan(u) + atan(v)        atan(w) = atan(u) + atan(v) - pi   atan(w) = atan(u) + atan(v) + pi

   (with ``a = atan(u)``, ``b = atan(v)`` in ``(-pi/2, pi/2)``: ``cos(a + b) = cos(a) cos(b) (1 - u*v)`` and
   ``tan(a + b) = w``; for ``u*v < 1`` the cosine is positive, so ``a + b`` lies in ``(-pi/2, pi/2)`` and is the
   principal value ``atan(w)``; for ``u*v > 1``, ``u`` and ``v`` have one sign, ``a + b`` lies in ``(pi/2, pi)``
   (both positive) or ``(-pi, -pi/2)``, and ``a + b -+ pi`` is that principal value.) Without a proved premise
   nothing is rewritten: ``atan(1) + atan(2) = atan(-3)`` is false (``3pi/4 + ...`` against a negative value).

Where an atom is defined its argument is real (a relation is claimed where every sub-expression of its side is
real), so the argument need not be known real. Atoms with a variable bound inside the expression (of a sum, a
product, a limit, a derivative) are left alone, as in :mod:`verifier.kernel.trig`.
"""

from __future__ import annotations

from collections.abc import Callable

import sympy as sp

#: The functions these rules rewrite.
INVERSE = (sp.atan, sp.asinh, sp.acosh, sp.atanh, sp.asin, sp.acos)
#: Each inverse function, its own function and its principal range (ends, and whether they are included).
RANGES = {sp.asin: (sp.sin, -sp.pi / 2, sp.pi / 2, True), sp.acos: (sp.cos, sp.Integer(0), sp.pi, True),
          sp.atan: (sp.tan, -sp.pi / 2, sp.pi / 2, False)}
#: Each inverse hyperbolic function and its own function.
HYPERBOLIC = {sp.asinh: sp.sinh, sp.atanh: sp.tanh, sp.acosh: sp.cosh}

#: A test that proves ``a > 0`` (strict) or ``a >= 0`` for every allowed value.
Sign = Callable[[sp.Expr, bool], bool]


def rewritten(d: sp.Expr, sign: Sign) -> sp.Expr:
    """``d`` with every atom the rules above read rewritten (rules 1 and 3 only where ``sign`` proves their
    premises); ``d`` itself when no rule applies."""
    bound = _bound(d)
    repl: dict[sp.Basic, sp.Expr] = addition(d, sign, bound)
    for x in sp.preorder_traversal(d):
        if not isinstance(x, INVERSE) or x in repl or x.args[0].free_symbols & bound:
            continue
        out = own_inverse(x, sign)
        if out is None:
            out = reciprocal_atan(x, sign) if isinstance(x, sp.atan) else through_log(x)
        if out is not None:
            repl[x] = out
    return d.xreplace(repl) if repl else d


def own_inverse(x: sp.Basic, sign: Sign) -> sp.Expr | None:
    """Rule 3: ``asin(sin(u)) = u`` (and the others) where ``sign`` shows ``u`` in the principal range."""
    inner = x.args[0]
    if type(x) in HYPERBOLIC and isinstance(inner, HYPERBOLIC[type(x)]):
        u = inner.args[0]
        return sp.Abs(u) if isinstance(x, sp.acosh) else u
    if type(x) in RANGES and isinstance(inner, RANGES[type(x)][0]):
        _, lo, hi, closed = RANGES[type(x)]
        u = inner.args[0]
        if sign(u - lo, not closed) and sign(hi - u, not closed):
            return u
    return None


def addition(d: sp.Expr, sign: Sign, bound: set) -> dict[sp.Basic, sp.Expr]:
    """Rule 4: each ``atan(w)`` of ``d`` with ``w = (u + v)/(1 - u*v)`` for two other arctangents ``atan(u)``,
    ``atan(v)`` of ``d`` (or ``u = v``), rewritten where ``sign`` proves a premise."""
    atoms = [x for x in sp.preorder_traversal(d) if isinstance(x, sp.atan) and not x.args[0].free_symbols & bound]
    atoms = list(dict.fromkeys(atoms))
    out: dict[sp.Basic, sp.Expr] = {}
    for x in atoms:
        w = x.args[0]
        for i, y in enumerate(atoms):
            for z in atoms[i:]:
                if x in out or x in (y, z):
                    continue
                u, v = y.args[0], z.args[0]
                if sp.cancel(sp.together(w - (u + v) / (1 - u * v))) != 0:
                    continue
                if sign(1 - u * v, True):
                    out[x] = y + z
                elif sign(u * v - 1, True) and sign(u, True):
                    out[x] = y + z - sp.pi
                elif sign(u * v - 1, True) and sign(-u, True):
                    out[x] = y + z + sp.pi
    return out


def reciprocal_atan(x: sp.atan, sign: Sign) -> sp.Expr | None:
    """Rule 1 for ``x = atan(c/w)`` (``c`` a nonzero number): ``pi/2 - atan(w/c)`` where ``w/c`` is proved positive,
    ``-pi/2 - atan(w/c)`` where it is proved negative; ``None`` otherwise."""
    num, den = sp.fraction(sp.together(x.args[0]))
    if not num.is_number or den.is_number or num == 0:
        return None
    u = den / num
    if sign(u, True):
        return sp.pi / 2 - sp.atan(u)
    if sign(-u, True):
        return -sp.pi / 2 - sp.atan(u)
    return None


def through_log(x: sp.Basic) -> sp.Expr | None:
    """Rule 2: ``asinh``, ``acosh`` and ``atanh`` through the logarithm (each valid where the atom is defined)."""
    u = x.args[0]
    if isinstance(x, sp.asinh):
        return sp.log(u + sp.sqrt(u**2 + 1))
    if isinstance(x, sp.acosh):
        return sp.log(u + sp.sqrt(u**2 - 1))
    if isinstance(x, sp.atanh):
        return sp.log((1 + u) / (1 - u)) / 2
    return None


def _bound(d: sp.Expr) -> set:
    return {lim[0] for x in sp.preorder_traversal(d) if isinstance(x, (sp.Sum, sp.Product)) for lim in x.limits} | \
        {x.args[1] for x in sp.preorder_traversal(d) if isinstance(x, sp.Limit)} | \
        {v for x in sp.preorder_traversal(d) if isinstance(x, (sp.Derivative, sp.Integral, sp.Subs))
         for v in x.variables}

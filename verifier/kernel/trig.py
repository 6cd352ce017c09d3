"""A trigonometric normal form: polynomials in sines and cosines of independent angles, reduced modulo
``sin^2 + cos^2 - 1``.

Part of the trusted core (see :mod:`verifier.kernel.identity`, which tries it when a difference does not cancel).
The rules, each an identity of real functions wherever both sides are defined:

1. the other functions through ``sin`` and ``cos``, and ``acos`` through ``asin``::

       tan(u) = sin(u)/cos(u)    cot(u) = cos(u)/sin(u)    sec(u) = 1/cos(u)    csc(u) = 1/sin(u)
       acos(u) = pi/2 - asin(u)

   (definitions; each side is defined exactly where the denominator is nonzero, the condition
   :mod:`verifier.kernel.defined` already gives the left side; for the principal branches, both ``acos(u)`` and
   ``asin(u)`` are defined exactly on ``-1 <= u <= 1``, where ``sin(pi/2 - acos(u)) = cos(acos(u)) = u`` and
   ``pi/2 - acos(u)`` lies in ``[-pi/2, pi/2]``);
2. every argument as rational multiples of angles: for each real term ``t`` of the arguments, ``L_t`` a common
   denominator of its coefficients and ``theta = t/L_t``::

       u = m_1*theta_1 + ... + m_n*theta_n + k    (m_i integers, k a number)
       ----------------------------------------------------------------------------------------------------
       cos(u) + I*sin(u) = (c_1 + I*s_1)^m_1 * ... * (c_n + I*s_n)^m_n * (cos(k) + I*sin(k))

   with ``c_i = cos(theta_i)``, ``s_i = sin(theta_i)`` (de Moivre: ``exp(I*u) = prod exp(I*theta_i)^m_i``), and
   ``(c - I*s)^m`` for a negative power, since ``1/(c + I*s) = c - I*s`` on the unit circle; ``cos(u)`` and
   ``sin(u)`` are the real and imaginary parts, polynomials in the ``c_i``, ``s_i`` with real coefficients;
3. a polynomial in the ``c_i``, ``s_i`` is reduced modulo ``c_i^2 + s_i^2 - 1`` (the polynomial remainder in each
   ``c_i`` in turn; these moduli have coprime leading terms ``c_i^2``, so the remainder is a normal form)::

       N = R + sum q_i*(c_i^2 + s_i^2 - 1)        R = 0 as a polynomial
       -----------------------------------------------------------------
       N = 0 at every point where c_i = cos(theta_i), s_i = sin(theta_i)

So a difference ``d`` whose numerator, in these unknowns and the other atoms, reduces to 0 is 0 wherever it is
defined (its denominator, the product of the written denominators, is nonzero there), which is what an identity
claims. ``sin^2 + cos^2 = 1`` and ``sin(2x) = 2 sin(x) cos(x)`` follow. A sine or cosine whose argument is not
real, holds a sine or cosine itself, or has a variable bound by a sum, product or limit, is left as an atom (fewer
identities, still sound).
"""

from __future__ import annotations

from math import lcm

import sympy as sp

#: An angle's multiple is expanded by de Moivre only up to this integer (larger multiples stay atoms).
MAX_MULTIPLE = 24

TRIG = (sp.sin, sp.cos, sp.tan, sp.cot, sp.sec, sp.csc, sp.acos)


def through_sin_cos(e: sp.Expr) -> sp.Expr:
    """Rule 1: ``tan``, ``cot``, ``sec``, ``csc`` written through ``sin`` and ``cos``, ``acos`` through ``asin``."""
    table = {
        sp.tan: lambda u: sp.sin(u) / sp.cos(u), sp.cot: lambda u: sp.cos(u) / sp.sin(u),
        sp.sec: lambda u: 1 / sp.cos(u), sp.csc: lambda u: 1 / sp.sin(u), sp.acos: lambda u: sp.pi / 2 - sp.asin(u),
    }
    for fn, body in table.items():
        e = e.replace(fn, body)
    return e


def reduced(d: sp.Expr) -> sp.Expr | None:
    """The numerator of ``d`` after rules 1 to 3, expanded (0 when ``d`` vanishes wherever it is defined), or
    ``None`` when ``d`` has no sine or cosine the rules can read."""
    d = sp.expand(through_sin_cos(d))
    if d == 0:
        return d
    found = _polynomials([d])
    if found is None:
        return None
    (num,), angles = found
    return _modulo_circle(num, angles)


def expanded_angles(e: sp.Expr) -> sp.Expr:
    """Rule 2 for a sine or cosine of an integer combination of arcsines, arccosines and arctangents (and a number),
    of more than one of them or a multiple: written as a polynomial in their sines and cosines, which SymPy's own
    evaluations then read (``sin(asin(u)) = u``, ``cos(asin(u)) = sqrt(1 - u^2)``, ``cos(atan(u)) = 1/sqrt(1 +
    u^2)``, trusted as in :mod:`verifier.kernel.inverse`). The expansion is de Moivre's, an identity for every
    (complex) angle: ``sin(2*asin(x)) = 2*x*sqrt(1 - x^2)``."""
    repl: dict[sp.Basic, sp.Expr] = {}
    for x in sp.preorder_traversal(e):
        if not isinstance(x, (sp.sin, sp.cos)) or x in repl:
            continue
        terms = _terms(x.args[0])
        atoms = [(c, t) for c, t in terms if not t.is_number]
        if not atoms or not all(isinstance(t, (sp.asin, sp.acos, sp.atan)) and c.is_Integer for c, t in atoms) \
                or (len(atoms) == 1 and abs(atoms[0][0]) == 1):
            continue
        angles = {t: (sp.Dummy("c", real=True), sp.Dummy("s", real=True)) for _, t in atoms}
        unit = _unit(x.args[0], {t: 1 for t in angles}, angles)
        if unit is None:
            continue
        back = {v: fn(t) for t, (c, s_) in angles.items() for v, fn in ((c, sp.cos), (s_, sp.sin))}
        repl[x] = (unit[0] if isinstance(x, sp.cos) else unit[1]).xreplace(back)
    return e.xreplace(repl) if repl else e


def nonzero_by_factors(u: sp.Expr, known: list[sp.Expr]) -> bool:
    """
        u = k * f1^e1 * ... * fm^em (rules 2 and 3; k a nonzero number)     each fi a nonzero number times a
        factor of some g in known (also by rules 2 and 3), and each g != 0
        -------------------------------------------------------------------------------------------------------
        u != 0

    (``sin(2x) = 2 sin(x) cos(x)`` is nonzero where ``sin(x) != 0`` and ``cos(x) != 0``.) Each expression is read
    as its numerator: a quotient defined and nonzero has a nonzero numerator (``tan(x) != 0`` gives
    ``sin(x) != 0``), and ``u`` is nonzero where its numerator is (``u`` itself is defined there: its own
    conditions come first). Factoring is SymPy's ``factor_list``, checked by expanding the product back.
    """
    exprs = [sp.expand(through_sin_cos(e)) for e in (u, *known)]
    found = _polynomials(exprs)
    if found is None:
        return False
    polys, angles = found
    target, *others = polys
    # Each remainder (in the cosines, or in the sines) equals its polynomial on the circle, so a nonzero one has
    # nonzero factors: 1 - sin(x)^2 != 0 gives cos(x) != 0 through its remainder cos(x)^2 in the sines; and the
    # square of a nonzero one is nonzero: cos(x) != 0 gives 1 - sin(x) != 0 through cos(x)^2 = 1 - sin(x)^2.
    nonzero = [h for g in others for power in (g, sp.expand(g**2)) for by_sine in (False, True)
               for h in (_factors(_modulo_circle(power, angles, by_sine=by_sine)) or [])]
    for by_sine in (False, True):
        factors = _factors(_modulo_circle(target, angles, by_sine=by_sine))
        if factors is not None and all(any(_constant_multiple(f, h) for h in nonzero) for f in factors):
            return True
    return False


def _factors(p: sp.Expr | None) -> list[sp.Expr] | None:
    """The irreducible factors of a nonzero polynomial ``p`` (``factor_list``, checked by expanding the product
    back; the constant left out), or ``None``."""
    if p is None or p == 0:
        return None
    try:
        k, factors = sp.factor_list(p)
    except (sp.PolynomialError, NotImplementedError, ValueError, TypeError):
        return None
    if k == 0 or not k.is_number or sp.expand(k * sp.Mul(*[f**e for f, e in factors]) - p) != 0:
        return None
    return [f for f, _ in factors]


def _constant_multiple(f: sp.Expr, g: sp.Expr) -> bool:
    ratio = sp.cancel(sp.together(f / g))
    return ratio.is_number and ratio != 0


def _polynomials(exprs: list[sp.Expr]) -> tuple[list[sp.Expr], dict[sp.Expr, tuple[sp.Symbol, sp.Symbol]]] | None:
    """The numerators of ``exprs`` with each readable sine and cosine written by rule 2 in the unknowns of angles
    common to all of them, and those angles; ``None`` when none can be read."""
    bound: set = set()
    for d in exprs:
        bound |= {lim[0] for x in sp.preorder_traversal(d) if isinstance(x, (sp.Sum, sp.Product))
                  for lim in x.limits} | {x.args[1] for x in sp.preorder_traversal(d) if isinstance(x, sp.Limit)}
    nodes = [x for d in exprs for x in sp.preorder_traversal(d) if isinstance(x, (sp.sin, sp.cos))
             and _readable(x.args[0]) and not x.args[0].free_symbols & bound]
    if not nodes:
        return None
    denominators: dict[sp.Expr, int] = {}
    for x in nodes:
        for coeff, term in _terms(x.args[0]):
            if not term.is_number:
                denominators[term] = lcm(denominators.get(term, 1), int(coeff.q))
    angles: dict[sp.Expr, tuple[sp.Symbol, sp.Symbol]] = {
        t / L: (sp.Dummy("c", real=True), sp.Dummy("s", real=True)) for t, L in denominators.items()}
    repl: dict[sp.Basic, sp.Expr] = {}
    for x in nodes:
        unit = _unit(x.args[0], denominators, angles)
        if unit is None:
            continue
        re, im = unit
        repl[x] = re if isinstance(x, sp.cos) else im
    if not repl:
        return None
    return [sp.expand(sp.fraction(sp.together(d.xreplace(repl)))[0]) for d in exprs], angles


def _modulo_circle(num: sp.Expr, angles: dict[sp.Expr, tuple[sp.Symbol, sp.Symbol]], *,
                   by_sine: bool = False) -> sp.Expr | None:
    """Rule 3: ``num`` reduced modulo ``c^2 + s^2 - 1`` of each angle (the remainder in ``c``, or, ``by_sine``, in
    ``s``: the same polynomial on the circle, a normal form either way)."""
    for c, s in angles.values():
        var = s if by_sine else c
        if num.has(var):
            try:
                num = sp.expand(sp.rem(num, c**2 + s**2 - 1, var))
            except sp.PolynomialError:
                return None
    return num


def _readable(u: sp.Expr) -> bool:
    return u.is_real is True and not u.has(*TRIG)


def _terms(u: sp.Expr) -> list[tuple[sp.Rational, sp.Expr]]:
    """``u`` as rational multiples of terms; numbers (``pi/2``, ``1``) are one term ``(1, k)``."""
    collected: dict[sp.Expr, sp.Rational] = {}
    constant = sp.Integer(0)
    for term in sp.Add.make_args(sp.expand(u)):
        if term.is_number:
            constant += term
            continue
        c, rest = term.as_coeff_Mul()
        if not c.is_Rational:
            c, rest = sp.Integer(1), term
        collected[rest] = collected.get(rest, sp.Integer(0)) + c
    out = [(c, t) for t, c in collected.items() if c != 0]
    return [*out, (sp.Integer(1), constant)] if constant != 0 else out


def _unit(u: sp.Expr, denominators: dict[sp.Expr, int],
          angles: dict[sp.Expr, tuple[sp.Symbol, sp.Symbol]]) -> tuple[sp.Expr, sp.Expr] | None:
    """``(cos(u), sin(u))`` as polynomials in the angles' unknowns (rule 2), or ``None`` past the limits."""
    z: sp.Expr = sp.Integer(1)
    for coeff, term in _terms(u):
        if term.is_number:
            z *= sp.cos(term) + sp.I * sp.sin(term)
            continue
        L = denominators[term]
        m = int(coeff * L)
        if abs(m) > MAX_MULTIPLE:
            return None
        c, s = angles[term / L]
        z *= (c + sp.I * s) ** m if m >= 0 else (c - sp.I * s) ** (-m)
    re, im = sp.expand(z).as_real_imag()
    return sp.expand(re), sp.expand(im)

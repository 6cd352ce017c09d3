"""The sign of a closed-form number, decided exactly or by a rigorous interval enclosure.

Part of the trusted core. A rational number's sign is read off exactly. Anything else is enclosed with mpmath's
interval arithmetic (``mpmath.iv``), whose every operation returns an interval that contains the true result; when
the enclosure excludes 0 the sign is certain. Precision is raised a few times before giving up. Low-precision
``evalf`` (which can print 0 for a tiny nonzero number, SymPy issue #23086) is never used.
"""

from __future__ import annotations

import mpmath
import sympy as sp

#: Working precisions (bits) tried in turn.
PRECISIONS = (80, 200, 600)

#: Functions with an interval version in ``mpmath.iv`` (the hyperbolic ones are built from ``exp`` below).
_FUNCTIONS = {sp.exp: "exp", sp.log: "log", sp.sin: "sin", sp.cos: "cos", sp.tan: "tan"}

#: What can go wrong while enclosing: each means "not decided", never a value.
_FAILURES = (ArithmeticError, ValueError, TypeError, AttributeError)


class _Unsupported(Exception):
    pass


def sign(e: sp.Expr) -> int | None:
    """-1, 0 or +1 for a number expression, or ``None`` when it cannot be decided rigorously.

    0 only for an exact rational 0: an enclosure can show a number is not 0, never that it is.
    """
    if not isinstance(e, sp.Expr) or e.free_symbols:
        return None
    if e.is_Rational:
        return 1 if e.p > 0 else (-1 if e.p < 0 else 0)
    if e.has(sp.nan, sp.zoo, sp.oo, -sp.oo, sp.I):
        return None
    for prec in PRECISIONS:
        box = _box(e, prec)
        if box is None:
            return None
        if box.a > 0:
            return 1
        if box.b < 0:
            return -1
    return None


def is_real(e: sp.Expr) -> bool:
    """Whether ``e`` is certainly a real number: a rational, or an expression the real interval arithmetic below
    encloses (it rejects ``I``, logarithms and fractional powers of numbers that may be <= 0, infinities)."""
    if not isinstance(e, sp.Expr) or e.free_symbols:
        return False
    if e.is_Rational:
        return True
    if e.has(sp.nan, sp.zoo, sp.oo, -sp.oo, sp.I):
        return False
    return _box(e, PRECISIONS[0]) is not None


def enclose(e: sp.Expr, prec: int = 80) -> tuple[float, float] | None:
    """A rigorous enclosure ``(lo, hi)`` of a number expression, for display; ``None`` if unsupported."""
    if not isinstance(e, sp.Expr) or e.free_symbols:
        return None
    box = _box(e, prec)
    if box is None:
        return None
    return float(box.a), float(box.b)


def _box(e: sp.Expr, prec: int) -> mpmath.iv.mpf | None:
    """The enclosure at ``prec`` bits, or ``None`` when it fails or is not a finite interval."""
    try:
        with mpmath.workprec(prec):
            box = _enclose(e)
    except (_Unsupported, *_FAILURES):
        return None
    if not (mpmath.isfinite(box.a) and mpmath.isfinite(box.b)):
        return None
    return box


def _enclose(e: sp.Basic) -> mpmath.iv.mpf:
    iv = mpmath.iv
    iv.prec = mpmath.mp.prec
    if e.is_Integer:
        return iv.mpf(int(e))
    if e.is_Rational:
        return iv.mpf(int(e.p)) / iv.mpf(int(e.q))
    if e is sp.pi:
        return iv.pi
    if e is sp.E:
        return iv.exp(iv.mpf(1))
    if isinstance(e, sp.Add):
        total = iv.mpf(0)
        for a in e.args:
            total = total + _enclose(a)
        return total
    if isinstance(e, sp.Mul):
        total = iv.mpf(1)
        for a in e.args:
            total = total * _enclose(a)
        return total
    if isinstance(e, sp.Pow):
        base, expo = e.args
        b = _enclose(base)
        if expo.is_Integer:
            n = int(expo)
            if abs(n) > 100_000:
                raise _Unsupported
            out = b ** abs(n) if n else iv.mpf(1)   # mpmath's interval power: [0, 4] for [-1, 2]^2
            if n < 0:
                if out.a <= 0 <= out.b:
                    raise ZeroDivisionError
                out = 1 / out
            return out
        if b.a <= 0:
            raise _Unsupported
        return iv.exp(_enclose(expo) * iv.log(b))
    if isinstance(e, sp.Abs):
        x = _enclose(e.args[0])
        if x.a >= 0:
            return x
        if x.b <= 0:
            return -x
        return iv.mpf([0, max(-x.a, x.b)])
    if isinstance(e, (sp.sinh, sp.cosh, sp.tanh)):
        return _hyperbolic(e, _enclose(e.args[0]))
    for fn, name in _FUNCTIONS.items():
        if isinstance(e, fn):
            x = _enclose(e.args[0])
            if name == "log" and x.a <= 0:
                raise _Unsupported
            return getattr(iv, name)(x)
    raise _Unsupported


def _hyperbolic(e: sp.Basic, x: mpmath.iv.mpf) -> mpmath.iv.mpf:
    """sinh, cosh, tanh through u = exp(x) (``mpmath.iv`` has none of them):
    sinh = (u - 1/u)/2, cosh = (u + 1/u)/2, tanh = 1 - 2/(u^2 + 1). Each operation encloses its result, so the
    whole does too (sinh and tanh use u monotonically, so their enclosures are tight)."""
    iv = mpmath.iv
    u = iv.exp(x)
    if isinstance(e, sp.sinh):
        return (u - 1 / u) / 2
    if isinstance(e, sp.cosh):
        return (u + 1 / u) / 2
    return 1 - 2 / (u * u + 1)

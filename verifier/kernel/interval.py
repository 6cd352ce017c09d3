"""The sign of a closed-form number, decided exactly or by a rigorous interval enclosure.

Part of the trusted core. A rational number's sign is read off exactly. Anything else is enclosed with mpmath's
interval arithmetic (``mpmath.iv``), whose every operation returns an interval that contains the true result; when
the enclosure excludes 0 the sign is certain. Precision is raised a few times before giving up. Low-precision
``evalf`` (which can print 0 for a tiny nonzero number, SymPy issue #23086) is never used.

Nothing SymPy evaluates automatically is trusted for ``floor``, ``ceiling``, ``sign``, ``Abs``, ``Max``, ``Min``,
``Heaviside``, ``KroneckerDelta`` or a comparison of numbers (SymPy issues #21039, #26368: ``floor`` of an algebraic
number near an integer). :func:`settle` rebuilds an expression (putting values for names on the way) and decides each
such node of numbers here, exactly or by an enclosure that excludes every other outcome; a node it cannot decide becomes
a *held* node (:data:`HELD`), an undefined function SymPy never evaluates, so nothing downstream reads a value into it.
"""

from __future__ import annotations

import mpmath
import sympy as sp

from verifier.kernel.relations import RELATION_OPS, sign_satisfies

#: Working precisions (bits) tried in turn: a number within 2^-4000 of a decision point stays undecided.
PRECISIONS = (80, 200, 600, 1500, 4000)

#: Functions with an interval version in ``mpmath.iv`` (the hyperbolic ones are built from ``exp`` below).
_FUNCTIONS = {sp.exp: "exp", sp.log: "log", sp.sin: "sin", sp.cos: "cos", sp.tan: "tan"}

#: Reciprocal and inverse functions, enclosed through those ``mpmath.iv`` has.
INVERSE = (sp.sec, sp.csc, sp.cot, sp.atan, sp.asin, sp.acos, sp.asinh, sp.acosh, sp.atanh)

#: What can go wrong while enclosing: each means "not decided", never a value.
_FAILURES = (ArithmeticError, ValueError, TypeError, AttributeError)


class _Unsupported(Exception):
    pass


#: The functions whose SymPy evaluation on numbers is not trusted.
UNTRUSTED: tuple[type, ...] = (sp.floor, sp.ceiling, sp.sign, sp.Abs, sp.Max, sp.Min, sp.Heaviside,
                               sp.KroneckerDelta)

#: Each untrusted function's held form: ``floor_held(c)`` is ``floor(c)``, left undecided.
HELD: dict[type, type] = {f: sp.Function(f"{f.__name__}_held", real=True) for f in UNTRUSTED}

_ORIGINAL: dict[str, type] = {h.__name__: f for f, h in HELD.items()}


def held_original(e: sp.Basic) -> type | None:
    """The untrusted function a held node stands for, or ``None`` when ``e`` is not a held node."""
    return _ORIGINAL.get(type(e).__name__) if isinstance(e, sp.core.function.AppliedUndef) else None


def settle(e: sp.Basic, mapping: dict | None = None) -> sp.Basic:
    """``e`` with the values of ``mapping`` put in (as ``xreplace``), rebuilt bottom-up so that every untrusted
    function of numbers and every relation between numbers is decided rigorously here (or held), never by SymPy."""
    mapping = {k: sp.Integer(v) if isinstance(v, int) and not isinstance(v, bool) else v
               for k, v in (mapping or {}).items()}
    return _settle(e, mapping)


def _settle(e: sp.Basic, mapping: dict) -> sp.Basic:
    if e in mapping:
        return mapping[e]
    if not isinstance(e, sp.Basic) or not e.args or isinstance(e, sp.IndexedBase):
        return e
    args = tuple(_settle(a, mapping) for a in e.args)
    return rebuild(e, args)


def rebuild(e: sp.Basic, args: tuple) -> sp.Basic:
    """``e.func(*args)``, except that an untrusted function (or a held one) of numbers, and a relation between
    numbers, is decided by :func:`decide` instead of by SymPy."""
    original = held_original(e) or next((f for f in UNTRUSTED if isinstance(e, f)), None)
    if original is not None and all(_is_number(a) for a in args):
        return decide(original, args)
    if isinstance(e, sp.core.relational.Relational) and all(_is_number(a) for a in args):
        s = sign(sp.expand(args[0] - args[1]))
        if s is None:
            return e.func(*args, evaluate=False)
        return sp.true if sign_satisfies(s, RELATION_OPS[type(e)]) else sp.false
    if all(a is b for a, b in zip(args, e.args, strict=False)):
        return e
    if original is not None and original is not held_original(e) and any(_irrational_inside(a) for a in args):
        return e.func(*args, evaluate=False)    # SymPy would split off and evaluate the numeric part itself
    try:
        out = e.func(*args)
    except (ValueError, TypeError):
        # SymPy's own evaluation can fail on large numbers (a root of a large rational: "... is not a prime factor
        # of ..."), or on a relation between a number that is not real and 0 in a Piecewise condition (log(0) > 0);
        # the node is then kept as it is, its value enclosed like any other and its definedness decided as written.
        return e.func(*args, evaluate=False)
    if isinstance(out, sp.Basic) and out.has(*_INFINITE) and not any(isinstance(a, sp.Basic) and a.has(*_INFINITE)
                                                                      for a in args):
        # A function at a pole (tan(pi/2) = zoo): undefined, kept as written, so that 1/tan(pi/2) is not made 0.
        return e.func(*args, evaluate=False)
    return out


#: What SymPy's evaluation gives at a pole or for an undefined value.
_INFINITE = (sp.zoo, sp.oo, -sp.oo, sp.nan)


def decide(fn: type, args: tuple) -> sp.Expr:
    """The value of an untrusted function of numbers, decided rigorously; its held form when undecided."""
    value = _decide(fn, args)
    return HELD[fn](*args) if value is None else value


def _decide(fn: type, args: tuple) -> sp.Expr | None:
    if fn in (sp.floor, sp.ceiling):
        return _round(args[0], fn is sp.floor)
    if fn is sp.sign:
        s = sign(args[0])
        return None if s is None else sp.Integer(s)
    if fn is sp.Abs:
        s = sign(args[0])
        return None if s is None else (args[0] if s >= 0 else -args[0])
    if fn is sp.KroneckerDelta:
        s = sign(sp.expand(args[0] - args[1])) if len(args) == 2 else None
        return None if s is None else sp.Integer(1 if s == 0 else 0)
    if fn is sp.Heaviside:
        s = sign(args[0])
        if s is None or s == 0:
            return None     # at the jump: a convention (SymPy's H0) that decides nothing
        return sp.Integer(1) if s > 0 else sp.Integer(0)
    for a in args:      # Max, Min: an argument at least (at most) every other one
        signs = [sign(sp.expand(a - b)) for b in args if b is not a]
        if all(t is not None and (t >= 0 if fn is sp.Max else t <= 0) for t in signs):
            return a
    return None


def _round(x: sp.Expr, down: bool) -> sp.Integer | None:
    """floor (``down``) or ceiling of a number: exact for a rational, else from an enclosure whose two ends round
    to the same integer, precision raised until they do."""
    if not x.is_Rational:
        expanded = sp.expand(x)
        x = expanded if expanded.is_Rational else x
    if x.is_Rational:
        return sp.Integer(sp.floor(x) if down else sp.ceiling(x))
    if x.has(sp.nan, sp.zoo, sp.oo, -sp.oo, sp.I):
        return None
    for prec in PRECISIONS:
        box = enclosure(x, prec)
        if box is None:
            return None
        with mpmath.workprec(prec):
            lo, hi = (mpmath.floor(box.a), mpmath.floor(box.b)) if down else (mpmath.ceil(box.a), mpmath.ceil(box.b))
        if lo == hi:
            return sp.Integer(int(lo))
    return None


def _irrational_inside(a: sp.Basic) -> bool:
    """Whether ``a`` has a number part that is not rational (``sqrt(2)``, ``pi``, ``exp(1)``)."""
    return any(x.is_number and not x.is_Rational for x in sp.preorder_traversal(a)
               if isinstance(x, (sp.Pow, sp.Function, sp.NumberSymbol)))


def _is_number(a: sp.Basic) -> bool:
    return isinstance(a, sp.Expr) and not a.free_symbols and not a.has(sp.Indexed)


def sign(e: sp.Expr, *, quick: bool = False) -> int | None:
    """-1, 0 or +1 for a number expression, or ``None`` when it cannot be decided rigorously.

    0 only for an exact rational 0: an enclosure can show a number is not 0, never that it is. ``quick``: at the
    first precision only (for a number that is likely 0, where the finer passes would only cost time).
    """
    if not isinstance(e, sp.Expr) or e.free_symbols:
        return None
    if not e.is_Rational and e.has(*UNTRUSTED):
        e = sp.expand(settle(e))    # floor(c) - 1401 is exactly 0 once floor(c) is decided
    if e.is_Rational:
        return 1 if e.p > 0 else (-1 if e.p < 0 else 0)
    if e.has(sp.nan, sp.zoo, sp.oo, -sp.oo, sp.I):
        return None
    for prec in PRECISIONS[:1] if quick else PRECISIONS:
        box = enclosure(e, prec)
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
    return enclosure(e, PRECISIONS[0]) is not None


def enclose(e: sp.Expr, prec: int = 80) -> tuple[float, float] | None:
    """A rigorous enclosure ``(lo, hi)`` of a number expression, for display; ``None`` if unsupported."""
    if not isinstance(e, sp.Expr) or e.free_symbols:
        return None
    box = enclosure(e, prec)
    if box is None:
        return None
    return float(box.a), float(box.b)


def rational_enclosure(e: sp.Expr, prec: int = 80) -> tuple[sp.Rational, sp.Rational] | None:
    """Exact rational ends of a rigorous enclosure of a number (mpmath's interval ends are binary fractions), or
    ``None`` when it has none (undefined, not real, or an infinite end)."""
    box = enclosure(e, prec)
    if box is None:
        return None
    ends = []
    for end in box._mpi_:       # raw mpf tuples (sign, mantissa, exponent, bits): exact binary fractions
        sign, man, exp, _ = end
        if not isinstance(man, int) or not isinstance(exp, int):
            return None
        ends.append((-1) ** sign * sp.Integer(man) * sp.Integer(2) ** exp)
    return ends[0], ends[1]


def enclosure(e: sp.Expr, prec: int) -> mpmath.iv.mpf | None:
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
    if isinstance(e, sp.Symbol) and e in _BOUND:
        return _BOUND[e]
    if isinstance(e, (sp.Sum, sp.Product)):
        return _big_operator(e)
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
    if isinstance(e, (sp.floor, sp.ceiling)) or held_original(e) in (sp.floor, sp.ceiling):
        x = _enclose(e.args[0])
        down = isinstance(e, sp.floor) or held_original(e) is sp.floor
        rnd = mpmath.floor if down else mpmath.ceil
        return iv.mpf([rnd(x.a), rnd(x.b)])
    if isinstance(e, (sp.Max, sp.Min)) or held_original(e) in (sp.Max, sp.Min):
        boxes = [_enclose(a) for a in e.args]
        pick = max if isinstance(e, sp.Max) or held_original(e) is sp.Max else min
        return iv.mpf([pick(b.a for b in boxes), pick(b.b for b in boxes)])
    if isinstance(e, sp.sign) or held_original(e) is sp.sign:
        x = _enclose(e.args[0])
        return iv.mpf(1) if x.a > 0 else (iv.mpf(-1) if x.b < 0 else iv.mpf([-1, 1]))
    if held_original(e) == sp.Abs:   # `is` would make mypy narrow sp.Abs to `type | None`
        return _enclose(sp.Abs(e.args[0], evaluate=False))
    if isinstance(e, sp.Heaviside) or held_original(e) is sp.Heaviside:
        x = _enclose(e.args[0])
        if x.a > 0:
            return iv.mpf(1)
        if x.b < 0:
            return iv.mpf(0)
        raise _Unsupported
    if isinstance(e, (sp.sinh, sp.cosh, sp.tanh)):
        return _hyperbolic(e, _enclose(e.args[0]))
    if isinstance(e, INVERSE):
        return _inverse(e, _enclose(e.args[0]))
    for fn, name in _FUNCTIONS.items():
        if isinstance(e, fn):
            x = _enclose(e.args[0])
            if name == "log" and x.a <= 0:
                raise _Unsupported
            return getattr(iv, name)(x)
    raise _Unsupported


#: Values of the index of a sum being enclosed (an interval: a block of consecutive indices).
_BOUND: dict[sp.Symbol, mpmath.iv.mpf] = {}
#: At each working precision, how many first terms of a sum or product are enclosed one by one, and the relative
#: width 2^-bits of the blocks of terms enclosed together after them; at higher precisions nothing is enclosed (the
#: blocks, not the precision, bound the width, and a finer pass costs seconds).
_TERMS_BY_PRECISION = {PRECISIONS[0]: (64, 5), PRECISIONS[1]: (512, 8)}
#: Sums and products over more terms than this are not enclosed.
MAX_ENCLOSED_TERMS = 10**7


def _big_operator(e: sp.Sum | sp.Product) -> mpmath.iv.mpf:
    """A sum or product over a range of integers given by numbers (up to :data:`MAX_ENCLOSED_TERMS` terms), its
    summand a number at every index, enclosed without writing it out: its first terms one by one, then blocks of
    consecutive indices ``k..l`` (``l - k`` about ``|k|/2^bits``), each block as its number of terms times (or, for
    a product, to the power of) the enclosure of the summand over the real interval ``[k, l]``::

        f(j) in F for every real j in [k, l]      (interval arithmetic: F encloses f over [k, l])
        ---------------------------------------------------------------------------------------
        Sum(f(j), (j, k, l)) in (l - k + 1) * F        Product(f(j), (j, k, l)) in F^(l - k + 1)

    The enclosure succeeds only where every operation of the summand is defined on the whole block (no division by
    an interval holding 0, no log of one reaching 0), so it also shows that each term is defined."""
    key = (e, mpmath.mp.prec)
    if key not in _ENCLOSED:
        if len(_ENCLOSED) > 64:
            _ENCLOSED.clear()
        try:
            _ENCLOSED[key] = _enclose_big_operator(e)
        except (_Unsupported, *_FAILURES):
            _ENCLOSED[key] = None
    box = _ENCLOSED[key]
    if box is None:
        raise _Unsupported
    return box


#: Enclosures of sums and products already computed, at each precision (``None``: none).
_ENCLOSED: dict[tuple[sp.Basic, int], mpmath.iv.mpf | None] = {}


def _enclose_big_operator(e: sp.Sum | sp.Product) -> mpmath.iv.mpf:
    iv = mpmath.iv
    if len(e.limits) != 1:
        raise _Unsupported
    j, lo, hi = e.limits[0]
    setting = _TERMS_BY_PRECISION.get(mpmath.mp.prec)
    if setting is None or not (lo.is_Integer and hi.is_Integer) or e.function.free_symbols - {j} \
            or int(hi) - int(lo) + 1 > MAX_ENCLOSED_TERMS or j in _BOUND:
        raise _Unsupported
    if _alternating(e.function, j):
        return _by_parity(e, j, int(lo), int(hi))
    one_by_one, bits = setting
    is_sum = isinstance(e, sp.Sum)
    total = iv.mpf(0) if is_sum else iv.mpf(1)
    a, b = int(lo), int(hi)
    slope = sp.factor(sp.diff(e.function, j)) if b - a >= one_by_one else None
    k = a
    try:
        while k <= b:
            end = k if k - a < one_by_one else min(b, k + (abs(k) >> bits))
            term = _over_block(e.function, slope, j, k, end)
            count = end - k + 1
            total = total + term * count if is_sum else total * term ** count
            k = end + 1
    finally:
        _BOUND.pop(j, None)
    return total


def _alternating(f: sp.Expr, j: sp.Symbol) -> bool:
    """Whether ``f`` has a sign ``(-1)^(... j ...)`` (not enclosed on an interval of ``j``)."""
    return any(x.base == -1 and x.exp.has(j) for x in f.atoms(sp.Pow))


def _by_parity(e: sp.Sum | sp.Product, j: sp.Symbol, a: int, b: int) -> mpmath.iv.mpf:
    """A sum or product with a sign ``(-1)^(... j ...)``, its terms taken in pairs (``n = b - a + 1`` terms)::

        Sum(f(j), (j, a, b)) = Sum(f(a + 2i) + f(a + 2i + 1), (i, 0, n//2 - 1)) + (f(b) if n is odd)

    (a product likewise, with products): in a pair the signs are constant powers of -1, and the pair's sum varies
    slowly (-1/(2i) + 1/(2i + 1) = -1/(2i(2i + 1))), so its blocks are enclosed tightly."""
    i = sp.Dummy("i", integer=True, nonnegative=True)
    first, second = e.function.xreplace({j: a + 2 * i}), e.function.xreplace({j: a + 2 * i + 1})
    pair = sp.together(first + second) if isinstance(e, sp.Sum) else first * second
    if _alternating(pair, i):
        raise _Unsupported
    n = b - a + 1
    total = _enclose(e.func(pair, (i, 0, n // 2 - 1)))
    if n % 2:
        last = _enclose(e.function.xreplace({j: sp.Integer(b)}))
        total = total + last if isinstance(e, sp.Sum) else total * last
    return total


def _over_block(f: sp.Expr, slope: sp.Expr | None, j: sp.Symbol, k: int, end: int) -> mpmath.iv.mpf:
    """An enclosure of ``f(j)`` for every real ``j`` in ``[k, end]``: where the enclosure of ``f'`` there has one
    sign, ``f`` is monotone and lies between ``f(k)`` and ``f(end)`` (far tighter than ``f`` evaluated on the
    interval, which counts every occurrence of ``j`` apart); else ``f`` on the interval."""
    iv = mpmath.iv
    _BOUND[j] = iv.mpf([k, end])
    if slope is None or k == end:
        return _enclose(f)
    whole = _enclose(f)     # also shows that f is defined on the whole block
    try:
        d = _enclose(slope)
    except (_Unsupported, *_FAILURES):
        return whole
    if not (d.a > 0 or d.b < 0):
        return whole
    _BOUND[j] = iv.mpf(k)
    first = _enclose(f)
    _BOUND[j] = iv.mpf(end)
    last = _enclose(f)
    return iv.mpf([min(first.a, last.a), max(first.b, last.b)])


def _inverse(e: sp.Basic, x: mpmath.iv.mpf) -> mpmath.iv.mpf:
    """The reciprocal and inverse functions through those ``mpmath.iv`` has (each operation encloses its result, so
    the whole does; outside a function's domain the enclosure fails, and nothing is decided)::

        sec = 1/cos   csc = 1/sin   cot = cos/sin   atan(x) = atan2(x, 1)   asin(x) = atan2(x, sqrt(1 - x^2))
        acos(x) = pi/2 - asin(x)   asinh(x) = log(x + sqrt(x^2 + 1))   acosh(x) = log(x + sqrt(x^2 - 1))
        atanh(x) = log((1 + x)/(1 - x))/2
    """
    iv = mpmath.iv
    if isinstance(e, (sp.sec, sp.csc, sp.cot)):
        den = iv.cos(x) if isinstance(e, sp.sec) else iv.sin(x)
        if den.a <= 0 <= den.b:
            raise ZeroDivisionError
        return (iv.cos(x) if isinstance(e, sp.cot) else iv.mpf(1)) / den
    if isinstance(e, sp.atan):
        return iv.atan2(x, iv.mpf(1))
    if isinstance(e, (sp.asin, sp.acos)):
        if x.a < -1 or x.b > 1:
            raise _Unsupported
        root = _sqrt_nonnegative(1 - x * x)
        if root.a <= 0:
            raise _Unsupported      # at +-1 atan2 meets its branch point: left undecided
        a = iv.atan2(x, root)
        return a if isinstance(e, sp.asin) else iv.pi / 2 - a
    if isinstance(e, sp.asinh):
        return iv.log(x + iv.sqrt(x * x + 1))
    if isinstance(e, sp.acosh):
        if x.a < 1:
            raise _Unsupported
        return iv.log(x + _sqrt_nonnegative(x * x - 1))
    if x.a <= -1 or x.b >= 1:       # atanh
        raise _Unsupported
    return iv.log((1 + x) / (1 - x)) / 2


def _sqrt_nonnegative(x: mpmath.iv.mpf) -> mpmath.iv.mpf:
    """The square root of an interval known to be >= 0 in exact arithmetic, its lower end clipped at 0."""
    if x.b < 0:
        raise _Unsupported
    return mpmath.iv.sqrt(mpmath.iv.mpf([max(x.a, 0), x.b]))


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

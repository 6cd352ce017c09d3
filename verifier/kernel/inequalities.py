"""Classical transcendental inequalities, as facts about the atoms of an abstracted expression.

Part of the trusted core. :mod:`verifier.kernel.nra` replaces each ``exp`` and ``log`` by a fresh real unknown; on its
own that forgets everything but the sign of ``exp``. The rules below give back true relations between those unknowns,
so that the decision procedure can use them. Each rule is one function; its docstring draws the rule, premises over
conclusion, and it returns the conclusion as a z3 formula over the unknowns it is given.

A *log term* is a pair ``(l, a)`` with ``a > 0`` and ``l = log(a)``: every ``log(a)`` atom with ``a`` proved positive
is one (``l`` its unknown), every ``expu(t)`` atom is one (``l = t``, ``a`` its positive unknown, since
``log(exp(t)) = t`` for real ``t``), and so is ``(0, 1)``. All rules are stated for log terms, so they cover both
functions at once (``exp(x) >= 1 + x`` is :func:`log_ratio` for the terms ``(x, exp(x))`` and ``(0, 1)``).
"""

from __future__ import annotations

from typing import TypeAlias

import z3

#: A z3 real term (an unknown, a number, or arithmetic on those) and a z3 condition.
Term: TypeAlias = z3.ArithRef
Formula: TypeAlias = z3.BoolRef
#: (l, a): a real unknown or number ``l`` equal to ``log(a)``, with ``a > 0``.
LogTerm = tuple[Term, Term]


def log_ratio(p: LogTerm, q: LogTerm) -> Formula:
    """
        a > 0     b > 0     l = log(a)     m = log(b)
        ----------------------------------------------  (log(x) <= x - 1 for x > 0, at x = a/b; times b > 0)
        b * (l - m) <= a - b

    With ``(m, b) = (0, 1)`` this is ``log(a) <= a - 1``; with ``(l, a) = (0, 1)`` it is ``log(b) >= 1 - 1/b``; with
    ``(l, a) = (t, exp(t))`` and ``(m, b) = (0, 1)`` it is ``exp(t) >= 1 + t``. It also gives monotonicity: ``a <= b``
    implies ``l - m <= (a - b)/b <= 0``, strictly when ``a < b``.
    """
    (log_a, a), (log_b, b) = p, q
    return b * (log_a - log_b) <= a - b


def scaled_log_ratio(p: LogTerm, q: LogTerm, c: LogTerm) -> Formula:
    """
        a > 0     b > 0     c > 0     l = log(a)     m = log(b)     k = log(c)
        ---------------------------------------------------------------------  (log_ratio at x = a/(c*b);
        c * b * (l - k - m) <= a - c * b                                         log(c*b) = log(c) + log(b))

    Monotonicity with a constant factor: ``a <= c*b`` implies ``log(a) <= log(c) + log(b)`` (the log-sum-exp upper
    bound ``log(sum of K exponentials) <= max + log K``).
    """
    (log_a, a), (log_b, b), (log_c, cv) = p, q, c
    return cv * b * (log_a - log_c - log_b) <= a - cv * b


def log_bounds(log_c: Term, lo: Term, hi: Term) -> Formula:
    """
        lo < log(c) < hi     (lo, hi rational bounds from a rigorous enclosure of log(c), c > 0 a number)
        ---------------------------------------------------------------------------------------------
        lo < log_c < hi       (log_c the unknown standing for log(c))
    """
    return z3.And(lo < log_c, log_c < hi)


def lemmas(terms: list[LogTerm], constants: list[LogTerm], limit: int = 400) -> list[Formula]:
    """The rules above at every ordered pair of log terms (and every numeric log term as a constant factor), at most
    ``limit`` of them: more would only slow the solver."""
    out: list[Formula] = []
    for p in terms:
        for q in terms:
            if p is not q:
                out.append(log_ratio(p, q))
    for c in constants:
        for p in terms:
            for q in terms:
                if p is not q and p is not c and q is not c:
                    out.append(scaled_log_ratio(p, q, c))
    return out[:limit]


def cauchy_schwarz(s1: Term, s2: Term, s3: Term) -> Formula:
    """
        s1 = Sum(f), s2 = Sum(g), s3 = Sum(h) over one range of n >= 0 terms
        f^2 = g*h, g >= 0 and h >= 0 on the range
        -----------------------------------------------------------------------  (Cauchy-Schwarz, with
        s1^2 <= s2 * s3                                                              f = +-sqrt(g)*sqrt(h))

    With ``h = 1`` (``s3 = n``): ``(sum f)^2 <= n * sum f^2``; with ``g = p`` and ``h = p*v^2``: a weighted variance
    is nonnegative (the softmax Jacobian is positive semidefinite).
    """
    return s1 * s1 <= s2 * s3


def term_of_sum(term: Term, total: Term) -> Formula:
    """
        lo <= k <= hi      g >= 0 on lo..hi
        -----------------------------------
        g(k) <= Sum(g, (j, lo, hi))

    (One term of a sum of nonnegative terms is at most the sum: with the log rules, ``x[k] <= log-sum-exp``.)
    """
    return term <= total

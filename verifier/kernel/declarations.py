"""What a declaration says, in the kernel's own terms: the one input from which the kernel derives its facts.

The front end reads ``[symbols]`` text and hands the kernel one :class:`Declaration` per name; the kernel builds every
fact (ranges, signs, zero-outside families) from these itself and checks every point it is shown against them. No
caller hands the kernel facts or hypotheses about declared names directly.

Meaning (section 2a of the format):

- a scalar ``integer a..b`` has ``integer=True`` and ``values=Interval(a, b)``;
- a scalar ``real a..b`` is the closed interval ``Interval(a, b)``; ``real (a, b)``, ``real [a, b)``, ``real (a, b]``
  set ``lo_open``/``hi_open``;
- ``in {v1, ...}`` sets ``domain``;
- a family ``indexed ... lo..hi`` has ``index_range=(lo, hi)``: it is 0 outside, and its other words (``integer``,
  ``signs``, ``values``, ``domain``) hold for its entries inside that range only. Value intervals of a family's
  entries are written with brackets (``indexed real [0, 1] 1..K``), since ``lo..hi`` of a family is its index range.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

#: The sign words of a declaration and the signs (-1, 0, 1) each allows.
SIGN_WORDS: dict[str, frozenset[int]] = {
    "positive": frozenset({1}),
    "negative": frozenset({-1}),
    "nonnegative": frozenset({0, 1}),
    "nonpositive": frozenset({-1, 0}),
    "nonzero": frozenset({-1, 1}),
}


@dataclass(frozen=True)
class Interval:
    """A real interval of values; a ``None`` end is unbounded on that side."""

    lo: sp.Expr | None
    hi: sp.Expr | None
    lo_open: bool = False
    hi_open: bool = False


@dataclass(frozen=True)
class Declaration:
    """One declared name: a scalar symbol, or an indexed family (then the words describe its entries)."""

    name: sp.Symbol | sp.IndexedBase
    integer: bool = False
    signs: frozenset[str] = frozenset()
    values: Interval | None = None
    domain: tuple[sp.Expr, ...] | None = None
    index_range: tuple[sp.Expr, sp.Expr] | None = None

    @property
    def indexed(self) -> bool:
        """Whether this declares a family ``x[i]`` rather than a scalar."""
        return isinstance(self.name, sp.IndexedBase)

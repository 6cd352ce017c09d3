"""The free symbols of a sum, product or integral, remembered for the expression.

SymPy finds the free symbols of an expression with limits (``Sum``, ``Product``, ``Integral``) by rebuilding its
summand with the bound variables replaced, each time it is asked, and it is asked again and again about the same
expressions: by SymPy's own ``is_number`` and assumption queries, by the builder and the kernel for the names an
expression uses (in a cold run of the bundled library about nine questions in ten are repeats; along a chain of
sum rewrites, more). The answer depends on the expression alone (SymPy's expressions are immutable, and equal ones
have the same free symbols) and on SymPy's ``evaluate`` and ``distribute`` switches, under which the summand is
rebuilt; :func:`install` makes SymPy remember it by all three. Each caller still gets a set of its own.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sympy as sp
from sympy.concrete.expr_with_limits import ExprWithLimits
from sympy.core.parameters import global_parameters

#: How many answers are kept before the table is emptied.
SIZE = 8192

_computed: Callable[[Any], set[sp.Basic]] = ExprWithLimits.free_symbols.fget
_remembered: dict[tuple[sp.Basic, bool, bool], frozenset[sp.Basic]] = {}


def free_symbols(e: ExprWithLimits) -> set[sp.Basic]:
    """SymPy's free symbols of ``e``, computed once for each expression."""
    key = (e, global_parameters.evaluate, global_parameters.distribute)
    try:
        found = _remembered.get(key)
    except TypeError:   # an expression holding something unhashable (a mutable matrix) is asked each time
        return _computed(e)
    if found is None:
        if len(_remembered) >= SIZE:
            _remembered.clear()
        found = _remembered[key] = frozenset(_computed(e))
    return set(found)


def install() -> None:
    """Make SymPy's expressions with limits answer ``free_symbols`` through :func:`free_symbols`."""
    ExprWithLimits.free_symbols = property(free_symbols, doc=ExprWithLimits.free_symbols.__doc__)

"""The ranges of the bounded elementary functions, as facts about their values for the decision procedure of
:mod:`verifier.kernel.nra`.

Part of the trusted core. For a real argument ``u``, wherever the function is defined (``asin`` and ``acos`` on
``[-1, 1]``, ``acosh`` on ``[1, oo)``, the others everywhere), its value lies in the range of its principal branch::

    sin(u), cos(u) in [-1, 1]      tanh(u) in (-1, 1)      atan(u) in (-pi/2, pi/2)
    asin(u) in [-pi/2, pi/2]       acos(u) in [0, pi]      acosh(u) in [0, oo)

(``atan`` and ``tanh`` are strictly increasing with these limits at -oo and oo; ``asin``, ``acos`` and ``acosh``
are the principal branches, whose values are these closed ranges.)
"""

from __future__ import annotations

import sympy as sp

#: A function's range: its lower and upper ends (``None``: unbounded) and whether each is excluded.
Range = tuple[sp.Expr | None, sp.Expr | None, bool, bool]

RANGES: dict[type, Range] = {
    sp.sin: (sp.Integer(-1), sp.Integer(1), False, False),
    sp.cos: (sp.Integer(-1), sp.Integer(1), False, False),
    sp.tanh: (sp.Integer(-1), sp.Integer(1), True, True),
    sp.atan: (-sp.pi / 2, sp.pi / 2, True, True),
    sp.asin: (-sp.pi / 2, sp.pi / 2, False, False),
    sp.acos: (sp.Integer(0), sp.pi, False, False),
    sp.acosh: (sp.Integer(0), None, False, False),
}


def range_of(e: sp.Basic) -> Range | None:
    """The range of ``e``'s values where it is defined, when ``e`` is one of these functions of a real argument."""
    found = RANGES.get(type(e))
    if found is None or len(e.args) != 1 or e.args[0].is_real is not True:
        return None
    return found

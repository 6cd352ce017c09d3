"""The problems the engine settles: an obligation, built (:class:`Problem`), in cases of finite domains
(:class:`Case`), each with the relations that must hold and the hypotheses and facts under which they must.

The front end makes them (:mod:`verifier.frontend.problem_builder`); the search reads them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import sympy as sp

from verifier.frontend.scope import SymbolInfo
from verifier.kernel import Facts
from verifier.kernel.interval import settle
from verifier.model import Obligation

Relation = tuple[sp.Expr, str, sp.Expr]


@dataclass
class Case:
    """One case of a problem: values of finite-domain names, and the relations that must hold in it."""

    values: dict[sp.Symbol, sp.Expr]
    relations: list[Relation]
    hypotheses: list[sp.Basic]
    facts: Facts
    symmetric: tuple[sp.IndexedBase, ...] = ()    # families read as symmetric (a hypothesis over all indices)
    antisymmetric: tuple[sp.IndexedBase, ...] = ()


@dataclass
class Problem:
    """An obligation, built: ``forall`` (every relation holds for all allowed values) or ``exists``."""

    obligation: Obligation
    kind: str
    cases: list[Case]
    infos: dict[sp.Basic, SymbolInfo]
    sizes: dict[str, list[int]] = field(default_factory=dict)
    where: dict[sp.Basic, sp.Expr] = field(default_factory=dict)    # the ``where`` substitution applied to everything
    #: For a ``forall`` with ``where`` values: the same obligation with the ``where`` names left as declared, one
    #: case per case of ``cases``; proved for every allowed value, it holds at the given ones (tried first).
    general: list[Case] = field(default_factory=list)
    #: The ``where`` names (as declared) and their values, for that instantiation.
    values: dict[sp.Basic, sp.Expr] = field(default_factory=dict)

    def bounds(self, s: sp.Basic) -> tuple[sp.Expr | None, sp.Expr | None]:
        """The declared range of a ranged name, with ``where`` applied."""
        info = self.infos[s]
        return substituted(info.lo, self.where), substituted(info.hi, self.where)



def substituted(e: Any, subst: dict) -> Any:
    """``e`` with the values of ``subst`` put in, untrusted functions of numbers decided rigorously (not by SymPy's
    automatic evaluation, wrong for the floor of an algebraic number next to an integer)."""
    return settle(e, subst) if subst and isinstance(e, sp.Basic) else e

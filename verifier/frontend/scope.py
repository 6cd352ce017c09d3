"""The names a derivation file can use: declared symbols (:class:`SymbolInfo`) and definitions
(:class:`Definition`), gathered in a :class:`Scope`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, TypeAlias

import sympy as sp

from verifier.frontend import parser as P
from verifier.frontend.definedness import Frames
from verifier.kernel.declarations import Declaration

Expr: TypeAlias = sp.Expr


@dataclass
class SymbolInfo:
    """A declared name: a scalar symbol or an indexed family, with what the declaration says about it."""

    name: str
    symbol: sp.Symbol | sp.IndexedBase
    indexed: bool = False
    domain: tuple[Expr, ...] | None = None      # finite domain ``in {...}``
    lo: Expr | None = None                      # range bounds (integers; for families: zero outside)
    hi: Expr | None = None
    words: tuple[str, ...] = ()
    line: int | None = None
    declaration: Declaration | None = None      # what the declaration means, for the kernel

    @property
    def is_integer(self) -> bool:
        """Whether the name is an integer scalar (an index or a size)."""
        return not self.indexed and "integer" in self.words


@dataclass
class Definition:
    """One ``[define]`` entry: an abbreviation (``params is None``) or a function with local parameters."""

    name: str
    params: tuple[str, ...] | None
    body: P.Node
    text: str
    file: str | None = None
    line: int | None = None
    column: int | None = None   # where the body's text starts on its line of the file


@dataclass
class Scope:
    """Every name a file can use: declared symbols and definitions, in the order they were written."""

    symbols: dict[str, SymbolInfo] = field(default_factory=dict)
    definitions: dict[str, Definition] = field(default_factory=dict)
    cache: dict[str, Any] = field(default_factory=dict, repr=False)
    #: The definedness frames every builder of this scope records into (:mod:`verifier.frontend.definedness`).
    frames: Frames = field(default_factory=Frames, repr=False, compare=False)

    def merged(self, other: Scope) -> Scope:
        """A new scope with ``other``'s names added after this one's (a ``use``d file's names come first)."""
        out = Scope(dict(self.symbols), dict(self.definitions))
        out.symbols.update(other.symbols)
        out.definitions.update(other.definitions)
        return out

    def by_symbol(self) -> dict[sp.Basic, SymbolInfo]:
        """Declared infos keyed by their SymPy object."""
        return {info.symbol: info for info in self.symbols.values()}

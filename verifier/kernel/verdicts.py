"""The kernel's verdicts: objects that only the kernel can make.

A :class:`Proved`, :class:`Checked` or :class:`Refuted` (and the :class:`Witness` of an ``exists``) is the kernel's
word that it confirmed a proposal. Each is constructed with a token private to the kernel; constructing one anywhere
else raises :class:`ForgedVerdict`. Code outside the kernel receives these objects and reads them, and a report of
``proved``, ``checked`` or ``refuted`` is made from one of them only.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TypeVar

import sympy as sp

V = TypeVar("V", bound="_Verdict")

#: Held by the kernel's modules only; a verdict constructed without it is refused.
_KERNEL = object()


class ForgedVerdict(TypeError):
    """A verdict object constructed outside the kernel."""


@dataclass(frozen=True)
class _Verdict:
    token: object = field(repr=False, compare=False, kw_only=True)

    def __post_init__(self) -> None:
        if self.token is not _KERNEL:
            raise ForgedVerdict(f"{type(self).__name__} is made by the kernel only")


@dataclass(frozen=True)
class Witness(_Verdict):
    """A point at which every relation of an ``exists`` holds: its values and both sides of the first relation."""

    point: Mapping[sp.Basic, sp.Expr]
    lhs: sp.Expr
    rhs: sp.Expr


@dataclass(frozen=True)
class Proved(_Verdict):
    """The relations hold for every allowed value (or, for an ``exists``, at the :attr:`witness`)."""

    method: str
    witness: Witness | None = None


@dataclass(frozen=True)
class Checked(_Verdict):
    """The relations hold at every instance of a finite set, each confirmed exactly; nothing beyond it is claimed.

    ``checked`` names the set, ``instances`` is the number confirmed (every instance of the named set).
    """

    method: str
    checked: str
    instances: int


@dataclass(frozen=True)
class Refuted(_Verdict):
    """A relation fails at an allowed point that satisfies every hypothesis (a counterexample), or, for an
    ``exists``, no allowed value satisfies the hypotheses (``point`` is then empty and ``message`` says so).
    ``undefined`` is ``"rhs"`` when the relation fails because its right side is undefined at the point."""

    method: str
    point: Mapping[sp.Basic, sp.Expr]
    lhs: sp.Expr | None = None
    rhs: sp.Expr | None = None
    message: str | None = None
    undefined: str | None = None


def made(cls: type[V], **fields: object) -> V:
    """A verdict of class ``cls``; refused unless called from a module of the kernel."""
    caller = sys._getframe(1).f_globals.get("__name__", "")
    if not caller.startswith(__package__ + "."):
        raise ForgedVerdict(f"{cls.__name__} is made by the kernel only, not by {caller}")
    return cls(token=_KERNEL, **fields)

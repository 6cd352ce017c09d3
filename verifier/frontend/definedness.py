"""The definedness conditions recorded while values are built: a stack of frames (:class:`Frames`), innermost last.

Every division, negative power, ``log``, ``sqrt`` and fractional power records the condition it needs into the
innermost open frame (see :mod:`verifier.frontend.values`). A scope holds one stack that every builder of that scope
records into: a value a definition caches in the scope (a vector whose entries are built when they are read) records,
when an entry is read, into the frames of whichever builder is reading it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import sympy as sp

from verifier.kernel.interval import settle

#: The condition of an operation undefined at every point (``0 != 0``, as a division by 0 records it).
NOWHERE = sp.Ne(sp.Integer(0), 0, evaluate=False)


def decided(c: sp.Basic) -> sp.Basic:
    """``c``, or for a relation between numbers alone its value decided now, rigorously: ``true`` when it holds,
    :data:`NOWHERE` when it fails (SymPy cannot rebuild a ``Piecewise`` whose condition is an unevaluated inequality
    of two numbers: ``-1/2 > 0``, which ``log(-1/2)`` needs, made it fail on zoo), ``c`` itself when undecided."""
    if isinstance(c, sp.core.relational.Relational) and not c.free_symbols:
        value = settle(c)
        if value is sp.true:
            return sp.true
        if value is sp.false:
            return NOWHERE
    return c


class Frames:
    """Open frames of conditions recorded while building, innermost last."""

    def __init__(self) -> None:
        self.stack: list[list[sp.Basic]] = []

    def record(self, c: sp.Basic | None) -> None:
        """Note that the expression being built needs ``c`` to be defined (nothing when no frame is open)."""
        if c is None or not self.stack:
            return
        c = decided(c)
        if c is not sp.true and c not in self.stack[-1]:
            self.stack[-1].append(c)

    @contextmanager
    def recording(self) -> Iterator[list[sp.Basic]]:
        """A new innermost frame: the conditions recorded while it is open go to it, and no further."""
        frame: list[sp.Basic] = []
        self.stack.append(frame)
        try:
            yield frame
        finally:
            self.stack.pop()

    @property
    def open(self) -> bool:
        """Whether a frame is open (what is recorded now goes somewhere)."""
        return bool(self.stack)

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


class Frames:
    """Open frames of conditions recorded while building, innermost last."""

    def __init__(self) -> None:
        self.stack: list[list[sp.Basic]] = []

    def record(self, c: sp.Basic | None) -> None:
        """Note that the expression being built needs ``c`` to be defined (nothing when no frame is open)."""
        if c is not None and self.stack and c not in self.stack[-1]:
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

"""Progress on standard error while claims settle: a bar on a terminal, and in CI (or with ``-v``) a line per claim
as it settles and a line per sheet once its claims are all settled."""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable
from typing import TextIO

from verifier.model import Claim, ClaimResult
from verifier.printable import printable


def isatty(stream: TextIO) -> bool:
    """Whether ``stream`` is a terminal (a closed or unusual stream is not)."""
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def can_print(stream: TextIO, text: str) -> bool:
    """Whether ``stream``'s encoding can carry ``text`` (a Latin-1 or ASCII terminal cannot carry ✓)."""
    try:
        text.encode(getattr(stream, "encoding", None) or "utf-8")
    except (UnicodeEncodeError, LookupError):
        return False
    return True


class Bar:
    """A one-line progress bar on a terminal's standard error, shown once a run has taken a second (short runs
    stay quiet) and erased at the end. It fits the terminal's width: the bar shrinks, then goes, then the text is
    cut, so that the line never wraps (a wrapped line cannot be redrawn with a carriage return)."""

    WIDTH = 30

    def __init__(self, stream: TextIO, columns: int | None = None) -> None:
        self.stream = stream
        self.columns = columns
        self.start = time.monotonic()
        self.shown = False
        self.ascii = not can_print(stream, "█░")

    def _width(self) -> int:
        if self.columns is not None:
            return self.columns
        try:
            return os.get_terminal_size(self.stream.fileno()).columns
        except (AttributeError, ValueError, OSError):
            return shutil.get_terminal_size().columns

    def __call__(self, done: int, total: int) -> None:
        elapsed = time.monotonic() - self.start
        if elapsed < 1.0 and done < total:
            return
        columns = max(1, self._width() - 1)  # the last column stays free: some terminals wrap on it
        text = f" {done}/{total} obligations {elapsed:.1f}s"
        room = min(self.WIDTH, columns - len("verifying ") - len(text))
        if room >= 5:
            filled = room * done // max(total, 1)
            full, empty = ("#", ".") if self.ascii else ("█", "░")
            line = f"verifying {full * filled}{empty * (room - filled)}{text}"
        else:
            line = f"verifying{text}"
        self._write("\r" + line[:columns])
        self.shown = True

    def close(self) -> None:
        """Erase the bar, if it was shown."""
        if self.shown:
            self._write("\r" + " " * max(1, self._width() - 1) + "\r")

    def _write(self, text: str) -> None:
        self.stream.write(text)
        self.stream.flush()


def progress_bar(stream: TextIO) -> Bar | None:
    """The progress bar, on a terminal outside CI; else ``None``."""
    return Bar(stream) if isatty(stream) and not os.environ.get("CI") else None


def settled_lines(stream: TextIO, total: int, verbosity: int) -> Callable[[ClaimResult], None] | None:
    """In CI (standard error not a terminal, ``CI`` set) or with ``-v``: a line per claim as it settles, e.g.
    ``[3/21] q2.4 refuted (expected) ✓ 0.41s``, so that a long run shows its progress in the log. None with
    ``-q`` or at a terminal, where the bar shows progress."""
    if verbosity < 0 or isatty(stream) or not (os.environ.get("CI") or verbosity > 0):
        return None
    from verifier.outputs.words import verdict_label
    marks = ("✓", "✗") if can_print(stream, "✓✗") else ("ok", "X")
    count = 0

    def line(result: ClaimResult) -> None:
        nonlocal count
        count += 1
        took = "cached" if result.cached else f"{result.seconds:.2f}s"
        mark = marks[0] if result.as_expected else marks[1]
        stream.write(printable(f"[{count}/{total}] {result.claim.id} {verdict_label(result)} {mark} {took}") + "\n")
        stream.flush()

    return line


def sheet_lines(stream: TextIO, claims: list[Claim]) -> Callable[[ClaimResult], None]:
    """A line per sheet once all its claims are settled, when several sheets are graded together:
    ``alice.md: 11 claims settled, 2 not as expected (q2.4, q5.2)``."""
    left: dict[str, int] = {}
    for c in claims:
        left[c.file] = left.get(c.file, 0) + 1
    missed: dict[str, list[str]] = {f: [] for f in left}

    def line(result: ClaimResult) -> None:
        sheet = result.claim.file
        left[sheet] -= 1
        if not result.as_expected:
            missed[sheet].append(result.claim.id.rpartition(":")[2])
        if left[sheet] == 0:
            total = sum(1 for c in claims if c.file == sheet)
            wrong = f", {len(missed[sheet])} not as expected ({', '.join(missed[sheet])})" if missed[sheet] else ""
            stream.write("\r" + printable(f"{sheet}: {total} claims settled{wrong}") + "\n")
            stream.flush()

    return line


def both(first: Callable[[ClaimResult], None] | None, second: Callable[[ClaimResult], None] | None
          ) -> Callable[[ClaimResult], None]:
    """One callback that calls both (either may be missing)."""
    def call(result: ClaimResult) -> None:
        for f in (first, second):
            if f is not None:
                f(result)
    return call

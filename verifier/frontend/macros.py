r"""The commands and environments a sheet defines or redefines for itself (``\renewcommand{\frac}[2]{#2/#1}``,
``\let\geq\leq``, ``\def\half{..}``, ``\DeclareMathOperator{\log}{..}``, ``\renewenvironment{cases}``).

The page shows what the sheet's own definitions make of a command, not the standard meaning the reader knows: a
display block that uses one is not read, naming the line of the definition. Commands that change how TeX reads
characters or builds names (``\catcode``, ``\mathcode``, ``\csname``, ``\everymath`` ...) can change any formula, so
with one of them in the sheet no display block is read. The sheet's text is searched with code and comments
blanked (what the page does not show defines nothing), wherever the definition is: preamble, prose or math.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

__all__ = ["Definitions", "definitions"]

_NAME = r"(\\(?:[A-Za-z]+|[^A-Za-z\s]))"
_DEFINERS = re.compile(
    r"\\(?:(?:re)?newcommand|providecommand|DeclareRobustCommand|DeclareMathOperator|DeclarePairedDelimiter\w*|"
    r"DeclareMathSymbol|NewDocumentCommand|RenewDocumentCommand|ProvideDocumentCommand)(?![A-Za-z])\*?\s*\{?\s*" + _NAME
    + r"|\\(?:[gex]?def|let|futurelet|(?:math)?chardef|countdef|toksdef)(?![A-Za-z])\s*" + _NAME)
_ENVIRONMENTS = re.compile(r"\\(?:(?:re)?newenvironment|NewDocumentEnvironment|RenewDocumentEnvironment)\*?\s*"
                           r"\{\s*([A-Za-z*]+)\s*\}")
#: What can change any formula: how characters read, names built from text, definitions from other files.
_EVERYWHERE = re.compile(r"\\(catcode|mathcode|delcode|csname|everymath|everydisplay|input|include)(?![A-Za-z])")


@dataclass(frozen=True)
class Definitions:
    """What a sheet defines: commands and environments with the line of their first definition, and the first
    command that can change every formula (``\\catcode``), with its line."""

    commands: dict[str, int]
    environments: dict[str, int]
    everywhere: tuple[str, int] | None

    def first_use(self, content: str) -> tuple[int | None, str] | None:
        """Where a display block first uses what the sheet defines (an offset in ``content``, ``None`` for the
        block as a whole) and why the block is not read; ``None`` when it uses nothing the sheet defines."""
        if self.everywhere is not None:
            command, at = self.everywhere
            return None, (f"the sheet uses '{command}' at line {at}, which can change how any formula reads: no "
                          "display block is read")
        names = [re.escape(c) + ("(?![A-Za-z])" if c[-1].isalpha() else "") for c in self.commands]
        names += [r"\\(?:begin|end)\s*\{" + re.escape(e) + r"\}" for e in self.environments]
        m = re.search("|".join(names), content) if names else None
        if m is None:
            return None
        if m.group().startswith(("\\begin", "\\end")):
            name = m.group().split("{")[1].rstrip("}")
            return m.start(), (f"the environment '{name}' is defined by the sheet itself at line "
                               f"{self.environments[name]}: not read as the standard one")
        return m.start(), (f"'{m.group()}' is defined by the sheet itself at line {self.commands[m.group()]}: the "
                           "page shows that definition, not the standard command")


def definitions(text: str, starts: list[int]) -> Definitions:
    """The definitions in ``text`` (code and comments already blanked); ``starts`` are its lines' offsets."""
    def line(offset: int) -> int:
        return bisect.bisect_right(starts, offset)

    commands: dict[str, int] = {}
    for m in _DEFINERS.finditer(text):
        commands.setdefault(m.group(1) or m.group(2), line(m.start()))
    environments = {m.group(1): line(m.start()) for m in reversed(list(_ENVIRONMENTS.finditer(text)))}
    hazard = _EVERYWHERE.search(text)
    return Definitions(commands, environments, ("\\" + hazard.group(1), line(hazard.start())) if hazard else None)

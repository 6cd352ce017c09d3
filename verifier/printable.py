"""Text from input made harmless to print: every control character a sheet, a derivation file or a file name can
carry is shown escaped, never written as it is.

Every layer that shows text from input uses it: the sheet reader for the titles and messages it writes, ``verify
init`` for the table it writes, and every report format. A terminal obeys what a report passes through: ESC starts
sequences that move the cursor, erase lines, set the window's title or write the clipboard; CR and backspace
overwrite what was printed; the bidirectional overrides reorder a line so that it reads otherwise than it is.
Every report reaches its reader through :func:`printable` (standard output and ``--output`` alike, see
:func:`verifier.cli.emit.deliver`), so no format has to remember it.

What is kept: line feeds and tabs (the layout of every format), and with ``styled`` the colour codes (SGR, ``ESC [
... m``) that rich writes for the coloured text report, whose own pieces from input are escaped before rich sees
them (:func:`printable` again).
"""

from __future__ import annotations

import re

#: The bidirectional formatting characters: embeddings, overrides and isolates (and the marks, which are harmless
#: alone but serve the same reordering).
_BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
#: C0 but line feed and tab, DEL, C1, and the bidirectional controls.
_CONTROL = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_BIDI}]")
_CONTROL_OR_SGR = re.compile(f"\x1b\\[[0-9;]*m|{_CONTROL.pattern}")


def _escaped(char: str) -> str:
    code = ord(char)
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def printable(text: str, *, styled: bool = False) -> str:
    """``text`` with every control character but line feed and tab written as its escape (ESC as ``\\x1b``, a
    right-to-left override as ``\\u202e``); with ``styled``, the colour codes of a coloured report are kept."""
    if styled:
        return _CONTROL_OR_SGR.sub(lambda m: m[0] if len(m[0]) > 1 else _escaped(m[0]), text)
    return _CONTROL.sub(lambda m: _escaped(m[0]), text)

"""Tests of verifier.printable: control characters from input shown escaped, never passed to a terminal."""

from __future__ import annotations

import pytest

from verifier.printable import printable


@pytest.mark.parametrize(("raw", "shown"), [
    ("\x1b[2K\x1b[1A", "\\x1b[2K\\x1b[1A"),          # erase line, cursor up
    ("\x1b]0;pwned\x07", "\\x1b]0;pwned\\x07"),        # OSC: set the window's title, ended by BEL
    ("a\rb\bc", "a\\x0db\\x08c"),                     # carriage return and backspace overwrite
    ("\x00\x7f\x9b", "\\x00\\x7f\\x9b"),              # NUL, DEL, C1 CSI (one byte ESC [ on some terminals)
    ("abc\u202edef\u2066", "abc\\u202edef\\u2066"),   # right-to-left override, left-to-right isolate
])
def test_control_characters_are_written_as_their_escapes(raw: str, shown: str) -> None:
    assert printable(raw) == shown


def test_line_feeds_tabs_and_ordinary_text_are_kept() -> None:
    text = "q1.1\tproved ✓\n∑ α_k → ∞, x ≥ 0\\x1b\n"   # the last escape is already text: a backslash and 'x1b'
    assert printable(text) == text


def test_styled_keeps_colour_codes_and_escapes_every_other_sequence() -> None:
    assert printable("\x1b[1;31mFAILED\x1b[0m", styled=True) == "\x1b[1;31mFAILED\x1b[0m"
    assert printable("\x1b[2K\x1b]0;t\x07", styled=True) == "\\x1b[2K\\x1b]0;t\\x07"
    assert printable("\x1b[1;31mFAILED\x1b[0m") == "\\x1b[1;31mFAILED\\x1b[0m"

"""Helpers of the browser tests: finding Chromium, and a small PNG reader (8-bit RGB or RGBA, not interlaced: what
Chromium's screenshots are)."""

from __future__ import annotations

import os
import shutil
import struct
import zlib

#: Set to a browser's path to use it; set VERIFY_REQUIRE_BROWSER=1 to fail (not skip) when none is found.
BROWSER_ENV = "VERIFY_CHROMIUM"
REQUIRE_ENV = "VERIFY_REQUIRE_BROWSER"
HOW_TO_INSTALL = (f"no Chromium found: install Debian's chromium (apt-get install chromium) or set {BROWSER_ENV} "
                  "to a Chromium binary to run the browser tests")


def find_chromium() -> str | None:
    """The Chromium to test with: ``$VERIFY_CHROMIUM`` (``None`` when that is not an executable file), else
    ``chromium`` or ``chromium-browser`` on the PATH."""
    given = os.environ.get(BROWSER_ENV)
    if given:
        return given if os.path.isfile(given) and os.access(given, os.X_OK) else None
    return next((path for path in map(shutil.which, ("chromium", "chromium-browser")) if path), None)

SIGNATURE = b"\x89PNG\r\n\x1a\n"
_CHANNELS = {2: 3, 6: 4}  # colour type -> bytes per pixel at bit depth 8


def read_png(data: bytes) -> tuple[int, int, int, list[bytes]]:
    """Width, height, bytes per pixel and the unfiltered rows of a PNG image."""
    if not data.startswith(SIGNATURE):
        raise ValueError("not a PNG file")
    pos, idat, header = len(SIGNATURE), [], None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat.append(body)
        elif kind == b"IEND":
            break
    if header is None:
        raise ValueError("PNG without a header")
    width, height, depth, colour, _, _, interlace = header
    if depth != 8 or colour not in _CHANNELS or interlace:
        raise ValueError(f"unsupported PNG (bit depth {depth}, colour type {colour}, interlace {interlace})")
    bpp = _CHANNELS[colour]
    raw = zlib.decompress(b"".join(idat))
    stride = width * bpp
    rows: list[bytes] = []
    prev = bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1:start + 1 + stride])
        _unfilter(kind, line, prev, bpp)
        rows.append(bytes(line))
        prev = line
    return width, height, bpp, rows


def _unfilter(kind: int, line: bytearray, prev: bytearray, bpp: int) -> None:
    """Undo one scanline's filter in place (PNG specification, section 9)."""
    n = len(line)
    if kind == 0:
        return
    if kind == 1:
        for i in range(bpp, n):
            line[i] = (line[i] + line[i - bpp]) & 255
    elif kind == 2:
        for i in range(n):
            line[i] = (line[i] + prev[i]) & 255
    elif kind == 3:
        for i in range(n):
            left = line[i - bpp] if i >= bpp else 0
            line[i] = (line[i] + ((left + prev[i]) >> 1)) & 255
    elif kind == 4:
        for i in range(n):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    else:
        raise ValueError(f"unknown PNG filter type {kind}")


def colours(width: int, bpp: int, rows: list[bytes]) -> dict[bytes, int]:
    """How many pixels have each colour (alpha included)."""
    counts: dict[bytes, int] = {}
    for row in rows:
        for x in range(0, width * bpp, bpp):
            pixel = row[x:x + bpp]
            counts[pixel] = counts.get(pixel, 0) + 1
    return counts

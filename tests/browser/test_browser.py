"""The HTML report of the bundled library, rendered by headless Chromium: the DOM holds every claim and its
MathML, the screenshot is not blank, and MathML is laid out in two dimensions.

Skipped where no Chromium is installed (``make test`` on a laptop); ``.ci/run`` installs Debian's chromium and sets
``VERIFY_REQUIRE_BROWSER=1``, which turns the skip into a failure.
"""

from __future__ import annotations

import html
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from browser.tools import HOW_TO_INSTALL, REQUIRE_ENV, colours, find_chromium, read_png

from verifier.frontend.library import load_library

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
# Headless, offline, no first-run or background work; --no-sandbox because CI runs as root.
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars")
WINDOW = (1280, 2000)


@pytest.fixture(scope="module")
def browser() -> str:
    """The Chromium binary, or a skip (a failure with ``VERIFY_REQUIRE_BROWSER=1``) when there is none."""
    path = find_chromium()
    if path is None:
        if os.environ.get(REQUIRE_ENV):
            pytest.fail(f"{REQUIRE_ENV} is set but {HOW_TO_INSTALL}")
        pytest.skip(HOW_TO_INSTALL)
    return path


@pytest.fixture(scope="module")
def bundled_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``verify all --format html`` on the bundled library."""
    out = tmp_path_factory.mktemp("report") / "report.html"
    done = subprocess.run([sys.executable, "-m", "verifier", "all", "--no-cache", "--format", "html",
                           "--output", str(out)], cwd=ROOT, capture_output=True, text=True, timeout=900,
                          check=False)
    assert done.returncode == 0, done.stderr
    return out


def run_browser(browser: str, tmp_path: Path, page: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    """Chromium on a local page with a fresh profile; fails the test on a hang."""
    profile = tmp_path / "profile"
    profile.mkdir(exist_ok=True)
    try:
        return subprocess.run([browser, *FLAGS, f"--user-data-dir={profile}", *args, page.as_uri()],
                              capture_output=True, timeout=180, check=False)
    except subprocess.TimeoutExpired:
        pytest.fail("Chromium did not finish within 180 s")


def screenshot(browser: str, tmp_path: Path, page: Path, size: tuple[int, int]) -> tuple[int, int, int, list[bytes]]:
    """A screenshot of ``page`` at ``size``, decoded."""
    shot = tmp_path / f"{page.stem}.png"
    run_browser(browser, tmp_path, page, f"--screenshot={shot}", f"--window-size={size[0]},{size[1]}")
    assert shot.exists(), "Chromium wrote no screenshot"
    return read_png(shot.read_bytes())


def test_rendered_dom_has_every_claim_and_its_mathml(browser: str, bundled_report: Path, tmp_path: Path) -> None:
    done = run_browser(browser, tmp_path, bundled_report, "--dump-dom")
    dom = done.stdout.decode("utf-8")
    source = bundled_report.read_text(encoding="utf-8")
    claims = load_library(ROOT / "derivations").claims
    assert len(claims) >= 20
    for claim in claims:
        assert f'id="claim-{claim.id}"' in dom, claim.id
    # Every <math> of the page is in the DOM, with the two-dimensional elements the library needs.
    assert dom.count("<math") == source.count("<math") >= 60
    for element in ("<mfrac", "<munderover", "<msub", "<msup", "<mtable"):
        assert element in dom, element
    assert "<script" not in dom


def test_screenshot_of_the_report_is_not_blank(browser: str, bundled_report: Path, tmp_path: Path) -> None:
    width, height, bpp, rows = screenshot(browser, tmp_path, bundled_report, WINDOW)
    assert (width, height) == WINDOW
    counts = colours(width, bpp, rows)
    background = max(counts.values())
    # Text, badges and formulas: many colours (anti-aliasing) and a fair share of pixels off the background.
    assert len(counts) >= 50
    assert 1 - background / (width * height) >= 0.03


def ink_rows(width: int, bpp: int, rows: list[bytes]) -> int:
    """How many rows of the image hold a pixel darker than light grey."""
    return sum(1 for row in rows if any(row[x] < 160 for x in range(0, width * bpp, bpp)))


def test_mathml_is_laid_out_in_two_dimensions(browser: str, tmp_path: Path) -> None:
    # The same two letters as a fraction a/b and side by side: laid out as MathML, the fraction stands about twice
    # as tall (two lines and a bar); read as unknown tags, both would be one line of text.
    pages = {}
    for name, body in (("fraction", "<mfrac><mi>a</mi><mi>b</mi></mfrac>"), ("row", "<mi>a</mi><mi>b</mi>")):
        page = tmp_path / f"{name}.html"
        page.write_text(f'<!DOCTYPE html><html><body style="margin:20px;font-size:48px;background:#fff">'
                        f"<math display=\"block\">{body}</math></body></html>", encoding="utf-8")
        width, _, bpp, rows = screenshot(browser, tmp_path, page, (300, 300))
        pages[name] = ink_rows(width, bpp, rows)
    assert pages["row"] > 0
    assert pages["fraction"] >= 1.6 * pages["row"], pages


def test_png_reader_reads_what_pillow_reads(browser: str, tmp_path: Path) -> None:
    image = pytest.importorskip("PIL.Image")
    page = tmp_path / "colours.html"
    page.write_text('<!DOCTYPE html><body style="margin:0;background:linear-gradient(90deg,#f00,#00f)">'
                    "<p>text</p></body>", encoding="utf-8")
    width, height, _, rows = screenshot(browser, tmp_path, page, (200, 100))
    with image.open(tmp_path / "colours.png") as im:
        assert im.size == (width, height)
        assert im.convert("RGBA" if len(rows[0]) == 4 * width else "RGB").tobytes() == b"".join(rows)



SHEET = ("**Answer 1.1**\n$$2 a = a + a = \\frac{4 a}{2}$$\n\n**Answer 1.2**\n"
         "$$a y = \\begin{cases} a & \\text{for } y = 1 \\\\ 0 & \\text{for } y = 0 \\end{cases}$$\n")


def cells(dom: str) -> list[tuple[str, str]]:
    """Each entry's cell on a rendered page: the text of its formula (spaces normalised) and the LaTeX shown
    under it."""
    out = []
    for cell in re.findall(r'<td class="math">(.*?)</td>', dom, flags=re.S):
        source = re.search(r'<div class="src"><code>(.*?)</code></div>', cell, flags=re.S)
        formula = re.sub(r'<div class="src">.*', "", cell, flags=re.S)
        text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", formula)).replace("\u2062", " ").split())
        out.append((text, html.unescape(source.group(1)) if source else ""))
    return out


def test_a_sheet_page_shows_each_entry_latex_and_conditions_as_written(browser: str, tmp_path: Path) -> None:
    """The page of a sheet, and the page rendered from its saved JSON report, as Chromium lays them out: under each
    entry the LaTeX of that entry (three on one line), and the condition of a case as the sheet writes it."""
    (tmp_path / "s.md").write_text(SHEET, encoding="utf-8")
    (tmp_path / "s.notation.toml").write_text('[symbols]\na = "real"\ny = "integer 0..1"\n', encoding="utf-8")
    verify = [sys.executable, "-m", "verifier", "--derivations", "s.md", "--no-cache", "--jobs", "1"]
    for args in (["--format", "html", "--output", "live.html"], ["--format", "json", "--output", "r.json"],
                 ["report", "r.json", "--format", "html", "--output", "saved.html"]):
        done = subprocess.run([*verify, *args], cwd=tmp_path, capture_output=True, text=True, timeout=600,
                              check=False)
        assert done.returncode == 0, done.stderr
    for page in ("live.html", "saved.html"):
        dom = run_browser(browser, tmp_path, tmp_path / page, "--dump-dom").stdout.decode("utf-8")
        # Written by hand from the sheet: each entry's formula, and the LaTeX of that entry alone.
        assert cells(dom) == [
            ("2 a", "2 a"), ("= a + a", "a + a"), ("= 4 a 2", "\\frac{4 a}{2}"), ("a y", "a y"),
            ("= { a if y = 1 0 if y = 0",
             "\\begin{cases} a & \\text{for } y = 1 \\\\ 0 & \\text{for } y = 0 \\end{cases}")], page
        assert "<section class=\"sheets\">" in dom and "s.md: 2 claims" in dom

"""Tests of the HTML report (``--format html``): a self-contained page with every claim, its steps as MathML, marks,
evidence, and plots of refuted steps."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
import sympy as sp
from conftest import Run

from verifier.display.prepare import Renderer
from verifier.frontend.library import load_library
from verifier.model import Claim, ClaimResult, Obligation, Outcome, RunResult
from verifier.outputs import html as page

LIBRARY = """\
question = "q1"
[symbols]
x = "real"
a = "real positive"

[[claim]]
id = "q1.1"
title = "Adding fractions"
note = "a note for the reader"
statement = "a/(a + 1) + 1/(a + 1) = 1"
steps = ["a/(a + 1) + 1/(a + 1)", "(a + 1)/(a + 1)", "1"]

[[claim]]
id = "q1.2"
title = "A wrong step"
steps = ["(x + 1)^2", "x^2 + 1"]

[[claim]]
id = "q1.3"
title = "Undeclared <name>"
statement = "x + zz = x"
"""


@pytest.fixture
def report(write_library: Callable[[dict[str, str]], Path], verify_cli: Callable[..., Run], tmp_path: Path
           ) -> Callable[..., str]:
    """Write the library, run ``verify ARGS --format html --output report.html`` and return the page."""
    write_library({"q1.toml": LIBRARY})

    def run(*args: str) -> str:
        verify_cli(*(args or ("all",)), "--format", "html", "--output", "report.html")
        return (tmp_path / "report.html").read_text(encoding="utf-8")

    return run


def section(html: str, cid: str) -> str:
    """The ``<section>`` of one claim."""
    start = html.index(f'id="claim-{cid}"')
    return html[start:html.index("</section>", start)]


def test_the_page_is_self_contained(report: Callable[..., str]) -> None:
    html = report()
    assert html.startswith("<!DOCTYPE html>")
    for loader in ("<script", "<link", "<iframe", "<img", " src=", "@import"):
        assert loader not in html.lower(), loader
    # Links and references stay inside the page (the plots' clip paths are url(#id)); a URL appears only as an XML
    # namespace name (SVG), which loads nothing.
    assert all(h.startswith("#") for h in re.findall(r'href="([^"]*)"', html))
    assert all(u.startswith("#") for u in re.findall(r"url\(([^)]*)\)", html))
    without_namespaces = re.sub(r'xmlns(:\w+)?="[^"]*"', "", html)
    assert "http://" not in without_namespaces and "https://" not in without_namespaces
    assert "<style>" in html and "@media print" in html


def test_summary_first_then_every_claim(report: Callable[..., str]) -> None:
    html = report()
    table = html.index('<table class="summary">')
    assert table < html.index("<section")
    for cid in ("q1.1", "q1.2", "q1.3"):
        assert f'href="#claim-{cid}"' in html[table:html.index("</table>", table)]
        assert '<section class="claim' in html and f'id="claim-{cid}"' in html
    # User text is escaped, never markup.
    assert "Undeclared &lt;name&gt;" in html and "<name>" not in html


def test_steps_are_mathml_with_their_marks(report: Callable[..., str]) -> None:
    q11 = section(report(), "q1.1")
    # The statement and three chain entries, each a <math> element; the two steps marked proved.
    assert q11.count("<math") == 4
    assert q11.count('class="m-proved"') >= 2
    assert "a note for the reader" in q11


def test_a_refutation_shows_the_counterexample_and_both_sides(report: Callable[..., str]) -> None:
    q12 = section(report(), "q1.2")
    assert "✗" in q12 and "refuted" in q12
    assert "counterexample" in q12
    assert "left side" in q12 and "right side" in q12 and "approximately" in q12
    assert re.search(r"<code>x = -?\d+(/\d+)?</code>", q12)


def test_a_refuted_step_in_one_variable_is_plotted(report: Callable[..., str]) -> None:
    pytest.importorskip("matplotlib")
    q12 = section(report(), "q1.2")
    assert q12.count("<svg") == 1 and "</svg>" in q12


def test_without_matplotlib_the_page_says_how_to_get_plots(report: Callable[..., str],
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(page, "_plotting_available", lambda: False)
    html = report()
    assert "<svg" not in html
    assert "pip install &#x27;derivation-verifier[plot]&#x27;" in section(html, "q1.2")


def test_text_that_cannot_be_built_is_shown_as_code(report: Callable[..., str]) -> None:
    q13 = section(report(), "q1.3")
    assert "<code>x + zz = x</code>" in q13 and "<math" not in q13


def test_show_gives_the_page_for_one_claim(report: Callable[..., str]) -> None:
    html = report("show", "q1.2")
    assert 'id="claim-q1.2"' in html and 'id="claim-q1.1"' not in html


def test_out_of_time_the_relations_are_text(write_library: Callable[[dict[str, str]], Path],
                                            verify_cli: Callable[..., Run], tmp_path: Path) -> None:
    write_library({"q1.toml": LIBRARY})
    data = verify_cli("all", "--format", "json").json()
    library = load_library(Path("derivations"))
    renderer = Renderer(library)
    results = []
    for claim, entry in zip(library.claims, data["claims"], strict=True):
        outcomes = [Outcome.from_json(o) for o in entry["obligations"]]
        for n, o in enumerate(outcomes):
            o.shown = renderer.shown(claim, n, o, lambda: None, budget=0.0)
        results.append(ClaimResult(claim, outcomes))
    html = page.render_html(RunResult(results, 0.0, "0", sp.__version__))
    assert "<math" not in html and "<code>(x + 1)^2</code>" in html


def without_times(html: str) -> str:
    """A page without what depends on the run's timing: seconds, and whether a claim came from the cache."""
    return re.sub(r"(in )?\d+\.\d+s|cached", "", html)


def test_a_saved_json_report_renders_the_same_page(report: Callable[..., str], verify_cli: Callable[..., Run],
                                                    tmp_path: Path) -> None:
    html = report()
    verify_cli("all", "--format", "json", "--output", "report.json")
    saved = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert all("display" in o for c in saved["claims"] for o in c["obligations"])
    verify_cli("report", "report.json", "--format", "html", "--output", "again.html")
    again = (tmp_path / "again.html").read_text(encoding="utf-8")
    assert without_times(again) == without_times(html)
    assert again.count("<math") == html.count("<math") >= 4


def test_no_display_leaves_the_pictures_out_of_a_json_report(report: Callable[..., str],
                                                              verify_cli: Callable[..., Run], tmp_path: Path) -> None:
    report()
    verify_cli("all", "--format", "json", "--no-display", "--output", "bare.json")
    bare = json.loads((tmp_path / "bare.json").read_text(encoding="utf-8"))
    assert bare["claims"] and not any("display" in o for c in bare["claims"] for o in c["obligations"])
    verify_cli("all", "--format", "json", "--output", "full.json")
    full = json.loads((tmp_path / "full.json").read_text(encoding="utf-8"))
    verdicts = lambda r: [(c["id"], c["verdict"]) for c in r["claims"]]  # noqa: E731
    assert verdicts(bare) == verdicts(full)


def test_an_exact_value_keeps_the_approximation_it_is_given() -> None:
    assert page._split_value("-2 - 2*log(2) ≈ -3.386294361", {}) == ("-2 - 2*log(2)", "-3.386294361")


def test_checked_shows_its_set_and_an_unread_line_says_not_read(tmp_path: Path) -> None:
    # Outcomes made by hand: the page shows what it is given, for a claim whose file is gone (relations as text).
    claim = Claim(id="s1", title="Sheet", file=str(tmp_path / "gone.toml"), line=3,
                  statements=("K + 1 > K", "x ^^ 2"), statement_lines=(4, 5))
    outcomes = [
        Outcome(Obligation("statement", "K + 1 > K", 4, None, 1), "checked", method="exhaustive",
                sizes="K in 1..6"),
        Outcome(Obligation("statement", "x ^^ 2", 5, None, 2), "unknown", message="not read: '^^' is not an operator"),
    ]
    html = page.render_html(RunResult([ClaimResult(claim, outcomes)], 0.0, "0", sp.__version__))
    s1 = section(html, "s1")
    assert "<b>checked</b></span> · exhaustive<br>for K in 1..6" in s1
    assert "<b>not read</b></span>" in s1 and "not read: &#x27;^^&#x27; is not an operator" in s1
    assert "<code>K + 1 &gt; K</code>" in s1 and "line 5" in s1


def test_a_sheet_page_shows_each_line_beside_its_reading(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A sheet's step carries the LaTeX it was read from: Answer 1.1 of the bundled sheet is the line
    ``$$g(z) = 1/(1 + e^{-z})$$``, whose second entry is ``1/(1 + e^{-z})``."""
    from verifier.cli import main

    root = Path(__file__).resolve().parents[2]
    out = tmp_path / "sheet.html"
    main(["q1.1", "--derivations", str(root / "derivations/sheets/assignment-1-answers.md"), "--format", "html",
          "--output", str(out), "--no-cache", "--jobs", "1"])
    page = out.read_text(encoding="utf-8")
    assert '<div class="src"><code>1/(1 + e^{-z})</code></div>' in page


def test_each_entry_of_a_line_shows_its_own_latex(tmp_path: Path) -> None:
    """Three entries on one line: each row shows the LaTeX of its own entry (every row showed the last one's)."""
    from verifier.cli import main

    (tmp_path / "s.md").write_text("**Answer 1.1**\n$$2 a = a + a = \\frac{4 a}{2}$$\n", encoding="utf-8")
    (tmp_path / "s.notation.toml").write_text('[symbols]\na = "real"\n', encoding="utf-8")
    out = tmp_path / "s.html"
    main(["all", "--derivations", str(tmp_path / "s.md"), "--format", "html", "--output", str(out), "--no-cache",
          "--jobs", "1"])
    page = out.read_text(encoding="utf-8")
    shown = [page.find(f'<div class="src"><code>{latex}</code></div>') for latex in ("2 a", "a + a", "\\frac{4 a}{2}")]
    assert all(at >= 0 for at in shown) and shown == sorted(shown)        # each once, in the order of the line


def test_an_expected_refutation_is_not_coloured_as_a_failure(write_library: Callable[[dict[str, str]], Path],
                                                             verify_cli: Callable[..., Run], tmp_path: Path) -> None:
    # q2.1 plants a mistake and expects it found: its badge and mark are the "expected" colour, not the red of
    # q2.2, a refutation nobody expected. (x^2 + 1 differs from (x + 1)^2 at x = 1: 2 against 4.)
    write_library({"q2.toml": 'question = "q2"\n[symbols]\nx = "real"\n'
                              '[[claim]]\nid = "q2.1"\ntitle = "planted"\nexpect = "refuted"\n'
                              'steps = ["(x + 1)^2", "x^2 + 1"]\n'
                              '[[claim]]\nid = "q2.2"\ntitle = "a slip"\nsteps = ["(x + 1)^2", "x^2 + 1"]\n'})
    verify_cli("all", "--format", "html", "--output", "report.html")
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    planted, slip = section(html, "q2.1"), section(html, "q2.2")
    assert "badge v-expected" in planted and "v-refuted" not in planted and "m-expected" in planted
    assert "badge v-refuted" in slip and "m-refuted" in slip and "v-expected" not in slip
    summary = html[html.index('<table class="summary">'):html.index("</table>")]
    assert summary.count("v-expected") == 1 and summary.count("v-refuted") == 1
    assert ".v-expected" in html     # the colour is defined on the page

"""The Python API (``verifier.check``, ``check_chain``, ``run``): verdicts, evidence, text and HTML display, timeouts
in the worker process (from a thread, where no signal can be used), and a real notebook run with nbclient."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

import verifier
import verifier.search.engine
from verifier.errors import DerivationFileError, UsageError
from verifier.model import Obligation, Outcome

ROOT = Path(__file__).resolve().parents[1]
REAL = {"a": "real", "b": "real"}


def test_importing_verifier_loads_neither_sympy_nor_the_api() -> None:
    out = subprocess.run([sys.executable, "-c", "import sys, verifier; "
                          "print('sympy' in sys.modules, 'verifier.api' in sys.modules)"],
                         capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def test_a_true_identity_is_proved_with_its_method() -> None:
    result = verifier.check("exp(a) * exp(b) = exp(a + b)", symbols=REAL)
    assert result.verdict == "proved" and result.holds
    assert result.method and "normal form" in result.method
    assert result.counterexample is None
    assert [s.verdict for s in result.steps] == ["proved"]


def test_a_false_identity_is_refuted_with_a_counterexample_that_fails() -> None:
    result = verifier.check("(a + b)^2 = a^2 + b^2", symbols=REAL)
    assert result.verdict == "refuted" and not result.holds
    point = result.counterexample
    assert point is not None and set(point) == {"a", "b"}
    # By hand: (a + b)^2 - (a^2 + b^2) = 2ab, so the point must have a*b != 0.
    a, b = (int(point[k]) for k in ("a", "b"))
    assert a * b != 0


def test_expect_refuted_holds_when_refuted() -> None:
    assert verifier.check("x + 1 = x", symbols={"x": "real"}, expect="refuted").holds


def test_a_chain_has_one_step_per_link() -> None:
    # By hand: (x + 1)^2 = x^2 + 2x + 1, and x^2 + 2x + 1 <= 2x^2 + 2 since the difference is (x - 1)^2 >= 0;
    # the last link is false at x = 0 (2 < 3).
    result = verifier.check_chain(["(x + 1)^2", "x^2 + 2*x + 1", "<= 2*x^2 + 2", "= 3"], symbols={"x": "real"})
    assert [s.verdict for s in result.steps] == ["proved", "proved", "refuted"]
    assert result.verdict == "refuted"
    assert result.steps[1].text == "x^2 + 2*x + 1 <= 2*x^2 + 2"


def test_define_assume_and_where_mean_what_they_mean_in_a_file() -> None:
    symbols = {"K": "integer positive", "i": "integer 1..K", "x": "indexed real", "c": "real"}
    softmax = {"S(v, r)": "exp(v[r]) / Sum(exp(v[j]), (j, 1, K))"}
    assert verifier.check("S(x + c, i) = S(x, i)", symbols=symbols, define=softmax).verdict == "proved"
    # By hand: under a > 0, a + 1 > 0 holds; without it, a = -1 refutes it.
    assert verifier.check("a + 1 > 0", symbols=REAL, assume=["a > 0"]).verdict == "proved"
    assert verifier.check("a + 1 > 0", symbols=REAL).verdict == "refuted"
    # By hand: at b = 2, a*b = 2a.
    assert verifier.check("a*b = 2*a", symbols=REAL, where={"b": 2}).verdict == "proved"


def test_an_undeclared_name_is_an_error_verdict_with_the_reason() -> None:
    result = verifier.check("y = 1", symbols={"x": "real"})
    assert result.verdict == "error"
    assert result.message is not None and "undeclared name 'y'" in result.message


def test_a_malformed_claim_raises_the_error_a_file_would_give() -> None:
    with pytest.raises(DerivationFileError, match="symbols"):
        verifier.check("x = x", symbols={"x": 1})  # type: ignore[dict-item]


def test_text_and_html_display() -> None:
    result = verifier.check("(a + b)^2 = a^2 + b^2", symbols=REAL)
    text = repr(result)
    assert "refuted" in text and "counterexample" in text and "(a + b)^2 = a^2 + b^2" in text
    html = result._repr_html_()
    assert "<math" in html and 'class="verify-report"' in html
    # The page's style is scoped to the fragment: nothing styles the notebook's own body or root.
    style = html.split("<style>", 1)[1].split("</style>", 1)[0]
    assert all(rule.startswith(".verify-report") for rule in style.strip().split("\n"))


def _hang(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the obligation ``a = a`` hang in the worker (forked workers inherit the patch)."""
    real = verifier.search.engine.settle_obligation

    def settle(ob: Obligation, problem: Any) -> Outcome:
        if ob.text == "a = a":
            time.sleep(3600)
        return real(ob, problem)

    monkeypatch.setattr(verifier.search.engine, "settle_obligation", settle)


def test_a_timeout_stops_the_worker_even_off_the_main_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    _hang(monkeypatch)
    box: dict[str, Any] = {}
    # A notebook's code may run where no signal can be delivered: the limit is the worker's, not an alarm's.
    thread = threading.Thread(target=lambda: box.setdefault("r", verifier.check("a = a", symbols=REAL, timeout=1)))
    start = time.monotonic()
    thread.start()
    thread.join(30)
    assert time.monotonic() - start < 20
    result = box["r"]
    assert result.verdict == "unknown" and result.message.startswith("timeout")


LIBRARY = """\
question = "q1"
[symbols]
x = "real"

[[claim]]
id = "q1.1"
title = "Doubling"
statement = "x + x = 2*x"

[[claim]]
id = "q1.2"
title = "Off by one"
statement = "x + 1 = x"
expect = "refuted"
"""


def test_run_returns_the_report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "q1.toml").write_text(LIBRARY, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    report = verifier.run(tmp_path, cache=False)
    assert [c.id for c in report.claims] == ["q1.1", "q1.2"]
    assert report["q1.2"].verdict == "refuted" and report.ok
    assert report.summary["proved"] == 1 and report.summary["refuted"] == 1
    data = report.to_json()
    assert data["format"] == 1 and [c["id"] for c in data["claims"]] == ["q1.1", "q1.2"]
    json.dumps(data)
    assert "2 claims" in str(report) and "<math" in report._repr_html_()
    assert [c.id for c in verifier.run(tmp_path, select=["q1.2"], cache=False).claims] == ["q1.2"]
    with pytest.raises(UsageError, match="q9"):
        verifier.run(tmp_path, select=["q9"])


NOTEBOOK_CELLS = [
    "import verifier",
    "verifier.check('(a + b)^2 = a^2 + b^2', symbols={'a': 'real', 'b': 'real'})",
    "verifier.check_chain(['(x + 1)^2', 'x^2 + 2*x + 1'], symbols={'x': 'real'}, timeout=30)",
]


def test_a_notebook_shows_results_as_mathml(tmp_path: Path) -> None:
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in NOTEBOOK_CELLS])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    client = nbclient.NotebookClient(nb, timeout=120, kernel_name="python3",
                                     resources={"metadata": {"path": str(tmp_path)}})
    client.execute()
    refuted, proved = (nb.cells[n].outputs[0]["data"] for n in (1, 2))
    assert "<math" in refuted["text/html"] and "counterexample" in refuted["text/html"]
    assert "refuted" in refuted["text/plain"]
    assert "<math" in proved["text/html"] and "proved" in proved["text/plain"]

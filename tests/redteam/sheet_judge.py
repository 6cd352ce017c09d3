"""What the red-team sheet tests share: one CLI run on a sheet, and its steps judged against their truths."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any


def sheet_run(sheet: Path, cwd: Path) -> dict[str, Any]:
    """The JSON report of the CLI on ``sheet`` (its notation table beside it), run in ``cwd``."""
    done = subprocess.run([sys.executable, "-m", "verifier", "all", "--derivations", str(sheet), "--format", "json",
                           "--timeout", "10", "--no-cache", "--no-display"],
                          cwd=cwd, capture_output=True, text=True, timeout=300, check=False)
    assert "Traceback" not in done.stderr, done.stderr
    report: dict[str, Any] = json.loads(done.stdout)
    return report


def wrong_verdicts(report: dict[str, Any], truths: dict[str, str]) -> list[str]:
    """Each step whose verdict contradicts its claim's truth (a true step refuted, a false one proved or checked,
    any step in error), with what the reader made of it."""
    out = []
    for claim in report["claims"]:
        truth = truths[claim["id"]]
        for o in claim["obligations"]:
            v = o["verdict"]
            wrong = (truth == "true" and v == "refuted") or (truth == "false" and v in ("proved", "checked"))
            if v == "error" or wrong:
                out.append(f"{claim['id']}: truth {truth}, verdict {v}, read as {o.get('text')!r}"
                           f" {o.get('counterexample') or o.get('message') or ''}")
    return out

"""The JSON report (section 5 of ``derivation-format.md``), and JSON reports read back (:func:`load_report`) and
joined (:func:`merge_reports`), so that one run can be rendered in every format (``verify report``) and a split run
joined into one (``verify merge``)."""

from __future__ import annotations

import json
from typing import Any

from verifier.errors import UsageError
from verifier.model import VERDICTS, Claim, ClaimResult, Outcome, RunResult


def render_json(run: RunResult) -> str:
    """The JSON report of section 5 of the format as :meth:`RunResult.to_json` builds it, with ``"cached": true``
    on each claim taken from the cache (its times are those of the run that settled it) and ``"interrupted":
    true`` at the top when Ctrl-C stopped the run."""
    data = run.to_json()
    for entry, result in zip(data["claims"], run.results, strict=True):
        if result.cached:
            entry["cached"] = True
    if run.interrupted:
        data["interrupted"] = True
    return json.dumps(data, indent=2) + "\n"


def load_report(text: str, source: str = "report") -> RunResult:
    """A JSON report (format 1) read back as a run, for ``verify report`` and ``verify merge``."""
    try:
        try:
            data = json.loads(text)
        except RecursionError:
            raise ValueError("nested too deeply") from None
        except MemoryError:
            raise ValueError("too large to read") from None
        if not isinstance(data, dict) or data.get("format") != 1:
            raise ValueError("not a JSON report of format 1")
        tool = data.get("tool") or {}
        results = [_claim_from_json(entry) for entry in data["claims"]]
        return RunResult(results, float(data["summary"]["seconds"]), str(tool.get("version", "")),
                         str(tool.get("sympy", "")), interrupted=bool(data.get("interrupted", False)),
                         file_errors=[str(e) for e in data.get("errors", [])],
                         sheets=data["sheets"] if isinstance(data.get("sheets"), list) else None)
    except (ValueError, KeyError, TypeError, AttributeError) as err:
        raise UsageError(f"{source}: not a report of 'verify --format json' ({err})") from None


def _claim_from_json(entry: dict[str, Any]) -> ClaimResult:
    claim = Claim(id=str(entry["id"]), title=str(entry["title"]), file=str(entry["file"]), line=entry.get("line"),
                  expect="refuted" if entry.get("expect") == "refuted" else "holds", note=entry.get("note"),
                  latex=entry.get("latex"))
    outcomes = [Outcome.from_json(o) for o in entry["obligations"]]
    if any(o.verdict not in VERDICTS for o in outcomes):
        raise ValueError(f"claim {claim.id}: unknown verdict")
    return ClaimResult(claim, outcomes, cached=bool(entry.get("cached", False)))


def merge_reports(runs: list[RunResult]) -> RunResult:
    """The shards of one run joined: every claim once (a claim in two shards must have one verdict), every file
    error once, and the longest shard's time (shards run side by side)."""
    if not runs:
        raise UsageError("merge needs at least one report")
    by_id: dict[str, ClaimResult] = {}
    for run in runs:
        for result in run.results:
            seen = by_id.get(result.claim.id)
            if seen is not None and seen.verdict != result.verdict:
                raise UsageError(f"claim {result.claim.id} is {seen.verdict} in one report and {result.verdict} in "
                                 "another; merge reports of the same library and options only")
            by_id.setdefault(result.claim.id, result)
    versions = {(run.tool_version, run.sympy_version) for run in runs}
    if len(versions) > 1:
        raise UsageError("the reports come from different versions of verify or SymPy: "
                         + ", ".join(f"{t} (sympy {s})" for t, s in sorted(versions)))
    errors = list(dict.fromkeys(e for run in runs for e in run.file_errors))
    results = list(by_id.values())
    return RunResult(results, max(run.seconds for run in runs), runs[0].tool_version, runs[0].sympy_version,
                     interrupted=any(run.interrupted for run in runs), file_errors=errors,
                     sheets=_merged_sheets(runs, results))


#: The lists of claims in a sheet's summary: with a refuted step, with a step not read, in error.
_CLAIM_LISTS = ("wrong", "not_read", "errors")


def _merged_sheets(runs: list[RunResult], results: list[ClaimResult]) -> list[dict[str, Any]] | None:
    """The shards' per-sheet summaries joined: each sheet once, its verdict counts those of the joined claims, its
    lists of claims with a wrong or unread step or in error each claim once (in the joined order), its lines
    outside any answer once each."""
    entries = [e for run in runs for e in run.sheets or [] if isinstance(e, dict) and "sheet" in e]
    if not entries:
        return None
    order = {r.claim.id: n for n, r in enumerate(results)}
    joined: dict[str, dict[str, Any]] = {}
    for entry in entries:
        sheet = joined.setdefault(entry["sheet"], {**entry, "wrong": [], "not_read": [], "errors": [],
                                                            "outside": []})
        for key in _CLAIM_LISTS:
            sheet[key] += [item for item in entry.get(key) or [] if item not in sheet[key]]
        sheet["outside"] = sorted({*sheet["outside"], *(entry.get("outside") or [])})
    for path, sheet in joined.items():
        mine = [r for r in results if r.claim.file == path]
        sheet["claims"] = len(mine)
        for verdict in VERDICTS:
            sheet[verdict] = sum(1 for r in mine if r.verdict == verdict)
        for key in _CLAIM_LISTS:
            sheet[key].sort(key=lambda item: order.get(str(item.get("claim")), len(order)))
    return list(joined.values())

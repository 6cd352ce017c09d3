"""Scoring the naive peer's answers against the engine's verdicts of the same run.

The engine's ``proved`` is taken as the truth for "holds" and its ``refuted`` for "false"; obligations it left
``checked``, ``unknown`` or ``error`` judge nothing. Per obligation, the peer's answer falls in one bucket:

- ``correct_true``: ``equal`` where the engine proved;
- ``correct_false``: ``nonzero`` where the engine refuted (counted apart: a nonzero is no evidence of falsity);
- ``wrong``: ``equal`` where the engine refuted;
- ``missed``: ``nonzero`` where the engine proved (simplify was too weak: no decision, and not a wrong one);
- ``undecided``: an inequality or ``exists``, or the peer or its build raised;
- ``timeout``: past the per-obligation limit, or never reached before the overall limit;
- ``unjudged``: the engine settled neither way, so the answer cannot be judged.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

BUCKETS = ("correct_true", "correct_false", "wrong", "missed", "undecided", "timeout", "unjudged")
ENGINE_VERDICTS = ("proved", "refuted", "checked", "unknown", "error")


def engine_obligations(report: dict[str, Any]) -> dict[tuple[str, int], dict[str, Any]]:
    """The obligations of a ``verify --format json`` report by (claim id, position in the claim)."""
    return {(c["id"], n): ob for c in report["claims"] for n, ob in enumerate(c["obligations"])}


def engine_counts(report: dict[str, Any]) -> dict[str, int]:
    """Obligations per engine verdict, with ``decided`` = proved + refuted."""
    counts = Counter(ob["verdict"] for ob in engine_obligations(report).values())
    out = {v: counts.get(v, 0) for v in ENGINE_VERDICTS}
    out["obligations"] = sum(counts.values())
    out["decided"] = out["proved"] + out["refuted"]
    return out


def bucket(answer: str, verdict: str) -> str:
    """The bucket of one peer answer given the engine's verdict on the same obligation."""
    if answer == "timeout":
        return "timeout"
    if answer not in ("equal", "nonzero"):
        return "undecided"
    if verdict == "proved":
        return "correct_true" if answer == "equal" else "missed"
    if verdict == "refuted":
        return "wrong" if answer == "equal" else "correct_false"
    return "unjudged"


def score(report: dict[str, Any], lines: list[dict[str, Any]]) -> dict[str, Any]:
    """Counts per bucket, ``correct`` (true + false), and every obligation with both answers.

    Obligations the peer never answered (its run was killed) count as timeouts. A peer line whose obligation text
    differs from the engine's is reported in ``mismatched``: both sides must have built the same library.
    """
    engine = engine_obligations(report)
    answers = {(r["claim"], r["n"]): r for r in lines if r.get("event") == "obligation"}
    counts = Counter({b: 0 for b in BUCKETS})
    rows, mismatched = [], []
    for key, ob in engine.items():
        peer = answers.get(key)
        answer = peer["answer"] if peer else "timeout"
        if peer and peer["text"] != ob["text"]:
            mismatched.append({"claim": key[0], "n": key[1], "engine": ob["text"], "peer": peer["text"]})
        b = bucket(answer, ob["verdict"])
        counts[b] += 1
        rows.append({"claim": key[0], "n": key[1], "kind": ob["kind"], "text": ob["text"],
                     "engine": ob["verdict"], "engine_seconds": ob.get("seconds"), "peer": answer,
                     "peer_reason": peer.get("reason") if peer else "not reached before the overall limit",
                     "peer_seconds": peer.get("seconds") if peer else None, "bucket": b})
    out: dict[str, Any] = dict(counts)
    out["correct"] = counts["correct_true"] + counts["correct_false"]
    out["obligations"] = len(engine)
    out["mismatched"] = mismatched
    out["rows"] = rows
    return out

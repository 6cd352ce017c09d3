"""The benchmark's printed report: plain-text tables of the results dictionary that is also written as JSON."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bench.hotspots import describe_phases
from bench.machine import describe


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]], right: Sequence[bool] | None = None) -> str:
    """Rows as aligned columns under a header and a rule (``right[n]``: right-align column n)."""
    cells = [[str(h) for h in headers]] + [["" if c is None else str(c) for c in row] for row in rows]
    widths = [max(len(r[n]) for r in cells) for n in range(len(headers))]
    right = right or [n > 0 for n in range(len(headers))]

    def line(row: list[str]) -> str:
        pairs = enumerate(zip(row, widths, strict=False))
        return "  ".join(c.rjust(w) if right[n] else c.ljust(w) for n, (c, w) in pairs).rstrip()

    rule = "  ".join("-" * w for w in widths).rstrip()
    return "\n".join([line(cells[0]), rule] + [line(r) for r in cells[1:]])


def seconds(x: float | None) -> str:
    """Seconds with a precision that suits their size."""
    if x is None:
        return "-"
    return f"{x:.3f}s" if x < 10 else f"{x:.1f}s"


def render(results: dict[str, Any]) -> str:
    """The whole report."""
    out = [f"Machine: {describe(results['machine'])}",
           (f"Load average before/after: {_load(results['load_before'])} / {_load(results['load_after'])}; "
            f"cores this run could use at once (parallel CPU test) before/after: {results['cores_before']:.1f} / "
            f"{results['cores_after']:.1f} of {results['machine']['usable_cores']}"),
           (f"Runs: median of {results['config']['repeat']} (interleaved rounds; naive peer: "
            f"{results['config']['naive_repeat']}), verify with its default --jobs "
            f"({results['machine']['usable_cores']} workers); library {results['config']['derivations']}"),
           "", _measurements(results), "", _decisions(results), "", _scale(results), "", _memory(results), "",
           _targets(results)]
    if results.get("profiles"):
        out += ["", "Profiles of failing or at-risk targets (in-process, serial, no worker processes):"]
        for p in results["profiles"]:
            ph = p["phases"]
            slowest = ph.get("slowest_claims")
            out.append(f"  {p['target']}: {describe_phases(ph)}"
                       + ("; slowest claims " + ", ".join(f"{c} {s:.2f}s" for c, s in slowest[:5]) if slowest else ""))
            out.append(f"    full profile: {p['file']}")
    out += ["", f"JSON: {results['json']}"]
    return "\n".join(out) + "\n"


def _load(load: list[float] | None) -> str:
    return " ".join(f"{x:.2f}" for x in load) if load else "unknown"


def _measurements(results: dict[str, Any]) -> str:
    rows = []
    for m in results["measurements"].values():
        flags = []
        if any(c != 0 for c in m["exit_codes"]):
            flags.append(f"exit {sorted(set(m['exit_codes']))}")
        if m.get("discarded"):
            flags.append(f"{len(m['discarded'])} run(s) not warm, discarded: they refilled the cache (the "
                         "verifier's source changed meanwhile)")
        if m.get("not_warm_kept"):
            flags.append(f"{m['not_warm_kept']} kept run(s) were not warm (the source kept changing)")
        if m.get("timed_out"):
            flags.append(f"{m['timed_out']} killed at the limit")
        rows.append([m["label"], seconds(m["median"]), seconds(m["min"]), seconds(m["max"]),
                     f"{m['ratio']:.2f}x" if m["ratio"] is not None else "-", seconds(m["cpu_median"]),
                     f"{m['max_rss_mb']:.0f} MB", ", ".join(flags)])
    return "Timings (ratio = median / median of import sympy)\n" + table(
        ["command", "median", "min", "max", "ratio", "cpu", "max RSS", "notes"], rows,
        [False, True, True, True, True, True, True, False])


def _decisions(results: dict[str, Any]) -> str:
    e, n = results["engine"], results["naive"]
    lines = [f"Obligations decided ({e['obligations']} obligations in the library)",
             table(["who", "time", "decides correctly", "details"], [
                 ["engine (verify all --no-cache)", seconds(results["measurements"]["cold_all"]["median"]),
                  e["decided"], (f"proved {e['proved']}, refuted {e['refuted']}, checked {e['checked']}, "
                                 f"unknown {e['unknown']}, error {e['error']}")],
                 ["naive peer (simplify(lhs - rhs) == 0)", seconds(results["measurements"]["naive"]["median"]),
                  n["correct"], (f"correct-true {n['correct_true']}, correct-false {n['correct_false']}, "
                                 f"wrong {n['wrong']}, missed {n['missed']}, undecided {n['undecided']}, "
                                 f"timeout {n['timeout']}, unjudged {n['unjudged']}")]],
                   [False, True, True, False]),
             "  correct-false: simplify left a nonzero on an obligation the engine refuted (a nonzero is no evidence",
             "  of falsity in general); missed: a nonzero on one the engine proved; undecided: inequalities, exists,",
             (f"  build or SymPy errors. Peer limit {results['config']['naive_limit']:g}s per obligation; in-process "
              f"(last run): build {seconds(n.get('build_seconds'))}, simplify {seconds(n.get('check_seconds'))}.")]
    if not n.get("consistent", True):
        lines.append("  note: the peer's answers differed between runs (timeouts near the limit); scored: last run")
    if n.get("mismatched"):
        lines.append(f"  warning: {len(n['mismatched'])} obligation texts differ between engine and peer")
    return "\n".join(lines)


def _scale(results: dict[str, Any]) -> str:
    sm, sc = results["scale"]["softmax"], results["scale"]["claims"]
    rows = [[r["label"], seconds(r["median"]), seconds(r["engine_seconds"]), r["verdicts"], _exit(r)] for r in sm]
    out = ["Scale with the size of a claim: the softmax Jacobian entry at i = 1, k = 2 (verify all --no-cache)",
           table(["K", "wall", "engine (settle)", "verdicts", ""], rows, [False, True, True, False, False]), "",
           "Scale with the size of a library: N independent small claims (verify all --no-cache)"]
    rows = [[r["claims"], r["obligations"], seconds(r["median"]), f"{1000 * r['per_claim']:.0f} ms",
             f"{1000 * r['marginal']:.0f} ms" if r.get("marginal") is not None else "-",
             f"{1000 * r['engine_seconds'] / r['claims']:.0f} ms", r["verdicts"], _exit(r)] for r in sc]
    out.append(table(["claims", "obligations", "wall", "wall/claim", "marginal/claim", "engine/claim", "verdicts",
                      ""], rows, [True, True, True, True, True, True, False, False]))
    rows = [[r["label"], seconds(r["median"]), seconds(r["engine_seconds"]), r["verdicts"], _exit(r)]
            for r in results["scale"]["power"]]
    out += ["", "Power: a claim at a given size proved for every size first, and a long chain (verify all --no-cache)",
            table(["library", "wall", "engine (settle)", "verdicts", ""], rows, [False, True, True, False, False])]
    return "\n".join(out)


def _exit(r: dict[str, Any]) -> str:
    bad = sorted({c for c in r["exit_codes"] if c != 0})
    return f"exit {bad}" if bad else ""


def _memory(results: dict[str, Any]) -> str:
    m = results["memory"]
    tree = f"{m['tree_peak_mb']:.0f} MB" if m.get("tree_peak_mb") is not None else "not sampled"
    return (f"Memory of verify all --no-cache: peak RSS of one process (parent or a worker, wait4) "
            f"{m['max_rss_mb']:.0f} MB; peak of the whole tree's summed PSS, sampled every "
            f"{m['sample_interval'] * 1000:.0f} ms in a separate run: {tree}")


def _targets(results: dict[str, Any]) -> str:
    rows = [["PASS" if t["pass"] else "FAIL", t["name"], t["measured"] + _risk(t)] for t in results["targets"]]
    passed = sum(t["pass"] for t in results["targets"])
    return (f"Targets ({passed}/{len(results['targets'])} pass)\n"
            + table(["", "target", "measured"], rows, [False, False, False]))


def _risk(t: dict[str, Any]) -> str:
    return "  (at risk: close to the limit)" if t["pass"] and t.get("at_risk") else ""

"""``python -m bench``: measure, compare with the targets, print the table and write ``bench/results/bench.json``."""

from __future__ import annotations

import argparse
import itertools
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from bench import proc
from bench.libraries import chain_library, copy_library, small_claims_library, softmax_library, softmax_where_library
from bench.machine import effective_cores, machine
from bench.naive import read_lines
from bench.report import render, seconds
from bench.scoring import engine_counts, score
from verifier.frontend.library import load_library

REPO = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results"

#: The project's targets ("Fast"): ratios to ``import sympy`` measured in the same run, and peak memory.
#: A cold ``verify all`` at most 5x ``import sympy`` is issue 21's goal (it was 12x before).
WARM_MAX, CLAIM_MAX, ALL_MAX, MEMORY_MAX_MB = 0.5, 4.0, 5.0, 500.0
#: Issue 10's targets: a homework claim's cold cost against a bundled one's, the softmax Jacobian at a given size
#: with free indices (engine seconds), and a chain of sum rewrites (wall seconds).
HOMEWORK_MAX, WHERE_SIZE, WHERE_MAX, CHAIN_STEPS, CHAIN_MAX = 2.0, 64, 1.0, 200, 5.0
#: Issue 18's target: a claim of its classes (the homework files below) costs at most a bundled claim on average,
#: in engine seconds per claim, the two libraries verified in the same round (paired; the median of the rounds'
#: ratios).
CLASSES_MAX = 1.0
CLASS_FILES = ("rational", "powers", "trig", "conditions", "gradients")
#: Issue 21's target: grading at the cost of what differs, ``SHEET_COPIES`` copies of the bundled sheet against one.
SHEET_COPIES, COPIES_MAX = 20, 2.0
SHEET = REPO / "derivations" / "sheets" / "assignment-1-answers.md"
#: A target this close to its limit (value >= AT_RISK * limit) is flagged, and profiled even when it passes.
AT_RISK = 0.9
#: A timed run writes a JSON report only to give its verdicts and engine seconds: without what the reports show
#: beyond verdicts (MathML, plots), which the command timed (``verify all``, text) does not build either.
JSON = ("--format", "json", "--no-display", "--output")
#: Sampling period of the memory run.
SAMPLE_INTERVAL = 0.05


class BenchError(Exception):
    """The benchmark cannot go on (the library does not verify, a command is missing)."""


@dataclass
class Config:
    """What to measure and how often."""

    repeat: int = 5
    naive_repeat: int = 5
    derivations: Path = REPO / "derivations"
    claim: str = "q2.4"
    naive_limit: float = 30.0
    naive_overall: float = 1800.0
    sizes: list[int] = field(default_factory=lambda: [2, 4, 8, 16])
    counts: list[int] = field(default_factory=lambda: [10, 20, 40, 80])
    output: Path = RESULTS / "bench.json"
    profile: bool = True
    strict: bool = False


def parse_args(argv: Sequence[str] | None = None) -> Config:
    """The benchmark's options (``--quick``: one run, small scale sizes, no profiles)."""
    p = argparse.ArgumentParser(prog="python -m bench", description="Benchmark the verifier against "
                                "'import sympy' and a naive simplify() peer; check the project's targets.")
    p.add_argument("--repeat", type=int, help="runs per measurement; medians are reported (default: 5)")
    p.add_argument("--quick", action="store_true", help="a fast smoke run: 1 run, small scale sizes, no profiles")
    p.add_argument("--derivations", type=Path, default=REPO / "derivations", metavar="PATH",
                   help="the library to measure (default: the project's derivations/)")
    p.add_argument("--claim", default="q2.4", metavar="ID", help="the single claim to time cold (default: q2.4)")
    p.add_argument("--naive-repeat", type=int, metavar="N", help="runs of the naive peer (default: --repeat)")
    p.add_argument("--naive-limit", type=float, metavar="SECONDS",
                   help="the naive peer's limit per obligation (default: 30; --quick: 10)")
    p.add_argument("--naive-overall", type=float, default=1800.0, metavar="SECONDS",
                   help="the naive peer's limit per run (default: 1800)")
    p.add_argument("--sizes", type=_ints, metavar="K,K,...", help="fixed K of the softmax scale (default: 2,4,8,16)")
    p.add_argument("--counts", type=_ints, metavar="N,N,...",
                   help="claims per generated library (default: 10,20,40,80)")
    p.add_argument("--output", type=Path, default=RESULTS / "bench.json", metavar="FILE",
                   help="where to write the JSON results (default: bench/results/bench.json); profiles "
                        "(profile-*.txt) go to the same folder, replacing those of an earlier run")
    p.add_argument("--profile", action=argparse.BooleanOptionalAction, default=None,
                   help="profile failing time targets in-process (default: on, off with --quick)")
    p.add_argument("--strict", action="store_true", help="exit with status 1 when a target fails")
    args = p.parse_args(argv)
    repeat = args.repeat or (1 if args.quick else 5)
    if repeat < 1 or (args.naive_repeat is not None and args.naive_repeat < 1):
        p.error("--repeat and --naive-repeat must be at least 1")
    return Config(
        repeat=repeat, naive_repeat=args.naive_repeat or repeat, derivations=args.derivations.resolve(),
        claim=args.claim, naive_limit=args.naive_limit or (10.0 if args.quick else 30.0),
        naive_overall=args.naive_overall, sizes=args.sizes or ([2, 4] if args.quick else [2, 4, 8, 16]),
        counts=args.counts or ([10, 20] if args.quick else [10, 20, 40, 80]), output=args.output.resolve(),
        profile=(not args.quick) if args.profile is None else args.profile, strict=args.strict)


def _ints(text: str) -> list[int]:
    try:
        values = [int(x) for x in text.split(",") if x.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected numbers separated by commas, got {text!r}") from None
    if not values or min(values) < 1:
        raise argparse.ArgumentTypeError("expected positive numbers")
    return values


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark; 0 when it ran (1 with ``--strict`` when a target fails, 2 when it could not run)."""
    config = parse_args(argv)
    try:
        results = run_benchmark(config)
    except BenchError as err:
        print(f"bench: error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("bench: interrupted", file=sys.stderr)
        return 130
    print(render(results), end="")
    return 1 if config.strict and not all(t["pass"] for t in results["targets"]) else 0


def run_benchmark(config: Config) -> dict[str, Any]:
    """Every measurement of the benchmark, its targets, and the JSON file written; returns the results."""
    if not config.derivations.exists():
        raise BenchError(f"no library at {config.derivations}")
    verify = verify_command()
    # Profiles of an earlier run would be taken for this run's.
    for stale in config.output.parent.glob("profile-*.txt"):
        stale.unlink()
    info = machine(REPO)
    results: dict[str, Any] = {"format": 1, "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "machine": info,
                               "load_before": _loadavg(), "config": _config_json(config)}
    results["cores_before"] = effective_cores(info["usable_cores"])
    with tempfile.TemporaryDirectory(prefix="verify-bench-") as tmp_name:
        tmp = Path(tmp_name)
        cold_dir, warm_dir = tmp / "cold", tmp / "warm"
        copy_library(config.derivations, cold_dir)
        copy_library(config.derivations, warm_dir)
        _say("warming up: import sympy; filling the cache of a copy of the library (its verdicts are the truth)")
        proc.run([sys.executable, "-c", "import sympy"], cwd=tmp)
        report = _fill_cache(verify, warm_dir)

        results["measurements"], naive_lines = _rounds(config, verify, tmp, cold_dir, warm_dir)
        results["engine"] = engine_counts(report)
        results["bundled_claims"] = len(report["claims"])
        results["homework_claims"] = len(load_library(REPO / "tests" / "homework").claims)
        results["naive"] = _naive_score(report, naive_lines)

        _say("memory: verify all --no-cache, sampling the process tree")
        memory_run = proc.run([*verify, "all", "--no-cache"], cwd=cold_dir, sample_memory=True,
                              sample_interval=SAMPLE_INTERVAL)
        peak = max(memory_run.max_rss_mb, results["measurements"]["cold_all"]["max_rss_mb"])
        results["memory"] = {"max_rss_mb": peak, "tree_peak_mb": memory_run.tree_peak_mb,
                             "sample_interval": SAMPLE_INTERVAL, "run": memory_run.to_json()}

        results["scale"] = {
            "softmax": [_scale_point(f"K = {k}" if k else "symbolic K (K >= 2)", verify, tmp / f"softmax-{k or 0}",
                                     partial(softmax_library, size=k), config.repeat)
                        for k in [*config.sizes, None]],
            "claims": _with_marginals([_scale_point(f"{n} claims", verify, tmp / f"claims-{n}",
                                                    partial(small_claims_library, count=n), config.repeat)
                                       for n in config.counts]),
            "power": [_scale_point(f"softmax Jacobian, where K = {WHERE_SIZE}, free i, k", verify, tmp / "where",
                                   partial(softmax_where_library, size=WHERE_SIZE), config.repeat),
                      _scale_point(f"a chain of {CHAIN_STEPS} sum rewrites", verify, tmp / "chain",
                                   partial(chain_library, steps=CHAIN_STEPS), config.repeat)],
        }
        results["targets"] = targets(results, config)
        results["profiles"] = _profiles(results, config, cold_dir, warm_dir) if config.profile else []
    results["load_after"] = _loadavg()
    results["cores_after"] = effective_cores(info["usable_cores"])
    results["json"] = str(_display_path(config.output))
    config.output.parent.mkdir(parents=True, exist_ok=True)
    config.output.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    return results


def _rounds(config: Config, verify: list[str | Path], tmp: Path, cold_dir: Path, warm_dir: Path
            ) -> tuple[dict[str, Any], list[list[dict[str, Any]]]]:
    """The headline timings, summarized, and the naive peer's answers of each of its runs.

    Each round runs every command once, so that a drift of the machine's load during the benchmark shifts all of
    them alike, not one of them.
    """
    python: list[str | Path] = [sys.executable]
    notation = SHEET.with_name(SHEET.stem + ".notation.toml")
    sheets = {n: sheet_copies(tmp / f"sheets-{n}", n) for n in (1, SHEET_COPIES)}
    classes = class_library(tmp / "classes")
    reports = {"cold_all": tmp / "cold-all.json", "classes_all": tmp / "classes-all.json"}
    commands: dict[str, tuple[str, list[str | Path], Path]] = {
        "import_sympy": ('python -c "import sympy"', [*python, "-c", "import sympy"], tmp),
        "cold_all": ("verify all --no-cache (cold)",
                     [*verify, "all", "--no-cache", *JSON, reports["cold_all"]], cold_dir),
        "classes_all": (f"verify all --no-cache of tests/homework/{{{','.join(CLASS_FILES)}}}.toml (cold)",
                        [*verify, "--derivations", classes, "all", "--no-cache", *JSON, reports["classes_all"]], tmp),
        "cold_claim": (f"verify {config.claim} --no-cache (cold)", [*verify, config.claim, "--no-cache"], cold_dir),
        "warm_all": ("verify all (warm cache)", [*verify, "all"], warm_dir),
        "homework_all": ("verify all --no-cache of tests/homework (cold)",
                         [*verify, "--derivations", REPO / "tests" / "homework", "all", "--no-cache"], tmp),
        **{f"sheets_{n}": (f"{n} cop{'y' if n == 1 else 'ies'} of the bundled sheet (cold)",
                           [*verify, "all", "--derivations", folder, "--notation", notation, "--no-cache", "-q"], tmp)
           for n, folder in sheets.items()},
    }
    runs: dict[str, list[proc.Run]] = {name: [] for name in [*commands, "naive"]}
    engine: dict[str, list[tuple[float, int]]] = {name: [] for name in reports}
    naive_lines: list[list[dict[str, Any]]] = []
    discarded: list[proc.Run] = []
    not_warm = 0
    rounds = max(config.repeat, config.naive_repeat)
    for r in range(rounds):
        for name, (label, argv, cwd) in commands.items() if r < config.repeat else ():
            _say(f"round {r + 1}/{rounds}: {label}")
            if name == "warm_all":
                run, dropped, warm = _warm_run(argv, cwd)
                discarded += dropped
                not_warm += not warm
            else:
                run = proc.run(argv, cwd=cwd)
            runs[name].append(run)
            if name in reports:
                engine[name].append(engine_per_claim(reports[name]))
        if r < config.naive_repeat:
            _say(f"round {r + 1}/{rounds}: naive peer (about half a minute)")
            run, lines = _naive_run(config, cold_dir / "derivations", tmp / f"naive-{r}.jsonl")
            runs["naive"].append(run)
            naive_lines.append(lines)
    floor = statistics.median(r.wall for r in runs["import_sympy"])
    out = {name: _summary(label, runs[name], floor) for name, (label, _, _) in commands.items()}
    out["warm_all"]["discarded"] = [r.to_json() for r in discarded]
    out["warm_all"]["not_warm_kept"] = not_warm
    out["naive"] = _summary("naive peer (simplify, one process)", runs["naive"], floor)
    ratios = [c[0] / b[0] if b[0] > 0 else float("inf") for c, b in zip(engine["classes_all"], engine["cold_all"],
                                                                         strict=True)]
    out["classes_all"]["paired"] = {
        "ratio": statistics.median(ratios), "ratios": ratios, "claims": engine["classes_all"][0][1],
        "bundled_claims": engine["cold_all"][0][1],
        "engine_per_claim": statistics.median(c[0] for c in engine["classes_all"]),
        "bundled_engine_per_claim": statistics.median(b[0] for b in engine["cold_all"])}
    return out, naive_lines


def class_library(folder: Path) -> Path:
    """The homework files of issue 18's classes (:data:`CLASS_FILES`) and their shared definitions, in ``folder``."""
    folder.mkdir(parents=True)
    for name in ("_defs", *CLASS_FILES):
        shutil.copy2(REPO / "tests" / "homework" / f"{name}.toml", folder / f"{name}.toml")
    return folder


def engine_per_claim(report: Path) -> tuple[float, int]:
    """Engine seconds per claim (the sum of its obligations' settling times over the claims) of a JSON report, and
    the number of claims; ``(inf, 0)`` when the report is missing or empty."""
    try:
        claims = json.loads(report.read_text(encoding="utf-8"))["claims"]
    except (OSError, ValueError, KeyError):
        return float("inf"), 0
    if not claims:
        return float("inf"), 0
    return sum(o.get("seconds") or 0.0 for c in claims for o in c["obligations"]) / len(claims), len(claims)


def sheet_copies(folder: Path, count: int) -> Path:
    """``count`` copies of the bundled answer sheet in ``folder``, as submissions on one template are graded."""
    folder.mkdir(parents=True)
    for n in range(1, count + 1):
        shutil.copy2(SHEET, folder / f"student-{n:02d}.md")
    return folder


def verify_command() -> list[str | Path]:
    """The ``verify`` of this interpreter's environment (the venv's, under ``make bench``)."""
    beside = Path(sys.executable).parent / "verify"
    if beside.exists():
        return [beside]
    found = shutil.which("verify")
    return [found] if found else [sys.executable, "-m", "verifier"]


def _fill_cache(verify: list[str | Path], root: Path) -> dict[str, Any]:
    out = root / "engine.json"
    run = proc.run([*verify, "all", "--format", "json", "--output", out], cwd=root)
    try:
        report = json.loads(out.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise BenchError(f"'verify all' gave no JSON report (exit {run.returncode}):\n{run.stderr_tail}") from None
    if run.returncode not in (0, 1):
        raise BenchError(f"'verify all' failed (exit {run.returncode}):\n{run.stderr_tail}")
    return report


def _warm_run(argv: list[str | Path], cwd: Path, attempts: int = 3) -> tuple[proc.Run, list[proc.Run], bool]:
    """Time ``verify all`` on a full cache: the run, the runs discarded because they were not warm, and whether the
    run kept was warm.

    A run that wrote to the cache was not warm: the verifier's source, part of the cache key, changed since the
    cache was filled (the tree may be edited while the benchmark runs). That run refilled the cache, so the
    measurement is taken again; after ``attempts`` tries the last run is kept, warm or not.
    """
    cache = cwd / ".verify_cache"
    discarded: list[proc.Run] = []
    while True:
        started = time.time()
        run = proc.run(argv, cwd=cwd)
        warm = not any(f.stat().st_mtime >= started for f in cache.rglob("*.json"))
        if warm or len(discarded) + 1 >= attempts:
            return run, discarded, warm
        discarded.append(run)


def _naive_run(config: Config, derivations: Path, out: Path) -> tuple[proc.Run, list[dict[str, Any]]]:
    # Run from the project's root, where the ``bench`` package is importable.
    run = proc.run([sys.executable, "-m", "bench.naive", "--derivations", derivations, "--output", out,
                    "--limit", str(config.naive_limit)], cwd=REPO, timeout=config.naive_overall)
    lines = read_lines(out)
    if not lines and run.returncode != 0:
        raise BenchError(f"the naive peer failed (exit {run.returncode}):\n{run.stderr_tail}")
    return run, lines


def _summary(label: str, runs: list[proc.Run], floor: float) -> dict[str, Any]:
    walls = [r.wall for r in runs]
    median = statistics.median(walls)
    return {"label": label, "median": median, "min": min(walls), "max": max(walls),
            "ratio": median / floor if floor > 0 else None, "cpu_median": statistics.median(r.cpu for r in runs),
            "max_rss_mb": max(r.max_rss_mb for r in runs), "exit_codes": [r.returncode for r in runs],
            "timed_out": sum(r.timed_out for r in runs),
            "runs": [r.to_json() for r in runs]}


def _naive_score(report: dict[str, Any], runs: list[list[dict[str, Any]]]) -> dict[str, Any]:
    scored = score(report, runs[-1])
    answers = [{(r.get("claim"), r.get("n")): r.get("answer") for r in lines if r.get("event") == "obligation"}
               for lines in runs]
    scored["consistent"] = all(a == answers[0] for a in answers)
    done = [r for r in runs[-1] if r.get("event") == "done"]
    if done:
        scored["build_seconds"] = done[0]["build_seconds"]
        scored["check_seconds"] = done[0]["check_seconds"]
        scored["in_process_seconds"] = done[0]["seconds"]
    return scored


def _scale_point(label: str, verify: list[str | Path], root: Path, make: Callable[[Path], Path],
                 repeat: int) -> dict[str, Any]:
    """One generated library, verified cold ``repeat`` times (JSON report, to read verdicts and engine time)."""
    _say(f"scale: {label}")
    make(root)
    runs, engine, verdicts = [], [], Counter[str]()
    obligations = claims = 0
    for _ in range(repeat):
        out = root / "report.json"
        out.unlink(missing_ok=True)
        runs.append(proc.run([*verify, "all", "--no-cache", *JSON, out], cwd=root))
        try:
            report = json.loads(out.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            raise BenchError(f"scale '{label}': no JSON report (exit {runs[-1].returncode}):\n"
                             f"{runs[-1].stderr_tail}") from None
        obs = [o for c in report["claims"] for o in c["obligations"]]
        engine.append(sum(o.get("seconds") or 0.0 for o in obs))
        verdicts = Counter(o["verdict"] for o in obs)
        obligations, claims = len(obs), len(report["claims"])
    median = statistics.median(r.wall for r in runs)
    return {"label": label, "claims": claims, "obligations": obligations, "median": median,
            "cpu_median": statistics.median(r.cpu for r in runs), "load": _loadavg(),
            "per_claim": median / max(claims, 1), "engine_seconds": statistics.median(engine),
            "verdicts": ", ".join(f"{n} {v}" for v, n in sorted(verdicts.items())),
            "exit_codes": [r.returncode for r in runs], "runs": [r.to_json() for r in runs]}


def _with_marginals(points: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Add the extra wall time per extra claim between consecutive library sizes."""
    for before, after in itertools.pairwise(points):
        grown = after["claims"] - before["claims"]
        after["marginal"] = (after["median"] - before["median"]) / grown if grown else None
    return points


def targets(results: dict[str, Any], config: Config) -> list[dict[str, Any]]:
    """The project's targets, each with PASS/FAIL, what was measured, and whether it is close to its limit."""
    m, engine, naive = results["measurements"], results["engine"], results["naive"]
    warm, one, cold, peer = m["warm_all"], m["cold_claim"], m["cold_all"], m["naive"]
    memory = results["memory"]
    homework, homework_claims = m["homework_all"], results["homework_claims"]
    bundled_claims = results["bundled_claims"]
    per_claim = (homework["median"] / max(homework_claims, 1)) / (cold["median"] / max(bundled_claims, 1))
    where, chain = results["scale"]["power"]
    paired = m["classes_all"]["paired"]
    one_sheet, many_sheets = m["sheets_1"], m[f"sheets_{SHEET_COPIES}"]
    copies = many_sheets["median"] / one_sheet["median"]

    def ratio(x: dict[str, Any]) -> str:
        return f"{x['ratio']:.2f}x ({seconds(x['median'])} / {seconds(m['import_sympy']['median'])})"

    tree = f" (whole tree, summed PSS: {memory['tree_peak_mb']:.0f} MB)" if memory.get("tree_peak_mb") else ""
    return [
        _target(f"warm verify all <= {WARM_MAX:g}x import sympy", warm["ratio"], WARM_MAX, ratio(warm)),
        _target(f"cold verify {config.claim} <= {CLAIM_MAX:g}x import sympy", one["ratio"], CLAIM_MAX, ratio(one)),
        _target(f"cold verify all <= {ALL_MAX:g}x import sympy", cold["ratio"], ALL_MAX, ratio(cold)),
        _target("cold verify all faster than the naive peer", cold["median"] / peer["median"], 1.0,
                f"{seconds(cold['median'])} vs {seconds(peer['median'])} ({cold['median'] / peer['median']:.2f}x)",
                strict=True),
        {"name": "engine decides more obligations than the peer decides correctly",
         "pass": engine["decided"] > naive["correct"], "value": engine["decided"], "limit": naive["correct"],
         "at_risk": False, "measured": f"{engine['decided']} vs {naive['correct']} of {engine['obligations']}"},
        _target(f"peak memory of verify all --no-cache < {MEMORY_MAX_MB:g} MB", memory["max_rss_mb"], MEMORY_MAX_MB,
                f"{memory['max_rss_mb']:.0f} MB max RSS of one process{tree}", strict=True),
        _target(f"a homework claim costs at most {HOMEWORK_MAX:g}x a bundled one (cold, per claim)", per_claim,
                HOMEWORK_MAX, f"{per_claim:.2f}x ({1000 * homework['median'] / max(homework_claims, 1):.0f} ms vs "
                f"{1000 * cold['median'] / max(bundled_claims, 1):.0f} ms)"),
        _target(f"a claim of issue 18's classes costs at most {CLASSES_MAX:g}x a bundled one (engine time per "
                "claim, paired rounds)", paired["ratio"], CLASSES_MAX,
                f"{paired['ratio']:.2f}x ({1000 * paired['engine_per_claim']:.0f} ms over {paired['claims']} claims "
                f"vs {1000 * paired['bundled_engine_per_claim']:.0f} ms over {paired['bundled_claims']})"),
        _proved(where, f"softmax Jacobian, where K = {WHERE_SIZE}, proved in < {WHERE_MAX:g} s of engine time",
                where["engine_seconds"], WHERE_MAX),
        _proved(chain, f"a chain of {CHAIN_STEPS} sum rewrites proved in < {CHAIN_MAX:g} s (wall)", chain["median"],
                CHAIN_MAX, busy(chain)),
        _target(f"{SHEET_COPIES} copies of the bundled sheet cost at most {COPIES_MAX:g}x one copy (cold)", copies,
                COPIES_MAX, f"{copies:.2f}x ({seconds(many_sheets['median'])} vs {seconds(one_sheet['median'])})"),
    ]


def busy(point: dict[str, Any]) -> str:
    """What a wall-clock figure of a generated library depends on besides the verifier: the CPU seconds of its
    processes (their sum over the workers) and the machine's load average when it was measured."""
    load = point.get("load")
    return (f" (wall; CPU {seconds(point['cpu_median'])} over its processes, load average "
            f"{load[0]:.1f} when measured)" if load else f" (wall; CPU {seconds(point['cpu_median'])})")


def _proved(point: dict[str, Any], name: str, value: float, limit: float, note: str = "") -> dict[str, Any]:
    """A target met when every obligation of a generated library is proved in less than ``limit`` seconds."""
    target = _target(name, value, limit, f"{seconds(value)}{note}, {point['verdicts']}", strict=True)
    target["pass"] = target["pass"] and point["verdicts"] == f"{point['obligations']} proved"
    return target


def _target(name: str, value: float, limit: float, measured: str, strict: bool = False) -> dict[str, Any]:
    """A target met when ``value`` is at most (``strict``: below) ``limit``."""
    return {"name": name, "pass": value < limit if strict else value <= limit, "value": value, "limit": limit,
            "at_risk": value >= AT_RISK * limit, "measured": measured}


def _profiles(results: dict[str, Any], config: Config, cold_dir: Path, warm_dir: Path) -> list[dict[str, Any]]:
    """Phases (clean) and a cProfile of the runs whose targets failed or are at risk, written next to the JSON."""
    wanted: list[tuple[str, list[str]]] = []
    flagged = {t["name"] for t in results["targets"] if not t["pass"] or t["at_risk"]}
    if any(n.startswith("warm verify all") for n in flagged):
        wanted.append(("warm-all", ["--cli", "--cwd", str(warm_dir), "all"]))
    if any(n.startswith(f"cold verify {config.claim} ") for n in flagged):
        wanted.append((config.claim, ["--derivations", str(cold_dir / "derivations"), config.claim]))
    if any(n.startswith(("cold verify all", "engine decides")) for n in flagged):
        wanted.append(("all", ["--derivations", str(cold_dir / "derivations"), "all"]))
    out = []
    for name, selectors in wanted:
        _say(f"profiling an in-process run of {name}")
        base = [sys.executable, "-m", "bench.hotspots", *selectors]
        with tempfile.NamedTemporaryFile(suffix=".json") as f:
            proc.run(base, cwd=REPO, stdout=Path(f.name))
            try:
                phases = json.loads(Path(f.name).read_text(encoding="utf-8"))
            except ValueError:
                continue
        target = config.output.parent / f"profile-{name}.txt"
        target.parent.mkdir(parents=True, exist_ok=True)
        proc.run([*base, "--profile", "--top", "30"], cwd=REPO, stdout=target)
        label = "warm verify all (through the CLI)" if name == "warm-all" else f"cold verify {name}"
        out.append({"target": label, "phases": phases, "file": str(_display_path(target))})
    return out


def _config_json(config: Config) -> dict[str, Any]:
    out = {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(config).items()}
    out["derivations"] = str(_display_path(config.derivations))
    return out


def _display_path(path: Path) -> Path:
    try:
        return path.relative_to(Path.cwd())
    except ValueError:
        return path


def _loadavg() -> list[float] | None:
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return None


def _say(message: str) -> None:
    print(f"bench: {message}", file=sys.stderr, flush=True)

"""Where a run spends its time: phases and a cProfile of ``verify`` work done in one process.

``python -m bench.hotspots [--derivations DIR] [--profile] [all | ID ...]`` imports SymPy and the verifier, loads the
library, then builds and settles the selected claims one obligation after another, in this process (the CLI spreads
obligations over worker processes; here they run serially, so the sum is the CPU work a cold run has to do).

``python -m bench.hotspots --cli [--cwd DIR] ARGS...`` instead runs ``verify ARGS`` through the CLI's own entry point
in this process: meant for a warm run (every verdict cached, so no worker process is started).

Without ``--profile`` it prints the phases' seconds as JSON (clean timings); with it, a cProfile of the same work:
time per source file (the "what dominates" view), then the top functions by own and by cumulative time. The
profiler slows SymPy-heavy code down, so its seconds are inflated; compare shares, not seconds.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import io
import json
import os
import pstats
import sys
import time
from collections import defaultdict
from collections.abc import Sequence
from functools import partial
from pathlib import Path
from typing import Any


def main(argv: Sequence[str] | None = None) -> int:
    """Measure (or profile) a cold in-process run of the selected claims."""
    p = argparse.ArgumentParser(prog="python -m bench.hotspots", description=__doc__.splitlines()[0])
    p.add_argument("targets", nargs="*", default=["all"],
                   help="'all' or claim ids (default: all); with --cli, the arguments of verify")
    p.add_argument("--derivations", type=Path, default=Path("derivations"))
    p.add_argument("--cli", action="store_true", help="run the targets through verify's CLI (a warm run)")
    p.add_argument("--cwd", type=Path, help="change to this folder first (where .verify_cache is)")
    p.add_argument("--profile", action="store_true", help="profile with cProfile instead of timing phases")
    p.add_argument("--top", type=int, default=25, help="rows of each profile table (default: 25)")
    args = p.parse_args(argv)
    if args.cwd:
        os.chdir(args.cwd)
    work = partial(cli_phases, args.targets) if args.cli else partial(phases, args.derivations, args.targets)
    if not args.profile:
        print(json.dumps(work()))
        return 0
    profiler = cProfile.Profile()
    profiler.enable()
    timings = work()
    profiler.disable()
    print(render_profile(profiler, timings, args.top))
    return 0


def phases(derivations: Path, targets: list[str]) -> dict[str, Any]:
    """Seconds spent importing, loading, building and settling, and the slowest claims (build + settle)."""
    start = time.perf_counter()
    t = time.perf_counter()
    import sympy  # noqa: F401
    import_sympy = time.perf_counter() - t
    t = time.perf_counter()
    from verifier.frontend.library import load_library
    from verifier.frontend.problem_builder import library_problems
    from verifier.search.engine import settle_obligation
    import_verifier = time.perf_counter() - t
    t = time.perf_counter()
    library = load_library(derivations)
    claims = library.claims if targets == ["all"] else library.select(targets)
    load = time.perf_counter() - t
    build = settle = 0.0
    per_claim: dict[str, float] = {}
    for claim in claims:
        t = time.perf_counter()
        built = library_problems(library, claim)
        t_built = time.perf_counter()
        for ob, problem in built:
            settle_obligation(ob, problem)
        t_done = time.perf_counter()
        build += t_built - t
        settle += t_done - t_built
        per_claim[claim.id] = t_done - t
    slowest = sorted(per_claim.items(), key=lambda kv: -kv[1])[:8]
    return {"import_sympy": import_sympy, "import_verifier": import_verifier, "load": load, "build": build,
            "settle": settle, "total": time.perf_counter() - start, "claims": len(claims),
            "slowest_claims": [[cid, round(s, 3)] for cid, s in slowest]}


def cli_phases(argv: list[str]) -> dict[str, Any]:
    """Seconds spent importing the CLI and running ``verify ARGV`` through it (its report is discarded)."""
    start = time.perf_counter()
    from verifier.cli import main
    import_cli = time.perf_counter() - start
    t = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()):
        status = main(argv)
    return {"import_cli": import_cli, "run": time.perf_counter() - t, "total": time.perf_counter() - start,
            "exit": status}


def render_profile(profiler: cProfile.Profile, timings: dict[str, Any], top: int) -> str:
    """The profile as text: phases, own time per source file, then top functions by own and cumulative time."""
    stats = pstats.Stats(profiler)
    total = sum(row[2] for row in stats.stats.values()) or 1.0  # type: ignore[attr-defined]
    by_file: dict[str, float] = defaultdict(float)
    for (filename, _, _), row in stats.stats.items():  # type: ignore[attr-defined]
        by_file[_short(filename)] += row[2]
    lines = ["phases under the profiler (inflated; compare shares): " + describe_phases(timings)]
    if timings.get("slowest_claims"):
        lines.append("slowest claims (build + settle): "
                     + ", ".join(f"{c} {s:.2f}s" for c, s in timings["slowest_claims"]))
    lines += ["", f"own time per source file (top {top}):"]
    for name, seconds in sorted(by_file.items(), key=lambda kv: -kv[1])[:top]:
        lines.append(f"  {100 * seconds / total:5.1f}%  {seconds:7.2f}s  {name}")
    for key, title in (("tottime", "own"), ("cumulative", "cumulative")):
        buf = io.StringIO()
        pstats.Stats(profiler, stream=buf).sort_stats(key).print_stats(top)
        body = buf.getvalue()
        body = body[body.find("   ncalls"):] if "   ncalls" in body else body
        lines += ["", f"top {top} functions by {title} time:", body.rstrip()]
    return "\n".join(lines) + "\n"


def describe_phases(timings: dict[str, Any]) -> str:
    """The phases' seconds on one line, in the order they ran."""
    return ", ".join(f"{k.replace('_', ' ')} {v:.2f}s" for k, v in timings.items() if isinstance(v, float))


def _short(filename: str) -> str:
    if filename == "~":
        return "(built-in functions)"
    """A source file relative to site-packages or to the project (``sympy/core/basic.py``)."""
    for marker in ("site-packages/", "/verifier/", "/bench/"):
        at = filename.find(marker)
        if at >= 0:
            rest = filename[at + len(marker):]
            return rest if marker == "site-packages/" else marker.strip("/") + "/" + rest
    if filename.startswith("<") or "/lib/python" not in filename:
        return filename
    return "stdlib/" + filename.rsplit("/lib/python", 1)[1].split("/", 1)[1]


if __name__ == "__main__":
    sys.exit(main())

"""The naive peer's lead: identities that plain SymPy proves and the verifier leaves ``unknown``.

Run as ``python -m bench.gap`` (``make naive-gap``). Over the project's suites (the bundled library, the homework
library, the red team's claims), every ``=`` obligation is built by the project's own builder and answered by the
naive peer of :mod:`bench.naive` (``simplify(lhs - rhs) == 0`` in every case); each one the peer proves is then
settled by the engine. An obligation is listed when the engine leaves it ``unknown`` (or past the limit) although
the peer proves it and its claim is true: expected to hold (its truth established by hand in its file), or marked
``"true"`` in a ``truths.toml`` beside the suite's folder (the red team's). An obligation of a claim that is false
or kept on record as wrong (``expect = "refuted"``) is listed apart: its truth is not established, and the peer may
be wrong there (it ignores where a side is undefined).

The fuzzer's corpus is included: ``--fuzz N`` claims generated from ``--fuzz-seed`` (:func:`fuzz.judge.generate`,
the same seed giving the same claims), written as a library with a ``truths.toml`` beside it that gives each claim
its truth by construction (``"true"``; a mutant's or a claim's whose truth rests on a point is not established).

Every listed obligation must be explained in the README's table "Beyond the naive peer" (its claim id in the first
cell, in backticks); the exit status is 1 when one is not.
"""

from __future__ import annotations

import argparse
import re
import signal
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SUITES = (ROOT / "derivations", ROOT / "tests" / "homework", ROOT / "tests" / "redteam" / "claims")
README = ROOT / "README.md"
TABLE = "Beyond the naive peer"
#: The fuzzer's corpus: this many claims from this seed (the whole run takes about 8 minutes on a loaded 2-core
#: machine, the corpus about 2 of them).
FUZZ_CLAIMS, FUZZ_SEED = 300, 1


@dataclass(frozen=True)
class Gap:
    """One obligation the peer proves and the engine leaves undecided."""

    suite: str
    claim: str
    obligation: str
    verdict: str
    asserted: bool      # the claim is expected to hold (so the obligation is true)


def main(argv: Sequence[str] | None = None) -> int:
    """Report the gaps of every suite; 1 when one is not explained in the README."""
    p = argparse.ArgumentParser(prog="python -m bench.gap", description=__doc__.splitlines()[0])
    p.add_argument("suites", nargs="*", type=Path, help="library folders or files (default: the project's suites)")
    p.add_argument("--limit", type=float, default=20.0, help="seconds per obligation, for each side (default: 20)")
    p.add_argument("--fuzz", type=int, default=FUZZ_CLAIMS, metavar="N",
                   help=f"claims of the fuzzer's corpus to include, 0 for none (default: {FUZZ_CLAIMS})")
    p.add_argument("--fuzz-seed", type=int, default=FUZZ_SEED, metavar="SEED",
                   help=f"the corpus's seed (default: {FUZZ_SEED})")
    args = p.parse_args(argv)
    suites = args.suites or list(SUITES)
    gaps: list[Gap] = []
    counts = {"obligations": 0, "peer proves": 0}
    with tempfile.TemporaryDirectory(prefix="naive-gap-") as tmp:
        if args.fuzz > 0:
            suites = [*suites, fuzz_corpus(Path(tmp), args.fuzz, args.fuzz_seed)]
        for suite in suites:
            gaps += suite_gaps(suite, args.limit, counts)
    explained = explained_ids(README.read_text(encoding="utf-8"))
    unexplained = [g for g in gaps if g.asserted and g.claim not in explained]
    print(f"{counts['obligations']} '=' obligations; the naive peer proves {counts['peer proves']}; "
          f"the engine leaves {len(gaps)} of those undecided "
          f"({sum(g.asserted for g in gaps)} of claims expected to hold)")
    for g in gaps:
        mark = "explained" if g.claim in explained else ("UNEXPLAINED" if g.asserted else "truth not established")
        print(f"  {g.suite}: {g.claim}: {g.verdict}: {g.obligation}  [{mark}]")
    return 1 if unexplained else 0


def fuzz_corpus(root: Path, n: int, seed: int) -> Path:
    """The fuzzer's ``n`` claims from ``seed`` as a library in ``root/fuzz-corpus``, their truths by construction
    in ``root/truths.toml`` (``"undecided"`` where the construction leaves the truth open)."""
    from fuzz.judge import generate, write

    claims = generate(n, seed)
    folder = root / "fuzz-corpus"
    write(claims, folder)
    words = {True: "true", False: "false", None: "undecided"}
    (root / "truths.toml").write_text("".join(f'"{c.id}" = "{words[c.truth]}"\n' for c in claims), encoding="utf-8")
    return folder


def suite_gaps(suite: Path, limit: float, counts: dict[str, int]) -> list[Gap]:
    """The gaps of one library (a folder or a file)."""
    import sympy as sp

    from bench.naive import Timeout, alarm, decide, limited
    from verifier.frontend.library import load_library
    from verifier.frontend.problem_builder import library_problems
    from verifier.search.engine import settle_obligation

    library = load_library(suite)
    truths = _truths(suite)
    signal.signal(signal.SIGALRM, alarm)
    out: list[Gap] = []
    for claim in library.claims:
        try:
            built = limited(limit, partial(library_problems, library, claim))
        except Timeout:
            continue
        except Exception:   # a claim that does not build is the engine's error, not the peer's lead
            continue
        for ob, problem in built:
            if getattr(problem, "kind", None) != "forall" or \
                    any(op != "=" for case in problem.cases for _, op, _ in case.relations):
                continue
            counts["obligations"] += 1
            try:
                answer, _ = limited(limit, partial(decide, problem, sp.simplify))
            except (Timeout, Exception):
                continue
            if answer != "equal":
                continue
            counts["peer proves"] += 1
            try:
                verdict = limited(limit, partial(settle_obligation, ob, problem)).verdict
            except Timeout:
                verdict = "timeout"
            if verdict in ("unknown", "timeout", "error"):
                true = truths[claim.id] == "true" if claim.id in truths else claim.expect != "refuted"
                out.append(Gap(suite.name, claim.id, ob.text, verdict, true))
    return out


def _truths(suite: Path) -> dict[str, str]:
    """The truths a ``truths.toml`` beside the suite's folder gives its claims' ids (empty when there is none)."""
    import tomllib

    for folder in (suite if suite.is_dir() else suite.parent, (suite if suite.is_dir() else suite.parent).parent):
        path = folder / "truths.toml"
        if path.is_file():
            return {str(k): str(v) for k, v in tomllib.loads(path.read_text(encoding="utf-8")).items()}
    return {}


def explained_ids(readme: str) -> set[str]:
    """The claim ids in the first cell of the README's table after the heading or paragraph naming it."""
    at = readme.find(TABLE)
    if at < 0:
        return set()
    ids = set()
    for line in readme[at:].splitlines()[1:]:
        if line.startswith("#"):
            break
        m = re.match(r"\|\s*`([^`]+)`", line)
        if m:
            ids.add(m.group(1))
    return ids


if __name__ == "__main__":
    sys.exit(main())

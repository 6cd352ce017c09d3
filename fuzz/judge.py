"""Generated claims run through the verifier, each verdict judged against the claim's truth.

A batch of claims is written as a derivation library and verified by ``python -m verifier all --format json`` (the
verifier as users run it, its cross-check included). A claim's truth comes from its construction, or from the
reference evaluator: a mutant is false where the evaluator finds a point at which it fails (else its truth stays
undecided), and a derivative at a given point is evaluated there. A claim true by construction at which the
evaluator finds a failing point is reported too (the construction or the evaluator is wrong). A mutant the verifier
refutes is not looked at again: its counterexample has been evaluated by the cross-check already. Disagreements: a
``proved`` or ``checked`` false claim, a ``refuted`` true one, an ``error`` on a well-formed claim, and any verdict
the cross-check withheld ("internal disagreement").
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from fuzz.grammar import DEFINE, Generated, Grammar, header
from fuzz.mutate import mutate_keys
from verifier.frontend import parser as P
from verifier.frontend.library import Library, load_library
from verifier.model import Claim, Outcome, obligations
from verifier.oracle import crosscheck, evaluate
from verifier.oracle.values import DPS, CannotTell, Undefined, working

#: Claims per derivation file, and per run of the verifier.
PER_FILE, PER_BATCH = 40, 400
#: Share of claims that are mutants of a generated claim.
MUTANTS = 0.45
#: Seconds the evaluator looks for a failing point of a claim.
SEARCH = 0.25


@dataclass
class Finding:
    """A claim whose verdict disagrees with its truth."""

    claim: Generated
    verdict: str
    truth: bool | None
    why: str

    def report(self) -> str:
        """The finding, reproducible: the claim as TOML (after the shared header), its verdict, truth and why."""
        truth = {True: "holds", False: "false", None: "undecided"}[self.truth]
        return (f"--- {self.claim.id} ({self.claim.template}): verdict {self.verdict}, truth {truth}: {self.why}\n"
                f"{self.claim.toml()}")


@dataclass
class Summary:
    """What a run found."""

    claims: int = 0
    findings: list[Finding] = field(default_factory=list)
    undecided: int = 0

    def line(self) -> str:
        """The run's last line."""
        return f"fuzz: {self.claims} claims, {len(self.findings)} disagreements, {self.undecided} undecided"


def generate(n: int, seed: int) -> list[Generated]:
    """``n`` claims from ``seed`` (the same seed, the same claims)."""
    rng = random.Random(seed)
    grammar = Grammar(rng)
    out = []
    for i in range(n):
        made = grammar.claim(f"f{seed}.{i}")
        if "exists" not in made.keys and rng.random() < MUTANTS:
            mutated = mutate_keys(made.keys, rng)
            if mutated is not None:
                made = Generated(made.id, mutated[0], None, f"{made.template}, {mutated[1]} mutant",
                                 [f"mutant of {made.keys}"])
        out.append(made)
    return out


def write(claims: list[Generated], root: Path) -> None:
    """The claims as a derivation library in ``root`` (a file per :data:`PER_FILE` claims)."""
    root.mkdir(parents=True, exist_ok=True)
    for k in range(0, len(claims), PER_FILE):
        text = header() + "\n".join(c.toml() for c in claims[k:k + PER_FILE])
        (root / f"f{k // PER_FILE:04d}.toml").write_text(text, encoding="utf-8")


def verify(root: Path, jobs: int, timeout: float) -> dict[str, dict]:
    """The verifier's report on the library at ``root``, claim by claim."""
    cmd = [sys.executable, "-m", "verifier", "all", "--derivations", str(root), "--format", "json", "--no-display",
           "--no-cache", "--jobs", str(jobs), "--timeout", str(timeout)]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode not in (0, 1, 2) or not done.stdout.strip():
        raise RuntimeError(f"the verifier stopped (exit {done.returncode}): {done.stderr[-2000:]}")
    report = json.loads(done.stdout)
    return {c["id"]: c for c in report["claims"]}


def truth_of(made: Generated, library: Library, claim: Claim, verdict: str) -> tuple[bool | None, str]:
    """The claim's truth (``None``: undecided) and, when the evaluator decided it, why. The evaluator looks for a
    failing point of a mutant only where it matters, when the verdict says it holds (a counterexample the engine
    gives is evaluated by the cross-check already), and of a claim true by construction when it is refuted (then
    the construction is what is in doubt)."""
    if made.template == "kink":
        return _at_point(made)
    holds_said = verdict in ("proved", "checked")
    doubtful = (made.truth is None and holds_said) or (made.truth is True and verdict == "refuted")
    if not doubtful:
        return made.truth, ""
    for ob, _ in obligations(claim):
        if ob.kind == "exists":
            continue
        try:
            found = crosscheck.disagreement(library, claim, Outcome(ob, "proved"), budget=SEARCH)
        except (CannotTell, ArithmeticError, ValueError, TypeError, RecursionError):
            found = None
        if found:
            return False, found.replace("the reference evaluator finds the relation false", "it fails")
    return made.truth, ""


def _at_point(made: Generated) -> tuple[bool | None, str]:
    """A derivative claim at one point (``x`` given by its ``where`` or pinned by its ``assume``), evaluated
    there. A derivative is known to about 20 digits: sides equal to those count as equal."""
    keys = made.keys
    where = keys.get("where")
    text = where["x"] if isinstance(where, dict) else str(keys["assume"][0]).split("=")[1]  # type: ignore[index]
    defs = {}
    for key, body in DEFINE.items():
        name, _, params = key.partition("(")
        defs[name] = evaluate.Definition(tuple(params.rstrip(")").split(",")), P.parse_expression(body))
    try:
        with working(DPS):
            x = evaluate.value(P.parse_expression(text), evaluate.Point({}, {}, {}))
            point = evaluate.Point({"x": x}, {}, defs)
            if "exists" in keys:
                holds, shown = crosscheck.truth(P.parse_relation(str(keys["exists"])), point, exists=True)
            else:
                holds, shown = crosscheck.truth(P.parse_relation(str(keys["statement"])), point)
    except (CannotTell, Undefined):
        return None, ""
    return holds, f"at x = {text}: {', '.join(shown)}"


def judge(made: Generated, report: dict | None, truth: bool | None, why: str) -> Finding | None:
    """A finding when the verdict disagrees with the truth."""
    if report is None:
        return Finding(made, "missing", truth, "the claim is not in the report")
    verdict = report["verdict"]
    for ob in report["obligations"]:
        message = ob.get("message") or ""
        if "internal disagreement" in message:
            return Finding(made, verdict, truth, f"the cross-check withheld a verdict: {message}")
        if ob["verdict"] == "error":
            return Finding(made, verdict, truth, f"an error on a well-formed claim: {message}")
    if truth is True and verdict == "refuted":
        return Finding(made, verdict, truth, f"refuted a true claim: {_evidence(report)}")
    if truth is False and verdict in ("proved", "checked"):
        return Finding(made, verdict, truth, f"{verdict} a false claim: {why}")
    if made.truth is True and truth is False:
        return Finding(made, verdict, truth, f"true by construction, yet the evaluator finds it false: {why}")
    return None


def _evidence(report: dict) -> str:
    for ob in report["obligations"]:
        if ob["verdict"] == "refuted":
            return f"{ob['text']}: counterexample {ob.get('counterexample')}, values {ob.get('values')}"
    return ""


def run(n: int, seed: int, *, jobs: int = 2, timeout: float = 3.0, keep: Path | None = None,
        progress: Callable[[str], None] | None = None) -> Summary:
    """Generate ``n`` claims from ``seed``, verify them, and judge every verdict."""
    summary = Summary()
    claims = generate(n, seed)
    with tempfile.TemporaryDirectory(prefix="fuzz-") as tmp:
        for start in range(0, len(claims), PER_BATCH):
            batch = claims[start:start + PER_BATCH]
            root = (keep or Path(tmp)) / f"batch{start // PER_BATCH:04d}"
            write(batch, root)
            reports = verify(root, jobs, timeout)
            library = load_library(root)
            by_id = {c.id: c for c in library.claims}
            for made in batch:
                claim, report = by_id.get(made.id), reports.get(made.id)
                verdict = report["verdict"] if report else "missing"
                truth, why = truth_of(made, library, claim, verdict) if claim is not None else (None, "")
                finding = judge(made, report, truth, why)
                summary.claims += 1
                if finding is not None:
                    summary.findings.append(finding)
                    if progress:
                        progress(finding.report())
                elif verdict == "unknown" or (truth is None and verdict != "refuted"):
                    summary.undecided += 1
            if progress:
                progress(f"{summary.line()} (so far)")
    return summary


def environment_number(name: str, default: int) -> int:
    """An integer from the environment (``FUZZ_N``, ``FUZZ_SEED``), or the default."""
    text = os.environ.get(name, "").strip()
    return int(text) if text else default


"""The wording every report format shares: the summary and status lines, how an obligation is named, the evidence
of a verdict, the notes on expected refutations and ``checked`` sets."""

from __future__ import annotations

import re

from verifier.model import INTERRUPTED_MESSAGE, ClaimResult, Outcome, RunResult

#: The verdicts under which a claim holds.
HOLDS = ("proved", "checked")
#: The mark of each verdict beside an obligation (``verify show``, the HTML page).
VERDICT_MARKS = {"proved": "✓", "checked": "✓", "refuted": "✗", "unknown": "?", "error": "!"}


def summary_line(run: RunResult) -> str:
    """The pytest-like count line, e.g. ``21 claims: 14 proved, 3 checked, 4 refuted (4 expected), ... in 3.21s``."""
    c = run.counts()
    refuted = f"{c['refuted']} refuted"
    if c["refuted"]:
        expected = sum(1 for r in run.results if r.verdict == "refuted" and r.as_expected)
        refuted += f" ({expected} expected)"
    noun = "claim" if c["claims"] == 1 else "claims"
    line = (f"{c['claims']} {noun}: {c['proved']} proved, {c['checked']} checked, {refuted}, "
            f"{c['unknown']} unknown, {c['error']} error in {run.seconds:.2f}s")
    if run.interrupted:
        unsettled = len(unsettled_claims(run))
        line += f" (interrupted: {unsettled} not settled)" if unsettled else " (interrupted)"
    return line


def status_line(run: RunResult) -> str:
    """``OK`` or ``FAILED (n unexpected)``."""
    unexpected = run.counts()["unexpected"]
    problems = []
    if unexpected:
        problems.append(f"{unexpected} unexpected")
    unproved = len(run.unproved())
    if unproved:
        problems.append(f"{unproved} checked but not proved, with --require-proof")
    if run.file_errors:
        n = len(run.file_errors)
        problems.append(f"{n} file{'s' if n != 1 else ''} could not be read")
    return "OK" if not problems else f"FAILED ({', '.join(problems)})"


def is_unsettled(result: ClaimResult) -> bool:
    """Whether Ctrl-C stopped the claim before any obligation that is not proved or checked was settled."""
    failing = failing_outcomes(result)
    return bool(failing) and all(o.message == INTERRUPTED_MESSAGE for o in failing)


def unsettled_claims(run: RunResult) -> list[ClaimResult]:
    """The claims an interrupted run did not finish (none for a run that was not interrupted)."""
    return [r for r in run.results if is_unsettled(r)] if run.interrupted else []


_ERROR_PLACE = re.compile(r"^(?P<file>.+?):(?P<line>\d+)(?::(?P<column>\d+))?: (?P<reason>.*)$", re.DOTALL)


def split_file_error(error: str) -> tuple[str | None, int | None, str]:
    """``"file:line:column: reason"`` (line and column optional) as ``(file, line, reason)``; ``(None, None,
    error)`` when the message names no place."""
    file, line, _, reason = error_place(error)
    return file, line, reason


def error_place(error: str) -> tuple[str | None, int | None, int | None, str]:
    """``"file:line:column: reason"`` (line and column optional) as ``(file, line, column, reason)``."""
    match = _ERROR_PLACE.match(error)
    if match:
        column = int(match["column"]) if match["column"] else None
        return match["file"], int(match["line"]), column, match["reason"]
    head, sep, reason = error.partition(": ")
    if sep and head.endswith(".toml") and "\n" not in head:
        return head, None, None, reason
    return None, None, None, error


def verdict_label(result: ClaimResult) -> str:
    """The claim's verdict, marked ``(expected)`` for a refutation that was expected."""
    if result.verdict == "refuted" and result.claim.expect == "refuted":
        return "refuted (expected)"
    return result.verdict


def failing_outcomes(result: ClaimResult) -> list[Outcome]:
    """The outcomes that are neither proved nor checked, in the order written (``first_failure()`` first)."""
    return [o for o in result.outcomes if o.verdict not in HOLDS]


def describe(outcome: Outcome) -> str:
    """Which obligation this is, for a person: ``step 2 of derivation "off-diagonal"``, ``statement 1``, ``exists``."""
    ob = outcome.obligation
    name = ob.kind if ob.index is None or ob.kind == "exists" else f"{ob.kind} {ob.index}"
    if ob.derivation:
        name += f' of derivation "{ob.derivation}"'
    return name


def location(file: str, line: int | None, column: int | None = None) -> str:
    """``file:line:column``, ``file:line`` when the column is not known, or the file alone without a line."""
    if line is None:
        return file
    return f"{file}:{line}" if column is None else f"{file}:{line}:{column}"


def outcome_place(result: ClaimResult, outcome: Outcome | None) -> tuple[str, int | None, int | None]:
    """The file, line and column to point at for an outcome: where its error is for an error that names its place
    in the claim's file, else where its (last) entry starts, else the claim's line."""
    claim = result.claim
    if outcome is None:
        return claim.file, claim.line, None
    if outcome.verdict == "error" and outcome.message:
        file, line, column, _ = error_place(outcome.message)
        if file == claim.file and line is not None:
            return file, line, column
    if outcome.obligation.line is not None:
        return claim.file, outcome.obligation.line, outcome.obligation.column
    return claim.file, claim.line, None


def outcome_line(result: ClaimResult, outcome: Outcome | None) -> int | None:
    """The line to point at for an outcome: the obligation's own, else the claim's."""
    if outcome is not None and outcome.obligation.line is not None:
        return outcome.obligation.line
    return result.claim.line


def mismatch(result: ClaimResult) -> str:
    """How the claim missed its expectation, e.g. ``expected to hold, got refuted at step 2``."""
    wanted = "to hold" if result.claim.expect == "holds" else "to be refuted"
    text = f"expected {wanted}, got {result.verdict}"
    first = result.first_failure()
    return text + (f" at {describe(first)}" if first is not None else "")


def evidence(outcome: Outcome) -> list[str]:
    """The obligation's relation, then its verdict and evidence, one line each: ``[text, "refuted (method)",
    message, "sizes: ...", "counterexample: x = 1, ...", "lhs = ...", "rhs = ..."]`` (absent items left out)."""
    lines = [outcome.obligation.text, outcome.verdict + (f" ({outcome.method})" if outcome.method else "")]
    if outcome.message:
        lines.append(outcome.message)
    if outcome.sizes:
        lines.append(f"sizes: {outcome.sizes}")
    if outcome.counterexample:
        label = "witness" if outcome.obligation.kind == "exists" and outcome.verdict == "proved" else "counterexample"
        lines.append(f"{label}: {assignments(outcome.counterexample)}")
    lines.extend(f"{side} = {value}" for side, value in (outcome.values or {}).items())
    return lines


def assignments(values: dict[str, str]) -> str:
    """``name = value`` pairs joined by commas."""
    return ", ".join(f"{name} = {value}" for name, value in values.items())


def shown_outcomes(result: ClaimResult) -> list[Outcome]:
    """The outcomes to show for a claim that missed its expectation: the failing ones or, for an expected
    refutation that held, all of them."""
    return failing_outcomes(result) or result.outcomes


def obligation_heading(result: ClaimResult, outcome: Outcome) -> str:
    """``step 2 of derivation "d" (file:line):``."""
    return f"{describe(outcome)} ({location(*outcome_place(result, outcome))}):"


def failure_report(result: ClaimResult) -> list[str]:
    """Plain lines explaining why a claim missed its expectation: each outcome of :func:`shown_outcomes` with its
    evidence indented under it."""
    lines: list[str] = []
    for outcome in shown_outcomes(result):
        lines.append(obligation_heading(result, outcome))
        lines.extend(f"  {item}" for item in evidence(outcome))
    return lines or ["(the claim has no obligations)"]


def expected_refutation_note(result: ClaimResult) -> str:
    """One line saying where an expected refutation was found, e.g. ``q1.7c refuted at step 1 (file:12): ...``."""
    first = result.first_failure()
    if first is None:
        return f"{result.claim.id} refuted"
    where = location(result.claim.file, outcome_line(result, first))
    note = f"{result.claim.id} refuted at {describe(first)} ({where})"
    if first.counterexample:
        note += f": {assignments(first.counterexample)}"
    return note


def checked_note(result: ClaimResult, outcome: Outcome) -> str:
    """One line naming the set a ``checked`` obligation was checked on, e.g. ``q2.1 statement: K in 1..5: 5 of 5``."""
    return f"{result.claim.id} {describe(outcome)}: {outcome.sizes or 'a finite set'}"


def unexpected_results(run: RunResult) -> list[ClaimResult]:
    """Claims that missed their expectation, less those an interruption left unsettled (summed up in one line)."""
    return [r for r in run.results if not r.as_expected and not (run.interrupted and is_unsettled(r))]


def expected_refutations(run: RunResult) -> list[ClaimResult]:
    """The claims expected to be refuted that were."""
    return [r for r in run.results if r.as_expected and r.claim.expect == "refuted"]


def _seconds(result: ClaimResult) -> str:
    return f"{result.seconds:.2f}s"


def time_cell(result: ClaimResult) -> str:
    """A claim's time: its own in this run, or ``cached`` (the time it once took is in the JSON report)."""
    return "cached" if result.cached else _seconds(result)

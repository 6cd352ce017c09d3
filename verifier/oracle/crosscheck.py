"""A verdict checked against the reference evaluator before it is reported.

A ``proved`` or ``checked`` relation is evaluated at the critical points of its claim and at random allowed points;
a counterexample and a witness are evaluated where they were found. Where the evaluator is sure the engine is wrong
(a point the declarations and hypotheses allow at which the relation fails, a counterexample at which it holds or
that is not allowed, a witness at which it fails), the verdict is withheld: ``unknown``, with a message
"internal disagreement: ..." naming the point and both sides' values. Wherever the evaluator cannot tell, the
verdict stands: the evaluator never makes one.
"""

from __future__ import annotations

import random
import re
import time
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from typing import TYPE_CHECKING

from verifier.errors import ExpressionError
from verifier.frontend import parser as P
from verifier.model import Claim, Obligation, Origin, Outcome, obligations
from verifier.oracle import declarations, evaluate
from verifier.oracle.evaluate import Definition, Point
from verifier.oracle.points import Scene, assign, candidates, critical_values
from verifier.oracle.values import INTERVAL, CannotTell, NotGiven, Number, PiRational, Undefined, show, working

if TYPE_CHECKING:   # for types only: the evaluator reads a library's files, it needs none of its readers
    from verifier.frontend.library import Library
    from verifier.frontend.tomlfile import SourceFile

#: The time a verdict is looked at: this share of the time the engine spent on it, and at least the floor (a
#: ``checked`` one, rarer and with large sizes to try, gets more).
SHARE, FLOOR = 0.1, 0.004
CHECKED_SHARE, CHECKED_FLOOR = 0.5, 0.2
#: Points always looked at, whatever the time (the generic point, then each name at 0, 1, -1, ...).
MIN_POINTS = 6
#: Random points tried after the critical ones.
RANDOM_POINTS = 12
#: Sizes a ``checked`` relation is also looked at (a bound that fails only past the checked set).
LARGE_SIZES = (30, 200, 2000)

_BUILTIN = frozenset({"pi", "E", "oo", "True", "False"})
#: The method of a proof that no allowed point satisfies the hypotheses.
VACUOUS_HYPOTHESES = "vacuous: no allowed value satisfies"
_ERRORS = (CannotTell, ExpressionError, ArithmeticError, ValueError, OverflowError, RecursionError, TypeError)


@dataclass
class Reading:
    """One obligation as the evaluator reads it: its relation, hypotheses, and the scene of its points."""

    kind: str
    relation: P.Compare
    hypotheses: list[P.Compare]
    scene: Scene


def review(library: Library, claim: Claim, outcome: Outcome) -> Outcome:
    """``outcome``, or ``unknown`` with "internal disagreement: ..." where the evaluator shows it wrong."""
    if outcome.verdict not in ("proved", "checked", "refuted"):
        return outcome
    start = time.perf_counter()
    try:
        found = disagreement(library, claim, outcome)
    except Exception:   # a fault of the evaluator never costs a verdict (the fuzzer and the tests see it)
        found = None
    if found is None:
        return outcome
    return Outcome(outcome.obligation, "unknown", method=outcome.method, sizes=outcome.sizes,
                   seconds=outcome.seconds + time.perf_counter() - start,
                   message=f"internal disagreement: {found} (please report it)")


def disagreement(library: Library, claim: Claim, outcome: Outcome, budget: float | None = None) -> str | None:
    """What the evaluator finds wrong with ``outcome``, or ``None``; a ``proved`` or ``checked`` relation is looked
    at for ``budget`` seconds (by default a share of the engine's time on it)."""
    ob = read(library, claim, outcome)
    if ob is None:
        return None
    with working(evaluate.digits([ob.relation, *ob.hypotheses], ob.scene.definitions)):
        return _disagreement(ob, claim, outcome, budget)


def _disagreement(ob: Reading, claim: Claim, outcome: Outcome, budget: float | None) -> str | None:
    if outcome.counterexample:
        return _at_given_point(ob, outcome)
    if outcome.verdict in ("proved", "checked") and ob.kind != "exists":
        large = outcome.verdict == "checked"
        if budget is None:
            budget = max(CHECKED_FLOOR, CHECKED_SHARE * outcome.seconds) if large else \
                max(FLOOR, SHARE * outcome.seconds)
        seed = zlib.crc32(f"{claim.id}:{outcome.obligation.text}".encode())
        return _forall(ob, seed, large, time.perf_counter() + budget)
    return None


def read(library: Library, claim: Claim, outcome: Outcome) -> Reading | None:
    """The obligation of ``outcome`` read for the evaluator, or ``None`` when it reads no further (a hypothesis over
    all indices, a construct it does not follow)."""
    origin = _origins(claim).get(outcome.obligation)
    if origin is None or claim.file not in library.files:
        return None
    chain = claim.chains[origin[1]] if origin[0] == "step" and origin[1] is not None else None
    context = _context(library, claim)
    if context is None:
        return None
    decls, defs = context
    where = {k: P.parse_expression(v) for k, v in (dict(claim.where) | dict(chain.where if chain else ())).items()}
    texts = [*claim.assume, *(chain.assume if chain else ())]
    hypotheses = [P.parse_relation(t) for t in texts]
    relation = P.parse_relation(outcome.obligation.text)
    known = set(decls) | set(defs) | _BUILTIN
    universal = [h for h in hypotheses if _free_names(h) - known]
    if universal:
        # A hypothesis over all indices: its instances are not all looked at. About names the relation is not
        # written with, it changes nothing the evaluator looks at and is left out, unless the verdict rests on it
        # (a proof because no point satisfies the hypotheses); else nothing is looked at.
        if (outcome.method or "").startswith(VACUOUS_HYPOTHESES):
            return None
        hypotheses = [h for h in hypotheses if h not in universal]
        used = _closure([relation, *hypotheses, *where.values()], decls, defs, where)
        if any(_closure([h], decls, defs, where) & used for h in universal):
            return None
    only = _closure([relation, *hypotheses, *where.values()], decls, defs, where)
    if any(decls[n].complex for n in only if n in decls):
        return None
    return Reading(origin[0], relation, hypotheses, Scene(decls, defs, where, only))


@lru_cache(maxsize=4)
def _origins(claim: Claim) -> dict[Obligation, Origin]:
    """Where each obligation of ``claim`` comes from (the first, for identical ones), found once per claim: a
    claim's obligations are reviewed one after another, and listing them all for each one grows as its square."""
    out: dict[Obligation, Origin] = {}
    for ob, origin in obligations(claim):
        out.setdefault(ob, origin)
    return out


#: The declarations and definitions of the last few contexts (a claim's files), by their files' contents.
_CONTEXTS: dict[tuple[str, ...], tuple[dict[str, declarations.Decl], dict[str, Definition]] | None] = {}


def _context(library: Library, claim: Claim) -> tuple[dict[str, declarations.Decl], dict[str, Definition]] | None:
    files = library.context(claim)
    key = tuple(f"{f.path}:{f.digest}" for f in files)
    if key not in _CONTEXTS:
        if len(_CONTEXTS) > 16:
            _CONTEXTS.clear()
        _CONTEXTS[key] = _read_context(files)
    return _CONTEXTS[key]


def _read_context(files: list[SourceFile]) -> tuple[dict[str, declarations.Decl], dict[str, Definition]] | None:
    decls: dict[str, declarations.Decl] = {}
    defs: dict[str, Definition] = {}
    for f in files:
        for name, text, _ in f.symbols:
            try:
                decls[name] = declarations.read(name, text)
            except CannotTell:
                decls[name] = declarations.Decl(name, False, False, frozenset(), complex=True)
        for key, text, _ in f.definitions:
            match = re.fullmatch(r"\s*([A-Za-z_]\w*)\s*(?:\((.*)\)\s*)?", key)
            if match is None:
                return None
            params = None if match.group(2) is None else tuple(p.strip() for p in match.group(2).split(",")
                                                               if p.strip())
            defs[match.group(1)] = Definition(params, P.parse_expression(text))
    return decls, defs


def _closure(nodes: list[P.Node], decls: dict[str, declarations.Decl], defs: dict[str, Definition],
             where: dict[str, P.Node]) -> set[str]:
    """The declared names ``nodes`` are written with, through definitions, declarations' bounds and where
    values."""
    todo = set().union(*(_mentioned(n) for n in nodes))
    seen: set[str] = set()
    while todo:
        n = todo.pop()
        if n in seen:
            continue
        seen.add(n)
        if n in defs:       # (a definition's parameters are its own names, not the declared ones)
            todo |= _mentioned(defs[n].body) - set(defs[n].params or ())
        if n in decls:
            todo |= decls[n].bound_names()
        if n in where:
            todo |= _mentioned(where[n])
    return {n for n in seen if n in decls}


def _free_names(node: P.Node) -> set[str]:
    """Names written free in ``node`` (a sum's, vector's or definition's own names left out)."""
    out: set[str] = set()

    def visit(n: P.Node, bound: frozenset[str]) -> None:
        if isinstance(n, P.Name):
            if n.id not in bound:
                out.add(n.id)
            return
        if isinstance(n, P.Call) and n.func in ("Sum", "Product", "vector") and len(n.args) >= 2:
            inner = bound | {a.items[0].id for a in n.args[1:] if isinstance(a, P.Tuple) and a.items
                             and isinstance(a.items[0], P.Name)}
            visit(n.args[0], inner)
            for a in n.args[1:]:
                if isinstance(a, P.Tuple):
                    for item in a.items[1:]:
                        visit(item, bound)
            return
        for child in P.children(n):
            visit(child, bound)

    visit(node, frozenset())
    return out


def allowed(ob: Reading, point: Point) -> bool:
    """Whether every hypothesis holds at ``point`` (a hypothesis holds only where it is defined)."""
    for h in ob.hypotheses:
        try:
            if not evaluate.holds(h, point):
                return False
        except Undefined:
            return False
    return True


def truth(rel: P.Compare, point: Point, *, exists: bool = False, lenient: bool = True) -> tuple[bool, list[str]]:
    """Whether the relation holds at ``point`` as the format reads it (claimed where each left side is defined; a
    right side undefined there makes it fail), with both sides' values shown. With ``lenient``, two sides equal as
    far as can be seen satisfy ``=``, ``<=``, ``>=`` (to find a relation false); without it, that cannot be told
    (to find it true)."""
    shown: list[str] = []
    for k, op in enumerate(rel.ops):
        try:
            a = evaluate.value(rel.operands[k], point)
        except Undefined:
            if exists:
                return False, [*shown, "lhs undefined"]
            shown.append("lhs undefined")
            continue
        try:
            b = evaluate.value(rel.operands[k + 1], point)
        except Undefined:
            return False, [*shown, f"lhs = {show(a)}", "rhs undefined"]
        shown += [f"lhs = {show(a)}", f"rhs = {show(b)}"]
        if not evaluate.relation(op, a, b, lenient=lenient):
            return False, shown
    return True, shown


def _describe(ob: Reading, point: Point) -> str:
    names = set(P.names(ob.relation))
    for h in ob.hypotheses:
        names |= P.names(h)
    for d in ob.scene.definitions.values():
        names |= P.names(d.body)
    parts = [f"{n} = {show(v)}" for n, v in point.scalars.items() if n in names or n in ob.scene.where]
    for fam in point.families.values():
        parts += [f"{fam.name}[{', '.join(map(str, idx))}] = {show(v)}" for idx, v in sorted(fam.drawn.items())][:6]
    return ", ".join(parts) or "the only point"


def _forall(ob: Reading, seed: int, large: bool, deadline: float) -> str | None:
    """A point the hypotheses allow where the relation fails, looked for until ``deadline``: the generic point,
    then each name at its critical values and simple ones, then random points."""
    scene = ob.scene
    base_point = assign(scene, {}, None, seed)
    if base_point is None:
        return None
    names = [n for n in scene.order if n in _needed(ob) and n not in scene.where]
    base = {n: v for n, v in base_point.scalars.items() if n not in scene.where}

    def look(point: Point) -> None:
        for h in ob.hypotheses:
            evaluate.holds(h, point)
        for operand in ob.relation.operands:
            evaluate.value(operand, point)

    def tries() -> Iterator[tuple[dict[str, Number], random.Random | None]]:
        yield base, None
        for n in names:
            special = list(candidates(scene.decls[n], base_point))[:6]
            if large and scene.decls[n].integer:
                special = [Fraction(s) for s in LARGE_SIZES] + special
            yield from (({**base, n: v}, None) for v in special[:3])
            if time.perf_counter() > deadline:
                return
            try:
                special = critical_values(scene, base, n, seed, look) + special[3:]
            except _ERRORS:
                special = special[3:]
            yield from (({**base, n: v}, None) for v in special)
        rng = random.Random(seed)
        for _ in range(RANDOM_POINTS):
            yield {}, rng

    for k, (chosen, rng) in enumerate(tries()):
        if k >= MIN_POINTS and time.perf_counter() > deadline:
            break
        found = _try(ob, chosen, rng, seed + k)
        if found:
            return found
    return None


def _try(ob: Reading, chosen: dict[str, Number], rng: random.Random | None, seed: int) -> str | None:
    try:
        point = assign(ob.scene, chosen, rng, seed)
        if point is None or not allowed(ob, point):
            return None
        holds, shown = truth(ob.relation, point)
    except _ERRORS:
        return None
    if holds:
        return None
    return f"at {_describe(ob, point)} the reference evaluator finds the relation false ({', '.join(shown)})"


def _mentioned(node: P.Node) -> set[str]:
    return {n.id if isinstance(n, P.Name) else n.func for n in P.walk(node) if isinstance(n, (P.Name, P.Call))}


def _needed(ob: Reading) -> set[str]:
    """The declared scalars the relation and hypotheses are written with, through definitions and bounds."""
    return {n for n, d in ob.scene.decls.items() if not d.indexed}


#: Seeds of the values drawn for the names and entries a counterexample or witness leaves out.
FILLINGS = (1, 2, 3)


def _at_given_point(ob: Reading, outcome: Outcome) -> str | None:
    """A counterexample or witness evaluated where it was found; where it leaves names or entries out, at
    :data:`FILLINGS` values drawn for them as well (it claims the relation fails, or holds, whatever they are)."""
    assert outcome.counterexample is not None
    scalars: dict[str, Number] = {}
    entries: dict[tuple[str, tuple[int, ...]], Number] = {}
    for key, text in outcome.counterexample.items():
        v = evaluate.value(P.parse_expression(text), Point({}, {}, {}))
        if isinstance(v, bool) or not isinstance(v, (Fraction, PiRational, INTERVAL)):
            return None
        target = P.parse_expression(key)
        if isinstance(target, P.Name):
            scalars[target.id] = v
        elif isinstance(target, P.Index) and isinstance(target.base, P.Name) and \
                all(isinstance(i, (P.Num, P.Neg)) for i in target.indices):
            idx = tuple(int(evaluate.value(i, Point({}, {}, {}))) for i in target.indices)
            entries[(target.base.id, idx)] = v
        else:
            return None
    missing = sorted(n for n in _needed(ob) if n not in scalars and n not in ob.scene.where)
    if not missing:
        try:
            return _at_point(ob, outcome, scalars, entries, None)
        except NotGiven:
            pass
    for seed in FILLINGS:
        try:
            found = _at_point(ob, outcome, scalars, entries, seed)
        except _ERRORS:
            continue
        if found is not None:
            return found
    return None


def _at_point(ob: Reading, outcome: Outcome, scalars: dict[str, Number],
              entries: dict[tuple[str, tuple[int, ...]], Number], seed: int | None) -> str | None:
    """The disagreement at the given point, or, with a ``seed``, at that point with the values it leaves out
    drawn (there only a sure one: a side the engine finds undefined found defined, the relation found to hold for
    a counterexample, or to fail for a witness)."""
    point = assign(ob.scene, scalars, None if seed is None else random.Random(seed), seed or 0, entries,
                   fill=seed is not None)
    if point is None:
        return None if seed is not None or any(n not in ob.scene.decls for n in scalars) else \
            f"the point {outcome.counterexample} is not allowed by the declarations"
    for n, v in scalars.items():
        if n in ob.scene.decls and n not in ob.scene.where and point.scalars.get(n) != v:
            return f"the point {outcome.counterexample} is not allowed by the declaration of {n}"
    if not allowed(ob, point):
        return None if seed is not None else f"the point {outcome.counterexample} does not satisfy the hypotheses"
    given = str(outcome.counterexample) if seed is None else \
        f"{outcome.counterexample} with what it leaves out drawn ({_describe(ob, point)})"
    witness = ob.kind == "exists"
    if not witness:
        unconfirmed = _undefined_unconfirmed(ob.relation, outcome, point, given, strict=seed is None)
        if unconfirmed is not None:
            return unconfirmed
    holds, shown = truth(ob.relation, point, exists=witness, lenient=witness)
    if holds == witness:
        return None
    said = "holds" if holds else "fails"
    return (f"at {given} the engine's {'witness' if witness else 'counterexample'} is not one: "
            f"the reference evaluator finds the relation {said} there ({', '.join(shown)})")


def _undefined_unconfirmed(rel: P.Compare, outcome: Outcome, point: Point, given: str, *,
                           strict: bool = True) -> str | None:
    """Where the engine refutes a relation because one side is undefined at its point, the evaluator must not find
    that side defined; and a derivative it cannot tell about there (at a joint whose one-sided slopes agree as far
    as intervals show) does not confirm the refutation: which points a derivative exists at is decided by the front
    end's joint analysis, the part of the engine this check is meant to second-guess."""
    if len(rel.operands) != 2 or not outcome.values:
        return None
    for side, node in (("lhs", rel.operands[0]), ("rhs", rel.operands[1])):
        if not outcome.values.get(side, "").startswith("undefined"):
            continue
        try:
            value = evaluate.value(node, point)
        except Undefined:
            continue
        except NotGiven:
            raise
        except CannotTell:
            if "diff" not in _mentioned(node) or not strict:
                continue
            return f"at {given} the engine finds the {side} undefined, and the reference evaluator cannot confirm it"
        return f"at {given} the engine finds the {side} undefined, and the reference evaluator finds {show(value)}"
    return None

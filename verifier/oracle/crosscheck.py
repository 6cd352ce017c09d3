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
from dataclasses import dataclass
from fractions import Fraction

import mpmath

from verifier.errors import ExpressionError
from verifier.frontend import parser as P
from verifier.frontend.library import Library
from verifier.model import Claim, Outcome, obligations
from verifier.oracle import declarations, evaluate
from verifier.oracle.evaluate import Definition, Point
from verifier.oracle.points import Scene, assign, candidates, critical_values
from verifier.oracle.values import DPS, CannotTell, Number, Undefined, show

#: Seconds a ``proved`` relation is looked at, at most (a ``checked`` one also at a few large sizes).
BUDGET = 0.05
#: Random points tried after the critical ones.
RANDOM_POINTS = 12
#: Sizes a ``checked`` relation is also looked at (a bound that fails only past the checked set).
LARGE_SIZES = (30, 200, 2000)

_BUILTIN = frozenset({"pi", "E", "oo", "True", "False"})
_ERRORS = (CannotTell, ExpressionError, ArithmeticError, ValueError, OverflowError, RecursionError, TypeError)


@dataclass
class Obligation:
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
        with mpmath.workdps(DPS):
            found = disagreement(library, claim, outcome)
    except _ERRORS:
        found = None
    if found is None:
        return outcome
    return Outcome(outcome.obligation, "unknown", method=outcome.method, sizes=outcome.sizes,
                   seconds=outcome.seconds + time.perf_counter() - start,
                   message=f"internal disagreement: {found} (please report it)")


def disagreement(library: Library, claim: Claim, outcome: Outcome) -> str | None:
    """What the evaluator finds wrong with ``outcome``, or ``None``."""
    ob = read(library, claim, outcome)
    if ob is None:
        return None
    if outcome.counterexample:
        return _at_given_point(ob, outcome)
    if outcome.verdict in ("proved", "checked") and ob.kind != "exists":
        large = outcome.verdict == "checked"
        seed = zlib.crc32(f"{claim.id}:{outcome.obligation.text}".encode())
        return _forall(ob, seed, large)
    return None


def read(library: Library, claim: Claim, outcome: Outcome) -> Obligation | None:
    """The obligation of ``outcome`` read for the evaluator, or ``None`` when it reads no further (a hypothesis over
    all indices, a construct it does not follow)."""
    origin = next((o for ob, o in obligations(claim) if ob == outcome.obligation), None)
    if origin is None or claim.file not in library.files:
        return None
    chain = claim.chains[origin[1]] if origin[0] == "step" and origin[1] is not None else None
    decls: dict[str, declarations.Decl] = {}
    defs: dict[str, Definition] = {}
    for f in library.context(claim):
        for name, text, _ in f.symbols:
            decls[name] = declarations.read(name, text)
        for key, text, _ in f.definitions:
            match = re.fullmatch(r"\s*([A-Za-z_]\w*)\s*(?:\((.*)\))?\s*", key)
            if match is None:
                return None
            params = None if match.group(2) is None else tuple(p.strip() for p in match.group(2).split(",")
                                                               if p.strip())
            defs[match.group(1)] = Definition(params, P.parse_expression(text))
    if any(d.complex for d in decls.values()):
        return None
    where = dict(claim.where) | dict(chain.where if chain else ())
    scene = Scene(decls, defs, {k: P.parse_expression(v) for k, v in where.items()})
    texts = [*claim.assume, *(chain.assume if chain else ())]
    hypotheses = [P.parse_relation(t) for t in texts]
    known = set(decls) | set(defs) | _BUILTIN
    for h in hypotheses:
        if _free_names(h, defs) - known:
            return None   # a hypothesis over all indices: its instances are not all looked at
    return Obligation(origin[0], P.parse_relation(outcome.obligation.text), hypotheses, scene)


def _free_names(node: P.Node, defs: dict[str, Definition]) -> set[str]:
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
        for child in _children(n):
            visit(child, bound)

    visit(node, frozenset())
    return out


def _children(n: P.Node) -> tuple[P.Node, ...]:
    if isinstance(n, P.Call):
        return n.args
    if isinstance(n, P.Index):
        return (n.base, *n.indices)
    if isinstance(n, (P.Vector, P.Tuple)):
        return n.items
    if isinstance(n, P.BinOp):
        return (n.left, n.right)
    if isinstance(n, P.Neg):
        return (n.operand,)
    if isinstance(n, P.Compare):
        return n.operands
    return ()


def allowed(ob: Obligation, point: Point) -> bool:
    """Whether every hypothesis holds at ``point`` (a hypothesis holds only where it is defined)."""
    for h in ob.hypotheses:
        try:
            if not evaluate.holds(h, point):
                return False
        except Undefined:
            return False
    return True


def truth(rel: P.Compare, point: Point, *, exists: bool = False) -> tuple[bool, list[str]]:
    """Whether the relation holds at ``point`` as the format reads it (claimed where each left side is defined; a
    right side undefined there makes it fail), with both sides' values shown."""
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
        if not evaluate.relation(op, a, b):
            return False, shown
    return True, shown


def _describe(ob: Obligation, point: Point) -> str:
    names = set(P.names(ob.relation))
    for h in ob.hypotheses:
        names |= P.names(h)
    for d in ob.scene.definitions.values():
        names |= P.names(d.body)
    parts = [f"{n} = {show(v)}" for n, v in point.scalars.items() if n in names or n in ob.scene.where]
    for fam in point.families.values():
        parts += [f"{fam.name}[{', '.join(map(str, idx))}] = {show(v)}" for idx, v in sorted(fam.drawn.items())][:6]
    return ", ".join(parts) or "the only point"


def _forall(ob: Obligation, seed: int, large: bool) -> str | None:
    scene = ob.scene
    base_point = assign(scene, {}, None, seed)
    if base_point is None:
        return None
    base = {n: v for n, v in base_point.scalars.items() if n not in scene.where}
    deadline = time.perf_counter() + BUDGET * (4 if large else 1)

    def look(point: Point) -> None:
        for h in ob.hypotheses:
            evaluate.holds(h, point)
        for operand in ob.relation.operands:
            evaluate.value(operand, point)

    tries: list[dict[str, Number]] = [base]
    for n in base:
        special = list(candidates(scene.decls[n], base_point))[:8]
        try:
            special = critical_values(scene, base, n, seed, look) + special
        except _ERRORS:
            pass
        tries += [{**base, n: v} for v in special]
        if large and scene.decls[n].integer:
            tries += [{**base, n: Fraction(s)} for s in LARGE_SIZES]
    rng = random.Random(seed)
    for k, chosen in enumerate(tries + [{}] * RANDOM_POINTS):
        if time.perf_counter() > deadline:
            break
        found = _try(ob, chosen, rng if k >= len(tries) else None, seed + k)
        if found:
            return found
    return None


def _try(ob: Obligation, chosen: dict[str, Number], rng: random.Random | None, seed: int) -> str | None:
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


def _needed(ob: Obligation) -> set[str]:
    """The declared scalars the relation and hypotheses are written with, through definitions and bounds."""
    todo = _mentioned(ob.relation).union(*(_mentioned(h) for h in ob.hypotheses))
    seen: set[str] = set()
    while todo:
        n = todo.pop()
        if n in seen:
            continue
        seen.add(n)
        if n in ob.scene.definitions:
            todo |= _mentioned(ob.scene.definitions[n].body)
        if n in ob.scene.decls:
            todo |= ob.scene.decls[n].bound_names()
        if n in ob.scene.where:
            todo |= P.names(ob.scene.where[n])
    return {n for n in seen if n in ob.scene.decls and not ob.scene.decls[n].indexed}


def _at_given_point(ob: Obligation, outcome: Outcome) -> str | None:
    """A counterexample or witness evaluated where it was found."""
    assert outcome.counterexample is not None
    scalars: dict[str, Number] = {}
    entries: dict[tuple[str, tuple[int, ...]], Number] = {}
    for key, text in outcome.counterexample.items():
        v = evaluate.value(P.parse_expression(text), Point({}, {}, {}))
        if isinstance(v, bool) or not isinstance(v, (Fraction, mpmath.mpf)):
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
    needed = _needed(ob)
    if any(n not in scalars and n not in ob.scene.where for n in needed):
        return None
    point = assign(ob.scene, scalars, None, 0, entries)
    if point is None:
        return None if any(n not in ob.scene.decls for n in scalars) else \
            f"the point {outcome.counterexample} is not allowed by the declarations"
    for n, v in scalars.items():
        if n in ob.scene.decls and n not in ob.scene.where and point.scalars.get(n) != v:
            return f"the point {outcome.counterexample} is not allowed by the declaration of {n}"
    if not allowed(ob, point):
        return f"the point {outcome.counterexample} does not satisfy the hypotheses"
    witness = ob.kind == "exists"
    holds, shown = truth(ob.relation, point, exists=witness)
    if holds == witness:
        return None
    said = "holds" if holds else "fails"
    return (f"at {outcome.counterexample} the engine's {'witness' if witness else 'counterexample'} is not one: "
            f"the reference evaluator finds the relation {said} there ({', '.join(shown)})")

"""The points at which the reference evaluator looks at a claim: allowed by the declarations, critical ones first.

A point gives every declared scalar a value allowed by its declaration (in an order where a bound's names come
first), puts in the ``where`` values, and gives each family entries drawn on demand (the same entry always gets the
same value at one point; 0 outside the family's range). Critical values of a name are the zeros, in that name, of
every quantity the evaluator notes on its way (a division's denominator, a ``log``, ``sqrt``, ``Abs`` or ``sign``
argument, the difference of ``Max``/``Min`` arguments and of a ``Piecewise`` condition's sides, a power's base): each
is found exactly when the quantity is affine in the name near the point, by a secant through two rational points.
"""

from __future__ import annotations

import random
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction

from verifier.frontend import parser as P
from verifier.oracle.declarations import Decl
from verifier.oracle.evaluate import Definition, Family, Point, value
from verifier.oracle.values import INTERVAL, CannotTell, NotGiven, Number, PiRational, Undefined, integer

F = Fraction
#: Values a real name is tried at, beside its critical ones and its interval's ends.
REALS = (F(0), F(1), F(-1), F(1, 2), F(-1, 2), F(2), F(-2), F(3), F(1, 3), F(-3, 2), F(5, 2), F(7, 3), F(-7, 4),
         F(10), F(-5), F(1, 10), F(3, 4))
#: Generic values (unlikely to be critical) for a point's starting values.
GENERIC = (F(2, 7), F(3, 5), F(-4, 9), F(7, 4), F(5, 11), F(-13, 6), F(9, 7), F(11, 13))
INTEGERS = (0, 1, 2, 3, -1, -2, 4, 5, -3, 7, 10)


@dataclass
class Scene:
    """What a claim's points are made of: declarations, definitions and ``where`` values (in the order a point is
    built: a name after the names its bounds and value are written with)."""

    decls: dict[str, Decl]
    definitions: dict[str, Definition]
    where: dict[str, P.Node] = field(default_factory=dict)
    #: The names a point gives values to (``None``: every declared name); the others are never looked at.
    only: set[str] | None = None
    order: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.only is not None:
            self.decls = {n: d for n, d in self.decls.items() if n in self.only}
        scalars = [n for n, d in self.decls.items() if not d.indexed] + [n for n in self.where
                                                                      if n not in self.decls]
        seen: set[str] = set()

        def visit(n: str, path: frozenset[str]) -> None:
            if n in seen or n in path:
                return
            deps = P.names(self.where[n]) if n in self.where else self.decls[n].bound_names()
            for m in sorted(deps):
                if m in self.decls or m in self.where:
                    visit(m, path | {n})
            seen.add(n)
            self.order.append(n)

        for n in scalars:
            visit(n, frozenset())
        for d in self.decls.values():
            if d.indexed:
                for m in sorted(d.bound_names()):
                    if m in self.decls and not self.decls[m].indexed and m not in seen:
                        visit(m, frozenset())


def _empty_point(scene: Scene, scalars: dict[str, Number]) -> Point:
    return Point(scalars, {}, scene.definitions)


def candidates(decl: Decl, point: Point) -> list[Number]:
    """Values the declaration allows at ``point``, simplest first (a few of each end of a long integer range)."""
    pool: list[Number]
    if decl.domain is not None:
        pool = []
        for d in decl.domain:
            v = value(d, point)
            if not isinstance(v, Fraction):
                raise CannotTell("a finite domain with a value not known exactly")
            pool.append(v)
    elif decl.integer:
        pool = [F(i) for i in INTEGERS]
        if decl.interval is not None:
            lo, hi = (value(b, point) for b in decl.interval[:2])
            lo_i, hi_i = integer(_ceil(lo)), integer(_floor(hi))
            near = [*range(lo_i, min(hi_i, lo_i + 6) + 1), *range(max(lo_i, hi_i - 3), hi_i + 1)]
            pool = [F(i) for i in dict.fromkeys(near)] + pool
    else:
        pool = list(REALS)
        if decl.interval is not None:
            lo, hi = (value(b, point) for b in decl.interval[:2])
            if isinstance(lo, Fraction) and isinstance(hi, Fraction):
                pool = [lo, hi, (lo + hi) / 2, (3 * lo + hi) / 4, (lo + 3 * hi) / 4, (2 * lo + 5 * hi) / 7, *pool]
    return [v for v in dict.fromkeys(pool) if decl.allows(v, point)]


def _floor(v: object) -> Fraction:
    if isinstance(v, Fraction):
        return F(v.numerator // v.denominator)
    raise CannotTell("a range end not known exactly")


def _ceil(v: object) -> Fraction:
    if isinstance(v, Fraction):
        return F(-((-v.numerator) // v.denominator))
    raise CannotTell("a range end not known exactly")


def assign(scene: Scene, chosen: dict[str, Number], rng: random.Random | None, seed: int,
           entries: dict[tuple[str, tuple[int, ...]], Number] | None = None, *, fill: bool = False) -> Point | None:
    """A point with the ``chosen`` values where the declarations allow them, the others drawn by ``rng`` (or the
    generic ones when ``rng`` is None); ``None`` when some name has no allowed value (an empty range). With
    ``entries``, the families' entries are those (any other entry inside a range cannot be told, or, with ``fill``,
    is drawn by ``seed``)."""
    scalars: dict[str, Number] = {}
    point = _empty_point(scene, scalars)
    for n in scene.order:
        if n in scene.where:
            v = value(scene.where[n], point)
            if not isinstance(v, (Fraction, PiRational, INTERVAL)):
                raise CannotTell("a where value that is not a number")
            scalars[n] = v
            continue
        decl = scene.decls[n]
        if n in chosen and decl.allows(chosen[n], point):
            scalars[n] = chosen[n]
            continue
        if n in chosen and entries is not None:
            return None
        pool = candidates(decl, point)
        if not pool:
            return None
        if rng is None:
            generic = [g for g in GENERIC if decl.allows(g, point)] if not decl.integer else []
            ints = [v for v in pool if v in (F(3), F(2))]
            scalars[n] = generic[_stable_index(n, len(generic))] if generic else (ints or pool)[0]
        else:
            scalars[n] = rng.choice(pool)
    for n, decl in scene.decls.items():
        if decl.indexed:
            point.families[n] = _family(decl, point, seed, None if fill else entries, entries if fill else None)
    return point


def _stable_index(name: str, n: int) -> int:
    """A stable choice among ``n`` for a name (Python's own string hash changes between processes)."""
    return zlib.crc32(name.encode()) % n


def _family(decl: Decl, point: Point, seed: int, entries: dict[tuple[str, tuple[int, ...]], Number] | None,
            given: dict[tuple[str, tuple[int, ...]], Number] | None = None) -> Family:
    ranges = None
    if decl.index_range is not None:
        lo, hi = (integer(_value_number(b, point)) for b in decl.index_range)
        ranges = (lo, hi)
    drawn: dict[tuple[int, ...], Number] = {}
    pools: list[list[Number]] = []

    def entry(idx: tuple[int, ...]) -> Number:
        if entries is not None:
            if (decl.name, idx) in entries:
                return entries[(decl.name, idx)]
            raise NotGiven(f"the entry {decl.name}{list(idx)} is not given")
        if given is not None and (decl.name, idx) in given:
            return given[(decl.name, idx)]
        if idx not in drawn:
            rng = random.Random(zlib.crc32(f"{seed}:{decl.name}:{idx}".encode()))
            if not pools:
                pools.append(candidates(decl, point))
            pool = pools[0]
            if not pool:
                raise CannotTell(f"no value allowed for {decl.name}")
            drawn[idx] = rng.choice(pool)
        return drawn[idx]

    return Family(decl.name, ranges, entry, drawn)


def _value_number(node: P.Node, point: Point) -> Number:
    v = value(node, point)
    if isinstance(v, bool) or not isinstance(v, Fraction):
        raise CannotTell("a range bound not known exactly")
    return v


def critical_values(scene: Scene, base: dict[str, Number], name: str, seed: int,
                    look: Callable[[Point], None]) -> list[Number]:
    """Values of ``name`` (others as in ``base``) where a quantity ``look`` notes crosses 0, by secants from the
    base value to one above and one below it; integers for an integer name."""
    t0 = base[name]
    if not isinstance(t0, Fraction):
        return []
    noted: list[list[Number]] = []
    for t in (t0, t0 + 1, t0 - 1):
        seen: list[Number] = []
        point = assign(scene, {**base, name: t}, None, seed)
        if point is None:
            noted.append(seen)
            continue
        point.scalars[name] = t
        point.critical = seen.append
        try:
            look(point)
        except (CannotTell, Undefined, ZeroDivisionError, OverflowError, ValueError):
            pass
        noted.append(seen)
    out: list[Fraction] = []
    for other, t in ((noted[1], t0 + 1), (noted[2], t0 - 1)):
        for q0, q1 in zip(noted[0], other, strict=False):
            if isinstance(q0, Fraction) and isinstance(q1, Fraction) and q0 != q1:
                out.append(t0 - q0 * (t - t0) / (q1 - q0))
    if scene.decls.get(name) is not None and scene.decls[name].integer:
        out = [F(r.numerator // r.denominator + k) for r in out for k in (0, 1)]
    return list[Number](dict.fromkeys(v for v in out if abs(v.numerator) < 10 ** 30 and v.denominator < 10 ** 30))[:8]

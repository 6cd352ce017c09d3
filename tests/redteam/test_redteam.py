"""The red-team suite: adversarial but well-formed claims that try to make the verifier lie.

Every claim in ``claims/**.toml`` has a truth, established without the verifier and written beside it (a comment
``# TRUE: ...``, ``# FALSE: ...``, ``# ERROR: ...`` or ``# UNKNOWN: ...`` giving how), and collected in
``truths.toml``. The engine runs
once on the whole folder (the real CLI, ``--format json``, a per-obligation timeout) and each verdict is judged:

- a false claim must never be ``proved`` or ``checked``;
- a true claim must never be ``refuted``;
- an ``error`` claim (an input section 2a of the format calls an error) must be ``error``;
- an ``unknown`` claim (its truth rests on a value the spec leaves undecided, ``Heaviside(0)``) must be ``unknown``;
- a well-formed claim must not be ``error``;
- a counterexample (or a witness of a proved ``exists``) must satisfy every declaration and every ``assume`` of
  its claim, re-checked here with plain SymPy on the reported values, by a reading of the declarations written
  from section 2a, not the verifier's;
- a ``checked`` verdict names its set of sizes, and that set has as many instances as it says were checked;
- ``unknown`` is allowed, counted and printed.

The truth of a claim is about the claim as a whole: a false claim has one false obligation (or several), so its
verdict (the worst of its obligations) is judged, not each obligation.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tomllib
from collections import Counter
from dataclasses import dataclass
from fractions import Fraction
from functools import cache
from pathlib import Path
from typing import Any

import mpmath
import pytest
import sympy as sp

HERE = Path(__file__).resolve().parent
CLAIMS = HERE / "claims"
TRUTHS = HERE / "truths.toml"
#: Seconds per obligation: enough for every decision the engine makes today (the slowest takes about 2 s).
TIMEOUT = "10"
#: The whole run may not take longer than this (seconds; about 3,500 claims, minutes on two cores); a hang fails the
#: test instead of stalling the suite.
RUN_LIMIT = 2100

_ID = re.compile(r'^id = "([^"]+)"', re.MULTILINE)
_TRUTH = re.compile(r"^# (TRUE|FALSE|ERROR|UNKNOWN): \S", re.MULTILINE)


# -- the claims and their truths ---------------------------------------------------------------------------------

def claim_files() -> list[Path]:
    """Every derivation file of the suite."""
    return sorted(CLAIMS.rglob("*.toml"))


@cache
def truths() -> dict[str, str]:
    """Claim id -> "true" | "false" | "error" | "unknown", from ``truths.toml``."""
    return tomllib.loads(TRUTHS.read_text(encoding="utf-8"))


def claim_class(path: Path) -> str:
    """The class a claim file tests: its name, or ``errors`` for the one-claim error files."""
    return "errors" if path.parent.name == "errors" else path.stem


@dataclass(frozen=True)
class ClaimSource:
    """A claim as written: its file, its TOML table and the file's declarations."""

    path: Path
    table: dict[str, Any]
    symbols: dict[str, str]

    @property
    def id(self) -> str:
        """The claim id."""
        return self.table["id"]


@cache
def sources() -> dict[str, ClaimSource]:
    """Claim id -> where and how it is written, read with ``tomllib`` (not the project's loader)."""
    out: dict[str, ClaimSource] = {}
    for path in claim_files():
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        for table in data.get("claim", []):
            out[table["id"]] = ClaimSource(path, table, data.get("symbols", {}))
    return out


def comment_truths(path: Path) -> dict[str, str]:
    """Claim id -> the truth written in the comment beside it (the first ``# TRUE/FALSE/ERROR:`` after its id)."""
    text = path.read_text(encoding="utf-8")
    ids = list(_ID.finditer(text))
    out = {}
    for n, m in enumerate(ids):
        stop = ids[n + 1].start() if n + 1 < len(ids) else len(text)
        t = _TRUTH.search(text, m.end(), stop)
        out[m.group(1)] = t.group(1).lower() if t else "missing"
    return out


def test_the_suite_is_large_and_covers_every_class() -> None:
    """At least 150 claims, at least 5 in each class file (errors apart), true and false ones in every class."""
    by_class: dict[str, Counter[str]] = {}
    for cid, src in sources().items():
        by_class.setdefault(claim_class(src.path), Counter())[truths()[cid]] += 1
    assert sum(sum(c.values()) for c in by_class.values()) >= 150
    assert by_class["errors"]["error"] >= 15
    # The outside red team's round-3 files are kept as that team cut them (some hold only the false claims of one
    # finding); the rule holds for the round as a whole.
    round3 = sum((c for name, c in by_class.items() if name.startswith("round3_")), Counter())
    assert sum(round3.values()) >= 1000 and round3["true"] and round3["false"]
    round4 = sum((c for name, c in by_class.items() if name.startswith("round4_")), Counter())
    assert sum(round4.values()) >= 900 and round4["true"] and round4["false"]
    for name, counts in by_class.items():
        if name in ("errors", "name_capture_finite") or name.startswith(("round3_", "round4_")):
            continue
        assert sum(counts.values()) >= 5, name
        assert counts["true"] and counts["false"], f"{name}: {counts}"


def test_every_truth_is_written_beside_its_claim_and_in_the_table() -> None:
    """``truths.toml`` and the comments agree, for exactly the claims of the files; every claim has a note."""
    written: dict[str, str] = {}
    for path in claim_files():
        written.update(comment_truths(path))
    assert written == truths()
    assert set(sources()) == set(truths())
    for cid, src in sources().items():
        assert src.table.get("note"), cid
        assert "expect" not in src.table, f"{cid}: the truth lives in truths.toml, not in expect"
        if truths()[cid] == "error":
            assert src.path.parent.name == "errors", f"{cid}: an error claim needs a file of its own"


# -- truths that rest on computation, re-established here without the verifier ----------------------------------

def _mp(dps: int = 80) -> Any:
    """An mpmath context at ``dps`` digits."""
    ctx = mpmath.mp.clone()
    ctx.dps = dps
    return ctx


PELL_A, PELL_B = 40114893348711941777, 28365513113449345692


def test_numeric_truths_hold_at_high_precision() -> None:
    """The numbers behind the floor, Pell, huge/tiny and polynomial claims, recomputed with mpmath and fractions."""
    m = _mp(80)
    s2 = m.sqrt(2)
    assert m.floor(s2 / (541131238821888000 - 382637568482834149 * s2)) == 1401            # floor.1, floor.2
    assert m.floor(m.exp(m.pi * m.sqrt(163))) == 262537412640768743                      # floor.3, floor.4
    assert m.floor((1 + s2) ** 20) == 45239073 and m.ceil((1 + s2) ** 20) == 45239074    # floor.5, floor.6
    assert m.floor((2 + m.sqrt(3)) ** 10) == 524173                                        # floor.7
    phi = (1 + m.sqrt(5)) / 2
    assert m.floor(phi ** 40) == 228826126 and m.floor(phi ** 41) == 370248451             # floor.8, floor.9
    assert sp.lucas(40) == 228826127 and sp.lucas(41) == 370248451
    assert PELL_A ** 2 - 2 * PELL_B ** 2 == 1                                              # floor.13 - floor.21
    assert 0 < PELL_A - PELL_B * s2 < m.mpf("1.3e-20")
    assert m.floor(m.mpf(10) ** 30 * s2) == 1414213562373095048801688724209                # floor.18
    x = Fraction(665857, 470832)
    assert x * x - 2 == Fraction(1, 221682772224)                                          # floor.22, floor.23
    big = _mp(160)
    gap = big.sqrt(big.mpf(10) ** 100 + 1) - big.mpf(10) ** 50                             # num.11, num.12
    assert big.mpf(10) ** -51 < gap < big.mpf(10) ** -50
    assert big.exp(big.mpf(10) ** -50) - 1 - big.mpf(10) ** -50 > 0                       # num.17
    assert big.cos(big.mpf(10) ** -25) < 1                                                 # num.19
    assert (1 + big.mpf(1) / 10000) ** 10000 < big.e                                      # num.20
    t = Fraction(1, 3)
    assert t * (t - 1) * (t - 2) * (t - 3) * (t + 1) * (t + 2) * (2 * t - 1) == Fraction(2240, 2187)  # poly.1
    assert 1414213562 / 10 ** 9 < float(s2) < 14142135624 / 10 ** 10 < 1414213563 / 10 ** 9  # vac.13


def test_counterexamples_named_in_the_comments_are_counterexamples() -> None:
    """Some hand-found counterexamples, evaluated with plain SymPy on concrete numbers (empty sums written out)."""
    j = sp.Symbol("j", integer=True)
    # empty.3 at K = 1, x[0] = 1, x[1] = 5: left is the empty sum over 1..-1, right x[1] - x[0] - x[1].
    assert sum([], 0) == 0 and 5 - 1 - 5 == -1
    # emp.14 at m = -2: empty sum 0, formula m(m + 1)/2 = 1.
    m = -2
    assert m * (m + 1) // 2 == 1
    # SymPy's Karr convention differs from spec 2a's empty sums: the reason classes 5 and 9 exist.
    assert sp.summation(j, (j, 5, 3)) == -4 and sp.product(j, (j, 5, 3)) == sp.Rational(1, 4)
    # prod.11 at m = -1: empty product 1, right side (m + 1)/(2m) = 0.
    assert sp.Rational(-1 + 1, 2 * -1) == 0
    # ex.10: K(K + 1)/2 = 11 has no integer solution (discriminant 89 is not a square).
    assert not sp.sqrt(89).is_integer and 10 in {k * (k + 1) // 2 for k in range(1, 20)}
    # chk.14: 2^K > K^4 first holds for good at K = 17.
    assert 2 ** 16 == 16 ** 4 and all(2 ** k > k ** 4 for k in range(17, 200))
    # pw.14 at x = 7071/5000: x^2 < 2 yet x > 1414/1000.
    x = Fraction(7071, 5000)
    assert x * x < 2 and x > Fraction(1414, 1000)
    # abs.9/abs.10, def.1: SymPy's own sign(0) = 0, the value spec 2a's definedness rule must not trust.
    assert sp.sign(0) == 0


# -- an independent reading of the declarations, for counterexamples ---------------------------------------------

_VALUE_CHARS = re.compile(r"[0-9A-Za-z_+\-*/^()., ]*\Z")
#: The functions a re-check evaluates. Not floor, ceiling or sign: SymPy's automatic evaluation of those is wrong
#: near integers (SymPy issues #21039, #26368), the very thing the floor class tests.
_VALUE_NAMES = {"sqrt": sp.sqrt, "pi": sp.pi, "E": sp.E, "exp": sp.exp, "log": sp.log, "oo": sp.oo, "Abs": sp.Abs,
                "sin": sp.sin, "cos": sp.cos, "tan": sp.tan, "Max": sp.Max, "Min": sp.Min,
                "KroneckerDelta": sp.KroneckerDelta}


def read_value(text: str, names: dict[str, sp.Expr]) -> sp.Expr | None:
    """A reported value or a declaration bound as an exact SymPy number, or None when it is not a plain number.

    Only digits, the operators, parentheses, commas and the names of ``_VALUE_NAMES`` (and given names) are
    accepted, so nothing but arithmetic is evaluated.
    """
    if not _VALUE_CHARS.match(text):
        return None
    words = set(re.findall(r"[A-Za-z_]\w*", text))
    if not words <= set(_VALUE_NAMES) | set(names):
        return None
    try:
        value = sp.parse_expr(text.replace("^", "**"), local_dict={**_VALUE_NAMES, **names},
                              global_dict={"Integer": sp.Integer, "Rational": sp.Rational, "Float": sp.Float},
                              evaluate=True)
    except Exception:  # a reported value this reader cannot read is skipped, not judged
        return None
    value = sp.nsimplify(value, rational=True) if isinstance(value, sp.Float) else value
    return value if isinstance(value, sp.Expr) and not value.free_symbols else None


@dataclass(frozen=True)
class Declaration:
    """One declaration as section 2a reads it: its words, index range (families) and value set."""

    words: frozenset[str]
    indexed: bool
    index_range: tuple[str, str] | None      # a family's lo..hi (text, may use other names)
    value_range: tuple[str, str, bool, bool] | None   # lo, hi, lo closed, hi closed
    members: tuple[str, ...] | None          # in {...}


_SET = re.compile(r"in\s*\{(.*)\}")
_BRACKETS = re.compile(r"([\[(])\s*([^,\[\]()]+)\s*,\s*([^,\[\]()]+)\s*([\])])")


def declaration(text: str) -> Declaration:
    """Read one ``[symbols]`` entry, e.g. ``indexed real [0, 1] 1..K``, ``real (0, 1)``, ``in {0, 1}``."""
    members = None
    m = _SET.search(text)
    if m:
        members = tuple(v.strip() for v in m.group(1).split(",") if v.strip())
        text = text[:m.start()] + text[m.end():]
    value_range = None
    m = _BRACKETS.search(text)
    if m:
        value_range = (m.group(2), m.group(3), m.group(1) == "[", m.group(4) == "]")
        text = text[:m.start()] + text[m.end():]
    words = text.split()
    ranges = [w for w in words if ".." in w]
    plain = frozenset(w for w in words if ".." not in w)
    index_range = None
    if ranges:
        lo, hi = ranges[0].split("..")
        if "indexed" in plain:
            index_range = (lo, hi)
        else:
            value_range = (lo, hi, True, True)
    return Declaration(plain, "indexed" in plain, index_range, value_range, members)


def satisfies(value: sp.Expr, decl: Declaration, names: dict[str, sp.Expr]) -> bool | None:
    """Whether a value meets the declaration's value words (None when it cannot be decided here)."""
    checks: list[bool | None] = []
    real = value.is_extended_real
    if not real:
        return False
    if "integer" in decl.words:
        checks.append(bool(value.is_integer))
    sign_rules = {"positive": value > 0, "negative": value < 0, "nonnegative": value >= 0,
                  "nonpositive": value <= 0, "nonzero": sp.Ne(value, 0)}
    checks += [sp.sympify(rule) == sp.true for word, rule in sign_rules.items() if word in decl.words]
    if decl.value_range:
        lo, hi = read_value(decl.value_range[0], names), read_value(decl.value_range[1], names)
        if lo is None or hi is None:
            checks.append(None)
        else:
            checks.append(bool(value >= lo if decl.value_range[2] else value > lo))
            checks.append(bool(value <= hi if decl.value_range[3] else value < hi))
    if decl.members is not None:
        members = [read_value(v, names) for v in decl.members]
        checks.append(None if None in members else any(sp.simplify(value - v) == 0 for v in members))
    if False in checks:
        return False
    return None if None in checks else True


_ENTRY = re.compile(r"([A-Za-z_]\w*)\[(.+)\]\Z")


def point_problems(src: ClaimSource, point: dict[str, str], relation: str | None = None,
                   expected: str = "fails") -> list[str]:
    """What is wrong with a reported point: values outside declarations, failed ``assume`` hypotheses, and (when
    ``relation`` is given) the relation not behaving at the point as ``expected`` ("fails" for a counterexample,
    "holds" for a witness)."""
    names: dict[str, sp.Expr] = {}
    for name, text in list(src.table.get("where", {}).items()) + list(point.items()):
        value = read_value(str(text), names)
        if value is not None and not _ENTRY.match(name):
            names[name] = value
    problems = []
    for key, text in point.items():
        value = read_value(text, names)
        entry = _ENTRY.match(key)
        base = entry.group(1) if entry else key
        if value is None or base not in src.symbols:
            continue
        decl = declaration(src.symbols[base])
        if entry and decl.index_range:
            index = read_value(entry.group(2), names)
            lo, hi = (read_value(b, names) for b in decl.index_range)
            if None not in (index, lo, hi) and not lo <= index <= hi:
                if value != 0:
                    first, last = decl.index_range
                    problems.append(f"{key} = {text} but {base} is 0 outside {first}..{last}")
                continue
            if None in (index, lo, hi):
                continue
        if satisfies(value, decl, names) is False:
            problems.append(f"{key} = {text} is not '{src.symbols[base]}'")
    for hyp in src.table.get("assume", []):
        if satisfied(hyp, names) is False:
            problems.append(f"assume '{hyp}' fails there")
        elif "[" in hyp:
            problems += instance_problems(src, hyp, point, names)
    found = relation_at(relation, names) if relation else None
    if found is not None and found != expected:
        problems.append(f"'{relation}' {found} there (plain SymPy)")
    return problems



_ENTRY_IN = re.compile(r"([A-Za-z_]\w*)\[([^\[\]]+)\]")


def instance_problems(src: ClaimSource, hyp: str, point: dict[str, str], names: dict[str, sp.Expr]) -> list[str]:
    """An ``assume`` that names entries, at a point: its instances at the entries the point gives values to.

    Names inside brackets that are declared nowhere are index variables over all indices: each value of them that
    turns an entry of the hypothesis into an entry of the point is an instance, and an instance with an entry outside
    its family's index range says nothing. An entry the point leaves out, or a hypothesis with a sum, is not judged.
    """
    if "Sum(" in hyp or "Product(" in hyp:
        return []
    variables = sorted({w for m in _ENTRY_IN.finditer(hyp) for w in re.findall(r"[A-Za-z_]\w*", m.group(2))
                        if w not in src.symbols and w not in names and w not in _VALUE_NAMES})
    values: dict[tuple[str, tuple[sp.Expr, ...]], sp.Expr] = {}
    for key, text in point.items():
        entry, value = _ENTRY.match(key), read_value(text, names)
        if entry and value is not None:
            index = tuple(read_value(t, names) for t in entry.group(2).split(","))
            if None not in index:
                values[(entry.group(1), index)] = value
    bindings: list[dict[str, sp.Expr]] = [] if variables else [{}]
    for m in _ENTRY_IN.finditer(hyp):
        for base, index in values:
            found = _solve_indices(m.group(2).split(","), index, variables, names) if base == m.group(1) else None
            if found is not None and set(found) == set(variables) and found not in bindings:
                bindings.append(found)
    for binding in bindings:
        instance = _instance_text(src, hyp, binding, values, names, outside_is_vacuous=bool(variables))
        if instance is not None and satisfied(instance, names) is False:
            where = ", ".join(f"{v} = {binding[v]}" for v in variables)
            return [f"assume '{hyp}' fails" + (f" at {where}" if where else " there")]
    return []


def _solve_indices(pattern: list[str], index: tuple[sp.Expr, ...], variables: list[str],
                   names: dict[str, sp.Expr]) -> dict[str, sp.Expr] | None:
    """The values of the index variables that make the written indices ``pattern`` equal ``index``: an index that is
    one variable plus a constant is solved for it; any other index is left to the instance to check."""
    if len(pattern) != len(index):
        return None
    symbols = {v: sp.Symbol(v, integer=True) for v in variables}
    binding: dict[str, sp.Expr] = {}
    for text, value in zip(pattern, index, strict=True):
        if not _VALUE_CHARS.match(text):
            return None
        try:
            e = sp.parse_expr(text.replace("^", "**"), local_dict={**names, **symbols})
        except Exception:  # an index this reader cannot read is not solved
            return None
        used = [v for v in variables if symbols[v] in e.free_symbols]
        if len(used) != 1 or not (e - symbols[used[0]]).is_number:
            continue
        solved = value - (e - symbols[used[0]])
        if binding.setdefault(used[0], solved) != solved:
            return None
    return binding


def _instance_text(src: ClaimSource, hyp: str, binding: dict[str, sp.Expr],
                   values: dict[tuple[str, tuple[sp.Expr, ...]], sp.Expr], names: dict[str, sp.Expr],
                   outside_is_vacuous: bool) -> str | None:
    """``hyp`` with every entry replaced by its value at the point (0 outside a family's range), or None when an
    entry has no value there or, over all indices, lies outside its range (the instance says nothing)."""
    scope = {**names, **binding}
    out, last = [], 0
    for m in _ENTRY_IN.finditer(hyp):
        index = tuple(read_value(t, scope) for t in m.group(2).split(","))
        if None in index:
            return None
        base = m.group(1)
        decl = declaration(src.symbols[base]) if base in src.symbols else None
        value = values.get((base, index))
        if decl and decl.index_range:
            lo, hi = (read_value(b, names) for b in decl.index_range)
            if lo is None or hi is None:
                return None
            if not all(lo <= i <= hi for i in index):
                if outside_is_vacuous:
                    return None
                value = sp.Integer(0)
        if value is None:
            return None
        out += [hyp[last:m.start()], f"({value})"]
        last = m.end()
    return "".join(out) + hyp[last:]

_REL = re.compile(r"(.+?)\s*(<=|>=|!=|==|<|>|=)\s*(.+)\Z")


def satisfied(relation: str, names: dict[str, sp.Expr]) -> bool | None:
    """Whether a simple relation of an ``assume`` holds at the point (None when it cannot be read or decided)."""
    m = _REL.match(relation)
    if not m:
        return None
    a, b = read_value(m.group(1), names), read_value(m.group(3), names)
    if a is None or b is None:
        return None
    ops = {"<": sp.Lt, "<=": sp.Le, ">": sp.Gt, ">=": sp.Ge, "=": sp.Eq, "==": sp.Eq, "!=": sp.Ne}
    verdict = ops[m.group(2)](a, b)
    return True if verdict == sp.true else False if verdict == sp.false else None


def relation_at(text: str, names: dict[str, sp.Expr]) -> str | None:
    """An obligation ``lhs REL rhs`` at a point, by plain SymPy: "holds", "fails" or "left undefined" (None when the
    text is more than arithmetic on the point's names). Undefined means not a real number: a log or fractional power
    of a negative, a division by zero (section 2a)."""
    m = _REL.match(text)
    if not m:
        return None
    a, b = read_value(m.group(1), names), read_value(m.group(3), names)
    if a is None or b is None:
        return None
    if a.is_extended_real is not True or a.is_finite is False or written_undefined(m.group(1), names):
        return "left undefined"
    if b.is_extended_real is not True or b.is_finite is False or written_undefined(m.group(3), names):
        return "fails"
    diff = sp.N(a - b, 60)
    if not diff.is_Number:
        return None
    if abs(diff) < sp.Float("1e-40"):
        # Too close to call numerically: only a difference that SymPy's arithmetic makes exactly 0 counts (no
        # simplify: it may run for minutes on powers with irrational exponents).
        if a - b != 0:
            return None
        diff = sp.Integer(0)
    ops = {"<": diff < 0, "<=": diff <= 0, ">": diff > 0, ">=": diff >= 0, "=": diff == 0, "==": diff == 0,
           "!=": diff != 0}
    return "holds" if bool(ops[m.group(2)]) else "fails"


def written_undefined(text: str, names: dict[str, sp.Expr]) -> bool:
    """Whether the expression as written, read without SymPy's evaluation (which makes ``1/(1/0)`` 0 and
    ``sqrt(-1)^2`` -1), divides by zero, takes a log or fractional power of a negative number, or meets a pole of
    tan, sec, cot or csc at the point."""
    try:
        e = sp.parse_expr(text.replace("^", "**"), local_dict={**_VALUE_NAMES, **names},
                          global_dict={"Integer": sp.Integer, "Rational": sp.Rational, "Float": sp.Float,
                                       "Add": sp.Add, "Mul": sp.Mul, "Pow": sp.Pow}, evaluate=False)
    except Exception:  # what read_value could read, this reads too; anything else is not judged here
        return False
    for sub in sp.preorder_traversal(e):
        if isinstance(sub, sp.Pow):
            base, exponent = (a.doit() for a in sub.args)
            if not (base.is_number and exponent.is_number):
                continue
            if (exponent.is_negative and base.is_zero) or (exponent.is_integer is False and base.is_negative):
                return True
        elif isinstance(sub, sp.log):
            u = sub.args[0].doit()
            if u.is_number and (u.is_zero or u.is_negative):
                return True
        elif isinstance(sub, (sp.tan, sp.sec, sp.cot, sp.csc)):
            # tan(pi/2) is no number (SymPy makes it zoo, and 1/zoo 0): a pole where cos, or for cot and csc sin, is 0.
            u = sub.args[0].doit()
            at = sp.cos(u) if isinstance(sub, (sp.tan, sp.sec)) else sp.sin(u)
            if u.is_number and at == 0:
                return True
    return False


def test_the_declaration_reader_follows_section_2a() -> None:
    """The reader used on counterexamples: closed and open intervals, families, finite sets, ranges."""
    k = {"K": sp.Integer(3)}
    half = sp.Rational(1, 2)
    assert satisfies(half, declaration("real 0..1"), k) is True
    assert satisfies(half, declaration("integer 0..1"), k) is False
    assert satisfies(sp.Integer(0), declaration("real (0, 1)"), k) is False
    assert satisfies(sp.Integer(0), declaration("real [0, 1)"), k) is True
    assert satisfies(sp.Integer(2), declaration("in {0, 5}"), k) is False
    assert satisfies(sp.Integer(-1), declaration("positive"), k) is False
    assert satisfies(sp.Integer(4), declaration("integer 1..K"), k) is False
    fam = declaration("indexed real [0, 1] 1..K")
    assert fam.index_range == ("1", "K") and satisfies(half, fam, k) is True
    src = ClaimSource(Path("x.toml"), {"id": "x", "assume": ["y > 5"]},
                      {"y": "in {1, 2}", "h": "indexed real 1..y", "p": "indexed positive 1..K"})
    assert point_problems(src, {"y": "1", "h[2]": "2"}) == [
        "h[2] = 2 but h is 0 outside 1..y", "assume 'y > 5' fails there"]
    assert point_problems(src, {"K": "2", "p[1]": "-1"}) == ["p[1] = -1 is not 'indexed positive 1..K'"]
    every = ClaimSource(Path("x.toml"), {"id": "x", "assume": ["W[r, s] = W[s, r]", "x[j] + 0*x[j + 5] >= 1"]},
                        {"K": "integer nonnegative", "W": "indexed real", "x": "indexed real 1..K"})
    assert point_problems(every, {"W[1, 2]": "1", "W[2, 1]": "2"}) == [
        "assume 'W[r, s] = W[s, r]' fails at r = 1, s = 2"]
    assert point_problems(every, {"W[1, 2]": "1"}) == []              # W[2, 1] not given: not judged
    assert point_problems(every, {"K": "1", "x[1]": "0"}) == []         # x[6] lies outside 1..1: nothing said
    assert point_problems(every, {"K": "6", "x[1]": "0", "x[6]": "0"}) == [
        "assume 'x[j] + 0*x[j + 5] >= 1' fails at j = 1"]
    one = ClaimSource(Path("x.toml"), {"id": "x", "assume": ["p[i] >= 0"]}, {"i": "integer 1..n", "p": "indexed real"})
    assert point_problems(one, {"n": "2", "i": "2", "p[1]": "-1", "p[2]": "0"}) == []   # i declared: one entry
    assert point_problems(one, {"n": "2", "i": "1", "p[1]": "-1"}) == ["assume 'p[i] >= 0' fails there"]
    x = {"x": sp.Integer(-1)}
    assert relation_at("log(x^2) = 2*log(x)", x) == "fails"          # right side undefined at -1
    assert relation_at("2*log(x) = log(x^2)", x) == "left undefined"
    assert relation_at("x^2 = 1", x) == "holds"
    assert relation_at("1 = x/(x + 1)", x) == "fails"                # division by zero on the right
    st = {"s": sp.Integer(-1), "t": sp.Integer(-2)}
    assert relation_at("log(s/t) = log(s) - log(t)", st) == "fails"  # log(-1), log(-2): undefined over the reals
    zero = {"x": sp.Integer(0)}
    assert relation_at("x = 1/(1/x)", zero) == "fails"               # 1/0 on the right, though SymPy says 1/zoo = 0
    assert relation_at("0 = log(x)*0", zero) == "fails"              # log(0) on the right
    assert relation_at("x = sqrt(x)^2", x) == "fails"                # sqrt(-1) on the right
    assert relation_at("x/x = 1", zero) == "left undefined"
    assert relation_at("x = sqrt(x^2)", x) == "fails"                # sqrt(1) = 1 != -1: defined, and false
    assert relation_at("sqrt(2)*10^20 < 141421356237309504881", {}) == "holds"
    assert relation_at("Sum(j, (j, 1, 3)) = 6", {}) is None
    assert relation_at("floor(x) = -1", x) is None
    assert sizes_problem("i in 1..32, k in 1..32 (400 instances)").startswith("the evidence names 1024 instances")
    assert sizes_problem("K in 1..5, m in -1..5 (35 instances)") == ""
    assert sizes_problem(None) == "checked without naming the set of sizes"
    assert sizes_problem("K in 1..5, ii in 1..K (15 instances)") == ""
    assert relation_at("Abs(x + 2) = Max(x, 1)", x) == "holds"
    assert relation_at("log(27*76/3) = log(27) + log(76/3)", {}) is None
    assert relation_at("log(27*76/3) = log(27) + log(76/3) + 10^(-30)", {}) == "fails"
    assert relation_at("10^(-50) > 0", {}) is None                 # too close to zero to call numerically
    assert relation_at("1 + 10^(-30) > 1", {}) == "holds"


# -- running the engine and judging its verdicts ------------------------------------------------------------------

@dataclass(frozen=True)
class Judged:
    """One claim's verdict and what is wrong with it (empty when nothing is)."""

    id: str
    cls: str
    truth: str
    verdict: str
    wrong: str
    detail: str


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], str]:
    """The JSON report of one run of the CLI on the whole suite, and its standard error. The run takes minutes on two
    cores (about a thousand claims, a few of them up to the timeout), so the tests that judge it are in the slow
    suite (``make test-slow``, run by CI); the tests of the claims' own truths stay in the fast one."""
    cwd = tmp_path_factory.mktemp("redteam")
    done = subprocess.run([sys.executable, "-m", "verifier", "all", "--derivations", str(CLAIMS), "--format", "json",
                           "--timeout", TIMEOUT, "--jobs", "2", "--no-cache", "--no-display"],
                          cwd=cwd, capture_output=True, text=True, timeout=RUN_LIMIT, check=False)
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode in (0, 1, 2), done.stderr
    return json.loads(done.stdout), done.stderr


#: False claims over integer sizes whose first counterexample lies where the search beyond a bounded check does not
#: reach (it tries sizes up to twice the largest checked, the integers next to every number the claim mentions and to
#: the real roots of a polynomial relation, powers of 2 up to 4096 and, when a sum or product runs over a range that
#: grows with a size, 2^14, 2^17 and 2^20, its value enclosed without writing it out, and solver models of polynomial
#: relations): each is
#: ``checked`` on the set it names, which is true of that set (section 3), and ``--require-proof`` rejects it. Listed
#: here with the first failing size (by hand), so that a new miss fails the suite and a fixed one shows.
KNOWN_MISSES = {
    "lby.4": "K = 1516: K mod 37 = 36 and K mod 41 = 40 first together (a period of 37*41)",
    "lby.10": "K = 961 = 31^2: a root of a relation that is not a polynomial in K",
    "lbm.3": "K = 1001 = 7*11*13: a product of the numbers the claim mentions",
    "lbm.9": "K = 4822: (1 + 1/K)^K first reaches 2718/1000 there, past every size tried",
    "lbm.11": "K = 30: F(30) = 832040, and 30 is none of the sizes tried beyond 1..5 (about 9 s of exact floors; "
              "under load it reaches the 10 s limit and is unknown instead)",
    # An outside red team's (fresh_*.toml): summands that are not monotone, so no enclosure of a long sum is tried.
    "frsz3.2": "K = 3999: Sum(floor(j/2) - j/2, (j, 1, K)) = -ceiling(K/2)/2 first reaches -1000 there",
    "frsz3.3": "K = 3999: Sum(j*(-1)^j, (j, 1, K)) = -(K + 1)/2 for odd K first reaches -2000 there",
    "frsz3.4": "K = 21466: Sum(sin(j), (j, 1, K)) = sin(K/2)*sin((K + 1)/2)/sin(1/2) first reaches 1.958155 there "
               "(mpmath, 50 digits)",
    "frsz3.8": "K = 8997: Sum((-1)^j*floor(j/3), (j, 1, K)) first reaches -1500 there (exact integers)",
    "frsz4.1": "K = 14200: Sum(1/j, (j, K, 2*K)) decreases to log 2 and first reaches 6932/10000 there",
}
#: Misses whose search beyond the bounded check is close to the per-obligation limit: ``checked`` or ``unknown``
#: (frsz3.8 reaches the 10 s limit alone, frsz4.1 under load, its exact floors over thousands of terms).
SLOW_MISSES = {"lbm.11", "frsz3.8", "frsz4.1"}
#: Misses the cross-check catches (the reference evaluator tries K = 30, 200 and 2000, and each fails at one of
#: them): their ``checked`` is withheld, ``unknown`` with "internal disagreement" (verifier/oracle/crosscheck.py).
CAUGHT_MISSES = {"lby.8", "lbm.8", "lbm.11"}

#: Round-4 claims whose engine verdict the cross-check withholds (``unknown`` with "internal disagreement") in some
#: runs: no wrong verdict reaches a user. Engine mistakes caught: r4.lhsd2.5 (true, |x|^(1 + tt) at 0 refuted
#: "rhs undefined"), r4.mix.36, r4.symx.8, r4.dx.8 (false); r4.tiny.16, r4.tiny.19, r4.dpw.4, r4.dpw.15, r4.dpw.37
#: (true, derivatives at 0 of functions differentiable there, such as diff(relu(x^2), x), refuted "rhs undefined" in
#: some runs and proved or left open in others). The others are right engine verdicts the reference evaluator cannot
#: confirm: its difference quotients converge too slowly at a Piecewise joint with a log (derivative 0 at 0, the
#: quotient 1/log(h)) or for |x|^(1 + t) with a tiny t, and it takes the limit of r4.lim.14 at t = 1 to be undefined.
#: The three classes of wrong verdicts this round found (false claims ``checked`` past the sizes the search beyond
#: reached, true claims refuted at those log joints, false claims proved vacuously with diff(Abs(x)^(1 + t), x) at 0)
#: have all been fixed; the test of zero wrong verdicts keeps them so.
R4_WITHHELD = {
    "r4.lhsd2.5", "r4.mix.36", "r4.symx.8", "r4.dx.8", "r4.tiny.16", "r4.tiny.19", "r4.dpw.4", "r4.dpw.15", "r4.dpw.37",
    "r4.lhsd.13", "r4.lhsd2.1", "r4.lhsd2.2", "r4.lhsd2.6", "r4.lhsd2.8", "r4.lhsd2.13", "r4.lim.14", "r4.symx.25",
    "r4.tiny.1", "r4.tiny.2", "r4.tiny.3", "r4.tiny.7", "r4.tiny.8", "r4.tiny.9", "r4.tiny.15", "r4.tiny.25",
    "r4.slow.3", "r4.slow.4", "r4.slow.6", "r4.slow.8", "r4.slow.17", "r4.slow.24", "r4.slow.25", "r4.dx.1", "r4.dx.5",
}


def judge(cid: str, entry: dict[str, Any] | None, stderr: str) -> Judged:
    """Judge one claim's verdict against its truth."""
    src = sources()[cid]
    truth = truths()[cid]
    cls = claim_class(src.path)
    if entry is None:
        named = src.path.name in stderr
        verdict = "error" if named else "missing"
        return Judged(cid, cls, truth, verdict, "" if truth == "error" and named else "absent from the report", "")
    verdict = entry["verdict"]
    obligations = entry.get("obligations", [])
    detail = "; ".join(_show(o) for o in obligations if o["verdict"] != "proved")[:300]
    wrong = ""
    if truth == "error":
        wrong = "" if verdict == "error" else f"an input the spec calls an error got {verdict}"
    elif verdict == "error":
        wrong = "a well-formed claim got error"
    elif truth == "unknown":
        wrong = "" if verdict == "unknown" else f"a claim the spec leaves undecided got {verdict}"
    elif truth == "false" and verdict == "checked" and cid in KNOWN_MISSES:
        wrong = ""      # a known miss of the search beyond the bounded check (see KNOWN_MISSES)
    elif truth == "false" and verdict in ("proved", "checked"):
        wrong = f"a false claim got {verdict}"
    elif truth == "true" and verdict == "refuted":
        wrong = "a true claim got refuted"
    if not wrong:
        wrong = next((f"{o['kind']} '{o.get('text')}': {bad}" for o in obligations
                      if o["verdict"] == "checked" and (bad := sizes_problem(o.get("sizes")))), "")
    if not wrong:
        for o in obligations:
            point = o.get("counterexample") or {}
            expected = "fails" if o["verdict"] == "refuted" else "holds"
            bad = (point_problems(src, point, o.get("text"), expected)
                   if o["verdict"] in ("refuted", "proved") and point else [])
            if bad:
                what = "counterexample" if o["verdict"] == "refuted" else "witness"
                wrong = f"{what} outside the declared domain: {'; '.join(bad)}"
                break
    return Judged(cid, cls, truth, verdict, wrong, detail)


_SIZE_RANGE = re.compile(r"(\w+) in (-?\d+)\.\.(-?\d+)")
_SIZE_SET = re.compile(r"(\w+) in \{([^}]*)\}")
_INSTANCES = re.compile(r"\((\d+) instances?\)")


def sizes_problem(sizes: str | None) -> str:
    """What is wrong with a ``checked`` obligation's evidence (section 2a: it names exactly the set checked).

    A missing set is wrong; a set of numeric ranges whose size (the product of their lengths) differs from the
    instance count given beside it overstates or understates what was checked.
    """
    if not sizes:
        return "checked without naming the set of sizes"
    count = _INSTANCES.search(sizes)
    ranges, sets = _SIZE_RANGE.findall(sizes), _SIZE_SET.findall(sizes)
    if not count or " with " in sizes or len(ranges) + len(sets) != sizes.count(" in "):
        return ""   # a filtered set or a range with symbolic bounds: its size is not read here
    total = 1
    for _, lo, hi in ranges:
        total *= max(int(hi) - int(lo) + 1, 0)
    for _, members in sets:
        total *= len([m for m in members.split(",") if m.strip()])
    if total != int(count.group(1)):
        return f"the evidence names {total} instances but says {count.group(1)} were checked: {sizes!r}"
    return ""


def _show(o: dict[str, Any]) -> str:
    parts = [f"{o['kind']} {o.get('text', '')!r}: {o['verdict']}"]
    if o.get("counterexample"):
        parts.append(f"at {o['counterexample']}")
    if o.get("values"):
        parts.append(f"values {o['values']}")
    if o.get("sizes"):
        parts.append(f"sizes {o['sizes']}")
    if o["verdict"] in ("unknown", "error") and o.get("message"):
        parts.append(o["message"][:120])
    return " ".join(parts)


def judge_all(report: dict[str, Any], stderr: str) -> list[Judged]:
    """Every claim of the suite, judged."""
    entries = {c["id"]: c for c in report["claims"]}
    return [judge(cid, entries.get(cid), stderr) for cid in sorted(truths())]


def summary(judged: list[Judged]) -> str:
    """The wrong verdicts by class, and the counts of unknowns, as printed by the test."""
    lines = [f"{len(judged)} claims; verdicts {dict(Counter(j.verdict for j in judged))}"]
    wrong = [j for j in judged if j.wrong]
    unknown = [j for j in judged if j.verdict == "unknown"]
    lines.append(f"wrong verdicts: {len(wrong)}; unknown (allowed): {len(unknown)}")
    for cls in sorted({j.cls for j in wrong}):
        lines.append(f"== {cls}")
        for j in (j for j in wrong if j.cls == cls):
            lines.append(f"  {j.id}: truth {j.truth}, verdict {j.verdict}: {j.wrong}")
            if j.detail:
                lines.append(f"      {j.detail}")
    lines.append("unknown: " + ", ".join(j.id for j in unknown))
    return "\n".join(lines)


@pytest.mark.slow
def test_every_claim_is_in_the_report(report: tuple[dict[str, Any], str]) -> None:
    """The run settled or rejected every claim of the suite (a claim missing from both is a harness failure)."""
    judged = judge_all(*report)
    assert [j.id for j in judged if j.verdict == "missing"] == []
    assert len(judged) >= 150


@pytest.mark.slow
def test_zero_wrong_verdicts(report: tuple[dict[str, Any], str]) -> None:
    """No false claim proved or checked, no true claim refuted, every error an error, every point in its domain."""
    judged = judge_all(*report)
    text = summary(judged)
    print(text)
    assert not [j for j in judged if j.wrong], text


@pytest.mark.slow
def test_the_known_misses_are_exactly_the_false_claims_checked(report: tuple[dict[str, Any], str]) -> None:
    """Every false claim reported ``checked`` is a listed miss, and every listed miss is still reported ``checked``
    (not proved: a proof of a false claim is a wrong verdict whatever this list says), but for those the cross-check
    withholds."""
    judged = judge_all(*report)
    checked = {j.id for j in judged if j.truth == "false" and j.verdict == "checked"}
    unknown = {j.id for j in judged if j.verdict == "unknown"}
    withheld = {c["id"] for c in report[0]["claims"] for o in c["obligations"]
                if "internal disagreement" in (o.get("message") or "")}
    refuted = {j.id for j in judged if j.verdict == "refuted"}
    # The round-3 kinks whose argument stands still in the variable (r3.sk22, sk33, lr1, ci4, sc1, sc10, rs2, rs4,
    # rs5, pr_sf1, pj2) were withheld here before the engine decided them; none may be again.
    assert withheld <= CAUGHT_MISSES | R4_WITHHELD
    assert CAUGHT_MISSES - withheld <= (SLOW_MISSES & unknown) | refuted
    assert checked <= set(KNOWN_MISSES) - CAUGHT_MISSES
    assert set(KNOWN_MISSES) - CAUGHT_MISSES - checked <= SLOW_MISSES & unknown


@pytest.mark.slow
def test_checked_evidence_names_what_was_checked(tmp_path: Path) -> None:
    """Issue 9, class 15: the softmax Jacobian at K = 32 (true, see the comment beside it) is not refuted, and if it
    is ``checked`` its evidence names exactly the set it checked."""
    done = subprocess.run([sys.executable, "-m", "verifier", "all", "--derivations", str(HERE / "slow_claims"),
                           "--format", "json", "--timeout", "300", "--jobs", "1", "--no-cache"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=RUN_LIMIT, check=False)
    (claim,) = json.loads(done.stdout)["claims"]
    assert claim["verdict"] in ("proved", "checked", "unknown"), claim
    for o in claim["obligations"]:
        if o["verdict"] == "checked":
            assert sizes_problem(o.get("sizes")) == "", o


if __name__ == "__main__":
    done = subprocess.run([sys.executable, "-m", "verifier", "all", "--derivations", str(CLAIMS), "--format", "json",
                           "--timeout", TIMEOUT, "--jobs", "2", "--no-cache", "--no-display"],
                          capture_output=True, text=True, check=False)
    print(summary(judge_all(json.loads(done.stdout), done.stderr)))

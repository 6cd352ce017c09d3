"""Random claims over the derivation format, true by construction.

Every generated file declares the same names (:data:`SYMBOLS`) and defines the same functions (:data:`DEFINE`),
among them a ReLU, a step, a Huber loss, a squared hinge and a signed square root written as ``Piecewise``. A claim
is built from random expressions (:class:`Smooth` trees, whose derivatives are computed here, rule by rule) by a
template: an identity that holds wherever its left side is defined (a valid rewrite), an inequality that always
holds, a derivative and its value, a sum or product rewritten (shifted, split, peeled, emptied), a vector entry, a
finite domain's case, a hypothesis over all indices, an ``exists`` with a witness, each optionally under a ``where``
or an ``assume``. A template whose truth depends on a point (a derivative at a joint of a ``Piecewise``) leaves it to
the reference evaluator (``truth = None``). :mod:`fuzz.corners` adds templates for corners found from outside
(gradients in index form, integer powers of powers, derivatives where the formula has a kink the function has not,
inverse and reciprocal trigonometric and hyperbolic functions at their poles, kinks and domain ends).
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction

from fuzz.corners import CORNERS, IMPLIED

#: The declarations every generated file shares.
SYMBOLS: dict[str, str] = {
    "x": "real", "y": "real", "a": "real [-2, 3]", "p": "positive", "q": "real (0, 1)",
    "n": "integer nonnegative", "m": "integer positive", "k": "integer 1..m", "b": "in {0, 1}",
    "c": "in {-1, 1/2, 2}", "w": "indexed real 1..m", "v": "indexed positive 1..n", "u": "indexed in {0, 1} 1..m",
    "g": "integer", "h": "integer",
}
#: The definitions every generated file shares (written as a person writes them).
DEFINE: dict[str, str] = {
    "relu(t)": "Piecewise((t, t > 0), (0, True))",
    "lrelu(t)": "Piecewise((t, t >= 0), (t/10, True))",
    "step(t)": "Piecewise((1, t >= 0), (0, True))",
    "huber(t)": "Piecewise((t^2/2, Abs(t) <= 1), (Abs(t) - 1/2, True))",
    "sqhinge(t)": "Max(0, 1 - t)^2",
    "sroot(t)": "Piecewise((sqrt(t), t >= 0), (-sqrt(-t), True))",
    "sigma(t)": "1/(1 + exp(-t))",
}


@dataclass
class Generated:
    """One generated claim: its TOML keys (besides id and title), its truth (``None``: left to the reference
    evaluator) and the template it came from."""

    id: str
    keys: dict[str, object]
    truth: bool | None
    template: str
    notes: list[str] = field(default_factory=list)

    def toml(self) -> str:
        """The claim as a ``[[claim]]`` table."""
        lines = ["[[claim]]", f"id = {json.dumps(self.id)}", f"title = {json.dumps(self.template)}"]
        for key, val in self.keys.items():
            lines.append(f"{key} = {_toml_value(val)}")
        return "\n".join(lines) + "\n"


def _toml_value(val: object) -> str:
    if isinstance(val, str):
        return json.dumps(val)
    if isinstance(val, list):
        return "[" + ", ".join(_toml_value(v) for v in val) + "]"
    if isinstance(val, dict):
        return "{ " + ", ".join(f"{k} = {_toml_value(v)}" for k, v in val.items()) + " }"
    raise TypeError(type(val))


def header() -> str:
    """The ``[symbols]`` and ``[define]`` tables every generated file starts with."""
    out = ["[symbols]", *(f"{k} = {json.dumps(v)}" for k, v in SYMBOLS.items()), "", "[define]"]
    out += [f"{json.dumps(k)} = {json.dumps(v)}" for k, v in DEFINE.items()]
    return "\n".join(out) + "\n\n"


# -- smooth expressions and their derivatives ---------------------------------------------------------------------

@dataclass(frozen=True)
class Smooth:
    """A differentiable expression: ``op`` with its arguments (a name, a number, or sub-expressions)."""

    op: str
    args: tuple[object, ...]

    def text(self) -> str:
        """The expression in the format's syntax, fully parenthesised."""
        a = self.args
        if self.op == "var":
            return str(a[0])
        if self.op == "num":
            value = a[0]
            assert isinstance(value, Fraction)
            return f"({value})" if value < 0 or value.denominator != 1 else str(value)
        parts = [x.text() if isinstance(x, Smooth) else str(x) for x in a]
        if self.op in ("+", "-", "*", "/"):
            return f"({parts[0]} {self.op} {parts[1]})"
        if self.op == "^":
            return f"({parts[0]})^{parts[1]}"
        return f"{self.op}({parts[0]})"

    def at(self, name: str, value: Smooth) -> Smooth:
        """The expression with ``value`` put in for ``name``."""
        if self.op == "var":
            return value if self.args[0] == name else self
        return Smooth(self.op, tuple(a.at(name, value) if isinstance(a, Smooth) else a for a in self.args))

    def d(self, var: str) -> Smooth:
        """The derivative by ``var``, rule by rule."""
        a = self.args
        if self.op == "var":
            return num(1 if a[0] == var else 0)
        if self.op == "num":
            return num(0)
        f = a[0]
        assert isinstance(f, Smooth)
        df = f.d(var)
        if self.op in ("+", "-"):
            g = a[1]
            assert isinstance(g, Smooth)
            return Smooth(self.op, (df, g.d(var)))
        if self.op == "*":
            g = a[1]
            assert isinstance(g, Smooth)
            return Smooth("+", (Smooth("*", (df, g)), Smooth("*", (f, g.d(var)))))
        if self.op == "/":
            g = a[1]
            assert isinstance(g, Smooth)
            top = Smooth("-", (Smooth("*", (df, g)), Smooth("*", (f, g.d(var)))))
            return Smooth("/", (top, Smooth("^", (g, 2))))
        if self.op == "^":
            power = a[1]
            assert isinstance(power, int)
            return Smooth("*", (Smooth("*", (num(power), Smooth("^", (f, power - 1)))), df))
        outer = {
            "exp": lambda: self,
            "log": lambda: Smooth("/", (num(1), f)),
            "sqrt": lambda: Smooth("/", (num(1), Smooth("*", (num(2), self)))),
            "sigma": lambda: Smooth("*", (self, Smooth("-", (num(1), self)))),
            "tanh": lambda: Smooth("-", (num(1), Smooth("^", (self, 2)))),
            "sin": lambda: Smooth("cos", (f,)),
            "cos": lambda: Smooth("-", (num(0), Smooth("sin", (f,)))),
        }[self.op]()
        return Smooth("*", (outer, df))


def num(v: int | Fraction) -> Smooth:
    """A number."""
    return Smooth("num", (Fraction(v),))


def var(name: str) -> Smooth:
    """A name."""
    return Smooth("var", (name,))


class Grammar:
    """Random expressions and claims, all drawn from one random generator (so a seed reproduces them)."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def pick(self, options: list[object]) -> object:
        """One of ``options``."""
        return self.rng.choice(options)

    def number(self) -> Fraction:
        """A small rational."""
        return Fraction(self.rng.choice([-3, -2, -1, 1, 2, 3, 5]), self.rng.choice([1, 1, 1, 2, 3]))

    def real(self, depth: int = 2, names: tuple[str, ...] = ("x", "y", "a")) -> Smooth:
        """A random smooth real expression of the names (defined everywhere)."""
        r = self.rng.random()
        if depth <= 0 or r < 0.25:
            return var(self.rng.choice(names)) if self.rng.random() < 0.7 else num(self.number())
        sub = lambda: self.real(depth - 1, names)  # noqa: E731
        choice = self.rng.choice(["+", "-", "*", "/", "^", "exp", "log", "sqrt", "sigma", "tanh", "sin", "cos"])
        if choice in ("+", "-", "*"):
            return Smooth(choice, (sub(), sub()))
        if choice == "/":
            return Smooth("/", (sub(), self.positive(depth - 1, names)))
        if choice == "^":
            return Smooth("^", (sub(), self.rng.choice([2, 3])))
        if choice in ("log", "sqrt"):
            return Smooth(choice, (self.positive(depth - 1, names),))
        if choice == "exp":
            return Smooth("exp", (Smooth("/", (sub(), num(2))),))
        return Smooth(choice, (sub(),))

    def positive(self, depth: int = 1, names: tuple[str, ...] = ("x", "y", "a")) -> Smooth:
        """A random expression positive everywhere."""
        choice = self.rng.choice(["square", "exp", "sigma", "p", "num"])
        if choice == "p" or (depth <= 0 and choice != "num"):
            return var("p") if self.rng.random() < 0.5 else Smooth("+", (num(1), Smooth("^", (var("x"), 2))))
        if choice == "num":
            return num(self.rng.choice([Fraction(1), Fraction(2), Fraction(3), Fraction(1, 2)]))
        inner = self.real(depth - 1, names)
        if choice == "square":
            return Smooth("+", (num(1), Smooth("^", (inner, 2))))
        return Smooth(choice, (inner,))

    def claim(self, cid: str) -> Generated:
        """A random claim true by construction (or left to the evaluator)."""
        template = self.rng.choices(list(TEMPLATES), weights=[WEIGHTS.get(t, 1.0) for t in TEMPLATES])[0]
        keys, truth = TEMPLATES[template](self)
        free = ("statement" in keys and "where" not in keys and "assume" not in keys
                and template != "kink" and template not in CORNERS)
        if free and self.rng.random() < 0.15:
            keys["where"] = {"x": str(self.number())}
        elif free and self.rng.random() < 0.1:
            keys["assume"] = [self.rng.choice(["x > 0", "y <= x", "x*y >= 1", "n >= 2", "x != 0"])]
        elif "statement" in keys and "assume" not in keys and self.rng.random() < 0.1:
            keys["assume"] = [self.rng.choice(IMPLIED)]
        return Generated(cid, keys, truth, template)


def _s(e: Smooth) -> str:
    """An expression's text in parentheses, safe as an operand anywhere (``A^2`` with ``A = x^3``)."""
    return f"({e.text()})"


Template = Callable[[Grammar], tuple[dict[str, object], "bool | None"]]


def _identity(g: Grammar) -> tuple[dict[str, object], bool | None]:
    A, B, C = (_s(g.real()) for _ in range(3))
    P, Q = _s(g.positive()), _s(g.positive())
    lhs, rhs = g.rng.choice([
        (f"{A}*({B} + {C})", f"{A}*{B} + {A}*{C}"),
        (f"({A} + {B})^2", f"{A}^2 + 2*{A}*{B} + {B}^2"),
        (f"exp({A} + {B})", f"exp({A})*exp({B})"),
        (f"log({P}*{Q})", f"log({P}) + log({Q})"),
        (f"log({P}^3)", f"3*log({P})"),
        (f"Abs({A})^2", f"{A}^2"),
        (f"Max({A}, {B})", f"({A} + {B} + Abs({A} - {B}))/2"),
        (f"Min({A}, {B})", f"({A} + {B} - Abs({A} - {B}))/2"),
        (f"relu({A}) - relu(-{A})", A),
        (f"sqrt({A}^2)", f"Abs({A})"),
        (f"Piecewise(({A}, {B} > {C}), ({P}, True))", f"Piecewise(({P}, {B} <= {C}), ({A}, True))"),
        (f"floor({A} + n)", f"floor({A}) + n"),
        (f"sign({A})*{A}", f"Abs({A})"),
        (f"exp(log({P}))", P),
        (f"{P}^{A}*{P}^{B}", f"{P}^({A} + {B})"),
        (f"sigma({A}) + sigma(-{A})", "1"),
        (f"tanh({A})", f"2*sigma(2*{A}) - 1"),
        (f"sroot({A})*Abs(sroot({A}))", A),
        (f"lrelu({A})", f"Max({A}, {A}/10)"),
        (f"step({A})*{A}", f"Max({A}, 0)"),
        (f"sqhinge({A})", f"relu(1 - {A})^2"),
        (f"({A})/({P})*{P}", A),
        (f"Heaviside({P})", "1"),
        (f"ceiling({A})", f"-floor(-{A})"),
    ])
    return {"statement": f"{lhs} = {rhs}"}, True


def _inequality(g: Grammar) -> tuple[dict[str, object], bool | None]:
    A, B = _s(g.real()), _s(g.real())
    P = _s(g.positive())
    rel = g.rng.choice([
        f"relu({A}) >= {A}", f"relu({A}) >= 0", f"Abs({A} + {B}) <= Abs({A}) + Abs({B})", f"sigma({A}) < 1",
        f"0 < sigma({A}) < 1", f"exp({A}) >= 1 + {A}", f"log({P}) <= {P} - 1", f"Max({A}, {B}) >= {A}",
        f"huber({A}) <= {A}^2/2", f"({A} - {B})^2 >= 0", f"{A}^2 + {B}^2 >= 2*{A}*{B}", "q*(1 - q) <= 1/4",
        f"floor({A}) <= {A}", f"sroot({A})^2 = Abs({A})", f"Min({A}, {B}) <= Max({A}, {B})",
        f"tanh({A})^2 <= 1", f"sqhinge({A}) >= 0", f"Abs(sin({A})) <= 1",
    ])
    return {"statement": rel}, True


def _derivative(g: Grammar) -> tuple[dict[str, object], bool | None]:
    e = g.real(2, ("x", "y"))
    order = g.rng.choice([1, 1, 1, 2])
    d = e.d("x") if order == 1 else e.d("x").d("x")
    lhs = f"diff({_s(e)}, x)" if order == 1 else f"diff({_s(e)}, x, 2)"
    keys: dict[str, object] = {"statement": f"{lhs} = {_s(d)}"}
    if g.rng.random() < 0.3:
        keys["where"] = {"x": str(g.number())}
    return keys, True


def _kink(g: Grammar) -> tuple[dict[str, object], bool | None]:
    """A derivative of a function written with a kink, at a joint or away from it: truth from the evaluator."""
    f, joints = g.rng.choice([("relu", ["0"]), ("lrelu", ["0"]), ("step", ["0"]), ("huber", ["1", "-1", "0"]),
                              ("sqhinge", ["1", "0"]), ("sroot", ["1"]), ("Abs", ["0", "1"])])
    point = g.rng.choice([*joints, str(g.number())])
    value = g.rng.choice(["0", "1", "1/10", "-1", "2", "x", "x - 1"])
    order = g.rng.choice(["", "", ", 2"])
    lhs, rhs = f"diff({f}(x), x{order})", value
    if g.rng.random() < 0.4:
        lhs, rhs = rhs, lhs
    how = g.rng.choice(["where", "assume", "exists"])
    if how == "where":
        return {"statement": f"{lhs} = {rhs}", "where": {"x": point}}, None
    if how == "assume":
        return {"statement": f"{lhs} = {rhs}", "assume": [f"x = {point}"]}, None
    return {"exists": f"{lhs} = {rhs}", "assume": [f"x = {point}"]}, None


def _sums(g: Grammar) -> tuple[dict[str, object], bool | None]:
    N = g.rng.choice(["n", "m", "(n + 1)", "(m - 1)", "2", "0", "k"])
    F = g.rng.choice(["j", "j^2", "x^j", "w[j]", "1/j", "exp(j*x)", "(j + x)^2", "v[j]", "u[j]*x", "sigma(j*x)"])
    G = g.rng.choice(["1", "j", "y", "w[j]^2", "2^j"])
    F1 = F.replace("j", "(j + 1)")
    C = _s(g.real(1))
    lhs, rhs = g.rng.choice([
        (f"Sum({C}*{F}, (j, 1, {N}))", f"{C}*Sum({F}, (j, 1, {N}))"),
        (f"Sum({F} + {G}, (j, 1, {N}))", f"Sum({F}, (j, 1, {N})) + Sum({G}, (j, 1, {N}))"),
        (f"Sum({F}, (j, 1, {N}))", f"Sum({F1}, (j, 0, {N} - 1))"),
        (f"Sum({F}, (j, 1, {N} + 1))", f"Sum({F}, (j, 1, {N})) + {F.replace('j', f'({N} + 1)')}"),
        (f"Sum(1, (j, 1, {N}))", N),
        (f"Sum(j, (j, 1, {N}))", f"{N}*({N} + 1)/2"),
        (f"Sum(2*j - 1, (j, 1, {N}))", f"({N})^2"),
        (f"Sum({F}, (j, 1, 0))", "0"),
        (f"Product({F}, (j, 3, 2))", "1"),
        (f"Product(p, (j, 1, {N}))", f"p^({N})"),
        (f"(x - 1)*Sum(x^j, (j, 0, {N} - 1))", f"x^({N}) - 1"),
        ("Sum(Sum(w[i]*w[j], (i, 1, m)), (j, 1, m))", "Sum(w[i], (i, 1, m))^2"),
        (f"Sum(Sum({G.replace('j', 'i')}, (i, 1, j)), (j, 1, {N}))", f"Sum(({N} - j + 1)*({G}), (j, 1, {N}))"),
        (f"Sum({C}/m, (j, 1, m))", C),
        (f"Product(2, (j, 1, {N}))*Product(3, (j, 1, {N}))", f"6^({N})"),
        (f"Sum({F}*KroneckerDelta(j, k), (j, 1, m))", F.replace("j", "k")),
    ])
    return {"statement": f"{lhs} = {rhs}"}, True


def _vectors(g: Grammar) -> tuple[dict[str, object], bool | None]:
    C = _s(g.real(1))
    lhs, rhs = g.rng.choice([
        ("len(vector(j^2, (j, 1, n)))", "n"),
        ("len(vector(j, (j, 3, 1)))", "0"),
        ("vector(j^2, (j, 1, 3))[2]", "4"),
        (f"([1, 2, 3] + {C})[4]", "0"),
        (f"([1, 2, 3] + {C})[2]", f"2 + {C}"),
        ("flip([1, 2, 3])[1]", "3"),
        ("flip(flip(w))[k]", "w[k]"),
        (f"Sum((w + {C})[j], (j, 1, m))", f"Sum(w[j], (j, 1, m)) + m*{C}"),
        ("exp([0, 1])[3]", "0"),
        ("len(w)", "m"),
        ("w[m + 1] + w[0]", "0"),
    ])
    return {"statement": f"{lhs} = {rhs}"}, True


def _finite(g: Grammar) -> tuple[dict[str, object], bool | None]:
    A = _s(g.real(1))
    rel = g.rng.choice([
        "b^2 = b", "b*(1 - b) = 0", f"b*{A} + (1 - b)*{A} = {A}", "c^2 >= 1/4", "Abs(c) <= 2",
        "u[k]^2 = u[k]", "Sum(u[j], (j, 1, m)) <= m", "relu(c) = Max(c, 0)",
    ])
    return {"statement": rel}, True


def _all_indices(g: Grammar) -> tuple[dict[str, object], bool | None]:
    keys: dict[str, object] = g.rng.choice([
        {"statement": "log(w[1]*w[2]) = log(w[1]) + log(w[2])", "assume": ["w[j] > 0", "m >= 2"]},
        {"statement": "Sum(w[j], (j, 1, m)) >= 0", "assume": ["w[j] >= 0"]},
        {"statement": "Sum(w[j]^2, (j, 1, m)) <= Sum(w[j], (j, 1, m))", "assume": ["0 <= w[j]", "w[j] <= 1"]},
        {"statement": "w[k] <= Sum(w[j], (j, 1, m))", "assume": ["w[j] >= 0"]},
        {"statement": "Sum(log(w[j]), (j, 1, m)) >= 0", "assume": ["w[j] >= 1"]},
        {"statement": "Sum(Sum(w[j]*w[i], (i, 1, m)), (j, 1, m)) >= 0", "assume": ["w[j] <= 0"]},
        {"statement": "Sum(w[j + 1] - w[j], (j, 1, m - 1)) = w[m] - w[1]", "assume": ["w[j] <= w[j + 1]"]},
        {"statement": "Sum(v[j], (j, 1, n)) > 0", "assume": ["n >= 1"]},
        {"statement": "Max(w[1], w[2]) <= 1", "assume": ["w[j] <= 1"]},
    ])
    return keys, True


def _exists(g: Grammar) -> tuple[dict[str, object], bool | None]:
    e = g.real(2, ("x",))
    c = g.number()
    keys: dict[str, object] = g.rng.choice([
        {"exists": f"{_s(e)} = {_s(e.at('x', num(c)))}"},
        {"exists": "relu(x) = 0"}, {"exists": "sigma(x) = 1/2"}, {"exists": "diff(huber(x), x) = 1"},
        {"exists": "x^2 < 0"}, {"exists": "diff(relu(x), x) = 0", "assume": ["x >= 0"]},
        {"exists": "Sum(1, (j, 1, n)) = 3"}, {"exists": "b*(1 - b) = 1"},
    ])
    # x^2 < 0 and b(1 - b) = 1 have no witness; for x >= 0, relu' is 1 (x > 0) or undefined (x = 0).
    false = ("x^2 < 0", "b*(1 - b) = 1", "diff(relu(x), x) = 0")
    return keys, keys["exists"] not in false


def _steps(g: Grammar) -> tuple[dict[str, object], bool | None]:
    A, B = _s(g.real(1)), _s(g.real(1))
    chain = g.rng.choice([
        [f"({A} + {B})^2 - ({A} - {B})^2", f"4*{A}*{B}"],
        [f"exp({A})*exp({B})", f"exp({A} + {B})", f"exp({B} + {A})"],
        [f"Max({A}, {B}) + Min({A}, {B})", f"{A} + {B}"],
        [f"relu({A})", f"Max({A}, 0)", f">= {A}"],
        ["Sum(j, (j, 1, n))", "n*(n + 1)/2", ">= 0"],
        [f"sigma({A})*(1 - sigma({A}))", "<= 1/4"],
    ])
    return {"steps": chain}, True


def _sizes(g: Grammar) -> tuple[dict[str, object], bool | None]:
    """Sums, products and vectors at sizes that may be 0 (an empty range), whose summand may be undefined at that
    size: truth from the evaluator."""
    C = _s(g.real(1))
    N = g.rng.choice(["n", "m", "(n - 1)", "(m - 2)", "k", "(k - 1)"])
    rel = g.rng.choice([
        f"Sum({C}/{N}, (j, 1, {N})) = {C}",
        f"Sum(1/{N}, (j, 1, {N})) = 1",
        f"Product({N}/j, (j, 1, {N})) >= 1",
        f"Sum(w[j]/{N}, (j, 1, {N}))*{N} = Sum(w[j], (j, 1, {N}))",
        f"len(vector(1/j, (j, 1, {N}))) = {N}",
        f"Sum(Sum(1, (i, j, {N})), (j, 1, {N})) = {N}*({N} + 1)/2",
        f"Sum(log(j), (j, 1, {N})) >= 0",
        f"Product(1 - 1/(j + 1), (j, 1, {N})) = 1/({N} + 1)",
        f"Sum(x^j*(x - 1), (j, 0, {N})) = x^({N} + 1) - 1",
        f"Sum(Sum(1, (i, 1, {N})), (j, 1, m)) = {N}*m",
    ])
    return {"statement": rel}, None


def _beyond(g: Grammar) -> tuple[dict[str, object], bool | None]:
    """Bounds that hold at every small size and fail only at large ones (each crossing worked out by hand)."""
    rel = g.rng.choice([
        "Sum(1/j, (j, 1, m)) <= 8",                      # H_1674 > 8 (H_K ≈ log K + 0.5772)
        "Sum(1/j^2, (j, 1, m)) <= 1644/1000",           # pi^2/6 - 1/m passes 1.644 from m ≈ 1072
        "Sum(1/(j*(j + 1)), (j, 1, m)) < 99/100",        # the sum is m/(m + 1), >= 99/100 from m = 99
        "Product(j, (j, 1, m)) < 10^300",                # 170! > 10^306
        "Product(1 + 1/j, (j, 1, m)) <= 500",            # the product is m + 1
        "2^m < m^10",                                    # 2^59 > 59^10 (5.8e17 > 5.1e17)
    ])
    return {"statement": rel}, False


def _where_values(g: Grammar) -> tuple[dict[str, object], bool | None]:
    """``where`` values that are expressions of other names; the claim stays about every value of those."""
    e = g.real(2, ("x", "y"))
    value = g.rng.choice(["x + 1", "2*x", "x^2", "p", "1/2"])
    return {"statement": f"{_s(e).replace('y', f'({value})')} = {_s(e)}", "where": {"y": value}}, True


#: How often a template is drawn, against 1 for the others: a bound that fails only at large sizes costs the
#: verifier a bounded check and a search beyond it, seconds each.
WEIGHTS = {"beyond": 0.25}

TEMPLATES: dict[str, Template] = {
    "identity": _identity, "inequality": _inequality, "derivative": _derivative, "kink": _kink, "sums": _sums,
    "vectors": _vectors, "finite": _finite, "all-indices": _all_indices, "exists": _exists, "steps": _steps,
    "sizes": _sizes, "beyond": _beyond, "where-values": _where_values, **CORNERS,
}

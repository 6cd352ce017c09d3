"""MathML Core for the HTML report: SymPy's presentation printer, corrected where it prints badly, and the steps
of a claim built *as written* for display.

SymPy's printer (1.14) writes ``KroneckerDelta(i, k)`` as the word "kroneckerdelta", a ``Piecewise`` as
"piecewise((x, x > 0), ...)", Euler's number as the double-struck ⅇ, ``w2[k, j]`` as w with the subscript "2" and
then "(k,j)", minus as a hyphen, lowercases the names of undefined functions (``S`` becomes "s") and leaves matrix
brackets unstretched. :class:`Printer` prints Kronecker deltas as δ with subscripts, a ``Piecewise`` as a cases brace,
``e`` upright, minus as U+2212, stretchy brackets, names as written, and an indexed family as its name with the
indices as subscripts, or, where a notation maps the family to a base and a layer label (``{"w2": ("w", "2")}``), as
w^{(2)}_{kj}. Every element it writes is in MathML Core (no ``mfenced``, no ``menclose``), so Chromium and Firefox
render it without fonts or scripts from elsewhere.

:class:`Written` builds a claim's relations for display with the project's own parser and builder, with SymPy's
automatic evaluation off, definitions left as calls and sums left as sums: a step reads as its author wrote it, not
as the engine expanded it. Nothing here decides a verdict.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from typing import Any
from xml.dom.minidom import Element, Node

import sympy as sp
from sympy.core.function import AppliedUndef
from sympy.printing.conventions import requires_partial
from sympy.printing.mathml import MathMLPresentationPrinter
from sympy.printing.precedence import PRECEDENCE
from sympy.printing.pretty.pretty_symbology import greek_unicode

from verifier.errors import VerifierError
from verifier.frontend import parser as P
from verifier.frontend.builder import Builder
from verifier.frontend.builtins import BUILTINS
from verifier.frontend.declarations import scope_of
from verifier.frontend.library import Library
from verifier.frontend.scope import Scope
from verifier.kernel.relations import RELATION_CLASSES
from verifier.model import Claim

#: A notation for layer-labelled families: the family's name -> (the letter shown, the layer label).
Families = Mapping[str, tuple[str, str]]

#: Relation signs as shown.
OPERATORS = {"=": "=", "!=": "≠", "<": "<", "<=": "≤", ">": ">", ">=": "≥"}

# Text SymPy puts in <mo>/<mi> and what MathML Core readers should see instead.
_REPLACE = {
    "-": "\u2212", "&ExponentialE;": "e", "&dd;": "d", "&ImaginaryI;": "i", "&InvisibleTimes;": "\u2062",
}
# Elements SymPy may write that MathML Core does not have.
_NOT_CORE = frozenset({"mfenced", "menclose"})


class Entry(sp.Function):
    """An entry ``f(x)[4]`` of a value that is not a family, kept unevaluated for display: (value, indices...)."""


class Chained(sp.logic.boolalg.BooleanFunction):
    """A chain of comparisons ``a <= b <= c`` as written, for display: its relations in order, each one's right side
    the next one's left side."""


class Printer(MathMLPresentationPrinter):
    """SymPy's presentation MathML printer with the corrections listed in the module's docstring."""

    def __init__(self, families: Families | None = None) -> None:
        super().__init__({"order": "none"})
        self.families = dict(families or {})

    # -- small builders ------------------------------------------------------------------------------------------

    def _el(self, tag: str, *children: Element, **attrs: str) -> Element:
        el = self.dom.createElement(tag)
        for key, value in attrs.items():
            el.setAttribute(key, value)
        for child in children:
            el.appendChild(child)
        return el

    def _token(self, tag: str, text: str, **attrs: str) -> Element:
        # SymPy's text nodes are written raw (its own entities stay intact); ours are escaped first.
        el = self._el(tag, **attrs)
        el.appendChild(self.dom.createTextNode(html.escape(text, quote=False)))
        return el

    def _row(self, items: list[Element], separator: str | None = None) -> Element:
        row = self._el("mrow")
        for n, item in enumerate(items):
            if n and separator:
                row.appendChild(self._token("mo", separator))
            row.appendChild(item)
        return row

    def _subscripts(self, indices: tuple[sp.Basic, ...]) -> Element:
        """Indices side by side (``kj``) when each is one letter or digit, else separated by commas."""
        short = all((isinstance(i, sp.Symbol) and len(i.name) == 1) or (i.is_Integer and 0 <= i < 10)
                    for i in indices)
        return self._row([self._print(i) for i in indices], None if short else ",")

    # -- corrections ---------------------------------------------------------------------------------------------

    def _print_Exp1(self, e: Any) -> Element:
        return self._token("mi", "e", mathvariant="normal")

    def _print_exp(self, expr: sp.Expr) -> Element:
        return self._el("msup", self._print_Exp1(None), self._print(expr.args[0]))

    def _print_KroneckerDelta(self, e: sp.KroneckerDelta) -> Element:
        return self._el("msub", self._token("mi", "δ"), self._subscripts(e.args))

    def _print_Piecewise(self, e: sp.Piecewise) -> Element:
        # columnalign for MathML 3 readers (Firefox); the class lets the page's CSS align the cells in MathML Core.
        table = self._el("mtable", columnalign="left left", **{"class": "cases"})
        for value, cond in e.args:
            condition = (self._token("mtext", "otherwise") if cond is sp.true
                         else self._row([self._token("mtext", "if\u00a0"), self._print(cond)]))
            table.appendChild(self._el("mtr", self._el("mtd", self._print(value)), self._el("mtd", condition)))
        return self._el("mrow", self._token("mo", "{", stretchy="true"), table)

    def _print_Indexed(self, e: sp.Indexed) -> Element:
        name = e.base.label.name if isinstance(e.base.label, sp.Symbol) else str(e.base.label)
        subscripts = self._subscripts(e.indices)
        if name in self.families:
            letter, layer = self.families[name]
            return self._el("msubsup", self._token("mi", letter), subscripts, self._layer(layer))
        return self._el("msub", self._token("mi", name), subscripts)

    def _print_IndexedBase(self, e: sp.IndexedBase) -> Element:
        name = str(e.label)
        if name in self.families:
            letter, layer = self.families[name]
            return self._el("msup", self._token("mi", letter), self._layer(layer))
        return self._token("mi", name)

    def _layer(self, layer: str) -> Element:
        """A layer label in parentheses, ``(2)``."""
        return self._row([self._token("mo", "("), self._token("mn" if layer.isdigit() else "mi", layer),
                          self._token("mo", ")")])

    def _print_Entry(self, e: Entry) -> Element:
        base, *indices = e.args
        return self._el("msub", self.parenthesize(base, 1000, strict=True), self._subscripts(tuple(indices)))

    def _print_Function(self, e: sp.Expr) -> Element:
        if isinstance(e, AppliedUndef):  # a definition of the file: its name as written, not lowercased
            return self._el("mrow", self._token("mi", _name(e.func.__name__)), self._arguments(e.args))
        return super()._print_Function(e)

    def _arguments(self, args: tuple[Any, ...]) -> Element:
        """``(a, b, c)``: arguments in parentheses, comma separated (written here: SymPy's own helper for it is
        private and not in every supported version)."""
        parts: list[Element] = [self._token("mo", "(")]
        for n, arg in enumerate(args):
            if n:
                parts.append(self._token("mo", ","))
            parts.append(self._print(arg))
        parts.append(self._token("mo", ")"))
        return self._row(parts)

    def _print_Symbol(self, sym: sp.Symbol, style: str = "plain") -> Element:
        # Declared names print as written; SymPy would read "w2" as w with subscript 2 and "x_in" as x sub "in".
        if sym.name in self.families:
            return self._print_IndexedBase(sp.IndexedBase(sym.name))
        return self._token("mi", _name(sym.name))

    def _print_Sum(self, e: sp.Sum) -> Element:
        # The summand in parentheses only when it is a sum itself (SymPy also wraps products).
        sign = "∑" if isinstance(e, sp.Sum) else "∏"
        operators = []
        for var, lo, hi in reversed(e.limits):  # SymPy lists the innermost limit first
            below = self._row([self._print(var), self._token("mo", "="), self._print(lo)])
            operators.append(self._el("munderover", self._token("mo", sign, largeop="true", movablelimits="false"),
                                      below, self._print(hi)))
        return self._row([*operators, self.parenthesize(e.function, PRECEDENCE["Mul"], strict=True)])

    _print_Product = _print_Sum

    def _print_Mul(self, e: sp.Mul) -> Element:
        # The factors in the order written; a factor b^-n (a division) goes below a fraction bar.
        factors = list(e.args)
        negative = len(factors) > 1 and factors[0].is_Number and factors[0].is_negative
        if negative:
            factors[0] = -factors[0]
        # A factor 1 (from -x written as -1*x, or a unit coefficient) is not shown beside others.
        factors = [f for f in factors if f is not sp.S.One] or [sp.S.One]
        above: list[sp.Basic] = []
        below: list[sp.Basic] = []
        for f in factors:
            if f.is_Pow and f.exp.is_Rational and f.exp.is_negative:
                below.append(f.base if f.exp == -1 else sp.Pow(f.base, -f.exp, evaluate=False))
            else:
                above.append(f)
        body = self._product(above) if above else self._token("mn", "1")
        if negative and not below and len(above) == 1 and above[0].is_Add:    # -(1 - f), not -1 - f
            body = self.parenthesize(above[0], PRECEDENCE["Mul"], strict=True)
        if below:
            body = self._el("mfrac", body, self._product(below))
        return self._row([self._token("mo", "\u2212"), body]) if negative else body

    def _product(self, factors: list[sp.Basic]) -> Element:
        items: list[Element] = []
        for n, f in enumerate(factors):
            if n:
                items.append(self._token("mo", "·" if f.is_Number else "\u2062"))
            items.append(self.parenthesize(f, PRECEDENCE["Mul"], strict=True) if len(factors) > 1
                         else self._print(f))
        return items[0] if len(items) == 1 else self._row(items)

    def _print_Derivative(self, e: sp.Derivative) -> Element:
        # d^2/da^2 f, not SymPy's d^2/d^2 a; ∂ when there are several variables or the variable is an entry.
        partial = requires_partial(e.expr) or any(isinstance(v, sp.Indexed) for v in e.variables)
        d = "∂" if partial else "d"
        total = sum(int(n) for _, n in e.variable_count)
        below = []
        for var, count in reversed(e.variable_count):
            power = self._print(var) if count == 1 else self._el("msup", self._print(var), self._print(count))
            below.append(self._row([self._token("mo", d, rspace="0"), power]))
        above = self._token("mo", d, rspace="0") if total == 1 else self._el(
            "msup", self._token("mo", d, rspace="0"), self._print(sp.Integer(total)))
        fraction = self._el("mfrac", above, self._row(below))
        return self._row([fraction, self.parenthesize(e.expr, PRECEDENCE["Mul"], strict=True)])

    _print_Dummy = _print_Symbol

    def _print_Relational(self, e: sp.core.relational.Relational) -> Element:
        return self._row([self._print(e.lhs), self._token("mo", OPERATORS[e.rel_op.replace("==", "=")]),
                          self._print(e.rhs)])

    def _print_BooleanTrue(self, e: Any) -> Element:
        return self._token("mtext", "true")

    def _print_BooleanFalse(self, e: Any) -> Element:
        return self._token("mtext", "false")

    def _print_And(self, e: sp.And) -> Element:
        return self._row([self._print(a) for a in e.args], "∧")

    def _print_Chained(self, e: Chained) -> Element:
        items = [self._print(e.args[0].lhs)]
        for link in e.args:
            items += [self._token("mo", OPERATORS[link.rel_op.replace("==", "=")]), self._print(link.rhs)]
        return self._row(items)

    def _print_Or(self, e: sp.Or) -> Element:
        return self._row([self._print(a) for a in e.args], "∨")

    # -- output --------------------------------------------------------------------------------------------------

    def element(self, expr: Any) -> Element:
        """The expression as a MathML element, corrected to MathML Core."""
        return _core(self._print(expr), self)

    def relation(self, lhs: Any, op: str, rhs: Any) -> Element:
        """``lhs op rhs`` as one row."""
        return self._row([self.element(lhs), self._token("mo", OPERATORS[op]), self.element(rhs)])

    def math(self, body: Element, *, display: bool = True) -> str:
        """A complete ``<math>`` element around ``body``, in display style (large operators, full-size fractions)
        when ``display``; it flows inline either way, so the page decides its alignment."""
        root = self._el("math", body, displaystyle="true" if display else "false")
        return root.toxml()


_LAYER = re.compile(r"\\?([A-Za-z]+)\s*\^\s*\{?\s*\(?\s*([A-Za-z0-9]+)\s*\)?\s*\}?")


def families_from_notation(notation: Mapping[str, str]) -> dict[str, tuple[str, str]]:
    """Layer-labelled families from a notation that maps a family's name to how a sheet writes it:
    ``{"w2": "\\omega^{(2)}"}`` (or ``"w^2"``, a superscript label) gives ``{"w2": ("ω", "2")}``; entries of any
    other form are left out."""
    out = {}
    for name, written in notation.items():
        match = _LAYER.fullmatch(written.strip())
        if match:
            out[name] = (_name(match.group(1)), match.group(2))
    return out


def _name(name: str) -> str:
    """A name as written, a Greek letter's name (``sigma``) as the letter."""
    return greek_unicode.get(name, name)


def _core(el: Element, printer: Printer) -> Element:
    """Rewrite SymPy's output in place to MathML Core: replacement characters, stretchy brackets around tables,
    ``mfenced`` as an ``mrow`` with explicit fences."""
    for child in list(el.childNodes):
        if child.nodeType == Node.ELEMENT_NODE:
            new = _core(child, printer)
            if new is not child:
                el.replaceChild(new, child)
    if el.tagName in ("mo", "mi") and el.firstChild is not None and el.firstChild.nodeType == Node.TEXT_NODE:
        text = el.firstChild.data
        if text in _REPLACE:
            el.firstChild.data = _REPLACE[text]
            if text == "&ExponentialE;" or text == "&dd;":
                el.setAttribute("mathvariant", "normal")
    if el.tagName in _NOT_CORE:     # older SymPy writes mfenced
        row = printer.dom.createElement("mrow")
        opening, closing = el.getAttribute("open") or "(", el.getAttribute("close") or ")"
        if el.tagName == "mfenced":
            row.appendChild(printer._token("mo", opening))
        for child in list(el.childNodes):
            row.appendChild(child)
        if el.tagName == "mfenced":
            row.appendChild(printer._token("mo", closing))
        el = row
    if el.tagName == "mrow" and any(c.nodeType == Node.ELEMENT_NODE and c.tagName == "mtable"
                                    for c in el.childNodes):
        for child in el.childNodes:
            if child.nodeType == Node.ELEMENT_NODE and child.tagName == "mo":
                child.setAttribute("stretchy", "true")
    return el


def to_mathml(expr: Any, *, families: Families | None = None, display: bool = True) -> str:
    """One SymPy expression (or relation) as a ``<math>`` element in MathML Core."""
    printer = Printer(families)
    return printer.math(printer.element(_display_form(expr)), display=display)


def relation_mathml(parts: list[tuple[str | None, Any]], *, families: Families | None = None,
                    display: bool = True) -> str:
    """A chain ``a = b <= c`` as one ``<math>`` element: ``parts`` are (sign before, value), the first sign ``None``."""
    printer = Printer(families)
    row = printer._el("mrow")
    for op, value in parts:
        if op is not None:
            row.appendChild(printer._token("mo", OPERATORS[op]))
        row.appendChild(printer.element(_display_form(value)))
    return printer.math(row, display=display)


def _display_form(expr: Any) -> Any:
    """Matrices as immutable SymPy objects (printable inside other expressions); other values unchanged."""
    if isinstance(expr, sp.MatrixBase):
        return sp.ImmutableMatrix(expr)
    return expr


# --- the claim as written ------------------------------------------------------------------------------------


class WrittenBuilder(Builder):
    """The project's builder, for display: definitions stay calls, sums stay sums, ``diff`` stays a derivative,
    families stay names, and nothing is evaluated (the caller turns SymPy's evaluation off)."""

    def bind(self, name: str, col: int) -> sp.Symbol:
        """A bound index prints as its own name."""
        super().bind(name, col)
        return sp.Symbol(name, integer=True)

    def _Name(self, node: P.Name) -> Any:
        if not self._shadowed(node.id):
            info = self.scope.symbols.get(node.id)
            if info is not None and info.indexed:
                return info.symbol
            definition = self.scope.definitions.get(node.id)
            if definition is not None and definition.params is None:
                return sp.Symbol(node.id)
        return super()._Name(node)

    def _Index(self, node: P.Index) -> Any:
        base = self.value(node.base)
        idx = [self.value(i) for i in node.indices]
        if isinstance(base, sp.IndexedBase):
            return base[tuple(idx)]
        if isinstance(base, sp.Expr):
            return Entry(base, *idx)
        return super()._Index(node)

    def _Compare(self, node: P.Compare) -> Any:
        """A comparison as written: never solved for a name or reordered, a chain ``1 <= j <= k`` kept a chain."""
        values = [self.value(o) for o in node.operands]
        links = [RELATION_CLASSES[op](a, b, evaluate=False)
                 for op, a, b in zip(node.ops, values, values[1:], strict=False)]
        return Chained(*links) if len(links) > 1 else links[0]

    def _Vector(self, node: P.Vector) -> Any:
        items = [self.value(i) for i in node.items]
        if all(isinstance(i, sp.MatrixBase) for i in items):
            return sp.ImmutableMatrix([list(i) for i in items])
        return sp.ImmutableMatrix([items])

    def _Call(self, node: P.Call) -> Any:
        name = node.func
        if name in self.scope.definitions and not self._shadowed(name):
            return sp.Function(name)(*[self.value(a) for a in node.args])
        if name in ("Sum", "Product") and len(node.args) == 2:
            var, lo, hi = self.limits(node.args[1], name)
            j = self.bind(var.id, var.col)
            body = self.bounded(node.args[0], var, j)
            return (sp.Sum if name == "Sum" else sp.Product)(body, (j, self.value(lo), self.value(hi)))
        if name == "diff" and len(node.args) in (2, 3):
            expr, var = self.value(node.args[0]), self.value(node.args[1])
            order = self.value(node.args[2]) if len(node.args) == 3 else sp.Integer(1)
            with sp.evaluate(True):  # Derivative's constructor compares orders, which needs evaluation
                return sp.Derivative(expr, (var, order))
        pieces = [a for a in node.args if isinstance(a, P.Tuple) and len(a.items) == 2]
        if name == "Piecewise" and pieces and len(pieces) == len(node.args):
            # Unevaluated: SymPy's Piecewise would rewrite each condition (y = 1 as y = (1 + 0)/1).
            pairs = [(self.value(a.items[0]), self.condition(a.items[1])) for a in pieces]
            return sp.Piecewise(*[(v, sp.true if c is True else c) for v, c in pairs], evaluate=False)
        if name == "Matrix" and len(node.args) == 1:
            return self.value(node.args[0])
        if name in BUILTINS and BUILTINS[name].shown_as_call:
            args = [self.node(a) for a in node.args]
            return sp.Function(name)(*[sp.Tuple(*a) if isinstance(a, tuple) else a for a in args])
        return super()._Call(node)


class Written:
    """A claim's relations built as written, in the context of its library, ready to print."""

    def __init__(self, library: Library, claim: Claim, families: Families | None = None) -> None:
        self.claim = claim
        self.families = families
        try:
            # The claims of one file share their declarations, built once (scope_of); a copy of its own, so that
            # nothing built for display is kept where the engine's builder would find it.
            scope = scope_of(library.context(claim)).merged(Scope())
            self.builder: WrittenBuilder | None = WrittenBuilder(scope, file=claim.file)
        except (VerifierError, RecursionError):
            self.builder = None

    def relation(self, text: str) -> str | None:
        """A relation ``a = b <= c`` as a ``<math>`` element, or ``None`` when it cannot be built."""
        return self._guarded(lambda b: self._relation(b, text))

    def chain_entry(self, text: str, first: bool) -> str | None:
        """One entry of a chain, ``= b`` or (the first) ``a``, as a ``<math>`` element, or ``None``."""
        return self._guarded(lambda b: self._entry(b, text, first))

    def _relation(self, b: WrittenBuilder, text: str) -> str:
        node = P.parse_relation(text)
        with sp.evaluate(False):
            values = [b.value(o) for o in node.operands]
        ops: list[str | None] = [None, *node.ops]
        return relation_mathml(list(zip(ops, values, strict=True)), families=self.families)

    def _entry(self, b: WrittenBuilder, text: str, first: bool) -> str:
        op, node = P.parse_step(text)
        with sp.evaluate(False):
            value = b.value(node)
        # Printed with evaluation on: SymPy's printer asks questions of the expression that recurse without it.
        return relation_mathml([(None if first else (op or "="), value)], families=self.families)

    def _guarded(self, build: Any) -> str | None:
        if self.builder is None:
            return None
        try:
            return build(self.builder)
        except (VerifierError, RecursionError):
            return None
        except Exception:  # SymPy or its printer failing on a display form costs the picture, not the report
            return None

"""Derivatives by a family entry ``w[k]`` and of sums (``derivative_where_defined`` in verifier/frontend/builtins.py,
with verifier/frontend/kinks.py and joints.py): the kinks, joints and jumps of the term that is ``w[k]``'s keep the
definedness of the scalar case, and a kink inside a sum stays a condition of its term.

Each derivative is looked at in a concrete case (sizes and values put in, the sums then written out): ``nan`` is
undefined there. Truths by hand, from the one-sided difference quotients, in the comments; the claim ids are those of
the round 3 red team (r3c.4-r3c.8, r3c.13).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import sympy as sp

from tests.conftest import Files, Run
from verifier.frontend.builtins import derivative_where_defined

w = sp.IndexedBase("w", real=True)
v = sp.IndexedBase("v", real=True)
xs = sp.IndexedBase("xs", real=True)
ys = sp.IndexedBase("ys", real=True)
j = sp.Symbol("j", integer=True)
r = sp.Symbol("r", integer=True)
k = sp.Symbol("k", integer=True)
K = sp.Symbol("K", integer=True, positive=True)
N = sp.Symbol("N", integer=True, positive=True)
b = sp.Symbol("b", real=True)
t = sp.Symbol("t", real=True)
lam = sp.Symbol("lam", positive=True)


def relu(u: sp.Expr) -> sp.Expr:
    return sp.Piecewise((u, u > 0), (0, True))


def at(d: sp.Expr, sizes: dict, values: dict) -> sp.Expr:
    """``d`` with the sizes and indices put in and its sums written out, then the entries' values (``nan``:
    undefined there)."""
    out = d.subs(sizes).doit().subs(values)
    return sp.simplify(out.doit())


def d_by_entry(e: sp.Expr) -> sp.Expr:
    return derivative_where_defined(e, w[k])


L1 = sp.Sum(sp.Abs(w[j]), (j, 1, K))


def test_the_l1_gradient_has_no_value_at_zero() -> None:
    # ig16, l1d2-l1d4, l1d9, fk13, sk11, sk31 (r3c.4): K = 1, k = 1: the function of w[1] is |w[1]|, one-sided
    # slopes -1 and 1 at 0: no derivative; 1 at w[1] = 2, -1 at w[1] = -3.
    d = d_by_entry(L1)
    assert at(d, {K: 1, k: 1}, {w[1]: 0}) is sp.nan
    assert at(d, {K: 1, k: 1}, {w[1]: 2}) == 1
    assert at(d, {K: 3, k: 2}, {w[1]: 0, w[2]: -3, w[3]: 0}) == -1     # w[1], w[3] at 0 are no kink of w[2]


def test_the_l1_regularised_loss_and_a_scaled_l1_have_no_gradient_at_zero() -> None:
    # l1d5: w^2/2 + lam*|w| has one-sided slopes -lam and lam at 0; at w = 2 the slope is 2 + lam.
    # sk12: lam*|w| at 0 likewise.
    d = d_by_entry(sp.Sum(w[j] ** 2 / 2 + lam * sp.Abs(w[j]), (j, 1, K)))
    assert at(d, {K: 1, k: 1}, {w[1]: 0}) is sp.nan
    assert at(d, {K: 1, k: 1}, {w[1]: 2}) == 2 + lam
    assert at(d_by_entry(lam * L1), {K: 2, k: 2}, {w[1]: 1, w[2]: 0}) is sp.nan


def test_an_entry_given_as_a_number() -> None:
    # sk13: by w[1]: |w[1]| at 0 has no derivative; the term of w[1] is in the range only when K >= 1.
    d = derivative_where_defined(L1, w[1])
    assert at(d, {K: 1}, {w[1]: 0}) is sp.nan
    assert at(d, {K: 2}, {w[1]: -1, w[2]: 0}) == -1


def test_a_relu_and_a_jump_inside_a_sum() -> None:
    # sk1 (r3c.5): relu has slopes 0 and 1 at 0. js1, js9 (r3c.13): Piecewise((u + 1, u > 0), (u, True)) jumps
    # from 0 to 1 at 0 (both slopes 1): not continuous, no derivative; 1 elsewhere. js7: u + floor(u) jumps at 0.
    d = d_by_entry(sp.Sum(relu(w[j]), (j, 1, K)))
    assert at(d, {K: 1, k: 1}, {w[1]: 0}) is sp.nan
    assert at(d, {K: 1, k: 1}, {w[1]: 2}) == 1 and at(d, {K: 1, k: 1}, {w[1]: -1}) == 0
    jump = d_by_entry(sp.Sum(sp.Piecewise((w[j] + 1, w[j] > 0), (w[j], True)), (j, 1, K)))
    assert at(jump, {K: 1, k: 1}, {w[1]: 0}) is sp.nan
    assert at(jump, {K: 1, k: 1}, {w[1]: 3}) == 1
    steps = d_by_entry(sp.Sum(w[j] + sp.floor(w[j]), (j, 1, K)))
    assert at(steps, {K: 1, k: 1}, {w[1]: 0}) is sp.nan
    assert at(steps, {K: 1, k: 1}, {w[1]: sp.Rational(1, 2)}) == 1


def test_the_l1_distance_and_a_square_root_of_a_square() -> None:
    # fk11 (r3c.7): |w - v| at w = v has slopes -1 and 1. fk2: sqrt(w^2) = |w|, none at 0; 1 at w = 2.
    d = d_by_entry(sp.Sum(sp.Abs(w[j] - v[j]), (j, 1, K)))
    assert at(d, {K: 1, k: 1}, {w[1]: 0, v[1]: 0}) is sp.nan
    assert at(d, {K: 1, k: 1}, {w[1]: 0, v[1]: 1}) == -1
    root = d_by_entry(sp.Sum(sp.sqrt(w[j] ** 2), (j, 1, K)))
    assert at(root, {K: 1, k: 1}, {w[1]: 0}) is sp.nan
    assert at(root, {K: 1, k: 1}, {w[1]: 2}) == 1


def test_kinks_of_a_sum_and_weighted_kinks() -> None:
    # lr1 (r3c.8): |w.x - t| with K = 1, xs[1] = 1, t = 0 is |w[1]|: none at 0, 1 at w[1] = 2.
    # sk35, sk34: |w[1] + w[2]| by w[1] at w[1] = -w[2]: slopes -1 and 1. sk21: relu(w - v) at w = v: 0 and 1.
    # sk32: |w|*v with v = 1, sk33: |w*v| with v = 1: |w|, none at 0.
    lr = d_by_entry(sp.Abs(sp.Sum(w[j] * xs[j], (j, 1, K)) - t))
    assert at(lr, {K: 1, k: 1}, {w[1]: 0, xs[1]: 1, t: 0}) is sp.nan
    assert at(lr, {K: 1, k: 1}, {w[1]: 2, xs[1]: 1, t: 0}) == 1
    total = d_by_entry(sp.Abs(sp.Sum(w[j], (j, 1, K))))
    assert at(total, {K: 2, k: 1}, {w[1]: -3, w[2]: 3}) is sp.nan
    assert at(total, {K: 2, k: 1}, {w[1]: -3, w[2]: 1}) == -1
    hinge = d_by_entry(sp.Sum(relu(w[j] - v[j]), (j, 1, K)))
    assert at(hinge, {K: 1, k: 1}, {w[1]: 0, v[1]: 0}) is sp.nan
    for e in (sp.Sum(sp.Abs(w[j]) * v[j], (j, 1, K)), sp.Sum(sp.Abs(w[j] * v[j]), (j, 1, K))):
        assert at(d_by_entry(e), {K: 1, k: 1}, {w[1]: 0, v[1]: 1}) is sp.nan


def test_a_second_derivative_through_a_sum() -> None:
    # sk25: (w|w|)'' = 2 sign(w) away from 0; (w|w|)' = 2|w| has no derivative at 0.
    d2 = d_by_entry(d_by_entry(sp.Sum(w[j] * sp.Abs(w[j]), (j, 1, K))))
    assert at(d2, {K: 1, k: 1}, {w[1]: 2}) == 2 and at(d2, {K: 1, k: 1}, {w[1]: -2}) == -2
    assert at(d2, {K: 1, k: 1}, {w[1]: 0}) is sp.nan


def test_shifted_entries_give_one_term_each() -> None:
    # f = sum_{j=1}^{K-1} (w[j+1] - w[j])^2 at K = 3: df/dw[2] = 2(w2 - w1) - 2(w3 - w2) = 2*1 - 2*2 = -2 at
    # w = (1, 2, 4); the first entry only in the j = 1 term: df/dw[1] = -2(w2 - w1) = -2.
    e = sp.Sum((w[j + 1] - w[j]) ** 2, (j, 1, K - 1))
    point = {w[1]: 1, w[2]: 2, w[3]: 4}
    assert at(d_by_entry(e), {K: 3, k: 2}, point) == -2
    assert at(d_by_entry(e), {K: 3, k: 1}, point) == -2


def test_entries_that_meet_in_one_term() -> None:
    # w[j]*w[4 - j] at K = 3 is w1 w3 + w2^2 + w3 w1: the term j = 2 holds w[2] twice;
    # df/dw[2] = 2 w2 = 6 at w2 = 3.
    e = sp.Sum(w[j] * w[4 - j], (j, 1, K))
    assert at(d_by_entry(e), {K: 3, k: 2}, {w[1]: 1, w[2]: 3, w[3]: 5}) == 6


def test_kinks_of_a_sum_by_a_scalar_stay_in_their_terms() -> None:
    # sk6, sk7 (r3c.6): sum_r |b - xs[r]| with xs = (1, 3): slopes sign(b - 1) + sign(b - 3): 0 at b = 2, none at
    # b = 1 (a kink of the first term). sk9, sk10: the hinge max(0, 1 - b) (ys = xs = 1) has slopes -1 and 0 at
    # b = 1; -1 at b = 0. No index leaks out of its sum (that was "Invalid limits").
    d = derivative_where_defined(sp.Sum(sp.Abs(b - xs[r]), (r, 1, N)), b)
    assert r not in d.free_symbols
    assert at(d, {N: 2}, {xs[1]: 1, xs[2]: 3, b: 2}) == 0
    assert at(d, {N: 2}, {xs[1]: 1, xs[2]: 3, b: 1}) is sp.nan
    hinge = derivative_where_defined(sp.Sum(sp.Max(0, 1 - ys[r] * b * xs[r]), (r, 1, N)), b)
    assert r not in hinge.free_symbols
    assert at(hinge, {N: 1}, {ys[1]: 1, xs[1]: 1, b: 1}) is sp.nan
    assert at(hinge, {N: 1}, {ys[1]: 1, xs[1]: 1, b: 0}) == -1


def test_an_entry_that_may_be_the_variable_is_seen() -> None:
    # Max(w[1], w[2]) by w[k] at k = 1 and a tie: slopes 0 and 1, no derivative.
    d = d_by_entry(sp.Max(w[1], w[2]))
    assert at(d, {k: 1}, {w[1]: 0, w[2]: 0}) is sp.nan


SYMBOLS = """[symbols]
K = "integer positive"
N = "integer positive"
k = "integer 1..K"
w = "indexed real"
v = "indexed real"
xs = "indexed real"
ys = "indexed in {-1, 1}"
b = "real"
t = "real"
lam = "positive"

[define]
"relu(u)" = "Piecewise((u, u > 0), (0, True))"
"""

#: The red team's claims (r3c.4-r3c.8, r3c.13), all false: at K = 1, k = 1 and the entry at its kink (w[1] = 0,
#: w[1] = v[1], b = xs[1]...) the left side is defined and the right side, a derivative at a kink or a jump, is not;
#: an ``exists`` has no witness (where the derivative exists it is +-1, resp. 1 off the jump). By hand.
FALSE_CLAIMS = {
    "ig16": "statement = 'sign(w[k]) = diff(Sum(Abs(w[j]), (j, 1, K)), w[k])'",
    "l1d2": "statement = 'sign(w[k]) = diff(Sum(Abs(w[j]), (j, 1, K)), w[k])'\nassume = ['w[k] = 0']",
    "l1d3": "exists = 'diff(Sum(Abs(w[j]), (j, 1, K)), w[k]) = 0'",
    "l1d4": "statement = '0 = diff(Sum(Abs(w[j]), (j, 1, K)), w[k])'\nassume = ['w[k] = 0']",
    "l1d5": "statement = 'w[k] + lam*sign(w[k]) = diff(Sum(w[j]^2/2 + lam*Abs(w[j]), (j, 1, K)), w[k])'",
    "l1d9": "statement = 'sign(w[k])*0 = diff(Sum(Abs(w[j]), (j, 1, K)), w[k])*0'",
    "sk1": "statement = 'Piecewise((1, w[k] > 0), (0, True)) = diff(Sum(relu(w[j]), (j, 1, K)), w[k])'",
    "sk6": "statement = 'Sum(sign(b - xs[r]), (r, 1, N)) = diff(Sum(Abs(b - xs[r]), (r, 1, N)), b)'",
    "sk10": "statement = '0 = diff(Sum(Max(0, 1 - ys[r]*b*xs[r]), (r, 1, N)), b)'\n"
            "assume = ['N = 1', 'b = 1', 'xs[1] = 1', 'ys[1] = 1']",
    "sk11": "statement = 'Sum(sign(w[j]), (j, 1, K)) = diff(Sum(Abs(w[j]), (j, 1, K)), w[k])*0 "
            "+ Sum(sign(w[j]), (j, 1, K))'",
    "sk12": "statement = 'lam*sign(w[k]) = diff(lam*Sum(Abs(w[j]), (j, 1, K)), w[k])'",
    "sk13": "statement = 'sign(w[1]) = diff(Sum(Abs(w[j]), (j, 1, K)), w[1])'",
    "sk21": "statement = 'Piecewise((1, w[k] > v[k]), (0, True)) = diff(Sum(relu(w[j] - v[j]), (j, 1, K)), w[k])'",
    "sk31": "statement = 'Sum(sign(w[j])*KroneckerDelta(j, k), (j, 1, K)) = diff(Sum(Abs(w[j]), (j, 1, K)), w[k])'",
    "sk32": "statement = 'sign(w[k])*v[k] = diff(Sum(Abs(w[j])*v[j], (j, 1, K)), w[k])'",
    "sk33": "statement = 'sign(w[k]*v[k])*v[k] = diff(Sum(Abs(w[j]*v[j]), (j, 1, K)), w[k])'",
    "sk35": "statement = 'sign(Sum(w[j], (j, 1, K))) = diff(Abs(Sum(w[j], (j, 1, K))), w[k])'",
    "fk2": "statement = 'sign(w[k])*Abs(w[k])^0 = diff(Sum(sqrt(w[j]^2), (j, 1, K)), w[k])'",
    "fk11": "statement = 'sign(w[k] - v[k]) = diff(Sum(Abs(w[j] - v[j]), (j, 1, K)), w[k])'",
    "lr1": "statement = 'sign(Sum(w[j]*xs[j], (j, 1, K)) - t)*xs[k] = diff(Abs(Sum(w[j]*xs[j], (j, 1, K)) - t), w[k])'",
    "js1": "statement = '1 = diff(Sum(Piecewise((w[j] + 1, w[j] > 0), (w[j], True)), (j, 1, K)), w[k])'",
    "js7": "statement = '1 = diff(Sum(w[j] + floor(w[j]), (j, 1, K)), w[k])'",
    "js9": "exists = 'diff(Sum(Piecewise((w[j] + 1, w[j] > 0), (w[j], True)), (j, 1, K)), w[k]) = 1'\n"
           "assume = ['w[k] = 0']",
}

#: True: the left side is undefined exactly at the kink, and equals the right side elsewhere (by hand).
TRUE_CLAIMS = {
    "l1": "statement = 'diff(Sum(Abs(w[j]), (j, 1, K)), w[k]) = sign(w[k])'",
    "sk25": "statement = 'diff(Sum(w[j]*Abs(w[j]), (j, 1, K)), w[k], 2) = 2*sign(w[k])'",
}


def library(claims: dict[str, str]) -> Files:
    body = "".join(f'\n[[claim]]\nid = "{name}"\ntitle = "{name}"\n{text}\n' for name, text in claims.items())
    return {"kinks.toml": SYMBOLS + body}


def test_false_gradients_with_kinks_are_never_proved(write_library: Callable[[Files], Path],
                                                       verify_cli: Callable[..., Run]) -> None:
    write_library(library(FALSE_CLAIMS))
    verdicts = verify_cli("all", "--format", "json", "--timeout", "20").verdicts()
    assert set(verdicts) == set(FALSE_CLAIMS)
    wrong = {name: verdict for name, verdict in verdicts.items() if verdict in ("proved", "checked", "error")}
    assert not wrong


@pytest.mark.parametrize("name", sorted(TRUE_CLAIMS))
def test_true_gradients_with_kinks_are_proved(name: str, write_library: Callable[[Files], Path],
                                              verify_cli: Callable[..., Run]) -> None:
    write_library(library({name: TRUE_CLAIMS[name]}))
    assert verify_cli("all", "--format", "json", "--timeout", "20").verdicts() == {name: "proved"}


#: Kinks whose argument does not move with the variable at some points (there the derivative exists), each claim
#: false elsewhere; by hand. fz: the fuzzer's (seed 2412): |w[0] + w[1]| does not read w[2], so at k = m = 2 its
#: derivative is 0 while sign(w[1] + w[2]) need not be. pr_sf1: d/dx |x*y| at x = 0, y = 1 is |x|'s, undefined,
#: the left side 0 (at y = 0 both are 0). ci4: d/db |b*y| at b = 0, y = 1 likewise. sk33: at w[k] = 0, v[k] = 1 the
#: term |w[k]| has no derivative (at v[k] = 0 it is 0 for every w[k]). rs5: at D = 1, w[1] = 0, x[1] = 1 |w[1]|.
#: Each is refuted, its counterexample where the kink is one (never withheld by the cross-check).
FLAT_FALSE_CLAIMS = {
    "fz": "statement = 'sign(Sum(w[j], (j, 1, m))) = diff(Abs(Sum(w[j - 1], (j, 1, m))), w[k])'",
    "pr_sf1": "statement = 'sign(x*y)*y = diff(Abs(x*y), x)'",
    "ci4": "statement = '0 = diff(Abs(b*y), b)'\nwhere = { b = '0' }",
    "sk33": "statement = 'sign(w[k]*v[k])*v[k] = diff(Sum(Abs(w[j]*v[j]), (j, 1, K)), w[k])'",
    "rs5": "statement = 'xs[k]*sign(Sum(w[j]*xs[j], (j, 1, K))) = diff(Abs(Sum(w[j]*xs[j], (j, 1, K))), w[k])'",
}


def test_kinks_that_stand_still_in_the_variable_are_not_counterexamples(
        write_library: Callable[[Files], Path], verify_cli: Callable[..., Run]) -> None:
    head = SYMBOLS.replace("[symbols]\n", '[symbols]\nm = "integer nonnegative"\nx = "real"\ny = "real"\n')
    body = "".join(f'\n[[claim]]\nid = "{n}"\ntitle = "{n}"\n{t}\n' for n, t in FLAT_FALSE_CLAIMS.items())
    write_library({"flat.toml": head + body})
    report = verify_cli("all", "--format", "json", "--timeout", "20").json()
    assert {c["id"]: c["verdict"] for c in report["claims"]} == dict.fromkeys(FLAT_FALSE_CLAIMS, "refuted")
    messages = [o.get("message") or "" for c in report["claims"] for o in c["obligations"]]
    assert not [m for m in messages if "internal disagreement" in m]


def test_a_piecewise_condition_on_numbers_alone_is_decided(write_library: Callable[[Files], Path],
                                                           verify_cli: Callable[..., Run]) -> None:
    # Found by the fuzzer (seed 20261207, f20261207.8699): the condition 1 > cos(sigma(1/2)) is built unevaluated,
    # and SymPy's collapse of Piecewise arguments failed on it ("Invalid comparison of non-real zoo"), an error on a
    # well-formed file. By hand: sigma(1/2) = 1/(1 + e^(-1/2)) is about 0.62, cos of it about 0.81 < 1, so the first
    # branch is taken: pw.1 is a = a (true), pw.2 is a != a (false: 0 != 0 fails at a = 0).
    head = ('[symbols]\na = "real [-2, 3]"\n[define]\n"sigma(t)" = "1/(1 + exp(-t))"\n')
    claims = {"pw.1": "Piecewise((a, 1 > cos(sigma(1 / 2))), (2, True)) = a",
              "pw.2": "Piecewise((a, 1 > cos(sigma(1 / 2))), (2, True)) != Piecewise((2, 1 <= cos(sigma(1 / 2))), "
                      "(a, True))"}
    body = "".join(f'\n[[claim]]\nid = "{k}"\ntitle = "{k}"\nstatement = "{v}"\n' for k, v in claims.items())
    write_library({"pw.toml": head + body})
    run = verify_cli("all", "--format", "json")
    assert run.code != 2, run.err
    assert run.verdicts() == {"pw.1": "proved", "pw.2": "refuted"}


def test_a_vector_plus_an_undefined_number_is_no_input_error(write_library: Callable[[Files], Path],
                                                              verify_cli: Callable[..., Run]) -> None:
    # Found by the fuzzer (seed 20261207, f20261207.5822): log(-1/2) is undefined as written, so every entry of
    # w + log(-1/2) is, and so is the left side: nothing is claimed (proved, or unknown), never an error.
    head = '[symbols]\nm = "integer positive"\nw = "indexed real 1..m"\n'
    claim = ('\n[[claim]]\nid = "v.1"\ntitle = "v.1"\n'
             'statement = "Sum((w + log(1 / -2))[j], (j, 1, m)) = Sum(w[j], (j, 1, m)) + m * log(1 / 2)"\n')
    write_library({"v.toml": head + claim})
    run = verify_cli("all", "--format", "json")
    assert run.code != 2, run.err
    assert run.verdicts()["v.1"] in ("proved", "unknown")

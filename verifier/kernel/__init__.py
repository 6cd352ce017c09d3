"""The trusted kernel: the only code that can make a verdict ``proved``, ``checked`` or ``refuted``.

Callers hand the kernel declarations (:class:`Declaration`), from which it derives its own :class:`Facts`
(:func:`facts_from`), hypotheses (:class:`AllIndices` for one over all indices), and proposals: relations to prove
(:func:`prove`), a point (:func:`refute`, :func:`witness`), a finite set of instances (:func:`check`). What comes
back is a verdict object (:class:`Proved`, :class:`Checked`, :class:`Refuted`, the :class:`Witness` of an
``exists``) or ``None``; only the kernel can construct those. The kernel imports nothing of the project outside this
package.
"""

from verifier.kernel.checker import check, no_witness_possible, prove, prove_instance, refute, witness
from verifier.kernel.declarations import Declaration, Interval
from verifier.kernel.evaluation import confirm_at_point, contradictory, symmetric_family
from verifier.kernel.facts import Facts, admits, facts_from
from verifier.kernel.free_symbols import install as _remember_free_symbols
from verifier.kernel.identity import confirm_instance, confirm_relation
from verifier.kernel.interval import enclose
from verifier.kernel.relations import show_relation
from verifier.kernel.universal import AllIndices
from verifier.kernel.verdicts import Checked, ForgedVerdict, Proved, Refuted, Witness

_remember_free_symbols()

__all__ = [
    "AllIndices", "Checked", "Declaration", "Facts", "ForgedVerdict", "Interval", "Proved", "Refuted", "Witness",
    "admits", "check", "confirm_at_point", "confirm_instance", "confirm_relation", "contradictory", "enclose",
    "facts_from", "no_witness_possible", "prove", "prove_instance", "refute", "show_relation", "symmetric_family",
    "witness",
]

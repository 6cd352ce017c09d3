"""A differential fuzzer of the verifier: generated claims whose truth is known, against the verdicts given.

Claims are generated over the whole derivation format from a small grammar (:mod:`fuzz.grammar`): true ones by
construction (valid rewrites of random expressions, derivatives computed here, independently of SymPy), in the
spirit of semantic fusion (YinYang: formulas whose satisfiability is known by construction), and false ones by
type-aware mutation of true ones (:mod:`fuzz.mutate`; OpFuzz: an operator or operand replaced by another of the same
kind) whose falsity the reference evaluator (:mod:`verifier.oracle`) establishes at a point. :mod:`fuzz.judge` runs
the verifier on them and reports every claim whose verdict disagrees with its truth. ``python -m fuzz`` (``make
fuzz``) is the command; the same seed gives the same claims.
"""

"""The project's benchmark (``make bench``, ``python -m bench``): how fast the verifier is, against its floor.

One run, on one machine, measures and compares:

- ``python -c "import sympy"``: the floor of any cold run;
- ``verify all --no-cache`` and ``verify q2.4 --no-cache`` cold, and ``verify all`` with a full cache;
- a naive peer: the same obligations, built by the project's own builder, each checked by
  ``sympy.simplify(lhs - rhs) == 0`` alone (:mod:`bench.naive`), scored against the engine's verdicts;
- scale: the softmax Jacobian entry for growing fixed K (and symbolic K), and libraries of many small claims;
- peak memory of ``verify all --no-cache``.

Medians of ``--repeat`` runs, their ratios to ``import sympy``, and the project's targets with PASS/FAIL are printed
and written to ``bench/results/bench.json``. Every measured command runs as a subprocess in a temporary copy of the
library, so the repository's own ``.verify_cache`` is never touched.
"""

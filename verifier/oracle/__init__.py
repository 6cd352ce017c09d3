"""The reference evaluator: what a claim's sides are worth, as written, at a point.

An independent reading of section 2a of the format, used to check the engine's verdicts, never to make one. It
reads the parser's syntax trees (:mod:`verifier.frontend.parser`) and computes in exact rationals where it can and
in mpmath at high precision elsewhere; SymPy, the front end's builder and the kernel's rules are not used
(``tests/oracle/test_imports.py`` holds it to that). Wherever it is not sure it says so (:class:`CannotTell`), and a
verdict is then left as it is.

- :mod:`~verifier.oracle.values` -- numbers, vectors, comparisons with a margin;
- :mod:`~verifier.oracle.evaluate` -- the value of an expression at a point (definedness, ``Piecewise``, sums,
  derivatives where the function is differentiable);
- :mod:`~verifier.oracle.functions` -- functions of one number, undefined outside their domains;
- :mod:`~verifier.oracle.declarations` -- ``[symbols]`` entries read into what values they allow;
- :mod:`~verifier.oracle.points` -- the points a claim is looked at (critical points first);
- :mod:`~verifier.oracle.crosscheck` -- a verdict checked against the evaluator before it is reported.
"""

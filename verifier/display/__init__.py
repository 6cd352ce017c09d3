"""What the reports show beyond verdicts, computed where a claim's library is at hand: its relations as MathML
(:mod:`~verifier.display.mathml`), plots of refuted steps (:mod:`~verifier.display.plot`), its relations
pretty-printed; :mod:`~verifier.display.prepare` gives each claim its :class:`~verifier.model.Display`."""

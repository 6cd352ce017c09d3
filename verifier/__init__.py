"""A symbolic derivation verifier: settles each claim of a derivation library as proved, checked, refuted,
unknown or error, step by step."""

__version__ = "0.3.0"

#: The name the project is installed under (``pip install derivation-verifier``); the import package is ``verifier``.
DISTRIBUTION = "derivation-verifier"

"""The trusted kernel: the only code that can confirm a verdict (see :mod:`verifier.kernel.checker`)."""

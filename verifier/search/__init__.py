"""The search: untrusted strategies that propose proofs, counterexamples and instances to the kernel."""

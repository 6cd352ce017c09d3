"""The red-team claims are judged by test_redteam.py against their truths, not collected as derivation items: most of
them are false on purpose, and ``expect`` would not say which."""

collect_ignore = ["claims", "slow_claims"]

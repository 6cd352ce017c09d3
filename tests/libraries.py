"""Small derivation libraries shared by the CLI, cache and plugin tests."""

COMMON = """\
[symbols]
x = "real"
[define]
"dbl(z)" = "2*z"
"""

Q1 = """\
question = "q1"
use = ["_common.toml"]

[[claim]]
id = "q1.1"
title = "Doubling"
statement = "x + x = dbl(x)"

[[claim]]
id = "q1.2"
title = "Off by one"
statement = "x + 1 = x"

[[claim]]
id = "q1.3"
title = "Known wrong"
statement = "x + 1 = x"
expect = "refuted"
"""

Q2 = """\
question = "q2"
[symbols]
a = "real"

[[claim]]
id = "q2.1"
title = "Square"
steps = ["(a + 1)^2", "a^2 + 2*a + 1"]
"""

"""``python -m bench``: run the benchmark (see :mod:`bench`)."""

from bench.cli import main

raise SystemExit(main())

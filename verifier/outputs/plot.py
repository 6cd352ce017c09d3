"""Plots of refuted steps for the HTML report: both sides along a line through the counterexample, drawn from the
points sampled where the claim was built (:class:`~verifier.model.Plot`) with matplotlib's SVG backend (the ``plot``
extra; the report says how to install it when it is missing), the counterexample marked."""

from __future__ import annotations

import io
import math
import re

from verifier.model import Plot

#: The fewest points where both sides have real values for a plot worth drawing.
_MIN_POINTS = 8


def svg(plot: Plot) -> str | None:
    """An inline SVG of both sides along the plotted line, the counterexample marked; ``None`` without matplotlib or
    when too few points have real values."""
    try:
        import matplotlib
        from matplotlib.backends.backend_svg import FigureCanvasSVG
        from matplotlib.figure import Figure
    except ImportError:
        return None
    xs, ls, rs = plot.xs, plot.lhs, plot.rhs
    if sum(1 for a, b in zip(ls, rs, strict=True) if not (math.isnan(a) or math.isnan(b))) < _MIN_POINTS:
        return None
    at = plot.at
    with matplotlib.rc_context({"svg.hashsalt": "verify", "svg.fonttype": "path", "font.size": 9,
                                "font.family": "DejaVu Sans"}):
        fig = Figure(figsize=(5.6, 2.8))
        ax = fig.add_subplot()
        ax.plot(xs, ls, color="#0b6e99", linewidth=1.6, label="left side")
        ax.plot(xs, rs, color="#c77c02", linewidth=1.6, linestyle="--", label="right side")
        ax.axvline(plot.center, color="#c62828", linewidth=0.8, linestyle=":")
        ax.plot([plot.center, plot.center], list(at), "o", color="#c62828", markersize=5,
                label="counterexample")
        ax.set_xlabel(plot.label)
        ax.grid(True, linewidth=0.4, alpha=0.5)
        ax.legend(loc="best", fontsize=8, frameon=False)
        fig.tight_layout()
        out = io.BytesIO()
        FigureCanvasSVG(fig).print_svg(out, metadata={"Date": None, "Creator": None})
    text = out.getvalue().decode("utf-8")
    start = text.find("<svg")
    if start < 0:
        return None
    # The RDF metadata names vocabularies by URL: dropped, so the page mentions no address at all.
    text = re.sub(r"<metadata>.*?</metadata>\s*", "", text[start:], flags=re.S)
    return text.replace("<svg ", '<svg role="img" aria-label="both sides near the counterexample" ', 1)

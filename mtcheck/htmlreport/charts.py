"""The report's charts: matplotlib figures written as SVG, reproducible byte for byte.

No pyplot and no global backend: each figure is a ``matplotlib.figure.Figure`` drawn by
the SVG canvas, under fixed ``svg.hashsalt``, text as paths and no date metadata, so two
runs on the same reports give the same bytes. matplotlib is imported here only.
"""
from __future__ import annotations

import base64
import io
from typing import Sequence

#: segment-level metrics drawn in the score distribution, in this order, when present
DIST_METRICS = ("chrf", "bleu", "ter", "fluency", "quality")
LABELS = {"bleu": "BLEU", "chrf": "chrF", "ter": "TER", "fluency": "fluency", "quality": "quality"}
#: the scatter shows at most this many segments (every k-th, so the sample is reproducible)
SCATTER_MAX = 4000
_RC = {"svg.hashsalt": "mtcheck", "svg.fonttype": "path", "font.size": 9, "axes.titlesize": 10,
       "axes.spines.top": False, "axes.spines.right": False}
_SEVERITY_ORDER = ("error", "warning", "info")


def _svg(fig) -> bytes:
    from matplotlib.backends.backend_svg import FigureCanvasSVG

    FigureCanvasSVG(fig)
    buf = io.BytesIO()
    fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None}, bbox_inches="tight")
    return buf.getvalue()


def data_uri(svg: bytes) -> str:
    """An ``img src`` for the SVG (allowed by the report's ``img-src data:`` policy)."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")


def _horizontal() -> dict:
    import matplotlib

    major, minor = (int(x) for x in matplotlib.__version__.split(".")[:2])
    return {"orientation": "horizontal"} if (major, minor) >= (3, 10) else {"vert": False}


def _context():
    import matplotlib

    return matplotlib.rc_context(_RC)


def score_distribution(values: dict[str, dict[str, list[float]]], systems: Sequence[str]) -> bytes | None:
    """Box plots of segment scores per system, one panel per metric.

    ``values[metric][system]`` lists the segment scores (None-free).
    """
    from matplotlib.figure import Figure

    metrics = [m for m in DIST_METRICS if m in values and any(values[m].get(s) for s in systems)]
    if not metrics:
        return None
    cols = min(3, len(metrics))
    rows = (len(metrics) + cols - 1) // cols
    height = max(1.6, 0.28 * len(systems) + 0.9)
    with _context():
        fig = Figure(figsize=(3.3 * cols, height * rows))
        for k, m in enumerate(metrics):
            ax = fig.add_subplot(rows, cols, k + 1)
            data = [values[m].get(s) or [float("nan")] for s in systems]
            ax.boxplot(data, **_horizontal(), widths=0.6, showfliers=False,
                       medianprops={"color": "#c0392b"}, boxprops={"color": "#34495e"})
            ax.set_yticks(range(1, len(systems) + 1))
            ax.set_yticklabels(list(systems) if k % cols == 0 else [""] * len(systems))
            ax.invert_yaxis()
            ax.set_title(f"segment {LABELS[m]}")
            ax.grid(axis="x", color="#dddddd", linewidth=0.6)
        fig.tight_layout()
        return _svg(fig)


def findings_per_code(counts: dict[str, dict[str, int]], systems: Sequence[str],
                      codes: Sequence[str]) -> bytes | None:
    """Horizontal stacked bars: findings per system, split by check code."""
    from matplotlib import colormaps
    from matplotlib.figure import Figure

    if not codes:
        return None
    cmap = colormaps["tab20"]
    with _context():
        ncol = 1 if len(codes) <= 14 else 2
        legend_rows = -(-len(codes) // ncol)
        fig = Figure(figsize=(7.5, max(1.6, 0.3 * len(systems) + 1.0, 0.17 * legend_rows + 0.7)))
        ax = fig.add_subplot(1, 1, 1)
        left = [0] * len(systems)
        ys = list(range(len(systems)))
        for k, code in enumerate(codes):
            widths = [counts.get(s, {}).get(code, 0) for s in systems]
            ax.barh(ys, widths, left=left, height=0.65, color=cmap(k % 20), label=code)
            left = [a + b for a, b in zip(left, widths)]
        ax.set_yticks(ys)
        ax.set_yticklabels(list(systems))
        ax.invert_yaxis()
        ax.set_xlabel("findings")
        ax.set_title("findings per check code")
        ax.grid(axis="x", color="#dddddd", linewidth=0.6)
        ax.set_axisbelow(True)
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, fontsize=8, ncol=ncol)
        fig.tight_layout()
        return _svg(fig)


def fluency_vs_chrf(points: Sequence[tuple[str, float, float]], systems: Sequence[str]) -> tuple[bytes, int] | None:
    """A scatter of segment fluency against segment chrF, coloured by system.

    ``points`` are (system, chrf, fluency); above SCATTER_MAX every k-th one is drawn.
    Returns the SVG and the number of points drawn.
    """
    from matplotlib import colormaps
    from matplotlib.figure import Figure

    if not points:
        return None
    step = -(-len(points) // SCATTER_MAX)
    sample = points[::step]
    cmap = colormaps["tab20" if len(systems) > 10 else "tab10"]
    size = 6 if len(sample) > 1000 else (12 if len(sample) > 200 else 24)
    with _context():
        fig = Figure(figsize=(6.5, 4.2))
        ax = fig.add_subplot(1, 1, 1)
        for k, s in enumerate(systems):
            xs = [p[1] for p in sample if p[0] == s]
            ys = [p[2] for p in sample if p[0] == s]
            if xs:
                ax.scatter(xs, ys, s=size, alpha=0.6, color=cmap(k % cmap.N), label=s, linewidths=0)
        ax.set_xlim(-2, 102)
        ax.set_ylim(-2, 102)
        ax.set_xlabel("segment chrF")
        ax.set_ylabel("segment fluency (0-100)")
        ax.set_title("fluency against chrF" + (f" (1 segment in {step})" if step > 1 else ""))
        ax.grid(color="#eeeeee", linewidth=0.6)
        ax.set_axisbelow(True)
        if 1 < len(systems) <= 20:
            ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, fontsize=8, markerscale=2)
        fig.tight_layout()
        return _svg(fig), len(sample)

"""Small server-rendered SVG charts: bars and lines, readable without sight.

Each chart is an ``<svg role="img">`` with ``<title>`` and ``<desc>`` (named by
``aria-labelledby``); the page shows the same numbers as a table beside it. Text is
escaped here, never trusted from the caller.
"""
from dataclasses import dataclass
from html import escape

from django.utils.safestring import mark_safe

WIDTH, HEIGHT = 640, 260
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 56, 16, 16, 64
PALETTE = ("#1f5fa8", "#b3541e", "#2f7d32", "#7b3fa0", "#6b6b6b")  # ≥ 4.5:1 on white


@dataclass(frozen=True)
class Series:
    label: str
    values: tuple[float | None, ...]


@dataclass(frozen=True)
class Chart:
    kind: str  # "bar" or "line"
    title: str
    description: str
    categories: tuple[str, ...]
    series: tuple[Series, ...]


def render(chart: Chart, element_id: str) -> str:
    """The chart as inline SVG markup (safe to put in a template)."""
    title_id, desc_id = f"{element_id}-title", f"{element_id}-desc"
    peak = max([v for s in chart.series for v in s.values if v is not None] or [0]) or 1
    plot_w = WIDTH - MARGIN_LEFT - MARGIN_RIGHT
    plot_h = HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
    count = max(len(chart.categories), 1)
    step = plot_w / count

    def y(value):
        return MARGIN_TOP + plot_h - (value / peak) * plot_h

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" id="{escape(element_id)}" role="img" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" style="max-width:{WIDTH}px" '
        f'aria-labelledby="{escape(title_id)} {escape(desc_id)}">',
        f'<title id="{escape(title_id)}">{escape(str(chart.title))}</title>',
        f'<desc id="{escape(desc_id)}">{escape(str(chart.description))}</desc>',
    ]
    for fraction in (0, 0.5, 1):  # axis and two gridlines with their values
        gy = y(peak * fraction)
        parts.append(f'<line x1="{MARGIN_LEFT}" x2="{WIDTH - MARGIN_RIGHT}" y1="{gy:.1f}" '
                     f'y2="{gy:.1f}" stroke="#8a8a8a" stroke-width="1"/>')
        parts.append(f'<text x="{MARGIN_LEFT - 6}" y="{gy + 4:.1f}" text-anchor="end" '
                     f'font-size="12" fill="#333">{_number(peak * fraction)}</text>')
    for index, category in enumerate(chart.categories):
        cx = MARGIN_LEFT + step * (index + 0.5)
        label = escape(str(category)[:18])
        parts.append(f'<text x="{cx:.1f}" y="{HEIGHT - MARGIN_BOTTOM + 16}" '
                     f'text-anchor="middle" font-size="11" fill="#333">{label}</text>')
    groups = max(len(chart.series), 1)
    for s_index, series in enumerate(chart.series):
        colour = PALETTE[s_index % len(PALETTE)]
        if chart.kind == "bar":
            bar_w = step * 0.8 / groups
            for index, value in enumerate(series.values):
                if value is None:
                    continue
                x = MARGIN_LEFT + step * index + step * 0.1 + bar_w * s_index
                top = y(value)
                parts.append(f'<rect x="{x:.1f}" y="{top:.1f}" width="{bar_w:.1f}" '
                             f'height="{MARGIN_TOP + plot_h - top:.1f}" fill="{colour}"/>')
        else:
            points = [f"{MARGIN_LEFT + step * (i + 0.5):.1f},{y(v):.1f}"
                      for i, v in enumerate(series.values) if v is not None]
            if points:
                parts.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2" '
                             f'points="{" ".join(points)}"/>')
                for point in points:
                    px, py = point.split(",")
                    parts.append(f'<circle cx="{px}" cy="{py}" r="3" fill="{colour}"/>')
    for s_index, series in enumerate(chart.series):  # legend along the bottom
        lx = MARGIN_LEFT + s_index * 150
        ly = HEIGHT - 18
        colour = PALETTE[s_index % len(PALETTE)]
        parts.append(f'<rect x="{lx}" y="{ly - 10}" width="12" height="12" fill="{colour}"/>')
        parts.append(f'<text x="{lx + 16}" y="{ly}" font-size="12" fill="#333">'
                     f'{escape(str(series.label)[:22])}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 (every piece of text escaped above)


def _number(value: float) -> str:
    return f"{value:.0f}" if abs(value) >= 10 or value == int(value) else f"{value:.2f}"

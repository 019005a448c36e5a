"""Charts for the dashboard, drawn server-side as inline SVG: no script, no CDN, readable in
any browser and in a screenshot. Labels are escaped; the markup is safe to embed.

Colours come from CSS classes (incidents/static/incidents/review.css), which take the admin's
theme variables, so the charts read in light and dark mode alike. A bar can link to the list
it counts (`link`: label -> URL or None).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

Rows = Sequence[tuple[str, int]]
Link = Callable[[str], str | None] | None


def _short(label: str, limit: int = 40) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def _linked(markup: str, url: str | None) -> str:
    return f'<a href="{escape(url)}">{markup}</a>' if url else markup


def bars(
    rows: Rows, *, link: Link = None, tone: str = "", width: int = 640, bar: int = 20
) -> SafeString:
    """Horizontal bars, one per row, labelled on the left, value on the right."""
    if not rows:
        return mark_safe('<p class="help">Nothing to show yet.</p>')
    label_width, top = 270, 4
    largest = max(value for _, value in rows) or 1
    room = width - label_width - 50
    height = top + len(rows) * (bar + 6)
    parts = [
        f'<svg class="chart chart-{tone or "plain"}" role="img" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">'
    ]
    for n, (label, value) in enumerate(rows):
        y = top + n * (bar + 6)
        length = max(1, round(room * value / largest)) if value else 0
        url = link(label) if link else None
        parts.append(
            _linked(
                f'<text class="chart-label" x="{label_width - 6}" y="{y + bar - 6}" '
                f'text-anchor="end">{escape(_short(label))}</text>'
                f'<rect class="chart-bar" x="{label_width}" y="{y}" width="{length}" '
                f'height="{bar}"><title>{escape(label)}: {value}</title></rect>'
                f'<text class="chart-value" x="{label_width + length + 4}" '
                f'y="{y + bar - 6}">{value}</text>',
                url,
            )
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))


def columns(
    rows: Rows, *, link: Link = None, tone: str = "", width: int = 720, height: int = 220
) -> SafeString:
    """Vertical columns in order (months, oldest first, none skipped), labelled below every
    few columns; a month with nothing shows as an empty slot, not a missing one."""
    if not rows:
        return mark_safe('<p class="help">Nothing to show yet.</p>')
    bottom, top, left, right = 40, 16, 34, 30
    largest = max(value for _, value in rows) or 1
    step = (width - left - right) / len(rows)
    # A "2024-05" label is about 50 px wide at 12 px: label every few slots so none overlap,
    # and keep room on the right so the last one is not cut off.
    every = max(1, math.ceil(64 / step))
    parts = [
        f'<svg class="chart chart-{tone or "plain"}" role="img" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">',
        f'<text class="chart-label" x="2" y="{top}">{largest}</text>',
        f'<line class="chart-axis" x1="{left}" y1="{height - bottom}" x2="{width}" '
        f'y2="{height - bottom}"/>',
    ]
    for n, (label, value) in enumerate(rows):
        h = round((height - bottom - top) * value / largest)
        x = left + n * step
        url = link(label) if link else None
        # The whole slot is the link target, so a quiet month is still clickable.
        parts.append(
            _linked(
                f'<rect class="chart-slot" x="{x:.1f}" y="{top}" width="{step:.1f}" '
                f'height="{height - bottom - top}"/>'
                f'<rect class="chart-bar" x="{x + 1:.1f}" y="{height - bottom - h}" '
                f'width="{max(step - 2, 1):.1f}" height="{h}">'
                f"<title>{escape(label)}: {value}</title></rect>",
                url,
            )
        )
        if n % every == 0:
            parts.append(
                f'<text class="chart-label" x="{x + step / 2:.1f}" y="{height - bottom + 14}" '
                f'text-anchor="middle">{escape(label)}</text>'
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))


def dot_map(points: Sequence[tuple[str, float, float, str]], *, size: int = 260) -> SafeString:
    """The places of two incidents as dots on a plain lat/lon square (no tiles: there is no
    network), with the distance between the first two so an editor sees near from far."""
    if not points:
        return mark_safe('<p class="help">No coordinates for either incident.</p>')
    lats = [p[1] for p in points]
    lons = [p[2] for p in points]
    span = max(max(lats) - min(lats), max(lons) - min(lons), 0.2) * 1.4
    mid_lat, mid_lon = (max(lats) + min(lats)) / 2, (max(lons) + min(lons)) / 2
    parts = [
        f'<svg class="review-map" role="img" width="{size}" height="{size}" '
        f'viewBox="0 0 {size} {size}" xmlns="http://www.w3.org/2000/svg">'
    ]
    for label, lat, lon, cls in points:
        x = size / 2 + (lon - mid_lon) / span * size
        y = size / 2 - (lat - mid_lat) / span * size
        parts.append(
            f'<circle class="{escape(cls)}" cx="{x:.1f}" cy="{y:.1f}" r="6">'
            f"<title>{escape(label)} {lat:.3f}, {lon:.3f}</title></circle>"
            f'<text x="{x + 8:.1f}" y="{y + 4:.1f}">{escape(cls.upper())}: {escape(label)}</text>'
        )
    parts.append(
        f'<text x="4" y="{size - 6}">{span / 1.4 * 111:.0f} km across the dots</text></svg>'
    )
    return mark_safe("".join(parts))

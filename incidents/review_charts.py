"""Charts for the dashboard, drawn server-side as inline SVG: no script, no CDN, readable in
any browser and in a screenshot. Labels are escaped; the markup is safe to embed."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

Rows = Sequence[tuple[str, int]]


def bars(rows: Rows, *, color: str = "#417690", width: int = 520, bar: int = 20) -> SafeString:
    """Horizontal bars, one per row, labelled on the left, value on the right."""
    if not rows:
        return mark_safe('<p class="help">Nothing to show yet.</p>')
    label_width, top = 200, 4
    largest = max(value for _, value in rows) or 1
    room = width - label_width - 50
    height = top + len(rows) * (bar + 6)
    parts = [
        f'<svg class="chart" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">'
    ]
    for n, (label, value) in enumerate(rows):
        y = top + n * (bar + 6)
        length = max(1, round(room * value / largest)) if value else 0
        parts.append(
            f'<text x="{label_width - 6}" y="{y + bar - 6}" text-anchor="end" '
            f'font-size="12">{escape(label[:32])}</text>'
            f'<rect x="{label_width}" y="{y}" width="{length}" height="{bar}" fill="{color}">'
            f"<title>{escape(label)}: {value}</title></rect>"
            f'<text x="{label_width + length + 4}" y="{y + bar - 6}" font-size="12">{value}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))


def columns(
    rows: Rows, *, color: str = "#417690", width: int = 720, height: int = 220
) -> SafeString:
    """Vertical columns in order (months, oldest first), labelled below every few columns."""
    if not rows:
        return mark_safe('<p class="help">Nothing to show yet.</p>')
    bottom, top, left = 40, 16, 30
    largest = max(value for _, value in rows) or 1
    step = (width - left) / len(rows)
    every = max(1, len(rows) // 12)
    parts = [
        f'<svg class="chart" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">',
        f'<text x="2" y="{top}" font-size="11">{largest}</text>',
        f'<line x1="{left}" y1="{height - bottom}" x2="{width}" y2="{height - bottom}" '
        'stroke="#999"/>',
    ]
    for n, (label, value) in enumerate(rows):
        h = round((height - bottom - top) * value / largest)
        x = left + n * step
        parts.append(
            f'<rect x="{x + 1:.1f}" y="{height - bottom - h}" width="{max(step - 2, 1):.1f}" '
            f'height="{h}" fill="{color}"><title>{escape(label)}: {value}</title></rect>'
        )
        if n % every == 0:
            parts.append(
                f'<text x="{x + step / 2:.1f}" y="{height - bottom + 14}" font-size="10" '
                f'text-anchor="middle">{escape(label)}</text>'
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))

"""Render an edition as a PDF (fpdf2) or an HTML page, or re-wrap it: for tests and benches."""

from __future__ import annotations

import html
import re
from pathlib import Path

_FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
_DATED = re.compile(
    r"^\s*(?:[-•]\s*)?(?:\*\*)?([A-Z][a-z]+ \d{1,2}, \d{4}[^:]{0,20}?)(?:\*\*)?:\s*"
)


def to_pdf(text: str) -> bytes:
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    if _FONT.exists():
        pdf.add_font("DejaVu", "", str(_FONT))
        pdf.set_font("DejaVu", size=10)
    else:
        pdf.set_font("Helvetica", size=10)
        text = text.encode("latin-1", "replace").decode("latin-1")
    pdf.add_page()
    for line in text.split("\n"):
        if not line.strip():
            pdf.ln(5)
            continue
        pdf.multi_cell(0, 5, line.strip(), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def to_html(text: str) -> bytes:
    """A publisher-style page: headings, paragraphs, list items with bold dates."""
    out = ["<!DOCTYPE html><html><head><meta charset='utf-8'></head><body>"]
    in_list = False
    blocks = [b for b in re.split(r"\n\s*\n", text) if b.strip()]
    for block in blocks:
        lines = [ln for ln in block.split("\n") if ln.strip()]
        if any(re.match(r"^\s*[-•]", ln) for ln in lines):
            if not in_list:
                out.append("<ul>")
                in_list = True
            for ln in lines:
                body = re.sub(r"^\s*[-•]\s*", "", ln)
                body = html.escape(body.replace("**", ""))
                continuation = re.match(r"^\s", ln) or not re.match(r"^\s*[-•]", ln)
                if continuation and out[-1].endswith("</li>"):
                    out[-1] = out[-1][: -len("</li>")] + f"<br>{body}</li>"
                    continue
                m = _DATED.match(html.unescape(body))
                if m:
                    rest = html.escape(html.unescape(body)[m.end() :])
                    out.append(f"<li><strong>{html.escape(m.group(1))}:</strong> {rest}</li>")
                else:
                    out.append(f"<li>{body}</li>")
            continue
        if (
            in_list
            and len(lines) == 1
            and not re.match(r"^\s", block)
            and len(lines[0]) < 80
            and not lines[0].rstrip().endswith((".", ")"))
        ):
            out.append("</ul>")
            in_list = False
        joined = " ".join(ln.strip() for ln in lines)
        if in_list:
            out[-1] = out[-1][: -len("</li>")] + f"<br>{html.escape(joined)}</li>"
        elif len(joined) < 80 and not joined.endswith((".", ")")):
            out.append(f"<h2>{html.escape(joined)}</h2>")
        else:
            out.append(f"<p>{html.escape(joined)}</p>")
    if in_list:
        out.append("</ul>")
    out.append("</body></html>")
    return "\n".join(out).encode("utf-8")


def rewrap(text: str, *, width: int = 70, bullet: str = "•") -> str:
    """Same content, other bullets, continuation lines hard-wrapped, page breaks moved."""
    out: list[str] = []
    for i, line in enumerate(text.split("\n")):
        if re.match(r"^- ", line):
            line = f"{bullet} " + line[2:]
        if len(line) > width and not re.match(r"^\s*[-•]", line) and i % 3 == 0:
            cut = line.rfind(" ", 0, width)
            if cut > 20:
                out.append(line[:cut])
                out.append(line[cut + 1 :])
                continue
        out.append(line)
        if i % 97 == 50:
            out.extend(["", "", ""])
    return "\n".join(out)

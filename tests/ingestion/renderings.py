"""Render an edition in the layouts real editions come in, for tests and benches.

Every rendering starts from an edition's text and must read, through the parser, like that text:
PDFs from two producers (fpdf2, reportlab) in several fonts, bullet glyphs and page furniture,
an HTML page with nested lists and bold dates, a word processor's plain-text export, and the
text re-wrapped at another width. The text is first cut into rows (title, headings and
paragraphs, timeline items and their continuation lines) so each renderer lays out the same
content its own way; the parser is never used to build a rendering.
"""

from __future__ import annotations

import html
import io
import re
import tempfile
import textwrap
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

FONTS = Path("/usr/share/fonts/truetype/dejavu")
_FONT = FONTS / "DejaVuSans.ttf"
PUBLISHER = "Example Policy Institute | www.example.org/reports"
# Bullet glyphs as PDF text extraction yields them: a Symbol-font bullet from a word processor
# comes out as the private-use U+F0B7; some producers map the bullet to DEL (U+007F).
SYMBOL_BULLET = "\uf0b7"
DEL_BULLET = "\x7f"

_ITEM = re.compile(r"^[-•]\s+|^[-•]$")  # an entry's bullet at column 0
_MORE = re.compile(r"^\s+(?:([-•])\s+)?")  # an indented continuation, maybe with a stray bullet
_DATED = re.compile(
    r"^(?:\*\*)?((?:January|February|March|April|May|June|July|August|September|October|"
    r"November|December) \d{1,2}, \d{4}(?:\s*[-\u2013]\s*[A-Z][a-z]+ \d{1,2}, \d{4})?)"
    r"(?:\*\*)?:\s*"
)
_TERMINAL = (".", "!", "?", '"', ")", "'", ":", ",", ";")


@dataclass(frozen=True)
class Row:
    kind: str  # blank | title | heading | para | item | more
    text: str
    stray: bool = False  # a continuation line that carried its own bullet (" - kills five")


def rows(text: str) -> list[Row]:
    """The edition's lines as typed rows. A short line between blank lines with no closing
    punctuation is a heading; the first line is the title; indented lines continue an item."""
    lines = text.replace("\r\n", "\n").split("\n")
    out: list[Row] = []
    for i, line in enumerate(lines):
        if not line.strip():
            out.append(Row("blank", ""))
        elif _ITEM.match(line):
            out.append(Row("item", _ITEM.sub("", line).strip()))
        elif line[:1].isspace():
            m = _MORE.match(line)
            stray = bool(m and m.group(1))
            out.append(Row("more", _MORE.sub("", line).strip(), stray))
        elif not any(r.kind != "blank" for r in out) and _looks_like_title(line):
            out.append(Row("title", line.strip()))
        elif _looks_like_heading(lines, i):
            out.append(Row("heading", line.strip()))
        else:
            out.append(Row("para", line.strip()))
    return out


def _looks_like_heading(lines: list[str], i: int) -> bool:
    text = lines[i].strip()
    before = i == 0 or not lines[i - 1].strip()
    after = i + 1 >= len(lines) or not lines[i + 1].strip()
    return before and after and len(text) < 80 and not text.endswith(_TERMINAL)


def _looks_like_title(line: str) -> bool:
    return len(line.strip()) < 100 and not line.rstrip().endswith(_TERMINAL)


def title_of(text: str) -> str:
    """The edition's title, or a neutral running title when it opens with no title."""
    return next((r.text for r in rows(text) if r.kind == "title"), "Extremism and Terrorism")


# -- fonts ---------------------------------------------------------------------------------


def fonts_available() -> bool:
    return _FONT.exists()


@lru_cache(maxsize=1)
def bullet_font() -> Path:
    """DejaVu Sans with its bullet glyph also mapped at U+F0B7 and U+007F, so a PDF made with it
    extracts those code points, as word processors' Symbol-font bullets do."""
    from fontTools.ttLib import TTFont

    target = Path(tempfile.gettempdir()) / "incident-ledger-renderings" / "bullets.ttf"
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        font = TTFont(str(_FONT))
        for table in font["cmap"].tables:
            if table.isUnicode():
                table.cmap[ord(SYMBOL_BULLET)] = "bullet"
                table.cmap[ord(DEL_BULLET)] = "bullet"
        partial = target.with_suffix(".part")
        font.save(str(partial))
        partial.replace(target)
    return target


def _cp1252(text: str) -> str:
    """What a core PDF font can show: cp1252 as is, accents stripped from other letters."""
    out = []
    for ch in text:
        try:
            ch.encode("cp1252")
            out.append(ch)
        except UnicodeEncodeError:
            base = unicodedata.normalize("NFKD", ch).encode("cp1252", "ignore").decode("cp1252")
            out.append(base or "?")
    return "".join(out)


def _soft_hyphens(text: str, min_len: int = 9) -> str:
    """A soft hyphen in the middle of every long plain word: a place a layout may break it."""

    def cut(m: re.Match[str]) -> str:
        word = m.group(0)
        return word[: len(word) // 2] + "\u00ad" + word[len(word) // 2 :]

    return re.sub(rf"\b[a-z]{{{min_len},}}\b", cut, text)


# -- fpdf2 ---------------------------------------------------------------------------------


def fpdf_pdf(
    text: str,
    *,
    font: str = "sans",
    bullet: str = "•",
    running: bool = True,
    align: str = "L",
    bold_dates: bool = False,
    hyphenate: bool = False,
    spacing: float = 0.0,
    columns: int = 1,
) -> bytes:
    """A PDF made with fpdf2. `font`: sans / serif (DejaVu) or helvetica (a core font, text
    reduced to cp1252); `bullet`: the glyph before each entry ("" for none); `running`: a
    running header (the title), a footer (the publisher) and page numbers on every page;
    `align`: L or J (justified); `spacing`: extra space before each entry, in mm."""
    from fpdf import FPDF

    title = title_of(text)
    core = font == "helvetica" or not fonts_available()

    class Doc(FPDF):
        def header(self) -> None:
            if running:
                self.set_font(body_font, size=8)
                self.cell(0, 5, fit(title), align="C", new_x="LMARGIN", new_y="NEXT")
                self.ln(4)

        def footer(self) -> None:
            if running:
                self.set_y(-18)
                self.set_font(body_font, size=8)
                self.cell(0, 4, PUBLISHER, align="L", new_x="LMARGIN", new_y="NEXT")
                self.cell(0, 4, f"Page {self.page_no()}", align="C")

    pdf = Doc(format="A4")
    pdf.set_auto_page_break(auto=True, margin=22)
    if core:
        pdf.core_fonts_encoding = "windows-1252"
        body_font = "Helvetica"

        def fit(s: str) -> str:
            return _cp1252(s)
    else:
        name = "DejaVuSerif" if font == "serif" else "DejaVuSans"
        pdf.add_font("Body", "", str(FONTS / f"{name}.ttf"))
        pdf.add_font("Body", "B", str(FONTS / f"{name}-Bold.ttf"))
        body_font = "Body"

        def fit(s: str) -> str:
            return s

    if bullet and (not core or bullet not in ("•", DEL_BULLET)):
        pdf.add_font("Bullets", "", str(bullet_font()))
        bullet_face = "Bullets"
    else:
        bullet_face = body_font
    pdf.add_page()
    size, height, hang = 10, 5.0, 6.0

    def body(s: str) -> str:
        s = fit(s.replace("**", ""))
        return _soft_hyphens(s) if hyphenate else s

    if columns > 1:
        _fpdf_columns(pdf, text, body, body_font, bullet, columns, align)
        return bytes(pdf.output())
    for row in rows(text):
        pdf.set_font(body_font, size=size)
        if row.kind == "blank":
            pdf.ln(3)
        elif row.kind == "title":
            pdf.set_font(body_font, size=16)
            pdf.multi_cell(0, 8, fit(row.text), new_x="LMARGIN", new_y="NEXT")
        elif row.kind in ("heading", "para"):
            pdf.multi_cell(0, height, body(row.text), align=align, new_x="LMARGIN", new_y="NEXT")
        elif row.kind == "item":
            if spacing:
                pdf.ln(spacing)  # between entries, not between an entry's own paragraphs
            if pdf.will_page_break(height):
                pdf.add_page()
            if bullet:
                pdf.set_font(bullet_face, size=size)
                pdf.cell(hang, height, bullet)
                pdf.set_font(body_font, size=size)
            else:
                pdf.set_x(pdf.l_margin + hang)
            words = body(row.text)
            dated = _DATED.match(words)
            markdown = False
            if bold_dates and dated and not re.search(r"\*\*|__|--|~~", words):
                words = f"**{dated.group(1)}:** {words[dated.end() :]}"
                markdown = True
            pdf.multi_cell(
                pdf.epw - hang, height, words, align=align, markdown=markdown,
                new_x="LMARGIN", new_y="NEXT",
            )  # fmt: skip
        else:  # a continuation paragraph of the item, under its text
            pdf.set_x(pdf.l_margin + hang)
            pdf.multi_cell(
                pdf.epw - hang, height, body(row.text), align=align,
                new_x="LMARGIN", new_y="NEXT",
            )  # fmt: skip
    return bytes(pdf.output())


def _fpdf_columns(pdf, text, body, body_font, bullet, columns, align) -> None:  # type: ignore[no-untyped-def]
    """Two (or more) columns of flowing text; an entry's bullet is inline with its text."""
    pdf.set_font(body_font, size=9)
    with pdf.text_columns(ncols=columns, gutter=6, text_align=align, line_height=1.1) as cols:
        for row in rows(text):
            if row.kind == "blank":
                continue
            if row.kind == "item":
                prefix = f"{bullet} " if bullet in ("•", "▪", "") else "• "
                words = prefix.lstrip() + body(row.text) if not bullet else prefix + body(row.text)
            else:
                words = body(row.text)
            with cols.paragraph(bottom_margin=1.5) as par:
                par.write(words)


# -- reportlab -----------------------------------------------------------------------------


def reportlab_pdf(
    text: str,
    *,
    font: str = "Times-Roman",
    bullet: str = "•",
    running: bool = True,
    bold_dates: bool = True,
    justify: bool = False,
) -> bytes:
    """A PDF made with reportlab's platypus: hanging bullets, bold dates, a header and footer
    drawn on each page. `font`: a core font (text reduced to cp1252) or "DejaVuSerif"."""
    from reportlab.lib.enums import TA_JUSTIFY, TA_LEFT
    from reportlab.lib.pagesizes import LETTER
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    if font == "DejaVuSerif" and fonts_available():
        pdfmetrics.registerFont(TTFont("DejaVuSerif", str(FONTS / "DejaVuSerif.ttf")))
        pdfmetrics.registerFont(TTFont("DejaVuSerif-Bold", str(FONTS / "DejaVuSerif-Bold.ttf")))
        pdfmetrics.registerFontFamily("DejaVuSerif", normal="DejaVuSerif", bold="DejaVuSerif-Bold")

        def fit(s: str) -> str:
            return s
    else:
        font = "Times-Roman" if font == "DejaVuSerif" else font

        def fit(s: str) -> str:
            return _cp1252(s)

    bullet_face = font
    if bullet in (SYMBOL_BULLET, DEL_BULLET, "▪") or (bullet and font == "DejaVuSerif"):
        pdfmetrics.registerFont(TTFont("ILBullets", str(bullet_font())))
        bullet_face = "ILBullets"
    title = title_of(text)
    alignment = TA_JUSTIFY if justify else TA_LEFT
    base = ParagraphStyle("body", fontName=font, fontSize=10, leading=13, alignment=alignment)
    # Without a bullet, only the space before an item tells an undated entry from its
    # predecessor's next paragraph, as in any such list.
    item = ParagraphStyle(
        "item", parent=base, leftIndent=16, bulletIndent=2, bulletFontName=bullet_face,
        spaceBefore=0 if bullet else 4,
    )  # fmt: skip
    more = ParagraphStyle("more", parent=base, leftIndent=16)
    heading = ParagraphStyle("heading", parent=base, fontSize=12, leading=16)
    top = ParagraphStyle("title", parent=base, fontSize=18, leading=22)

    def markup(s: str) -> str:
        return html.escape(fit(s.replace("**", "")), quote=False)

    story: list[object] = []
    for row in rows(text):
        if row.kind == "blank":
            story.append(Spacer(1, 5))
        elif row.kind == "title":
            story.append(Paragraph(markup(row.text), top))
        elif row.kind == "heading":
            story.append(Paragraph(markup(row.text), heading))
        elif row.kind == "para":
            story.append(Paragraph(markup(row.text), base))
        elif row.kind == "item":
            words = markup(row.text)
            dated = _DATED.match(html.unescape(words))
            if bold_dates and dated:
                rest = html.unescape(words)[dated.end() :]
                esc = html.escape(dated.group(1), quote=False)
                words = f"<b>{esc}:</b> {html.escape(rest, quote=False)}"
            story.append(Paragraph(words, item, bulletText=bullet or None))
        else:
            story.append(Paragraph(markup(row.text), more))

    def furniture(canvas, doc) -> None:  # type: ignore[no-untyped-def]
        if not running:
            return
        canvas.saveState()
        canvas.setFont("Helvetica", 8)
        canvas.drawString(doc.leftMargin, LETTER[1] - 40, _cp1252(title))
        canvas.drawString(doc.leftMargin, 40, PUBLISHER)
        canvas.drawRightString(LETTER[0] - doc.rightMargin, 28, str(doc.page))
        canvas.restoreState()

    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf, pagesize=LETTER, title=title, author="Example Policy Institute",
        topMargin=60, bottomMargin=60,
    )  # fmt: skip
    doc.build(story, onFirstPage=furniture, onLaterPages=furniture)
    return buf.getvalue()


# -- HTML ----------------------------------------------------------------------------------


def html_page(text: str, *, nested: bool = True, running: bool = True) -> bytes:
    """A publisher's web page: h1 title, h2 headings, the timeline as a list whose items open
    with a <strong> date; an item's further paragraphs are a nested list (`nested`) or <p>s
    inside the item; a site header, navigation and footer around the article."""
    out = ["<!DOCTYPE html>", "<html><head><meta charset='utf-8'>"]
    out.append(f"<title>{html.escape(title_of(text))}</title></head><body>")
    if running:
        out.append("<header><a href='/'>Example Policy Institute</a></header>")
        out.append("<nav><ul><li><a href='/reports'>Reports</a></li><li>About</li></ul></nav>")
    out.append("<article>")
    open_item: list[str] | None = None  # the current <li>'s inner parts
    in_list = False

    def close_item() -> None:
        nonlocal open_item
        if open_item is not None:
            head, *more = open_item
            if more and nested:
                inner = "".join(f"<li>{m}</li>" for m in more)
                out.append(f"<li>{head}\n<ul>{inner}</ul></li>")
            elif more:
                out.append(f"<li><p>{head}</p>" + "".join(f"<p>{m}</p>" for m in more) + "</li>")
            else:
                out.append(f"<li>{head}</li>")
        open_item = None

    for row in rows(text):
        esc = html.escape(row.text.replace("**", ""))
        if row.kind == "blank":
            continue
        if row.kind == "item":
            if not in_list:
                out.append("<ul class='timeline'>")
                in_list = True
            close_item()
            dated = _DATED.match(row.text)
            if dated:
                rest = html.escape(row.text[dated.end() :].replace("**", ""))
                esc = f"<strong>{html.escape(dated.group(1))}:</strong> {rest}"
            open_item = [esc]
        elif row.kind in ("more", "para") and open_item is not None:
            open_item.append(esc)
        else:
            close_item()
            if in_list:
                out.append("</ul>")
                in_list = False
            tag = {"title": "h1", "heading": "h2"}.get(row.kind, "p")
            out.append(f"<{tag}>{esc}</{tag}>")
    close_item()
    if in_list:
        out.append("</ul>")
    out.append("</article>")
    if running:
        out.append(f"<footer>{html.escape(PUBLISHER)} &middot; Page 1</footer>")
    out.append("</body></html>")
    return "\n".join(out).encode("utf-8")


# -- text ----------------------------------------------------------------------------------


def docx_text(text: str, *, encoding: str = "utf-16") -> bytes:
    """A word processor's plain-text export: Symbol bullets as U+F0B7 and a tab, typographic
    quotes, non-breaking spaces inside dates and after "Source:", soft hyphens, CRLF."""
    out: list[str] = []
    for row in rows(text):
        words = _smart_quotes(row.text.replace("**", ""))
        words = re.sub(r"\b([A-Z][a-z]+) (\d{1,2}),", "\\1\u00a0\\2,", words)
        words = re.sub(r"\b(Sources?:) ", "\\1\u00a0", words)
        words = _soft_hyphens(words)
        if row.kind == "item":
            out.append(f"{SYMBOL_BULLET}\t{words}")
        elif row.kind == "more":
            out.append(f"\t{words}")
        else:
            out.append(words)
    return "\r\n".join(out).encode(encoding)


def _smart_quotes(text: str) -> str:
    text = re.sub(r"(^|[\s(\[])\"", "\\1\u201c", text)
    text = text.replace('"', "\u201d")
    text = re.sub(r"(^|[\s(\[])'", "\\1\u2018", text)
    return text.replace("'", "\u2019")


def rewrap(
    text: str,
    *,
    width: int = 70,
    bullet: str = "•",
    indent: str = " ",
    stray: str | None = None,
    hyphenate: bool = False,
    page_break_every: int = 41,
    running: bool = False,
) -> str:
    """The same edition as another extraction lays it out: every paragraph and entry wrapped at
    `width` (long words cut with a hyphen when `hyphenate`), wrapped lines starting with
    `indent`, entries with `bullet`, the stray continuation bullets kept (as `stray`, default
    `bullet`), and page breaks (blank lines) moved to every n-th line; with `running`, each
    break also carries the page's footer, number and the next page's header, as a text
    extracted page by page from a PDF does."""
    stray = bullet if stray is None else stray
    title = title_of(text)
    out: list[str] = []

    def page_break() -> None:
        if running:
            page = 1 + sum(1 for line in out if line == PUBLISHER)
            out.extend(["", PUBLISHER, str(page), "", "", title, ""])
        else:
            out.extend(["", "", ""])

    for row in rows(text):
        if row.kind == "blank":
            out.append("")
            continue
        if row.kind == "item":
            first = f"{bullet} " if bullet else ""
        elif row.kind == "more":
            first = f" {stray} " if row.stray and stray else " "
        else:
            first = ""
        lines = (
            _wrap(row.text, width, hyphenate)
            if row.kind not in ("title", "heading")
            else [row.text]
        )
        for i, line in enumerate(lines):
            out.append((first if i == 0 else indent if row.kind in ("item", "more") else "") + line)
            if page_break_every and len(out) % page_break_every == 0 and i + 1 < len(lines):
                page_break()
    return "\n".join(out)


def _wrap(text: str, width: int, hyphenate: bool) -> list[str]:
    if not hyphenate:
        return textwrap.wrap(text, width=width, break_on_hyphens=False) or [""]
    lines: list[str] = []
    current = ""
    for word in text.split():
        if len(current) + 1 + len(word) <= width or not current:
            current = f"{current} {word}".strip()
            continue
        room = width - len(current) - 2
        if word.isalpha() and word.islower() and len(word) >= 8 and room >= 3:
            cut = min(room, len(word) - 3)
            lines.append(f"{current} {word[:cut]}-")
            current = word[cut:]
        else:
            lines.append(current)
            current = word
    lines.append(current)
    return lines


# -- the set the tests walk ------------------------------------------------------------------


@dataclass(frozen=True)
class Rendering:
    id: str
    kind: str  # pdf | html | text
    make: object  # Callable[[str], bytes]

    def render(self, text: str) -> bytes:
        return self.make(text)  # type: ignore[operator]


def _pdf(**kw: object) -> object:
    return lambda text: fpdf_pdf(text, **kw)  # type: ignore[arg-type]


def _rl(**kw: object) -> object:
    return lambda text: reportlab_pdf(text, **kw)  # type: ignore[arg-type]


def _text(**kw: object) -> object:
    return lambda text: rewrap(text, **kw).encode("utf-8")  # type: ignore[arg-type]


def renderings() -> Iterator[Rendering]:
    """Every layout the parser must read like the text edition, each with a readable id."""
    yield Rendering("fpdf-dejavu-sans-bullet", "pdf", _pdf(font="sans", bullet="•"))
    yield Rendering("fpdf-dejavu-serif-square", "pdf", _pdf(font="serif", bullet="▪"))
    yield Rendering("fpdf-dejavu-sans-symbol-f0b7", "pdf", _pdf(bullet=SYMBOL_BULLET))
    yield Rendering("fpdf-dejavu-sans-del-7f-bold", "pdf", _pdf(bullet=DEL_BULLET, bold_dates=True))
    yield Rendering("fpdf-dejavu-serif-no-bullet", "pdf", _pdf(font="serif", bullet="", spacing=2))
    yield Rendering("fpdf-helvetica-bullet-justified", "pdf", _pdf(font="helvetica", align="J"))
    yield Rendering("fpdf-helvetica-del-7f", "pdf", _pdf(font="helvetica", bullet=DEL_BULLET))
    yield Rendering("fpdf-dejavu-sans-hyphenated", "pdf", _pdf(hyphenate=True, align="J"))
    yield Rendering("fpdf-dejavu-sans-two-columns", "pdf", _pdf(columns=2))
    yield Rendering("reportlab-times-bullet", "pdf", _rl(bullet="•"))
    yield Rendering("reportlab-times-symbol-f0b7", "pdf", _rl(bullet=SYMBOL_BULLET))
    yield Rendering(
        "reportlab-dejavu-serif-del-7f", "pdf", _rl(font="DejaVuSerif", bullet=DEL_BULLET)
    )
    yield Rendering(
        "reportlab-helvetica-no-bullet", "pdf", _rl(font="Helvetica", bullet="", justify=True)
    )
    yield Rendering("html-nested-lists", "html", lambda t: html_page(t, nested=True))
    yield Rendering("html-paragraphs-in-items", "html", lambda t: html_page(t, nested=False))
    yield Rendering("docx-text-utf16", "text", lambda t: docx_text(t))
    yield Rendering("docx-text-utf8", "text", lambda t: docx_text(t, encoding="utf-8-sig"))
    yield Rendering("text-rewrapped-60-stray-bullets", "text", _text(width=60, bullet="•"))
    yield Rendering(
        "text-rewrapped-45-flush-dashes", "text", _text(width=45, bullet="-", indent="")
    )
    yield Rendering("text-rewrapped-72-hyphenated", "text", _text(width=72, hyphenate=True))
    yield Rendering(
        "text-extracted-with-running-headers",
        "text",
        _text(width=90, running=True, page_break_every=23),
    )


# -- the earlier helpers, kept for the bench -------------------------------------------------


def to_pdf(text: str) -> bytes:
    return fpdf_pdf(text, running=False)


def to_html(text: str) -> bytes:
    return html_page(text, running=False)

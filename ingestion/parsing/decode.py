"""Bytes to text, by content rather than file name: plain text, PDF or an HTML page.

The text keeps the shape the rest of the parser expects: one line per paragraph or entry,
blank lines between blocks, several blank lines at page breaks.
"""

from __future__ import annotations

import io
import itertools
import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

from .dates import read_entry_date
from .model import ParseError
from .repair import repeats
from .text import bullet_length

_HTML_SNIFF = re.compile(r"<(?:!doctype\s+html|html|head|body|h[1-6]|p|ul|ol|li|div)\b", re.I)
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\ufffd]")  # control characters but tab and newline
_BLOCKS = ("h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "title")


@dataclass(frozen=True)
class Decoded:
    text: str
    kind: str  # "text" | "pdf" | "html"


def decode(data: bytes) -> Decoded:
    if not data or not data.strip():
        raise ParseError("the input is empty: give the file that holds the report edition")
    head = data[:1024].lstrip()
    if head.startswith(b"%PDF"):
        return Decoded(_check(_pdf_text(data), "PDF"), "pdf")
    text = _bytes_to_text(data)
    if len(_HTML_SNIFF.findall(text[:5000])) >= 2:
        return Decoded(_check(_html_text(text), "HTML"), "html")
    return Decoded(_check(text, "text"), "text")


def _bytes_to_text(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    if b"\x00" in data[:4096]:
        raise ParseError("the input looks binary (NUL bytes): give a text, PDF or HTML edition")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _check(text: str, kind: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n\n\n")
    text = text.replace("\u00a0", " ").replace("\u200b", "")
    sample = text[:6000]
    if not sample.strip():
        raise ParseError(f"the {kind} input holds no readable text (a scanned PDF needs OCR first)")
    bad = len(_CONTROL.findall(sample))
    letters = sum(map(str.isalpha, sample))
    if bad > 0.02 * len(sample) or letters < 0.4 * len(sample.strip()):
        raise ParseError(
            f"the {kind} input looks binary or garbled ({bad} control characters, "
            f"{letters} letters in {len(sample)}): check the file is the report edition"
        )
    return text


def _pdf_text(data: bytes) -> str:
    try:
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(data))
        pages = [_pdf_page_lines(page) for page in reader.pages]
    except ParseError:
        raise
    except Exception as exc:  # pypdf raises many exception types on broken files
        raise ParseError(f"the PDF could not be read ({type(exc).__name__}): {exc}") from exc
    running = _running_lines(pages)
    if running:
        pages = [[ln for ln in lines if _furniture_key(ln) not in running] for lines in pages]
    return "\n\n\n".join(_pdf_page_text(lines) for lines in pages)


@dataclass
class _PdfLine:
    y: float  # baseline, from the page's bottom
    x: float  # where the line's first piece starts
    text: str


def _pdf_page_lines(page: object) -> list[_PdfLine]:
    """The page's lines in content order, each from the text pieces on one baseline."""
    chunks: list[tuple[float, float, str]] = []

    def visit(text: str, cm: list[float], tm: list[float], *_: object) -> None:
        if text:
            chunks.append((cm[5] + tm[5] * cm[3], cm[4] + tm[4] * cm[0], text))

    page.extract_text(visitor_text=visit)  # type: ignore[attr-defined]
    lines: list[_PdfLine] = []
    for y, x, text in chunks:
        for i, part in enumerate(text.split("\n")):
            if i == 0 and lines and abs(lines[-1].y - y) < 1.0:
                last = lines[-1]
                if part[:1].isalnum() and bullet_length(last.text) == len(last.text.rstrip()):
                    part = " " + part  # a bullet drawn apart from its text
                last.text += part
            elif part.strip():
                lines.append(_PdfLine(y, x, part))
    return [ln for ln in lines if ln.text.strip()]


_DIGITS = re.compile(r"\d+")


def _furniture_key(line: _PdfLine) -> tuple[str, int]:
    return (_DIGITS.sub("#", " ".join(line.text.split())), round(line.y))


def _running_lines(pages: list[list[_PdfLine]]) -> frozenset[tuple[str, int]]:
    """Running headers and footers: a line among a page's top or bottom three that recurs at
    the same height, digits aside ("Page 3", the title, the publisher's URL), on at least half
    of the pages and on two or more."""
    if len(pages) < 2:
        return frozenset()
    seen: Counter[tuple[str, int]] = Counter()
    for lines in pages:
        heights = sorted({round(ln.y) for ln in lines})
        edge = set(heights[:3]) | set(heights[-3:])
        seen.update({_furniture_key(ln) for ln in lines if round(ln.y) in edge})
    least = max(2, (len(pages) + 1) // 2)
    return frozenset(key for key, n in seen.items() if n >= least)


def _pdf_page_text(lines: list[_PdfLine]) -> str:
    """One line per paragraph or entry: a line joins the one above unless a gap wider than the
    usual line spacing, a move back to the left (the next item of a list with hanging
    indents), a bullet or an entry date says a new block starts. Blank lines between blocks."""
    if not lines:
        return ""
    steps = Counter(round(a.y - b.y, 1) for a, b in itertools.pairwise(lines) if 0 < a.y - b.y < 40)
    step = steps.most_common(1)[0][0] if steps else 12.0
    out: list[str] = [lines[0].text.strip()]
    for prev, line in itertools.pairwise(lines):
        text = line.text.strip()
        gap = prev.y - line.y
        if gap > step * 1.25 or gap < -step * 0.5:  # a wider gap, or up to the next column
            out.append("")
            out.append(text)
        elif _starts_block(text) or line.x < prev.x - 2.0 or repeats(out[-1][-800:], text):
            out.append(text)  # a repeated line stays apart, so the repair keeps one copy
        else:
            out[-1] = _join_wrapped(out[-1], text)
    return "\n".join(out)


def _starts_block(text: str) -> bool:
    if bullet_length(text):
        return True
    dated = read_entry_date(text)
    return dated is not None and dated.precision in ("day", "range", "month")


def _join_wrapped(left: str, right: str) -> str:
    """Join a wrapped line to the line above. A word hyphenated at the break is joined with a
    soft hyphen, which the repair step keeps or drops by how the text writes it elsewhere; a
    capital after the break ("al-" / "Qaeda") keeps its hyphen."""
    if left.endswith("-") and left[-2:-1].isalpha() and right[:1].isalpha():
        return left[:-1] + ("-" if right[0].isupper() else "\u00ad") + right
    return f"{left} {right}"


def _html_text(html: str) -> str:
    """Block elements become lines (source whitespace is only a space): a list item is an
    entry line "- ...", its further paragraphs and nested items the lines under it."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    for tag in soup(["script", "style", "noscript", "nav", "footer", "header"]):
        tag.decompose()
    for br in soup.find_all("br"):
        br.replace_with(_HARD_BREAK)
    out: list[str] = []
    for el in soup.find_all(_BLOCKS):
        if el.name == "title" or any(parent.name in _BLOCKS for parent in el.parents):
            continue
        if el.name == "li":
            lines = _item_lines(el)
            first = lines[0][0] if lines else ""
            out.append(f"- {first}" if first else "-")
            out.extend(f" - {line}" if nested else f" {line}" for line, nested in lines[1:])
        else:
            text = " ".join(_html_lines(el.get_text("")))
            if text:
                out.extend(("", text, ""))
    title = soup.find("title")
    if title and title.get_text(strip=True):
        h1 = soup.find("h1")
        if not h1 or h1.get_text(strip=True) != title.get_text(strip=True):
            out.insert(0, title.get_text(" ", strip=True))
    return "\n".join(out)


_HARD_BREAK = "\u2029"  # a break the markup asks for, unlike a newline in the page's source
_ITEM_BLOCKS = ("p", "div", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote")


def _item_lines(li: Any) -> list[tuple[str, bool]]:
    """A list item's lines: its own paragraphs, then its sub-items' (flagged as nested), in
    order. Walks the item's children only; inline markup stays in the line it belongs to."""
    lines: list[tuple[str, bool]] = []
    inline: list[str] = []

    def flush() -> None:
        lines.extend((line, False) for line in _html_lines("".join(inline)))
        inline.clear()

    for child in li.children:
        name = getattr(child, "name", None)
        if name in ("ul", "ol"):
            flush()
            for sub in child.find_all("li", recursive=False):
                lines.extend((line, True) for line, _nested in _item_lines(sub))
        elif name in _ITEM_BLOCKS:
            flush()
            lines.extend((line, False) for line in _html_lines(child.get_text("")))
        else:
            inline.append(child.get_text("") if name else str(child))
    flush()
    return lines


def _html_lines(text: str) -> list[str]:
    return [" ".join(piece.split()) for piece in text.split(_HARD_BREAK) if piece.strip()]

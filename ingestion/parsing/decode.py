"""Bytes to text, by content rather than file name: plain text, PDF or an HTML page.

The text keeps the shape the rest of the parser expects: one line per paragraph or entry,
blank lines between blocks, several blank lines at page breaks.
"""

from __future__ import annotations

import io
import itertools
import re
from dataclasses import dataclass

from .model import ParseError

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
        pages = [_pdf_page_text(page) for page in reader.pages]
    except ParseError:
        raise
    except Exception as exc:  # pypdf raises many exception types on broken files
        raise ParseError(f"the PDF could not be read ({type(exc).__name__}): {exc}") from exc
    return "\n\n\n".join(pages)


def _pdf_page_text(page: object) -> str:
    """Lines in reading order; a vertical gap wider than a line marks a paragraph break.

    Wrapped lines of one paragraph are joined back so the text looks like the seed's.
    """
    chunks: list[tuple[float, float, str]] = []

    def visit(text: str, cm: list[float], tm: list[float], *_: object) -> None:
        if text:
            chunks.append((cm[5] + tm[5] * cm[3], cm[4] + tm[4] * cm[0], text))

    page.extract_text(visitor_text=visit)  # type: ignore[attr-defined]
    lines: list[tuple[float, str]] = []
    for y, _x, text in chunks:
        for i, part in enumerate(text.split("\n")):
            if i == 0 and lines and abs(lines[-1][0] - y) < 1.0:
                lines[-1] = (y, lines[-1][1] + part)
            elif part or i == 0:
                lines.append((y, part))
    lines = [(y, t.strip()) for y, t in lines if t.strip()]
    if not lines:
        return ""
    gaps = sorted(abs(a[0] - b[0]) for a, b in itertools.pairwise(lines) if a[0] != b[0])
    step = gaps[len(gaps) // 4] if gaps else 12.0
    out: list[str] = [lines[0][1]]
    for (py, _prev), (y, text) in itertools.pairwise(lines):
        gap = abs(py - y)
        if gap > step * 1.45:
            out.append("")
            out.append(text)
        elif _starts_block(text):
            out.append(text)
        else:
            out[-1] = _join_wrapped(out[-1], text)
    return "\n".join(out)


_BLOCK_START = re.compile(
    r"^(?:[-•*\u2013]\s|\*\*|(?:January|February|March|April|May|June|July|August|September|"
    r"October|November|December) \d{1,2}, \d{4}\b)"
)


def _starts_block(text: str) -> bool:
    return bool(_BLOCK_START.match(text))


def _join_wrapped(left: str, right: str) -> str:
    if left.endswith("-") and not left.endswith(" -") and right[:1].islower():
        return left + right
    return f"{left} {right}"


def _html_text(html: str) -> str:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    for tag in soup(["script", "style", "noscript", "nav", "footer", "header"]):
        tag.decompose()
    for br in soup.find_all("br"):
        br.replace_with("\n")
    out: list[str] = []
    for el in soup.find_all(_BLOCKS):
        if any(parent.name in _BLOCKS for parent in el.parents):
            continue
        if el.name == "title":
            continue
        if el.name == "li":
            nested = [li for li in el.find_all("li")]
            for li in nested:
                li.extract()
            first, *rest = _clean_lines(el.get_text(""))
            out.append(f"- {first}" if first else "-")
            out.extend(f" - {line}" for line in rest)
            for li in nested:
                out.extend(f" - {line}" for line in _clean_lines(li.get_text("")))
        else:
            lines = _clean_lines(el.get_text(""))
            if lines:
                out.append("")
                out.append(" ".join(lines))
                out.append("")
    title = soup.find("title")
    if title and title.get_text(strip=True):
        h1 = soup.find("h1")
        if not h1 or h1.get_text(strip=True) != title.get_text(strip=True):
            out.insert(0, title.get_text(" ", strip=True))
    return "\n".join(out)


def _clean_lines(text: str) -> list[str]:
    return [re.sub(r"[ \t]+", " ", line).strip() for line in text.split("\n") if line.strip()]

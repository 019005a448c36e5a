"""What one edition may cost the parser: pages, markup nesting and size, timeline entries.

Checked before the expensive work starts (a PDF's page count before its pages are read, the
markup's shape before it is parsed into a tree), so an edition built to be expensive is refused
in a fraction of the time it would take to read. Pure: the caller passes the numbers in.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

from .model import ParseError


@dataclass(frozen=True)
class Limits:
    max_pdf_pages: int = 500
    max_html_depth: int = 100
    max_html_elements: int = 100_000
    max_entries: int = 2_000


_TAG = re.compile(rb"<(/?)([A-Za-z][A-Za-z0-9]*)[^<>]*?(/?)>")
# Elements that never hold others, so never nest.
_VOID = frozenset(b"area base br col embed hr img input link meta param source track wbr".split())


_PAGE_OBJECT = re.compile(rb"/Type\s*/Page(?![A-Za-z])")
_DATED_LINE = re.compile(
    rb"^[^\w\n]{0,4}(?:January|February|March|April|May|June|July|August|September|October|"
    rb"November|December) \d{1,2}, \d{4}",
    re.M,
)


def check_input(data: bytes, limits: Limits) -> None:
    """Refuse input over the page, markup or entry limits, with the reason, before the text is
    read: counting costs a pass of a regular expression, reading costs minutes."""
    if data[:1024].lstrip().startswith(b"%PDF"):
        _check_pages(data, limits)
        return
    if b"<" in data:
        _check_markup(data, limits)
    # Twice the limit in lines opening with a date is over it whatever the layout (an entry's
    # parts and wrapped lines never start with one); the exact count is checked after reading.
    # Each match opens a line of its own (no match holds a newline), so an input of no more
    # lines than that cannot be over it: one count of newlines spares the pattern's scan.
    if data.count(b"\n") + 1 <= 2 * limits.max_entries:
        return
    dated = sum(1 for _ in _DATED_LINE.finditer(data))
    if dated > 2 * limits.max_entries:
        check_entries(dated, limits)


def check_entries(count: int, limits: Limits) -> None:
    _refuse_over(f"the timeline has {count:,} entries", count, limits.max_entries, "ENTRIES")


def _refuse_over(what: str, count: int, limit: int, setting: str) -> None:
    """Refuse `count` over `limit`, naming the setting (LEDGER_MAX_<setting>) that raises it."""
    if count > limit:
        raise ParseError(
            f"{what}, over the limit of {limit:,} for one edition (LEDGER_MAX_{setting}): "
            "check the file is the report edition"
        )


def _check_pages(data: bytes, limits: Limits) -> None:
    # Page objects in plain sight are counted at once; in compressed object streams, the reader
    # counts them (its page tree walk is what a PDF of many thousand pages makes slow).
    _check_page_count(sum(1 for _ in _PAGE_OBJECT.finditer(data)), limits)
    try:
        from pypdf import PdfReader

        pages = len(PdfReader(io.BytesIO(data)).pages)
    except Exception:  # a broken PDF is refused by the reader itself, with its own reason
        return
    _check_page_count(pages, limits)


def _check_page_count(pages: int, limits: Limits) -> None:
    _refuse_over(f"the PDF has {pages:,} pages", pages, limits.max_pdf_pages, "PDF_PAGES")


def _check_markup(data: bytes, limits: Limits) -> None:
    depth = deepest = elements = 0
    for match in _TAG.finditer(data):
        closing, name, self_closing = match.groups()
        if closing:
            depth = max(0, depth - 1)
            continue
        elements += 1
        if not self_closing and name.lower() not in _VOID:
            depth += 1
            deepest = max(deepest, depth)
        if deepest > limits.max_html_depth:
            raise ParseError(
                f"the HTML nests elements more than {limits.max_html_depth:,} deep "
                "(LEDGER_MAX_HTML_DEPTH): check the file is the report edition"
            )
        if elements > limits.max_html_elements:
            raise ParseError(
                f"the HTML has more than {limits.max_html_elements:,} elements "
                "(LEDGER_MAX_HTML_ELEMENTS): check the file is the report edition"
            )

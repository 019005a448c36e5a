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


def check_input(data: bytes, limits: Limits) -> None:
    """Refuse input over the page or markup limits, with the reason; the text is not read."""
    if data[:1024].lstrip().startswith(b"%PDF"):
        _check_pages(data, limits)
    elif b"<" in data:
        _check_markup(data, limits)


def check_entries(count: int, limits: Limits) -> None:
    if count > limits.max_entries:
        raise ParseError(
            f"the timeline has {count:,} entries, over the limit of {limits.max_entries:,} for "
            "one edition (LEDGER_MAX_ENTRIES): check the file is the report edition"
        )


def _check_pages(data: bytes, limits: Limits) -> None:
    try:
        from pypdf import PdfReader

        pages = len(PdfReader(io.BytesIO(data)).pages)
    except Exception:  # a broken PDF is refused by the reader itself, with its own reason
        return
    if pages > limits.max_pdf_pages:
        raise ParseError(
            f"the PDF has {pages:,} pages, over the limit of {limits.max_pdf_pages:,} for one "
            "edition (LEDGER_MAX_PDF_PAGES): check the file is the report edition"
        )


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

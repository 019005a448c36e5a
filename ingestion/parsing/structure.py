"""An edition's shape: title, narrative sections with paragraphs, and the raw timeline entries.

Works on repaired lines; every timeline entry keeps the number of the line it starts on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .dates import FULL_DATE, read_entry_date
from .model import Section
from .repair import Line

_TIMELINE_HEADING = re.compile(
    r"^(?:major\s+)?(?:extremist\s+and\s+terrorist\s+incidents|terrorist\s+incidents|"
    r"timeline(?:\s+of\s+\w+(?:\s+\w+)?)?|major\s+incidents|key\s+incidents|incidents)$",
    re.I,
)
_BULLET = re.compile(r"^\s*(?:[-•*\u2013]\s*)+")
_SOURCE_DONE = re.compile(r"\b(?:Sources?|Souces?)\s*:\s*\S", re.I)
_SENTENCE_END = re.compile(r"[a-z]{2}[.!?] [A-Z]")
_TERMINAL = (".", "!", "?", '"', "”", ")", "\u2019", "'")
_NARRATIVE_DATE = re.compile(rf"^On (?P<date>{FULL_DATE.pattern}),")


@dataclass
class RawEntry:
    line: int
    parts: list[str] = field(default_factory=list)
    narrative: bool = False

    @property
    def text(self) -> str:
        return " ".join(p.strip() for p in self.parts if p.strip())


@dataclass(frozen=True)
class Structure:
    title: str | None
    sections: tuple[Section, ...]
    entries: tuple[RawEntry, ...]
    warnings: tuple[str, ...]


def _is_heading(lines: list[Line], i: int) -> bool:
    text = lines[i].text.strip()
    if (
        not text
        or len(text) > 80
        or len(text.split()) > 10
        or ":" in text
        or text.endswith((*_TERMINAL, ",", ";"))
    ):
        return False
    if not text[0].isupper() or _BULLET.match(lines[i].text) or read_entry_date(text):
        return False
    if lines[i].text[:1].isspace():
        return False  # indented: a continuation line of an entry, cut off by a page break
    if _SENTENCE_END.search(text):
        return False  # the last line of a paragraph a page break left alone
    prev_blank = i == 0 or not lines[i - 1].text.strip()
    next_blank = i + 1 >= len(lines) or not lines[i + 1].text.strip()
    return prev_blank and next_blank and not _continued_below(lines, i)


def _continued_below(lines: list[Line], i: int) -> bool:
    """Whether the next text (past a page break's blank lines) goes on in lowercase: the line
    is the first half of a sentence a page break cut, not a heading."""
    for nxt in lines[i + 1 : i + 6]:
        text = nxt.text.lstrip()
        if text:
            return text[0].islower()
    return False


def _is_title(lines: list[Line], i: int) -> bool:
    text = lines[i].text.strip()
    isolated = i + 1 >= len(lines) or not lines[i + 1].text.strip()
    return (
        isolated
        and len(text) <= 100
        and not text.endswith(_TERMINAL)
        and (":" in text or "extremism" in text.lower())
        and not read_entry_date(text)
    )


def _entry_start(line: Line) -> tuple[bool, bool, bool]:
    """(dated start, bullet at column 0, indented)."""
    raw = line.text
    indent = raw[:1].isspace()
    bullet = bool(_BULLET.match(raw))
    body = _BULLET.sub("", raw).strip()
    dated = read_entry_date(body)
    if dated is not None and dated.precision == "unknown" and not body.startswith(":"):
        dated = None
    if dated is not None and dated.precision in ("year", "unknown") and not bullet:
        dated = None
    return dated is not None, bullet and not indent, indent


def split_structure(lines: list[Line]) -> Structure:
    warnings: list[str] = []
    start = next(
        (
            i
            for i, ln in enumerate(lines)
            if _TIMELINE_HEADING.match(ln.text.strip()) and _is_heading(lines, i)
        ),
        None,
    )
    if start is None:
        first = next(
            (i for i, ln in enumerate(lines) if _entry_start(ln)[0] and _entry_start(ln)[1]), None
        )
        if first is None:
            warnings.append("no timeline of incidents found")
            title, sections = _sections(lines, None)
            return Structure(title, tuple(sections), (), tuple(warnings))
        start = first - 1
    title, sections = _sections(lines[:start], None)
    heading = lines[start].text.strip() if start >= 0 and _is_heading(lines, start) else None
    entries, end, pre_sections = _timeline(lines, start + 1, heading)
    sections.extend(pre_sections)
    _, after = _sections(lines[end:], None, allow_title=False)
    sections.extend(after)
    return Structure(
        title,
        tuple(s for s in sections if s.heading or s.paragraphs),
        tuple(entries),
        tuple(warnings),
    )


def _sections(
    lines: list[Line], heading: str | None, allow_title: bool = True
) -> tuple[str | None, list[Section]]:
    title: str | None = None
    sections: list[Section] = []
    current_heading = heading
    paragraphs: list[str] = []
    block: list[str] = []
    first_text = True

    def flush_block() -> None:
        if block:
            paragraphs.append(" ".join(block))
            block.clear()

    for i, line in enumerate(lines):
        text = line.text.strip()
        if not text:
            flush_block()
            continue
        if first_text and allow_title and _is_title(lines, i):
            title = text
            first_text = False
            continue
        if _is_heading(lines, i):
            flush_block()
            sections.append(Section(current_heading, tuple(_merge_breaks(paragraphs))))
            current_heading = text
            paragraphs = []
            first_text = False
            continue
        first_text = False
        block.append(_BULLET.sub("", text) if _BULLET.match(line.text) and False else text)
    flush_block()
    sections.append(Section(current_heading, tuple(_merge_breaks(paragraphs))))
    if sections and sections[0].heading is None and not sections[0].paragraphs:
        sections.pop(0)
    return title, sections


def _merge_breaks(paragraphs: list[str]) -> list[str]:
    """Join a paragraph a page break cut in two (it ends without closing punctuation)."""
    out: list[str] = []
    for p in paragraphs:
        if out and not out[-1].rstrip().endswith(_TERMINAL):
            out[-1] = f"{out[-1].rstrip()} {p.lstrip()}"
        else:
            out.append(p)
    return out


def _timeline(
    lines: list[Line], begin: int, heading: str | None
) -> tuple[list[RawEntry], int, list[Section]]:
    entries: list[RawEntry] = []
    sections: list[Section] = []
    current: RawEntry | None = None
    pre_heading = heading
    pre_paragraphs: list[str] = []
    in_list = False
    new_paragraph = True  # narrative before the list: paragraphs are separated by blank lines
    after_blank = False  # in the list: whether a blank line came before this line
    # Entries so far that open with a date, with a bullet or without.
    bulleted_dates = plain_dates = 0
    i = begin
    while i < len(lines):
        line = lines[i]
        text = line.text.strip()
        if not text:
            new_paragraph = after_blank = True
            i += 1
            continue
        dated, bullet, _indent = _entry_start(line)
        if not in_list and not dated and not bullet:
            if _is_heading(lines, i):
                sections.append(Section(pre_heading, tuple(_merge_breaks(pre_paragraphs))))
                pre_heading, pre_paragraphs = text, []
            elif pre_paragraphs and not new_paragraph:
                pre_paragraphs[-1] += " " + text  # a line wrapped inside the paragraph
            else:
                pre_paragraphs.append(text)
            new_paragraph = False
            i += 1
            continue
        if not in_list:
            in_list = True
            sections.append(Section(pre_heading, tuple(_merge_breaks(pre_paragraphs))))
            current = None
        plain_list = plain_dates > bulleted_dates  # this timeline's entries have no bullets
        if (
            dated
            or (bullet and _done(current))
            or (plain_list and after_blank and _done(current) and _opens_entry(lines, i, current))
        ):
            current = RawEntry(line.no, [_BULLET.sub("", text)])
            entries.append(current)
            if dated:
                bulleted_dates += bool(_BULLET.match(line.text))
                plain_dates += not _BULLET.match(line.text)
        elif _is_heading(lines, i) and _ends_timeline(lines, i, current):
            return entries, i, sections
        elif current is not None:
            current.parts.append(_BULLET.sub("", text))
        after_blank = False
        i += 1
    if not in_list:
        sections.append(Section(pre_heading, tuple(_merge_breaks(pre_paragraphs))))
    return entries, len(lines), sections


def _done(current: RawEntry | None) -> bool:
    """Whether the entry so far has given its sources (the next bullet may open another)."""
    return current is None or bool(_SOURCE_DONE.search(current.text))


def _opens_entry(lines: list[Line], i: int, current: RawEntry | None) -> bool:
    """An entry with neither bullet nor date, in a timeline without bullets: a paragraph at the
    margin after an entry whose sources are given (and not cut off by a comma), that reads as
    a sentence rather than the tail of a source list, and is no heading or source line."""
    raw = lines[i].text
    text = raw.strip()
    return (
        not raw[:1].isspace()
        and text[:1].isupper()
        and len(text.split()) >= 5
        and not (current is not None and current.text.rstrip().endswith((",", ";", "-")))
        and not _SOURCE_LINE.match(text)
        and not _is_heading(lines, i)
    )


_SOURCE_LINE = re.compile(r"\(?(?:Sources?|Souces?)\s*:", re.I)


def _ends_timeline(lines: list[Line], i: int, current: RawEntry | None) -> bool:
    if current is not None and current.text.rstrip().endswith((":", ",", "-")):
        return False
    for nxt in lines[i + 1 :]:
        if nxt.text.strip():
            dated, bullet, _ = _entry_start(nxt)
            return not (dated or bullet)
    return True

"""Undo the damage PDF extraction does, line by line, keeping each line's original number.

- stray markup (`<u>`, `,br>`, `<br>`), bold/italic asterisks, escaped dollars;
- the next entry's date glued to the end of a line (split it off);
- a line repeated with a small difference, e.g. a typo fixed in the copy (keep the fuller copy).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz

from .dates import MONTH_RE


@dataclass(frozen=True)
class Line:
    no: int  # 1-based line number in the input text
    text: str


_MARKUP = re.compile(r"</?u>|</?b>|</?i>|</?strong>|</?em>|<br\s*/?>|,br>|</?span[^>]{0,80}>", re.I)
_ASTERISKS = re.compile(r"\*{1,2}")
_SPACES = re.compile(r"[ \t]{2,}")
_GLUED = re.compile(
    rf"(?:\*\*)?\b(?:{MONTH_RE}) \d{{1,2}}, \d{{4}}(?:\s*[-\u2013]?\s*(?:{MONTH_RE}) \d{{1,2}}, \d{{4}})?"  # noqa: E501
    r"(?:\*\*)?:"
)
_YEAR_COLON = re.compile(r"\d{4}(?:\*\*)?:")
_BULLET = re.compile(r"^\s*(?:[-•*\u2013]\s*)+")


def clean_markup(text: str) -> str:
    if "<" in text or ",br>" in text:
        text = _MARKUP.sub(" ", text)
    if "*" in text:
        text = _ASTERISKS.sub("", text)
    if "\\" in text:
        text = text.replace("\\$", "$").replace("\\", "")
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    text = text.replace("\u201c", '"').replace("\u201d", '"')
    return (_SPACES.sub(" ", text) if "  " in text or "\t" in text else text).rstrip()


def repair_lines(text: str) -> list[Line]:
    lines: list[Line] = []
    for no, raw in enumerate(text.split("\n"), start=1):
        cleaned = clean_markup(raw)
        if not cleaned.strip():
            lines.append(Line(no, ""))
            continue
        lines.extend(_split_glued(no, cleaned))
    return _drop_repeats(lines)


def _split_glued(no: int, text: str) -> list[Line]:
    """Split `... Source: Re July 14, 2022: Armed men ...` into two lines."""
    if not _YEAR_COLON.search(text, 15):
        return [Line(no, text)]
    pieces: list[Line] = []
    start = 0
    body = _BULLET.sub("", text)
    offset = len(text) - len(body)
    for match in _GLUED.finditer(body):
        at = match.start()
        if at < 15:
            continue
        before = body[start:at]
        if before.rstrip().endswith(("On", "on", "of", "since", "until", "by", "from")):
            continue
        pieces.append(Line(no, (text[:offset] if not pieces else "- ") + before.rstrip()))
        start = at
    if not pieces:
        return [Line(no, text)]
    pieces.append(Line(no, "- " + body[start:]))
    head = pieces[0].text
    # The glued head ends in a word cut by the page (", Source: Re"): drop the stub word.
    cut = re.sub(r"\s+\w{1,3}$", "", head) if re.search(r"Sources?:\s+\w{1,3}$", head) else head
    pieces[0] = Line(no, cut)
    return pieces


def _norm(text: str) -> str:
    return " ".join(_BULLET.sub("", text).split())


def _drop_repeats(lines: list[Line]) -> list[Line]:
    """Drop a line that repeats (part of) the line before it; keep the fuller or later copy."""
    out: list[Line] = []
    last = -1  # index in `out` of the last non-empty line
    prev_norm = ""
    for line in lines:
        if not line.text:
            out.append(line)
            continue
        norm = _norm(line.text)
        if last >= 0:
            prev = out[last]
            verdict = _repeat(prev_norm, norm)
            if verdict == "drop_new":
                continue
            if verdict == "replace_old":
                out[last] = Line(prev.no, _replace_tail(prev.text, line.text))
                prev_norm = _norm(out[last].text)
                continue
        out.append(line)
        last = len(out) - 1
        prev_norm = norm
    return out


def _replace_tail(old: str, new: str) -> str:
    """Put the corrected copy in place of the part of `old` it repeats."""
    body = _norm(new)
    old_norm = _norm(old)
    if len(body) >= len(old_norm) - 3:
        prefix = old[: len(old) - len(_BULLET.sub("", old))]
        return prefix + body
    align = fuzz.partial_ratio_alignment(body, old_norm)
    if align is None:
        return old
    head = old_norm[: align.dest_start].rstrip()
    prefix = old[: len(old) - len(_BULLET.sub("", old))]
    return f"{prefix}{head} {body}".replace("  ", " ")


def _repeat(old: str, new: str) -> str | None:
    short, long_ = (old, new) if len(old) <= len(new) else (new, old)
    if len(short) < 30 or (short[:18] not in long_ and short[-18:] not in long_):
        return None
    if short[:18] not in long_ and short[-18:] not in long_:
        return None
    if len(long_) > 4000:
        # Bound the work: very long lines only count as repeats when their ends agree.
        if fuzz.ratio(short[:500], long_[:500]) < 90 or fuzz.ratio(short[-500:], long_[-500:]) < 90:
            return None
    elif fuzz.partial_ratio(short, long_) < 90:
        return None
    if short is new and len(new) < len(old) - 3:
        return "drop_new"  # a truncated copy of what the line before already says
    return "replace_old"  # the copy is fuller, or the same with a typo fixed

"""Undo the damage PDF extraction does, line by line, keeping each line's original number.

- odd bullet glyphs (U+F0B7 from a Symbol font, DEL, squares, ...) written as "- ";
- words hyphenated at a line's end joined, and lines a narrower layout wrapped joined back
  into the paragraph they belong to (the line number of its first line), so the readings
  below see the same lines whatever the width;
- stray markup (`<u>`, `,br>`, `<br>`), bold/italic asterisks, escaped dollars;
- the next entry's date glued to the end of a line (split it off);
- a line repeated with a small difference, e.g. a typo fixed in the copy (keep the fuller copy);
- a line holding only a page number ("2", "Page 3 of 40"), dropped so the halves around it join.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz

from .dates import MONTH_RE, read_entry_date
from .text import bullet_length, mark_line_end_hyphens, resolve_soft_hyphens


@dataclass(frozen=True)
class Line:
    no: int  # 1-based line number in the input text
    text: str


_MARKUP = re.compile(r"</?u>|</?b>|</?i>|</?strong>|</?em>|<br\s*/?>|,br>|</?span[^>]{0,80}>", re.I)
_ASTERISKS = re.compile(r"\*{1,2}")
_SPACES = re.compile(r"[ \t]{2,}")
# An entry date ending in a colon. No leading "**" or word boundary in the pattern, so the
# engine skips ahead to a month's first letter; `_split_glued` checks both by hand.
_GLUED = re.compile(
    rf"(?:{MONTH_RE}) \d{{1,2}}, \d{{4}}(?:\s*[-\u2013]?\s*(?:{MONTH_RE}) \d{{1,2}}, \d{{4}})?"
    r"(?:\*\*)?:"
)
_BULLET = re.compile(r"^\s*(?:[-•*\u2013]\s*)+")
# A line holding only a page number: "2", "- 2 -", "Page 3", "Page 3 of 40", "3/40".
_PAGE_NUMBER = re.compile(
    r"^\s*(?:[-\u2013]\s*)?(?:page\s+)?\d{1,3}(?:\s*(?:of|/)\s*\d{1,3})?\s*(?:[-\u2013]\s*)?$", re.I
)


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
    text = resolve_soft_hyphens(mark_line_end_hyphens(text))
    lines: list[Line] = []
    # For a line wrapped ones were joined to: where in its text each source line begins.
    joined: dict[int, list[tuple[int, int]]] = {}
    open_paragraph = False  # whether the last line with text may go on in the next one
    blanks = 0  # blank lines since the last line with text
    raw_lines = text.split("\n")
    furniture = _running_lines(raw_lines)
    for no, raw in enumerate(raw_lines, start=1):
        if furniture and no - 1 in furniture:
            continue  # a running header or footer, printed again on every page
        cleaned = clean_markup(_plain_bullet(raw))
        if not cleaned.strip():
            lines.append(Line(no, ""))
            blanks += 1
            continue
        if _PAGE_NUMBER.match(cleaned) and _is_page_number(cleaned, raw_lines, no, text):
            continue  # a page's number, left between two halves of an entry or paragraph
        for piece in _split_glued(no, cleaned):
            at = len(lines) - 1 - blanks  # the last line with text
            last = lines[at] if open_paragraph and at >= 0 else None
            if (
                last is not None
                and not _starts_line(piece.text)
                and (not blanks or _cut_by_page(last.text, piece.text))
                and not repeats(last.text[-_RECENT:], piece.text)
            ):
                starts = joined.setdefault(at, [(0, last.no)])
                starts.append((len(last.text) + 1, piece.no))
                lines[at] = Line(last.no, f"{last.text} {piece.text.strip()}")
                del lines[at + 1 :]  # a page break inside the paragraph: its blank lines go
                blanks = 0
            else:
                lines.append(piece)
                blanks = 0
            open_paragraph = True
    if joined:  # a date glued to the end of a line may only show once its line is whole
        lines = [
            piece
            for i, line in enumerate(lines)
            for piece in (_split_glued(line.no, line.text, joined[i]) if i in joined else [line])
        ]
    return _drop_repeats(lines)


_DIGITS = re.compile(r"\d+")


def _running_lines(raw_lines: list[str]) -> frozenset[int]:
    """Running headers and footers in a text extracted page by page: a short line at the
    margin that recurs three times or more (digits aside: "Page 3"), each time beside a page
    break (two or more blank lines, or the text's start or end) or beside another such line,
    but for one copy elsewhere: the title under the first page's header."""
    seen: dict[str, list[int]] = {}
    for i, raw in enumerate(raw_lines):
        if not raw or len(raw) > 100 or raw[-1] in ".!?" or raw[0].isspace():
            continue  # furniture is a short line at the margin, not a sentence
        if raw.startswith(("Source", "- ")):
            continue
        seen.setdefault(_DIGITS.sub("#", " ".join(raw.split())), []).append(i)
    repeated = {i for found in seen.values() if len(found) >= 3 for i in found}
    if not repeated:
        return frozenset()

    def at_break(i: int, step: int) -> bool:
        blank = 0
        j = i + step
        while 0 <= j < len(raw_lines):
            if not raw_lines[j].strip():
                blank += 1
            elif j in repeated and not blank:
                pass  # the next line of the same header or footer
            else:
                return blank >= 2
            j += step
        return True  # the text's start or end

    first = next((i for i, raw in enumerate(raw_lines) if raw.strip()), -1)
    running: set[int] = set()
    for found in seen.values():
        if len(found) < 3:
            continue
        beside = [i for i in found if at_break(i, -1) or at_break(i, 1)]
        elsewhere = len(found) - len(beside)
        if len(beside) >= 3 and elsewhere <= 1:  # the title may recur once, under the header
            running.update(beside)
            if not elsewhere:
                running.discard(first)  # the header that repeats the title is the title there
    return frozenset(running)


_BARE_NUMBER = re.compile(r"^[ \t]*(\d{1,3})[ \t]*$", re.M)


def _is_page_number(cleaned: str, raw_lines: list[str], no: int, text: str) -> bool:
    """A line shaped like a page number is one, except a bare number that ends a paragraph
    ("Source: France" / "24" before a blank or the next entry) when no neighbouring page
    number appears elsewhere in the text: that is the last word of a wrapped line."""
    bare = cleaned.strip()
    if not bare.isdigit():
        return True  # "Page 3", "3 of 40", "- 4 -"
    before = raw_lines[no - 2] if no >= 2 else ""
    after = raw_lines[no] if no < len(raw_lines) else ""
    ends_paragraph = bool(before.strip()) and (
        not after.strip() or _starts_line(_plain_bullet(after))
    )
    if not ends_paragraph:
        return True
    n = int(bare)
    numbers = {int(m) for m in _BARE_NUMBER.findall(text)}
    return any(m in numbers for m in (n - 2, n - 1, n + 1, n + 2))


def _cut_by_page(before: str, after: str) -> bool:
    """A sentence a page break cut: no closing punctuation above, lowercase below."""
    body = after.lstrip()
    return body[:1].islower() and not before.rstrip().endswith((".", "!", "?", '"', ")", ":"))


_RECENT = 800  # how much of a paragraph before a line a copy of it is looked for in


def repeats(before: str, line: str) -> bool:
    """Whether a line repeats (part of) the text before it, as extraction damage does: it is
    kept a line of its own so that `_drop_repeats` keeps one copy."""
    return _repeat(_norm(before), _norm(line)) is not None


def _plain_bullet(raw: str) -> str:
    """An odd bullet glyph as "- ", indentation kept; "- " and "• " stay as they are."""
    if raw[:1].isalnum() or raw.startswith(("- ", "\u2022 ")):
        return raw  # most lines: decided without looking further
    n = bullet_length(raw)
    if not n:
        return raw
    start = len(raw) - len(raw.lstrip())
    if raw[start] in "-\u2022" and raw[start + 1 : start + 2] == " ":
        return raw
    return f"{raw[:start]}- {raw[n:]}"


_DATE_INITIALS = frozenset("JFMASOND")  # the months' initials


def _starts_line(text: str) -> bool:
    """Whether a line is its own line in any layout: it opens with a bullet (a continuation's
    stray bullet too) or an entry's date. Any other line after a non-blank one is the same
    paragraph wrapped, and is joined to it. Bullets are plain ("- ", "• ") by now."""
    body = text.lstrip()
    first = body[:1]
    if first in ("-", "\u2022") and body[1:2] == " ":
        return True
    if first.isalpha() and first not in _DATE_INITIALS:
        return False  # most lines: a word no date begins with
    if first in ("*", "<"):
        return True  # markup left at a line's start: let the readings below judge it
    dated = read_entry_date(body)
    return dated is not None and dated.precision != "unknown"


def _split_glued(no: int, text: str, starts: list[tuple[int, int]] | None = None) -> list[Line]:
    """Split `... Source: Re July 14, 2022: Armed men ...` into two lines. `starts`: for a line
    joined from several, (offset, number) of each, so a piece keeps the number it began on."""
    # A glued date starts 15 characters in or later, so its colon comes 11 ("May 1, 2024")
    # further at least: an entry's own leading date is not looked at again.
    if not _year_colon(text, 26):
        return [Line(no, text)]
    pieces: list[Line] = []
    start = 0
    body = _BULLET.sub("", text)
    offset = len(text) - len(body)
    for match in _GLUED.finditer(body):
        at = match.start()
        if at and (body[at - 1].isalnum() or body[at - 1] == "_"):
            continue  # inside a word
        if at >= 2 and body.startswith("**", at - 2):
            at -= 2
        if at < 15:
            continue
        before = body[start:at]
        if before.rstrip().endswith(("On", "on", "of", "since", "until", "by", "from")):
            continue
        piece_no = _number_at(starts, offset + start) if pieces and starts else no
        pieces.append(Line(piece_no, (text[:offset] if not pieces else "- ") + before.rstrip()))
        start = at
    if not pieces:
        return [Line(no, text)]
    pieces.append(Line(_number_at(starts, offset + start) if starts else no, "- " + body[start:]))
    head = pieces[0].text
    # The glued head ends in a word cut by the page (", Source: Re"): drop the stub word.
    cut = re.sub(r"\s+\w{1,3}$", "", head) if re.search(r"Sources?:\s+\w{1,3}$", head) else head
    pieces[0] = Line(no, cut)
    return pieces


def _number_at(starts: list[tuple[int, int]], at: int) -> int:
    return next(no for offset, no in reversed(starts) if offset <= at)


def _year_colon(text: str, start: int) -> bool:
    """Whether a year followed by a colon ("2022:", "2022**:") starts at or after `start`.

    Looks at each colon (a fast string search) rather than scanning every character for digits.
    """
    at = text.find(":", start)
    while at != -1:
        end = at - 2 if text.startswith("**", at - 2) and at >= 2 else at
        if end - 4 >= start and text[end - 4 : end].isdigit() and text[end - 4 : end].isascii():
            return True
        at = text.find(":", at + 1)
    return False


def _norm(text: str) -> str:
    bare = _BULLET.sub("", text).strip()
    # clean_markup already collapsed runs of spaces; only odd whitespace needs the full pass
    return bare if "  " not in bare and "\t" not in bare else " ".join(bare.split())


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
    at = old_norm.rfind(body[:18])
    if at > 0:  # the copy restarts where the cut one began
        head = old_norm[:at].rstrip()
    else:
        align = fuzz.partial_ratio_alignment(body, old_norm)
        if align is None:
            return old
        head = old_norm[: align.dest_start].rstrip()
    prefix = old[: len(old) - len(_BULLET.sub("", old))]
    return f"{prefix}{head} {body}".replace("  ", " ")


def _repeat(old: str, new: str) -> str | None:
    short, long_ = (old, new) if len(old) <= len(new) else (new, old)
    if len(short) < 30:
        return None
    # Cheap filter before the fuzzy match: a copy shares its head or tail with the original,
    # and a long copy (a typo fixed in one place) shares two of head, middle and tail.
    mid = len(short) // 2
    shared = (short[:18] in long_) + (short[mid - 9 : mid + 9] in long_) + (short[-18:] in long_)
    if shared == 0 or (len(short) > 200 and shared < 2):
        return None
    if len(long_) > 4000:
        # Bound the work: very long lines only count as repeats when their ends agree.
        if fuzz.ratio(short[:500], long_[:500]) < 90 or fuzz.ratio(short[-500:], long_[-500:]) < 90:
            return None
    elif fuzz.partial_ratio(short, long_) < 90:
        return _restarted(old, new)
    if short is new and len(new) < len(old) - 3 and not _fuller_tail(old, new):
        return "drop_new"  # a truncated copy of what the line before already says
    if short is old and len(old) < len(new) - 3 and not _opens(new, old):
        return None  # a short line found inside a longer one (a source list), not a copy of it
    return "replace_old"  # the copy is fuller, or the same with a typo fixed


def _opens(line: str, copy: str) -> bool:
    """Whether `copy` matches the start of `line`: a line cut short, then given again whole."""
    align = fuzz.partial_ratio_alignment(copy, line)
    return align is not None and align.dest_start <= max(3, len(line) // 20)


def _restarted(old: str, new: str) -> str | None:
    """`old` ends with the start of `new` cut short ("... claiming they in"), and `new` is the
    whole line again: however much `old` holds before the cut copy, `new` replaces it."""
    at = old.rfind(new[:18])
    tail = old[at:] if at > 0 else ""
    if len(tail) < 30 or len(new) < len(tail) or fuzz.partial_ratio(tail, new) < 90:
        return None
    return "replace_old"


def _fuller_tail(old: str, new: str) -> bool:
    """Whether `new` copies the end of a longer `old` at full length (a typo fixed in the
    last sentences), however much text came before them on the line."""
    align = fuzz.partial_ratio_alignment(new, old)
    return (
        align is not None
        and align.dest_end >= len(old) - 3
        and len(new) >= align.dest_end - align.dest_start - 3
    )

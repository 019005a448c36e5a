"""Sentence and clause splitting that knows the reports' abbreviations (U.N., U.S., Dr.), and
word-anchored pattern matching shared by the readers of figures and places."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

_ABBREV = re.compile(
    r"\b(?:U\.N|U\.S|Dr|Mr|Mrs|Ms|St|Gen|Col|Lt|Sgt|No|a\.m|p\.m|Jr|Sr|e\.g|i\.e)\.$"
)
# From the closing punctuation itself (no look-behind), so the engine can skip to it.
_BOUNDARY = re.compile(r"[.!?][\"')\]]?\s+(?=[\"'(\[]?[A-Z0-9])")
_CLAUSE = re.compile(r",\s+however,\s+|;\s+|,\s+but\s+|\s+but\s+(?=the\b)", re.I)


def sentences(text: str) -> list[tuple[int, str]]:
    """(offset, sentence) pairs."""
    out: list[tuple[int, str]] = []
    start = 0
    for m in _BOUNDARY.finditer(text):
        after = m.start() + 1  # just past the punctuation
        candidate = text[start : after + 1]
        if _ABBREV.search(text, max(0, after - 6), after):
            continue
        if candidate.strip():
            out.append((start, candidate.strip()))
        start = m.end()
    if text[start:].strip():
        out.append((start, text[start:].strip()))
    return out


def clauses(sentence: str) -> list[str]:
    # Every clause break holds ";" or "but" (", however, " holds "however"): most sentences
    # have none and are one clause, decided without the pattern.
    if ";" not in sentence:
        lowered = sentence.lower()
        if "but" not in lowered and "however" not in lowered:
            return [sentence] if sentence.strip() else []
    return [c for c in _CLAUSE.split(sentence) if c.strip()]


def matches_at(
    pattern: re.Pattern[str], text: str, lowered: str, stems: tuple[str, ...]
) -> list[re.Match[str]]:
    """Non-overlapping matches of `pattern` that start a word where one of `stems` occurs:
    a few string searches and anchored matches instead of trying the pattern everywhere."""
    starts = set()
    for stem in stems:
        at = lowered.find(stem)
        while at != -1:
            if at_word(text, at):
                starts.add(at)
            at = lowered.find(stem, at + 1)
    out: list[re.Match[str]] = []
    end = 0
    for at in sorted(starts):
        if at < end:
            continue
        m = pattern.match(text, at)
        if m:
            out.append(m)
            end = m.end()
    return out


def contains_any(text: str, words: tuple[str, ...]) -> bool:
    """Whether one of `words` occurs in `text`: the cheap cue-word test run before a pattern.

    A plain loop that stops at the first word found: about twice as fast as any() over a
    generator, and than one alternation of the words scanned at every position."""
    for w in words:  # noqa: SIM110
        if w in text:
            return True
    return False


def at_word(text: str, at: int) -> bool:
    """Whether `at` starts a word (what a leading `\\b` would check)."""
    return not at or not (text[at - 1].isalnum() or text[at - 1] == "_")


# A bullet as extraction yields it: the usual glyphs, a Symbol-font bullet in the private-use
# area (U+F0B7), a control character (DEL), or any other lone symbol before the text.
_BULLET_GLYPHS = frozenset(
    "\u2022\u25aa\u25ab\u25a0\u25a1\u25cf\u25cb\u25e6\u2023\u2043\u2219\u00b7\u27a2\u2756\u25ba\u25b6"
)
_DASHES = frozenset("-\u2013*")  # bullets only when a space follows ("-5" and "*note" are text)
_SYMBOL_CATEGORIES = frozenset(("Co", "Cc", "Cn", "So"))
_OPENERS = "\"'(\u201c\u2018"  # what may follow a glyph bullet with no space: a quote, a bracket


def bullet_length(line: str) -> int:
    """How many characters of `line` (after its indentation) are a list bullet and the space
    after it; 0 when the line does not start with one. Decided by the glyph's kind, not its
    code point, so a bullet no one listed still counts."""
    start = len(line) - len(line.lstrip())
    if start >= len(line):
        return 0
    ch = line[start]
    if ch.isalnum() or (ch.isascii() and ch.isprintable() and ch not in _DASHES):
        return 0  # the common case, decided without a table lookup
    after = line[start + 1 : start + 2]
    if ch in _DASHES:
        bullet = after in (" ", "\t")
    else:
        glyph = ch in _BULLET_GLYPHS or unicodedata.category(ch) in _SYMBOL_CATEGORIES
        bullet = glyph and (not after or after.isspace() or after.isalnum() or after in _OPENERS)
    if not bullet:
        return 0
    rest = line[start + 1 :]
    return start + 1 + len(rest) - len(rest.lstrip(" \t"))


_SOFT_JOIN = re.compile(r"(\w+)\u00ad(\w*)")


def resolve_soft_hyphens(text: str) -> str:
    """Undo hyphenation marked with soft hyphens (U+00AD): a word processor's own, or one the
    decoder left where a line ended in "ambus-" before "hed". The hyphen stays where the text
    writes the compound with a hyphen ("self-defense") more often than closed up."""
    if "\u00ad" not in text:
        return text
    folded = text.replace("\u00ad", "").casefold()
    marked = Counter(f"{m.group(1)}{m.group(2)}".casefold() for m in _SOFT_JOIN.finditer(text))

    def join(m: re.Match[str]) -> str:
        left, right = m.group(1), m.group(2)
        if right:
            closed = f"{left}{right}".casefold()
            hyphened = folded.count(f"{left}-{right}".casefold())
            if hyphened and hyphened > folded.count(closed) - marked[closed]:
                return f"{left}-{right}"
        return left + right

    return _SOFT_JOIN.sub(join, text).replace("\u00ad", "")


# "ambus-" (or "al-") at a line's end, "hed" (or "Qaeda") opening the next non-blank line.
_LINE_END_HYPHEN = re.compile(
    r"([^\W\d_]{2,})-\n((?:[ \t]*\n){0,3}[ \t]*)([^\W\d_]+[,.;:)]*)(?![\w-])([ \t]*(?=\n|$))?"
)


def mark_line_end_hyphens(text: str) -> str:
    """Join a word hyphenated across a line break on one of its lines, marked with a soft
    hyphen for `resolve_soft_hyphens`; both lines keep their places (and numbers). The word
    goes up, or down when it is all the lower line holds, so no line is left empty."""
    if "-\n" not in text:
        return text

    def move(m: re.Match[str]) -> str:
        head, gap, tail, alone = m.groups()
        # A capital after the break is a compound's second half ("al-" / "Qaeda"): keep it.
        word = f"{head}{'-' if tail[0].isupper() else chr(0xAD)}{tail}"
        return f"\n{gap}{word}" if alone is not None else f"{word}\n{gap}"

    # From each "-\n" back to its word's start, then one anchored match: no scan of the
    # pattern over the whole text.
    parts: list[str] = []
    done = 0
    at = text.find("-\n")
    while at != -1:
        start = at
        while start > done and text[start - 1].isalpha():
            start -= 1
        m = _LINE_END_HYPHEN.match(text, start) if at - start >= 2 else None
        if m is not None:
            parts += (text[done:start], move(m))
            done = m.end()
        at = text.find("-\n", max(at + 2, done))
    return "".join(parts) + text[done:]

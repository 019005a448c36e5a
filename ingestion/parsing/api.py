"""The parser's front door: bytes in, a `ParsedEdition` out, and its contract document."""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from functools import lru_cache
from typing import Any

from .dates import latest_date
from .decode import decode
from .entries import Context, read_entry
from .gazetteer import Gazetteer
from .lexicon import ActorLexicon
from .limits import Limits, check_entries, check_input
from .model import Count, Entry, ParsedEdition, ParseError
from .repair import repair_lines
from .structure import split_structure

PARSER_VERSION = "2026.12.1"

__all__ = [
    "PARSER_VERSION",
    "Limits",
    "ParseError",
    "parse_edition",
    "parse_text",
    "to_contract",
]


def parse_edition(
    data: bytes, *, lexicon: ActorLexicon, gazetteer: Gazetteer, limits: Limits | None = None
) -> ParsedEdition:
    """Read one edition. Raises `ParseError` (with `.reason`) for empty, binary or garbled input,
    and for input over `limits` (pages, markup nesting and size, entries)."""
    if not isinstance(data, bytes | bytearray | memoryview):
        raise ParseError("the input must be bytes")
    data = bytes(data)
    limits = limits or Limits()
    check_input(data, limits)
    decoded = decode(data)
    try:
        return _parse(decoded.text, decoded.kind, data, lexicon, gazetteer, limits)
    except ParseError:
        raise
    except RecursionError as exc:  # pragma: no cover - defensive
        raise ParseError("the text is nested too deeply to read") from exc


def parse_text(text: str, *, lexicon: ActorLexicon, gazetteer: Gazetteer) -> ParsedEdition:
    return parse_edition(text.encode("utf-8"), lexicon=lexicon, gazetteer=gazetteer)


def _parse(
    text: str,
    kind: str,
    data: bytes,
    lexicon: ActorLexicon,
    gazetteer: Gazetteer,
    limits: Limits,
) -> ParsedEdition:
    lines = repair_lines(text)
    structure = split_structure(lines)
    check_entries(len(structure.entries), limits)
    country = _report_country(structure.title, text, gazetteer)
    ctx = Context(country=country, lexicon=lexicon, gazetteer=gazetteer)
    entries = tuple(e for raw in structure.entries for e in read_entry(raw, ctx))
    warnings = list(structure.warnings)
    if not entries and not any(s.paragraphs for s in structure.sections):
        raise ParseError(
            "no report structure found (no sections, no timeline entries): "
            "check the file is a country report edition"
        )
    undated = sum(1 for e in entries if e.date_start is None and e.part == 0)
    if undated:
        warnings.append(f"{undated} timeline entries have no date")
    return ParsedEdition(
        parser_version=PARSER_VERSION,
        title=structure.title,
        country=country,
        edition_date=latest_date(text),
        sha256=hashlib.sha256(data).hexdigest(),
        chars=len(text),
        input_kind=kind,
        sections=structure.sections,
        entries=entries,
        warnings=tuple(warnings),
        text=text,
    )


_CAPITALISED = re.compile(r"\b[A-Z][\w'\u2019-]*")


@lru_cache(maxsize=4)
def _country_names(gazetteer: Gazetteer) -> dict[str, frozenset[str]]:
    """Country names by their first word ("Burkina" -> {"Burkina Faso"})."""
    by_first: dict[str, set[str]] = {}
    for n in gazetteer.country_names():
        c = gazetteer.country(n)
        first = _CAPITALISED.match(c.name) if c is not None else None
        if c is not None and first is not None:
            by_first.setdefault(first.group(0), set()).add(c.name)
    return {k: frozenset(v) for k, v in by_first.items()}


def _report_country(title: str | None, text: str, gazetteer: Gazetteer) -> str | None:
    if title:
        head = title.split(":", 1)[0].strip()
        c = gazetteer.country(head)
        if c is not None:
            return c.name
    # Count whole-word mentions of country names: capitalised words first, then the names
    # that start with such a word (cheaper than one pattern of every country name).
    by_first = _country_names(gazetteer)
    head_text = text[:20000]
    counts: Counter[str] = Counter()
    for m in _CAPITALISED.finditer(head_text):
        for name in by_first.get(m.group(0), ()):
            end = m.start() + len(name)
            if head_text.startswith(name, m.start()) and not (
                end < len(head_text) and (head_text[end].isalnum() or head_text[end] == "_")
            ):
                counts[name] += 1
    if not counts:
        return None
    return counts.most_common(1)[0][0]


def _count(c: Count) -> dict[str, Any]:
    return {"min": c.min, "max": c.max, "qualifier": c.qualifier, "text": c.text}


def _entry(e: Entry) -> dict[str, Any]:
    return {
        "line": e.line,
        "part": e.part,
        "date_start": e.date_start,
        "date_end": e.date_end,
        "date_precision": e.date_precision,
        "event_type": e.event_type,
        "country": e.country,
        "locations": [
            {
                "name": loc.name,
                "admin1": loc.admin1,
                "lat": loc.lat,
                "lon": loc.lon,
                "precision": loc.precision,
                "country": loc.country,
                "relation": loc.relation,
            }
            for loc in e.locations
        ],
        "killed": _count(e.killed),
        "wounded": _count(e.wounded),
        "kidnapped": _count(e.kidnapped),
        "attackers_killed": _count(e.attackers_killed),
        "perpetrators": [
            {"name": p.name, "actor": p.actor, "actor_id": p.actor_id, "status": p.status}
            for p in e.perpetrators
        ],
        "claims": [
            {
                "claimant": c.claimant,
                "about": c.about,
                "min": c.min,
                "max": c.max,
                "qualifier": c.qualifier,
                "text": c.text,
                "actor_id": c.actor_id,
            }
            for c in e.claims
        ],
        "targets": list(e.targets),
        "sources": list(e.sources),
        "text": e.text,
        "warnings": list(e.warnings),
    }


def to_contract(parsed: ParsedEdition) -> dict[str, Any]:
    """The parse-report contract document (contracts/parse-report.schema.json)."""
    return {
        "parser_version": parsed.parser_version,
        "report": {
            "title": parsed.title,
            "country": parsed.country,
            "edition_date": parsed.edition_date,
            "sha256": parsed.sha256,
            "chars": parsed.chars,
            "input_kind": parsed.input_kind,
        },
        "sections": [
            {"heading": s.heading, "paragraphs": list(s.paragraphs)} for s in parsed.sections
        ],
        "incidents": [_entry(e) for e in parsed.entries],
        "warnings": list(parsed.warnings),
    }

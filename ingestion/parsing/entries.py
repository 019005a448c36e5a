"""One timeline entry, read field by field into an `Entry`."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from .claims import Voiced, figure_claims, responsibility_claims, voiced_clauses
from .dates import FULL_DATE, EntryDate, read_entry_date
from .events import classify, targets
from .figures import KINDS, combine_quantities
from .gazetteer import Gazetteer
from .lexicon import ActorLexicon
from .model import NO_COUNT, Claim, Count, Entry, Location, Perpetrator
from .perpetrators import find_perpetrators, main_verb
from .places import find_locations
from .sources import split_sources
from .structure import RawEntry
from .text import sentences

_NARRATIVE = re.compile(rf"^On (?:{FULL_DATE.pattern}),\s*")
_SAME_DAY = re.compile(r"^(?:that|the|on the) same day\b|^also on\b|^(?:the )?same day\b", re.I)
_NO_FIGURES = ("arrest_or_trial", "designation_or_sanction", "statement_or_propaganda",
               "report_or_assessment")  # fmt: skip
_YEAR = re.compile(r"\b(19[89]\d|20\d\d)\b")
_IN_COUNTRY = re.compile(
    r"\b(?:in|into)\s+(?:the\s+)?((?:[A-Z][\w'\u2019]+)(?:\s+(?:[A-Z]|d['\u2019][A-Z])[\w'\u2019]+){0,2})"
)
_OTHER_DAY = re.compile(r"^On (?P<m>[A-Z][a-z]+) (?P<d>\d{1,2})\b")


@dataclass(frozen=True)
class Context:
    country: str | None
    lexicon: ActorLexicon
    gazetteer: Gazetteer


_RELATIVE_CLAUSE = re.compile(r",? (?:who|which|when|whom|where) ")


def read_entry(raw: RawEntry, ctx: Context) -> Entry:
    warnings: list[str] = []
    text = " ".join(raw.text.split())
    if raw.narrative:
        m = FULL_DATE.search(text)
        assert m is not None
        date = read_entry_date(f"{m.group(0)}:") or EntryDate(None, None, "unknown", 0)
        body_all = text
    else:
        date = read_entry_date(text) or EntryDate(None, None, "unknown", 0)
        body_all = text[date.length :].strip() if date.length else text
    if date.start is None:
        warnings.append("entry has no date")
    body, sources, cut = split_sources(body_all)
    if not sources:
        warnings.append("no sources found")
    elif cut:
        warnings.append(f"source list looks cut off: {sources[-1]!r}")
    sents = sentences(body)
    first = sents[0][1] if sents else body
    mentions = ctx.lexicon.find(body)
    perpetrators = find_perpetrators(body, ctx.lexicon, mentions, sents)
    voiced_by_sentence = [(s, voiced_clauses(s, ctx.lexicon)) for _, s in sents]
    counts = _counts(voiced_by_sentence, date)
    killed_any = any(c.qualifier is not None for c in counts.values())
    event_type = classify(first, body, killed_any=killed_any)
    if event_type in _NO_FIGURES:
        counts = {k: NO_COUNT for k in KINDS}
    claims = _named_claimants(
        figure_claims([v for _, vs in voiced_by_sentence for v in vs]), perpetrators
    )
    claims.extend(responsibility_claims(body, perpetrators))
    locations = find_locations(
        body if event_type in _NO_FIGURES else _without_background(body, sents, date),
        country=ctx.country,
        gazetteer=ctx.gazetteer,
        lexicon=ctx.lexicon,
        actor_mentions=mentions,
    )
    subject_cut = _subject_end(first)
    entry_targets = targets(body[subject_cut:], event_type)
    country = _entry_country(first, locations, ctx, event_type)
    for loc in locations:
        if loc.precision == "unresolved":
            warnings.append(f"place not in gazetteer: {loc.name}")
    return Entry(
        line=raw.line,
        date_start=date.start,
        date_end=date.end,
        date_precision=date.precision,
        event_type=event_type,
        country=country,
        locations=locations,
        killed=counts["killed"],
        wounded=counts["wounded"],
        kidnapped=counts["kidnapped"],
        attackers_killed=counts["attackers_killed"],
        perpetrators=perpetrators,
        claims=tuple(claims),
        targets=entry_targets,
        sources=sources,
        text=text,
        warnings=tuple(warnings),
    )


_GENERIC_CLAIMANT = frozenset(
    ["Assailants", "Attackers", "Militants", "Insurgents", "Gunmen", "Group", "Jihadists"]
)


def _named_claimants(claims: list[Claim], perpetrators: tuple[Perpetrator, ...]) -> list[Claim]:
    """ "According to the assailants": the claimant is the entry's one named perpetrator."""
    named = {p.actor for p in perpetrators if p.actor}
    if len(named) != 1:
        return claims
    (actor,) = named
    return [replace(c, claimant=actor) if c.claimant in _GENERIC_CLAIMANT else c for c in claims]


def _subject_end(first: str) -> int:
    verb = main_verb(first)
    return verb[0] if verb else 0


def _without_background(body: str, sents: list[tuple[int, str]], date: EntryDate) -> str:
    """The body with sentences about other years blanked out (offsets kept): their places
    ("the 2017 attack in Tongo Tongo") are not where this incident happened."""
    if date.start is None or not _YEAR.search(body):
        return body
    out = body
    for offset, sentence in sents:
        if offset and _background_year(sentence, date):
            out = out[:offset] + " " * len(sentence) + out[offset + len(sentence) :]
    return out


def _background_year(sentence: str, date: EntryDate) -> bool:
    assert date.start is not None
    first_year = int(date.start[:4])
    last_year = int((date.end or date.start)[:4])
    return any(not first_year <= int(y) <= last_year for y in _YEAR.findall(sentence))


def _background(sentence: str, date: EntryDate) -> bool:
    """A sentence about another time (an earlier attack, a later follow-up) adds no figures."""
    if date.start is None:
        return False
    first_year = int(date.start[:4])
    last_year = int((date.end or date.start)[:4])
    for y in _YEAR.findall(sentence):
        if not first_year <= int(y) <= last_year:
            return True
    m = _OTHER_DAY.match(sentence)
    if m and len(date.start) == 10:
        days = {int(date.start[8:10])} | ({int(date.end[8:10])} if date.end else set())
        if int(m["d"]) not in days and date.precision != "range":
            return True
    return False


def _counts(voiced: list[tuple[str, list[Voiced]]], date: EntryDate) -> dict[str, Count]:
    segments: list[list[tuple[str, list[Voiced]]]] = [[]]
    for sentence, vs in voiced:
        if _SAME_DAY.match(sentence) and segments[-1]:
            segments.append([])
        if any(v.mentions for v in vs) and not _background(sentence, date):
            segments[-1].append((sentence, vs))
    totals: dict[str, list[Count]] = {k: [] for k in KINDS}
    for segment in segments:
        for kind in KINDS:
            for _sentence, vs in segment:
                ms = [m for v in vs if v.claimant is None for m in v.mentions if m.kind == kind]
                if ms:
                    count = combine_quantities(ms)
                    text = ms[0].text if len(ms) == 1 else " … ".join(m.text for m in ms)
                    totals[kind].append(Count(count.min, count.max, count.qualifier, text))
                    break
    out: dict[str, Count] = {}
    for kind, parts in totals.items():
        if not parts:
            out[kind] = NO_COUNT
        elif len(parts) == 1:
            out[kind] = parts[0]
        else:
            c = combine_quantities(parts)
            out[kind] = Count(c.min, c.max, c.qualifier, " … ".join(p.text or "" for p in parts))
    return out


def _entry_country(
    first: str, locations: tuple[Location, ...], ctx: Context, event_type: str
) -> str | None:
    """The incident's country: one the first clause names ("in Mali"), else that of the first
    place the first sentence puts the incident in, else the report's. Places only ever resolve
    inside the report's country, its neighbours and the countries the text names, so a
    namesake abroad cannot move an incident."""
    if event_type in _NO_FIGURES:
        return ctx.country
    main = _RELATIVE_CLAUSE.split(first, 1)[0]
    named = None
    for m in _IN_COUNTRY.finditer(main):
        words = [w.removesuffix("'s").removesuffix("\u2019s") for w in m.group(1).split()]
        for n in range(len(words), 0, -1):
            found = ctx.gazetteer.country(" ".join(words[:n]))
            if found is not None:
                named = found.name
                break
    if named:
        return named
    for loc in locations:
        if loc.precision in ("exact", "near") and loc.country and loc.name in first:
            return loc.country
    for loc in locations:
        if loc.admin1 and loc.country and loc.name in first:
            return loc.country  # "in the Tillaberi region", "in Lere, Timbuktu region"
    return ctx.country

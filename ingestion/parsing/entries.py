"""One timeline entry, read field by field into an `Entry`."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from itertools import pairwise

from .claims import Voiced, figure_claims, responsibility_claims, voiced_clauses
from .dates import FULL_DATE, EntryDate, read_entry_date
from .events import classify, targets
from .figures import KINDS, combine_quantities
from .gazetteer import Gazetteer
from .lexicon import ActorLexicon
from .model import NO_COUNT, Claim, Count, Entry, Location, Perpetrator
from .parts import MARK, is_total, may_have_parts, strip_mark
from .parts import part_date as date_of_part
from .perpetrators import find_perpetrators, main_verb
from .places import find_locations
from .sources import split_sources
from .structure import RawEntry
from .text import at_word, sentences

_NARRATIVE = re.compile(rf"^On (?:{FULL_DATE.pattern}),\s*")
_NO_FIGURES = ("arrest_or_trial", "designation_or_sanction", "statement_or_propaganda",
               "report_or_assessment")  # fmt: skip
# No leading \b: the engine can then skip to a "1" or "2"; `_years` checks a match starts a
# word (a match inside a longer number ends where that number does, so it hides no year).
_YEAR = re.compile(r"(?:19[89]|20\d)\d\b")


def _years(text: str) -> list[str]:
    """The years (1980-2099) `text` writes as words of their own."""
    return [m.group(0) for m in _YEAR.finditer(text) if at_word(text, m.start())]


# No leading \b: the engine can then skip to an "in" (`_entry_country` checks it starts a word).
_IN_COUNTRY = re.compile(
    r"(?:in|into)\s+(?:the\s+)?((?:[A-Z][\w'\u2019]+)(?:\s+(?:[A-Z]|d['\u2019][A-Z])[\w'\u2019]+){0,2})"
)
_OTHER_DAY = re.compile(r"^On (?P<m>[A-Z][a-z]+) (?P<d>\d{1,2})\b")


@dataclass(frozen=True)
class Context:
    country: str | None
    lexicon: ActorLexicon
    gazetteer: Gazetteer


_RELATIVE_CLAUSE = re.compile(r",? (?:who|which|when|whom|where) ")


def read_entry(raw: RawEntry, ctx: Context) -> tuple[Entry, ...]:
    """The entry's incidents: usually one, several when it reports separate events (see
    `parts`). Every part shares the entry's line, date line, sources and warnings about them."""
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
    voiced = [(s, voiced_clauses(s, ctx.lexicon)) for _, s in sents]
    starts = _part_starts(sents, voiced, date, ctx) if may_have_parts(body) else [0]
    if len(starts) == 1:
        reading = _read(body, sents, voiced, date, ctx)
        return (_entry(raw.line, 0, date, reading, sources, text, warnings),)
    return _read_parts(raw.line, text, body, sents, voiced, starts, date, sources, warnings, ctx)


@dataclass(frozen=True)
class _Reading:
    """What one incident's own text says (the entry's, or one part's)."""

    event_type: str
    country: str | None
    locations: tuple[Location, ...]
    counts: dict[str, Count]
    perpetrators: tuple[Perpetrator, ...]
    claims: tuple[Claim, ...]
    targets: tuple[str, ...]
    warnings: tuple[str, ...]


def _read(
    body: str,
    sents: list[tuple[int, str]],
    voiced_by_sentence: list[tuple[str, list[Voiced]]],
    date: EntryDate,
    ctx: Context,
) -> _Reading:
    first = sents[0][1] if sents else body
    mentions = ctx.lexicon.find(body)
    perpetrators = find_perpetrators(body, ctx.lexicon, mentions, sents)
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
    warnings = tuple(
        f"place not in gazetteer: {loc.name}" for loc in locations if loc.precision == "unresolved"
    )
    return _Reading(
        event_type, country, locations, counts, perpetrators, tuple(claims), entry_targets, warnings
    )


def _entry(
    line: int,
    part: int,
    date: EntryDate,
    reading: _Reading,
    sources: tuple[str, ...],
    text: str,
    warnings: list[str],
) -> Entry:
    return Entry(
        line=line,
        part=part,
        date_start=date.start,
        date_end=date.end,
        date_precision=date.precision,
        event_type=reading.event_type,
        country=reading.country,
        locations=reading.locations,
        killed=reading.counts["killed"],
        wounded=reading.counts["wounded"],
        kidnapped=reading.counts["kidnapped"],
        attackers_killed=reading.counts["attackers_killed"],
        perpetrators=reading.perpetrators,
        claims=reading.claims,
        targets=reading.targets,
        sources=sources,
        text=text,
        warnings=(*warnings, *reading.warnings),
    )


def _part_starts(
    sents: list[tuple[int, str]],
    voiced: list[tuple[str, list[Voiced]]],
    date: EntryDate,
    ctx: Context,
) -> list[int]:
    """Indexes of the sentences that start the entry's parts (0 always starts the first).

    A marked sentence ("That same day, ...") starts a part only when it reads as an incident of
    its own (an attack, a bombing, a kidnapping, ...: not a claim of responsibility, a statement
    or a toll update about the event before) and the sentences up to the next marker have a toll
    of their own (a figure that is not a total for all the events) or a place of their own;
    otherwise they are detail of the part before."""
    marked = [i for i, (_, s) in enumerate(sents) if i and MARK.match(s)]
    if not marked:
        return [0]
    starts = [0]
    bounds = [*marked, len(sents)]
    for i, end in zip(marked, bounds[1:], strict=True):
        first = strip_mark(sents[i][1])
        if not _reads_as_an_incident(first):
            continue
        figures = any(
            vs and not is_total(s) and not _background(s, date) for s, vs in voiced[i:end]
        )
        if figures or _has_a_place(" ".join([first, *(s for _, s in sents[i + 1 : end])]), ctx):
            starts.append(i)
    return starts


# "The same day, JNIM claims the attack in Boni": news about the event before, not another one.
_ONLY_A_CLAIM = re.compile(
    r"^[^.]{0,80}\b(?:claim(?:s|ed)?|takes? credit|took credit)\b(?! to)", re.I
)


def _reads_as_an_incident(sentence: str) -> bool:
    if _ONLY_A_CLAIM.match(sentence):
        return False
    kind = classify(sentence, sentence, killed_any=False)
    return kind not in _NO_FIGURES and kind != "other"


def _has_a_place(body: str, ctx: Context) -> bool:
    places = find_locations(body, country=ctx.country, gazetteer=ctx.gazetteer, lexicon=ctx.lexicon)
    return any(loc.precision != "country" for loc in places)


def _read_parts(
    line: int,
    text: str,
    body: str,
    sents: list[tuple[int, str]],
    voiced: list[tuple[str, list[Voiced]]],
    starts: list[int],
    date: EntryDate,
    sources: tuple[str, ...],
    warnings: list[str],
    ctx: Context,
) -> tuple[Entry, ...]:
    """One entry per part. Each part is read from its own sentences (the marker cut off); a
    total the text gives for all the events stays with the primary part, with a note on each.
    A part's text is the entry's text without the other parts' sentences, so a part that
    neither gains nor loses sentences keeps its text when another part comes or goes."""
    at = text.find(body) if body else len(text)
    prefix, suffix = text[:at], text[at + len(body) :]
    bounds = [*starts, len(sents)]
    groups = [list(range(a, b)) for a, b in pairwise(bounds)]
    totals = [i for group in groups[1:] for i in group if voiced[i][1] and is_total(sents[i][1])]
    out: list[Entry] = []
    for part, group in enumerate(groups):
        own = [i for i in group if i not in totals] if part else [*group, *totals]
        pieces = [sents[i][1] for i in own]
        part_warnings = list(warnings)
        part_date = date
        if part:
            mark = MARK.match(pieces[0])
            assert mark is not None
            part_date = date_of_part(date, mark)
            pieces[0] = strip_mark(pieces[0])
        if totals:
            part_warnings.append(
                f"figures for parts 0-{len(groups) - 1} of this entry are a total the text "
                "does not split; kept on part 0"
                if not part
                else "this part's figures are only given as a total for the entry (on part 0)"
            )
        # The part's sentences are the entry's (offsets into the joined text); only the one
        # whose marker was cut off is voiced again.
        part_sents, offset = [], 0
        for piece in pieces:
            part_sents.append((offset, piece))
            offset += len(piece) + 1
        part_voiced = [voiced[i] for i in own]
        if part:
            part_voiced[0] = (pieces[0], voiced_clauses(pieces[0], ctx.lexicon))
        reading = _read(" ".join(pieces), part_sents, part_voiced, part_date, ctx)
        shown = " ".join(sents[i][1] for i in own)
        part_text = " ".join(f"{prefix}{shown}{suffix}".split())
        out.append(_entry(line, part, part_date, reading, sources, part_text, part_warnings))
    return tuple(out)


_GENERIC_CLAIMANT = frozenset(
    ["Assailants", "Attackers", "Militants", "Insurgents", "Gunmen", "Group", "Jihadists"]
)


def _named_claimants(claims: list[Claim], perpetrators: tuple[Perpetrator, ...]) -> list[Claim]:
    """ "According to the assailants": the claimant is the entry's one named perpetrator."""
    named = {p.actor for p in perpetrators if p.actor}
    if len(named) != 1:
        return claims
    (actor,) = named
    actor_id = next(p.actor_id for p in perpetrators if p.actor == actor)
    return [
        replace(c, claimant=actor, actor_id=actor_id) if c.claimant in _GENERIC_CLAIMANT else c
        for c in claims
    ]


def _subject_end(first: str) -> int:
    verb = main_verb(first)
    return verb[0] if verb else 0


def _without_background(body: str, sents: list[tuple[int, str]], date: EntryDate) -> str:
    """The body with sentences about other years blanked out (offsets kept): their places
    ("the 2017 attack in Tongo Tongo") are not where this incident happened."""
    if date.start is None or not _years(body):
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
    return any(not first_year <= int(y) <= last_year for y in _years(sentence))


def _background(sentence: str, date: EntryDate) -> bool:
    """A sentence about another time (an earlier attack, a later follow-up) adds no figures."""
    if date.start is None:
        return False
    first_year = int(date.start[:4])
    last_year = int((date.end or date.start)[:4])
    for y in _years(sentence):
        if not first_year <= int(y) <= last_year:
            return True
    m = _OTHER_DAY.match(sentence)
    if m and len(date.start) == 10:
        days = {int(date.start[8:10])} | ({int(date.end[8:10])} if date.end else set())
        if int(m["d"]) not in days and date.precision != "range":
            return True
    return False


def _counts(voiced: list[tuple[str, list[Voiced]]], date: EntryDate) -> dict[str, Count]:
    """One incident's figures in the report's own voice (neutral estimates count as its own,
    see `claims`): per kind, the first sentence that states one. Separate events of an entry
    are separate parts (see `parts`), so figures are never summed across events here."""
    out: dict[str, Count] = {k: NO_COUNT for k in KINDS}
    for sentence, vs in voiced:
        if not any(v.mentions for v in vs) or _background(sentence, date):
            continue
        for kind in KINDS:
            if out[kind] is not NO_COUNT:
                continue
            ms = [
                m
                for v in vs
                if v.claimant is None or v.neutral  # the report's voice, or a neutral estimate
                for m in v.mentions
                if m.kind == kind
            ]
            if ms:
                count = combine_quantities(ms)
                text = ms[0].text if len(ms) == 1 else " … ".join(m.text for m in ms)
                out[kind] = Count(count.min, count.max, count.qualifier, text)
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
    # Every relative clause opens with " wh": most first sentences have none, and no split.
    main = _RELATIVE_CLAUSE.split(first, 1)[0] if " wh" in first else first
    named = None
    pos = 0
    while (m := _IN_COUNTRY.search(main, pos)) is not None:
        if not at_word(main, m.start()):
            pos = m.start() + 1  # "within Mali": search again from the next character
            continue
        pos = m.end()
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

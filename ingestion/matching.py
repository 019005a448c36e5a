"""Which entry of a new edition is which known incident.

Pure: contract-form dicts in, plain data out.

Each item is one incident: an entry that reports several events gives one item per part, and
each part is matched on its own (its text is the entry's without the other parts' sentences), so
an entry that gains or loses an event keeps its other parts' identity.

Entries carry no ids, so identity is inferred from what survives editing: the wording (edited,
not rewritten), the date (corrected by days, not months), the places (respelled, not moved).
Identical entries pair first; the rest are scored pairwise and paired greedily from the best
score down. A pairing that is not clear-cut — two candidates within a hair of each other, one
entry that looks like two, two that look like one — is reported as an ambiguity for an editor,
never guessed. Entries of one edition that look like the same incident are reported as possible
duplicates.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz

from incidents.schema import day_or_none

Entry = Mapping[str, Any]

THRESHOLD = 0.62  # combined score at or above which two entries may be the same incident
MIN_TEXT = 0.45  # ... and their wording must still be at least this alike
TIE_MARGIN = 0.03  # two candidates this close are a tie: an editor decides
SECOND_LOOK = 0.72  # a runner-up this good hints at a split or a merge
NEIGHBOURS = 40  # an entry is compared for duplicates with at most this many dated before it

_NON_WORD = re.compile(r"[^0-9a-z]+")


def text_key(text: str) -> str:
    """Wording with case, punctuation, bullets and line breaks removed."""
    return _NON_WORD.sub(" ", text.casefold()).strip()


@dataclass(frozen=True)
class Pair:
    new_index: int
    incident: str
    score: float


@dataclass(frozen=True)
class Ambiguity:
    kind: str  # tie | split | merge
    new_indexes: tuple[int, ...]
    incidents: tuple[str, ...]


@dataclass(frozen=True)
class Matching:
    pairs: list[Pair] = field(default_factory=list)
    new: list[int] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)
    ambiguities: list[Ambiguity] = field(default_factory=list)
    duplicates: list[tuple[int, ...]] = field(default_factory=list)  # groups of entries


def date_score(a: Entry, b: Entry) -> float:
    da, db = day_or_none(a.get("date_start")), day_or_none(b.get("date_start"))
    if da is None and db is None:
        return 0.6
    if da is None or db is None:
        return 0.3
    days = abs((da - db).days)
    for limit, score in ((0, 1.0), (3, 0.9), (10, 0.7), (40, 0.35)):
        if days <= limit:
            return score
    return 0.0


def _place_names(entry: Entry) -> list[str]:
    return [text_key(loc["name"]) for loc in entry.get("locations", []) if loc.get("name")]


def place_score(a: Entry, b: Entry) -> float:
    pa, pb = _place_names(a), _place_names(b)
    if not pa and not pb:
        return 0.6
    if not pa or not pb:
        return 0.3
    return max(fuzz.ratio(x, y) for x in pa for y in pb) / 100


def text_score(a: str, b: str) -> float:
    return max(fuzz.ratio(a, b), fuzz.token_sort_ratio(a, b)) / 100


def score(a: Entry, b: Entry, ka: str | None = None, kb: str | None = None) -> tuple[float, float]:
    """(combined score, wording score) of two entries."""
    t = text_score(ka or text_key(a.get("text", "")), kb or text_key(b.get("text", "")))
    return 0.6 * t + 0.25 * date_score(a, b) + 0.15 * place_score(a, b), t


def match(previous: Sequence[tuple[str, Entry]], current: Sequence[Entry]) -> Matching:
    """Pair `current` entries with `previous` (incident id, entry) pairs."""
    result = Matching()
    new_keys = [text_key(e.get("text", "")) for e in current]
    old_keys = [text_key(e.get("text", "")) for _, e in previous]

    # 1. Identical wording: the same incident, whatever else moved.
    by_key: dict[str, list[int]] = {}
    for j, key in enumerate(old_keys):
        by_key.setdefault(key, []).append(j)
    open_new, open_old = [], set(range(len(previous)))
    for i, key in enumerate(new_keys):
        olds = [j for j in by_key.get(key, []) if j in open_old]
        if key and olds:
            j = olds[0]
            open_old.discard(j)
            result.pairs.append(Pair(i, previous[j][0], 1.0))
        else:
            open_new.append(i)

    # 2. Score what is left and pair greedily from the best score down.
    scored: dict[int, list[tuple[float, int]]] = {}
    for i in open_new:
        row = []
        for j in open_old:
            combined, wording = score(current[i], previous[j][1], new_keys[i], old_keys[j])
            if combined >= THRESHOLD and wording >= MIN_TEXT:
                row.append((combined, j))
        scored[i] = sorted(row, reverse=True)
    taken_new: set[int] = set()
    candidates = sorted(((s, i, j) for i, row in scored.items() for s, j in row), reverse=True)
    for s, i, j in candidates:
        if i in taken_new or j not in open_old:
            continue
        rivals = [s2 for s2, j2 in scored[i] if j2 != j and j2 in open_old]
        if rivals and s - rivals[0] < TIE_MARGIN:
            tied = tuple(
                previous[j2][0] for s2, j2 in scored[i] if j2 in open_old and s - s2 < TIE_MARGIN
            )
            result.ambiguities.append(Ambiguity("tie", (i,), tied))
            taken_new.add(i)
            continue
        taken_new.add(i)
        open_old.discard(j)
        result.pairs.append(Pair(i, previous[j][0], round(s, 3)))
    result.new.extend(i for i in open_new if i not in {p.new_index for p in result.pairs})

    # 3. Near misses next to a pairing hint at a split (one old, two new) or a merge.
    paired_old = {p.incident: p.new_index for p in result.pairs}
    for i in result.new:
        for s, j in scored.get(i, []):
            incident = previous[j][0]
            if s >= SECOND_LOOK and incident in paired_old:
                result.ambiguities.append(
                    Ambiguity("split", (paired_old[incident], i), (incident,))
                )
                break
    new_of = {p.incident: p.new_index for p in result.pairs}
    for j in sorted(open_old):
        for p in result.pairs:
            s, wording = score(
                current[p.new_index], previous[j][1], new_keys[p.new_index], old_keys[j]
            )
            if s >= SECOND_LOOK and wording >= MIN_TEXT:
                result.ambiguities.append(
                    Ambiguity("merge", (new_of[p.incident],), (p.incident, previous[j][0]))
                )
                break
    result.dropped.extend(previous[j][0] for j in sorted(open_old))
    result.pairs.sort(key=lambda p: p.new_index)
    result.duplicates.extend(possible_duplicates(current, new_keys))
    return result


def possible_duplicates(
    entries: Sequence[Entry], keys: Sequence[str] | None = None, *, neighbours: int = NEIGHBOURS
) -> list[tuple[int, ...]]:
    """Groups of entries of one edition that look like one incident told more than once: dated
    within a few days of each other, at a shared or near-identical place, with alike wording.

    Each group is the connected set of alike pairs, as (sorted) entry indexes, so an incident
    told n times is one group, not n(n-1)/2 pairs. Each entry is compared with at most
    `neighbours` entries dated just before it: ordinary editions (a few entries a day) are
    compared pairwise as before, and an edition of thousands of entries on one date costs
    linear work, not quadratic."""
    keys = keys or [text_key(e.get("text", "")) for e in entries]
    dated = sorted(
        (d, i)
        for i, e in enumerate(entries)
        if (d := day_or_none(e.get("date_start"))) is not None and e.get("date_precision") == "day"
    )
    parent = list(range(len(entries)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for b in range(len(dated)):
        db, k = dated[b]
        for a in range(b - 1, max(-1, b - 1 - neighbours), -1):
            da, i = dated[a]
            if (db - da).days > 3:
                break
            if entries[i].get("line") == entries[k].get("line") or root(i) == root(k):
                continue  # parts of one entry are separate events by the text's own word
            if place_score(entries[i], entries[k]) >= 0.85 and text_score(keys[i], keys[k]) >= 0.5:
                parent[root(k)] = root(i)
    groups: dict[int, list[int]] = {}
    for _, i in dated:
        groups.setdefault(root(i), []).append(i)
    return sorted(tuple(sorted(g)) for g in groups.values() if len(g) > 1)

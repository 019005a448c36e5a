"""Places an entry names, as written, looked up in the gazetteer, most specific first."""

from __future__ import annotations

import re
from collections.abc import Iterator

from .gazetteer import Gazetteer
from .lexicon import ActorLexicon, ActorMention
from .model import Location
from .text import at_word, matches_at

_DIRECTION = (
    r"(?:north|south|east|west|central|northern|southern|eastern|western|north-?eastern|"
    r"north-?western|south-?eastern|south-?western|north-?east|north-?west|south-?east|"
    r"south-?west|northeastern|northwestern|southeastern|southwestern|far north)"
)
_REGION_WORD = r"(?:region|district|municipality|cercle|province|area|commune)"
_NAME = (
    r"[A-Z][\w'\u2019-]*(?:[ -](?:[A-Z][\w'\u2019-]*|\d))?(?: [A-Z][\w'\u2019-]*)?"
    r"(?: d['\u2019][A-Z][\w-]*)?"  # Côte d'Ivoire
)
# Matched only where a direction word starts (see `matches_at`), so no leading word boundary.
_DIRECTIONAL = re.compile(rf"(?P<dir>{_DIRECTION})\s+(?P<country>[A-Z][\w'\u2019 ]{{2,20}}?)\b"
                          r"(?=[,.;:)]|\s|$)")  # fmt: skip
# Where a direction or a "town of" can start (every alternative begins with one of these).
_DIRECTION_STEMS = ("north", "south", "east", "west", "central", "far north")
_REGION_WORDS = ("region", "district", "municipality", "cercle", "province", "area", "commune")
_TOWN_WORDS = ("town", "village", "city", "cities", "commune", "locality", "localities", "capital")
# "the Mopti region" / "region of Gao": found from the region word, then the name around it.
_REGION_HIT = re.compile(rf"{_REGION_WORD}\b")
_NAME_BEFORE = re.compile(rf"\b(?:the\s+)?(?P<name>{_NAME})\s+\Z")
_OF_NAME = re.compile(rf"\s+of\s+(?P<name>{_NAME})")
_AFTER_PREP = re.compile(
    r"\b(?P<prep>in|near|at|outside(?: of)?|from|to|between|towards?|around|into|of|"
    r"north of|south of|east of|west of|southwest of|southeast of|northeast of|northwest of)\s+"
    r"(?:the\s+)?(?:(?:town|towns|village|villages|city|cities|commune|municipality|locality|"
    r"localities)\s+of\s+)?"
    rf"(?P<name>{_NAME})"
)
_TOWN_OF = re.compile(
    rf"(?:(?:town|village|city|commune|locality|villages|towns|capital) of|capital,)"
    rf" (?P<name>{_NAME})"
)
_LIST_NEXT = re.compile(rf"(?:,\s*(?:and\s+)?|\s+and\s+)(?P<name>{_NAME})")
_NOT_PLACES = frozenset(
    [
        "the",
        "a",
        "an",
        "this",
        "that",
        "these",
        "those",
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "islamic",
        "islamist",
        "al",
        "u.n",
        "u.s",
        "un",
        "us",
        "operation",
        "president",
        "source",
        "sources",
        "according",
        "malian",
        "french",
        "burkinabe",
        "nigerien",
        "fulani",
        "dogon",
        "tuareg",
        "peul",
        "chadian",
        "reuters",
        "afp",
        "eu",
        "european",
        "african",
        "west",
        "east",
        "north",
        "south",
        "prime",
        "minister",
        "colonel",
        "dr",
        "he",
        "she",
        "they",
        "it",
        "its",
        "their",
        "his",
        "her",
        "mali's",
        "un's",
        "ministry",
        "department",
        "court",
        "state",
        "states",
        "group",
        "security",
        "also",
        "however",
        "although",
        "after",
        "before",
        "during",
        "on",
        "in",
        "at",
        "of",
        "and",
        "hamas",
        "united",
    ]
)


_LINK_WORDS = frozenset(
    [
        "and",
        "or",
        "in",
        "on",
        "near",
        "at",
        "region",
        "district",
        "town",
        "village",
        "villages",
        "area",
        "municipality",
        "commune",
        "cercle",
        "province",
        "while",
        "after",
        "before",
        "during",
    ]
)


_POSSESSIVE = re.compile(r"['\u2019]s$")
_NEXT_WORD = re.compile(r"\s+([a-z]+)")
_ACRONYM = re.compile(r"[A-Z.]{2,}")


def find_locations(
    text: str,
    *,
    country: str | None,
    gazetteer: Gazetteer,
    lexicon: ActorLexicon,
    actor_mentions: list[ActorMention] | None = None,
) -> tuple[Location, ...]:
    found: list[tuple[int, int, Location]] = []  # (rank, position, location)
    seen: set[str] = set()
    mentions = lexicon.find(text) if actor_mentions is None else actor_mentions
    actor_spans = [(m.start, m.end) for m in mentions]
    first_end = text.find(". ") if ". " in text else len(text)

    def add(rank: int, pos: int, loc: Location) -> None:
        key = loc.name.lower()
        if key in seen:
            return
        seen.add(key)
        found.append((rank, pos, loc))

    iso = _iso(country, gazetteer)
    lowered = text.lower()
    has_direction = any(w in lowered for w in ("north", "south", "east", "west", "central"))
    for m in matches_at(_DIRECTIONAL, text, lowered, _DIRECTION_STEMS) if has_direction else ():
        ctry = gazetteer.country(m["country"].strip())
        if ctry is not None:
            add(2, m.start(), Location(m.group(0).strip(), None, None, None, "region", ctry.name))
    region_spans: list[tuple[int, int]] = []
    has_region = any(w in lowered for w in _REGION_WORDS)
    for start, end, whole, name in _named_regions(text) if has_region else ():
        if _skip(name, start, actor_spans):
            continue
        region_spans.append((start, end))
        admin1 = gazetteer.region(name)
        place = gazetteer.lookup(name, iso)
        add(
            1,
            start,
            Location(
                whole.strip().removeprefix("the ").strip(),
                admin1 or (place.admin1 if place else None),
                place.lat if place else None,
                place.lon if place else None,
                "region",
                _country_name(place.country, gazetteer) if place else country,
            ),
        )
    # "the town of X" first: at the same position it says more than the bare "of X".
    has_town = any(w in lowered for w in _TOWN_WORDS)
    towns = matches_at(_TOWN_OF, text, lowered, _TOWN_WORDS) if has_town else []
    matches = [("in", m) for m in towns]
    matches += [(m["prep"], m) for m in _AFTER_PREP.finditer(text)]
    for prep, m in sorted(matches, key=lambda pm: pm[1].start("name")):
        names = [(m["name"], m.start("name"))]
        pos = m.end()
        for _ in range(6):
            nxt = _LIST_NEXT.match(text, pos)
            if not nxt:
                break
            names.append((nxt["name"], nxt.start("name")))
            pos = nxt.end()
        for name, at in names:
            name = name.strip().rstrip("'\u2019")
            name = _POSSESSIVE.sub("", name)
            if _skip(name, at, actor_spans) or name.lower() in seen:
                continue
            if any(s <= at < e for s, e in region_spans):
                continue  # "in the Mopti region": read as the region, not the town
            if prep == "of" and not gazetteer.lookup(name, iso):
                continue
            ctry = gazetteer.country(name)
            if ctry is not None:
                if at > first_end:
                    continue
                add(3, at, Location(name, None, None, None, "country", ctry.name))
                continue
            place = gazetteer.lookup(name, iso)
            precision = (
                "near" if prep not in ("in", "at", "into", "from", "to", "between") else ("exact")
            )
            if place is None and prep in ("to", "of", "towards", "toward", "into"):
                continue
            nxt_word = _NEXT_WORD.match(text, at + len(name))
            if place is None and nxt_word and nxt_word.group(1) not in _LINK_WORDS:
                continue
            if place is None:
                add(0, at, Location(name, None, None, None, "unresolved", None))
            else:
                add(
                    0,
                    at,
                    Location(
                        name,
                        place.admin1,
                        place.lat,
                        place.lon,
                        precision,
                        _country_name(place.country, gazetteer),
                    ),
                )
    if any(rank < 3 for rank, _, _ in found):
        found = [t for t in found if t[0] < 3]
    found.sort(key=lambda t: (t[0], t[1]))
    return tuple(loc for _, _, loc in found)


def _named_regions(text: str) -> Iterator[tuple[int, int, str, str]]:
    """(start, end, phrase, name) for "the Mopti region", "Mopti region", "region of Gao"."""
    last_end = 0
    for hit in _REGION_HIT.finditer(text):
        at = hit.start()
        if not at_word(text, at) or at < last_end:
            continue
        before = _NAME_BEFORE.search(text, max(last_end, at - 120), at)
        if before:
            last_end = hit.end()
            yield before.start(), last_end, text[before.start() : last_end], before["name"]
            continue
        after = _OF_NAME.match(text, hit.end())
        if after:
            last_end = after.end()
            yield at, last_end, text[at:last_end], after["name"]


def _iso(country: str | None, gazetteer: Gazetteer) -> str | None:
    if not country:
        return None
    c = gazetteer.country(country)
    return c.iso2 if c else None


def _country_name(iso2: str, gazetteer: Gazetteer) -> str | None:
    c = gazetteer.country_by_iso(iso2)
    return c.name if c else None


def _skip(name: str, at: int, actor_spans: list[tuple[int, int]]) -> bool:
    first = name.split()[0].lower().rstrip(".'\u2019")
    if first in _NOT_PLACES or name.lower() in _NOT_PLACES:
        return True
    if any(s <= at < e for s, e in actor_spans):
        return True
    return len(name) < 3 or bool(_ACRONYM.fullmatch(name))

"""Places an entry names, as written, looked up in the gazetteer, most specific first."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from functools import lru_cache

from common.names import normalize_name

from .admin1 import Admin1
from .gazetteer import Gazetteer, Place
from .lexicon import ActorLexicon, ActorMention
from .model import Location
from .text import at_word, contains_any, matches_at

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
# The same from the character before the phrase (see `_AFTER_PREP_FROM_BREAK`).
_NAME_BEFORE_FROM_BREAK = re.compile(rf"[^0-9A-Za-z_](?P<phrase>{_NAME_BEFORE.pattern})")
_OF_NAME = re.compile(rf"\s+of\s+(?P<name>{_NAME})")
# "north of X", "30 km from X", "some 20 kilometers south-east of X": X is a reference point.
_COMPASS = r"(?:(?:north|south)(?:-?(?:east|west))?|east|west)"
_AFTER_PREP = re.compile(
    rf"\b(?P<prep>in|near|at|outside(?: of)?|from|to|between|towards?|around|into|of|{_COMPASS} of)"
    r"\s+(?:the\s+)?(?:(?:town|towns|village|villages|city|cities|commune|municipality|locality|"
    r"localities)\s+of\s+)?"
    rf"(?P<name>{_NAME})"
)
# The same from the character before the preposition (`_after_preps`): the engine skips from
# one character that is no ASCII letter, digit or "_" to the next instead of trying the pattern
# at every position; the \b then checks that character is no other letter either.
_AFTER_PREP_FROM_BREAK = re.compile(r"[^0-9A-Za-z_]" + _AFTER_PREP.pattern)
# The distance before "from X" / "north of X", looked for only there (cheaper than in _AFTER_PREP).
_DISTANCE_BEFORE = re.compile(
    r"(?:(?:some|about|around|roughly|nearly|a few|several|\d+)\s*)+"
    r"(?:km|kilometers|kilometres|miles)\s+\Z"
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
        "burkinab\u00e8",
        "nigerien",
        "nig\u00e9rien",
        "nigerian",
        "algerian",
        "mauritanian",
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


_NO_REGIONS: frozenset[str] = frozenset()
_POSSESSIVE = re.compile(r"['\u2019]s$")
_NEXT_WORD = re.compile(r"\s+([a-z]+)")
_ACRONYM = re.compile(r"[A-Z.]{2,}")


# "Lere, Timbuktu region" / "Lere (Timbuktu region)": the region the text ties to one name.
_TIED_REGION = re.compile(
    rf",?\s*\(?\s*(?:in\s+)?(?:the\s+)?(?P<region>{_NAME})\s+(?:region|province)\b"
)
_NEAR_PREPS = frozenset(["near", "outside", "outside of", "around", "towards", "toward"])
_EXACT_PREPS = frozenset(["in", "at", "into", "from", "to", "between"])
# Capitalised runs where a country may be named ("Burkina Faso", "Côte d'Ivoire").
# The first word is a group: it is what `str.split` would give as the run's first word.
_CAPITAL_RUN = re.compile(
    r"([A-Z][\w'\u2019-]*)(?:\s+(?:[A-Z][\w'\u2019-]*|d['\u2019][A-Z][\w-]*)){0,2}"
)


_BORDER_WITH = re.compile(r"\b(?:borders?|frontiers?)\s+(?:with|of)\s+(?:the\s+)?\Z", re.I)


def countries_named(text: str, gazetteer: Gazetteer, lowered: str | None = None) -> tuple[str, ...]:
    """Names of the countries the text names ("in Mali", "Burkina Faso's army"), in order.

    "Near the border with Burkina Faso" does not count: it says the place is on this side,
    and a hamlet of the same name over there must not win (a neighbour is in scope anyway).
    `lowered` is `text.lower()` when the caller has it.
    """
    out: list[str] = []
    may_start = gazetteer.may_start_country
    # `_BORDER_WITH` needs "border" or "frontier" (any case): without them in the text, its
    # search before every country named can be spared. "front" and not "frontier": the
    # pattern's case-insensitive "i" also matches the Turkish dotted and dotless i.
    low = text.lower() if lowered is None else lowered
    may_border = "border" in low or "front" in low
    for m in _CAPITAL_RUN.finditer(text):
        run, first = m.group(0, 1)
        # The cheap dict test on the first word first: most capitalised runs are no country at
        # all. The possessive comes off the run's end, so only a one-word run's first word has it.
        if first == run and ("'" in first or "\u2019" in first):
            first = _POSSESSIVE.sub("", first)
        if not may_start(first):
            continue
        words = _POSSESSIVE.sub("", run).split()
        if may_border and _BORDER_WITH.search(text, max(0, m.start() - 30), m.start()):
            continue
        for n in range(len(words), 0, -1):
            c = gazetteer.country(" ".join(words[:n]))
            if c is not None:
                if c.name not in out:
                    out.append(c.name)
                break
    return tuple(out)


def find_locations(
    text: str,
    *,
    country: str | None,
    gazetteer: Gazetteer,
    lexicon: ActorLexicon,
    actor_mentions: list[ActorMention] | None = None,
) -> tuple[Location, ...]:
    """The places an entry names, resolved in context: the report's `country`, the countries
    the text names and the report country's neighbours, and the regions the text names.
    A name with no candidate in that context stays unresolved (never a namesake abroad);
    "north of X" / "near X" keep X as a reference point (precision near, with its relation).
    """
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

    lowered = text.lower()
    scope, home = _context(gazetteer, country, countries_named(text, gazetteer, lowered))
    # Plain substring tests decide most entries without the patterns (faster than any()).
    has_direction = (
        "north" in lowered
        or "south" in lowered
        or "east" in lowered
        or "west" in lowered
        or "central" in lowered
    )
    for m in matches_at(_DIRECTIONAL, text, lowered, _DIRECTION_STEMS) if has_direction else ():
        ctry = gazetteer.country(m["country"].strip())
        if ctry is not None:
            add(2, m.start(), Location(m.group(0).strip(), None, None, None, "region", ctry.name))
    region_spans: list[tuple[int, int]] = []
    regions: list[tuple[int, str, Location]] = []  # (start, whole, location)
    has_region = contains_any(lowered, _REGION_WORDS)
    for start, end, whole, name in _named_regions(text) if has_region else ():
        name = _without_country_owner(name, gazetteer)
        if _skip(name, start, actor_spans):
            continue
        region_spans.append((start, end))
        regions.append((start, whole, _region(whole, name, scope, home, country, gazetteer)))
    prefer = (
        frozenset(normalize_name(loc.admin1) for _, _, loc in regions if loc.admin1)
        if regions
        else _NO_REGIONS
    )

    def resolve(name: str, admin1: str | None = None) -> Place | None:
        if scope is None:
            return gazetteer.lookup(name)
        return gazetteer.resolve(name, scope, admin1=admin1, prefer=prefer, home=home)

    for start, _whole, loc in regions:
        add(1, start, loc)
    # "the town of X" first: at the same position it says more than the bare "of X".
    has_town = contains_any(lowered, _TOWN_WORDS)
    towns = matches_at(_TOWN_OF, text, lowered, _TOWN_WORDS) if has_town else []
    # In the order the names start; at the same start the town's match first (the sort is on
    # (start, sequence number), which gives what a stable sort on the start alone gives).
    matches = [(m.start("name"), i, "in", m) for i, m in enumerate(towns)]
    matches += [
        (m.start("name"), len(towns) + i, _with_distance(text, m), m)
        for i, m in enumerate(_after_preps(text))
    ]
    matches.sort()
    for _, _, prep, m in matches:
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
            ctry = gazetteer.country(name)
            if ctry is not None:
                if at > first_end or prep == "of":
                    continue
                add(3, at, Location(name, None, None, None, "country", ctry.name))
                continue
            tied = _tied_region(text, at + len(name), scope, home, gazetteer)
            place = resolve(name, tied.name if tied else None)
            if prep == "of" and place is None:
                continue
            relation = _relation(prep)
            precision = "exact" if prep in _EXACT_PREPS else "near"
            if place is None and prep in ("to", "of", "towards", "toward", "into"):
                continue
            nxt_word = _NEXT_WORD.match(text, at + len(name))
            if place is None and nxt_word and nxt_word.group(1) not in _LINK_WORDS:
                continue
            region = gazetteer.region(name, scope, home=home) if place is None and scope else None
            if region is not None:  # "in Tumbuktu": a region's spelling, not a town's
                ctry_name = _country_name(region.country, gazetteer)
                loc = Location(name, region.name, region.lat, region.lon, "region", ctry_name)
                add(1, at, replace(loc, relation=relation))
            elif place is None:
                # Not in the data for this context: an editor resolves it. The region the
                # text ties it to still says where to look.
                ctry_name = _country_name(tied.country, gazetteer) if tied else None
                admin1 = tied.name if tied else None
                add(0, at, Location(name, admin1, None, None, "unresolved", ctry_name, relation))
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
                        relation,
                    ),
                )
    if any(rank < 3 for rank, _, _ in found):
        found = [t for t in found if t[0] < 3]
    # A reference point ("north of Bamako") comes after the places the incident happened in.
    found.sort(key=lambda t: (t[0], t[2].relation is not None, t[1]))
    return tuple(loc for _, _, loc in found)


@lru_cache(maxsize=256)
def _context(
    gazetteer: Gazetteer, country: str | None, named: tuple[str, ...]
) -> tuple[tuple[str, ...] | None, tuple[str, ...]]:
    """(scope, home) for a report's country and the countries a text names: the ISO2 codes a
    place may lie in (None without a report country, a stray document: no context to resolve
    in, take the best anywhere) and those of the countries themselves. A few combinations
    recur across every entry (the report's country, a neighbour or two named): a small cache
    of reference data, like the gazetteer's own of normalised names."""
    scope = gazetteer.scope(country, named) if country else None
    home = tuple(c.iso2 for n in (country, *named) if n and (c := gazetteer.country(n)))
    return scope, home


def _after_preps(text: str) -> list[re.Match[str]]:
    """What `_AFTER_PREP.finditer(text)` yields, found with `_AFTER_PREP_FROM_BREAK` (whose
    matches start one character before the preposition: read `start("prep")`)."""
    m = _AFTER_PREP.match(text)  # at the very start no character comes before
    out = [m] if m else []
    end = m.end() if m else 0
    # From the character before `end`: a preposition may start right where a match ended.
    while (m := _AFTER_PREP_FROM_BREAK.search(text, max(end - 1, 0))) is not None:
        out.append(m)
        end = m.end()
    return out


def _with_distance(text: str, m: re.Match[str]) -> str:
    """The preposition, with the distance before it when there is one ("30 km from")."""
    prep: str = m["prep"]  # the pattern's prepositions hold single spaces only
    if prep == "from" or prep.endswith(" of"):
        at = m.start("prep")
        before = _DISTANCE_BEFORE.search(text, max(0, at - 40), at)
        if before:
            return f"{' '.join(before.group(0).split())} {prep}"
    return prep


def _relation(prep: str) -> str | None:
    """How the incident lies relative to a place named after `prep`; None when it is in it
    ("in", "at") or the preposition says nothing about distance ("of")."""
    if prep in _NEAR_PREPS:
        return prep.removesuffix(" of") if prep.startswith("outside") else prep
    if prep.endswith((" of", " from")) or prep.startswith(("north", "south", "east", "west")):
        return prep
    return None


def _region(
    whole: str,
    name: str,
    scope: tuple[str, ...] | None,
    home: tuple[str, ...],
    country: str | None,
    gazetteer: Gazetteer,
) -> Location:
    """ "the Mopti region" as an admin1 region, else as the area of the town it names
    ("Douentza region", "Koutiala area"), else as a named region the data lacks."""
    label = whole.strip().removeprefix("the ").strip()
    region = gazetteer.region(name, scope, home=home) if scope else None
    if region is not None:
        return Location(
            label,
            region.name,
            region.lat,
            region.lon,
            "region",
            _country_name(region.country, gazetteer),
        )
    place = gazetteer.resolve(name, scope, home=home) if scope else gazetteer.lookup(name)
    if place is not None:
        return Location(
            label,
            place.admin1,
            place.lat,
            place.lon,
            "region",
            _country_name(place.country, gazetteer),
        )
    return Location(label, None, None, None, "region", country)


def _tied_region(
    text: str, pos: int, scope: tuple[str, ...] | None, home: tuple[str, ...], gazetteer: Gazetteer
) -> Admin1 | None:
    m = _TIED_REGION.match(text, pos)
    if m is None or scope is None:
        return None
    return gazetteer.region(_without_country_owner(m["region"], gazetteer), scope, home=home)


def _without_country_owner(name: str, gazetteer: Gazetteer) -> str:
    """ "Mali's Gao" -> "Gao": the country owns the region, it is not part of its name."""
    first, _, rest = name.partition(" ")
    if rest and _POSSESSIVE.search(first) and gazetteer.country(_POSSESSIVE.sub("", first)):
        return rest
    return name


def _named_regions(text: str) -> Iterator[tuple[int, int, str, str]]:
    """(start, end, phrase, name) for "the Mopti region", "Mopti region", "region of Gao"."""
    last_end = 0
    for hit in _REGION_HIT.finditer(text):
        at = hit.start()
        if not at_word(text, at) or at < last_end:
            continue
        before = _name_before(text, max(last_end, at - 120), at)
        if before:
            start, name = before
            last_end = hit.end()
            yield start, last_end, text[start:last_end], name
            continue
        after = _OF_NAME.match(text, hit.end())
        if after:
            last_end = after.end()
            yield at, last_end, text[at:last_end], after["name"]


def _name_before(text: str, lo: int, hi: int) -> tuple[int, str] | None:
    """(start, name) of what `_NAME_BEFORE.search(text, lo, hi)` finds, found with
    `_NAME_BEFORE_FROM_BREAK`: the engine skips to the characters before words."""
    m = _NAME_BEFORE.match(text, 0, hi) if lo == 0 else None  # no character comes before 0
    if m is not None:
        return m.start(), m["name"]
    m = _NAME_BEFORE_FROM_BREAK.search(text, max(lo - 1, 0), hi)
    return (m.start("phrase"), m["name"]) if m else None


def _country_name(iso2: str, gazetteer: Gazetteer) -> str | None:
    c = gazetteer.country_by_iso(iso2)
    return c.name if c else None


def _skip(name: str, at: int, actor_spans: list[tuple[int, int]]) -> bool:
    first = name.split()[0].lower().rstrip(".'\u2019")
    if first in _NOT_PLACES or name.lower() in _NOT_PLACES:
        return True
    for s, e in actor_spans:  # a loop: cheaper than any() over a generator in a hot test
        if s <= at < e:
            return True
    return len(name) < 3 or bool(_ACRONYM.fullmatch(name))

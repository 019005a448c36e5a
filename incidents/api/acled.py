"""The ACLED layout of the CSV export: our incidents in ACLED's columns and vocabulary.

ACLED's codebook fixes the categories (disorder_type / event_type / sub_event_type), the actor
"inter" codes and the numeric ISO country codes; this module maps our closed vocabularies onto
them, one table each, so the mapping is reviewable in one place (the API docs repeat it). What
ACLED codes that we cannot know stays empty (admin2, admin3, source_scale, tags).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime
from typing import Any

Item = dict[str, Any]
ActorInfo = tuple[str, str | None, str]  # name, short name, kind
ActorLookup = Callable[[Iterable[str]], dict[str, ActorInfo]]

POLITICAL_VIOLENCE = "Political violence"
STRATEGIC = "Strategic developments"

# ACLED's codebook vocabulary: event_type -> its sub_event_types.
ACLED_EVENT_TYPES: dict[str, tuple[str, ...]] = {
    "Battles": (
        "Armed clash",
        "Government regains territory",
        "Non-state actor overtakes territory",
    ),
    "Explosions/Remote violence": (
        "Chemical weapon",
        "Air/drone strike",
        "Suicide bomb",
        "Shelling/artillery/missile attack",
        "Remote explosive/landmine/IED",
        "Grenade",
    ),
    "Violence against civilians": ("Sexual violence", "Attack", "Abduction/forced disappearance"),
    "Protests": (
        "Peaceful protest",
        "Protest with intervention",
        "Excessive force against protesters",
    ),
    "Riots": ("Violent demonstration", "Mob violence"),
    "Strategic developments": (
        "Agreement",
        "Arrests",
        "Change to group/activity",
        "Disrupted weapons use",
        "Headquarters or base established",
        "Looting/property destruction",
        "Non-violent transfer of territory",
        "Other",
    ),
}
ACLED_DISORDER_TYPES = (
    POLITICAL_VIOLENCE,
    "Demonstrations",
    "Political violence; Demonstrations",
    STRATEGIC,
)

# Our event type -> (ACLED event_type, sub_event_type). An armed attack or ambush on civilians
# only is violence against civilians (see _event_type); everything else maps as listed.
EVENT_TYPE_MAP: dict[str, tuple[str, str]] = {
    "armed_attack": ("Battles", "Armed clash"),
    "ambush": ("Battles", "Armed clash"),
    "military_operation": ("Battles", "Armed clash"),
    "massacre_of_civilians": ("Violence against civilians", "Attack"),
    "kidnapping": ("Violence against civilians", "Abduction/forced disappearance"),
    "ied_or_landmine": ("Explosions/Remote violence", "Remote explosive/landmine/IED"),
    "vehicle_bomb": ("Explosions/Remote violence", "Remote explosive/landmine/IED"),
    "suicide_bombing": ("Explosions/Remote violence", "Suicide bomb"),
    "mortar_or_rocket": ("Explosions/Remote violence", "Shelling/artillery/missile attack"),
    "leader_killed_or_captured": ("Battles", "Armed clash"),
    "arrest_or_trial": ("Strategic developments", "Arrests"),
    "hostage_release": ("Strategic developments", "Other"),
    "designation_or_sanction": ("Strategic developments", "Other"),
    "statement_or_propaganda": ("Strategic developments", "Other"),
    "report_or_assessment": ("Strategic developments", "Other"),
    "other": ("Strategic developments", "Other"),
}
_ARMED_TARGETS = frozenset(
    {"military", "un_peacekeepers", "french_forces", "wagner", "police_gendarmerie", "jihadists"}
)

# ACLED inter codes: 1 state forces, 2 rebel groups, 3 political militias, 4 identity militias,
# 5 rioters, 6 protesters, 7 civilians, 8 external/other forces.
INTER_BY_KIND = {
    "state_force": 1,
    "jihadist_group": 2,
    "separatist_group": 2,
    "militia": 4,  # the Sahel's militias are communal (Dozo, Dan Na Ambassagou): identity militias
    "person": 3,
    "foreign_force": 8,
    "international_body": 8,
}
UNIDENTIFIED_INTER = 3  # ACLED's "Unidentified Armed Group (<country>)"

# Our target category -> (ACLED actor2 name, with {country}; inter2).
TARGET_ACTORS: dict[str, tuple[str, int]] = {
    "civilians": ("Civilians ({country})", 7),
    "government_officials": ("Civilians ({country})", 7),
    "military": ("Military Forces of {country}", 1),
    "police_gendarmerie": ("Police Forces of {country}", 1),
    "un_peacekeepers": ("United Nations", 8),
    "french_forces": ("Military Forces of France", 8),
    "wagner": ("Wagner Group", 8),
    "jihadists": ("Unidentified Armed Group ({country})", 3),
}

# ACLED's iso is ISO 3166-1 numeric; region its UN-geoscheme-like region name.
COUNTRIES: dict[str, tuple[int, str]] = {
    "Mali": (466, "Western Africa"),
    "Niger": (562, "Western Africa"),
    "Burkina Faso": (854, "Western Africa"),
    "Mauritania": (478, "Western Africa"),
    "Senegal": (686, "Western Africa"),
    "Guinea": (324, "Western Africa"),
    "Ivory Coast": (384, "Western Africa"),
    "Côte d'Ivoire": (384, "Western Africa"),
    "Ghana": (288, "Western Africa"),
    "Togo": (768, "Western Africa"),
    "Benin": (204, "Western Africa"),
    "Nigeria": (566, "Western Africa"),
    "Algeria": (12, "Northern Africa"),
    "Libya": (434, "Northern Africa"),
    "Chad": (148, "Middle Africa"),
    "Cameroon": (120, "Middle Africa"),
}

# time_precision: 1 the day, 2 within a week, 3 within a month (ACLED has nothing coarser).
_GEO_PRECISION = {"exact": 1, "near": 2}

# Columns in ACLED's export order, with the pandas dtype each reads as.
ACLED_DTYPES: dict[str, str] = {
    "event_id_cnty": "object",
    "event_date": "object",
    "year": "int64",
    "time_precision": "int64",
    "disorder_type": "object",
    "event_type": "object",
    "sub_event_type": "object",
    "actor1": "object",
    "assoc_actor_1": "object",
    "inter1": "int64",
    "actor2": "object",
    "assoc_actor_2": "object",
    "inter2": "int64",
    "interaction": "int64",
    "civilian_targeting": "object",
    "iso": "int64",
    "region": "object",
    "country": "object",
    "admin1": "object",
    "admin2": "object",
    "admin3": "object",
    "location": "object",
    "latitude": "float64",
    "longitude": "float64",
    "geo_precision": "int64",
    "source": "object",
    "source_scale": "object",
    "notes": "object",
    "fatalities": "int64",
    "tags": "object",
    "timestamp": "int64",
}
ACLED_COLUMNS = tuple(ACLED_DTYPES)


def _event_type(item: Item) -> tuple[str, str]:
    event_type, sub = EVENT_TYPE_MAP.get(item["event_type"] or "other", EVENT_TYPE_MAP["other"])
    targets = set(item["targets"])
    if event_type == "Battles" and "civilians" in targets and not targets & _ARMED_TARGETS:
        return "Violence against civilians", "Attack"  # one-sided: nobody armed on the other side
    return event_type, sub


def _time_precision(item: Item) -> int:
    start, end = item["date_start"], item["date_end"]
    if item["date_precision"] == "day":
        return 1
    if item["date_precision"] == "range" and start and end:
        days = (date.fromisoformat(end) - date.fromisoformat(start)).days
        return 2 if days <= 7 else 3
    return 3


def acled_actor_name(info: ActorInfo | None, fallback: str) -> str:
    """ACLED writes a group as "SHORT: Full name"; unknown names keep our spelling."""
    if info is None:
        return fallback
    name, short, _kind = info
    return f"{short}: {name}" if short and short != name else name


def _fatalities(item: Item) -> tuple[int, str]:
    """ACLED's conservative count (the lowest figure reported, all deaths including the
    attackers'), 0 when none is reported; the range we hold goes to the notes."""
    total, words, reported = 0, [], False
    for prop in ("killed", "attackers_killed"):
        e = item["casualties"][prop]
        figure = next((v for v in (e["low"], e["best"], e["high"]) if v is not None), None)
        if figure is None:
            continue
        total, reported = total + figure, True
        if e["low"] != e["high"] or e["best"] != e["low"]:
            low = "?" if e["low"] is None else e["low"]
            high = "?" if e["high"] is None else e["high"]
            words.append(f"{prop.replace('_', ' ')} {low} to {high} (best {e['best']})")
    note = f" [Reported figures: {'; '.join(words)}.]" if words else ""
    if not reported:
        note = " [Fatalities: none reported.]"
    return total, note


def _epoch(text: str) -> int:
    return int(datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp())


def acled_row(item: Item, actors: dict[str, ActorInfo], place: Item) -> list[Any] | None:
    """One ACLED row, or None for an undated incident (ACLED has no undated events)."""
    if not item["date_start"]:
        return None
    country = item["country"] or place.get("country") or ""
    iso, region = COUNTRIES.get(country, (0, ""))
    named = [p for p in item["perpetrators"] if p["status"] != "denied"]
    names = [acled_actor_name(actors.get(str(p["actor_id"])), p["name"]) for p in named]
    if named:
        info = actors.get(str(named[0]["actor_id"]))
        inter1 = INTER_BY_KIND.get(info[2], UNIDENTIFIED_INTER) if info else UNIDENTIFIED_INTER
    else:
        names, inter1 = [f"Unidentified Armed Group ({country})"], UNIDENTIFIED_INTER
    targets = [TARGET_ACTORS[t] for t in item["targets"] if t in TARGET_ACTORS]
    target_names = list(dict.fromkeys(name.format(country=country) for name, _ in targets))
    inter2 = targets[0][1] if targets else 0
    event_type, sub_event_type = _event_type(item)
    disorder = STRATEGIC if event_type == "Strategic developments" else POLITICAL_VIOLENCE
    civilian = event_type != "Strategic developments" and "civilians" in item["targets"]
    fatalities, note = _fatalities(item)
    values = {
        "event_id_cnty": item["id"],
        "event_date": item["date_start"],
        "year": int(item["date_start"][:4]),
        "time_precision": _time_precision(item),
        "disorder_type": disorder,
        "event_type": event_type,
        "sub_event_type": sub_event_type,
        "actor1": names[0],
        "assoc_actor_1": "; ".join(names[1:]),
        "inter1": inter1,
        "actor2": target_names[0] if target_names else "",
        "assoc_actor_2": "; ".join(target_names[1:]),
        "inter2": inter2,
        "interaction": int(f"{min(inter1, inter2)}{max(inter1, inter2)}")
        if inter2
        else inter1 * 10,
        "civilian_targeting": "Civilian targeting" if civilian else "",
        "iso": iso,
        "region": region,
        "country": country,
        "admin1": place.get("admin1") or "",
        "location": place.get("name") or "",
        "latitude": place.get("latitude"),
        "longitude": place.get("longitude"),
        "geo_precision": _GEO_PRECISION.get(place.get("precision") or "", 3),
        "source": "; ".join(item["sources"]),
        "notes": item["text"] + note,
        "fatalities": fatalities,
        "timestamp": _epoch(str(item["updated_at"])),
    }
    return [values.get(column, "") for column in ACLED_COLUMNS]


def acled_rows(
    items: Iterable[Item],
    *,
    lookup: ActorLookup,
    place_of: Callable[[Item], Item | None],
    batch: int = 500,
) -> Iterator[list[Any]]:
    """Rows a batch at a time, so each batch looks its actors up in one query."""
    chunk: list[Item] = []

    def flush() -> Iterator[list[Any]]:
        ids = {str(p["actor_id"]) for item in chunk for p in item["perpetrators"] if p["actor_id"]}
        actors = lookup(ids)
        for item in chunk:
            row = acled_row(item, actors, place_of(item) or {})
            if row is not None:
                yield row

    for item in items:
        chunk.append(item)
        if len(chunk) == batch:
            yield from flush()
            chunk = []
    if chunk:
        yield from flush()

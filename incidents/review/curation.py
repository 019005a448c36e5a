"""Editors' curation of incidents: correct a field, lock or unlock it, resolve a place, keep a
dropped incident.

Each use case checks that the user is an editor, decides the events and appends them with the
editor in the metadata. A corrected or locked field is *held*: ingestion flags what later
editions say about it but changes it only through a flag an editor accepts (review policy,
rule 1; the fold in incidents.state remembers which fields are held).
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from actors.models import Place
from common.errors import Forbidden, Refused
from common.names import country_key, country_name
from common.roles import can_curate
from incidents.events import (
    CLAIM_STREAM,
    ClaimAsserted,
    ClaimRanked,
    FieldCorrected,
    FieldLocked,
    FieldUnlocked,
    IncidentKept,
)
from incidents.projection import current_state
from incidents.services import incident_part
from incidents.state import (
    CASUALTY_PROPERTIES,
    REVIEW_FIELDS,
    IncidentState,
    Status,
    claim_field,
    claim_key,
)
from ledger import store
from ledger.store import Append, AppendResult, Cause

EDITOR_CLAIMANT = "editor"
DATE_PRECISIONS = ("day", "range", "month", "year", "unknown")


class CurationError(Refused):
    """A curation the rules refuse; the message says why and what to do instead."""


class NotAnEditor(Forbidden):
    """Only editors (and superusers) curate; viewers and operators read."""


def editor_cause(*, editor: Any, why: str, flag_id: uuid.UUID | str | None = None) -> Cause:
    """Who and why, for the events' metadata; refuses anyone but an editor."""
    if not can_curate(editor):
        raise NotAnEditor(f"{getattr(editor, 'username', editor)} is not an editor.")
    extra = {"flag_id": str(flag_id)} if flag_id else {}
    return Cause(who=f"user:{editor.username}", why=why, extra=extra)


def load_incident(incident_id: uuid.UUID | str) -> IncidentState:
    state = current_state(incident_id)
    if state is None:
        raise CurationError(f"No incident {incident_id}.")
    return state


def _reason(reason: str, what: str) -> str:
    if not reason.strip():
        raise CurationError(f"{what} needs a reason: say why, for the next editor.")
    return reason.strip()


def _field(name: str) -> str:
    if name not in REVIEW_FIELDS:
        raise CurationError(
            f"{name!r} is not a review field; use one of {', '.join(REVIEW_FIELDS)}."
        )
    return name


def _iso(value: Any, what: str) -> str | None:
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(str(value)).isoformat()
    except ValueError as exc:
        raise CurationError(f"{what} must be a date written YYYY-MM-DD, not {value!r}.") from exc


def _strings(value: Any, what: str) -> list[str]:
    if isinstance(value, str):
        value = [v.strip() for v in value.split(";") if v.strip()]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise CurationError(f"{what} must be a list of texts.")
    return value


def _dicts(value: Any, what: str, needs: str) -> list[dict[str, Any]]:
    if not isinstance(value, list) or not all(isinstance(v, dict) and v.get(needs) for v in value):
        raise CurationError(f"{what} must be a list of objects, each with a {needs!r}.")
    return [dict(v) for v in value]


def descriptive_changes(field: str, value: Any) -> dict[str, Any]:
    """The incident fields an editor's value for review field `field` sets, validated."""
    if field == "date":
        if not isinstance(value, dict):
            raise CurationError(
                'A date is {"date_start": "YYYY-MM-DD", "date_end": ..., "date_precision": ...}.'
            )
        precision = value.get("date_precision") or "day"
        if precision not in DATE_PRECISIONS:
            raise CurationError(f"date_precision is one of {', '.join(DATE_PRECISIONS)}.")
        start, end = (
            _iso(value.get("date_start"), "date_start"),
            _iso(value.get("date_end"), "date_end"),
        )
        if start and end and end < start:
            raise CurationError("date_end cannot be before date_start.")
        return {"date_start": start, "date_end": end, "date_precision": precision}
    if field in ("text", "country", "event_type"):
        if value is not None and not isinstance(value, str):
            raise CurationError(f"{field} must be a text.")
        text = (value or "").strip()
        if field == "text" and not text:
            raise CurationError("An incident's text cannot be empty.")
        return {field: text or None} if field != "text" else {"text": text}
    if field in ("targets", "sources"):
        return {field: _strings(value, field)}
    if field == "locations":
        return {"places": _dicts(value, "locations", "name")}
    if field == "perpetrators":
        return {"perpetrators": _dicts(value, "perpetrators", "name")}
    raise CurationError(f"{field} is not a descriptive field.")


# Qualifiers an editor's figure may carry, as the parser's counts do (the contract's `count`).
EDITOR_QUALIFIERS = ("exact", "at_least", "more_than", "up_to", "approximately", "range")
_OPEN_ABOVE = ("at_least", "more_than")


def _whole(value: Any, given: Any) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError) as exc:
        raise CurationError(
            f"A figure is a whole number or a range like 5-9, not {given!r}."
        ) from exc
    if number < 0:
        raise CurationError("A figure cannot be negative.")
    return number


def figure(value: Any) -> tuple[int | None, int | None, str]:
    """A casualty figure as an editor gives it, as (min, max, qualifier).

    7, "7", "5-9", {"min": 5, "max": 9}, or with a qualifier: {"min": 26, "qualifier":
    "at_least"} keeps no upper bound, {"max": 100, "qualifier": "up_to"} no lower one, and
    {"min": 400, "qualifier": "approximately"} is one approximate figure. Open bounds stay open
    so the estimate rule reads an editor's "at least 26" as the report's would be read.
    """
    qualifier: str | None = None
    if isinstance(value, dict):
        qualifier = value.get("qualifier") or None
        if qualifier is not None and qualifier not in EDITOR_QUALIFIERS:
            raise CurationError(
                f"qualifier: one of {', '.join(EDITOR_QUALIFIERS)}, not {qualifier!r}."
            )
        if qualifier in _OPEN_ABOVE:
            low, high = _whole(value.get("min"), value), None
            if low is None:
                raise CurationError(f"“{qualifier.replace('_', ' ')}” needs a figure (min).")
            return low, None, qualifier
        if qualifier == "up_to":
            high = _whole(value.get("max", value.get("min")), value)
            if high is None:
                raise CurationError("“up to” needs a figure (max).")
            return None, high, qualifier
        low = _whole(value.get("min"), value)
        high = _whole(value.get("max", value.get("min")), value)
    elif isinstance(value, str) and "-" in value.strip()[1:]:
        first, second = value.split("-", 1)
        low, high = _whole(first, value), _whole(second, value)
    else:
        low = high = _whole(value, value)
    if low is None or high is None:
        raise CurationError(f"A figure is a whole number or a range like 5-9, not {value!r}.")
    if high < low:
        raise CurationError("A range must not run backwards.")
    if qualifier == "approximately":
        if low != high:
            raise CurationError("“around” takes one figure, not a range.")
        return low, high, qualifier
    return low, high, "exact" if low == high else "range"


def correction_parts(
    state: IncidentState, *, field: str, value: Any, reason: str, confirm_foreign: bool = False
) -> list[Append]:
    """The appends that set review field `field` of an incident to an editor's `value`.

    Descriptive fields change in one FieldCorrected; a casualty figure becomes the editor's own
    claim, ranked preferred (so it decides "best" by the documented rule), next to a
    FieldCorrected that marks the field held.
    """
    _field(field)
    if state.status == Status.MERGED:
        raise CurationError(
            f"Incident {state.id} was merged into {state.merged_into}; correct the survivor."
        )
    if field == "claims":
        raise CurationError(
            "Claims are not corrected as one field: rank them (preferred / deprecated)."
        )
    parts: list[Append] = []
    changes: dict[str, Any] = {}
    if field in CASUALTY_PROPERTIES:
        low, high, qualifier = figure(value)
        claim_id = uuid.uuid4()
        asserted = ClaimAsserted(
            incident_id=state.id,
            property=field,
            claimant=EDITOR_CLAIMANT,
            value_min=low,
            value_max=high,
            qualifier=qualifier,
            phrase=reason,
        )
        ranked = ClaimRanked(incident_id=state.id, rank="preferred", reason=reason)
        # An editor's newer figure replaces their older one rather than standing beside it:
        # left preferred, an old "at least 35" would keep the estimate's top open.
        parts.extend(
            _rank_part(state, claim, "deprecated", f"Replaced by a later correction: {reason}")
            for claim in state.claims.values()
            if claim.get("property") == field
            and claim.get("claimant") == EDITOR_CLAIMANT
            and claim.get("rank") != "deprecated"
        )
        parts.append(
            Append(
                stream_type=CLAIM_STREAM,
                stream_id=claim_id,
                expected_version=0,
                events=[asserted, ranked],
            )
        )
    else:
        changes = descriptive_changes(field, value)
        if field == "locations":
            _check_new_places(state, changes.get("places", value), confirm_foreign)
    corrected = FieldCorrected(field=field, changes=changes, reason=reason)
    parts.insert(0, incident_part(state, [corrected]))
    return parts


def claim_sync_parts(
    state: IncidentState,
    *,
    field: str,
    wanted: list[dict[str, Any]],
    reason: str,
    edition_id: int | None,
) -> list[Append]:
    """Bring the edition claims of review field `field` to `wanted` (claim dicts as the parser
    gives them): claims no longer wanted are deprecated, a wanted one deprecated earlier is
    ranked normal again, a new one is asserted. Editors' own claims are left alone."""
    mine = [
        c
        for c in state.claims.values()
        if claim_field(c) == field and c.get("edition_id") is not None
    ]
    wanted_by_key = {claim_key(c): c for c in wanted}
    parts: list[Append] = []
    seen: set[tuple[Any, ...]] = set()
    for claim in mine:
        key = claim_key(claim)
        rank = claim.get("rank")
        if key in wanted_by_key and key not in seen:
            seen.add(key)
            if rank == "deprecated":
                parts.append(_rank_part(state, claim, "normal", reason))
        elif rank != "deprecated":
            parts.append(_rank_part(state, claim, "deprecated", reason))
    for key, claim in wanted_by_key.items():
        if key not in seen:
            event = ClaimAsserted(incident_id=state.id, edition_id=edition_id, **claim)
            parts.append(
                Append(
                    stream_type=CLAIM_STREAM,
                    stream_id=uuid.uuid4(),
                    expected_version=0,
                    events=[event],
                )
            )
    return parts


def _rank_part(state: IncidentState, claim: dict[str, Any], rank: str, reason: str) -> Append:
    claim_id = uuid.UUID(claim["id"])
    return Append(
        stream_type=CLAIM_STREAM,
        stream_id=claim_id,
        expected_version=store.stream_version(claim_id),
        events=[ClaimRanked(incident_id=state.id, rank=rank, reason=reason)],
    )


# --- use cases ------------------------------------------------------------------------------


def incident_correct_field(
    *,
    incident_id: uuid.UUID,
    field: str,
    value: Any,
    reason: str,
    editor: Any,
    confirm_foreign: bool = False,
) -> list[AppendResult]:
    """Set a field by hand; it is held from now on (ingestion only flags later changes).
    A place added abroad needs `confirm_foreign` (see `check_country`)."""
    why = _reason(reason, "A correction")
    cause = editor_cause(editor=editor, why=why)
    state = load_incident(incident_id)
    parts = correction_parts(
        state, field=field, value=value, reason=why, confirm_foreign=confirm_foreign
    )
    return store.append_batch(parts, cause=cause)


def incident_lock_field(
    *, incident_id: uuid.UUID, field: str, reason: str, editor: Any
) -> AppendResult | None:
    """Hold a field at its current value; None when it is locked already."""
    why = _reason(reason, "Locking a field")
    cause = editor_cause(editor=editor, why=why)
    state = load_incident(incident_id)
    if _field(field) in state.locked_fields:
        return None
    return store.append_batch(
        [incident_part(state, [FieldLocked(field=field, reason=why)])], cause=cause
    )[0]


def incident_unlock_field(
    *, incident_id: uuid.UUID, field: str, reason: str, editor: Any
) -> AppendResult | None:
    """Let a field follow the latest edition again; None when nobody held it."""
    why = _reason(reason, "Unlocking a field")
    cause = editor_cause(editor=editor, why=why)
    state = load_incident(incident_id)
    if not state.is_held(_field(field)):
        return None
    return store.append_batch(
        [incident_part(state, [FieldUnlocked(field=field, reason=why)])], cause=cause
    )[0]


def incident_keep(*, incident_id: uuid.UUID, reason: str, editor: Any) -> AppendResult:
    """Keep an incident its report dropped: active again in the curated ledger."""
    why = _reason(reason, "Keeping a dropped incident")
    cause = editor_cause(editor=editor, why=why)
    state = load_incident(incident_id)
    if state.status != Status.DROPPED:
        raise CurationError(f"Incident {incident_id} is {state.status}, not dropped.")
    return store.append_batch([incident_part(state, [IncidentKept(reason=why)])], cause=cause)[0]


def incident_resolve_place(
    *,
    incident_id: uuid.UUID,
    place: str,
    reason: str,
    editor: Any,
    latitude: float | None = None,
    longitude: float | None = None,
    admin1: str | None = None,
    resolved_name: str | None = None,
    country: str | None = None,
    place_id: uuid.UUID | None = None,
    confirm_foreign: bool = False,
) -> list[AppendResult]:
    """Give one of the incident's places coordinates: a place an editor picked from the places
    table (`place_id`: its name, country, admin1 and coordinates, unless given here), or their
    own. The editor's coordinates are kept, as a correction of `locations`.

    A place in another country than the incident's is refused unless `confirm_foreign`: "Lere"
    is a town in Mali and one in Nigeria, and a namesake abroad is the usual mistake.
    """
    why = _reason(reason, "Resolving a place")
    if place_id is not None:
        picked = _place_row(place_id)
        latitude = latitude if latitude is not None else picked.latitude
        longitude = longitude if longitude is not None else picked.longitude
        admin1 = admin1 or picked.admin1 or None
        resolved_name = resolved_name or picked.name
        country = country or picked.country
    if latitude is None or longitude is None:
        raise CurationError("latitude: a resolved place needs a latitude and a longitude.")
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise CurationError("latitude: latitude is -90..90 and longitude -180..180.")
    state = load_incident(incident_id)
    check_country(state, country, confirm_foreign=confirm_foreign, name=resolved_name or place)
    places = [dict(p) for p in state.places]
    match = [p for p in places if p.get("name") == place]
    if not match:
        names = ", ".join(str(p.get("name")) for p in places) or "none"
        raise CurationError(f"place: the incident has no place {place!r}; its places are {names}.")
    for p in match:
        place_resolve(
            p,
            lat=latitude,
            lon=longitude,
            admin1=admin1,
            resolved_name=resolved_name,
            country=country,
            place_id=place_id,
        )
    return incident_correct_field(
        incident_id=incident_id,
        field="locations",
        value=places,
        reason=why,
        editor=editor,
        confirm_foreign=confirm_foreign,
    )


def place_resolve(
    place: dict[str, Any],
    *,
    lat: float,
    lon: float,
    admin1: str | None = None,
    resolved_name: str | None = None,
    country: str | None = None,
    place_id: uuid.UUID | str | None = None,
) -> None:
    """Mark one of an incident's places (a dict, changed in place) as the editor resolved it:
    the one way both the incident page and an unresolved-place flag write a resolution."""
    place.pop("latitude", None)
    place.pop("longitude", None)
    place.update(lat=lat, lon=lon, precision="exact", source="editor")
    if admin1:
        place["admin1"] = admin1
    if resolved_name:
        place["resolved_name"] = resolved_name
    if country:
        place["country"] = country
    if place_id:
        place["place_id"] = str(place_id)


class ForeignPlace(CurationError):
    """The place is in another country than the incident; the editor must confirm it."""


def check_country(
    state: IncidentState, country: str | None, *, confirm_foreign: bool, name: str
) -> None:
    """Refuse a place outside the incident's country unless the editor confirmed it."""
    if confirm_foreign or not country or not state.country:
        return
    if country_key(country) != country_key(state.country):
        raise ForeignPlace(
            f"country: {name} is in {country_name(country)}, not in {state.country} where the "
            "incident is; confirm that the incident happened abroad (confirm_foreign) or pick "
            "another place."
        )


def _check_new_places(state: IncidentState, places: Any, confirm_foreign: bool) -> None:
    """The country rule for a corrected list of places, applied where every edge passes (the
    admin's forms, the API): only places the incident did not already hold are judged."""
    if not isinstance(places, list):
        return
    held = {(p.get("name"), p.get("country")) for p in state.places}
    for place in places:
        if isinstance(place, dict) and (place.get("name"), place.get("country")) not in held:
            check_country(
                state,
                place.get("country"),
                confirm_foreign=confirm_foreign,
                name=str(place.get("resolved_name") or place.get("name")),
            )


def _place_row(place_id: uuid.UUID) -> Place:
    row = Place.objects.filter(id=place_id).first()
    if row is None:
        raise CurationError(f"place_id: no place {place_id} in the places table.")
    return row

"""Use cases that change actors (register, add an alias or a dated relation, merge) and the
editors' place table (record, correct)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date
from typing import Any

from django.db import transaction

from actors.events import (
    ACTOR_STREAM,
    PLACE_STREAM,
    ActorAliasAdded,
    ActorMerged,
    ActorRegistered,
    ActorRelationAdded,
    PlaceCorrected,
    PlaceRecorded,
)
from actors.models import Actor, ActorAlias, ActorKind, Place, RelationKind
from common.errors import Forbidden, Refused
from common.names import normalize_name
from common.roles import can_edit_places
from ledger import store, wiring
from ledger.events import Event
from ledger.store import AppendResult, Cause


class ActorCommandError(ValueError):
    """A command the actor rules refuse; the message says why."""


def _load(actor_id: uuid.UUID) -> Actor:
    actor = Actor.objects.filter(id=actor_id).first()
    if actor is None:
        raise ActorCommandError(f"No actor {actor_id}.")
    if actor.merged_into:
        raise ActorCommandError(f"Actor {actor.name} was merged into {actor.merged_into}.")
    return actor


def _append(actor: Actor, event: Event, cause: Cause, key: str | None) -> AppendResult:
    return store.append(
        stream_type=ACTOR_STREAM,
        stream_id=actor.id,
        expected_version=actor.stream_version,
        events=[event],
        cause=cause,
        idempotency_key=key,
    )


def actor_register(
    *,
    name: str,
    kind: str,
    cause: Cause,
    short_name: str | None = None,
    aliases: tuple[str, ...] = (),
    actor_id: uuid.UUID | None = None,
    idempotency_key: str | None = None,
) -> uuid.UUID:
    """Register an actor with its aliases in one append; returns its id."""
    if kind not in ActorKind.values:
        raise ActorCommandError(f"Actor kind must be one of {', '.join(ActorKind.values)}.")
    if not name.strip():
        raise ActorCommandError("An actor needs a name.")
    events: list[Event] = [ActorRegistered(name=name, kind=kind, short_name=short_name)]
    events += [
        ActorAliasAdded(alias=a) for a in dict.fromkeys(aliases) if a not in (name, short_name)
    ]
    result = store.append(
        stream_type=ACTOR_STREAM,
        stream_id=actor_id or uuid.uuid4(),
        expected_version=0,
        events=events,
        cause=cause,
        idempotency_key=idempotency_key,
    )
    return result.events[0].stream_id


def actor_alias_add(
    *, actor_id: uuid.UUID, alias: str, cause: Cause, idempotency_key: str | None = None
) -> AppendResult | None:
    """Add a name; returns None when the actor already goes by it."""
    actor = _load(actor_id)
    if not normalize_name(alias):
        raise ActorCommandError("An alias needs letters or digits.")
    if ActorAlias.objects.filter(actor=actor, normalized=normalize_name(alias)).exists():
        return None
    return _append(actor, ActorAliasAdded(alias=alias), cause, idempotency_key)


def actor_relation_add(
    *,
    subject_id: uuid.UUID,
    kind: str,
    object_id: uuid.UUID,
    cause: Cause,
    since: date | None = None,
    until: date | None = None,
    idempotency_key: str | None = None,
) -> AppendResult:
    if kind not in RelationKind.values:
        raise ActorCommandError(f"Relation kind must be one of {', '.join(RelationKind.values)}.")
    if subject_id == object_id:
        raise ActorCommandError("An actor cannot be related to itself.")
    if since and until and since > until:
        raise ActorCommandError("A relation cannot end before it starts.")
    subject = _load(subject_id)
    _load(object_id)
    event = ActorRelationAdded(
        kind=kind,
        object_id=str(object_id),
        since=since.isoformat() if since else None,
        until=until.isoformat() if until else None,
    )
    return _append(subject, event, cause, idempotency_key)


def actor_merge(*, loser_id: uuid.UUID, survivor_id: uuid.UUID, cause: Cause) -> AppendResult:
    """Make `loser_id` a tombstone naming `survivor_id`, and let the reactions wired to
    `actor_merged` run in the same transaction: incidents re-attribute the loser's incidents to
    the survivor (config/wiring.py), so actors import no app above them."""
    if loser_id == survivor_id:
        raise ActorCommandError("An actor cannot be merged into itself.")
    loser = _load(loser_id)
    survivor = _load(survivor_id)
    with transaction.atomic():
        result = _append(loser, ActorMerged(into=str(survivor_id)), cause, None)
        for react in wiring.reactions("actor_merged"):
            react(
                from_actor_id=loser_id, to_actor_id=survivor_id, to_name=survivor.name, cause=cause
            )
    return result


# --- places ---------------------------------------------------------------------------------


class PlaceCommandError(Refused):
    """A place edit the rules refuse; the message names the field and says what to do."""


class NotAPlaceEditor(Forbidden):
    """Only users who may edit places (editors, superusers) record or correct them."""


_PLACE_EDITABLE = ("name", "country", "admin1", "latitude", "longitude", "alternate_names")


def _place_cause(editor: Any, *, change: bool, reason: str) -> Cause:
    if not can_edit_places(editor, change=change):
        raise NotAPlaceEditor(f"{getattr(editor, 'username', editor)} may not edit places.")
    if not reason.strip():
        raise PlaceCommandError("reason: say why, for the next editor.")
    return Cause(who=f"user:{editor.username}", why=reason.strip())


def _place_values(values: dict[str, Any]) -> dict[str, Any]:
    """Validated place fields; a message names the first field that is wrong."""
    clean: dict[str, Any] = {}
    for name in ("name", "country"):
        if name in values:
            text = str(values[name] or "").strip()
            if not text:
                raise PlaceCommandError(f"{name}: a place needs a {name}.")
            clean[name] = text
    if "admin1" in values:
        clean["admin1"] = str(values["admin1"] or "").strip()
    for name, bound in (("latitude", 90), ("longitude", 180)):
        if name in values:
            value = values[name]
            if value in (None, ""):
                clean[name] = None
                continue
            try:
                number = float(value)
            except (TypeError, ValueError) as exc:
                raise PlaceCommandError(f"{name}: a number, not {value!r}.") from exc
            if not -bound <= number <= bound:
                raise PlaceCommandError(f"{name}: between -{bound} and {bound}, not {number}.")
            clean[name] = number
    if "alternate_names" in values:
        names = values["alternate_names"] or []
        if isinstance(names, str):
            names = [n.strip() for n in names.split(";")]
        if not isinstance(names, list | tuple) or not all(isinstance(n, str) for n in names):
            raise PlaceCommandError("alternate_names: a list of names.")
        clean["alternate_names"] = list(dict.fromkeys(n.strip() for n in names if n.strip()))
    return clean


def _check_coordinates(latitude: float | None, longitude: float | None) -> None:
    if (latitude is None) != (longitude is None):
        raise PlaceCommandError("latitude: give both latitude and longitude, or neither.")


def place_record(
    *,
    name: str,
    country: str,
    editor: Any,
    reason: str,
    admin1: str = "",
    latitude: float | None = None,
    longitude: float | None = None,
    alternate_names: Sequence[str] = (),
    place_id: uuid.UUID | None = None,
) -> uuid.UUID:
    """Add a place to the editors' table; returns its id. The parser knows it at the next
    ingestion (ingestion.reference rebuilds the gazetteer when the table changes)."""
    cause = _place_cause(editor, change=False, reason=reason)
    values = _place_values(
        dict(
            name=name,
            country=country,
            admin1=admin1,
            latitude=latitude,
            longitude=longitude,
            alternate_names=list(alternate_names),
        )
    )
    _check_coordinates(values["latitude"], values["longitude"])
    same = Place.objects.filter(name__iexact=values["name"], country__iexact=values["country"])
    if same.exists():
        raise PlaceCommandError(
            f"name: {values['name']}, {values['country']} is recorded already "
            f"({same.first().id}); correct it instead."  # type: ignore[union-attr]
        )
    result = store.append(
        stream_type=PLACE_STREAM,
        stream_id=place_id or uuid.uuid4(),
        expected_version=0,
        events=[PlaceRecorded(reason=cause.why or "", **values)],
        cause=cause,
    )
    return result.events[0].stream_id


def place_correct(
    *, place_id: uuid.UUID, editor: Any, reason: str, **changes: Any
) -> AppendResult | None:
    """Change some of a place's fields (name, country, admin1, latitude, longitude,
    alternate_names); None when nothing differs."""
    cause = _place_cause(editor, change=True, reason=reason)
    unknown = set(changes) - set(_PLACE_EDITABLE)
    if unknown:
        raise PlaceCommandError(
            f"{sorted(unknown)[0]}: not a place field; use {', '.join(_PLACE_EDITABLE)}."
        )
    place = Place.objects.filter(id=place_id).first()
    if place is None:
        raise PlaceCommandError(f"No place {place_id}.")
    values = _place_values(changes)
    real = {k: v for k, v in values.items() if getattr(place, k) != v}
    if not real:
        return None
    _check_coordinates(real.get("latitude", place.latitude), real.get("longitude", place.longitude))
    return store.append(
        stream_type=PLACE_STREAM,
        stream_id=place.id,
        expected_version=place.stream_version,
        events=[PlaceCorrected(changes=real, reason=cause.why or "")],
        cause=cause,
    )

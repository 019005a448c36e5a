"""Projects actor events into Actor, ActorAlias and ActorRelation, and place events into Place.
Few rows: replay reuses live."""

from __future__ import annotations

import uuid
from datetime import date

from actors.events import (
    ACTOR_EVENTS,
    PLACE_EVENTS,
    ActorAliasAdded,
    ActorMerged,
    ActorRegistered,
    ActorRelationAdded,
    PlaceCorrected,
    PlaceRecorded,
)
from actors.models import Actor, ActorAlias, ActorRelation, Place
from common.names import normalize_name
from ledger.projection import Projection
from ledger.store import RecordedEvent


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


class ActorProjection(Projection):
    name = "actors"
    models = (Actor, ActorAlias, ActorRelation)
    handles = frozenset(ACTOR_EVENTS)

    def apply_live(self, recorded: RecordedEvent) -> None:
        event, actor_id = recorded.event, recorded.stream_id
        if isinstance(event, ActorRegistered):
            Actor.objects.create(
                id=actor_id,
                name=event.name,
                short_name=event.short_name,
                kind=event.kind,
                stream_version=recorded.version,
                updated_at=recorded.recorded_at,
            )
            for name in filter(None, (event.name, event.short_name)):
                self._alias(actor_id, name)
            return
        Actor.objects.filter(id=actor_id).update(
            stream_version=recorded.version, updated_at=recorded.recorded_at
        )
        if isinstance(event, ActorAliasAdded):
            self._alias(actor_id, event.alias)
        elif isinstance(event, ActorRelationAdded):
            ActorRelation.objects.create(
                subject_id=actor_id,
                kind=event.kind,
                object_id=event.object_id,
                since=_date(event.since),
                until=_date(event.until),
            )
        elif isinstance(event, ActorMerged):
            Actor.objects.filter(id=actor_id).update(merged_into=event.into)

    @staticmethod
    def _alias(actor_id: uuid.UUID, alias: str) -> None:
        ActorAlias.objects.get_or_create(
            actor_id=actor_id, normalized=normalize_name(alias), defaults={"alias": alias}
        )


def _who(metadata: dict) -> str:
    who = str(metadata.get("who") or "")
    return who.split(":", 1)[1] if ":" in who else who


PLACE_FIELDS = ("name", "country", "admin1", "latitude", "longitude", "alternate_names", "source")


class PlaceProjection(Projection):
    """Projects place events into the Place table the parser's gazetteer reads."""

    name = "places"
    models = (Place,)
    handles = frozenset(PLACE_EVENTS)

    def apply_live(self, recorded: RecordedEvent) -> None:
        event = recorded.event
        latest = dict(
            updated_by=_who(recorded.metadata),
            stream_version=recorded.version,
            updated_at=recorded.recorded_at,
        )
        if isinstance(event, PlaceRecorded):
            Place.objects.create(
                id=recorded.stream_id,
                reason=event.reason,
                **{name: getattr(event, name) for name in PLACE_FIELDS},
                **latest,
            )
        elif isinstance(event, PlaceCorrected):
            changes = {k: v for k, v in event.changes.items() if k in PLACE_FIELDS}
            Place.objects.filter(id=recorded.stream_id).update(
                reason=event.reason, **changes, **latest
            )

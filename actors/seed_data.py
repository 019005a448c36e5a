"""The actors a fresh database knows: the Sahel groups, forces and bodies Mali reports name.

Plain data, registered through the actor services after `migrate` (see actors/apps.py), each
with an idempotency key so running it again writes nothing. Relations carry ISO dates where known.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class SeedActor:
    key: str  # stable handle, also the idempotency key's stem; never shown to users
    name: str
    kind: str  # one of actors.models.ActorKind values
    short_name: str | None = None
    aliases: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class SeedRelation:
    subject: str  # SeedActor.key
    kind: str  # one of actors.models.RelationKind values
    object: str  # SeedActor.key
    since: str | None = None  # YYYY-MM-DD, or YYYY-MM-01 / YYYY-01-01 when only month / year known
    until: str | None = None


SEED_ACTORS: tuple[SeedActor, ...] = (
    SeedActor(
        key="jnim",
        name="Jama'at Nusrat al-Islam wal-Muslimin",
        short_name="JNIM",
        kind="jihadist_group",
        aliases=(
            "GSIM",
            "Group to Support Islam and Muslims",
            "Group for the Support of Islam and Muslims",
        ),
    ),
    SeedActor(
        key="aqim",
        name="al-Qaeda in the Islamic Maghreb",
        short_name="AQIM",
        kind="jihadist_group",
    ),
)

SEED_RELATIONS: tuple[SeedRelation, ...] = (
    SeedRelation(subject="aqim", kind="merged_into", object="jnim", since="2017-03-01"),
)

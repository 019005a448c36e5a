"""Actor use cases and the registry a fresh database starts with."""

from __future__ import annotations

import pytest

from actors.models import Actor, ActorRelation
from actors.seeding import actors_seed, seed_actor_id
from actors.selectors import actor_find, actor_lexicon_entries
from actors.services import ActorCommandError, actor_alias_add, actor_merge, actor_register
from ledger.models import StoredEvent

pytestmark = pytest.mark.django_db


def test_a_migrated_database_knows_jnim_by_its_aliases():
    jnim = actor_find(name="Group to Support Islam and Muslims")
    assert jnim is not None and jnim.short_name == "JNIM"
    assert actor_find(name="jamaat nusrat al islam wal muslimin") == jnim


def test_seeding_again_writes_nothing():
    count = StoredEvent.objects.count()
    actors_seed()
    assert StoredEvent.objects.count() == count


def test_seed_relations_are_dated():
    relation = ActorRelation.objects.get(
        subject_id=seed_actor_id("aqim"), object_id=seed_actor_id("jnim")
    )
    assert (relation.kind, str(relation.since)) == ("merged_into", "2017-03-01")


def test_an_alias_an_editor_adds_is_in_the_lexicon_the_parser_reads(cause):
    actor = actor_register(name="Katiba Example", kind="jihadist_group", cause=cause)
    actor_alias_add(actor_id=actor, alias="KEx", cause=cause)
    entries = {name: aliases for _, name, aliases in actor_lexicon_entries()}
    assert "KEx" in entries["Katiba Example"]
    assert (
        actor_alias_add(actor_id=actor, alias="kex", cause=cause) is None
    )  # same name, other case


def test_a_merged_actor_is_a_tombstone_and_leaves_the_lexicon(cause):
    a = actor_register(name="Front A", kind="militia", cause=cause)
    b = actor_register(name="Front B", kind="militia", cause=cause)
    actor_merge(loser_id=a, survivor_id=b, cause=cause)
    assert Actor.objects.get(id=a).merged_into == b
    assert "Front A" not in {name for _, name, _ in actor_lexicon_entries()}
    with pytest.raises(ActorCommandError, match="merged"):
        actor_alias_add(actor_id=a, alias="Front AA", cause=cause)


def test_an_unknown_actor_kind_is_refused(cause):
    with pytest.raises(ActorCommandError, match="kind"):
        actor_register(name="X", kind="wizard", cause=cause)

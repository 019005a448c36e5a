"""The parser reads the registry as it stands: an editor's new alias counts at the next parse."""

from __future__ import annotations

import pytest

from actors.services import actor_alias_add, actor_register
from ingestion.parsing import parse_edition
from ingestion.reference import parser_reference
from ledger.store import Cause
from tests.pipeline.editions import Item, render

pytestmark = pytest.mark.django_db
CAUSE = Cause(who="user:editor")


def _perpetrators() -> list[str | None]:
    lexicon, gazetteer = parser_reference()
    text = render(
        [
            Item(
                "May 3, 2024",
                "Fighters of the Kel Example Front ambush a convoy near Gao, killing four soldiers.",
            )
        ]
    )
    [entry] = parse_edition(text.encode(), lexicon=lexicon, gazetteer=gazetteer).entries
    return [p.actor for p in entry.perpetrators]


def test_an_alias_an_editor_adds_is_used_by_the_next_parse():
    actor = actor_register(name="Front for the Example", kind="militia", cause=CAUSE)
    assert "Front for the Example" not in _perpetrators()
    actor_alias_add(actor_id=actor, alias="Kel Example Front", cause=CAUSE)
    assert _perpetrators() == ["Front for the Example"]

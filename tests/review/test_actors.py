"""Actors curated in the admin: aliases, dated relations, and a merge that re-attributes
incidents by events."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from actors.models import ActorAlias, ActorRelation
from actors.services import actor_register
from incidents.models import IncidentPerpetrator
from incidents.selectors import incident_history
from ledger.store import Cause
from tests.api.conftest import make_incident

pytestmark = pytest.mark.django_db
CAUSE = Cause(who="system:test")


def test_merging_two_actors_re_attributes_their_incidents_with_an_event_each(editor):
    loser = actor_register(name="Front de Test", kind="militia", cause=CAUSE)
    survivor = actor_register(name="Test Front", kind="militia", cause=CAUSE)
    incident = make_incident(
        perpetrators=[{"actor_id": str(loser), "name": "Front de Test", "status": "claimed"}]
    )
    client = Client()
    client.force_login(editor)
    client.post(
        reverse("admin:actors_actor_alias", args=[survivor]), {"alias": "TF", "reason": "Press"}
    )
    client.post(
        reverse("admin:actors_actor_relation", args=[loser]),
        {"kind": "renamed_to", "other": str(survivor), "since": "2022-03-01", "reason": "Renamed"},
    )
    response = client.post(
        reverse("admin:actors_actor_merge", args=[loser]),
        {"survivor": str(survivor), "reason": "Same group."},
    )
    assert response.status_code == 302, response.content
    assert ActorAlias.objects.filter(actor_id=survivor, alias="TF").exists()
    assert str(ActorRelation.objects.get(subject_id=loser).since) == "2022-03-01"
    assert list(
        IncidentPerpetrator.objects.filter(incident_id=incident).values_list("actor_id", flat=True)
    ) == [survivor]
    last = incident_history(incident_id=incident)[-1]
    assert type(last.event).__name__ == "IncidentRevised"
    assert last.metadata["who"] == "user:erin" and last.metadata["why"] == "Same group."


def test_viewers_cannot_merge_actors(viewer):
    loser = actor_register(name="A", kind="militia", cause=CAUSE)
    survivor = actor_register(name="B", kind="militia", cause=CAUSE)
    client = Client()
    client.force_login(viewer)
    url = reverse("admin:actors_actor_merge", args=[loser])
    assert client.post(url, {"survivor": str(survivor), "reason": "x"}).status_code == 403

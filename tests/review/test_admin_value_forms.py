"""The workbench's correction forms hand what the editor chose to the services and keep what
they do not touch: a place abroad goes to the service with the editor's confirmation (the
service decides), an unresolved place is corrected with the whole place chosen, the accept
warning offers to keep an editor's value only when the service can, a figure carries its
qualifier, and perpetrators outside the actor registry stay as written."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from actors.models import Actor
from actors.services import place_record
from incidents.models import Incident, ReviewFlag
from incidents.review.curation import incident_correct_field
from incidents.review.selectors import place_candidates
from incidents.selectors import incident_get
from tests.pipeline.editions import ENTRIES, Item, edit
from tests.review.conftest import incident_with, ingest, open_flags

pytestmark = pytest.mark.django_db

MARKET = Item(
    "July 3, 2024",
    "Raiders on motorbikes attack the weekly fair in Mourdiah, central Mali, killing 9 herders.",
)


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def _abroad(name: str = "Lere") -> str:
    labels = [
        c["label"] for c in place_candidates(q=name, country="Mali") if c["country"] != "Mali"
    ]
    if not labels:
        pytest.skip(f"the gazetteer has no {name} outside Mali")
    return labels[0]


def _places(incident: Incident) -> list[dict]:
    state = incident_get(incident_id=incident.id)
    assert state is not None
    return [dict(p) for p in state.places]


def test_a_place_abroad_is_refused_by_the_service_until_the_editor_confirms_it(editor):
    ingest()
    incident = incident_with("Douentza")
    name = str(_places(incident)[0]["name"])
    url = reverse("admin:incidents_incident_correct", args=[incident.id]) + "?field=locations"
    form = {"place": name, "lookup": _abroad(), "reason": "Checked on the map."}
    client = _client(editor)

    refused = client.post(url, form)
    body = refused.content.decode()
    assert refused.status_code == 200
    assert body.count("not in Mali where the incident is") == 1  # the service's words, once
    assert refused.context["form"].errors["confirm_foreign"]  # said at the box to tick
    assert all(p.get("source") != "editor" for p in _places(incident))

    confirmed = client.post(url, {**form, "confirm_foreign": "on"})
    assert confirmed.status_code == 302
    [place] = [p for p in _places(incident) if p["name"] == name]
    assert place["source"] == "editor" and place["country"] != "Mali"
    assert place["resolved_name"] and place["lat"] is not None


def test_an_unresolved_place_is_corrected_with_the_whole_place_chosen(editor):
    ingest([*ENTRIES[:2], MARKET, *ENTRIES[2:]])
    incident = incident_with("weekly fair")
    [flag] = open_flags(incident, kind="unresolved_place")
    url = reverse("admin:incidents_reviewflag_correct", args=[flag.id])
    form = {"place": flag.after, "lookup": _abroad(), "reason": "The district's list."}
    client = _client(editor)

    refused = client.post(url, form)
    assert refused.status_code == 200
    assert refused.context["form"].errors["confirm_foreign"]
    assert ReviewFlag.objects.get(id=flag.id).status == "open"

    done = client.post(url, {**form, "confirm_foreign": "on"})
    assert done.status_code == 302
    assert ReviewFlag.objects.get(id=flag.id).status == "corrected"
    [place] = [p for p in _places(incident) if p["name"] == flag.after]
    assert place["country"] != "Mali" and place["lat"] is not None
    # The whole place chosen is kept, not only its coordinates.
    assert place["resolved_name"] == "Lere", place


def test_the_accept_warning_offers_to_keep_the_editors_value_only_when_the_service_can(editor):
    ingest()
    incident = incident_with("Tessalit")
    incident_correct_field(
        incident_id=incident.id,
        field="date",
        value={"date_start": "2024-06-20", "date_end": None, "date_precision": "day"},
        reason="The convoy's log.",
        editor=editor,
    )
    ingest(edit(ENTRIES, 3, date="June 24, 2024"))
    [flag] = open_flags(incident, field="date")
    url = reverse("admin:incidents_reviewflag_accept", args=[flag.id])
    client = _client(editor)

    warned = client.post(url, {"reason": "", "confirm": "yes"})
    body = warned.content.decode()
    assert 'id="overwrite-warning"' in body
    assert 'name="keep" value="editor"' not in body and 'id="no-keep"' in body
    assert "Accept:</strong> Accept " not in body  # one label, not two
    assert ReviewFlag.objects.get(id=flag.id).status == "open"

    # Even a hand-made "keep" is not honoured where the page offered no such choice.
    done = client.post(url, {"reason": "The report's date.", "confirm": "yes", "keep": "editor"})
    assert done.status_code == 302
    assert ReviewFlag.objects.get(id=flag.id).status == "accepted"
    assert str(Incident.objects.get(id=incident.id).date_start) == "2024-06-24"


def test_a_figure_carries_its_qualifier_and_an_open_bound_stays_open(editor):
    ingest()
    incident = incident_with("Douentza")
    url = reverse("admin:incidents_incident_correct", args=[incident.id]) + "?field=killed"
    client = _client(editor)

    page = client.get(url).content.decode()
    # What the ledger holds reads with its qualifier, as the report put it.
    assert re.search(r'id="current-value">\s*at least 31\b', page)
    for label in ("exactly", "at least", "more than", "up to", "around", "between"):
        assert f">{label}" in page
    assert "disabled" not in page
    assert client.get(url).context["form"]["qualifier"].value() == "at_least"

    at_least = client.post(url, {"qualifier": "at_least", "low": "35", "reason": "A list."})
    assert at_least.status_code == 302
    claim = incident.claims.get(claimant="editor", property="killed")
    assert (claim.value_min, claim.value_max, claim.qualifier) == (35, None, "at_least")
    held = Incident.objects.get(id=incident.id)
    assert (held.killed_best, held.killed_high) == (35, None)  # no ceiling was given

    both = client.post(url, {"qualifier": "up_to", "low": "5", "high": "9", "reason": "x"})
    assert both.status_code == 200
    assert both.content.decode().count("Only “between” takes a high figure.") == 1

    ranged = client.post(
        url, {"qualifier": "range", "low": "31", "high": "40", "reason": "Two counts."}
    )
    assert ranged.status_code == 302
    claim = incident.claims.get(claimant="editor", property="killed", qualifier="range")
    assert (claim.value_min, claim.value_max, claim.qualifier) == (31, 40, "range")

    again = client.get(url).context["form"]
    assert (again["qualifier"].value(), again["low"].value(), again["high"].value()) == (
        "range",
        31,
        40,
    )


def test_perpetrators_outside_the_registry_are_kept_as_written(editor):
    ingest()
    incident = incident_with("Niono")
    url = reverse("admin:incidents_incident_correct", args=[incident.id]) + "?field=perpetrators"
    client = _client(editor)
    named = {"unresolved": "Katiba Serma\nlocal bandits", "status": "suspected", "reason": "Press."}

    assert client.post(url, named).status_code == 302
    people = incident_get(incident_id=incident.id).perpetrators  # type: ignore[union-attr]
    assert [(p["name"], p.get("actor_id"), p["status"]) for p in people] == [
        ("Katiba Serma", None, "suspected"),
        ("local bandits", None, "suspected"),
    ]

    # Adding a registry actor keeps the names already there (the form is pre-filled with them).
    form = client.get(url).context["form"]
    assert form["unresolved"].value() == "Katiba Serma\nlocal bandits"
    actor = Actor.objects.filter(merged_into__isnull=True).first()
    if actor is None:
        pytest.skip("no actor in the registry")
    both = {**named, "unresolved": form["unresolved"].value(), "actors": [str(actor.id)]}
    assert client.post(url, both).status_code == 302
    people = incident_get(incident_id=incident.id).perpetrators  # type: ignore[union-attr]
    assert [p["name"] for p in people] == [actor.name, "Katiba Serma", "local bandits"]


def test_correcting_a_revised_place_abroad_also_needs_the_confirmation(editor):
    ingest([*ENTRIES[:2], MARKET, *ENTRIES[2:]])
    respelled = Item(MARKET.date, MARKET.body.replace("Mourdiah", "Mourdia"))
    ingest([*ENTRIES[:2], respelled, *ENTRIES[2:]])
    incident = incident_with("weekly fair")
    [flag] = open_flags(incident, kind="revised", field="locations")
    url = reverse("admin:incidents_reviewflag_correct", args=[flag.id])
    name = str(_places(incident)[0]["name"])
    form = {"place": name, "lookup": _abroad(), "reason": "The district's list."}
    client = _client(editor)

    refused = client.post(url, form)
    assert refused.status_code == 200
    assert refused.context["form"].errors["confirm_foreign"]
    assert ReviewFlag.objects.get(id=flag.id).status == "open"

    assert client.post(url, {**form, "confirm_foreign": "on"}).status_code == 302
    assert ReviewFlag.objects.get(id=flag.id).status == "corrected"


def test_a_place_picked_from_the_editors_table_links_the_incidents_place_to_it(editor):
    ingest()
    place_id = place_record(
        name="Ndiaki",
        country="Mali",
        admin1="Mopti",
        latitude=14.71,
        longitude=-3.12,
        editor=editor,
        reason="A village the gazetteer lacks.",
    )
    [label] = [c["label"] for c in place_candidates(q="Ndiaki", country="Mali")]
    assert "Mopti, Mali" in label and "editors' table" in label
    incident = incident_with("Douentza")
    name = str(_places(incident)[0]["name"])
    url = reverse("admin:incidents_incident_correct", args=[incident.id]) + "?field=locations"

    done = _client(editor).post(url, {"place": name, "lookup": label, "reason": "The table."})

    assert done.status_code == 302
    [place] = [p for p in _places(incident) if p["name"] == name]
    assert place["place_id"] == str(place_id)
    assert (place["lat"], place["lon"], place["admin1"]) == (14.71, -3.12, "Mopti")


def test_perpetrators_with_different_statuses_keep_their_own_unless_the_editor_picks_one(editor):
    ingest()
    incident = incident_with("Niono")
    incident_correct_field(
        incident_id=incident.id,
        field="perpetrators",
        value=[
            {"name": "Katiba Serma", "status": "claimed"},
            {"name": "local bandits", "status": "suspected"},
        ],
        reason="Two sources.",
        editor=editor,
    )
    url = reverse("admin:incidents_incident_correct", args=[incident.id]) + "?field=perpetrators"
    client = _client(editor)
    form = client.get(url).context["form"]
    assert form["status"].value() == "__each__"

    as_filled = {"unresolved": form["unresolved"].value(), "status": form["status"].value()}
    assert client.post(url, {**as_filled, "reason": "Spelling checked."}).status_code == 302
    people = incident_get(incident_id=incident.id).perpetrators  # type: ignore[union-attr]
    assert [(p["name"], p["status"]) for p in people] == [
        ("Katiba Serma", "claimed"),
        ("local bandits", "suspected"),
    ]

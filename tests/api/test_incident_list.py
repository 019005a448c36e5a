"""The incident list as consumers query it: filters, 400s, ordering, cursors, sparse fields."""

from __future__ import annotations

import pytest

from actors.seeding import seed_actor_id
from incidents.services import incident_drop, incident_merge, incident_retract
from tests.api.conftest import CAUSE, all_pages, make_incident, place

pytestmark = pytest.mark.django_db
URL = "/api/v1/incidents/"


def ids(response) -> set[str]:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.content
    return {item["id"] for item in response.json()["results"]}


def jnim(name: str = "JNIM", status: str = "claimed") -> list[dict]:
    return [{"actor_id": str(seed_actor_id("jnim")), "name": name, "status": status}]


def test_an_incident_shows_casualties_perpetrators_places_claims_and_editions(api):
    incident = make_incident(
        killed=12,
        claims=(("army", 8),),
        perpetrators=jnim(),
        places=[place("Boulkessi", 14.6, -1.4, admin1="Mopti")],
        sources=["Reuters"],
    )
    item = api.get(f"{URL}{incident}/").json()
    assert item["casualties"]["killed"] == {"low": 8, "best": 12, "high": 12}
    assert item["casualties"]["wounded"] == {"low": None, "best": None, "high": None}
    assert item["perpetrators"][0]["status"] == "claimed"
    assert item["places"] == [
        {
            "name": "Boulkessi",
            "country": "Mali",
            "admin1": "Mopti",
            "latitude": 14.6,
            "longitude": -1.4,
            "precision": "exact",
            "relation": None,
        }
    ]
    assert {c["claimant"] for c in item["claims"]} == {"report", "army"}
    assert (item["first_edition_id"], item["last_edition_id"], item["sources"]) == (
        1,
        1,
        ["Reuters"],
    )


def test_date_filters_match_overlap_and_honour_month_and_year_precision(api):
    day = make_incident(date_start="2024-05-02")
    month = make_incident(date_start="2024-04-01", date_precision="month")
    year = make_incident(date_start="2023-01-01", date_precision="year")
    ranged = make_incident(date_start="2024-04-28", date_end="2024-05-03", date_precision="range")
    undated = make_incident(date_start=None, date_precision="unknown")
    assert ids(api.get(URL, {"date_from": "2024-04-30", "date_to": "2024-04-30"})) == {
        str(month),
        str(ranged),
    }
    assert ids(api.get(URL, {"date_from": "2023-12-31", "date_to": "2023-12-31"})) == {str(year)}
    assert ids(api.get(URL, {"date_from": "2024-05-03"})) == {str(ranged)}
    assert str(undated) in ids(api.get(URL)) and str(day) in ids(api.get(URL))
    assert str(undated) not in ids(api.get(URL, {"date_to": "2030-01-01"}))


def test_actor_filter_takes_any_alias_and_can_widen_to_related_groups(api):
    by_jnim = make_incident(perpetrators=jnim(name="GSIM"))
    by_aqim = make_incident(
        perpetrators=[
            {"actor_id": str(seed_actor_id("aqim")), "name": "AQIM", "status": "suspected"}
        ]
    )
    unresolved = make_incident(perpetrators=[{"actor_id": None, "name": "Nusrat al-Islam"}])
    other = make_incident(perpetrators=[{"actor_id": None, "name": "Bandits"}])
    alias = "Group to Support Islam and Muslims"
    assert ids(api.get(URL, {"actor": alias})) == {str(by_jnim), str(unresolved)}
    widened = ids(api.get(URL, {"actor": "JNIM", "include_related": "predecessors"}))
    assert widened == {str(by_jnim), str(by_aqim), str(unresolved)}
    assert ids(api.get(URL, {"actor": "AQIM", "include_related": "successors"})) == widened
    assert ids(api.get(URL, {"actor": ["JNIM", "Bandits"]})) == {
        str(by_jnim),
        str(unresolved),
        str(other),
    }
    assert ids(api.get(URL, {"actor": "AQIM", "attribution": "claimed"})) == set()
    assert ids(api.get(URL, {"attribution": "suspected"})) == {str(by_aqim)}


def test_place_filters_by_name_admin1_and_bounding_box(api):
    north = make_incident(places=[place("Kidal", 18.44, 1.41, admin1="Kidal")])
    centre = make_incident(places=[place("Mopti", 14.49, -4.2, admin1="Mopti")])
    make_incident(places=[place("Somewhere", None, None, precision="unresolved")])
    assert ids(api.get(URL, {"place": "kidal"})) == {str(north)}
    assert ids(api.get(URL, {"admin1": "MOPTI,Gao"})) == {str(centre)}
    assert ids(api.get(URL, {"bbox": "-5,14,-3,15"})) == {str(centre)}
    assert ids(api.get(URL, {"bbox": "-10,10,5,20"})) == {str(north), str(centre)}


def test_figures_type_text_target_source_and_edition_filters(api):
    big = make_incident(killed=40, event_type="armed_attack", targets=["soldiers"], sources=["AFP"])
    small = make_incident(killed=3, event_type="kidnapping", text="Traders were abducted.")
    unknown = make_incident()
    assert ids(api.get(URL, {"killed_min": 10})) == {str(big)}
    assert ids(api.get(URL, {"killed_max": 10})) == {str(small)}
    assert str(unknown) not in ids(api.get(URL, {"killed_max": 1000}))
    assert ids(api.get(URL, {"event_type": "Armed_Attack"})) == {str(big)}
    assert ids(api.get(URL, {"target": "soldier"})) == {str(big)}
    assert ids(api.get(URL, {"source": "afp"})) == {str(big)}
    assert ids(api.get(URL, {"q": "abducted"})) == {str(small)}
    assert ids(api.get(URL, {"country": "mali", "edition": 1})) >= {str(big), str(small)}
    assert ids(api.get(URL, {"first_edition": 2})) == set()


def test_dropped_incidents_are_listed_on_request_and_tombstones_never(api):
    kept = make_incident()
    dropped = make_incident()
    incident_drop(incident_id=dropped, cause=CAUSE)
    merged = make_incident()
    incident_merge(loser_id=merged, survivor_id=kept, cause=CAUSE)
    retracted = make_incident()
    incident_retract(incident_id=retracted, reason="not an attack", cause=CAUSE)
    assert ids(api.get(URL)) == {str(kept)}
    assert ids(api.get(URL, {"include_dropped": "true"})) == {str(kept), str(dropped)}
    tombstone = api.get(f"{URL}{merged}/").json()
    assert (tombstone["status"], tombstone["merged_into"]) == ("merged", str(kept))


@pytest.mark.parametrize(
    ("params", "bad"),
    [
        ({"date_from": "2024-13-01"}, "date_from"),
        ({"date_from": "2024-05-02", "date_to": "2024-05-01"}, "date_to"),
        ({"bbox": "1,2,3"}, "bbox"),
        ({"bbox": "10,0,5,1"}, "bbox"),
        ({"killed_min": "-1"}, "killed_min"),
        ({"killed_min": "many"}, "killed_min"),
        ({"killed_min": 5, "killed_max": 2}, "killed_max"),
        ({"include_related": "cousins", "actor": "JNIM"}, "include_related"),
        ({"include_related": "predecessors"}, "include_related"),
        ({"status": "rumoured"}, "status"),
        ({"include_dropped": "maybe"}, "include_dropped"),
        ({"ordering": "text"}, "ordering"),
        ({"page_size": 0}, "page_size"),
        ({"cursor": "not-a-cursor"}, "cursor"),
        ({"fields": "id,nonsense"}, "fields"),
        ({"as_of": "yesterday"}, "as_of"),
        ({"as_of_position": 10**9}, "as_of_position"),
        ({"as_of_position": 1, "as_of": "2024-01-01T00:00:00Z"}, "as_of"),
        ({"killedmin": 5}, "killedmin"),
    ],
)
def test_invalid_parameters_answer_400_naming_the_parameter_and_the_reason(api, params, bad):
    response = api.get(URL, params)
    assert response.status_code == 400
    body = response.json()
    assert bad in body["errors"] and body["errors"][bad], body


def test_cursor_pages_cover_every_incident_once_in_order_with_undated_last(api):
    made = [make_incident(date_start=f"2024-01-{day:02d}") for day in (5, 5, 5, 9, 1, 20)]
    made += [make_incident(date_start=None, date_precision="unknown") for _ in range(3)]
    items = all_pages(api, f"{URL}?page_size=2")
    assert sorted(i["id"] for i in items) == sorted(map(str, made))
    dates = [i["date_start"] for i in items]
    assert dates[:6] == sorted(dates[:6], reverse=True) and dates[6:] == [None] * 3
    ascending = all_pages(api, f"{URL}?page_size=4&ordering=date_start")
    assert [i["id"] for i in ascending][:6] == [i["id"] for i in reversed(items[:6])]
    by_killed = all_pages(api, f"{URL}?page_size=3&ordering=-killed")
    assert len(by_killed) == len(made)


def test_a_cursor_from_another_ordering_is_refused(api):
    make_incident()
    make_incident()
    next_url = api.get(URL, {"page_size": 1}).json()["next"]
    assert next_url is not None
    response = api.get(next_url + "&ordering=-updated")
    assert response.status_code == 400 and "cursor" in response.json()["errors"]


def test_fields_give_sparse_objects(api):
    make_incident(killed=2)
    item = api.get(URL, {"fields": "id,casualties"}).json()["results"][0]
    assert set(item) == {"id", "casualties"}


def test_an_unchanged_list_answers_304_to_its_etag_and_a_new_event_changes_it(api):
    make_incident()
    first = api.get(URL)
    etag = first["ETag"]
    assert api.get(URL, HTTP_IF_NONE_MATCH=etag).status_code == 304
    make_incident()
    assert api.get(URL, HTTP_IF_NONE_MATCH=etag).status_code == 200
    assert api.get(URL, {"country": "Mali"}, HTTP_IF_NONE_MATCH=etag).status_code == 200

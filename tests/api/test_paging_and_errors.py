"""One paging convention on every list, cursors whose tampering is a 400, JSON errors under
/api/ (also under DEBUG), the API root, gzip scoped to the API, and the old export links."""

from __future__ import annotations

import base64
import gzip
import json
from typing import Any

import pytest
from django.test import override_settings

from ledger import store
from tests.api.conftest import make_incident

pytestmark = pytest.mark.django_db

LISTS = (
    "/api/v1/incidents/",
    "/api/v1/claims/",
    "/api/v1/actors/",
    "/api/v1/places/",
    "/api/v1/reports/",
    "/api/v1/editions/",
)


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode()


# Hostile cursors, built here: each is something this API never gave out.
TAMPERED = {
    "base64 junk": "%%%not-base64%%%",
    "valid base64 of junk": _b64(b"\xff\xfe junk \x01"),
    "json of the wrong shape": _b64(b"[1, 2, 3]"),
    "a NUL byte": _b64(b'{"o":"-date_start","v":"2024\\u0000-01-01","i":"' + b"0" * 32 + b'"}'),
    "a huge number": _b64(b'{"o":"-killed","v":99999999999999999999999,"i":"' + b"0" * 32 + b'"}'),
    "a date that is none": _b64(b'{"o":"-date_start","v":"2024-02-31","i":"' + b"0" * 32 + b'"}'),
    "drf: a NUL position": _b64(b"o=0&r=0&p=ab\x00cd"),
    "drf: a huge offset": _b64(b"o=99999999999999999999999999999&p=x"),
}


@pytest.mark.parametrize("url", LISTS)
@pytest.mark.parametrize("name", TAMPERED)
def test_each_malformed_cursor_is_a_400_naming_the_cursor(api, url, name):
    make_incident(killed=1)
    response = api.get(url, {"cursor": TAMPERED[name]})
    assert response.status_code == 400, (url, name, response.content[:300])
    assert "cursor" in json.dumps(response.json())


@pytest.mark.parametrize("url", ["/api/v1/claims/", "/api/v1/editions/"])  # uuid, bigint order
def test_a_position_the_ordering_column_cannot_hold_is_a_400(api, url):
    response = api.get(url, {"cursor": _b64(b"o=0&p=99999999999999999999999999")})
    assert response.status_code == 400 and "cursor" in response.json()["errors"]


def test_a_page_size_out_of_range_and_a_bad_count_are_400s(api):
    for url in LISTS:
        assert api.get(url, {"page_size": 0}).status_code == 400, url
        assert api.get(url, {"page_size": 10**30}).status_code == 400, url
        assert api.get(url, {"count": "maybe"}).status_code == 400, url


def _walk(api, url: str, link: str) -> list[list[Any]]:  # type: ignore[no-untyped-def]
    pages = []
    next_url: str | None = url
    while next_url:
        body = api.get(next_url).json()
        pages.append([item["id"] for item in body["results"]])
        next_url = body[link]
    return pages


@pytest.mark.parametrize(
    "ordering", ["-date_start", "date_start", "-killed", "killed", "updated", "-updated"]
)
@pytest.mark.parametrize("as_of", [False, True])
def test_incident_pages_walk_forwards_and_back_to_the_same_pages(api, ordering, as_of):
    # Some with no date and no figure, so the walk crosses from values into nulls and back.
    for n in range(7):
        make_incident(
            killed=n if n % 3 else None, date_start=f"2024-05-0{n + 1}" if n % 2 else None
        )
    query = f"?ordering={ordering}&page_size=2"
    if as_of:
        query += f"&as_of_position={store.last_position()}"
    forwards = _walk(api, f"/api/v1/incidents/{query}", "next")
    assert sum(len(p) for p in forwards) == 7 and all(forwards)
    last = api.get(f"/api/v1/incidents/{query}").json()
    while last["next"]:
        last = api.get(last["next"]).json()
    backwards = []
    page: dict[str, Any] | None = last
    while page:
        backwards.append([item["id"] for item in page["results"]])
        page = api.get(page["previous"]).json() if page["previous"] else None
    assert backwards[::-1] == forwards


def test_count_is_given_only_when_asked_and_is_exact(api):
    for n in range(3):
        make_incident(killed=n)
    make_incident(killed=9, country="Niger")
    assert "count" not in api.get("/api/v1/incidents/").json()
    mali = api.get("/api/v1/incidents/", {"country": "Mali", "count": "true", "page_size": 1})
    assert mali.json()["count"] == 3 and len(mali.json()["results"]) == 1
    actors = api.get("/api/v1/actors/", {"count": "true", "page_size": 1}).json()
    assert actors["count"] > 1 and set(actors) == {"count", "next", "previous", "results"}


def test_the_feed_pages_with_page_size_and_links_back(api):
    for n in range(3):
        make_incident(killed=n)
    end = store.last_position()
    page = api.get("/api/v1/changes/", {"after": 2, "page_size": 2}).json()
    positions = [c["position"] for c in page["results"]]
    assert positions and min(positions) > 2 and page["position"] >= max(positions)
    back = api.get(page["previous"]).json()
    assert back["previous"] is None and back["results"]
    assert min(c["position"] for c in back["results"]) <= 2 < page["position"]
    assert (
        api.get("/api/v1/changes/", {"after": 2, "limit": 2}).json()["results"] == page["results"]
    )
    beyond = api.get("/api/v1/changes/", {"after": end + 1})
    assert beyond.status_code == 400 and "after" in beyond.json()["errors"]


def test_the_api_root_lists_the_endpoints(api, client):
    root = client.get("/api/v1/")
    assert root.status_code == 200
    assert {"incidents", "changes", "actors", "incidents_export_csv", "schema"} <= set(root.json())
    assert api.get(root.json()["incidents"]).status_code == 200


@pytest.mark.parametrize("debug", [False, True])
def test_errors_under_the_api_are_json_also_under_debug(api, client_for, debug):
    with override_settings(DEBUG=debug):
        missing = api.get("/api/v1/nothing-here/")
        wrong_method = client_for("editor").delete("/api/v1/changes/")
        bad_format = api.get("/api/v1/incidents/", {"format": "xml"})
        bad_export_format = api.get("/api/v1/incidents/export.csv", {"format": "xml"})
    assert missing.status_code == 404 and missing["Content-Type"] == "application/json"
    assert "detail" in missing.json()
    assert wrong_method.status_code == 405 and "detail" in wrong_method.json()
    for response in (bad_format, bad_export_format):
        assert response.status_code == 400, response.content
        assert "xml" in json.dumps(response.json()["errors"]["format"])


def test_an_unexpected_failure_under_the_api_is_json_also_under_debug(api, monkeypatch):
    def broken(**kwargs: Any) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr("incidents.api.views.incident_page", broken)
    api.raise_request_exception = False
    with override_settings(DEBUG=True):
        response = api.get("/api/v1/incidents/")
    assert response.status_code == 500 and response["Content-Type"] == "application/json"
    assert "boom" not in response.content.decode()


def test_api_responses_are_gzipped_and_html_pages_never(api, admin_client):
    for n in range(30):
        make_incident(killed=n)
    listing = api.get("/api/v1/incidents/", HTTP_ACCEPT_ENCODING="gzip")
    assert listing["Content-Encoding"] == "gzip"
    assert json.loads(gzip.decompress(listing.content))["results"]
    export = api.get("/api/v1/incidents/export.csv", HTTP_ACCEPT_ENCODING="gzip")
    assert export["Content-Encoding"] == "gzip"
    text = gzip.decompress(b"".join(export.streaming_content)).decode()
    assert text.startswith("id,") and len(text.splitlines()) == 31
    # HTML carries the CSRF token: compressing it would invite BREACH.
    for url in ("/api/v1/docs/", "/admin/"):
        page = admin_client.get(url, HTTP_ACCEPT_ENCODING="gzip")
        assert page.status_code == 200 and "Content-Encoding" not in page, url


def test_the_old_format_links_redirect_to_the_export_operations(api):
    make_incident(killed=2)
    old = api.get("/api/v1/incidents/", {"format": "csv", "layout": "acled", "country": "Mali"})
    assert old.status_code == 308
    assert old["Location"].startswith("/api/v1/incidents/export.csv?")
    assert "layout=acled" in old["Location"] and "format" not in old["Location"]
    followed = api.get(old["Location"])
    assert followed.status_code == 200 and followed["Content-Type"].startswith("text/csv")
    geo = api.get("/api/v1/incidents/", {"format": "geojson"})
    assert geo.status_code == 308 and geo["Location"] == "/api/v1/incidents/export.geojson"

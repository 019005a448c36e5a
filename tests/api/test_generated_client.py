"""A client generated from the live schema with openapi-python-client works as a consumer uses
it: it lists incidents page by page (next and back), follows the change feed, and downloads
each export in its own media type, over real HTTP on loopback."""

from __future__ import annotations

import csv
import importlib
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from rest_framework.authtoken.models import Token

from tests.api.conftest import make_incident, place

GENERATOR = Path(sys.executable).with_name("openapi-python-client")
# JSON lines has no media type the generator knows; it is text, one JSON document a line.
CONFIG = "content_type_overrides:\n  application/x-ndjson: text/plain\npost_hooks: []\n"


@pytest.fixture
def ledger_client(tmp_path: Path, live_server, client_for) -> Any:  # type: ignore[no-untyped-def]
    if not GENERATOR.exists() and shutil.which("openapi-python-client") is None:
        pytest.skip("openapi-python-client is not installed")
    viewer = client_for("viewer")
    schema = viewer.get("/api/v1/schema/?format=json")
    assert schema.status_code == 200
    (tmp_path / "schema.json").write_bytes(schema.content)
    (tmp_path / "config.yaml").write_text(CONFIG)
    subprocess.run(
        [
            str(GENERATOR if GENERATOR.exists() else "openapi-python-client"),
            "generate",
            "--path",
            "schema.json",
            "--output-path",
            "ledger_client",
            "--meta",
            "none",
            "--config",
            "config.yaml",
        ],
        cwd=tmp_path,
        check=True,
        capture_output=True,
    )
    sys.path.insert(0, str(tmp_path))
    try:
        for name in [m for m in sys.modules if m.split(".")[0] == "ledger_client"]:
            del sys.modules[name]
        package = importlib.import_module("ledger_client")
        key = viewer._credentials["HTTP_AUTHORIZATION"].split()[1]
        assert Token.objects.filter(key=key).exists()
        yield package.AuthenticatedClient(base_url=live_server.url, token=key, prefix="Token")
    finally:
        sys.path.remove(str(tmp_path))


def test_a_generated_client_pages_follows_the_feed_and_downloads_each_export(ledger_client):
    from ledger_client.api.changes import changes_retrieve  # type: ignore[import-not-found]
    from ledger_client.api.incidents import (  # type: ignore[import-not-found]
        incidents_export_csv,
        incidents_export_geojson,
        incidents_export_jsonl,
        incidents_list,
    )
    from ledger_client.models import (  # type: ignore[import-not-found]
        IncidentsExportCsvLayout,
        IncidentsListOrdering,
    )

    made = {
        str(make_incident(killed=n, places=[place("Gao", 16.27, -0.04, admin1="Gao")]))
        for n in range(5)
    }

    # (`next` is a Python builtin, so the generator names the field `next_`.)
    # Paging: page_size 2 forwards to the end, then back by `previous`, with the total asked.
    first = incidents_list.sync(
        client=ledger_client, page_size=2, count=True, ordering=IncidentsListOrdering.KILLED_DESC
    )
    assert first.count == 5 and first.previous is None
    pages, page = [], first
    while True:
        pages.append([str(i.id) for i in page.results])
        if not page.next_:
            break
        cursor = page.next_.split("cursor=")[1].split("&")[0]
        page = incidents_list.sync(
            client=ledger_client,
            page_size=2,
            cursor=cursor,
            ordering=IncidentsListOrdering.KILLED_DESC,
        )
    assert {i for p in pages for i in p} == made and len(pages) == 3
    back = page.previous.split("cursor=")[1].split("&")[0]
    before_last = incidents_list.sync(
        client=ledger_client, page_size=2, cursor=back, ordering=IncidentsListOrdering.KILLED_DESC
    )
    assert [str(i.id) for i in before_last.results] == pages[-2]

    # The feed: follow it to the end; every incident made appears in it.
    seen: set[str] = set()
    after = 0
    while True:
        feed = changes_retrieve.sync(client=ledger_client, after=after, page_size=50)
        seen |= {str(c.incident) for c in feed.results if c.incident}
        after = feed.position
        if not feed.next_:
            break
    assert made <= seen

    # Each export, in its own media type.
    csv_text = incidents_export_csv.sync(client=ledger_client)
    assert {row["id"] for row in csv.DictReader(io.StringIO(csv_text))} == made
    acled = incidents_export_csv.sync(client=ledger_client, layout=IncidentsExportCsvLayout.ACLED)
    assert next(csv.DictReader(io.StringIO(acled)))["iso"] == "466"
    geo = incidents_export_geojson.sync_detailed(client=ledger_client)
    assert geo.status_code == 200
    assert geo.headers["content-type"].startswith("application/geo+json")
    assert {f["id"] for f in json.loads(geo.content)["features"]} == made
    lines = incidents_export_jsonl.sync(client=ledger_client).splitlines()
    assert {json.loads(line)["id"] for line in lines} == made
    refused = incidents_export_csv.sync(client=ledger_client, killed_min=-1)
    assert refused.errors and "killed_min" in refused.errors.to_dict()

"""The exports as their tools read them: pandas reads the ACLED layout with ACLED's columns,
dtypes and vocabulary; GDAL's ogrinfo reads the GeoJSON with numeric figures; no CSV cell of
either layout runs as a formula in a spreadsheet."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest

from actors.seeding import seed_actor_id
from incidents.api.acled import ACLED_DISORDER_TYPES, ACLED_DTYPES, ACLED_EVENT_TYPES
from incidents.api.exports import neutralise
from tests.api.conftest import make_incident, place

pytestmark = pytest.mark.django_db

JNIM = {"actor_id": str(seed_actor_id("jnim")), "name": "JNIM", "status": "claimed"}


def _body(response) -> str:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.content
    return b"".join(response.streaming_content).decode()


def _sahel_incidents() -> None:
    make_incident(
        killed=12,
        claims=(("army", 30),),
        event_type="ambush",
        targets=["military"],
        perpetrators=[JNIM],
        places=[place("Gao", 16.27, -0.04, admin1="Gao")],
    )
    make_incident(killed=5, event_type="armed_attack", targets=["civilians"])
    make_incident(event_type="kidnapping", targets=["civilians"], country="Niger")
    make_incident(event_type="ied_or_landmine", country="Burkina Faso")
    make_incident(event_type="statement_or_propaganda", date_precision="month")
    make_incident(event_type=None)
    make_incident(date_start=None, date_precision="unknown")  # ACLED has no undated events


def test_pandas_reads_the_acled_layout_with_acleds_columns_dtypes_and_vocabulary(api):
    _sahel_incidents()
    text = _body(api.get("/api/v1/incidents/export.csv", {"layout": "acled"}))
    frame = pd.read_csv(io.StringIO(text), keep_default_na=False, na_values=[""])
    assert list(frame.columns) == list(ACLED_DTYPES)
    for column in ("year", "time_precision", "inter1", "inter2", "interaction", "iso"):
        assert frame[column].dtype == "int64", column
    for column in ("geo_precision", "fatalities", "timestamp"):
        assert frame[column].dtype == "int64", column
    assert frame["latitude"].dtype == "float64" and frame["longitude"].dtype == "float64"
    assert len(frame) == 6  # the undated one is left out
    assert set(frame["event_type"]) <= set(ACLED_EVENT_TYPES)
    for event_type, sub in zip(frame["event_type"], frame["sub_event_type"], strict=True):
        assert sub in ACLED_EVENT_TYPES[event_type]
    assert set(frame["disorder_type"]) <= set(ACLED_DISORDER_TYPES)
    assert set(frame.loc[frame["country"] == "Mali", "iso"]) == {466}
    assert set(frame.loc[frame["country"] == "Niger", "iso"]) == {562}
    assert set(frame.loc[frame["country"] == "Burkina Faso", "iso"]) == {854}
    assert set(frame["region"]) == {"Western Africa"}
    ambush = frame[frame["location"] == "Gao"].iloc[0]
    assert (ambush["event_type"], ambush["sub_event_type"]) == ("Battles", "Armed clash")
    assert ambush["actor1"].startswith("JNIM: ") and ambush["inter1"] == 2
    assert (ambush["actor2"], ambush["inter2"], ambush["interaction"]) == (
        "Military Forces of Mali",
        1,
        12,
    )
    assert ambush["fatalities"] == 12 and "12 to 30" in ambush["notes"]  # conservative; range noted
    assert ambush["admin1"] == "Gao" and ambush["geo_precision"] == 1
    on_civilians = frame[frame["fatalities"] == 5].iloc[0]
    assert on_civilians["event_type"] == "Violence against civilians"
    assert on_civilians["civilian_targeting"] == "Civilian targeting"
    assert on_civilians["actor1"] == "Unidentified Armed Group (Mali)"
    assert (on_civilians["inter1"], on_civilians["inter2"], on_civilians["interaction"]) == (
        3,
        7,
        37,
    )
    none_reported = frame[frame["event_type"] == "Strategic developments"]
    assert set(none_reported["fatalities"]) == {0}
    assert all("none reported" in note for note in none_reported["notes"])
    assert (frame["timestamp"] > 1_600_000_000).all()


def test_a_formula_looking_cell_is_neutralised_in_both_csv_layouts(api):
    make_incident(
        killed=3,
        text='=HYPERLINK("http://example.invalid","x")',
        sources=["+cmd|' /C calc'!A0", "@SUM(1)", "-2+3", "\tTab", "\rReturn", "fine"],
        targets=["civilians"],
        places=[place("Menaka", 15.91, -2.4, admin1="Menaka")],
    )
    for layout in ("default", "acled"):
        text = _body(api.get("/api/v1/incidents/export.csv", {"layout": layout}))
        rows = list(csv.DictReader(io.StringIO(text)))
        cells = [value for row in rows for value in row.values() if value]
        assert cells, layout
        dangerous = [c for c in cells if c[0] in "=+@\t\r" or (c[0] == "-" and not _number(c))]
        assert dangerous == [], (layout, dangerous)
        text_column = "text" if layout == "default" else "notes"
        assert rows[0][text_column].startswith("'=HYPERLINK")
        longitude = rows[0]["longitude"]
        assert float(longitude) == -2.4  # a negative number stays a number


def _number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def test_neutralise_follows_owasps_rule_and_leaves_numbers_alone():
    for dangerous in ("=1+1", "+1", "-x", "@A1", "\t=1", "\r=1"):
        assert neutralise(dangerous) == "'" + dangerous
    assert neutralise("Gao") == "Gao" and neutralise(-2.4) == -2.4 and neutralise(None) is None


def test_the_geojson_has_flat_typed_properties(api):
    _sahel_incidents()
    geo = json.loads(_body(api.get("/api/v1/incidents/export.geojson", {"killed_min": 10})))
    (feature,) = geo["features"]
    props = feature["properties"]
    assert (props["killed_low"], props["killed_best"], props["killed_high"]) == (12, 12, 30)
    assert props["place"] == "Gao" and props["admin1"] == "Gao"
    assert props["actor_ids"] == [JNIM["actor_id"]]
    assert not any(isinstance(v, dict) for v in props.values())


def test_ogrinfo_reads_the_geojson_with_numeric_killed_fields(api, tmp_path: Path):
    ogrinfo = shutil.which("ogrinfo")
    if ogrinfo is None:
        if os.environ.get("CI") == "true":
            pytest.fail("ogrinfo (gdal-bin) must be installed in CI")
        pytest.skip("ogrinfo (GDAL) is not installed")
    _sahel_incidents()
    path = tmp_path / "incidents.geojson"
    path.write_text(_body(api.get("/api/v1/incidents/export.geojson")))
    summary = subprocess.run(
        [ogrinfo, "-ro", "-so", "-al", str(path)], capture_output=True, text=True, check=True
    ).stdout
    fields = dict(
        line.strip().split(": ", 1)
        for line in summary.splitlines()
        if line.startswith(("killed_", "wounded_", "actor_ids", "place:"))
    )
    # (GDAL types a field from its values: one null in every feature reads as String.)
    for name in ("killed_low", "killed_best", "killed_high"):
        assert fields[name].startswith("Integer"), (name, fields.get(name))
    assert fields["actor_ids"].startswith("StringList")
    assert "Feature Count: 7" in summary
    heavy = subprocess.run(
        [ogrinfo, "-ro", "-al", "-q", "-where", "killed_best >= 10", str(path)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert heavy.count("OGRFeature(") == 1 and "place (String) = Gao" in heavy


def test_every_event_type_maps_into_acleds_codebook():
    from incidents.api.acled import EVENT_TYPE_MAP

    for ours, (event_type, sub_event_type) in EVENT_TYPE_MAP.items():
        assert sub_event_type in ACLED_EVENT_TYPES[event_type], ours

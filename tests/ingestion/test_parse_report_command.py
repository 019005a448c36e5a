"""`manage.py parse_report` on a freshly migrated database, as an outside tool meets it."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tests.ingestion.conftest import SAMPLES

pytestmark = pytest.mark.django_db


def _run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("parse_report", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_one_file_prints_one_contract_document() -> None:
    out, _ = _run(str(SAMPLES / "mali_2024a.txt"), "--format", "json")
    document = json.loads(out)
    assert document["report"]["title"] == "Mali: Extremism and Terrorism"
    assert len(document["incidents"]) == 23
    first = document["incidents"][0]
    assert [(p["actor"], p["status"]) for p in first["perpetrators"]] == [
        ("Jama'at Nusrat al-Islam wal-Muslimin", "claimed")
    ]


def test_jsonl_prints_one_line_per_file_in_order() -> None:
    out, _ = _run(
        str(SAMPLES / "mali_2024b.txt"), str(SAMPLES / "mali_2024a.txt"), "--format", "jsonl"
    )
    lines = out.strip().split("\n")
    assert [len(json.loads(line)["incidents"]) for line in lines] == [26, 23]


def test_several_files_as_json_print_an_array() -> None:
    out, _ = _run(str(SAMPLES / "mali_2024a.txt"), str(SAMPLES / "mali_2024b.txt"))
    assert [d["report"]["edition_date"] for d in json.loads(out)] == ["2024-06-18", "2024-09-03"]


def test_unreadable_file_is_reported_and_fails_after_printing_the_rest(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError):
        call_command(
            "parse_report", str(empty), str(SAMPLES / "mali_2024a.txt"), "--format", "jsonl",
            stdout=out, stderr=err,
        )  # fmt: skip
    assert "empty" in err.getvalue()
    assert len(out.getvalue().strip().split("\n")) == 1

"""`to_contract` produces exactly the parse-report contract document."""

from __future__ import annotations

import json

import pytest

from ingestion.parsing import PARSER_VERSION, ParsedEdition, to_contract
from tests.ingestion.conftest import SCHEMA


@pytest.fixture(scope="module")
def validator():  # type: ignore[no-untyped-def]
    if not SCHEMA.exists():
        pytest.skip(f"the contract is not here: {SCHEMA}")
    from jsonschema import Draft202012Validator

    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    return Draft202012Validator(schema)


def test_seed_document_validates_against_the_contract(validator, seed: ParsedEdition) -> None:  # type: ignore[no-untyped-def]
    document = to_contract(seed)
    assert sorted(validator.iter_errors(document), key=str) == []
    assert document["parser_version"] == PARSER_VERSION
    # 186 timeline entries; nine of them report a second, separate event (one more part each)
    assert len({item["line"] for item in document["incidents"]}) == 186
    assert len(document["incidents"]) == 195
    assert all("part" in item for item in document["incidents"])
    assert document["report"]["sha256"] == seed.sha256


def test_sample_documents_validate_against_the_contract(  # type: ignore[no-untyped-def]
    validator, sample_a: ParsedEdition, sample_b: ParsedEdition
) -> None:
    for parsed in (sample_a, sample_b):
        assert sorted(validator.iter_errors(to_contract(parsed)), key=str) == []


def test_contract_document_is_plain_json(seed: ParsedEdition) -> None:
    document = to_contract(seed)
    assert json.loads(json.dumps(document)) == document
    first = document["incidents"][0]
    assert first["line"] == 91
    assert first["killed"] == {
        "min": 77,
        "max": 77,
        "qualifier": "exact",
        "text": first["killed"]["text"],
    }
    assert first["perpetrators"][0]["actor"] == "Jama'at Nusrat al-Islam wal-Muslimin"

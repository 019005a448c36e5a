from __future__ import annotations

import json
from pathlib import Path

import pytest

CONTRACTS = Path(__file__).resolve().parents[2].parent / "shared" / "contracts"


@pytest.fixture
def summary_schema():
    path = CONTRACTS / "ingest-summary.schema.json"
    if not path.exists():
        pytest.skip(f"{path} is absent")
    return json.loads(path.read_text())

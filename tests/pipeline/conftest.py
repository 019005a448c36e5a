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


# The real latest Mali edition beside the project (never copied into it); absent: skipped.
SEED = Path(__file__).resolve().parents[2].parent / "shared" / "seed"


@pytest.fixture
def seed_text() -> str:
    files = sorted(SEED.glob("*.txt")) if SEED.is_dir() else []
    if not files:
        pytest.skip(f"the seed edition is absent from {SEED}")
    return files[0].read_text(encoding="utf-8")


@pytest.fixture(autouse=True)
def sources_under_tmp_path(settings, tmp_path):
    """File and folder sources of these tests live in the test's own folder."""
    settings.LEDGER_SOURCE_ROOTS = [str(tmp_path)]

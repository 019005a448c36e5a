"""What the parser resolves names against: the actor registry and the place table, read from the
database and turned into the parser's plain lexicon and gazetteer.

Both are rebuilt only when their content changes (an editor's new alias or place changes the
key), so an ingestion does not pay ~0.1 s to rebuild identical tables.
"""

from __future__ import annotations

import json
from functools import lru_cache

from actors.selectors import actor_lexicon_entries, place_entries
from ingestion.parsing import ActorLexicon, Gazetteer
from ingestion.parsing.gazetteer import default_gazetteer


@lru_cache(maxsize=4)
def _lexicon(key: str) -> ActorLexicon:
    return ActorLexicon.from_entries(json.loads(key))


@lru_cache(maxsize=4)
def _gazetteer(key: str) -> Gazetteer:
    places = json.loads(key)
    return Gazetteer.build(places) if places else default_gazetteer()


def parser_reference() -> tuple[ActorLexicon, Gazetteer]:
    """The lexicon and gazetteer as the database stands now."""
    actors = json.dumps(sorted(actor_lexicon_entries()), sort_keys=True)
    places = json.dumps(place_entries(), sort_keys=True, default=str)
    return _lexicon(actors), _gazetteer(places)

"""Editions with a pair of entries that tell one incident twice (our own wording), for the
duplicate and merge tests."""

from __future__ import annotations

from tests.pipeline.editions import ENTRIES, Item

FIRST_TELLING = Item(
    "January 11, 2024",
    "Jihadist fighters overrun the army camp at Boulkessi before dawn, killing 38 soldiers.",
    "Sources: Sahel Wire",
)
BETWEEN = Item(
    "January 10, 2024",
    "Floods wash away the bridge on the road from Mopti to Sevare.",
    "Sources: River News",
)
SECOND_TELLING = Item(
    "January 10, 2024",
    "Jihadist fighters attack the army camp in Boulkessi at dawn, killing 25 soldiers.",
    "Sources: Desert Dispatch, Niger Valley Post",
)


def with_pair(first: Item = FIRST_TELLING, second: Item = SECOND_TELLING) -> list[Item]:
    """The standard entries with the two tellings (and an unrelated entry between them) where
    their dates put them."""
    entries = list(ENTRIES)
    return [*entries[:9], first, BETWEEN, second, *entries[9:]]

"""The dashboard's "unattributed" bar: attributions that name nobody count together."""

from __future__ import annotations

import uuid

from incidents.review.selectors import is_vague_attribution


def test_a_hyphenated_generic_attribution_names_nobody():
    assert is_vague_attribution("Suspected-jihadists", None)
    assert is_vague_attribution("Unidentified  gunmen", None)


def test_a_named_group_is_an_attribution_even_when_its_name_holds_generic_words():
    assert not is_vague_attribution("Katiba Macina", None)
    assert not is_vague_attribution("Armed men", uuid.uuid4())

"""The change feed is the list: whatever editions arrive and whatever editors decide, a copy that
folds the feed (latest state per incident) equals GET /incidents/?include=all at every position a
page of the feed reports, field for field."""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from incidents.models import Incident, ReviewFlag
from incidents.review.curation import CurationError, incident_keep
from incidents.review.decisions import FlagDecisionError, flag_accept, flag_correct, flag_reject
from incidents.review.merge import flag_merge, incident_merge_into
from incidents.services import IncidentCommandError, incident_retract
from ledger.store import Cause
from tests.api.conftest import all_pages
from tests.pipeline.editions import ENTRIES, Item
from tests.review.conftest import ingest, make_user

pytestmark = pytest.mark.django_db
FEED = "/api/v1/changes/"
LIST = "/api/v1/incidents/?include=all&page_size=500"

# An edition: which of our entries it keeps, a toll revised per entry (None: as written), and
# whether it repeats the first entry with another toll (a possible duplicate within it).
edition = st.tuples(
    st.lists(st.booleans(), min_size=len(ENTRIES), max_size=len(ENTRIES)),
    st.lists(st.none() | st.integers(2, 90), min_size=len(ENTRIES), max_size=len(ENTRIES)),
    st.booleans(),
)
decision = st.tuples(
    st.sampled_from(["accept", "reject", "correct", "merge", "drop", "keep"]),
    st.integers(0, 1000),
    st.integers(0, 1000),
)
step = st.tuples(edition, st.lists(decision, max_size=6))


def _entries(kept: list[bool], tolls: list[int | None], duplicate: bool) -> list[Item]:
    entries = []
    for item, keep, toll in zip(ENTRIES, kept, tolls, strict=True):
        if keep or not any(kept):
            body = item.body
            if toll is not None:  # the first figure of the entry, revised
                body = re.sub(
                    r"\b(killing|kidnap) (at least )?\w+", rf"\g<1> \g<2>{toll}", body, count=1
                )
            entries.append(Item(item.date, body, item.sources))
    if duplicate:
        first = ENTRIES[0]
        entries.insert(1, Item(first.date, first.body.replace("14", "12"), "Sources: Kati Post"))
    return entries


def _decide(choice: str, a: int, b: int, editor: Any) -> None:
    flags = list(ReviewFlag.objects.filter(status="open").order_by("raised_at", "id"))
    incidents = list(Incident.objects.order_by("id").values_list("id", "status"))
    flag = flags[a % len(flags)] if flags else None
    try:
        if choice == "accept" and flag:
            flag_accept(flag_id=flag.id, editor=editor, reason="Checked.")
        elif choice == "reject" and flag:
            flag_reject(flag_id=flag.id, editor=editor, reason="Not so.")
        elif choice == "correct" and flag:
            value: Any = (
                b % 50 if flag.field in ("killed", "wounded", "kidnapped") else f"Fixed {b}."
            )
            flag_correct(flag_id=flag.id, editor=editor, reason="Fixed.", value=value)
        elif choice == "merge" and flag and flag.kind == "possible_duplicate":
            flag_merge(
                flag_id=flag.id,
                survivor_id=flag.detail["incidents"][b % 2],
                editor=editor,
                reason="Same event.",
            )
        elif choice == "merge" and len(incidents) > 1:
            loser, survivor = incidents[a % len(incidents)][0], incidents[b % len(incidents)][0]
            incident_merge_into(loser_id=loser, survivor_id=survivor, editor=editor, reason="Same.")
        elif choice == "drop" and incidents:
            incident_retract(
                incident_id=incidents[a % len(incidents)][0],
                reason="Not an incident.",
                cause=Cause(who=f"user:{editor.username}"),
            )
        elif choice == "keep" and incidents:
            incident_keep(
                incident_id=incidents[a % len(incidents)][0], reason="Kept.", editor=editor
            )
    except (FlagDecisionError, CurationError, IncidentCommandError):
        pass  # a decision the rules refuse changes nothing, which the fold must show too


def _follow(api, local: dict[str, dict], after: int, limit: int) -> int:  # type: ignore[no-untyped-def]
    """Fold the feed from `after`, checking the copy against the list at every page's end."""
    next_url: str | None = f"{FEED}?after={after}&limit={limit}"
    position = after
    while next_url:
        body = api.get(next_url).json()
        for change in body["results"]:
            if change["incident"] is not None:
                local[change["incident"]] = change["incident_state"]
        position, next_url = body["position"], body["next"]
        listed = all_pages(api, f"{LIST}&as_of_position={position}")
        assert local == {item["id"]: item for item in listed}, position
    return position


@settings(
    max_examples=6,
    deadline=None,
    # Each example ingests editions: shrinking a failure would take many minutes.
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(step, min_size=1, max_size=3), limits=st.lists(st.integers(1, 9), min_size=3))
def test_a_copy_folded_from_the_feed_equals_the_full_list_after_editions_and_decisions(
    api, steps, limits
):
    editor = make_user("editor")
    local: dict[str, dict] = {}
    position = _follow(api, local, 0, 1000)
    for n, ((kept, tolls, duplicate), decisions) in enumerate(steps):
        ingest(_entries(kept, tolls, duplicate))
        for choice, a, b in decisions:
            _decide(choice, a, b, editor)
        position = _follow(api, local, position, limits[n % len(limits)])
    listed = all_pages(api, LIST)
    assert local == {item["id"]: item for item in listed}
    assert {i["status"] for i in listed} <= {"active", "dropped", "retracted", "merged"}

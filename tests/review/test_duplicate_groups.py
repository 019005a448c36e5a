"""One incident told three times in an edition: one possible-duplicate flag naming the group
(not three pairwise flags), decided a pair at a time (issue 14)."""

from __future__ import annotations

import pytest

from incidents.models import Incident
from incidents.review.merge import duplicate_pair, flag_merge, flag_not_duplicate
from ledger import projection
from ledger.wiring import projections
from tests.pipeline.editions import ENTRIES, Item
from tests.review.conftest import duplicate_flags, ingest
from tests.review.duplicates import BETWEEN, FIRST_TELLING, SECOND_TELLING

pytestmark = pytest.mark.django_db

THIRD_TELLING = Item(
    "January 11, 2024",
    "Jihadist fighters storm the army camp in Boulkessi at dawn; about 30 soldiers are killed.",
    "Sources: Niger Valley Post",
)


ELSEWHERE = Item(
    "January 10, 2024",
    "A truck carrying traders hits a landmine near Menaka; three passengers are hurt.",
    "Sources: River News",
)


def _told_three_times() -> list[Item]:
    entries = list(ENTRIES)
    # Unrelated entries between the tellings: a line much like the one before it would be
    # dropped as an extraction repeat.
    return [
        *entries[:9],
        FIRST_TELLING,
        BETWEEN,
        THIRD_TELLING,
        ELSEWHERE,
        SECOND_TELLING,
        *entries[9:],
    ]


def _group() -> tuple:
    [flag] = duplicate_flags(status="open")
    return flag, [str(i) for i in flag.detail["incidents"]]


def test_an_incident_told_three_times_raises_one_flag_naming_all_three(editor):
    ingest(_told_three_times())
    flag, members = _group()
    assert len(members) == 3
    pair = duplicate_pair(flag_id=flag.id)
    assert (pair.a.id, pair.b.id) == (members[0], members[1])


def test_merging_a_pair_of_a_group_asks_again_about_the_survivor_and_the_rest(editor):
    ingest(_told_three_times())
    flag, (a, b, c) = _group()
    flag_merge(flag_id=flag.id, survivor_id=a, merged_id=c, editor=editor, reason="Same attack")
    flag.refresh_from_db()
    assert flag.status == "merged"
    assert str(Incident.objects.get(id=c).merged_into) == a
    again, members = _group()
    assert members == [a, b] and again.detail["asked_before"] == str(flag.id)
    flag_merge(flag_id=again.id, survivor_id=a, editor=editor, reason="Same attack")
    assert duplicate_flags(status="open") == []
    assert projection.verify(projections()) == []


def test_a_merge_of_a_group_refuses_an_incident_it_does_not_name(editor):
    ingest(_told_three_times())
    flag, (a, _b, _c) = _group()
    stranger = Incident.objects.get(text__contains="Dioura")
    with pytest.raises(Exception, match="another of the flag's incidents"):
        flag_merge(flag_id=flag.id, survivor_id=a, merged_id=stranger.id, editor=editor)


def test_not_the_same_on_a_group_settles_every_pair_for_later_editions(editor):
    ingest(_told_three_times())
    flag, _ = _group()
    flag_not_duplicate(flag_id=flag.id, editor=editor, reason="Three different raids")
    ingest(_told_three_times(), width=70)
    assert duplicate_flags(status="open") == []
    assert projection.verify(projections()) == []


def test_the_api_merges_the_named_member_of_a_group(editor_api):
    ingest(_told_three_times())
    flag, (a, b, c) = _group()
    response = editor_api.post(
        f"/api/v1/flags/{flag.id}/merge/",
        {"survivor": b, "merged": c, "reason": "Same attack"},
        format="json",
    )
    assert response.status_code == 200, response.content
    _, members = _group()
    assert set(members) == {a, b}

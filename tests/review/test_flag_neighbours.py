"""The queue's j / k neighbours: open flags in (raised_at, id) order, ties broken by id."""

from __future__ import annotations

import uuid

import pytest

from incidents.review.models import ReviewFlag
from incidents.review.selectors import flag_neighbours
from incidents.review.services import flag_part
from ledger import store
from ledger.store import Cause

pytestmark = pytest.mark.django_db

CAUSE = Cause(who="system:test")


def _raise(n: int) -> None:
    """`n` flags in one append: they are raised at the same moment."""
    store.append_batch([flag_part(kind="new_incident", report="r") for _ in range(n)], cause=CAUSE)


def _queue() -> list[ReviewFlag]:
    return list(ReviewFlag.objects.order_by("raised_at", "id"))


def _neighbours(flag: ReviewFlag) -> tuple[uuid.UUID | None, uuid.UUID | None]:
    return flag_neighbours(flag=flag)


def test_flags_raised_at_the_same_moment_are_walked_by_id_both_ways() -> None:
    _raise(1)
    _raise(3)
    first, *together = _queue()
    assert first.raised_at < together[0].raised_at
    assert len({flag.raised_at for flag in together}) == 1
    a, b, c = together

    assert _neighbours(first) == (None, a.id)
    assert _neighbours(a) == (first.id, b.id)
    assert _neighbours(b) == (a.id, c.id)
    assert _neighbours(c) == (b.id, None)

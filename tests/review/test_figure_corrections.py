"""An editor's figure keeps its qualifier and open bounds, as a report's figure does, and an
editor's newer figure replaces their older one instead of standing beside it."""

from __future__ import annotations

import pytest

from incidents.models import Incident
from incidents.review.curation import CurationError, figure, incident_correct_field
from tests.review.conftest import incident_with, ingest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (7, (7, 7, "exact")),
        ("5-9", (5, 9, "range")),
        ({"min": 26, "qualifier": "at_least"}, (26, None, "at_least")),
        ({"min": 77, "qualifier": "more_than"}, (77, None, "more_than")),
        ({"max": 100, "qualifier": "up_to"}, (None, 100, "up_to")),
        ({"min": 400, "qualifier": "approximately"}, (400, 400, "approximately")),
        ({"min": 5, "max": 9}, (5, 9, "range")),
    ],
)
def test_an_editors_figure_reads_as_a_reports_figure_would(value, expected):
    assert figure(value) == expected


@pytest.mark.parametrize(
    "value",
    [
        {"min": 26, "qualifier": "roughly"},
        {"qualifier": "at_least"},
        {"min": 5, "max": 9, "qualifier": "approximately"},
        {"min": 9, "max": 5},
        "-3",
        "many",
    ],
)
def test_a_figure_that_cannot_mean_one_thing_is_refused(value):
    with pytest.raises(CurationError):
        figure(value)


def test_at_least_leaves_the_top_open_and_a_later_figure_replaces_it(editor):
    ingest()
    incident = incident_with("Douentza")

    incident_correct_field(
        incident_id=incident.id,
        field="killed",
        value={"min": 35, "qualifier": "at_least"},
        reason="A list of the dead.",
        editor=editor,
    )
    held = Incident.objects.get(id=incident.id)
    assert (held.killed_best, held.killed_high) == (35, None)

    incident_correct_field(
        incident_id=incident.id,
        field="killed",
        value={"min": 33, "max": 33},
        reason="The final count.",
        editor=editor,
    )
    editor_claims = {
        (c.value_min, c.value_max, c.qualifier): c.rank
        for c in incident.claims.filter(claimant="editor", property="killed")
    }
    assert editor_claims == {(35, None, "at_least"): "deprecated", (33, 33, "exact"): "preferred"}
    assert Incident.objects.get(id=incident.id).killed_best == 33

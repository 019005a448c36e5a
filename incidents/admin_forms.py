"""Forms of the review admin: they parse what an editor typed, nothing more; the views hand the
cleaned values to one service each."""

from __future__ import annotations

import json
from typing import Any

from django import forms

from incidents.state import RANKS, REVIEW_FIELDS


def _reason(required: bool = True) -> forms.CharField:
    return forms.CharField(
        required=required,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 70, "autofocus": True}),
        help_text="Recorded with your name in the ledger; the next editor reads it.",
    )


def parse_value(raw: str) -> Any:
    """JSON when it reads as JSON (numbers, lists, objects), else the text as typed."""
    raw = raw.strip()
    try:
        return json.loads(raw)
    except ValueError:
        return raw


class AcceptForm(forms.Form):
    reason = _reason(required=False)


class RejectForm(forms.Form):
    reason = _reason()


class CorrectForm(forms.Form):
    value = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4, "cols": 70}),
        help_text='Text as typed; a figure as 7 or "5-9"; dates, places, lists as JSON.',
    )
    reason = _reason()

    def clean_value(self) -> Any:
        return parse_value(self.cleaned_data["value"])


class BulkDecisionForm(forms.Form):
    reason = _reason(required=False)


_FIELD_CHOICES = [(f, f) for f in REVIEW_FIELDS if f != "claims"]


class CorrectFieldForm(forms.Form):
    field = forms.ChoiceField(choices=_FIELD_CHOICES)
    value = CorrectForm.base_fields["value"]
    reason = _reason()

    def clean_value(self) -> Any:
        return parse_value(self.cleaned_data["value"])


class LockFieldForm(forms.Form):
    field = forms.ChoiceField(choices=[(f, f) for f in REVIEW_FIELDS])
    lock = forms.TypedChoiceField(
        choices=[("1", "Lock: only flags I accept change it"), ("0", "Unlock: follow the report")],
        coerce=lambda v: v == "1",
        initial="1",
        widget=forms.RadioSelect,
    )
    reason = _reason()


class RankClaimForm(forms.Form):
    claim = forms.ChoiceField()
    rank = forms.ChoiceField(choices=[(r, r) for r in RANKS])
    reason = _reason(required=False)

    def __init__(self, *args: Any, claims: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["claim"].choices = claims  # type: ignore[attr-defined]


class MergeForm(forms.Form):
    survivor = forms.UUIDField(
        help_text="The incident this one duplicates; this one becomes a tombstone naming it."
    )
    reason = _reason()


class ReasonForm(forms.Form):
    reason = _reason()


class ResolvePlaceForm(forms.Form):
    place = forms.ChoiceField()
    gazetteer_name = forms.CharField(
        required=False, help_text="Look this spelling up in the gazetteer instead of coordinates."
    )
    latitude = forms.FloatField(required=False, min_value=-90, max_value=90)
    longitude = forms.FloatField(required=False, min_value=-180, max_value=180)
    reason = _reason()

    def __init__(self, *args: Any, places: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["place"].choices = [(p, p) for p in places]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        has_coordinates = data.get("latitude") is not None and data.get("longitude") is not None
        if not has_coordinates and not data.get("gazetteer_name"):
            raise forms.ValidationError("Give coordinates, or a name to look up in the gazetteer.")
        return data

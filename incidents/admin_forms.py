"""Forms of the review admin: they parse what an editor typed, nothing more; the views hand the
cleaned values to one service each.

Each correctable field has its own form with real inputs, pre-filled with the value the ledger
holds (dates with precision, figures as low / high, places through a gazetteer search,
perpetrators from the actor registry); `value()` gives the value in the shape the correction
services take. Nobody types JSON.
"""

from __future__ import annotations

from typing import Any

from django import forms

from actors.models import Actor
from incidents.state import CASUALTY_PROPERTIES, RANKS, REVIEW_FIELDS, IncidentState


def _reason(required: bool = True) -> forms.CharField:
    return forms.CharField(
        required=required,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 70, "autofocus": True}),
        help_text="Recorded with your name in the ledger; the next editor reads it.",
    )


class AcceptForm(forms.Form):
    reason = _reason(required=False)


class RejectForm(forms.Form):
    reason = _reason()


class BulkDecisionForm(forms.Form):
    reason = _reason(required=False)


class LockFieldForm(forms.Form):
    # Chosen on the page before (the confirmation names it); carried, not edited, here.
    field = forms.ChoiceField(choices=[(f, f) for f in REVIEW_FIELDS], widget=forms.HiddenInput)
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
        widget=forms.TextInput(
            attrs={"class": "incident-lookup", "size": 40, "placeholder": "type words, a date"}
        ),
        help_text="The incident this one duplicates (type words of its text or its date and "
        "pick it); this one becomes a tombstone naming it.",
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


# --- one form per correctable field -----------------------------------------------------------


class ValueForm(forms.Form):
    """A correction of one field: its inputs, then the reason. `value()` is what the
    correction service takes for the field."""

    def full_clean(self) -> None:
        super().full_clean()
        if self.is_bound and not self.errors:
            self.cleaned_data["value"] = self.value()

    def value(self) -> Any:
        raise NotImplementedError

    @classmethod
    def initial_from(cls, state: IncidentState) -> dict[str, Any]:
        return {}


class DateValueForm(ValueForm):
    date_start = forms.DateField(
        required=False, label="Start", widget=forms.DateInput(attrs={"type": "date"})
    )
    date_end = forms.DateField(
        required=False,
        label="End",
        help_text="Only for a range of days.",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_precision = forms.ChoiceField(
        label="Precision",
        choices=[(p, p) for p in ("day", "range", "month", "year", "unknown")],
        help_text="month / year: the start's month or year is all that is known.",
    )
    reason = _reason()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_start"), data.get("date_end")
        if start and end and end < start:
            self.add_error("date_end", "The end cannot be before the start.")
        if data.get("date_precision") not in (None, "unknown") and not start:
            self.add_error("date_start", "Give a start date, or set the precision to unknown.")
        return data

    def value(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            "date_start": d["date_start"].isoformat() if d.get("date_start") else None,
            "date_end": d["date_end"].isoformat() if d.get("date_end") else None,
            "date_precision": d["date_precision"],
        }

    @classmethod
    def initial_from(cls, state: IncidentState) -> dict[str, Any]:
        return {
            "date_start": state.date_start,
            "date_end": state.date_end,
            "date_precision": state.date_precision,
        }


class FigureValueForm(ValueForm):
    """An editor's figure becomes their own claim, ranked preferred: exactly `low`, or a range
    from low to high. ("At least" has no ceiling and is not an editor's figure: give the
    range you believe.)"""

    low = forms.IntegerField(min_value=0, label="Low")
    high = forms.IntegerField(
        min_value=0, required=False, label="High", help_text="Leave empty for an exact figure."
    )
    reason = _reason()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        low, high = data.get("low"), data.get("high")
        if low is not None and high is not None and high < low:
            self.add_error("high", "High cannot be below low.")
        return data

    def value(self) -> dict[str, int]:
        low = self.cleaned_data["low"]
        high = self.cleaned_data.get("high")
        return {"min": low, "max": high if high is not None else low}

    @classmethod
    def initial_from_estimate(cls, low: int | None, best: int | None, high: int | None) -> dict:
        if best is None:
            return {}
        if low == high or high is None:
            return {"low": best}
        return {"low": low, "high": high}


class TextValueForm(ValueForm):
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 6, "cols": 90}), label="Text")
    reason = _reason()

    def value(self) -> str:
        return str(self.cleaned_data["text"])

    @classmethod
    def initial_from(cls, state: IncidentState) -> dict[str, Any]:
        return {"text": state.text}


class ShortTextValueForm(ValueForm):
    """country / event_type: one short text; empty clears it."""

    short = forms.CharField(required=False, max_length=80, label="Value")
    reason = _reason()

    def value(self) -> str:
        return str(self.cleaned_data["short"]).strip()


class LinesValueForm(ValueForm):
    """targets / sources: one per line."""

    lines = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 5, "cols": 90}),
        label="One per line",
    )
    reason = _reason()

    def value(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["lines"].splitlines() if line.strip()]


PERPETRATOR_STATUSES = ("claimed", "attributed", "suspected", "denied", "unknown")


class PerpetratorsValueForm(ValueForm):
    """Who did it, chosen from the actor registry, with how sure the report is."""

    actors = forms.ModelMultipleChoiceField(
        queryset=Actor.objects.filter(merged_into__isnull=True).order_by("name"),
        required=False,
        label="Actors",
        widget=forms.SelectMultiple(attrs={"size": 10}),
        help_text="From the actor registry; add a missing actor or alias there first. "
        "None selected: nobody is named.",
    )
    status = forms.ChoiceField(
        choices=[(s, s) for s in PERPETRATOR_STATUSES], label="Status", initial="attributed"
    )
    reason = _reason()

    def value(self) -> list[dict[str, Any]]:
        status = self.cleaned_data["status"]
        return [
            {"name": a.name, "actor": a.name, "actor_id": str(a.id), "status": status}
            for a in self.cleaned_data["actors"]
        ]

    @classmethod
    def initial_from(cls, state: IncidentState) -> dict[str, Any]:
        ids = [p.get("actor_id") for p in state.perpetrators if p.get("actor_id")]
        statuses = {p.get("status") for p in state.perpetrators}
        status = statuses.pop() if len(statuses) == 1 else "attributed"
        return {"actors": ids, "status": status or "attributed"}


class PlaceValueForm(ValueForm):
    """One of the incident's places (or a new one), resolved by a gazetteer pick or given
    coordinates. A gazetteer place in another country than the incident's is refused unless
    the editor ticks the confirmation."""

    place = forms.ChoiceField(label="Place of the incident")
    lookup = forms.CharField(
        required=False,
        label="Gazetteer",
        widget=forms.TextInput(
            attrs={"class": "place-lookup", "size": 40, "placeholder": "type a place name"}
        ),
        help_text="Pick a gazetteer place (country and region shown); its coordinates are used.",
    )
    latitude = forms.FloatField(required=False, min_value=-90, max_value=90)
    longitude = forms.FloatField(required=False, min_value=-180, max_value=180)
    confirm_foreign = forms.BooleanField(
        required=False,
        label="Yes, this place is outside the incident's country",
    )
    reason = _reason()

    NEW = "__new__"

    def __init__(
        self,
        *args: Any,
        places: list[dict[str, Any]],
        country: str | None,
        search: Any,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.places = places
        self.country = country
        self.search = search  # (name, country) -> the gazetteer candidate picked, or None
        names = [str(p.get("name")) for p in places if p.get("name")]
        self.fields["place"].choices = [  # type: ignore[attr-defined]
            *[(n, n) for n in names],
            (self.NEW, "a new place…"),
        ]
        self.fields["new_name"] = forms.CharField(
            required=False, label="New place's name", help_text="Only for a new place."
        )
        self.order_fields(
            ["place", "new_name", "lookup", "latitude", "longitude", "confirm_foreign", "reason"]
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        lat, lon = data.get("latitude"), data.get("longitude")
        picked = None
        if data.get("lookup"):
            picked = self.search(data["lookup"])
            if picked is None:
                self.add_error("lookup", f"The gazetteer has no {data['lookup']!r}.")
                return data
            if (
                self.country
                and picked.get("country")
                and picked["country"] != self.country
                and not data.get("confirm_foreign")
            ):
                self.add_error(
                    "confirm_foreign",
                    f"{picked['label']} is not in {self.country}, the incident's country; "
                    "tick the box if you are sure.",
                )
                return data
        elif lat is None or lon is None:
            self.add_error("lookup", "Pick a gazetteer place, or give latitude and longitude.")
            return data
        if data.get("place") == self.NEW and not (data.get("new_name") or "").strip():
            self.add_error("new_name", "Name the new place.")
        data["picked"] = picked
        return data

    def chosen(self) -> dict[str, Any]:
        """The place as it will be stored: name, coordinates, admin1, country."""
        d = self.cleaned_data
        picked = d.get("picked")
        name = d["new_name"].strip() if d["place"] == self.NEW else d["place"]
        place: dict[str, Any] = {"name": name, "precision": "exact", "source": "editor"}
        if picked is not None:
            place.update(
                lat=picked["lat"],
                lon=picked["lon"],
                admin1=picked.get("admin1"),
                country=picked.get("country"),
                resolved_name=picked["name"],
            )
        else:
            place.update(lat=d["latitude"], lon=d["longitude"])
            if self.country:
                place["country"] = self.country
        return place

    def value(self) -> list[dict[str, Any]]:
        chosen = self.chosen()
        out, replaced = [], False
        for p in self.places:
            if p.get("name") == chosen["name"] and not replaced:
                merged = {k: v for k, v in p.items() if k not in ("latitude", "longitude")}
                merged.update(chosen)
                out.append(merged)
                replaced = True
            else:
                out.append(dict(p))
        if not replaced:
            out.append(chosen)
        return out


def value_form_class(field: str) -> type[ValueForm]:
    """The form that corrects review field `field`."""
    if field == "date":
        return DateValueForm
    if field in CASUALTY_PROPERTIES:
        return FigureValueForm
    if field == "text":
        return TextValueForm
    if field in ("country", "event_type"):
        return ShortTextValueForm
    if field in ("targets", "sources"):
        return LinesValueForm
    if field == "perpetrators":
        return PerpetratorsValueForm
    if field == "locations":
        return PlaceValueForm
    raise KeyError(field)


CORRECTABLE_FIELDS = tuple(f for f in REVIEW_FIELDS if f != "claims")


def value_initial(field: str, state: IncidentState) -> dict[str, Any]:
    """The form's inputs filled with what the ledger holds now."""
    if field in CASUALTY_PROPERTIES:
        e = state.estimate(field)
        return FigureValueForm.initial_from_estimate(e.low, e.best, e.high)
    if field in ("country", "event_type"):
        return {"short": getattr(state, field) or ""}
    if field in ("targets", "sources"):
        return {"lines": "\n".join(getattr(state, field))}
    return value_form_class(field).initial_from(state)

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
from incidents.review.curation import ForeignPlace
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


# The qualifiers an editor can mean, as the report's figures carry them; the correction service
# (incidents.review.curation.figure) records each with its open bounds.
QUALIFIERS = (
    ("exact", "exactly"),
    ("at_least", "at least"),
    ("more_than", "more than"),
    ("up_to", "up to"),
    ("approximately", "around"),
    ("range", "between"),
)


class FigureValueForm(ValueForm):
    """An editor's figure becomes their own claim, ranked preferred: "exactly 7", "at least
    26", "up to 100", "around 400" or "between 5 and 9"."""

    qualifier = forms.ChoiceField(choices=QUALIFIERS, initial="exact")
    low = forms.IntegerField(
        min_value=0, label="Figure", help_text="The figure; with “between”, the low end."
    )
    high = forms.IntegerField(
        min_value=0, required=False, label="High", help_text="Only with “between”."
    )
    reason = _reason()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        qualifier, low, high = data.get("qualifier"), data.get("low"), data.get("high")
        if qualifier == "range":
            if high is None:
                self.add_error("high", "“Between” needs a high figure.")
            elif low is not None and high <= low:
                self.add_error("high", "High must be above low; for one figure choose exactly.")
        elif high is not None:
            self.add_error("high", "Only “between” takes a high figure.")
        return data

    def value(self) -> dict[str, Any]:
        """The shape incidents.review.curation.figure() takes."""
        qualifier = self.cleaned_data["qualifier"]
        low = self.cleaned_data["low"]
        if qualifier == "range":
            return {"min": low, "max": self.cleaned_data["high"], "qualifier": "range"}
        if qualifier == "up_to":
            return {"max": low, "qualifier": "up_to"}
        if qualifier in ("at_least", "more_than"):
            return {"min": low, "qualifier": qualifier}
        return {"min": low, "max": low, "qualifier": qualifier}

    @classmethod
    def initial_from_claim(cls, claim: dict[str, Any]) -> dict[str, Any]:
        qualifier = claim.get("qualifier") or "exact"
        low, high = claim.get("value_min"), claim.get("value_max")
        if qualifier == "range":
            return {"qualifier": qualifier, "low": low, "high": high}
        return {"qualifier": qualifier, "low": low if low is not None else high}

    @classmethod
    def initial_from_estimate(cls, low: int | None, best: int | None, high: int | None) -> dict:
        # Pre-filled with what the ledger holds: an open top is "at least", an open bottom
        # "up to", otherwise one figure or the range.
        if best is None:
            return {"qualifier": "exact"}
        if high is None and low is not None:
            return {"qualifier": "at_least", "low": best}
        if low is None and high is not None:
            return {"qualifier": "up_to", "low": best}
        if low is None or high is None or low == high:
            return {"qualifier": "exact", "low": best}
        return {"qualifier": "range", "low": low, "high": high}


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
KEEP_STATUS = "__each__"


class PerpetratorsValueForm(ValueForm):
    """Who did it: actors from the registry, plus names the registry does not know, kept as the
    report wrote them (unresolved), with how sure the report is."""

    actors = forms.ModelMultipleChoiceField(
        queryset=Actor.objects.filter(merged_into__isnull=True).order_by("name"),
        required=False,
        label="Actors",
        widget=forms.SelectMultiple(attrs={"size": 10}),
        help_text="From the actor registry.",
    )
    unresolved = forms.CharField(
        required=False,
        label="Named, not in the registry",
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text="One per line, as the report names them; kept unresolved (add the actor or "
        "an alias in the registry to resolve them). Empty, and no actor selected: nobody is "
        "named.",
    )
    status = forms.ChoiceField(
        choices=[
            (KEEP_STATUS, "each as it is (new ones: attributed)"),
            *[(s, s) for s in PERPETRATOR_STATUSES],
        ],
        label="Status",
        initial="attributed",
    )
    reason = _reason()

    def __init__(self, *args: Any, perpetrators: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.perpetrators = [dict(p) for p in perpetrators]

    def value(self) -> list[dict[str, Any]]:
        """The incident's perpetrators as entered: a registry actor already named keeps the
        name the report used for it; a name outside the registry stays, unresolved."""
        chosen = self.cleaned_data["status"]
        out: list[dict[str, Any]] = []

        def status_of(before: dict[str, Any] | None) -> str:
            if chosen != KEEP_STATUS:
                return str(chosen)
            return str((before or {}).get("status") or "attributed")

        seen: set[str] = set()
        for actor in self.cleaned_data["actors"]:
            key = str(actor.id)
            if key in seen:
                continue
            seen.add(key)
            before = next((p for p in self.perpetrators if str(p.get("actor_id")) == key), None)
            base = before or {"name": actor.name, "actor": actor.name, "actor_id": key}
            out.append({**base, "status": status_of(before)})
        lines = str(self.cleaned_data.get("unresolved") or "").splitlines()
        for name in dict.fromkeys(line.strip() for line in lines if line.strip()):
            before = next(
                (p for p in self.perpetrators if not p.get("actor_id") and p.get("name") == name),
                None,
            )
            base = before or {"name": name, "actor": None, "actor_id": None}
            out.append({**base, "status": status_of(before)})
        return out

    @classmethod
    def initial_from(cls, state: IncidentState) -> dict[str, Any]:
        ids = [p.get("actor_id") for p in state.perpetrators if p.get("actor_id")]
        names = [str(p.get("name")) for p in state.perpetrators if not p.get("actor_id")]
        # Several statuses: each keeps its own unless the editor picks one for all.
        statuses = {p.get("status") for p in state.perpetrators}
        status = (statuses.pop() or "attributed") if len(statuses) == 1 else KEEP_STATUS
        if not state.perpetrators:
            status = "attributed"
        return {"actors": ids, "unresolved": "\n".join(names), "status": status}


class PlaceValueForm(ValueForm):
    """One of the incident's places (or a new one), resolved by a gazetteer pick or given
    coordinates. Whether a place abroad may stand is the service's rule (ForeignPlace): the
    form only carries the editor's confirmation to it."""

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
        elif lat is None or lon is None:
            self.add_error("lookup", "Pick a gazetteer place, or give latitude and longitude.")
            return data
        if data.get("place") == self.NEW and not (data.get("new_name") or "").strip():
            self.add_error("new_name", "Name the new place.")
        data["picked"] = picked
        return data

    def full_clean(self) -> None:
        super().full_clean()
        if self.is_bound and not self.errors:
            self.cleaned_data["chosen"] = self.chosen()
            self.cleaned_data["new"] = self.is_new()

    def is_new(self) -> bool:
        return bool(self.cleaned_data.get("place") == self.NEW)

    def chosen(self) -> dict[str, Any]:
        """The place as the editor chose it: its name as the incident has it, coordinates,
        admin1, country and the gazetteer's name for it (typed coordinates: the incident's
        country, nothing else)."""
        d = self.cleaned_data
        picked = d.get("picked")
        name = d["new_name"].strip() if self.is_new() else d["place"]
        place: dict[str, Any] = {"name": name, "precision": "exact", "source": "editor"}
        if picked is not None:
            place.update(
                lat=picked["lat"],
                lon=picked["lon"],
                admin1=picked.get("admin1") or None,
                country=picked.get("country") or None,
                resolved_name=picked["name"],
                place_id=picked.get("place_id") or None,
            )
        else:
            place.update(lat=d["latitude"], lon=d["longitude"], admin1=None, resolved_name=None)
            place["country"] = self.country or None
        return place

    def value(self) -> list[dict[str, Any]]:
        chosen = {k: v for k, v in self.chosen().items() if v is not None}
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


def refuse(form: forms.Form, exc: Exception) -> None:
    """A service's refusal, said once, next to the input it is about: a place abroad at the
    confirmation box, a message that starts with a field's name ("low: ...") at that field,
    anything else above the form."""
    message = str(exc)
    if isinstance(exc, ForeignPlace) and "confirm_foreign" in form.fields:
        form.add_error("confirm_foreign", message)
        return
    named = message.split(":", 1)[0].strip()
    form.add_error(named if ":" in message and named in form.fields else None, message)


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
        # The editor's own standing figure when there is one (it is what they would adjust),
        # else the estimate the claims give.
        own = [
            c
            for c in state.claims.values()
            if c.get("property") == field
            and c.get("claimant") == "editor"
            and c.get("rank") == "preferred"
        ]
        if own:
            claim = max(own, key=lambda c: c.get("position", 0))
            return FigureValueForm.initial_from_claim(claim)
        e = state.estimate(field)
        return FigureValueForm.initial_from_estimate(e.low, e.best, e.high)
    if field in ("country", "event_type"):
        return {"short": getattr(state, field) or ""}
    if field in ("targets", "sources"):
        return {"lines": "\n".join(getattr(state, field))}
    return value_form_class(field).initial_from(state)

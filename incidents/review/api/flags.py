"""The review queue over the API, for review tools: list and read flags; accept (keeping an
editor's value or not), reject or correct one; merge a possible duplicate or say "not the same";
preview what accepting would overwrite. Editors (and superusers) only; each decision calls one
service with the user. Values come as stored and in words ("killed: at least 26 → at least 41")."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from common.api.errors import REFUSED, ErrorOutput
from common.api.etags import uuid_or_404
from common.api.inputs import read_input
from common.api.pagination import LedgerCursorPagination, PagingInput
from common.api.reads import ReadViewSet
from common.api.services import call_service, decision_responses
from common.roles import EditorsOnly
from incidents.models import IncidentRevision
from incidents.review.decisions import flag_accept, flag_correct, flag_decide_many, flag_reject
from incidents.review.merge import flag_merge, flag_not_duplicate
from incidents.review.models import ReviewFlag
from incidents.review.preview import flag_accept_preview, flag_value, ledger_value
from incidents.review.selectors import FlagFilters, flag_get, flag_list
from incidents.review.words import describe_change, describe_value
from incidents.state import IncidentState
from ledger.store import last_position


class FlagListInput(PagingInput):
    incident = serializers.UUIDField(required=False)
    status = serializers.ChoiceField(choices=ReviewFlag.Status.values, required=False)
    kind = serializers.ChoiceField(choices=ReviewFlag.Kind.values, required=False)
    edition = serializers.IntegerField(required=False, min_value=1)


class FlagOutput(serializers.ModelSerializer):
    incident = serializers.UUIDField(source="incident_id", allow_null=True)
    edition = serializers.IntegerField(source="edition_id", allow_null=True)
    before = serializers.JSONField(allow_null=True)
    after = serializers.JSONField(allow_null=True)
    corrected_value = serializers.JSONField(allow_null=True)
    detail = serializers.DictField()  # type: ignore[assignment]
    current = serializers.SerializerMethodField(
        help_text="The value the ledger holds now for the flag's field, shaped like before / "
        "after (`before` is what the previous edition said)."
    )
    before_words = serializers.SerializerMethodField()
    after_words = serializers.SerializerMethodField()
    current_words = serializers.SerializerMethodField()
    change_words = serializers.SerializerMethodField(
        help_text='The change in words, e.g. "killed: at least 26 → at least 41".'
    )

    class Meta:
        model = ReviewFlag
        fields = (
            "id",
            "kind",
            "status",
            "report",
            "incident",
            "field",
            "before",
            "after",
            "before_text",
            "after_text",
            "edition",
            "detail",
            "raised_at",
            "decided_by",
            "decided_at",
            "reason",
            "corrected_value",
            "current",
            "before_words",
            "after_words",
            "current_words",
            "change_words",
        )

    def _state(self, flag: ReviewFlag) -> IncidentState | None:
        states = self.context.get("states")
        if states is None:  # one flag on its own: its incident alone
            states = incident_states([flag])
        return states.get(str(flag.incident_id)) if flag.incident_id else None

    def get_current(self, flag: ReviewFlag) -> Any:
        state = self._state(flag)
        return ledger_value(state, flag.field) if state is not None and flag.field else None

    def get_before_words(self, flag: ReviewFlag) -> str | None:
        return describe_value(flag.field, flag_value(flag, "before")) if flag.field else None

    def get_after_words(self, flag: ReviewFlag) -> str | None:
        return describe_value(flag.field, flag_value(flag, "after")) if flag.field else None

    def get_current_words(self, flag: ReviewFlag) -> str | None:
        return describe_value(flag.field, self.get_current(flag)) if flag.field else None

    def get_change_words(self, flag: ReviewFlag) -> str | None:
        if not flag.field:
            return None
        return describe_change(flag.field, flag_value(flag, "before"), flag_value(flag, "after"))


def incident_states(flags: Any) -> dict[str, IncidentState]:
    """The current state of every incident the flags are about, in one query."""
    ids = {f.incident_id for f in flags if f.incident_id}
    rows = IncidentRevision.objects.filter(incident_id__in=ids, valid_to__isnull=True)
    return {str(r.incident_id): IncidentState.from_json(r.state) for r in rows}


class AcceptInput(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    keep_editor_value = serializers.BooleanField(
        required=False,
        default=True,
        help_text="Where accepting would overwrite an editor's correction (see preview): keep "
        "the editor's value (a respelled place keeps its coordinates; an editor's preferred "
        "figure keeps deciding best). False takes the edition's value.",
    )


class MergeInput(serializers.Serializer):
    survivor = serializers.UUIDField(
        help_text="The incident of the flag's pair that stays; the other is merged into it."
    )
    merged = serializers.UUIDField(
        required=False,
        default=None,
        allow_null=True,
        help_text="For a flag naming a group of more than two incidents: the one to merge into "
        "`survivor` (by default the other of the flag's first two). The survivor and the rest "
        "are asked about again by a new flag.",
    )
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class NotDuplicateInput(serializers.Serializer):
    reason = serializers.CharField(help_text="Why the two are different incidents; required.")


class DecideManyInput(serializers.Serializer):
    flags = serializers.ListField(child=serializers.UUIDField(), min_length=1, max_length=500)
    decision = serializers.ChoiceField(choices=["accept", "reject"])
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class DecideManyOutput(serializers.Serializer):
    decided = serializers.IntegerField(help_text="How many flags were decided (all or none).")


class AcceptPreviewOutput(serializers.Serializer):
    losses = serializers.ListField(
        child=serializers.CharField(),
        help_text="What accepting would overwrite, one sentence each; empty when nothing.",
    )
    held_fields = serializers.ListField(child=serializers.CharField())
    can_keep_editor_value = serializers.BooleanField()
    why_raised = serializers.CharField()
    accept_does = serializers.CharField()
    reject_does = serializers.CharField()


class RejectInput(serializers.Serializer):
    reason = serializers.CharField(help_text="Why the change is wrong; required.")


class CorrectInput(serializers.Serializer):
    reason = serializers.CharField(help_text="Why; required.")
    value = serializers.JSONField(
        help_text="The field's right value: text for text, country and event_type; a number or "
        '"5-9" for casualties; {"date_start", "date_end", "date_precision"} for date; a list '
        'for places, perpetrators, targets and sources; {"lat", "lon"} for an unresolved place.'
    )
    confirm_foreign = serializers.BooleanField(
        required=False,
        default=False,
        help_text="A place added in another country than the incident's is refused unless true.",
    )


class FlagPagination(LedgerCursorPagination):
    ordering = ("raised_at", "id")  # type: ignore[assignment]  # DRF takes a tuple too


_DECISION_RESPONSES = decision_responses(FlagOutput)


class FlagViewSet(ReadViewSet):
    """Review flags: changes awaiting, or having had, an editor's decision."""

    queryset = ReviewFlag.objects.none()  # the model, for the schema's path parameter
    serializer_class = FlagOutput
    pagination_class = FlagPagination
    etag_from = (last_position,)  # flags are projected from events
    permission_classes = [EditorsOnly]

    @extend_schema(
        parameters=[FlagListInput],
        responses={200: FlagOutput(many=True), 400: ErrorOutput, **REFUSED},
    )
    def list(self, request: Request) -> Response:
        return self.answer_page(
            request,
            params=FlagListInput,
            rows=lambda data: flag_list(
                filters=FlagFilters(
                    incident=data.get("incident"),
                    status=data.get("status"),
                    kind=data.get("kind"),
                    edition=data.get("edition"),
                )
            ),
            output=FlagOutput,
            context=lambda page: {"states": incident_states(page)},
        )

    @extend_schema(responses={200: FlagOutput, 404: ErrorOutput, **REFUSED})
    def retrieve(self, request: Request, pk: str) -> Response:
        return self.answer_one(
            request, fetch=lambda: flag_get(flag_id=uuid_or_404(pk)), output=FlagOutput
        )

    @extend_schema(responses={200: AcceptPreviewOutput, 404: ErrorOutput, **REFUSED})
    @action(detail=True, methods=["get"])
    def preview(self, request: Request, pk: str) -> Response:
        """What accepting this flag would overwrite, and what Accept and Reject do."""
        preview = flag_accept_preview(flag_id=self._flag(pk).id)
        return Response(AcceptPreviewOutput(preview).data)

    @extend_schema(request=AcceptInput, responses=_DECISION_RESPONSES)
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: str) -> Response:
        data = read_input(AcceptInput, request)
        return self._decided(pk, lambda f: flag_accept(flag_id=f, editor=request.user, **data))

    @extend_schema(request=RejectInput, responses=_DECISION_RESPONSES)
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: str) -> Response:
        data = read_input(RejectInput, request)
        return self._decided(pk, lambda f: flag_reject(flag_id=f, editor=request.user, **data))

    @extend_schema(request=CorrectInput, responses=_DECISION_RESPONSES)
    @action(detail=True, methods=["post"])
    def correct(self, request: Request, pk: str) -> Response:
        data = read_input(CorrectInput, request)
        return self._decided(
            pk, lambda f: flag_correct(flag_id=f, editor=request.user, **data), field="value"
        )

    @extend_schema(request=MergeInput, responses=_DECISION_RESPONSES)
    @action(detail=True, methods=["post"])
    def merge(self, request: Request, pk: str) -> Response:
        """Decide a possible duplicate: merge the other incident of the pair into `survivor`."""
        data = read_input(MergeInput, request)
        return self._decided(
            pk,
            lambda f: flag_merge(
                flag_id=f,
                survivor_id=data["survivor"],
                merged_id=data["merged"],
                editor=request.user,
                reason=data["reason"],
            ),
        )

    @extend_schema(request=NotDuplicateInput, responses=_DECISION_RESPONSES)
    @action(detail=True, methods=["post"], url_path="not-duplicate")
    def not_duplicate(self, request: Request, pk: str) -> Response:
        """Decide a possible duplicate: the two are different incidents."""
        data = read_input(NotDuplicateInput, request)
        return self._decided(
            pk, lambda f: flag_not_duplicate(flag_id=f, editor=request.user, **data)
        )

    @extend_schema(
        request=DecideManyInput,
        responses={
            200: DecideManyOutput,
            400: ErrorOutput,
            409: ErrorOutput,
            **REFUSED,
        },
    )
    @action(detail=False, methods=["post"], url_path="decide-many")
    def decide_many(self, request: Request) -> Response:
        """Accept or reject many wording-only flags at once, all or none; anything riskier is
        refused (decide it one by one)."""
        data = read_input(DecideManyInput, request)
        outcome = call_service(
            lambda: flag_decide_many(
                flag_ids=data["flags"],
                decision=data["decision"],
                editor=request.user,
                reason=data["reason"],
            ),
            default_field="flags",
            conflict_when=lambda: (
                ReviewFlag.objects.filter(id__in=data["flags"])
                .exclude(status=ReviewFlag.Status.OPEN)
                .exists()
            ),
        )
        if isinstance(outcome, Response):
            return outcome
        return Response(DecideManyOutput({"decided": outcome}).data)

    def _flag(self, pk: str) -> ReviewFlag:
        flag = flag_get(flag_id=uuid_or_404(pk))
        if flag is None:
            raise Http404
        return flag

    def _decided(self, pk: str, decide: Any, *, field: str | None = None) -> Response:
        flag = self._flag(pk)
        outcome = call_service(
            lambda: decide(flag.id),
            default_field=field,
            conflict_when=lambda: flag.status != ReviewFlag.Status.OPEN,
        )
        if isinstance(outcome, Response):
            return outcome
        return Response(FlagOutput(self._flag(pk)).data)

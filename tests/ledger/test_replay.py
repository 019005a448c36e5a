"""Replay determinism: whatever commands ran, replaying the log gives exactly the live rows."""

from __future__ import annotations

import uuid

import pytest
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from actors.services import ActorCommandError, actor_alias_add, actor_merge, actor_register
from incidents.review.curation import (
    CurationError,
    incident_correct_field,
    incident_keep,
    incident_lock_field,
    incident_unlock_field,
)
from incidents.review.decisions import flag_accept, flag_correct, flag_reject
from incidents.review.services import flag_raise
from incidents.services import (
    IncidentCommandError,
    IncidentFields,
    claim_assert,
    claim_rank,
    incident_drop,
    incident_merge,
    incident_record,
    incident_retract,
    incident_revise,
)
from ledger import projection
from ledger.errors import InvalidEventPayload
from ledger.store import Cause
from ledger.wiring import projections

pytestmark = pytest.mark.django_db
CAUSE = Cause(who="user:hypothesis")

small = st.integers(min_value=0, max_value=60)
pick = st.integers(min_value=0, max_value=1000)
command = st.one_of(
    st.tuples(
        st.just("record"), st.text(max_size=20), st.sampled_from(["day", "range", "unknown"])
    ),
    st.tuples(st.just("revise"), pick, st.text(max_size=20)),
    st.tuples(st.just("drop"), pick),
    st.tuples(st.just("retract"), pick),
    st.tuples(st.just("merge"), pick, pick),
    st.tuples(
        st.just("claim"), pick, st.sampled_from(["killed", "wounded", "kidnapped"]), small, small
    ),
    st.tuples(st.just("rank"), pick, st.sampled_from(["preferred", "normal", "deprecated"])),
    st.tuples(st.just("actor"), st.text(min_size=1, max_size=12)),
    st.tuples(st.just("alias"), pick, st.text(min_size=1, max_size=12)),
    st.tuples(st.just("actor_merge"), pick, pick),
    # Editorial review: flags raised as ingestion raises them, decided, and curation.
    st.tuples(
        st.just("flag"), pick, st.sampled_from(["text", "killed", None]), st.booleans(), small
    ),
    st.tuples(st.just("accept"), pick),
    st.tuples(st.just("reject"), pick),
    st.tuples(st.just("correct"), pick, small),
    st.tuples(st.just("correct_field"), pick, st.sampled_from(["text", "killed"]), small),
    st.tuples(st.just("lock"), pick, st.sampled_from(["text", "killed", "date"])),
    st.tuples(st.just("unlock"), pick, st.sampled_from(["text", "killed", "date"])),
    st.tuples(st.just("keep"), pick),
)


def _editor():  # type: ignore[no-untyped-def]
    from django.contrib.auth.models import User

    from common.roles import EDITORS, roles_ensure

    user, _ = User.objects.get_or_create(username="replay-editor")
    user.groups.add(roles_ensure()[EDITORS])
    return user


def _flag(target: uuid.UUID, field: str | None, held: bool, n: int) -> uuid.UUID:
    if field is None:
        return flag_raise(cause=CAUSE, kind="new_incident", report="r", incident_id=target)
    detail: dict = {"held": held}
    if field == "text":
        detail |= {"before_fields": {"text": "before"}, "after_fields": {"text": f"after {n}"}}
    else:
        claim = {"property": "killed", "claimant": "report", "value_min": n, "value_max": n}
        detail |= {"before_claims": [], "after_claims": [claim]}
    return flag_raise(
        cause=CAUSE,
        kind="revised",
        report="r",
        incident_id=target,
        field=field,
        before=None,
        after=n,
        edition_id=1,
        detail=detail,
    )


def _run(commands: list[tuple]) -> None:
    incidents: list[uuid.UUID] = []
    claims: list[uuid.UUID] = []
    actors: list[uuid.UUID] = []
    flags: list[uuid.UUID] = []
    editor = _editor()

    def nth(items: list[uuid.UUID], i: int) -> uuid.UUID | None:
        return items[i % len(items)] if items else None

    for name, *args in commands:
        try:
            if name == "record":
                incidents.append(
                    incident_record(
                        report="r",
                        cause=CAUSE,
                        fields=IncidentFields(text=args[0], date_precision=args[1]),
                    )
                )
            elif name == "claim" and (target := nth(incidents, args[0])):
                claims.append(
                    claim_assert(
                        incident_id=target,
                        property=args[1],
                        claimant="report",
                        value_min=min(args[2:]),
                        value_max=max(args[2:]),
                        cause=CAUSE,
                    )
                )
            elif name == "rank" and (claim := nth(claims, args[0])):
                claim_rank(claim_id=claim, rank=args[1], reason="because", cause=CAUSE)
            elif name == "revise" and (target := nth(incidents, args[0])):
                incident_revise(incident_id=target, changes={"text": args[1]}, cause=CAUSE)
            elif name == "drop" and (target := nth(incidents, args[0])):
                incident_drop(incident_id=target, cause=CAUSE)
            elif name == "retract" and (target := nth(incidents, args[0])):
                incident_retract(incident_id=target, reason="wrong", cause=CAUSE)
            elif name == "merge" and incidents:
                incident_merge(
                    loser_id=nth(incidents, args[0]),
                    survivor_id=nth(incidents, args[1]),
                    cause=CAUSE,
                )
            elif name == "actor":
                actors.append(actor_register(name=args[0], kind="militia", cause=CAUSE))
            elif name == "alias" and (actor := nth(actors, args[0])):
                actor_alias_add(actor_id=actor, alias=args[1], cause=CAUSE)
            elif name == "actor_merge" and actors:
                actor_merge(
                    loser_id=nth(actors, args[0]), survivor_id=nth(actors, args[1]), cause=CAUSE
                )
            elif name == "flag" and (target := nth(incidents, args[0])):
                flags.append(_flag(target, *args[1:]))
            elif name in ("accept", "reject", "correct") and (flag := nth(flags, args[0])):
                if name == "accept":
                    flag_accept(flag_id=flag, editor=editor, reason="ok")
                elif name == "reject":
                    flag_reject(flag_id=flag, editor=editor, reason="no")
                else:
                    flag_correct(flag_id=flag, editor=editor, reason="fix", value=args[1])
            elif name == "correct_field" and (target := nth(incidents, args[0])):
                value = f"text {args[2]}" if args[1] == "text" else args[2]
                incident_correct_field(
                    incident_id=target, field=args[1], value=value, reason="fix", editor=editor
                )
            elif name in ("lock", "unlock") and (target := nth(incidents, args[0])):
                use = incident_lock_field if name == "lock" else incident_unlock_field
                use(incident_id=target, field=args[1], reason="hold", editor=editor)
            elif name == "keep" and (target := nth(incidents, args[0])):
                incident_keep(incident_id=target, reason="keep", editor=editor)
        except (IncidentCommandError, ActorCommandError, InvalidEventPayload, CurationError):
            pass  # refused commands are part of the exercise: they must write nothing


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(command, max_size=30))
def test_random_command_sequences_replay_to_identical_read_models(commands):
    _run(commands)
    assert projection.verify(projections()) == []


def test_rebuild_projections_verify_exits_zero_after_commands_and_nonzero_after_tampering():
    _run(
        [
            ("record", "a", "day"),
            ("claim", 0, "killed", 3, 5),
            ("record", "b", "unknown"),
            ("merge", 1, 0),
            ("actor", "Somebody"),
        ]
    )
    call_command("rebuild_projections", "--verify", "--no-progress")
    from incidents.models import Incident

    # A write that bypasses the services, as a bug would: verify must notice it.
    Incident.objects.update(text="tampered")
    with pytest.raises(Exception, match="differ"):
        call_command("rebuild_projections", "--verify", "--no-progress")
    call_command("rebuild_projections", "--no-progress")
    call_command("rebuild_projections", "--verify", "--no-progress")

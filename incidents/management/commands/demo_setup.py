"""demo_setup: what `make run` needs on a fresh machine — roles, a demo editor, sample incidents.

Runs once per database: the sample incidents carry idempotency keys, the account is created
only when no user exists.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from actors.selectors import actor_find
from incidents.roles import EDITORS, roles_ensure
from incidents.services import IncidentFields, claim_assert, incident_record
from ledger.store import Cause

SAMPLES = Path(settings.BASE_DIR) / "samples" / "demo_incidents.json"
DEMO_USER, DEMO_PASSWORD = "editor", "editor-demo"


class Command(BaseCommand):
    help = "Create roles, a demo editor account and the sample incidents, once."

    def handle(self, *args: Any, **options: Any) -> None:
        groups = roles_ensure()
        user_model = get_user_model()
        if not user_model.objects.exists():
            user = user_model.objects.create_user(DEMO_USER, password=DEMO_PASSWORD, is_staff=True)
            user.groups.add(groups[EDITORS])
            self.stdout.write(f"Created the demo editor: log in as {DEMO_USER} / {DEMO_PASSWORD}")
        cause = Cause(who="system:demo", why="Sample incidents for make run")
        with transaction.atomic():
            for i, sample in enumerate(json.loads(SAMPLES.read_text())):
                self._record(i, sample, cause)
        self.stdout.write("Sample incidents are in the ledger.")

    def _record(self, i: int, sample: dict[str, Any], cause: Cause) -> None:
        claims = sample.pop("claims", [])
        for perpetrator in sample.get("perpetrators", []):
            actor = actor_find(name=perpetrator["name"])
            perpetrator["actor_id"] = str(actor.id) if actor else None
        incident = incident_record(
            report="demo",
            fields=IncidentFields(**sample),
            cause=cause,
            idempotency_key=f"demo:incident:{i}",
        )
        for j, claim in enumerate(claims):
            claim_assert(
                incident_id=incident, cause=cause, idempotency_key=f"demo:claim:{i}:{j}", **claim
            )

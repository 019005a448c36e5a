"""demo_setup: what `make run` needs on a fresh machine — roles, a demo editor, sample editions.

Runs the bundled sample editions (samples/editions/, our own text) through the real ingestion
pipeline, oldest first, so the review queue has new, revised and dropped incidents to show.
Idempotent: identical bytes are `unchanged`, and the account is created only when no user exists.
Refused under DJANGO_ENV=production: a known password and sample incidents have no place there.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from common.roles import EDITORS, roles_ensure
from ingestion.services import ingest

SAMPLES = Path(settings.BASE_DIR) / "samples" / "editions"
DEMO_USER, DEMO_PASSWORD = "editor", "editor-demo"


class Command(BaseCommand):
    help = "Create roles, a demo editor account and ingest the sample editions, once."

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError(
                "demo_setup is for development only: under DJANGO_ENV=production it would open "
                "a demo account with a published password and mix sample incidents into the "
                "ledger. Create real accounts with `manage.py createsuperuser` and give them a "
                "role (viewers, editors, operators) in the admin."
            )
        groups = roles_ensure()
        user_model = get_user_model()
        if not user_model.objects.exists():
            user = user_model.objects.create_user(DEMO_USER, password=DEMO_PASSWORD, is_staff=True)
            user.groups.add(groups[EDITORS])
            self.stdout.write(f"Created the demo editor: log in as {DEMO_USER} / {DEMO_PASSWORD}")
        for path in sorted(SAMPLES.glob("*.txt")):
            # One series per country: mali_2024a.txt and mali_2024b.txt are editions of the
            # "mali-sample" report, niger_2024.txt the first of "niger-sample".
            series = path.stem.rsplit("_", 1)[0].replace("_", "-")
            # Our own sample files, outside the source roots a deployment confines sources to.
            summary = ingest(path, f"{series}-sample", trigger="demo", confine=False)
            counts = summary.counts
            self.stdout.write(
                f"{path.name}: {summary.status} — {counts['new']} new, "
                f"{counts['revised']} revised, {counts['dropped']} dropped, "
                f"{counts['unchanged']} unchanged"
            )

"""ingest_report SOURCE --report SLUG: ingest one edition now, through the same path as the task.

SOURCE is a file path or an https URL. Prints the ingest summary; exits 0 for ingested or
unchanged, 1 for failed (the failure is recorded with its reason).
"""

from __future__ import annotations

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from ingestion.services import ingest


class Command(BaseCommand):
    help = "Ingest one edition of a report synchronously and print its summary."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("source", help="A file path or an https URL.")
        parser.add_argument("--report", required=True, help="Report series slug, e.g. mali.")
        parser.add_argument("--format", choices=["json", "text"], default="json")

    def handle(self, *args: Any, source: str, report: str, format: str, **options: Any) -> None:
        # An operator's own path at a shell: any folder, but a regular file within the limit.
        summary = ingest(source, report, trigger="command", confine=False)
        if format == "json":
            self.stdout.write(json.dumps(summary.to_dict(), indent=2, ensure_ascii=False))
        else:
            counts = summary.counts
            self.stdout.write(
                f"{summary.status}: edition {summary.edition} of {summary.report} — "
                f"{counts['new']} new, {counts['revised']} revised, {counts['dropped']} dropped, "
                f"{counts['unchanged']} unchanged; flags {summary.flags}"
            )
        if summary.failed:
            sys.stderr.write(f"Ingestion failed: {summary.error}\n")
            raise CommandError("ingestion failed", returncode=1)

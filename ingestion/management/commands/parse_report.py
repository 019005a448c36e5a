"""`manage.py parse_report FILE... --format json|jsonl`: print what the parser reads.

Thin: it loads the actor registry and the place table, calls the pure parser, and prints
contract documents (contracts/parse-report.schema.json). Writes nothing.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ingestion.parsing import ParseError, parse_edition, to_contract
from ingestion.reference import parser_reference


class Command(BaseCommand):
    help = "Parse report editions (text, PDF or HTML) and print the parse-report contract."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument("--format", choices=("json", "jsonl"), default="json")

    def handle(self, *args: Any, **options: Any) -> None:
        lexicon, gazetteer = parser_reference()
        documents: list[dict[str, Any]] = []
        failures: list[str] = []
        for name in options["files"]:
            try:
                data = Path(name).read_bytes()
                document = to_contract(parse_edition(data, lexicon=lexicon, gazetteer=gazetteer))
            except OSError as exc:
                failures.append(f"{name}: cannot read the file: {exc.strerror or exc}")
                self.stderr.write(failures[-1])
                continue
            except ParseError as exc:
                failures.append(f"{name}: {exc.reason}")
                self.stderr.write(failures[-1])
                continue
            if options["format"] == "jsonl":
                self.stdout.write(json.dumps(document, ensure_ascii=False))
            else:
                documents.append(document)
        if options["format"] == "json" and documents:
            payload: Any = documents[0] if len(options["files"]) == 1 else documents
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
        if failures:
            raise CommandError(
                f"{len(failures)} of {len(options['files'])} file(s) could not be parsed"
            )

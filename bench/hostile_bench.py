"""Hostile editions (issue 14): what one edition built to be expensive costs to ingest.

Three shapes, each at about 1, 5 and 20 MB (`--quick`: 24 KB and 1 MB):
- `same_place`: thousands of timeline entries at one place on one date (possible duplicates);
- `pdf_pages`: a PDF of one short entry a page, so tens of thousands of pages;
- `nested_html`: list items nested inside each other, tens of thousands deep.

Each edition is ingested in a child process with a deadline (`--deadline`, 240 s), so one that
never finishes is reported as such instead of holding the run; its numbers are the wall time,
the status and reason, and the possible-duplicate flags and events it wrote.

    make bench ARGS="--only hostile"
    DATABASE_URL=postgres://.../x_bench python -m bench.hostile_bench   # alone (drops x_bench)
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
MB = 1024 * 1024
SHAPES = ("same_place", "pdf_pages", "nested_html")
HEAD = (
    "Mali: Extremism and Terrorism\n\nArmed groups keep attacking villages in central Mali.\n\n"
    "Major Extremist and Terrorist Incidents\n\n"
)


_WORDS = ("north", "south", "east", "west", "old", "new", "main", "small")


def _entry(n: int) -> str:
    # Two tellings taking turns: the parser drops a line much like the one before it as an
    # extraction repeat, so neighbours differ, and every other entry is a possible duplicate.
    tag = " ".join(_WORDS[(n >> (3 * d)) & 7] for d in range(4))
    if n % 2:
        body = (
            f"Suspected jihadists raid the {tag} livestock fair at Kati overnight and leave "
            f"{n % 90 + 2} herders dead, residents say."
        )
    else:
        body = (
            f"Gunmen attack the {tag} market in Kati, killing {n % 70 + 3} civilians and "
            f"wounding {n % 17 + 1} others."
        )
    return f"- June 3, 2024: {body} Sources: Sahel Wire"


def same_place(size: int) -> bytes:
    lines, total, n = [], len(HEAD), 0
    while total < size:
        line = _entry(n)
        lines.append(line)
        total += len(line) + 1
        n += 1
    return (HEAD + "\n".join(lines) + "\n").encode()


def pdf_pages(size: int) -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_font("Helvetica", size=10)
    pdf.set_compression(False)  # ~450 bytes a page: the page count, not the text, is the cost
    pdf.add_page()
    for line in HEAD.strip().split("\n"):
        pdf.cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
    n = 0
    per_page = 440
    while (n + 1) * per_page < size:
        pdf.add_page()
        pdf.cell(0, 6, _entry(n)[:90], new_x="LMARGIN", new_y="NEXT")
        n += 1
    return bytes(pdf.output())


def nested_html(size: int) -> bytes:
    head = "<html><head><title>Mali</title></head><body><h1>Mali: Extremism and Terrorism</h1>"
    head += "<h2>Major Extremist and Terrorist Incidents</h2>"
    unit = "<ul><li>June 3, 2024: Gunmen attack Kati."
    depth = max(1, (size - len(head)) // (len(unit) + len("</li></ul>")))
    return (head + unit * depth + "</li></ul>" * depth + "</body></html>").encode()


def _one(shape: str, size: int) -> dict[str, Any]:
    """Ingest one hostile edition into an empty ledger (in this process); its numbers."""
    import django

    django.setup()
    from bench.ingest_bench import _clear_ledger
    from ingestion.fetching import Fetched
    from ingestion.models import IngestRun
    from ingestion.services import ingest_fetched, warm_up
    from ledger.models import StoredEvent

    data = {"same_place": same_place, "pdf_pages": pdf_pages, "nested_html": nested_html}[shape](
        size
    )
    _clear_ledger()
    warm_up()
    before = StoredEvent.objects.count()
    started = time.perf_counter()
    summary = ingest_fetched(
        report_slug="hostile", fetched=Fetched(data, f"{shape}-{size}"), trigger="bench"
    )
    seconds = time.perf_counter() - started
    run = IngestRun.objects.order_by("-id").first()
    return {
        "bytes": len(data),
        "seconds": round(seconds, 2),
        "status": summary["status"],
        "reason": (summary.get("error") or "")[:160],
        "warnings": (run.summary or {}).get("warnings", []) if run else [],
        "flags": StoredEvent.objects.filter(
            type="ReviewFlagRaised", data__kind="possible_duplicate"
        ).count(),
        "events": StoredEvent.objects.count() - before,
    }


def run(*, quick: bool = False, progress: bool = True, deadline: float = 240.0) -> dict[str, Any]:
    sizes = (24 * 1024, 1 * MB) if quick else (1 * MB, 5 * MB, 20 * MB)
    results: dict[str, Any] = {}
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "PYTHONPATH": str(ROOT)}
    for shape in SHAPES:
        for size in sizes:
            label = f"{shape}_{size // 1024}KB"
            started = time.perf_counter()
            try:
                done = subprocess.run(
                    [sys.executable, "-m", "bench.hostile_bench", "--one", shape, str(size)],
                    cwd=ROOT,
                    env=env,
                    capture_output=True,
                    timeout=deadline,
                    text=True,
                )
                lines = done.stdout.strip().splitlines()
                result = (
                    json.loads(lines[-1])
                    if done.returncode == 0 and lines
                    else {"status": "crashed", "reason": done.stderr.strip()[-300:]}
                )
            except subprocess.TimeoutExpired:
                result = {
                    "status": f"not finished in {deadline:.0f} s (killed)",
                    "seconds": round(time.perf_counter() - started, 1),
                }
            results[label] = result
            if progress:
                print(f"  hostile {label}: {json.dumps(result)}", flush=True)
    return results


def main(argv: list[str]) -> int:
    if argv[:1] == ["--one"]:
        print(json.dumps(_one(argv[1], int(argv[2]))))
        return 0
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DJANGO_DEBUG", "0")
    from bench.run import _prepare_database

    _prepare_database(os.environ["DATABASE_URL"])
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    deadline = float(argv[argv.index("--deadline") + 1]) if "--deadline" in argv else 240.0
    results = run(quick="--quick" in argv, deadline=deadline)
    out = ROOT / "var" / "bench" / "hostile.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""`make bench`: the benchmarks on a fresh PostgreSQL database; numbers to var/bench/results.json.

    make bench                         # everything, full counts (a few minutes)
    make bench ARGS="--quick"          # small counts: a smoke run
    make bench ARGS="--only ledger"    # one module (ledger | parse | ingest | api | hostile)
    make bench ARGS="--profile"        # also write cProfile reports to var/bench/
    make bench ARGS="--scale 1000000"  # a million incidents (api), 1.6 M events replayed (ledger)

DATABASE_URL defaults to postgres://postgres@127.0.0.1:5432/incident_ledger_bench. That database
is dropped and created again for a clean run, so a DATABASE_URL naming a database without "bench"
in its name is refused rather than wiped.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import platform
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/incident_ledger_bench"
MODULES = ("ledger", "parse", "ingest", "api", "hostile")


def _fail(message: str, code: int = 2) -> None:
    print(f"make bench: {message}", file=sys.stderr)
    sys.exit(code)


def _parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="make bench", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--only", action="append", choices=MODULES, metavar="NAME",
        help=f"run only this benchmark module ({' | '.join(MODULES)}); may be repeated",
    )  # fmt: skip
    parser.add_argument("--quick", action="store_true", help="small counts, for a smoke test")
    parser.add_argument("--no-progress", action="store_true", help="hide the progress bars")
    parser.add_argument("--profile", action="store_true", help="cProfile the ledger and parse runs")
    parser.add_argument(
        "--scale",
        type=int,
        metavar="N",
        help="N incidents for the api module, and a ledger of 1.6 N events to replay",
    )
    parser.add_argument(
        "--output", type=Path, default=ROOT / "var" / "bench" / "results.json", help="JSON file"
    )
    return parser.parse_args(argv)


def _prepare_database(url: str) -> dict[str, Any]:
    """Check PostgreSQL answers, then drop and create the benchmark database."""
    import dj_database_url
    import psycopg
    from psycopg import sql

    db = dj_database_url.parse(url)
    if db["ENGINE"] != "django.db.backends.postgresql":
        _fail(f"the benchmarks need PostgreSQL; DATABASE_URL is {url!r}.")
    name = db["NAME"]
    if "bench" not in name:
        _fail(
            f"refusing to drop and recreate database {name!r}: a benchmark database must have "
            "'bench' in its name. Unset DATABASE_URL to use incident_ledger_bench."
        )
    params: dict[str, Any] = {
        "dbname": "postgres",
        "host": db.get("HOST") or "127.0.0.1",
        "port": int(db.get("PORT") or 5432),
        "user": db.get("USER") or "postgres",
        "password": db.get("PASSWORD") or "",
    }
    try:
        with psycopg.connect(**params, autocommit=True, connect_timeout=5) as conn:
            version = conn.execute("SHOW server_version").fetchone()
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    except psycopg.OperationalError as exc:
        _fail(
            f"PostgreSQL does not answer at {params['host']}:{params['port']} as "
            f"{params['user']!r}: {str(exc).strip()}\n"
            "Start PostgreSQL (or set DATABASE_URL=postgres://.../<name>_bench) and run again."
        )
    return {
        "name": name,
        "host": params["host"],
        "port": params["port"],
        "server": version[0] if version else None,
    }


# --- the table on stdout --------------------------------------------------------------------


def _format_number(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:,.1f}" if abs(value) >= 100 else f"{value:,.3f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def _benchmark_table(benchmarks: list[dict[str, Any]]) -> list[str]:
    header = ("benchmark", "events", "txns", "seconds", "events/s", "target", "")
    rows = [header]
    for b in benchmarks:
        target = b.get("target_events_per_s")
        status = ""
        if target is not None:
            status = "ok" if b.get("met") else "MISSED"
        if b.get("differences"):
            status = f"{b['differences']} DIFFERENCES"
        rows.append(
            (
                b["name"],
                _format_number(b["events"]),
                _format_number(b["transactions"]),
                f"{b['seconds']:.2f}",
                f"{b['events_per_s']:,.0f}",
                f">= {target:,}" if target is not None else "",
                status,
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = []
    for n, row in enumerate(rows):
        cells = [row[0].ljust(widths[0])] + [
            c.rjust(w) for c, w in zip(row[1:], widths[1:], strict=True)
        ]
        lines.append("  ".join(cells).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return lines


def _leaves(value: Any, prefix: str = "") -> list[tuple[str, Any]]:
    if isinstance(value, dict):
        out: list[tuple[str, Any]] = []
        for key, item in value.items():
            out += _leaves(item, f"{prefix}.{key}" if prefix else str(key))
        return out
    if isinstance(value, int | float | str | bool) or value is None:
        return [(prefix, value)]
    return [
        (prefix, f"{type(value).__name__} of {len(value)}" if hasattr(value, "__len__") else value)
    ]


def render(results: dict[str, Any]) -> str:
    lines: list[str] = []
    for module, result in results["results"].items():
        lines.append(f"\n== {module} ==")
        if not isinstance(result, dict):
            lines.append(f"  {result}")
            continue
        rest = dict(result)
        if isinstance(rest.get("benchmarks"), list):
            lines += ["  " + line for line in _benchmark_table(rest.pop("benchmarks"))]
        ratios = rest.pop("ratios_ours_over_eventsourcing", None)
        if ratios:
            lines.append("  ours / eventsourcing (events/s):")
            lines += [f"    {label:<24} {ratio:.2f}x" for label, ratio in ratios.items()]
        floors = rest.pop("ratios_ours_over_floor", None)
        if floors:
            lines.append("  ours / the database's floor (events/s; bench/ledger_floors.py):")
            lines += [f"    {label:<24} {ratio:.2f}x" for label, ratio in floors.items()]
        for note in rest.pop("notes", []) or []:
            lines.append(f"  note: {note}")
        rest.pop("counts", None)
        for key, value in _leaves(rest):
            lines.append(f"  {key}: {_format_number(value)}")
    return "\n".join(lines)


# --- main -----------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    args = _parse_args(argv)
    progress = not args.no_progress
    selected = args.only or list(MODULES)

    # Run as a script, sys.path[0] is bench/; the project root must come first instead.
    if sys.path and Path(sys.path[0]).resolve() == ROOT / "bench":
        sys.path[0] = str(ROOT)
    elif str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ.setdefault("DATABASE_URL", DEFAULT_DATABASE_URL)
    os.environ.setdefault("DJANGO_DEBUG", "0")  # DEBUG would keep every query in memory
    database = _prepare_database(os.environ["DATABASE_URL"])

    import django
    from django.core.management import call_command

    django.setup()
    # fpdf2's font subsetting logs every table at INFO; the numbers are what matters here.
    logging.getLogger("fontTools").setLevel(logging.WARNING)
    started, load_before = time.perf_counter(), os.getloadavg()
    where = f"{database['name']} on {database['host']}:{database['port']}"
    counts = "quick" if args.quick else "full"
    if args.scale:
        counts += f", scale {args.scale:,}"
    print(f"make bench: database {where} (PostgreSQL {database['server']}), {counts} counts")
    call_command("migrate", verbosity=0, interactive=False)

    results: dict[str, Any] = {}
    if "ledger" in selected:
        from bench import ledger_bench

        profile_dir = args.output.parent if args.profile else None
        results["ledger"] = ledger_bench.run(
            quick=args.quick, progress=progress, profile_dir=profile_dir, scale=args.scale
        )
    if "parse" in selected:
        from bench import parse_bench

        results["parse"] = parse_bench.run(
            quick=args.quick,
            progress=progress,
            profile_dir=args.output.parent if args.profile else None,
        )
    if "ingest" in selected:
        from bench import ingest_bench

        results["ingest"] = ingest_bench.run(quick=args.quick, progress=progress)
    if "api" in selected:
        from bench import api_bench

        if args.scale:
            results["api"] = api_bench.run(quick=args.quick, progress=progress, n=args.scale)
        else:
            results["api"] = api_bench.run(quick=args.quick, progress=progress)
    if "hostile" in selected:
        from bench import hostile_bench

        results["hostile"] = hostile_bench.run(quick=args.quick, progress=progress)

    report = {
        "meta": {
            "finished_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "seconds": round(time.perf_counter() - started, 1),
            "quick": args.quick,
            "database": database,
            "python": platform.python_version(),
            "machine": platform.machine(),
            "cpus": os.cpu_count(),
            "load_average_before": [round(x, 2) for x in load_before],
            "load_average_after": [round(x, 2) for x in os.getloadavg()],
        },
        "results": results,
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2, default=str) + "\n")
    print(render(report))
    print(f"\nmake bench: {report['meta']['seconds']}s; results in {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""`make run`: the whole product in one foreground command, on SQLite and the filesystem broker
unless DATABASE_URL / CELERY_BROKER_URL say otherwise.

Migrates, creates the demo editor and sample data once, then runs the web server, a Celery
worker and Celery beat as child processes. Ctrl-C (or SIGTERM) stops all three and waits for them.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
HOST = os.environ.get("LEDGER_HOST", "127.0.0.1:8000")


def manage(*args: str) -> None:
    subprocess.run([PY, "manage.py", *args], cwd=ROOT, check=True)


def main() -> int:
    if os.environ.get("DJANGO_ENV") == "production":
        # demo_setup would refuse anyway; say why before migrating anything.
        print(
            "make run is the development set-up (a demo account, sample editions, runserver); "
            "under DJANGO_ENV=production run migrate, a WSGI server, workers and beat instead "
            "(README: Running it for real).",
            file=sys.stderr,
        )
        return 2
    manage("migrate", "--noinput", "-v", "0")
    manage("demo_setup")
    children = {
        "web": [PY, "manage.py", "runserver", HOST, "--noreload"],
        "worker": [
            PY,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "-l",
            "info",
            "--pool",
            "solo",
            "--without-mingle",
            "--without-gossip",
        ],
        "beat": [
            PY,
            "-m",
            "celery",
            "-A",
            "config",
            "beat",
            "-l",
            "info",
            "--schedule",
            str(ROOT / "var" / "celerybeat-schedule"),
        ],
    }
    procs = {
        name: subprocess.Popen(cmd, cwd=ROOT, start_new_session=True)
        for name, cmd in children.items()
    }
    print(
        f"\nIncident Ledger is running:\n"
        f"  admin  http://{HOST}/admin/  (demo editor: editor / editor-demo)\n"
        f"  API    http://{HOST}/api/v1/  (schema: /api/v1/schema/, docs: /api/v1/docs/)\n"
        f"  health http://{HOST}/healthz\nPress Ctrl-C to stop web, worker and beat.\n",
        flush=True,
    )
    stopping = False

    def stop(signum: int, frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    exit_code = 0
    while not stopping:
        for name, proc in procs.items():
            if proc.poll() is not None:
                print(
                    f"{name} exited with {proc.returncode}; stopping the others.", file=sys.stderr
                )
                stopping, exit_code = True, 1
        time.sleep(0.3)
    for proc in procs.values():
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + 15
    for proc in procs.values():
        try:
            proc.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            proc.kill()
    print("Stopped web, worker and beat.")
    return exit_code


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env bash
# `make test`: the whole suite. Uses PostgreSQL and Redis when DATABASE_URL / CELERY_BROKER_URL
# say so, or when they answer on localhost; otherwise SQLite and the filesystem broker, and the
# tests that need the real services are skipped loudly (under CI=true they fail instead).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python

answers() { "$PY" -c "import socket,sys; socket.create_connection(('127.0.0.1', $1), 1)" 2>/dev/null; }

if [ -z "${DATABASE_URL:-}" ] && answers 5432; then
  export DATABASE_URL="postgres://postgres@127.0.0.1:5432/incident_ledger"
fi
if [ -z "${CELERY_BROKER_URL:-}" ] && answers 6379; then
  export CELERY_BROKER_URL="redis://127.0.0.1:6379/15"
fi
echo "make test: database ${DATABASE_URL:-sqlite (var/)}, broker ${CELERY_BROKER_URL:-filesystem (var/broker)}"
exec "$PY" -m pytest "$@"

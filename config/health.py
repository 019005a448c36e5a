"""GET /healthz: 200 when the database and the broker answer, 503 when either does not.

Anyone (a load balancer) learns only the overall status; error text names hosts, drivers and
versions, so which component failed and why is for operators (staff, superusers or the
operators group) and the log.
"""

from __future__ import annotations

import structlog
from django.conf import settings
from django.db import connection
from django.http import HttpRequest, JsonResponse
from kombu import Connection

from common.roles import can_see_health

log = structlog.get_logger(__name__)


def _database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return "ok"


def _broker() -> str:
    with Connection(
        settings.CELERY_BROKER_URL,
        transport_options=settings.CELERY_BROKER_TRANSPORT_OPTIONS,
        connect_timeout=2,
    ) as conn:
        conn.ensure_connection(max_retries=1, timeout=2)
    return "ok"


def _is_operator(request: HttpRequest) -> bool:
    # The session and the groups live in the database: when it is down the caller is anonymous
    # here, and the answer stays a 503, not a 500.
    try:
        return can_see_health(request.user)
    except Exception:
        return False


def healthz(request: HttpRequest) -> JsonResponse:
    checks: dict[str, str] = {}
    for name, check in (("database", _database), ("broker", _broker)):
        try:
            checks[name] = check()
        except Exception as exc:  # any failure is the answer we report, not a crash
            checks[name] = f"error: {type(exc).__name__}: {exc}"
            log.warning("healthz.failed", component=name, error=checks[name])
    healthy = all(v == "ok" for v in checks.values())
    body = {"status": "ok" if healthy else "unhealthy"}
    if _is_operator(request):
        body |= checks
    return JsonResponse(body, status=200 if healthy else 503)

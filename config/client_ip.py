"""The client's address for the login limit: the peer, or behind a proxy the one it reports.

Only the right-most X-Forwarded-For entry is the proxy's own word; entries to its left are
whatever the client sent, so trusting them would let an attacker pick a fresh address per try.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    if getattr(settings, "LEDGER_BEHIND_PROXY", False):
        last = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")[-1].strip()
        if last:
            return last
    return request.META.get("REMOTE_ADDR")

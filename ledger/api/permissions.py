"""Who may call the API.

The read policy (README, "Who may read"): reading needs a role — viewers, editors or operators
(or a superuser). An account without a role gets 403, an anonymous client 401, unless
LEDGER_API_ANONYMOUS_READ makes the instance a public mirror where anyone reads. Writes are for
editors and operators (the review and source endpoints narrow them further). The schema and its
docs describe the API, not the ledger, and stay public. Imports no view module: DRF loads this
class while rest_framework.views itself is being imported.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from rest_framework.permissions import SAFE_METHODS, BasePermission

from incidents.roles import EDITORS, OPERATORS, can_read

if TYPE_CHECKING:
    from rest_framework.request import Request
    from rest_framework.views import APIView


class LedgerAccess(BasePermission):
    """Reads: any role (or anyone on a public mirror); writes: editors and operators."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        user = request.user
        authenticated = bool(user and user.is_authenticated)
        if request.method in SAFE_METHODS:
            return can_read(user) or bool(getattr(settings, "LEDGER_API_ANONYMOUS_READ", False))
        if not authenticated:
            return False
        return user.is_superuser or user.groups.filter(name__in=(EDITORS, OPERATORS)).exists()

"""Who may call the API.

Reads are for authenticated users, or for anyone when LEDGER_API_ANONYMOUS_READ is on; writes
are for editors and operators (the review and source endpoints add them). Imports no view
module: DRF loads this class while rest_framework.views itself is being imported.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from rest_framework.permissions import SAFE_METHODS, BasePermission

from incidents.roles import EDITORS, OPERATORS

if TYPE_CHECKING:
    from rest_framework.request import Request
    from rest_framework.views import APIView


class LedgerAccess(BasePermission):
    """Reads: authenticated (or anonymous if configured); writes: editors and operators."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        user = request.user
        authenticated = bool(user and user.is_authenticated)
        if request.method in SAFE_METHODS:
            return authenticated or bool(getattr(settings, "LEDGER_API_ANONYMOUS_READ", False))
        if not authenticated:
            return False
        return user.is_superuser or user.groups.filter(name__in=(EDITORS, OPERATORS)).exists()

"""The editor, viewer and operator groups and what each may do in the admin and the API.

Viewers are the readers: every role reads the ledger, and an account with no role reads
nothing (ledger.api.permissions, README "Who may read"). The groups exist on every database:
`roles_ensure` runs after `migrate` (incidents.apps), not only in the demo set-up.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group, Permission
from django.http import HttpRequest, HttpResponse

EDITORS, VIEWERS, OPERATORS = "editors", "viewers", "operators"
_LEDGER_APPS = ("ledger", "incidents", "actors", "ingestion")


def roles_ensure() -> dict[str, Group]:
    """Create the groups if missing and give each at least view access to the ledger's models.

    Read models have no add/change/delete permission worth granting: the admin refuses those
    anyway, because every write goes through services.
    """
    view = Permission.objects.filter(
        content_type__app_label__in=_LEDGER_APPS, codename__startswith="view_"
    )
    groups = {}
    for name in (EDITORS, VIEWERS, OPERATORS):
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*view)
        groups[name] = group
    places = Permission.objects.filter(
        content_type__app_label="actors", codename__endswith="_place"
    )
    groups[EDITORS].permissions.add(*places)
    return groups


def can_curate(user: object) -> bool:
    """Editors (and superusers) decide flags, correct, lock, merge and retract; viewers and
    operators only read what editors decided."""
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return False
    if getattr(user, "is_superuser", False):
        return True
    return bool(user.groups.filter(name=EDITORS).exists())  # type: ignore[attr-defined]


def can_read(user: object) -> bool:
    """Viewers, editors, operators and superusers read the API, the review queue and the
    dashboard; an account with no role reads none of them."""
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return False
    if getattr(user, "is_superuser", False):
        return True
    names = (EDITORS, VIEWERS, OPERATORS)
    return bool(user.groups.filter(name__in=names).exists())  # type: ignore[attr-defined]


class CurationContextMixin:
    """Tells a read-only change form whether to show the curation buttons (editors only)."""

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        extra = {"can_curate": can_curate(request.user), **(extra_context or {})}
        return super().change_view(request, object_id, form_url, extra_context=extra)  # type: ignore[misc]

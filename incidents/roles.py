"""The editor, viewer and operator groups and what each may do in the admin and the API."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission

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

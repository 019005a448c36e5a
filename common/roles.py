"""The editor, viewer and operator groups, and every check of who may do what, in one place.

Viewers are the readers: every role reads the ledger, and an account with no role reads
nothing (README "Who may read"): the API answers it 403, an anonymous client 401, unless
LEDGER_API_ANONYMOUS_READ makes the instance a public mirror where anyone reads. Editors curate
(decide flags, correct, merge, edit places); operators run sources. The admin, the API, the
services and /healthz ask the functions below, never the groups directly, so a grep for a role
finds every rule about it.

The groups exist on every database: `roles_ensure` runs after `migrate` (incidents.apps), not
only in the demo set-up. Imports no view module: DRF loads the permission classes while
rest_framework.views itself is being imported.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from rest_framework.permissions import SAFE_METHODS, BasePermission

if TYPE_CHECKING:
    from django.contrib.auth.models import Group
    from rest_framework.request import Request

EDITORS, VIEWERS, OPERATORS = "editors", "viewers", "operators"
# App labels, not imports: the apps whose models every role may view.
_LEDGER_APPS = ("ledger", "incidents", "actors", "ingestion")


def roles_ensure() -> dict[str, Group]:
    """Create the groups if missing and give each at least view access to the ledger's models.

    Read models have no add/change/delete permission worth granting: the admin refuses those
    anyway, because every write goes through services. Editors also get the place table's
    permissions (`can_edit_places`).
    """
    from django.contrib.auth.models import Group, Permission  # needs the app registry

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


# --- who may do what ------------------------------------------------------------------------


def _active(user: object) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_active", False))


def _in_groups(user: object, *names: str) -> bool:
    """An active user who is a superuser or in one of the groups."""
    if not _active(user):
        return False
    if getattr(user, "is_superuser", False):
        return True
    return bool(user.groups.filter(name__in=names).exists())  # type: ignore[attr-defined]


def can_read(user: object) -> bool:
    """Viewers, editors, operators and superusers read the API, the review queue and the
    dashboard; an account with no role reads none of them."""
    return _in_groups(user, EDITORS, VIEWERS, OPERATORS)


def can_curate(user: object) -> bool:
    """Editors (and superusers) decide flags, correct, lock, merge and retract; viewers and
    operators only read what editors decided."""
    return _in_groups(user, EDITORS)


def can_write(user: object) -> bool:
    """Editors and operators may send writes to the API at all (each endpoint narrows it)."""
    return _in_groups(user, EDITORS, OPERATORS)


def can_read_sources(user: object) -> bool:
    """Sources are operational: operators and editors read them, viewers do not."""
    return _in_groups(user, EDITORS, OPERATORS)


def can_run_sources(user: object) -> bool:
    """Only operators register a source or ask for a check."""
    return _in_groups(user, OPERATORS)


def can_see_health(user: object) -> bool:
    """Which component of /healthz failed, and why, is for operators (and staff)."""
    if _active(user) and getattr(user, "is_staff", False):
        return True
    return _in_groups(user, OPERATORS)


def can_edit_places(user: object, *, change: bool = False) -> bool:
    """Editors (the group holds the place permissions) record places, and correct them with
    `change`; asked of Django's permissions so a superuser or a granted account qualifies."""
    needed = "actors.change_place" if change else "actors.add_place"
    return _active(user) and bool(user.has_perm(needed))  # type: ignore[attr-defined]


def can_upload_editions(user: object) -> bool:
    """Operators and editors upload an edition's file in the admin."""
    return _active(user) and bool(user.has_perm("ingestion.add_edition"))  # type: ignore[attr-defined]


# --- the API's permission classes -----------------------------------------------------------


class LedgerAccess(BasePermission):
    """Reads: any role (or anyone on a public mirror); writes: editors and operators."""

    def has_permission(self, request: Request, view: Any) -> bool:
        if request.method in SAFE_METHODS:
            public = bool(getattr(settings, "LEDGER_API_ANONYMOUS_READ", False))
            return can_read(request.user) or public
        return can_write(request.user)


class EditorsOnly(BasePermission):
    """The review queue is editors' work: viewers and operators get 403, anonymous 401."""

    def has_permission(self, request: Request, view: Any) -> bool:
        return can_curate(request.user)


class PlaceAccess(LedgerAccess):
    """Reads as every endpoint; writes only for users who may edit places (editors), so an
    operator is refused before its body is even read."""

    def has_permission(self, request: Request, view: Any) -> bool:
        if request.method in SAFE_METHODS:
            return super().has_permission(request, view)
        return can_edit_places(request.user, change=request.method != "POST")


class SourceAccess(BasePermission):
    """Reads: operators and editors; writes (register, check): operators. Viewers get 403,
    anonymous clients 401."""

    def has_permission(self, request: Request, view: Any) -> bool:
        if request.method in SAFE_METHODS:
            return can_read_sources(request.user)
        return can_run_sources(request.user)


# --- the admin --------------------------------------------------------------------------------


class CurationContextMixin:
    """Tells a read-only change form whether to show the curation buttons (editors only)."""

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        extra = {"can_curate": can_curate(request.user), **(extra_context or {})}
        return super().change_view(request, object_id, form_url, extra_context=extra)  # type: ignore[misc]


def curated_or_404[T](request: HttpRequest, fetch: Callable[[], T | None]) -> T:
    """What an editor's admin page is about: refused (403) before anything is read when the
    user does not curate, a 404 when `fetch` finds nothing."""
    if not can_curate(request.user):
        raise PermissionDenied
    found = fetch()
    if found is None:
        raise Http404
    return found

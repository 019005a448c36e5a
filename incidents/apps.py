from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate

_LEDGER_APPS = ("ledger", "actors", "incidents", "ingestion")


class IncidentsConfig(AppConfig):
    name = "incidents"

    def ready(self) -> None:
        # Like Django's own permission creation (and the actors' seeding), the roles must exist
        # on every database, production included, without the demo set-up. Each ledger app's
        # post_migrate comes after its permissions are made, so the last one grants them all.
        post_migrate.connect(_roles_after_migrate, dispatch_uid="common.roles_ensure")


def _roles_after_migrate(*, app_config: AppConfig, **kwargs: Any) -> None:
    if app_config.label not in _LEDGER_APPS:
        return
    from common.roles import roles_ensure

    roles_ensure()

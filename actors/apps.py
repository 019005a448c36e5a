from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ActorsConfig(AppConfig):
    name = "actors"

    def ready(self) -> None:
        # The one signal in the project, and not domain flow: like Django's own permission
        # creation, seeding must run after *all* migrations with today's models. A data migration
        # would run the projectors against an older schema.
        post_migrate.connect(_seed_after_migrate, sender=self)


def _seed_after_migrate(**kwargs: Any) -> None:
    from actors.seeding import actors_seed

    actors_seed()

"""Loads the explicit wiring module (settings.LEDGER_WIRING): event types, upcasters, projections,
reactions across apps and the implementations of ports.

The wiring module is plain lists, so `grep` finds every consumer of an event.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from importlib import import_module
from typing import TYPE_CHECKING, Any

from django.conf import settings

from ledger.events import EventRegistry

if TYPE_CHECKING:
    from ledger.projection import Projection


def _module():
    return import_module(getattr(settings, "LEDGER_WIRING", "config.wiring"))


@cache
def event_registry() -> EventRegistry:
    module = _module()
    registry = EventRegistry()
    registry.register(*module.EVENT_TYPES)
    for type_name, from_version, upcaster in getattr(module, "UPCASTERS", ()):
        registry.register_upcaster(type_name, from_version, upcaster)
    return registry


@cache
def projections() -> tuple[Projection, ...]:
    return tuple(_module().PROJECTIONS)


def reactions(name: str) -> tuple[Callable[..., Any], ...]:
    """Use cases a lower app runs inside its own transaction on behalf of an upper one, which
    it must not import (the wiring module's REACTIONS; an actor merge re-attributes incidents)."""
    return tuple(getattr(_module(), "REACTIONS", {}).get(name, ()))


def provided(name: str) -> Any:
    """What the wiring module provides under `name`: an upper app's implementation of a port
    a lower app declares (incidents.editions)."""
    return getattr(_module(), name)

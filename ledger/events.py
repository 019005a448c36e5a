"""Events as frozen, versioned value objects, and the registry that names and upcasts them.

An event class is a frozen dataclass whose fields are JSON values (str, int, float, bool, None,
lists and dicts of them). Its stored `type` is the class name; `schema_version` changes when its
fields do, and an upcaster turns stored data of an older version into the current shape on read.
Stored rows are never rewritten.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, ClassVar

from ledger.errors import UnknownEventType

Upcaster = Callable[[dict[str, Any]], dict[str, Any]]


@dataclass(frozen=True, kw_only=True)
class Event:
    """Base of every domain event; subclasses are named in the past tense."""

    schema_version: ClassVar[int] = 1

    @classmethod
    def type_name(cls) -> str:
        return cls.__name__

    def to_data(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


class EventRegistry:
    """Maps stored type names to event classes, and upcasts old payloads to current ones."""

    def __init__(self) -> None:
        self._types: dict[str, type[Event]] = {}
        self._upcasters: dict[tuple[str, int], Upcaster] = {}

    def register(self, *classes: type[Event]) -> None:
        for cls in classes:
            name = cls.type_name()
            if self._types.get(name, cls) is not cls:
                raise ValueError(f"Two event classes are named {name!r}.")
            self._types[name] = cls

    def register_upcaster(self, type_name: str, from_version: int, upcaster: Upcaster) -> None:
        """`upcaster` turns data stored at `from_version` into data of `from_version + 1`."""
        self._upcasters[(type_name, from_version)] = upcaster

    def is_registered(self, cls: type[Event]) -> bool:
        return self._types.get(cls.type_name()) is cls

    def names(self) -> Iterable[str]:
        return self._types.keys()

    def decode(self, type_name: str, schema_version: int, data: dict[str, Any]) -> Event:
        cls = self._types.get(type_name)
        if cls is None:
            raise UnknownEventType(f"No event class is registered for stored type {type_name!r}.")
        version = schema_version
        while version < cls.schema_version:
            upcaster = self._upcasters.get((type_name, version))
            if upcaster is None:
                raise UnknownEventType(
                    f"{type_name} v{version} is stored but no upcaster leads to "
                    f"v{cls.schema_version}."
                )
            data = upcaster(data)
            version += 1
        return cls(**data)

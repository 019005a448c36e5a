"""Fast bulk inserts for projections: COPY on PostgreSQL, bulk_create elsewhere.

Replay writes hundreds of thousands of rows; building an INSERT statement as text for them is
most of its cost, so on PostgreSQL rows are streamed with COPY instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import orjson
from django.db import connection, models


def _columns(model: type[models.Model]) -> list[models.Field]:  # type: ignore[type-arg]
    return [
        f
        for f in model._meta.concrete_fields
        if not (f.primary_key and isinstance(f, models.AutoField | models.BigAutoField))
    ]


def _json(value: Any) -> str:
    return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS).decode()


def insert_many(model: type[models.Model], rows: Sequence[dict[str, Any]]) -> None:
    """Insert rows given as {attribute name: value} with every column but an auto key."""
    if not rows:
        return
    if connection.vendor != "postgresql":
        model._default_manager.bulk_create([model(**row) for row in rows], batch_size=2000)
        return
    fields = _columns(model)
    json_fields = {f.attname for f in fields if isinstance(f, models.JSONField)}
    names = ", ".join(connection.ops.quote_name(f.column or f.attname) for f in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row(
                [
                    orjson.dumps(row[f.attname]).decode()
                    if f.attname in json_fields
                    else row[f.attname]
                    for f in fields
                ]
            )

"""Batched writes for projections: one round trip for a projector's statements where possible.

A projector gathers its deletes, updates and inserts in a `Writes` and sends them at once. On
PostgreSQL small statements go out together in one pipeline (one round trip, in order), and
large inserts stream with COPY, since building an INSERT statement as text for hundreds of
thousands of rows is most of a replay's cost. Elsewhere (SQLite) they run one after another,
inserts through bulk_create.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import orjson
import psycopg
from django.db import connection, models

COPY_FROM = 64  # rows: below this an INSERT in the pipeline beats a COPY's extra round trips


def _columns(model: type[models.Model]) -> list[models.Field]:  # type: ignore[type-arg]
    return [
        f
        for f in model._meta.concrete_fields
        if not (f.primary_key and isinstance(f, models.AutoField | models.BigAutoField))
    ]


def _column(field: models.Field) -> str:  # type: ignore[type-arg]
    return field.column or field.attname


def _json(value: Any) -> str:
    return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS).decode()


def _values(fields: list[models.Field], row: dict[str, Any]) -> list[Any]:  # type: ignore[type-arg]
    return [
        _json(row[f.attname]) if isinstance(f, models.JSONField) else row[f.attname] for f in fields
    ]


class Writes:
    """Statements and inserts a projector sends together, in the order it gave them."""

    def __init__(self) -> None:
        self._ops: list[tuple[str, Any, Any]] = []

    def execute(self, sql: str, params: Sequence[Any] = ()) -> None:
        self._ops.append(("execute", sql, params))

    def executemany(self, sql: str, params: Sequence[Sequence[Any]]) -> None:
        if params:
            self._ops.append(("executemany", sql, params))

    def delete_in(self, model: type[models.Model], column: str, values: Sequence[Any]) -> None:
        """Delete the rows whose `column` is one of `values`, without the ORM's cascade."""
        if values:
            field = model._meta.get_field(column)
            assert isinstance(field, models.Field)
            quote = connection.ops.quote_name
            table, marks = quote(model._meta.db_table), ", ".join(["%s"] * len(values))
            self.execute(
                f"DELETE FROM {table} WHERE {quote(_column(field))} IN ({marks})",
                [field.get_db_prep_value(field.to_python(v), connection) for v in values],
            )

    def update_many(self, model: type[models.Model], rows: Sequence[dict[str, Any]]) -> None:
        """Rewrite every column but the key of existing rows given as {attribute: value}."""
        if rows:
            self._ops.append(("update", model, rows))

    def insert(self, model: type[models.Model], rows: Sequence[dict[str, Any]]) -> None:
        """Insert rows given as {attribute name: value} with every column but an auto key."""
        if rows:
            self._ops.append(("insert", model, rows))

    def flush(self) -> None:
        ops, self._ops = self._ops, []
        if connection.vendor != "postgresql":
            for op in ops:
                _run_portable(op)
            return
        connection.ensure_connection()
        raw = connection.connection
        pending: list[tuple[str, Any, Any]] = []
        for op in ops:
            if op[0] == "insert" and len(op[2]) >= COPY_FROM:
                _pipeline(raw, pending)
                pending = []
                _copy(raw, op[1], op[2])
            else:
                pending.append(op)
        _pipeline(raw, pending)


def _run_portable(op: tuple[str, Any, Any]) -> None:
    kind, what, params = op
    if kind == "insert":
        what._default_manager.bulk_create([what(**row) for row in params], batch_size=500)
        return
    if kind == "update":
        pk = what._meta.pk.attname
        for row in params:
            changes = {name: value for name, value in row.items() if name != pk}
            what._default_manager.filter(pk=row[pk]).update(**changes)
        return
    with connection.cursor() as cursor:
        if kind == "execute":
            cursor.execute(what, params)
        else:
            cursor.executemany(what, params)


def _pipeline(raw: psycopg.Connection, ops: list[tuple[str, Any, Any]]) -> None:
    if not ops:
        return
    # A server-side binding cursor: JSON text goes as an untyped literal the column types.
    with raw.pipeline(), psycopg.Cursor(raw) as cursor:
        for kind, what, params in ops:
            if kind == "execute":
                cursor.execute(what, params)
            elif kind == "executemany":
                cursor.executemany(what, params)
            elif kind == "update":
                cursor.executemany(*_update_statement(what, params))
            else:
                fields = _columns(what)
                quote = connection.ops.quote_name
                names = ", ".join(quote(_column(f)) for f in fields)
                row_marks = "(" + ", ".join(["%s"] * len(fields)) + ")"
                cursor.execute(
                    f"INSERT INTO {quote(what._meta.db_table)} ({names}) VALUES "
                    + ", ".join([row_marks] * len(params)),
                    [v for row in params for v in _values(fields, row)],
                )


def _update_statement(model: type[models.Model], rows: Sequence[dict]) -> tuple[str, list]:
    fields = [f for f in _columns(model) if not f.primary_key]
    pk = model._meta.pk
    assert pk is not None
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(_column(f))} = %s" for f in fields)
    table, key = quote(model._meta.db_table), quote(_column(pk))
    sql = f"UPDATE {table} SET {assignments} WHERE {key} = %s"
    return sql, [[*_values(fields, row), row[pk.attname]] for row in rows]


def _copy(raw: psycopg.Connection, model: type[models.Model], rows: Sequence[dict]) -> None:
    fields = _columns(model)
    names = ", ".join(connection.ops.quote_name(_column(f)) for f in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    with raw.cursor() as cursor, cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(_values(fields, row))


def insert_many(model: type[models.Model], rows: Sequence[dict[str, Any]]) -> None:
    """Insert rows given as {attribute name: value} with every column but an auto key."""
    writes = Writes()
    writes.insert(model, rows)
    writes.flush()

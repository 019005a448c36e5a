"""Batched writes for projections: one round trip for a projector's statements where possible.

A projector gathers its deletes, updates and inserts in a `Writes` and sends them at once. On
PostgreSQL small statements go out together in one pipeline (one round trip, in order; a run
of inserts as a single statement, prepared once the connection has sent it a few times), and
large inserts stream with COPY, since building an INSERT statement as text for hundreds of
thousands of rows is most of a replay's cost. Elsewhere (SQLite) they run one after another,
inserts through bulk_create.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
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


class _Table:
    """A model's insertable columns, worked out once: replay turns millions of rows into
    values, and asking each field what it is per row was a tenth of its time."""

    def __init__(self, model: type[models.Model]) -> None:
        quote = connection.ops.quote_name
        self.fields = _columns(model)
        self.name = quote(model._meta.db_table)
        self.names = ", ".join(quote(_column(f)) for f in self.fields)
        self.attnames = [f.attname for f in self.fields]
        self.json = [isinstance(f, models.JSONField) for f in self.fields]
        self.plain = not any(self.json)

    def values(self, row: dict[str, Any]) -> list[Any]:
        if self.plain:
            return [row[a] for a in self.attnames]
        return [
            _json(row[a]) if j else row[a] for a, j in zip(self.attnames, self.json, strict=True)
        ]


_TABLES: dict[type[models.Model], _Table] = {}


def _table(model: type[models.Model]) -> _Table:
    table = _TABLES.get(model)
    if table is None:
        table = _TABLES[model] = _Table(model)
    return table


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
            table, column = quote(model._meta.db_table), quote(_column(field))
            prepared = [field.get_db_prep_value(field.to_python(v), connection) for v in values]
            if connection.vendor == "postgresql":  # one array parameter, not one per value
                self.execute(
                    f"DELETE FROM {table} WHERE {column} = ANY(%s::{field.db_type(connection)}[])",
                    [prepared],
                )
                return
            marks = ", ".join(["%s"] * len(values))
            self.execute(f"DELETE FROM {table} WHERE {column} IN ({marks})", prepared)

    def update_many(self, model: type[models.Model], rows: Sequence[dict[str, Any]]) -> None:
        """Rewrite every column but the key of existing rows given as {attribute: value}."""
        if rows:
            self._ops.append(("update", model, rows))

    def insert(self, model: type[models.Model], rows: Sequence[dict[str, Any]]) -> None:
        """Insert rows given as {attribute name: value} with every column but an auto key."""
        if rows:
            self._ops.append(("insert", model, rows))

    def insert_rows(
        self, model: type[models.Model], columns: Sequence[str], rows: Sequence[Sequence[Any]]
    ) -> None:
        """Insert rows given as values of `columns` (attribute names), in that order: replay
        builds millions of rows, and a tuple costs less to make and to send than a dict."""
        if rows:
            self._ops.append(("insert_rows", (model, tuple(columns)), rows))

    def insert_new(self, model: type[models.Model], rows: Sequence[dict[str, Any]]) -> None:
        """Insert rows, skipping any that a unique constraint says are stored already."""
        if rows:
            self._ops.append(("insert_new", model, rows))

    def flush(self) -> None:
        """Send the writes; inside `gathered()`, hand them to the gathering Writes instead."""
        ops, self._ops = self._ops, []
        gathering = _GATHERING.get()
        if gathering is not None and gathering is not self:
            gathering._ops.extend(ops)
            return
        if connection.vendor != "postgresql":
            for op in ops:
                _run_portable(op)
            return
        self._send(ops, commit=False)

    def flush_and_commit(self) -> None:
        """Send the writes and COMMIT with the last of them, in one round trip (PostgreSQL).

        Only the owner of the transaction may call this, as the last thing it does in it:
        the outermost `transaction.atomic()` then finds nothing to commit (psycopg sends no
        COMMIT on an idle connection). A write or the COMMIT that fails raises, and the
        transaction is rolled back (a failed COMMIT has ended it already)."""
        assert connection.vendor == "postgresql", "only PostgreSQL commits in a pipeline"
        ops, self._ops = self._ops, []
        self._send(ops, commit=True)

    def _send(self, ops: list[tuple[str, Any, Any]], *, commit: bool) -> None:
        connection.ensure_connection()
        raw = connection.connection
        pending: list[tuple[str, Any, Any]] = []
        for op in ops:
            if op[0] == "insert_rows":
                _pipeline(raw, pending)
                pending = []
                model, columns = op[1]
                _copy_rows(raw, model, columns, op[2])
            elif op[0] in ("insert", "update") and len(op[2]) >= COPY_FROM:
                _pipeline(raw, pending)
                pending = []
                if op[0] == "insert":
                    _copy(raw, op[1], op[2])
                else:
                    _copy_update(raw, op[1], op[2])
            else:
                pending.append(op)
        if commit:
            pending.append(("execute", "COMMIT", ()))
        _pipeline(raw, pending)


_GATHERING: ContextVar[Writes | None] = ContextVar("ledger_bulk_gathering", default=None)


@contextmanager
def gathered() -> Iterator[Writes]:
    """Every Writes flushed inside the block hands its writes, in order, to the Writes this
    yields, for the caller to send at once (an append sends its projectors' writes with its
    COMMIT). Projectors never read each other's tables, and each flushes last, so holding
    their writes back changes no row they read."""
    writes = Writes()
    token = _GATHERING.set(writes)
    try:
        yield writes
    finally:
        _GATHERING.reset(token)


def _run_portable(op: tuple[str, Any, Any]) -> None:
    kind, what, params = op
    if kind == "insert_rows":
        what, columns = what
        params = [dict(zip(columns, row, strict=True)) for row in params]
        kind = "insert"
    if kind in ("insert", "insert_new"):
        what._default_manager.bulk_create(
            [what(**row) for row in params], batch_size=500, ignore_conflicts=kind == "insert_new"
        )
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
    # Server-side binding cursors: JSON text goes as an untyped literal the column types.
    with raw.pipeline(), psycopg.Cursor(raw) as cursor, psycopg.RawCursor(raw) as numbered:
        inserts = _Inserts(numbered)
        for kind, what, params in ops:
            if kind == "insert":
                inserts.add(what, params)
                continue
            inserts.send()
            if kind == "execute":
                cursor.execute(what, params)
            elif kind == "executemany":
                cursor.executemany(what, params)
            elif kind == "update":
                cursor.execute(*_update_statement(what, params))
            elif kind == "insert_new":
                cursor.execute(*_insert_new_statement(what, params))
        inserts.send()


class _Inserts:
    """Consecutive plain inserts, sent as one statement: `WITH w0 AS (INSERT ...), w1 AS
    (INSERT ...) INSERT ...`. A recorded incident writes rows to seven tables, and psycopg's
    and the executor's work per statement was most of what an append cost beyond the log.

    Inserts alone may share a statement: none reads what another writes, and the foreign keys
    between them are checked at COMMIT, so their order within it changes nothing. Updates,
    deletes and upserts close a group, so each keeps its place among the inserts. The
    statement numbers its parameters ($1, $2, ...) for psycopg's RawCursor: psycopg caches its
    parsing of a `%s` statement only below 4 KB and 50 parameters, and this one is longer."""

    MAX_PARAMS = 30_000  # PostgreSQL takes at most 65,535 parameters per statement

    def __init__(self, cursor: psycopg.RawCursor) -> None:  # type: ignore[type-arg]
        self._cursor = cursor
        self._shape: list[tuple[type[models.Model], int]] = []
        self._params: list[Any] = []

    def add(self, model: type[models.Model], rows: Sequence[dict[str, Any]]) -> None:
        table = _table(model)
        if self._shape and len(self._params) + len(rows) * len(table.fields) > self.MAX_PARAMS:
            self.send()
        self._shape.append((model, len(rows)))
        values = table.values
        self._params.extend(v for row in rows for v in values(row))

    def send(self) -> None:
        if self._shape:
            self._cursor.execute(_inserts_statement(tuple(self._shape)), self._params)
            self._shape, self._params = [], []


@lru_cache(maxsize=256)
def _inserts_statement(shape: tuple[tuple[type[models.Model], int], ...]) -> str:
    statements = []
    number = 0
    for model, count in shape:
        table = _table(model)
        rows = []
        for _ in range(count):
            marks = range(number + 1, number + len(table.fields) + 1)
            rows.append("(" + ", ".join(f"${n}" for n in marks) + ")")
            number += len(table.fields)
        statements.append(f"INSERT INTO {table.name} ({table.names}) VALUES " + ", ".join(rows))
    *first, last = statements
    if not first:
        return last
    return "WITH " + ", ".join(f"w{n} AS ({s})" for n, s in enumerate(first)) + " " + last


def _arrays(fields: Sequence[models.Field], rows: Sequence[dict]) -> tuple[str, list[list]]:  # type: ignore[type-arg]
    """`unnest(...)` of one typed array per column, and the arrays: a parameter per column,
    not per value (psycopg parses a statement's text per call, and thousands of placeholders
    cost more than the statement itself)."""
    arrays = ", ".join(f"%s::{f.db_type(connection)}[]" for f in fields)
    params: list[list[Any]] = []
    for f in fields:
        if isinstance(f, models.JSONField):
            params.append([_json(row[f.attname]) for row in rows])
        else:
            params.append([row[f.attname] for row in rows])
    return f"unnest({arrays})", params


def _insert_new_statement(model: type[models.Model], rows: Sequence[dict]) -> tuple[str, list]:
    table = _table(model)
    if len(rows) < COPY_FROM:
        # Few rows (a live append's): a parameter per value, which psycopg dumps in C; it
        # dumps arrays in Python, at several times the cost for one row.
        row_marks = "(" + ", ".join(["%s"] * len(table.fields)) + ")"
        sql = (
            f"INSERT INTO {table.name} ({table.names}) VALUES "
            + ", ".join([row_marks] * len(rows))
            + " ON CONFLICT DO NOTHING"
        )
        return sql, [v for row in rows for v in table.values(row)]
    source, params = _arrays(table.fields, rows)
    sql = f"INSERT INTO {table.name} ({table.names}) SELECT * FROM {source} ON CONFLICT DO NOTHING"
    return sql, params


def _update_statement(model: type[models.Model], rows: Sequence[dict]) -> tuple[str, list]:
    """One UPDATE for all the rows, their new values joined by key from unnested arrays."""
    table = _table(model)
    pk = model._meta.pk
    assert pk is not None
    quote = connection.ops.quote_name
    fields = [f for f in _columns(model) if not f.primary_key]
    key = quote(_column(pk))
    columns = [quote(_column(f)) for f in fields]
    source, params = _arrays([pk, *fields], rows)
    assignments = ", ".join(f"{c} = v.{c}" for c in columns)
    sql = (
        f"UPDATE {table.name} AS t SET {assignments} FROM {source}"
        f" AS v({key}, {', '.join(columns)}) WHERE t.{key} = v.{key}"
    )
    return sql, params


def _copy(raw: psycopg.Connection, model: type[models.Model], rows: Sequence[dict]) -> None:
    table = _table(model)
    values = table.values
    with (
        raw.cursor() as cursor,
        cursor.copy(f"COPY {table.name} ({table.names}) FROM STDIN") as copy,
    ):
        write = copy.write_row
        for row in rows:
            write(values(row))


def _copy_rows(
    raw: psycopg.Connection,
    model: type[models.Model],
    columns: tuple[str, ...],
    rows: Sequence[Sequence[Any]],
) -> None:
    """COPY rows given as values of `columns`; JSON columns are dumped here."""
    fields = {f.attname: f for f in _columns(model)}
    quote = connection.ops.quote_name
    names = ", ".join(quote(_column(fields[c])) for c in columns)
    json = [n for n, c in enumerate(columns) if isinstance(fields[c], models.JSONField)]
    with (
        raw.cursor() as cursor,
        cursor.copy(f"COPY {quote(model._meta.db_table)} ({names}) FROM STDIN") as copy,
    ):
        write = copy.write_row
        if not json:
            for row in rows:
                write(row)
            return
        for row in rows:
            values = list(row)
            for n in json:
                values[n] = _json(values[n])
            write(values)


def _copy_update(raw: psycopg.Connection, model: type[models.Model], rows: Sequence[dict]) -> None:
    """Many updates: the new rows COPYed into a temporary copy of the table, then one UPDATE
    joins them by key. Dumping thousands of JSON texts into array parameters cost more than
    the update; COPY writes them as they are."""
    table = _table(model)
    pk = model._meta.pk
    assert pk is not None
    quote = connection.ops.quote_name
    staging = quote(f"_bulk_{model._meta.db_table}")
    assert pk in table.fields, "updates by COPY join on a key the rows carry"
    key = quote(_column(pk))
    assignments = ", ".join(
        f"{c} = s.{c}" for f in table.fields if not f.primary_key for c in [quote(_column(f))]
    )
    with raw.cursor() as cursor:
        with raw.pipeline():
            # Emptied at commit, and here too: a transaction may flush several times.
            cursor.execute(
                f"CREATE TEMPORARY TABLE IF NOT EXISTS {staging} "
                f"(LIKE {table.name}) ON COMMIT DELETE ROWS"
            )
            cursor.execute(f"TRUNCATE {staging}")
        with cursor.copy(f"COPY {staging} ({table.names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(table.values(row))
        cursor.execute(
            f"UPDATE {table.name} AS t SET {assignments} FROM {staging} AS s "
            f"WHERE t.{key} = s.{key}"
        )


def insert_many(model: type[models.Model], rows: Sequence[dict[str, Any]]) -> None:
    """Insert rows given as {attribute name: value} with every column but an auto key."""
    writes = Writes()
    writes.insert(model, rows)
    writes.flush()

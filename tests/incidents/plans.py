"""PostgreSQL's plan for a queryset, read in tests: which indexes serve it, and how; or the
plans of the queries a piece of code runs, made as it runs them."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection, transaction
from django.db.models import QuerySet


def index_scans(qs: QuerySet[Any]) -> list[dict[str, Any]]:
    """Every node of the queryset's plan that reads an index, depth first."""
    sql, params = qs.query.sql_with_params()
    with transaction.atomic(), connection.cursor() as cursor:
        # Small test tables are cheapest read whole; the question is which index serves each
        # part of the plan when one does, as it does at a hundred thousand rows.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        (plan,) = cursor.fetchone()
    plan = json.loads(plan) if isinstance(plan, str) else plan
    return [node for node in nodes(plan[0]["Plan"]) if "Index Name" in node]


@contextmanager
def plans_of_selects() -> Iterator[list[tuple[str, dict[str, Any]]]]:
    """(SQL, plan) of every SELECT run inside, each explained on its own cursor just before it
    runs, so under the settings it runs with."""
    plans: list[tuple[str, dict[str, Any]]] = []

    def explain_first(
        execute: Callable[..., Any], sql: str, params: Any, many: bool, context: dict[str, Any]
    ) -> Any:
        if not many and sql.lstrip().upper().startswith("SELECT"):
            cursor = context["cursor"].cursor  # the driver's: not through this wrapper again
            cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
            (plan,) = cursor.fetchone()
            plan = json.loads(plan) if isinstance(plan, str) else plan
            plans.append((sql, plan[0]["Plan"]))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(explain_first):
        yield plans


def nodes(node: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """A plan's nodes, depth first."""
    yield node
    for child in node.get("Plans", []):
        yield from nodes(child)

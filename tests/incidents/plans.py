"""PostgreSQL's plan for a queryset, read in tests: which indexes serve it, and how."""

from __future__ import annotations

import json
from collections.abc import Iterator
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
    return list(_nodes_with_an_index(plan[0]["Plan"]))


def _nodes_with_an_index(node: dict[str, Any]) -> Iterator[dict[str, Any]]:
    if "Index Name" in node:
        yield node
    for child in node.get("Plans", []):
        yield from _nodes_with_an_index(child)

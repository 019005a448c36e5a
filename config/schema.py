"""OpenAPI polish applied to the generated schema (a drf-spectacular postprocessing hook).

- Every operation documents 401 (no or bad credentials), 403 (a role it needs) and 429
  (throttled), with the error body: any of them can answer any call.
- Closed vocabularies of the responses are named enums, so generated clients get types
  instead of strings (values come from the code that enforces them).
- Orderings get member names (`x-enum-varnames`: DATE_START_DESC, not VALUE_0).
- The `format` query parameter (the old export switch, now a redirect) is left out.
"""

from __future__ import annotations

from typing import Any

from actors.models import RelationKind
from incidents.review.curation import DATE_PRECISIONS
from incidents.state import CLAIM_PROPERTIES, RANKS, ReviewState, Status

_STATUSES = (Status.ACTIVE, Status.DROPPED, Status.RETRACTED, Status.MERGED)

# Enum component -> its values.
ENUMS: dict[str, tuple[str, ...]] = {
    "IncidentStatusEnum": _STATUSES,
    "TombstoneStatusEnum": (Status.DROPPED, Status.RETRACTED, Status.MERGED),
    "ReviewStateEnum": (ReviewState.UNREVIEWED, ReviewState.PENDING, ReviewState.REVIEWED),
    "DatePrecisionEnum": DATE_PRECISIONS,
    "ClaimRankEnum": RANKS,
    "ClaimPropertyEnum": CLAIM_PROPERTIES,
    "RelationKindEnum": tuple(RelationKind.values),
}

# (component, property) -> enum component.
VOCABULARIES: dict[tuple[str, str], str] = {
    ("IncidentOutput", "status"): "IncidentStatusEnum",
    ("IncidentOutput", "review_state"): "ReviewStateEnum",
    ("IncidentOutput", "date_precision"): "DatePrecisionEnum",
    ("TombstoneOutput", "status"): "TombstoneStatusEnum",
    ("StateClaimOutput", "rank"): "ClaimRankEnum",
    ("StateClaimOutput", "property"): "ClaimPropertyEnum",
    ("ClaimOutput", "rank"): "ClaimRankEnum",
    ("ClaimOutput", "property"): "ClaimPropertyEnum",
    ("RelationOutput", "kind"): "RelationKindEnum",
}

_ALWAYS = {
    "401": "Not authenticated: send `Authorization: Token <key>` or log in.",
    "403": "Authenticated, but this operation needs a role the user lacks.",
    "429": "Throttled: too many requests; retry after the `Retry-After` seconds.",
}


def _varname(value: str) -> str:
    name = value.lstrip("-").upper().replace("-", "_")
    return f"{name}_DESC" if value.startswith("-") else f"{name}_ASC"


def _name_orderings(schema: dict[str, Any]) -> None:
    values = schema.get("enum") or []
    if values and any(isinstance(v, str) and v.startswith("-") for v in values):
        schema["x-enum-varnames"] = [_varname(v) for v in values]


def _error_ref(components: dict[str, Any]) -> dict[str, Any] | None:
    if "ErrorOutput" in components:
        return {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOutput"}}}
    return None


def postprocess(result: dict[str, Any], generator: Any, request: Any, public: bool) -> Any:
    components = result.setdefault("components", {}).setdefault("schemas", {})
    for name, values in ENUMS.items():
        components[name] = {"enum": list(values), "type": "string"}
    for (component, prop), enum in VOCABULARIES.items():
        properties = components.get(component, {}).get("properties", {})
        if prop in properties:
            old = properties[prop]
            new: dict[str, Any] = {"allOf": [{"$ref": f"#/components/schemas/{enum}"}]}
            for key in ("description", "nullable", "readOnly"):
                if key in old:
                    new[key] = old[key]
            properties[prop] = new
    content = _error_ref(components)
    for path_item in result.get("paths", {}).values():
        for operation in path_item.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            operation["parameters"] = [
                p for p in operation.get("parameters", []) if p.get("name") != "format"
            ]
            for parameter in operation["parameters"]:
                _name_orderings(parameter.get("schema", {}))
            for status, description in _ALWAYS.items():
                response: dict[str, Any] = {"description": description}
                if content:
                    response["content"] = content
                operation["responses"].setdefault(status, response)
    return result

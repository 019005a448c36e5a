"""Property-based fuzzing of every GET endpoint against the OpenAPI schema (schemathesis).

Skipped, saying so, when schemathesis is not installed; test_schema.py always runs.
"""

from __future__ import annotations

import pytest

schemathesis = pytest.importorskip(
    "schemathesis", reason="schemathesis is not installed: add it to the dev dependencies"
)

from django.core.wsgi import get_wsgi_application  # noqa: E402

from tests.api.conftest import make_incident  # noqa: E402

schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", get_wsgi_application())


@pytest.fixture
def token(db, client_for):  # type: ignore[no-untyped-def]
    make_incident(killed=3)
    client = client_for("viewer")
    return client._credentials["HTTP_AUTHORIZATION"]


@pytest.mark.django_db(transaction=True)
@schema.include(method="GET").parametrize()
def test_no_get_answers_a_server_error_or_breaks_the_schema(case, token):  # type: ignore[no-untyped-def]
    case.call_and_validate(headers={"Authorization": token})

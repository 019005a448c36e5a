"""Property-based fuzzing of every GET endpoint against the OpenAPI schema (schemathesis).

Skipped, saying so, when schemathesis is not installed; test_schema.py always runs.
"""

from __future__ import annotations

import pytest

schemathesis = pytest.importorskip(
    "schemathesis", reason="schemathesis is not installed: add it to the dev dependencies"
)

from django.core.cache import cache  # noqa: E402
from django.core.wsgi import get_wsgi_application  # noqa: E402
from hypothesis import HealthCheck, settings  # noqa: E402
from schemathesis.checks import (  # noqa: E402
    negative_data_rejection,
    positive_data_acceptance,
)

from tests.api.conftest import make_incident  # noqa: E402

schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", get_wsgi_application())


@pytest.fixture
def token(db, client_for):  # type: ignore[no-untyped-def]
    make_incident(killed=3)
    client = client_for("viewer")
    return client._credentials["HTTP_AUTHORIZATION"]


@pytest.mark.django_db(transaction=True)
@schema.include(method="GET").parametrize()
# The token's user and incident may outlive one generated case: they are read-only fixtures.
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_no_get_answers_a_server_error_or_breaks_the_schema(case, token):  # type: ignore[no-untyped-def]
    # Every check but the two about which inputs the API should accept: an opaque cursor is
    # schema-valid text the API rightly answers with 400, and an empty filter is taken as no
    # filter. No server error, no undocumented status, no response that breaks the schema.
    cache.clear()  # throttling is tested on its own; here it would only cut the fuzzing short
    # The WSGI transport hands over the bytes as sent; gzip is tested on its own
    # (test_paging_and_errors.py), so ask for identity here.
    case.call_and_validate(
        headers={"Authorization": token, "Accept-Encoding": "identity"},
        excluded_checks=[positive_data_acceptance, negative_data_rejection],
    )

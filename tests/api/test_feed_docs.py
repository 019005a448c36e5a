"""The change feed's documented example client works as written, over HTTP on loopback."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from rest_framework.authtoken.models import Token

from common.roles import VIEWERS, roles_ensure
from incidents.services import incident_drop
from tests.api.conftest import CAUSE, make_incident

DOC = Path(__file__).resolve().parents[2] / "docs" / "change-feed.md"


def _example_client() -> str:
    (code,) = re.findall(r"```python\n(.*?)```", DOC.read_text(), flags=re.S)
    return code


@pytest.mark.django_db(transaction=True)
def test_the_documented_client_folds_the_feed_into_the_full_list(live_server, api):
    make_incident(killed=3)
    dropped = make_incident(killed=8)
    incident_drop(incident_id=dropped, cause=CAUSE)
    reader = User.objects.create_user(username="doc-reader")
    reader.groups.add(roles_ensure()[VIEWERS])  # reading the API needs a role
    token = Token.objects.create(user=reader).key
    code = _example_client()
    code = code.replace("http://127.0.0.1:8000", live_server.url).replace("<key>", token)
    namespace: dict[str, Any] = {}
    exec(compile(code, str(DOC), "exec"), namespace)  # the documentation, as written
    listed = api.get("/api/v1/incidents/?include=all").json()["results"]
    assert namespace["copy"] == {item["id"]: item for item in listed}
    assert namespace["copy"][str(dropped)]["status"] == "dropped"
    assert len(namespace["active"]) == 1 and len(namespace["copy"]) == 2
    make_incident()
    assert namespace["sync"](namespace["copy"], namespace["position"]) > namespace["position"]
    assert len(namespace["copy"]) == 3

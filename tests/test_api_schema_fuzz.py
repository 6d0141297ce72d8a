"""schemathesis against the API's own OpenAPI schema (#9): no request the schema allows,
nor one it forbids, gives a server error, and every answer matches the schema.

Examples are bounded per operation (hypothesis profile in ``conftest.py``) so CI stays fast.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import schemathesis
from hypothesis import settings
from schemathesis.checks import not_a_server_error, response_schema_conformance

from eventwire.api.app import create_app
from eventwire.models import CodedDocument, Document
from eventwire.store import Store
from test_api import corpus

TOKEN = "fuzz-token"


@pytest.fixture
def api_schema(tmp_path: Path) -> schemathesis.BaseSchema:
    path = tmp_path / "events.db"
    with Store.open(path) as store:
        for item in corpus():
            store.save(item)
        store.save(CodedDocument(document=Document(id="x/1", source="a/b", body="Body.")))
    app = create_app(path, token=TOKEN, allowed_hosts=["testserver"])
    return schemathesis.openapi.from_asgi("/openapi.json", app)


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(max_examples=40)
def test_api_never_fails_and_answers_as_its_schema_says(case: schemathesis.Case) -> None:
    response = case.call_and_validate(
        headers={"Authorization": f"Bearer {TOKEN}"},
        checks=[not_a_server_error, response_schema_conformance],
    )
    # The requests reach the routes: neither the host check nor the token check stops them.
    assert response.status_code != 401
    assert response.text != "Invalid host header"

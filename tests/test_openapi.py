"""The API answers every generated request as its own OpenAPI schema says (schemathesis)."""

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import ignored_auth, negative_data_rejection


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    # The raw WSGI app closes "old" database connections at the end of each request, as in
    # production; inside a test that is the connection holding the test's transaction.
    # Django's own test client disconnects these handlers the same way.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


# Serving the schema needs no database, so it can load when the module is collected.
schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())


@schema.parametrize()
@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_it_answers_every_api_call_as_its_schema_says(case, cast, client):
    for user in (cast.coordinator, cast.a_staff, cast.a_viewer, cast.b_staff):
        # given a session of one role of the cast
        client.force_login(user)
        cookies = {"sessionid": client.cookies["sessionid"].value}
        # when / then: no 500; status codes, content types and bodies as declared.
        # The test supplies a valid session whatever cookie was generated, so the checks
        # about missing or invalid credentials belong to the anonymous test below.
        case.call_and_validate(
            cookies=cookies, excluded_checks=[negative_data_rejection, ignored_auth]
        )


@schema.parametrize()
@settings(
    max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_it_answers_anonymous_calls_as_declared(case, db):
    # when / then: an anonymous caller gets 401 (405 for a method the path lacks), never
    # data or a 500
    response = case.call_and_validate()
    assert response.status_code in (401, 405)

"""Fuzzing the API from its own OpenAPI document (schemathesis, through the WSGI app: no network, no server).

For every operation schemathesis sends requests built from the schema (boundary values first, then random ones) with a
headteacher's token, whose role may do everything, in a school with a pupil, a suspension, an active plan with a goal
and a review, and its statutory duties. Every response must be:

- never a server error (no 500);
- a status code the operation declares (200/201, and 400, 401, 403, 404, 422 in the one error format);
- of the declared content type, with the declared headers, and matching the declared schema.

Left out, on purpose: "positive data acceptance" (a request valid against the schema must succeed), because the
services refuse schema-valid requests that break a rule (a review before the return, the 45-day limit), with a
declared 422; and "negative data rejection", which counts an unknown query parameter as invalid data, where the API
ignores it, as the pages do. api/tests/test_errors.py checks what these would: that invalid input is refused, and that
every operation refuses a request without a token.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api.tests.conftest import make_token
from testsupport.plans import active_plan, record_review

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


@pytest.fixture(autouse=True)
def _keep_the_test_connection_open() -> Iterator[None]:
    """The WSGI application closes the database connection at the end of each request (Django's
    close_old_connections): in a test, that would close the test's own transaction on PostgreSQL. Django's test
    client disconnects it the same way."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def fuzz_token(db, headteacher, pupil) -> Iterator[str]:
    plan = active_plan(pupil, headteacher)
    record_review(plan, headteacher)
    # Thousands of 4xx answers would each log a warning line ("Unprocessable Entity: /api/v1/..."): not here.
    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.ERROR)
    yield make_token(headteacher)
    logger.setLevel(level)


@schema.parametrize()
@settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_every_operation_answers_as_its_schema_declares(case, fuzz_token):
    case.call_and_validate(headers={"Authorization": f"Bearer {fuzz_token}"}, checks=CHECKS)

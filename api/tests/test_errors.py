"""The OpenAPI document and the one error format: every operation is documented, declares its 4xx answers with the
error schema, and answers each kind of bad request in that format."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from api.tests.conftest import api_client, make_token
from suspensions.models import Suspension
from testsupport.factories import PupilFactory
from testsupport.plans import active_plan

pytestmark = pytest.mark.django_db

OPENAPI = "/api/openapi.json"
# Every operation of version 1, as documented in docs/api.md.
OPERATIONS = {
    ("get", "/api/v1/me"),
    ("get", "/api/v1/pupils"),
    ("get", "/api/v1/pupils/{pupil_id}"),
    ("get", "/api/v1/pupils/{pupil_id}/contacts"),
    ("get", "/api/v1/suspensions"),
    ("post", "/api/v1/suspensions"),
    ("get", "/api/v1/suspensions/{suspension_id}"),
    ("get", "/api/v1/suspensions/{suspension_id}/incident"),
    ("post", "/api/v1/suspensions/{suspension_id}/cancel"),
    ("get", "/api/v1/reason-codes"),
    ("get", "/api/v1/decision-makers"),
    ("get", "/api/v1/plans"),
    ("get", "/api/v1/plans/{plan_id}"),
    ("get", "/api/v1/plans/{plan_id}/measures"),
    ("post", "/api/v1/plans/{plan_id}/reviews"),
    ("get", "/api/v1/goals"),
    ("get", "/api/v1/goals/{goal_id}"),
    ("get", "/api/v1/criteria"),
    ("get", "/api/v1/criteria/{criterion_id}"),
    ("get", "/api/v1/reviews"),
    ("get", "/api/v1/reviews/{review_id}"),
    ("get", "/api/v1/duties"),
    ("get", "/api/v1/duties/{duty_id}"),
    ("post", "/api/v1/duties/{duty_id}/complete"),
    ("get", "/api/v1/behaviour-events"),
    ("post", "/api/v1/behaviour-events"),
    ("get", "/api/v1/attendance-weeks"),
    ("post", "/api/v1/attendance-weeks"),
    ("get", "/api/v1/attendance-marks"),
    ("post", "/api/v1/attendance-marks"),
}
CREATES = {("post", "/api/v1/suspensions"), ("post", "/api/v1/plans/{plan_id}/reviews")}


@pytest.fixture
def document() -> dict[str, Any]:
    response = Client().get(OPENAPI)
    assert response.status_code == 200
    return dict(response.json())


def _operations(document: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {(method, path): op for path, ops in document["paths"].items() for method, op in ops.items()}


# --- The document ----------------------------------------------------------------------------------------------------


def test_the_openapi_document_is_public_and_lists_every_operation(document):
    assert document["info"]["title"] == "Reintegrate API"
    assert document["info"]["version"] == "1"
    assert set(_operations(document)) == OPERATIONS


def test_every_path_is_under_v1(document):
    assert all(path.startswith("/api/v1/") for path in document["paths"])


def test_every_operation_needs_a_bearer_token(document):
    schemes = document["components"]["securitySchemes"]
    assert schemes == {"TokenAuth": {"type": "http", "scheme": "bearer"}}
    for key, operation in _operations(document).items():
        assert operation["security"] == [{"TokenAuth": []}], key


def test_every_operation_declares_its_4xx_answers_in_the_error_format(document):
    for (method, path), operation in _operations(document).items():
        responses = operation["responses"]
        declared = {"401", "403", "404", "422"} | ({"400"} if method == "post" else set())
        assert declared <= set(responses), (method, path)
        for status in declared:
            schema = responses[status]["content"]["application/json"]["schema"]
            assert schema == {"$ref": "#/components/schemas/Error"}, (method, path, status)
        assert ("201" if (method, path) in CREATES else "200") in responses, (method, path)


def test_the_error_format_is_detail_and_a_list_of_field_messages(document):
    schemas = document["components"]["schemas"]
    assert set(schemas["Error"]["properties"]) == {"detail", "errors"}
    assert set(schemas["ErrorItem"]["properties"]) == {"field", "message"}


def test_operation_ids_are_unique_and_readable(document):
    ids = [operation["operationId"] for operation in _operations(document).values()]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[a-z_]+", operation_id) for operation_id in ids)


def test_there_is_no_interactive_docs_page_that_would_need_inline_script():
    assert Client().get("/api/v1/docs").status_code == 404
    assert Client().get("/api/docs").status_code == 404


def test_the_apis_index_points_to_the_document(school):
    body = Client().get("/api/").json()

    assert body["openapi"] == "http://testserver/api/openapi.json"


# --- Each kind of error ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("method", "path"), sorted(OPERATIONS))
def test_every_operation_refuses_a_request_without_a_token(school, method, path):
    url = re.sub(r"\{[^}]+\}", "1", path)
    client = Client()
    response = client.get(url) if method == "get" else client.post(url, {}, content_type="application/json")

    assert response.status_code == 401
    assert set(response.json()) == {"detail", "errors"}


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("limit=0", "limit"),
        ("limit=201", "limit"),
        ("limit=ten", "limit"),
        ("offset=-1", "offset"),
        ("pupil=0", "pupil"),
        ("pupil=99999999999999999999999", "pupil"),
        ("status=suspended", "status"),
        ("start_from=31/12/2026", "start_from"),
        ("start_from=2026-02-30", "start_from"),
    ],
)
def test_a_bad_query_is_refused_with_422_naming_the_parameter(school, headteacher, query, field):
    response = api_client(make_token(headteacher)).get(f"/api/v1/suspensions?{query}")

    assert response.status_code == 422
    body = response.json()
    assert body["detail"] == "The request is not valid: see errors."
    assert [error["field"] for error in body["errors"]] == [field]


def test_an_id_too_large_for_the_database_is_refused_not_crashed(school, headteacher):
    response = api_client(make_token(headteacher)).get(f"/api/v1/suspensions/{10**30}")

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "suspension_id"


def test_an_unknown_record_is_404_in_the_error_format(school, headteacher):
    response = api_client(make_token(headteacher)).get("/api/v1/plans/424242")

    assert response.status_code == 404
    assert response.json() == {"detail": "No such record.", "errors": []}


def test_a_body_that_is_not_json_is_400_in_the_error_format(school, headteacher, pupil):
    plan = active_plan(pupil, headteacher)
    client = api_client(make_token(headteacher))

    broken = client.post(f"/api/v1/plans/{plan.pk}/reviews", "{not json", content_type="application/json")
    surrogate = client.post(
        f"/api/v1/plans/{plan.pk}/reviews", '{"participants": "\\ud800"}', content_type="application/json"
    )

    for response in (broken, surrogate):
        assert response.status_code == 400
        assert response.json()["detail"].startswith("The request body is not valid JSON")


def test_a_body_with_unknown_fields_wrong_types_or_nul_characters_is_422_field_by_field(school, headteacher, pupil):
    client = api_client(make_token(headteacher))
    body = {
        "pupil": "first",
        "start_date": "2026-11-19",
        "reasons": ["DB"],
        "incident_summary": "Fictional\x00incident",
        "decided_by": headteacher.pk,
        "colour": "red",
    }

    response = client.post("/api/v1/suspensions", body, content_type="application/json")

    assert response.status_code == 422
    fields = {error["field"] for error in response.json()["errors"]}
    assert fields == {"pupil", "incident_summary", "colour"}
    assert not Suspension.objects.exists()


def test_a_refusal_by_a_service_is_422_with_the_pages_message(school, headteacher, pupil):
    plan = active_plan(pupil, headteacher)
    body = {
        "held_on": "2026-11-19",
        "participants": "Pupil",
        "decision": "continue",
        "next_review_date": "2026-12-02",
        "goal_statuses": [{"goal_id": plan.goals.get().pk, "achievement_status": "improving"}],
    }

    response = api_client(make_token(headteacher)).post(
        f"/api/v1/plans/{plan.pk}/reviews", body, content_type="application/json"
    )

    assert response.status_code == 422
    assert response.json() == {
        "detail": "The request was refused: see errors.",
        "errors": [{"field": "held_on", "message": "The date the review was held cannot be in the future."}],
    }


def test_a_role_without_the_capability_gets_403_naming_its_role(school, headteacher, governor):
    response = api_client(make_token(governor)).get("/api/v1/pupils")

    assert response.status_code == 403
    assert response.json() == {
        "detail": "Your role at Larkfield Academy (Governor) does not allow this. Ask your headteacher if you need it.",
        "errors": [],
    }


def test_pages_of_a_list_follow_limit_and_offset(school, headteacher):
    for n in range(7):
        PupilFactory(school=school, legal_last_name=f"Pupil{n}")
    client = api_client(make_token(headteacher))

    first = client.get("/api/v1/pupils?limit=3").json()
    last = client.get("/api/v1/pupils?limit=3&offset=6").json()
    beyond = client.get("/api/v1/pupils?limit=3&offset=7").json()

    assert (first["count"], first["limit"], first["offset"]) == (7, 3, 0)
    assert [p["legal_last_name"] for p in first["items"]] == ["Pupil0", "Pupil1", "Pupil2"]
    assert [p["legal_last_name"] for p in last["items"]] == ["Pupil6"]
    assert beyond["items"] == []
    assert beyond["count"] == 7


def test_api_answers_keep_the_sites_security_headers(school, headteacher):
    response = api_client(make_token(headteacher)).get("/api/v1/me")

    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/json; charset=utf-8"

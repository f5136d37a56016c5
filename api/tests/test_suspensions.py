"""Suspensions through the API: reading them with their computed dates and the pupil's totals, the incident summary,
recording one with the same rules as the page, and cancelling one."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from auditlog.models import LogEntry

from api.tests.conftest import api_client, make_token
from duties.models import Duty
from plans.models import ReintegrationPlan
from schools.models import Role
from suspensions.models import Suspension
from testsupport.factories import MembershipFactory, PupilFactory
from testsupport.suspensions import INCIDENT, cancel, record

pytestmark = pytest.mark.django_db

URL = "/api/v1/suspensions"


def payload(pupil: Any, head: Any, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "pupil": pupil.pk,
        "kind": "suspension",
        "start_date": "2026-11-19",
        "start_session": "am",
        "sessions": 4,
        "reasons": ["DB"],
        "incident_summary": "Fictional incident: left three lessons without permission.",
        "decided_by": head.pk,
    }
    data.update(overrides)
    return data


def post(client: Any, data: dict[str, Any], url: str = URL) -> Any:
    return client.post(url, data, content_type="application/json")


# --- Reading -------------------------------------------------------------------------------------------------------


def test_a_suspension_has_its_computed_dates_plan_and_the_pupils_totals(school, headteacher, pupil):
    suspension = record(pupil, start=date(2026, 11, 9), sessions=5, decided_by=headteacher)

    body = api_client(make_token(headteacher)).get(f"{URL}/{suspension.pk}").json()

    assert body["start_date"] == "2026-11-09"
    assert body["sessions"] == 5
    assert body["days"] == 2.5
    assert body["length_label"] == "2.5 days"
    assert body["last_day"] == "2026-11-11"
    assert (body["return_date"], body["return_session"]) == ("2026-11-11", "pm")
    assert body["plan_id"] == suspension.plan.pk
    assert body["reasons"] == [{"code": "DB", "description": "Persistent or general disruptive behaviour"}]
    assert body["decided_by_role"] == "Headteacher"
    assert body["pupil_totals"]["year_days"] == 2.5
    assert body["pupil_totals"]["cap_remaining_days"] == 42.5


def test_the_list_filters_by_pupil_status_kind_and_dates(school, headteacher, pupil):
    other = PupilFactory(school=school)
    early = record(pupil, start=date(2026, 9, 14), sessions=2, decided_by=headteacher)
    late = record(pupil, start=date(2026, 11, 9), sessions=2, decided_by=headteacher)
    lunch = record(other, start=date(2026, 11, 10), sessions=1, kind="lunchtime", start_session="pm")
    cancel(early)
    client = api_client(make_token(headteacher))

    def ids(query: str) -> list[int]:
        return [s["id"] for s in client.get(f"{URL}?{query}").json()["items"]]

    assert ids("") == [lunch.pk, late.pk, early.pk]  # newest first
    assert ids(f"pupil={pupil.pk}") == [late.pk, early.pk]
    assert ids("status=cancelled") == [early.pk]
    assert ids("kind=lunchtime") == [lunch.pk]
    assert ids("start_from=2026-11-09&start_to=2026-11-09") == [late.pk]
    assert ids("returns_from=2026-11-10") == [lunch.pk, late.pk]
    assert ids("returns_to=2026-09-30") == [early.pk]


def test_a_teacher_sees_suspensions_without_the_reasons_or_the_incident(school, headteacher, teacher, pupil):
    suspension = record(pupil, start=date(2026, 11, 9), sessions=2, decided_by=headteacher)
    client = api_client(make_token(teacher))

    item = client.get(URL).json()["items"][0]
    incident = client.get(f"{URL}/{suspension.pk}/incident")

    assert item["reasons"] is None
    assert item["decided_by_role"] is None
    assert "incident_summary" not in item
    assert incident.status_code == 403
    assert INCIDENT not in incident.content.decode()


def test_pastoral_staff_read_the_incident_summary_and_it_is_audited(school, headteacher, pastoral_lead, pupil):
    suspension = record(pupil, start=date(2026, 11, 9), sessions=2, decided_by=headteacher)

    response = api_client(make_token(pastoral_lead)).get(f"{URL}/{suspension.pk}/incident")

    assert response.json() == {"suspension_id": suspension.pk, "incident_summary": INCIDENT}
    entry = LogEntry.objects.filter(action=LogEntry.Action.ACCESS).latest("id")
    assert entry.additional_data["what"].startswith("incident summary via the API")
    assert entry.actor == pastoral_lead


def test_another_schools_suspension_is_not_found(school, headteacher, other_school):
    theirs = record(PupilFactory(school=other_school), start=date(2026, 11, 9), sessions=2)
    client = api_client(make_token(headteacher))

    assert client.get(f"{URL}/{theirs.pk}").status_code == 404
    assert client.get(f"{URL}/{theirs.pk}/incident").status_code == 404
    assert client.get(URL).json()["count"] == 0


# --- Recording -----------------------------------------------------------------------------------------------------


def test_recording_a_suspension_computes_its_return_and_creates_its_plan_and_duties(school, headteacher, office):
    pupil = PupilFactory(school=school, legal_first_name="Jordan")
    response = post(api_client(make_token(office)), payload(pupil, headteacher))

    assert response.status_code == 201
    body = response.json()
    suspension = Suspension.objects.get(pk=body["id"])
    assert (body["return_date"], body["return_session"]) == ("2026-11-23", "am")
    assert suspension.recorded_by == office
    assert suspension.decided_by == headteacher
    assert body["plan_id"] == ReintegrationPlan.objects.get(suspension=suspension).pk
    assert Duty.objects.filter(suspension=suspension).exists()
    assert body["pupil_totals"]["term_days"] == 2


def test_recording_is_in_the_audit_trail_as_made_by_the_tokens_creator(school, headteacher, office, pupil):
    response = post(api_client(make_token(office)), payload(pupil, headteacher))

    suspension = Suspension.objects.get(pk=response.json()["id"])
    created = LogEntry.objects.get_for_object(suspension).get(action=LogEntry.Action.CREATE)
    assert created.actor == office


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"reasons": ["XX"]}, "reasons", "There is no reason code XX in force today."),
        ({"reasons": []}, "reasons", "Choose between one and three reasons."),
        ({"reasons": ["DB", "DA", "DM", "BU"]}, "reasons", "Choose between one and three reasons."),
        ({"incident_summary": ""}, "incident_summary", "Enter a summary of the incident."),
        ({"sessions": 91}, "sessions", "cannot be longer than 45 school days (90 sessions)"),
        ({"sessions": None}, "sessions", "Enter the length in sessions"),
        ({"misses_public_exam": True}, "exam_date", "Enter the date of the examination"),
        ({"follows": 999999}, "follows", "There is no confirmed suspension of this pupil"),
    ],
)
def test_a_suspension_the_page_would_refuse_is_refused_with_the_pages_message(
    school, headteacher, pupil, overrides, field, message
):
    response = post(api_client(make_token(headteacher)), payload(pupil, headteacher, **overrides))

    assert response.status_code == 422
    errors = response.json()["errors"]
    assert any(e["field"] == field and message in e["message"] for e in errors), errors
    assert not Suspension.objects.exists()


def test_only_a_headteacher_can_be_the_decision_maker(school, headteacher, pastoral_lead, pupil):
    response = post(api_client(make_token(headteacher)), payload(pupil, headteacher, decided_by=pastoral_lead.pk))

    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "decided_by", "message": "Choose the headteacher who decided the suspension."}
    ]


def test_a_suspension_over_the_45_day_limit_is_refused_by_the_service(school, headteacher, pupil):
    record(pupil, start=date(2026, 9, 3), sessions=90, decided_by=headteacher)

    response = post(api_client(make_token(headteacher)), payload(pupil, headteacher, start_date="2026-11-23"))

    assert response.status_code == 422
    assert response.json()["detail"] == "The request was refused: see errors."
    assert "over the limit of 45" in response.json()["errors"][0]["message"]
    assert Suspension.objects.count() == 1


def test_an_overlapping_suspension_is_refused(school, headteacher, pupil):
    record(pupil, start=date(2026, 11, 19), sessions=4, decided_by=headteacher)

    response = post(api_client(make_token(headteacher)), payload(pupil, headteacher))

    assert response.status_code == 422
    assert "A pupil cannot be suspended twice at once." in response.json()["errors"][0]["message"]


def test_a_further_suspension_follows_an_earlier_one(school, headteacher, pupil):
    earlier = record(pupil, start=date(2026, 11, 9), sessions=2, decided_by=headteacher)

    response = post(
        api_client(make_token(headteacher)),
        payload(pupil, headteacher, start_date="2026-11-11", follows=earlier.pk),
    )

    assert response.status_code == 201
    assert response.json()["follows_id"] == earlier.pk


def test_a_teacher_cannot_record_a_suspension(school, headteacher, teacher, pupil):
    response = post(api_client(make_token(teacher)), payload(pupil, headteacher))

    assert response.status_code == 403
    assert not Suspension.objects.exists()


def test_a_suspension_of_another_schools_pupil_is_not_found(school, headteacher, other_school):
    theirs = PupilFactory(school=other_school)

    response = post(api_client(make_token(headteacher)), payload(theirs, headteacher))

    assert response.status_code == 404


def test_the_reason_codes_and_decision_makers_to_record_with(school, headteacher):
    acting = MembershipFactory(school=school, role=Role.HEADTEACHER, is_acting=True, user__username="acting").user
    client = api_client(make_token(headteacher, role=Role.OFFICE))

    codes = client.get("/api/v1/reason-codes").json()
    makers = client.get("/api/v1/decision-makers").json()

    assert "DB" in [c["code"] for c in codes]
    assert {m["user_id"]: m["is_acting"] for m in makers} == {headteacher.pk: False, acting.pk: True}


# --- Cancelling ------------------------------------------------------------------------------------------------------


def test_cancelling_keeps_the_record_with_the_reason(school, headteacher, pupil):
    suspension = record(pupil, start=date(2026, 11, 19), sessions=2, decided_by=headteacher)

    response = post(
        api_client(make_token(headteacher)), {"reason": "New evidence (fictional)."}, f"{URL}/{suspension.pk}/cancel"
    )

    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"
    assert response.json()["cancellation_reason"] == "New evidence (fictional)."
    assert response.json()["pupil_totals"]["term_days"] == 0


def test_cancelling_twice_or_without_a_reason_is_refused(school, headteacher, pupil):
    suspension = record(pupil, start=date(2026, 11, 19), sessions=2, decided_by=headteacher)
    client = api_client(make_token(headteacher))

    empty = post(client, {"reason": "  "}, f"{URL}/{suspension.pk}/cancel")
    post(client, {"reason": "Fictional reason."}, f"{URL}/{suspension.pk}/cancel")
    again = post(client, {"reason": "Fictional reason."}, f"{URL}/{suspension.pk}/cancel")

    assert empty.status_code == 422
    assert empty.json()["errors"][0]["field"] == "reason"
    assert again.status_code == 422
    assert again.json()["errors"] == [{"field": "", "message": "This suspension has already been cancelled."}]


def test_pastoral_staff_cannot_cancel_a_suspension(school, headteacher, pastoral_lead, pupil):
    suspension = record(pupil, start=date(2026, 11, 19), sessions=2, decided_by=headteacher)

    response = post(api_client(make_token(pastoral_lead)), {"reason": "Fictional."}, f"{URL}/{suspension.pk}/cancel")

    assert response.status_code == 403
    suspension.refresh_from_db()
    assert not suspension.is_cancelled


def test_the_suspension_list_reads_a_fixed_number_of_queries(school, headteacher, django_assert_max_num_queries):
    for n in range(12):
        record(PupilFactory(school=school), start=date(2026, 11, 9), sessions=2 + n % 3, decided_by=headteacher)
    client = api_client(make_token(headteacher))
    client.get("/api/v1/me")

    # token, count, page (with plans), reasons, audit INSERT (+ its content type once)
    with django_assert_max_num_queries(6):
        response = client.get(URL)

    assert len(response.json()["items"]) == 12

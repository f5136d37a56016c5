"""Statutory tasks through the API: the list and its filters, one task, and recording one as done."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from api.tests.conftest import api_client, make_token
from duties.models import Duty
from testsupport.factories import PupilFactory
from testsupport.suspensions import record

pytestmark = pytest.mark.django_db


def complete(client: Any, duty: Duty, **data: Any) -> Any:
    body = {"done_at": "2026-11-18T09:30:00+00:00", "method": "phone", "evidence": "Spoke to the mother (fictional)."}
    body.update(data)
    return client.post(f"/api/v1/duties/{duty.pk}/complete", body, content_type="application/json")


def test_the_list_gives_every_duty_a_suspension_triggered_soonest_first(school, headteacher, pupil):
    suspension = record(pupil, start=date(2026, 11, 19), sessions=4, decided_by=headteacher)

    body = api_client(make_token(headteacher)).get("/api/v1/duties").json()

    assert body["count"] == Duty.objects.filter(suspension=suspension).count() > 0
    due = [item["due_date"] for item in body["items"]]
    assert due == sorted(due)
    parents = next(item for item in body["items"] if item["kind"] == "parents_told")
    assert parents["kind_label"] == "Tell the parents by phone or in person"
    assert parents["status"] == "open"


def test_the_list_filters_by_status_kind_owner_pupil_and_due_date(school, headteacher, pupil):
    record(pupil, start=date(2026, 11, 19), sessions=4, decided_by=headteacher)
    other = PupilFactory(school=school)
    record(other, start=date(2026, 11, 9), sessions=2, decided_by=headteacher)
    letter = Duty.objects.get(pupil=pupil, kind=Duty.Kind.PARENTS_LETTER)
    client = api_client(make_token(headteacher))
    complete(client, letter)

    def kinds(query: str) -> set[tuple[int, str]]:
        return {(d["pupil_id"], d["kind"]) for d in client.get(f"/api/v1/duties?{query}&limit=200").json()["items"]}

    assert kinds("status=done") == {(pupil.pk, "parents_letter")}
    assert (pupil.pk, "parents_letter") not in kinds("status=open")
    assert kinds("kind=parents_told") == {(pupil.pk, "parents_told"), (other.pk, "parents_told")}
    assert {p for p, _ in kinds(f"pupil={other.pk}")} == {other.pk}
    assert kinds("owner_role=office") == {(d.pupil_id, d.kind) for d in Duty.objects.filter(owner_role="office")}
    due = {d["due_date"] for d in client.get("/api/v1/duties?due_from=2026-11-19&due_to=2026-11-19").json()["items"]}
    assert due == {"2026-11-19"}


def test_recording_a_duty_as_done_keeps_who_when_and_how(school, headteacher, office, pupil):
    record(pupil, start=date(2026, 11, 19), sessions=4, decided_by=headteacher)
    duty = Duty.objects.get(pupil=pupil, kind=Duty.Kind.PARENTS_TOLD)

    response = complete(api_client(make_token(office)), duty)

    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["method"], body["done_by"]) == ("done", "phone", office.get_full_name())
    assert body["done_at"] == "2026-11-18T09:30:00Z"
    duty.refresh_from_db()
    assert duty.done_by == office


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"done_at": "2026-11-18T10:01:00+00:00"}, "done_at", "must not be in the future"),
        ({"method": "pigeon"}, "method", "Input should be"),
        ({"done_at": "1999-12-31T10:00:00"}, "done_at", "between 01/01/2000 and 31/12/2100"),
    ],
)
def test_a_duty_done_in_the_future_or_without_a_method_is_refused(school, headteacher, pupil, data, field, message):
    record(pupil, start=date(2026, 11, 19), sessions=4, decided_by=headteacher)
    duty = Duty.objects.get(pupil=pupil, kind=Duty.Kind.PARENTS_TOLD)

    response = complete(api_client(make_token(headteacher)), duty, **data)

    assert response.status_code == 422
    assert any(e["field"] == field and message in e["message"] for e in response.json()["errors"])
    duty.refresh_from_db()
    assert duty.status == Duty.Status.OPEN


def test_a_duty_already_done_cannot_be_done_again(school, headteacher, pupil):
    record(pupil, start=date(2026, 11, 19), sessions=4, decided_by=headteacher)
    duty = Duty.objects.get(pupil=pupil, kind=Duty.Kind.PARENTS_TOLD)
    client = api_client(make_token(headteacher))
    complete(client, duty)

    again = complete(client, duty, method="email")

    assert again.status_code == 422
    assert "already" in again.json()["errors"][0]["message"]


def test_teachers_and_governors_do_not_see_duties(school, headteacher, teacher, governor, pupil):
    record(pupil, start=date(2026, 11, 19), sessions=4, decided_by=headteacher)
    duty = Duty.objects.filter(pupil=pupil).first()
    assert duty is not None

    for persona in (teacher, governor):
        client = api_client(make_token(persona))
        assert client.get("/api/v1/duties").status_code == 403
        assert client.get(f"/api/v1/duties/{duty.pk}").status_code == 403
        assert complete(client, duty).status_code == 403


def test_another_schools_duty_is_not_found(school, headteacher, other_school):
    record(PupilFactory(school=other_school), start=date(2026, 11, 19), sessions=4)
    theirs = Duty.objects.first()
    assert theirs is not None
    client = api_client(make_token(headteacher))

    assert client.get(f"/api/v1/duties/{theirs.pk}").status_code == 404
    assert complete(client, theirs).status_code == 404


def test_the_duty_list_reads_a_fixed_number_of_queries(school, headteacher, django_assert_max_num_queries):
    for _ in range(5):
        record(PupilFactory(school=school), start=date(2026, 11, 19), sessions=4, decided_by=headteacher)
    client = api_client(make_token(headteacher))
    client.get("/api/v1/me")

    # token, count, page (pupil, suspension, timetable and who did it joined in), audit INSERT (+ content type)
    with django_assert_max_num_queries(5):
        response = client.get("/api/v1/duties?limit=200")

    assert response.json()["count"] == len(response.json()["items"]) >= 15

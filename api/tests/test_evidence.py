"""Evidence through the API: behaviour events, weeks of attendance and register marks, sent in batches all or
nothing and idempotently, and listed with filters."""

from __future__ import annotations

from typing import Any

import pytest

from api.schemas import MAX_ITEMS
from api.tests.conftest import api_client, make_token
from evidence.models import AttendanceMark, AttendanceWeek, BehaviourEvent
from schools.models import Role
from testsupport.factories import PupilFactory

pytestmark = pytest.mark.django_db


def send(client: Any, what: str, items: list[dict[str, Any]]) -> Any:
    return client.post(f"/api/v1/{what}", {"items": items}, content_type="application/json")


@pytest.fixture
def office_api(school, headteacher) -> Any:
    return api_client(make_token(headteacher, role=Role.OFFICE, name="MIS nightly sync"))


def event(pupil: Any, **overrides: Any) -> dict[str, Any]:
    row = {
        "upn": pupil.upn,
        "occurred_on": "2026-11-16",
        "kind": "incident",
        "category": "Disruption",
        "points": -2,
        "description": "Fictional: talked over the teacher.",
        "source_id": "",
    }
    row.update(overrides)
    return row


def week(pupil: Any, **overrides: Any) -> dict[str, Any]:
    row = {
        "upn": pupil.upn,
        "week_start": "2026-11-16",
        "possible_sessions": 10,
        "attended_sessions": 9,
        "late_sessions": 1,
        "suspended_sessions": 0,
    }
    row.update(overrides)
    return row


# --- Behaviour events ------------------------------------------------------------------------------------------------


def test_sending_the_same_behaviour_events_again_changes_nothing(office_api, pupil):
    rows = [event(pupil, source_id="SIMS-1001"), event(pupil, occurred_on="2026-11-17", category="Late to lesson")]

    first = send(office_api, "behaviour-events", rows)
    again = send(office_api, "behaviour-events", rows)

    assert first.json() == {"created": 2, "updated": 0, "unchanged": 0}
    assert again.json() == {"created": 0, "updated": 0, "unchanged": 2}
    assert BehaviourEvent.objects.count() == 2


def test_an_event_with_an_mis_id_is_updated_in_place(office_api, pupil):
    send(office_api, "behaviour-events", [event(pupil, source_id="SIMS-1001", points=-2)])

    response = send(office_api, "behaviour-events", [event(pupil, source_id="SIMS-1001", points=-3)])

    assert response.json() == {"created": 0, "updated": 1, "unchanged": 0}
    assert BehaviourEvent.objects.get().points == -3


def test_one_bad_row_rejects_the_whole_batch(office_api, pupil, other_school):
    stranger = PupilFactory(school=other_school)
    rows = [event(pupil), event(pupil, upn=stranger.upn), event(pupil, upn="A123")]

    response = send(office_api, "behaviour-events", rows)

    assert response.status_code == 422
    fields = [e["field"] for e in response.json()["errors"]]
    assert fields == ["items.1.upn", "items.2.upn"]
    assert "There is no pupil with UPN" in response.json()["errors"][0]["message"]
    assert not BehaviourEvent.objects.exists()


def test_two_rows_with_the_same_mis_id_are_refused(office_api, pupil):
    response = send(office_api, "behaviour-events", [event(pupil, source_id="X1"), event(pupil, source_id="X1")])

    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "items.1", "message": "This row repeats row 0 (the same MIS id)."}]


def test_behaviour_events_are_listed_by_date_with_filters(office_api, pupil, school):
    other = PupilFactory(school=school)
    send(
        office_api,
        "behaviour-events",
        [
            event(pupil, occurred_on="2026-11-02"),
            event(pupil, occurred_on="2026-11-16", category="Late to lesson"),
            event(other, occurred_on="2026-11-10", kind="achievement", category="Kindness", points=3),
        ],
    )

    def dates(query: str) -> list[str]:
        return [e["occurred_on"] for e in office_api.get(f"/api/v1/behaviour-events?{query}").json()["items"]]

    assert dates("") == ["2026-11-02", "2026-11-10", "2026-11-16"]
    assert dates(f"pupil={pupil.pk}") == ["2026-11-02", "2026-11-16"]
    assert dates(f"upn={other.upn}") == ["2026-11-10"]
    assert dates("kind=achievement") == ["2026-11-10"]
    assert dates("category=late to lesson") == ["2026-11-16"]
    assert dates("date_from=2026-11-03&date_to=2026-11-16") == ["2026-11-10", "2026-11-16"]


# --- Attendance --------------------------------------------------------------------------------------------------


def test_a_week_sent_again_replaces_what_was_there(office_api, pupil):
    first = send(office_api, "attendance-weeks", [week(pupil)])
    same = send(office_api, "attendance-weeks", [week(pupil)])
    changed = send(office_api, "attendance-weeks", [week(pupil, attended_sessions=8, suspended_sessions=2)])

    assert first.json() == {"created": 1, "updated": 0, "unchanged": 0}
    assert same.json() == {"created": 0, "updated": 0, "unchanged": 1}
    assert changed.json() == {"created": 0, "updated": 1, "unchanged": 0}
    stored = AttendanceWeek.objects.get()
    assert (stored.attended_sessions, stored.suspended_sessions) == (8, 2)
    listed = office_api.get("/api/v1/attendance-weeks").json()["items"]
    assert listed[0]["percentage"] == 80.0


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"week_start": "2026-11-17"}, "items.0.week_start", "must start on a Monday; 17/11/2026 is a Tuesday."),
        ({"attended_sessions": 10, "possible_sessions": 9}, "items.0.attended_sessions", "cannot be more than"),
        ({"late_sessions": 10}, "items.0.late_sessions", "cannot be more than attended"),
        ({"possible_sessions": 11}, "items.0.possible_sessions", "less than or equal to 10"),
    ],
)
def test_a_week_that_cannot_be_right_is_refused(office_api, pupil, overrides, field, message):
    response = send(office_api, "attendance-weeks", [week(pupil, **overrides)])

    assert response.status_code == 422
    assert any(e["field"] == field and message in e["message"] for e in response.json()["errors"])
    assert not AttendanceWeek.objects.exists()


def test_register_marks_are_keyed_by_pupil_date_and_session(office_api, pupil):
    rows = [
        {"upn": pupil.upn, "date": "2026-11-16", "session": "am", "code": "/"},
        {"upn": pupil.upn, "date": "2026-11-16", "session": "pm", "code": "e"},
    ]

    first = send(office_api, "attendance-marks", rows)
    again = send(office_api, "attendance-marks", rows)
    corrected = send(office_api, "attendance-marks", [{**rows[0], "code": "L"}])

    assert first.json() == {"created": 2, "updated": 0, "unchanged": 0}
    assert again.json() == {"created": 0, "updated": 0, "unchanged": 2}
    assert corrected.json() == {"created": 0, "updated": 1, "unchanged": 0}
    assert sorted(AttendanceMark.objects.values_list("session", "code")) == [("am", "L"), ("pm", "E")]
    suspended = office_api.get("/api/v1/attendance-marks?code=e").json()["items"]
    assert [(m["date"], m["session"]) for m in suspended] == [("2026-11-16", "pm")]


def test_a_batch_has_at_most_a_thousand_rows(office_api, pupil):
    rows = [{"upn": pupil.upn, "date": "2026-11-16", "session": "am", "code": "/"}] * (MAX_ITEMS + 1)

    response = send(office_api, "attendance-marks", rows)

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "items"


def test_sending_evidence_needs_import_data_and_reading_it_needs_plan_detail_or_import_data(
    school, headteacher, pastoral_lead, teacher, pupil
):
    pastoral = api_client(make_token(pastoral_lead))
    teacher_api = api_client(make_token(teacher))

    assert send(pastoral, "attendance-weeks", [week(pupil)]).status_code == 403
    assert pastoral.get("/api/v1/attendance-weeks").status_code == 200
    assert teacher_api.get("/api/v1/attendance-weeks").status_code == 403
    assert teacher_api.get("/api/v1/behaviour-events").status_code == 403
    assert not AttendanceWeek.objects.exists()


def test_evidence_of_another_school_is_neither_listed_nor_writable(office_api, other_school, other_head):
    theirs = PupilFactory(school=other_school)
    api_client(make_token(other_head)).post(
        "/api/v1/attendance-weeks", {"items": [week(theirs)]}, content_type="application/json"
    )

    assert office_api.get("/api/v1/attendance-weeks").json()["count"] == 0
    assert send(office_api, "attendance-weeks", [week(theirs)]).status_code == 422
    assert AttendanceWeek.objects.count() == 1


def test_a_batch_of_a_thousand_rows_is_written_in_a_fixed_number_of_queries(
    school, office_api, django_assert_max_num_queries
):
    pupils = [PupilFactory(school=school) for _ in range(50)]
    rows = [
        {"upn": p.upn, "date": f"2026-11-{day:02d}", "session": session, "code": "/"}
        for p in pupils
        for day in range(2, 12)
        for session in ("am", "pm")
    ]
    office_api.get("/api/v1/me")

    # token, savepoint, pupils, existing marks, one bulk INSERT (SQLite takes up to 999 variables a statement:
    # Django splits the 1,000 rows into a few), savepoint release
    with django_assert_max_num_queries(12):
        response = send(office_api, "attendance-marks", rows)

    assert response.json() == {"created": 1000, "updated": 0, "unchanged": 0}


def test_the_evidence_lists_read_a_fixed_number_of_queries(school, office_api, django_assert_max_num_queries):
    pupils = [PupilFactory(school=school) for _ in range(20)]
    send(office_api, "behaviour-events", [event(p) for p in pupils])
    send(office_api, "attendance-weeks", [week(p) for p in pupils])
    office_api.get("/api/v1/me")

    for what in ("behaviour-events", "attendance-weeks", "attendance-marks"):
        with django_assert_max_num_queries(3):  # token, count, page with the pupils joined in
            office_api.get(f"/api/v1/{what}")

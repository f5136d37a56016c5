"""Pupils through the API: the list and its filters, one pupil with their suspension days, contacts, and what each
role may see."""

from __future__ import annotations

from datetime import date

import pytest
from auditlog.models import LogEntry

from api.tests.conftest import api_client, make_token
from pupils.models import Pupil
from schools.models import Role
from testsupport.factories import ContactFactory, PupilFactory
from testsupport.suspensions import record

pytestmark = pytest.mark.django_db

SEN_DETAIL = "Fictional SEN detail: uses a coloured overlay for reading."


def test_the_list_gives_the_schools_pupils_on_roll_by_surname(school, other_school, headteacher):
    PupilFactory(school=school, legal_first_name="Zara", legal_last_name="Young")
    PupilFactory(school=school, legal_first_name="Amir", legal_last_name="Baker")
    PupilFactory(school=school, legal_first_name="Left", legal_last_name="Already", is_active=False)
    PupilFactory(school=other_school, legal_first_name="Other", legal_last_name="School")

    body = api_client(make_token(headteacher)).get("/api/v1/pupils").json()

    assert body["count"] == 2
    assert [p["display_name"] for p in body["items"]] == ["Amir Baker", "Zara Young"]


def test_the_list_filters_by_search_year_group_and_upn(school, headteacher):
    jordan = PupilFactory(school=school, legal_first_name="Jordan", legal_last_name="Ashby", year_group="9")
    PupilFactory(school=school, legal_first_name="Jordan", legal_last_name="Bell", year_group="7")
    gone = PupilFactory(school=school, legal_first_name="Casey", legal_last_name="Gone", is_active=False)
    client = api_client(make_token(headteacher))

    def names(query: str) -> list[str]:
        return [p["display_name"] for p in client.get(f"/api/v1/pupils?{query}").json()["items"]]

    assert names("search=jordan") == ["Jordan Ashby", "Jordan Bell"]
    assert names("search=jordan&year_group=9") == ["Jordan Ashby"]
    assert names("year_group=7") == ["Jordan Bell"]
    assert names(f"upn={jordan.upn.lower()}") == ["Jordan Ashby"]
    assert names(f"upn={gone.upn}") == ["Casey Gone"]  # a UPN also finds a pupil who has left
    assert names("search=casey") == ["Casey Gone"]


def test_an_unknown_year_group_is_refused(school, headteacher):
    response = api_client(make_token(headteacher)).get("/api/v1/pupils?year_group=14")

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "year_group"


def test_one_pupil_has_their_days_of_suspension_this_term_and_year(school, headteacher, pupil):
    record(pupil, start=date(2026, 11, 9), sessions=4, decided_by=headteacher)
    record(pupil, start=date(2026, 11, 16), sessions=3, decided_by=headteacher)

    body = api_client(make_token(headteacher)).get(f"/api/v1/pupils/{pupil.pk}").json()

    assert body["upn"] == pupil.upn
    assert body["suspension_totals"] == {
        "as_of": "2026-11-18",
        "term_label": "Autumn 2026",
        "year_label": "2026/27",
        "term_sessions": 7,
        "term_days": 3.5,
        "year_sessions": 7,
        "year_days": 3.5,
        "cap_remaining_sessions": 83,
        "cap_remaining_days": 41.5,
        "near_cap": False,
    }


def test_the_sen_detail_and_suspension_days_are_only_for_roles_that_see_them(school, headteacher, teacher):
    pupil = PupilFactory(school=school, sen_status=Pupil.SEN.SUPPORT, sen_detail=SEN_DETAIL)
    dpo = make_token(headteacher, role=Role.DATA_PROTECTION_OFFICER)

    head_view = api_client(make_token(headteacher)).get(f"/api/v1/pupils/{pupil.pk}").json()
    teacher_view = api_client(make_token(teacher)).get(f"/api/v1/pupils/{pupil.pk}").json()
    dpo_view = api_client(dpo).get(f"/api/v1/pupils/{pupil.pk}").json()

    assert head_view["sen_detail"] == SEN_DETAIL
    assert teacher_view["sen_detail"] is None
    assert teacher_view["flags"] == ["SEN support"]
    assert teacher_view["suspension_totals"] is not None
    assert dpo_view["suspension_totals"] is None  # a DPO does not see suspensions


def test_contacts_are_for_roles_that_see_them(school, headteacher, teacher, pupil):
    ContactFactory(pupil=pupil, name="Fictional Parent Ashby", phone="01632 960123", priority=1)

    head = api_client(make_token(headteacher)).get(f"/api/v1/pupils/{pupil.pk}/contacts")
    refused = api_client(make_token(teacher)).get(f"/api/v1/pupils/{pupil.pk}/contacts")

    assert head.status_code == 200
    assert [(c["name"], c["phone"]) for c in head.json()] == [("Fictional Parent Ashby", "01632 960123")]
    assert refused.status_code == 403
    assert "Teacher" in refused.json()["detail"]


def test_another_schools_pupil_is_not_found(school, headteacher, other_school):
    theirs = PupilFactory(school=other_school)
    client = api_client(make_token(headteacher))

    assert client.get(f"/api/v1/pupils/{theirs.pk}").status_code == 404
    assert client.get(f"/api/v1/pupils/{theirs.pk}/contacts").status_code == 404
    assert client.get(f"/api/v1/pupils?upn={theirs.upn}").json()["count"] == 0


def test_each_pupil_returned_is_in_the_audit_trail_with_the_token(school, headteacher, pupil):
    client = api_client(make_token(headteacher, name="MIS nightly sync"))

    client.get("/api/v1/pupils")
    client.get(f"/api/v1/pupils/{pupil.pk}")

    entries = LogEntry.objects.filter(action=LogEntry.Action.ACCESS, object_pk=str(pupil.pk))
    assert entries.count() == 2
    entry = entries.first()
    assert entry is not None
    assert entry.actor == headteacher
    assert entry.additional_data["pupil_id"] == pupil.pk
    assert entry.additional_data["what"] == "pupil via the API (token 'MIS nightly sync')"


def test_the_pupil_list_reads_a_fixed_number_of_queries(school, headteacher, django_assert_max_num_queries):
    for n in range(30):
        PupilFactory(school=school, legal_last_name=f"Pupil{n:02d}")
    client = api_client(make_token(headteacher))
    client.get("/api/v1/me")  # the token's last use is written once a minute: not part of the count

    # token, count, page, content type for the audit trail (cached after), audit INSERT
    with django_assert_max_num_queries(5):
        response = client.get("/api/v1/pupils?limit=30")

    assert len(response.json()["items"]) == 30

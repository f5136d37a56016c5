"""Subject access: a ZIP of everything held about one pupil (record.pdf, data.json, README.txt).

All data is fictional. Time is frozen at Wednesday 18/11/2026.
"""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date, time
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import client_for
from documents.letters import LetterInputs, Recipient
from documents.models import IssuedDocument, LetterKind
from documents.services import letter_issue
from pupils.subject_access import (
    pupil_subject_access_data,
    pupil_subject_access_export,
    subject_access_pdf_html,
)
from pupils.tests.test_retention import FIRST, LAST, PARENT, PHONE, PREFERRED, full_record
from schools.models import Role
from testsupport.documents import pdf_text
from testsupport.factories import MembershipFactory, PupilFactory
from testsupport.plans import active_plan, page_html, page_text
from testsupport.suspensions import headteacher_of, record


@pytest.fixture
def dpo(school):
    return MembershipFactory(school=school, role=Role.DATA_PROTECTION_OFFICER, user__username="dpo").user


@pytest.fixture
def senior_leader(school):
    return MembershipFactory(school=school, role=Role.SENIOR_LEADER, user__username="senior").user


@pytest.fixture
def subject(school):
    """A pupil with every kind of record: contacts, suspensions, a plan with meeting, goal, review and more."""
    pupil = PupilFactory(
        school=school,
        legal_first_name=FIRST,
        legal_last_name=LAST,
        preferred_first_name=PREFERRED,
        year_group="9",
        sen_detail=f"{FIRST} has dyslexia; reading support twice a week.",
    )
    full_record(pupil)
    return pupil


def url(pupil) -> str:
    return reverse("pupils:subject_access", args=[pupil.pk])


def download(user, pupil) -> Any:
    return client_for(user).post(url(pupil))


def unzip(response) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(response.content))


# Access


@pytest.mark.parametrize("persona", ["headteacher", "dpo"])
def test_the_headteacher_and_the_data_protection_officer_see_the_export_page(persona, request, subject):
    response = client_for(request.getfixturevalue(persona)).get(url(subject))

    assert response.status_code == 200
    text = page_text(response)
    assert "Everything held about Zeph Quillfeather" in text
    assert "Download everything held about Zeph Quillfeather (ZIP)" in text
    for name in ("record.pdf", "data.json", "README.txt"):
        assert name in text


@pytest.mark.parametrize("persona", ["senior_leader", "pastoral_lead", "senco", "teacher", "office", "governor"])
def test_other_roles_may_not_export_a_pupils_data(persona, request, subject):
    client = client_for(request.getfixturevalue(persona))

    assert client.get(url(subject)).status_code == 403
    assert client.post(url(subject)).status_code == 403


def test_another_schools_headteacher_gets_not_found(other_head, subject):
    client = client_for(other_head)

    assert client.get(url(subject)).status_code == 404
    assert client.post(url(subject)).status_code == 404


def test_an_unknown_pupil_is_not_found(headteacher):
    assert client_for(headteacher).get(reverse("pupils:subject_access", args=[999999])).status_code == 404


def test_the_pupil_page_links_to_the_export_only_for_roles_that_may_export(headteacher, teacher, dpo, subject):
    link = f'href="{url(subject)}"'

    assert link in page_html(client_for(headteacher).get(reverse("pupils:detail", args=[subject.pk])))
    assert link in page_html(client_for(dpo).get(reverse("pupils:detail", args=[subject.pk])))
    assert link not in page_html(client_for(teacher).get(reverse("pupils:detail", args=[subject.pk])))


def test_the_download_needs_a_csrf_token(headteacher, subject):
    client = client_for(headteacher)
    client.handler.enforce_csrf_checks = True

    assert client.post(url(subject)).status_code == 403

    token = client.get(url(subject)).context["csrf_token"]
    assert client.post(url(subject), {"csrfmiddlewaretoken": str(token)}).status_code == 200


# The ZIP


def test_the_download_is_a_zip_named_after_the_upn_and_the_date(headteacher, subject):
    response = download(headteacher, subject)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == f'attachment; filename="subject-access-{subject.upn}-20261118.zip"'
    assert response["Cache-Control"] == "no-store"
    assert sorted(unzip(response).namelist()) == ["README.txt", "data.json", "record.pdf"]


def test_the_json_holds_everything_about_the_pupil(headteacher, subject):
    data = json.loads(unzip(download(headteacher, subject)).read("data.json"))

    assert data["generated_at"].startswith("2026-11-18T10:00:00")
    assert data["school"] == {"name": "Larkfield Academy", "urn": "999001"}
    assert data["generated_by"] == "Headteacher"
    assert data["pupil"]["legal_first_name"] == FIRST
    assert data["pupil"]["sen_detail"].startswith(f"{FIRST} has dyslexia")
    assert data["contacts"][0]["phone"] == PHONE
    assert data["previous_school_suspensions"][0]["school_name"] == "Hillcrest Primary"
    first, second = data["suspensions"]
    assert first["status"]["code"] == "cancelled"
    assert first["cancellation_reason"].startswith("CCTV showed")
    assert second["start_date"] == "2026-11-09"
    assert second["reasons"][0]["code"] == "DB"
    assert second["board_consideration"]["decision"]["code"] == "noted"
    plan = data["plans"][-1]
    assert [p["name"] for p in plan["meeting"]["participants"]] == [f"{FIRST} {LAST}", PARENT]
    assert plan["goals"][0]["criteria"][0]["measure"] == "On-call logs per week"
    assert plan["goals"][0]["support_actions"][0]["owner"] == PARENT
    review = plan["reviews"][0]
    assert review["notes"] == f"{FIRST} settled well."
    assert review["criterion_results"][0]["observed_value"] == "1.00"
    assert review["snapshot"]["goals"]
    assert plan["part_time_timetables"][0]["start_date"] == "2026-11-23"
    assert any(d["evidence"] == f"Spoke to {PARENT} on {PHONE}." for d in data["duties"])


def test_the_letters_sent_to_the_family_are_in_the_export(headteacher, subject):
    suspension = subject.suspensions.filter(status="confirmed").get()
    letter_issue(
        suspension=suspension,
        kind=LetterKind.SUSPENSION_NOTICE,
        inputs=LetterInputs(
            recipients=(Recipient(name=PARENT, relationship="Mother"),),
            issued_on=date(2026, 11, 18),
            reasons="Left lessons without permission.",
            return_time=time(8, 30),
            work_arrangements="Work is emailed each morning.",
        ),
        channel=IssuedDocument.Channel.PRINT,
        issued_by=headteacher,
        idempotency_key="sar",
    )

    export = unzip(download(headteacher, subject))

    letter = json.loads(export.read("data.json"))["letters"][0]
    assert letter["kind"]["label"] == "Notice of suspension"
    assert letter["channel"]["code"] == "print"
    assert letter["recipients"] == [{"name": PARENT, "relationship": "Mother"}]
    assert f"Dear {PARENT}" in letter["text"]
    assert "Letters to the family" in pdf_text(export.read("record.pdf"))


def test_the_json_names_the_exporter_by_role_only(dpo, subject):
    data = json.loads(unzip(download(dpo, subject)).read("data.json"))

    assert data["generated_by"] == "Data protection officer"
    assert dpo.username not in json.dumps(data)


def test_the_readme_explains_the_files(headteacher, subject):
    readme = unzip(download(headteacher, subject)).read("README.txt").decode()

    assert "record.pdf" in readme
    assert "data.json" in readme
    assert "Exported on 18/11/2026 at 10:00 by the school's headteacher." in readme


def test_the_pdf_is_a_readable_record_with_uk_dates(headteacher, subject):
    pdf = unzip(download(headteacher, subject)).read("record.pdf")

    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf)
    assert "Everything held about Zeph Quillfeather" in text
    assert f"{FIRST} {LAST}" in text
    assert "Suspension from 09/11/2026" in text
    assert PHONE in text
    assert f"{FIRST} settled well." in text
    assert "Page 1 of" in text


def test_the_pdf_is_rendered_from_the_record_with_headings_per_section(subject):
    data = pupil_subject_access_data(pupil=subject, generated_by_role="Headteacher", now=timezone.now())

    html = subject_access_pdf_html(data)

    for heading in ("The pupil", "Contacts", "Suspensions", "Reintegration plans", "Statutory duties"):
        assert f"<h2>{heading}</h2>" in html
    assert "<h4>Review on 18/11/2026</h4>" in html
    assert "Suspension from 05/10/2026 (cancelled)" in html


def test_the_export_has_at_least_one_pdf_page(subject):
    export = pupil_subject_access_export(pupil=subject, generated_by_role="Headteacher")

    assert export.pdf_pages >= 1


def test_a_pupil_with_no_records_gets_a_short_export_saying_so(headteacher, school):
    pupil = PupilFactory(school=school, legal_first_name="Ottoline", legal_last_name="Pennywhistle")

    archive = unzip(download(headteacher, pupil))

    data = json.loads(archive.read("data.json"))
    assert (data["contacts"], data["suspensions"], data["plans"]) == ([], [], [])
    text = pdf_text(archive.read("record.pdf"))
    assert "No suspensions are recorded." in text
    assert "No reintegration plans are recorded." in text


def test_the_download_is_recorded_in_the_audit_trail(headteacher, subject):
    download(headteacher, subject)

    entry = LogEntry.objects.filter(action=LogEntry.Action.ACCESS, object_pk=str(subject.pk)).get()
    assert entry.actor == headteacher
    assert entry.additional_data["what"] == "subject access export"


def test_the_data_is_read_in_the_same_number_of_queries_however_many_suspensions(school):
    one = PupilFactory(school=school)
    active_plan(one, headteacher_of(one))
    many = PupilFactory(school=school)
    active_plan(many, headteacher_of(many))
    for start in (date(2026, 9, 14), date(2026, 9, 21), date(2026, 10, 5)):
        record(many, start=start, sessions=2)

    with CaptureQueriesContext(connection) as few_rows:
        pupil_subject_access_data(pupil=one, generated_by_role="Headteacher", now=timezone.now())
    with CaptureQueriesContext(connection) as more_rows:
        data = pupil_subject_access_data(pupil=many, generated_by_role="Headteacher", now=timezone.now())

    assert (len(data["suspensions"]), len(data["plans"])) == (4, 4)
    assert len(more_rows.captured_queries) == len(few_rows.captured_queries)
    assert len(few_rows.captured_queries) <= 20

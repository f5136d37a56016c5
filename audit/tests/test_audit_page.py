"""The audit trail of one pupil: who may see it, what it shows, and that it reads in a fixed number of queries."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from auditlog.models import LogEntry
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from audit.access import record_access
from conftest import client_for
from pupils.models import PreviousSchoolSuspension
from testsupport.factories import ContactFactory, PupilFactory
from testsupport.plans import activate, active_plan, draft_plan, page_text

ADDRESS = "203.0.113.40"


def url(pupil) -> str:
    return reverse("audit:pupil", args=[pupil.pk])


def view_as(user, pupil, times: int = 1) -> None:
    request = RequestFactory().get("/", REMOTE_ADDR=ADDRESS)
    request.user = user
    for _ in range(times):
        record_access(request, pupil, what="pupil page")


# Access


@pytest.mark.parametrize("persona", ["headteacher", "dpo"])
def test_the_headteacher_and_the_data_protection_officer_see_the_audit_trail(persona, request, pupil):
    response = client_for(request.getfixturevalue(persona)).get(url(pupil))
    assert response.status_code == 200
    assert '<h1 class="heading-xl">Audit trail</h1>' in response.content.decode()


@pytest.mark.parametrize("persona", ["pastoral_lead", "senco", "teacher", "office", "governor"])
def test_other_roles_may_not_see_the_audit_trail(persona, request, pupil):
    assert client_for(request.getfixturevalue(persona)).get(url(pupil)).status_code == 403


def test_another_schools_headteacher_gets_not_found(pupil, other_head):
    assert client_for(other_head).get(url(pupil)).status_code == 404


def test_an_unknown_pupil_is_not_found(headteacher):
    assert client_for(headteacher).get(reverse("audit:pupil", args=[999999])).status_code == 404


def test_the_audit_trail_cannot_be_posted_to(pupil, headteacher):
    view_as(headteacher, pupil)
    assert client_for(headteacher).post(url(pupil)).status_code == 405
    assert LogEntry.objects.count() > 0


# What it shows


def test_a_change_shows_when_who_from_where_and_the_fields_changed(pupil, headteacher):
    headteacher.first_name, headteacher.last_name = "Alex", "Morgan"
    headteacher.save()
    plan = draft_plan(pupil, headteacher)
    client_for(headteacher).post(
        reverse("plans:edit", args=[plan.pk]),
        {
            "strategy": "Fictional: meet the key adult at the gate each morning.",
            "key_adult": str(headteacher.pk),
            "check_in_frequency": "weekly",
            "support_measures": "",
            "reasonable_adjustments": "",
            "next_review_date": f"{plan.suspension.return_date + timedelta(days=14):%d/%m/%Y}",
            "version": str(plan.version),
            "action": "activate",
        },
        REMOTE_ADDR=ADDRESS,
    )
    text = page_text(client_for(headteacher).get(url(pupil)))
    assert "18/11/2026 10:00" in text
    assert "Alex Morgan Headteacher" in text
    assert ADDRESS in text
    assert "Changed reintegration plan" in text
    assert "Strategy: (empty) → Fictional: meet the key adult at the gate each morning." in text
    assert "Status: Draft → Active" in text
    assert "Check in frequency: (empty) → Weekly" in text
    assert "Key adult: (empty) → Alex Morgan" in text
    assert "Created suspension" in text
    assert "Reasons: added DB" in text


def test_views_show_what_was_viewed(pupil, dpo):
    client_for(dpo).get(reverse("pupils:detail", args=[pupil.pk]), REMOTE_ADDR=ADDRESS)
    text = page_text(client_for(dpo).get(url(pupil)))
    assert "Viewed pupil (pupil page)" in text
    assert "Dana Okafor Data protection officer" in text


def test_deleted_records_stay_in_the_trail(pupil, headteacher):
    entry = PreviousSchoolSuspension.objects.create(
        pupil=pupil,
        school_name="Oakwood Academy",
        academic_year_start=date(2026, 9, 1),
        sessions=2,
        recorded_by=headteacher,
    )
    client_for(headteacher).post(reverse("pupils:previous_school_delete", args=[pupil.pk, entry.pk]))
    text = page_text(client_for(headteacher).get(url(pupil)))
    assert "Deleted previous school suspension" in text
    assert "Created previous school suspension" in text


def test_long_text_is_truncated(pupil, headteacher):
    contact = ContactFactory(pupil=pupil, address="")
    contact.address = "Flat 1, " + "Fictional Street, " * 20
    contact.save()
    text = page_text(client_for(headteacher).get(url(pupil)))
    assert "Address: (empty) → Flat 1, Fictional Street," in text
    assert "…" in text
    assert contact.address.strip() not in text


def test_another_pupils_entries_are_not_shown(pupil, headteacher, school):
    other = PupilFactory(school=school, legal_first_name="Riley", legal_last_name="Fenwick")
    active_plan(other, headteacher)
    view_as(headteacher, other)
    text = page_text(client_for(headteacher).get(url(pupil)))
    assert "Riley" not in text
    assert "Reintegration plan" not in text
    assert "Nothing recorded yet" not in text  # the pupil's own creation is there


def test_a_pupil_with_no_entries_gets_an_empty_state(pupil, headteacher):
    LogEntry.objects.all().delete()  # only possible in code, never from a page: the trail starts empty here
    text = page_text(client_for(headteacher).get(url(pupil)))
    assert "Nothing recorded yet" in text


def test_entries_are_newest_first_and_paginated_by_fifty(pupil, headteacher, frozen_time):
    LogEntry.objects.all().delete()
    view_as(headteacher, pupil, times=50)
    frozen_time.shift(timedelta(minutes=5))
    ContactFactory(pupil=pupil, name="Fictional Carer")
    client = client_for(headteacher)
    first = page_text(client.get(url(pupil)))
    assert "51 entries (page 1 of 2)" in first
    assert first.index("Created contact") < first.index("Viewed pupil")
    second = page_text(client.get(url(pupil) + "?page=2"))
    assert second.count("Viewed pupil") == 1


def test_the_query_count_does_not_grow_with_entries(pupil, headteacher, django_assert_max_num_queries):
    activate(draft_plan(pupil, headteacher), key_adult=headteacher)  # a change naming a member of staff
    view_as(headteacher, pupil)
    client = client_for(headteacher)
    client.get(url(pupil))  # content types are cached after their first use
    with django_assert_max_num_queries(20) as few:
        assert client.get(url(pupil)).status_code == 200
    for week in range(3):
        view_as(headteacher, pupil, times=20)
        ContactFactory(pupil=pupil)
        activate(
            draft_plan(pupil, headteacher, start=date(2026, 11, 23) + timedelta(weeks=week)), key_adult=headteacher
        )
    with django_assert_max_num_queries(len(few)):
        assert client.get(url(pupil)).status_code == 200
    with django_assert_max_num_queries(len(few)):
        assert client.get(url(pupil) + "?page=2").status_code == 200


# The link from the pupil page


def _link(pupil, can) -> str:
    return render_to_string("audit/_pupil_link.html", {"pupil": pupil, "can": can})


def test_the_link_to_the_trail_shows_only_for_roles_that_may_see_it(pupil):
    assert url(pupil) in _link(pupil, {"view_audit", "view_pupils"})
    assert url(pupil) not in _link(pupil, {"view_pupils"})

"""The suspension page: what each role sees, the actions, further suspensions and cancellation details."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from conftest import client_for
from plans.models import ReintegrationPlan
from schools.models import Role
from suspensions.models import Suspension
from testsupport.factories import MembershipFactory
from testsupport.suspensions import cancel, record

INCIDENT = "Fictional: pushed past a member of staff and left the site at lunch."


def url(suspension) -> str:
    return reverse("suspensions:detail", args=[suspension.pk])


def page(user, suspension) -> str:
    response = client_for(user).get(url(suspension))
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def suspension(pupil, headteacher):
    headteacher.first_name, headteacher.last_name = "Helen", "Hart"
    headteacher.save()
    return record(
        pupil, start=date(2026, 11, 16), sessions=3, reasons=("VA", "DB"), incident_summary=INCIDENT
    )  # Monday all day and Tuesday morning: back Tuesday 17/11/2026 afternoon


# Access


@pytest.mark.parametrize("persona", ["headteacher", "pastoral_lead", "senco", "teacher", "office"])
def test_staff_who_see_suspensions_see_the_page(persona, request, suspension):
    html = page(request.getfixturevalue(persona), suspension)
    assert '<h1 class="heading-xl">Suspension from 16/11/2026</h1>' in html


def test_a_governor_cannot_see_a_suspension(governor, suspension):
    assert client_for(governor).get(url(suspension)).status_code == 403


def test_another_schools_headteacher_gets_not_found(other_head, suspension):
    assert client_for(other_head).get(url(suspension)).status_code == 404


def test_an_unknown_suspension_is_not_found(headteacher):
    assert client_for(headteacher).get(reverse("suspensions:detail", args=[999999])).status_code == 404


def test_the_page_cannot_be_posted_to(headteacher, suspension):
    assert client_for(headteacher).post(url(suspension)).status_code == 405


# What each role sees


def test_the_headteacher_sees_the_dates_reasons_incident_and_decision(headteacher, suspension):
    html = page(headteacher, suspension)
    for text in [
        "Jordan Ashby",
        "Monday 16/11/2026, morning",
        "1.5 days",
        "Tuesday 17/11/2026",  # last day
        "Tuesday 17/11/2026, afternoon",  # return
        "VA: Verbal abuse or threatening behaviour against an adult",
        "DB: Persistent or general disruptive behaviour",
        INCIDENT,
        "Helen Hart (Headteacher)",
        "on 18/11/2026 at 10:00",
        ">Confirmed</strong>",
    ]:
        assert text in html, text


def test_a_teacher_sees_the_dates_but_not_the_reasons_or_the_incident(teacher, suspension):
    html = page(teacher, suspension)
    assert "Tuesday 17/11/2026, afternoon" in html
    assert "1.5 days" in html
    assert "Verbal abuse" not in html
    assert INCIDENT not in html
    assert "Helen Hart (Headteacher)" not in html


def test_office_staff_see_the_reasons_but_not_the_incident(office, suspension):
    html = page(office, suspension)
    assert "VA: Verbal abuse or threatening behaviour against an adult" in html
    assert "Helen Hart (Headteacher)" in html
    assert INCIDENT not in html


@pytest.mark.parametrize("persona", ["pastoral_lead", "senco"])
def test_pastoral_staff_see_the_incident(persona, request, suspension):
    assert INCIDENT in page(request.getfixturevalue(persona), suspension)


def test_an_acting_headteachers_decision_says_so(pupil, school, headteacher):
    acting = MembershipFactory(school=school, role=Role.HEADTEACHER, is_acting=True).user
    suspension = record(pupil, start=date(2026, 11, 16), sessions=2, decided_by=acting)
    assert "(Acting headteacher)" in page(headteacher, suspension)


def test_a_lunchtime_suspension_starts_at_lunchtime(headteacher, pupil):
    lunchtimes = record(pupil, start=date(2026, 11, 16), sessions=2, kind=Suspension.Kind.LUNCHTIME)
    html = page(headteacher, lunchtimes)
    assert "Monday 16/11/2026, lunchtime" in html
    assert "2 lunchtimes" in html


# The plan


def test_the_headteacher_gets_a_link_to_the_draft_plan(headteacher, suspension):
    html = page(headteacher, suspension)
    assert reverse("plans:detail", args=[suspension.plan.pk]) in html
    assert ">Draft</strong>" in html


def test_a_teacher_gets_no_link_to_a_draft_plan(teacher, suspension):
    html = page(teacher, suspension)
    assert reverse("plans:detail", args=[suspension.plan.pk]) not in html
    assert "Not active yet" in html


def test_a_teacher_gets_a_link_to_an_active_plan(teacher, suspension):
    plan = suspension.plan
    plan.strategy = "Fictional strategy: daily check-in."
    plan.status = ReintegrationPlan.Status.ACTIVE
    plan.save()
    assert reverse("plans:detail", args=[plan.pk]) in page(teacher, suspension)


def test_office_staff_are_not_shown_the_plan(office, suspension):
    html = page(office, suspension)
    assert reverse("plans:detail", args=[suspension.plan.pk]) not in html
    assert "Reintegration plan" not in html


def test_a_permanent_exclusion_says_it_has_no_plan_or_return(headteacher, pupil):
    exclusion = record(pupil, start=date(2026, 11, 18), sessions=None, kind=Suspension.Kind.PERMANENT)
    html = page(headteacher, exclusion)
    assert '<h1 class="heading-xl">Permanent exclusion from 18/11/2026</h1>' in html
    assert "a permanent exclusion has no reintegration plan" in html
    assert "Record a further suspension" not in html


# Actions: no changes to dates, a further suspension, cancelling


def test_the_page_says_dates_cannot_be_changed(teacher, suspension):
    assert "A suspension's dates cannot be changed or extended." in page(teacher, suspension)


def test_the_headteacher_may_record_a_further_suspension_or_cancel(headteacher, suspension):
    html = page(headteacher, suspension)
    further = reverse("suspensions:record", args=[suspension.pupil.pk]) + f"?follows={suspension.pk}"
    assert f'href="{further}"' in html
    assert "Record a further suspension" in html
    assert reverse("suspensions:cancel", args=[suspension.pk]) in html
    assert "Cancel this suspension" in html


@pytest.mark.parametrize("persona", ["office", "pastoral_lead"])
def test_staff_who_record_but_cannot_cancel_see_only_the_further_suspension_action(persona, request, suspension):
    html = page(request.getfixturevalue(persona), suspension)
    assert "Record a further suspension" in html
    assert "Cancel this suspension" not in html


def test_a_teacher_sees_no_actions(teacher, suspension):
    html = page(teacher, suspension)
    assert "Record a further suspension" not in html
    assert "Cancel this suspension" not in html


def test_further_suspensions_link_both_ways(headteacher, pupil, suspension):
    further = record(pupil, start=date(2026, 11, 17), start_session="pm", sessions=2, follows=suspension)
    earlier_html = page(headteacher, suspension)
    assert "Further suspensions" in earlier_html
    assert url(further) in earlier_html
    further_html = page(headteacher, further)
    assert "Follows" in further_html
    assert url(suspension) in further_html


def test_a_cancelled_suspension_shows_when_and_why_and_offers_no_actions(headteacher, suspension):
    cancel(suspension, by=headteacher, reason="Fictional: CCTV showed Jordan was not involved.")
    html = page(headteacher, suspension)
    assert ">Cancelled</strong>" in html
    assert "cancelled on 18/11/2026 by Helen Hart" in html
    assert "Fictional: CCTV showed Jordan was not involved." in html
    assert "Cancel this suspension" not in html
    assert "Record a further suspension" not in html


def test_a_teacher_sees_that_a_suspension_was_cancelled_but_not_why(teacher, headteacher, suspension):
    cancel(suspension, by=headteacher, reason="Fictional: CCTV showed Jordan was not involved.")
    html = page(teacher, suspension)
    assert ">Cancelled</strong>" in html
    assert "CCTV" not in html


# Statutory duties and the governing board


@pytest.mark.parametrize("persona", ["headteacher", "pastoral_lead", "senco", "office"])
def test_staff_who_handle_duties_see_this_suspensions_duties_with_due_dates_and_owners(persona, request, suspension):
    html = page(request.getfixturevalue(persona), suspension)

    section = html.split('id="statutory-duties"')[1].split("</section>")[0]
    assert "Without delay (18/11/2026)" in section
    assert "Tell the parents by phone or in person" in section
    assert "Notify the local authority" in section
    assert "<td>Office staff</td>" in section
    assert "16/11/2026" in section  # the work for the first day
    assert '<strong class="tag tag--overdue">Overdue</strong>' in section
    assert '<strong class="tag tag--due">Due today</strong>' in section


def test_each_duty_links_to_recording_it_and_back_to_this_page(headteacher, suspension):
    html = page(headteacher, suspension)

    duty = suspension.duties.get(kind="local_authority")
    assert f'href="{reverse("duties:complete", args=[duty.pk])}?next={url(suspension)}"' in html


def test_a_teacher_sees_no_duties_or_board_section(teacher, suspension):
    html = page(teacher, suspension)

    assert "Statutory duties" not in html
    assert "Governing board" not in html


def test_the_page_has_a_governing_board_section(headteacher, suspension):
    assert '<h2 class="heading-m" id="governing-board">Governing board</h2>' in page(headteacher, suspension)


def test_a_cancelled_suspension_lists_the_notices_of_its_cancellation_and_what_lapsed(headteacher, suspension):
    cancel(suspension, by=headteacher, reason="Fictional: CCTV showed Jordan was not involved.")

    html = page(headteacher, suspension)

    section = html.split('id="statutory-duties"')[1].split("</section>")[0]
    assert "Notify the local authority: the cancellation" in section
    assert "Tell them the suspension was cancelled and why." in section
    assert '<strong class="tag tag--not_needed">No longer needed</strong>' in section
    assert "Reason: The suspension was cancelled on 18/11/2026." in section

"""The pupil page: details, contacts and SEN detail by role, suspension totals and tables, plans and goals."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import client_for
from plans.models import Goal, ReintegrationPlan
from pupils.models import Pupil
from suspensions.models import Suspension
from testsupport.factories import ContactFactory, PupilFactory
from testsupport.suspensions import cancel, record


def url(pupil) -> str:
    return reverse("pupils:detail", args=[pupil.pk])


def page(user, pupil) -> str:
    response = client_for(user).get(url(pupil))
    assert response.status_code == 200
    return response.content.decode()


def activate(plan: ReintegrationPlan, *, next_review: date | None = None) -> ReintegrationPlan:
    plan.strategy = "Fictional strategy: a daily check-in with the head of year and a time-out card."
    plan.status = ReintegrationPlan.Status.ACTIVE
    plan.next_review_date = next_review
    plan.save()
    return plan


def add_goal(plan: ReintegrationPlan, aim: str, **kwargs) -> Goal:
    values = {
        "area": Goal.Area.BEHAVIOUR,
        "pupil_aim": aim,
        "expressed_by": Goal.ExpressedBy.PUPIL,
        "current_position": "Two on-call logs a week.",
        "pupil_actions": "Use the time-out card.",
        "start_date": plan.suspension.return_date,
        "target_date": date(2027, 1, 29),
    }
    values.update(kwargs)
    return Goal.objects.create(plan=plan, **values)


@pytest.fixture
def described_pupil(school):
    return PupilFactory(
        school=school,
        legal_first_name="Jordan",
        legal_last_name="Ashby",
        preferred_first_name="Jo",
        year_group="9",
        date_of_birth=date(2012, 5, 7),
        sen_status=Pupil.SEN.SUPPORT,
        sen_detail="Fictional: dyslexia; extra time and a reader.",
        fsm_eligible=True,
    )


# Access


@pytest.mark.parametrize("persona", ["headteacher", "pastoral_lead", "senco", "teacher", "office"])
def test_staff_who_work_with_pupils_see_the_pupil_page(persona, request, pupil):
    assert '<h1 class="heading-xl">Jordan Ashby</h1>' in page(request.getfixturevalue(persona), pupil)


def test_a_governor_cannot_see_a_pupil(governor, pupil):
    assert client_for(governor).get(url(pupil)).status_code == 403


def test_another_schools_headteacher_gets_not_found(other_head, pupil):
    assert client_for(other_head).get(url(pupil)).status_code == 404


def test_an_unknown_pupil_is_not_found(headteacher):
    assert client_for(headteacher).get(reverse("pupils:detail", args=[999999])).status_code == 404


# Details, SEN detail and contacts


def test_the_page_shows_the_preferred_and_legal_names_and_details(headteacher, described_pupil):
    html = page(headteacher, described_pupil)
    assert '<h1 class="heading-xl">Jo Ashby</h1>' in html
    assert "Jordan Ashby" in html
    assert "07/05/2012" in html
    assert described_pupil.upn in html
    assert "Year 9" in html
    assert "SEN support, FSM" in html


@pytest.mark.parametrize("persona", ["headteacher", "pastoral_lead", "senco"])
def test_pastoral_staff_see_the_sen_detail(persona, request, described_pupil):
    assert "dyslexia; extra time" in page(request.getfixturevalue(persona), described_pupil)


@pytest.mark.parametrize("persona", ["teacher", "office"])
def test_teachers_and_office_staff_do_not_see_the_sen_detail(persona, request, described_pupil):
    html = page(request.getfixturevalue(persona), described_pupil)
    assert "dyslexia" not in html
    assert "SEN support" in html  # the status is a flag everyone who sees the pupil may see


@pytest.fixture
def contact(pupil):
    return ContactFactory(
        pupil=pupil,
        name="Dana Ashby",
        relationship="Mother",
        parental_responsibility=True,
        phone="01632 960123",
        email="dana@family.example",
        preferred_language="Polish",
    )


@pytest.mark.parametrize("persona", ["headteacher", "pastoral_lead", "office"])
def test_staff_who_contact_families_see_the_contacts(persona, request, contact):
    html = page(request.getfixturevalue(persona), contact.pupil)
    for text in ["Dana Ashby", "Mother", "01632 960123", "dana@family.example", "Polish"]:
        assert text in html


def test_a_teacher_does_not_see_the_contacts(teacher, contact):
    html = page(teacher, contact.pupil)
    assert "Dana Ashby" not in html
    assert "01632 960123" not in html


# Suspensions


def test_the_running_totals_are_shown_for_the_term_the_year_and_the_cap(headteacher, pupil):
    record(pupil, start=date(2026, 11, 9), sessions=2)
    record(pupil, start=date(2026, 11, 16), sessions=4)
    record(pupil, start=date(2027, 1, 11), sessions=9)  # spring term, same school year
    html = page(headteacher, pupil)
    assert "This term (Autumn 2026): 3 days" in html
    assert "This school year (2026/27): 7.5 days" in html
    assert "45-day limit: 37.5 days left" in html
    assert "close to the limit" not in html


def test_the_page_warns_when_the_pupil_is_near_the_cap(headteacher, pupil):
    record(pupil, start=date(2026, 9, 3), sessions=80)
    html = page(headteacher, pupil)
    assert "45-day limit: 5 days left" in html
    assert 'class="warning-text"' in html
    assert "Jordan is close to the limit of 45 school days of suspension in 2026/27" in html


def test_the_suspension_tables_show_dates_length_return_and_status(headteacher, pupil):
    suspension = record(pupil, start=date(2026, 11, 16), sessions=3, reasons=("DB", "VA"))
    cancel(record(pupil, start=date(2026, 11, 9), sessions=2))
    record(pupil, start=date(2027, 1, 11), sessions=2)
    html = page(headteacher, pupil)
    assert "This term (Autumn 2026)" in html
    assert "Other terms this school year (2026/27)" in html
    assert "16/11/2026" in html
    assert "1.5 days" in html
    assert "Tuesday 17/11/2026, afternoon" in html
    assert ">Cancelled</strong>" in html
    assert ">DB</abbr>, <abbr" in html
    assert reverse("suspensions:detail", args=[suspension.pk]) in html


def test_suspensions_in_earlier_school_years_are_listed_separately(headteacher, school, pupil):
    from schools.services import academic_year_create

    academic_year_create(school=school, start_year=2025)
    record(pupil, start=date(2026, 3, 2), sessions=2)
    html = page(headteacher, pupil)
    assert "Other school years" in html
    assert "02/03/2026" in html
    assert "This school year (2026/27): 0 days" in html


def test_a_teacher_sees_suspension_dates_but_not_the_reasons(teacher, pupil):
    record(pupil, start=date(2026, 11, 16), sessions=2, reasons=("VA",))
    html = page(teacher, pupil)
    assert "16/11/2026" in html
    assert "Tuesday 17/11/2026, morning" in html
    assert ">VA<" not in html  # the reason code as shown to staff who may see it (">VA</abbr>")
    assert "Verbal abuse" not in html


def test_office_staff_see_the_reason_codes(office, pupil):
    record(pupil, start=date(2026, 11, 16), sessions=2, reasons=("VA",))
    assert ">VA</abbr>" in page(office, pupil)


def test_a_pupil_without_suspensions_says_so(headteacher, pupil):
    assert "No suspensions are recorded for Jordan." in page(headteacher, pupil)


@pytest.mark.parametrize(("persona", "shown"), [("headteacher", True), ("office", True), ("teacher", False)])
def test_the_record_button_is_shown_only_to_staff_who_may_record(persona, shown, request, pupil):
    html = page(request.getfixturevalue(persona), pupil)
    assert ("Record a suspension" in html) is shown
    assert (reverse("suspensions:record", args=[pupil.pk]) in html) is shown


# Plans and goals


def test_the_headteacher_sees_every_plan_with_its_status_and_goals(headteacher, pupil):
    draft = record(pupil, start=date(2026, 11, 16), sessions=2).plan
    active = activate(record(pupil, start=date(2026, 11, 9), sessions=2).plan, next_review=date(2026, 12, 2))
    add_goal(active, "Fictional aim: stay in every lesson", achievement_status=Goal.Achievement.IMPROVING)
    html = page(headteacher, pupil)
    assert reverse("plans:detail", args=[draft.pk]) in html
    assert reverse("plans:detail", args=[active.pk]) in html
    assert ">Draft</strong>" in html
    assert ">Active</strong>" in html
    assert "02/12/2026" in html
    assert "stay in every lesson" in html
    assert ">Improving</strong>" in html


def test_a_teacher_sees_only_active_plans_and_their_goals(teacher, headteacher, pupil):
    draft = record(pupil, start=date(2026, 11, 16), sessions=2).plan
    add_goal(draft, "Fictional aim still being drafted")
    active = activate(record(pupil, start=date(2026, 11, 9), sessions=2).plan)
    add_goal(active, "Fictional aim: hand in homework on time", area=Goal.Area.ACADEMIC)
    html = page(teacher, pupil)
    assert reverse("plans:detail", args=[active.pk]) in html
    assert reverse("plans:detail", args=[draft.pk]) not in html
    assert "hand in homework on time" in html
    assert "still being drafted" not in html
    assert "Only active plans are shown." in html


def test_office_staff_do_not_see_plans(office, headteacher, pupil):
    plan = activate(record(pupil, start=date(2026, 11, 9), sessions=2).plan)
    html = page(office, pupil)
    assert "Reintegration plans" not in html
    assert reverse("plans:detail", args=[plan.pk]) not in html


def test_a_pupil_without_plans_says_how_one_is_made(headteacher, pupil):
    html = page(headteacher, pupil)
    assert "A draft plan is created when a suspension is recorded." in html


# Performance


def test_the_number_of_queries_does_not_grow_with_suspensions_plans_goals_or_contacts(
    headteacher, pupil, django_assert_max_num_queries
):
    client = client_for(headteacher)
    plan = activate(record(pupil, start=date(2026, 9, 7), sessions=2).plan)
    add_goal(plan, "Fictional aim one")
    ContactFactory(pupil=pupil)
    client.get(url(pupil))
    with CaptureQueriesContext(connection) as few:
        client.get(url(pupil))
    mondays = [date(2026, 9, 14), date(2026, 9, 21), date(2026, 9, 28), date(2026, 10, 5), date(2026, 10, 12)]
    for week, monday in enumerate(mondays):
        suspension = record(pupil, start=monday, sessions=1, reasons=("DB", "VA"))
        add_goal(activate(suspension.plan), f"Fictional aim {week}")
        ContactFactory(pupil=pupil)
    cancel(record(pupil, start=date(2027, 1, 11), sessions=2))
    assert Suspension.objects.filter(pupil=pupil).count() == 7
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url(pupil))
    assert response.content.decode().count("Fictional aim") == 6


# Repeated suspensions (guidance para 7; the school's thresholds, by default 3 suspensions or 10 days in three terms)

REPEAT_ADVICE = "Suspension alone may not be working: consider a pastoral support programme."


def test_two_short_suspensions_do_not_raise_the_repeat_alert(headteacher, pupil):
    record(pupil, start=date(2026, 9, 7), sessions=2)
    record(pupil, start=date(2026, 9, 14), sessions=2)
    assert REPEAT_ADVICE not in page(headteacher, pupil)


def test_a_third_suspension_in_three_terms_raises_the_repeat_alert(headteacher, pupil):
    record(pupil, start=date(2026, 9, 7), sessions=2)
    record(pupil, start=date(2026, 9, 14), sessions=2)
    record(pupil, start=date(2026, 10, 5), sessions=1)
    html = page(headteacher, pupil)
    assert f"Jordan has had 3 suspensions (2.5 days) since 03/09/2026. {REPEAT_ADVICE}" in html
    assert 'class="warning-text"' in html


def test_nine_and_a_half_days_do_not_raise_the_repeat_alert(headteacher, pupil):
    record(pupil, start=date(2026, 9, 7), sessions=10)
    record(pupil, start=date(2026, 9, 21), sessions=9)
    assert REPEAT_ADVICE not in page(headteacher, pupil)


def test_ten_days_raise_the_repeat_alert(headteacher, pupil):
    record(pupil, start=date(2026, 9, 7), sessions=10)
    record(pupil, start=date(2026, 9, 21), sessions=10)
    assert f"Jordan has had 2 suspensions (10 days) since 03/09/2026. {REPEAT_ADVICE}" in page(headteacher, pupil)


def test_the_repeat_alert_follows_the_schools_own_thresholds(headteacher, school, pupil):
    school.repeat_alert_suspensions = 2
    school.save()
    record(pupil, start=date(2026, 9, 7), sessions=2)
    record(pupil, start=date(2026, 9, 14), sessions=1)
    assert f"Jordan has had 2 suspensions (1.5 days) since 03/09/2026. {REPEAT_ADVICE}" in page(headteacher, pupil)


def test_a_cancelled_suspension_does_not_count_towards_the_repeat_alert(headteacher, pupil):
    record(pupil, start=date(2026, 9, 7), sessions=2)
    record(pupil, start=date(2026, 9, 14), sessions=2)
    cancel(record(pupil, start=date(2026, 10, 5), sessions=1))
    assert REPEAT_ADVICE not in page(headteacher, pupil)


def test_the_number_of_queries_does_not_grow_with_previous_school_days_or_board_decisions(
    headteacher, pupil, django_assert_max_num_queries
):
    from duties.board_services import board_consideration_save
    from pupils.services import previous_school_suspension_add

    def previous(year: int) -> None:
        previous_school_suspension_add(
            pupil=pupil,
            school_name=f"Fictional School {year}",
            academic_year_start=date(year, 9, 1),
            sessions=2,
            note="",
            recorded_by=headteacher,
            today=date(2026, 11, 18),
        )

    def considered(suspension: Suspension) -> None:
        board_consideration_save(
            suspension=suspension,
            notified_on=date(2026, 11, 16),
            representations_received_on=date(2026, 11, 16),
            considered_on=date(2026, 11, 17),
            attendees="Fictional: Ms Head",
            mode="in_person",
            decision="noted",
            reinstatement_date=None,
            notes="",
            recorded_by=headteacher,
        )

    client = client_for(headteacher)
    previous(2026)
    considered(record(pupil, start=date(2026, 9, 7), sessions=1))
    client.get(url(pupil))
    with CaptureQueriesContext(connection) as few:
        client.get(url(pupil))
    previous(2025)
    previous(2026)
    for monday in [date(2026, 9, 14), date(2026, 9, 21), date(2026, 9, 28)]:
        considered(record(pupil, start=monday, sessions=1))
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url(pupil))
    html = response.content.decode()
    assert html.count("Considered the representations (no power to reinstate)") == 4
    assert html.count("<td>Fictional School") == 3

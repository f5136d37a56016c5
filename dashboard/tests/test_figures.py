"""The governors' figures: this school year's suspensions and plans by term, with no names, small numbers hidden.

Today is Wednesday 18/11/2026 (frozen in conftest): the school year 2026/27, autumn term.
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.urls import reverse

from conftest import client_for
from dashboard.selectors import suppress
from plans.models import Review
from schools.services import academic_year_create
from testsupport.factories import PupilFactory
from testsupport.plans import active_plan, record_review
from testsupport.suspensions import cancel, record

pytestmark = pytest.mark.django_db

FIGURES = reverse("dashboard:figures")


def row(html: str, label: str) -> list[str]:
    """The cells of the table row headed `label`."""
    match = re.search(rf'<th scope="row">{re.escape(label)}</th>(.*?)</tr>', html, re.S)
    assert match, f"No row {label!r}"
    return [cell.strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", match.group(1), re.S)]


def three_suspended_pupils(school, headteacher):
    pupils = [
        PupilFactory(
            school=school, legal_first_name=first, legal_last_name="Quennell", sen_status=sen, fsm_eligible=fsm
        )
        for first, sen, fsm in [("Ada", "K", True), ("Ben", "K", True), ("Cal", "K", False)]
    ]
    for pupil in pupils:
        record(pupil, start=date(2026, 11, 9), sessions=4, decided_by=headteacher)
    return pupils


# --- Who sees the figures -----------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["governor", "headteacher"])
def test_governors_and_leaders_see_the_figures(request, school, persona):
    response = client_for(request.getfixturevalue(persona)).get(FIGURES)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Suspension and reintegration figures" in html
    assert "School year 2026/27" in html
    assert '<th scope="col" class="numeric">Autumn<span class="visually-hidden"> term</span></th>' in html
    assert "Whole year" in html


@pytest.mark.parametrize("persona", ["pastoral_lead", "senco", "teacher", "office"])
def test_staff_without_the_figures_role_cannot_see_them(request, school, persona):
    response = client_for(request.getfixturevalue(persona)).get(FIGURES)

    assert response.status_code == 403


def test_the_figures_hold_no_pupil_name_or_upn(school, governor, headteacher):
    pupils = three_suspended_pupils(school, headteacher)
    active_plan(PupilFactory(school=school, legal_first_name="Dora", legal_last_name="Wexley"), headteacher)

    html = client_for(governor).get(FIGURES).content.decode()

    assert row(html, "Suspensions (including lunchtime)")[0] == "4"
    for pupil in [*pupils, *school.pupils.all()]:
        assert pupil.legal_first_name not in html
        assert pupil.legal_last_name not in html
        assert pupil.upn not in html
    assert "Fictional incident" not in html


# --- The figures themselves ---------------------------------------------------------------------------------


def test_suspensions_pupils_and_days_are_counted_by_term_and_for_the_year(school, governor, headteacher):
    three_suspended_pupils(school, headteacher)

    html = client_for(governor).get(FIGURES).content.decode()

    # Columns: autumn, spring, summer, whole year.
    assert row(html, "Suspensions (including lunchtime)") == ["3", "0", "0", "3"]
    assert row(html, "Pupils suspended") == ["3", "0", "0", "3"]
    assert row(html, "School days of suspension") == ["6", "0", "0", "6"]


def test_a_pupil_suspended_three_times_is_one_pupil(school, governor, headteacher):
    pupil = PupilFactory(school=school)
    for start in [date(2026, 9, 14), date(2026, 10, 5), date(2026, 11, 9)]:
        record(pupil, start=start, sessions=1, decided_by=headteacher)

    html = client_for(governor).get(FIGURES).content.decode()

    assert row(html, "Suspensions (including lunchtime)")[-1] == "3"
    assert row(html, "Pupils suspended")[-1] == "fewer than 3"
    assert row(html, "School days of suspension")[-1] == "1.5"


def test_counts_of_one_or_two_are_shown_as_fewer_than_three(school, governor, headteacher):
    record(PupilFactory(school=school), start=date(2026, 11, 9), sessions=1, kind="lunchtime", decided_by=headteacher)

    html = client_for(governor).get(FIGURES).content.decode()

    assert row(html, "Lunchtime suspensions") == ["fewer than 3", "0", "0", "fewer than 3"]
    assert row(html, "Suspensions (including lunchtime)")[-1] == "fewer than 3"
    assert row(html, "School days of suspension")[-1] == "fewer than 3"
    assert row(html, "Permanent exclusions")[-1] == "0"
    assert "a count of 1 or 2 is shown as “fewer than 3”" in html


def test_suppression_keeps_zero_and_three_and_hides_one_and_two():
    assert [suppress(n) for n in range(5)] == ["0", "fewer than 3", "fewer than 3", "3", "4"]


def test_cancelled_suspensions_and_permanent_exclusions_are_counted_apart(school, governor, headteacher):
    pupils = three_suspended_pupils(school, headteacher)
    for pupil in pupils:
        cancel(pupil.suspensions.get())
    for pupil in [PupilFactory(school=school) for _ in range(3)]:
        record(pupil, start=date(2026, 11, 16), sessions=None, kind="permanent", decided_by=headteacher)

    html = client_for(governor).get(FIGURES).content.decode()

    assert row(html, "Cancelled suspensions")[-1] == "3"
    assert row(html, "Permanent exclusions")[-1] == "3"
    assert row(html, "Suspensions (including lunchtime)")[-1] == "0"
    assert row(html, "School days of suspension")[-1] == "0"


def test_reasons_and_pupil_characteristics_are_broken_down(school, governor, headteacher):
    three_suspended_pupils(school, headteacher)

    html = client_for(governor).get(FIGURES).content.decode()

    assert row(html, "DB: Persistent or general disruptive behaviour") == ["3", "0"]
    assert row(html, "SEN support") == ["3", "3"]
    assert row(html, "No special educational needs") == ["0", "0"]
    assert row(html, "Eligible for free school meals") == ["fewer than 3", "fewer than 3"]
    assert row(html, "Not eligible for free school meals") == ["fewer than 3", "fewer than 3"]


def test_plans_meetings_and_reviews_are_counted(school, governor, headteacher):
    plans = [active_plan(PupilFactory(school=school), headteacher) for _ in range(3)]
    for plan in plans:
        record_review(plan, headteacher)

    html = client_for(governor).get(FIGURES).content.decode()

    assert Review.objects.count() == 3
    assert row(html, "Active") == ["3"]
    assert row(html, "Draft") == ["0"]
    assert row(html, "Progress reviews recorded") == ["3", "0", "0", "3"]
    assert row(html, "Meetings held") == ["0"]


def test_last_years_and_other_schools_suspensions_are_not_counted(
    school, other_school, governor, headteacher, other_head
):
    record(PupilFactory(school=other_school), start=date(2026, 11, 9), sessions=2, decided_by=other_head)
    academic_year_create(school=school, start_year=2025)
    record(PupilFactory(school=school), start=date(2026, 7, 6), sessions=2, decided_by=headteacher)

    html = client_for(governor).get(FIGURES).content.decode()

    assert row(html, "Suspensions (including lunchtime)")[-1] == "0"
    assert "No suspensions or permanent exclusions have been recorded this school year." in html


def test_the_figures_read_a_fixed_number_of_queries_however_many_suspensions(
    school, governor, headteacher, django_assert_max_num_queries
):
    client = client_for(governor)
    three_suspended_pupils(school, headteacher)
    client.get(FIGURES)
    with django_assert_max_num_queries(25) as few:
        client.get(FIGURES)
    for pupil in [PupilFactory(school=school) for _ in range(6)]:
        record(pupil, start=date(2026, 11, 16), sessions=2, reasons=("DB", "VA"), decided_by=headteacher)

    with django_assert_max_num_queries(len(few)):
        response = client.get(FIGURES)

    assert row(response.content.decode(), "Suspensions (including lunchtime)")[-1] == "9"

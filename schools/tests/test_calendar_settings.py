"""The school calendar settings: terms, non-school days and school years, for the office and leaders."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from conftest import client_for
from schools.models import AcademicYear, NonSchoolDay, Term
from schools.services import academic_year_create
from suspensions.models import ReasonCode, Suspension
from suspensions.services import suspension_record

pytestmark = pytest.mark.django_db

CALENDAR = reverse("schools:calendar")
ADD_DAY = reverse("schools:non_school_day_add")
ADD_YEAR = reverse("schools:academic_year_add")


def autumn(school) -> Term:
    return Term.objects.get(academic_year__school=school, name=Term.Name.AUTUMN, start_date__year=2026)


def edit_url(term: Term) -> str:
    return reverse("schools:term_edit", args=[term.pk])


def delete_url(day: NonSchoolDay) -> str:
    return reverse("schools:non_school_day_delete", args=[day.pk])


# --- The calendar page --------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["office", "headteacher"])
def test_the_office_and_the_headteacher_see_each_term_with_its_school_days(request, school, persona):
    response = client_for(request.getfixturevalue(persona)).get(CALENDAR)

    assert response.status_code == 200
    html = response.content.decode()
    assert "School year 2026/27" in html
    assert "03/09/2026" in html
    assert "18/12/2026" in html
    assert '<td class="numeric">72</td>' in html  # autumn 2026 less the October half term
    assert "Autumn half term" in html
    assert "26/10/2026 to 30/10/2026" in html
    assert "Good Friday" in html


def test_the_calendar_page_says_that_return_dates_already_given_do_not_change(school, office):
    response = client_for(office).get(CALENDAR)

    assert "does not change the return dates already given to parents" in response.content.decode()


@pytest.mark.parametrize("persona", ["pastoral_lead", "senco", "teacher", "governor"])
def test_staff_without_the_calendar_role_cannot_see_the_calendar(request, school, persona):
    response = client_for(request.getfixturevalue(persona)).get(CALENDAR)

    assert response.status_code == 403


def test_a_school_with_no_years_is_told_to_add_this_school_year(office, school):
    AcademicYear.objects.filter(school=school).delete()

    response = client_for(office).get(CALENDAR)

    assert "No school years yet" in response.content.decode()
    assert "Add the school year 2026/27" in response.content.decode()


def test_the_calendar_page_reads_a_fixed_number_of_queries_however_many_years(
    office, school, django_assert_max_num_queries
):
    client = client_for(office)
    client.get(CALENDAR)
    with django_assert_max_num_queries(15) as one_year:
        client.get(CALENDAR)
    academic_year_create(school=school, start_year=2027)
    academic_year_create(school=school, start_year=2028)

    with django_assert_max_num_queries(len(one_year)):
        response = client.get(CALENDAR)

    assert "School year 2028/29" in response.content.decode()


def test_the_calendar_shows_only_the_current_schools_years(office, school, other_school):
    academic_year_create(school=other_school, start_year=2027)

    response = client_for(office).get(CALENDAR)

    assert "School year 2027/28" not in response.content.decode()


# --- Changing term dates ------------------------------------------------------------------------------------


def test_the_term_form_starts_with_the_current_dates(office, school):
    response = client_for(office).get(edit_url(autumn(school)))

    assert response.status_code == 200
    assert 'value="03/09/2026"' in response.content.decode()
    assert 'value="18/12/2026"' in response.content.decode()


def test_the_office_changes_a_terms_dates(office, school):
    term = autumn(school)

    response = client_for(office).post(
        edit_url(term), {"start_date": "02/09/2026", "end_date": "17/12/2026"}, follow=True
    )

    term.refresh_from_db()
    assert (term.start_date, term.end_date) == (date(2026, 9, 2), date(2026, 12, 17))
    assert response.redirect_chain[-1][0] == CALENDAR
    assert "now runs from 02/09/2026 to 17/12/2026" in response.content.decode()


def test_a_last_day_before_the_first_day_is_refused_and_what_was_typed_is_kept(office, school):
    term = autumn(school)

    response = client_for(office).post(edit_url(term), {"start_date": "10/09/2026", "end_date": "09/09/2026"})

    assert response.status_code == 200
    html = response.content.decode()
    assert "The last day of term must be on or after the first day." in html
    assert "There is a problem" in html
    assert 'value="10/09/2026"' in html
    assert 'value="09/09/2026"' in html
    term.refresh_from_db()
    assert term.start_date == date(2026, 9, 3)


def test_a_term_ending_on_its_first_day_is_allowed(office, school):
    term = autumn(school)

    client_for(office).post(edit_url(term), {"start_date": "03/09/2026", "end_date": "03/09/2026"})

    term.refresh_from_db()
    assert term.end_date == date(2026, 9, 3)


def test_a_term_outside_its_school_year_is_refused(office, school):
    term = autumn(school)

    response = client_for(office).post(edit_url(term), {"start_date": "28/08/2026", "end_date": "18/12/2026"})

    assert response.status_code == 200
    assert "must fall within the school year 2026/27, from 01/09/2026 to 31/08/2027" in response.content.decode()
    term.refresh_from_db()
    assert term.start_date == date(2026, 9, 3)


def test_a_term_overlapping_another_term_is_refused(office, school):
    term = autumn(school)

    response = client_for(office).post(edit_url(term), {"start_date": "03/09/2026", "end_date": "05/01/2027"})

    assert response.status_code == 200
    assert "These dates overlap the Spring 2027 term (04/01/2027 to 25/03/2027)" in response.content.decode()
    term.refresh_from_db()
    assert term.end_date == date(2026, 12, 18)


def test_a_term_ending_the_day_before_the_next_term_is_allowed(office, school):
    term = autumn(school)

    client_for(office).post(edit_url(term), {"start_date": "03/09/2026", "end_date": "03/01/2027"})

    term.refresh_from_db()
    assert term.end_date == date(2027, 1, 3)


def test_a_term_date_that_is_not_a_date_is_refused_with_an_example(office, school):
    response = client_for(office).post(edit_url(autumn(school)), {"start_date": "3rd Sept", "end_date": ""})

    html = response.content.decode()
    assert "Enter the first day of term as day/month/year, for example 03/09/2026." in html
    assert "Enter the last day of term, for example 18/12/2026." in html
    assert 'value="3rd Sept"' in html


@pytest.mark.parametrize("persona", ["pastoral_lead", "teacher", "governor"])
def test_staff_without_the_calendar_role_cannot_change_term_dates(request, school, persona):
    term = autumn(school)

    response = client_for(request.getfixturevalue(persona)).post(
        edit_url(term), {"start_date": "02/09/2026", "end_date": "18/12/2026"}
    )

    assert response.status_code == 403
    term.refresh_from_db()
    assert term.start_date == date(2026, 9, 3)


def test_another_schools_term_does_not_exist_for_the_office(office, other_school):
    term = autumn(other_school)

    response = client_for(office).post(edit_url(term), {"start_date": "02/09/2026", "end_date": "18/12/2026"})

    assert response.status_code == 404
    term.refresh_from_db()
    assert term.start_date == date(2026, 9, 3)


def test_an_unknown_term_is_not_found(office, school):
    response = client_for(office).get(reverse("schools:term_edit", args=[999999]))

    assert response.status_code == 404


# --- Non-school days ----------------------------------------------------------------------------------------


def test_the_office_adds_a_single_inset_day(office, school):
    response = client_for(office).post(
        ADD_DAY, {"start_date": "02/11/2026", "end_date": "", "kind": "inset", "description": "Staff training"}
    )

    assert response.status_code == 302
    day = NonSchoolDay.objects.get(school=school, kind="inset")
    assert (day.start_date, day.end_date, day.description) == (date(2026, 11, 2), date(2026, 11, 2), "Staff training")
    page = client_for(office).get(CALENDAR).content.decode()
    assert "Staff training" in page


def test_the_office_adds_a_run_of_closure_days(office, school):
    client_for(office).post(
        ADD_DAY, {"start_date": "07/12/2026", "end_date": "08/12/2026", "kind": "closure", "description": "Snow"}
    )

    day = NonSchoolDay.objects.get(school=school, kind="closure")
    assert (day.start_date, day.end_date) == (date(2026, 12, 7), date(2026, 12, 8))


def test_a_non_school_day_ending_before_it_starts_is_refused(office, school):
    before = NonSchoolDay.objects.count()

    response = client_for(office).post(
        ADD_DAY, {"start_date": "08/12/2026", "end_date": "07/12/2026", "kind": "closure", "description": "Snow"}
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "The last day must be on or after the first day." in html
    assert 'value="Snow"' in html
    assert NonSchoolDay.objects.count() == before


def test_a_non_school_day_outside_the_schools_years_is_refused(office, school):
    before = NonSchoolDay.objects.count()

    response = client_for(office).post(
        ADD_DAY, {"start_date": "07/12/2029", "end_date": "", "kind": "closure", "description": ""}
    )

    assert response.status_code == 200
    assert "The dates must fall within one school year in the calendar." in response.content.decode()
    assert NonSchoolDay.objects.count() == before


def test_a_non_school_day_needs_its_kind_and_date(office, school):
    before = NonSchoolDay.objects.count()

    response = client_for(office).post(ADD_DAY, {"start_date": "", "end_date": "", "description": "Polling"})

    html = response.content.decode()
    assert "Enter the date, for example 02/11/2026." in html
    assert "Choose what kind of day it is." in html
    assert 'value="Polling"' in html
    assert NonSchoolDay.objects.count() == before


@pytest.mark.parametrize("persona", ["senco", "teacher", "governor"])
def test_staff_without_the_calendar_role_cannot_add_a_non_school_day(request, school, persona):
    before = NonSchoolDay.objects.count()

    response = client_for(request.getfixturevalue(persona)).post(ADD_DAY, {"start_date": "02/11/2026", "kind": "inset"})

    assert response.status_code == 403
    assert NonSchoolDay.objects.count() == before


def test_deleting_a_non_school_day_asks_first(office, school):
    day = NonSchoolDay.objects.get(school=school, description="Autumn half term")

    response = client_for(office).get(delete_url(day))

    assert response.status_code == 200
    assert "Are you sure you want to delete this non-school day?" in response.content.decode()
    assert NonSchoolDay.objects.filter(pk=day.pk).exists()


def test_the_office_deletes_a_non_school_day(office, school):
    day = NonSchoolDay.objects.get(school=school, description="Autumn half term")

    response = client_for(office).post(delete_url(day), follow=True)

    assert not NonSchoolDay.objects.filter(pk=day.pk).exists()
    assert "Non-school day deleted: 26/10/2026 to 30/10/2026" in response.content.decode()


def test_another_schools_non_school_day_cannot_be_deleted(office, other_school):
    day = NonSchoolDay.objects.filter(school=other_school).first()

    response = client_for(office).post(delete_url(day))

    assert response.status_code == 404
    assert NonSchoolDay.objects.filter(pk=day.pk).exists()


def test_a_teacher_cannot_delete_a_non_school_day(teacher, school):
    day = NonSchoolDay.objects.filter(school=school).first()

    response = client_for(teacher).post(delete_url(day))

    assert response.status_code == 403
    assert NonSchoolDay.objects.filter(pk=day.pk).exists()


def test_an_unknown_non_school_day_is_not_found(office, school):
    response = client_for(office).post(reverse("schools:non_school_day_delete", args=[999999]))

    assert response.status_code == 404


def test_changing_the_calendar_keeps_the_return_date_already_recorded(office, headteacher, pupil):
    suspension = suspension_record(
        pupil=pupil,
        kind=Suspension.Kind.SUSPENSION,
        start_date=date(2026, 11, 23),
        sessions=4,
        reasons=[ReasonCode.objects.get(code="DB")],
        incident_summary="Left lessons without permission.",
        decided_by=headteacher,
        recorded_by=headteacher,
    )
    assert suspension.return_date == date(2026, 11, 25)

    client_for(office).post(
        ADD_DAY, {"start_date": "24/11/2026", "end_date": "", "kind": "closure", "description": "Boiler failure"}
    )

    suspension.refresh_from_db()
    assert NonSchoolDay.objects.filter(description="Boiler failure").exists()
    assert suspension.return_date == date(2026, 11, 25)


# --- Adding a school year -----------------------------------------------------------------------------------


def test_the_page_offers_the_year_after_the_last_one(office, school):
    response = client_for(office).get(ADD_YEAR)

    assert response.status_code == 200
    assert "Add the school year 2027/28" in response.content.decode()


def test_the_office_adds_the_next_school_year_with_the_default_pattern(office, school):
    response = client_for(office).post(ADD_YEAR, {"start_year": "2027"}, follow=True)

    year = AcademicYear.objects.get(school=school, start_date=date(2027, 9, 1))
    assert year.terms.count() == 3
    assert NonSchoolDay.objects.filter(school=school, start_date__gte=date(2027, 9, 1)).exists()
    assert "The school year 2027/28 is in the calendar" in response.content.decode()
    assert "School year 2027/28" in response.content.decode()


def test_adding_a_year_the_calendar_already_holds_is_refused(office, school):
    before = AcademicYear.objects.count()

    response = client_for(office).post(ADD_YEAR, {"start_year": "2026"})

    assert response.status_code == 200
    assert "The school year 2026/27 is already in the calendar." in response.content.decode()
    assert AcademicYear.objects.count() == before


def test_sending_the_add_year_page_twice_adds_one_year(office, school):
    client = client_for(office)
    client.post(ADD_YEAR, {"start_year": "2027"})

    response = client.post(ADD_YEAR, {"start_year": "2027"})

    assert "The school year 2027/28 is already in the calendar." in response.content.decode()
    assert AcademicYear.objects.filter(school=school, start_date=date(2027, 9, 1)).count() == 1


def test_a_tampered_add_year_page_is_shown_again_with_a_message(office, school):
    before = AcademicYear.objects.count()

    response = client_for(office).post(ADD_YEAR, {"start_year": "next"})

    assert response.status_code == 200
    assert "The page was out of date." in response.content.decode()
    assert AcademicYear.objects.count() == before


@pytest.mark.parametrize("persona", ["pastoral_lead", "teacher", "governor"])
def test_staff_without_the_calendar_role_cannot_add_a_year(request, school, persona):
    before = AcademicYear.objects.count()

    response = client_for(request.getfixturevalue(persona)).post(ADD_YEAR, {"start_year": "2027"})

    assert response.status_code == 403
    assert AcademicYear.objects.count() == before

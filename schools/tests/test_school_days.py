"""School days worked out from a school's calendar as stored in the database."""

from __future__ import annotations

from datetime import date

import pytest

from reintegrate.statutory import Session, count_school_days, next_school_day, suspension_period
from schools.models import NonSchoolDay
from schools.selectors import school_calendar
from schools.services import academic_year_create
from testsupport.factories import SchoolFactory

pytestmark = pytest.mark.django_db


def test_the_school_calendar_is_read_in_two_queries(school, django_assert_num_queries):
    with django_assert_num_queries(2):
        calendar = school_calendar(school)

    assert [term.label for term in calendar.terms] == ["Autumn 2026", "Spring 2027", "Summer 2027"]


def test_reading_the_calendar_takes_two_queries_however_many_years_and_days_it_holds(school, django_assert_num_queries):
    academic_year_create(school=school, start_year=2027)
    academic_year_create(school=school, start_year=2028)
    for day in (4, 5, 6):
        NonSchoolDay.objects.create(
            school=school, start_date=date(2027, 1, day), end_date=date(2027, 1, day), kind=NonSchoolDay.Kind.INSET
        )

    with django_assert_num_queries(2):
        calendar = school_calendar(school)

    assert len(calendar.terms) == 9
    assert calendar.last_known_day == date(2029, 7, 20)


def test_christmas_day_half_term_and_a_bank_holiday_in_term_are_not_school_days(school):
    calendar = school_calendar(school)

    assert not calendar.is_school_day(date(2026, 12, 25))
    assert not calendar.is_school_day(date(2026, 10, 28))
    assert not calendar.is_school_day(date(2027, 5, 3))


def test_a_wednesday_in_term_is_a_school_day(school):
    assert school_calendar(school).is_school_day(date(2026, 11, 18))


def test_every_day_of_a_half_term_range_is_a_non_school_day(school):
    calendar = school_calendar(school)

    assert [calendar.is_school_day(date(2026, 10, day)) for day in range(23, 31)] == [
        True,  # Friday 23/10
        False,  # Saturday
        False,  # Sunday
        False,  # Monday 26/10, half term
        False,
        False,
        False,
        False,  # Friday 30/10, half term
    ]
    assert calendar.is_school_day(date(2026, 11, 2))


def test_an_inset_day_added_by_the_school_is_not_a_school_day(school):
    NonSchoolDay.objects.create(
        school=school,
        start_date=date(2026, 11, 20),
        end_date=date(2026, 11, 20),
        kind=NonSchoolDay.Kind.INSET,
        description="Staff training",
    )

    calendar = school_calendar(school)

    assert not calendar.is_school_day(date(2026, 11, 20))
    assert next_school_day(calendar, date(2026, 11, 19)) == date(2026, 11, 23)
    assert count_school_days(calendar, date(2026, 11, 16), date(2026, 11, 20)) == 4


def test_a_closure_over_several_days_removes_each_of_them(school):
    NonSchoolDay.objects.create(
        school=school,
        start_date=date(2027, 1, 12),
        end_date=date(2027, 1, 14),
        kind=NonSchoolDay.Kind.CLOSURE,
        description="Snow",
    )

    calendar = school_calendar(school)

    assert count_school_days(calendar, date(2027, 1, 11), date(2027, 1, 15)) == 2


def test_another_schools_closures_do_not_change_this_schools_calendar(school, other_school):
    NonSchoolDay.objects.create(
        school=other_school,
        start_date=date(2026, 11, 18),
        end_date=date(2026, 11, 18),
        kind=NonSchoolDay.Kind.CLOSURE,
        description="Polling station",
    )

    assert school_calendar(school).is_school_day(date(2026, 11, 18))
    assert not school_calendar(other_school).is_school_day(date(2026, 11, 18))


def test_a_suspension_over_christmas_returns_on_the_first_day_of_the_spring_term(school):
    calendar = school_calendar(school)

    result = suspension_period(calendar, start=date(2026, 12, 17), sessions=4, start_session=Session.AM)

    assert result.last_day == date(2026, 12, 18)
    assert (result.return_date, result.return_session) == (date(2027, 1, 4), Session.AM)


def test_a_school_without_a_calendar_has_no_school_days():
    calendar = school_calendar(SchoolFactory())

    assert calendar.terms == ()
    assert not calendar.is_school_day(date(2026, 11, 18))

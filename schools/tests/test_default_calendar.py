"""The default calendar a new school year gets: term dates, half terms and England's bank holidays."""

from __future__ import annotations

from datetime import date

import pytest

from schools.models import AcademicYear, NonSchoolDay, Term
from schools.services import (
    academic_year_create,
    default_half_terms,
    default_term_dates,
    england_bank_holidays,
)
from testsupport.factories import SchoolFactory

YEARS = [2025, 2026, 2027]


@pytest.mark.parametrize("start_year", YEARS)
def test_a_default_year_has_an_autumn_a_spring_and_a_summer_term_in_order(start_year):
    terms = default_term_dates(start_year)

    assert list(terms) == [Term.Name.AUTUMN, Term.Name.SPRING, Term.Name.SUMMER]
    (autumn_start, autumn_end), (spring_start, spring_end), (summer_start, summer_end) = terms.values()
    assert autumn_start < autumn_end < spring_start < spring_end < summer_start < summer_end


@pytest.mark.parametrize("start_year", YEARS)
def test_default_terms_start_and_end_on_weekdays(start_year):
    for start, end in default_term_dates(start_year).values():
        assert start.weekday() < 5, start
        assert end.weekday() < 5, end


@pytest.mark.parametrize("start_year", YEARS)
def test_the_default_autumn_term_starts_in_september_and_the_summer_term_ends_in_july(start_year):
    terms = default_term_dates(start_year)

    autumn_start, autumn_end = terms[Term.Name.AUTUMN]
    spring_start, _ = terms[Term.Name.SPRING]
    _, summer_end = terms[Term.Name.SUMMER]
    assert (autumn_start.year, autumn_start.month) == (start_year, 9)
    assert (autumn_end.year, autumn_end.month) == (start_year, 12)
    assert (spring_start.year, spring_start.month) == (start_year + 1, 1)
    assert (summer_end.year, summer_end.month) == (start_year + 1, 7)


@pytest.mark.parametrize("start_year", YEARS)
def test_the_easter_holiday_falls_between_the_spring_and_summer_terms_with_a_two_week_break(start_year):
    terms = default_term_dates(start_year)
    holidays = england_bank_holidays(date(start_year + 1, 1, 1), date(start_year + 1, 12, 31))
    good_friday = next(day for day, name in holidays.items() if name == "Good Friday")
    _, spring_end = terms[Term.Name.SPRING]
    summer_start, _ = terms[Term.Name.SUMMER]

    assert spring_end < good_friday
    assert (summer_start - spring_end).days >= 14


def test_the_default_terms_for_2026_27_are_the_ones_the_tests_rely_on():
    assert default_term_dates(2026) == {
        Term.Name.AUTUMN: (date(2026, 9, 3), date(2026, 12, 18)),
        Term.Name.SPRING: (date(2027, 1, 4), date(2027, 3, 25)),
        Term.Name.SUMMER: (date(2027, 4, 12), date(2027, 7, 22)),
    }


def test_the_default_terms_for_2025_26_end_the_spring_term_before_a_late_easter():
    # Good Friday is 03/04/2026, so the spring term ends on the Friday on or before 1 April.
    assert default_term_dates(2025) == {
        Term.Name.AUTUMN: (date(2025, 9, 3), date(2025, 12, 19)),
        Term.Name.SPRING: (date(2026, 1, 5), date(2026, 3, 27)),
        Term.Name.SUMMER: (date(2026, 4, 13), date(2026, 7, 22)),
    }


def test_the_summer_term_never_opens_on_easter_monday():
    # 2027/28: the spring term ends on Friday 31/03/2028, the break runs to Easter Sunday 16/04/2028,
    # and Easter Monday 17/04/2028 is a bank holiday, so the summer term opens on Tuesday 18/04/2028.
    assert default_term_dates(2027)[Term.Name.SUMMER] == (date(2028, 4, 18), date(2028, 7, 21))


@pytest.mark.parametrize("start_year", range(2024, 2040))
def test_no_default_term_starts_or_ends_on_a_bank_holiday(start_year):
    holidays = england_bank_holidays(date(start_year, 9, 1), date(start_year + 1, 8, 31))

    for start, end in default_term_dates(start_year).values():
        assert start not in holidays
        assert end not in holidays


@pytest.mark.parametrize("start_year", YEARS)
def test_each_default_half_term_is_a_monday_to_friday_week_inside_its_term(start_year):
    half_terms = default_half_terms(start_year)
    terms = list(default_term_dates(start_year).values())

    assert [name for _, _, name in half_terms] == ["Autumn half term", "Spring half term", "Summer half term"]
    for (start, end, _name), (term_start, term_end) in zip(half_terms, terms, strict=True):
        assert start.weekday() == 0
        assert (end - start).days == 4
        assert term_start < start
        assert end < term_end


def test_the_default_half_terms_for_2026_27():
    assert default_half_terms(2026) == [
        (date(2026, 10, 26), date(2026, 10, 30), "Autumn half term"),
        (date(2027, 2, 15), date(2027, 2, 19), "Spring half term"),
        (date(2027, 5, 31), date(2027, 6, 4), "Summer half term"),
    ]


@pytest.mark.parametrize(
    ("day", "name"),
    [
        (date(2026, 12, 25), "Christmas Day"),
        (date(2026, 12, 28), "Boxing Day (observed)"),
        (date(2027, 1, 1), "New Year's Day"),
        (date(2027, 3, 26), "Good Friday"),
        (date(2027, 3, 29), "Easter Monday"),
        (date(2027, 5, 3), "May Day"),
        (date(2027, 5, 31), "Spring Bank Holiday"),
        (date(2027, 8, 30), "Late Summer Bank Holiday"),
    ],
)
def test_england_bank_holidays_in_2026_27(day, name):
    assert england_bank_holidays(date(2026, 9, 1), date(2027, 8, 31))[day] == name


def test_england_bank_holidays_are_limited_to_the_dates_asked_for_both_inclusive():
    found = england_bank_holidays(date(2026, 12, 25), date(2027, 1, 1))

    assert list(found) == [date(2026, 12, 25), date(2026, 12, 26), date(2026, 12, 28), date(2027, 1, 1)]


def test_england_bank_holidays_do_not_include_scottish_ones():
    found = england_bank_holidays(date(2026, 9, 1), date(2027, 8, 31))

    assert date(2027, 1, 4) not in found  # 2 January holiday (observed) in Scotland only
    assert date(2026, 11, 30) not in found  # St Andrew's Day


@pytest.mark.django_db
def test_creating_a_year_makes_three_terms_half_terms_and_weekday_bank_holidays():
    school = SchoolFactory()

    year = academic_year_create(school=school, start_year=2026)

    assert (year.start_date, year.end_date) == (date(2026, 9, 1), date(2027, 8, 31))
    assert year.label == "2026/27"
    assert [(t.name, t.start_date, t.end_date, t.label) for t in year.terms.order_by("start_date")] == [
        (Term.Name.AUTUMN, date(2026, 9, 3), date(2026, 12, 18), "Autumn 2026"),
        (Term.Name.SPRING, date(2027, 1, 4), date(2027, 3, 25), "Spring 2027"),
        (Term.Name.SUMMER, date(2027, 4, 12), date(2027, 7, 22), "Summer 2027"),
    ]
    bank_holidays = NonSchoolDay.objects.filter(school=school, kind=NonSchoolDay.Kind.BANK_HOLIDAY)
    assert sorted(bank_holidays.values_list("start_date", flat=True)) == [
        date(2026, 12, 25),
        date(2026, 12, 28),
        date(2027, 1, 1),
        date(2027, 3, 26),
        date(2027, 3, 29),
        date(2027, 5, 3),
        date(2027, 5, 31),
        date(2027, 8, 30),
    ]
    assert all(day.start_date == day.end_date and day.start_date.weekday() < 5 for day in bank_holidays)
    assert not bank_holidays.filter(start_date=date(2026, 12, 26)).exists()  # a Saturday
    half_terms = NonSchoolDay.objects.filter(school=school, kind=NonSchoolDay.Kind.HOLIDAY).order_by("start_date")
    assert [(h.start_date, h.end_date, h.description) for h in half_terms] == default_half_terms(2026)


@pytest.mark.django_db
def test_creating_a_year_without_half_terms_adds_only_the_bank_holidays():
    school = SchoolFactory()

    academic_year_create(school=school, start_year=2026, with_half_terms=False)

    assert not NonSchoolDay.objects.filter(school=school, kind=NonSchoolDay.Kind.HOLIDAY).exists()
    assert NonSchoolDay.objects.filter(school=school, kind=NonSchoolDay.Kind.BANK_HOLIDAY).count() == 8


@pytest.mark.django_db
def test_creating_a_year_for_one_school_leaves_other_schools_alone():
    school, other = SchoolFactory(), SchoolFactory()

    academic_year_create(school=school, start_year=2026)

    assert not AcademicYear.objects.filter(school=other).exists()
    assert not NonSchoolDay.objects.filter(school=other).exists()

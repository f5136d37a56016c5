"""Writes for schools: creating an academic year with a default term pattern and England's bank holidays."""

from __future__ import annotations

from datetime import date, timedelta

import holidays
from django.db import transaction

from schools.models import AcademicYear, NonSchoolDay, School, Term


def _weekday_on_or_after(day: date, weekday: int) -> date:
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def _weekday_on_or_before(day: date, weekday: int) -> date:
    return day - timedelta(days=(day.weekday() - weekday) % 7)


def _first_weekday_on_or_after(day: date) -> date:
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def _last_monday(year: int, month: int) -> date:
    next_month = date(year + (month == 12), month % 12 + 1, 1)
    return _weekday_on_or_before(next_month - timedelta(days=1), 0)


def england_bank_holidays(start: date, end: date) -> dict[date, str]:
    """England and Wales bank holidays between two dates, inclusive (from the `holidays` package)."""
    found = holidays.country_holidays("GB", subdiv="ENG", years=range(start.year, end.year + 1))
    return {day: str(name) for day, name in sorted(found.items()) if start <= day <= end}


def default_term_dates(start_year: int) -> dict[str, tuple[date, date]]:
    """A typical English term pattern for the school year starting in September of `start_year`.

    Autumn from the first weekday on or after 3 September to the Friday on or before 19 December;
    spring from the first weekday on or after 4 January to the day before Good Friday (or the Friday on
    or before 1 April when Easter is late); summer after a two-week break, to the weekday on or before 22 July.
    Schools edit their own dates in the calendar settings.
    """
    easter = holidays.country_holidays("GB", subdiv="ENG", years=[start_year + 1])
    good_friday = next(day for day, name in easter.items() if "Good Friday" in str(name))
    autumn = (_first_weekday_on_or_after(date(start_year, 9, 3)), _weekday_on_or_before(date(start_year, 12, 19), 4))
    spring_end = min(good_friday - timedelta(days=1), _weekday_on_or_before(date(start_year + 1, 4, 1), 4))
    spring = (_first_weekday_on_or_after(date(start_year + 1, 1, 4)), spring_end)
    summer_start = _weekday_on_or_after(spring_end + timedelta(days=1), 0) + timedelta(days=14)
    summer_end = date(start_year + 1, 7, 22)
    while summer_end.weekday() >= 5:
        summer_end -= timedelta(days=1)
    return {
        Term.Name.AUTUMN: autumn,
        Term.Name.SPRING: spring,
        Term.Name.SUMMER: (summer_start, summer_end),
    }


def default_half_terms(start_year: int) -> list[tuple[date, date, str]]:
    """Half-term weeks: the last week of October, mid-February and the spring bank holiday week."""
    october = _last_monday(start_year, 10)
    february = _weekday_on_or_after(date(start_year + 1, 2, 12), 0)
    may = _last_monday(start_year + 1, 5)
    return [
        (october, october + timedelta(days=4), "Autumn half term"),
        (february, february + timedelta(days=4), "Spring half term"),
        (may, may + timedelta(days=4), "Summer half term"),
    ]


@transaction.atomic
def academic_year_create(*, school: School, start_year: int, with_half_terms: bool = True) -> AcademicYear:
    """Create a school year with the default terms, half terms and England's bank holidays."""
    year = AcademicYear.objects.create(
        school=school, start_date=date(start_year, 9, 1), end_date=date(start_year + 1, 8, 31)
    )
    for name, (start, end) in default_term_dates(start_year).items():
        Term.objects.create(academic_year=year, name=name, start_date=start, end_date=end)
    rows = [
        NonSchoolDay(school=school, start_date=day, end_date=day, kind=NonSchoolDay.Kind.BANK_HOLIDAY, description=name)
        for day, name in england_bank_holidays(year.start_date, year.end_date).items()
        if day.weekday() < 5
    ]
    if with_half_terms:
        rows += [
            NonSchoolDay(
                school=school, start_date=start, end_date=end, kind=NonSchoolDay.Kind.HOLIDAY, description=name
            )
            for start, end, name in default_half_terms(start_year)
        ]
    NonSchoolDay.objects.bulk_create(rows)
    return year

"""Writes for schools: creating an academic year with a default term pattern and England's bank holidays,
and the calendar settings (term dates, non-school days, adding a year)."""

from __future__ import annotations

from datetime import date, timedelta

import holidays
from django.core.exceptions import ValidationError
from django.db import transaction

from audit.changes import record_created
from reintegrate import statutory
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
    or before 1 April when Easter is late); summer after a two-week break (starting the day after Easter Monday
    when the break ends on Easter Sunday), to the weekday on or before 22 July.
    Schools edit their own dates in the calendar settings.
    """
    easter = holidays.country_holidays("GB", subdiv="ENG", years=[start_year + 1])
    good_friday = next(day for day, name in easter.items() if "Good Friday" in str(name))
    autumn = (_first_weekday_on_or_after(date(start_year, 9, 3)), _weekday_on_or_before(date(start_year, 12, 19), 4))
    spring_end = min(good_friday - timedelta(days=1), _weekday_on_or_before(date(start_year + 1, 4, 1), 4))
    spring = (_first_weekday_on_or_after(date(start_year + 1, 1, 4)), spring_end)
    summer_start = _weekday_on_or_after(spring_end + timedelta(days=1), 0) + timedelta(days=14)
    while summer_start in easter:  # a term does not open on a bank holiday (Easter Monday 17/04/2028)
        summer_start += timedelta(days=1)
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
    record_created(NonSchoolDay.objects.bulk_create(rows))
    return year


# --- Calendar settings: the writes behind the school calendar pages ------------------------------------------

TERM_ENDS_BEFORE_START = "The last day of term must be on or after the first day."
TERM_OUTSIDE_YEAR = "The {term} term must fall within the school year {year}, from {start} to {end}."
TERM_OVERLAPS = (
    "These dates overlap the {other} term ({start} to {end}). Change the dates so that terms do not overlap."
)
NON_SCHOOL_DAY_ENDS_BEFORE_START = "The last day must be on or after the first day. Leave it empty for a single day."
NON_SCHOOL_DAY_OUTSIDE_YEAR = (
    "The dates must fall within one school year in the calendar. Add the school year first if it is not there."
)
ACADEMIC_YEAR_EXISTS = "The school year {year} is already in the calendar. Change its term dates instead."


def _uk(day: date) -> str:
    return f"{day:%d/%m/%Y}"


@transaction.atomic
def term_update(*, term: Term, start_date: date, end_date: date) -> Term:
    """Change a term's first and last days.

    Refuses a last day before the first, dates outside the term's school year, and an overlap with another
    of the school's terms. Suspensions keep the dates they were recorded with: nothing else changes.
    """
    year = term.academic_year
    others = list(
        Term.objects.select_for_update()
        .filter(academic_year__school_id=year.school_id)
        .exclude(pk=term.pk)
        .order_by("start_date")
    )
    if end_date < start_date:
        raise ValidationError({"end_date": [TERM_ENDS_BEFORE_START]})
    errors: dict[str, list[str]] = {}
    outside = TERM_OUTSIDE_YEAR.format(
        term=term.get_name_display().lower(),
        year=year.label,
        start=_uk(year.start_date),
        end=_uk(year.end_date),
    )
    if not year.start_date <= start_date <= year.end_date:
        errors["start_date"] = [outside]
    if not year.start_date <= end_date <= year.end_date:
        errors["end_date"] = [outside]
    if not errors:
        for other in others:
            if other.start_date <= end_date and start_date <= other.end_date:
                errors["start_date"] = [
                    TERM_OVERLAPS.format(other=other.label, start=_uk(other.start_date), end=_uk(other.end_date))
                ]
                break
    if errors:
        raise ValidationError(errors)
    term.start_date = start_date
    term.end_date = end_date
    term.save(update_fields=["start_date", "end_date"])
    return term


@transaction.atomic
def non_school_day_create(
    *, school: School, start_date: date, end_date: date | None, kind: str, description: str
) -> NonSchoolDay:
    """Add a day, or a run of days, when pupils are not taught. It must fall within one of the school's years."""
    end = end_date or start_date
    if end < start_date:
        raise ValidationError({"end_date": [NON_SCHOOL_DAY_ENDS_BEFORE_START]})
    in_a_year = AcademicYear.objects.filter(school=school, start_date__lte=start_date, end_date__gte=end).exists()
    if not in_a_year:
        raise ValidationError({"start_date": [NON_SCHOOL_DAY_OUTSIDE_YEAR]})
    return NonSchoolDay.objects.create(
        school=school, start_date=start_date, end_date=end, kind=kind, description=description.strip()
    )


@transaction.atomic
def non_school_day_delete(*, non_school_day: NonSchoolDay) -> None:
    """Remove a non-school day: the days become school days again if they fall in a term."""
    non_school_day.delete()


@transaction.atomic
def academic_year_add(*, school: School, start_year: int) -> AcademicYear:
    """Add a school year with the default pattern, refusing one the calendar already holds."""
    start, end = date(start_year, 9, 1), date(start_year + 1, 8, 31)
    overlapping = AcademicYear.objects.select_for_update().filter(
        school=school, start_date__lte=end, end_date__gte=start
    )
    if overlapping.exists():
        raise ValidationError(ACADEMIC_YEAR_EXISTS.format(year=statutory.academic_year_label(start)))
    return academic_year_create(school=school, start_year=start_year)

"""Reads for schools: the calendar value object that the statutory arithmetic works on, and the calendar page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from reintegrate import statutory
from reintegrate.statutory import SchoolCalendar, TermSpan
from schools.models import AcademicYear, NonSchoolDay, School, Term


def school_calendar(school: School) -> SchoolCalendar:
    """The school's terms and non-school days, in two queries, as reintegrate.statutory expects them."""
    terms = tuple(
        TermSpan(start=term.start_date, end=term.end_date, label=term.label)
        for term in Term.objects.filter(academic_year__school=school).order_by("start_date")
    )
    days: set[date] = set()
    for start, end in NonSchoolDay.objects.filter(school=school).values_list("start_date", "end_date"):
        day = start
        while day <= end:
            days.add(day)
            day += timedelta(days=1)
    return SchoolCalendar(terms=terms, non_school_days=frozenset(days))


@dataclass(frozen=True)
class TermRow:
    term: Term
    school_days: int


@dataclass(frozen=True)
class YearOverview:
    year: AcademicYear
    terms: list[TermRow]
    non_school_days: list[NonSchoolDay]


def calendar_overview(school: School) -> list[YearOverview]:
    """Each school year with its terms (and their school days) and its non-school days, in five queries."""
    calendar = school_calendar(school)
    years = list(AcademicYear.objects.filter(school=school).prefetch_related("terms").order_by("start_date"))
    days = list(NonSchoolDay.objects.filter(school=school).order_by("start_date", "end_date", "id"))
    overview = []
    for year in years:
        terms = [
            TermRow(term=term, school_days=statutory.count_school_days(calendar, term.start_date, term.end_date))
            for term in sorted(year.terms.all(), key=lambda t: t.start_date)
        ]
        in_year = [day for day in days if year.start_date <= day.start_date <= year.end_date]
        overview.append(YearOverview(year=year, terms=terms, non_school_days=in_year))
    return overview


def next_academic_year_start(school: School, today: date) -> int:
    """The start year of the school year to add next: after the last one held, else the current one."""
    last = AcademicYear.objects.filter(school=school).order_by("-start_date").first()
    if last is None:
        return statutory.academic_year_start(today).year
    return statutory.academic_year_start(last.end_date).year + 1

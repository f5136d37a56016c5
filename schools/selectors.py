"""Reads for schools: the calendar value object that the statutory arithmetic works on."""

from __future__ import annotations

from datetime import date, timedelta

from reintegrate.statutory import SchoolCalendar, TermSpan
from schools.models import NonSchoolDay, School, Term


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

"""School calendars built without the database, for the pure statutory tests.

They use the same default term pattern, half terms and bank holidays as schools.services.academic_year_create,
so a test here sees exactly the calendar a new school gets.
"""

from __future__ import annotations

from datetime import date, timedelta

from reintegrate.statutory import SchoolCalendar, TermSpan
from schools.services import default_half_terms, default_term_dates, england_bank_holidays


def default_calendar(*start_years: int) -> SchoolCalendar:
    """The default calendar for the school years starting in September of each of `start_years`."""
    terms: list[TermSpan] = []
    closed: set[date] = set()
    for start_year in start_years:
        for name, (start, end) in default_term_dates(start_year).items():
            terms.append(TermSpan(start=start, end=end, label=f"{name.title()} {start.year}"))
        closed.update(
            day
            for day in england_bank_holidays(date(start_year, 9, 1), date(start_year + 1, 8, 31))
            if day.weekday() < 5
        )
        for start, end, _name in default_half_terms(start_year):
            day = start
            while day <= end:
                closed.add(day)
                day += timedelta(days=1)
    return SchoolCalendar(terms=tuple(terms), non_school_days=frozenset(closed))

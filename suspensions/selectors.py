"""Reads for suspensions: a pupil's suspensions with running totals, and the school's returns."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import QuerySet

from pupils.models import Pupil
from pupils.selectors import previous_school_sessions_by_year
from reintegrate import statutory
from schools.models import School
from schools.selectors import school_calendar
from suspensions.models import Suspension


@dataclass(frozen=True)
class PupilSuspensionSummary:
    this_term: list[Suspension]
    this_year: list[Suspension]
    all: list[Suspension]
    totals: statutory.Totals
    term_label: str
    year_label: str

    @property
    def term_days(self) -> str:
        return statutory.format_days(self.totals.term_sessions)

    @property
    def year_days(self) -> str:
        return statutory.format_days(self.totals.year_sessions)

    @property
    def cap_remaining_days(self) -> str:
        return statutory.format_days(self.totals.cap_remaining_sessions)

    @property
    def near_cap(self) -> bool:
        """Within five school days of the 45-day cap."""
        return self.totals.cap_remaining_sessions <= 10


def pupil_suspensions(pupil: Pupil) -> QuerySet[Suspension]:
    return (
        Suspension.objects.filter(pupil=pupil)
        .select_related("decided_by", "follows")
        .prefetch_related("reasons")
        .order_by("-start_date", "-id")
    )


def pupil_suspension_summary(pupil: Pupil, *, today: date) -> PupilSuspensionSummary:
    """The pupil's suspensions this term and this school year, with running totals in days.

    Cancelled suspensions are listed but not counted; permanent exclusions are outside the cap. The year's
    total includes days at previous schools, which count towards the cap (domain.md section 2, row 2).
    """
    calendar = school_calendar(pupil.school)
    suspensions = list(pupil_suspensions(pupil))
    counted = [s.period for s in suspensions if not s.is_cancelled and s.period is not None]
    previous = previous_school_sessions_by_year(pupil).get(statutory.academic_year_start(today), 0)
    totals = statutory.totals_on(
        calendar, [p for p in counted if p is not None], on=today, previous_school_sessions=previous
    )
    term = calendar.current_term(today)
    if term is not None and statutory.academic_year_start(term.start) != statutory.academic_year_start(today):
        term = None
    year_start = statutory.academic_year_start(today)
    year_end = date(year_start.year + 1, 8, 31)

    def overlaps(s: Suspension, start: date, end: date) -> bool:
        last = s.last_day or s.start_date
        return s.start_date <= end and last >= start

    this_year = [s for s in suspensions if overlaps(s, year_start, year_end)]
    this_term = [s for s in this_year if term is not None and overlaps(s, term.start, term.end)]
    return PupilSuspensionSummary(
        this_term=this_term,
        this_year=this_year,
        all=suspensions,
        totals=totals,
        term_label=term.label if term else "No term yet this school year",
        year_label=statutory.academic_year_label(today),
    )


def returns_between(school: School, start: date, end: date) -> QuerySet[Suspension]:
    """Confirmed suspensions whose pupils return between two dates, soonest first."""
    return (
        Suspension.objects.filter(
            school=school, status=Suspension.Status.CONFIRMED, return_date__gte=start, return_date__lte=end
        )
        .select_related("pupil", "plan")
        .order_by("return_date", "return_session", "pupil__legal_last_name")
    )


def returns_in_the_next_week(school: School, today: date) -> QuerySet[Suspension]:
    """Returns after today and within seven days, so that on a Friday or a weekend the coming week shows."""
    return returns_between(school, today + timedelta(days=1), today + timedelta(days=7))

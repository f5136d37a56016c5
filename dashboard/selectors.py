"""Reads for the dashboard (the pastoral to-do lists) and the governors' figures (aggregates, no names).

Each to-do list is a queryset with everything its table shows joined in, so a page of rows costs one query.
Every figure of days comes from reintegrate.statutory; nothing here does school-day arithmetic.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Q, QuerySet
from django.db.models.functions import Trim

from plans.models import Meeting, ReintegrationPlan, Review
from pupils.models import Pupil
from reintegrate import statutory
from schools.models import AcademicYear, School
from suspensions.models import ReasonCode, Suspension
from suspensions.selectors import returns_between, returns_in_the_next_week

REVIEW_DUE_WINDOW_DAYS = 7


# --- The pastoral dashboard -------------------------------------------------------------------------------


def returns_today(school: School, today: date) -> QuerySet[Suspension]:
    """Confirmed suspensions whose pupils come back today, with the pupil and the plan."""
    return returns_between(school, today, today)


def returns_in_the_next_7_days(school: School, today: date) -> QuerySet[Suspension]:
    """Confirmed suspensions whose pupils come back after today and within seven days."""
    return returns_in_the_next_week(school, today)


def _plans(school: School) -> QuerySet[ReintegrationPlan]:
    return ReintegrationPlan.objects.filter(school=school).select_related("pupil", "suspension")


def plans_without_strategy(school: School) -> QuerySet[ReintegrationPlan]:
    """Draft plans of confirmed suspensions that have no strategy yet: every return needs one."""
    return (
        _plans(school)
        .annotate(strategy_trimmed=Trim("strategy"))
        .filter(
            status=ReintegrationPlan.Status.DRAFT,
            strategy_trimmed="",
            suspension__status=Suspension.Status.CONFIRMED,
        )
        .order_by("suspension__return_date", "pupil__legal_last_name", "id")
    )


def meetings_to_arrange(school: School) -> QuerySet[ReintegrationPlan]:
    """Open plans of confirmed suspensions with no meeting and no reason recorded for not holding one."""
    return (
        _plans(school)
        .annotate(no_meeting_reason_trimmed=Trim("no_meeting_reason"))
        .filter(meeting__isnull=True, no_meeting_reason_trimmed="", suspension__status=Suspension.Status.CONFIRMED)
        .exclude(status=ReintegrationPlan.Status.CLOSED)
        .order_by("suspension__return_date", "pupil__legal_last_name", "id")
    )


def meetings_to_record(school: School, now: datetime) -> QuerySet[Meeting]:
    """Arranged meetings whose time has passed: record whether they were held, and what was said."""
    return (
        Meeting.objects.filter(plan__school=school, status=Meeting.Status.ARRANGED, scheduled_for__lt=now)
        .exclude(plan__status=ReintegrationPlan.Status.CLOSED)
        .select_related("plan", "plan__pupil", "plan__suspension")
        .order_by("scheduled_for", "id")
    )


def reviews_due(school: School, today: date) -> QuerySet[ReintegrationPlan]:
    """Active plans with a review due from today to seven days from today, both inclusive."""
    return (
        _plans(school)
        .filter(
            status=ReintegrationPlan.Status.ACTIVE,
            next_review_date__gte=today,
            next_review_date__lte=today + timedelta(days=REVIEW_DUE_WINDOW_DAYS),
        )
        .order_by("next_review_date", "pupil__legal_last_name", "id")
    )


def reviews_overdue(school: School, today: date) -> QuerySet[ReintegrationPlan]:
    """Active plans whose next review date has passed without a review."""
    return (
        _plans(school)
        .filter(status=ReintegrationPlan.Status.ACTIVE, next_review_date__lt=today)
        .order_by("next_review_date", "pupil__legal_last_name", "id")
    )


def active_plans(school: School) -> QuerySet[ReintegrationPlan]:
    """Every active plan at the school, for staff who support pupils back into lessons."""
    return (
        _plans(school)
        .filter(status=ReintegrationPlan.Status.ACTIVE)
        .order_by("pupil__legal_last_name", "pupil__legal_first_name", "id")
    )


# --- Governors' figures -----------------------------------------------------------------------------------

SUPPRESSION_THRESHOLD = 3
SUPPRESSED = "fewer than 3"


def suppress(count: int) -> str:
    """Published statistics practice: a count of 1 or 2 could identify a pupil, so it is not shown."""
    if 0 < count < SUPPRESSION_THRESHOLD:
        return SUPPRESSED
    return str(count)


@dataclass(frozen=True)
class Period:
    """A term, or the whole school year: the column of a figures table."""

    label: str
    start: date
    end: date

    def holds(self, day: date) -> bool:
        return self.start <= day <= self.end


@dataclass
class PeriodFigures:
    suspensions: int = 0
    pupils: set[int] = field(default_factory=set)
    sessions: int = 0
    lunchtime: int = 0
    permanent: int = 0
    cancelled: int = 0
    reviews: int = 0

    @property
    def pupil_count(self) -> int:
        return len(self.pupils)

    @property
    def days(self) -> str:
        """Total school days of suspension, hidden with the count it comes from when that count is 1 or 2."""
        if 0 < self.suspensions < SUPPRESSION_THRESHOLD:
            return SUPPRESSED
        return statutory.format_days(self.sessions)


@dataclass(frozen=True)
class FigureRow:
    label: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class Figures:
    year_label: str
    has_calendar: bool
    periods: tuple[Period, ...]
    by_period: tuple[FigureRow, ...]
    plans_by_status: tuple[FigureRow, ...]
    meetings: tuple[FigureRow, ...]
    by_reason: tuple[FigureRow, ...]
    by_sen: tuple[FigureRow, ...]
    by_fsm: tuple[FigureRow, ...]


def _year_periods(school: School, today: date) -> tuple[tuple[Period, ...], bool]:
    year_start = statutory.academic_year_start(today)
    year_end = date(year_start.year + 1, 8, 31)
    year = (
        AcademicYear.objects.filter(school=school, start_date__lte=today, end_date__gte=today)
        .prefetch_related("terms")
        .first()
    )
    terms: list[Period] = []
    if year is not None:
        year_start, year_end = year.start_date, year.end_date
        terms = [
            Period(label=term.get_name_display(), start=term.start_date, end=term.end_date)
            for term in sorted(year.terms.all(), key=lambda t: t.start_date)
        ]
    whole = Period(label="Whole year", start=year_start, end=year_end)
    return (*terms, whole), year is not None


def school_figures(school: School, today: date) -> Figures:
    """The school year's figures, by term and for the year, with counts of 1 or 2 suppressed.

    Suspensions are counted in the term they start; their days in the term each session falls in.
    Permanent exclusions and cancelled suspensions are counted apart and add no days.
    """
    periods, has_calendar = _year_periods(school, today)
    whole = periods[-1]
    figures = {period: PeriodFigures() for period in periods}

    suspensions = list(
        Suspension.objects.filter(school=school, start_date__lte=whole.end)
        .filter(Q(start_date__gte=whole.start) | Q(last_day__gte=whole.start))
        .select_related("pupil")
        .prefetch_related("reasons")
        .only(
            "id",
            "kind",
            "status",
            "start_date",
            "sessions",
            "occupied_sessions",
            "last_day",
            "pupil__id",
            "pupil__sen_status",
            "pupil__fsm_eligible",
        )
    )
    for suspension in suspensions:
        for period in periods:
            into = figures[period]
            if suspension.is_cancelled:
                if period.holds(suspension.start_date):
                    into.cancelled += 1
                continue
            if suspension.is_permanent:
                if period.holds(suspension.start_date):
                    into.permanent += 1
                continue
            if period.holds(suspension.start_date):
                into.suspensions += 1
                into.pupils.add(suspension.pupil_id)
                if suspension.kind == Suspension.Kind.LUNCHTIME:
                    into.lunchtime += 1
            into.sessions += sum(1 for day, _ in suspension.occupied_sessions if period.holds(date.fromisoformat(day)))

    for held_on in Review.objects.filter(
        plan__school=school, held_on__gte=whole.start, held_on__lte=whole.end
    ).values_list("held_on", flat=True):
        for period in periods:
            if period.holds(held_on):
                figures[period].reviews += 1

    def row(label: str, value: str) -> FigureRow:
        return FigureRow(label=label, values=tuple(getattr(figures[p], value) for p in periods))

    def counted(label: str, attribute: str) -> FigureRow:
        return FigureRow(label=label, values=tuple(suppress(getattr(figures[p], attribute)) for p in periods))

    by_period = (
        counted("Suspensions (including lunchtime)", "suspensions"),
        counted("Pupils suspended", "pupil_count"),
        row("School days of suspension", "days"),
        counted("Lunchtime suspensions", "lunchtime"),
        counted("Permanent exclusions", "permanent"),
        counted("Cancelled suspensions", "cancelled"),
        counted("Progress reviews recorded", "reviews"),
    )

    confirmed = [s for s in suspensions if not s.is_cancelled and whole.holds(s.start_date)]
    plans = ReintegrationPlan.objects.filter(
        school=school, suspension__start_date__gte=whole.start, suspension__start_date__lte=whole.end
    )
    plan_statuses = Counter(plans.values_list("status", flat=True))
    plans_by_status = tuple(
        FigureRow(label=label, values=(suppress(plan_statuses[value]),))
        for value, label in ReintegrationPlan.Status.choices
    )
    meeting_statuses = Counter(Meeting.objects.filter(plan__in=plans).values_list("status", flat=True))
    no_meeting = plans.filter(meeting__isnull=True).exclude(no_meeting_reason="").count()
    meetings = (
        FigureRow(label="Meetings held", values=(suppress(meeting_statuses[Meeting.Status.HELD]),)),
        FigureRow(
            label="Meetings that did not take place", values=(suppress(meeting_statuses[Meeting.Status.NOT_HELD]),)
        ),
        FigureRow(
            label="Meetings arranged, not yet recorded", values=(suppress(meeting_statuses[Meeting.Status.ARRANGED]),)
        ),
        FigureRow(label="No meeting, with the reason recorded", values=(suppress(no_meeting),)),
    )

    reason_suspensions: Counter[int] = Counter()
    reason_permanent: Counter[int] = Counter()
    reasons: dict[int, ReasonCode] = {}
    for suspension in confirmed:
        for reason in suspension.reasons.all():
            reasons[reason.pk] = reason
            (reason_permanent if suspension.is_permanent else reason_suspensions)[reason.pk] += 1
    by_reason = tuple(
        FigureRow(
            label=f"{reason.code}: {reason.description}",
            values=(suppress(reason_suspensions[reason.pk]), suppress(reason_permanent[reason.pk])),
        )
        for reason in sorted(
            reasons.values(), key=lambda r: (-(reason_suspensions[r.pk] + reason_permanent[r.pk]), r.code)
        )
    )

    def characteristic(groups: Sequence[tuple[object, str]], attribute: str) -> tuple[FigureRow, ...]:
        rows = []
        for value, label in groups:
            matching = [s for s in confirmed if not s.is_permanent and getattr(s.pupil, attribute) == value]
            rows.append(
                FigureRow(
                    label=label,
                    values=(suppress(len(matching)), suppress(len({s.pupil_id for s in matching}))),
                )
            )
        return tuple(rows)

    by_sen = characteristic([(value, str(label)) for value, label in Pupil.SEN.choices], "sen_status")
    by_fsm = characteristic(
        [(True, "Eligible for free school meals"), (False, "Not eligible for free school meals")], "fsm_eligible"
    )
    return Figures(
        year_label=statutory.academic_year_label(today),
        has_calendar=has_calendar,
        periods=periods,
        by_period=by_period,
        plans_by_status=plans_by_status,
        meetings=meetings,
        by_reason=by_reason,
        by_sen=by_sen,
        by_fsm=by_fsm,
    )

"""Reads for statutory duties: the school's compliance list, a suspension's duties, and the dashboard counts.

Each list is a queryset with everything its table shows joined in, so a page of rows costs one query.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Q, QuerySet

from duties.models import Duty
from schools.models import School
from suspensions.models import Suspension

# Status filter of the compliance page: open duties unless the user asks for others.
STATUS_OPEN = "open"
STATUS_DONE = "done"
STATUS_NOT_NEEDED = "not_needed"
STATUS_ALL = "all"
STATUS_CHOICES = [
    (STATUS_OPEN, "To do"),
    (STATUS_DONE, "Done"),
    (STATUS_NOT_NEEDED, "No longer needed"),
    (STATUS_ALL, "All"),
]

# When filter: the dashboard's cards link to these.
WHEN_OVERDUE = "overdue"
WHEN_TODAY = "today"
WHEN_WEEK = "week"
WHEN_CHOICES = [
    (WHEN_OVERDUE, "Overdue"),
    (WHEN_TODAY, "Due today"),
    (WHEN_WEEK, "Due in the next 7 days"),
]
WEEK_DAYS = 7


def duty_list(
    *, school: School, today: date, kind: str = "", owner_role: str = "", status: str = STATUS_OPEN, when: str = ""
) -> QuerySet[Duty]:
    """The school's duties, soonest due first, with the pupil, suspension and part-time timetable joined in.

    `when` narrows by due date: overdue (before today), today, or the next 7 days (after today, up to 7 days on).
    """
    duties = Duty.objects.filter(school=school).select_related("pupil", "suspension", "part_time_timetable", "done_by")
    if status != STATUS_ALL:
        duties = duties.filter(status=status if status in (STATUS_DONE, STATUS_NOT_NEEDED) else Duty.Status.OPEN)
    if kind:
        duties = duties.filter(kind=kind)
    if owner_role:
        duties = duties.filter(owner_role=owner_role)
    if when == WHEN_OVERDUE:
        duties = duties.filter(due_date__lt=today)
    elif when == WHEN_TODAY:
        duties = duties.filter(due_date=today)
    elif when == WHEN_WEEK:
        duties = duties.filter(due_date__gt=today, due_date__lte=today + timedelta(days=WEEK_DAYS))
    return duties.order_by("due_date", "pupil__legal_last_name", "pupil__legal_first_name", "id")


def suspension_duties(suspension: Suspension) -> list[Duty]:
    """One suspension's duties, soonest due first (the notices of a cancellation fall due when it is cancelled)."""
    return list(Duty.objects.filter(suspension=suspension).select_related("done_by").order_by("due_date", "id"))


def open_duty_count(suspension: Suspension) -> int:
    return Duty.objects.filter(suspension=suspension, status=Duty.Status.OPEN).count()


@dataclass(frozen=True)
class DutyCounts:
    overdue: int
    today: int
    week: int


def duty_counts(*, school: School, today: date) -> DutyCounts:
    """Open duties overdue, due today, and due in the next 7 days (after today), in one query."""
    counts = Duty.objects.filter(school=school, status=Duty.Status.OPEN).aggregate(
        overdue=Count("id", filter=Q(due_date__lt=today)),
        today=Count("id", filter=Q(due_date=today)),
        week=Count("id", filter=Q(due_date__gt=today, due_date__lte=today + timedelta(days=WEEK_DAYS))),
    )
    return DutyCounts(overdue=counts["overdue"], today=counts["today"], week=counts["week"])

"""Writes for pupils: days of suspension at previous schools, which count towards the 45-day cap.

Rule: the cap's total "includes suspensions from previous schools" (domain.md section 2, row 2). Each write runs in
one transaction and brings the duties of the pupil's suspensions in that school year up to date (repeat alerts).
"""

from __future__ import annotations

from datetime import date

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, Sum

from duties.services import duties_sync
from pupils.models import PreviousSchoolSuspension, Pupil
from reintegrate import statutory
from schools.selectors import school_calendar
from suspensions.models import Suspension

SCHOOL_NAME_REQUIRED = "Enter the name of the previous school."
YEAR_NOT_1_SEPTEMBER = "Choose the school year the days fall in."
SESSIONS_TOO_FEW = "Enter the days of suspension at the previous school, at least half a day."
CAP_EXCEEDED = (
    "This would take {pupil} to {after} school days of suspension in {year}, over the limit of 45. "
    "They have {before} days so far, so no more than {left} days can be entered."
)


def _year_end(year_start: date) -> date:
    return date(year_start.year + 1, 8, 31)


def _confirmed_in_year(pupil: Pupil, year_start: date) -> list[Suspension]:
    """The pupil's confirmed suspensions (and permanent exclusions) touching the school year, locked for update."""
    return list(
        Suspension.objects.select_for_update()
        .filter(pupil=pupil, status=Suspension.Status.CONFIRMED, start_date__lte=_year_end(year_start))
        .filter(Q(last_day__gte=year_start) | Q(last_day__isnull=True, start_date__gte=year_start))
        .order_by("start_date", "id")
    )


def _sync_duties(suspensions: list[Suspension], *, today: date) -> None:
    for suspension in suspensions:
        duties_sync(suspension=suspension, today=today)


@transaction.atomic
def previous_school_suspension_add(
    *,
    pupil: Pupil,
    school_name: str,
    academic_year_start: date,
    sessions: int,
    note: str,
    recorded_by: User,
    today: date,
) -> PreviousSchoolSuspension:
    """Enter days of suspension at a previous school in one school year.

    Refuses (ValidationError keyed by field) an entry that would take the pupil's total for that school year,
    counting this school's confirmed suspensions and earlier entries, past 45 school days.
    """
    errors: dict[str, list[str]] = {}
    if not school_name.strip():
        errors.setdefault("school_name", []).append(SCHOOL_NAME_REQUIRED)
    if (academic_year_start.month, academic_year_start.day) != (9, 1):
        errors.setdefault("academic_year_start", []).append(YEAR_NOT_1_SEPTEMBER)
    if sessions < 1:
        errors.setdefault("sessions", []).append(SESSIONS_TOO_FEW)
    if errors:
        raise ValidationError(errors)

    locked = Pupil.objects.select_for_update().get(pk=pupil.pk)
    suspensions = _confirmed_in_year(locked, academic_year_start)
    periods = [p for p in (s.period for s in suspensions) if p is not None]
    earlier = (
        PreviousSchoolSuspension.objects.filter(pupil=locked, academic_year_start=academic_year_start).aggregate(
            total=Sum("sessions")
        )["total"]
        or 0
    )
    totals = statutory.totals_on(
        school_calendar(locked.school), periods, on=academic_year_start, previous_school_sessions=earlier
    )
    cap = statutory.check_cap_adding(sessions_before=totals.year_sessions, sessions_added=sessions)
    if not cap.allowed:
        raise ValidationError(
            {
                "sessions": [
                    CAP_EXCEEDED.format(
                        pupil=pupil.display_name,
                        after=statutory.format_days(cap.sessions_after),
                        year=statutory.academic_year_label(academic_year_start),
                        before=statutory.format_days(cap.sessions_before),
                        left=statutory.format_days(cap.remaining_sessions),
                    )
                ]
            }
        )
    entry = PreviousSchoolSuspension.objects.create(
        pupil=locked,
        school_name=school_name.strip(),
        academic_year_start=academic_year_start,
        sessions=sessions,
        note=note.strip(),
        recorded_by=recorded_by,
    )
    _sync_duties(suspensions, today=today)
    return entry


@transaction.atomic
def previous_school_suspension_delete(*, entry: PreviousSchoolSuspension, today: date) -> None:
    """Remove an entry of days at a previous school (entered by mistake); the pupil's totals drop at once."""
    locked = Pupil.objects.select_for_update().get(pk=entry.pupil_id)
    suspensions = _confirmed_in_year(locked, entry.academic_year_start)
    entry.delete()
    _sync_duties(suspensions, today=today)

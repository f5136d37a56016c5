"""Writes for suspensions: recording one (with its plan) and cancelling one. Each runs in one transaction."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from duties.models import BoardConsideration
from duties.services import duties_sync
from plans.models import ReintegrationPlan
from pupils.models import Pupil
from pupils.selectors import previous_school_sessions_by_year
from reintegrate import statutory
from schools.access import DECISION_MAKER_ROLES
from schools.models import Membership
from schools.selectors import school_calendar
from suspensions.models import ReasonCode, Suspension

MAX_REASONS = 3

DECIDED_BY_NOT_HEAD = "Only the headteacher or an acting headteacher can decide a suspension."
REASONS_COUNT = "Choose between one and three reasons."
REASON_NOT_IN_FORCE = "The reason {code} was not in force on {day}. Choose a current reason."
CAP_EXCEEDED = (
    "This would take {pupil} to {after} school days of suspension in {year}, over the limit of 45. "
    "They have {before} days so far, so no more than {left} days can be given."
)
OVERLAPS = "This overlaps the {kind} from {start} (returning {returns}). A pupil cannot be suspended twice at once."
ALREADY_CANCELLED = "This suspension has already been cancelled."
CANCEL_REASON_REQUIRED = (
    "Give the reasons for cancelling: they are sent to the parents, the governing board and the LA."
)
FURTHER_MUST_FOLLOW = "A further suspension starts on or after the return from the one it follows ({day})."
EXAM_DATE_REQUIRED = "Enter the date of the examination or test the pupil would miss, for example 27/11/2026."
EXAM_DATE_WITHOUT_EXAM = "Leave the exam date empty unless the pupil would miss an examination or test."
ALREADY_CONSIDERED = (
    "The governing board has already considered this suspension, so it can no longer be cancelled. "
    "The board's decision stands on the pupil's record."
)


@transaction.atomic
def suspension_record(
    *,
    pupil: Pupil,
    kind: str,
    start_date: date,
    start_session: str = statutory.Session.AM,
    sessions: int | None,
    reasons: Sequence[ReasonCode],
    incident_summary: str,
    decided_by: User,
    recorded_by: User,
    follows: Suspension | None = None,
    misses_public_exam: bool = False,
    exam_date: date | None = None,
) -> Suspension:
    """Record a suspension, compute its dates from the school calendar, and create its reintegration plan.

    Days at previous schools in the same school year count towards the cap (pupils.PreviousSchoolSuspension).

    Refuses (ValidationError keyed by field) a decision-maker who is not the headteacher, a length over the
    45-day cap, an overlap with another suspension, and reasons not in force on the start date.
    A suspension cannot be extended: a longer one is a further suspension, recorded with `follows`.
    """
    school = pupil.school
    errors: dict[str, list[str]] = {}

    decider = Membership.objects.filter(user=decided_by, school=school, role__in=DECISION_MAKER_ROLES).first()
    if decider is None:
        errors.setdefault("decided_by", []).append(DECIDED_BY_NOT_HEAD)

    if not 1 <= len(reasons) <= MAX_REASONS:
        errors.setdefault("reasons", []).append(REASONS_COUNT)
    for reason in reasons:
        if not reason.is_valid_on(start_date):
            errors.setdefault("reasons", []).append(
                REASON_NOT_IN_FORCE.format(code=reason.code, day=f"{start_date:%d/%m/%Y}")
            )

    if misses_public_exam and exam_date is None:
        errors.setdefault("exam_date", []).append(EXAM_DATE_REQUIRED)
    if not misses_public_exam and exam_date is not None:
        errors.setdefault("exam_date", []).append(EXAM_DATE_WITHOUT_EXAM)

    period: statutory.SuspensionPeriod | None = None
    if kind != Suspension.Kind.PERMANENT:
        if sessions is None or sessions < 1:
            errors.setdefault("sessions", []).append("Enter the length in sessions (half days), at least 1.")
        else:
            calendar = school_calendar(school)
            try:
                period = statutory.suspension_period(
                    calendar,
                    start=start_date,
                    sessions=sessions,
                    start_session=statutory.Session(start_session),
                    lunchtime=kind == Suspension.Kind.LUNCHTIME,
                )
            except statutory.CalendarError as exc:
                errors.setdefault("start_date", []).append(str(exc))

    existing = list(
        Suspension.objects.select_for_update()
        .filter(pupil=pupil, status=Suspension.Status.CONFIRMED)
        .exclude(kind=Suspension.Kind.PERMANENT)
    )
    if follows is not None and follows.return_date and start_date < follows.return_date:
        errors.setdefault("start_date", []).append(FURTHER_MUST_FOLLOW.format(day=f"{follows.return_date:%d/%m/%Y}"))
    if period is not None:
        new_sessions = set(period.sessions)
        for other in existing:
            other_period = other.period
            if other_period and new_sessions & set(other_period.sessions):
                errors.setdefault("start_date", []).append(
                    OVERLAPS.format(
                        kind=other.get_kind_display().lower(),
                        start=f"{other.start_date:%d/%m/%Y}",
                        returns=other.return_label,
                    )
                )
                break
        periods = [p for p in (o.period for o in existing) if p is not None]
        cap = statutory.check_cap(
            calendar,
            periods,
            period,
            previous_school_sessions_by_year=previous_school_sessions_by_year(pupil),
        )
        if not cap.allowed:
            errors.setdefault("sessions", []).append(
                CAP_EXCEEDED.format(
                    pupil=pupil.display_name,
                    after=statutory.format_days(cap.sessions_after),
                    year=statutory.academic_year_label(start_date),
                    before=statutory.format_days(cap.sessions_before),
                    left=statutory.format_days(cap.remaining_sessions),
                )
            )

    if errors:
        raise ValidationError(errors)

    assert decider is not None
    suspension = Suspension(
        school=school,
        pupil=pupil,
        kind=kind,
        start_date=start_date,
        start_session=statutory.Session.PM if kind == Suspension.Kind.LUNCHTIME else start_session,
        sessions=None if period is None else period.session_count,
        incident_summary=incident_summary.strip(),
        decided_by=decided_by,
        decided_by_role=decider.role_label,
        recorded_by=recorded_by,
        follows=follows,
        misses_public_exam=misses_public_exam,
        exam_date=exam_date,
    )
    if period is not None:
        suspension.last_day = period.last_day
        suspension.return_date = period.return_date
        suspension.return_session = period.return_session.value
        suspension.occupied_sessions = [[day.isoformat(), session.value] for day, session in period.sessions]
    suspension.save()
    suspension.reasons.set(reasons)
    if period is not None:
        ReintegrationPlan.objects.create(school=school, pupil=pupil, suspension=suspension)
    duties_sync(suspension=suspension, today=timezone.localdate())
    return suspension


@transaction.atomic
def suspension_cancel(*, suspension: Suspension, cancelled_by: User, reason: str, now: datetime) -> None:
    """Cancel a suspension, keeping the record. The pupil returns without delay and the plan remains.

    Rule: cancelling is allowed with reasons (domain.md row 22); the record stays on the pupil's file.
    """
    locked = Suspension.objects.select_for_update().get(pk=suspension.pk)
    if locked.is_cancelled:
        raise ValidationError(ALREADY_CANCELLED)
    if BoardConsideration.objects.filter(suspension=locked, considered_on__isnull=False).exists():
        raise ValidationError(ALREADY_CONSIDERED)
    if not reason.strip():
        raise ValidationError({"reason": [CANCEL_REASON_REQUIRED]})
    locked.status = Suspension.Status.CANCELLED
    locked.cancelled_at = now
    locked.cancelled_by = cancelled_by
    locked.cancellation_reason = reason.strip()
    locked.save(update_fields=["status", "cancelled_at", "cancelled_by", "cancellation_reason"])
    duties_sync(suspension=locked, today=timezone.localdate())
    suspension.refresh_from_db()

"""Reads for the API: the token a request presents, a school's tokens, and the evidence lists."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.db.models import QuerySet

from api.models import ApiToken
from api.services import TOKEN_PREFIX, token_hash
from evidence.models import AttendanceMark, AttendanceWeek, BehaviourEvent
from plans.models import ReviewCriterionResult
from schools.models import School

MAX_TOKEN_LENGTH = 200


def active_token(raw: str) -> ApiToken | None:
    """The unrevoked token whose hash matches `raw`, with its school and creator (one query); None otherwise.

    A token whose creator's account has been deactivated is refused too: it acted for them.
    """
    if not raw.startswith(TOKEN_PREFIX) or len(raw) > MAX_TOKEN_LENGTH:
        return None
    token = (
        ApiToken.objects.select_related("school", "created_by")
        .filter(token_hash=token_hash(raw), revoked_at__isnull=True)
        .first()
    )
    if token is None or (token.created_by is not None and not token.created_by.is_active):
        return None
    return token


def school_tokens(school: School) -> QuerySet[ApiToken]:
    """The school's tokens, live ones first, newest first, with who created and revoked them."""
    return (
        ApiToken.objects.filter(school=school)
        .select_related("created_by", "revoked_by")
        .order_by("revoked_at", "-created_at", "-id")
    )


def behaviour_events(
    *,
    school: School,
    pupil_id: int | None = None,
    kind: str = "",
    category: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[BehaviourEvent]:
    events = BehaviourEvent.objects.filter(school=school).select_related("pupil")
    if pupil_id is not None:
        events = events.filter(pupil_id=pupil_id)
    if kind:
        events = events.filter(kind=kind)
    if category:
        events = events.filter(category__iexact=category)
    if date_from is not None:
        events = events.filter(occurred_on__gte=date_from)
    if date_to is not None:
        events = events.filter(occurred_on__lte=date_to)
    return events.order_by("occurred_on", "id")


def attendance_weeks(
    *, school: School, pupil_id: int | None = None, date_from: date | None = None, date_to: date | None = None
) -> QuerySet[AttendanceWeek]:
    weeks = AttendanceWeek.objects.filter(school=school).select_related("pupil")
    if pupil_id is not None:
        weeks = weeks.filter(pupil_id=pupil_id)
    if date_from is not None:
        weeks = weeks.filter(week_start__gte=date_from)
    if date_to is not None:
        weeks = weeks.filter(week_start__lte=date_to)
    return weeks.order_by("week_start", "pupil_id", "id")


def attendance_marks(
    *,
    school: School,
    pupil_id: int | None = None,
    code: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[AttendanceMark]:
    marks = AttendanceMark.objects.filter(school=school).select_related("pupil")
    if pupil_id is not None:
        marks = marks.filter(pupil_id=pupil_id)
    if code:
        marks = marks.filter(code=code)
    if date_from is not None:
        marks = marks.filter(date__gte=date_from)
    if date_to is not None:
        marks = marks.filter(date__lte=date_to)
    return marks.order_by("date", "session", "pupil_id", "id")


def latest_results(criterion_ids: Sequence[int]) -> dict[int, ReviewCriterionResult]:
    """For each criterion, its result at the most recent review that measured it (one query for any number)."""
    if not criterion_ids:
        return {}
    results = (
        ReviewCriterionResult.objects.filter(criterion_id__in=criterion_ids)
        .select_related("review")
        .order_by("criterion_id", "-review__held_on", "-review_id")
    )
    latest: dict[int, ReviewCriterionResult] = {}
    for result in results:
        latest.setdefault(result.criterion_id, result)
    return latest

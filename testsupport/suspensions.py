"""Test helpers for suspensions: record one through the real service, as a school would.

    from testsupport.suspensions import record, cancel
    suspension = record(pupil, start=date(2026, 11, 16), sessions=4)

All data is fictional.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from django.contrib.auth.models import User
from django.utils import timezone

from pupils.models import Pupil
from schools.models import Membership, Role
from suspensions.models import ReasonCode, Suspension, reason_codes_valid_on
from suspensions.services import suspension_cancel, suspension_record
from testsupport.factories import MembershipFactory

INCIDENT = "Fictional incident: repeatedly refused to follow instructions in science and left the room."


def headteacher_of(pupil: Pupil) -> User:
    """The pupil's school's headteacher, created if the school has none yet."""
    membership = Membership.objects.filter(school=pupil.school, role=Role.HEADTEACHER).select_related("user").first()
    if membership is None:
        membership = MembershipFactory(school=pupil.school, role=Role.HEADTEACHER)
    return membership.user


def reason_codes(codes: Sequence[str | ReasonCode], *, on: date) -> list[ReasonCode]:
    """The reason codes in force on a day, in the order given. ReasonCode objects are passed through as they are."""
    wanted = [code for code in codes if isinstance(code, str)]
    found = {reason.code: reason for reason in reason_codes_valid_on(on).filter(code__in=wanted)}
    missing = [code for code in wanted if code not in found]
    if missing:
        raise LookupError(f"No reason code {', '.join(missing)} in force on {on:%d/%m/%Y}.")
    return [found[code] if isinstance(code, str) else code for code in codes]


def record(
    pupil: Pupil,
    *,
    start: date,
    sessions: int | None,
    kind: str = Suspension.Kind.SUSPENSION,
    start_session: str = "am",
    reasons: Sequence[str | ReasonCode] = ("DB",),
    decided_by: User | None = None,
    recorded_by: User | None = None,
    incident_summary: str = INCIDENT,
    follows: Suspension | None = None,
) -> Suspension:
    """Record a suspension with suspensions.services.suspension_record (so it gets its dates and its plan).

    Raises the service's ValidationError when the suspension is refused.
    """
    head = decided_by or headteacher_of(pupil)
    return suspension_record(
        pupil=pupil,
        kind=kind,
        start_date=start,
        start_session=start_session,
        sessions=sessions,
        reasons=reason_codes(reasons, on=start),
        incident_summary=incident_summary,
        decided_by=head,
        recorded_by=recorded_by or head,
        follows=follows,
    )


def cancel(
    suspension: Suspension,
    *,
    by: User | None = None,
    reason: str = "New evidence showed the pupil was not involved.",
    now: datetime | None = None,
) -> Suspension:
    """Cancel a suspension with suspensions.services.suspension_cancel and return it, refreshed."""
    suspension_cancel(
        suspension=suspension,
        cancelled_by=by or headteacher_of(suspension.pupil),
        reason=reason,
        now=now or timezone.now(),
    )
    suspension.refresh_from_db()
    return suspension

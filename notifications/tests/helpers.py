"""Helpers shared by the reminder and calendar tests. All data is fictional."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from duties.models import Duty
from plans import services
from plans.models import Meeting, ReintegrationPlan
from pupils.models import Pupil
from schools.models import Role

LONDON = ZoneInfo("Europe/London")


def make_duty(
    pupil: Pupil,
    *,
    due: date,
    role: str = Role.PASTORAL_LEAD,
    kind: str = Duty.Kind.PARENTS_LETTER,
    about: str = Duty.About.SUSPENSION,
) -> Duty:
    """An open statutory duty about the pupil, due on `due`, owned by `role`."""
    return Duty.objects.create(
        school=pupil.school, pupil=pupil, kind=kind, about=about, due_date=due, owner_role=role, detail="Fictional."
    )


def close_all_duties() -> None:
    """Mark every duty no longer needed: recording a suspension creates several, which these tests do not want."""
    Duty.objects.update(status=Duty.Status.NOT_NEEDED)


def arrange_meeting(
    plan: ReintegrationPlan,
    *,
    when: datetime = datetime(2026, 11, 24, 9, 0, tzinfo=LONDON),
    location: str = "Pastoral office",
    mode: str = Meeting.Mode.IN_PERSON,
    status: str = Meeting.Status.ARRANGED,
    meeting: Meeting | None = None,
) -> Meeting:
    """Arrange the plan's meeting, or change it when `meeting` is given (through the real service)."""
    people: list[dict[str, Any]] = [{"name": "Ms Patel", "role": "Key adult", "invited": True}]
    if status == Meeting.Status.HELD:
        people[0]["attended"] = True
    return services.meeting_save(
        plan=plan,
        version=meeting.version if meeting is not None else None,
        status=status,
        scheduled_for=when,
        mode=mode,
        location=location,
        pupil_views="",
        parent_views="",
        notes="",
        participants=people,
    )

"""Part-time (reduced) timetables on a pupil's return: the rules, the fortnightly review duties, and the page rows.

Rules (domain.md section 1, "Part-time (reduced) timetables"; issue 3):
- only in exceptional cases, never to manage behaviour: the attendance guidance, as quoted by local authorities
  (Norfolk, Rotherham, Dorset), says "A part-time timetable should not be used to manage a pupil's behaviour";
  the user must confirm it is not (also a database constraint on PartTimeTimetable);
- the parents' agreement recorded (in writing: Oxfordshire's proforma; Norfolk);
- time-limited: an end date after the start; no statutory maximum length was found, so only a sanity limit of
  a year is enforced (it also bounds the review duties a timetable creates);
- reviewed with the pupil and parents "at least fortnightly" (Rotherham): a review duty every 14 days from the
  start, up to the end date, and one on the end date itself if the last fortnightly review falls before it;
- the sessions missed are recorded as authorised absence, normally code C2, and the LA is told (local practice):
  explained on the page, not tracked here.

Writes run in one transaction and refuse bad input with a ValidationError keyed by field name.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone

from audit.changes import record_created, record_updated
from duties.models import Duty
from plans.models import PartTimeTimetable, ReintegrationPlan
from schools.models import Role

# Review at least every two weeks (Rotherham: "at least fortnightly").
REVIEW_EVERY = timedelta(days=14)
REVIEW_OWNER = Role.PASTORAL_LEAD
REVIEW_DETAIL = "Review the part-time timetable with the pupil and parents (at least every two weeks)."
ENDED_EVIDENCE = "The timetable ended on {day}."

BEHAVIOUR_QUOTE = "A part-time timetable should not be used to manage a pupil's behaviour"
NOT_FOR_BEHAVIOUR_REQUIRED = (
    "Confirm that this timetable is not being used to manage the pupil's behaviour. "
    f"The attendance guidance says: “{BEHAVIOUR_QUOTE}”. If it is, do not record a part-time timetable."
)
PLAN_DRAFT = "Write and agree the strategy, and make the plan active, before adding a part-time timetable."
PLAN_CLOSED = "This plan is closed, so a part-time timetable can no longer be added to it."
START_REQUIRED = "Enter the first day of the part-time timetable, for example 23/11/2026."
END_REQUIRED = "Enter the date the part-time timetable ends, for example 04/12/2026. It must be time-limited."
END_NOT_AFTER_START = "The end date must be after the start date ({day})."
END_TOO_LATE = "A part-time timetable must be short: choose an end date no more than a year after the start ({day})."
LONGEST = timedelta(days=365)
START_BEFORE_RETURN = "The timetable cannot start before the pupil returns on {day}."
ARRANGEMENTS_REQUIRED = "Enter which sessions the pupil attends, and why a part-time timetable is needed."
AGREED_REQUIRED = "Enter the date the parents agreed in writing, for example 20/11/2026."
AGREED_IN_FUTURE = "The parents' agreement cannot be dated in the future. Record the timetable once they have agreed."
AGREED_AFTER_START = "The parents must agree before the timetable starts: the agreement must be on or before {day}."
OVERLAPS = (
    "This overlaps the part-time timetable from {start} to {end}. End that one first, or choose dates after {end}."
)
ALREADY_ENDED = "This part-time timetable already ended on {day}."
ENDED_ON_REQUIRED = "Enter the last day of the part-time timetable, for example 27/11/2026."
ENDED_BEFORE_START = "The timetable cannot end before it starts on {day}."
ENDED_NOT_EARLY = "The timetable is already due to end on {day}. To end it early, choose a date before that."

Errors = dict[str, list[str]]


def _uk(day: date) -> str:
    return f"{day:%d/%m/%Y}"


def _add(errors: Errors, key: str, message: str) -> None:
    errors.setdefault(key, []).append(message)


def last_day(timetable: PartTimeTimetable) -> date:
    """The last day the timetable runs: the day it was ended early, else its end date."""
    return timetable.ended_on or timetable.end_date


def review_dates(start_date: date, end_date: date) -> list[date]:
    """Every 14 days from the start up to and including the end, and the end date if the last falls before it."""
    days: list[date] = []
    day = start_date
    while end_date - day >= REVIEW_EVERY:  # written so as never to step past the last date Python can hold
        day += REVIEW_EVERY
        days.append(day)
    if not days or days[-1] < end_date:
        days.append(end_date)
    return days


@transaction.atomic
def part_time_timetable_record(
    *,
    plan: ReintegrationPlan,
    start_date: date | None,
    end_date: date | None,
    arrangements: str,
    parents_agreed_on: date | None,
    not_for_behaviour_confirmed: bool,
    recorded_by: User,
) -> PartTimeTimetable:
    """Record a part-time timetable on an active plan and create its review duties (see the module docstring).

    Refuses a draft or closed plan, a missing confirmation that it is not for behaviour, an end date not after
    the start, a start before the return, a missing or future parents' agreement (or one after the start), and
    an overlap with another timetable of the same plan (as it runs: to its early end, if it was ended early).
    """
    locked = ReintegrationPlan.objects.select_for_update().select_related("suspension").get(pk=plan.pk)
    if locked.status == ReintegrationPlan.Status.DRAFT:
        raise ValidationError(PLAN_DRAFT, code="draft")
    if locked.status == ReintegrationPlan.Status.CLOSED:
        raise ValidationError(PLAN_CLOSED, code="closed")

    today = timezone.localdate()
    errors: Errors = {}
    if not not_for_behaviour_confirmed:
        _add(errors, "not_for_behaviour_confirmed", NOT_FOR_BEHAVIOUR_REQUIRED)
    if start_date is None:
        _add(errors, "start_date", START_REQUIRED)
    if end_date is None:
        _add(errors, "end_date", END_REQUIRED)
    return_date = locked.suspension.return_date
    if start_date is not None and return_date is not None and start_date < return_date:
        _add(errors, "start_date", START_BEFORE_RETURN.format(day=_uk(return_date)))
    if start_date is not None and end_date is not None and end_date <= start_date:
        _add(errors, "end_date", END_NOT_AFTER_START.format(day=_uk(start_date)))
    elif start_date is not None and end_date is not None and end_date - start_date > LONGEST:
        _add(errors, "end_date", END_TOO_LATE.format(day=_uk(start_date)))
    if not arrangements.strip():
        _add(errors, "arrangements", ARRANGEMENTS_REQUIRED)
    if parents_agreed_on is None:
        _add(errors, "parents_agreed_on", AGREED_REQUIRED)
    elif parents_agreed_on > today:
        _add(errors, "parents_agreed_on", AGREED_IN_FUTURE)
    elif start_date is not None and parents_agreed_on > start_date:
        _add(errors, "parents_agreed_on", AGREED_AFTER_START.format(day=_uk(start_date)))
    if start_date is not None and end_date is not None and "start_date" not in errors and "end_date" not in errors:
        for other in PartTimeTimetable.objects.filter(plan=locked).order_by("start_date", "id"):
            if start_date <= last_day(other) and other.start_date <= end_date:
                _add(
                    errors,
                    "start_date",
                    OVERLAPS.format(start=_uk(other.start_date), end=_uk(last_day(other))),
                )
                break
    if errors:
        raise ValidationError(errors)

    assert start_date is not None
    assert end_date is not None
    assert parents_agreed_on is not None
    timetable = PartTimeTimetable.objects.create(
        plan=locked,
        start_date=start_date,
        end_date=end_date,
        arrangements=arrangements.strip(),
        parents_agreed_on=parents_agreed_on,
        not_for_behaviour_confirmed=True,
        recorded_by=recorded_by,
    )
    created = Duty.objects.bulk_create(
        [
            Duty(
                school_id=locked.school_id,
                pupil_id=locked.pupil_id,
                suspension=None,
                part_time_timetable=timetable,
                kind=Duty.Kind.PART_TIME_REVIEW,
                due_date=day,
                owner_role=REVIEW_OWNER,
                detail=REVIEW_DETAIL,
            )
            for day in review_dates(start_date, end_date)
        ]
    )
    record_created(created)
    return timetable


@transaction.atomic
def part_time_timetable_end(*, timetable: PartTimeTimetable, ended_on: date | None, by: User) -> PartTimeTimetable:
    """End a part-time timetable early: `ended_on` is its last day. Reviews due after it are no longer needed.

    Refuses a timetable already ended, a day before its start, and a day on or after its planned end (that is
    not ending it early). Done reviews are never touched.
    """
    locked = PartTimeTimetable.objects.select_for_update().get(pk=timetable.pk)
    if locked.ended_on is not None:
        raise ValidationError(ALREADY_ENDED.format(day=_uk(locked.ended_on)), code="ended")
    if ended_on is None:
        raise ValidationError({"ended_on": [ENDED_ON_REQUIRED]})
    if ended_on < locked.start_date:
        raise ValidationError({"ended_on": [ENDED_BEFORE_START.format(day=_uk(locked.start_date))]})
    if ended_on >= locked.end_date:
        raise ValidationError({"ended_on": [ENDED_NOT_EARLY.format(day=_uk(locked.end_date))]})

    locked.ended_on = ended_on
    locked.save(update_fields=["ended_on"])
    not_needed = Duty.objects.filter(part_time_timetable=locked, status=Duty.Status.OPEN, due_date__gt=ended_on)
    values = {
        "status": Duty.Status.NOT_NEEDED,
        "evidence": ENDED_EVIDENCE.format(day=_uk(ended_on)),
        "done_by": by,
        "done_at": timezone.now(),
    }
    before = list(not_needed.select_for_update())
    not_needed.update(**values)
    record_updated(before, values)
    timetable.refresh_from_db()
    return timetable


# --- Reads for the plan page -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class TimetableRow:
    """One timetable as the plan page shows it."""

    timetable: PartTimeTimetable
    today: date
    next_review: date | None  # the soonest open review duty's due date
    next_review_id: int | None = None  # that duty, to record it as done

    @property
    def last_day(self) -> date:
        return last_day(self.timetable)

    @property
    def state(self) -> str:
        """'upcoming', 'current', 'ended_early' or 'finished', from today's date."""
        if self.today < self.timetable.start_date:
            return "upcoming"
        if self.today <= self.last_day:
            return "current"
        return "ended_early" if self.timetable.ended_on is not None else "finished"

    @property
    def state_label(self) -> str:
        return {
            "upcoming": "Starts later",
            "current": "Current",
            "ended_early": "Ended early",
            "finished": "Finished",
        }[self.state]

    @property
    def tag(self) -> str:
        """The status tag's style (the text is state_label: colour never carries the meaning alone)."""
        return {"upcoming": "arranged", "current": "active", "ended_early": "closed", "finished": "completed"}[
            self.state
        ]

    @property
    def is_live(self) -> bool:
        """Running now or still to start: what a teacher needs to know in class."""
        return self.state in ("upcoming", "current")

    @property
    def review_overdue(self) -> bool:
        return self.next_review is not None and self.next_review < self.today

    @property
    def can_end(self) -> bool:
        """Whether it can still be ended early (not ended, and its planned end has not passed)."""
        return self.timetable.ended_on is None and self.today <= self.timetable.end_date


def plan_timetables(plan: ReintegrationPlan, *, today: date) -> list[TimetableRow]:
    """The plan's part-time timetables, latest first, each with its soonest open review (one query)."""
    open_reviews = Duty.objects.filter(part_time_timetable=OuterRef("pk"), status=Duty.Status.OPEN).order_by(
        "due_date", "id"
    )
    timetables = (
        PartTimeTimetable.objects.filter(plan=plan)
        .annotate(
            next_review=Subquery(open_reviews.values("due_date")[:1]),
            next_review_id=Subquery(open_reviews.values("pk")[:1]),
        )
        .order_by("-start_date", "-id")
    )
    return [
        TimetableRow(
            timetable=t,
            today=today,
            next_review=getattr(t, "next_review", None),
            next_review_id=getattr(t, "next_review_id", None),
        )
        for t in timetables
    ]


def live_timetables(rows: Sequence[TimetableRow]) -> list[TimetableRow]:
    """The timetables running now or still to start (for roles that see only what they need in class)."""
    return [row for row in rows if row.is_live]


def timetable_for_end() -> QuerySet[PartTimeTimetable]:
    """Timetables with their plan, pupil and suspension, for the end page. Use with school_field="plan__school"."""
    return PartTimeTimetable.objects.select_related("plan", "plan__school", "plan__pupil", "plan__suspension")

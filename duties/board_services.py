"""The governing board's consideration of a suspension: what the board must do, and recording what it did.

- `board_requirement(...)` works out, from the pupil's total in the term of the suspension, what the board must do
  and by when (domain.md section 2, rows 15 to 18; every figure from reintegrate.statutory). The board page shows
  it, and the save below enforces it, so it lives here beside the write that depends on it.
- `board_consideration_save(...)` records the notice, the parents' representations and the board's consideration
  in one transaction, brings the suspension's duties up to date (duties.services.duties_sync) and records the
  board's duties as done. Once the board has considered a suspension, it can no longer be cancelled (row 22) and
  its outcome stays on the pupil's record (row 29).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from duties.models import BoardConsideration, Duty
from duties.services import duties_sync, duty_complete
from reintegrate import statutory
from schools.selectors import school_calendar
from suspensions.models import Suspension

CANCELLED = (
    "This suspension has been cancelled, so there is nothing for the governing board to consider. "
    "The board is told of the cancellation instead."
)
NOTIFIED_IN_FUTURE = "The date the board was notified must be today or in the past."
REPRESENTATIONS_IN_FUTURE = "The date the parents made representations must be today or in the past."
CONSIDERED_IN_FUTURE = (
    "The date the board considered the suspension must be today or in the past. "
    "Record the consideration once it has taken place."
)
CONSIDERED_BEFORE_NOTIFIED = (
    "The board cannot have considered the suspension before it was notified on {day}. Check both dates."
)
DECISION_REQUIRED = "Choose the board's decision."
CONSIDERED_REQUIRED = (
    "Enter the date the board considered the suspension, for example 17/11/2026, or leave the decision empty."
)
DETAILS_NEED_CONSIDERED = (
    "Enter the date the board considered the suspension, for example 17/11/2026: who attended and how the board "
    "met are recorded with it."
)
CONSIDERATION_CANNOT_BE_REMOVED = (
    "The board's consideration on {day} is recorded and cannot be removed. If the date is wrong, enter the right one."
)
CANNOT_REINSTATE = (
    "The board cannot direct reinstatement: {name}'s suspensions {term} total {days}, and at 5 days or fewer the "
    "board considers the parents' representations but has no power to reinstate. "
    "Choose “Considered the representations”."
)
REINSTATE_NEEDS_REPRESENTATIONS = (
    "The board can direct reinstatement here only if the parents made representations ({name}'s suspensions {term} "
    "total {days}). Enter the date they made them, or choose “Upheld the suspension”."
)
NOTED_WHEN_BOARD_CAN_REINSTATE = (
    "The board has the power to reinstate here ({name}'s suspensions {term} total {days}), so record whether it "
    "upheld the suspension or directed reinstatement."
)
NOTED_FOR_PERMANENT_OR_EXAM = (
    "The board must consider reinstatement here, so record whether it upheld the decision or directed reinstatement."
)
REINSTATEMENT_DATE_REQUIRED = "Enter the date {name} is to be reinstated, for example 19/11/2026."
REINSTATEMENT_DATE_UNEXPECTED = "Leave the reinstatement date empty unless the board directed reinstatement."
REINSTATEMENT_BEFORE_CONSIDERED = (
    "The reinstatement date must be on or after the day the board considered the suspension ({day})."
)
MODE_INVALID = "Choose whether the board met in person or remotely."
DECISION_INVALID = "Choose one of the decisions listed."

EVIDENCE_NOTIFIED = "Recorded on the board page: the governing board was notified on {day}."
EVIDENCE_CONSIDERED = (
    "Recorded on the board page: the governing board considered it on {day}{how}. Decision: {decision}."
)


def _dmy(day: date) -> str:
    return f"{day:%d/%m/%Y}"


def _days(sessions: int) -> str:
    days = statutory.format_days(sessions)
    return f"{days} day{'' if days == '1' else 's'}"


@dataclass(frozen=True)
class BoardRequirement:
    """What the governing board must do about one suspension, and by when, with a sentence that says so."""

    duty: statutory.BoardDuty
    term_sessions: int
    term_phrase: str  # "this term" or "in the Autumn 2026 term"
    pupil_name: str
    deadline: date | None  # None when the band has no deadline, or the calendar stops short of it
    deadline_is_provisional: bool  # counted from today because the notice is not recorded yet
    message: str
    exam_date: date | None

    @property
    def term_days(self) -> str:
        return _days(self.term_sessions)

    @property
    def can_reinstate(self) -> bool:
        return self.duty is not statutory.BoardDuty.REPRESENTATIONS_ONLY

    @property
    def must_consider(self) -> bool:
        return self.duty is statutory.BoardDuty.MUST_CONSIDER_REINSTATEMENT

    @property
    def only_on_representations(self) -> bool:
        return self.duty is statutory.BoardDuty.CONSIDER_IF_REPRESENTATIONS

    @property
    def over_fifteen_days(self) -> bool:
        return self.term_sessions > statutory.BOARD_MUST_MEET_OVER_DAYS * statutory.SESSIONS_PER_DAY


def board_requirement(suspension: Suspension, *, notified_on: date | None, today: date) -> BoardRequirement:
    """The board's duty from the pupil's total in the term of the suspension's first day, this one included.

    Rules (domain.md section 2, rows 15 to 18): more than 15 days in the term, a permanent exclusion or a missed
    public examination: the board must consider reinstatement within 15 school days of the notice (before the exam
    where practicable). 6 to 15 days: if the parents make representations, within 50 school days. 5 days or fewer:
    the board considers any representations but cannot direct reinstatement. Reads: the calendar and the pupil's
    confirmed suspensions.
    """
    pupil = suspension.pupil
    calendar = school_calendar(pupil.school)
    confirmed = Suspension.objects.filter(pupil_id=pupil.pk, status=Suspension.Status.CONFIRMED).exclude(
        pk=suspension.pk
    )
    periods = [p for p in (s.period for s in confirmed) if p is not None]
    own = suspension.period
    if own is not None:
        periods.append(own)
    totals = statutory.totals_on(calendar, periods, on=suspension.start_date)
    duty = statutory.board_duty(
        term_sessions=totals.term_sessions,
        misses_public_exam=suspension.misses_public_exam,
        permanent=suspension.is_permanent,
    )

    term = calendar.current_term(suspension.start_date)
    term_phrase = "this term" if term is None or term == calendar.current_term(today) else f"in the {term.label} term"
    name = pupil.first_name
    total = (
        f"{name}'s suspensions {term_phrase} total {_days(totals.term_sessions)}"
        if not suspension.is_permanent
        else "This is a permanent exclusion"
    )

    deadline: date | None = None
    calendar_note = ""
    try:
        deadline = statutory.board_deadline(calendar, duty=duty, notice_date=notified_on or today)
    except statutory.CalendarError:
        calendar_note = " The school calendar ends before that deadline: add the next term's dates to work it out."
    if deadline is None:
        by = ""
    elif notified_on is None:
        by = f": by {deadline:%A %d/%m/%Y} if it is notified today"
    else:
        by = f": by {deadline:%A %d/%m/%Y}"

    limit = statutory.BOARD_MUST_MEET_OVER_DAYS
    if duty is statutory.BoardDuty.MUST_CONSIDER_REINSTATEMENT:
        if suspension.is_permanent:
            why = total
        elif totals.term_sessions > limit * statutory.SESSIONS_PER_DAY:
            why = f"{total} (over {limit})"
        else:
            why = f"{name} would miss a public examination or national curriculum test"
        message = (
            f"{why}, so the board must consider reinstatement within "
            f"{statutory.BOARD_MUST_MEET_WITHIN_SCHOOL_DAYS} school days of being notified{by}."
        )
        if suspension.misses_public_exam and suspension.exam_date is not None:
            message += f" The exam is on {_dmy(suspension.exam_date)}: where practicable, the board meets before it."
    elif duty is statutory.BoardDuty.CONSIDER_IF_REPRESENTATIONS:
        message = (
            f"{total} (6 to {limit} days): if the parents make representations, the board must consider them within "
            f"{statutory.BOARD_REPRESENTATIONS_WITHIN_SCHOOL_DAYS} school days of being notified{by}. Without "
            "representations the board need not meet and cannot direct reinstatement."
        )
    else:
        message = (
            f"{total} (5 days or fewer): the board must consider any representations the parents make, "
            "but cannot direct reinstatement."
        )
    return BoardRequirement(
        duty=duty,
        term_sessions=totals.term_sessions,
        term_phrase=term_phrase,
        pupil_name=name,
        deadline=deadline,
        deadline_is_provisional=notified_on is None,
        message=message + calendar_note,
        exam_date=suspension.exam_date if suspension.misses_public_exam else None,
    )


def _moment(day: date, *, now: datetime) -> datetime:
    """When something happened on `day`: now if today, else midday (the time of day is not recorded)."""
    if day == timezone.localdate(now):
        return now
    return timezone.make_aware(datetime.combine(day, time(12, 0)))


def _check(
    *,
    existing: BoardConsideration | None,
    requirement: BoardRequirement,
    notified_on: date,
    representations_received_on: date | None,
    considered_on: date | None,
    attendees: str,
    mode: str,
    decision: str,
    reinstatement_date: date | None,
    today: date,
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if notified_on > today:
        add("notified_on", NOTIFIED_IN_FUTURE)
    if representations_received_on is not None and representations_received_on > today:
        add("representations_received_on", REPRESENTATIONS_IN_FUTURE)
    if mode and mode not in BoardConsideration.Mode.values:
        add("mode", MODE_INVALID)
    if decision and decision not in BoardConsideration.Decision.values:
        add("decision", DECISION_INVALID)

    if considered_on is None:
        if existing is not None and existing.considered_on is not None:
            add("considered_on", CONSIDERATION_CANNOT_BE_REMOVED.format(day=_dmy(existing.considered_on)))
        elif decision:
            add("considered_on", CONSIDERED_REQUIRED)
        elif attendees.strip() or mode:
            add("considered_on", DETAILS_NEED_CONSIDERED)
    else:
        if considered_on > today:
            add("considered_on", CONSIDERED_IN_FUTURE)
        elif considered_on < notified_on:
            add("considered_on", CONSIDERED_BEFORE_NOTIFIED.format(day=_dmy(notified_on)))
        if not decision:
            add("decision", DECISION_REQUIRED)

    figures = {"name": requirement.pupil_name, "term": requirement.term_phrase, "days": requirement.term_days}
    if decision == BoardConsideration.Decision.REINSTATE:
        if not requirement.can_reinstate:
            add("decision", CANNOT_REINSTATE.format(**figures))
        elif requirement.only_on_representations and representations_received_on is None:
            add("decision", REINSTATE_NEEDS_REPRESENTATIONS.format(**figures))
        if reinstatement_date is None:
            add("reinstatement_date", REINSTATEMENT_DATE_REQUIRED.format(name=requirement.pupil_name))
        elif considered_on is not None and reinstatement_date < considered_on:
            add("reinstatement_date", REINSTATEMENT_BEFORE_CONSIDERED.format(day=_dmy(considered_on)))
    elif reinstatement_date is not None:
        add("reinstatement_date", REINSTATEMENT_DATE_UNEXPECTED)
    if decision == BoardConsideration.Decision.REPRESENTATIONS_NOTED and requirement.can_reinstate:
        if requirement.must_consider and not requirement.over_fifteen_days:
            add("decision", NOTED_FOR_PERMANENT_OR_EXAM)
        else:
            add("decision", NOTED_WHEN_BOARD_CAN_REINSTATE.format(**figures))
    return errors


def _complete_open(duties: list[Duty], *, kinds: set[str], by: User, at: datetime, method: str, evidence: str) -> None:
    for duty in duties:
        if duty.kind in kinds and duty.about == Duty.About.SUSPENSION and duty.status == Duty.Status.OPEN:
            duty_complete(duty=duty, done_by=by, done_at=at, method=method, evidence=evidence)


@transaction.atomic
def board_consideration_save(
    *,
    suspension: Suspension,
    notified_on: date,
    representations_received_on: date | None,
    considered_on: date | None,
    attendees: str,
    mode: str,
    decision: str,
    reinstatement_date: date | None,
    notes: str,
    recorded_by: User,
    now: datetime | None = None,
) -> BoardConsideration:
    """Record the governing board's notice, the parents' representations and the board's consideration.

    Refuses (ValidationError keyed by field): a cancelled suspension; dates in the future; a consideration before
    the notice; a consideration without a decision or a decision without a consideration; reinstatement where the
    board has no power to reinstate (5 days or fewer in the term; 6 to 15 without representations); reinstatement
    without its date. Then syncs the suspension's duties and records the board's duties as done: the notice once
    notified, the consideration (of reinstatement or of representations) once considered.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    locked = Suspension.objects.select_for_update().select_related("pupil", "pupil__school").get(pk=suspension.pk)
    if locked.is_cancelled:
        raise ValidationError(CANCELLED)
    existing = BoardConsideration.objects.select_for_update().filter(suspension=locked).first()
    requirement = board_requirement(locked, notified_on=notified_on, today=today)
    errors = _check(
        existing=existing,
        requirement=requirement,
        notified_on=notified_on,
        representations_received_on=representations_received_on,
        considered_on=considered_on,
        attendees=attendees,
        mode=mode,
        decision=decision,
        reinstatement_date=reinstatement_date,
        today=today,
    )
    if errors:
        raise ValidationError(errors)

    board = existing or BoardConsideration(suspension=locked)
    board.notified_on = notified_on
    board.representations_received_on = representations_received_on
    board.considered_on = considered_on
    board.attendees = "\n".join(line.strip() for line in attendees.strip().splitlines() if line.strip())
    board.mode = mode
    board.decision = decision
    board.reinstatement_date = reinstatement_date
    board.notes = notes.strip()
    board.recorded_by = recorded_by
    board.save()

    duties = duties_sync(suspension=locked, today=today)
    _complete_open(
        duties,
        kinds={Duty.Kind.GOVERNING_BOARD},
        by=recorded_by,
        at=_moment(notified_on, now=now),
        method=Duty.Method.OTHER,
        evidence=EVIDENCE_NOTIFIED.format(day=_dmy(notified_on)),
    )
    if considered_on is not None:
        how = f", {board.get_mode_display().lower()}" if mode else ""
        _complete_open(
            duties,
            kinds={Duty.Kind.BOARD_CONSIDERATION, Duty.Kind.BOARD_REPRESENTATIONS},
            by=recorded_by,
            at=_moment(considered_on, now=now),
            method=Duty.Method.MEETING if mode else Duty.Method.OTHER,
            evidence=EVIDENCE_CONSIDERED.format(
                day=_dmy(considered_on), how=how, decision=board.get_decision_display()
            ),
        )
    suspension.refresh_from_db()
    return board

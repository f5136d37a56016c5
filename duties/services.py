"""The statutory duties engine: which duties a suspension triggers, and keeping its Duty rows in step.

Two layers, so that the rules can be read (and tested) apart from the database:

- `required_duties(facts, calendar=...)` is pure. Given plain values about one suspension (its period, the
  pupil's flags, the term total, the board's notice) it returns the duties the law and guidance require,
  each with its due date, owner role and a sentence that names the figures behind it.
- `duties_sync(suspension=..., today=...)` gathers those facts (every figure from reintegrate.statutory),
  then brings the suspension's Duty rows in line: it creates what is missing, updates open duties,
  closes open duties that are no longer required, and never touches a duty that someone has recorded as done.

Rules and sources: domain.md section 2 (rows 4, 7, 10 to 18, 22, 24, 30); docs/statutory-rules.md.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from duties.models import BoardConsideration, Duty
from pupils.models import Pupil
from reintegrate import statutory
from schools.models import Role, School
from schools.selectors import school_calendar
from suspensions.models import Suspension

DETAIL_MAX_LENGTH = 300

# Messages (services raise ValidationError keyed by the field the user can correct).
ALREADY_CLOSED = "This duty has already been recorded as {status}. Nothing was changed."
METHOD_REQUIRED = "Choose how it was done."
EVIDENCE_REQUIRED_PROVISION = (
    "Enter the provider of the full-time education, its address and the times, for example "
    "Northgate Learning Centre, 4 Mill Road, 9:00 to 15:00 each day."
)
REASON_REQUIRED = "Give the reason this duty is no longer needed, for example: the parents were told in person."


@dataclass(frozen=True)
class RequiredDuty:
    """One duty a suspension requires, as the rules state it (before it is stored as a Duty)."""

    kind: str
    about: str
    due_date: date
    without_delay: bool
    owner_role: str
    detail: str


@dataclass(frozen=True)
class RepeatAlert:
    """This suspension took the pupil to the school's repeated-suspension alert level (domain.md row 30)."""

    suspensions: int
    sessions: int
    since: date
    count_threshold: int
    days_threshold: Decimal


@dataclass(frozen=True)
class DutyFacts:
    """Plain values about one suspension, its pupil and its school, from which its duties follow."""

    pupil_name: str  # the name staff use, e.g. "Jordan"
    kind: str  # Suspension.Kind
    start_date: date
    recorded_on: date  # the local date the suspension was recorded: "without delay" duties fall due then
    period: statutory.SuspensionPeriod | None  # None for a permanent exclusion
    term_sessions: int  # the pupil's confirmed sessions in the term of the first day, this one included
    cancelled_on: date | None = None
    misses_public_exam: bool = False
    exam_date: date | None = None
    board_notified_on: date | None = None
    representations_received_on: date | None = None
    has_social_worker: bool = False
    looked_after: bool = False
    has_ehc_plan: bool = False
    fsm_eligible: bool = False
    provision_notice_hours: int = statutory.DEFAULT_PROVISION_NOTICE_HOURS
    repeat_alert: RepeatAlert | None = None
    first_five_days: tuple[date, ...] = field(default_factory=tuple)  # the days work is set (and kept home)

    @property
    def is_permanent(self) -> bool:
        return self.kind == Suspension.Kind.PERMANENT

    @property
    def is_lunchtime(self) -> bool:
        return self.kind == Suspension.Kind.LUNCHTIME

    @property
    def what(self) -> str:
        return "permanent exclusion" if self.is_permanent else "suspension"


def _dmy(day: date) -> str:
    return f"{day:%d/%m/%Y}"


def _days(sessions: int) -> str:
    days = statutory.format_days(sessions)
    return f"{days} day{'' if days == '1' else 's'}"


def _board_due(calendar: statutory.SchoolCalendar, *, duty: statutory.BoardDuty, notice_date: date) -> tuple[date, str]:
    """The board's deadline counted in school days, or the calendar's last day if the calendar stops short."""
    try:
        deadline = statutory.board_deadline(calendar, duty=duty, notice_date=notice_date)
    except statutory.CalendarError:
        last = calendar.last_known_day or notice_date
        return last, " The school calendar ends before the deadline: add the next term's dates to work it out."
    assert deadline is not None
    return deadline, ""


def _notices(facts: DutyFacts, *, about: str, due: date) -> list[RequiredDuty]:
    """The notices given without delay: to the LA, the board, and the social worker and VSH where relevant."""
    name = facts.pupil_name
    cancellation = about == Duty.About.CANCELLATION
    told = f"Tell them the {facts.what} was cancelled and why."

    def notice(kind: str, owner: str, detail: str) -> RequiredDuty:
        return RequiredDuty(kind, about, due, True, owner, told if cancellation else detail)

    duties = [
        notice(
            Duty.Kind.LOCAL_AUTHORITY,
            Role.OFFICE,
            f"Every {facts.what}, whatever its length, is notified to the local authority without delay "
            "(since September 2022), even if it is later cancelled.",
        ),
        notice(
            Duty.Kind.GOVERNING_BOARD,
            Role.HEADTEACHER,
            "The Key reads the 2022 guidance as: tell the governing board of every suspension. The regulations "
            "name more than 5 days in a term, a permanent exclusion, or a missed public exam.",
        ),
    ]
    if facts.has_social_worker:
        duties.append(
            notice(
                Duty.Kind.SOCIAL_WORKER,
                Role.PASTORAL_LEAD,
                f"{name} has a social worker: give them the same information as the parents. "
                "They may attend the governing board's meeting.",
            )
        )
    if facts.looked_after:
        duties.append(
            notice(
                Duty.Kind.VIRTUAL_SCHOOL_HEAD,
                Role.PASTORAL_LEAD,
                f"{name} is looked after: give the virtual school head the same information as the parents. "
                "They may attend the governing board's meeting.",
            )
        )
    return duties


def _board_duties(facts: DutyFacts, calendar: statutory.SchoolCalendar) -> list[RequiredDuty]:
    """Rows 15 to 18: the board's consideration of reinstatement (15 school days) or of representations (50)."""
    name = facts.pupil_name
    band = statutory.board_duty(
        term_sessions=facts.term_sessions, misses_public_exam=facts.misses_public_exam, permanent=facts.is_permanent
    )
    notice_date = facts.board_notified_on or facts.recorded_on
    notice = "the notice" if facts.board_notified_on is None else f"the notice on {_dmy(notice_date)}"
    if band is statutory.BoardDuty.MUST_CONSIDER_REINSTATEMENT:
        due, calendar_note = _board_due(calendar, duty=band, notice_date=notice_date)
        if facts.is_permanent:
            why = "A permanent exclusion"
        elif facts.term_sessions > statutory.BOARD_MUST_MEET_OVER_DAYS * statutory.SESSIONS_PER_DAY:
            why = (
                f"{name}'s suspensions this term total {_days(facts.term_sessions)}, "
                f"over {statutory.BOARD_MUST_MEET_OVER_DAYS}"
            )
        else:
            why = f"{name} would miss a public examination or test"
        detail = (
            f"{why}: the board must consider reinstatement within "
            f"{statutory.BOARD_MUST_MEET_WITHIN_SCHOOL_DAYS} school days of {notice}."
        )
        if facts.misses_public_exam and facts.exam_date is not None:
            before_exam = statutory.previous_school_day(calendar, facts.exam_date)
            if facts.exam_date <= due:
                due = max(before_exam or facts.exam_date, notice_date)
                detail += f" The exam is on {_dmy(facts.exam_date)}: meet before it where practicable."
            else:
                detail += f" The exam is on {_dmy(facts.exam_date)}."
        return [
            RequiredDuty(
                Duty.Kind.BOARD_CONSIDERATION,
                Duty.About.SUSPENSION,
                due,
                False,
                Role.HEADTEACHER,
                detail + calendar_note,
            )
        ]
    if band is statutory.BoardDuty.CONSIDER_IF_REPRESENTATIONS and facts.representations_received_on is not None:
        # The 50 school days run from the board's notice of the suspension, not from the representations
        # (SI 2012/1033; domain.md row 17), as on the board page.
        received = facts.representations_received_on
        due, calendar_note = _board_due(calendar, duty=band, notice_date=notice_date)
        detail = (
            f"{name}'s suspensions this term total {_days(facts.term_sessions)} and the parents made "
            f"representations on {_dmy(received)}: the board must consider them within "
            f"{statutory.BOARD_REPRESENTATIONS_WITHIN_SCHOOL_DAYS} school days of {notice}."
        )
        return [
            RequiredDuty(
                Duty.Kind.BOARD_REPRESENTATIONS,
                Duty.About.SUSPENSION,
                due,
                False,
                Role.HEADTEACHER,
                detail + calendar_note,
            )
        ]
    return []


def required_duties(facts: DutyFacts, *, calendar: statutory.SchoolCalendar) -> list[RequiredDuty]:
    """Every duty one suspension requires, from plain values. Pure: no database, no clock.

    A cancelled suspension keeps the notices about the suspension itself (they record what happened), loses
    the duties that lapse when the pupil returns (work, sixth-day provision, the board's consideration, the
    free lunch, the pastoral support prompt) and gains the notices of the cancellation (row 22).
    """
    name = facts.pupil_name
    recorded = facts.recorded_on
    suspension = Duty.About.SUSPENSION
    duties: list[RequiredDuty] = [
        # Row 7: parents told without delay, by phone or in person first, then in writing.
        RequiredDuty(
            Duty.Kind.PARENTS_TOLD,
            suspension,
            recorded,
            True,
            Role.PASTORAL_LEAD,
            f"Tell {name}'s parents of the {facts.what} and the reasons, by phone or in person.",
        ),
        RequiredDuty(
            Duty.Kind.PARENTS_LETTER,
            suspension,
            recorded,
            True,
            Role.OFFICE,
            "Write to the parents: the reasons, the period, the return date, and their right to make "
            "representations to the governing board (and to ask for a remote meeting).",
        ),
        *_notices(facts, about=suspension, due=recorded),
    ]
    if facts.has_ehc_plan:
        # Row 24: consider an early or emergency review of the EHC plan when the pupil is at risk.
        duties.append(
            RequiredDuty(
                Duty.Kind.EHCP_REVIEW,
                suspension,
                recorded,
                True,
                Role.SENCO,
                f"{name} has an EHC plan: consider asking for an early review, and what extra support is needed.",
            )
        )

    if facts.cancelled_on is None:
        duties.extend(_board_duties(facts, calendar))
        period = facts.period
        if facts.first_five_days and not facts.is_lunchtime:
            # Row 13: work set and marked for the first five school days, when the child must not be in public.
            days = ", ".join(_dmy(day) for day in facts.first_five_days)
            duties.append(
                RequiredDuty(
                    Duty.Kind.WORK_SET,
                    suspension,
                    facts.start_date,
                    False,
                    Role.PASTORAL_LEAD,
                    f"Set and mark work for {days}. On these days {name} must not be in a public place "
                    "in school hours without good reason.",
                )
            )
        provision = statutory.provision_from(period) if period is not None and not facts.is_lunchtime else None
        if provision is not None:
            # Row 14: suitable full-time education from the sixth consecutive school day.
            duties.append(
                RequiredDuty(
                    Duty.Kind.SIXTH_DAY_PROVISION,
                    suspension,
                    provision,
                    False,
                    Role.HEADTEACHER,
                    f"Arrange suitable full-time education from the sixth school day, {_dmy(provision)}. "
                    "Record the provider, its address and the times.",
                )
            )
            # Row 9 (unverified; the school's setting, 48 hours by default): tell the parents in good time.
            notice_due = max(
                statutory.provision_notice_due(calendar, provision_from=provision, hours=facts.provision_notice_hours),
                facts.recorded_on,
            )
            duties.append(
                RequiredDuty(
                    Duty.Kind.PROVISION_NOTICE,
                    suspension,
                    notice_due,
                    False,
                    Role.OFFICE,
                    f"Tell the parents where and when {name} will be taught from {_dmy(provision)}, at least "
                    f"{facts.provision_notice_hours} hours before (the school's setting).",
                )
            )
        if facts.is_lunchtime and facts.fsm_eligible:
            # Row 4: a pupil eligible for free school meals still gets a meal during a lunchtime suspension.
            duties.append(
                RequiredDuty(
                    Duty.Kind.FSM_LUNCH,
                    suspension,
                    facts.start_date,
                    False,
                    Role.OFFICE,
                    f"{name} is eligible for free school meals: arrange a lunch (for example a packed lunch) "
                    "for each lunchtime of the suspension.",
                )
            )
        alert = facts.repeat_alert
        if alert is not None:
            # Guidance para 7 and row 30: prompt a pastoral support programme at the school's alert level.
            duties.append(
                RequiredDuty(
                    Duty.Kind.PASTORAL_SUPPORT,
                    suspension,
                    period.return_date if period is not None else recorded,
                    False,
                    Role.PASTORAL_LEAD,
                    f"{name} has had {alert.suspensions} suspension{'s' if alert.suspensions != 1 else ''} "
                    f"({_days(alert.sessions)}) since "
                    f"{_dmy(alert.since)}, reaching the school's alert level of {alert.count_threshold} "
                    f"suspensions or {_decimal(alert.days_threshold)} days: consider a pastoral support programme.",
                )
            )
    else:
        cancelled = facts.cancelled_on
        duties.append(
            RequiredDuty(
                Duty.Kind.PARENTS_LETTER,
                Duty.About.CANCELLATION,
                cancelled,
                True,
                Role.OFFICE,
                f"Tell them the {facts.what} was cancelled and why.",
            )
        )
        duties.extend(_notices(facts, about=Duty.About.CANCELLATION, due=cancelled))
    return duties


def _decimal(value: Decimal) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".") if value % 1 else f"{int(value)}"


# --- Gathering the facts and syncing the rows ---------------------------------------------------------------


@dataclass(frozen=True)
class _PupilContext:
    """What the sync needs about one pupil, read once: calendar, school thresholds, confirmed periods."""

    pupil: Pupil
    school: School
    calendar: statutory.SchoolCalendar
    periods: dict[int, statutory.SuspensionPeriod]  # confirmed suspensions with a period, by id


def _first_five_days(calendar: statutory.SchoolCalendar, suspension: Suspension) -> tuple[date, ...]:
    """The first five school days of the suspension or, for a permanent exclusion, from its first day."""
    period = suspension.period
    if period is None:
        # A permanent exclusion has no end, but the school still sets work for its first five school days.
        try:
            period = statutory.suspension_period(
                calendar,
                start=suspension.start_date,
                sessions=statutory.PROVISION_FROM_SCHOOL_DAY * statutory.SESSIONS_PER_DAY,
                start_session=statutory.Session(suspension.start_session),
            )
        except statutory.CalendarError:
            return ()
    return tuple(statutory.first_five_days(period))


def _repeat_alert(context: _PupilContext, suspension: Suspension) -> RepeatAlert | None:
    """The alert when this suspension takes the pupil to the school's threshold (it was not reached without it)."""
    own = context.periods.get(suspension.pk)
    if own is None:
        return None
    others = [period for pk, period in context.periods.items() if pk != suspension.pk]
    school = context.school

    def check(periods: Iterable[statutory.SuspensionPeriod]) -> statutory.RepeatCheck:
        return statutory.repeated_suspensions(
            context.calendar,
            periods,
            on=own.last_day,
            count_threshold=school.repeat_alert_suspensions,
            days_threshold=school.repeat_alert_days,
        )

    with_this = check([*others, own])
    if not with_this.reached or check(others).reached:
        return None
    return RepeatAlert(
        suspensions=with_this.suspensions,
        sessions=with_this.sessions,
        since=with_this.since,
        count_threshold=school.repeat_alert_suspensions,
        days_threshold=school.repeat_alert_days,
    )


def duty_facts(context: _PupilContext, suspension: Suspension, board: BoardConsideration | None) -> DutyFacts:
    """The plain values required_duties() reads, every figure from reintegrate.statutory."""
    pupil = context.pupil
    totals = statutory.totals_on(context.calendar, context.periods.values(), on=suspension.start_date)
    return DutyFacts(
        pupil_name=pupil.first_name,
        kind=suspension.kind,
        start_date=suspension.start_date,
        recorded_on=timezone.localdate(suspension.recorded_at),
        period=suspension.period,
        term_sessions=totals.term_sessions,
        cancelled_on=timezone.localdate(suspension.cancelled_at) if suspension.cancelled_at else None,
        misses_public_exam=suspension.misses_public_exam,
        exam_date=suspension.exam_date,
        board_notified_on=board.notified_on if board else None,
        representations_received_on=board.representations_received_on if board else None,
        has_social_worker=pupil.has_social_worker,
        looked_after=pupil.looked_after,
        has_ehc_plan=pupil.sen_status == Pupil.SEN.EHC_PLAN,
        fsm_eligible=pupil.fsm_eligible,
        provision_notice_hours=pupil.school.sixth_day_notice_hours,
        repeat_alert=None if suspension.is_cancelled else _repeat_alert(context, suspension),
        first_five_days=_first_five_days(context.calendar, suspension),
    )


def _fit(detail: str) -> str:
    return detail if len(detail) <= DETAIL_MAX_LENGTH else detail[: DETAIL_MAX_LENGTH - 1].rstrip() + "…"


def _lapsed_reason(duty: Duty, suspension: Suspension, facts: DutyFacts, today: date) -> str:
    if facts.cancelled_on is not None:
        return f"The {facts.what} was cancelled on {_dmy(facts.cancelled_on)}."
    if duty.kind in (Duty.Kind.BOARD_CONSIDERATION, Duty.Kind.BOARD_REPRESENTATIONS):
        return (
            f"No longer required from {_dmy(today)}: {facts.pupil_name}'s suspensions this term now total "
            f"{_days(facts.term_sessions)}."
        )
    if duty.kind == Duty.Kind.PASTORAL_SUPPORT:
        return (
            f"No longer required from {_dmy(today)}: this suspension no longer takes {facts.pupil_name} "
            "to the school's alert level."
        )
    return f"No longer required from {_dmy(today)}: the facts that called for it have changed."


_SYNCED_FIELDS = ("due_date", "without_delay", "owner_role", "detail")


def _sync_one(
    suspension: Suspension, facts: DutyFacts, calendar: statutory.SchoolCalendar, existing: list[Duty], today: date
) -> None:
    by_key = {(duty.kind, duty.about): duty for duty in existing}
    wanted = required_duties(facts, calendar=calendar)
    wanted_keys = set()
    for required in wanted:
        key = (required.kind, required.about)
        wanted_keys.add(key)
        values = {
            "due_date": required.due_date,
            "without_delay": required.without_delay,
            "owner_role": required.owner_role,
            "detail": _fit(required.detail),
        }
        duty = by_key.get(key)
        if duty is None:
            Duty.objects.create(
                school_id=suspension.school_id,
                pupil_id=suspension.pupil_id,
                suspension=suspension,
                kind=required.kind,
                about=required.about,
                **values,
            )
            continue
        if duty.status == Duty.Status.DONE:
            continue
        if duty.status == Duty.Status.NOT_NEEDED:
            if duty.done_by_id is not None:
                continue  # a person decided it is not needed: the engine does not overrule them
            duty.status = Duty.Status.OPEN
            duty.evidence = ""
            for name, value in values.items():
                setattr(duty, name, value)
            duty.save(update_fields=[*_SYNCED_FIELDS, "status", "evidence"])
            continue
        changed = [name for name, value in values.items() if getattr(duty, name) != value]
        if changed:
            for name in changed:
                setattr(duty, name, values[name])
            duty.save(update_fields=changed)
    for duty in existing:
        if duty.status == Duty.Status.OPEN and (duty.kind, duty.about) not in wanted_keys:
            duty.status = Duty.Status.NOT_NEEDED
            duty.evidence = _lapsed_reason(duty, suspension, facts, today)
            duty.save(update_fields=["status", "evidence"])


@transaction.atomic
def duties_sync(*, suspension: Suspension, today: date) -> list[Duty]:
    """Create or update the duties a suspension requires; close the ones it no longer requires.

    Idempotent: a second call with nothing changed writes nothing. Duties recorded as done are never changed,
    and a duty a person marked as no longer needed stays so. The pupil's other confirmed suspensions in the
    same term are synced too, because this one changes their term total (and so the board's duty).
    Returns this suspension's duties, soonest due first.
    """
    # Lock the pupil's suspensions so that two syncs for one pupil run one after the other.
    rows = list(Suspension.objects.select_for_update().filter(pupil_id=suspension.pupil_id).order_by("pk"))
    pupil = Pupil.objects.select_related("school").get(pk=suspension.pupil_id)
    calendar = school_calendar(pupil.school)
    target = next(row for row in rows if row.pk == suspension.pk)
    confirmed = [row for row in rows if row.status == Suspension.Status.CONFIRMED]
    periods = {row.pk: period for row in confirmed if (period := row.period) is not None}
    context = _PupilContext(pupil=pupil, school=pupil.school, calendar=calendar, periods=periods)

    to_sync = [target]
    term = calendar.current_term(target.start_date)
    if term is not None:
        for row in confirmed:
            period = periods.get(row.pk)
            if (
                row.pk != target.pk
                and period is not None
                and any(term.start <= d <= term.end for d, _ in period.sessions)
            ):
                to_sync.append(row)

    boards = {board.suspension_id: board for board in BoardConsideration.objects.filter(suspension__in=to_sync)}
    existing: dict[int, list[Duty]] = {row.pk: [] for row in to_sync}
    for duty in Duty.objects.filter(suspension__in=to_sync).order_by("pk"):
        assert duty.suspension_id is not None
        existing[duty.suspension_id].append(duty)
    for row in to_sync:
        _sync_one(row, duty_facts(context, row, boards.get(row.pk)), calendar, existing[row.pk], today)
    return list(Duty.objects.filter(suspension=target).order_by("due_date", "pk"))


# --- Recording a duty as done, or as no longer needed -------------------------------------------------------


def _locked_open(duty: Duty) -> Duty:
    locked = Duty.objects.select_for_update().get(pk=duty.pk)
    if locked.status != Duty.Status.OPEN:
        raise ValidationError(ALREADY_CLOSED.format(status=locked.get_status_display().lower()))
    return locked


@transaction.atomic
def duty_complete(*, duty: Duty, done_by: User, done_at: datetime, method: str, evidence: str) -> Duty:
    """Record a duty as done: when, by whom, how, and the evidence.

    Evidence is required for sixth-day provision: the provider, its address and the times (domain.md row 14).
    """
    errors: dict[str, list[str]] = {}
    if method not in Duty.Method.values:
        errors["method"] = [METHOD_REQUIRED]
    if duty.kind == Duty.Kind.SIXTH_DAY_PROVISION and not evidence.strip():
        errors["evidence"] = [EVIDENCE_REQUIRED_PROVISION]
    if errors:
        raise ValidationError(errors)
    locked = _locked_open(duty)
    locked.status = Duty.Status.DONE
    locked.done_at = done_at
    locked.done_by = done_by
    locked.method = method
    locked.evidence = evidence.strip()
    locked.save(update_fields=["status", "done_at", "done_by", "method", "evidence"])
    return locked


@transaction.atomic
def duty_mark_not_needed(*, duty: Duty, by: User, reason: str) -> Duty:
    """Record that a duty is no longer needed, with the reason and who decided. The engine will not reopen it."""
    if not reason.strip():
        raise ValidationError({"reason": [REASON_REQUIRED]})
    locked = _locked_open(duty)
    locked.status = Duty.Status.NOT_NEEDED
    locked.done_at = timezone.now()
    locked.done_by = by
    locked.evidence = reason.strip()
    locked.save(update_fields=["status", "done_at", "done_by", "evidence"])
    return locked

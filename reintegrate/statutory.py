"""The statutory arithmetic: school days, suspension periods, totals, the 45-day cap and realistic timelines.

This module is the single source of every figure Reintegrate shows or enforces. It is pure: no ORM, no
requests, no clock. Callers pass plain values (dates, a SchoolCalendar) and get plain values back, so the
same function serves a page, a letter, a report and a test.

Rules and their sources are listed in docs/statutory-rules.md; each function's docstring names its rule.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

# Rule: no more than 45 school days of suspension in one school year (DfE suspension and permanent
# exclusion guidance; see domain.md section 2, row 2). Counted in sessions: one school day = 2 sessions.
CAP_DAYS = 45
SESSIONS_PER_DAY = 2
CAP_SESSIONS = CAP_DAYS * SESSIONS_PER_DAY

# Realistic timelines (founding article): a goal's target date falls within a term of the return unless
# the user confirms a longer horizon. An English school term runs 12 to 14 weeks; we take 13.
TERM_HORIZON = timedelta(weeks=13)


class CalendarError(ValueError):
    """The school calendar cannot answer the question (e.g. no terms entered that far ahead)."""


class Session(enum.StrEnum):
    AM = "am"
    PM = "pm"


@dataclass(frozen=True, order=True)
class TermSpan:
    """One term of a school year: its first and last dates (inclusive) and a label such as 'Autumn 2026'."""

    start: date
    end: date
    label: str


@dataclass(frozen=True)
class SchoolCalendar:
    """A school's terms and its non-school days (INSET days, closures, bank holidays).

    A school day is a Monday to Friday inside a term that is not a non-school day.
    """

    terms: tuple[TermSpan, ...]
    non_school_days: frozenset[date] = frozenset()

    def __post_init__(self) -> None:
        object.__setattr__(self, "terms", tuple(sorted(self.terms)))

    def term_for(self, day: date) -> TermSpan | None:
        for term in self.terms:
            if term.start <= day <= term.end:
                return term
        return None

    def current_term(self, day: date) -> TermSpan | None:
        """The term containing `day` or, in a holiday, the term that ended most recently before it."""
        latest = None
        for term in self.terms:
            if term.start <= day:
                latest = term
        return latest

    def is_school_day(self, day: date) -> bool:
        return day.weekday() < 5 and day not in self.non_school_days and self.term_for(day) is not None

    @property
    def last_known_day(self) -> date | None:
        return self.terms[-1].end if self.terms else None


def iter_school_days(calendar: SchoolCalendar, start: date, end: date) -> Iterator[date]:
    """Yield each school day from start to end, both inclusive."""
    day = start
    while day <= end:
        if calendar.is_school_day(day):
            yield day
        day += timedelta(days=1)


def count_school_days(calendar: SchoolCalendar, start: date, end: date) -> int:
    """The number of school days from start to end, both inclusive (0 when end is before start)."""
    return sum(1 for _ in iter_school_days(calendar, start, end))


def next_school_day(calendar: SchoolCalendar, day: date) -> date:
    """The first school day strictly after `day`.

    Raises CalendarError when the calendar holds no school day after it (next year's terms not entered).
    """
    last = calendar.last_known_day
    candidate = day + timedelta(days=1)
    while last is not None and candidate <= last:
        if calendar.is_school_day(candidate):
            return candidate
        candidate += timedelta(days=1)
    raise CalendarError(
        f"The school calendar has no school days after {day:%d/%m/%Y}. "
        "Add the next term's dates in the school calendar settings."
    )


def previous_school_day(calendar: SchoolCalendar, day: date) -> date | None:
    """The last school day strictly before `day`, or None if the calendar has none."""
    first = calendar.terms[0].start if calendar.terms else day
    candidate = day - timedelta(days=1)
    while candidate >= first:
        if calendar.is_school_day(candidate):
            return candidate
        candidate -= timedelta(days=1)
    return None


def add_school_days(calendar: SchoolCalendar, start: date, count: int) -> date:
    """The date `count` school days after `start` (start itself not counted).

    Used for deadlines such as "within 15 school days of the notice".
    """
    if count < 0:
        raise ValueError("count must not be negative")
    day = start
    for _ in range(count):
        day = next_school_day(calendar, day)
    return day


def sessions_to_days(sessions: int) -> Decimal:
    """Rule: one session is half a school day; a lunchtime suspension counts as half a day (domain.md row 3)."""
    return Decimal(sessions) / SESSIONS_PER_DAY


def format_days(sessions: int) -> str:
    """'3', '2.5', '0.5': school days as staff say them."""
    days = sessions_to_days(sessions)
    return f"{days:.1f}".rstrip("0").rstrip(".") if days % 1 else f"{int(days)}"


@dataclass(frozen=True)
class SuspensionPeriod:
    """What a suspension occupies: each (school day, session) and the day the pupil comes back.

    `return_session` is the session of `return_date` at which the pupil is back in school. For a
    lunchtime suspension it is the morning of the school day after the last lunchtime (the pupil
    attends lessons throughout and is back at lunch from that day).
    """

    sessions: tuple[tuple[date, Session], ...]
    first_day: date
    last_day: date
    return_date: date
    return_session: Session

    @property
    def session_count(self) -> int:
        return len(self.sessions)

    @property
    def days(self) -> Decimal:
        return sessions_to_days(self.session_count)


def suspension_period(
    calendar: SchoolCalendar,
    *,
    start: date,
    sessions: int,
    start_session: Session = Session.AM,
    lunchtime: bool = False,
) -> SuspensionPeriod:
    """The school days a suspension covers and the return date, from the school calendar.

    Rules: a suspension is for a fixed number of sessions (half days), counted on school days only
    (domain.md rows 3 and 7); a lunchtime suspension is one session per lunchtime on consecutive school days.
    The return never depends on anything else, such as a reintegration meeting (row 6).
    """
    if sessions < 1:
        raise ValueError("A suspension lasts at least one session (half a day).")
    if not calendar.is_school_day(start):
        raise CalendarError(f"{start:%d/%m/%Y} is not a school day, so a suspension cannot start then.")
    occupied: list[tuple[date, Session]] = []
    day, session = start, (Session.PM if lunchtime else start_session)
    while True:
        occupied.append((day, session))
        if len(occupied) == sessions:
            break
        if lunchtime or session is Session.PM:
            day, session = next_school_day(calendar, day), (Session.PM if lunchtime else Session.AM)
        else:
            session = Session.PM
    last_day, last_session = occupied[-1]
    if not lunchtime and last_session is Session.AM:
        return_date, return_session = last_day, Session.PM
    else:
        return_date, return_session = next_school_day(calendar, last_day), Session.AM
    return SuspensionPeriod(
        sessions=tuple(occupied),
        first_day=start,
        last_day=last_day,
        return_date=return_date,
        return_session=return_session,
    )


def academic_year_start(day: date) -> date:
    """The 1 September that opens the school year containing `day` (years run September to August)."""
    return date(day.year if day.month >= 9 else day.year - 1, 9, 1)


def academic_year_label(day: date) -> str:
    """'2026/27' for any day from 1 September 2026 to 31 August 2027."""
    start = academic_year_start(day).year
    return f"{start}/{(start + 1) % 100:02d}"


@dataclass(frozen=True)
class Totals:
    """Sessions of suspension for one pupil in one term and in one school year."""

    term_sessions: int
    year_sessions: int

    @property
    def term_days(self) -> Decimal:
        return sessions_to_days(self.term_sessions)

    @property
    def year_days(self) -> Decimal:
        return sessions_to_days(self.year_sessions)

    @property
    def cap_remaining_sessions(self) -> int:
        return max(CAP_SESSIONS - self.year_sessions, 0)

    @property
    def cap_remaining_days(self) -> Decimal:
        return sessions_to_days(self.cap_remaining_sessions)


def totals_on(
    calendar: SchoolCalendar,
    periods: Iterable[SuspensionPeriod],
    *,
    on: date,
    previous_school_sessions: int = 0,
) -> Totals:
    """Running totals for the term and the school year containing `on`.

    In a holiday, "the term" is the one that ended most recently in the same school year.

    Rule: the 45-day cap is cumulative over the school year and includes suspensions at previous schools
    (domain.md row 2); `previous_school_sessions` carries those for the same school year.
    Sessions are attributed to the term and year of the day they fall on, so a suspension that spans a
    holiday or a year end is split correctly.
    """
    term = calendar.current_term(on)
    if term is not None and academic_year_start(term.start) != academic_year_start(on):
        term = None  # the summer holiday before the year's first term
    year_start = academic_year_start(on)
    term_sessions = year_sessions = 0
    for period in periods:
        for day, _session in period.sessions:
            if academic_year_start(day) == year_start:
                year_sessions += 1
                if term is not None and term.start <= day <= term.end:
                    term_sessions += 1
    return Totals(term_sessions=term_sessions, year_sessions=year_sessions + previous_school_sessions)


@dataclass(frozen=True)
class CapCheck:
    allowed: bool
    sessions_before: int
    sessions_after: int

    @property
    def remaining_sessions(self) -> int:
        return max(CAP_SESSIONS - self.sessions_before, 0)


def check_cap(
    calendar: SchoolCalendar,
    existing: Iterable[SuspensionPeriod],
    new: SuspensionPeriod,
    *,
    previous_school_sessions_by_year: dict[date, int] | None = None,
) -> CapCheck:
    """Rule: a suspension that would take the pupil past 45 school days in any school year is refused.

    Checked for every school year the new suspension touches (one that spans the summer holiday counts
    towards both years). Returns the figures for the year that is worst affected.
    """
    previous = previous_school_sessions_by_year or {}
    existing = list(existing)
    worst: CapCheck | None = None
    for year_start in sorted({academic_year_start(day) for day, _ in new.sessions}):
        before = previous.get(year_start, 0) + sum(
            1 for period in existing for day, _ in period.sessions if academic_year_start(day) == year_start
        )
        added = sum(1 for day, _ in new.sessions if academic_year_start(day) == year_start)
        check = CapCheck(allowed=before + added <= CAP_SESSIONS, sessions_before=before, sessions_after=before + added)
        if worst is None or check.sessions_after > worst.sessions_after:
            worst = check
    assert worst is not None  # a period always has at least one session
    return worst


def suggested_meeting_date(
    calendar: SchoolCalendar, *, return_date: date, today: date, first_day: date | None = None
) -> date:
    """Good practice: hold the reintegration meeting on the school day before the return (Norfolk guidance).

    Falls back to the return date itself when the day before has already passed, is not known, or comes
    before the suspension started (a half-day suspension whose pupil returns the same afternoon).
    """
    before = previous_school_day(calendar, return_date)
    if before is None or before < today or (first_day is not None and before < first_day):
        return return_date
    return before


def realistic_target_limit(return_date: date) -> date:
    """The latest target date that needs no confirmation: one term (13 weeks) after the return."""
    return return_date + TERM_HORIZON


# --- Duties that a suspension triggers ---------------------------------------------------------------------

# Rule: the governing board must consider reinstatement within 15 school days of the notice when the pupil's
# suspensions in a term total more than 15 school days, or a public examination or national curriculum test
# would be missed; where the term total is 6 to 15 days and the parents make representations, within 50
# school days; at 5 days or fewer it considers representations but cannot direct reinstatement
# (domain.md section 2, rows 15 to 18; SI 2012/1033).
BOARD_MUST_MEET_OVER_DAYS = 15
BOARD_MUST_MEET_WITHIN_SCHOOL_DAYS = 15
BOARD_REPRESENTATIONS_OVER_DAYS = 5
BOARD_REPRESENTATIONS_WITHIN_SCHOOL_DAYS = 50
# Rule: from the sixth consecutive school day of a suspension the school arranges suitable full-time
# education (domain.md row 14); in the first five the parents keep the child out of public places (row 13).
PROVISION_FROM_SCHOOL_DAY = 6


class BoardDuty(enum.StrEnum):
    MUST_CONSIDER_REINSTATEMENT = "must_consider"  # within 15 school days, meeting required
    CONSIDER_IF_REPRESENTATIONS = "if_representations"  # within 50 school days, if parents make them
    REPRESENTATIONS_ONLY = "representations_only"  # considers them; cannot direct reinstatement


def board_duty(*, term_sessions: int, misses_public_exam: bool = False, permanent: bool = False) -> BoardDuty:
    """What the governing board must do, from the pupil's total in the term (rows 15 to 18).

    "6 to 15 days" is read as more than 5 and at most 15, so that 5.5 days falls in the middle band.
    """
    if permanent or misses_public_exam or term_sessions > BOARD_MUST_MEET_OVER_DAYS * SESSIONS_PER_DAY:
        return BoardDuty.MUST_CONSIDER_REINSTATEMENT
    if term_sessions > BOARD_REPRESENTATIONS_OVER_DAYS * SESSIONS_PER_DAY:
        return BoardDuty.CONSIDER_IF_REPRESENTATIONS
    return BoardDuty.REPRESENTATIONS_ONLY


def board_deadline(calendar: SchoolCalendar, *, duty: BoardDuty, notice_date: date) -> date | None:
    """The last day by which the board must meet, counted in school days from the notice (rows 15, 17)."""
    if duty is BoardDuty.MUST_CONSIDER_REINSTATEMENT:
        return add_school_days(calendar, notice_date, BOARD_MUST_MEET_WITHIN_SCHOOL_DAYS)
    if duty is BoardDuty.CONSIDER_IF_REPRESENTATIONS:
        return add_school_days(calendar, notice_date, BOARD_REPRESENTATIONS_WITHIN_SCHOOL_DAYS)
    return None


def suspension_school_days(period: SuspensionPeriod) -> list[date]:
    """The distinct school days on which the pupil is suspended for at least one session, in order."""
    return sorted({day for day, _ in period.sessions})


def first_five_days(period: SuspensionPeriod) -> list[date]:
    """The days, among the first five school days, when the child must not be in a public place (row 13)."""
    return suspension_school_days(period)[: PROVISION_FROM_SCHOOL_DAY - 1]


def provision_from(period: SuspensionPeriod) -> date | None:
    """The sixth school day of a single suspension, from which full-time provision is due; None if shorter."""
    days = suspension_school_days(period)
    return days[PROVISION_FROM_SCHOOL_DAY - 1] if len(days) >= PROVISION_FROM_SCHOOL_DAY else None


# Good practice (PSP guidance, domain.md section 1): check in often and review early; a first review two school
# weeks after the return, then the plan's own cadence.
FIRST_REVIEW_AFTER_SCHOOL_DAYS = 10


def suggested_first_review(calendar: SchoolCalendar, *, return_date: date) -> date:
    """Two school weeks (10 school days) after the return; the return date plus 14 days past the calendar's end."""
    try:
        return add_school_days(calendar, return_date, FIRST_REVIEW_AFTER_SCHOOL_DAYS)
    except CalendarError:
        return return_date + timedelta(days=14)


# --- Repeated suspensions ------------------------------------------------------------------------------------

# Guidance para 7 (quoted by Essex SENDIASS): where suspensions become regular, consider whether suspension
# alone is effective and whether other strategies, such as a pastoral support programme, are needed. The
# threshold is local practice (Southwark, domain.md row 30) and configurable per school; by default 3
# suspensions or 10 days within the last three terms.
REPEAT_WINDOW_TERMS = 3


@dataclass(frozen=True)
class RepeatCheck:
    since: date
    suspensions: int
    sessions: int
    reached: bool

    @property
    def days(self) -> Decimal:
        return sessions_to_days(self.sessions)


def last_three_terms_start(calendar: SchoolCalendar, *, on: date) -> date:
    """The first day of the earliest of the last three terms (the current one and the two before it)."""
    current = calendar.current_term(on)
    if current is None:
        return on
    index = calendar.terms.index(current)
    return calendar.terms[max(0, index - (REPEAT_WINDOW_TERMS - 1))].start


def repeated_suspensions(
    calendar: SchoolCalendar,
    periods: Iterable[SuspensionPeriod],
    *,
    on: date,
    count_threshold: int,
    days_threshold: Decimal,
) -> RepeatCheck:
    """Whether a pupil's suspensions in the last three terms reach the school's alert threshold."""
    since = last_three_terms_start(calendar, on=on)
    count = sessions = 0
    for period in periods:
        in_window = [day for day, _ in period.sessions if since <= day <= on]
        if in_window:
            count += 1
            sessions += len(in_window)
    reached = count >= count_threshold or sessions_to_days(sessions) >= days_threshold
    return RepeatCheck(since=since, suspensions=count, sessions=sessions, reached=reached)


# --- Days entered as figures (days at previous schools) ------------------------------------------------------


def days_to_sessions(days: Decimal) -> int:
    """School days as sessions: 2.5 days are 5 sessions (rule: a session is half a school day, domain.md row 3).

    Raises ValueError for a figure that is not a whole number of half days, or is negative.
    """
    sessions = days * SESSIONS_PER_DAY
    if days < 0 or sessions != sessions.to_integral_value():
        raise ValueError("Days are counted in whole or half days.")
    return int(sessions)


def check_cap_adding(*, sessions_before: int, sessions_added: int) -> CapCheck:
    """Rule: the school year's total, counting previous schools, may not pass 45 school days (domain.md row 2).

    For days entered as a figure (days at a previous school) rather than as a suspension's period.
    """
    after = sessions_before + sessions_added
    return CapCheck(allowed=after <= CAP_SESSIONS, sessions_before=sessions_before, sessions_after=after)


# Unverified (domain.md row 9): when parents must be told of the sixth-day provision. One model letter says
# "within the next three days"; "48 hours before" is the figure usually quoted. Each school sets its own
# (School.sixth_day_notice_hours); 48 hours is the default.
DEFAULT_PROVISION_NOTICE_HOURS = 48


def provision_notice_due(calendar: SchoolCalendar, *, provision_from: date, hours: int) -> date:
    """The last school day at least `hours` before the sixth day, by which parents hear of the provision.

    Whole days are counted back from the sixth day (48 hours = 2 days); a day that is not a school day moves
    back to the school day before it. Never later than the day before the sixth day.
    """
    days_back = max(1, -(-hours // 24))
    day = provision_from - timedelta(days=days_back)
    first = calendar.terms[0].start if calendar.terms else day
    while not calendar.is_school_day(day) and day > first:
        day -= timedelta(days=1)
    return day

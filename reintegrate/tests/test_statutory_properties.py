"""Properties of the statutory arithmetic that must hold for every suspension, checked with hypothesis.

The calendar is fixed: the default terms, half terms and bank holidays for 2026/27 and 2027/28. Suspensions
start on a school day of 2026/27 and last up to the 45-day cap, so every return date falls inside it.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from reintegrate.statutory import (
    CAP_SESSIONS,
    Session,
    add_school_days,
    count_school_days,
    iter_school_days,
    suspension_period,
    totals_on,
)
from reintegrate.tests.calendars import default_calendar

CALENDAR = default_calendar(2026, 2027)
FIRST_YEAR_SCHOOL_DAYS = list(iter_school_days(CALENDAR, date(2026, 9, 1), date(2027, 8, 31)))
ANY_DAY = st.dates(min_value=date(2026, 8, 1), max_value=date(2028, 8, 31))

school_days = st.sampled_from(FIRST_YEAR_SCHOOL_DAYS)
session_counts = st.integers(min_value=1, max_value=CAP_SESSIONS)
start_sessions = st.sampled_from([Session.AM, Session.PM])

FAST = settings(max_examples=200, deadline=None)


def _order(day: date, session: Session) -> tuple[date, int]:
    return day, 0 if session is Session.AM else 1


@FAST
@given(start=school_days, sessions=session_counts, start_session=start_sessions, lunchtime=st.booleans())
def test_the_return_date_is_always_a_school_day(start, sessions, start_session, lunchtime):
    result = suspension_period(
        CALENDAR, start=start, sessions=sessions, start_session=start_session, lunchtime=lunchtime
    )

    assert CALENDAR.is_school_day(result.return_date)


@FAST
@given(start=school_days, sessions=session_counts, start_session=start_sessions, lunchtime=st.booleans())
def test_the_return_comes_after_the_last_session(start, sessions, start_session, lunchtime):
    result = suspension_period(
        CALENDAR, start=start, sessions=sessions, start_session=start_session, lunchtime=lunchtime
    )

    last_day, last_session = result.sessions[-1]
    assert _order(result.return_date, result.return_session) > _order(last_day, last_session)
    if result.return_date == result.last_day:
        assert (last_session, result.return_session) == (Session.AM, Session.PM)
        assert not lunchtime
    else:
        assert result.return_date > result.last_day
        assert result.return_session is Session.AM


@FAST
@given(start=school_days, sessions=session_counts, start_session=start_sessions, lunchtime=st.booleans())
def test_a_suspension_covers_exactly_the_sessions_requested_on_school_days_in_order(
    start, sessions, start_session, lunchtime
):
    result = suspension_period(
        CALENDAR, start=start, sessions=sessions, start_session=start_session, lunchtime=lunchtime
    )

    assert result.session_count == sessions
    assert result.days == Decimal(sessions) / 2
    assert result.first_day == start == result.sessions[0][0]
    assert result.last_day == result.sessions[-1][0]
    assert all(CALENDAR.is_school_day(day) for day, _ in result.sessions)
    keys = [_order(day, session) for day, session in result.sessions]
    assert keys == sorted(set(keys))


@FAST
@given(start=school_days, sessions=session_counts, start_session=start_sessions)
def test_a_suspension_runs_on_consecutive_school_days_without_gaps(start, sessions, start_session):
    result = suspension_period(CALENDAR, start=start, sessions=sessions, start_session=start_session)

    half_days_from_the_morning = sessions + (1 if start_session is Session.PM else 0)
    assert count_school_days(CALENDAR, result.first_day, result.last_day) == (half_days_from_the_morning + 1) // 2


@FAST
@given(
    start=school_days,
    sessions=st.integers(min_value=2, max_value=CAP_SESSIONS),
    start_session=start_sessions,
    data=st.data(),
)
def test_splitting_a_suspension_into_two_consecutive_ones_changes_no_total(start, sessions, start_session, data):
    first_part = data.draw(st.integers(min_value=1, max_value=sessions - 1), label="first_part")
    whole = suspension_period(CALENDAR, start=start, sessions=sessions, start_session=start_session)
    first = suspension_period(CALENDAR, start=start, sessions=first_part, start_session=start_session)
    second = suspension_period(
        CALENDAR, start=first.return_date, sessions=sessions - first_part, start_session=first.return_session
    )

    assert first.sessions + second.sessions == whole.sessions
    assert (second.return_date, second.return_session) == (whole.return_date, whole.return_session)
    for on in (start, whole.last_day, whole.return_date, date(2026, 11, 18), date(2027, 9, 6)):
        assert totals_on(CALENDAR, [first, second], on=on) == totals_on(CALENDAR, [whole], on=on)


@FAST
@given(start=school_days, lunchtimes=st.integers(min_value=1, max_value=CAP_SESSIONS))
def test_a_lunchtime_suspension_of_n_lunchtimes_counts_n_half_days_on_n_school_days(start, lunchtimes):
    result = suspension_period(CALENDAR, start=start, sessions=lunchtimes, lunchtime=True)

    assert result.days == Decimal(lunchtimes) / 2
    assert all(session is Session.PM for _, session in result.sessions)
    assert len({day for day, _ in result.sessions}) == lunchtimes
    assert count_school_days(CALENDAR, result.first_day, result.last_day) == lunchtimes
    this_year = totals_on(CALENDAR, [result], on=start)
    next_year = totals_on(CALENDAR, [result], on=date(2027, 9, 6))
    assert this_year.year_days + next_year.year_days == Decimal(lunchtimes) / 2


@FAST
@given(days=st.lists(ANY_DAY, min_size=3, max_size=3))
def test_counting_school_days_is_additive_over_consecutive_ranges(days):
    a, b, c = sorted(days)

    assert count_school_days(CALENDAR, a, c) == count_school_days(CALENDAR, a, b) + count_school_days(
        CALENDAR, b + timedelta(days=1), c
    )


@FAST
@given(start=st.dates(min_value=date(2026, 8, 1), max_value=date(2027, 8, 31)), n=st.integers(0, 150))
def test_adding_n_school_days_lands_on_a_school_day_n_school_days_later(start, n):
    result = add_school_days(CALENDAR, start, n)

    if n == 0:
        assert result == start
    else:
        assert CALENDAR.is_school_day(result)
        assert result > start
    assert count_school_days(CALENDAR, start + timedelta(days=1), result) == n

"""The statutory arithmetic, checked by hand against the default 2026/27 and 2027/28 calendars.

2026/27: autumn 03/09/2026-18/12/2026 (half term 26-30/10/2026), spring 04/01/2027-25/03/2027
(half term 15-19/02/2027), summer 12/04/2027-22/07/2027 (half term 31/05-04/06/2027, May Day bank
holiday Monday 03/05/2027). 2027/28 starts on Friday 03/09/2027.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from reintegrate.statutory import (
    CAP_DAYS,
    CAP_SESSIONS,
    TERM_HORIZON,
    CalendarError,
    SchoolCalendar,
    Session,
    SuspensionPeriod,
    TermSpan,
    Totals,
    academic_year_label,
    academic_year_start,
    add_school_days,
    check_cap,
    count_school_days,
    format_days,
    iter_school_days,
    next_school_day,
    previous_school_day,
    realistic_target_limit,
    sessions_to_days,
    suggested_meeting_date,
    suspension_period,
    totals_on,
)
from reintegrate.tests.calendars import default_calendar

AM, PM = Session.AM, Session.PM

CALENDAR = default_calendar(2026)
TWO_YEARS = default_calendar(2026, 2027)
EMPTY = SchoolCalendar(terms=())


def d(text: str) -> date:
    """A date written the UK way, dd/mm/yyyy, so the tests read like the pages."""
    day, month, year = (int(part) for part in text.split("/"))
    return date(year, month, day)


def period(start: str, sessions: int, start_session: Session = AM, *, calendar: SchoolCalendar = TWO_YEARS):
    return suspension_period(calendar, start=d(start), sessions=sessions, start_session=start_session)


# --- SchoolCalendar.is_school_day ---------------------------------------------------------------------


@pytest.mark.parametrize("day", ["18/11/2026", "03/09/2026", "18/12/2026", "04/01/2027", "22/07/2027"])
def test_a_weekday_in_term_is_a_school_day_including_the_first_and_last_day_of_term(day):
    assert CALENDAR.is_school_day(d(day))


@pytest.mark.parametrize("day", ["21/11/2026", "22/11/2026"])
def test_a_saturday_or_sunday_in_term_is_not_a_school_day(day):
    assert not CALENDAR.is_school_day(d(day))


@pytest.mark.parametrize(
    ("day", "why"),
    [
        ("28/10/2026", "autumn half term"),
        ("17/02/2027", "spring half term"),
        ("03/05/2027", "May Day bank holiday"),
        ("31/05/2027", "spring bank holiday in the summer half term"),
    ],
)
def test_a_weekday_in_term_that_is_a_non_school_day_is_not_a_school_day(day, why):
    assert not CALENDAR.is_school_day(d(day)), why


@pytest.mark.parametrize("day", ["02/09/2026", "21/12/2026", "25/12/2026", "29/03/2027", "23/07/2027", "01/09/2027"])
def test_a_weekday_outside_every_term_is_not_a_school_day(day):
    assert not CALENDAR.is_school_day(d(day))


def test_a_non_school_day_entered_by_the_school_is_respected():
    calendar = SchoolCalendar(terms=CALENDAR.terms, non_school_days=CALENDAR.non_school_days | {d("20/11/2026")})

    assert not calendar.is_school_day(d("20/11/2026"))
    assert calendar.is_school_day(d("19/11/2026"))


def test_a_calendar_sorts_its_terms_and_knows_its_last_day():
    spring = TermSpan(start=d("04/01/2027"), end=d("25/03/2027"), label="Spring 2027")
    autumn = TermSpan(start=d("03/09/2026"), end=d("18/12/2026"), label="Autumn 2026")

    calendar = SchoolCalendar(terms=(spring, autumn))

    assert calendar.terms == (autumn, spring)
    assert calendar.last_known_day == d("25/03/2027")
    assert calendar.term_for(d("18/11/2026")) == autumn
    assert calendar.term_for(d("21/12/2026")) is None
    assert EMPTY.last_known_day is None


# --- count_school_days and iter_school_days -----------------------------------------------------------


def test_count_school_days_counts_both_ends():
    assert count_school_days(CALENDAR, d("16/11/2026"), d("20/11/2026")) == 5


def test_count_school_days_of_one_school_day_is_one():
    assert count_school_days(CALENDAR, d("18/11/2026"), d("18/11/2026")) == 1


def test_count_school_days_of_one_non_school_day_is_zero():
    assert count_school_days(CALENDAR, d("21/11/2026"), d("21/11/2026")) == 0


def test_count_school_days_skips_the_weekend():
    assert count_school_days(CALENDAR, d("20/11/2026"), d("23/11/2026")) == 2


def test_count_school_days_is_zero_when_the_end_is_before_the_start():
    assert count_school_days(CALENDAR, d("20/11/2026"), d("16/11/2026")) == 0


def test_count_school_days_skips_half_term():
    assert count_school_days(CALENDAR, d("23/10/2026"), d("02/11/2026")) == 2


def test_count_school_days_skips_the_christmas_holiday():
    assert count_school_days(CALENDAR, d("16/12/2026"), d("05/01/2027")) == 5


def test_the_default_autumn_term_2026_has_72_school_days():
    assert count_school_days(CALENDAR, d("01/09/2026"), d("31/12/2026")) == 72


def test_iter_school_days_yields_each_school_day_in_order():
    assert list(iter_school_days(CALENDAR, d("20/11/2026"), d("24/11/2026"))) == [
        d("20/11/2026"),
        d("23/11/2026"),
        d("24/11/2026"),
    ]


# --- next_school_day, previous_school_day ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        ("18/11/2026", "19/11/2026"),
        ("20/11/2026", "23/11/2026"),
        ("21/11/2026", "23/11/2026"),
        ("23/10/2026", "02/11/2026"),
        ("28/10/2026", "02/11/2026"),
        ("18/12/2026", "04/01/2027"),
        ("25/12/2026", "04/01/2027"),
        ("25/03/2027", "12/04/2027"),
        ("30/04/2027", "04/05/2027"),
        ("01/08/2026", "03/09/2026"),
    ],
    ids=[
        "next-day",
        "friday-to-monday",
        "saturday-to-monday",
        "over-half-term",
        "from-inside-half-term",
        "over-christmas",
        "from-christmas-day",
        "over-easter",
        "over-a-bank-holiday",
        "from-the-summer-holiday",
    ],
)
def test_next_school_day_is_the_first_school_day_strictly_after(day, expected):
    assert next_school_day(CALENDAR, d(day)) == d(expected)


def test_next_school_day_crosses_the_summer_holiday_into_the_next_year_when_it_is_entered():
    assert next_school_day(TWO_YEARS, d("22/07/2027")) == d("03/09/2027")


def test_next_school_day_after_the_last_term_raises_a_calendar_error_that_says_what_to_do():
    with pytest.raises(CalendarError) as error:
        next_school_day(CALENDAR, d("22/07/2027"))

    message = str(error.value)
    assert "22/07/2027" in message
    assert "Add the next term's dates" in message


def test_next_school_day_in_a_calendar_without_terms_raises_a_calendar_error():
    with pytest.raises(CalendarError, match="no school days after 18/11/2026"):
        next_school_day(EMPTY, d("18/11/2026"))


def test_a_calendar_error_is_a_value_error():
    assert issubclass(CalendarError, ValueError)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        ("19/11/2026", "18/11/2026"),
        ("23/11/2026", "20/11/2026"),
        ("02/11/2026", "23/10/2026"),
        ("04/01/2027", "18/12/2026"),
        ("04/05/2027", "30/04/2027"),
        ("12/04/2027", "25/03/2027"),
    ],
    ids=["previous-day", "monday-to-friday", "over-half-term", "over-christmas", "over-a-bank-holiday", "over-easter"],
)
def test_previous_school_day_is_the_last_school_day_strictly_before(day, expected):
    assert previous_school_day(CALENDAR, d(day)) == d(expected)


def test_previous_school_day_before_the_first_day_of_the_calendar_is_none():
    assert previous_school_day(CALENDAR, d("03/09/2026")) is None
    assert previous_school_day(EMPTY, d("18/11/2026")) is None


# --- add_school_days --------------------------------------------------------------------------------------


def test_adding_no_school_days_gives_the_start():
    assert add_school_days(CALENDAR, d("18/11/2026"), 0) == d("18/11/2026")


def test_adding_one_school_day_on_a_friday_gives_the_monday():
    assert add_school_days(CALENDAR, d("20/11/2026"), 1) == d("23/11/2026")


def test_adding_fifteen_school_days_skips_the_christmas_holiday():
    # 17, 18/12 (2); 04-08/01 (7); 11-15/01 (12); 18, 19, 20/01 (15).
    assert add_school_days(CALENDAR, d("16/12/2026"), 15) == d("20/01/2027")


def test_adding_fifteen_school_days_skips_half_term():
    # 21, 22, 23/10 (3); 02-06/11 (8); 09-13/11 (13); 16, 17/11 (15).
    assert add_school_days(CALENDAR, d("20/10/2026"), 15) == d("17/11/2026")


def test_adding_a_negative_number_of_school_days_is_refused():
    with pytest.raises(ValueError, match="must not be negative"):
        add_school_days(CALENDAR, d("18/11/2026"), -1)


def test_adding_school_days_beyond_the_calendar_raises_a_calendar_error():
    with pytest.raises(CalendarError):
        add_school_days(CALENDAR, d("20/07/2027"), 3)


# --- suspension_period ----------------------------------------------------------------------------------


def test_one_morning_session_returns_the_same_afternoon():
    result = period("18/11/2026", 1, AM)

    assert result.sessions == ((d("18/11/2026"), AM),)
    assert result.first_day == result.last_day == d("18/11/2026")
    assert (result.return_date, result.return_session) == (d("18/11/2026"), PM)
    assert result.days == Decimal("0.5")


def test_two_sessions_from_the_morning_return_the_next_school_day_morning():
    result = period("18/11/2026", 2, AM)

    assert result.sessions == ((d("18/11/2026"), AM), (d("18/11/2026"), PM))
    assert result.last_day == d("18/11/2026")
    assert (result.return_date, result.return_session) == (d("19/11/2026"), AM)
    assert result.days == 1


def test_one_afternoon_session_returns_the_next_school_day_morning():
    result = period("18/11/2026", 1, PM)

    assert result.sessions == ((d("18/11/2026"), PM),)
    assert (result.return_date, result.return_session) == (d("19/11/2026"), AM)


def test_three_sessions_from_the_afternoon_cover_the_next_whole_day():
    result = period("18/11/2026", 3, PM)

    assert result.sessions == ((d("18/11/2026"), PM), (d("19/11/2026"), AM), (d("19/11/2026"), PM))
    assert result.last_day == d("19/11/2026")
    assert (result.return_date, result.return_session) == (d("20/11/2026"), AM)
    assert result.days == Decimal("1.5")


def test_a_two_day_suspension_from_thursday_returns_on_monday_morning():
    result = period("19/11/2026", 4, AM)

    assert result.last_day == d("20/11/2026")
    assert (result.return_date, result.return_session) == (d("23/11/2026"), AM)


def test_two_and_a_half_days_from_thursday_end_on_monday_morning_and_return_that_afternoon():
    result = period("19/11/2026", 5, AM)

    assert result.sessions[-1] == (d("23/11/2026"), AM)
    assert all(day.weekday() < 5 for day, _ in result.sessions)
    assert (result.return_date, result.return_session) == (d("23/11/2026"), PM)


def test_a_suspension_over_a_bank_holiday_skips_it():
    result = period("30/04/2027", 4, AM)

    assert [day for day, _ in result.sessions] == [d("30/04/2027"), d("30/04/2027"), d("04/05/2027"), d("04/05/2027")]
    assert (result.return_date, result.return_session) == (d("05/05/2027"), AM)


def test_a_suspension_over_half_term_skips_the_holiday_week():
    result = period("22/10/2026", 6, AM)

    assert result.last_day == d("02/11/2026")
    assert (result.return_date, result.return_session) == (d("03/11/2026"), AM)


def test_a_suspension_over_christmas_continues_in_january():
    result = period("16/12/2026", 10, AM)

    assert sorted({day for day, _ in result.sessions}) == [
        d("16/12/2026"),
        d("17/12/2026"),
        d("18/12/2026"),
        d("04/01/2027"),
        d("05/01/2027"),
    ]
    assert (result.return_date, result.return_session) == (d("06/01/2027"), AM)
    assert result.days == 5


def test_a_forty_five_day_suspension_covers_ninety_sessions_on_forty_five_school_days():
    result = period("18/11/2026", CAP_SESSIONS, AM)

    assert result.session_count == CAP_SESSIONS
    assert result.days == CAP_DAYS
    assert count_school_days(CALENDAR, result.first_day, result.last_day) == CAP_DAYS
    assert CALENDAR.is_school_day(result.return_date)


def test_a_lunchtime_suspension_covers_one_lunchtime_on_each_of_consecutive_school_days():
    result = suspension_period(CALENDAR, start=d("18/11/2026"), sessions=5, lunchtime=True)

    assert result.sessions == (
        (d("18/11/2026"), PM),
        (d("19/11/2026"), PM),
        (d("20/11/2026"), PM),
        (d("23/11/2026"), PM),
        (d("24/11/2026"), PM),
    )
    assert result.last_day == d("24/11/2026")
    assert (result.return_date, result.return_session) == (d("25/11/2026"), AM)
    assert result.days == Decimal("2.5")


def test_a_single_lunchtime_suspension_returns_the_next_school_day_morning():
    result = suspension_period(CALENDAR, start=d("20/11/2026"), sessions=1, lunchtime=True)

    assert result.sessions == ((d("20/11/2026"), PM),)
    assert (result.return_date, result.return_session) == (d("23/11/2026"), AM)


def test_a_lunchtime_suspension_uses_the_lunchtime_session_even_when_the_morning_is_given():
    result = suspension_period(CALENDAR, start=d("18/11/2026"), sessions=2, start_session=AM, lunchtime=True)

    assert [session for _, session in result.sessions] == [PM, PM]


def test_a_lunchtime_suspension_over_half_term_continues_after_it():
    result = suspension_period(CALENDAR, start=d("23/10/2026"), sessions=2, lunchtime=True)

    assert [day for day, _ in result.sessions] == [d("23/10/2026"), d("02/11/2026")]
    assert result.return_date == d("03/11/2026")


@pytest.mark.parametrize("start", ["21/11/2026", "28/10/2026", "03/05/2027", "25/12/2026"])
def test_a_suspension_cannot_start_on_a_non_school_day(start):
    with pytest.raises(CalendarError, match=f"{start} is not a school day"):
        period(start, 2, calendar=CALENDAR)


@pytest.mark.parametrize("sessions", [0, -1])
def test_a_suspension_lasts_at_least_one_session(sessions):
    with pytest.raises(ValueError, match="at least one session"):
        period("18/11/2026", sessions)


def test_a_suspension_that_runs_past_the_calendar_raises_a_calendar_error():
    with pytest.raises(CalendarError, match="Add the next term's dates"):
        period("21/07/2027", 6, calendar=CALENDAR)


def test_a_suspension_ending_on_the_last_known_day_needs_the_next_year_for_its_return():
    with pytest.raises(CalendarError):
        period("22/07/2027", 2, calendar=CALENDAR)

    assert period("22/07/2027", 2, calendar=TWO_YEARS).return_date == d("03/09/2027")


# --- sessions_to_days, format_days ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sessions", "days", "label"),
    [
        (0, "0", "0"),
        (1, "0.5", "0.5"),
        (2, "1", "1"),
        (3, "1.5", "1.5"),
        (5, "2.5", "2.5"),
        (21, "10.5", "10.5"),
        (89, "44.5", "44.5"),
        (90, "45", "45"),
        (91, "45.5", "45.5"),
    ],
)
def test_sessions_are_half_days_and_are_written_as_staff_say_them(sessions, days, label):
    assert sessions_to_days(sessions) == Decimal(days)
    assert format_days(sessions) == label


# --- academic years -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "start", "label"),
    [
        ("31/08/2026", "01/09/2025", "2025/26"),
        ("01/09/2026", "01/09/2026", "2026/27"),
        ("31/12/2026", "01/09/2026", "2026/27"),
        ("01/01/2027", "01/09/2026", "2026/27"),
        ("31/08/2027", "01/09/2026", "2026/27"),
        ("01/09/2027", "01/09/2027", "2027/28"),
        ("15/06/2000", "01/09/1999", "1999/00"),
    ],
)
def test_the_school_year_runs_from_1_september_to_31_august(day, start, label):
    assert academic_year_start(d(day)) == d(start)
    assert academic_year_label(d(day)) == label


# --- totals_on ------------------------------------------------------------------------------------------


def test_totals_count_every_session_in_the_term_and_the_year():
    periods = [period("18/11/2026", 3, AM), period("17/09/2026", 2, AM)]

    totals = totals_on(TWO_YEARS, periods, on=d("18/11/2026"))

    assert totals == Totals(term_sessions=5, year_sessions=5)
    assert totals.term_days == Decimal("2.5")
    assert totals.year_days == Decimal("2.5")
    assert totals.cap_remaining_sessions == 85
    assert totals.cap_remaining_days == Decimal("42.5")


def test_a_suspension_over_christmas_counts_towards_each_term_by_the_day_of_each_session():
    christmas = [period("16/12/2026", 10, AM)]

    in_autumn = totals_on(TWO_YEARS, christmas, on=d("18/11/2026"))
    in_spring = totals_on(TWO_YEARS, christmas, on=d("06/01/2027"))

    assert (in_autumn.term_sessions, in_autumn.year_sessions) == (6, 10)
    assert (in_spring.term_sessions, in_spring.year_sessions) == (4, 10)


def test_an_earlier_term_counts_towards_the_year_but_not_this_term():
    totals = totals_on(TWO_YEARS, [period("17/09/2026", 4, AM)], on=d("12/04/2027"))

    assert (totals.term_sessions, totals.year_sessions) == (0, 4)


def test_a_suspension_over_the_summer_holiday_counts_towards_each_year_by_the_day_of_each_session():
    over_summer = period("21/07/2027", 6, AM)
    assert [day for day, _ in over_summer.sessions][-2:] == [d("03/09/2027"), d("03/09/2027")]

    last_day_of_summer_term = totals_on(TWO_YEARS, [over_summer], on=d("22/07/2027"))
    in_august = totals_on(TWO_YEARS, [over_summer], on=d("15/08/2027"))
    next_year = totals_on(TWO_YEARS, [over_summer], on=d("06/09/2027"))

    assert (last_day_of_summer_term.term_sessions, last_day_of_summer_term.year_sessions) == (4, 4)
    # In the summer holiday "this term" is the summer term just ended.
    assert (in_august.term_sessions, in_august.year_sessions) == (4, 4)
    assert (next_year.term_sessions, next_year.year_sessions) == (2, 2)


def test_last_years_suspensions_do_not_count_this_year():
    totals = totals_on(TWO_YEARS, [period("18/11/2026", 20, AM)], on=d("06/09/2027"))

    assert totals == Totals(term_sessions=0, year_sessions=0)


def test_sessions_at_previous_schools_are_added_to_the_year_but_not_the_term():
    totals = totals_on(TWO_YEARS, [period("18/11/2026", 2, AM)], on=d("18/11/2026"), previous_school_sessions=7)

    assert totals == Totals(term_sessions=2, year_sessions=9)
    assert format_days(totals.year_sessions) == "4.5"


def test_totals_count_only_the_suspensions_they_are_given_so_cancelled_ones_left_out_add_nothing():
    kept = period("18/11/2026", 2, AM)
    cancelled = period("23/11/2026", 4, AM)

    assert totals_on(TWO_YEARS, [kept], on=d("18/11/2026")).year_sessions == 2
    assert totals_on(TWO_YEARS, [kept, cancelled], on=d("18/11/2026")).year_sessions == 6
    assert totals_on(TWO_YEARS, [], on=d("18/11/2026")) == Totals(term_sessions=0, year_sessions=0)


def test_the_remaining_cap_never_goes_below_zero():
    totals = Totals(term_sessions=0, year_sessions=CAP_SESSIONS + 3)

    assert totals.cap_remaining_sessions == 0
    assert totals.cap_remaining_days == 0


# --- check_cap ------------------------------------------------------------------------------------------


def _existing(sessions: int) -> list[SuspensionPeriod]:
    """Suspensions this year totalling `sessions`, all in the autumn term of 2026."""
    return [period("07/09/2026", sessions, AM)] if sessions else []


@pytest.mark.parametrize(
    ("before", "new", "allowed", "after"),
    [
        (88, 1, True, 89),
        (88, 2, True, 90),
        (89, 1, True, 90),
        (89, 2, False, 91),
        (90, 1, False, 91),
        (0, 90, True, 90),
        (0, 91, False, 91),
    ],
    ids=["44.5-days", "45-days-from-44", "45-days-from-44.5", "45.5-days-from-44.5", "45.5-days-from-45", "45", "45.5"],
)
def test_the_cap_allows_up_to_exactly_45_days_in_a_year(before, new, allowed, after):
    check = check_cap(TWO_YEARS, _existing(before), period("04/01/2027", new, AM))

    assert check.allowed is allowed
    assert check.sessions_before == before
    assert check.sessions_after == after
    assert check.remaining_sessions == CAP_SESSIONS - before


def test_the_cap_includes_suspensions_at_previous_schools_in_the_same_year():
    previous = {d("01/09/2026"): 80}

    assert check_cap(TWO_YEARS, [], period("04/01/2027", 10), previous_school_sessions_by_year=previous).allowed
    refused = check_cap(TWO_YEARS, [], period("04/01/2027", 11), previous_school_sessions_by_year=previous)
    assert not refused.allowed
    assert refused.sessions_after == 91


def test_the_cap_ignores_previous_school_sessions_from_another_year():
    check = check_cap(TWO_YEARS, [], period("04/01/2027", 10), previous_school_sessions_by_year={d("01/09/2025"): 90})

    assert check.allowed
    assert check.sessions_before == 0


def test_the_cap_ignores_last_years_suspensions():
    last_year = [period("03/09/2026", 90, AM)]

    check = check_cap(TWO_YEARS, last_year, period("06/09/2027", 2))

    assert check.allowed
    assert check.sessions_before == 0


def test_a_new_suspension_over_the_summer_is_checked_against_each_year_separately():
    over_summer = period("21/07/2027", 6, AM)  # 4 sessions in 2026/27, 2 in 2027/28

    check = check_cap(TWO_YEARS, _existing(86), over_summer)

    # 86 + 4 = 90 in 2026/27 is allowed; adding all 6 sessions to one year (92) would have refused it.
    assert check.allowed
    assert (check.sessions_before, check.sessions_after) == (86, 90)


def test_a_new_suspension_over_the_summer_is_refused_when_it_breaks_the_cap_in_the_first_year():
    check = check_cap(TWO_YEARS, _existing(87), period("21/07/2027", 6, AM))

    assert not check.allowed
    assert (check.sessions_before, check.sessions_after) == (87, 91)


def test_a_new_suspension_over_the_summer_is_refused_when_it_breaks_the_cap_in_the_second_year():
    check = check_cap(
        TWO_YEARS,
        _existing(10),
        period("21/07/2027", 6, AM),
        previous_school_sessions_by_year={d("01/09/2027"): 89},
    )

    assert not check.allowed
    assert (check.sessions_before, check.sessions_after) == (89, 91)
    assert check.remaining_sessions == 1


# --- suggested_meeting_date -----------------------------------------------------------------------------


def test_the_meeting_is_suggested_for_the_school_day_before_the_return():
    assert suggested_meeting_date(CALENDAR, return_date=d("26/11/2026"), today=d("18/11/2026")) == d("25/11/2026")


def test_a_monday_return_suggests_the_meeting_on_the_previous_friday():
    assert suggested_meeting_date(CALENDAR, return_date=d("23/11/2026"), today=d("18/11/2026")) == d("20/11/2026")


def test_a_return_after_half_term_suggests_the_last_school_day_before_half_term():
    assert suggested_meeting_date(CALENDAR, return_date=d("02/11/2026"), today=d("21/10/2026")) == d("23/10/2026")


def test_a_return_after_christmas_suggests_the_last_day_of_the_autumn_term():
    assert suggested_meeting_date(CALENDAR, return_date=d("04/01/2027"), today=d("14/12/2026")) == d("18/12/2026")


def test_the_meeting_can_be_suggested_for_today():
    assert suggested_meeting_date(CALENDAR, return_date=d("19/11/2026"), today=d("18/11/2026")) == d("18/11/2026")


def test_when_the_day_before_the_return_has_passed_the_return_date_is_suggested():
    assert suggested_meeting_date(CALENDAR, return_date=d("02/11/2026"), today=d("31/10/2026")) == d("02/11/2026")
    assert suggested_meeting_date(CALENDAR, return_date=d("19/11/2026"), today=d("19/11/2026")) == d("19/11/2026")


def test_when_the_calendar_has_no_day_before_the_return_the_return_date_is_suggested():
    assert suggested_meeting_date(CALENDAR, return_date=d("03/09/2026"), today=d("01/09/2026")) == d("03/09/2026")


# --- realistic_target_limit -----------------------------------------------------------------------------


def test_a_realistic_target_is_within_thirteen_weeks_of_the_return():
    assert TERM_HORIZON.days == 91
    assert realistic_target_limit(d("25/11/2026")) == d("24/02/2027")
    assert realistic_target_limit(d("04/01/2027")) == d("05/04/2027")


def test_in_the_christmas_holiday_this_term_is_the_autumn_term_just_ended():
    totals = totals_on(TWO_YEARS, [period("14/12/2026", 4, AM)], on=d("24/12/2026"))

    assert (totals.term_sessions, totals.year_sessions) == (4, 4)


def test_in_the_summer_holiday_before_the_first_term_no_term_is_counted():
    totals = totals_on(TWO_YEARS, [period("14/07/2027", 2, AM)], on=d("01/09/2027"))

    assert (totals.term_sessions, totals.year_sessions) == (0, 0)


def test_a_pupil_back_the_same_afternoon_gets_the_meeting_suggested_on_the_return_day():
    # One morning session on Monday 23/11/2026: back that afternoon; the Friday before is before the suspension.
    suggested = suggested_meeting_date(
        CALENDAR, return_date=d("23/11/2026"), today=d("18/11/2026"), first_day=d("23/11/2026")
    )

    assert suggested == d("23/11/2026")

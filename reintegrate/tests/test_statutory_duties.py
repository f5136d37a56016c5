"""The duties a suspension triggers: the governing board's duty and deadline, the first five days, the sixth day."""

from __future__ import annotations

import pytest

from reintegrate.statutory import (
    BoardDuty,
    Session,
    board_deadline,
    board_duty,
    first_five_days,
    provision_from,
    suspension_period,
)
from reintegrate.tests.calendars import default_calendar
from reintegrate.tests.test_statutory import d

CALENDAR = default_calendar(2026)


@pytest.mark.parametrize(
    ("term_days", "expected"),
    [
        (0.5, BoardDuty.REPRESENTATIONS_ONLY),
        (5, BoardDuty.REPRESENTATIONS_ONLY),
        (5.5, BoardDuty.CONSIDER_IF_REPRESENTATIONS),
        (6, BoardDuty.CONSIDER_IF_REPRESENTATIONS),
        (15, BoardDuty.CONSIDER_IF_REPRESENTATIONS),
        (15.5, BoardDuty.MUST_CONSIDER_REINSTATEMENT),
        (16, BoardDuty.MUST_CONSIDER_REINSTATEMENT),
    ],
)
def test_the_boards_duty_follows_the_pupils_total_in_the_term(term_days, expected):
    assert board_duty(term_sessions=int(term_days * 2)) is expected


def test_a_missed_public_exam_means_the_board_must_consider_reinstatement_whatever_the_length():
    assert board_duty(term_sessions=2, misses_public_exam=True) is BoardDuty.MUST_CONSIDER_REINSTATEMENT


def test_a_permanent_exclusion_means_the_board_must_consider_reinstatement():
    assert board_duty(term_sessions=0, permanent=True) is BoardDuty.MUST_CONSIDER_REINSTATEMENT


def test_the_15_school_day_deadline_skips_weekends_and_the_christmas_holiday():
    # Notice on Fri 11/12/2026: 5 school days to Fri 18/12, then 10 from Mon 04/01/2027 to Fri 15/01/2027.
    deadline = board_deadline(CALENDAR, duty=BoardDuty.MUST_CONSIDER_REINSTATEMENT, notice_date=d("11/12/2026"))

    assert deadline == d("15/01/2027")


def test_the_50_school_day_deadline_skips_half_term_and_the_easter_holiday():
    # Notice Wed 13/01/2027: 22 school days to Fri 12/02, half term, 24 more to Thu 25/03 (end of spring term),
    # Easter holiday, then Mon 12/04 to Thu 15/04/2027 makes 50.
    deadline = board_deadline(CALENDAR, duty=BoardDuty.CONSIDER_IF_REPRESENTATIONS, notice_date=d("13/01/2027"))

    assert deadline == d("15/04/2027")


def test_there_is_no_deadline_when_the_board_only_considers_representations():
    assert board_deadline(CALENDAR, duty=BoardDuty.REPRESENTATIONS_ONLY, notice_date=d("18/11/2026")) is None


def test_the_first_five_days_are_the_school_days_of_the_suspension_across_a_weekend():
    period = suspension_period(CALENDAR, start=d("19/11/2026"), sessions=12)

    assert first_five_days(period) == [
        d("19/11/2026"),
        d("20/11/2026"),
        d("23/11/2026"),
        d("24/11/2026"),
        d("25/11/2026"),
    ]


def test_a_five_day_suspension_needs_no_sixth_day_provision():
    assert provision_from(suspension_period(CALENDAR, start=d("16/11/2026"), sessions=10)) is None


def test_a_five_and_a_half_day_suspension_needs_provision_from_its_sixth_day():
    period = suspension_period(CALENDAR, start=d("16/11/2026"), sessions=11)

    assert provision_from(period) == d("23/11/2026")


def test_an_afternoon_start_reaches_a_sixth_day_after_ten_sessions_and_a_half():
    # Mon PM to the next Mon AM: six distinct school days, so provision is due on the second Monday.
    period = suspension_period(CALENDAR, start=d("16/11/2026"), sessions=10, start_session=Session.PM)

    assert provision_from(period) == d("23/11/2026")


def test_the_first_review_is_suggested_two_school_weeks_after_the_return_skipping_christmas():
    from reintegrate.statutory import suggested_first_review

    # Return Mon 14/12/2026: 4 more school days to Fri 18/12, then 5 from Mon 04/01, then Mon 11/01/2027.
    assert suggested_first_review(CALENDAR, return_date=d("14/12/2026")) == d("11/01/2027")


def _periods(*starts_and_sessions):
    return [suspension_period(TWO_YEARS, start=d(start), sessions=n) for start, n in starts_and_sessions]


TWO_YEARS = default_calendar(2026, 2027)


def test_the_last_three_terms_run_from_the_start_of_the_term_two_before_this_one():
    from reintegrate.statutory import last_three_terms_start

    assert last_three_terms_start(TWO_YEARS, on=d("15/04/2027")) == d("03/09/2026")
    assert last_three_terms_start(TWO_YEARS, on=d("15/09/2027")) == d("04/01/2027")


def test_a_third_suspension_in_three_terms_reaches_the_default_alert():
    from decimal import Decimal

    from reintegrate.statutory import repeated_suspensions

    two = _periods(("16/11/2026", 2), ("12/01/2027", 2))
    three = [*two, *_periods(("13/04/2027", 2))]

    kwargs = {"on": d("15/04/2027"), "count_threshold": 3, "days_threshold": Decimal(10)}
    assert repeated_suspensions(TWO_YEARS, two, **kwargs).reached is False
    assert repeated_suspensions(TWO_YEARS, three, **kwargs).reached is True


def test_ten_days_in_three_terms_reach_the_alert_but_nine_and_a_half_do_not():
    from decimal import Decimal

    from reintegrate.statutory import repeated_suspensions

    kwargs = {"on": d("15/01/2027"), "count_threshold": 3, "days_threshold": Decimal(10)}
    nine_and_a_half = _periods(("02/11/2026", 10), ("11/01/2027", 9))
    ten = _periods(("02/11/2026", 10), ("11/01/2027", 10))

    assert repeated_suspensions(TWO_YEARS, nine_and_a_half, **kwargs).reached is False
    assert repeated_suspensions(TWO_YEARS, ten, **kwargs).reached is True


def test_suspensions_before_the_last_three_terms_do_not_count():
    from decimal import Decimal

    from reintegrate.statutory import repeated_suspensions

    old_and_new = _periods(("07/09/2026", 2), ("12/01/2027", 2), ("13/04/2027", 2))

    check = repeated_suspensions(
        TWO_YEARS, old_and_new, on=d("15/09/2027"), count_threshold=3, days_threshold=Decimal(10)
    )

    assert (check.suspensions, check.reached) == (2, False)


@pytest.mark.parametrize(("days", "sessions"), [("0.5", 1), ("1", 2), ("2.5", 5), ("45", 90)])
def test_days_entered_as_a_figure_become_sessions(days, sessions):
    from decimal import Decimal

    from reintegrate.statutory import days_to_sessions

    assert days_to_sessions(Decimal(days)) == sessions


@pytest.mark.parametrize("days", ["0.25", "1.3", "-1"])
def test_days_that_are_not_whole_or_half_days_are_refused(days):
    from decimal import Decimal

    from reintegrate.statutory import days_to_sessions

    with pytest.raises(ValueError, match="whole or half days"):
        days_to_sessions(Decimal(days))


@pytest.mark.parametrize(
    ("before", "added", "allowed"), [(80, 10, True), (80, 11, False), (89, 1, True), (90, 1, False)]
)
def test_days_added_as_a_figure_may_reach_45_days_but_not_pass_them(before, added, allowed):
    from reintegrate.statutory import check_cap_adding

    check = check_cap_adding(sessions_before=before, sessions_added=added)

    assert (check.allowed, check.sessions_after, check.remaining_sessions) == (allowed, before + added, 90 - before)


def test_the_provision_notice_is_due_48_hours_before_the_sixth_day():
    from reintegrate.statutory import provision_notice_due

    assert provision_notice_due(CALENDAR, provision_from=d("26/11/2026"), hours=48) == d("24/11/2026")


def test_a_provision_notice_that_falls_at_a_weekend_moves_back_to_the_friday():
    from reintegrate.statutory import provision_notice_due

    # Sixth day Monday 23/11/2026: 48 hours before is Saturday 21/11, so Friday 20/11/2026.
    assert provision_notice_due(CALENDAR, provision_from=d("23/11/2026"), hours=48) == d("20/11/2026")


def test_a_longer_notice_setting_counts_more_days_back():
    from reintegrate.statutory import provision_notice_due

    # 72 hours before Thursday 26/11/2026 is Monday 23/11/2026.
    assert provision_notice_due(CALENDAR, provision_from=d("26/11/2026"), hours=72) == d("23/11/2026")

"""The statutory boundaries of issue 3, through the services and the database where each rule is enforced.

Calendar (conftest, schools.services.academic_year_create): autumn 03/09/2026-18/12/2026 (half term 26-30/10),
spring 04/01/2027-25/03/2027 (half term 15-19/02), summer 12/04/2027-22/07/2027 (May Day Monday 03/05/2027,
half term 31/05-04/06); Good Friday 26/03/2027 and Easter Monday 29/03/2027 fall in the Easter holiday.
2027/28, where a test adds it, starts on Friday 03/09/2027. Today is Wednesday 18/11/2026.

Boundaries already tested elsewhere, and not repeated here (docs/statutory-rules.md lists them all):
- 44.5 + 0.5 = 45 days allowed: suspensions/tests/test_suspension_rules.py
  test_44_and_a_half_days_plus_one_session_reaches_45_and_is_allowed;
- 45 + 0.5 refused with the figures: test_45_days_plus_one_session_is_refused_with_the_figures (same file);
- the cap's arithmetic at 44.5, 45 and 45.5 in every combination, and over the summer holiday:
  reintegrate/tests/test_statutory.py test_the_cap_allows_up_to_exactly_45_days_in_a_year and the tests after it;
- 40 days here and 5 at a previous school, then half a day more, refused; previous-school days from last year not
  counted: pupils/tests/test_previous_schools.py
  test_a_further_half_day_suspension_is_refused_once_previous_school_days_make_45 and
  test_days_in_last_school_year_do_not_count_towards_this_years_cap;
- the board's duty at 5, 5.5, 6, 15, 15.5 and 16 days as pure arithmetic:
  reintegrate/tests/test_statutory_duties.py test_the_boards_duty_follows_the_pupils_total_in_the_term;
- returns over a weekend, half term, Christmas and May Day: test_the_return_date_counts_school_days_only
  (suspensions/tests/test_suspension_rules.py) and reintegrate/tests/test_statutory.py.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from plans.models import ReintegrationPlan
from pupils.models import PreviousSchoolSuspension
from reintegrate import statutory
from schools.models import Term
from schools.selectors import school_calendar
from schools.services import academic_year_create, term_update
from suspensions.models import Suspension
from suspensions.selectors import pupil_suspension_summary
from testsupport.suspensions import record

TODAY = date(2026, 11, 18)
FIRST_DAY = date(2026, 9, 3)  # the first day of the autumn term 2026


def d(text: str) -> date:
    day, month, year = (int(part) for part in text.split("/"))
    return date(year, month, day)


def refused(pupil, **kwargs) -> dict[str, list[str]]:
    """Record a suspension that must be refused: the errors, after checking that nothing was saved."""
    before = (Suspension.objects.count(), ReintegrationPlan.objects.count())
    with pytest.raises(ValidationError) as caught:
        record(pupil, **kwargs)
    assert (Suspension.objects.count(), ReintegrationPlan.objects.count()) == before
    return caught.value.message_dict


def cap_message(pupil, *, after: str, before: str, left: str, year: str = "2026/27") -> str:
    return (
        f"This would take {pupil.display_name} to {after} school days of suspension in {year}, over the limit of 45. "
        f"They have {before} days so far, so no more than {left} days can be given."
    )


def previous_school(pupil, headteacher, *, sessions: int):
    """Days at a previous school in 2026/27, entered directly (their own page is tested in pupils/tests)."""
    return PreviousSchoolSuspension.objects.create(
        pupil=pupil,
        school_name="Fictional Previous School",
        academic_year_start=date(2026, 9, 1),
        sessions=sessions,
        recorded_by=headteacher,
    )


def summary(pupil, on: date):
    return pupil_suspension_summary(pupil, today=on)


# --- The 45-day cap -----------------------------------------------------------------------------------------


def test_44_and_a_half_days_plus_a_whole_day_would_be_45_and_a_half_so_it_is_refused_naming_the_figures(
    pupil, headteacher
):
    record(pupil, start=FIRST_DAY, sessions=89)
    errors = refused(pupil, start=TODAY, sessions=2)
    assert errors["sessions"] == [cap_message(pupil, after="45.5", before="44.5", left="0.5")]
    assert summary(pupil, TODAY).year_days == "44.5"


def test_with_5_days_at_a_previous_school_39_and_a_half_here_plus_half_a_day_reaches_45_and_is_allowed(
    pupil, headteacher
):
    previous_school(pupil, headteacher, sessions=10)
    record(pupil, start=FIRST_DAY, sessions=79)
    record(pupil, start=TODAY, sessions=1)
    totals = summary(pupil, TODAY)
    assert (totals.year_days, totals.cap_remaining_days) == ("45", "0")


def test_with_5_days_at_a_previous_school_a_suspension_past_45_is_refused_and_the_figures_include_them(
    pupil, headteacher
):
    previous_school(pupil, headteacher, sessions=10)
    record(pupil, start=FIRST_DAY, sessions=79)  # 39.5 days here: 44.5 in all
    errors = refused(pupil, start=TODAY, sessions=2)
    assert errors["sessions"] == [cap_message(pupil, after="45.5", before="44.5", left="0.5")]


def test_a_permanent_exclusion_is_outside_the_cap_so_it_can_follow_45_days_and_adds_nothing(pupil, headteacher):
    record(pupil, start=FIRST_DAY, sessions=90)
    exclusion = record(pupil, start=TODAY, sessions=None, kind=Suspension.Kind.PERMANENT)
    assert exclusion.pk is not None
    totals = summary(pupil, TODAY)
    assert (totals.year_days, totals.cap_remaining_days) == ("45", "0")


# --- Lunchtimes are half days ------------------------------------------------------------------------------


def test_90_lunchtimes_are_45_days_and_one_more_lunchtime_is_refused(pupil, headteacher):
    lunchtimes = record(pupil, start=FIRST_DAY, sessions=90, kind=Suspension.Kind.LUNCHTIME)
    # 72 lunchtimes in the autumn term, then 18 from Monday 04/01/2027 to Wednesday 27/01/2027.
    assert lunchtimes.last_day == d("27/01/2027")
    assert (lunchtimes.return_date, lunchtimes.return_session) == (d("28/01/2027"), "am")
    assert summary(pupil, TODAY).year_days == "45"
    errors = refused(pupil, start=d("01/02/2027"), sessions=1, kind=Suspension.Kind.LUNCHTIME)
    assert errors["sessions"] == [cap_message(pupil, after="45.5", before="45", left="0")]


@pytest.mark.parametrize(
    ("lunchtimes", "expected"),
    [(10, statutory.BoardDuty.REPRESENTATIONS_ONLY), (11, statutory.BoardDuty.CONSIDER_IF_REPRESENTATIONS)],
    ids=["10-lunchtimes-are-5-days", "11-lunchtimes-are-more-than-5-days"],
)
def test_more_than_ten_lunchtimes_in_a_term_are_more_than_five_days_for_the_governing_board(
    lunchtimes, expected, pupil, headteacher
):
    record(pupil, start=d("02/11/2026"), sessions=lunchtimes, kind=Suspension.Kind.LUNCHTIME)
    term_sessions = summary(pupil, TODAY).totals.term_sessions
    assert term_sessions == lunchtimes
    assert statutory.board_duty(term_sessions=term_sessions) is expected


# --- Five and six days: provision from the sixth school day ------------------------------------------------


def test_a_5_day_suspension_over_a_weekend_needs_no_sixth_day_provision(pupil, headteacher):
    suspension = record(pupil, start=TODAY, sessions=10)  # Wed 18/11 to Tue 24/11
    assert statutory.first_five_days(suspension.period) == [
        d("18/11/2026"),
        d("19/11/2026"),
        d("20/11/2026"),
        d("23/11/2026"),
        d("24/11/2026"),
    ]
    assert statutory.provision_from(suspension.period) is None
    assert suspension.return_date == d("25/11/2026")


@pytest.mark.parametrize("sessions", [11, 12], ids=["5.5-days", "6-days"])
def test_a_suspension_longer_than_5_days_needs_provision_from_its_sixth_school_day(sessions, pupil, headteacher):
    suspension = record(pupil, start=TODAY, sessions=sessions)
    assert statutory.provision_from(suspension.period) == d("25/11/2026")


def test_the_sixth_school_day_skips_the_may_day_bank_holiday(pupil, headteacher):
    suspension = record(pupil, start=d("26/04/2027"), sessions=12)  # Mon 26/04 to Fri 30/04, then Tue 04/05
    assert statutory.provision_from(suspension.period) == d("04/05/2027")
    assert suspension.return_date == d("05/05/2027")


# --- 15 and 16 days in a term: the governing board ---------------------------------------------------------


@pytest.mark.parametrize(
    ("sessions", "expected"),
    [
        (10, statutory.BoardDuty.REPRESENTATIONS_ONLY),
        (11, statutory.BoardDuty.CONSIDER_IF_REPRESENTATIONS),
        (12, statutory.BoardDuty.CONSIDER_IF_REPRESENTATIONS),
        (30, statutory.BoardDuty.CONSIDER_IF_REPRESENTATIONS),
        (31, statutory.BoardDuty.MUST_CONSIDER_REINSTATEMENT),
        (32, statutory.BoardDuty.MUST_CONSIDER_REINSTATEMENT),
    ],
    ids=["5-days", "5.5-days", "6-days", "15-days", "15.5-days", "16-days"],
)
def test_the_boards_duty_follows_the_recorded_total_in_the_term(sessions, expected, pupil, headteacher):
    # Two suspensions in the autumn term: ten sessions in September, the rest from today.
    record(pupil, start=d("07/09/2026"), sessions=10)
    if sessions > 10:
        record(pupil, start=TODAY, sessions=sessions - 10)
    term_sessions = summary(pupil, TODAY).totals.term_sessions
    assert term_sessions == sessions
    assert statutory.board_duty(term_sessions=term_sessions) is expected


def test_a_suspension_over_christmas_counts_in_each_term_so_14_days_plus_one_in_autumn_is_15_not_16(pupil, headteacher):
    record(pupil, start=d("07/09/2026"), sessions=28)  # 14 days
    record(pupil, start=d("18/12/2026"), sessions=4)  # Fri 18/12/2026 and Mon 04/01/2027
    autumn = summary(pupil, d("18/12/2026")).totals
    spring = summary(pupil, d("04/01/2027")).totals
    assert (autumn.term_sessions, spring.term_sessions) == (30, 2)
    assert statutory.board_duty(term_sessions=autumn.term_sessions) is statutory.BoardDuty.CONSIDER_IF_REPRESENTATIONS
    assert statutory.board_duty(term_sessions=spring.term_sessions) is statutory.BoardDuty.REPRESENTATIONS_ONLY


def test_the_15_school_day_board_deadline_skips_the_may_day_bank_holiday(school):
    deadline = statutory.board_deadline(
        school_calendar(school), duty=statutory.BoardDuty.MUST_CONSIDER_REINSTATEMENT, notice_date=d("26/04/2027")
    )
    assert deadline == d("18/05/2027")  # 17/05 without the bank holiday


# --- Holidays, term ends and year ends ----------------------------------------------------------------------


def test_a_suspension_over_the_christmas_holiday_counts_in_each_term_by_the_day_of_each_session(pupil, headteacher):
    suspension = record(pupil, start=d("16/12/2026"), sessions=10)
    assert (suspension.last_day, suspension.return_date) == (d("05/01/2027"), d("06/01/2027"))
    autumn, spring = summary(pupil, d("18/12/2026")), summary(pupil, d("04/01/2027"))
    assert (autumn.term_days, autumn.year_days) == ("3", "5")
    assert (spring.term_days, spring.year_days) == ("2", "5")


def test_a_suspension_over_the_summer_holiday_counts_in_each_school_year(pupil, school, headteacher):
    academic_year_create(school=school, start_year=2027)
    suspension = record(pupil, start=d("21/07/2027"), sessions=6)  # Wed 21/07, Thu 22/07, then Fri 03/09/2027
    assert suspension.last_day == d("03/09/2027")
    assert (suspension.return_date, suspension.return_session) == (d("06/09/2027"), "am")
    summer, autumn = summary(pupil, d("22/07/2027")), summary(pupil, d("06/09/2027"))
    assert (summer.term_days, summer.year_days, summer.year_label) == ("2", "2", "2026/27")
    assert (autumn.term_days, autumn.year_days, autumn.year_label) == ("1", "1", "2027/28")


def test_over_the_summer_holiday_the_cap_is_checked_in_each_school_year(pupil, school, headteacher):
    academic_year_create(school=school, start_year=2027)
    record(pupil, start=FIRST_DAY, sessions=86)  # 43 days in 2026/27
    # 2 days fall in 2026/27 (45 in all) and 1 in 2027/28: allowed, though 46 days were given in one go.
    assert record(pupil, start=d("21/07/2027"), sessions=6).pk is not None


def test_over_the_summer_holiday_the_cap_refuses_what_would_pass_45_in_the_first_year(pupil, school, headteacher):
    academic_year_create(school=school, start_year=2027)
    record(pupil, start=FIRST_DAY, sessions=87)  # 43.5 days in 2026/27
    errors = refused(pupil, start=d("21/07/2027"), sessions=6)
    assert errors["sessions"] == [cap_message(pupil, after="45.5", before="43.5", left="1.5")]


def test_a_suspension_from_the_last_day_of_spring_continues_after_the_easter_holiday(pupil, headteacher):
    suspension = record(pupil, start=d("25/03/2027"), sessions=4)  # Good Friday and Easter Monday fall in between
    assert [day for day, _ in suspension.period.sessions] == [d("25/03/2027")] * 2 + [d("12/04/2027")] * 2
    assert suspension.return_date == d("13/04/2027")
    spring, summer = summary(pupil, d("25/03/2027")), summary(pupil, d("12/04/2027"))
    assert (spring.term_days, summer.term_days, summer.year_days) == ("1", "1", "2")


def test_good_friday_and_easter_monday_are_not_school_days_when_the_term_runs_over_easter(pupil, school, headteacher):
    spring = Term.objects.get(academic_year__school=school, start_date=d("04/01/2027"))
    term_update(term=spring, start_date=spring.start_date, end_date=d("01/04/2027"))
    suspension = record(pupil, start=d("25/03/2027"), sessions=6)
    assert statutory.suspension_school_days(suspension.period) == [d("25/03/2027"), d("30/03/2027"), d("31/03/2027")]
    assert suspension.return_date == d("01/04/2027")

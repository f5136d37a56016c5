"""The duties a suspension requires (duties.services.required_duties): pure rules, no database.

The calendar is Larkfield Academy's 2026/27 year: terms 03/09/2026-18/12/2026, 04/01/2027-25/03/2027 and
12/04/2027-22/07/2027; half terms 26-30/10/2026, 15-19/02/2027 and 31/05-04/06/2027; the May bank holiday.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest

from duties.models import Duty
from duties.services import DutyFacts, RepeatAlert, RequiredDuty, required_duties
from reintegrate import statutory
from schools.models import Role
from suspensions.models import Suspension

K = Duty.Kind
RECORDED = date(2026, 11, 18)  # Wednesday


def _days(start: date, end: date) -> set[date]:
    return {start + timedelta(days=n) for n in range((end - start).days + 1)}


CALENDAR = statutory.SchoolCalendar(
    terms=(
        statutory.TermSpan(date(2026, 9, 3), date(2026, 12, 18), "Autumn 2026"),
        statutory.TermSpan(date(2027, 1, 4), date(2027, 3, 25), "Spring 2027"),
        statutory.TermSpan(date(2027, 4, 12), date(2027, 7, 22), "Summer 2027"),
    ),
    non_school_days=frozenset(
        _days(date(2026, 10, 26), date(2026, 10, 30))
        | _days(date(2027, 2, 15), date(2027, 2, 19))
        | _days(date(2027, 5, 31), date(2027, 6, 4))
        | {date(2027, 5, 3)}
    ),
)


def facts(
    *,
    start: date = date(2026, 11, 19),
    sessions: int | None = 4,
    kind: str = Suspension.Kind.SUSPENSION,
    term_sessions: int | None = None,
    **overrides,
) -> DutyFacts:
    """The facts of Jordan's suspension, recorded on Wednesday 18/11/2026, starting on `start`."""
    period = None
    if kind != Suspension.Kind.PERMANENT:
        assert sessions is not None
        period = statutory.suspension_period(
            CALENDAR, start=start, sessions=sessions, lunchtime=kind == Suspension.Kind.LUNCHTIME
        )
    base = DutyFacts(
        pupil_name="Jordan",
        kind=kind,
        start_date=start,
        recorded_on=RECORDED,
        period=period,
        term_sessions=term_sessions if term_sessions is not None else (period.session_count if period else 0),
        first_five_days=tuple(statutory.first_five_days(period)) if period else (),
    )
    return replace(base, **overrides)


def duties_of(value: DutyFacts) -> dict[tuple[str, str], RequiredDuty]:
    result = required_duties(value, calendar=CALENDAR)
    keyed = {(duty.kind, duty.about): duty for duty in result}
    assert len(keyed) == len(result), "a kind of duty is required twice"
    return keyed


def kinds(value: DutyFacts, about: str = Duty.About.SUSPENSION) -> set[str]:
    return {kind for kind, on in duties_of(value) if on == about}


def one(value: DutyFacts, kind: str, about: str = Duty.About.SUSPENSION) -> RequiredDuty:
    return duties_of(value)[(kind, about)]


# --- Notices given without delay ----------------------------------------------------------------------------

ALL_KINDS = [Suspension.Kind.SUSPENSION, Suspension.Kind.LUNCHTIME, Suspension.Kind.PERMANENT]


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_every_suspension_needs_the_parents_told_and_written_to_without_delay(kind):
    value = facts(kind=kind, sessions=None if kind == Suspension.Kind.PERMANENT else 2)

    told, letter = one(value, K.PARENTS_TOLD), one(value, K.PARENTS_LETTER)

    assert (told.due_date, told.without_delay, told.owner_role) == (RECORDED, True, Role.PASTORAL_LEAD)
    assert (letter.due_date, letter.without_delay, letter.owner_role) == (RECORDED, True, Role.OFFICE)
    assert "by phone or in person" in told.detail


@pytest.mark.parametrize("kind", ALL_KINDS)
@pytest.mark.parametrize("sessions", [1, 2, 40])
def test_the_local_authority_is_told_of_every_suspension_whatever_its_length(kind, sessions):
    value = facts(kind=kind, sessions=None if kind == Suspension.Kind.PERMANENT else sessions)

    notice = one(value, K.LOCAL_AUTHORITY)

    assert (notice.due_date, notice.without_delay, notice.owner_role) == (RECORDED, True, Role.OFFICE)
    assert "September 2022" in notice.detail


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_the_governing_board_is_told_of_every_suspension_as_the_key_reads_the_guidance(kind):
    value = facts(kind=kind, sessions=None if kind == Suspension.Kind.PERMANENT else 1)

    notice = one(value, K.GOVERNING_BOARD)

    assert (notice.due_date, notice.without_delay, notice.owner_role) == (RECORDED, True, Role.HEADTEACHER)
    assert "The Key" in notice.detail
    assert "2022 guidance" in notice.detail


def test_a_pupil_with_neither_flag_needs_no_social_worker_or_virtual_school_notice():
    assert not {K.SOCIAL_WORKER, K.VIRTUAL_SCHOOL_HEAD} & kinds(facts())


def test_a_pupil_with_a_social_worker_needs_the_social_worker_told_without_delay():
    notice = one(facts(has_social_worker=True), K.SOCIAL_WORKER)

    assert (notice.due_date, notice.without_delay, notice.owner_role) == (RECORDED, True, Role.PASTORAL_LEAD)
    assert K.VIRTUAL_SCHOOL_HEAD not in kinds(facts(has_social_worker=True))


def test_a_looked_after_pupil_needs_the_virtual_school_head_told_without_delay():
    notice = one(facts(looked_after=True), K.VIRTUAL_SCHOOL_HEAD)

    assert (notice.due_date, notice.without_delay, notice.owner_role) == (RECORDED, True, Role.PASTORAL_LEAD)
    assert K.SOCIAL_WORKER not in kinds(facts(looked_after=True))


# --- The governing board's consideration ---------------------------------------------------------------------


def test_a_term_total_of_exactly_15_days_needs_no_board_consideration():
    assert K.BOARD_CONSIDERATION not in kinds(facts(term_sessions=30))


def test_a_term_total_of_15_and_a_half_days_needs_the_board_within_15_school_days_of_the_notice():
    duty = one(facts(term_sessions=31), K.BOARD_CONSIDERATION)

    # 15 school days after Wednesday 18/11/2026: 19/11 ... 09/12/2026.
    assert duty.due_date == date(2026, 12, 9)
    assert duty.without_delay is False
    assert duty.owner_role == Role.HEADTEACHER
    assert duty.detail == (
        "Jordan's suspensions this term total 15.5 days, over 15: the board must consider reinstatement "
        "within 15 school days of the notice."
    )


def test_the_15_school_days_skip_the_october_half_term():
    duty = one(facts(term_sessions=32, recorded_on=date(2026, 10, 16), start=date(2026, 10, 19)), K.BOARD_CONSIDERATION)

    # Friday 16/10: 19-23/10 (5), half term, 02-06/11 (10), 09-13/11 (15).
    assert duty.due_date == date(2026, 11, 13)


def test_the_15_school_days_skip_the_christmas_holiday():
    duty = one(facts(term_sessions=32, board_notified_on=date(2026, 12, 10)), K.BOARD_CONSIDERATION)

    # Thursday 10/12: 11-18/12 (6), Christmas, 04-08/01 (11), 11-14/01 (15).
    assert duty.due_date == date(2027, 1, 14)
    assert "within 15 school days of the notice on 10/12/2026" in duty.detail


def test_the_board_deadline_counts_from_the_notice_when_it_is_recorded():
    told_later = one(facts(term_sessions=32, board_notified_on=date(2026, 11, 23)), K.BOARD_CONSIDERATION)
    not_recorded = one(facts(term_sessions=32), K.BOARD_CONSIDERATION)

    assert not_recorded.due_date == date(2026, 12, 9)  # from the recorded date, 18/11/2026
    assert told_later.due_date == date(2026, 12, 14)  # from Monday 23/11/2026


def test_a_missed_exam_needs_the_board_even_for_a_short_suspension():
    duty = one(facts(term_sessions=2, misses_public_exam=True, exam_date=date(2027, 1, 20)), K.BOARD_CONSIDERATION)

    assert duty.due_date == date(2026, 12, 9)  # the exam comes after the deadline: the deadline stands
    assert "Jordan would miss a public examination or test" in duty.detail
    assert "The exam is on 20/01/2027." in duty.detail


def test_an_exam_before_the_deadline_brings_the_board_forward_to_the_school_day_before_it():
    duty = one(facts(term_sessions=2, misses_public_exam=True, exam_date=date(2026, 11, 30)), K.BOARD_CONSIDERATION)

    assert duty.due_date == date(2026, 11, 27)  # Friday before the exam on Monday 30/11/2026
    assert "before it where practicable" in duty.detail


def test_an_exam_on_the_deadline_itself_still_brings_the_board_forward():
    duty = one(facts(term_sessions=2, misses_public_exam=True, exam_date=date(2026, 12, 9)), K.BOARD_CONSIDERATION)

    assert duty.due_date == date(2026, 12, 8)


def test_an_exam_the_next_school_day_makes_the_board_due_on_the_notice_day_not_before_it():
    duty = one(facts(term_sessions=2, misses_public_exam=True, exam_date=date(2026, 11, 19)), K.BOARD_CONSIDERATION)

    assert duty.due_date == RECORDED


def test_a_permanent_exclusion_always_needs_the_board():
    duty = one(facts(kind=Suspension.Kind.PERMANENT, sessions=None, term_sessions=0), K.BOARD_CONSIDERATION)

    assert duty.due_date == date(2026, 12, 9)
    assert duty.detail.startswith("A permanent exclusion: the board must consider reinstatement")


def test_a_term_total_of_5_days_with_representations_needs_no_board_duty():
    value = facts(term_sessions=10, representations_received_on=date(2026, 11, 20))

    assert not {K.BOARD_CONSIDERATION, K.BOARD_REPRESENTATIONS} & kinds(value)


def test_a_term_total_of_5_and_a_half_days_with_representations_needs_them_considered_within_50_school_days():
    duty = one(facts(term_sessions=11, representations_received_on=date(2026, 11, 20)), K.BOARD_REPRESENTATIONS)

    # Counted from the notice (the day the suspension was recorded, 18/11/2026), not the representations.
    assert duty.due_date == statutory.add_school_days(CALENDAR, date(2026, 11, 18), 50)
    assert duty.due_date == date(2027, 2, 10)
    assert duty.owner_role == Role.HEADTEACHER
    assert "5.5 days" in duty.detail
    assert "representations on 20/11/2026" in duty.detail
    assert "within 50 school days" in duty.detail


def test_a_term_total_of_5_and_a_half_days_without_representations_needs_no_board_duty():
    assert not {K.BOARD_CONSIDERATION, K.BOARD_REPRESENTATIONS} & kinds(facts(term_sessions=11))


def test_a_term_total_of_15_days_with_representations_is_still_the_50_day_band():
    value = facts(term_sessions=30, representations_received_on=date(2026, 11, 20))

    assert K.BOARD_REPRESENTATIONS in kinds(value)
    assert K.BOARD_CONSIDERATION not in kinds(value)


def test_over_15_days_the_board_considers_reinstatement_and_no_separate_representations_duty_is_set():
    value = facts(term_sessions=31, representations_received_on=date(2026, 11, 20))

    assert K.BOARD_CONSIDERATION in kinds(value)
    assert K.BOARD_REPRESENTATIONS not in kinds(value)


def test_a_calendar_that_ends_before_the_deadline_asks_for_the_next_terms():
    short = statutory.SchoolCalendar(terms=CALENDAR.terms[:1], non_school_days=CALENDAR.non_school_days)

    duty = {
        d.kind: d for d in required_duties(facts(term_sessions=32, recorded_on=date(2026, 12, 10)), calendar=short)
    }[K.BOARD_CONSIDERATION]

    assert duty.due_date == date(2026, 12, 18)  # the last day the calendar knows: never later than the deadline
    assert "add the next term's dates" in duty.detail


# --- The first five days and the sixth day -------------------------------------------------------------------


def test_work_is_set_from_the_first_day_for_the_first_five_school_days():
    duty = one(facts(start=date(2026, 11, 19), sessions=14), K.WORK_SET)

    assert duty.due_date == date(2026, 11, 19)
    assert duty.owner_role == Role.PASTORAL_LEAD
    assert duty.detail == (
        "Set and mark work for 19/11/2026, 20/11/2026, 23/11/2026, 24/11/2026, 25/11/2026. On these days "
        "Jordan must not be in a public place in school hours without good reason."
    )


def test_a_one_day_suspension_lists_its_one_day():
    assert "Set and mark work for 19/11/2026. On these days" in one(facts(sessions=2), K.WORK_SET).detail


def test_a_5_day_suspension_needs_no_sixth_day_provision():
    assert K.SIXTH_DAY_PROVISION not in kinds(facts(start=date(2026, 11, 23), sessions=10))


def test_a_5_and_a_half_day_suspension_needs_provision_from_the_sixth_school_day():
    duty = one(facts(start=date(2026, 11, 23), sessions=11), K.SIXTH_DAY_PROVISION)

    assert duty.due_date == date(2026, 11, 30)  # Monday 23 to Friday 27, then Monday 30/11/2026
    assert duty.owner_role == Role.HEADTEACHER
    assert "provider, its address and the times" in duty.detail


def test_the_sixth_day_skips_the_half_term():
    duty = one(facts(start=date(2026, 10, 19), sessions=12, recorded_on=date(2026, 10, 16)), K.SIXTH_DAY_PROVISION)

    assert duty.due_date == date(2026, 11, 2)


def test_a_permanent_exclusion_needs_work_set_for_its_first_five_school_days_but_no_sixth_day_duty_for_the_school():
    value = facts(
        kind=Suspension.Kind.PERMANENT,
        sessions=None,
        first_five_days=(date(2026, 11, 19), date(2026, 11, 20), date(2026, 11, 23), date(2026, 11, 24)),
    )

    assert one(value, K.WORK_SET).due_date == date(2026, 11, 19)
    assert K.SIXTH_DAY_PROVISION not in kinds(value)


# --- Lunchtime suspensions and the pupil's flags -------------------------------------------------------------


def test_a_lunchtime_suspension_of_a_pupil_eligible_for_free_meals_needs_the_lunch_arranged_from_the_first_day():
    duty = one(facts(kind=Suspension.Kind.LUNCHTIME, sessions=3, fsm_eligible=True), K.FSM_LUNCH)

    assert duty.due_date == date(2026, 11, 19)
    assert duty.owner_role == Role.OFFICE
    assert "free school meals" in duty.detail


def test_a_lunchtime_suspension_of_a_pupil_not_eligible_needs_no_lunch_duty():
    assert K.FSM_LUNCH not in kinds(facts(kind=Suspension.Kind.LUNCHTIME, sessions=3))


def test_a_full_day_suspension_of_a_pupil_eligible_for_free_meals_needs_no_lunch_duty():
    assert K.FSM_LUNCH not in kinds(facts(sessions=4, fsm_eligible=True))


def test_a_lunchtime_suspension_misses_no_lessons_so_needs_no_work_or_sixth_day_duty():
    value = facts(kind=Suspension.Kind.LUNCHTIME, sessions=8)

    assert not {K.WORK_SET, K.SIXTH_DAY_PROVISION} & kinds(value)


def test_a_pupil_with_an_ehc_plan_prompts_the_senco_to_consider_an_early_review():
    duty = one(facts(has_ehc_plan=True), K.EHCP_REVIEW)

    assert (duty.owner_role, duty.due_date, duty.without_delay) == (Role.SENCO, RECORDED, True)
    assert K.EHCP_REVIEW not in kinds(facts())


def test_reaching_the_repeat_alert_prompts_a_pastoral_support_programme_by_the_return():
    alert = RepeatAlert(
        suspensions=3, sessions=9, since=date(2026, 4, 13), count_threshold=3, days_threshold=Decimal("10.0")
    )

    duty = one(facts(sessions=4, repeat_alert=alert), K.PASTORAL_SUPPORT)

    assert duty.owner_role == Role.PASTORAL_LEAD
    assert duty.due_date == date(2026, 11, 23)  # the return after two days from Thursday 19/11/2026
    assert duty.detail == (
        "Jordan has had 3 suspensions (4.5 days) since 13/04/2026, reaching the school's alert level of "
        "3 suspensions or 10 days: consider a pastoral support programme."
    )
    assert K.PASTORAL_SUPPORT not in kinds(facts(sessions=4))


# --- Cancellation --------------------------------------------------------------------------------------------


def test_a_cancelled_suspension_drops_the_duties_that_lapse_and_adds_the_notices_of_its_cancellation():
    alert = RepeatAlert(
        suspensions=3, sessions=30, since=date(2026, 9, 3), count_threshold=3, days_threshold=Decimal(10)
    )
    value = facts(
        kind=Suspension.Kind.SUSPENSION,
        sessions=14,
        term_sessions=32,
        fsm_eligible=True,
        has_ehc_plan=True,
        repeat_alert=alert,
        representations_received_on=date(2026, 11, 20),
        cancelled_on=date(2026, 11, 20),
    )

    assert kinds(value) == {
        K.PARENTS_TOLD,
        K.PARENTS_LETTER,
        K.LOCAL_AUTHORITY,
        K.GOVERNING_BOARD,
        K.EHCP_REVIEW,
    }
    assert kinds(value, Duty.About.CANCELLATION) == {K.PARENTS_LETTER, K.LOCAL_AUTHORITY, K.GOVERNING_BOARD}
    for kind in (K.PARENTS_LETTER, K.LOCAL_AUTHORITY, K.GOVERNING_BOARD):
        notice = one(value, kind, Duty.About.CANCELLATION)
        assert (notice.due_date, notice.without_delay) == (date(2026, 11, 20), True)
        assert notice.detail == "Tell them the suspension was cancelled and why."


def test_a_cancellation_is_notified_to_the_social_worker_and_virtual_school_head_where_relevant():
    value = facts(cancelled_on=date(2026, 11, 20), has_social_worker=True, looked_after=True)

    assert kinds(value, Duty.About.CANCELLATION) == {
        K.PARENTS_LETTER,
        K.LOCAL_AUTHORITY,
        K.GOVERNING_BOARD,
        K.SOCIAL_WORKER,
        K.VIRTUAL_SCHOOL_HEAD,
    }


def test_a_cancelled_permanent_exclusion_says_so():
    value = facts(kind=Suspension.Kind.PERMANENT, sessions=None, cancelled_on=date(2026, 11, 20))

    assert one(value, K.LOCAL_AUTHORITY, Duty.About.CANCELLATION).detail == (
        "Tell them the permanent exclusion was cancelled and why."
    )
    assert K.BOARD_CONSIDERATION not in kinds(value)


def test_every_detail_fits_the_field_even_for_the_longest_case():
    value = facts(
        pupil_name="Maximilian-Alexander",
        sessions=40,
        term_sessions=40,
        has_social_worker=True,
        looked_after=True,
        has_ehc_plan=True,
        misses_public_exam=True,
        exam_date=date(2026, 11, 30),
        repeat_alert=RepeatAlert(
            suspensions=12, sessions=81, since=date(2026, 4, 13), count_threshold=3, days_threshold=Decimal("10.5")
        ),
    )

    assert all(len(duty.detail) <= 300 for duty in required_duties(value, calendar=CALENDAR))


def test_the_parents_hear_of_the_sixth_day_provision_48_hours_ahead_by_default():
    duty = one(facts(start=date(2026, 11, 23), sessions=11), K.PROVISION_NOTICE)

    # Sixth day Monday 30/11/2026; 48 hours before is Saturday 28/11, so Friday 27/11/2026.
    assert duty.due_date == date(2026, 11, 27)
    assert duty.owner_role == Role.OFFICE
    assert "at least 48 hours before" in duty.detail


def test_the_schools_own_notice_setting_moves_the_provision_notice():
    duty = one(facts(start=date(2026, 11, 23), sessions=11, provision_notice_hours=96), K.PROVISION_NOTICE)

    assert duty.due_date == date(2026, 11, 26)  # four days before Monday 30/11/2026


def test_a_provision_notice_whose_time_has_passed_is_due_at_once():
    # Recorded on Wednesday 18/11/2026 for a suspension whose sixth day is Thursday 19/11: due on the day recorded.
    duty = one(facts(start=date(2026, 11, 12), sessions=12), K.PROVISION_NOTICE)

    assert duty.due_date == RECORDED


def test_a_five_day_suspension_needs_no_provision_notice():
    assert K.PROVISION_NOTICE not in kinds(facts(start=date(2026, 11, 23), sessions=10))

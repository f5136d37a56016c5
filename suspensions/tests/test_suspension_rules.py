"""The rules suspensions.services.suspension_record enforces, and the dates it computes from the calendar.

Calendar (conftest): autumn term 03/09/2026-18/12/2026 with half term 26-30/10/2026; spring from
04/01/2027; May Day bank holiday Monday 03/05/2027. Today is Wednesday 18/11/2026.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from plans.models import ReintegrationPlan
from schools.models import Role
from suspensions.models import ReasonCode, Suspension
from suspensions.selectors import pupil_suspension_summary
from suspensions.services import (
    ALREADY_CANCELLED,
    CANCEL_REASON_REQUIRED,
    DECIDED_BY_NOT_HEAD,
    FURTHER_MUST_FOLLOW,
    REASONS_COUNT,
    suspension_cancel,
)
from testsupport.factories import MembershipFactory
from testsupport.suspensions import cancel, record

TODAY = date(2026, 11, 18)


def refusal(**kwargs) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        record(**kwargs)
    return caught.value.message_dict


def row_counts() -> tuple[int, int]:
    return Suspension.objects.count(), ReintegrationPlan.objects.count()


# Who decides


def test_the_headteacher_can_decide_a_suspension(pupil, headteacher):
    suspension = record(pupil, start=date(2026, 11, 16), sessions=2, decided_by=headteacher)
    assert suspension.decided_by == headteacher
    assert suspension.decided_by_role == "Headteacher"


def test_an_acting_headteacher_can_decide_and_is_recorded_as_acting(pupil, school):
    acting = MembershipFactory(school=school, role=Role.HEADTEACHER, is_acting=True).user
    suspension = record(pupil, start=date(2026, 11, 16), sessions=2, decided_by=acting)
    assert suspension.decided_by_role == "Acting headteacher"


@pytest.mark.parametrize("persona", ["pastoral_lead", "senco", "office", "teacher"])
def test_only_a_headteacher_can_decide_so_other_staff_are_refused(persona, pupil, headteacher, request):
    other = request.getfixturevalue(persona)
    errors = refusal(pupil=pupil, start=date(2026, 11, 16), sessions=2, decided_by=other)
    assert errors["decided_by"] == [DECIDED_BY_NOT_HEAD]
    assert row_counts() == (0, 0)


def test_a_senior_leader_is_not_a_decision_maker(pupil, school, headteacher):
    senior = MembershipFactory(school=school, role=Role.SENIOR_LEADER).user
    errors = refusal(pupil=pupil, start=date(2026, 11, 16), sessions=2, decided_by=senior)
    assert errors["decided_by"] == [DECIDED_BY_NOT_HEAD]


def test_another_schools_headteacher_cannot_decide(pupil, headteacher, other_head):
    errors = refusal(pupil=pupil, start=date(2026, 11, 16), sessions=2, decided_by=other_head)
    assert errors["decided_by"] == [DECIDED_BY_NOT_HEAD]


# Reasons


def test_one_to_three_reasons_are_accepted(pupil, headteacher):
    one = record(pupil, start=date(2026, 11, 9), sessions=1, reasons=("DB",))
    three = record(pupil, start=date(2026, 11, 16), sessions=1, reasons=("DB", "VA", "DM"))
    assert [r.code for r in one.reasons.all()] == ["DB"]
    assert sorted(r.code for r in three.reasons.all()) == ["DB", "DM", "VA"]


@pytest.mark.parametrize("codes", [(), ("DB", "VA", "DM", "TH")])
def test_no_reasons_or_more_than_three_are_refused(codes, pupil, headteacher):
    errors = refusal(pupil=pupil, start=date(2026, 11, 16), sessions=2, reasons=codes)
    assert errors["reasons"] == [REASONS_COUNT]
    assert row_counts() == (0, 0)


def test_a_reason_no_longer_in_force_on_the_start_date_is_refused(pupil, headteacher):
    old = ReasonCode.objects.create(
        code="FX", description="Fictional withdrawn reason", valid_from=date(2012, 9, 1), valid_to=date(2020, 8, 31)
    )
    errors = refusal(pupil=pupil, start=date(2026, 11, 16), sessions=2, reasons=(old,))
    assert errors["reasons"] == ["The reason FX was not in force on 16/11/2026. Choose a current reason."]
    assert row_counts() == (0, 0)


# Return dates from the calendar


@pytest.mark.parametrize(
    ("start", "start_session", "sessions", "last_day", "return_date", "return_session"),
    [
        # one day from a Friday: back on Monday
        (date(2026, 11, 20), "am", 2, date(2026, 11, 20), date(2026, 11, 23), "am"),
        # two days from Thursday 22/10: Thursday and Friday, then half term, back Monday 02/11
        (date(2026, 10, 22), "am", 4, date(2026, 10, 23), date(2026, 11, 2), "am"),
        # one day on the last day of the autumn term: back on the first day of spring
        (date(2026, 12, 18), "am", 2, date(2026, 12, 18), date(2027, 1, 4), "am"),
        # one day on Friday 30/04/2027: Monday 03/05 is a bank holiday, back Tuesday
        (date(2027, 4, 30), "am", 2, date(2027, 4, 30), date(2027, 5, 4), "am"),
        # one afternoon: back the next school day in the morning
        (date(2026, 11, 18), "pm", 1, date(2026, 11, 18), date(2026, 11, 19), "am"),
        # three sessions from a morning: Monday all day and Tuesday morning, back Tuesday afternoon
        (date(2026, 11, 16), "am", 3, date(2026, 11, 17), date(2026, 11, 17), "pm"),
        # three sessions from an afternoon: Monday pm, Tuesday all day, back Wednesday morning
        (date(2026, 11, 16), "pm", 3, date(2026, 11, 17), date(2026, 11, 18), "am"),
    ],
)
def test_the_return_date_counts_school_days_only(
    pupil, headteacher, start, start_session, sessions, last_day, return_date, return_session
):
    suspension = record(pupil, start=start, sessions=sessions, start_session=start_session)
    assert suspension.last_day == last_day
    assert suspension.return_date == return_date
    assert suspension.return_session == return_session


def test_the_return_label_reads_as_staff_say_it(pupil, headteacher):
    suspension = record(pupil, start=date(2026, 10, 22), sessions=4)
    assert suspension.return_label == "Monday 02/11/2026, morning"
    assert suspension.days_label == "2 days"


def test_a_suspension_cannot_start_on_a_day_without_school(pupil, headteacher):
    errors = refusal(pupil=pupil, start=date(2026, 10, 27), sessions=2)  # half term
    assert errors["start_date"] == ["27/10/2026 is not a school day, so a suspension cannot start then."]
    assert row_counts() == (0, 0)


def test_a_suspension_running_past_the_last_known_term_asks_for_next_years_dates(pupil, headteacher):
    errors = refusal(pupil=pupil, start=date(2027, 7, 22), sessions=4)
    assert "Add the next term's dates" in errors["start_date"][0]
    assert row_counts() == (0, 0)


# Lunchtimes


def test_lunchtimes_count_as_half_days_and_the_pupil_is_back_the_next_school_day(pupil, headteacher):
    suspension = record(pupil, start=date(2026, 11, 16), sessions=4, kind=Suspension.Kind.LUNCHTIME)
    assert suspension.start_session == "pm"
    assert suspension.last_day == date(2026, 11, 19)
    assert (suspension.return_date, suspension.return_session) == (date(2026, 11, 20), "am")
    assert suspension.days_label == "4 lunchtimes"
    summary = pupil_suspension_summary(pupil, today=TODAY)
    assert summary.year_days == "2"
    assert summary.term_days == "2"


def test_a_lunchtime_suspension_ignores_a_morning_start(pupil, headteacher):
    suspension = record(pupil, start=date(2026, 11, 16), sessions=1, kind=Suspension.Kind.LUNCHTIME, start_session="am")
    assert suspension.occupied_sessions == [["2026-11-16", "pm"]]


def test_a_lunchtime_on_a_day_already_suspended_overlaps(pupil, headteacher):
    record(pupil, start=date(2026, 11, 16), sessions=2)
    errors = refusal(pupil=pupil, start=date(2026, 11, 16), sessions=1, kind=Suspension.Kind.LUNCHTIME)
    assert "overlaps the suspension from 16/11/2026" in errors["start_date"][0]


# The 45-day cap (90 sessions in a school year)


def test_44_and_a_half_days_plus_one_session_reaches_45_and_is_allowed(pupil, headteacher):
    record(pupil, start=date(2026, 9, 3), sessions=89)
    record(pupil, start=date(2026, 11, 18), sessions=1)
    summary = pupil_suspension_summary(pupil, today=TODAY)
    assert summary.year_days == "45"
    assert summary.cap_remaining_days == "0"
    assert summary.near_cap


def test_45_days_plus_one_session_is_refused_with_the_figures(pupil, headteacher):
    record(pupil, start=date(2026, 9, 3), sessions=90)
    before = row_counts()
    errors = refusal(pupil=pupil, start=date(2026, 11, 18), sessions=1)
    assert errors["sessions"] == [
        f"This would take {pupil.display_name} to 45.5 school days of suspension in 2026/27, over the limit of 45. "
        "They have 45 days so far, so no more than 0 days can be given."
    ]
    assert row_counts() == before


def test_44_days_plus_three_sessions_is_refused(pupil, headteacher):
    record(pupil, start=date(2026, 9, 3), sessions=88)
    before = row_counts()
    errors = refusal(pupil=pupil, start=date(2026, 11, 18), sessions=3)
    assert "to 45.5 school days" in errors["sessions"][0]
    assert "They have 44 days so far, so no more than 1 days can be given." in errors["sessions"][0]
    assert row_counts() == before


def test_a_cancelled_suspension_does_not_count_towards_the_cap(pupil, headteacher):
    cancel(record(pupil, start=date(2026, 9, 3), sessions=90))
    suspension = record(pupil, start=date(2026, 11, 18), sessions=2)
    assert suspension.pk is not None


def test_a_suspension_last_school_year_does_not_count_towards_this_years_cap(pupil, school, headteacher):
    from schools.services import academic_year_create

    academic_year_create(school=school, start_year=2025)
    record(pupil, start=date(2026, 3, 2), sessions=90)
    suspension = record(pupil, start=date(2026, 11, 18), sessions=2)
    summary = pupil_suspension_summary(pupil, today=TODAY)
    assert suspension.pk is not None
    assert summary.year_days == "1"


# Overlaps and further suspensions


def test_an_overlapping_suspension_is_refused_and_nothing_is_saved(pupil, headteacher):
    record(pupil, start=date(2026, 11, 16), sessions=4)  # Monday and Tuesday
    before = row_counts()
    errors = refusal(pupil=pupil, start=date(2026, 11, 17), sessions=2)
    assert errors["start_date"] == [
        "This overlaps the suspension from 16/11/2026 (returning Wednesday 18/11/2026, morning). "
        "A pupil cannot be suspended twice at once."
    ]
    assert row_counts() == before


def test_a_suspension_starting_on_the_return_date_does_not_overlap(pupil, headteacher):
    record(pupil, start=date(2026, 11, 16), sessions=4)
    assert record(pupil, start=date(2026, 11, 18), sessions=2).pk is not None


def test_a_further_suspension_must_start_on_or_after_the_earlier_return(pupil, headteacher):
    earlier = record(pupil, start=date(2026, 11, 16), sessions=3)  # back Tuesday 17/11 afternoon
    errors = refusal(pupil=pupil, start=date(2026, 11, 16), sessions=1, start_session="pm", follows=earlier)
    assert FURTHER_MUST_FOLLOW.format(day="17/11/2026") in errors["start_date"]


def test_a_further_suspension_from_the_return_is_recorded_against_the_earlier_one(pupil, headteacher):
    earlier = record(pupil, start=date(2026, 11, 16), sessions=3)
    further = record(pupil, start=date(2026, 11, 17), start_session="pm", sessions=2, follows=earlier)
    assert further.follows == earlier
    assert list(earlier.further_suspensions.all()) == [further]
    assert hasattr(further, "plan")


# Plans and permanent exclusions


def test_a_suspension_gets_a_draft_reintegration_plan(pupil, headteacher):
    suspension = record(pupil, start=date(2026, 11, 16), sessions=2)
    plan = ReintegrationPlan.objects.get(suspension=suspension)
    assert plan.status == ReintegrationPlan.Status.DRAFT
    assert plan.pupil == pupil
    assert plan.strategy == ""


def test_a_permanent_exclusion_has_no_length_no_return_and_no_plan(pupil, headteacher):
    exclusion = record(pupil, start=date(2026, 11, 18), sessions=None, kind=Suspension.Kind.PERMANENT)
    assert exclusion.sessions is None
    assert exclusion.return_date is None
    assert exclusion.days_label == "Permanent"
    assert not ReintegrationPlan.objects.filter(suspension=exclusion).exists()
    assert pupil_suspension_summary(pupil, today=TODAY).year_days == "0"


def test_a_suspension_without_a_length_is_refused(pupil, headteacher):
    errors = refusal(pupil=pupil, start=date(2026, 11, 18), sessions=None)
    assert "sessions" in errors
    assert row_counts() == (0, 0)


# Cancelling


def test_cancelled_suspensions_are_listed_but_not_counted(pupil, headteacher):
    kept = record(pupil, start=date(2026, 11, 9), sessions=2)
    cancelled = cancel(record(pupil, start=date(2026, 11, 16), sessions=4))
    summary = pupil_suspension_summary(pupil, today=TODAY)
    assert summary.year_days == "1"
    assert summary.term_days == "1"
    assert {s.pk for s in summary.this_term} == {kept.pk, cancelled.pk}


def test_cancelling_keeps_the_record_and_the_plan(pupil, headteacher):
    suspension = record(pupil, start=date(2026, 11, 16), sessions=4)
    cancel(suspension, by=headteacher, reason="The pupil was not involved.")
    suspension.refresh_from_db()
    assert suspension.status == Suspension.Status.CANCELLED
    assert suspension.cancellation_reason == "The pupil was not involved."
    assert suspension.cancelled_by == headteacher
    assert suspension.return_date == date(2026, 11, 18)
    assert ReintegrationPlan.objects.filter(suspension=suspension).exists()


def test_cancelling_twice_is_refused(pupil, headteacher):
    suspension = cancel(record(pupil, start=date(2026, 11, 16), sessions=4))
    with pytest.raises(ValidationError) as caught:
        suspension_cancel(suspension=suspension, cancelled_by=headteacher, reason="Again", now=timezone.now())
    assert caught.value.messages == [ALREADY_CANCELLED]


def test_cancelling_without_reasons_is_refused_and_changes_nothing(pupil, headteacher):
    suspension = record(pupil, start=date(2026, 11, 16), sessions=4)
    with pytest.raises(ValidationError) as caught:
        suspension_cancel(suspension=suspension, cancelled_by=headteacher, reason="   ", now=timezone.now())
    assert caught.value.message_dict == {"reason": [CANCEL_REASON_REQUIRED]}
    suspension.refresh_from_db()
    assert suspension.status == Suspension.Status.CONFIRMED

"""Keeping a suspension's Duty rows in step with the rules (duties.services.duties_sync).

Today is Wednesday 18/11/2026 (frozen in conftest). Suspensions are recorded through the real service, which
syncs their duties in the same transaction.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from duties.models import BoardConsideration, Duty
from duties.services import (
    EVIDENCE_REQUIRED_PROVISION,
    REASON_REQUIRED,
    duties_sync,
    duty_complete,
    duty_mark_not_needed,
)
from suspensions.models import Suspension
from suspensions.services import suspension_record
from testsupport.factories import PupilFactory
from testsupport.suspensions import cancel, reason_codes, record

pytestmark = pytest.mark.django_db

K = Duty.Kind
TODAY = date(2026, 11, 18)
LONDON = ZoneInfo("Europe/London")
BASE = {K.PARENTS_TOLD, K.PARENTS_LETTER, K.LOCAL_AUTHORITY, K.GOVERNING_BOARD, K.WORK_SET}


def snapshot(suspension: Suspension) -> list[tuple]:
    return list(
        Duty.objects.filter(suspension=suspension)
        .order_by("pk")
        .values_list("pk", "kind", "about", "due_date", "without_delay", "owner_role", "detail", "status", "evidence")
    )


def kinds(suspension: Suspension, *, status: str = Duty.Status.OPEN, about: str = Duty.About.SUSPENSION) -> set[str]:
    return set(Duty.objects.filter(suspension=suspension, status=status, about=about).values_list("kind", flat=True))


def duty(suspension: Suspension, kind: str, about: str = Duty.About.SUSPENSION) -> Duty:
    return Duty.objects.get(suspension=suspension, kind=kind, about=about)


def sync(suspension: Suspension) -> list[Duty]:
    return duties_sync(suspension=suspension, today=TODAY)


def done(item: Duty, by) -> Duty:
    return duty_complete(
        duty=item,
        done_by=by,
        done_at=datetime(2026, 11, 18, 9, 30, tzinfo=LONDON),
        method=Duty.Method.PHONE,
        evidence="Spoke to Ms Ashby (mother).",
    )


# --- Recording creates the duties --------------------------------------------------------------------------


def test_recording_a_two_day_suspension_creates_its_duties_with_due_dates(pupil, headteacher):
    suspension = record(pupil, start=date(2026, 11, 19), sessions=4)

    assert kinds(suspension) == BASE
    assert duty(suspension, K.PARENTS_TOLD).due_date == TODAY
    assert duty(suspension, K.PARENTS_TOLD).without_delay
    assert duty(suspension, K.WORK_SET).due_date == date(2026, 11, 19)
    item = duty(suspension, K.LOCAL_AUTHORITY)
    assert (item.school, item.pupil, item.owner_role) == (pupil.school, pupil, "office")


def test_duties_sync_returns_the_suspensions_duties_soonest_first(pupil, headteacher):
    suspension = record(pupil, start=date(2026, 11, 19), sessions=12)

    returned = sync(suspension)

    assert [d.due_date for d in returned] == sorted(d.due_date for d in returned)
    assert {d.kind for d in returned} == BASE | {K.SIXTH_DAY_PROVISION, K.PROVISION_NOTICE}


def test_the_pupils_flags_add_their_duties(school, headteacher):
    pupil = PupilFactory(school=school, has_social_worker=True, looked_after=True, sen_status="E", fsm_eligible=True)

    suspension = record(pupil, start=date(2026, 11, 19), sessions=3, kind=Suspension.Kind.LUNCHTIME)

    assert kinds(suspension) == {
        K.PARENTS_TOLD,
        K.PARENTS_LETTER,
        K.LOCAL_AUTHORITY,
        K.GOVERNING_BOARD,
        K.SOCIAL_WORKER,
        K.VIRTUAL_SCHOOL_HEAD,
        K.EHCP_REVIEW,
        K.FSM_LUNCH,
    }


def test_a_permanent_exclusion_needs_the_board_and_work_for_its_first_five_school_days(pupil, headteacher):
    exclusion = record(pupil, start=date(2026, 11, 19), sessions=None, kind=Suspension.Kind.PERMANENT)

    assert kinds(exclusion) == BASE | {K.BOARD_CONSIDERATION}
    assert "19/11/2026, 20/11/2026, 23/11/2026, 24/11/2026, 25/11/2026" in duty(exclusion, K.WORK_SET).detail
    assert duty(exclusion, K.BOARD_CONSIDERATION).due_date == date(2026, 12, 9)


def test_a_missed_exam_entered_on_the_suspension_brings_the_board_forward(pupil, headteacher):
    suspension = suspension_record(
        pupil=pupil,
        kind=Suspension.Kind.SUSPENSION,
        start_date=date(2026, 11, 26),
        sessions=2,
        reasons=reason_codes(["DB"], on=date(2026, 11, 26)),
        incident_summary="Fictional: refused to hand over a phone in the exam hall.",
        decided_by=headteacher,
        recorded_by=headteacher,
        misses_public_exam=True,
        exam_date=date(2026, 11, 26),
    )

    board = duty(suspension, K.BOARD_CONSIDERATION)
    assert board.due_date == date(2026, 11, 25)  # the school day before the exam
    assert "would miss a public examination" in board.detail


# --- Idempotent, and never touching what people recorded ----------------------------------------------------


def test_syncing_twice_changes_nothing(pupil, headteacher):
    pupil.has_social_worker = True
    pupil.save()
    first = record(pupil, start=date(2026, 11, 19), sessions=12)
    record(pupil, start=date(2026, 11, 30), sessions=22)
    before = snapshot(first)

    sync(first)
    sync(first)

    assert snapshot(first) == before
    assert Duty.objects.filter(suspension=first, kind=K.BOARD_CONSIDERATION).count() == 1


def test_a_duty_recorded_as_done_is_never_changed_by_a_sync(pupil, headteacher):
    first = record(pupil, start=date(2026, 11, 19), sessions=12)
    record(pupil, start=date(2026, 11, 30), sessions=22)
    work = done(duty(first, K.WORK_SET), headteacher)
    board = done(duty(first, K.BOARD_CONSIDERATION), headteacher)
    before = [(d.pk, d.due_date, d.detail) for d in (work, board)]

    cancel(first)
    sync(first)

    for item in (work, board):
        item.refresh_from_db()
        assert item.status == Duty.Status.DONE
        assert item.evidence == "Spoke to Ms Ashby (mother)."
    assert [(d.pk, d.due_date, d.detail) for d in (work, board)] == before
    assert duty(first, K.SIXTH_DAY_PROVISION).status == Duty.Status.NOT_NEEDED  # still open, so it lapsed


def test_a_change_to_the_pupils_flags_is_picked_up_on_the_next_sync(pupil, headteacher):
    suspension = record(pupil, start=date(2026, 11, 19), sessions=4)
    pupil.looked_after = True
    pupil.save()

    sync(suspension)

    assert K.VIRTUAL_SCHOOL_HEAD in kinds(suspension)


def test_an_open_duty_whose_need_has_gone_is_closed_with_the_reason(pupil, headteacher):
    pupil.has_social_worker = True
    pupil.save()
    suspension = record(pupil, start=date(2026, 11, 19), sessions=4)
    pupil.has_social_worker = False
    pupil.save()

    sync(suspension)

    closed = duty(suspension, K.SOCIAL_WORKER)
    assert closed.status == Duty.Status.NOT_NEEDED
    assert closed.done_by is None
    assert closed.evidence.startswith("No longer required from 18/11/2026")


# --- A second suspension changes the first's term total ------------------------------------------------------


def test_a_second_suspension_that_takes_the_term_over_15_days_adds_the_board_to_both(pupil, headteacher):
    first = record(pupil, start=date(2026, 11, 19), sessions=12)  # 6 days
    assert K.BOARD_CONSIDERATION not in kinds(first)

    second = record(pupil, start=date(2026, 11, 30), sessions=20)  # 10 more: 16 days this term

    for suspension in (first, second):
        board = duty(suspension, K.BOARD_CONSIDERATION)
        assert board.detail.startswith("Jordan's suspensions this term total 16 days, over 15")
        assert board.due_date == date(2026, 12, 9)
    assert Duty.objects.filter(kind=K.BOARD_CONSIDERATION).count() == 2


def test_a_term_total_of_exactly_15_days_adds_no_board_duty(pupil, headteacher):
    first = record(pupil, start=date(2026, 11, 19), sessions=12)
    second = record(pupil, start=date(2026, 11, 30), sessions=18)  # 15 days this term

    assert not Duty.objects.filter(suspension__in=[first, second], kind=K.BOARD_CONSIDERATION).exists()


def test_a_suspension_in_another_term_does_not_count_towards_this_terms_total(pupil, headteacher):
    record(pupil, start=date(2026, 11, 19), sessions=12)
    later = record(pupil, start=date(2027, 1, 11), sessions=20)

    assert K.BOARD_CONSIDERATION not in kinds(later)


# --- Cancellation --------------------------------------------------------------------------------------------


def test_cancelling_closes_the_duties_that_lapse_and_adds_the_notices_of_the_cancellation(school, headteacher):
    pupil = PupilFactory(school=school, legal_first_name="Jordan", has_social_worker=True)
    suspension = record(pupil, start=date(2026, 11, 19), sessions=12)

    cancel(suspension)

    for kind in (K.WORK_SET, K.SIXTH_DAY_PROVISION):
        lapsed = duty(suspension, kind)
        assert lapsed.status == Duty.Status.NOT_NEEDED
        assert lapsed.evidence == "The suspension was cancelled on 18/11/2026."
    assert kinds(suspension) == {
        K.PARENTS_TOLD,
        K.PARENTS_LETTER,
        K.LOCAL_AUTHORITY,
        K.GOVERNING_BOARD,
        K.SOCIAL_WORKER,
    }
    assert kinds(suspension, about=Duty.About.CANCELLATION) == {
        K.PARENTS_LETTER,
        K.LOCAL_AUTHORITY,
        K.GOVERNING_BOARD,
        K.SOCIAL_WORKER,
    }
    notice = duty(suspension, K.LOCAL_AUTHORITY, Duty.About.CANCELLATION)
    assert (notice.due_date, notice.without_delay) == (TODAY, True)
    assert notice.detail == "Tell them the suspension was cancelled and why."


def test_cancelling_one_suspension_takes_the_board_duty_off_the_other_when_the_total_falls(pupil, headteacher):
    first = record(pupil, start=date(2026, 11, 19), sessions=12)
    second = record(pupil, start=date(2026, 11, 30), sessions=20)

    cancel(second)

    board = duty(first, K.BOARD_CONSIDERATION)
    assert board.status == Duty.Status.NOT_NEEDED
    assert board.evidence == "No longer required from 18/11/2026: Jordan's suspensions this term now total 6 days."
    assert duty(second, K.BOARD_CONSIDERATION).evidence == "The suspension was cancelled on 18/11/2026."


def test_a_duty_the_engine_closed_opens_again_when_it_is_needed_again(pupil, headteacher):
    first = record(pupil, start=date(2026, 11, 19), sessions=12)
    second = record(pupil, start=date(2026, 11, 30), sessions=20)
    cancel(second)

    record(pupil, start=date(2026, 12, 7), sessions=20)

    board = duty(first, K.BOARD_CONSIDERATION)
    assert board.status == Duty.Status.OPEN
    assert board.evidence == ""
    assert "total 16 days" in board.detail
    assert Duty.objects.filter(suspension=first, kind=K.BOARD_CONSIDERATION).count() == 1


def test_a_duty_a_person_marked_as_not_needed_stays_so(pupil, headteacher):
    pupil.has_social_worker = True
    pupil.save()
    suspension = record(pupil, start=date(2026, 11, 19), sessions=4)
    duty_mark_not_needed(duty=duty(suspension, K.SOCIAL_WORKER), by=headteacher, reason="Case closed last week.")

    sync(suspension)

    item = duty(suspension, K.SOCIAL_WORKER)
    assert item.status == Duty.Status.NOT_NEEDED
    assert item.evidence == "Case closed last week."


# --- The governing board's notice and the parents' representations --------------------------------------------


def test_the_boards_recorded_notice_date_moves_its_deadline(pupil, headteacher):
    suspension = record(pupil, start=date(2026, 11, 19), sessions=32)
    BoardConsideration.objects.create(suspension=suspension, notified_on=date(2026, 11, 23), recorded_by=headteacher)

    sync(suspension)

    board = duty(suspension, K.BOARD_CONSIDERATION)
    assert board.due_date == date(2026, 12, 14)
    assert "of the notice on 23/11/2026" in board.detail


def test_representations_in_the_middle_band_add_a_50_school_day_duty(pupil, headteacher):
    suspension = record(pupil, start=date(2026, 11, 19), sessions=11)  # 5.5 days
    assert K.BOARD_REPRESENTATIONS not in kinds(suspension)
    BoardConsideration.objects.create(
        suspension=suspension,
        notified_on=date(2026, 11, 18),
        representations_received_on=date(2026, 11, 20),
        recorded_by=headteacher,
    )

    sync(suspension)

    # 50 school days from the board's notice on 18/11/2026, not from the representations.
    assert duty(suspension, K.BOARD_REPRESENTATIONS).due_date == date(2027, 2, 10)


# --- Repeated suspensions -----------------------------------------------------------------------------------


def test_the_suspension_that_reaches_the_repeat_alert_gets_the_pastoral_support_prompt_once(pupil, headteacher):
    first = record(pupil, start=date(2026, 11, 2), sessions=2)
    second = record(pupil, start=date(2026, 11, 9), sessions=2)
    third = record(pupil, start=date(2026, 11, 19), sessions=2)
    fourth = record(pupil, start=date(2026, 11, 26), sessions=2)

    assert [K.PASTORAL_SUPPORT in kinds(s) for s in (first, second, third, fourth)] == [False, False, True, False]
    prompt = duty(third, K.PASTORAL_SUPPORT)
    assert prompt.detail == (
        "Jordan has had 3 suspensions (3 days) since 03/09/2026, reaching the school's alert level of "
        "3 suspensions or 10 days: consider a pastoral support programme."
    )
    assert prompt.due_date == date(2026, 11, 20)  # the return from the third


def test_ten_days_reach_the_repeat_alert_on_their_own(pupil, headteacher):
    first = record(pupil, start=date(2026, 11, 2), sessions=9)
    second = record(pupil, start=date(2026, 11, 19), sessions=11)  # 4.5 + 5.5 = 10 days

    assert K.PASTORAL_SUPPORT not in kinds(first)
    assert "(10 days)" in duty(second, K.PASTORAL_SUPPORT).detail


def test_the_schools_own_thresholds_are_used(school, pupil, headteacher):
    school.repeat_alert_suspensions = 2
    school.save()
    record(pupil, start=date(2026, 11, 2), sessions=2)
    second = record(pupil, start=date(2026, 11, 19), sessions=2)

    assert "alert level of 2 suspensions or 10 days" in duty(second, K.PASTORAL_SUPPORT).detail


# --- Only this pupil, this school ---------------------------------------------------------------------------


def test_syncing_one_pupil_leaves_other_pupils_duties_alone(school, pupil, headteacher):
    other = PupilFactory(school=school)
    theirs = record(other, start=date(2026, 11, 19), sessions=32)
    before = snapshot(theirs)

    record(pupil, start=date(2026, 11, 19), sessions=32)

    assert snapshot(theirs) == before


# --- Recording a duty as done, or not needed -----------------------------------------------------------------


def test_completing_a_duty_records_when_by_whom_how_and_the_evidence(pupil, headteacher):
    suspension = record(pupil, start=date(2026, 11, 19), sessions=4)

    completed = done(duty(suspension, K.PARENTS_TOLD), headteacher)

    completed.refresh_from_db()
    assert completed.status == Duty.Status.DONE
    assert completed.done_by == headteacher
    assert completed.done_at == datetime(2026, 11, 18, 9, 30, tzinfo=LONDON)
    assert completed.method == Duty.Method.PHONE


def test_sixth_day_provision_cannot_be_completed_without_the_provider_address_and_times(pupil, headteacher):
    suspension = record(pupil, start=date(2026, 11, 19), sessions=12)
    provision = duty(suspension, K.SIXTH_DAY_PROVISION)

    with pytest.raises(ValidationError) as refused:
        duty_complete(duty=provision, done_by=headteacher, done_at=datetime.now(LONDON), method="other", evidence=" ")

    assert refused.value.message_dict == {"evidence": [EVIDENCE_REQUIRED_PROVISION]}
    provision.refresh_from_db()
    assert provision.status == Duty.Status.OPEN


def test_a_duty_cannot_be_completed_twice(pupil, headteacher):
    suspension = record(pupil, start=date(2026, 11, 19), sessions=4)
    item = duty(suspension, K.PARENTS_TOLD)
    done(item, headteacher)

    with pytest.raises(ValidationError, match="already been recorded as done"):
        done(item, headteacher)


def test_marking_a_duty_not_needed_requires_a_reason(pupil, headteacher):
    suspension = record(pupil, start=date(2026, 11, 19), sessions=4)
    item = duty(suspension, K.PARENTS_TOLD)

    with pytest.raises(ValidationError) as refused:
        duty_mark_not_needed(duty=item, by=headteacher, reason="  ")

    assert refused.value.message_dict == {"reason": [REASON_REQUIRED]}
    item.refresh_from_db()
    assert item.status == Duty.Status.OPEN

"""Part-time timetables: exceptional, agreed in writing, time-limited, reviewed every two weeks, never for behaviour.

The default plan's suspension (testsupport.plans) returns on Wednesday 11/11/2026; today is Wednesday 18/11/2026.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from conftest import client_for
from duties.models import Duty
from duties.services import duty_complete
from plans import part_time
from plans.models import PartTimeTimetable, ReintegrationPlan
from schools.models import Role
from testsupport.factories import PupilFactory
from testsupport.plans import active_plan, draft_plan, page_html, page_text, record_review

LONDON = ZoneInfo("Europe/London")
ARRANGEMENTS = "Mornings only, in the learning support base, while the pupil's anxiety about lessons is assessed."


def record(plan, user, **overrides) -> PartTimeTimetable:
    fields = {
        "start_date": date(2026, 11, 23),
        "end_date": date(2026, 12, 4),
        "arrangements": ARRANGEMENTS,
        "parents_agreed_on": date(2026, 11, 17),
        "not_for_behaviour_confirmed": True,
        "recorded_by": user,
    }
    fields.update(overrides)
    return part_time.part_time_timetable_record(plan=plan, **fields)


def refusal(plan, user, **overrides) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        record(plan, user, **overrides)
    return caught.value.message_dict


def reviews(timetable=None) -> list[Duty]:
    found = Duty.objects.filter(kind=Duty.Kind.PART_TIME_REVIEW).order_by("due_date")
    if timetable is not None:
        found = found.filter(part_time_timetable=timetable)
    return list(found)


def saved() -> tuple[int, int]:
    return PartTimeTimetable.objects.count(), Duty.objects.filter(kind=Duty.Kind.PART_TIME_REVIEW).count()


@pytest.fixture
def plan(pupil, headteacher):
    return active_plan(pupil, headteacher)


# --- The rules ---------------------------------------------------------------------------------------------


def test_a_timetable_is_recorded_with_its_dates_arrangements_and_the_parents_agreement(plan, pastoral_lead):
    timetable = record(plan, pastoral_lead)
    timetable.refresh_from_db()
    assert (timetable.start_date, timetable.end_date) == (date(2026, 11, 23), date(2026, 12, 4))
    assert timetable.arrangements == ARRANGEMENTS
    assert timetable.parents_agreed_on == date(2026, 11, 17)
    assert timetable.not_for_behaviour_confirmed is True
    assert timetable.recorded_by == pastoral_lead
    assert timetable.ended_on is None


def test_without_the_confirmation_that_it_is_not_for_behaviour_it_is_refused_citing_the_guidance(plan, headteacher):
    errors = refusal(plan, headteacher, not_for_behaviour_confirmed=False)
    assert errors == {"not_for_behaviour_confirmed": [part_time.NOT_FOR_BEHAVIOUR_REQUIRED]}
    assert "should not be used to manage a pupil's behaviour" in errors["not_for_behaviour_confirmed"][0]
    assert saved() == (0, 0)


@pytest.mark.parametrize("end", [date(2026, 11, 23), date(2026, 11, 20)], ids=["same-day", "before"])
def test_an_end_date_not_after_the_start_is_refused(end, plan, headteacher):
    errors = refusal(plan, headteacher, end_date=end)
    assert errors == {"end_date": ["The end date must be after the start date (23/11/2026)."]}
    assert saved() == (0, 0)


def test_a_missing_end_date_is_refused_because_it_must_be_time_limited(plan, headteacher):
    errors = refusal(plan, headteacher, end_date=None)
    assert errors == {"end_date": [part_time.END_REQUIRED]}


def test_a_start_before_the_return_is_refused(plan, headteacher):
    errors = refusal(plan, headteacher, start_date=date(2026, 11, 10), parents_agreed_on=date(2026, 11, 9))
    assert errors == {"start_date": ["The timetable cannot start before the pupil returns on 11/11/2026."]}


def test_arrangements_are_required(plan, headteacher):
    errors = refusal(plan, headteacher, arrangements="   ")
    assert errors == {"arrangements": [part_time.ARRANGEMENTS_REQUIRED]}


def test_a_parents_agreement_dated_in_the_future_is_refused(plan, headteacher):
    errors = refusal(plan, headteacher, parents_agreed_on=date(2026, 11, 19))
    assert errors == {"parents_agreed_on": [part_time.AGREED_IN_FUTURE]}
    assert saved() == (0, 0)


def test_a_parents_agreement_dated_today_is_accepted(plan, headteacher):
    assert record(plan, headteacher, parents_agreed_on=date(2026, 11, 18)).pk is not None


def test_a_missing_parents_agreement_is_refused(plan, headteacher):
    errors = refusal(plan, headteacher, parents_agreed_on=None)
    assert errors == {"parents_agreed_on": [part_time.AGREED_REQUIRED]}


def test_the_parents_must_agree_before_the_timetable_starts(plan, headteacher):
    errors = refusal(plan, headteacher, start_date=date(2026, 11, 12), parents_agreed_on=date(2026, 11, 16))
    assert errors == {
        "parents_agreed_on": [
            "The parents must agree before the timetable starts: the agreement must be on or before 12/11/2026."
        ]
    }


def test_a_timetable_overlapping_another_on_the_same_plan_is_refused(plan, headteacher):
    record(plan, headteacher)  # 23/11/2026 to 04/12/2026
    before = saved()
    errors = refusal(plan, headteacher, start_date=date(2026, 12, 4), end_date=date(2026, 12, 11))
    assert errors == {
        "start_date": [
            "This overlaps the part-time timetable from 23/11/2026 to 04/12/2026. "
            "End that one first, or choose dates after 04/12/2026."
        ]
    }
    assert saved() == before


def test_a_timetable_starting_after_another_ends_is_accepted(plan, headteacher):
    record(plan, headteacher)
    later = record(plan, headteacher, start_date=date(2026, 12, 7), end_date=date(2026, 12, 18))
    assert later.pk is not None


def test_a_timetable_ended_early_no_longer_blocks_the_days_after_its_end(plan, headteacher):
    first = record(plan, headteacher, end_date=date(2026, 12, 18))
    part_time.part_time_timetable_end(timetable=first, ended_on=date(2026, 11, 27), by=headteacher)
    refused = refusal(plan, headteacher, start_date=date(2026, 11, 27), end_date=date(2026, 12, 4))
    assert "from 23/11/2026 to 27/11/2026" in refused["start_date"][0]
    assert record(plan, headteacher, start_date=date(2026, 11, 30), end_date=date(2026, 12, 11)).pk is not None


def test_another_plans_timetable_does_not_count_as_an_overlap(plan, school, headteacher):
    other = active_plan(PupilFactory(school=school), headteacher)
    record(other, headteacher)
    assert record(plan, headteacher).pk is not None


@pytest.mark.parametrize(
    ("status", "message"),
    [("draft", part_time.PLAN_DRAFT), ("closed", part_time.PLAN_CLOSED)],
)
def test_a_draft_or_closed_plan_cannot_have_a_part_time_timetable(status, message, pupil, headteacher):
    if status == "draft":
        plan = draft_plan(pupil, headteacher)
    else:
        plan = active_plan(pupil, headteacher)
        record_review(plan, headteacher, decision="close", outcome="achieved", next_review_date=None)
        plan.refresh_from_db()
        assert plan.status == ReintegrationPlan.Status.CLOSED
    with pytest.raises(ValidationError) as caught:
        record(plan, headteacher)
    assert caught.value.messages == [message]
    assert saved() == (0, 0)


# --- Review duties every 14 days ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("end", "expected"),
    [
        # 10 days: no fortnightly review falls inside it, so one review on the last day.
        (date(2026, 12, 3), [date(2026, 12, 3)]),
        # 14 days exactly: the fortnightly review is on the end date, and no second one is added.
        (date(2026, 12, 7), [date(2026, 12, 7)]),
        # 15 days: the fortnightly review, then one on the end date.
        (date(2026, 12, 8), [date(2026, 12, 7), date(2026, 12, 8)]),
        # 28 days exactly: two fortnightly reviews, the second on the end date.
        (date(2026, 12, 21), [date(2026, 12, 7), date(2026, 12, 21)]),
        # 29 days: two fortnightly reviews and the end date.
        (date(2026, 12, 22), [date(2026, 12, 7), date(2026, 12, 21), date(2026, 12, 22)]),
    ],
    ids=["10-days", "14-days", "15-days", "28-days", "29-days"],
)
def test_a_review_is_due_every_14_days_from_the_start_up_to_the_end(end, expected, plan, headteacher):
    timetable = record(plan, headteacher, end_date=end)
    assert [duty.due_date for duty in reviews(timetable)] == expected


def test_each_review_is_an_open_task_for_the_pastoral_lead_about_the_pupil(plan, headteacher):
    timetable = record(plan, headteacher, end_date=date(2026, 12, 21))
    for duty in reviews(timetable):
        assert duty.kind == Duty.Kind.PART_TIME_REVIEW
        assert duty.status == Duty.Status.OPEN
        assert duty.owner_role == Role.PASTORAL_LEAD
        assert (duty.school, duty.pupil) == (plan.school, plan.pupil)
        assert duty.suspension is None
        assert duty.without_delay is False
        assert duty.detail == "Review the part-time timetable with the pupil and parents (at least every two weeks)."


# --- Ending early -------------------------------------------------------------------------------------------


@pytest.fixture
def long_timetable(plan, headteacher):
    """23/11/2026 to 18/01/2027: reviews on 07/12, 21/12, 04/01 and 18/01."""
    return record(plan, headteacher, end_date=date(2027, 1, 18))


def test_ending_early_marks_the_later_reviews_no_longer_needed(long_timetable, headteacher, frozen_time):
    frozen_time.move_to(datetime(2026, 12, 10, 9, 0, tzinfo=LONDON))
    part_time.part_time_timetable_end(timetable=long_timetable, ended_on=date(2026, 12, 11), by=headteacher)
    long_timetable.refresh_from_db()
    assert long_timetable.ended_on == date(2026, 12, 11)
    statuses = {duty.due_date: (duty.status, duty.evidence) for duty in reviews(long_timetable)}
    assert statuses == {
        date(2026, 12, 7): (Duty.Status.OPEN, ""),
        date(2026, 12, 21): (Duty.Status.NOT_NEEDED, "The timetable ended on 11/12/2026."),
        date(2027, 1, 4): (Duty.Status.NOT_NEEDED, "The timetable ended on 11/12/2026."),
        date(2027, 1, 18): (Duty.Status.NOT_NEEDED, "The timetable ended on 11/12/2026."),
    }


def test_a_review_due_on_the_last_day_is_still_needed(long_timetable, headteacher):
    part_time.part_time_timetable_end(timetable=long_timetable, ended_on=date(2026, 12, 21), by=headteacher)
    still_open = [duty.due_date for duty in reviews(long_timetable) if duty.status == Duty.Status.OPEN]
    assert still_open == [date(2026, 12, 7), date(2026, 12, 21)]


def test_ending_early_never_changes_a_review_already_done(long_timetable, headteacher):
    done = duty_complete(
        duty=Duty.objects.get(part_time_timetable=long_timetable, due_date=date(2027, 1, 4)),
        done_by=headteacher,
        done_at=timezone.now(),
        method=Duty.Method.MEETING,
        evidence="Reviewed early with the family.",
    )
    part_time.part_time_timetable_end(timetable=long_timetable, ended_on=date(2026, 12, 11), by=headteacher)
    done.refresh_from_db()
    assert (done.status, done.evidence) == (Duty.Status.DONE, "Reviewed early with the family.")


@pytest.mark.parametrize(
    ("ended_on", "message"),
    [
        (date(2026, 11, 20), "The timetable cannot end before it starts on 23/11/2026."),
        (
            date(2027, 1, 18),
            "The timetable is already due to end on 18/01/2027. To end it early, choose a date before that.",
        ),
        (
            date(2027, 1, 25),
            "The timetable is already due to end on 18/01/2027. To end it early, choose a date before that.",
        ),
        (None, part_time.ENDED_ON_REQUIRED),
    ],
    ids=["before-start", "on-the-end-date", "after-the-end-date", "missing"],
)
def test_an_end_outside_the_timetable_is_refused_and_changes_nothing(long_timetable, headteacher, ended_on, message):
    with pytest.raises(ValidationError) as caught:
        part_time.part_time_timetable_end(timetable=long_timetable, ended_on=ended_on, by=headteacher)
    assert caught.value.message_dict == {"ended_on": [message]}
    long_timetable.refresh_from_db()
    assert long_timetable.ended_on is None
    assert {duty.status for duty in reviews(long_timetable)} == {Duty.Status.OPEN}


def test_a_timetable_cannot_be_ended_twice(long_timetable, headteacher):
    part_time.part_time_timetable_end(timetable=long_timetable, ended_on=date(2026, 12, 11), by=headteacher)
    with pytest.raises(ValidationError) as caught:
        part_time.part_time_timetable_end(timetable=long_timetable, ended_on=date(2026, 12, 4), by=headteacher)
    assert caught.value.messages == ["This part-time timetable already ended on 11/12/2026."]


# --- The add page ---------------------------------------------------------------------------------------------


def _add_url(plan):
    return reverse("plans:part_time_add", args=[plan.pk])


def _form_data(**overrides):
    data = {
        "start_date": "23/11/2026",
        "end_date": "04/12/2026",
        "arrangements": ARRANGEMENTS,
        "parents_agreed_on": "17/11/2026",
        "not_for_behaviour_confirmed": "on",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


@pytest.mark.parametrize("role", ["headteacher", "pastoral_lead", "senco"])
def test_staff_who_edit_plans_see_the_form_and_what_a_part_time_timetable_requires(role, request, plan):
    response = client_for(request.getfixturevalue(role)).get(_add_url(plan))
    assert response.status_code == 200
    text, markup = page_text(response), page_html(response)
    assert "Add a part-time timetable" in text
    assert "Only use a part-time timetable in exceptional circumstances, and never to manage behaviour." in text
    assert "at least every two weeks" in text
    assert "authorised absence, normally with code C2" in text
    assert "Tell the local authority when it is agreed" in text
    assert "A part-time timetable must be time-limited and short" in text
    assert "I confirm this timetable is not being used to manage the pupil's behaviour" in text
    assert 'name="start_date" value="23/11/2026"' not in markup
    assert 'name="start_date" value="18/11/2026"' in markup  # the return has passed: today is suggested


@pytest.mark.parametrize("role", ["teacher", "office", "governor"])
def test_other_roles_cannot_add_a_part_time_timetable(role, request, plan):
    client = client_for(request.getfixturevalue(role))
    assert client.get(_add_url(plan)).status_code == 403
    assert client.post(_add_url(plan), _form_data()).status_code == 403
    assert saved() == (0, 0)


def test_another_schools_headteacher_gets_not_found(plan, other_head):
    client = client_for(other_head)
    assert client.get(_add_url(plan)).status_code == 404
    assert client.post(_add_url(plan), _form_data()).status_code == 404
    assert saved() == (0, 0)


def test_an_unknown_plan_is_not_found(headteacher):
    assert client_for(headteacher).get(reverse("plans:part_time_add", args=[999999])).status_code == 404


def test_a_draft_plan_says_to_make_it_active_first_and_offers_no_form(pupil, headteacher):
    plan = draft_plan(pupil, headteacher)
    response = client_for(headteacher).get(_add_url(plan))
    assert response.status_code == 200
    assert part_time.PLAN_DRAFT in page_text(response)
    assert 'name="arrangements"' not in page_html(response)
    assert client_for(headteacher).post(_add_url(plan), _form_data()).status_code == 200
    assert saved() == (0, 0)


def test_saving_records_the_timetable_and_says_when_the_reviews_are_due(plan, pastoral_lead):
    client = client_for(pastoral_lead)
    response = client.post(_add_url(plan), _form_data(end_date="22/12/2026"))
    assert response.status_code == 302
    assert response["Location"] == reverse("plans:detail", args=[plan.pk]) + "#part-time"
    timetable = PartTimeTimetable.objects.get(plan=plan)
    assert timetable.recorded_by == pastoral_lead
    assert [duty.due_date for duty in reviews(timetable)] == [date(2026, 12, 7), date(2026, 12, 21), date(2026, 12, 22)]
    text = page_text(client.get(response["Location"]))
    assert (
        "The part-time timetable from 23/11/2026 to 22/12/2026 has been recorded. "
        "Reviews are due on 07/12/2026, 21/12/2026 and 22/12/2026."
    ) in text


def test_without_the_confirmation_the_form_comes_back_with_the_message_and_the_input_kept(plan, headteacher):
    response = client_for(headteacher).post(_add_url(plan), _form_data(not_for_behaviour_confirmed=None))
    assert response.status_code == 200
    text, markup = page_text(response), page_html(response)
    assert "There is a problem" in text
    assert text.count("Confirm that this timetable is not being used to manage the pupil's behaviour.") == 2
    assert "“A part-time timetable should not be used to manage a pupil's behaviour”" in text
    assert 'name="start_date" value="23/11/2026"' in markup
    assert 'name="end_date" value="04/12/2026"' in markup
    assert 'name="parents_agreed_on" value="17/11/2026"' in markup
    assert ARRANGEMENTS in markup
    assert saved() == (0, 0)


def test_an_end_date_before_the_start_comes_back_beside_the_end_date_with_the_input_kept(plan, headteacher):
    response = client_for(headteacher).post(_add_url(plan), _form_data(end_date="20/11/2026"))
    assert response.status_code == 200
    text, markup = page_text(response), page_html(response)
    assert text.count("The end date must be after the start date (23/11/2026).") == 2
    assert 'name="end_date" value="20/11/2026"' in markup
    assert 'id="id_end_date_error"' in markup
    assert ARRANGEMENTS in markup
    assert saved() == (0, 0)


def test_an_impossible_date_asks_for_a_real_one_and_keeps_what_was_typed(plan, headteacher):
    response = client_for(headteacher).post(_add_url(plan), _form_data(start_date="31/11/2026"))
    assert response.status_code == 200
    text = page_text(response)
    assert "Enter a real date, as day/month/year, for example 27/11/2026." in text
    assert 'name="start_date" value="31/11/2026"' in page_html(response)
    assert saved() == (0, 0)


def test_empty_fields_are_each_explained(plan, headteacher):
    response = client_for(headteacher).post(_add_url(plan), {})
    text = page_text(response)
    for message in (
        part_time.START_REQUIRED,
        part_time.END_REQUIRED,
        part_time.ARRANGEMENTS_REQUIRED,
        part_time.AGREED_REQUIRED,
        part_time.NOT_FOR_BEHAVIOUR_REQUIRED,
    ):
        assert message in text
    assert saved() == (0, 0)


def test_a_future_agreement_is_refused_on_the_page(plan, headteacher):
    response = client_for(headteacher).post(_add_url(plan), _form_data(parents_agreed_on="19/11/2026"))
    assert response.status_code == 200
    assert page_text(response).count(part_time.AGREED_IN_FUTURE) == 2
    assert saved() == (0, 0)


def test_an_overlap_is_refused_on_the_page(plan, headteacher):
    record(plan, headteacher)
    response = client_for(headteacher).post(_add_url(plan), _form_data(start_date="30/11/2026", end_date="11/12/2026"))
    assert response.status_code == 200
    assert "This overlaps the part-time timetable from 23/11/2026 to 04/12/2026." in page_text(response)
    assert PartTimeTimetable.objects.count() == 1


# --- The plan page -------------------------------------------------------------------------------------------


def _plan_page(user, plan):
    return client_for(user).get(reverse("plans:detail", args=[plan.pk]))


def test_without_a_timetable_the_plan_page_says_the_pupil_is_on_a_full_timetable_and_offers_one(plan, headteacher):
    response = _plan_page(headteacher, plan)
    text = page_text(response)
    assert "Part-time timetable" in text
    assert "Jordan is on a full timetable. A part-time timetable is only for exceptional cases" in text
    assert _add_url(plan) in page_html(response)


def test_the_plan_page_shows_the_timetable_its_agreement_and_its_next_review(plan, headteacher):
    timetable = record(plan, headteacher, start_date=date(2026, 11, 18), end_date=date(2026, 12, 18))
    response = _plan_page(headteacher, plan)
    text, markup = page_text(response), page_html(response)
    assert "18/11/2026 to 18/12/2026 Current" in text
    assert "Wednesday 18/11/2026 to Friday 18/12/2026" in text
    assert ARRANGEMENTS in text
    assert "Parents agreed in writing 17/11/2026" in text
    assert "Next review due Wednesday 02/12/2026" in text
    assert "authorised absence (code C2)" in text
    assert reverse("plans:part_time_end", args=[timetable.pk]) in markup


def test_recording_the_next_review_moves_the_next_review_on(plan, headteacher, pastoral_lead):
    timetable = record(plan, headteacher, start_date=date(2026, 11, 18), end_date=date(2026, 12, 18))
    first = reviews(timetable)[0]
    response = _plan_page(pastoral_lead, plan)
    link = reverse("duties:complete", args=[first.pk]) + "?next=" + reverse("plans:detail", args=[plan.pk])
    assert link in page_html(response)
    assert "Record this review" in page_text(response)
    duty_complete(
        duty=first, done_by=pastoral_lead, done_at=timezone.now(), method=Duty.Method.MEETING, evidence="Going well."
    )
    assert "Next review due Wednesday 16/12/2026" in page_text(_plan_page(pastoral_lead, plan))


def test_the_review_tasks_are_on_the_schools_list_of_duties(plan, headteacher, pastoral_lead):
    record(plan, headteacher, start_date=date(2026, 11, 18), end_date=date(2026, 12, 18))
    response = client_for(pastoral_lead).get(reverse("duties:list"))
    assert response.status_code == 200
    text = page_text(response)
    assert "Review the part-time timetable" in text
    assert "Part-time timetable from 18/11/2026" in text


def test_an_overdue_review_is_marked_overdue_in_words(plan, headteacher, frozen_time):
    record(plan, headteacher, start_date=date(2026, 11, 18), end_date=date(2026, 12, 18))
    frozen_time.move_to(datetime(2026, 12, 4, 9, 0, tzinfo=LONDON))
    text = page_text(_plan_page(headteacher, plan))
    assert "Next review due Wednesday 02/12/2026 Overdue" in text


def test_a_finished_and_an_ended_timetable_are_listed_with_what_happened(plan, headteacher, frozen_time):
    frozen_time.move_to(datetime(2026, 11, 12, 9, 0, tzinfo=LONDON))
    first = record(
        plan,
        headteacher,
        start_date=date(2026, 11, 12),
        end_date=date(2026, 11, 26),
        parents_agreed_on=date(2026, 11, 11),
    )
    part_time.part_time_timetable_end(timetable=first, ended_on=date(2026, 11, 13), by=headteacher)
    frozen_time.move_to(datetime(2026, 12, 1, 9, 0, tzinfo=LONDON))
    text = page_text(_plan_page(headteacher, plan))
    assert "12/11/2026 to 13/11/2026 Ended early" in text
    assert "(ended early: it was due to end on 26/11/2026)" in text
    assert "Next review due None: every review is done or no longer needed" in text
    assert "End this timetable early" not in text


def test_a_teacher_sees_the_current_timetables_dates_and_arrangements_only(plan, headteacher, teacher):
    timetable = record(plan, headteacher, start_date=date(2026, 11, 18), end_date=date(2026, 12, 18))
    response = _plan_page(teacher, plan)
    text, markup = page_text(response), page_html(response)
    assert response.status_code == 200
    assert "Wednesday 18/11/2026 to Friday 18/12/2026" in text
    assert ARRANGEMENTS in text
    assert "Parents agreed in writing" not in text
    assert "Next review due" not in text
    assert reverse("plans:part_time_end", args=[timetable.pk]) not in markup
    assert _add_url(plan) not in markup


def test_a_teacher_does_not_see_a_timetable_that_has_finished(plan, headteacher, teacher, frozen_time):
    record(plan, headteacher, start_date=date(2026, 11, 18), end_date=date(2026, 11, 27))
    frozen_time.move_to(datetime(2026, 11, 30, 9, 0, tzinfo=LONDON))
    text = page_text(_plan_page(teacher, plan))
    assert ARRANGEMENTS not in text
    assert "Jordan is on a full timetable." in text


def test_a_draft_plan_says_to_make_it_active_before_adding_a_timetable(pupil, headteacher):
    plan = draft_plan(pupil, headteacher)
    response = _plan_page(headteacher, plan)
    assert "Make the plan active before adding a part-time timetable." in page_text(response)
    assert _add_url(plan) not in page_html(response)


def _queries_for_page(user, plan, django_assert_max_num_queries, limit):
    client = client_for(user)
    url = reverse("plans:detail", args=[plan.pk])
    client.get(url)  # the first visit stores the school in the session
    with django_assert_max_num_queries(limit) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_the_part_time_section_reads_one_query_however_many_timetables_and_reviews(
    plan, school, headteacher, django_assert_max_num_queries
):
    without = _queries_for_page(headteacher, plan, django_assert_max_num_queries, 50)
    other = active_plan(PupilFactory(school=school), headteacher)
    for start in (date(2026, 11, 23), date(2027, 1, 25), date(2027, 3, 29)):
        record(other, headteacher, start_date=start, end_date=start + timedelta(days=50))
    with_three = _queries_for_page(headteacher, other, django_assert_max_num_queries, without)
    assert with_three == without


# --- The end page --------------------------------------------------------------------------------------------


def _end_url(timetable):
    return reverse("plans:part_time_end", args=[timetable.pk])


@pytest.mark.parametrize("role", ["headteacher", "pastoral_lead", "senco"])
def test_staff_who_edit_plans_see_the_confirmation_page(role, request, long_timetable):
    response = client_for(request.getfixturevalue(role)).get(_end_url(long_timetable))
    assert response.status_code == 200
    text = page_text(response)
    assert "End the part-time timetable early" in text
    assert "Monday 23/11/2026 to Monday 18/01/2027" in text
    assert "Reviews of the timetable due after that day will be marked as no longer needed." in text


@pytest.mark.parametrize("role", ["teacher", "office", "governor"])
def test_other_roles_cannot_end_a_timetable(role, request, long_timetable):
    client = client_for(request.getfixturevalue(role))
    assert client.get(_end_url(long_timetable)).status_code == 403
    assert client.post(_end_url(long_timetable), {"ended_on": "11/12/2026"}).status_code == 403
    long_timetable.refresh_from_db()
    assert long_timetable.ended_on is None


def test_another_schools_headteacher_cannot_find_the_timetable(long_timetable, other_head):
    client = client_for(other_head)
    assert client.get(_end_url(long_timetable)).status_code == 404
    assert client.post(_end_url(long_timetable), {"ended_on": "11/12/2026"}).status_code == 404


def test_an_unknown_timetable_is_not_found(headteacher):
    assert client_for(headteacher).get(reverse("plans:part_time_end", args=[999999])).status_code == 404


def test_ending_a_timetable_early_from_the_page(long_timetable, plan, pastoral_lead):
    client = client_for(pastoral_lead)
    response = client.post(_end_url(long_timetable), {"ended_on": "11/12/2026"})
    assert response.status_code == 302
    assert response["Location"] == reverse("plans:detail", args=[plan.pk]) + "#part-time"
    long_timetable.refresh_from_db()
    assert long_timetable.ended_on == date(2026, 12, 11)
    text = page_text(client.get(response["Location"]))
    assert "The part-time timetable now ends on 11/12/2026. Reviews due after that day are no longer needed." in text


def test_an_end_on_the_planned_end_date_comes_back_with_the_message_and_the_input_kept(long_timetable, headteacher):
    response = client_for(headteacher).post(_end_url(long_timetable), {"ended_on": "18/01/2027"})
    assert response.status_code == 200
    text = page_text(response)
    assert "There is a problem" in text
    assert text.count("The timetable is already due to end on 18/01/2027.") == 2
    assert 'name="ended_on" value="18/01/2027"' in page_html(response)
    long_timetable.refresh_from_db()
    assert long_timetable.ended_on is None


def test_a_missing_date_is_explained(long_timetable, headteacher):
    response = client_for(headteacher).post(_end_url(long_timetable), {"ended_on": ""})
    assert response.status_code == 200
    assert part_time.ENDED_ON_REQUIRED in page_text(response)


def test_a_timetable_already_ended_says_so_and_offers_no_form(long_timetable, headteacher):
    part_time.part_time_timetable_end(timetable=long_timetable, ended_on=date(2026, 12, 11), by=headteacher)
    client = client_for(headteacher)
    response = client.get(_end_url(long_timetable))
    assert "This part-time timetable already ended on 11/12/2026." in page_text(response)
    assert 'name="ended_on"' not in page_html(response)
    client.post(_end_url(long_timetable), {"ended_on": "04/12/2026"})
    long_timetable.refresh_from_db()
    assert long_timetable.ended_on == date(2026, 12, 11)


def test_every_problem_is_shown_at_once(plan, headteacher):
    response = client_for(headteacher).post(
        _add_url(plan),
        _form_data(end_date="20/11/2026", parents_agreed_on="19/11/2026", not_for_behaviour_confirmed=None),
    )
    text = page_text(response)
    assert "The end date must be after the start date (23/11/2026)." in text
    assert part_time.AGREED_IN_FUTURE in text
    assert "Confirm that this timetable is not being used to manage the pupil's behaviour." in text
    assert saved() == (0, 0)

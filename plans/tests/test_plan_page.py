"""The plan page: the return, the strategy, the meeting, goals by area with their criteria, and reviews."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import client_for
from plans import services
from plans.models import Criterion, Goal, Meeting, Review
from testsupport.factories import PupilFactory
from testsupport.plans import (
    active_plan,
    add_goal,
    criterion_row,
    draft_plan,
    page_html,
    page_text,
    record_review,
)

LONDON = ZoneInfo("Europe/London")


def _get(user, plan):
    return client_for(user).get(reverse("plans:detail", args=[plan.pk]))


def test_the_plan_page_shows_the_pupil_the_suspension_and_that_the_return_does_not_wait_for_a_meeting(
    pupil, headteacher
):
    plan = draft_plan(pupil, headteacher)
    response = _get(headteacher, plan)
    assert response.status_code == 200
    text = page_text(response)
    assert "Jordan Ashby returns on Wednesday 11/11/2026, morning, whether or not a meeting takes place." in text
    assert reverse("pupils:detail", args=[pupil.pk]) in page_html(response)
    assert reverse("suspensions:detail", args=[plan.suspension.pk]) in page_html(response)
    assert "Suspension, 2 days" in text
    assert "Monday 09/11/2026 to Tuesday 10/11/2026" in text
    assert "Draft" in text


def test_a_draft_plan_prompts_for_the_strategy(pupil, headteacher):
    plan = draft_plan(pupil, headteacher)
    response = _get(headteacher, plan)
    text, markup = page_text(response), page_html(response)
    assert "Write the strategy: every return needs one." in text
    assert f'href="{reverse("plans:edit", args=[plan.pk])}" class="button">Write the strategy' in markup
    assert "No goals have been set yet." in text
    assert "Write and agree the strategy before the first review." in text
    assert reverse("plans:review_add", args=[plan.pk]) not in markup


def test_an_active_plan_shows_the_strategy_and_support(pupil, headteacher, pastoral_lead):
    plan = draft_plan(pupil, headteacher)
    services.plan_update(
        plan=plan,
        version=plan.version,
        strategy="Meet Ms Patel at the gate each morning.",
        key_adult=pastoral_lead,
        support_measures="A time-out card.",
        check_in_frequency="twice_weekly",
        reasonable_adjustments="A quiet place to work.",
        activate=True,
        next_review_date=plan.suspension.return_date + timedelta(days=14),
    )
    text = page_text(_get(headteacher, plan))
    assert "Meet Ms Patel at the gate each morning." in text
    assert pastoral_lead.get_full_name() in text
    assert "Twice a week" in text
    assert "A time-out card." in text
    assert "A quiet place to work." in text
    assert "Active" in text
    assert reverse("plans:review_add", args=[plan.pk]) in page_html(_get(headteacher, plan))


def test_without_a_meeting_the_page_offers_to_arrange_or_record_one_or_say_none_is_held(pupil, headteacher):
    plan = draft_plan(pupil, headteacher)
    text = page_text(_get(headteacher, plan))
    assert "No meeting has been arranged." in text
    assert "Arrange the meeting" in text
    assert "Record the meeting" in text
    assert "No meeting will be held" in text


def test_the_meeting_section_shows_the_meeting_who_came_and_their_views(pupil, headteacher):
    plan = draft_plan(pupil, headteacher)
    services.meeting_save(
        plan=plan,
        version=None,
        status=Meeting.Status.HELD,
        scheduled_for=datetime(2026, 11, 10, 15, 30, tzinfo=LONDON),
        mode=Meeting.Mode.REMOTE,
        location="Video call",
        pupil_views="I want a fresh start.",
        parent_views="We will check homework every night.",
        notes="Restorative meeting offered.",
        participants=[
            {"name": "Jordan Ashby", "role": "Pupil", "invited": True, "attended": True},
            {"name": "Sam Ashby", "role": "Mother", "invited": True, "attended": False},
        ],
    )
    text = page_text(_get(headteacher, plan))
    assert "Held" in text
    assert "Tuesday 10/11/2026 at 15:30" in text
    assert "Remote (video or phone): Video call" in text
    assert "Sam Ashby Mother Yes No" in text
    assert "I want a fresh start." in text
    assert "We will check homework every night." in text
    assert "Restorative meeting offered." in text
    assert "Change the meeting record" in text


def test_the_no_meeting_reason_is_shown(pupil, headteacher):
    plan = draft_plan(pupil, headteacher)
    services.plan_record_no_meeting(plan=plan, version=1, reason="Parents declined; agreed by phone.")
    text = page_text(_get(headteacher, plan))
    assert "Why no meeting is held" in text
    assert "Parents declined; agreed by phone." in text


def test_goals_are_grouped_by_area_with_their_timeline_criteria_and_actions(pupil, headteacher):
    plan = active_plan(pupil, headteacher)
    add_goal(
        plan,
        area=Goal.Area.ACADEMIC,
        pupil_aim="Catch up on the maths I missed.",
        expressed_by=Goal.ExpressedBy.PARENT,
        expressed_by_name="Sam Ashby",
        criteria=[
            criterion_row(
                measure="Maths catch-up sheets handed in",
                kind=Criterion.Kind.YES_NO,
                comparator="",
                target_value=None,
                baseline_value=None,
                baseline_note="None handed in",
            )
        ],
    )
    text = page_text(_get(headteacher, plan))
    assert "I want to stay in my lessons and not get sent out." in text
    assert "Said by the pupil" in text
    assert "Said by Sam Ashby (a parent or carer)" in text
    assert "Sent out of five lessons in the week before the suspension." in text
    assert "Use my time-out card instead of walking out." in text
    assert "Start 11/11/2026, target 29/01/2027" in text
    assert "Reviews: 02/12/2026" in text
    assert "On-call logs per week" in text
    assert "5 (Five on-calls in the week before the suspension)" in text
    assert "at most 1" in text
    assert "11/12/2026" in text
    assert "Key adult meets the pupil at the gate each morning" in text
    assert "Ms Patel" in text
    assert "Maths catch-up sheets handed in" in text
    assert "None handed in" in text
    assert "Not reviewed yet" in text


def test_areas_follow_the_order_behaviour_then_academic_progress(pupil, headteacher):
    plan = active_plan(pupil, headteacher, with_goal=False)
    add_goal(plan, area=Goal.Area.WELLBEING, pupil_aim="Feel calm at lunch.")
    add_goal(plan, area=Goal.Area.ACADEMIC, pupil_aim="Hand in homework.")
    add_goal(plan)
    text = page_html(_get(headteacher, plan))
    behaviour = text.index('<h3 class="heading-m">Behaviour</h3>')
    academic = text.index('<h3 class="heading-m">Academic progress</h3>')
    wellbeing = text.index('<h3 class="heading-m">Wellbeing</h3>')
    assert behaviour < academic < wellbeing


def test_each_criterion_shows_the_latest_review_result(pupil, headteacher):
    plan = active_plan(pupil, headteacher)
    criterion = Criterion.objects.get(goal__plan=plan)
    record_review(
        plan,
        headteacher,
        held_on=date(2026, 11, 12),
        next_review_date=date(2026, 11, 18),
        criterion_results=[{"criterion": criterion, "observed_value": Decimal("4"), "observed_yes": None}],
    )
    record_review(
        plan,
        headteacher,
        held_on=date(2026, 11, 18),
        criterion_results=[{"criterion": criterion, "observed_value": Decimal("0.5"), "observed_yes": None}],
    )
    text = page_text(_get(headteacher, plan))
    assert "0.5 on 18/11/2026" in text
    assert "Met" in text
    assert "4 on 12/11/2026" not in text


def test_goal_statuses_are_shown_as_text(pupil, headteacher):
    plan = active_plan(pupil, headteacher)
    goal = plan.goals.get()
    record_review(plan, headteacher, goal_statuses={goal.pk: Goal.Achievement.WORSENING})
    text = page_html(_get(headteacher, plan))
    assert '<strong class="tag tag--active">Active</strong>' in text
    assert '<strong class="tag tag--worsening">Worsening</strong>' in text


def test_reviews_are_listed_with_their_decision_and_next_review_and_link_to_the_review(pupil, headteacher):
    plan = active_plan(pupil, headteacher)
    review = record_review(plan, headteacher, decision=Review.Decision.ADJUST)
    response = _get(headteacher, plan)
    text = page_text(response)
    assert reverse("plans:review_detail", args=[review.pk]) in page_html(response)
    assert "Adjust the plan" in text
    assert "02/12/2026" in text
    assert "Next review Wednesday 02/12/2026" in text


def test_a_closed_plan_shows_its_outcome_and_offers_no_changes(pupil, headteacher):
    plan = active_plan(pupil, headteacher)
    record_review(plan, headteacher, decision=Review.Decision.CLOSE, outcome="achieved", next_review_date=None)
    response = _get(headteacher, plan)
    text, markup = page_text(response), page_html(response)
    assert "Closed" in text
    assert "on 18/11/2026: Goals achieved" in text
    assert "None: the plan was closed" in text
    assert reverse("plans:edit", args=[plan.pk]) not in markup
    assert reverse("plans:goal_add", args=[plan.pk]) not in markup
    assert reverse("plans:review_add", args=[plan.pk]) not in markup


@pytest.mark.parametrize("role", ["headteacher", "pastoral_lead", "senco"])
def test_staff_who_support_the_return_see_the_whole_plan(role, request, pupil, headteacher):
    plan = active_plan(pupil, headteacher)
    record_review(plan, headteacher)
    user = request.getfixturevalue(role)
    response = _get(user, plan)
    assert response.status_code == 200
    text = page_text(response)
    assert "Reintegration meeting" in text
    assert "Where the pupil is now" in text
    assert "Reviews of this plan, most recent first" in text


def _queries_for_page(user, plan) -> int:
    client = client_for(user)
    url = reverse("plans:detail", args=[plan.pk])
    client.get(url)  # the first visit stores the school in the session
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def test_the_plan_page_query_count_does_not_grow_with_goals_criteria_and_reviews(pupil, headteacher):
    small = active_plan(pupil, headteacher)
    services.meeting_save(
        plan=small,
        version=None,
        status=Meeting.Status.ARRANGED,
        scheduled_for=datetime(2026, 11, 20, 9, 0, tzinfo=LONDON),
        mode=Meeting.Mode.IN_PERSON,
        location="",
        pupil_views="",
        parent_views="",
        notes="",
        participants=[{"name": "Jordan", "role": "Pupil", "invited": True, "attended": None}],
    )
    record_review(small, headteacher)
    small_count = _queries_for_page(headteacher, small)

    other = PupilFactory(school=pupil.school)
    large = active_plan(other, headteacher)
    for area in (Goal.Area.ACADEMIC, Goal.Area.ATTENDANCE, Goal.Area.WELLBEING, Goal.Area.BEHAVIOUR):
        add_goal(
            large,
            area=area,
            criteria=[criterion_row(), criterion_row(measure="Merits", comparator="gte", target_value=3)],
            actions=[
                {
                    "by_whom": "family",
                    "description": "Check the planner",
                    "owner": "Parent",
                    "due_date": date(2026, 11, 30),
                }
            ]
            * 3,
        )
    services.meeting_save(
        plan=large,
        version=None,
        status=Meeting.Status.ARRANGED,
        scheduled_for=datetime(2026, 11, 20, 9, 0, tzinfo=LONDON),
        mode=Meeting.Mode.IN_PERSON,
        location="",
        pupil_views="",
        parent_views="",
        notes="",
        participants=[{"name": f"Person {n}", "role": "Staff", "invited": True, "attended": None} for n in range(5)],
    )
    record_review(large, headteacher, held_on=date(2026, 11, 12), next_review_date=date(2026, 11, 16))
    record_review(large, headteacher, held_on=date(2026, 11, 16), next_review_date=date(2026, 11, 18))
    record_review(large, headteacher)
    large_count = _queries_for_page(headteacher, large)

    assert large_count == small_count
    # 14 for the page itself, plus the two-factor device read and the audit trail's access entry.
    assert small_count <= 16

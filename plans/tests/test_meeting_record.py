"""The reintegration record: the plan on one printable page, whether or not a meeting was held."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from conftest import client_for
from plans import services
from plans.models import Goal, Meeting
from testsupport.plans import active_plan, add_goal, draft_plan, page_html, page_text

LONDON = ZoneInfo("Europe/London")


def _url(plan):
    return reverse("plans:meeting_record", args=[plan.pk])


def _hold_meeting(plan):
    services.meeting_save(
        plan=plan,
        version=None,
        status=Meeting.Status.HELD,
        scheduled_for=datetime(2026, 11, 10, 15, 30, tzinfo=LONDON),
        mode=Meeting.Mode.IN_PERSON,
        location="Pastoral office",
        pupil_views="I want a fresh start in science.",
        parent_views="We will check the planner every night.",
        notes="",
        participants=[
            {"name": "Jordan Ashby", "role": "Pupil", "invited": True, "attended": True},
            {"name": "Sam Ashby", "role": "Mother", "invited": True, "attended": False},
        ],
    )


def test_the_record_has_the_school_the_pupil_the_suspension_the_meeting_and_the_strategy(pupil, headteacher):
    plan = active_plan(pupil, headteacher)
    _hold_meeting(plan)
    response = client_for(headteacher).get(_url(plan))
    assert response.status_code == 200
    text = page_text(response)
    assert "Larkfield Academy" in text
    assert "Reintegration record: Jordan Ashby" in text
    assert "Suspension, 2 days: 09/11/2026 to 10/11/2026" in text
    assert "Wednesday 11/11/2026, morning, whether or not a meeting takes place" in text
    assert "Tuesday 10/11/2026 at 15:30" in text
    assert "In person: Pastoral office" in text
    assert "Jordan Ashby Pupil Yes Yes" in text
    assert "Sam Ashby Mother Yes No" in text
    assert "I want a fresh start in science." in text
    assert "We will check the planner every night." in text
    assert "Meet Ms Patel at the pastoral office each morning" in text


def test_the_record_has_a_print_button_that_is_not_printed(pupil, headteacher):
    plan = active_plan(pupil, headteacher)
    markup = page_html(client_for(headteacher).get(_url(plan)))
    assert '<button type="button" class="button button--secondary no-print" data-print>Print this record</button>' in (
        markup
    )


def test_the_behaviour_section_follows_the_template(pupil, headteacher):
    plan = active_plan(pupil, headteacher)
    text = page_text(client_for(headteacher).get(_url(plan)))
    behaviour = text[text.index("Behaviour What the pupil wants") : text.index("Academic progress")]
    for part in (
        "What the pupil wants to achieve I want to stay in my lessons and not get sent out. (said by the pupil)",
        "Where the pupil is now Sent out of five lessons in the week before the suspension.",
        "What the pupil will do Use my time-out card instead of walking out.",
        "What the school and family will do The school: Key adult meets the pupil at the gate each morning "
        "(Ms Patel, by 20/11/2026)",
        "Timeline Start 11/11/2026, target 29/01/2027 Reviews: 02/12/2026",
        "Criteria for measuring progress Measure Baseline Target Due",
        "On-call logs per week 5 (Five on-calls in the week before the suspension) at most 1 11/12/2026",
    ):
        assert part in behaviour


def test_both_sections_appear_even_without_goals(pupil, headteacher):
    plan = active_plan(pupil, headteacher, with_goal=False)
    text = page_text(client_for(headteacher).get(_url(plan)))
    assert "Behaviour No behaviour goal has been set yet." in text
    assert "Academic progress No academic progress goal has been set yet." in text


def test_other_areas_appear_when_they_have_goals(pupil, headteacher):
    plan = active_plan(pupil, headteacher)
    add_goal(plan, area=Goal.Area.WELLBEING, pupil_aim="Feel calm at lunchtime.")
    text = page_text(client_for(headteacher).get(_url(plan)))
    assert "Wellbeing What the pupil wants to achieve Feel calm at lunchtime." in text
    assert "Attendance" not in text


def test_the_record_lists_review_dates_and_lines_to_sign(pupil, headteacher):
    plan = active_plan(pupil, headteacher)
    text = page_text(client_for(headteacher).get(_url(plan)))
    # The plan's first review (two weeks after the return on 11/11/2026), then the goal's own review date.
    assert "Review dates Next review: Wednesday 25/11/2026 Wednesday 02/12/2026" in text
    assert "Who Name Signature Date Pupil Jordan Ashby Parent or carer Member of staff" in text


def test_the_record_is_available_without_a_meeting(pupil, headteacher):
    plan = draft_plan(pupil, headteacher)
    response = client_for(headteacher).get(_url(plan))
    assert response.status_code == 200
    text = page_text(response)
    assert "No meeting has been arranged." in text
    assert "Not written yet" in text


def test_the_record_gives_the_reason_when_no_meeting_is_held(pupil, headteacher):
    plan = draft_plan(pupil, headteacher)
    services.plan_record_no_meeting(plan=plan, version=1, reason="Parents declined; agreed by phone.")
    text = page_text(client_for(headteacher).get(_url(plan)))
    assert "No meeting is held." in text
    assert "Parents declined; agreed by phone." in text


@pytest.mark.parametrize("role", ["pastoral_lead", "senco"])
def test_pastoral_staff_and_the_senco_can_print_the_record(role, request, pupil, headteacher):
    plan = active_plan(pupil, headteacher)
    assert client_for(request.getfixturevalue(role)).get(_url(plan)).status_code == 200


@pytest.mark.parametrize(
    ("role", "status"), [("teacher", 403), ("office", 403), ("governor", 403), ("other_head", 404)]
)
def test_others_cannot_see_the_record(role, status, request, pupil, headteacher):
    plan = active_plan(pupil, headteacher)
    response = client_for(request.getfixturevalue(role)).get(_url(plan))
    assert response.status_code == status
    assert "Meet Ms Patel" not in page_text(response)

"""Who may see and change a plan: teachers see only active plans' strategy and goals; other schools get 404."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import NoReverseMatch, reverse

from conftest import client_for
from plans import services
from plans.models import Meeting, Review
from testsupport.plans import active_plan, draft_plan, page_html, page_text, record_review

LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def plan(pupil, headteacher):
    plan = active_plan(pupil, headteacher)
    services.meeting_save(
        plan=plan,
        version=None,
        status=Meeting.Status.HELD,
        scheduled_for=datetime(2026, 11, 10, 15, 30, tzinfo=LONDON),
        mode=Meeting.Mode.IN_PERSON,
        location="Pastoral office",
        pupil_views="The pupil's private view",
        parent_views="The parents' private view",
        notes="Private meeting notes",
        participants=[{"name": "Jordan Ashby", "role": "Pupil", "invited": True, "attended": True}],
    )
    return plan


@pytest.fixture
def review(plan, headteacher):
    return record_review(plan, headteacher, notes="Private review notes")


def _urls(plan, review):
    goal = plan.goals.get()
    return {
        "detail": reverse("plans:detail", args=[plan.pk]),
        "edit": reverse("plans:edit", args=[plan.pk]),
        "meeting": reverse("plans:meeting", args=[plan.pk]),
        "meeting_record": reverse("plans:meeting_record", args=[plan.pk]),
        "no_meeting": reverse("plans:no_meeting", args=[plan.pk]),
        "goal_add": reverse("plans:goal_add", args=[plan.pk]),
        "goal_edit": reverse("plans:goal_edit", args=[goal.pk]),
        "review_add": reverse("plans:review_add", args=[plan.pk]),
        "review_detail": reverse("plans:review_detail", args=[review.pk]),
    }


def test_a_teacher_sees_the_strategy_and_goals_of_an_active_plan(plan, review, teacher):
    response = client_for(teacher).get(reverse("plans:detail", args=[plan.pk]))
    assert response.status_code == 200
    text = page_text(response)
    assert "Meet Ms Patel at the pastoral office each morning" in text
    assert "Daily" in text
    assert "Daily check-in with the key adult." in text
    assert "I want to stay in my lessons and not get sent out." in text
    assert "Use my time-out card instead of walking out." in text
    assert "On-call logs per week" in text
    assert "at most 1" in text


def test_a_teacher_does_not_see_meeting_views_notes_reviews_or_the_incident(plan, review, teacher):
    response = client_for(teacher).get(reverse("plans:detail", args=[plan.pk]))
    text, markup = page_text(response), page_html(response)
    assert "The pupil's private view" not in text
    assert "The parents' private view" not in text
    assert "Private meeting notes" not in text
    assert "Reintegration meeting" not in text
    assert "Private review notes" not in text
    assert "Reviews of this plan" not in text
    assert reverse("plans:review_detail", args=[review.pk]) not in markup
    assert reverse("plans:meeting_record", args=[plan.pk]) not in markup
    assert "Where the pupil is now" not in text
    assert plan.suspension.incident_summary not in text
    assert reverse("plans:edit", args=[plan.pk]) not in markup
    assert reverse("plans:goal_add", args=[plan.pk]) not in markup


def test_a_teacher_cannot_see_a_draft_plan(pupil, headteacher, teacher):
    plan = draft_plan(pupil, headteacher)
    response = client_for(teacher).get(reverse("plans:detail", args=[plan.pk]))
    assert response.status_code == 403
    assert "This reintegration plan is still a draft." in page_text(response)


def test_a_teacher_cannot_see_a_closed_plan(plan, headteacher, teacher):
    record_review(plan, headteacher, decision=Review.Decision.CLOSE, outcome="achieved", next_review_date=None)
    response = client_for(teacher).get(reverse("plans:detail", args=[plan.pk]))
    assert response.status_code == 403
    assert "This reintegration plan is closed." in page_text(response)


@pytest.mark.parametrize(
    "page",
    ["edit", "meeting", "meeting_record", "no_meeting", "goal_add", "goal_edit", "review_add", "review_detail"],
)
def test_a_teacher_cannot_open_the_other_plan_pages(page, plan, review, teacher):
    response = client_for(teacher).get(_urls(plan, review)[page])
    assert response.status_code == 403
    assert "does not allow this" in page_text(response)


@pytest.mark.parametrize("page", ["edit", "meeting", "no_meeting", "goal_add", "goal_edit", "review_add"])
def test_a_teacher_cannot_post_to_the_plan_forms(page, plan, review, teacher):
    response = client_for(teacher).post(_urls(plan, review)[page], {"strategy": "Changed by a teacher"})
    assert response.status_code == 403
    plan.refresh_from_db()
    assert plan.strategy.startswith("Meet Ms Patel")


@pytest.mark.parametrize(
    "page",
    [
        "detail",
        "edit",
        "meeting",
        "meeting_record",
        "no_meeting",
        "goal_add",
        "goal_edit",
        "review_add",
        "review_detail",
    ],
)
@pytest.mark.parametrize("role", ["office", "governor"])
def test_office_staff_and_governors_cannot_open_plan_pages(page, role, request, plan, review):
    user = request.getfixturevalue(role)
    assert client_for(user).get(_urls(plan, review)[page]).status_code == 403


@pytest.mark.parametrize(
    "page",
    [
        "detail",
        "edit",
        "meeting",
        "meeting_record",
        "no_meeting",
        "goal_add",
        "goal_edit",
        "review_add",
        "review_detail",
    ],
)
def test_staff_of_another_school_get_not_found(page, plan, review, other_head):
    response = client_for(other_head).get(_urls(plan, review)[page])
    assert response.status_code == 404
    assert "Jordan" not in page_text(response)


@pytest.mark.parametrize(
    "page",
    [
        "detail",
        "edit",
        "meeting",
        "meeting_record",
        "no_meeting",
        "goal_add",
        "goal_edit",
        "review_add",
        "review_detail",
    ],
)
def test_staff_of_another_school_cannot_post_either(page, plan, review, other_head):
    response = client_for(other_head).post(_urls(plan, review)[page], {"strategy": "Changed elsewhere"})
    assert response.status_code in (404, 405)
    plan.refresh_from_db()
    assert plan.strategy.startswith("Meet Ms Patel")


@pytest.mark.parametrize(
    "name", ["detail", "edit", "meeting", "meeting_record", "no_meeting", "goal_add", "goal_edit", "review_add"]
)
def test_an_unknown_plan_or_goal_is_not_found(name, plan, headteacher):
    assert client_for(headteacher).get(reverse(f"plans:{name}", args=[999999])).status_code == 404


def test_an_unknown_review_is_not_found(plan, headteacher):
    assert client_for(headteacher).get(reverse("plans:review_detail", args=[999999])).status_code == 404


def test_signed_out_visitors_are_sent_to_sign_in(plan):
    from django.test import Client

    response = Client().get(reverse("plans:detail", args=[plan.pk]))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_there_is_no_way_to_change_or_delete_a_review(plan, review, headteacher):
    client = client_for(headteacher)
    for name in ("review_edit", "review_delete", "review_change"):
        with pytest.raises(NoReverseMatch):
            reverse(f"plans:{name}", args=[review.pk])
    assert client.get(f"/plans/reviews/{review.pk}/edit/").status_code == 404
    assert client.get(f"/plans/reviews/{review.pk}/delete/").status_code == 404
    response = client.post(reverse("plans:review_detail", args=[review.pk]), {"notes": "Rewritten"})
    assert response.status_code == 405
    review.refresh_from_db()
    assert review.notes == "Private review notes"

"""Recording a progress review (append-only), closing the plan, and reading a review with its snapshot."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from conftest import client_for
from plans import services
from plans.models import Criterion, Goal, ReintegrationPlan, Review, ReviewCriterionResult
from testsupport.plans import (
    active_plan,
    add_goal,
    criterion_row,
    draft_plan,
    page_html,
    page_text,
    record_review,
)


def _url(plan):
    return reverse("plans:review_add", args=[plan.pk])


def _data(plan, **overrides):
    data = {
        "held_on": "18/11/2026",
        "participants": "Jordan (pupil)\nMs Patel (key adult)",
        "decision": "continue",
        "outcome": "",
        "next_review_date": "02/12/2026",
        "notes": "A better week.",
    }
    for goal in plan.goals.all():
        data[f"goal_{goal.pk}_status"] = "improving"
        for criterion in goal.criteria.all():
            if criterion.kind == Criterion.Kind.YES_NO:
                data[f"criterion_{criterion.pk}_yes"] = "yes"
            else:
                data[f"criterion_{criterion.pk}_value"] = "2"
            data[f"criterion_{criterion.pk}_comment"] = ""
    data.update(overrides)
    return data


def test_the_review_form_asks_about_each_criterion_and_goal(pupil, headteacher):
    plan = active_plan(pupil, headteacher)
    add_goal(
        plan,
        area=Goal.Area.ACADEMIC,
        pupil_aim="Hand in homework.",
        criteria=[criterion_row(measure="Homework in", kind="yes_no", comparator="", target_value=None)],
    )
    response = client_for(headteacher).get(_url(plan))
    assert response.status_code == 200
    text, markup = page_text(response), page_html(response)
    assert 'name="held_on" value="18/11/2026"' in markup
    assert "On-call logs per week: target at most 1 by 11/12/2026" in text
    assert "On-call logs per week: what was seen (optional)" in text
    assert "Homework in: was it met? (optional)" in text
    assert text.count("How the pupil is getting on with this goal") == 2
    for label in ("In progress", "Improving", "No change", "Worsening", "Achieved", "Not achieved"):
        assert label in text
    for label in ("Continue the plan as it is", "Adjust the plan", "Close the plan", "Escalate"):
        assert label in text
    assert "Only needed when closing the plan." in text


def test_recording_a_review_saves_results_and_the_next_review(pupil, headteacher):
    plan = active_plan(pupil, headteacher)
    goal = plan.goals.get()
    criterion = goal.criteria.get()
    client = client_for(headteacher)
    response = client.post(_url(plan), _data(plan, **{f"criterion_{criterion.pk}_comment": "Two on-calls"}))
    assert response.status_code == 302
    review = Review.objects.get(plan=plan)
    assert response["Location"] == reverse("plans:review_detail", args=[review.pk])
    assert review.recorded_by == headteacher
    result = ReviewCriterionResult.objects.get(review=review)
    assert (result.observed_value, result.met, result.comment) == (Decimal("2"), False, "Two on-calls")
    goal.refresh_from_db()
    plan.refresh_from_db()
    assert goal.achievement_status == Goal.Achievement.IMPROVING
    assert plan.next_review_date.isoformat() == "2026-12-02"
    page = page_text(client.get(response["Location"]))
    assert "The review has been recorded. The next review is on 02/12/2026." in page


def test_a_goal_without_a_status_comes_back_with_the_message(pupil, headteacher):
    plan = active_plan(pupil, headteacher)
    goal = plan.goals.get()
    response = client_for(headteacher).post(_url(plan), _data(plan, **{f"goal_{goal.pk}_status": ""}))
    assert response.status_code == 200
    text = page_text(response)
    assert "There is a problem" in text
    assert text.count("Choose how the pupil is getting on with this goal.") == 2
    assert f'href="#id_goal_{goal.pk}_status"' in page_html(response)
    assert "A better week." in text
    assert not Review.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"held_on": ""}, "Enter the date the review was held, for example 27/11/2026."),
        ({"held_on": "19/11/2026"}, "The date the review was held cannot be in the future."),
        ({"held_on": "10/11/2026"}, "The review cannot be before the pupil's return on 11/11/2026."),
        ({"participants": ""}, "Enter who took part in the review."),
        ({"decision": ""}, "Choose a decision."),
        ({"next_review_date": ""}, "Enter the date of the next review, for example 27/11/2026."),
        ({"next_review_date": "18/11/2026"}, "The next review must be after this review (18/11/2026)."),
        ({"decision": "close", "next_review_date": ""}, "Choose the outcome of the plan, to close it."),
    ],
)
def test_bad_review_input_comes_back_with_a_message_and_nothing_saved(overrides, message, pupil, headteacher):
    plan = active_plan(pupil, headteacher)
    response = client_for(headteacher).post(_url(plan), _data(plan, **overrides))
    assert response.status_code == 200
    text = page_text(response)
    assert "There is a problem" in text
    assert message in text
    assert "A better week." in text
    assert not Review.objects.exists()
    plan.refresh_from_db()
    assert plan.status == ReintegrationPlan.Status.ACTIVE


def test_an_observed_value_that_is_not_a_number_is_refused(pupil, headteacher):
    plan = active_plan(pupil, headteacher)
    criterion = Criterion.objects.get(goal__plan=plan)
    response = client_for(headteacher).post(_url(plan), _data(plan, **{f"criterion_{criterion.pk}_value": "two"}))
    assert response.status_code == 200
    assert "Enter a number, for example 2 or 2.5." in page_text(response)
    assert 'value="two"' in page_html(response)
    assert not Review.objects.exists()


def test_closing_the_plan_with_an_outcome(pupil, headteacher):
    plan = active_plan(pupil, headteacher)
    goal = plan.goals.get()
    client = client_for(headteacher)
    response = client.post(
        _url(plan),
        _data(
            plan, decision="close", outcome="achieved", next_review_date="", **{f"goal_{goal.pk}_status": "achieved"}
        ),
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    goal.refresh_from_db()
    assert plan.status == ReintegrationPlan.Status.CLOSED
    assert plan.outcome == ReintegrationPlan.Outcome.ACHIEVED
    assert plan.closed_on.isoformat() == "2026-11-18"
    assert goal.lifecycle_status == Goal.Lifecycle.COMPLETED
    assert "The review has been recorded and the plan is closed." in page_text(client.get(response["Location"]))


def test_a_draft_plan_cannot_be_reviewed(pupil, headteacher):
    plan = draft_plan(pupil, headteacher)
    response = client_for(headteacher).get(_url(plan))
    assert response.status_code == 200
    text = page_text(response)
    assert "Write and agree the strategy before the first review." in text
    assert "Record the review" not in text
    assert client_for(headteacher).post(_url(plan), _data(plan)).status_code == 200
    assert not Review.objects.exists()


def test_a_closed_plan_cannot_be_reviewed_again(pupil, headteacher):
    plan = active_plan(pupil, headteacher)
    record_review(plan, headteacher, decision=Review.Decision.CLOSE, outcome="achieved", next_review_date=None)
    response = client_for(headteacher).post(_url(plan), _data(plan))
    assert response.status_code == 200
    assert services.REVIEW_CLOSED_PLAN in page_text(response)
    assert Review.objects.count() == 1


@pytest.mark.parametrize("role", ["pastoral_lead", "senco"])
def test_pastoral_staff_and_the_senco_can_record_a_review(role, request, pupil, headteacher):
    plan = active_plan(pupil, headteacher)
    user = request.getfixturevalue(role)
    assert client_for(user).post(_url(plan), _data(plan)).status_code == 302
    assert Review.objects.get(plan=plan).recorded_by == user


# --- Reading a review -----------------------------------------------------------------------------------------


def test_the_review_page_shows_the_results_and_the_plan_as_it_stood(pupil, headteacher, senco):
    plan = active_plan(pupil, headteacher)
    goal = plan.goals.get()
    criterion = goal.criteria.get()
    review = record_review(
        plan,
        headteacher,
        notes="A better week.",
        criterion_results=[
            {"criterion": criterion, "observed_value": Decimal("1"), "observed_yes": None, "comment": "Only one"}
        ],
        goal_statuses={goal.pk: Goal.Achievement.ACHIEVED},
    )
    plan.refresh_from_db()
    services.plan_update(
        plan=plan,
        version=plan.version,
        strategy="A completely new strategy.",
        key_adult=None,
        support_measures="",
        check_in_frequency="",
        reasonable_adjustments="",
        activate=True,
    )
    response = client_for(senco).get(reverse("plans:review_detail", args=[review.pk]))
    assert response.status_code == 200
    text = page_text(response)
    assert "Review on 18/11/2026" in text
    assert "Continue the plan as it is" in text
    assert "Next review Wednesday 02/12/2026" in text
    assert "A better week." in text
    assert "On-call logs per week at most 1 1 Met Only one" in text
    assert "Behaviour I want to stay in my lessons and not get sent out. In progress Achieved" in text
    assert "Meet Ms Patel at the pastoral office each morning" in text
    assert "A completely new strategy." not in text
    assert "cannot be changed" in text


def test_the_review_page_offers_no_way_to_change_the_review(pupil, headteacher):
    plan = active_plan(pupil, headteacher)
    review = record_review(plan, headteacher)
    markup = page_html(client_for(headteacher).get(reverse("plans:review_detail", args=[review.pk])))
    assert "<form" not in markup.split("<main", 1)[1]

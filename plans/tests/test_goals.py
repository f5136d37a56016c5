"""Adding and changing a goal: aim, baseline, actions, a realistic timeline and measurable criteria."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from conftest import client_for
from plans.models import Criterion, Goal, SupportAction
from testsupport.plans import active_plan, draft_plan, page_html, page_text


def _add_url(plan):
    return reverse("plans:goal_add", args=[plan.pk])


def _data(criteria=None, actions=None, **overrides):
    data = {
        "area": "behaviour",
        "pupil_aim": "I want to stay in my lessons.",
        "expressed_by": "pupil",
        "expressed_by_name": "",
        "current_position": "Sent out of five lessons last week.",
        "pupil_actions": "Use my time-out card.",
        "start_date": "11/11/2026",
        "target_date": "29/01/2027",
        "review_dates": "02/12/2026, 16/12/2026",
        "version": "",
        "criteria-TOTAL_FORMS": "3",
        "criteria-INITIAL_FORMS": "0",
        "criteria-MIN_NUM_FORMS": "0",
        "criteria-MAX_NUM_FORMS": "20",
        "actions-TOTAL_FORMS": "4",
        "actions-INITIAL_FORMS": "0",
        "actions-MIN_NUM_FORMS": "0",
        "actions-MAX_NUM_FORMS": "20",
    }
    for index in range(3):
        data[f"criteria-{index}-kind"] = "number"
    if criteria is None:
        criteria = [
            {
                "measure": "On-call logs per week",
                "baseline_value": "5",
                "baseline_note": "Last week",
                "comparator": "lte",
                "target_value": "1",
                "due_date": "11/12/2026",
            }
        ]
    for index, row in enumerate(criteria):
        for key, value in row.items():
            data[f"criteria-{index}-{key}"] = value
    if actions is None:
        actions = [
            {"by_whom": "school", "description": "Meet at the gate", "owner": "Ms Patel", "due_date": "20/11/2026"}
        ]
    for index, row in enumerate(actions):
        for key, value in row.items():
            data[f"actions-{index}-{key}"] = value
    data.update(overrides)
    return data


def test_the_goal_page_starts_on_the_return_and_gives_the_realistic_limit(pupil, headteacher):
    plan = active_plan(pupil, headteacher, with_goal=False)
    response = client_for(headteacher).get(_add_url(plan))
    assert response.status_code == 200
    text, markup = page_text(response), page_html(response)
    assert 'name="start_date" value="11/11/2026"' in markup
    assert "A realistic timeline is within a term of the return: by 10/02/2027." in text
    assert "In the pupil's own words." in text
    assert "Confirm a longer timeline" in text
    assert 'name="criteria-2-measure"' in markup
    assert 'name="criteria-3-measure"' not in markup
    assert 'name="actions-3-owner"' in markup
    assert 'name="actions-4-owner"' not in markup


def test_a_goal_with_a_criterion_and_an_action_is_saved(pupil, headteacher):
    plan = active_plan(pupil, headteacher, with_goal=False)
    client = client_for(headteacher)
    response = client.post(_add_url(plan), _data())
    assert response.status_code == 302
    goal = Goal.objects.get(plan=plan)
    assert response["Location"] == reverse("plans:detail", args=[plan.pk]) + f"#goal-{goal.pk}"
    assert goal.pupil_aim == "I want to stay in my lessons."
    assert goal.review_dates == ["2026-12-02", "2026-12-16"]
    criterion = goal.criteria.get()
    assert (criterion.measure, criterion.baseline_value, criterion.target_label) == (
        "On-call logs per week",
        Decimal("5"),
        "at most 1",
    )
    assert goal.actions.get().owner == "Ms Patel"
    assert "The behaviour goal has been added." in page_text(client.get(response["Location"]))


def test_a_goal_can_be_added_to_a_draft_plan(pupil, headteacher):
    plan = draft_plan(pupil, headteacher)
    assert client_for(headteacher).post(_add_url(plan), _data()).status_code == 302
    assert Goal.objects.filter(plan=plan).exists()


def test_a_goal_without_any_criterion_is_refused_beside_the_first_row(pupil, headteacher):
    plan = active_plan(pupil, headteacher, with_goal=False)
    response = client_for(headteacher).post(_add_url(plan), _data(criteria=[]))
    assert response.status_code == 200
    text, markup = page_text(response), page_html(response)
    assert "There is a problem" in text
    assert text.count("Add at least one criterion for measuring progress.") == 2
    assert 'href="#id_criteria-0-measure"' in markup
    assert "I want to stay in my lessons." in text
    assert 'value="Ms Patel"' in markup
    assert not Goal.objects.exists()
    assert not SupportAction.objects.exists()


def test_a_number_criterion_without_a_target_is_refused_on_its_row(pupil, headteacher):
    plan = active_plan(pupil, headteacher, with_goal=False)
    criteria = [
        {"measure": "Merits", "comparator": "gte", "target_value": "3", "due_date": "11/12/2026"},
        {},
        {"measure": "On-call logs per week", "comparator": "", "target_value": "", "due_date": "11/12/2026"},
    ]
    response = client_for(headteacher).post(_add_url(plan), _data(criteria=criteria))
    assert response.status_code == 200
    markup = page_html(response)
    assert 'id="id_criteria-2-comparator_error"' in markup
    assert 'id="id_criteria-2-target_value_error"' in markup
    text = page_text(response)
    assert "Choose how the measure compares with the target, for example 'at most'." in text
    assert "Enter the target number, for example 2." in text
    assert 'value="Merits"' in markup
    assert not Goal.objects.exists()
    assert not Criterion.objects.exists()


def test_a_yes_no_criterion_with_a_target_number_is_refused(pupil, headteacher):
    plan = active_plan(pupil, headteacher, with_goal=False)
    criteria = [
        {"measure": "Homework in", "kind": "yes_no", "comparator": "", "target_value": "3", "due_date": "11/12/2026"}
    ]
    response = client_for(headteacher).post(_add_url(plan), _data(criteria=criteria))
    assert response.status_code == 200
    assert "A yes or no check has no comparison or target number. Leave them empty." in page_text(response)
    assert not Goal.objects.exists()


def test_a_criterion_without_a_due_date_is_refused(pupil, headteacher):
    plan = active_plan(pupil, headteacher, with_goal=False)
    criteria = [{"measure": "Merits", "comparator": "gte", "target_value": "3", "due_date": ""}]
    response = client_for(headteacher).post(_add_url(plan), _data(criteria=criteria))
    assert response.status_code == 200
    assert page_text(response).count("A criterion needs a due date, so that progress can be measured.") == 2
    assert not Goal.objects.exists()


def test_a_criterion_due_after_the_target_date_is_refused_on_its_own_row(pupil, headteacher):
    plan = active_plan(pupil, headteacher, with_goal=False)
    criteria = [
        {"measure": "Merits", "comparator": "gte", "target_value": "3", "due_date": "11/12/2026"},
        {},
        {"measure": "Detentions", "comparator": "lte", "target_value": "1", "due_date": "01/02/2027"},
    ]
    response = client_for(headteacher).post(_add_url(plan), _data(criteria=criteria))
    assert response.status_code == 200
    text, markup = page_text(response), page_html(response)
    assert "Due date (criterion 3): The due date must not be after the goal's target date (29/01/2027)." in text
    assert 'id="id_criteria-2-due_date_error"' in markup
    assert 'id="id_criteria-0-due_date_error"' not in markup
    assert 'value="Detentions"' in markup
    assert not Goal.objects.exists()


def test_the_realistic_limit_date_itself_is_accepted(pupil, headteacher):
    plan = active_plan(pupil, headteacher, with_goal=False)
    response = client_for(headteacher).post(_add_url(plan), _data(target_date="10/02/2027"))
    assert response.status_code == 302
    assert Goal.objects.get(plan=plan).target_date == date(2027, 2, 10)


def test_a_target_one_day_past_the_limit_needs_confirming(pupil, headteacher):
    plan = active_plan(pupil, headteacher, with_goal=False)
    client = client_for(headteacher)
    response = client.post(_add_url(plan), _data(target_date="11/02/2027"))
    assert response.status_code == 200
    text = page_text(response)
    assert (
        "The target date is more than a term after the return (after 10/02/2027). "
        "Choose an earlier date, or confirm a longer timeline."
    ) in text
    assert 'href="#id_target_date"' in page_html(response)
    assert 'name="target_date" value="11/02/2027"' in page_html(response)
    assert not Goal.objects.exists()

    confirmed = client.post(_add_url(plan), _data(target_date="11/02/2027", longer_horizon_confirmed="on"))
    assert confirmed.status_code == 302
    goal = Goal.objects.get(plan=plan)
    assert goal.longer_horizon_confirmed is True


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"target_date": "11/11/2026"}, "The target date must be after the return on 11/11/2026."),
        ({"start_date": "31/02/2027"}, "Enter a real date, as day/month/year, for example 27/11/2026."),
        ({"pupil_aim": ""}, "Enter what the pupil wants to achieve, in their own words."),
        ({"area": ""}, "Choose the area of the goal."),
        (
            {"review_dates": "2nd December"},
            "Enter each review date as day/month/year, separated by commas, for example 02/12/2026, 16/12/2026.",
        ),
        (
            {"review_dates": "01/03/2027"},
            "Each review date must be between the start date (11/11/2026) and the target date (29/01/2027).",
        ),
    ],
)
def test_bad_goal_input_comes_back_with_a_message_and_nothing_saved(overrides, message, pupil, headteacher):
    plan = active_plan(pupil, headteacher, with_goal=False)
    response = client_for(headteacher).post(_add_url(plan), _data(**overrides))
    assert response.status_code == 200
    text = page_text(response)
    assert "There is a problem" in text
    assert message in text
    assert "Use my time-out card." in text
    assert not Goal.objects.exists()


def test_an_action_that_is_started_must_be_complete(pupil, headteacher):
    plan = active_plan(pupil, headteacher, with_goal=False)
    actions = [{"by_whom": "family", "description": "Check the planner", "owner": "", "due_date": ""}]
    response = client_for(headteacher).post(_add_url(plan), _data(actions=actions))
    assert response.status_code == 200
    text = page_text(response)
    assert "Enter the name of the person who will make sure it happens." in text
    assert "Enter the due date, for example 27/11/2026." in text
    assert not Goal.objects.exists()


# --- Changing a goal ----------------------------------------------------------------------------------------


def test_the_edit_page_shows_the_goal_as_saved(pupil, headteacher):
    plan = active_plan(pupil, headteacher)
    goal = plan.goals.get()
    response = client_for(headteacher).get(reverse("plans:goal_edit", args=[goal.pk]))
    assert response.status_code == 200
    markup = page_html(response)
    assert "Change the behaviour goal" in page_text(response)
    assert 'name="target_date" value="29/01/2027"' in markup
    assert 'name="review_dates" value="02/12/2026"' in markup
    assert 'name="criteria-0-measure" value="On-call logs per week"' in markup
    assert 'name="criteria-0-baseline_value" value="5"' in markup
    assert 'name="criteria-0-target_value" value="1"' in markup
    assert re.search(r'name="criteria-0-id" value="\d+"', markup)
    assert 'name="actions-0-owner" value="Ms Patel"' in markup
    assert 'name="version" value="1"' in markup


def _edit_data(goal, **overrides):
    criterion = goal.criteria.get()
    action = goal.actions.get()
    return _data(
        criteria=[
            {
                "id": str(criterion.pk),
                "measure": "On-call logs per week",
                "baseline_value": "5",
                "comparator": "lte",
                "target_value": "0",
                "due_date": "11/12/2026",
            }
        ],
        actions=[
            {
                "id": str(action.pk),
                "by_whom": "school",
                "description": "Meet at the gate",
                "owner": "Mr Khan",
                "due_date": "20/11/2026",
            }
        ],
        version=str(goal.version),
        **overrides,
    )


def test_changing_a_goal_updates_it_and_its_rows(pupil, headteacher):
    plan = active_plan(pupil, headteacher)
    goal = plan.goals.get()
    criterion = goal.criteria.get()
    client = client_for(headteacher)
    response = client.post(
        reverse("plans:goal_edit", args=[goal.pk]), _edit_data(goal, pupil_aim="Stay in every lesson.")
    )
    assert response.status_code == 302
    goal.refresh_from_db()
    assert goal.pupil_aim == "Stay in every lesson."
    assert goal.version == 2
    assert goal.criteria.get().pk == criterion.pk
    assert goal.criteria.get().target_label == "at most 0"
    assert goal.actions.get().owner == "Mr Khan"
    assert "The behaviour goal has been changed." in page_text(client.get(response["Location"]))


def test_a_second_change_from_the_same_version_is_refused(pupil, headteacher, senco):
    plan = active_plan(pupil, headteacher)
    goal = plan.goals.get()
    url = reverse("plans:goal_edit", args=[goal.pk])
    data = _edit_data(goal)
    assert client_for(headteacher).post(url, {**data, "pupil_aim": "The head's aim"}).status_code == 302
    response = client_for(senco).post(url, {**data, "pupil_aim": "The SENCO's aim"})
    assert response.status_code == 200
    assert "Someone else changed this goal while you were editing it." in page_text(response)
    assert "The SENCO's aim" in page_text(response)
    goal.refresh_from_db()
    assert goal.pupil_aim == "The head's aim"


def test_emptying_a_row_removes_that_action(pupil, headteacher):
    plan = active_plan(pupil, headteacher)
    goal = plan.goals.get()
    data = _edit_data(goal)
    for field in ("by_whom", "description", "owner", "due_date"):
        data[f"actions-0-{field}"] = ""
    response = client_for(headteacher).post(reverse("plans:goal_edit", args=[goal.pk]), data)
    assert response.status_code == 302
    assert not goal.actions.exists()

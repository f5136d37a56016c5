"""Journey 5: the pastoral lead sets a behaviour goal and an academic goal, each with measurable criteria and the
support the school and the family will give (the rows of two formsets)."""

from __future__ import annotations

from decimal import Decimal

from plans.models import Criterion, Goal
from testsupport.plans import active_plan


def field(page, label: str):
    return page.get_by_label(label, exact=True)


def choose(page, group: str, option: str) -> None:
    page.get_by_role("group", name=group, exact=True).get_by_label(option, exact=True).check()


def test_the_pastoral_lead_sets_a_behaviour_goal_and_an_academic_goal_with_criteria_and_support(
    site, headteacher, pastoral_lead, pupil
):
    plan = active_plan(pupil, headteacher, with_goal=False)  # Jordan returned on Wednesday 11/11/2026
    site.sign_in(pastoral_lead)
    site.go(f"/plans/{plan.pk}/")
    assert "No goals have been set yet." in site.page.locator("main").inner_text()
    site.follow("Add a goal")

    page = site.page
    assert field(page, "Start date").input_value() == "11/11/2026"  # the return
    choose(page, "Area", "Behaviour")
    field(page, "What the pupil wants to achieve").fill("I want to stay in my lessons and not get sent out.")
    choose(page, "Who said this", "The pupil")
    field(page, "Where the pupil is now").fill("Sent out of five lessons in the week before the suspension.")
    field(page, "What the pupil will do").fill("Use my time-out card instead of walking out.")
    field(page, "Target date").fill("29/01/2027")
    field(page, "Review dates (optional)").fill("02/12/2026, 16/12/2026")
    # Criterion 1: a number, with a baseline and a target.
    field(page, "Measure (criterion 1)").fill("On-call logs per week")
    choose(page, "Kind of measure (criterion 1)", "A number")
    field(page, "Baseline number (criterion 1) (optional)").fill("5")
    field(page, "Baseline note (criterion 1) (optional)").fill("In the week before the suspension")
    field(page, "How it compares with the target (criterion 1) (optional)").select_option(label="at most")
    field(page, "Target number (criterion 1) (optional)").fill("1")
    field(page, "Due date (criterion 1)").fill("11/12/2026")
    # Criterion 2: a yes or no check.
    field(page, "Measure (criterion 2)").fill("Hands in the time-out card instead of walking out")
    choose(page, "Kind of measure (criterion 2)", "A yes or no check")
    field(page, "Due date (criterion 2)").fill("18/12/2026")
    # The support the school gives.
    field(page, "By whom (action 1)").select_option(label="The school")
    field(page, "What will be done (action 1)").fill("Key adult meets Jordan at the gate each morning")
    field(page, "Owner (action 1)").fill("Ms Patel")
    field(page, "Due date (action 1)").fill("20/11/2026")
    site.submit("Save the goal")

    main = page.locator("main")
    assert "The behaviour goal has been added." in main.inner_text()
    behaviour = main.locator(".panel").filter(has_text="Behaviour goal 1")
    criteria = behaviour.get_by_role("table", name="Criteria for measuring progress").inner_text()
    assert "On-call logs per week" in criteria
    assert "at most 1" in criteria
    assert "11/12/2026" in criteria
    assert "Hands in the time-out card instead of walking out" in criteria
    support = behaviour.get_by_role("table", name="What the school and family will do").inner_text()
    assert "Key adult meets Jordan at the gate each morning" in support
    assert "Ms Patel" in support
    assert "Reviews: 02/12/2026, 16/12/2026" in behaviour.inner_text()

    site.follow("Add a goal")
    choose(page, "Area", "Academic progress")
    field(page, "What the pupil wants to achieve").fill("Catch up on the science I missed.")
    choose(page, "Who said this", "A parent or carer")
    field(page, "Name of the person who said it (optional)").fill("Sam Ashby")
    field(page, "Where the pupil is now").fill("Two science homeworks missing; one handed in each week.")
    field(page, "What the pupil will do").fill("Go to homework club on Tuesdays and Thursdays.")
    field(page, "Target date").fill("18/12/2026")
    field(page, "Measure (criterion 1)").fill("Homework pieces handed in per week")
    field(page, "Baseline number (criterion 1) (optional)").fill("1")
    field(page, "How it compares with the target (criterion 1) (optional)").select_option(label="at least")
    field(page, "Target number (criterion 1) (optional)").fill("3")
    field(page, "Due date (criterion 1)").fill("18/12/2026")
    field(page, "By whom (action 1)").select_option(label="The family")
    field(page, "What will be done (action 1)").fill("Check the homework planner each evening")
    field(page, "Owner (action 1)").fill("Sam Ashby")
    field(page, "Due date (action 1)").fill("27/11/2026")
    field(page, "By whom (action 2)").select_option(label="The school")
    field(page, "What will be done (action 2)").fill("A place at homework club")
    field(page, "Owner (action 2)").fill("Mr Okafor")
    field(page, "Due date (action 2)").fill("24/11/2026")
    site.submit("Save the goal")

    assert "The academic progress goal has been added." in main.inner_text()
    academic = main.locator(".panel").filter(has_text="Academic progress goal 1")
    assert "at least 3" in academic.get_by_role("table", name="Criteria for measuring progress").inner_text()
    assert "Said by Sam Ashby (a parent or carer)" in academic.inner_text()
    assert academic.get_by_role("table", name="What the school and family will do").locator("tbody tr").count() == 2

    goals = {goal.area: goal for goal in Goal.objects.filter(plan=plan).prefetch_related("criteria", "actions")}
    assert set(goals) == {Goal.Area.BEHAVIOUR, Goal.Area.ACADEMIC}
    behaviour_criteria = sorted(goals[Goal.Area.BEHAVIOUR].criteria.all(), key=lambda c: c.pk)
    assert [(c.kind, c.comparator, c.target_value) for c in behaviour_criteria] == [
        (Criterion.Kind.NUMBER, Criterion.Comparator.AT_MOST, Decimal("1")),
        (Criterion.Kind.YES_NO, "", None),
    ]
    assert goals[Goal.Area.BEHAVIOUR].review_dates == ["2026-12-02", "2026-12-16"]
    assert goals[Goal.Area.ACADEMIC].actions.count() == 2

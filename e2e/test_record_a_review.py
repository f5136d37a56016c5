"""Journey 6: the pastoral lead records a review: what was seen for each criterion, how the pupil is getting on with
each goal, and the decision."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from plans.models import Criterion, Goal, Review
from testsupport.plans import active_plan, add_goal, criterion_row


def field(page, label: str):
    return page.get_by_label(label, exact=True)


def test_the_pastoral_lead_records_a_review_with_each_criterion_seen_and_each_goal_status(
    site, headteacher, pastoral_lead, pupil
):
    plan = active_plan(pupil, headteacher)  # a behaviour goal: on-call logs per week, at most 1
    add_goal(
        plan,
        area=Goal.Area.ACADEMIC,
        pupil_aim="Hand my homework in on time.",
        criteria=[
            criterion_row(
                measure="Homework handed in on time",
                kind=Criterion.Kind.YES_NO,
                baseline_value=None,
                baseline_note="",
                comparator="",
                target_value=None,
            )
        ],
    )
    site.sign_in(pastoral_lead)
    site.go(f"/plans/{plan.pk}/")
    site.follow("Record a review")

    page = site.page
    assert field(page, "Date the review was held").input_value() == "18/11/2026"
    field(page, "Who took part").fill("Jordan (pupil)\nSam Ashby (mother)\nMs Patel (key adult)")
    field(page, "On-call logs per week: what was seen (optional)").fill("2")
    field(page, "On-call logs per week: comment (optional)").fill("Down from five; two on Monday.")
    page.get_by_role("group", name="Homework handed in on time: was it met? (optional)").get_by_label(
        "Yes", exact=True
    ).check()
    field(page, "How the pupil is getting on with this goal (behaviour)").select_option(label="Improving")
    field(page, "How the pupil is getting on with this goal (academic progress)").select_option(label="Achieved")
    page.get_by_role("group", name="Decision").get_by_label("Continue the plan as it is").check()
    field(page, "Date of the next review (optional)").fill("02/12/2026")
    site.submit("Record the review")

    main = page.locator("main")
    assert page.get_by_role("heading", level=1).inner_text() == "Review on 18/11/2026"
    assert "The review has been recorded. The next review is on 02/12/2026." in main.inner_text()
    results = main.get_by_role("table", name="What was seen for each criterion at this review")
    rows = {row.locator("td").nth(1).inner_text(): row for row in results.locator("tbody tr").all()}
    met = {measure: row.locator("td").nth(4).text_content().strip() for measure, row in rows.items()}
    assert met == {"On-call logs per week": "Not met", "Homework handed in on time": "Met"}  # 2 is over at most 1
    assert "Down from five; two on Monday." in rows["On-call logs per week"].inner_text()
    statuses = main.get_by_role("table", name="Each goal's status before and at this review")
    at_the_review = {
        row.locator("td").nth(0).inner_text(): row.locator("td").nth(3).text_content().strip()
        for row in statuses.locator("tbody tr").all()
    }
    assert at_the_review == {"Behaviour": "Improving", "Academic progress": "Achieved"}

    review = Review.objects.get(plan=plan)
    assert (review.held_on, review.next_review_date, review.decision) == (
        date(2026, 11, 18),
        date(2026, 12, 2),
        Review.Decision.CONTINUE,
    )
    seen = {r.criterion.measure: (r.observed_value, r.observed_yes) for r in review.criterion_results.all()}
    assert seen == {"On-call logs per week": (Decimal("2"), None), "Homework handed in on time": (None, True)}
    assert dict(plan.goals.values_list("area", "achievement_status")) == {
        Goal.Area.BEHAVIOUR: Goal.Achievement.IMPROVING,
        Goal.Area.ACADEMIC: Goal.Achievement.ACHIEVED,
    }

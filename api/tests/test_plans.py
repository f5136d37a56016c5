"""Plans, goals, criteria and reviews through the API, and recording a review with the same rules as the page."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from auditlog.models import LogEntry

from api.tests.conftest import api_client, make_token
from plans.models import Goal, ReintegrationPlan, Review
from testsupport.factories import PupilFactory
from testsupport.plans import active_plan, add_goal, criterion_row, draft_plan, record_review

pytestmark = pytest.mark.django_db


def review_payload(plan: ReintegrationPlan, **overrides: Any) -> dict[str, Any]:
    goals = list(plan.goals.prefetch_related("criteria"))
    data: dict[str, Any] = {
        "held_on": "2026-11-18",
        "participants": "Jordan (pupil)\nMs Patel (key adult)",
        "decision": "continue",
        "next_review_date": "2026-12-02",
        "goal_statuses": [{"goal_id": g.pk, "achievement_status": "improving"} for g in goals],
        "criterion_results": [
            {"criterion_id": c.pk, "observed_value": 1, "comment": "One on-call (fictional)."}
            for g in goals
            for c in g.criteria.all()
        ],
    }
    data.update(overrides)
    return data


def post_review(client: Any, plan: ReintegrationPlan, data: dict[str, Any]) -> Any:
    return client.post(f"/api/v1/plans/{plan.pk}/reviews", data, content_type="application/json")


# --- Plans -----------------------------------------------------------------------------------------------------------


def test_a_plan_comes_with_its_goals_criteria_and_actions(school, headteacher, pupil):
    plan = active_plan(pupil, headteacher)

    body = api_client(make_token(headteacher)).get(f"/api/v1/plans/{plan.pk}").json()

    assert body["status"] == "active"
    assert body["suspension_id"] == plan.suspension_id
    assert body["next_review_date"] == "2026-11-25"
    [goal] = body["goals"]
    assert goal["area"] == "behaviour"
    assert goal["review_dates"] == ["2026-12-02"]
    [criterion] = goal["criteria"]
    assert (criterion["measure"], criterion["target_label"], criterion["baseline_value"]) == (
        "On-call logs per week",
        "at most 1",
        5.0,
    )
    assert criterion["latest_result"] is None
    assert goal["actions"][0]["owner"] == "Ms Patel"
    assert body["meeting"] is None


def test_a_teacher_sees_active_plans_only_as_on_the_plan_page(school, headteacher, teacher):
    active = active_plan(PupilFactory(school=school), headteacher)
    draft = draft_plan(PupilFactory(school=school), headteacher)
    teacher_api = api_client(make_token(teacher))

    listed = [p["id"] for p in teacher_api.get("/api/v1/plans").json()["items"]]
    refused = teacher_api.get(f"/api/v1/plans/{draft.pk}")
    seen = teacher_api.get(f"/api/v1/plans/{active.pk}").json()

    assert listed == [active.pk]
    assert refused.status_code == 403
    assert "still a draft" in refused.json()["detail"]
    assert seen["no_meeting_reason"] is None
    assert seen["goals"][0]["criteria"][0]["latest_result"] is None


def test_the_plan_list_filters_by_status_pupil_and_suspension(school, headteacher, pupil):
    active = active_plan(pupil, headteacher)
    other = PupilFactory(school=school)
    draft = draft_plan(other, headteacher)
    client = api_client(make_token(headteacher))

    def ids(query: str) -> list[int]:
        return [p["id"] for p in client.get(f"/api/v1/plans?{query}").json()["items"]]

    assert sorted(ids("")) == sorted([active.pk, draft.pk])
    assert ids("status=draft") == [draft.pk]
    assert ids(f"pupil={pupil.pk}") == [active.pk]
    assert ids(f"suspension={draft.suspension_id}") == [draft.pk]


# --- Goals and criteria ----------------------------------------------------------------------------------------------


def test_goals_and_criteria_are_listed_with_the_latest_review_result(school, headteacher, pupil):
    plan = active_plan(pupil, headteacher)
    add_goal(plan, area=Goal.Area.ATTENDANCE, criteria=[criterion_row(measure="Attendance %", comparator="gte")])
    record_review(plan, headteacher)
    client = api_client(make_token(headteacher))

    goals = client.get(f"/api/v1/goals?plan={plan.pk}").json()
    attendance = client.get("/api/v1/goals?area=attendance").json()["items"]
    criteria = client.get(f"/api/v1/criteria?pupil={pupil.pk}").json()
    one = client.get(f"/api/v1/criteria/{criteria['items'][0]['id']}").json()

    assert goals["count"] == 2
    assert [g["area"] for g in attendance] == ["attendance"]
    assert criteria["count"] == 2
    assert one["latest_result"]["observed_value"] == 1.0
    assert one["latest_result"]["held_on"] == "2026-11-18"
    assert one["latest_result"]["met"] is True


def test_a_teacher_gets_no_review_results_and_no_goals_of_draft_plans(school, headteacher, teacher, pupil):
    plan = active_plan(pupil, headteacher)
    record_review(plan, headteacher)
    draft = draft_plan(PupilFactory(school=school), headteacher)
    draft_goal = add_goal(draft)
    client = api_client(make_token(teacher))

    goals = client.get("/api/v1/goals").json()["items"]
    criteria = client.get("/api/v1/criteria").json()["items"]

    assert [g["plan_id"] for g in goals] == [plan.pk]
    assert all(c["latest_result"] is None for c in criteria)
    assert client.get(f"/api/v1/goals/{draft_goal.pk}").status_code == 403
    assert client.get(f"/api/v1/criteria/{draft_goal.criteria.get().pk}").status_code == 403


def test_another_schools_goals_and_criteria_are_not_found(school, headteacher, other_school, other_head):
    theirs = active_plan(PupilFactory(school=other_school), other_head)
    goal = theirs.goals.get()
    client = api_client(make_token(headteacher))

    assert client.get(f"/api/v1/plans/{theirs.pk}").status_code == 404
    assert client.get(f"/api/v1/goals/{goal.pk}").status_code == 404
    assert client.get(f"/api/v1/criteria/{goal.criteria.get().pk}").status_code == 404
    assert client.get("/api/v1/goals").json()["count"] == 0


# --- Reviews ---------------------------------------------------------------------------------------------------------


def test_recording_a_review_sets_each_goals_status_and_the_next_review(school, headteacher, pastoral_lead, pupil):
    plan = active_plan(pupil, headteacher)

    response = post_review(api_client(make_token(pastoral_lead)), plan, review_payload(plan))

    assert response.status_code == 201
    body = response.json()
    assert body["decision"] == "continue"
    assert body["recorded_by"] == pastoral_lead.get_full_name()
    assert body["criterion_results"][0]["met"] is True
    plan.refresh_from_db()
    assert plan.next_review_date == date(2026, 12, 2)
    assert plan.goals.get().achievement_status == Goal.Achievement.IMPROVING
    review = Review.objects.get()
    assert review.recorded_by == pastoral_lead
    assert LogEntry.objects.get_for_object(review).get(action=LogEntry.Action.CREATE).actor == pastoral_lead


def test_a_review_that_closes_the_plan_needs_the_outcome(school, headteacher, pupil):
    plan = active_plan(pupil, headteacher)
    client = api_client(make_token(headteacher))

    refused = post_review(client, plan, review_payload(plan, decision="close", next_review_date=None))
    closed = post_review(client, plan, review_payload(plan, decision="close", outcome="achieved"))

    assert refused.status_code == 422
    assert refused.json()["errors"] == [{"field": "outcome", "message": "Choose the outcome of the plan, to close it."}]
    assert closed.status_code == 201
    plan.refresh_from_db()
    assert (plan.status, plan.outcome, plan.closed_on) == ("closed", "achieved", date(2026, 11, 18))


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"held_on": "2026-11-19"}, "held_on", "cannot be in the future"),
        ({"held_on": "2026-11-10"}, "held_on", "cannot be before the pupil's return on 11/11/2026"),
        ({"next_review_date": "2026-11-18"}, "next_review_date", "must be after this review (18/11/2026)"),
        ({"participants": " "}, "participants", "Enter who took part in the review."),
        ({"goal_statuses": []}, "goal_", "Choose how the pupil is getting on with this goal."),
        ({"criterion_results": [{"criterion_id": 999999, "observed_value": 1}]}, "criterion_results", "not part"),
    ],
)
def test_a_review_the_page_would_refuse_is_refused(school, headteacher, pupil, overrides, field, message):
    plan = active_plan(pupil, headteacher)

    response = post_review(api_client(make_token(headteacher)), plan, review_payload(plan, **overrides))

    assert response.status_code == 422
    errors = response.json()["errors"]
    assert any(e["field"].startswith(field) and message in e["message"] for e in errors), errors
    assert not Review.objects.exists()


def test_a_draft_plan_cannot_be_reviewed(school, headteacher, pupil):
    plan = draft_plan(pupil, headteacher)

    response = post_review(api_client(make_token(headteacher)), plan, review_payload(plan))

    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "", "message": "Write and agree the strategy before the first review."}
    ]


def test_a_teacher_can_neither_record_nor_read_reviews(school, headteacher, teacher, pupil):
    plan = active_plan(pupil, headteacher)
    review = record_review(plan, headteacher)
    client = api_client(make_token(teacher))

    assert post_review(client, plan, review_payload(plan)).status_code == 403
    assert client.get("/api/v1/reviews").status_code == 403
    assert client.get(f"/api/v1/reviews/{review.pk}").status_code == 403
    assert Review.objects.count() == 1


def test_reviews_are_listed_latest_first_and_filtered(school, headteacher, pupil, frozen_time):
    plan = active_plan(pupil, headteacher)
    first = record_review(plan, headteacher, held_on=date(2026, 11, 12), next_review_date=date(2026, 11, 26))
    second = record_review(plan, headteacher)
    client = api_client(make_token(headteacher))

    def ids(query: str) -> list[int]:
        return [r["id"] for r in client.get(f"/api/v1/reviews?{query}").json()["items"]]

    assert ids("") == [second.pk, first.pk]
    assert ids("held_to=2026-11-12") == [first.pk]
    assert ids(f"plan={plan.pk}&held_from=2026-11-13") == [second.pk]
    assert ids("decision=close") == []
    one = client.get(f"/api/v1/reviews/{first.pk}").json()
    assert one["goal_statuses"] == [{"goal_id": plan.goals.get().pk, "achievement_status": "improving"}]


def test_the_goal_criterion_and_review_lists_read_a_fixed_number_of_queries(
    school, headteacher, django_assert_max_num_queries
):
    for _ in range(6):
        plan = active_plan(PupilFactory(school=school), headteacher)
        add_goal(plan, area=Goal.Area.ACADEMIC)
        record_review(plan, headteacher)
    client = api_client(make_token(headteacher))
    client.get("/api/v1/me")

    # token, count, page, criteria, actions, latest results, audit INSERT (+ its content type once)
    with django_assert_max_num_queries(8):
        assert client.get("/api/v1/goals").json()["count"] == 12
    # token, count, page, latest results, audit INSERT (+ content type)
    with django_assert_max_num_queries(6):
        assert client.get("/api/v1/criteria").json()["count"] == 12
    # token, count, page, criterion results, goal statuses, audit INSERT (+ content type)
    with django_assert_max_num_queries(7):
        assert client.get("/api/v1/reviews").json()["count"] == 6
    # token, count, page, audit INSERT (+ content type)
    with django_assert_max_num_queries(5):
        assert client.get("/api/v1/plans").json()["count"] == 6


# --- Criteria measured from the school's data ----------------------------------------------------------------------


def _measured_plan(pupil: Any, head: Any) -> ReintegrationPlan:
    plan = active_plan(pupil, head, with_goal=False)
    add_goal(plan, criteria=[criterion_row(measure="Incidents a week", source="incidents")])
    return plan


def _send_incidents(client: Any, pupil: Any, days: list[str]) -> None:
    items = [
        {"upn": pupil.upn, "occurred_on": day, "category": "Disruption", "source_id": f"SIMS-{n}"}
        for n, day in enumerate(days)
    ]
    assert client.post("/api/v1/behaviour-events", {"items": items}, content_type="application/json").json()[
        "created"
    ] == len(days)


def test_a_plans_measures_are_evaluated_from_the_evidence_sent(school, headteacher, pupil):
    plan = _measured_plan(pupil, headteacher)
    client = api_client(make_token(headteacher))
    _send_incidents(client, pupil, ["2026-11-12", "2026-11-16", "2026-11-17"])

    [measure] = client.get(f"/api/v1/plans/{plan.pk}/measures").json()

    criterion = plan.goals.get().criteria.get()
    assert measure["criterion_id"] == criterion.pk
    assert (measure["source"], measure["unit"]) == ("incidents", "incidents a week")
    assert measure["weeks"] == [{"start": "2026-11-09", "value": 1.0}, {"start": "2026-11-16", "value": 2.0}]
    assert (measure["value"], measure["target_label"], measure["met"]) == (1.5, "at most 1", False)
    assert measure["summary"] == "1.5 incidents a week on average over 2 weeks since 11/11/2026"
    listed = client.get(f"/api/v1/criteria/{criterion.pk}").json()
    assert (listed["source"], listed["source_category"]) == ("incidents", "")


def test_a_review_takes_the_measured_figure_unless_one_is_sent(school, headteacher, pupil):
    plan = _measured_plan(pupil, headteacher)
    client = api_client(make_token(headteacher))
    _send_incidents(client, pupil, ["2026-11-12", "2026-11-16", "2026-11-17"])

    response = post_review(client, plan, review_payload(plan, criterion_results=[]))

    assert response.status_code == 201
    [result] = response.json()["criterion_results"]
    assert (result["observed_value"], result["met"]) == (1.5, False)


def test_a_teacher_does_not_see_the_measures(school, headteacher, teacher, pupil):
    plan = _measured_plan(pupil, headteacher)

    assert api_client(make_token(teacher)).get(f"/api/v1/plans/{plan.pk}/measures").status_code == 403

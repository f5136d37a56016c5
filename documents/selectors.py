"""Reads for the reintegration documents (meeting record, whole plan, "My return plan").

One plan with everything its documents show, in a fixed number of queries however many goals, criteria,
actions, participants and reviews it has: the plan with its school, letterhead, pupil, suspension, key adult and
meeting in one query, then one query for each prefetched list.
"""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from plans.models import (
    Criterion,
    Goal,
    MeetingParticipant,
    ReintegrationPlan,
    Review,
    ReviewCriterionResult,
    ReviewGoalStatus,
    SupportAction,
)


def plans_for_documents() -> QuerySet[ReintegrationPlan]:
    """Plans with everything the documents read. Use with schools.access.get_for(..., pk=pk).

    Reviews come oldest first, as a record reads; each review's results carry their criterion and goal.
    """
    return ReintegrationPlan.objects.select_related(
        "school", "school__letterhead", "pupil", "suspension", "key_adult", "meeting"
    ).prefetch_related(
        Prefetch("goals", queryset=Goal.objects.order_by("area", "id")),
        Prefetch("goals__criteria", queryset=Criterion.objects.order_by("due_date", "id")),
        Prefetch("goals__actions", queryset=SupportAction.objects.order_by("due_date", "id")),
        Prefetch("meeting__participants", queryset=MeetingParticipant.objects.order_by("id")),
        Prefetch("reviews", queryset=Review.objects.select_related("recorded_by").order_by("held_on", "id")),
        Prefetch(
            "reviews__criterion_results",
            queryset=ReviewCriterionResult.objects.select_related("criterion", "criterion__goal").order_by(
                "criterion__goal__area", "criterion__goal_id", "criterion__due_date", "criterion_id"
            ),
        ),
        Prefetch(
            "reviews__goal_statuses", queryset=ReviewGoalStatus.objects.select_related("goal").order_by("goal_id")
        ),
    )


def plan_for_documents(plan_id: int) -> ReintegrationPlan:
    """One plan with everything its documents read (for code that has already checked access)."""
    return plans_for_documents().get(pk=plan_id)

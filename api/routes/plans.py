"""Reintegration plans, their goals and criteria (with the criteria measured from the school's data), and reviews
(read), and recording a review (plans.services).

As on the plan page, a role that may read only active plans (a teacher: view_plans without view_plan_detail) sees
active plans only, their goals and criteria, and no review results or meeting notes.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from ninja import Query, Router, Status

from api.audit import record_api_access
from api.auth import audited_as_token_creator
from api.common import READ_ERRORS, WRITE_ERRORS, number, page_of, paginate, staff_name
from api.permissions import writer
from api.schemas import (
    CriterionFilters,
    CriterionOut,
    CriterionPage,
    GoalFilters,
    GoalOut,
    GoalPage,
    Id,
    MeasureOut,
    PlanDetailOut,
    PlanFilters,
    PlanPage,
    ReviewFilters,
    ReviewIn,
    ReviewOut,
    ReviewPage,
)
from api.selectors import latest_results
from evidence.selectors import CriterionEvidence, plan_evidence
from plans import selectors
from plans.models import Criterion, Goal, ReintegrationPlan, Review, ReviewCriterionResult, SupportAction
from plans.services import review_record
from plans.views import TEACHER_CLOSED_PLAN, TEACHER_DRAFT_PLAN
from schools.access import Access, Can, get_for, require

plans = Router(tags=["Plans"])
goals = Router(tags=["Plans"])
criteria = Router(tags=["Plans"])
reviews = Router(tags=["Plans"])

ACTIVE = ReintegrationPlan.Status.ACTIVE


def _full(access: Access) -> bool:
    return access.can(Can.VIEW_PLAN_DETAIL)


def _refuse_inactive(access: Access, plan: ReintegrationPlan) -> None:
    """The plan page's rule: a role with view_plans only sees a plan while it is active."""
    if not _full(access) and plan.status != ACTIVE:
        draft = plan.status == ReintegrationPlan.Status.DRAFT
        raise PermissionDenied(TEACHER_DRAFT_PLAN if draft else TEACHER_CLOSED_PLAN)


# --- Converters ------------------------------------------------------------------------------------------------------


def result_out(result: ReviewCriterionResult | None) -> dict[str, Any] | None:
    if result is None:
        return None
    return {
        "review_id": result.review_id,
        "held_on": result.review.held_on,
        "observed_value": number(result.observed_value),
        "observed_yes": result.observed_yes,
        "met": result.met,
        "comment": result.comment,
    }


def criterion_out(criterion: Criterion, latest: dict[int, ReviewCriterionResult]) -> dict[str, Any]:
    return {
        "id": criterion.pk,
        "goal_id": criterion.goal_id,
        "measure": criterion.measure,
        "kind": criterion.kind,
        "source": criterion.source,
        "source_category": criterion.source_category,
        "baseline_value": number(criterion.baseline_value),
        "baseline_note": criterion.baseline_note,
        "comparator": criterion.comparator,
        "target_value": number(criterion.target_value),
        "target_label": criterion.target_label,
        "due_date": criterion.due_date,
        "latest_result": result_out(latest.get(criterion.pk)),
    }


def action_out(action: SupportAction) -> dict[str, Any]:
    return {
        "id": action.pk,
        "by_whom": action.by_whom,
        "description": action.description,
        "owner": action.owner,
        "due_date": action.due_date,
        "done_on": action.done_on,
    }


def goal_out(goal: Goal, latest: dict[int, ReviewCriterionResult]) -> dict[str, Any]:
    return {
        "id": goal.pk,
        "plan_id": goal.plan_id,
        "area": goal.area,
        "pupil_aim": goal.pupil_aim,
        "expressed_by": goal.expressed_by,
        "expressed_by_name": goal.expressed_by_name,
        "current_position": goal.current_position,
        "pupil_actions": goal.pupil_actions,
        "start_date": goal.start_date,
        "target_date": goal.target_date,
        "longer_horizon_confirmed": goal.longer_horizon_confirmed,
        "review_dates": list(goal.review_dates),
        "lifecycle_status": goal.lifecycle_status,
        "achievement_status": goal.achievement_status,
        "version": goal.version,
        "criteria": [criterion_out(c, latest) for c in goal.criteria.all()],
        "actions": [action_out(a) for a in goal.actions.all()],
    }


def measure_out(evidence: CriterionEvidence) -> dict[str, Any]:
    criterion, evaluation = evidence.criterion, evidence.evaluation
    return {
        "criterion_id": criterion.pk,
        "goal_id": criterion.goal_id,
        "measure": criterion.measure,
        "source": criterion.source,
        "source_category": criterion.source_category,
        "unit": evaluation.unit,
        "value": evaluation.value,
        "baseline": evidence.baseline,
        "comparator": criterion.comparator,
        "target_value": number(criterion.target_value),
        "target_label": criterion.target_label,
        "met": evidence.met,
        "since": evaluation.since,
        "weeks_with_data": evaluation.weeks_with_data,
        "summary": evaluation.summary(),
        "weeks": [{"start": week.start, "value": week.value} for week in evaluation.weeks],
    }


def plan_out(plan: ReintegrationPlan) -> dict[str, Any]:
    return {
        "id": plan.pk,
        "pupil_id": plan.pupil_id,
        "suspension_id": plan.suspension_id,
        "status": plan.status,
        "strategy": plan.strategy,
        "key_adult": staff_name(plan.key_adult),
        "support_measures": plan.support_measures,
        "check_in_frequency": plan.check_in_frequency,
        "reasonable_adjustments": plan.reasonable_adjustments,
        "next_review_date": plan.next_review_date,
        "outcome": plan.outcome,
        "closed_on": plan.closed_on,
        "version": plan.version,
        "created_at": plan.created_at,
        "updated_at": plan.updated_at,
    }


def plan_detail_out(plan: ReintegrationPlan, access: Access) -> dict[str, Any]:
    full = _full(access)
    latest = selectors.latest_results_by_criterion(plan) if full else {}
    meeting = selectors.plan_meeting(plan) if full else None
    return {
        **plan_out(plan),
        "goals": [goal_out(goal, latest) for goal in plan.goals.all()],
        "no_meeting_reason": plan.no_meeting_reason if full else None,
        "meeting": None
        if meeting is None
        else {
            "status": meeting.status,
            "scheduled_for": meeting.scheduled_for,
            "mode": meeting.mode,
            "location": meeting.location,
            "pupil_views": meeting.pupil_views,
            "parent_views": meeting.parent_views,
            "notes": meeting.notes,
            "participants": [
                {"name": p.name, "role": p.role, "invited": p.invited, "attended": p.attended}
                for p in meeting.participants.all()
            ],
        },
    }


def review_out(review: Review) -> dict[str, Any]:
    return {
        "id": review.pk,
        "plan_id": review.plan_id,
        "pupil_id": review.plan.pupil_id,
        "held_on": review.held_on,
        "participants": review.participants,
        "decision": review.decision,
        "next_review_date": review.next_review_date,
        "notes": review.notes,
        "recorded_at": review.recorded_at,
        "recorded_by": staff_name(review.recorded_by) or "",
        "criterion_results": [
            {
                "criterion_id": result.criterion_id,
                "measure": result.criterion.measure,
                "observed_value": number(result.observed_value),
                "observed_yes": result.observed_yes,
                "met": result.met,
                "comment": result.comment,
            }
            for result in sorted(review.criterion_results.all(), key=lambda r: r.criterion_id)
        ],
        "goal_statuses": [
            {"goal_id": status.goal_id, "achievement_status": status.achievement_status}
            for status in sorted(review.goal_statuses.all(), key=lambda s: s.goal_id)
        ],
    }


def _goals_with_rows() -> QuerySet[Goal]:
    return Goal.objects.select_related("plan").prefetch_related(
        Prefetch("criteria", queryset=Criterion.objects.order_by("due_date", "id")),
        Prefetch("actions", queryset=SupportAction.objects.order_by("due_date", "id")),
    )


def _criterion_ids(goal_list: Iterable[Goal]) -> list[int]:
    return [criterion.pk for goal in goal_list for criterion in goal.criteria.all()]


# --- Plans -------------------------------------------------------------------------------------------------------


@plans.get("", response={200: PlanPage, **READ_ERRORS}, summary="List the school's reintegration plans")
def plan_list_read(request: HttpRequest, filters: Query[PlanFilters]) -> Any:
    """Soonest return last (newest first). A role without view_plan_detail sees active plans only.
    Capability: view_plans."""
    access = require(request, Can.VIEW_PLANS)
    found = ReintegrationPlan.objects.filter(school=access.school).select_related("key_adult")
    if not _full(access):
        found = found.filter(status=ACTIVE)
    if filters.pupil is not None:
        found = found.filter(pupil_id=filters.pupil)
    if filters.suspension is not None:
        found = found.filter(suspension_id=filters.suspension)
    if filters.status is not None:
        found = found.filter(status=filters.status)
    count, items = paginate(found.order_by("-suspension__return_date", "-id"), filters)
    record_api_access(request, [(plan, plan.pupil_id) for plan in items], what="plan")
    return page_of(count, filters, [plan_out(plan) for plan in items])


@plans.get("/{plan_id}", response={200: PlanDetailOut, **READ_ERRORS}, summary="One plan with its goals")
def plan_read(request: HttpRequest, plan_id: Id) -> Any:
    """The plan with its goals, criteria and support actions; with view_plan_detail also each criterion's latest
    result, the meeting and why no meeting is held. A role without view_plan_detail gets 403 for a draft or closed
    plan, as on the page. Capability: view_plans."""
    plan, access = get_for(request, selectors.plan_detail(), Can.VIEW_PLANS, pk=plan_id)
    _refuse_inactive(access, plan)
    record_api_access(request, [(plan, plan.pupil_id)], what="plan")
    return plan_detail_out(plan, access)


@plans.get(
    "/{plan_id}/measures",
    response={200: list[MeasureOut], **READ_ERRORS},
    summary="A plan's criteria measured from the school's data",
)
def plan_measures_read(request: HttpRequest, plan_id: Id) -> Any:
    """Each criterion linked to a measure (behaviour incidents, a category, points, attendance, lates), evaluated
    from the return to today from the evidence sent (evidence.selectors.plan_evidence): the figure, the baseline,
    whether it meets the target, and the weekly values. Capability: view_plan_detail, as on the plan page."""
    plan, _access = get_for(request, selectors.plan_detail(), Can.VIEW_PLAN_DETAIL, pk=plan_id)
    found = plan_evidence(plan, criteria=[c for goal in plan.goals.all() for c in goal.criteria.all()])
    record_api_access(request, [(plan, plan.pupil_id)], what="plan's measures")
    return [measure_out(evidence) for evidence in found.values()]


@plans.post("/{plan_id}/reviews", response={201: ReviewOut, **WRITE_ERRORS}, summary="Record a review")
def review_create(request: HttpRequest, plan_id: Id, payload: ReviewIn) -> Any:
    """Records a progress review of an active plan, as the page does (plans.services.review_record): every live goal
    needs its achievement status; a decision other than "close" needs the next review date; "close" needs the
    outcome and closes the plan. A criterion measured from the school's data that the request gives no result for
    takes the figure measured from the data, as the review form fills it in. Reviews cannot be changed afterwards.
    Capability: edit_plans."""
    plan, _access = get_for(request, selectors.plan_for_edit(), Can.EDIT_PLANS, pk=plan_id)
    user = writer(request)
    known = {criterion.pk: criterion for criterion in Criterion.objects.filter(goal__plan=plan)}
    sent = {row.criterion_id for row in payload.criterion_results}
    results: list[dict[str, Any]] = [
        {
            # An id that is not one of the plan's criteria is passed as an unsaved criterion: the service refuses it.
            "criterion": known.get(row.criterion_id) or Criterion(pk=row.criterion_id),
            "observed_value": row.observed_value,
            "observed_yes": row.observed_yes,
            "comment": row.comment,
        }
        for row in payload.criterion_results
    ]
    for criterion_id, evidence in plan_evidence(plan, criteria=known.values()).items():
        if criterion_id not in sent and evidence.value_for_review is not None:
            results.append(
                {"criterion": evidence.criterion, "observed_value": evidence.value_for_review, "comment": ""}
            )
    with audited_as_token_creator(request):
        review = review_record(
            plan=plan,
            held_on=payload.held_on,
            participants=payload.participants,
            decision=payload.decision,
            next_review_date=payload.next_review_date,
            notes=payload.notes,
            criterion_results=results,
            goal_statuses={row.goal_id: row.achievement_status for row in payload.goal_statuses},
            outcome=payload.outcome,
            recorded_by=user,
        )
    return Status(201, review_out(selectors.review_detail().get(pk=review.pk)))


# --- Goals -------------------------------------------------------------------------------------------------------


@goals.get("", response={200: GoalPage, **READ_ERRORS}, summary="List goals")
def goal_list_read(request: HttpRequest, filters: Query[GoalFilters]) -> Any:
    """Goals with their criteria and support actions, by plan. A role without view_plan_detail sees the goals of
    active plans only, without review results. Capability: view_plans."""
    access = require(request, Can.VIEW_PLANS)
    found = _goals_with_rows().filter(plan__school=access.school)
    if not _full(access):
        found = found.filter(plan__status=ACTIVE)
    if filters.plan is not None:
        found = found.filter(plan_id=filters.plan)
    if filters.pupil is not None:
        found = found.filter(plan__pupil_id=filters.pupil)
    if filters.area is not None:
        found = found.filter(area=filters.area)
    if filters.lifecycle_status is not None:
        found = found.filter(lifecycle_status=filters.lifecycle_status)
    if filters.achievement_status is not None:
        found = found.filter(achievement_status=filters.achievement_status)
    count, items = paginate(found.order_by("plan_id", "area", "id"), filters)
    latest = latest_results(_criterion_ids(items)) if _full(access) else {}
    record_api_access(request, [(goal, goal.plan.pupil_id) for goal in items], what="goal")
    return page_of(count, filters, [goal_out(goal, latest) for goal in items])


@goals.get("/{goal_id}", response={200: GoalOut, **READ_ERRORS}, summary="One goal")
def goal_read(request: HttpRequest, goal_id: Id) -> Any:
    """The goal with its criteria and support actions (and, with view_plan_detail, each criterion's latest result).
    403 for the goal of a draft or closed plan without view_plan_detail. Capability: view_plans."""
    goal, access = get_for(request, _goals_with_rows(), Can.VIEW_PLANS, school_field="plan__school", pk=goal_id)
    _refuse_inactive(access, goal.plan)
    latest = latest_results(_criterion_ids([goal])) if _full(access) else {}
    record_api_access(request, [(goal, goal.plan.pupil_id)], what="goal")
    return goal_out(goal, latest)


# --- Criteria ----------------------------------------------------------------------------------------------------


def _criteria() -> QuerySet[Criterion]:
    return Criterion.objects.select_related("goal", "goal__plan")


@criteria.get("", response={200: CriterionPage, **READ_ERRORS}, summary="List success criteria")
def criterion_list_read(request: HttpRequest, filters: Query[CriterionFilters]) -> Any:
    """Measurable success criteria, soonest due first, with the latest review result (view_plan_detail only).
    Capability: view_plans."""
    access = require(request, Can.VIEW_PLANS)
    found = _criteria().filter(goal__plan__school=access.school)
    if not _full(access):
        found = found.filter(goal__plan__status=ACTIVE)
    if filters.plan is not None:
        found = found.filter(goal__plan_id=filters.plan)
    if filters.goal is not None:
        found = found.filter(goal_id=filters.goal)
    if filters.pupil is not None:
        found = found.filter(goal__plan__pupil_id=filters.pupil)
    if filters.due_from is not None:
        found = found.filter(due_date__gte=filters.due_from)
    if filters.due_to is not None:
        found = found.filter(due_date__lte=filters.due_to)
    count, items = paginate(found.order_by("due_date", "id"), filters)
    latest = latest_results([c.pk for c in items]) if _full(access) else {}
    record_api_access(request, [(c, c.goal.plan.pupil_id) for c in items], what="criterion")
    return page_of(count, filters, [criterion_out(c, latest) for c in items])


@criteria.get("/{criterion_id}", response={200: CriterionOut, **READ_ERRORS}, summary="One success criterion")
def criterion_read(request: HttpRequest, criterion_id: Id) -> Any:
    """Capability: view_plans (403 for a draft or closed plan's criterion without view_plan_detail)."""
    criterion, access = get_for(
        request, _criteria(), Can.VIEW_PLANS, school_field="goal__plan__school", pk=criterion_id
    )
    _refuse_inactive(access, criterion.goal.plan)
    latest = latest_results([criterion.pk]) if _full(access) else {}
    record_api_access(request, [(criterion, criterion.goal.plan.pupil_id)], what="criterion")
    return criterion_out(criterion, latest)


# --- Reviews -----------------------------------------------------------------------------------------------------


@reviews.get("", response={200: ReviewPage, **READ_ERRORS}, summary="List reviews")
def review_list_read(request: HttpRequest, filters: Query[ReviewFilters]) -> Any:
    """Progress reviews, latest first, with their criterion results and goal statuses.
    Capability: view_plan_detail."""
    access = require(request, Can.VIEW_PLAN_DETAIL)
    found = selectors.review_detail().filter(plan__school=access.school)
    if filters.plan is not None:
        found = found.filter(plan_id=filters.plan)
    if filters.pupil is not None:
        found = found.filter(plan__pupil_id=filters.pupil)
    if filters.decision is not None:
        found = found.filter(decision=filters.decision)
    if filters.held_from is not None:
        found = found.filter(held_on__gte=filters.held_from)
    if filters.held_to is not None:
        found = found.filter(held_on__lte=filters.held_to)
    count, items = paginate(found.order_by("-held_on", "-id"), filters)
    record_api_access(request, [(review, review.plan.pupil_id) for review in items], what="review")
    return page_of(count, filters, [review_out(review) for review in items])


@reviews.get("/{review_id}", response={200: ReviewOut, **READ_ERRORS}, summary="One review")
def review_read(request: HttpRequest, review_id: Id) -> Any:
    """Capability: view_plan_detail."""
    review, _access = get_for(
        request, selectors.review_detail(), Can.VIEW_PLAN_DETAIL, school_field="plan__school", pk=review_id
    )
    record_api_access(request, [(review, review.plan.pupil_id)], what="review")
    return review_out(review)

"""Reads for the plan pages: a plan with everything prefetched, goals grouped by area, latest results, reviews.

Each page reads a fixed number of queries however many goals, criteria, actions and reviews a plan has.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db.models import Prefetch, QuerySet

from plans.models import (
    Criterion,
    Goal,
    Meeting,
    MeetingParticipant,
    ReintegrationPlan,
    Review,
    ReviewCriterionResult,
    ReviewGoalStatus,
    SupportAction,
)
from pupils.models import Contact, Pupil
from reintegrate import statutory
from schools.models import School
from schools.selectors import school_calendar

# The two sections every reintegration record has (The Key's template), then any others in this order.
RECORD_AREAS = (Goal.Area.BEHAVIOUR, Goal.Area.ACADEMIC)
LIVE_LIFECYCLES = (Goal.Lifecycle.PROPOSED, Goal.Lifecycle.ACTIVE)


def plan_detail() -> QuerySet[ReintegrationPlan]:
    """Plans with their pupil, suspension, key adult, meeting, goals (criteria, actions) and reviews.

    Use with schools.access.get_for(..., pk=pk).
    """
    return ReintegrationPlan.objects.select_related(
        "school", "pupil", "suspension", "key_adult", "meeting"
    ).prefetch_related(
        Prefetch("goals", queryset=Goal.objects.order_by("area", "id")),
        Prefetch("goals__criteria", queryset=Criterion.objects.order_by("due_date", "id")),
        Prefetch("goals__actions", queryset=SupportAction.objects.order_by("due_date", "id")),
        Prefetch("meeting__participants", queryset=MeetingParticipant.objects.order_by("id")),
        Prefetch("reviews", queryset=Review.objects.select_related("recorded_by").order_by("-held_on", "-id")),
    )


def plan_for_edit() -> QuerySet[ReintegrationPlan]:
    """Plans with what the edit forms show (pupil, suspension, school, meeting), nothing more."""
    return ReintegrationPlan.objects.select_related("school", "pupil", "suspension", "key_adult", "meeting")


def goal_for_edit() -> QuerySet[Goal]:
    """Goals with their plan, and their criteria and actions in form order. Use with school_field="plan__school"."""
    return Goal.objects.select_related("plan", "plan__school", "plan__pupil", "plan__suspension").prefetch_related(
        Prefetch("criteria", queryset=Criterion.objects.order_by("due_date", "id")),
        Prefetch("actions", queryset=SupportAction.objects.order_by("due_date", "id")),
    )


def plan_meeting(plan: ReintegrationPlan) -> Meeting | None:
    """The plan's meeting, or None when none has been arranged."""
    try:
        return plan.meeting
    except Meeting.DoesNotExist:
        return None


def latest_results_by_criterion(plan: ReintegrationPlan) -> dict[int, ReviewCriterionResult]:
    """For each criterion of the plan, its result at the most recent review that measured it (one query)."""
    results = (
        ReviewCriterionResult.objects.filter(criterion__goal__plan=plan)
        .select_related("review")
        .order_by("criterion_id", "-review__held_on", "-review_id")
    )
    latest: dict[int, ReviewCriterionResult] = {}
    for result in results:
        latest.setdefault(result.criterion_id, result)
    return latest


@dataclass(frozen=True)
class CriterionRow:
    criterion: Criterion
    latest: ReviewCriterionResult | None = None
    evidence: Any = None  # evidence.selectors.CriterionEvidence, for a criterion measured from the school's data

    @property
    def baseline_label(self) -> str:
        return baseline_label(self.criterion.baseline_value, self.criterion.baseline_note)

    @property
    def latest_label(self) -> str:
        """What was seen at the latest review that measured this criterion."""
        if self.latest is None:
            return "Not reviewed yet"
        return observed_label(self.criterion, self.latest)


@dataclass(frozen=True)
class GoalRow:
    goal: Goal
    review_days: list[date]
    criteria: list[CriterionRow]
    actions: list[SupportAction]

    @property
    def is_live(self) -> bool:
        return self.goal.lifecycle_status in LIVE_LIFECYCLES


@dataclass(frozen=True)
class AreaSection:
    area: str
    label: str
    goals: list[GoalRow] = field(default_factory=list)


def plain_number(value: Decimal | None) -> str:
    """2.50 -> '2.5', 5.00 -> '5'."""
    return "" if value is None else f"{value.normalize():f}"


def baseline_label(value: Decimal | None, note: str) -> str:
    number = plain_number(value)
    if number and note:
        return f"{number} ({note})"
    return number or note or "Not recorded"


def observed_label(criterion: Criterion, result: ReviewCriterionResult) -> str:
    if criterion.kind == Criterion.Kind.YES_NO:
        return "Not measured" if result.observed_yes is None else ("Yes" if result.observed_yes else "No")
    return plain_number(result.observed_value) or "Not measured"


def goal_rows(
    goals: Iterable[Goal],
    latest: dict[int, ReviewCriterionResult] | None = None,
    evidence: Mapping[int, Any] | None = None,
) -> list[GoalRow]:
    """Goals (with prefetched criteria and actions) ready for a page, with each criterion's latest result and, for
    criteria measured from the school's data, the evidence."""
    latest = latest or {}
    evidence = evidence or {}
    return [
        GoalRow(
            goal=goal,
            review_days=[date.fromisoformat(day) for day in goal.review_dates],
            criteria=[
                CriterionRow(criterion=c, latest=latest.get(c.pk), evidence=evidence.get(c.pk))
                for c in goal.criteria.all()
            ],
            actions=list(goal.actions.all()),
        )
        for goal in goals
    ]


def goals_by_area(rows: Sequence[GoalRow], *, always: Sequence[str] = ()) -> list[AreaSection]:
    """Goals grouped by area in the order of Goal.Area. Areas in `always` appear even with no goal."""
    sections: list[AreaSection] = []
    for area in Goal.Area:
        in_area = [row for row in rows if row.goal.area == area.value]
        if in_area or area.value in always:
            sections.append(AreaSection(area=area.value, label=area.label, goals=in_area))
    return sections


def staff_users(school: School) -> QuerySet[User]:
    """The school's staff (anyone with a role there), by name: the choices for a key adult."""
    user_model: Any = get_user_model()
    users: QuerySet[User] = (
        user_model.objects.filter(memberships__school=school, is_active=True)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )
    return users


def first_parent_contact(pupil: Pupil) -> Contact | None:
    """The first contact (by priority) with parental responsibility, to invite to the meeting."""
    return pupil.contacts.filter(parental_responsibility=True).order_by("priority", "name", "id").first()


def live_goals_for_review(plan: ReintegrationPlan) -> list[Goal]:
    """The plan's live goals with their criteria, in page order, for the review form."""
    return list(
        plan.goals.filter(lifecycle_status__in=LIVE_LIFECYCLES)
        .order_by("area", "id")
        .prefetch_related(Prefetch("criteria", queryset=Criterion.objects.order_by("due_date", "id")))
    )


# --- Reviews ------------------------------------------------------------------------------------------------


def review_detail() -> QuerySet[Review]:
    """Reviews with their plan, pupil, suspension and results. Use with school_field="plan__school"."""
    return Review.objects.select_related(
        "plan", "plan__school", "plan__pupil", "plan__suspension", "recorded_by"
    ).prefetch_related(
        Prefetch(
            "criterion_results", queryset=ReviewCriterionResult.objects.select_related("criterion", "criterion__goal")
        ),
        Prefetch("goal_statuses", queryset=ReviewGoalStatus.objects.select_related("goal")),
    )


@dataclass(frozen=True)
class ResultRow:
    goal_aim: str
    measure: str
    target_label: str
    observed: str
    met: bool | None
    comment: str


@dataclass(frozen=True)
class StatusRow:
    area_label: str
    goal_aim: str
    before: str
    after: str
    after_value: str


def review_results(review: Review) -> tuple[list[ResultRow], list[StatusRow]]:
    """The review's criterion results and goal statuses, described as they stood at the review (snapshot)."""
    goals = {g["id"]: g for g in review.snapshot.get("goals", [])}
    criteria = {c["id"]: (g, c) for g in goals.values() for c in g.get("criteria", [])}
    results: list[ResultRow] = []
    for result in review.criterion_results.all():
        goal_data, criterion_data = criteria.get(result.criterion_id, ({}, {}))
        criterion = result.criterion
        results.append(
            ResultRow(
                goal_aim=goal_data.get("pupil_aim", criterion.goal.pupil_aim),
                measure=criterion_data.get("measure", criterion.measure),
                target_label=criterion_data.get("target_label", criterion.target_label),
                observed=observed_label(criterion, result),
                met=result.met,
                comment=result.comment,
            )
        )
    statuses: list[StatusRow] = []
    labels = dict(Goal.Achievement.choices)
    for status in review.goal_statuses.all():
        goal_data = goals.get(status.goal_id, {})
        statuses.append(
            StatusRow(
                area_label=goal_data.get("area_label", status.goal.get_area_display()),
                goal_aim=goal_data.get("pupil_aim", status.goal.pupil_aim),
                before=goal_data.get("achievement_label", ""),
                after=labels.get(status.achievement_status, status.achievement_status),
                after_value=status.achievement_status,
            )
        )
    statuses.sort(key=lambda row: (row.area_label, row.goal_aim))
    return results, statuses


def snapshot_for_page(snapshot: dict[str, Any]) -> dict[str, Any]:
    """A copy of a review snapshot with its ISO dates turned into dates, for the |date filter."""
    data = copy.deepcopy(snapshot)
    plan = data.setdefault("plan", {})
    plan["next_review_date"] = _day(plan.get("next_review_date"))
    for goal in data.setdefault("goals", []):
        goal["start_date"] = _day(goal.get("start_date"))
        goal["target_date"] = _day(goal.get("target_date"))
        goal["review_dates"] = [_day(day) for day in goal.get("review_dates", [])]
        for criterion in goal.get("criteria", []):
            criterion["due_date"] = _day(criterion.get("due_date"))
            value = criterion.get("baseline_value")
            criterion["baseline_label"] = baseline_label(
                Decimal(value) if value else None, criterion.get("baseline_note", "")
            )
        for action in goal.get("actions", []):
            action["due_date"] = _day(action.get("due_date"))
            action["done_on"] = _day(action.get("done_on"))
    return data


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def suggested_first_review(plan: ReintegrationPlan) -> date | None:
    """The first review date the plan form suggests: two school weeks after the return."""
    return_date = plan.suspension.return_date
    if return_date is None:
        return None
    return statutory.suggested_first_review(school_calendar(plan.school), return_date=return_date)

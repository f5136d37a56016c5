"""Writes for reintegration plans: the strategy, the meeting, goals with criteria, and reviews.

Every function runs in one transaction and refuses bad input with a ValidationError keyed by field name.
Rows of a list argument are keyed "<list>-<index>-<field>" (for example "criteria-0-due_date"), where the
index is the position in the list passed in, so that a page can put each message beside the right row.

Edits are optimistic: the caller passes the version it read, and the write only happens if nobody has
changed the record since. Nothing here ever changes a suspension: the pupil returns on the return date
whether or not a meeting takes place.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from audit.changes import record_created, record_update, snapshot
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
from reintegrate import statutory
from schools.models import Membership

PLAN_CONFLICT = (
    "Someone else changed this plan while you were editing it. Your changes have not been saved. "
    "Reload the page to see their changes, then make yours again."
)
MEETING_CONFLICT = (
    "Someone else changed this meeting while you were editing it. Your changes have not been saved. "
    "Reload the page to see their changes, then make yours again."
)
GOAL_CONFLICT = (
    "Someone else changed this goal while you were editing it. Your changes have not been saved. "
    "Reload the page to see their changes, then make yours again."
)
PLAN_CLOSED = "This plan is closed, so it can no longer be changed."
STRATEGY_REQUIRED = "Write the strategy: how the pupil's behaviour will be managed on return. Every return needs one."
KEY_ADULT_NOT_STAFF = "Choose a member of staff at this school as the key adult."
CHECK_IN_INVALID = "Choose how often the pupil will check in."
FIRST_REVIEW_BEFORE_RETURN = "The first review must be on or after the return ({day})."
FIRST_REVIEW_REQUIRED = "Enter the date of the first review, so that the plan's progress is checked."
NO_MEETING_REASON_REQUIRED = (
    "Enter why no meeting will be held, for example: parents declined; we spoke by phone instead."
)
NO_MEETING_BUT_HELD = "A meeting has already been recorded as held, so you cannot record that no meeting is held."

MEETING_STATUS_INVALID = "Choose whether the meeting is arranged, was held, or did not take place."
MEETING_MODE_INVALID = "Choose whether the meeting is in person or remote."
MEETING_HELD_IN_FUTURE = (
    "A meeting can only be recorded as held on or before today. Choose 'Arranged' for a later date."
)
MEETING_HELD_NEEDS_ATTENDEE = "A held meeting needs at least one person marked as attended."
PARTICIPANT_NAME_REQUIRED = "Enter the person's name, or leave the whole row empty."
PARTICIPANT_ROLE_REQUIRED = "Enter the person's role, for example pupil, mother or head of year."

AREA_INVALID = "Choose the area of the goal."
AIM_REQUIRED = "Enter what the pupil wants to achieve, in their own words."
EXPRESSED_BY_INVALID = "Choose who said this."
CURRENT_POSITION_REQUIRED = "Enter where the pupil is now, against the aim."
PUPIL_ACTIONS_REQUIRED = "Enter what the pupil will do to reach the aim."
START_DATE_REQUIRED = "Enter the start date, for example 27/11/2026."
TARGET_DATE_REQUIRED = "Enter the target date, for example 27/11/2026."
TARGET_NOT_AFTER_RETURN = "The target date must be after the return on {day}."
TARGET_NOT_AFTER_START = "The target date must be after the start date ({day})."
TARGET_BEYOND_TERM = (
    "The target date is more than a term after the return (after {day}). "
    "Choose an earlier date, or confirm a longer timeline."
)
REVIEW_DATE_OUTSIDE = "Each review date must be between the start date ({start}) and the target date ({target})."
CRITERIA_REQUIRED = "Add at least one criterion for measuring progress."
CRITERION_MEASURE_REQUIRED = "Enter what will be measured, for example 'on-call logs per week'."
CRITERION_KIND_INVALID = "Choose whether the criterion is a number or a yes or no check."
CRITERION_COMPARATOR_REQUIRED = "Choose how the measure compares with the target, for example 'at most'."
CRITERION_TARGET_REQUIRED = "Enter the target number, for example 2."
CRITERION_YES_NO_HAS_TARGET = "A yes or no check has no comparison or target number. Leave them empty."
CRITERION_DUE_REQUIRED = "A criterion needs a due date, so that progress can be measured."
CRITERION_SOURCE_INVALID = "Choose where the criterion is measured from."
CRITERION_MEASURED_IS_NUMBER = (
    "A criterion measured from the school's data is a number: choose 'A number', with a comparison and a target."
)
CRITERION_CATEGORY_REQUIRED = "Enter the behaviour category to count, as your MIS names it, for example Disruption."
CRITERION_DUE_BEFORE_RETURN = "The due date must be on or after the return ({day})."
CRITERION_DUE_AFTER_TARGET = "The due date must not be after the goal's target date ({day})."
CRITERION_HAS_RESULTS = (
    "The criterion '{measure}' has review results, so it cannot be removed. Change it, or add a new one."
)
NUMBER_INVALID = "Enter a number, for example 2 or 2.5."
NUMBER_TOO_LARGE = "Enter a number smaller than 10,000,000."
UNKNOWN_ROW = "This row does not belong to this goal. Reload the page and try again."
ACTION_BY_WHOM_INVALID = "Choose who will do this."
ACTION_DESCRIPTION_REQUIRED = "Enter what will be done."
ACTION_OWNER_REQUIRED = "Enter the name of the person who will make sure it happens."
ACTION_DUE_REQUIRED = "Enter the due date, for example 27/11/2026."

REVIEW_DRAFT_PLAN = "Write and agree the strategy before the first review."
REVIEW_CLOSED_PLAN = "This plan is closed. Its reviews are complete."
REVIEW_HELD_ON_REQUIRED = "Enter the date the review was held, for example 27/11/2026."
REVIEW_HELD_IN_FUTURE = "The date the review was held cannot be in the future."
REVIEW_HELD_BEFORE_RETURN = "The review cannot be before the pupil's return on {day}."
REVIEW_PARTICIPANTS_REQUIRED = "Enter who took part in the review."
REVIEW_DECISION_INVALID = "Choose a decision."
REVIEW_OUTCOME_REQUIRED = "Choose the outcome of the plan, to close it."
REVIEW_NEXT_REQUIRED = "Enter the date of the next review, for example 27/11/2026."
REVIEW_NEXT_NOT_AFTER = "The next review must be after this review ({day})."
REVIEW_GOAL_STATUS_REQUIRED = "Choose how the pupil is getting on with this goal."
REVIEW_UNKNOWN_GOAL = "A goal in this review is not a live goal of this plan. Reload the page and try again."
REVIEW_UNKNOWN_CRITERION = "A criterion in this review is not part of this plan. Reload the page and try again."

LIVE_LIFECYCLES = (Goal.Lifecycle.PROPOSED, Goal.Lifecycle.ACTIVE)
MAX_NUMBER = Decimal("10000000")

Errors = dict[str, list[str]]


def _add(errors: Errors, key: str, message: str) -> None:
    errors.setdefault(key, []).append(message)


def _uk(day: date) -> str:
    return f"{day:%d/%m/%Y}"


def _refuse_closed(plan: ReintegrationPlan) -> None:
    if plan.status == ReintegrationPlan.Status.CLOSED:
        raise ValidationError(PLAN_CLOSED, code="closed")


# --- The plan: strategy and the no-meeting reason -----------------------------------------------------------


@transaction.atomic
def plan_update(
    *,
    plan: ReintegrationPlan,
    version: int,
    strategy: str,
    key_adult: User | None,
    support_measures: str,
    check_in_frequency: str,
    reasonable_adjustments: str,
    activate: bool,
    next_review_date: date | None = None,
) -> ReintegrationPlan:
    """Save the strategy and support; `activate` makes a draft plan active. Refuses a stale `version`.

    `next_review_date` sets the first (or next) review; None leaves it as it is. An active plan needs one.
    """
    _refuse_closed(plan)
    errors: Errors = {}
    if not strategy.strip():
        _add(errors, "strategy", STRATEGY_REQUIRED)
    return_date = plan.suspension.return_date
    if next_review_date is not None and return_date is not None and next_review_date < return_date:
        _add(errors, "next_review_date", FIRST_REVIEW_BEFORE_RETURN.format(day=f"{return_date:%d/%m/%Y}"))
    will_be_active = activate or plan.status == ReintegrationPlan.Status.ACTIVE
    if will_be_active and next_review_date is None and plan.next_review_date is None and plan.reviews.count() == 0:
        _add(errors, "next_review_date", FIRST_REVIEW_REQUIRED)
    if key_adult is not None and not Membership.objects.filter(user=key_adult, school_id=plan.school_id).exists():
        _add(errors, "key_adult", KEY_ADULT_NOT_STAFF)
    if check_in_frequency and check_in_frequency not in ReintegrationPlan.CheckIn.values:
        _add(errors, "check_in_frequency", CHECK_IN_INVALID)
    if errors:
        raise ValidationError(errors)

    status = ReintegrationPlan.Status.ACTIVE if activate else plan.status
    before = snapshot(plan)
    updated = (
        ReintegrationPlan.objects.filter(pk=plan.pk, version=version)
        .exclude(status=ReintegrationPlan.Status.CLOSED)
        .update(
            strategy=strategy.strip(),
            key_adult=key_adult,
            support_measures=support_measures.strip(),
            check_in_frequency=check_in_frequency,
            reasonable_adjustments=reasonable_adjustments.strip(),
            status=status,
            next_review_date=next_review_date or F("next_review_date"),
            version=F("version") + 1,
            updated_at=timezone.now(),
        )
    )
    if updated == 0:
        raise ValidationError(PLAN_CONFLICT, code="conflict")
    plan.refresh_from_db()
    record_update(before, plan)
    return plan


@transaction.atomic
def plan_record_no_meeting(*, plan: ReintegrationPlan, version: int, reason: str) -> ReintegrationPlan:
    """Record why no reintegration meeting is held. A meeting that was only arranged is marked as not held."""
    _refuse_closed(plan)
    if not reason.strip():
        raise ValidationError({"reason": [NO_MEETING_REASON_REQUIRED]})
    meeting = Meeting.objects.select_for_update().filter(plan=plan).first()
    if meeting is not None and meeting.status == Meeting.Status.HELD:
        raise ValidationError({"reason": [NO_MEETING_BUT_HELD]})
    before = snapshot(plan)
    updated = (
        ReintegrationPlan.objects.filter(pk=plan.pk, version=version)
        .exclude(status=ReintegrationPlan.Status.CLOSED)
        .update(no_meeting_reason=reason.strip(), version=F("version") + 1, updated_at=timezone.now())
    )
    if updated == 0:
        raise ValidationError(PLAN_CONFLICT, code="conflict")
    if meeting is not None and meeting.status == Meeting.Status.ARRANGED:
        meeting_before = snapshot(meeting)
        Meeting.objects.filter(pk=meeting.pk).update(
            status=Meeting.Status.NOT_HELD, version=F("version") + 1, updated_at=timezone.now()
        )
        meeting.refresh_from_db()
        record_update(meeting_before, meeting)
    plan.refresh_from_db()
    record_update(before, plan)
    return plan


# --- The meeting --------------------------------------------------------------------------------------------


@transaction.atomic
def meeting_save(
    *,
    plan: ReintegrationPlan,
    version: int | None,
    status: str,
    scheduled_for: datetime,
    mode: str,
    location: str,
    pupil_views: str,
    parent_views: str,
    notes: str,
    participants: Sequence[Mapping[str, Any]],
) -> Meeting:
    """Arrange or record the plan's meeting (create when `version` is None) and replace its participants.

    Rule: the meeting is optional and never a condition of return, so nothing here touches the suspension.
    """
    _refuse_closed(plan)
    errors: Errors = {}
    if status not in Meeting.Status.values:
        _add(errors, "status", MEETING_STATUS_INVALID)
    if mode not in Meeting.Mode.values:
        _add(errors, "mode", MEETING_MODE_INVALID)
    if timezone.is_naive(scheduled_for):
        scheduled_for = timezone.make_aware(scheduled_for)
    if status == Meeting.Status.HELD and timezone.localtime(scheduled_for).date() > timezone.localdate():
        _add(errors, "scheduled_for", MEETING_HELD_IN_FUTURE)
    rows: list[MeetingParticipant] = []
    for index, person in enumerate(participants):
        name = str(person.get("name") or "").strip()
        role = str(person.get("role") or "").strip()
        if not name:
            _add(errors, f"participants-{index}-name", PARTICIPANT_NAME_REQUIRED)
        if not role:
            _add(errors, f"participants-{index}-role", PARTICIPANT_ROLE_REQUIRED)
        attended = person.get("attended")
        rows.append(
            MeetingParticipant(
                name=name, role=role, invited=bool(person.get("invited", True)), attended=_optional_bool(attended)
            )
        )
    if status == Meeting.Status.HELD and not any(row.attended for row in rows):
        _add(errors, "participants", MEETING_HELD_NEEDS_ATTENDEE)
    if errors:
        raise ValidationError(errors)

    fields = {
        "status": status,
        "scheduled_for": scheduled_for,
        "mode": mode,
        "location": location.strip(),
        "pupil_views": pupil_views.strip(),
        "parent_views": parent_views.strip(),
        "notes": notes.strip(),
    }
    if version is None:
        # Lock the plan first: two people arranging the first meeting at once would otherwise both find none
        # and the second would hit the one-meeting-per-plan constraint (a crash, not a conflict message).
        list(ReintegrationPlan.objects.select_for_update().filter(pk=plan.pk).values_list("pk", flat=True))
        if Meeting.objects.filter(plan=plan).exists():
            raise ValidationError(MEETING_CONFLICT, code="conflict")
        meeting = Meeting.objects.create(plan=plan, **fields)
    else:
        before = Meeting.objects.filter(plan=plan, version=version).first()
        updated = Meeting.objects.filter(plan=plan, version=version).update(
            **fields, version=F("version") + 1, updated_at=timezone.now()
        )
        if updated == 0 or before is None:
            raise ValidationError(MEETING_CONFLICT, code="conflict")
        meeting = Meeting.objects.get(plan=plan)
        record_update(before, meeting)
        meeting.participants.all().delete()
    for row in rows:
        row.meeting = meeting
    record_created(MeetingParticipant.objects.bulk_create(rows))
    return meeting


def _optional_bool(value: Any) -> bool | None:
    if value is None or value == "":
        return None
    return bool(value)


# --- Goals --------------------------------------------------------------------------------------------------


@transaction.atomic
def goal_create(
    *,
    plan: ReintegrationPlan,
    area: str,
    pupil_aim: str,
    expressed_by: str,
    expressed_by_name: str,
    current_position: str,
    pupil_actions: str,
    start_date: date,
    target_date: date,
    longer_horizon_confirmed: bool,
    review_dates: Sequence[date],
    criteria: Sequence[Mapping[str, Any]],
    actions: Sequence[Mapping[str, Any]],
) -> Goal:
    """Add a goal with its measurable criteria and its support actions to a plan."""
    _refuse_closed(plan)
    goal = Goal(plan=plan)
    cleaned = _clean_goal(
        plan=plan,
        goal=goal,
        area=area,
        pupil_aim=pupil_aim,
        expressed_by=expressed_by,
        expressed_by_name=expressed_by_name,
        current_position=current_position,
        pupil_actions=pupil_actions,
        start_date=start_date,
        target_date=target_date,
        longer_horizon_confirmed=longer_horizon_confirmed,
        review_dates=review_dates,
        criteria=criteria,
        actions=actions,
    )
    for name, value in cleaned.fields.items():
        setattr(goal, name, value)
    goal.lifecycle_status = Goal.Lifecycle.ACTIVE
    goal.save()
    _save_rows(goal, cleaned)
    return goal


@transaction.atomic
def goal_update(
    *,
    goal: Goal,
    version: int,
    area: str,
    pupil_aim: str,
    expressed_by: str,
    expressed_by_name: str,
    current_position: str,
    pupil_actions: str,
    start_date: date,
    target_date: date,
    longer_horizon_confirmed: bool,
    review_dates: Sequence[date],
    criteria: Sequence[Mapping[str, Any]],
    actions: Sequence[Mapping[str, Any]],
) -> Goal:
    """Change a goal, its criteria and its actions. Rows with an "id" are changed in place; others are added.

    A criterion that has review results cannot be removed (the reviews refer to it).
    """
    plan = goal.plan
    _refuse_closed(plan)
    cleaned = _clean_goal(
        plan=plan,
        goal=goal,
        area=area,
        pupil_aim=pupil_aim,
        expressed_by=expressed_by,
        expressed_by_name=expressed_by_name,
        current_position=current_position,
        pupil_actions=pupil_actions,
        start_date=start_date,
        target_date=target_date,
        longer_horizon_confirmed=longer_horizon_confirmed,
        review_dates=review_dates,
        criteria=criteria,
        actions=actions,
    )
    before = snapshot(goal)
    updated = Goal.objects.filter(pk=goal.pk, version=version).update(**cleaned.fields, version=F("version") + 1)
    if updated == 0:
        raise ValidationError(GOAL_CONFLICT, code="conflict")
    goal.refresh_from_db()
    record_update(before, goal)
    _save_rows(goal, cleaned)
    return goal


class _CleanedGoal:
    def __init__(self) -> None:
        self.fields: dict[str, Any] = {}
        self.criteria: list[Criterion] = []
        self.actions: list[SupportAction] = []
        self.criteria_to_delete: list[int] = []
        self.actions_to_delete: list[int] = []


def _clean_goal(
    *,
    plan: ReintegrationPlan,
    goal: Goal,
    area: str,
    pupil_aim: str,
    expressed_by: str,
    expressed_by_name: str,
    current_position: str,
    pupil_actions: str,
    start_date: date | None,
    target_date: date | None,
    longer_horizon_confirmed: bool,
    review_dates: Sequence[date],
    criteria: Sequence[Mapping[str, Any]],
    actions: Sequence[Mapping[str, Any]],
) -> _CleanedGoal:
    """Check every rule for a goal and build (unsaved) rows. Raises one ValidationError with every problem."""
    errors: Errors = {}
    return_date = plan.suspension.return_date
    assert return_date is not None  # only a suspension with a return has a plan

    if area not in Goal.Area.values:
        _add(errors, "area", AREA_INVALID)
    if not pupil_aim.strip():
        _add(errors, "pupil_aim", AIM_REQUIRED)
    if expressed_by not in Goal.ExpressedBy.values:
        _add(errors, "expressed_by", EXPRESSED_BY_INVALID)
    if not current_position.strip():
        _add(errors, "current_position", CURRENT_POSITION_REQUIRED)
    if not pupil_actions.strip():
        _add(errors, "pupil_actions", PUPIL_ACTIONS_REQUIRED)
    if start_date is None:
        _add(errors, "start_date", START_DATE_REQUIRED)
    if target_date is None:
        _add(errors, "target_date", TARGET_DATE_REQUIRED)
    else:
        limit = statutory.realistic_target_limit(return_date)
        if target_date <= return_date:
            _add(errors, "target_date", TARGET_NOT_AFTER_RETURN.format(day=_uk(return_date)))
        elif start_date is not None and target_date <= start_date:
            _add(errors, "target_date", TARGET_NOT_AFTER_START.format(day=_uk(start_date)))
        elif target_date > limit and not longer_horizon_confirmed:
            _add(errors, "target_date", TARGET_BEYOND_TERM.format(day=_uk(limit)))
    if start_date is not None and target_date is not None:
        for day in review_dates:
            if not start_date <= day <= target_date:
                _add(
                    errors,
                    "review_dates",
                    REVIEW_DATE_OUTSIDE.format(start=_uk(start_date), target=_uk(target_date)),
                )
                break

    cleaned = _CleanedGoal()
    existing_criteria = {c.pk: c for c in goal.criteria.all()} if goal.pk else {}
    existing_actions = {a.pk: a for a in goal.actions.all()} if goal.pk else {}

    if not criteria:
        _add(errors, "criteria", CRITERIA_REQUIRED)
    kept_criteria: set[int] = set()
    for index, row in enumerate(criteria):
        key = f"criteria-{index}-"
        criterion = _existing_row(row, existing_criteria, errors, key)
        if criterion is None:
            criterion = Criterion()
        else:
            kept_criteria.add(criterion.pk)
        measure = str(row.get("measure") or "").strip()
        kind = str(row.get("kind") or "")
        comparator = str(row.get("comparator") or "")
        baseline_value = _decimal(row.get("baseline_value"), errors, key + "baseline_value")
        target_value = _decimal(row.get("target_value"), errors, key + "target_value")
        due_date = row.get("due_date")
        if not measure:
            _add(errors, key + "measure", CRITERION_MEASURE_REQUIRED)
        if kind not in Criterion.Kind.values:
            _add(errors, key + "kind", CRITERION_KIND_INVALID)
        elif kind == Criterion.Kind.NUMBER:
            if comparator not in Criterion.Comparator.values:
                _add(errors, key + "comparator", CRITERION_COMPARATOR_REQUIRED)
            if target_value is None and key + "target_value" not in errors:
                _add(errors, key + "target_value", CRITERION_TARGET_REQUIRED)
        else:
            if comparator:
                _add(errors, key + "comparator", CRITERION_YES_NO_HAS_TARGET)
            if target_value is not None:
                _add(errors, key + "target_value", CRITERION_YES_NO_HAS_TARGET)
        if due_date is None:
            _add(errors, key + "due_date", CRITERION_DUE_REQUIRED)
        elif due_date < return_date:
            _add(errors, key + "due_date", CRITERION_DUE_BEFORE_RETURN.format(day=_uk(return_date)))
        elif target_date is not None and due_date > target_date:
            _add(errors, key + "due_date", CRITERION_DUE_AFTER_TARGET.format(day=_uk(target_date)))
        criterion.measure = measure
        criterion.kind = kind
        criterion.baseline_value = baseline_value
        criterion.baseline_note = str(row.get("baseline_note") or "").strip()
        criterion.comparator = comparator
        criterion.target_value = target_value
        criterion.due_date = due_date
        source = str(row.get("source") or Criterion.Source.MANUAL)
        category = str(row.get("source_category") or "").strip()
        if source not in Criterion.Source.values:
            _add(errors, key + "source", CRITERION_SOURCE_INVALID)
        elif source != Criterion.Source.MANUAL and kind != Criterion.Kind.NUMBER:
            _add(errors, key + "source", CRITERION_MEASURED_IS_NUMBER)
        if source == Criterion.Source.CATEGORY and not category:
            _add(errors, key + "source_category", CRITERION_CATEGORY_REQUIRED)
        criterion.source = source
        criterion.source_category = category if source == Criterion.Source.CATEGORY else ""
        cleaned.criteria.append(criterion)
    removed = [c for pk, c in existing_criteria.items() if pk not in kept_criteria]
    if removed:
        reviewed = set(
            ReviewCriterionResult.objects.filter(criterion__in=removed).values_list("criterion_id", flat=True)
        )
        for criterion in removed:
            if criterion.pk in reviewed:
                _add(errors, "criteria", CRITERION_HAS_RESULTS.format(measure=criterion.measure))
            else:
                cleaned.criteria_to_delete.append(criterion.pk)

    kept_actions: set[int] = set()
    for index, row in enumerate(actions):
        key = f"actions-{index}-"
        action = _existing_row(row, existing_actions, errors, key)
        if action is None:
            action = SupportAction()
        else:
            kept_actions.add(action.pk)
        by_whom = str(row.get("by_whom") or "")
        description = str(row.get("description") or "").strip()
        owner = str(row.get("owner") or "").strip()
        due_date = row.get("due_date")
        if by_whom not in SupportAction.ByWhom.values:
            _add(errors, key + "by_whom", ACTION_BY_WHOM_INVALID)
        if not description:
            _add(errors, key + "description", ACTION_DESCRIPTION_REQUIRED)
        if not owner:
            _add(errors, key + "owner", ACTION_OWNER_REQUIRED)
        if due_date is None:
            _add(errors, key + "due_date", ACTION_DUE_REQUIRED)
        action.by_whom = by_whom
        action.description = description
        action.owner = owner
        action.due_date = due_date
        cleaned.actions.append(action)
    cleaned.actions_to_delete = [pk for pk in existing_actions if pk not in kept_actions]

    if errors:
        raise ValidationError(errors)

    cleaned.fields = {
        "area": area,
        "pupil_aim": pupil_aim.strip(),
        "expressed_by": expressed_by,
        "expressed_by_name": expressed_by_name.strip(),
        "current_position": current_position.strip(),
        "pupil_actions": pupil_actions.strip(),
        "start_date": start_date,
        "target_date": target_date,
        "longer_horizon_confirmed": bool(longer_horizon_confirmed),
        "review_dates": [day.isoformat() for day in sorted(set(review_dates))],
    }
    return cleaned


def _existing_row(row: Mapping[str, Any], existing: Mapping[int, Any], errors: Errors, key: str) -> Any:
    row_id = row.get("id")
    if row_id in (None, ""):
        return None
    try:
        found = existing.get(int(row_id))
    except (TypeError, ValueError):
        found = None
    if found is None:
        _add(errors, key + "id", UNKNOWN_ROW)
    return found


def _decimal(value: Any, errors: Errors, key: str) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except InvalidOperation:
        _add(errors, key, NUMBER_INVALID)
        return None
    if not number.is_finite():
        _add(errors, key, NUMBER_INVALID)
        return None
    if abs(number) >= MAX_NUMBER:
        _add(errors, key, NUMBER_TOO_LARGE)
        return None
    return number.quantize(Decimal("0.01"))


def _save_rows(goal: Goal, cleaned: _CleanedGoal) -> None:
    Criterion.objects.filter(pk__in=cleaned.criteria_to_delete).delete()
    SupportAction.objects.filter(pk__in=cleaned.actions_to_delete).delete()
    for criterion in cleaned.criteria:
        criterion.goal = goal
        criterion.save()
    for action in cleaned.actions:
        action.goal = goal
        action.save()


# --- Reviews ------------------------------------------------------------------------------------------------


@transaction.atomic
def review_record(
    *,
    plan: ReintegrationPlan,
    held_on: date,
    participants: str,
    decision: str,
    next_review_date: date | None,
    notes: str,
    criterion_results: Sequence[Mapping[str, Any]],
    goal_statuses: Mapping[int, str],
    outcome: str,
    recorded_by: User,
) -> Review:
    """Record a progress review (append-only), keeping a snapshot of the plan as it stood before it.

    Sets each live goal's achievement status and the plan's next review; the decision "close" closes the plan.
    Errors for one goal or criterion are keyed "goal_<id>_status" and "criterion_<id>_value".
    """
    locked = (
        ReintegrationPlan.objects.select_for_update(of=("self",))
        .select_related("suspension", "key_adult")
        .get(pk=plan.pk)
    )
    if locked.status == ReintegrationPlan.Status.DRAFT:
        raise ValidationError(REVIEW_DRAFT_PLAN, code="draft")
    if locked.status == ReintegrationPlan.Status.CLOSED:
        raise ValidationError(REVIEW_CLOSED_PLAN, code="closed")

    errors: Errors = {}
    return_date = locked.suspension.return_date
    assert return_date is not None
    today = timezone.localdate()
    if held_on is None:
        _add(errors, "held_on", REVIEW_HELD_ON_REQUIRED)
    elif held_on > today:
        _add(errors, "held_on", REVIEW_HELD_IN_FUTURE)
    elif held_on < return_date:
        _add(errors, "held_on", REVIEW_HELD_BEFORE_RETURN.format(day=_uk(return_date)))
    if not participants.strip():
        _add(errors, "participants", REVIEW_PARTICIPANTS_REQUIRED)
    closing = decision == Review.Decision.CLOSE
    if decision not in Review.Decision.values:
        _add(errors, "decision", REVIEW_DECISION_INVALID)
    if closing:
        if outcome not in ReintegrationPlan.Outcome.values:
            _add(errors, "outcome", REVIEW_OUTCOME_REQUIRED)
        next_review_date = None
    else:
        outcome = ""
        if next_review_date is None:
            _add(errors, "next_review_date", REVIEW_NEXT_REQUIRED)
        elif held_on is not None and next_review_date <= held_on:
            _add(errors, "next_review_date", REVIEW_NEXT_NOT_AFTER.format(day=_uk(held_on)))

    goals = list(locked.goals.prefetch_related("criteria", "actions").order_by("area", "id"))
    live = {goal.pk: goal for goal in goals if goal.lifecycle_status in LIVE_LIFECYCLES}
    for goal_id in goal_statuses:
        if goal_id not in live:
            _add(errors, "goal_statuses", REVIEW_UNKNOWN_GOAL)
            break
    for goal_id in live:
        if goal_statuses.get(goal_id) not in Goal.Achievement.values:
            _add(errors, f"goal_{goal_id}_status", REVIEW_GOAL_STATUS_REQUIRED)

    criteria = {criterion.pk: criterion for goal in goals for criterion in goal.criteria.all()}
    results: list[ReviewCriterionResult] = []
    seen: set[int] = set()
    for row in criterion_results:
        criterion = row.get("criterion")
        if not isinstance(criterion, Criterion) or criterion.pk not in criteria or criterion.pk in seen:
            _add(errors, "criterion_results", REVIEW_UNKNOWN_CRITERION)
            continue
        seen.add(criterion.pk)
        criterion = criteria[criterion.pk]
        value = _decimal(row.get("observed_value"), errors, f"criterion_{criterion.pk}_value")
        yes = _optional_bool(row.get("observed_yes"))
        if criterion.kind == Criterion.Kind.YES_NO:
            value = None
        else:
            yes = None
        comment = str(row.get("comment") or "").strip()
        if value is None and yes is None and not comment:
            continue
        results.append(
            ReviewCriterionResult(
                criterion=criterion,
                observed_value=value,
                observed_yes=yes,
                met=criterion.is_met(value=value, yes=yes),
                comment=comment,
            )
        )
    if errors:
        raise ValidationError(errors)

    review = Review(
        plan=locked,
        held_on=held_on,
        participants=participants.strip(),
        decision=decision,
        next_review_date=next_review_date,
        notes=notes.strip(),
        snapshot=plan_snapshot(locked, goals),
        recorded_by=recorded_by,
    )
    review.save()
    for result in results:
        result.review = review
    record_created(ReviewCriterionResult.objects.bulk_create(results))
    record_created(
        ReviewGoalStatus.objects.bulk_create(
            [
                ReviewGoalStatus(review=review, goal=goal, achievement_status=goal_statuses[goal_id])
                for goal_id, goal in live.items()
            ]
        )
    )
    for goal_id, goal in live.items():
        goal_before = snapshot(goal)
        goal.achievement_status = goal_statuses[goal_id]
        if closing and goal.achievement_status == Goal.Achievement.ACHIEVED:
            goal.lifecycle_status = Goal.Lifecycle.COMPLETED
        Goal.objects.filter(pk=goal_id).update(
            achievement_status=goal.achievement_status,
            lifecycle_status=goal.lifecycle_status,
            version=F("version") + 1,
        )
        record_update(goal_before, goal)

    plan_fields: dict[str, Any] = {
        "next_review_date": next_review_date,
        "version": F("version") + 1,
        "updated_at": timezone.now(),
    }
    if closing:
        plan_fields.update(status=ReintegrationPlan.Status.CLOSED, outcome=outcome, closed_on=held_on)
    ReintegrationPlan.objects.filter(pk=locked.pk).update(**plan_fields)
    plan.refresh_from_db()
    record_update(locked, plan)
    return review


def plan_snapshot(plan: ReintegrationPlan, goals: Sequence[Goal]) -> dict[str, Any]:
    """The plan and its goals (with criteria and actions) as plain JSON, for a review to keep."""
    key_adult = plan.key_adult
    return {
        "plan": {
            "status": plan.status,
            "status_label": plan.get_status_display(),
            "strategy": plan.strategy,
            "key_adult": (key_adult.get_full_name() or key_adult.get_username()) if key_adult else "",
            "check_in_frequency": plan.check_in_frequency,
            "check_in_label": plan.get_check_in_frequency_display() if plan.check_in_frequency else "",
            "support_measures": plan.support_measures,
            "reasonable_adjustments": plan.reasonable_adjustments,
            "next_review_date": plan.next_review_date.isoformat() if plan.next_review_date else None,
        },
        "goals": [
            {
                "id": goal.pk,
                "area": goal.area,
                "area_label": goal.get_area_display(),
                "pupil_aim": goal.pupil_aim,
                "expressed_by": goal.expressed_by,
                "expressed_by_label": goal.get_expressed_by_display(),
                "expressed_by_name": goal.expressed_by_name,
                "current_position": goal.current_position,
                "pupil_actions": goal.pupil_actions,
                "start_date": goal.start_date.isoformat(),
                "target_date": goal.target_date.isoformat(),
                "review_dates": list(goal.review_dates),
                "lifecycle_status": goal.lifecycle_status,
                "lifecycle_label": goal.get_lifecycle_status_display(),
                "achievement_status": goal.achievement_status,
                "achievement_label": goal.get_achievement_status_display(),
                "criteria": [
                    {
                        "id": criterion.pk,
                        "measure": criterion.measure,
                        "kind": criterion.kind,
                        "baseline_value": _json_number(criterion.baseline_value),
                        "baseline_note": criterion.baseline_note,
                        "comparator": criterion.comparator,
                        "target_value": _json_number(criterion.target_value),
                        "target_label": criterion.target_label,
                        "due_date": criterion.due_date.isoformat(),
                    }
                    for criterion in goal.criteria.all()
                ],
                "actions": [
                    {
                        "id": action.pk,
                        "by_whom": action.by_whom,
                        "by_whom_label": action.get_by_whom_display(),
                        "description": action.description,
                        "owner": action.owner,
                        "due_date": action.due_date.isoformat(),
                        "done_on": action.done_on.isoformat() if action.done_on else None,
                    }
                    for action in goal.actions.all()
                ],
            }
            for goal in goals
        ],
    }


def _json_number(value: Decimal | None) -> str | None:
    return None if value is None else f"{value.normalize():f}"

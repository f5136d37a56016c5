"""The rules of plans/services.py: strategy, meeting, goals, criteria and append-only reviews."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from plans import services
from plans.models import (
    Criterion,
    Goal,
    Meeting,
    ReintegrationPlan,
    Review,
    ReviewCriterionResult,
    ReviewGoalStatus,
    SupportAction,
)
from reintegrate import statutory
from testsupport.factories import UserFactory
from testsupport.plans import (
    RETURN,
    action_row,
    active_plan,
    add_goal,
    criterion_row,
    draft_plan,
    goal_fields,
    record_review,
)

LONDON = ZoneInfo("Europe/London")
LIMIT = statutory.realistic_target_limit(RETURN)


def _plan_kwargs(plan, **overrides):
    kwargs = {
        "plan": plan,
        "version": plan.version,
        "strategy": "Key adult at the gate each morning.",
        "key_adult": None,
        "support_measures": "",
        "check_in_frequency": "",
        "reasonable_adjustments": "",
        "activate": False,
        "next_review_date": plan.suspension.return_date + timedelta(days=14),
    }
    kwargs.update(overrides)
    return kwargs


def _messages(exc: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return exc.value.message_dict


# --- plan_update ---------------------------------------------------------------------------------------------


def test_saving_the_strategy_as_a_draft_keeps_the_plan_a_draft_and_bumps_its_version(pupil, headteacher):
    plan = draft_plan(pupil, headteacher)
    services.plan_update(**_plan_kwargs(plan))
    plan.refresh_from_db()
    assert plan.status == ReintegrationPlan.Status.DRAFT
    assert plan.strategy == "Key adult at the gate each morning."
    assert plan.version == 2


def test_activating_a_draft_makes_it_active(pupil, headteacher, pastoral_lead):
    plan = draft_plan(pupil, headteacher)
    services.plan_update(
        **_plan_kwargs(plan, activate=True, key_adult=pastoral_lead, check_in_frequency="daily", support_measures="x")
    )
    plan.refresh_from_db()
    assert plan.status == ReintegrationPlan.Status.ACTIVE
    assert plan.key_adult == pastoral_lead
    assert plan.get_check_in_frequency_display() == "Daily"


def test_a_blank_strategy_is_refused(pupil, headteacher):
    plan = draft_plan(pupil, headteacher)
    with pytest.raises(ValidationError) as exc:
        services.plan_update(**_plan_kwargs(plan, strategy="   ", activate=True))
    assert services.STRATEGY_REQUIRED in _messages(exc)["strategy"]
    plan.refresh_from_db()
    assert plan.status == ReintegrationPlan.Status.DRAFT
    assert plan.version == 1


def test_a_key_adult_from_another_school_is_refused(pupil, headteacher, other_head):
    plan = draft_plan(pupil, headteacher)
    with pytest.raises(ValidationError) as exc:
        services.plan_update(**_plan_kwargs(plan, key_adult=other_head))
    assert services.KEY_ADULT_NOT_STAFF in _messages(exc)["key_adult"]


def test_two_edits_from_the_same_version_refuse_the_second_and_keep_the_first(pupil, headteacher):
    plan = draft_plan(pupil, headteacher)
    first_copy = ReintegrationPlan.objects.get(pk=plan.pk)
    second_copy = ReintegrationPlan.objects.get(pk=plan.pk)
    services.plan_update(**_plan_kwargs(first_copy, version=1, strategy="The first person's strategy."))
    with pytest.raises(ValidationError) as exc:
        services.plan_update(**_plan_kwargs(second_copy, version=1, strategy="The second person's strategy."))
    assert exc.value.code == "conflict"
    assert exc.value.messages == [services.PLAN_CONFLICT]
    plan.refresh_from_db()
    assert plan.strategy == "The first person's strategy."
    assert plan.version == 2


def test_a_closed_plan_cannot_be_edited(pupil, headteacher):
    plan = active_plan(pupil, headteacher)
    record_review(plan, headteacher, decision=Review.Decision.CLOSE, outcome="achieved", next_review_date=None)
    plan.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        services.plan_update(**_plan_kwargs(plan, strategy="Changed after closing"))
    assert exc.value.messages == [services.PLAN_CLOSED]


# --- plan_record_no_meeting -----------------------------------------------------------------------------------


def test_recording_no_meeting_keeps_the_reason(pupil, headteacher):
    plan = draft_plan(pupil, headteacher)
    services.plan_record_no_meeting(plan=plan, version=1, reason="Parents declined; we agreed the plan by phone.")
    plan.refresh_from_db()
    assert plan.no_meeting_reason == "Parents declined; we agreed the plan by phone."
    assert plan.version == 2


def test_recording_no_meeting_needs_a_reason(pupil, headteacher):
    plan = draft_plan(pupil, headteacher)
    with pytest.raises(ValidationError) as exc:
        services.plan_record_no_meeting(plan=plan, version=1, reason=" ")
    assert services.NO_MEETING_REASON_REQUIRED in _messages(exc)["reason"]


def test_recording_no_meeting_with_a_stale_version_is_refused(pupil, headteacher):
    plan = draft_plan(pupil, headteacher)
    services.plan_update(**_plan_kwargs(plan))
    with pytest.raises(ValidationError) as exc:
        services.plan_record_no_meeting(plan=plan, version=1, reason="Parents declined.")
    assert exc.value.code == "conflict"
    plan.refresh_from_db()
    assert plan.no_meeting_reason == ""


def test_recording_no_meeting_marks_an_arranged_meeting_as_not_held(pupil, headteacher):
    plan = draft_plan(pupil, headteacher)
    services.meeting_save(**_meeting_kwargs(plan))
    services.plan_record_no_meeting(plan=plan, version=1, reason="Parents declined.")
    assert Meeting.objects.get(plan=plan).status == Meeting.Status.NOT_HELD


# --- meeting_save ---------------------------------------------------------------------------------------------


def _meeting_kwargs(plan, **overrides):
    kwargs = {
        "plan": plan,
        "version": None,
        "status": Meeting.Status.ARRANGED,
        "scheduled_for": datetime(2026, 11, 20, 9, 0, tzinfo=LONDON),
        "mode": Meeting.Mode.IN_PERSON,
        "location": "Pastoral office",
        "pupil_views": "",
        "parent_views": "",
        "notes": "",
        "participants": [
            {"name": "Jordan Ashby", "role": "Pupil", "invited": True, "attended": None},
            {"name": "Sam Ashby", "role": "Mother", "invited": True, "attended": None},
        ],
    }
    kwargs.update(overrides)
    return kwargs


def test_arranging_a_meeting_saves_it_with_its_participants(pupil, headteacher):
    plan = draft_plan(pupil, headteacher)
    meeting = services.meeting_save(**_meeting_kwargs(plan))
    assert meeting.status == Meeting.Status.ARRANGED
    assert [p.name for p in meeting.participants.all()] == ["Jordan Ashby", "Sam Ashby"]


def test_recording_the_meeting_replaces_the_participants_and_bumps_the_version(pupil, headteacher):
    plan = draft_plan(pupil, headteacher)
    services.meeting_save(**_meeting_kwargs(plan))
    meeting = services.meeting_save(
        **_meeting_kwargs(
            plan,
            version=1,
            status=Meeting.Status.HELD,
            scheduled_for=datetime(2026, 11, 18, 9, 0, tzinfo=LONDON),
            pupil_views="I want a fresh start.",
            participants=[{"name": "Jordan Ashby", "role": "Pupil", "invited": True, "attended": True}],
        )
    )
    assert meeting.version == 2
    assert meeting.pupil_views == "I want a fresh start."
    assert [(p.name, p.attended) for p in meeting.participants.all()] == [("Jordan Ashby", True)]


def test_a_held_meeting_needs_someone_marked_as_attended(pupil, headteacher):
    plan = draft_plan(pupil, headteacher)
    with pytest.raises(ValidationError) as exc:
        services.meeting_save(
            **_meeting_kwargs(
                plan, status=Meeting.Status.HELD, scheduled_for=datetime(2026, 11, 18, 9, 0, tzinfo=LONDON)
            )
        )
    assert services.MEETING_HELD_NEEDS_ATTENDEE in _messages(exc)["participants"]
    assert not Meeting.objects.filter(plan=plan).exists()


def test_a_meeting_cannot_be_recorded_as_held_in_the_future(pupil, headteacher):
    plan = draft_plan(pupil, headteacher)
    with pytest.raises(ValidationError) as exc:
        services.meeting_save(
            **_meeting_kwargs(
                plan,
                status=Meeting.Status.HELD,
                participants=[{"name": "Jordan Ashby", "role": "Pupil", "invited": True, "attended": True}],
            )
        )
    assert services.MEETING_HELD_IN_FUTURE in _messages(exc)["scheduled_for"]


def test_a_participant_needs_a_name_and_a_role(pupil, headteacher):
    plan = draft_plan(pupil, headteacher)
    with pytest.raises(ValidationError) as exc:
        services.meeting_save(
            **_meeting_kwargs(plan, participants=[{"name": "", "role": "", "invited": True, "attended": None}])
        )
    errors = _messages(exc)
    assert services.PARTICIPANT_NAME_REQUIRED in errors["participants-0-name"]
    assert services.PARTICIPANT_ROLE_REQUIRED in errors["participants-0-role"]


def test_two_meeting_edits_from_the_same_version_refuse_the_second(pupil, headteacher):
    plan = draft_plan(pupil, headteacher)
    services.meeting_save(**_meeting_kwargs(plan))
    services.meeting_save(**_meeting_kwargs(plan, version=1, location="Room 12"))
    with pytest.raises(ValidationError) as exc:
        services.meeting_save(**_meeting_kwargs(plan, version=1, location="Library"))
    assert exc.value.messages == [services.MEETING_CONFLICT]
    assert Meeting.objects.get(plan=plan).location == "Room 12"


def test_arranging_a_second_meeting_when_one_exists_is_a_conflict(pupil, headteacher):
    plan = draft_plan(pupil, headteacher)
    services.meeting_save(**_meeting_kwargs(plan))
    with pytest.raises(ValidationError) as exc:
        services.meeting_save(**_meeting_kwargs(plan, location="Library"))
    assert exc.value.code == "conflict"


def test_recording_a_meeting_never_changes_the_return_date(pupil, headteacher):
    plan = draft_plan(pupil, headteacher)
    suspension = plan.suspension
    before = (suspension.return_date, suspension.return_session, suspension.last_day, suspension.sessions)
    services.meeting_save(**_meeting_kwargs(plan, scheduled_for=datetime(2026, 11, 25, 9, 0, tzinfo=LONDON)))
    services.meeting_save(
        **_meeting_kwargs(
            plan,
            version=1,
            status=Meeting.Status.NOT_HELD,
            scheduled_for=datetime(2026, 11, 25, 9, 0, tzinfo=LONDON),
        )
    )
    suspension.refresh_from_db()
    assert (suspension.return_date, suspension.return_session, suspension.last_day, suspension.sessions) == before
    assert suspension.return_date == RETURN


# --- goals ----------------------------------------------------------------------------------------------------


def test_a_goal_is_created_with_its_criteria_and_actions(pupil, headteacher):
    plan = active_plan(pupil, headteacher, with_goal=False)
    goal = add_goal(plan)
    assert goal.lifecycle_status == Goal.Lifecycle.ACTIVE
    assert goal.review_dates == ["2026-12-02"]
    criterion = goal.criteria.get()
    assert criterion.target_label == "at most 1"
    assert goal.actions.get().owner == "Ms Patel"


def test_a_goal_needs_at_least_one_criterion(pupil, headteacher):
    plan = active_plan(pupil, headteacher, with_goal=False)
    with pytest.raises(ValidationError) as exc:
        add_goal(plan, criteria=[])
    assert services.CRITERIA_REQUIRED in _messages(exc)["criteria"]
    assert not Goal.objects.filter(plan=plan).exists()


def test_a_number_criterion_needs_a_comparator_and_a_target(pupil, headteacher):
    plan = active_plan(pupil, headteacher, with_goal=False)
    with pytest.raises(ValidationError) as exc:
        add_goal(plan, criteria=[criterion_row(comparator="", target_value=None)])
    errors = _messages(exc)
    assert services.CRITERION_COMPARATOR_REQUIRED in errors["criteria-0-comparator"]
    assert services.CRITERION_TARGET_REQUIRED in errors["criteria-0-target_value"]


def test_a_yes_no_criterion_has_no_comparator_or_target(pupil, headteacher):
    plan = active_plan(pupil, headteacher, with_goal=False)
    with pytest.raises(ValidationError) as exc:
        add_goal(plan, criteria=[criterion_row(kind=Criterion.Kind.YES_NO)])
    errors = _messages(exc)
    assert services.CRITERION_YES_NO_HAS_TARGET in errors["criteria-0-comparator"]
    assert services.CRITERION_YES_NO_HAS_TARGET in errors["criteria-0-target_value"]


def test_a_yes_no_criterion_without_a_target_is_accepted(pupil, headteacher):
    plan = active_plan(pupil, headteacher, with_goal=False)
    goal = add_goal(
        plan,
        criteria=[criterion_row(kind=Criterion.Kind.YES_NO, comparator="", target_value=None, measure="Homework in")],
    )
    assert goal.criteria.get().target_label == "yes"


def test_a_criterion_without_a_due_date_is_refused(pupil, headteacher):
    plan = active_plan(pupil, headteacher, with_goal=False)
    with pytest.raises(ValidationError) as exc:
        add_goal(plan, criteria=[criterion_row(due_date=None)])
    assert _messages(exc)["criteria-0-due_date"] == ["A criterion needs a due date, so that progress can be measured."]


def test_a_criterion_due_before_the_return_is_refused_and_on_the_return_is_allowed(pupil, headteacher):
    plan = active_plan(pupil, headteacher, with_goal=False)
    with pytest.raises(ValidationError) as exc:
        add_goal(plan, criteria=[criterion_row(due_date=RETURN - timedelta(days=1))])
    assert "on or after the return (11/11/2026)" in _messages(exc)["criteria-0-due_date"][0]
    assert add_goal(plan, criteria=[criterion_row(due_date=RETURN)]).criteria.get().due_date == RETURN


def test_a_criterion_due_after_the_target_date_is_refused(pupil, headteacher):
    plan = active_plan(pupil, headteacher, with_goal=False)
    with pytest.raises(ValidationError) as exc:
        add_goal(plan, target_date=date(2026, 12, 4), criteria=[criterion_row(due_date=date(2026, 12, 5))])
    assert "not be after the goal's target date (04/12/2026)" in _messages(exc)["criteria-0-due_date"][0]


def test_the_target_date_must_be_after_the_return_and_after_the_start(pupil, headteacher):
    plan = active_plan(pupil, headteacher, with_goal=False)
    with pytest.raises(ValidationError) as exc:
        add_goal(plan, target_date=RETURN, criteria=[criterion_row(due_date=RETURN)])
    assert _messages(exc)["target_date"] == ["The target date must be after the return on 11/11/2026."]
    with pytest.raises(ValidationError) as exc:
        add_goal(plan, start_date=date(2026, 12, 10), target_date=date(2026, 12, 9), review_dates=[])
    assert _messages(exc)["target_date"] == ["The target date must be after the start date (10/12/2026)."]


def test_the_realistic_limit_date_itself_is_allowed(pupil, headteacher):
    plan = active_plan(pupil, headteacher, with_goal=False)
    assert date(2027, 2, 10) == LIMIT
    goal = add_goal(plan, target_date=LIMIT)
    assert goal.target_date == LIMIT


def test_one_day_past_the_realistic_limit_is_refused_unless_confirmed(pupil, headteacher):
    plan = active_plan(pupil, headteacher, with_goal=False)
    with pytest.raises(ValidationError) as exc:
        add_goal(plan, target_date=LIMIT + timedelta(days=1))
    assert _messages(exc)["target_date"] == [
        "The target date is more than a term after the return (after 10/02/2027). "
        "Choose an earlier date, or confirm a longer timeline."
    ]
    goal = add_goal(plan, target_date=LIMIT + timedelta(days=1), longer_horizon_confirmed=True)
    assert goal.longer_horizon_confirmed is True


def test_review_dates_outside_the_goal_timeline_are_refused(pupil, headteacher):
    plan = active_plan(pupil, headteacher, with_goal=False)
    with pytest.raises(ValidationError) as exc:
        add_goal(plan, review_dates=[date(2027, 2, 1)])
    assert "between the start date (11/11/2026) and the target date (29/01/2027)" in _messages(exc)["review_dates"][0]


def test_an_action_needs_an_owner_and_a_due_date(pupil, headteacher):
    plan = active_plan(pupil, headteacher, with_goal=False)
    with pytest.raises(ValidationError) as exc:
        add_goal(plan, actions=[action_row(owner="", due_date=None)])
    errors = _messages(exc)
    assert services.ACTION_OWNER_REQUIRED in errors["actions-0-owner"]
    assert services.ACTION_DUE_REQUIRED in errors["actions-0-due_date"]
    assert not SupportAction.objects.exists()


def test_updating_a_goal_changes_its_rows_in_place_and_removes_missing_ones(pupil, headteacher):
    plan = active_plan(pupil, headteacher, with_goal=False)
    goal = add_goal(plan, actions=[action_row(), action_row(description="Call home on Friday")])
    criterion = goal.criteria.get()
    fields = goal_fields(
        pupil_aim="Stay in every lesson.",
        criteria=[criterion_row(id=criterion.pk, target_value=Decimal("0")), criterion_row(measure="Merits")],
        actions=[],
    )
    services.goal_update(goal=goal, version=1, **fields)
    goal.refresh_from_db()
    assert goal.pupil_aim == "Stay in every lesson."
    assert goal.version == 2
    assert [(c.pk == criterion.pk, c.measure) for c in goal.criteria.order_by("id")] == [
        (True, "On-call logs per week"),
        (False, "Merits"),
    ]
    assert goal.criteria.get(pk=criterion.pk).target_label == "at most 0"
    assert not goal.actions.exists()


def test_two_goal_edits_from_the_same_version_refuse_the_second(pupil, headteacher):
    plan = active_plan(pupil, headteacher)
    goal = plan.goals.get()
    services.goal_update(goal=goal, version=1, **goal_fields(pupil_aim="First aim"))
    with pytest.raises(ValidationError) as exc:
        services.goal_update(goal=goal, version=1, **goal_fields(pupil_aim="Second aim"))
    assert exc.value.messages == [services.GOAL_CONFLICT]
    goal.refresh_from_db()
    assert goal.pupil_aim == "First aim"


def test_a_reviewed_criterion_cannot_be_removed(pupil, headteacher):
    plan = active_plan(pupil, headteacher)
    record_review(plan, headteacher)
    goal = plan.goals.get()
    with pytest.raises(ValidationError) as exc:
        services.goal_update(goal=goal, version=goal.version, **goal_fields(criteria=[criterion_row(measure="New")]))
    assert "has review results, so it cannot be removed" in _messages(exc)["criteria"][0]


def test_goals_cannot_be_added_to_a_closed_plan(pupil, headteacher):
    plan = active_plan(pupil, headteacher)
    record_review(plan, headteacher, decision=Review.Decision.CLOSE, outcome="achieved", next_review_date=None)
    plan.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        add_goal(plan)
    assert exc.value.messages == [services.PLAN_CLOSED]


# --- reviews --------------------------------------------------------------------------------------------------


def test_a_review_records_results_with_met_computed_and_sets_goal_statuses(pupil, headteacher):
    plan = active_plan(pupil, headteacher)
    goal = plan.goals.get()
    criterion = goal.criteria.get()
    review = services.review_record(
        plan=plan,
        held_on=date(2026, 11, 18),
        participants="Jordan, Ms Patel",
        decision=Review.Decision.CONTINUE,
        next_review_date=date(2026, 12, 2),
        notes="A good first week.",
        criterion_results=[
            {"criterion": criterion, "observed_value": Decimal("3"), "observed_yes": None, "comment": "Better"}
        ],
        goal_statuses={goal.pk: Goal.Achievement.IMPROVING},
        outcome="",
        recorded_by=headteacher,
    )
    result = ReviewCriterionResult.objects.get(review=review)
    assert result.met is False
    assert result.observed_value == Decimal("3")
    assert ReviewGoalStatus.objects.get(review=review).achievement_status == Goal.Achievement.IMPROVING
    goal.refresh_from_db()
    plan.refresh_from_db()
    assert goal.achievement_status == Goal.Achievement.IMPROVING
    assert plan.next_review_date == date(2026, 12, 2)
    assert plan.status == ReintegrationPlan.Status.ACTIVE


def test_a_criterion_meeting_its_target_is_marked_met(pupil, headteacher):
    plan = active_plan(pupil, headteacher)
    review = record_review(plan, headteacher)
    assert ReviewCriterionResult.objects.get(review=review).met is True


def test_the_snapshot_keeps_the_plan_as_it_stood_before_the_review(pupil, headteacher):
    plan = active_plan(pupil, headteacher)
    goal = plan.goals.get()
    review = record_review(plan, headteacher, goal_statuses={goal.pk: Goal.Achievement.WORSENING})
    snapshot = Review.objects.get(pk=review.pk).snapshot
    assert snapshot["plan"]["strategy"].startswith("Meet Ms Patel")
    assert snapshot["plan"]["check_in_label"] == "Daily"
    assert snapshot["plan"]["next_review_date"] == "2026-11-25"
    [goal_snapshot] = snapshot["goals"]
    assert goal_snapshot["achievement_status"] == Goal.Achievement.IN_PROGRESS
    assert goal_snapshot["criteria"][0]["target_label"] == "at most 1"
    assert goal_snapshot["criteria"][0]["baseline_value"] == "5"
    assert goal_snapshot["actions"][0]["owner"] == "Ms Patel"
    goal.refresh_from_db()
    assert goal.achievement_status == Goal.Achievement.WORSENING


def test_the_snapshot_does_not_change_when_the_plan_changes_later(pupil, headteacher):
    plan = active_plan(pupil, headteacher)
    review = record_review(plan, headteacher)
    plan.refresh_from_db()
    services.plan_update(**_plan_kwargs(plan, strategy="A completely new strategy."))
    assert Review.objects.get(pk=review.pk).snapshot["plan"]["strategy"].startswith("Meet Ms Patel")


def test_reviews_are_append_only(pupil, headteacher):
    plan = active_plan(pupil, headteacher)
    review = record_review(plan, headteacher)
    review.notes = "Rewritten history"
    with pytest.raises(ValueError, match="append-only"):
        review.save()
    with pytest.raises(ValueError, match="append-only"):
        review.delete()
    assert Review.objects.get(pk=review.pk).notes == ""


def test_closing_the_plan_sets_outcome_and_closed_on_and_completes_achieved_goals(pupil, headteacher):
    plan = active_plan(pupil, headteacher)
    add_goal(plan, area=Goal.Area.ACADEMIC, pupil_aim="Hand in homework")
    achieved, not_yet = plan.goals.order_by("area")
    review = record_review(
        plan,
        headteacher,
        decision=Review.Decision.CLOSE,
        outcome=ReintegrationPlan.Outcome.PARTLY_ACHIEVED,
        next_review_date=None,
        goal_statuses={achieved.pk: Goal.Achievement.ACHIEVED, not_yet.pk: Goal.Achievement.NOT_ACHIEVED},
    )
    plan.refresh_from_db()
    assert plan.status == ReintegrationPlan.Status.CLOSED
    assert plan.outcome == ReintegrationPlan.Outcome.PARTLY_ACHIEVED
    assert plan.closed_on == review.held_on
    assert plan.next_review_date is None
    achieved.refresh_from_db()
    not_yet.refresh_from_db()
    assert achieved.lifecycle_status == Goal.Lifecycle.COMPLETED
    assert not_yet.lifecycle_status == Goal.Lifecycle.ACTIVE
    assert not_yet.achievement_status == Goal.Achievement.NOT_ACHIEVED


def test_closing_needs_an_outcome(pupil, headteacher):
    plan = active_plan(pupil, headteacher)
    with pytest.raises(ValidationError) as exc:
        record_review(plan, headteacher, decision=Review.Decision.CLOSE, next_review_date=None)
    assert services.REVIEW_OUTCOME_REQUIRED in _messages(exc)["outcome"]
    assert not Review.objects.exists()


def test_a_review_that_does_not_close_needs_a_later_next_review(pupil, headteacher):
    plan = active_plan(pupil, headteacher)
    with pytest.raises(ValidationError) as exc:
        record_review(plan, headteacher, next_review_date=None)
    assert services.REVIEW_NEXT_REQUIRED in _messages(exc)["next_review_date"]
    with pytest.raises(ValidationError) as exc:
        record_review(plan, headteacher, next_review_date=date(2026, 11, 18))
    assert "after this review (18/11/2026)" in _messages(exc)["next_review_date"][0]


def test_a_draft_plan_cannot_be_reviewed(pupil, headteacher):
    plan = draft_plan(pupil, headteacher)
    with pytest.raises(ValidationError) as exc:
        record_review(plan, headteacher)
    assert exc.value.messages == ["Write and agree the strategy before the first review."]


def test_a_closed_plan_cannot_be_reviewed_again(pupil, headteacher):
    plan = active_plan(pupil, headteacher)
    record_review(plan, headteacher, decision=Review.Decision.CLOSE, outcome="achieved", next_review_date=None)
    with pytest.raises(ValidationError) as exc:
        record_review(plan, headteacher, goal_statuses={})
    assert exc.value.messages == [services.REVIEW_CLOSED_PLAN]
    assert Review.objects.count() == 1


def test_every_live_goal_needs_an_achievement_status(pupil, headteacher):
    plan = active_plan(pupil, headteacher)
    goal = plan.goals.get()
    with pytest.raises(ValidationError) as exc:
        record_review(plan, headteacher, goal_statuses={})
    assert services.REVIEW_GOAL_STATUS_REQUIRED in _messages(exc)[f"goal_{goal.pk}_status"]


def test_a_review_cannot_be_in_the_future_or_before_the_return(pupil, headteacher):
    plan = active_plan(pupil, headteacher)
    with pytest.raises(ValidationError) as exc:
        record_review(plan, headteacher, held_on=date(2026, 11, 19), next_review_date=date(2026, 12, 2))
    assert services.REVIEW_HELD_IN_FUTURE in _messages(exc)["held_on"]
    with pytest.raises(ValidationError) as exc:
        record_review(plan, headteacher, held_on=RETURN - timedelta(days=1))
    assert "before the pupil's return on 11/11/2026" in _messages(exc)["held_on"][0]
    assert record_review(plan, headteacher, held_on=RETURN).held_on == RETURN


def test_a_criterion_from_another_plan_is_refused(pupil, headteacher):
    plan = active_plan(pupil, headteacher)
    other = active_plan(pupil, headteacher, start=date(2026, 11, 16), sessions=1)
    foreign = Criterion.objects.get(goal__plan=other)
    with pytest.raises(ValidationError) as exc:
        record_review(
            plan,
            headteacher,
            criterion_results=[{"criterion": foreign, "observed_value": 1, "observed_yes": None, "comment": ""}],
        )
    assert services.REVIEW_UNKNOWN_CRITERION in _messages(exc)["criterion_results"]


def test_review_records_who_recorded_it(pupil, headteacher):
    plan = active_plan(pupil, headteacher)
    someone = UserFactory()
    review = record_review(plan, someone)
    assert review.recorded_by == someone


def test_making_a_plan_active_needs_the_date_of_its_first_review(pupil, headteacher):
    plan = draft_plan(pupil, headteacher)

    with pytest.raises(ValidationError) as exc:
        services.plan_update(**_plan_kwargs(plan, activate=True, next_review_date=None))

    assert _messages(exc)["next_review_date"] == [services.FIRST_REVIEW_REQUIRED]
    plan.refresh_from_db()
    assert plan.status == ReintegrationPlan.Status.DRAFT


def test_the_first_review_cannot_be_before_the_return(pupil, headteacher):
    plan = draft_plan(pupil, headteacher)
    day_before = plan.suspension.return_date - timedelta(days=1)

    with pytest.raises(ValidationError) as exc:
        services.plan_update(**_plan_kwargs(plan, activate=True, next_review_date=day_before))

    assert "The first review must be on or after the return" in _messages(exc)["next_review_date"][0]


def test_the_first_review_on_the_return_day_is_accepted_and_shows_as_the_next_review(pupil, headteacher):
    plan = draft_plan(pupil, headteacher)

    services.plan_update(**_plan_kwargs(plan, activate=True, next_review_date=plan.suspension.return_date))

    plan.refresh_from_db()
    assert plan.next_review_date == plan.suspension.return_date

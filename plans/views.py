"""The reintegration plan pages: the plan, its strategy, the meeting and its record, goals and reviews.

Views are thin: access through schools.access, input through plans.forms, writes through plans.services,
reads through plans.selectors. Nothing here can change a suspension's return date.
"""

from __future__ import annotations

from datetime import time
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from audit.access import record_access
from evidence.selectors import plan_evidence
from plans import part_time, selectors, services
from plans.forms import (
    ACTION_ROWS,
    CRITERION_ROWS,
    ActionFormSet,
    CriterionFormSet,
    GoalForm,
    MeetingForm,
    NoMeetingForm,
    ParticipantFormSet,
    PartTimeEndForm,
    PartTimeTimetableForm,
    PlanForm,
    ReviewForm,
    apply_row_errors,
    padded,
    participant_initial,
)
from plans.models import Goal, Meeting, ReintegrationPlan, Review
from pupils.models import Pupil
from reintegrate import statutory
from reintegrate.forms import apply_service_errors
from schools.access import Can, get_for
from schools.selectors import school_calendar

TEACHER_DRAFT_PLAN = "This reintegration plan is still a draft. You can see its strategy and goals once it is active."
TEACHER_CLOSED_PLAN = "This reintegration plan is closed. Your role can see a plan only while it is active."
DEFAULT_MEETING_TIME = time(9, 0)


def _closed(request: HttpRequest, plan: ReintegrationPlan) -> HttpResponseRedirect:
    messages.info(request, services.PLAN_CLOSED)
    return redirect("plans:detail", pk=plan.pk)


# --- The plan page -----------------------------------------------------------------------------------------


@require_http_methods(["GET"])
def plan_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    plan, access = get_for(request, selectors.plan_detail(), Can.VIEW_PLANS, pk=pk)
    full = access.can(Can.VIEW_PLAN_DETAIL)
    if not full and plan.status != ReintegrationPlan.Status.ACTIVE:
        raise PermissionDenied(
            TEACHER_DRAFT_PLAN if plan.status == ReintegrationPlan.Status.DRAFT else TEACHER_CLOSED_PLAN
        )
    latest = selectors.latest_results_by_criterion(plan) if full else {}
    goals = list(plan.goals.all())
    evidence = plan_evidence(plan, criteria=[c for goal in goals for c in goal.criteria.all()]) if full else {}
    rows = selectors.goal_rows(goals, latest, evidence)
    timetables = part_time.plan_timetables(plan, today=timezone.localdate())
    record_access(request, plan, what="plan page")
    return render(
        request,
        "plans/detail.html",
        {
            "nav": "pupils",
            "plan": plan,
            "pupil": plan.pupil,
            "suspension": plan.suspension,
            "full": full,
            "can_edit": access.can(Can.EDIT_PLANS) and plan.status != ReintegrationPlan.Status.CLOSED,
            "meeting": selectors.plan_meeting(plan) if full else None,
            "sections": selectors.goals_by_area(rows),
            "has_goals": bool(rows),
            "reviews": list(plan.reviews.all()) if full else [],
            "is_sen": plan.pupil.sen_status in (Pupil.SEN.SUPPORT, Pupil.SEN.EHC_PLAN),
            "part_time_rows": timetables if full else part_time.live_timetables(timetables),
            "can_add_part_time": access.can(Can.EDIT_PLANS) and plan.status == ReintegrationPlan.Status.ACTIVE,
            "can_end_part_time": access.can(Can.EDIT_PLANS),
        },
    )


# --- The strategy ------------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def plan_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    plan, _access = get_for(request, selectors.plan_for_edit(), Can.EDIT_PLANS, pk=pk)
    if plan.status == ReintegrationPlan.Status.CLOSED:
        return _closed(request, plan)
    staff = selectors.staff_users(plan.school)
    if request.method == "POST":
        form = PlanForm(request.POST, staff=staff)
        activate = request.POST.get("action") != "draft"
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.plan_update(
                    plan=plan,
                    version=data["version"],
                    strategy=data["strategy"],
                    key_adult=data["key_adult"],
                    support_measures=data["support_measures"],
                    check_in_frequency=data["check_in_frequency"],
                    reasonable_adjustments=data["reasonable_adjustments"],
                    activate=activate,
                    next_review_date=data["next_review_date"],
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                if activate:
                    messages.success(request, "The strategy has been saved and the plan is active.")
                else:
                    messages.success(request, "The strategy has been saved. The plan is still a draft.")
                return redirect("plans:detail", pk=plan.pk)
    else:
        form = PlanForm(
            staff=staff,
            initial={
                "strategy": plan.strategy,
                "key_adult": plan.key_adult_id,
                "check_in_frequency": plan.check_in_frequency,
                "support_measures": plan.support_measures,
                "reasonable_adjustments": plan.reasonable_adjustments,
                "next_review_date": plan.next_review_date or selectors.suggested_first_review(plan),
                "version": plan.version,
            },
        )
    return render(
        request,
        "plans/edit.html",
        {
            "nav": "pupils",
            "plan": plan,
            "pupil": plan.pupil,
            "form": form,
            "is_sen": plan.pupil.sen_status in (Pupil.SEN.SUPPORT, Pupil.SEN.EHC_PLAN),
        },
    )


# --- The meeting -------------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def meeting_view(request: HttpRequest, pk: int) -> HttpResponse:
    plan, access = get_for(request, selectors.plan_for_edit(), Can.EDIT_PLANS, pk=pk)
    if plan.status == ReintegrationPlan.Status.CLOSED:
        return _closed(request, plan)
    meeting = selectors.plan_meeting(plan)
    if request.method == "POST":
        form = MeetingForm(request.POST)
        formset = ParticipantFormSet(request.POST, prefix="participants")
        if form.is_valid() and formset.is_valid():
            sent = [i for i, row in enumerate(formset.forms) if not row.is_blank()]
            data = form.cleaned_data
            try:
                saved = services.meeting_save(
                    plan=plan,
                    version=data["version"] if meeting is not None else None,
                    status=data["status"],
                    scheduled_for=form.scheduled_for(),
                    mode=data["mode"],
                    location=data["location"],
                    pupil_views=data["pupil_views"],
                    parent_views=data["parent_views"],
                    notes=data["notes"],
                    participants=[formset.forms[i].as_participant() for i in sent],
                )
            except ValidationError as error:
                _apply_meeting_errors(form, formset, error, sent)
            else:
                messages.success(request, _meeting_saved_message(saved))
                return redirect("plans:detail", pk=plan.pk)
    else:
        form, formset = _meeting_forms(request, plan, meeting, access.can(Can.VIEW_CONTACTS))
    return render(
        request,
        "plans/meeting.html",
        {"nav": "pupils", "plan": plan, "pupil": plan.pupil, "form": form, "formset": formset, "meeting": meeting},
    )


def _meeting_forms(
    request: HttpRequest, plan: ReintegrationPlan, meeting: Meeting | None, see_contacts: bool
) -> tuple[MeetingForm, Any]:
    recording = request.GET.get("record") == "1"
    if meeting is not None:
        when = timezone.localtime(meeting.scheduled_for)
        initial: dict[str, Any] = {
            "status": Meeting.Status.HELD
            if recording and meeting.status == Meeting.Status.ARRANGED
            else meeting.status,
            "date": when.date(),
            "time": when.time(),
            "mode": meeting.mode,
            "location": meeting.location,
            "pupil_views": meeting.pupil_views,
            "parent_views": meeting.parent_views,
            "notes": meeting.notes,
            "version": meeting.version,
        }
        people = [
            {
                "name": p.name,
                "role": p.role,
                "invited": p.invited,
                "attended": "" if p.attended is None else ("yes" if p.attended else "no"),
            }
            for p in meeting.participants.all()
        ]
    else:
        return_date = plan.suspension.return_date
        assert return_date is not None
        day = statutory.suggested_meeting_date(
            school_calendar(plan.school), return_date=return_date, today=timezone.localdate()
        )
        initial = {
            "status": Meeting.Status.HELD if recording else Meeting.Status.ARRANGED,
            "date": day,
            "time": DEFAULT_MEETING_TIME,
            "mode": Meeting.Mode.IN_PERSON,
        }
        people = [{"name": plan.pupil.display_name, "role": "Pupil", "invited": True, "attended": ""}]
        contact = selectors.first_parent_contact(plan.pupil) if see_contacts else None
        if contact is not None:
            people.append({"name": contact.name, "role": contact.relationship, "invited": True, "attended": ""})
    form = MeetingForm(initial=initial)
    formset = ParticipantFormSet(prefix="participants", initial=participant_initial(people))
    return form, formset


def _apply_meeting_errors(form: MeetingForm, formset: Any, error: ValidationError, sent: list[int]) -> None:
    if hasattr(error, "error_dict"):
        for key, messages_ in error.message_dict.items():
            if key.startswith("participants-"):
                continue
            target = {"scheduled_for": "date", "participants": None}.get(key, key)
            for message in messages_:
                form.add_error(target if target in form.fields else None, message)
        form.mark_errors()
        apply_row_errors(formset, error, name="participants", rows=sent, first_field="name")
    else:
        apply_service_errors(form, error)


def _meeting_saved_message(meeting: Meeting) -> str:
    when = timezone.localtime(meeting.scheduled_for)
    if meeting.status == Meeting.Status.HELD:
        return f"The meeting on {when:%d/%m/%Y} has been recorded as held."
    if meeting.status == Meeting.Status.NOT_HELD:
        return f"The meeting on {when:%d/%m/%Y} has been recorded as not taking place."
    return f"The meeting has been arranged for {when:%d/%m/%Y} at {when:%H:%M}."


@require_http_methods(["GET"])
def meeting_record_view(request: HttpRequest, pk: int) -> HttpResponse:
    plan, _access = get_for(request, selectors.plan_detail(), Can.VIEW_PLAN_DETAIL, pk=pk)
    meeting = selectors.plan_meeting(plan)
    rows = selectors.goal_rows(plan.goals.all())
    record_access(request, plan, what="meeting record")
    return render(
        request,
        "plans/meeting_record.html",
        {
            "nav": "pupils",
            "plan": plan,
            "pupil": plan.pupil,
            "suspension": plan.suspension,
            "school": plan.school,
            "meeting": meeting,
            "sections": selectors.goals_by_area(rows, always=selectors.RECORD_AREAS),
            "review_days": sorted({day for row in rows for day in row.review_days}),
        },
    )


@require_http_methods(["GET", "POST"])
def no_meeting_view(request: HttpRequest, pk: int) -> HttpResponse:
    plan, _access = get_for(request, selectors.plan_for_edit(), Can.EDIT_PLANS, pk=pk)
    if plan.status == ReintegrationPlan.Status.CLOSED:
        return _closed(request, plan)
    if request.method == "POST":
        form = NoMeetingForm(request.POST)
        if form.is_valid():
            try:
                services.plan_record_no_meeting(
                    plan=plan, version=form.cleaned_data["version"], reason=form.cleaned_data["reason"]
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, "The reason no meeting will be held has been recorded.")
                return redirect("plans:detail", pk=plan.pk)
    else:
        form = NoMeetingForm(initial={"reason": plan.no_meeting_reason, "version": plan.version})
    return render(request, "plans/no_meeting.html", {"nav": "pupils", "plan": plan, "pupil": plan.pupil, "form": form})


# --- Goals -------------------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def goal_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    plan, _access = get_for(request, selectors.plan_for_edit(), Can.EDIT_PLANS, pk=pk)
    if plan.status == ReintegrationPlan.Status.CLOSED:
        return _closed(request, plan)
    return _goal_page(request, plan, None)


@require_http_methods(["GET", "POST"])
def goal_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    goal, _access = get_for(request, selectors.goal_for_edit(), Can.EDIT_PLANS, school_field="plan__school", pk=pk)
    if goal.plan.status == ReintegrationPlan.Status.CLOSED:
        return _closed(request, goal.plan)
    return _goal_page(request, goal.plan, goal)


def _goal_page(request: HttpRequest, plan: ReintegrationPlan, goal: Goal | None) -> HttpResponse:
    return_date = plan.suspension.return_date
    assert return_date is not None
    limit = statutory.realistic_target_limit(return_date)
    if request.method == "POST":
        form = GoalForm(request.POST, limit=limit)
        criteria = CriterionFormSet(request.POST, prefix="criteria")
        actions = ActionFormSet(request.POST, prefix="actions")
        valid = [form.is_valid(), criteria.is_valid(), actions.is_valid()]
        if all(valid):
            criterion_rows = [i for i, row in enumerate(criteria.forms) if not row.is_blank()]
            action_rows = [i for i, row in enumerate(actions.forms) if not row.is_blank()]
            data = dict(form.cleaned_data)
            version = data.pop("version")
            fields = {
                **data,
                "criteria": [criteria.forms[i].as_row() for i in criterion_rows],
                "actions": [actions.forms[i].as_row() for i in action_rows],
            }
            try:
                if goal is None:
                    saved = services.goal_create(plan=plan, **fields)
                else:
                    saved = services.goal_update(goal=goal, version=version or 0, **fields)
            except ValidationError as error:
                apply_service_errors(form, _without_rows(error))
                apply_row_errors(criteria, error, name="criteria", rows=criterion_rows, first_field="measure")
                apply_row_errors(actions, error, name="actions", rows=action_rows, first_field="description")
            else:
                verb = "added" if goal is None else "changed"
                messages.success(request, f"The {saved.get_area_display().lower()} goal has been {verb}.")
                return redirect(reverse("plans:detail", kwargs={"pk": plan.pk}) + f"#goal-{saved.pk}")
    else:
        form, criteria, actions = _goal_forms(plan, goal, return_date, limit)
    return render(
        request,
        "plans/goal_form.html",
        {
            "nav": "pupils",
            "plan": plan,
            "pupil": plan.pupil,
            "goal": goal,
            "form": form,
            "criteria": criteria,
            "actions": actions,
            "limit": limit,
        },
    )


def _goal_forms(plan: ReintegrationPlan, goal: Goal | None, return_date: Any, limit: Any) -> tuple[Any, Any, Any]:
    if goal is None:
        initial: dict[str, Any] = {"start_date": return_date, "expressed_by": Goal.ExpressedBy.PUPIL}
        criterion_initial: list[dict[str, Any]] = []
        action_initial: list[dict[str, Any]] = []
    else:
        initial = {
            "area": goal.area,
            "pupil_aim": goal.pupil_aim,
            "expressed_by": goal.expressed_by,
            "expressed_by_name": goal.expressed_by_name,
            "current_position": goal.current_position,
            "pupil_actions": goal.pupil_actions,
            "start_date": goal.start_date,
            "target_date": goal.target_date,
            "longer_horizon_confirmed": goal.longer_horizon_confirmed,
            "review_dates": goal.review_dates,
            "version": goal.version,
        }
        criterion_initial = [
            {
                "id": c.pk,
                "measure": c.measure,
                "kind": c.kind,
                "source": c.source,
                "source_category": c.source_category,
                "baseline_value": selectors.plain_number(c.baseline_value),
                "baseline_note": c.baseline_note,
                "comparator": c.comparator,
                "target_value": selectors.plain_number(c.target_value),
                "due_date": c.due_date,
            }
            for c in goal.criteria.all()
        ]
        action_initial = [
            {"id": a.pk, "by_whom": a.by_whom, "description": a.description, "owner": a.owner, "due_date": a.due_date}
            for a in goal.actions.all()
        ]
    form = GoalForm(initial=initial, limit=limit)
    criteria = CriterionFormSet(
        prefix="criteria", initial=padded(criterion_initial, CRITERION_ROWS, {"kind": "number"})
    )
    actions = ActionFormSet(prefix="actions", initial=padded(action_initial, ACTION_ROWS))
    return form, criteria, actions


def _without_rows(error: ValidationError) -> ValidationError:
    """The part of a goal error that belongs on the main form (not on a criterion or action row)."""
    if not hasattr(error, "error_dict"):
        return error
    kept = {
        key: messages_
        for key, messages_ in error.message_dict.items()
        if key not in ("criteria", "actions") and not key.startswith(("criteria-", "actions-"))
    }
    return ValidationError(kept) if kept else ValidationError({})


# --- Reviews -----------------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def review_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    plan, _access = get_for(request, selectors.plan_for_edit(), Can.EDIT_PLANS, pk=pk)
    context: dict[str, Any] = {"nav": "pupils", "plan": plan, "pupil": plan.pupil}
    if plan.status != ReintegrationPlan.Status.ACTIVE:
        context["refusal"] = (
            services.REVIEW_DRAFT_PLAN if plan.status == ReintegrationPlan.Status.DRAFT else services.REVIEW_CLOSED_PLAN
        )
        return render(request, "plans/review_form.html", context)
    goals = selectors.live_goals_for_review(plan)
    evidence = plan_evidence(plan, criteria=[c for goal in goals for c in goal.criteria.all()])
    if request.method == "POST":
        form = ReviewForm(request.POST, goals=goals, evidence=evidence)
        if form.is_valid():
            data = form.cleaned_data
            try:
                review = services.review_record(
                    plan=plan,
                    held_on=data["held_on"],
                    participants=data["participants"],
                    decision=data["decision"],
                    next_review_date=data["next_review_date"],
                    notes=data["notes"],
                    criterion_results=form.criterion_results(),
                    goal_statuses=form.goal_statuses(),
                    outcome=data["outcome"],
                    recorded_by=request.user,  # type: ignore[arg-type]
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                if review.decision == Review.Decision.CLOSE:
                    messages.success(request, "The review has been recorded and the plan is closed.")
                else:
                    messages.success(
                        request,
                        f"The review has been recorded. The next review is on {review.next_review_date:%d/%m/%Y}.",
                    )
                return redirect("plans:review_detail", pk=review.pk)
    else:
        form = ReviewForm(goals=goals, evidence=evidence, initial={"held_on": timezone.localdate()})
    context.update(form=form)
    return render(request, "plans/review_form.html", context)


@require_http_methods(["GET"])
def review_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    review, _access = get_for(
        request, selectors.review_detail(), Can.VIEW_PLAN_DETAIL, school_field="plan__school", pk=pk
    )
    results, statuses = selectors.review_results(review)
    record_access(request, review, what="review")
    return render(
        request,
        "plans/review_detail.html",
        {
            "nav": "pupils",
            "review": review,
            "plan": review.plan,
            "pupil": review.plan.pupil,
            "results": results,
            "statuses": statuses,
            "snapshot": selectors.snapshot_for_page(review.snapshot),
        },
    )


# --- Part-time timetables ----------------------------------------------------------------------------------


def _days_list(days: list[Any]) -> str:
    """'04/12/2026', '04/12/2026 and 18/12/2026', '04/12/2026, 18/12/2026 and 23/12/2026'."""
    labels = [f"{day:%d/%m/%Y}" for day in days]
    return labels[0] if len(labels) == 1 else f"{', '.join(labels[:-1])} and {labels[-1]}"


@require_http_methods(["GET", "POST"])
def part_time_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    plan, _access = get_for(request, selectors.plan_for_edit(), Can.EDIT_PLANS, pk=pk)
    context: dict[str, Any] = {"nav": "pupils", "plan": plan, "pupil": plan.pupil}
    if plan.status != ReintegrationPlan.Status.ACTIVE:
        context["refusal"] = (
            part_time.PLAN_DRAFT if plan.status == ReintegrationPlan.Status.DRAFT else part_time.PLAN_CLOSED
        )
        return render(request, "plans/part_time_form.html", context)
    if request.method == "POST":
        form = PartTimeTimetableForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                timetable = part_time.part_time_timetable_record(
                    plan=plan,
                    start_date=data["start_date"],
                    end_date=data["end_date"],
                    arrangements=data["arrangements"],
                    parents_agreed_on=data["parents_agreed_on"],
                    not_for_behaviour_confirmed=data["not_for_behaviour_confirmed"],
                    recorded_by=request.user,  # type: ignore[arg-type]
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                reviews = list(timetable.duties.order_by("due_date").values_list("due_date", flat=True))
                messages.success(
                    request,
                    f"The part-time timetable from {timetable.start_date:%d/%m/%Y} to {timetable.end_date:%d/%m/%Y} "
                    f"has been recorded. Reviews are due on {_days_list(reviews)}.",
                )
                return redirect(reverse("plans:detail", kwargs={"pk": plan.pk}) + "#part-time")
    else:
        today = timezone.localdate()
        return_date = plan.suspension.return_date
        form = PartTimeTimetableForm(initial={"start_date": max(return_date, today) if return_date else today})
    context.update(form=form)
    return render(request, "plans/part_time_form.html", context)


@require_http_methods(["GET", "POST"])
def part_time_end_view(request: HttpRequest, pk: int) -> HttpResponse:
    timetable, _access = get_for(
        request, part_time.timetable_for_end(), Can.EDIT_PLANS, school_field="plan__school", pk=pk
    )
    plan = timetable.plan
    context: dict[str, Any] = {"nav": "pupils", "plan": plan, "pupil": plan.pupil, "timetable": timetable}
    if timetable.ended_on is not None:
        context["refusal"] = part_time.ALREADY_ENDED.format(day=f"{timetable.ended_on:%d/%m/%Y}")
        return render(request, "plans/part_time_end.html", context)
    if request.method == "POST":
        form = PartTimeEndForm(request.POST)
        if form.is_valid():
            try:
                ended = part_time.part_time_timetable_end(
                    timetable=timetable,
                    ended_on=form.cleaned_data["ended_on"],
                    by=request.user,  # type: ignore[arg-type]
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                assert ended.ended_on is not None
                messages.success(
                    request,
                    f"The part-time timetable now ends on {ended.ended_on:%d/%m/%Y}. "
                    "Reviews due after that day are no longer needed.",
                )
                return redirect(reverse("plans:detail", kwargs={"pk": plan.pk}) + "#part-time")
    else:
        today = timezone.localdate()
        running = timetable.start_date <= today < timetable.end_date
        form = PartTimeEndForm(initial={"ended_on": today if running else None})
    context.update(form=form)
    return render(request, "plans/part_time_end.html", context)

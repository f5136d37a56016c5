"""Suspensions: list, one suspension with the pupil's running totals, the incident summary, recording one (through the
page's own form and suspensions.services.suspension_record), cancelling one; and the reason codes and decision-makers
a client needs to record one."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Status

from api.audit import record_api_access
from api.auth import audited_as_token_creator
from api.common import READ_ERRORS, WRITE_ERRORS, page_of, paginate
from api.permissions import writer
from api.routes.pupils import totals_out
from api.schemas import (
    CancelIn,
    DecisionMakerOut,
    Id,
    IncidentOut,
    ReasonCodeFilters,
    ReasonCodeOut,
    SuspensionDetailOut,
    SuspensionFilters,
    SuspensionIn,
    SuspensionPage,
)
from pupils.models import Pupil
from reintegrate import statutory
from schools.access import Access, Can, get_for, require
from suspensions.forms import CancelSuspensionForm, RecordSuspensionForm, headteacher_memberships
from suspensions.models import ReasonCode, Suspension, reason_codes_valid_on
from suspensions.selectors import pupil_suspension_summary
from suspensions.services import suspension_cancel, suspension_record
from suspensions.views import FOLLOWS_NOT_FOUND

router = Router(tags=["Suspensions"])

UNKNOWN_REASON = "There is no reason code {code} in force today. GET /api/v1/reason-codes lists them."


def form_refusal(form: Any, rename: dict[str, str] | None = None) -> ValidationError:
    """A page form's errors as one ValidationError keyed by field ("" for the form as a whole); `rename` maps the
    form's field names to the API's where they differ."""
    names = rename or {}
    refusal: dict[str, list[ValidationError]] = {}
    for field, errors in form.errors.as_data().items():
        refusal.setdefault(names.get(field, field), []).extend(errors)
    return ValidationError(refusal)


def suspensions_for(access: Access) -> QuerySet[Suspension]:
    suspensions = Suspension.objects.filter(school=access.school).select_related("plan")
    if access.can(Can.VIEW_SUSPENSION_DETAIL):
        suspensions = suspensions.prefetch_related(Prefetch("reasons", queryset=ReasonCode.objects.order_by("code")))
    return suspensions


def suspension_out(suspension: Suspension, access: Access) -> dict[str, Any]:
    detail = access.can(Can.VIEW_SUSPENSION_DETAIL)
    plan = getattr(suspension, "plan", None)
    return {
        "id": suspension.pk,
        "pupil_id": suspension.pupil_id,
        "kind": suspension.kind,
        "status": suspension.status,
        "start_date": suspension.start_date,
        "start_session": suspension.start_session,
        "sessions": suspension.sessions,
        "days": None if suspension.sessions is None else float(statutory.sessions_to_days(suspension.sessions)),
        "length_label": suspension.days_label,
        "last_day": suspension.last_day,
        "return_date": suspension.return_date,
        "return_session": suspension.return_session,
        "follows_id": suspension.follows_id,
        "plan_id": plan.pk if plan is not None else None,
        "misses_public_exam": suspension.misses_public_exam,
        "exam_date": suspension.exam_date,
        "recorded_at": suspension.recorded_at,
        "reasons": (
            [{"code": r.code, "description": r.description} for r in suspension.reasons.all()] if detail else None
        ),
        "decided_by_role": suspension.decided_by_role if detail else None,
        "cancelled_at": suspension.cancelled_at,
        "cancellation_reason": suspension.cancellation_reason if detail else None,
    }


def suspension_detail_out(suspension: Suspension, access: Access) -> dict[str, Any]:
    summary = pupil_suspension_summary(suspension.pupil, today=timezone.localdate())
    return {**suspension_out(suspension, access), "pupil_totals": totals_out(summary)}


def _detail_queryset() -> QuerySet[Suspension]:
    return Suspension.objects.select_related("pupil", "pupil__school", "plan").prefetch_related(
        Prefetch("reasons", queryset=ReasonCode.objects.order_by("code"))
    )


@router.get("", response={200: SuspensionPage, **READ_ERRORS}, summary="List the school's suspensions")
def suspension_list_read(request: HttpRequest, filters: Query[SuspensionFilters]) -> Any:
    """Newest first. Reasons, the decision-maker's role and a cancellation's reason are null for a role without
    view_suspension_detail. Capability: view_suspensions."""
    access = require(request, Can.VIEW_SUSPENSIONS)
    suspensions = suspensions_for(access)
    if filters.pupil is not None:
        suspensions = suspensions.filter(pupil_id=filters.pupil)
    if filters.status is not None:
        suspensions = suspensions.filter(status=filters.status)
    if filters.kind is not None:
        suspensions = suspensions.filter(kind=filters.kind)
    if filters.start_from is not None:
        suspensions = suspensions.filter(start_date__gte=filters.start_from)
    if filters.start_to is not None:
        suspensions = suspensions.filter(start_date__lte=filters.start_to)
    if filters.returns_from is not None:
        suspensions = suspensions.filter(return_date__gte=filters.returns_from)
    if filters.returns_to is not None:
        suspensions = suspensions.filter(return_date__lte=filters.returns_to)
    count, items = paginate(suspensions.order_by("-start_date", "-id"), filters)
    record_api_access(request, [(s, s.pupil_id) for s in items], what="suspension")
    return page_of(count, filters, [suspension_out(s, access) for s in items])


@router.get("/{suspension_id}", response={200: SuspensionDetailOut, **READ_ERRORS}, summary="One suspension")
def suspension_read(request: HttpRequest, suspension_id: Id) -> Any:
    """The suspension, with the pupil's running totals today (term, school year, days left before the 45-day limit).
    Capability: view_suspensions."""
    suspension, access = get_for(request, _detail_queryset(), Can.VIEW_SUSPENSIONS, pk=suspension_id)
    record_api_access(request, [(suspension, suspension.pupil_id)], what="suspension")
    return suspension_detail_out(suspension, access)


@router.get(
    "/{suspension_id}/incident", response={200: IncidentOut, **READ_ERRORS}, summary="A suspension's incident summary"
)
def suspension_incident_read(request: HttpRequest, suspension_id: Id) -> Any:
    """Only staff who need it see the incident summary. Capability: view_incident."""
    suspension, _access = get_for(request, Suspension.objects.all(), Can.VIEW_INCIDENT, pk=suspension_id)
    record_api_access(request, [(suspension, suspension.pupil_id)], what="incident summary")
    return {"suspension_id": suspension.pk, "incident_summary": suspension.incident_summary}


@router.post("", response={201: SuspensionDetailOut, **WRITE_ERRORS}, summary="Record a suspension")
def suspension_create(request: HttpRequest, payload: SuspensionIn) -> Any:
    """Records a suspension as the page does, with the same checks (the headteacher decides; one to three reasons in
    force; the 45-day limit, counting days at previous schools; no overlap). Its dates come from the school calendar,
    and its draft reintegration plan and statutory duties are created. Capability: record_suspension."""
    pupil, _access = get_for(request, Pupil.objects.select_related("school"), Can.RECORD_SUSPENSION, pk=payload.pupil)
    user = writer(request)
    today = timezone.localdate()
    codes = [code.strip().upper() for code in payload.reasons]
    in_force = {reason.code: reason.pk for reason in reason_codes_valid_on(today).filter(code__in=codes)}
    unknown = [code for code in codes if code not in in_force]
    if unknown:
        raise ValidationError({"reasons": [UNKNOWN_REASON.format(code=code) for code in unknown]})
    decider = headteacher_memberships(pupil.school).filter(user_id=payload.decided_by).first()
    earlier = None
    if payload.follows is not None:
        earlier = (
            Suspension.objects.filter(pk=payload.follows, pupil=pupil, status=Suspension.Status.CONFIRMED)
            .exclude(kind=Suspension.Kind.PERMANENT)
            .first()
        )
        if earlier is None:
            raise ValidationError({"follows": [FOLLOWS_NOT_FOUND]})
    form = RecordSuspensionForm(
        {
            "kind": payload.kind,
            "start_date": payload.start_date.isoformat(),
            "start_session": payload.start_session,
            "sessions": "" if payload.sessions is None else str(payload.sessions),
            "misses_public_exam": payload.misses_public_exam,
            "exam_date": payload.exam_date.isoformat() if payload.exam_date else "",
            "reasons": [str(in_force[code]) for code in codes],
            "incident_summary": payload.incident_summary,
            "decided_by": str(decider.pk) if decider is not None else "",
        },
        school=pupil.school,
        today=today,
        user=user,
    )
    if not form.is_valid():
        raise form_refusal(form)
    data = form.cleaned_data
    with audited_as_token_creator(request):
        suspension = suspension_record(
            pupil=pupil,
            kind=data["kind"],
            start_date=data["start_date"],
            start_session=data["start_session"],
            sessions=data["sessions"],
            reasons=list(data["reasons"]),
            incident_summary=data["incident_summary"],
            decided_by=data["decided_by"].user,
            recorded_by=user,
            follows=earlier,
            misses_public_exam=data["misses_public_exam"],
            exam_date=data["exam_date"],
        )
    suspension, access = get_for(request, _detail_queryset(), Can.VIEW_SUSPENSIONS, pk=suspension.pk)
    return Status(201, suspension_detail_out(suspension, access))


@router.post(
    "/{suspension_id}/cancel", response={200: SuspensionDetailOut, **WRITE_ERRORS}, summary="Cancel a suspension"
)
def suspension_cancel_create(request: HttpRequest, suspension_id: Id, payload: CancelIn) -> Any:
    """Cancels a suspension, keeping the record; the notices of the cancellation become statutory duties. Refused once
    cancelled, or once the governing board has considered it. Capability: cancel_suspension."""
    suspension, access = get_for(request, _detail_queryset(), Can.CANCEL_SUSPENSION, pk=suspension_id)
    user = writer(request)
    form = CancelSuspensionForm({"reason": payload.reason})
    if not form.is_valid():
        raise form_refusal(form)
    with audited_as_token_creator(request):
        suspension_cancel(
            suspension=suspension, cancelled_by=user, reason=form.cleaned_data["reason"], now=timezone.now()
        )
    suspension = _detail_queryset().get(pk=suspension.pk)
    return suspension_detail_out(suspension, access)


reference = Router(tags=["Suspensions"])


@reference.get("/reason-codes", response={200: list[ReasonCodeOut], **READ_ERRORS}, summary="Reason codes in force")
def reason_code_list_read(request: HttpRequest, filters: Query[ReasonCodeFilters]) -> Any:
    """The DfE reason codes in force on a date (default today), to record a suspension with.
    Capability: record_suspension."""
    require(request, Can.RECORD_SUSPENSION)
    day = filters.on or timezone.localdate()
    return [
        {"code": r.code, "description": r.description, "valid_from": r.valid_from, "valid_to": r.valid_to}
        for r in reason_codes_valid_on(day).order_by("code")
    ]


@reference.get(
    "/decision-makers", response={200: list[DecisionMakerOut], **READ_ERRORS}, summary="Who may decide a suspension"
)
def decision_maker_list_read(request: HttpRequest) -> Any:
    """The school's headteachers (acting headteachers included): a suspension's `decided_by` is one of these user
    ids. Capability: record_suspension."""
    access = require(request, Can.RECORD_SUSPENSION)
    return [
        {
            "user_id": membership.user_id,
            "name": membership.user.get_full_name() or membership.user.get_username(),
            "is_acting": membership.is_acting,
        }
        for membership in headteacher_memberships(access.school)
    ]

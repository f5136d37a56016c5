"""Statutory tasks (duties.models.Duty): the list, one duty, and recording one as done (the page's form and
duties.services.duty_complete)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router

from api.audit import record_api_access
from api.auth import audited_as_token_creator
from api.common import READ_ERRORS, WRITE_ERRORS, page_of, paginate, staff_name
from api.permissions import writer
from api.routes.suspensions import form_refusal
from api.schemas import DutyCompleteIn, DutyFilters, DutyOut, DutyPage, Id
from duties import selectors
from duties.forms import CompleteDutyForm
from duties.models import Duty
from duties.services import duty_complete
from schools.access import Can, get_for, require

router = Router(tags=["Statutory tasks"])


def duty_out(duty: Duty) -> dict[str, Any]:
    return {
        "id": duty.pk,
        "pupil_id": duty.pupil_id,
        "suspension_id": duty.suspension_id,
        "part_time_timetable_id": duty.part_time_timetable_id,
        "kind": duty.kind,
        "kind_label": duty.get_kind_display(),
        "about": duty.about,
        "due_date": duty.due_date,
        "without_delay": duty.without_delay,
        "owner_role": duty.owner_role,
        "detail": duty.detail,
        "status": duty.status,
        "done_at": duty.done_at,
        "done_by": staff_name(duty.done_by),
        "method": duty.method,
        "evidence": duty.evidence,
    }


@router.get("", response={200: DutyPage, **READ_ERRORS}, summary="List statutory tasks")
def duty_list_read(request: HttpRequest, filters: Query[DutyFilters]) -> Any:
    """The duties each suspension triggers (notices, work, sixth-day provision, the governing board...), soonest due
    first. All statuses unless `status` is given. Capability: view_duties."""
    access = require(request, Can.VIEW_DUTIES)
    found = selectors.duty_list(
        school=access.school,
        today=timezone.localdate(),
        kind=filters.kind or "",
        owner_role=filters.owner_role or "",
        status=filters.status or selectors.STATUS_ALL,
    )
    if filters.pupil is not None:
        found = found.filter(pupil_id=filters.pupil)
    if filters.suspension is not None:
        found = found.filter(suspension_id=filters.suspension)
    if filters.due_from is not None:
        found = found.filter(due_date__gte=filters.due_from)
    if filters.due_to is not None:
        found = found.filter(due_date__lte=filters.due_to)
    count, items = paginate(found, filters)
    record_api_access(request, [(duty, duty.pupil_id) for duty in items], what="statutory task")
    return page_of(count, filters, [duty_out(duty) for duty in items])


def _duties() -> Any:
    return Duty.objects.select_related("pupil", "suspension", "part_time_timetable", "done_by")


@router.get("/{duty_id}", response={200: DutyOut, **READ_ERRORS}, summary="One statutory task")
def duty_read(request: HttpRequest, duty_id: Id) -> Any:
    """Capability: view_duties."""
    duty, _access = get_for(request, _duties(), Can.VIEW_DUTIES, pk=duty_id)
    record_api_access(request, [(duty, duty.pupil_id)], what="statutory task")
    return duty_out(duty)


@router.post("/{duty_id}/complete", response={200: DutyOut, **WRITE_ERRORS}, summary="Record a task as done")
def duty_complete_create(request: HttpRequest, duty_id: Id, payload: DutyCompleteIn) -> Any:
    """When it was done (not in the future; kept to the minute, as on the page), how, and the evidence (required for
    sixth-day provision). Refused for a task already done or no longer needed. Capability: complete_duties."""
    duty, _access = get_for(request, _duties(), Can.COMPLETE_DUTIES, pk=duty_id)
    user = writer(request)
    done_at = payload.done_at
    if timezone.is_naive(done_at):
        done_at = timezone.make_aware(done_at)
    local = timezone.localtime(done_at)
    form = CompleteDutyForm(
        {
            "method": payload.method,
            "done_on": local.date().isoformat(),
            "done_time": local.strftime("%H:%M"),
            "evidence": payload.evidence,
        },
        duty=duty,
        now=timezone.now(),
    )
    if not form.is_valid():
        raise form_refusal(form, rename={"done_on": "done_at", "done_time": "done_at"})
    data = form.cleaned_data
    with audited_as_token_creator(request):
        duty_complete(
            duty=duty, done_by=user, done_at=data["done_at"], method=data["method"], evidence=data["evidence"]
        )
    return duty_out(_duties().get(pk=duty.pk))

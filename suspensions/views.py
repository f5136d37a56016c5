"""Recording a suspension, the suspension page, and cancelling a suspension."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from audit.access import record_access
from duties.selectors import open_duty_count, suspension_duties
from plans.models import ReintegrationPlan
from pupils.models import Pupil
from schools.access import Access, Can, get_for
from suspensions.forms import CancelSuspensionForm, RecordSuspensionForm
from suspensions.models import Suspension
from suspensions.selectors import pupil_suspension_summary
from suspensions.services import ALREADY_CANCELLED, suspension_cancel, suspension_record

RECORDED = (
    "{what} recorded. {name} returns on {returns}. "
    "A draft reintegration plan has been created: write the strategy next."
)
RECORDED_LUNCHTIME = (
    "{what} recorded. {name} is back at lunchtime from {returns}. "
    "A draft reintegration plan has been created: write the strategy next."
)
RECORDED_PERMANENT = "Permanent exclusion recorded. A permanent exclusion has no return date and no reintegration plan."
CANCELLED = (
    "Suspension cancelled. The record is kept and the reintegration plan remains: the pupil returns without delay."
)
CANCELLED_PERMANENT = "Permanent exclusion cancelled. The record is kept: the pupil returns without delay."
DUTIES_CREATED = "{count} statutory duties were created: see below."
DUTY_CREATED = "1 statutory duty was created: see below."
CANCELLATION_DUTIES = "The notices of the cancellation are listed under statutory duties below."
FOLLOWS_NOT_FOUND = "There is no confirmed suspension of this pupil for a further suspension to follow."


def _staff_user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User), "LoginRequiredMiddleware lets only signed-in staff through."
    return user


def _earlier_suspension(request: HttpRequest, pupil: Pupil) -> Suspension | None:
    """The suspension named by ?follows=, which must be a confirmed, fixed-length suspension of the same pupil."""
    raw = request.GET.get("follows", "").strip()
    if not raw:
        return None
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 18:  # "²" is a digit to isdigit() but not to int()
        raise Http404(FOLLOWS_NOT_FOUND)
    earlier = (
        Suspension.objects.filter(pk=int(raw), pupil=pupil, status=Suspension.Status.CONFIRMED)
        .exclude(kind=Suspension.Kind.PERMANENT)
        .first()
    )
    if earlier is None:
        raise Http404(FOLLOWS_NOT_FOUND)
    return earlier


def _duties_message(suspension: Suspension) -> str:
    count = open_duty_count(suspension)
    return DUTY_CREATED if count == 1 else DUTIES_CREATED.format(count=count)


def _recorded_message(suspension: Suspension) -> str:
    name = suspension.pupil.first_name
    duties = _duties_message(suspension)
    if suspension.is_permanent:
        return f"{RECORDED_PERMANENT} {duties}"
    what = "Further suspension" if suspension.follows_id else suspension.get_kind_display()
    if suspension.kind == Suspension.Kind.LUNCHTIME and suspension.return_date:
        message = RECORDED_LUNCHTIME.format(what=what, name=name, returns=f"{suspension.return_date:%A %d/%m/%Y}")
    else:
        message = RECORDED.format(what=what, name=name, returns=suspension.return_label)
    return f"{message} {duties}"


@require_http_methods(["GET", "POST"])
def suspension_record_view(request: HttpRequest, pupil_id: int) -> HttpResponse:
    pupil, _access = get_for(request, Pupil.objects.select_related("school"), Can.RECORD_SUSPENSION, pk=pupil_id)
    today = timezone.localdate()
    earlier = _earlier_suspension(request, pupil)
    if request.method == "POST":
        form = RecordSuspensionForm(request.POST, school=pupil.school, today=today, user=request.user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                suspension = suspension_record(
                    pupil=pupil,
                    kind=data["kind"],
                    start_date=data["start_date"],
                    start_session=data["start_session"],
                    sessions=data["sessions"],
                    reasons=list(data["reasons"]),
                    incident_summary=data["incident_summary"],
                    decided_by=data["decided_by"].user,
                    recorded_by=_staff_user(request),
                    follows=earlier,
                    misses_public_exam=data["misses_public_exam"],
                    exam_date=data["exam_date"],
                )
            except ValidationError as error:
                form.apply_service_errors(error)
            else:
                messages.success(request, _recorded_message(suspension))
                return redirect("suspensions:detail", pk=suspension.pk)
    else:
        initial = {}
        if earlier is not None:
            initial = {"start_date": earlier.return_date, "start_session": earlier.return_session}
        form = RecordSuspensionForm(school=pupil.school, today=today, user=request.user, initial=initial)
    return render(
        request,
        "suspensions/record.html",
        {
            "nav": "pupils",
            "pupil": pupil,
            "form": form,
            "follows": earlier,
            "summary": pupil_suspension_summary(pupil, today=today),
            "has_headteacher": form.has_headteacher,
        },
    )


def _plan_visible(access: Access, plan: ReintegrationPlan | None) -> bool:
    if plan is None:
        return False
    if access.can(Can.VIEW_PLAN_DETAIL):
        return True
    return access.can(Can.VIEW_PLANS) and plan.status == ReintegrationPlan.Status.ACTIVE


@require_http_methods(["GET"])
def suspension_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    suspension, access = get_for(
        request,
        Suspension.objects.select_related(
            "pupil", "decided_by", "recorded_by", "cancelled_by", "follows", "plan", "board_consideration"
        ),
        Can.VIEW_SUSPENSIONS,
        pk=pk,
    )
    show_duties = access.can(Can.VIEW_DUTIES)
    plan: ReintegrationPlan | None = getattr(suspension, "plan", None)
    show_detail = access.can(Can.VIEW_SUSPENSION_DETAIL)
    record_access(request, suspension, what="suspension page")
    return render(
        request,
        "suspensions/detail.html",
        {
            "nav": "pupils",
            "suspension": suspension,
            "pupil": suspension.pupil,
            "reasons": list(suspension.reasons.order_by("code")) if show_detail else None,
            "show_detail": show_detail,
            "show_incident": access.can(Can.VIEW_INCIDENT),
            "plan": plan,
            "plan_visible": _plan_visible(access, plan),
            "further_suspensions": list(suspension.further_suspensions.order_by("start_date", "id")),
            "can_record_further": access.can(Can.RECORD_SUSPENSION)
            and not suspension.is_cancelled
            and not suspension.is_permanent,
            "can_cancel": access.can(Can.CANCEL_SUSPENSION) and not suspension.is_cancelled,
            "show_duties": show_duties,
            "duties": suspension_duties(suspension) if show_duties else [],
            "today": timezone.localdate(),
            "return_to": request.get_full_path(),
        },
    )


@require_http_methods(["GET", "POST"])
def suspension_cancel_view(request: HttpRequest, pk: int) -> HttpResponse:
    suspension, _access = get_for(
        request, Suspension.objects.select_related("pupil", "plan"), Can.CANCEL_SUSPENSION, pk=pk
    )
    if suspension.is_cancelled:
        messages.warning(request, ALREADY_CANCELLED)
        return redirect("suspensions:detail", pk=suspension.pk)
    form = CancelSuspensionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            suspension_cancel(
                suspension=suspension,
                cancelled_by=_staff_user(request),
                reason=form.cleaned_data["reason"],
                now=timezone.now(),
            )
        except ValidationError as error:
            if not hasattr(error, "error_dict"):
                # Cancelled by someone else a moment ago: say so rather than show the form again.
                messages.warning(request, " ".join(error.messages))
                return redirect("suspensions:detail", pk=suspension.pk)
            form.apply_service_errors(error)
        else:
            cancelled = CANCELLED_PERMANENT if suspension.is_permanent else CANCELLED
            messages.success(request, f"{cancelled} {CANCELLATION_DUTIES}")
            return redirect("suspensions:detail", pk=suspension.pk)
    return render(
        request,
        "suspensions/cancel.html",
        {"nav": "pupils", "suspension": suspension, "pupil": suspension.pupil, "form": form},
    )

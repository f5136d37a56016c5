"""The compliance page (every statutory duty at the school) and recording a duty as done or no longer needed."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from duties import selectors
from duties.forms import CompleteDutyForm, DutyFilterForm, NotNeededForm
from duties.models import Duty
from duties.services import ALREADY_CLOSED, duty_complete, duty_mark_not_needed
from schools.access import Can, get_for, require

DUTIES_PER_PAGE = 50

DONE = "Recorded as done: {kind} for {name}."
NOT_NEEDED = "Recorded as no longer needed: {kind} for {name}."
ACTION_NOT_NEEDED = "not_needed"
_STATUS_PHRASES = {
    selectors.STATUS_OPEN: "to do",
    selectors.STATUS_DONE: "done",
    selectors.STATUS_NOT_NEEDED: "no longer needed",
    selectors.STATUS_ALL: "in all",
}


def _staff_user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User), "LoginRequiredMiddleware lets only signed-in staff through."
    return user


def _next_url(request: HttpRequest) -> str:
    """Where to go back to: `next` when it is a page of this site, otherwise the compliance page."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate.startswith("/") and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse("duties:list")


@require_http_methods(["GET"])
def duty_list_view(request: HttpRequest) -> HttpResponse:
    access = require(request, Can.VIEW_DUTIES)
    today = timezone.localdate()
    form = DutyFilterForm(request.GET)
    filters = form.filters()
    duties = selectors.duty_list(school=access.school, today=today, **filters)
    page = Paginator(duties, DUTIES_PER_PAGE).get_page(request.GET.get("page"))
    count = page.paginator.count
    caption = f"{count} dut{'y' if count == 1 else 'ies'} {_STATUS_PHRASES[filters['status']]}"
    if page.paginator.num_pages > 1:
        caption += f" (page {page.number} of {page.paginator.num_pages})"
    return render(
        request,
        "duties/list.html",
        {
            "nav": "duties",
            "today": today,
            "form": form,
            "filters": filters,
            "is_filtered": form.is_filtered,
            "page": page,
            "duties": list(page.object_list),
            "caption": caption,
            "return_to": request.get_full_path(),
        },
    )


@require_http_methods(["GET", "POST"])
def duty_complete_view(request: HttpRequest, pk: int) -> HttpResponse:
    duty, _access = get_for(
        request,
        Duty.objects.select_related("pupil", "suspension", "part_time_timetable", "done_by"),
        Can.COMPLETE_DUTIES,
        pk=pk,
    )
    now = timezone.now()
    next_url = _next_url(request)
    done_form = CompleteDutyForm(duty=duty, now=now)
    not_needed_form = NotNeededForm()
    if request.method == "POST" and duty.status == Duty.Status.OPEN:
        names = {"kind": duty.get_kind_display(), "name": duty.pupil.display_name}
        try:
            if request.POST.get("action") == ACTION_NOT_NEEDED:
                not_needed_form = NotNeededForm(request.POST)
                if not_needed_form.is_valid():
                    duty_mark_not_needed(
                        duty=duty, by=_staff_user(request), reason=not_needed_form.cleaned_data["reason"]
                    )
                    messages.success(request, NOT_NEEDED.format(**names))
                    return redirect(next_url)
            else:
                done_form = CompleteDutyForm(request.POST, duty=duty, now=now)
                if done_form.is_valid():
                    data = done_form.cleaned_data
                    duty_complete(
                        duty=duty,
                        done_by=_staff_user(request),
                        done_at=data["done_at"],
                        method=data["method"],
                        evidence=data["evidence"],
                    )
                    messages.success(request, DONE.format(**names))
                    return redirect(next_url)
        except ValidationError as error:
            if not hasattr(error, "error_dict"):
                # Recorded by someone else a moment ago: say so rather than show the form again.
                messages.warning(request, " ".join(error.messages))
                return redirect(next_url)
            (not_needed_form if request.POST.get("action") == ACTION_NOT_NEEDED else done_form).apply_service_errors(
                error
            )
    elif request.method == "POST":
        messages.warning(request, ALREADY_CLOSED.format(status=duty.get_status_display().lower()))
        return redirect(next_url)
    return render(
        request,
        "duties/complete.html",
        {
            "nav": "duties",
            "duty": duty,
            "pupil": duty.pupil,
            "done_form": done_form,
            "not_needed_form": not_needed_form,
            "next_url": next_url,
            "today": timezone.localdate(),
        },
    )

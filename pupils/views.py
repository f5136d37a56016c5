"""The pupil list (search, filter, suspension days), the pupil page, days at previous schools, and subject access."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from audit.access import record_access
from documents.letter_selectors import pupil_letters_context
from plans.models import ReintegrationPlan
from pupils.forms import PreviousSchoolSuspensionForm, PupilSearchForm
from pupils.models import PreviousSchoolSuspension, Pupil, YearGroup
from pupils.selectors import (
    board_considerations,
    previous_school_sessions_in_year,
    previous_school_suspensions,
    pupil_contacts,
    pupil_flags,
    pupil_list,
    pupil_plans,
    pupil_repeat_alert,
    suspension_days_this_year,
)
from pupils.services import previous_school_suspension_add, previous_school_suspension_delete
from pupils.subject_access import pupil_subject_access_export
from reintegrate import statutory
from schools.access import Can, get_for, require
from suspensions.selectors import pupil_suspension_summary

PUPILS_PER_PAGE = 50


@dataclass(frozen=True)
class PupilRow:
    pupil: Pupil
    flags: list[str]
    suspension_days: str


@require_http_methods(["GET"])
def pupil_list_view(request: HttpRequest) -> HttpResponse:
    access = require(request, Can.VIEW_PUPILS)
    today = timezone.localdate()
    form = PupilSearchForm(request.GET)
    search, year_group = form.search(), form.year()
    paginator = Paginator(pupil_list(school=access.school, search=search, year_group=year_group), PUPILS_PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    pupils = list(page.object_list)
    days = suspension_days_this_year(school=access.school, pupils=pupils, today=today)
    rows = [PupilRow(pupil=p, flags=pupil_flags(p), suspension_days=days.get(p.pk, "0")) for p in pupils]
    return render(
        request,
        "pupils/list.html",
        {
            "nav": "pupils",
            "form": form,
            "search": search,
            "year_group_label": YearGroup(year_group).label if year_group else "",
            "page": page,
            "rows": rows,
            "year_label": statutory.academic_year_label(today),
        },
    )


@require_http_methods(["GET"])
def pupil_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    pupil, access = get_for(request, Pupil.objects.select_related("school"), Can.VIEW_PUPILS, pk=pk)
    today = timezone.localdate()
    context: dict[str, object] = {
        "nav": "pupils",
        "pupil": pupil,
        "flags": pupil_flags(pupil),
        "show_reasons": access.can(Can.VIEW_SUSPENSION_DETAIL),
        "contacts": list(pupil_contacts(pupil)) if access.can(Can.VIEW_CONTACTS) else None,
    }
    if access.can(Can.VIEW_SUSPENSIONS):
        summary = pupil_suspension_summary(pupil, today=today)
        term_ids = {s.pk for s in summary.this_term}
        year_ids = {s.pk for s in summary.this_year}
        previous_entries = previous_school_suspensions(pupil)
        context.update(
            summary=summary,
            other_terms=[s for s in summary.this_year if s.pk not in term_ids],
            other_years=[s for s in summary.all if s.pk not in year_ids],
            previous_entries=previous_entries,
            previous_days=statutory.format_days(previous_school_sessions_in_year(previous_entries, today=today)),
            repeat=pupil_repeat_alert(pupil, suspensions=summary.all, today=today),
            board=board_considerations(pupil),
        )
    plans: list[ReintegrationPlan] | None = None
    if access.can(Can.VIEW_PLAN_DETAIL):
        plans = pupil_plans(pupil, active_only=False)
    elif access.can(Can.VIEW_PLANS):
        plans = pupil_plans(pupil, active_only=True)
    if plans is not None:
        context.update(plans=plans, goals=[(plan, goal) for plan in plans for goal in plan.goals.all()])
    if access.can(Can.VIEW_PLANS) or access.can(Can.ISSUE_LETTERS):
        context.update(pupil_letters_context(pupil, access=access))
    record_access(request, pupil, what="pupil page")
    return render(request, "pupils/detail.html", context)


# --- Days at previous schools -----------------------------------------------------------------------------


def _staff_user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User), "LoginRequiredMiddleware lets only signed-in staff through."
    return user


def _previous_schools_url(pupil: Pupil) -> str:
    return reverse("pupils:detail", args=[pupil.pk]) + "#previous-schools"


@require_http_methods(["GET", "POST"])
def previous_school_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    pupil, _access = get_for(request, Pupil.objects.select_related("school"), Can.RECORD_SUSPENSION, pk=pk)
    today = timezone.localdate()
    if request.method == "POST":
        form = PreviousSchoolSuspensionForm(request.POST, today=today)
        if form.is_valid():
            try:
                entry = previous_school_suspension_add(
                    pupil=pupil,
                    school_name=form.cleaned_data["school_name"],
                    academic_year_start=form.academic_year_start,
                    sessions=form.sessions,
                    note=form.cleaned_data["note"],
                    recorded_by=_staff_user(request),
                    today=today,
                )
            except ValidationError as error:
                form.apply_service_errors(error)
            else:
                days = statutory.format_days(entry.sessions)
                messages.success(
                    request,
                    f"{days} day{'' if days == '1' else 's'} at {entry.school_name} in "
                    f"{statutory.academic_year_label(entry.academic_year_start)} added. "
                    f"They count towards {pupil.first_name}'s 45-day limit.",
                )
                return redirect(_previous_schools_url(pupil))
    else:
        form = PreviousSchoolSuspensionForm(today=today)
    return render(
        request,
        "pupils/previous_school_form.html",
        {
            "nav": "pupils",
            "pupil": pupil,
            "form": form,
            "summary": pupil_suspension_summary(pupil, today=today),
        },
    )


@require_http_methods(["GET", "POST"])
def previous_school_delete_view(request: HttpRequest, pk: int, entry_pk: int) -> HttpResponse:
    pupil, _access = get_for(request, Pupil.objects.select_related("school"), Can.RECORD_SUSPENSION, pk=pk)
    entry = get_object_or_404(PreviousSchoolSuspension, pk=entry_pk, pupil=pupil)
    if request.method == "POST":
        days = statutory.format_days(entry.sessions)
        label = (
            f"{days} day{'' if days == '1' else 's'} at {entry.school_name} in "
            f"{statutory.academic_year_label(entry.academic_year_start)}"
        )
        previous_school_suspension_delete(entry=entry, today=timezone.localdate())
        messages.success(
            request, f"Days at a previous school removed: {label}. {pupil.first_name}'s totals are updated."
        )
        return redirect(_previous_schools_url(pupil))
    return render(
        request,
        "pupils/previous_school_delete.html",
        {
            "nav": "pupils",
            "pupil": pupil,
            "entry": entry,
            "days": statutory.format_days(entry.sessions),
            "year_label": statutory.academic_year_label(entry.academic_year_start),
        },
    )


# --- Subject access -------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def subject_access_view(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: what the export holds, and a button. POST: the ZIP (record.pdf, data.json, README.txt)."""
    pupil, access = get_for(request, Pupil.objects.select_related("school"), Can.EXPORT_PUPIL_DATA, pk=pk)
    if request.method == "POST":
        export = pupil_subject_access_export(pupil=pupil, generated_by_role=access.membership.role_label)
        record_access(request, pupil, what="subject access export")
        response = HttpResponse(export.content, content_type="application/zip")
        response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
        response["Cache-Control"] = "no-store"
        return response
    return render(request, "pupils/subject_access.html", {"nav": "pupils", "pupil": pupil})

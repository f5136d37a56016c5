"""The pupil list (search, filter, suspension days) and the pupil page."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from plans.models import ReintegrationPlan
from pupils.forms import PupilSearchForm
from pupils.models import Pupil, YearGroup
from pupils.selectors import pupil_contacts, pupil_flags, pupil_list, pupil_plans, suspension_days_this_year
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
        context.update(
            summary=summary,
            other_terms=[s for s in summary.this_year if s.pk not in term_ids],
            other_years=[s for s in summary.all if s.pk not in year_ids],
        )
    plans: list[ReintegrationPlan] | None = None
    if access.can(Can.VIEW_PLAN_DETAIL):
        plans = pupil_plans(pupil, active_only=False)
    elif access.can(Can.VIEW_PLANS):
        plans = pupil_plans(pupil, active_only=True)
    if plans is not None:
        context.update(plans=plans, goals=[(plan, goal) for plan in plans for goal in plan.goals.all()])
    return render(request, "pupils/detail.html", context)

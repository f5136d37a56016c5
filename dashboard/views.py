"""The pastoral dashboard (what needs doing today) and the governors' figures (aggregates, no names)."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from dashboard import selectors
from duties.selectors import WHEN_OVERDUE, WHEN_TODAY, WHEN_WEEK, duty_counts
from schools.access import Can, current_access, require

PAGE_SIZE = 50


def _page(request: HttpRequest, queryset: QuerySet[Any], key: str) -> Page[Model]:
    """One page of a dashboard list; each list pages on its own parameter, e.g. ?overdue_page=2."""
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get(f"{key}_page"))


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """What needs doing: statutory duties, returns today and in the next 7 days, plans, meetings and reviews."""
    access = current_access(request)
    if access is not None and not access.can(Can.VIEW_PUPILS) and access.can(Can.VIEW_FIGURES):
        return redirect("dashboard:figures")
    access = require(request, Can.VIEW_PUPILS)
    school = access.school
    today = timezone.localdate()
    sections: dict[str, Page[Model]] = {}
    if access.can(Can.VIEW_SUSPENSIONS):
        sections["today"] = _page(request, selectors.returns_today(school, today), "today")
        sections["week"] = _page(request, selectors.returns_in_the_next_7_days(school, today), "week")
    if access.can(Can.EDIT_PLANS):
        sections["strategy"] = _page(request, selectors.plans_without_strategy(school), "strategy")
        sections["arrange"] = _page(request, selectors.meetings_to_arrange(school), "arrange")
        sections["record"] = _page(request, selectors.meetings_to_record(school, timezone.now()), "record")
        sections["due"] = _page(request, selectors.reviews_due(school, today), "due")
        sections["overdue"] = _page(request, selectors.reviews_overdue(school, today), "overdue")
    elif access.can(Can.VIEW_PLANS):
        sections["active"] = _page(request, selectors.active_plans(school), "active")
    return render(
        request,
        "dashboard/home.html",
        {
            "nav": "home",
            "today": today,
            "sections": sections,
            "review_window": selectors.REVIEW_DUE_WINDOW_DAYS,
            "duties": duty_counts(school=school, today=today) if access.can(Can.VIEW_DUTIES) else None,
            "duty_filters": {"overdue": WHEN_OVERDUE, "today": WHEN_TODAY, "week": WHEN_WEEK},
        },
    )


@require_GET
def figures(request: HttpRequest) -> HttpResponse:
    """This school year's figures by term, with small numbers suppressed: safe to share with governors."""
    access = require(request, Can.VIEW_FIGURES)
    today = timezone.localdate()
    return render(
        request,
        "dashboard/figures.html",
        {
            "nav": "figures",
            "today": today,
            "figures": selectors.school_figures(access.school, today),
            "threshold": selectors.SUPPRESSION_THRESHOLD,
        },
    )

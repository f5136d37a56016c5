"""The register check: suspended sessions (code E) in the imported register against the suspensions recorded."""

from __future__ import annotations

from datetime import timedelta

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from evidence.forms import PeriodForm
from evidence.models import AttendanceMark
from evidence.selectors import register_mismatches
from schools.access import Can, require
from schools.selectors import school_calendar


@require_http_methods(["GET"])
def register_check_view(request: HttpRequest) -> HttpResponse:
    access = require(request, Can.VIEW_DUTIES)
    today = timezone.localdate()
    term = school_calendar(access.school).current_term(today)
    default_start = term.start if term is not None else today - timedelta(days=90)
    form = PeriodForm(request.GET or None)
    start, end = form.period(default_start=default_start, default_end=today)
    return render(
        request,
        "evidence/register_check.html",
        {
            "nav": "duties",
            "form": form,
            "start": start,
            "end": end,
            "has_register": AttendanceMark.objects.filter(school=access.school, date__range=(start, end)).exists(),
            "mismatches": register_mismatches(access.school, start=start, end=end),
        },
    )

"""Calendar invitations to download: the plan's meeting and its next review, as .ics files.

Both need VIEW_PLAN_DETAIL (the meeting's time and place, the review dates). Where there is nothing to put in a
calendar (no meeting arranged, no next review), the user goes back to the plan page with a message saying so.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_http_methods

from audit.access import record_access
from notifications import ics
from notifications.selectors import plan_for_calendar
from plans.models import Meeting
from schools.access import Can, get_for

NO_MEETING = "No meeting has been arranged for this plan yet, so there is no calendar invitation to download."
NO_REVIEW = "This plan has no next review date, so there is no calendar invitation to download."


@require_http_methods(["GET"])
def meeting_ics_view(request: HttpRequest, pk: int) -> HttpResponse:
    plan, _access = get_for(request, plan_for_calendar(), Can.VIEW_PLAN_DETAIL, pk=pk)
    try:
        meeting = plan.meeting
    except Meeting.DoesNotExist:
        messages.info(request, NO_MEETING)
        return redirect("plans:detail", pk=plan.pk)
    record_access(request, plan, what="meeting calendar invitation")
    return _calendar_response(ics.meeting_ics(meeting, for_family=False), ics.meeting_filename(meeting))


@require_http_methods(["GET"])
def next_review_ics_view(request: HttpRequest, pk: int) -> HttpResponse:
    plan, _access = get_for(request, plan_for_calendar(), Can.VIEW_PLAN_DETAIL, pk=pk)
    try:
        content = ics.review_ics(plan)
    except ics.NothingToInvite:
        messages.info(request, NO_REVIEW)
        return redirect("plans:detail", pk=plan.pk)
    record_access(request, plan, what="review calendar invitation")
    return _calendar_response(content, ics.review_filename(plan))


def _calendar_response(content: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response

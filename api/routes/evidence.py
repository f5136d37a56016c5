"""Evidence from the school's MIS: behaviour events, weeks of attendance and register marks. List them, and send
them in batches (up to 1,000 rows a request): all or nothing, and idempotent, so a nightly sync can resend what it
sent before and nothing changes ("created": 0, "updated": 0, "unchanged": N).

Reading needs view_plan_detail (the evidence measures plans) or import_data; sending needs import_data.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Router

from api import selectors, services
from api.common import READ_ERRORS, WRITE_ERRORS, page_of, paginate
from api.permissions import require_any, writer
from api.schemas import (
    AttendanceMarkPage,
    AttendanceMarksIn,
    AttendanceWeekPage,
    AttendanceWeeksIn,
    BehaviourEventPage,
    BehaviourEventsIn,
    BehaviourFilters,
    EvidenceFilters,
    MarkFilters,
    SaveSummary,
)
from pupils.validators import normalise_upn
from schools.access import Can, require

router = Router(tags=["Evidence"])

READERS = (Can.VIEW_PLAN_DETAIL, Can.IMPORT_DATA)


def _by_upn(found: QuerySet[Any], filters: EvidenceFilters) -> QuerySet[Any]:
    return found.filter(pupil__upn=normalise_upn(filters.upn)) if filters.upn else found


def _summary(summary: services.SaveSummary) -> dict[str, int]:
    return {"created": summary.created, "updated": summary.updated, "unchanged": summary.unchanged}


@router.get("/behaviour-events", response={200: BehaviourEventPage, **READ_ERRORS}, summary="List behaviour events")
def behaviour_event_list_read(request: HttpRequest, filters: Query[BehaviourFilters]) -> Any:
    """Oldest first. Capability: view_plan_detail or import_data."""
    access = require_any(request, *READERS)
    found = selectors.behaviour_events(
        school=access.school,
        pupil_id=filters.pupil,
        kind=filters.kind or "",
        category=filters.category.strip(),
        date_from=filters.date_from,
        date_to=filters.date_to,
    )
    count, items = paginate(_by_upn(found, filters), filters)
    return page_of(
        count,
        filters,
        [
            {
                "id": event.pk,
                "pupil_id": event.pupil_id,
                "upn": event.pupil.upn,
                "occurred_on": event.occurred_on,
                "kind": event.kind,
                "category": event.category,
                "points": event.points,
                "description": event.description,
                "source_id": event.source_id,
                "imported_at": event.imported_at,
            }
            for event in items
        ],
    )


@router.post("/behaviour-events", response={200: SaveSummary, **WRITE_ERRORS}, summary="Send behaviour events")
def behaviour_event_save(request: HttpRequest, payload: BehaviourEventsIn) -> Any:
    """Each row names its pupil by UPN. A row with `source_id` (the MIS's id for the event) creates or updates that
    event; a row without one is matched on its whole content. Capability: import_data."""
    access = require(request, Can.IMPORT_DATA)
    writer(request)
    rows = [item.model_dump() for item in payload.items]
    return _summary(services.behaviour_events_save(school=access.school, rows=rows))


@router.get("/attendance-weeks", response={200: AttendanceWeekPage, **READ_ERRORS}, summary="List weeks of attendance")
def attendance_week_list_read(request: HttpRequest, filters: Query[EvidenceFilters]) -> Any:
    """Oldest week first; `date_from` and `date_to` bound the week's Monday. Capability: view_plan_detail or
    import_data."""
    access = require_any(request, *READERS)
    found = selectors.attendance_weeks(
        school=access.school, pupil_id=filters.pupil, date_from=filters.date_from, date_to=filters.date_to
    )
    count, items = paginate(_by_upn(found, filters), filters)
    return page_of(
        count,
        filters,
        [
            {
                "id": week.pk,
                "pupil_id": week.pupil_id,
                "upn": week.pupil.upn,
                "week_start": week.week_start,
                "possible_sessions": week.possible_sessions,
                "attended_sessions": week.attended_sessions,
                "late_sessions": week.late_sessions,
                "suspended_sessions": week.suspended_sessions,
                "percentage": week.percentage,
                "imported_at": week.imported_at,
            }
            for week in items
        ],
    )


@router.post("/attendance-weeks", response={200: SaveSummary, **WRITE_ERRORS}, summary="Send weeks of attendance")
def attendance_week_save(request: HttpRequest, payload: AttendanceWeeksIn) -> Any:
    """One row per pupil and week (its Monday), in sessions: possible, attended, late, suspended (code E). A week
    sent again replaces what was there. Capability: import_data."""
    access = require(request, Can.IMPORT_DATA)
    writer(request)
    rows = [item.model_dump() for item in payload.items]
    return _summary(services.attendance_weeks_save(school=access.school, rows=rows))


@router.get("/attendance-marks", response={200: AttendanceMarkPage, **READ_ERRORS}, summary="List register marks")
def attendance_mark_list_read(request: HttpRequest, filters: Query[MarkFilters]) -> Any:
    """Oldest first. Capability: view_plan_detail or import_data."""
    access = require_any(request, *READERS)
    found = selectors.attendance_marks(
        school=access.school,
        pupil_id=filters.pupil,
        code=filters.code.strip().upper(),
        date_from=filters.date_from,
        date_to=filters.date_to,
    )
    count, items = paginate(_by_upn(found, filters), filters)
    return page_of(
        count,
        filters,
        [
            {
                "id": mark.pk,
                "pupil_id": mark.pupil_id,
                "upn": mark.pupil.upn,
                "date": mark.date,
                "session": mark.session,
                "code": mark.code,
                "imported_at": mark.imported_at,
            }
            for mark in items
        ],
    )


@router.post("/attendance-marks", response={200: SaveSummary, **WRITE_ERRORS}, summary="Send register marks")
def attendance_mark_save(request: HttpRequest, payload: AttendanceMarksIn) -> Any:
    """One row per pupil, date and session (am or pm), with the register code ('/', 'L', 'E' for suspended, 'C2'...).
    A mark sent again replaces the code there. Capability: import_data."""
    access = require(request, Can.IMPORT_DATA)
    writer(request)
    rows = [item.model_dump() for item in payload.items]
    return _summary(services.attendance_marks_save(school=access.school, rows=rows))

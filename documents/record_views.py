"""Downloads of the reintegration documents: the blank meeting template, and for one plan the meeting record,
the whole plan and "My return plan", each as PDF or DOCX.

Access first (schools.access): the blank template holds no personal data, so anyone who may see plans may print
it; a plan's documents need VIEW_PLAN_DETAIL (404 for another school's plan, 403 for a role without it). Each
download of a plan's document is recorded in the audit trail. Responses are attachments that are never cached.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_http_methods

from audit.access import record_access
from documents import record_docx, records, selectors
from plans.models import ReintegrationPlan
from schools.access import Can, get_for, require

PDF = "pdf"
DOCX = "docx"
CONTENT_TYPES = {PDF: "application/pdf", DOCX: record_docx.CONTENT_TYPE}

Builder = Callable[..., records.RecordDocument]


def _download(document: records.RecordDocument, fmt: str) -> HttpResponse:
    content = records.record_pdf(document).content if fmt == PDF else record_docx.record_docx(document)
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{document.filename_stem}.{fmt}"'
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET"])
def blank_template_view(request: HttpRequest, fmt: str) -> HttpResponse:
    """Staff who read plans, and the office, who send letters and prepare the paperwork: no personal data."""
    try:
        access = require(request, Can.VIEW_PLANS)
    except PermissionDenied:
        access = require(request, Can.ISSUE_LETTERS)
    return _download(records.blank_template(access.school), fmt)


def _plan_document(request: HttpRequest, pk: int, fmt: str, *, build: Builder, what: str) -> HttpResponse:
    plan: ReintegrationPlan
    plan, _access = get_for(request, selectors.plans_for_documents(), Can.VIEW_PLAN_DETAIL, pk=pk)
    document = build(plan)
    record_access(request, plan, what=f"{what} ({fmt.upper()})")
    return _download(document, fmt)


@require_http_methods(["GET"])
def meeting_record_view(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    return _plan_document(request, pk, fmt, build=records.meeting_record, what="meeting record")


@require_http_methods(["GET"])
def plan_record_view(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    return _plan_document(request, pk, fmt, build=records.plan_record, what="reintegration plan")


@require_http_methods(["GET"])
def my_return_plan_view(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    return _plan_document(request, pk, fmt, build=records.my_return_plan, what="My return plan")

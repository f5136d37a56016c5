"""The audit trail of one pupil: who created, changed, deleted or viewed their records, when and from where."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from audit.selectors import audit_rows, pupil_log_entries
from pupils.models import Pupil
from schools.access import Can, get_for

ENTRIES_PER_PAGE = 50


@require_http_methods(["GET"])
def pupil_audit_view(request: HttpRequest, pupil_pk: int) -> HttpResponse:
    pupil, access = get_for(request, Pupil.objects.select_related("school"), Can.VIEW_AUDIT, pk=pupil_pk)
    paginator = Paginator(pupil_log_entries(pupil), ENTRIES_PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "audit/pupil.html",
        {
            "nav": "pupils",
            "pupil": pupil,
            "page": page,
            "rows": audit_rows(list(page.object_list), school_id=access.school.pk),
        },
    )

"""Imports from the MIS: the imports page, upload, columns, the job page (progress, problems, preview, result),
import, cancel, the history and example files. Every page needs the import_data capability."""

from __future__ import annotations

import csv
import io

from django.contrib import messages
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from imports import reading, runner, selectors, services
from imports.forms import ColumnsForm, UploadForm
from imports.framework import suggest_columns
from imports.importers import importer_for
from imports.models import ImportJob
from schools.access import Can, get_for, require

JOBS_PER_PAGE = 25
REFRESH_SECONDS = 3
PREVIEW_ROWS = 3
Status = ImportJob.Status


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User), "LoginRequiredMiddleware lets only signed-in staff through."
    return user


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    access = require(request, Can.IMPORT_DATA)
    return render(
        request,
        "imports/home.html",
        {"nav": "imports", "rows": selectors.imports_overview(access.school), "school": access.school},
    )


@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest, kind: str) -> HttpResponse:
    access = require(request, Can.IMPORT_DATA)
    importer = importer_for(kind)
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES, importer=importer)
        if form.is_valid():
            upload_file = form.cleaned_data["file"]
            try:
                if upload_file.size > reading.MAX_BYTES:
                    raise ValidationError(
                        {"file": [f"The file must be smaller than {reading.MAX_BYTES // (1024 * 1024)} MB."]}
                    )
                job = services.import_job_upload(
                    school=access.school,
                    kind=importer.kind,
                    user=_user(request),
                    filename=upload_file.name or "",
                    content=upload_file.read(),
                    options=form.options(),
                )
            except ValidationError as error:
                form.apply_service_errors(error)
            else:
                if job.file_format == reading.ICS:
                    services.import_job_check_calendar(job=job)
                    runner.run(services.import_job_check, job, _user(request))
                    return redirect("imports:job", job.pk)
                return redirect("imports:columns", job.pk)
    else:
        form = UploadForm(importer=importer)
    return render(request, "imports/upload.html", {"nav": "imports", "form": form, "importer": importer})


@require_http_methods(["GET", "POST"])
def columns(request: HttpRequest, pk: int) -> HttpResponse:
    job, _access = get_for(request, selectors.job_for_page(), Can.IMPORT_DATA, pk=pk)
    if job.file_format == reading.ICS or job.status not in ImportJob.WAITING:
        return redirect("imports:job", job.pk)
    importer = importer_for(job.kind)
    if request.method == "POST":
        form = ColumnsForm(request.POST, importer=importer, headings=job.headings)
        if form.is_valid():
            try:
                services.import_job_columns_save(job=job, columns=form.columns(), user=_user(request))
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
                return redirect("imports:job", job.pk)
            runner.run(services.import_job_check, job, _user(request))
            return redirect("imports:job", job.pk)
    else:
        chosen = job.columns or suggest_columns(importer, job.headings, services.saved_columns(job))
        form = ColumnsForm(initial=chosen, importer=importer, headings=job.headings)
    return render(
        request,
        "imports/columns.html",
        {"nav": "imports", "form": form, "job": job, "importer": importer, "examples": _first_rows(job)},
    )


def _first_rows(job: ImportJob) -> list[tuple[str, list[str]]]:
    """Each heading with its first few values, to help choose the columns (reads only the top of the file)."""
    content = services.job_file_content(job)
    if content is None:
        return []
    values: list[list[str]] = [[] for _ in job.headings]
    try:
        table = reading.read_table(content, services.stored_format(job))
        for count, (_number, cells) in enumerate(table.rows(), start=1):
            for index, cell in enumerate(cells):
                values[index].append(cell[:60])
            if count >= PREVIEW_ROWS:
                break
    except reading.FileProblem:
        pass
    return list(zip(job.headings, values, strict=True))


@require_GET
def job_view(request: HttpRequest, pk: int) -> HttpResponse:
    job, _access = get_for(request, selectors.job_for_page(), Can.IMPORT_DATA, pk=pk)
    importer = importer_for(job.kind)
    stalled = services.is_stalled(job)
    response = render(
        request,
        "imports/job.html",
        {
            "nav": "imports",
            "job": job,
            "importer": importer,
            "stalled": stalled,
            "refresh_seconds": REFRESH_SECONDS,
            "has_columns": job.file_format != reading.ICS,
            "changes": job.rows_new + job.rows_updated + job.rows_removed,
        },
    )
    if job.is_running and not stalled:
        response["Refresh"] = str(REFRESH_SECONDS)  # the page reloads itself while the job runs (no script needed)
        response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET", "POST"])
def apply(request: HttpRequest, pk: int) -> HttpResponse:
    job, _access = get_for(request, selectors.job_for_page(), Can.IMPORT_DATA, pk=pk)
    if request.method == "POST":
        if services.import_job_start(job=job, user=_user(request)):
            runner.run(services.import_job_apply, job, _user(request))
        elif job.status != Status.IMPORTING:
            messages.error(request, "This file is not ready to import. Check what the page says about it.")
    return redirect("imports:job", job.pk)


@require_http_methods(["GET", "POST"])
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    job, _access = get_for(request, selectors.job_for_page(), Can.IMPORT_DATA, pk=pk)
    if request.method != "POST":
        return redirect("imports:job", job.pk)
    try:
        services.import_job_cancel(job=job)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("imports:job", job.pk)
    messages.success(request, f"Import cancelled: nothing was imported from {job.filename}, and the file is deleted.")
    return redirect("imports:home")


@require_GET
def history(request: HttpRequest) -> HttpResponse:
    access = require(request, Can.IMPORT_DATA)
    page = Paginator(selectors.import_history(access.school), JOBS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "imports/history.html", {"nav": "imports", "page": page, "jobs": list(page.object_list)})


@require_GET
def example(request: HttpRequest, kind: str) -> HttpResponse:
    """A CSV with the usual headings and a fictional row or two: a file to start from."""
    require(request, Can.IMPORT_DATA)
    importer = importer_for(kind)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([f.headings[0] if f.headings else f.label for f in importer.fields])
    for row in importer.example:
        writer.writerow([row.get(f.name, "") for f in importer.fields])
    response = HttpResponse(out.getvalue().encode("utf-8-sig"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="reintegrate-{importer.kind}-example.csv"'
    return response

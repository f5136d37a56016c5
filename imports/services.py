"""Writes for imports: upload, choose the columns, check, import (all or nothing), cancel, and clear old files.

A job moves: uploaded -> (columns chosen) checking -> invalid | ready -> importing -> done, or cancelled, expired or
failed. Checking and importing are "steps" run by imports.runner: in the request for a small file, in a thread
for a large one, writing progress to the job row every few thousand rows so that the job page can show it.

Importing reads the file again and parses it outside any transaction (the slow part, with progress), then in one
transaction locks the school (one import at a time per school), plans the changes against the data as it is now,
writes them with bulk queries, and marks the job done. Any problem found then, or any error, rolls everything back:
nothing is written. Bulk writes skip django-auditlog, so the job row is the record of the import.
"""

from __future__ import annotations

import csv
import io
import logging
import os
import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from imports import reading
from imports.framework import Examined, Plan, Problem, examine
from imports.importers import importer_for
from imports.models import ImportFile, ImportJob, ImportMapping
from schools.models import School

logger = logging.getLogger(__name__)

PROGRESS_EVERY = 2000  # rows between two progress writes
STALLED_AFTER = timedelta(minutes=10)  # a running job with no progress for this long has stopped
KEEP_FILES_FOR = timedelta(days=1)  # an upload not imported is deleted after this
FAILED_MESSAGE = (
    "Something went wrong, so nothing was imported. Try again; if it happens again, tell your administrator."
)
Status = ImportJob.Status


class _Rejected(Exception):
    def __init__(self, examined: Examined, plan: Plan) -> None:
        self.examined, self.plan = examined, plan


def _clean_filename(name: str) -> str:
    base = os.path.basename(name.replace("\\", "/"))
    base = re.sub(r"[\x00-\x1f\x7f]", "", base).strip()
    return (base or "upload")[-255:]


def import_job_upload(
    *, school: School, kind: str, user: User, filename: str, content: bytes, options: dict[str, Any]
) -> ImportJob:
    """Keep an upload that can be read, with its headings. Refuses (ValidationError on "file") any other."""
    importer = importer_for(kind)
    if len(content) > reading.MAX_BYTES:
        raise ValidationError({"file": [f"The file must be smaller than {reading.MAX_BYTES // (1024 * 1024)} MB."]})
    try:
        fmt = reading.file_format(filename, content, importer.formats)
        if fmt == reading.ICS:
            headings: list[str] = []
            total: int | None = len(reading.read_calendar(content))
        else:
            headings, total = reading.headings_of(content, fmt)
    except reading.FileProblem as problem:
        raise ValidationError({"file": [str(problem)]}) from None
    import_files_purge()
    with transaction.atomic():
        job = ImportJob.objects.create(
            school=school,
            kind=kind,
            status=Status.UPLOADED,
            filename=_clean_filename(filename),
            file_format=fmt,
            size_bytes=len(content),
            headings=headings,
            options=options,
            created_by=user,
            total_rows=total,
        )
        ImportFile.objects.create(job=job, content=content)
    return job


def saved_columns(job: ImportJob) -> dict[str, str]:
    mapping = ImportMapping.objects.filter(school_id=job.school_id, kind=job.kind).first()
    return dict(mapping.columns) if mapping else {}


@transaction.atomic
def import_job_columns_save(*, job: ImportJob, columns: dict[str, str], user: User) -> ImportJob:
    """Keep the columns chosen (for this job, and as the school's mapping for next time) and start the check."""
    locked = ImportJob.objects.select_for_update().get(pk=job.pk)
    if locked.status not in ImportJob.WAITING or not ImportFile.objects.filter(job=locked).exists():
        raise ValidationError("This upload can no longer be changed. Upload the file again.")
    importer = importer_for(locked.kind)
    chosen = {name: heading for name, heading in columns.items() if heading}
    ImportMapping.objects.update_or_create(
        school_id=locked.school_id,
        kind=locked.kind,
        defaults={"columns": {f.name: chosen.get(f.name, "") for f in importer.fields}, "updated_by": user},
    )
    _start_check(locked, columns=chosen)
    return locked


@transaction.atomic
def import_job_check_calendar(*, job: ImportJob) -> ImportJob:
    """A calendar file has no columns to choose: check it straight away."""
    locked = ImportJob.objects.select_for_update().get(pk=job.pk)
    if locked.status != Status.UPLOADED:
        raise ValidationError("This upload is already being checked.")
    _start_check(locked, columns={})
    return locked


def _start_check(job: ImportJob, *, columns: dict[str, str]) -> None:
    job.columns = columns
    job.status = Status.CHECKING
    job.processed_rows = 0
    job.heartbeat_at = timezone.now()
    job.errors, job.error_count, job.failure, job.preview = [], 0, "", {}
    job.rows_new = job.rows_updated = job.rows_unchanged = job.rows_skipped = job.rows_removed = 0
    job.save()


def _progress(job_id: int) -> Callable[[int], None]:
    def report(count: int) -> None:
        if count % PROGRESS_EVERY == 0:
            ImportJob.objects.filter(pk=job_id).update(processed_rows=count, heartbeat_at=timezone.now())

    return report


def stored_format(job: ImportJob) -> str:
    """How the kept file is read: as uploaded, or as the CSV copy made of a workbook while it was checked."""
    return str(job.options.get("stored_as") or job.file_format)


def _examine(job: ImportJob, content: bytes, copy: reading.Copy = None) -> Examined:
    return examine(
        importer_for(job.kind),
        school=job.school,
        content=content,
        fmt=stored_format(job),
        columns=job.columns,
        options=job.options,
        today=timezone.localdate(),
        progress=_progress(job.pk),
        copy=copy,
    )


def job_file_content(job: ImportJob) -> bytes | None:
    content = ImportFile.objects.filter(job=job).values_list("content", flat=True).first()
    return bytes(content) if content is not None else None


def _problems_fields(problems: list[Problem], count: int) -> dict[str, Any]:
    ordered = sorted(problems, key=lambda p: p.row)
    return {"errors": [p.as_dict() for p in ordered], "error_count": count}


def _finish(job: ImportJob, expected: str, **fields: Any) -> bool:
    """Record a step's result, unless the job moved on meanwhile (cancelled while it was being checked)."""
    return ImportJob.objects.filter(pk=job.pk, status=expected).update(heartbeat_at=timezone.now(), **fields) == 1


def import_job_check(job_id: int) -> None:
    """The check step: read every row, report every problem, or plan the changes for the preview."""
    job = ImportJob.objects.select_related("school").filter(pk=job_id, status=Status.CHECKING).first()
    if job is None:
        return
    content = job_file_content(job)
    if content is None:
        _finish(job, Status.CHECKING, status=Status.EXPIRED)
        return
    # A workbook is slow to read: while it is checked, its rows are copied to CSV, which the next steps read.
    copy = io.StringIO() if stored_format(job) == reading.XLSX else None
    try:
        examined = _examine(job, content, csv.writer(copy).writerow if copy is not None else None)
        fields: dict[str, Any] = {"total_rows": examined.rows, "processed_rows": examined.rows}
        if copy is not None:
            fields["options"] = {**job.options, "stored_as": reading.CSV_COPY}
        plan = None if examined.problems else importer_for(job.kind).plan(examined.items, examined.ctx)
        if plan is None or plan.problems:
            fields.update(status=Status.INVALID, **_problems(examined, plan))
        else:
            fields.update(status=Status.READY, **_counts(examined, plan))
        with transaction.atomic():
            finished = ImportJob.objects.filter(pk=job.pk, status=Status.CHECKING).update(
                heartbeat_at=timezone.now(), **fields
            )
            if finished and copy is not None:
                ImportFile.objects.filter(job_id=job.pk).update(content=copy.getvalue().encode())
    except reading.FileProblem as problem:
        _finish(job, Status.CHECKING, status=Status.INVALID, failure=str(problem)[:300])
    except Exception as exc:  # any other error: the job says so, and the page never shows a 500
        logger.error("Import %s: checking failed (%s)", job.pk, type(exc).__name__)  # no personal data in logs
        _finish(job, Status.CHECKING, status=Status.FAILED, failure=FAILED_MESSAGE)


def _problems(examined: Examined, plan: Plan | None = None) -> dict[str, Any]:
    if plan is None:
        return _problems_fields(examined.problems, examined.problem_count)
    return _problems_fields(plan.problems[:500], len(plan.problems))


def _counts(examined: Examined, plan: Plan) -> dict[str, Any]:
    return {
        "rows_new": plan.new,
        "rows_updated": plan.updated,
        "rows_unchanged": plan.unchanged,
        "rows_removed": plan.removed,
        "rows_skipped": sum(examined.ctx.skipped.values()),
        "preview": {"samples": [c.as_dict() for c in plan.samples], "notes": plan.notes},
        "errors": [],
        "error_count": 0,
    }


def import_job_start(*, job: ImportJob, user: User) -> bool:
    """Claim a checked job for importing. False when it is not ready (already importing, done or cancelled)."""
    claimed = ImportJob.objects.filter(pk=job.pk, status=Status.READY).update(
        status=Status.IMPORTING, imported_by=user, processed_rows=0, heartbeat_at=timezone.now()
    )
    return claimed == 1


def import_job_apply(job_id: int) -> None:
    """The import step: all or nothing, in one transaction (see the module's docstring)."""
    job = ImportJob.objects.select_related("school").filter(pk=job_id, status=Status.IMPORTING).first()
    if job is None:
        return
    content = job_file_content(job)
    if content is None:
        _finish(job, Status.IMPORTING, status=Status.EXPIRED)
        return
    importer = importer_for(job.kind)
    try:
        examined = _examine(job, content)
        if examined.problems:
            raise _Rejected(examined, Plan())
        ImportJob.objects.filter(pk=job.pk).update(  # every row read: the page now says the changes are saved
            total_rows=examined.rows, processed_rows=examined.rows, heartbeat_at=timezone.now()
        )
        with transaction.atomic():
            School.objects.select_for_update().filter(pk=job.school_id).first()  # one import at a time per school
            plan = importer.plan(examined.items, examined.ctx)
            if plan.problems:
                raise _Rejected(examined, plan)
            outcome = importer.apply(plan, examined.ctx)
            recorded = _finish(
                job,
                Status.IMPORTING,
                status=Status.DONE,
                finished_at=timezone.now(),
                outcome=outcome,
                total_rows=examined.rows,
                processed_rows=examined.rows,
                **_counts(examined, plan),
            )
            if not recorded:  # the job was cleared as stopped meanwhile: it must not also be imported
                raise RuntimeError("import job no longer importing")
            ImportFile.objects.filter(job=job).delete()
    except _Rejected as rejected:  # the data changed since the check (e.g. a pupil was removed): nothing written
        fields = _problems(rejected.examined, rejected.plan if rejected.plan.problems else None)
        _finish(job, Status.IMPORTING, status=Status.INVALID, **fields)
    except reading.FileProblem as problem:
        _finish(job, Status.IMPORTING, status=Status.INVALID, failure=str(problem)[:300])
    except Exception as exc:  # a database error or a bug: rolled back, and the job says so
        logger.error("Import %s: importing failed (%s)", job.pk, type(exc).__name__)  # no personal data in logs
        _finish(job, Status.IMPORTING, status=Status.FAILED, failure=FAILED_MESSAGE)


def is_stalled(job: ImportJob) -> bool:
    """A running job that has not reported progress for a while: its process stopped (nothing was written)."""
    return job.is_running and (job.heartbeat_at is None or job.heartbeat_at < timezone.now() - STALLED_AFTER)


@transaction.atomic
def import_job_cancel(*, job: ImportJob) -> None:
    """Abandon an upload: its file is deleted. A job being imported cannot be cancelled (unless it has stopped)."""
    locked = ImportJob.objects.select_for_update().get(pk=job.pk)
    if locked.status == Status.IMPORTING and not is_stalled(locked):
        raise ValidationError("The file is being imported and cannot be cancelled now. Wait for it to finish.")
    if locked.status not in (*ImportJob.WAITING, *ImportJob.RUNNING):
        raise ValidationError("This import has already finished.")
    locked.status = Status.CANCELLED if not is_stalled(locked) else Status.FAILED
    locked.failure = "" if locked.status == Status.CANCELLED else "The import stopped before it finished."
    locked.save(update_fields=["status", "failure"])
    ImportFile.objects.filter(job=locked).delete()


def import_files_purge() -> int:
    """Delete uploads left waiting for more than a day (they hold personal data), and mark their jobs expired."""
    cutoff = timezone.now() - KEEP_FILES_FOR
    stale = ImportJob.objects.filter(created_at__lt=cutoff, status__in=ImportJob.WAITING)
    with transaction.atomic():
        ids = list(stale.values_list("pk", flat=True))
        ImportJob.objects.filter(pk__in=ids).update(status=Status.EXPIRED)
        deleted, _ = ImportFile.objects.filter(job_id__in=ids).delete()
        # Files of finished jobs are deleted when they finish; these are left by a process that stopped.
        deleted += (
            ImportFile.objects.filter(job__created_at__lt=cutoff).exclude(job__status__in=ImportJob.WAITING).delete()[0]
        )
    return deleted

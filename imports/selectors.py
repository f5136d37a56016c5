"""Reads for the import pages: each kind with its last import, the school's history, and a job's details."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from imports.framework import Importer
from imports.importers import IMPORTERS
from imports.models import ImportJob, ImportKind
from schools.models import School


@dataclass(frozen=True)
class KindRow:
    importer: Importer
    last_import: ImportJob | None
    open_job: ImportJob | None  # an upload waiting for its next step, or running


def imports_overview(school: School) -> list[KindRow]:
    """Each kind of import with its last import and any upload still in progress: one query per kind, plus one."""
    open_jobs: dict[str, ImportJob] = {}
    for job in (
        ImportJob.objects.filter(school=school, status__in=(*ImportJob.WAITING, *ImportJob.RUNNING))
        .select_related("created_by")
        .order_by("-created_at", "-id")
    ):
        open_jobs.setdefault(job.kind, job)
    rows = []
    for kind in ImportKind.values:
        last = (
            ImportJob.objects.filter(school=school, kind=kind, status=ImportJob.Status.DONE)
            .select_related("imported_by")
            .order_by("-finished_at", "-id")
            .first()
        )
        rows.append(KindRow(importer=IMPORTERS[kind], last_import=last, open_job=open_jobs.get(kind)))
    return rows


def import_history(school: School) -> QuerySet[ImportJob]:
    return (
        ImportJob.objects.filter(school=school)
        .select_related("created_by", "imported_by")
        .order_by("-created_at", "-id")
    )


def job_for_page() -> QuerySet[ImportJob]:
    return ImportJob.objects.select_related("school", "created_by", "imported_by")

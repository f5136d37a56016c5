"""Imports from the school's MIS: the column mapping each school keeps, and one row per import (the audit record).

Bulk writes skip django-auditlog's signals, so each import is recorded here instead: who uploaded it, who imported
it, when, the file's name and what changed. The uploaded file is kept (as ImportFile) only until it is imported,
cancelled or a day old.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from schools.models import School


class ImportKind(models.TextChoices):
    PUPILS = "pupils", "Pupils and contacts"
    TERM_DATES = "term_dates", "Term dates and closures"
    BEHAVIOUR = "behaviour", "Behaviour events"
    ATTENDANCE_WEEKS = "attendance_weeks", "Attendance by week"
    ATTENDANCE_MARKS = "attendance_marks", "Attendance marks"


class ImportMapping(models.Model):
    """The school's last choice of columns for one kind of import: Reintegrate field -> the file's heading."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="import_mappings")
    kind = models.CharField(max_length=20, choices=ImportKind.choices)
    columns = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["school", "kind"], name="one_import_mapping_per_kind")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} columns ({self.school})"


class ImportJob(models.Model):
    class Status(models.TextChoices):
        UPLOADED = "uploaded", "Columns to match"
        CHECKING = "checking", "Checking"
        INVALID = "invalid", "Problems found"
        READY = "ready", "Ready to import"
        IMPORTING = "importing", "Importing"
        DONE = "done", "Imported"
        FAILED = "failed", "Stopped"
        CANCELLED = "cancelled", "Cancelled"
        EXPIRED = "expired", "Expired"

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", "Excel workbook"
        ICS = "ics", "iCalendar"

    RUNNING = (Status.CHECKING, Status.IMPORTING)
    WAITING = (Status.UPLOADED, Status.INVALID, Status.READY)  # the file is kept for the next step

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="import_jobs")
    kind = models.CharField(max_length=20, choices=ImportKind.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.UPLOADED)
    filename = models.CharField(max_length=255)
    file_format = models.CharField(max_length=4, choices=Format.choices)
    size_bytes = models.PositiveIntegerField()
    headings = models.JSONField(default=list, help_text="The file's column headings, in order.")
    columns = models.JSONField(default=dict, help_text="Reintegrate field -> the file's heading, as chosen.")
    options = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    finished_at = models.DateTimeField(null=True, blank=True)
    # Progress, written in chunks while a large file is checked: a second request reads it.
    total_rows = models.PositiveIntegerField(null=True, blank=True, help_text="An estimate until the file is read.")
    processed_rows = models.PositiveIntegerField(default=0)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    # What the check found (then, once imported, what changed).
    rows_new = models.PositiveIntegerField(default=0)
    rows_updated = models.PositiveIntegerField(default=0)
    rows_unchanged = models.PositiveIntegerField(default=0)
    rows_skipped = models.PositiveIntegerField(default=0)
    rows_removed = models.PositiveIntegerField(default=0)
    error_count = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True, help_text="The first problems found: row, column, message.")
    preview = models.JSONField(default=dict, blank=True, help_text="Examples of the changes, and notes.")
    outcome = models.JSONField(default=list, blank=True, help_text="What the import changed, in sentences.")
    failure = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["school", "kind", "status", "-finished_at"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="done") | Q(finished_at__isnull=False, imported_by__isnull=False),
                name="import_done_has_time_and_person",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} from {self.filename} ({self.get_status_display()})"

    @property
    def is_running(self) -> bool:
        return self.status in self.RUNNING

    @property
    def percent(self) -> int | None:
        if not self.total_rows:
            return None
        return min(100, round(100 * self.processed_rows / self.total_rows))


class ImportFile(models.Model):
    """The uploaded file, kept apart from the job so that listing jobs never reads it, and deleted once done."""

    job = models.OneToOneField(ImportJob, on_delete=models.CASCADE, related_name="upload")
    content = models.BinaryField()

    def __str__(self) -> str:
        return f"File of import {self.job_id}"

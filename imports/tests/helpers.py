"""Building import files (CSV, Excel, iCalendar) of fictional data, and going through an import as a user does."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import date

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from imports.models import ImportJob
from pupils.validators import upn_check_letter

SIMS_PUPIL_HEADINGS = ["UPN", "Legal Surname", "Legal Forename", "DOB", "NC Year", "Gender", "SEN Status", "FSM"]


def upn(n: int) -> str:
    """A valid, fictional UPN (LA 999 does not exist), different for each n."""
    body = f"999{n // 100_000 % 10:01d}{n // 1000 % 100:03d}26{n % 1000:03d}"
    return upn_check_letter(body) + body


def wrong_check_letter(value: str) -> str:
    letter = "B" if value[0] != "B" else "C"
    return letter + value[1:]


def pupil_row(n: int, *, year: str = "9", surname: str = "", sen: str = "N", fsm: str = "N") -> list[str]:
    return [upn(n), surname or f"Testsurname{n}", f"Pupil{n}", "14/03/2012", year, "F" if n % 2 else "M", sen, fsm]


def csv_bytes(headings: Sequence[str], rows: Sequence[Sequence[object]], *, delimiter: str = ",") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(headings)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8-sig")


def xlsx_bytes(headings: Sequence[str], rows: Sequence[Sequence[object]], *, title_rows: int = 0) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    for i in range(title_rows):
        sheet.append([f"Student list exported {i}"])
    sheet.append(list(headings))
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def ics_bytes(events: Sequence[tuple[str, date, date]]) -> bytes:
    """An iCalendar file of all-day events (summary, first day, last day): DTEND is the day after, per RFC 5545."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Example School//Calendar//EN"]
    for i, (summary, start, end) in enumerate(events):
        after = date.fromordinal(end.toordinal() + 1)
        lines += [
            "BEGIN:VEVENT",
            f"UID:event-{i}@school.example",
            "DTSTAMP:20260801T090000Z",
            f"DTSTART;VALUE=DATE:{start:%Y%m%d}",
            f"DTEND;VALUE=DATE:{after:%Y%m%d}",
            f"SUMMARY:{summary}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return ("\r\n".join(lines) + "\r\n").encode()


def upload(client: Client, kind: str, filename: str, content: bytes, **fields: object):
    return client.post(
        reverse("imports:upload", args=[kind]), {"file": SimpleUploadedFile(filename, content), **fields}
    )


def latest_job() -> ImportJob:
    return ImportJob.objects.order_by("-pk").first()


def choose_columns(client: Client, job: ImportJob, **changes: str):
    """Post the columns page as the user would: with what it suggests, and any changes."""
    page = client.get(reverse("imports:columns", args=[job.pk]))
    assert page.status_code == 200
    form = page.context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data.update(changes)
    return client.post(reverse("imports:columns", args=[job.pk]), data)


def check(client: Client, kind: str, filename: str, content: bytes, **changes: str) -> ImportJob:
    """Upload a file and post the suggested columns: the job, checked (ready, or with problems)."""
    response = upload(client, kind, filename, content)
    assert response.status_code == 302, response.context and response.context["form"].errors
    job = latest_job()
    if job.file_format != "ics":
        response = choose_columns(client, job, **changes)
        assert response.status_code == 302, response.context and response.context["form"].errors
    job.refresh_from_db()
    return job


def run_import(client: Client, kind: str, filename: str, content: bytes, **changes: str) -> ImportJob:
    """Upload, choose the columns, check and import: the job as it ends."""
    job = check(client, kind, filename, content, **changes)
    assert job.status == ImportJob.Status.READY, (job.failure, job.errors[:5])
    response = client.post(reverse("imports:apply", args=[job.pk]))
    assert response.status_code == 302
    job.refresh_from_db()
    return job


def job_url(job: ImportJob) -> str:
    return reverse("imports:job", args=[job.pk])

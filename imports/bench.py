"""How long a large pupil import takes: a generated file of fictional pupils, checked and imported, then again.

    .venv/bin/python -m imports.bench                    # 60,000 pupils from a CSV file
    .venv/bin/python -m imports.bench --format xlsx      # the same from an Excel workbook
    .venv/bin/python -m imports.bench --rows 5000 --contacts

It runs against a new SQLite database in a temporary folder (or DATABASE_URL, when set: use a throwaway one), goes
through the same services as the pages (upload, columns, check, import) and prints the time of each step.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HEADINGS = ["UPN", "Legal Surname", "Legal Forename", "DOB", "NC Year", "Gender", "SEN Status", "FSM", "EAL"]
CONTACTS = ["Contact 1 Name", "Contact 1 Relationship", "Contact 1 Email", "Contact 1 Phone"]


def _rows(count: int, contacts: bool) -> list[list[Any]]:
    from pupils.validators import upn_check_letter

    rows = []
    for n in range(count):
        body = f"999{n // 100_000 % 10:01d}{n // 1000 % 100:03d}26{n % 1000:03d}"
        row: list[Any] = [
            upn_check_letter(body) + body,
            f"Benchsurname{n}",
            f"Pupil{n}",
            f"{1 + n % 28:02d}/{1 + n % 12:02d}/{2008 + n % 7}",
            str(7 + n % 7),
            "F" if n % 2 else "M",
            "NKE"[n % 3],
            "Y" if n % 4 == 0 else "N",
            "N",
        ]
        if contacts:
            row += [f"Parent{n} Benchsurname{n}", "Mother", f"parent{n}@family.example", "01632 960000"]
        rows.append(row)
    return rows


def _file(rows: list[list[Any]], fmt: str, contacts: bool) -> bytes:
    headings = HEADINGS + (CONTACTS if contacts else [])
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(headings)
        writer.writerows(rows)
        return out.getvalue().encode("utf-8-sig")
    import openpyxl  # type: ignore[import-untyped]

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(headings)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _timed(label: str, step: Callable[[], Any]) -> tuple[Any, float]:
    start = time.perf_counter()
    result = step()
    elapsed = time.perf_counter() - start
    print(f"  {label:<44} {elapsed:7.2f} s", flush=True)  # noqa: T201
    return result, elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=60_000)
    parser.add_argument("--format", choices=["csv", "xlsx"], default="csv")
    parser.add_argument("--contacts", action="store_true", help="add a contact to each pupil")
    args = parser.parse_args(argv)

    folder = tempfile.mkdtemp(prefix="reintegrate-bench-")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{Path(folder) / 'bench.sqlite3'}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reintegrate.settings")
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.utils import timezone

    from imports import services
    from imports.models import ImportJob
    from pupils.models import Pupil
    from schools.models import Membership, Role, School

    print(f"Database: {os.environ['DATABASE_URL'].split('@')[-1]} (migrating...)", flush=True)  # noqa: T201
    call_command("migrate", verbosity=0)
    held = set(School.objects.values_list("urn", flat=True))
    urn = next(f"{n:06d}" for n in range(999100, 1_000_000) if f"{n:06d}" not in held)  # a new school each run
    school = School.objects.create(name=f"Bench Academy {urn}", urn=urn, local_authority="Exampleshire")
    user = User.objects.create_user(f"bench-office-{urn}", password=None)
    Membership.objects.create(user=user, school=school, role=Role.OFFICE)
    rows = _rows(args.rows, args.contacts)
    content, _ = _timed(
        f"write the {args.format.upper()} file ({args.rows:,} rows)", lambda: _file(rows, args.format, args.contacts)
    )
    print(f"  file size: {len(content) / 1_000_000:.1f} MB", flush=True)  # noqa: T201

    def one_run(label: str) -> tuple[ImportJob, float]:
        print(label, flush=True)  # noqa: T201
        job, t_upload = _timed(
            "upload (read the headings)",
            lambda: services.import_job_upload(
                school=school, kind="pupils", user=user, filename=f"bench.{args.format}", content=content, options={}
            ),
        )
        columns = {
            "upn": "UPN", "legal_last_name": "Legal Surname", "legal_first_name": "Legal Forename",
            "date_of_birth": "DOB", "year_group": "NC Year", "sex": "Gender", "sen_status": "SEN Status",
            "fsm_eligible": "FSM", "eal": "EAL",
        }  # fmt: skip
        if args.contacts:
            columns |= {f"contact1_{p}": f"Contact 1 {p.title()}" for p in ("name", "relationship", "email", "phone")}
        services.import_job_columns_save(job=job, columns=columns, user=user)
        _, t_check = _timed("check every row and plan (the preview)", lambda: services.import_job_check(job.pk))
        job.refresh_from_db()
        assert job.status == ImportJob.Status.READY, (job.status, job.failure, job.errors[:3])
        assert services.import_job_start(job=job, user=user)
        _, t_apply = _timed(
            "import (read again, plan, write: one transaction)", lambda: services.import_job_apply(job.pk)
        )
        job.refresh_from_db()
        assert job.status == ImportJob.Status.DONE, (job.status, job.failure)
        total = t_upload + t_check + t_apply
        print(  # noqa: T201
            f"  total {total:.1f} s: {job.rows_new:,} new, {job.rows_updated:,} updated, "
            f"{job.rows_unchanged:,} unchanged",
            flush=True,
        )
        return job, total

    started = timezone.now()
    first, first_total = one_run("First import (every pupil is new):")
    again, again_total = one_run("The same file again (nothing changes):")
    assert (again.rows_new, again.rows_updated) == (0, 0)
    assert Pupil.objects.filter(school=school).count() == first.rows_new
    print(  # noqa: T201
        f"Result: {args.rows:,} pupils ({args.format}) imported in {first_total:.1f} s; "
        f"re-imported (no changes) in {again_total:.1f} s. Started {started:%d/%m/%Y %H:%M}, "
        f"Python {sys.version.split()[0]}."
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

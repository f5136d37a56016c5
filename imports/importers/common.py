"""What the evidence importers share: finding the pupil of a row by UPN, from the school's pupils read once."""

from __future__ import annotations

from datetime import date

from imports.framework import Context, Row, parse_date
from imports.importers.pupils import parse_upn
from pupils.models import Pupil

UPN_HEADINGS = ("UPN", "Unique Pupil Number", "Pupil UPN", "Student UPN")


def load_pupils(ctx: Context) -> None:
    """The school's pupils by UPN, with their names for the preview, in one query."""
    ctx.data["pupils"] = {
        upn: (pk, f"{first} {last}")
        for pk, upn, first, last in Pupil.objects.filter(school=ctx.school).values_list(
            "pk", "upn", "legal_first_name", "legal_last_name"
        )
    }


def pupil_of(row: Row, ctx: Context) -> tuple[int, str] | None:
    """The pupil's id and a label (name and UPN) for the row's UPN, or a problem on the row."""
    upn = row.value("upn", parse_upn, required="Enter the pupil's UPN")
    if upn is None:
        return None
    found = ctx.data["pupils"].get(upn)
    if found is None:
        row.problem("upn", f"No pupil with UPN {upn} is on roll at {ctx.school.name}: import your pupils first")
        return None
    return found[0], f"{found[1]} ({upn})"


def past_date(row: Row, name: str, ctx: Context, *, required: str) -> date | None:
    day = row.value(name, parse_date, required=required)
    if day is not None and day > ctx.today:
        row.problem(name, f"{day:%d/%m/%Y} is in the future")
        return None
    if day is not None and day.year < 2000:
        row.problem(name, f"{day:%d/%m/%Y} is too long ago")
        return None
    return day

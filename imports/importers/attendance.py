"""Attendance, in either of the two shapes MIS exports take.

- By week: one row per pupil per week (the Monday it begins), with the sessions possible, attended, late and
  suspended (code E). Matched on pupil and week: a re-import updates the counts in place.
- Session marks: one row per pupil, date and session (AM or PM) with its register code, E for a suspended
  session. Matched on pupil, date and session: a re-import updates a changed code.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from itertools import islice

from django.utils import timezone

from evidence.models import AttendanceMark, AttendanceWeek
from imports.framework import (
    Change,
    Context,
    Field,
    Importer,
    Plan,
    Row,
    change_text,
    parse_whole_number,
    skipped_notes,
)
from imports.importers.common import UPN_HEADINGS, load_pupils, past_date, pupil_of
from imports.models import ImportKind

BATCH = 1000
LOOKUP_CHUNK = 2000
MAX_WEEK_SESSIONS = 10

# The DfE register codes (School attendance guidance, August 2024), with those of earlier years that older
# exports still hold (F, H, J, Y).
REGISTER_CODES = frozenset(
    {"/", "\\", "L", "B", "C", "C1", "C2", "D", "E", "F", "G", "H", "I", "J", "J1", "K", "M", "N", "O", "P", "Q"}
    | {"R", "S", "T", "U", "V", "W", "X", "Y", "Y1", "Y2", "Y3", "Y4", "Y5", "Y6", "Y7", "Z", "#"}
)
SESSIONS = {
    "am": AttendanceMark.Session.AM,
    "a": AttendanceMark.Session.AM,
    "morning": AttendanceMark.Session.AM,
    "pm": AttendanceMark.Session.PM,
    "p": AttendanceMark.Session.PM,
    "afternoon": AttendanceMark.Session.PM,
}


def _sessions(text: str) -> int:
    return parse_whole_number(text, minimum=0, maximum=MAX_WEEK_SESSIONS)


def parse_session(text: str) -> str:
    session = SESSIONS.get(text.strip().casefold().replace(".", ""))
    if session is None:
        raise ValueError(f"'{text}' is not a session: write AM or PM")
    return session


def parse_code(text: str) -> str:
    code = text.strip().upper()
    if code not in REGISTER_CODES:
        raise ValueError(f"'{text}' is not a register code, such as / \\ L E or C2")
    return code


# --- By week ----------------------------------------------------------------------------------------------

WEEK_VALUES = ("possible_sessions", "attended_sessions", "late_sessions", "suspended_sessions")
WEEK_LABELS = {
    "possible_sessions": "Possible",
    "attended_sessions": "Attended",
    "late_sessions": "Late",
    "suspended_sessions": "Suspended (E)",
}


@dataclass(frozen=True)
class WeekRow:
    number: int
    about: str
    pupil_id: int
    week_start: date
    counts: tuple[int, int, int, int]  # possible, attended, late, suspended

    def values(self) -> dict[str, int]:
        return dict(zip(WEEK_VALUES, self.counts, strict=True))


@dataclass
class WeeksPayload:
    new: list[WeekRow]
    updated: list[tuple[int, WeekRow]]


class AttendanceWeeksImporter(Importer):
    kind = ImportKind.ATTENDANCE_WEEKS
    title = "Attendance by week"
    summary = "Each pupil's sessions possible, attended, late and suspended (E), week by week."
    noun = ("week", "weeks")
    fields = (
        Field("upn", "UPN", True, UPN_HEADINGS),
        Field(
            "week_start",
            "Week beginning",
            True,
            ("Week Beginning", "Week Commencing", "Week Start", "W/C", "WC", "Week", "Week Starting"),
            "The Monday of the week.",
        ),
        Field(
            "possible",
            "Sessions possible",
            True,
            ("Possible Sessions", "Possible", "Sessions Possible", "Possible Marks", "Possible Attendance"),
            "Half days: at most 10 in a week.",
        ),
        Field(
            "attended",
            "Sessions attended",
            True,
            ("Attended", "Present", "Sessions Attended", "Attended Sessions", "Present Sessions", "Present + AEA"),
        ),
        Field("late", "Late sessions", False, ("Lates", "Late", "Late Sessions", "Late Marks", "L")),
        Field(
            "suspended",
            "Suspended sessions (E)",
            False,
            ("E", "E Count", "Suspended Sessions", "Suspended", "Excluded", "Exclusion Sessions", "E Marks"),
        ),
    )
    example = [
        {
            "upn": "U820400026010",
            "week_start": "02/11/2026",
            "possible": "10",
            "attended": "8",
            "late": "1",
            "suspended": "2",
        }
    ]

    def begin(self, ctx: Context) -> None:
        load_pupils(ctx)

    def parse(self, row: Row, ctx: Context) -> WeekRow | None:
        pupil = pupil_of(row, ctx)
        week_start = past_date(row, "week_start", ctx, required="Enter the Monday the week begins")
        if week_start is not None and week_start.weekday() != 0:
            row.problem("week_start", f"{week_start:%d/%m/%Y} is a {week_start:%A}: the week must begin on a Monday")
        possible = row.value("possible", _sessions, required="Enter the sessions possible")
        attended = row.value("attended", _sessions, required="Enter the sessions attended")
        late = row.value("late", _sessions, default=0)
        suspended = row.value("suspended", _sessions, default=0)
        if possible is not None and attended is not None:
            if attended > possible:
                row.problem("attended", f"{attended} sessions attended is more than the {possible} possible")
            elif late > attended:
                row.problem("late", f"{late} late sessions is more than the {attended} attended")
            elif suspended > possible - attended:
                row.problem(
                    "suspended", f"{suspended} suspended sessions is more than the {possible - attended} missed"
                )
        if row.problems or pupil is None or week_start is None:
            return None
        return WeekRow(row.number, pupil[1], pupil[0], week_start, (possible, attended, late, suspended))

    def plan(self, items: list[WeekRow], ctx: Context) -> Plan:
        plan = Plan()
        seen: dict[tuple[int, date], int] = {}
        for item in items:
            key = (item.pupil_id, item.week_start)
            if key in seen:
                plan.problems.append(
                    ctx.problem(
                        item.number,
                        ctx.heading("week_start", "Week beginning"),
                        f"{item.about} has the week of {item.week_start:%d/%m/%Y} twice: also on row {seen[key]}",
                    )
                )
            seen.setdefault(key, item.number)
        payload = WeeksPayload([], [])
        plan.payload = payload
        if plan.problems or not items:
            return plan
        first, last = min(i.week_start for i in items), max(i.week_start for i in items)
        held = {
            (row[1], row[2]): row
            for row in AttendanceWeek.objects.filter(school=ctx.school, week_start__range=(first, last))
            .values_list("pk", "pupil_id", "week_start", *WEEK_VALUES)
            .iterator(chunk_size=5000)
        }
        for item in items:
            current = held.get((item.pupil_id, item.week_start))
            if current is None:
                plan.new += 1
                payload.new.append(item)
                counts = ", ".join(f"{WEEK_LABELS[k]} {v}" for k, v in item.values().items())
                plan.sample(Change(item.number, "new", item.about, (f"w/c {item.week_start:%d/%m/%Y}: {counts}",)))
            elif tuple(current[3:]) != item.counts:
                plan.updated += 1
                payload.updated.append((current[0], item))
                details = tuple(
                    change_text(f"w/c {item.week_start:%d/%m/%Y} {WEEK_LABELS[name].lower()}", old, new)
                    for name, old, new in zip(WEEK_VALUES, current[3:], item.counts, strict=True)
                    if old != new
                )
                plan.sample(Change(item.number, "updated", item.about, details))
            else:
                plan.unchanged += 1
        plan.notes.extend(skipped_notes(ctx, self))
        return plan

    def apply(self, plan: Plan, ctx: Context) -> list[str]:
        payload: WeeksPayload = plan.payload
        AttendanceWeek.objects.bulk_create(
            [
                AttendanceWeek(school=ctx.school, pupil_id=i.pupil_id, week_start=i.week_start, **i.values())
                for i in payload.new
            ],
            batch_size=BATCH,
        )
        now = timezone.now()
        if payload.updated:
            AttendanceWeek.objects.bulk_update(
                [AttendanceWeek(pk=pk, imported_at=now, **i.values()) for pk, i in payload.updated],
                [*WEEK_VALUES, "imported_at"],
                batch_size=500,
            )
        return [f"{self.counted(plan.new)} added, {plan.updated:,} updated, {plan.unchanged:,} unchanged."]


# --- Session marks ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MarkRow:
    number: int
    about: str
    pupil_id: int
    day: date
    session: str
    code: str


@dataclass
class MarksPayload:
    new: list[MarkRow]
    updated: list[tuple[int, MarkRow]]


class AttendanceMarksImporter(Importer):
    kind = ImportKind.ATTENDANCE_MARKS
    title = "Attendance marks"
    summary = "Register marks session by session, with their codes: E for a suspended session."
    noun = ("mark", "marks")
    fields = (
        Field("upn", "UPN", True, UPN_HEADINGS),
        Field("date", "Date", True, ("Date", "Session Date", "Mark Date", "Attendance Date", "Register Date")),
        Field("session", "Session", True, ("Session", "AM/PM", "AM PM", "Period", "Session Name"), "AM or PM."),
        Field(
            "code",
            "Code",
            True,
            ("Code", "Mark", "Attendance Code", "Attendance Mark", "Register Code"),
            "The register code: / or \\ present, L late, E suspended, and so on.",
        ),
    )
    example = [
        {"upn": "U820400026010", "date": "02/11/2026", "session": "AM", "code": "/"},
        {"upn": "U820400026010", "date": "02/11/2026", "session": "PM", "code": "E"},
    ]

    def begin(self, ctx: Context) -> None:
        load_pupils(ctx)

    def parse(self, row: Row, ctx: Context) -> MarkRow | None:
        pupil = pupil_of(row, ctx)
        day = past_date(row, "date", ctx, required="Enter the date of the session")
        session = row.value("session", parse_session, required="Enter the session, AM or PM")
        code = row.value("code", parse_code, required="Enter the register code")
        if row.problems or pupil is None or day is None:
            return None
        return MarkRow(row.number, pupil[1], pupil[0], day, session, code)

    def plan(self, items: list[MarkRow], ctx: Context) -> Plan:
        plan = Plan()
        seen: dict[tuple[int, date, str], int] = {}
        for item in items:
            key = (item.pupil_id, item.day, item.session)
            if key in seen:
                plan.problems.append(
                    ctx.problem(
                        item.number,
                        ctx.heading("session", "Session"),
                        f"{item.about} has two marks for the {item.session.upper()} session of {item.day:%d/%m/%Y}: "
                        f"also on row {seen[key]}",
                    )
                )
            seen.setdefault(key, item.number)
        payload = MarksPayload([], [])
        plan.payload = payload
        if plan.problems or not items:
            return plan
        held: dict[tuple[int, date, str], tuple[int, str]] = {}
        pupils = sorted({item.pupil_id for item in items})
        first, last = min(i.day for i in items), max(i.day for i in items)
        iterator = iter(pupils)
        while chunk := list(islice(iterator, LOOKUP_CHUNK)):
            for pk, pupil_id, day, session, code in AttendanceMark.objects.filter(
                school=ctx.school, pupil_id__in=chunk, date__range=(first, last)
            ).values_list("pk", "pupil_id", "date", "session", "code"):
                held[(pupil_id, day, session)] = (pk, code)
        for item in items:
            current = held.get((item.pupil_id, item.day, item.session))
            when = f"{item.day:%d/%m/%Y} {item.session.upper()}"
            if current is None:
                plan.new += 1
                payload.new.append(item)
                plan.sample(Change(item.number, "new", item.about, (f"{when}: {item.code}",)))
            elif current[1] != item.code:
                plan.updated += 1
                payload.updated.append((current[0], item))
                plan.sample(Change(item.number, "updated", item.about, (change_text(when, current[1], item.code),)))
            else:
                plan.unchanged += 1
        suspended = sum(1 for item in items if item.code == "E")
        if suspended:
            plan.notes.append(f"{suspended:,} of the marks are E (suspended).")
        plan.notes.extend(skipped_notes(ctx, self))
        return plan

    def apply(self, plan: Plan, ctx: Context) -> list[str]:
        payload: MarksPayload = plan.payload
        AttendanceMark.objects.bulk_create(
            [
                AttendanceMark(school=ctx.school, pupil_id=i.pupil_id, date=i.day, session=i.session, code=i.code)
                for i in payload.new
            ],
            batch_size=BATCH,
        )
        if payload.updated:
            now = timezone.now()
            AttendanceMark.objects.bulk_update(
                [AttendanceMark(pk=pk, code=i.code, imported_at=now) for pk, i in payload.updated],
                ["code", "imported_at"],
                batch_size=500,
            )
        return [f"{self.counted(plan.new)} added, {plan.updated:,} updated, {plan.unchanged:,} unchanged."]

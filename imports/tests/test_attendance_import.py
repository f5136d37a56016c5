"""Importing attendance: weekly totals per pupil, or session marks with their register codes (E: suspended)."""

from __future__ import annotations

from datetime import date

import pytest

from conftest import client_for
from evidence.models import AttendanceMark, AttendanceWeek
from imports.models import ImportJob
from imports.tests.helpers import check, csv_bytes, job_url, run_import, xlsx_bytes
from testsupport.plans import page_text

pytestmark = pytest.mark.django_db

WEEKS = "attendance_weeks"
MARKS = "attendance_marks"
WEEK_HEADINGS = ["UPN", "Week Beginning", "Possible Sessions", "Attended", "Lates", "E Count"]
MARK_HEADINGS = ["UPN", "Date", "Session", "Mark"]


def weeks(pupil, attended: str = "8") -> list[list[str]]:
    return [
        [pupil.upn, "02/11/2026", "10", attended, "1", "2"],
        [pupil.upn, "09/11/2026", "10", "10", "0", "0"],
    ]


# --- By week --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_weekly_attendance_is_added_for_each_pupil_and_week(school, office, pupil, fmt):
    content = csv_bytes(WEEK_HEADINGS, weeks(pupil)) if fmt == "csv" else xlsx_bytes(WEEK_HEADINGS, weeks(pupil))

    job = run_import(client_for(office), WEEKS, f"attendance.{fmt}", content)

    assert (job.status, job.rows_new) == (ImportJob.Status.DONE, 2)
    first = AttendanceWeek.objects.get(pupil=pupil, week_start=date(2026, 11, 2))
    assert (first.possible_sessions, first.attended_sessions, first.late_sessions, first.suspended_sessions) == (
        10,
        8,
        1,
        2,
    )
    assert first.percentage == 80


def test_a_week_imported_again_with_new_figures_is_updated_and_otherwise_unchanged(school, office, pupil):
    client = client_for(office)
    run_import(client, WEEKS, "attendance.csv", csv_bytes(WEEK_HEADINGS, weeks(pupil)))

    same = run_import(client, WEEKS, "attendance.csv", csv_bytes(WEEK_HEADINGS, weeks(pupil)))
    job = check(client, WEEKS, "attendance.csv", csv_bytes(WEEK_HEADINGS, weeks(pupil, attended="7")))

    assert (same.rows_new, same.rows_updated, same.rows_unchanged) == (0, 0, 2)
    assert "w/c 02/11/2026 attended: 8 → 7" in page_text(client.get(job_url(job)))
    client.post(f"/imports/jobs/{job.pk}/import/")
    assert AttendanceWeek.objects.get(pupil=pupil, week_start=date(2026, 11, 2)).attended_sessions == 7
    assert AttendanceWeek.objects.count() == 2


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        (
            ["04/11/2026", "10", "8", "0", "0"],
            "Week Beginning",
            "04/11/2026 is a Wednesday: the week must begin on a Monday",
        ),
        (["02/11/2026", "11", "8", "0", "0"], "Possible Sessions", "11 is out of range: it must be from 0 to 10"),
        (["02/11/2026", "8", "9", "0", "0"], "Attended", "9 sessions attended is more than the 8 possible"),
        (["02/11/2026", "10", "6", "7", "0"], "Lates", "7 late sessions is more than the 6 attended"),
        (["02/11/2026", "10", "8", "0", "3"], "E Count", "3 suspended sessions is more than the 2 missed"),
        (["23/11/2026", "10", "8", "0", "0"], "Week Beginning", "23/11/2026 is in the future"),
        (["02/11/2026", "", "8", "0", "0"], "Possible Sessions", "Enter the sessions possible"),
    ],
)
def test_impossible_weekly_figures_are_problems(school, office, pupil, row, column, message):
    job = check(client_for(office), WEEKS, "attendance.csv", csv_bytes(WEEK_HEADINGS, [[pupil.upn, *row]]))

    assert [(p["row"], p["column"], p["message"]) for p in job.errors] == [(2, column, message)]
    assert not AttendanceWeek.objects.exists()


def test_a_pupils_week_twice_in_the_file_is_a_problem(school, office, pupil):
    rows = [*weeks(pupil), weeks(pupil)[0]]

    job = check(client_for(office), WEEKS, "attendance.csv", csv_bytes(WEEK_HEADINGS, rows))

    assert job.errors[0]["row"] == 4
    assert "has the week of 02/11/2026 twice: also on row 2" in job.errors[0]["message"]


# --- Session marks ----------------------------------------------------------------------------------------------


def marks(pupil) -> list[list[str]]:
    return [
        [pupil.upn, "02/11/2026", "AM", "/"],
        [pupil.upn, "02/11/2026", "PM", "e"],
        [pupil.upn, "03/11/2026", "Morning", "E"],
        [pupil.upn, "03/11/2026", "Afternoon", "\\"],
    ]


def test_session_marks_are_added_with_their_codes_and_suspended_sessions_counted(school, office, pupil):
    client = client_for(office)

    job = run_import(client, MARKS, "marks.csv", csv_bytes(MARK_HEADINGS, marks(pupil)))

    assert job.rows_new == 4
    assert list(pupil.attendance_marks.values_list("date", "session", "code")) == [
        (date(2026, 11, 2), "am", "/"),
        (date(2026, 11, 2), "pm", "E"),
        (date(2026, 11, 3), "am", "E"),
        (date(2026, 11, 3), "pm", "\\"),
    ]
    assert "2 of the marks are E (suspended)." in page_text(client.get(job_url(job)))


def test_a_corrected_mark_is_updated_and_the_same_file_again_changes_nothing(school, office, pupil):
    client = client_for(office)
    run_import(client, MARKS, "marks.csv", csv_bytes(MARK_HEADINGS, marks(pupil)))
    corrected = marks(pupil)
    corrected[1][3] = "I"

    job = run_import(client, MARKS, "marks.csv", csv_bytes(MARK_HEADINGS, corrected))
    again = run_import(client, MARKS, "marks.csv", csv_bytes(MARK_HEADINGS, corrected))

    assert (job.rows_new, job.rows_updated, job.rows_unchanged) == (0, 1, 3)
    assert (again.rows_new, again.rows_updated, again.rows_unchanged) == (0, 0, 4)
    assert AttendanceMark.objects.get(date=date(2026, 11, 2), session="pm").code == "I"


def test_an_unknown_code_a_bad_session_and_a_repeated_session_are_problems(school, office, pupil):
    rows = [
        [pupil.upn, "02/11/2026", "AM", "Q9"],
        [pupil.upn, "02/11/2026", "Evening", "/"],
        [pupil.upn, "03/11/2026", "AM", "/"],
        [pupil.upn, "03/11/2026", "am", "L"],
    ]

    job = check(client_for(office), MARKS, "marks.csv", csv_bytes(MARK_HEADINGS, rows))

    assert [(p["row"], p["column"], p["message"]) for p in job.errors] == [
        (2, "Mark", "'Q9' is not a register code, such as / \\ L E or C2"),
        (3, "Session", "'Evening' is not a session: write AM or PM"),
    ]
    rows = rows[2:]
    job = check(client_for(office), MARKS, "marks.csv", csv_bytes(MARK_HEADINGS, rows))
    assert job.errors[0]["row"] == 3
    assert "has two marks for the AM session of 03/11/2026: also on row 2" in job.errors[0]["message"]
    assert not AttendanceMark.objects.exists()

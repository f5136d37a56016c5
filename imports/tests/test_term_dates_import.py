"""Importing term dates and closures, from a spreadsheet or an iCalendar file.

The school fixture's calendar for 2026/27 is the default pattern: autumn 03/09/2026 to 18/12/2026, with the half term
26/10/2026 to 30/10/2026 and England's bank holidays.
"""

from __future__ import annotations

from datetime import date

import pytest

from conftest import client_for
from imports.models import ImportJob
from imports.tests.helpers import check, csv_bytes, ics_bytes, job_url, run_import, upload, xlsx_bytes
from schools.models import AcademicYear, NonSchoolDay, Term
from testsupport.plans import page_text

pytestmark = pytest.mark.django_db

KIND = "term_dates"
HEADINGS = ["Type", "Name", "Start Date", "End Date"]
OUR_AUTUMN = [
    ["Term", "Autumn 1", "02/09/2026", "16/10/2026"],
    ["Term", "Autumn 2", "02/11/2026", "17/12/2026"],
    ["INSET", "Staff training", "01/09/2026", ""],
]


def autumn(school, year: int = 2026) -> Term:
    return Term.objects.get(academic_year__school=school, name=Term.Name.AUTUMN, start_date__year=year)


def days(school, kind: str) -> set[tuple[date, date]]:
    return set(NonSchoolDay.objects.filter(school=school, kind=kind).values_list("start_date", "end_date"))


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_two_half_terms_make_one_term_with_its_half_term_holiday(school, office, fmt):
    content = csv_bytes(HEADINGS, OUR_AUTUMN) if fmt == "csv" else xlsx_bytes(HEADINGS, OUR_AUTUMN)

    job = run_import(client_for(office), KIND, f"dates.{fmt}", content)

    assert job.status == ImportJob.Status.DONE
    term = autumn(school)
    assert (term.start_date, term.end_date) == (date(2026, 9, 2), date(2026, 12, 17))
    assert (date(2026, 10, 19), date(2026, 10, 30)) in days(school, NonSchoolDay.Kind.HOLIDAY)
    assert (date(2026, 9, 1), date(2026, 9, 1)) in days(school, NonSchoolDay.Kind.INSET)
    assert (job.rows_new, job.rows_updated, job.rows_unchanged) == (2, 1, 0)


def test_the_preview_shows_the_terms_new_dates(school, office):
    client = client_for(office)

    job = check(client, KIND, "dates.csv", csv_bytes(HEADINGS, OUR_AUTUMN))

    text = page_text(client.get(job_url(job)))
    assert "Autumn term 2026/27 03/09/2026 to 18/12/2026 → 02/09/2026 to 17/12/2026" in text
    assert "Holiday (e.g. half term): 19/10/2026 to 30/10/2026 Autumn half term" in text
    assert autumn(school).start_date == date(2026, 9, 3)


def test_importing_the_same_dates_again_changes_nothing(school, office):
    client = client_for(office)
    run_import(client, KIND, "dates.csv", csv_bytes(HEADINGS, OUR_AUTUMN))
    before = list(NonSchoolDay.objects.order_by("pk").values())

    again = run_import(client, KIND, "dates.csv", csv_bytes(HEADINGS, OUR_AUTUMN))

    assert (again.rows_new, again.rows_updated, again.rows_unchanged, again.rows_removed) == (0, 0, 3, 0)
    assert list(NonSchoolDay.objects.order_by("pk").values()) == before


def test_the_default_half_term_is_kept_unless_the_file_replaces_the_years_days(school, office):
    client = client_for(office)
    default_half_term = (date(2026, 10, 26), date(2026, 10, 30))
    run_import(client, KIND, "dates.csv", csv_bytes(HEADINGS, OUR_AUTUMN))
    assert default_half_term in days(school, NonSchoolDay.Kind.HOLIDAY)

    upload(client, KIND, "dates.csv", csv_bytes(HEADINGS, OUR_AUTUMN), replace_days="on")
    job = ImportJob.objects.order_by("-pk").first()
    from imports.tests.helpers import choose_columns

    choose_columns(client, job)
    job.refresh_from_db()
    text = page_text(client.get(job_url(job)))
    assert "Removed Holiday (e.g. half term): 26/10/2026 to 30/10/2026 Autumn half term" in text
    client.post(f"/imports/jobs/{job.pk}/import/")

    holidays = days(school, NonSchoolDay.Kind.HOLIDAY)
    assert default_half_term not in holidays
    assert (date(2026, 10, 19), date(2026, 10, 30)) in holidays
    assert (date(2027, 2, 15), date(2027, 2, 19)) not in holidays  # the year's other guessed half terms go too
    assert days(school, NonSchoolDay.Kind.BANK_HOLIDAY)  # bank holidays stay: the file lists none


def test_a_new_school_year_is_added_with_its_terms_and_bank_holidays(school, office):
    rows = [
        ["Term", "Autumn term", "01/09/2027", "17/12/2027"],
        ["Term", "Spring term", "04/01/2028", "31/03/2028"],
        ["Term", "Summer term", "18/04/2028", "21/07/2028"],
        ["Holiday", "Half term", "25/10/2027", "29/10/2027"],
    ]
    client = client_for(office)

    job = run_import(client, KIND, "2027.csv", csv_bytes(HEADINGS, rows))

    year = AcademicYear.objects.get(school=school, start_date=date(2027, 9, 1))
    assert [(t.name, t.start_date, t.end_date) for t in year.terms.order_by("start_date")] == [
        ("autumn", date(2027, 9, 1), date(2027, 12, 17)),
        ("spring", date(2028, 1, 4), date(2028, 3, 31)),
        ("summer", date(2028, 4, 18), date(2028, 7, 21)),
    ]
    assert (date(2027, 12, 27), date(2027, 12, 27)) in days(school, NonSchoolDay.Kind.BANK_HOLIDAY)
    assert (
        "The school year 2027/28 will be added to the calendar, with England's bank holidays." in job.preview["notes"]
    )
    again = run_import(client, KIND, "2027.csv", csv_bytes(HEADINGS, rows))
    assert (again.rows_new, again.rows_updated) == (0, 0)


def test_without_a_type_column_the_name_says_what_each_row_is(school, office):
    rows = [
        ["Spring 1", "04/01/2027", "12/02/2027"],
        ["Spring 2", "22/02/2027", "25/03/2027"],
        ["Polling station closure", "06/05/2027", ""],
    ]

    run_import(client_for(office), KIND, "dates.csv", csv_bytes(["Name", "Start Date", "End Date"], rows))

    spring = Term.objects.get(academic_year__school=school, name=Term.Name.SPRING)
    assert (spring.start_date, spring.end_date) == (date(2027, 1, 4), date(2027, 3, 25))
    assert (date(2027, 2, 15), date(2027, 2, 19)) in days(school, NonSchoolDay.Kind.HOLIDAY)
    assert (date(2027, 5, 6), date(2027, 5, 6)) in days(school, NonSchoolDay.Kind.CLOSURE)


def test_a_row_that_is_not_a_term_or_a_day_off_is_a_problem_in_a_spreadsheet(school, office):
    rows = [["Sports day", "10/06/2027", ""], ["Autumn", "02/09/2026", "17/12/2026"]]

    job = check(client_for(office), KIND, "dates.csv", csv_bytes(["Name", "Start Date", "End Date"], rows))

    assert job.errors == [
        {
            "row": 2,
            "column": "Name",
            "message": "'Sports day': say whether it is a term, an INSET day, a holiday, a bank holiday or a closure",
            "where": "Row",
        },
        {
            "row": 3,
            "column": "Name",
            "message": "'Autumn': say whether it is a term, an INSET day, a holiday, a bank holiday or a closure",
            "where": "Row",
        },
    ]


def test_overlapping_terms_and_a_day_in_no_school_year_are_problems(school, office):
    rows = [
        ["Term", "Spring", "10/12/2026", "25/03/2027"],
        ["Closure", "Snow day", "12/01/2030", ""],
        ["Term", "Summer", "12/04/2027", "01/04/2027"],
    ]

    job = check(client_for(office), KIND, "dates.csv", csv_bytes(HEADINGS, rows))

    messages = [(p["row"], p["message"]) for p in job.errors]
    assert messages == [(4, "The last day of term is before the first day")]
    rows[2] = ["Term", "Summer", "12/04/2027", "21/07/2027"]
    job = check(client_for(office), KIND, "dates.csv", csv_bytes(HEADINGS, rows))
    messages = [(p["row"], p["message"]) for p in job.errors]
    assert messages == [
        (2, "The spring term (10/12/2026 to 25/03/2027) overlaps the autumn term (03/09/2026 to 18/12/2026)"),
        (
            3,
            "No school year in the calendar holds 12/01/2030: include that year's terms in the file, or add the "
            "year on the School calendar page",
        ),
    ]
    assert Term.objects.get(academic_year__school=school, name="spring").start_date == date(2027, 1, 4)


def test_an_icalendar_file_gives_terms_holidays_and_inset_days_and_leaves_out_other_events(school, office):
    content = ics_bytes(
        [
            ("Autumn Term 1", date(2026, 9, 2), date(2026, 10, 16)),
            ("October Half Term", date(2026, 10, 19), date(2026, 10, 30)),
            ("Autumn Term 2", date(2026, 11, 2), date(2026, 12, 17)),
            ("INSET Day - no pupils", date(2026, 9, 1), date(2026, 9, 1)),
            ("Year 7 parents' evening", date(2026, 9, 24), date(2026, 9, 24)),
            ("Spring term begins", date(2027, 1, 5), date(2027, 1, 5)),
            ("Spring term ends", date(2027, 3, 26), date(2027, 3, 26)),
        ]
    )
    client = client_for(office)

    job = run_import(client, KIND, "calendar.ics", content)

    assert job.status == ImportJob.Status.DONE
    assert (autumn(school).start_date, autumn(school).end_date) == (date(2026, 9, 2), date(2026, 12, 17))
    spring = Term.objects.get(academic_year__school=school, name=Term.Name.SPRING)
    assert (spring.start_date, spring.end_date) == (date(2027, 1, 5), date(2027, 3, 26))
    assert (date(2026, 10, 19), date(2026, 10, 30)) in days(school, NonSchoolDay.Kind.HOLIDAY)
    assert job.rows_skipped == 1
    text = page_text(client.get(job_url(job)))
    assert "1 date left out: calendar events that are not terms" in text
    assert "Left out, for example: 'Year 7 parents' evening'." in text


def test_an_icalendar_term_with_a_start_but_no_end_is_a_problem(school, office):
    content = ics_bytes([("Summer term starts", date(2027, 4, 12), date(2027, 4, 12))])

    job = check(client_for(office), KIND, "calendar.ics", content)

    assert job.errors[0]["where"] == "Event"
    assert (
        job.errors[0]["message"]
        == "The file must give both the first and the last day of the summer term 2026/27, once"
    )


def test_a_damaged_icalendar_file_gets_a_clear_message(school, office):
    damaged = b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:nonsense\r\nSUMMARY:INSET\r\nEND:VEVENT\r\nEND:VCALENDAR"
    client = client_for(office)

    response = upload(client, KIND, "calendar.ics", damaged)
    truncated = upload(client, KIND, "calendar.ics", b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:2026")

    assert "Event 1 ('INSET') has no readable start date. Fix it and export again." in page_text(response)
    assert "The calendar file holds no events." in page_text(truncated)
    assert not ImportJob.objects.exists()

"""Importing pupils and their contacts from an MIS export, matched on UPN."""

from __future__ import annotations

from datetime import date

import pytest

from conftest import client_for
from imports.models import ImportJob
from imports.tests.helpers import (
    SIMS_PUPIL_HEADINGS,
    check,
    csv_bytes,
    job_url,
    pupil_row,
    run_import,
    upn,
    wrong_check_letter,
    xlsx_bytes,
)
from pupils.models import Contact, Pupil
from testsupport.factories import ContactFactory, PupilFactory
from testsupport.plans import page_text

pytestmark = pytest.mark.django_db

PUPILS = "pupils"
CONTACT_HEADINGS = [
    "Contact 1 Name",
    "Contact 1 Relationship",
    "Contact 1 Email",
    "Contact 1 Phone",
    "Contact 1 Parental Responsibility",
]


def sims_file(count: int, **kwargs) -> bytes:
    return csv_bytes(SIMS_PUPIL_HEADINGS, [pupil_row(n, **kwargs) for n in range(1, count + 1)])


def test_a_sims_export_adds_every_pupil_with_their_details(school, office):
    job = run_import(client_for(office), PUPILS, "sims.csv", sims_file(3, year="Year 9", sen="K - SEN Support"))

    assert job.status == ImportJob.Status.DONE
    assert (job.rows_new, job.rows_updated, job.rows_unchanged) == (3, 0, 0)
    pupil = Pupil.objects.get(school=school, upn=upn(1))
    assert pupil.legal_first_name == "Pupil1"
    assert pupil.legal_last_name == "Testsurname1"
    assert pupil.date_of_birth == date(2012, 3, 14)
    assert pupil.year_group == "9"
    assert pupil.sex == "F"
    assert pupil.sen_status == Pupil.SEN.SUPPORT
    assert pupil.fsm_eligible is False


def test_the_result_page_says_what_changed(school, office):
    client = client_for(office)
    job = run_import(client, PUPILS, "sims.csv", sims_file(2))

    text = page_text(client.get(job_url(job)))

    assert "Imported: 2 new, 0 updated, 0 unchanged." in text
    assert "2 pupils added, 0 updated, 0 unchanged." in text
    assert "sims.csv" in text


def test_importing_the_same_file_again_changes_nothing(school, office):
    client = client_for(office)
    content = sims_file(4)
    run_import(client, PUPILS, "sims.csv", content)
    before = list(Pupil.objects.order_by("pk").values())

    again = run_import(client, PUPILS, "sims.csv", content)

    assert (again.rows_new, again.rows_updated, again.rows_unchanged) == (0, 0, 4)
    assert "Imported: 0 new, 0 updated, 4 unchanged." in page_text(client.get(job_url(again)))
    assert list(Pupil.objects.order_by("pk").values()) == before


def test_a_changed_year_group_updates_the_pupil_and_is_shown_in_the_preview(school, office):
    client = client_for(office)
    run_import(client, PUPILS, "sims.csv", sims_file(2, year="8"))

    job = check(client, PUPILS, "sims.csv", sims_file(2, year="9"))
    text = page_text(client.get(job_url(job)))

    assert job.status == ImportJob.Status.READY
    assert (job.rows_new, job.rows_updated, job.rows_unchanged) == (0, 2, 0)
    assert "Year group: 8 → 9" in text
    assert Pupil.objects.get(upn=upn(1)).year_group == "8"  # the preview changes nothing
    client.post(f"/imports/jobs/{job.pk}/import/")
    assert Pupil.objects.get(upn=upn(1)).year_group == "9"


def test_pupils_already_held_keep_the_fields_the_file_does_not_have(school, office, pupil):
    pupil.preferred_first_name = "Jay"
    pupil.looked_after = True
    pupil.save()
    row = [pupil.upn, "Ashby", "Jordan", "14/03/2012", "10", "M", "N", "N"]

    run_import(client_for(office), PUPILS, "sims.csv", csv_bytes(SIMS_PUPIL_HEADINGS, [row]))

    pupil.refresh_from_db()
    assert pupil.year_group == "10"
    assert pupil.preferred_first_name == "Jay"
    assert pupil.looked_after is True


def test_an_excel_workbook_imports_like_a_csv_file_with_real_dates_and_numbers(school, office):
    rows = [[upn(1), "Smith", "Ada", date(2012, 3, 14), 9, "Female", "N", "Yes"]]

    job = run_import(client_for(office), PUPILS, "arbor.xlsx", xlsx_bytes(SIMS_PUPIL_HEADINGS, rows, title_rows=1))

    assert job.status == ImportJob.Status.DONE
    pupil = Pupil.objects.get(upn=upn(1))
    assert (pupil.date_of_birth, pupil.year_group, pupil.sex, pupil.fsm_eligible) == (date(2012, 3, 14), "9", "F", True)


@pytest.mark.parametrize(
    "headings",
    [
        ["UPN", "Surname", "Forename", "Date of Birth", "Year Group", "Sex"],  # Arbor
        ["UPN", "Last Name", "First Name", "DOB", "Year", "Gender"],  # Bromcom, ScholarPack
        ["upn", "legal_surname", "legal_forename", "dob", "nc_year", "gender"],
    ],
)
def test_the_usual_mis_headings_are_matched_without_help(school, office, headings):
    content = csv_bytes(headings, [[upn(1), "Smith", "Ada", "2012-03-14", "Y9", "F"]])

    job = run_import(client_for(office), PUPILS, "export.csv", content)

    assert job.status == ImportJob.Status.DONE
    assert Pupil.objects.get(upn=upn(1)).legal_last_name == "Smith"


def test_a_semicolon_separated_file_saved_by_excel_in_windows_encoding_is_read(school, office):
    content = csv_bytes(SIMS_PUPIL_HEADINGS, [pupil_row(1, surname="Zoë")], delimiter=";").decode("utf-8-sig")

    job = run_import(client_for(office), PUPILS, "export.csv", content.encode("cp1252"))

    assert job.status == ImportJob.Status.DONE
    assert Pupil.objects.get(upn=upn(1)).legal_last_name == "Zoë"


def test_a_wrong_check_letter_is_reported_with_its_row_and_nothing_is_imported(school, office):
    rows = [pupil_row(n) for n in range(1, 20)]
    rows[12][0] = wrong_check_letter(rows[12][0])  # spreadsheet row 14: the headings are row 1
    client = client_for(office)

    job = check(client, PUPILS, "sims.csv", csv_bytes(SIMS_PUPIL_HEADINGS, rows))
    text = page_text(client.get(job_url(job)))

    assert job.status == ImportJob.Status.INVALID
    assert job.errors == [
        {"row": 14, "column": "UPN", "message": f"UPN {rows[12][0]} has a wrong check letter", "where": "Row"}
    ]
    assert f"Row 14 UPN UPN {rows[12][0]} has a wrong check letter" in text
    assert "Nothing has been imported" in text
    assert not Pupil.objects.exists()
    assert client.post(f"/imports/jobs/{job.pk}/import/").status_code == 302
    assert not Pupil.objects.exists()  # a file with problems cannot be imported


def test_every_problem_of_a_row_is_listed(school, office):
    row = ["A1", "", "Ada", "31/02/2012", "14", "X", "Q", "maybe"]

    job = check(client_for(office), PUPILS, "sims.csv", csv_bytes(SIMS_PUPIL_HEADINGS, [row]))

    messages = {problem["column"]: problem["message"] for problem in job.errors}
    assert messages == {
        "UPN": "UPN A1: A UPN has 13 characters, for example A123456789012.",
        "Legal Surname": "Enter the pupil's legal surname",
        "DOB": "31/02/2012 is not a real date (dates are day/month/year, for example 27/11/2026)",
        "NC Year": "'14' is not a year group: write R for Reception or a number from 1 to 13",
        "Gender": "'X': Reintegrate records sex as F or M, as in the school census",
        "SEN Status": "'Q' is not an SEN status: write N (none), K (SEN support) or E (EHC plan)",
        "FSM": "'maybe' is not yes or no: write Y or N",
    }


def test_a_upn_twice_in_the_file_is_a_problem(school, office):
    rows = [pupil_row(1), pupil_row(2), pupil_row(1)]

    job = check(client_for(office), PUPILS, "sims.csv", csv_bytes(SIMS_PUPIL_HEADINGS, rows))

    assert job.errors[0]["row"] == 4
    assert job.errors[0]["message"] == f"UPN {upn(1)} is in the file twice: also on row 2"


def test_one_bad_row_among_many_good_ones_writes_nothing_at_all(school, office, pupil):
    rows = [pupil_row(n, year="10") for n in range(1, 50)] + [[pupil.upn, "Ashby", "Jordan", "01/01/2030", "9", "M"]]
    before = list(Pupil.objects.values())

    job = check(client_for(office), PUPILS, "sims.csv", csv_bytes(SIMS_PUPIL_HEADINGS, rows))

    assert job.status == ImportJob.Status.INVALID
    assert job.error_count == 1
    assert list(Pupil.objects.values()) == before


def test_nursery_pupils_are_left_out_and_counted(school, office):
    rows = [pupil_row(1), pupil_row(2, year="N2"), pupil_row(3, year="Reception")]
    client = client_for(office)

    job = run_import(client, PUPILS, "sims.csv", csv_bytes(SIMS_PUPIL_HEADINGS, rows))

    assert (job.rows_new, job.rows_skipped) == (2, 1)
    assert Pupil.objects.get(upn=upn(3)).year_group == "R"
    assert "1 pupil left out: nursery pupils" in page_text(client.get(job_url(job)))


def test_contacts_in_extra_columns_are_added_then_updated_by_name(school, office):
    headings = SIMS_PUPIL_HEADINGS + CONTACT_HEADINGS
    first = [*pupil_row(1), "Sam Example", "Mother", "sam@family.example", "01632 960001", "Y"]
    client = client_for(office)

    job = run_import(client, PUPILS, "sims.csv", csv_bytes(headings, [first]))

    contact = Contact.objects.get(pupil__upn=upn(1))
    assert (contact.name, contact.relationship, contact.email, contact.priority) == (
        "Sam Example",
        "Mother",
        "sam@family.example",
        1,
    )
    assert "1 contact added, 0 updated." in job.outcome

    changed = [*pupil_row(1), "sam example", "Mother", "sam@family.example", "01632 960999", "Y"]
    job = run_import(client, PUPILS, "sims.csv", csv_bytes(headings, [changed]))

    assert (job.rows_new, job.rows_updated) == (0, 1)
    assert Contact.objects.get(pk=contact.pk).phone == "01632 960999"
    assert Contact.objects.count() == 1


def test_contacts_already_held_but_not_in_the_file_are_kept(school, office, pupil):
    kept = ContactFactory(pupil=pupil, name="Robin Ashby", relationship="Father")
    headings = SIMS_PUPIL_HEADINGS + CONTACT_HEADINGS
    row = [pupil.upn, "Ashby", "Jordan", "14/03/2012", "9", "M", "N", "N", "Kim Ashby", "Mother", "", "", ""]

    run_import(client_for(office), PUPILS, "sims.csv", csv_bytes(headings, [row]))

    assert set(pupil.contacts.values_list("name", flat=True)) == {kept.name, "Kim Ashby"}


def test_a_contact_without_a_relationship_or_with_a_bad_email_is_a_problem(school, office):
    headings = SIMS_PUPIL_HEADINGS + CONTACT_HEADINGS
    row = [*pupil_row(1), "Sam Example", "", "not-an-email", "", ""]

    job = check(client_for(office), PUPILS, "sims.csv", csv_bytes(headings, [row]))

    assert [p["message"] for p in job.errors] == [
        "Enter contact 1's relationship to the pupil, for example Mother",
        "'not-an-email' is not an email address",
    ]


def test_pupils_of_another_school_with_the_same_upn_are_not_touched(school, other_school, office):
    theirs = PupilFactory(school=other_school, upn=upn(1), year_group="7")

    run_import(client_for(office), PUPILS, "sims.csv", sims_file(1, year="9"))

    theirs.refresh_from_db()
    assert theirs.year_group == "7"
    assert Pupil.objects.filter(school=school, upn=upn(1), year_group="9").exists()


def test_five_thousand_pupils_import_in_batches_not_a_query_per_row(school, office, django_assert_max_num_queries):
    """Bulk writes in batches (SQLite takes at most 999 values a query: 58 pupils), existing UPNs read once.
    (60,000 rows are measured by `python -m imports.bench`.)"""
    client = client_for(office)
    job = check(client, PUPILS, "big.csv", sims_file(5000))
    assert job.status == ImportJob.Status.READY

    with django_assert_max_num_queries(120):
        client.post(f"/imports/jobs/{job.pk}/import/")

    job.refresh_from_db()
    assert (job.status, job.rows_new) == (ImportJob.Status.DONE, 5000)
    assert Pupil.objects.filter(school=school).count() == 5000


@pytest.mark.parametrize(
    ("born", "accepted"),
    [("18/11/2024", True), ("19/11/2024", False), ("19/11/2000", True), ("18/11/2000", False)],
)
def test_a_date_of_birth_must_be_a_pupils_aged_2_to_25(school, office, born, accepted):
    row = [upn(1), "Smith", "Ada", born, "R", "F", "N", "N"]

    job = check(client_for(office), PUPILS, "sims.csv", csv_bytes(SIMS_PUPIL_HEADINGS, [row]))

    assert (job.status == ImportJob.Status.READY) is accepted
    if not accepted:
        assert job.errors[0]["message"] == f"{born} is not a pupil's date of birth (aged 2 to 25 today)"


@pytest.mark.parametrize(
    ("written", "year_group"),
    [("R", "R"), ("YR", "R"), ("Reception", "R"), ("1", "1"), ("Y9", "9"), ("Year 9", "9"), ("09", "9"), ("13", "13")],
)
def test_year_groups_are_read_as_mis_exports_write_them(school, office, written, year_group):
    run_import(client_for(office), PUPILS, "sims.csv", csv_bytes(SIMS_PUPIL_HEADINGS, [pupil_row(1, year=written)]))

    assert Pupil.objects.get(upn=upn(1)).year_group == year_group


@pytest.mark.parametrize(
    ("written", "status"),
    [
        ("", "N"),
        ("No Special Educational Need", "N"),
        ("K - SEN Support", "K"),
        ("SEN Support", "K"),
        ("EHCP", "E"),
        ("E", "E"),
        ("S", "E"),  # a statement of SEN, before EHC plans
    ],
)
def test_sen_statuses_are_read_as_mis_exports_write_them(school, office, written, status):
    run_import(client_for(office), PUPILS, "sims.csv", csv_bytes(SIMS_PUPIL_HEADINGS, [pupil_row(1, sen=written)]))

    assert Pupil.objects.get(upn=upn(1)).sen_status == status

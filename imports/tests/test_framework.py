"""What every import shares: the upload, the columns (remembered), the preview, all or nothing, progress, the
history, who may import, and files that cannot be read."""

from __future__ import annotations

import io
import threading
import zipfile
from datetime import timedelta

import pytest
from django.db import reset_queries
from django.urls import reverse
from django.utils import timezone

from conftest import client_for
from imports import runner, services
from imports.models import ImportFile, ImportJob, ImportMapping
from imports.tests.helpers import (
    SIMS_PUPIL_HEADINGS,
    check,
    choose_columns,
    csv_bytes,
    job_url,
    latest_job,
    pupil_row,
    run_import,
    upload,
    upn,
    xlsx_bytes,
)
from pupils.models import Pupil
from testsupport.plans import page_text

pytestmark = pytest.mark.django_db

HOME = reverse("imports:home")
HISTORY = reverse("imports:history")
PUPILS = "pupils"


def pupils_csv(count: int = 2) -> bytes:
    return csv_bytes(SIMS_PUPIL_HEADINGS, [pupil_row(n) for n in range(1, count + 1)])


# --- The imports page and the upload ------------------------------------------------------------------------


def test_the_imports_page_lists_each_kind_with_its_last_import(school, office):
    client = client_for(office)
    run_import(client, PUPILS, "sims-november.csv", pupils_csv(3))

    text = page_text(client.get(HOME))

    assert "Pupils and contacts" in text
    assert "Term dates and closures" in text
    assert "Behaviour events" in text
    assert "Attendance by week" in text
    assert "Attendance marks" in text
    assert "18/11/2026 10:00 by" in text
    assert "sims-november.csv: 3 new, 0 updated, 0 unchanged" in text
    assert text.count("Never") == 4


def test_the_imports_page_reads_a_fixed_number_of_queries(school, office, django_assert_max_num_queries):
    client = client_for(office)
    run_import(client, PUPILS, "one.csv", pupils_csv(1))
    reset_queries()
    with django_assert_max_num_queries(20) as few:
        client.get(HOME)
    first_count = len(few)  # read now: the next request clears the connection's query log
    for n in range(3):
        run_import(client, PUPILS, f"more{n}.csv", pupils_csv(2))
        upload(client, "behaviour", f"waiting{n}.csv", csv_bytes(["UPN", "Date"], [[upn(1), "01/11/2026"]]))

    reset_queries()
    with django_assert_max_num_queries(first_count):
        client.get(HOME)


@pytest.mark.parametrize(
    ("filename", "content", "message"),
    [
        ("pupils.txt", b"UPN,Surname\n", "The file must be a .csv or .xlsx file."),
        (
            "pupils.xls",
            b"\xd0\xcf\x11\xe0old excel",
            "Reintegrate cannot read .xls files. Save the file as .csv or .xlsx",
        ),
        ("pupils.csv", b"   \n", "The file is empty."),
        ("pupils.xlsx", b"UPN,Surname\n", "The file is named .xlsx but is not an Excel workbook."),
        ("pupils.csv", b"PK\x03\x04rest of a zip", "The file is named .csv but is a spreadsheet."),
        ("pupils.ics", b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "The file must be a .csv or .xlsx file."),
        ("pupils.csv", b"UPN\x00\x01\x02", "The file is not a CSV file: it holds binary data."),
        ("pupils.csv", "UPN,Surname\n".encode("utf-16"), "The file is not a CSV file: it holds binary data."),
    ],
)
def test_a_file_of_the_wrong_kind_is_refused_with_a_clear_message(school, office, filename, content, message):
    response = upload(client_for(office), PUPILS, filename, content)

    assert response.status_code == 200
    assert message in page_text(response)
    assert "There is a problem" in page_text(response)
    assert not ImportJob.objects.exists()


def test_a_file_over_20_mb_is_refused(school, office, monkeypatch):
    monkeypatch.setattr("imports.reading.MAX_BYTES", 1000)

    response = upload(client_for(office), PUPILS, "big.csv", pupils_csv(50))

    assert "The file must be smaller than" in page_text(response)
    assert not ImportJob.objects.exists()


def test_no_file_chosen_asks_for_one(school, office):
    response = client_for(office).post(reverse("imports:upload", args=[PUPILS]), {})

    assert "Choose the file to upload." in page_text(response)


def test_an_unknown_kind_of_import_is_not_found(school, office):
    assert client_for(office).get(reverse("imports:upload", args=["grades"])).status_code == 404


def test_the_example_file_has_the_usual_headings_and_imports_cleanly(school, office):
    client = client_for(office)
    response = client.get(reverse("imports:example", args=[PUPILS]))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.decode("utf-8-sig").startswith("UPN,Legal Surname,Legal Forename,")
    job = run_import(client, PUPILS, "example.csv", response.content)
    assert (job.status, job.rows_new) == (ImportJob.Status.DONE, 1)


# --- Columns ------------------------------------------------------------------------------------------------


def test_the_columns_page_suggests_the_usual_mis_headings(school, office):
    client = client_for(office)
    upload(client, PUPILS, "sims.csv", pupils_csv())

    form = client.get(reverse("imports:columns", args=[latest_job().pk])).context["form"]

    assert form["upn"].value() == "UPN"
    assert form["legal_last_name"].value() == "Legal Surname"
    assert form["date_of_birth"].value() == "DOB"
    assert form["year_group"].value() == "NC Year"
    assert form["sex"].value() == "Gender"
    assert form["fsm_eligible"].value() == "FSM"
    assert form["eal"].value() is None


def test_the_columns_chosen_are_remembered_for_the_schools_next_file(school, office, headteacher):
    headings = ["Pupil No", "Family", "Given", "Born", "Yr", "Sex"]
    content = csv_bytes(headings, [[upn(1), "Smith", "Ada", "14/03/2012", "9", "F"]])
    client = client_for(office)
    upload(client, PUPILS, "odd.csv", content)
    choose_columns(
        client, latest_job(), upn="Pupil No", legal_last_name="Family", legal_first_name="Given", date_of_birth="Born"
    )

    other_client = client_for(headteacher)
    upload(other_client, PUPILS, "odd-again.csv", content)
    form = other_client.get(reverse("imports:columns", args=[latest_job().pk])).context["form"]

    assert ImportMapping.objects.get(school=school, kind=PUPILS).columns["upn"] == "Pupil No"
    assert (form["upn"].value(), form["legal_last_name"].value(), form["date_of_birth"].value()) == (
        "Pupil No",
        "Family",
        "Born",
    )


def test_a_missing_required_column_and_a_column_chosen_twice_are_refused(school, office):
    client = client_for(office)
    upload(client, PUPILS, "sims.csv", pupils_csv())

    response = choose_columns(client, latest_job(), upn="", legal_first_name="Legal Surname")

    text = page_text(response)
    assert response.status_code == 200
    assert "Choose the column with the UPN" in text
    assert "'Legal Surname' is already chosen for Legal surname. Choose each column once" in text
    assert latest_job().status == ImportJob.Status.UPLOADED


def test_a_contact_name_without_its_relationship_column_is_refused(school, office):
    content = csv_bytes([*SIMS_PUPIL_HEADINGS, "Contact 1 Name"], [[*pupil_row(1), "Sam"]])
    client = client_for(office)
    upload(client, PUPILS, "sims.csv", content)

    response = choose_columns(client, latest_job())

    assert "Choose the column with contact 1's relationship to the pupil" in page_text(response)


def test_the_columns_can_be_changed_after_problems_are_found(school, office):
    content = csv_bytes([*SIMS_PUPIL_HEADINGS, "Real FSM"], [[*pupil_row(1, fsm="?"), "Y"]])
    client = client_for(office)
    job = check(client, PUPILS, "sims.csv", content)
    assert job.status == ImportJob.Status.INVALID

    choose_columns(client, job, fsm_eligible="Real FSM")
    job.refresh_from_db()

    assert job.status == ImportJob.Status.READY


# --- Preview, import, cancel ----------------------------------------------------------------------------------


def test_the_preview_counts_what_would_change_and_changes_nothing(school, office):
    client = client_for(office)
    run_import(client, PUPILS, "first.csv", pupils_csv(2))
    rows = [pupil_row(1), pupil_row(2, year="10"), pupil_row(3)]

    job = check(client, PUPILS, "second.csv", csv_bytes(SIMS_PUPIL_HEADINGS, rows))
    text = page_text(client.get(job_url(job)))

    assert "Check the changes" in text
    assert "New 1 Updated 1 Unchanged 1" in text
    assert "Nothing has changed yet" in text
    assert Pupil.objects.count() == 2


def test_a_job_is_imported_once_however_often_the_button_is_pressed(school, office):
    client = client_for(office)
    job = check(client, PUPILS, "sims.csv", pupils_csv(2))
    url = reverse("imports:apply", args=[job.pk])

    client.post(url)
    response = client.post(url, follow=True)

    assert "This file is not ready to import" in page_text(response)
    assert Pupil.objects.count() == 2
    assert ImportJob.objects.get(pk=job.pk).rows_new == 2


def test_an_import_that_fails_while_writing_writes_nothing_and_says_so(school, office, monkeypatch):
    client = client_for(office)
    job = check(client, PUPILS, "sims.csv", pupils_csv(3))

    def broken_contacts(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr("pupils.models.Contact.objects.bulk_create", broken_contacts)
    client.post(reverse("imports:apply", args=[job.pk]))

    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED
    assert not Pupil.objects.exists()
    assert "Something went wrong, so nothing was imported." in page_text(client.get(job_url(job)))


def test_rows_that_became_wrong_since_the_check_stop_the_import(school, office):
    content = csv_bytes(["UPN", "Date", "Category"], [[upn(1), "02/11/2026", "Disruption"]])
    client = client_for(office)
    run_import(client, PUPILS, "sims.csv", pupils_csv(1))
    job = check(client, "behaviour", "behaviour.csv", content)
    Pupil.objects.all().delete()  # someone removes the pupil between the preview and the import

    client.post(reverse("imports:apply", args=[job.pk]))

    job.refresh_from_db()
    assert job.status == ImportJob.Status.INVALID
    assert "import your pupils first" in job.errors[0]["message"]


def test_cancelling_deletes_the_file_and_imports_nothing(school, office):
    client = client_for(office)
    job = check(client, PUPILS, "sims.csv", pupils_csv(2))

    response = client.post(reverse("imports:cancel", args=[job.pk]), follow=True)

    assert "Import cancelled: nothing was imported from sims.csv, and the file is deleted." in page_text(response)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.CANCELLED
    assert not ImportFile.objects.exists()
    assert client.post(reverse("imports:apply", args=[job.pk])).status_code == 302
    assert not Pupil.objects.exists()


def test_the_file_is_deleted_once_imported(school, office):
    run_import(client_for(office), PUPILS, "sims.csv", pupils_csv(2))

    assert not ImportFile.objects.exists()


def test_an_upload_left_for_more_than_a_day_expires_and_its_file_is_deleted(school, office, frozen_time):
    client = client_for(office)
    job = check(client, PUPILS, "sims.csv", pupils_csv(2))
    frozen_time.shift(timedelta(days=1, minutes=1))

    deleted = services.import_files_purge()

    job.refresh_from_db()
    assert (deleted, job.status) == (1, ImportJob.Status.EXPIRED)
    assert "Uploaded files are kept for a day" in page_text(client_for(office).get(job_url(job)))


def test_an_upload_less_than_a_day_old_is_kept(school, office, frozen_time):
    job = check(client_for(office), PUPILS, "sims.csv", pupils_csv(2))
    frozen_time.shift(timedelta(hours=23))

    assert services.import_files_purge() == 0
    assert ImportFile.objects.filter(job=job).exists()


# --- Progress -------------------------------------------------------------------------------------------------


def test_a_running_job_shows_its_progress_and_refreshes_itself(school, office):
    client = client_for(office)
    job = check(client, PUPILS, "sims.csv", pupils_csv(2))
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.CHECKING, total_rows=60000, processed_rows=12000, heartbeat_at=timezone.now()
    )

    response = client.get(job_url(job))

    assert response["Refresh"] == "3"
    assert "12,000 of about 60,000 rows read" in page_text(response)
    assert '<progress id="progress" max="60000" value="12000">20%</progress>' in response.content.decode()


def test_a_job_that_stopped_reporting_progress_says_it_stopped_and_stops_refreshing(school, office, frozen_time):
    client = client_for(office)
    job = check(client, PUPILS, "sims.csv", pupils_csv(2))
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.IMPORTING, heartbeat_at=timezone.now())
    frozen_time.shift(services.STALLED_AFTER + timedelta(seconds=1))

    response = client.get(job_url(job))

    assert "Refresh" not in response
    assert "The import stopped before it finished" in page_text(response)
    client.post(reverse("imports:cancel", args=[job.pk]))
    assert ImportJob.objects.get(pk=job.pk).status == ImportJob.Status.FAILED


def test_a_job_being_imported_cannot_be_cancelled(school, office):
    client = client_for(office)
    job = check(client, PUPILS, "sims.csv", pupils_csv(2))
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.IMPORTING, heartbeat_at=timezone.now())

    response = client.post(reverse("imports:cancel", args=[job.pk]), follow=True)

    assert "is being imported and cannot be cancelled now" in page_text(response)
    assert ImportJob.objects.get(pk=job.pk).status == ImportJob.Status.IMPORTING


def test_progress_is_written_to_the_job_every_few_thousand_rows(school, office, monkeypatch):
    seen: list[int] = []
    original = services._progress

    def recording(job_id):
        report = original(job_id)

        def wrapped(count):
            report(count)
            seen.append(ImportJob.objects.get(pk=job_id).processed_rows)

        return wrapped

    monkeypatch.setattr(services, "_progress", recording)

    check(client_for(office), PUPILS, "sims.csv", pupils_csv(4500))

    assert sorted(set(seen)) == [0, 2000, 4000]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_large_file_is_checked_and_imported_in_the_background(school, office, settings, monkeypatch):
    """From IMPORTS_BACKGROUND_FROM_BYTES, the request returns at once and a thread does the work."""
    settings.IMPORTS_BACKGROUND_FROM_BYTES = 0
    finished = threading.Event()
    threads: list[str] = []
    original_run = runner.run

    def run_and_signal(step, job, user=None):
        def step_then_signal(job_id):
            threads.append(threading.current_thread().name)
            try:
                step(job_id)
            finally:
                finished.set()

        original_run(step_then_signal, job, user)

    monkeypatch.setattr(runner, "run", run_and_signal)
    client = client_for(office)
    upload(client, PUPILS, "sims.csv", pupils_csv(3))
    job = latest_job()

    choose_columns(client, job)
    assert finished.wait(20)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.READY
    finished.clear()
    client.post(reverse("imports:apply", args=[job.pk]))
    assert finished.wait(20)

    job.refresh_from_db()
    assert (job.status, job.rows_new) == (ImportJob.Status.DONE, 3)
    assert Pupil.objects.filter(school=school).count() == 3
    assert threads == [f"import-job-{job.pk}"] * 2


# --- History --------------------------------------------------------------------------------------------------


def test_the_history_records_who_imported_what_and_when(school, office, headteacher):
    job = check(client_for(office), PUPILS, "sims.csv", pupils_csv(2))
    client_for(headteacher).post(reverse("imports:apply", args=[job.pk]))

    text = page_text(client_for(office).get(HISTORY))

    assert "18/11/2026 10:00" in text
    assert "Pupils and contacts sims.csv Imported" in text
    assert "2 new, 0 updated, 0 unchanged" in text
    job.refresh_from_db()
    assert (job.created_by, job.imported_by) == (office, headteacher)


def test_the_history_reads_a_fixed_number_of_queries_however_many_imports(
    school, office, django_assert_max_num_queries
):
    client = client_for(office)
    run_import(client, PUPILS, "one.csv", pupils_csv(1))
    reset_queries()
    with django_assert_max_num_queries(20) as one:
        client.get(HISTORY)
    first_count = len(one)  # read now: the next request clears the connection's query log
    for n in range(5):
        run_import(client, PUPILS, f"again{n}.csv", pupils_csv(1))

    reset_queries()
    with django_assert_max_num_queries(first_count):
        response = client.get(HISTORY)
    assert page_text(response).count("Pupils and contacts") == 6


# --- Who may import -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["headteacher", "office"])
def test_the_headteacher_and_the_office_may_import(request, school, persona):
    client = client_for(request.getfixturevalue(persona))

    assert client.get(HOME).status_code == 200
    assert run_import(client, PUPILS, "sims.csv", pupils_csv(1)).status == ImportJob.Status.DONE


@pytest.mark.parametrize("persona", ["teacher", "pastoral_lead", "senco", "governor"])
def test_staff_without_the_import_role_are_refused_every_import_page(request, school, office, persona):
    job = check(client_for(office), PUPILS, "sims.csv", pupils_csv(1))
    client = client_for(request.getfixturevalue(persona))

    for url in (HOME, HISTORY, reverse("imports:upload", args=[PUPILS]), reverse("imports:example", args=[PUPILS])):
        assert client.get(url).status_code == 403, url
    for name in ("job", "columns", "apply", "cancel"):
        assert client.get(reverse(f"imports:{name}", args=[job.pk])).status_code == 403, name
    assert client.post(reverse("imports:apply", args=[job.pk])).status_code == 403
    assert upload(client, PUPILS, "sims.csv", pupils_csv(1)).status_code == 403
    assert not Pupil.objects.exists()


def test_another_schools_import_does_not_exist_for_their_headteacher(school, office, other_head):
    job = check(client_for(office), PUPILS, "sims.csv", pupils_csv(1))
    client = client_for(other_head)

    for name in ("job", "columns", "apply", "cancel"):
        assert client.get(reverse(f"imports:{name}", args=[job.pk])).status_code == 404, name
    for name in ("columns", "apply", "cancel"):
        assert client.post(reverse(f"imports:{name}", args=[job.pk])).status_code == 404, name
    assert not Pupil.objects.exists()
    assert "sims.csv" not in page_text(client.get(HISTORY))


def test_a_file_imported_by_one_school_changes_nothing_at_another(school, other_school, office, other_head):
    run_import(client_for(other_head), PUPILS, "theirs.csv", pupils_csv(2))

    assert Pupil.objects.filter(school=other_school).count() == 2
    assert not Pupil.objects.filter(school=school).exists()


# --- Files that cannot be read ----------------------------------------------------------------------------------


def _zip(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return out.getvalue()


MALFORMED = [
    ("random.xlsx", b"PK\x03\x04" + bytes(range(256)) * 4),
    ("empty-zip.xlsx", _zip({})),
    ("not-a-workbook.xlsx", _zip({"hello.txt": b"hello"})),
    ("bad-sheet.xlsx", _zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook><sheets>"})),
    ("quotes.csv", b'UPN,Surname\n"A1,"unclosed\n' + b"x" * 200_000),
    ("one-column.csv", b"UPN\n" + upn(1).encode() + b"\n"),
    ("headings-only.csv", b"UPN,Legal Surname,Legal Forename,DOB,NC Year,Gender\n"),
    ("wide.csv", (",".join(f"c{i}" for i in range(500)) + "\n").encode()),
    ("cp1252-junk.csv", b"UPN,Surname\n\x81\x8d\x8f\x90\x9d,\xff\n"),
    ("control.csv", b"UPN,Surname\r\x00\n"),
    ("tabs.csv", b"\t\t\t\n\t\t\n"),
    ("bom-only.csv", b"\xef\xbb\xbf"),
    ("spreadsheet-title-only.xlsx", xlsx_bytes(["Only a title"], [])),
]


@pytest.mark.parametrize(("filename", "content"), MALFORMED, ids=[name for name, _ in MALFORMED])
def test_a_malformed_file_gets_a_clear_message_and_never_an_error_page(school, office, filename, content):
    client = client_for(office)

    response = upload(client, PUPILS, filename, content)

    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert "There is a problem" in page_text(response)
        return
    job = latest_job()
    columns = client.get(reverse("imports:columns", args=[job.pk]))
    assert columns.status_code == 200
    response = choose_columns(client, job, **dict.fromkeys(columns.context["form"].fields, ""))
    assert response.status_code == 200  # the required columns are missing: the form says so
    form = columns.context["form"]
    data = {name: (job.headings[0] if name == "upn" else "") for name in form.fields}
    for name, heading in zip(("legal_last_name", "legal_first_name", "date_of_birth"), job.headings[1:], strict=False):
        data[name] = heading
    client.post(reverse("imports:columns", args=[job.pk]), data)
    job.refresh_from_db()
    assert job.status in (ImportJob.Status.UPLOADED, ImportJob.Status.INVALID)
    assert client.get(job_url(job)).status_code == 200
    assert not Pupil.objects.exists()


def test_a_workbook_that_would_unpack_to_too_much_is_refused(school, office, monkeypatch):
    monkeypatch.setattr("imports.reading.MAX_UNZIPPED_BYTES", 10_000)
    content = _zip({"xl/worksheets/sheet1.xml": b"\x00" * 20_000})

    response = upload(client_for(office), PUPILS, "bomb.xlsx", content)

    assert "The workbook is too large once unpacked." in page_text(response)


def test_a_bad_row_far_down_a_csv_file_is_reported_without_an_error_page(school, office):
    rows = "\n".join(",".join(pupil_row(n)) for n in range(1, 30))
    content = (",".join(SIMS_PUPIL_HEADINGS) + "\n" + rows + '\n"' + "x" * 200_000).encode()
    client = client_for(office)

    job = check(client, PUPILS, "sims.csv", content)

    assert job.status == ImportJob.Status.INVALID
    assert "Row 31 could not be read" in job.failure
    assert "Row 31 could not be read" in page_text(client.get(job_url(job)))


def test_an_error_while_checking_is_shown_on_the_page_not_as_an_error_page(school, office, monkeypatch):
    def broken(*args, **kwargs):
        raise KeyError("a bug")

    monkeypatch.setattr("imports.importers.pupils.PupilsImporter.plan", broken)

    job = check(client_for(office), PUPILS, "sims.csv", pupils_csv(1))

    assert job.status == ImportJob.Status.FAILED
    assert job.failure == services.FAILED_MESSAGE


def test_a_workbook_is_read_once_and_its_row_numbers_stay_those_of_the_spreadsheet(school, office):
    """While a workbook is checked its rows are copied to CSV (faster to read again); row numbers are kept."""
    rows = [pupil_row(1), [None] * 8, pupil_row(2, year="14")]
    client = client_for(office)

    job = check(client, PUPILS, "arbor.xlsx", xlsx_bytes(SIMS_PUPIL_HEADINGS, rows, title_rows=2))

    assert job.options == {"stored_as": "csv-copy"}
    assert [(p["row"], p["column"]) for p in job.errors] == [(6, "NC Year")]
    choose_columns(client, job)  # checked again, from the copy
    job.refresh_from_db()
    assert [(p["row"], p["column"]) for p in job.errors] == [(6, "NC Year")]
    assert job.file_format == "xlsx"


def test_while_the_changes_are_saved_the_page_says_so(school, office):
    client = client_for(office)
    job = check(client, PUPILS, "sims.csv", pupils_csv(2))
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.IMPORTING, total_rows=2, processed_rows=2, heartbeat_at=timezone.now()
    )

    text = page_text(client.get(job_url(job)))

    assert "Importing" in text
    assert "Saving the changes" in text

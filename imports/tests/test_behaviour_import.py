"""Importing behaviour events: date, pupil (UPN), positive or negative, category, points and the MIS's event id."""

from __future__ import annotations

from datetime import date

import pytest

from conftest import client_for
from evidence.models import BehaviourEvent
from imports.models import ImportJob
from imports.tests.helpers import check, csv_bytes, job_url, run_import, upn, xlsx_bytes
from testsupport.plans import page_text

pytestmark = pytest.mark.django_db

KIND = "behaviour"
HEADINGS = ["Incident ID", "Incident Date", "UPN", "Type", "Behaviour Type", "Points", "Comments"]


def rows_for(pupil, *, category: str = "Disruption") -> list[list[str]]:
    return [
        ["B-1", "02/11/2026", pupil.upn, "Negative", category, "-2", "Talking over the teacher"],
        ["B-2", "2026-11-03", pupil.upn, "Positive", "Helping others", "3", ""],
        ["B-3", "04/11/2026", pupil.upn, "Negative", "Late to lesson", "-1", ""],
    ]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_events_are_added_for_their_pupils(school, office, pupil, fmt):
    rows = rows_for(pupil)
    content = csv_bytes(HEADINGS, rows) if fmt == "csv" else xlsx_bytes(HEADINGS, rows)

    job = run_import(client_for(office), KIND, f"behaviour.{fmt}", content)

    assert (job.status, job.rows_new) == (ImportJob.Status.DONE, 3)
    events = list(pupil.behaviour_events.values_list("source_id", "occurred_on", "kind", "category", "points"))
    assert events == [
        ("B-1", date(2026, 11, 2), "incident", "Disruption", -2),
        ("B-2", date(2026, 11, 3), "achievement", "Helping others", 3),
        ("B-3", date(2026, 11, 4), "incident", "Late to lesson", -1),
    ]
    assert BehaviourEvent.objects.get(source_id="B-1").school == school


def test_importing_the_same_events_again_changes_nothing(school, office, pupil):
    client = client_for(office)
    run_import(client, KIND, "behaviour.csv", csv_bytes(HEADINGS, rows_for(pupil)))

    again = run_import(client, KIND, "behaviour.csv", csv_bytes(HEADINGS, rows_for(pupil)))

    assert (again.rows_new, again.rows_updated, again.rows_unchanged) == (0, 0, 3)
    assert BehaviourEvent.objects.count() == 3


def test_an_event_corrected_in_the_mis_is_updated_by_its_id(school, office, pupil):
    client = client_for(office)
    run_import(client, KIND, "behaviour.csv", csv_bytes(HEADINGS, rows_for(pupil)))

    job = check(client, KIND, "behaviour.csv", csv_bytes(HEADINGS, rows_for(pupil, category="Defiance")))
    assert "Category: Disruption → Defiance" in page_text(client.get(job_url(job)))
    client.post(f"/imports/jobs/{job.pk}/import/")

    job.refresh_from_db()
    assert (job.rows_new, job.rows_updated, job.rows_unchanged) == (0, 1, 2)
    assert BehaviourEvent.objects.get(source_id="B-1").category == "Defiance"
    assert BehaviourEvent.objects.count() == 3


def test_events_without_ids_are_matched_on_their_content_counting_repeats(school, office, pupil):
    headings = ["Date", "UPN", "Category", "Points"]
    twice = [["02/11/2026", pupil.upn, "Disruption", "-1"]] * 2
    client = client_for(office)

    first = run_import(client, KIND, "behaviour.csv", csv_bytes(headings, twice))
    again = run_import(client, KIND, "behaviour.csv", csv_bytes(headings, [*twice, *twice[:1]]))

    assert first.rows_new == 2
    assert (again.rows_new, again.rows_unchanged) == (1, 2)
    assert BehaviourEvent.objects.filter(pupil=pupil).count() == 3


def test_without_a_type_column_positive_points_mean_an_achievement(school, office, pupil):
    content = csv_bytes(["Date", "UPN", "Category", "Points"], [["02/11/2026", pupil.upn, "Star of the week", "+5"]])

    run_import(client_for(office), KIND, "behaviour.csv", content)

    assert BehaviourEvent.objects.get().kind == BehaviourEvent.Kind.ACHIEVEMENT


def test_a_long_description_is_shortened_and_the_preview_says_so(school, office, pupil):
    content = csv_bytes(["Date", "UPN", "Category", "Comments"], [["02/11/2026", pupil.upn, "Disruption", "x" * 400]])

    job = run_import(client_for(office), KIND, "behaviour.csv", content)

    assert len(BehaviourEvent.objects.get().description) == 300
    assert "1 descriptions will be shortened to 300 characters." in job.preview["notes"]


def test_problems_are_reported_by_row_and_nothing_is_imported(school, office, pupil):
    rows = [
        *rows_for(pupil),
        ["B-4", "19/11/2026", pupil.upn, "Negative", "Disruption", "-1", ""],
        ["B-5", "05/11/2026", upn(77), "Negative", "Disruption", "-1", ""],
        ["B-6", "05/11/2026", pupil.upn, "Sideways", "", "lots", ""],
        ["B-1", "06/11/2026", pupil.upn, "Negative", "Disruption", "-1", ""],
    ]
    client = client_for(office)

    job = check(client, KIND, "behaviour.csv", csv_bytes(HEADINGS, rows))

    assert [(p["row"], p["column"], p["message"]) for p in job.errors] == [
        (5, "Incident Date", "19/11/2026 is in the future"),
        (6, "UPN", f"No pupil with UPN {upn(77)} is on roll at Larkfield Academy: import your pupils first"),
        (7, "Behaviour Type", "Enter the category"),
        (7, "Points", "'lots' is not a whole number"),
        (
            7,
            "Type",
            "'Sideways' is not positive or negative: write Negative (an incident) or Positive (an achievement)",
        ),
    ]
    assert not BehaviourEvent.objects.exists()


def test_an_event_id_twice_in_the_file_is_a_problem(school, office, pupil):
    rows = [*rows_for(pupil), ["B-1", "06/11/2026", pupil.upn, "Negative", "Disruption", "-1", ""]]

    job = check(client_for(office), KIND, "behaviour.csv", csv_bytes(HEADINGS, rows))

    assert job.errors[0]["row"] == 5
    assert job.errors[0]["message"] == "Event id B-1 is in the file twice: also on row 2"
    assert not BehaviourEvent.objects.exists()


def test_pupils_are_found_only_at_the_importing_school(school, other_school, office, other_head, pupil):
    content = csv_bytes(HEADINGS, rows_for(pupil))

    job = check(client_for(other_head), KIND, "behaviour.csv", content)

    assert job.status == ImportJob.Status.INVALID
    assert "is on roll at Brookside School: import your pupils first" in job.errors[0]["message"]

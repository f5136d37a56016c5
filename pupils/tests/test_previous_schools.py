"""Days of suspension at previous schools: entered on the pupil, counted towards the 45-day cap and the totals.

Rule: the cap of 45 school days in a school year "includes suspensions from previous schools" (domain.md row 2).
Time is frozen at Wednesday 18/11/2026 (school year 2026/27).
"""

from __future__ import annotations

import html
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import client_for
from duties.models import Duty
from pupils.models import PreviousSchoolSuspension
from pupils.services import previous_school_suspension_add
from testsupport.factories import PupilFactory
from testsupport.suspensions import headteacher_of, record

THIS_YEAR = date(2026, 9, 1)
LAST_YEAR = date(2025, 9, 1)


def add_url(pupil) -> str:
    return reverse("pupils:previous_school_add", args=[pupil.pk])


def delete_url(entry) -> str:
    return reverse("pupils:previous_school_delete", args=[entry.pupil_id, entry.pk])


def text(response) -> str:
    return html.unescape(response.content.decode()).replace("\u2019", "'")


def entry(
    pupil, *, sessions: int, year: date = THIS_YEAR, school_name: str = "Oakwood Academy"
) -> PreviousSchoolSuspension:
    return previous_school_suspension_add(
        pupil=pupil,
        school_name=school_name,
        academic_year_start=year,
        sessions=sessions,
        note="Fictional: from the common transfer file.",
        recorded_by=headteacher_of(pupil),
        today=date(2026, 11, 18),
    )


def form_data(**overrides) -> dict[str, str]:
    data = {"school_name": "Oakwood Academy", "school_year": "2026-09-01", "days": "3", "note": ""}
    data.update(overrides)
    return data


# Access


@pytest.mark.parametrize("persona", ["headteacher", "pastoral_lead", "senco", "office"])
def test_staff_who_record_suspensions_may_add_days_at_a_previous_school(persona, request, pupil):
    response = client_for(request.getfixturevalue(persona)).get(add_url(pupil))
    assert response.status_code == 200
    assert "Add days of suspension at a previous school" in text(response)


@pytest.mark.parametrize("persona", ["teacher", "governor"])
def test_other_roles_may_not_add_or_remove_days_at_a_previous_school(persona, request, pupil):
    existing = entry(pupil, sessions=2)
    client = client_for(request.getfixturevalue(persona))
    assert client.get(add_url(pupil)).status_code == 403
    assert client.post(add_url(pupil), form_data()).status_code == 403
    assert client.get(delete_url(existing)).status_code == 403
    assert client.post(delete_url(existing)).status_code == 403
    assert PreviousSchoolSuspension.objects.count() == 1


def test_another_schools_headteacher_gets_not_found(other_head, pupil):
    existing = entry(pupil, sessions=2)
    client = client_for(other_head)
    assert client.get(add_url(pupil)).status_code == 404
    assert client.post(add_url(pupil), form_data()).status_code == 404
    assert client.post(delete_url(existing)).status_code == 404
    assert PreviousSchoolSuspension.objects.count() == 1


def test_unknown_pupils_and_entries_are_not_found(headteacher, school, pupil):
    other_pupil = PupilFactory(school=school)
    someone_elses = entry(other_pupil, sessions=2)
    client = client_for(headteacher)
    assert client.get(reverse("pupils:previous_school_add", args=[999999])).status_code == 404
    assert client.get(reverse("pupils:previous_school_delete", args=[pupil.pk, 999999])).status_code == 404
    # An entry is reached only through its own pupil.
    assert client.post(reverse("pupils:previous_school_delete", args=[pupil.pk, someone_elses.pk])).status_code == 404
    assert PreviousSchoolSuspension.objects.count() == 1


# Adding


def test_adding_days_at_a_previous_school_saves_them_in_sessions_and_says_so(headteacher, pupil):
    response = client_for(headteacher).post(
        add_url(pupil), form_data(days="2.5", note="Fictional: CTF received 02/11/2026"), follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("pupils:detail", args=[pupil.pk]) + "#previous-schools"
    html_text = text(response)
    assert "2.5 days at Oakwood Academy in 2026/27 added. They count towards Jordan's 45-day limit." in html_text
    saved = PreviousSchoolSuspension.objects.get(pupil=pupil)
    assert (saved.school_name, saved.academic_year_start, saved.sessions) == ("Oakwood Academy", THIS_YEAR, 5)
    assert (saved.note, saved.recorded_by) == ("Fictional: CTF received 02/11/2026", headteacher)
    assert "This school year (2026/27): 2.5 days, including 2.5 days at previous schools" in html_text


def test_the_school_year_is_this_year_or_last_year(headteacher, pupil):
    html_text = text(client_for(headteacher).get(add_url(pupil)))
    assert '<option value="2026-09-01">2026/27</option>' in html_text
    assert '<option value="2025-09-01">2025/26</option>' in html_text
    assert "2024/25" not in html_text

    client_for(headteacher).post(add_url(pupil), form_data(school_year="2025-09-01"))
    assert PreviousSchoolSuspension.objects.get(pupil=pupil).academic_year_start == LAST_YEAR


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Enter the days of suspension at the previous school, for example 3 or 2.5."),
        ("three", "Enter the days as a number, for example 3 or 2.5."),
        ("2.25", "Enter the days in whole or half days, for example 3 or 2.5."),
        ("1.3", "Enter the days in whole or half days, for example 3 or 2.5."),
        ("0", "Enter at least half a day (0.5)."),
        ("45.5", "Enter no more than 45 days"),
        ("100", "Enter no more than 45 days"),
    ],
)
def test_days_that_are_not_whole_or_half_days_are_refused_and_the_input_kept(typed, message, headteacher, pupil):
    response = client_for(headteacher).post(add_url(pupil), form_data(days=typed, note="Fictional note kept"))
    html_text = text(response)
    assert response.status_code == 200
    assert "There is a problem" in html_text
    assert message in html_text
    assert "Fictional note kept" in html_text
    assert 'value="Oakwood Academy"' in html_text
    assert not PreviousSchoolSuspension.objects.exists()


def test_a_school_name_and_a_school_year_from_the_list_are_required(headteacher, pupil):
    response = client_for(headteacher).post(add_url(pupil), form_data(school_name="  ", school_year="2019-09-01"))
    html_text = text(response)
    assert "Enter the name of the previous school." in html_text
    assert "Choose the school year the days fall in." in html_text
    assert not PreviousSchoolSuspension.objects.exists()


# The 45-day cap


def test_days_here_and_at_a_previous_school_may_reach_45_but_not_pass_it(headteacher, pupil):
    record(pupil, start=date(2026, 9, 3), sessions=80)  # 40 days here
    client = client_for(headteacher)
    client.post(add_url(pupil), form_data(days="5"))
    assert PreviousSchoolSuspension.objects.get(pupil=pupil).sessions == 10

    response = client.post(add_url(pupil), form_data(days="0.5", school_name="Hillside School"))
    assert response.status_code == 200
    assert (
        "This would take Jordan Ashby to 45.5 school days of suspension in 2026/27, over the limit of 45. "
        "They have 45 days so far, so no more than 0 days can be entered." in text(response)
    )
    assert 'value="Hillside School"' in text(response)
    assert PreviousSchoolSuspension.objects.filter(pupil=pupil).count() == 1


def test_a_further_half_day_suspension_is_refused_once_previous_school_days_make_45(pupil):
    record(pupil, start=date(2026, 9, 3), sessions=80)
    entry(pupil, sessions=10)
    with pytest.raises(ValidationError) as refused:
        record(pupil, start=date(2026, 11, 23), sessions=1)
    assert refused.value.message_dict["sessions"] == [
        "This would take Jordan Ashby to 45.5 school days of suspension in 2026/27, over the limit of 45. "
        "They have 45 days so far, so no more than 0 days can be given."
    ]


def test_the_cap_message_names_what_is_left(pupil):
    record(pupil, start=date(2026, 9, 3), sessions=60)  # 30 days here
    with pytest.raises(ValidationError) as refused:
        entry(pupil, sessions=31)
    assert refused.value.message_dict["sessions"] == [
        "This would take Jordan Ashby to 45.5 school days of suspension in 2026/27, over the limit of 45. "
        "They have 30 days so far, so no more than 15 days can be entered."
    ]


def test_days_in_last_school_year_do_not_count_towards_this_years_cap(pupil):
    entry(pupil, sessions=90, year=LAST_YEAR)
    record(pupil, start=date(2026, 11, 23), sessions=2)
    with pytest.raises(ValidationError):
        entry(pupil, sessions=1, year=LAST_YEAR)


# Removing


def test_removing_days_asks_first_then_updates_the_totals(headteacher, pupil):
    existing = entry(pupil, sessions=6)
    client = client_for(headteacher)
    confirm = text(client.get(delete_url(existing)))
    assert "Are you sure you want to remove these days?" in confirm
    assert "Oakwood Academy" in confirm
    assert PreviousSchoolSuspension.objects.exists()

    response = client.post(delete_url(existing), follow=True)
    html_text = text(response)
    assert "Days at a previous school removed: 3 days at Oakwood Academy in 2026/27." in html_text
    assert "This school year (2026/27): 0 days" in html_text
    assert not PreviousSchoolSuspension.objects.exists()


# The pupil page and the pupil list


def test_the_pupil_page_lists_previous_school_days_and_counts_them_in_the_totals(headteacher, pupil):
    record(pupil, start=date(2026, 11, 9), sessions=10)  # 5 days here
    entry(pupil, sessions=6)
    entry(pupil, sessions=4, year=LAST_YEAR, school_name="Brook Lane Primary")
    html_text = text(client_for(headteacher).get(reverse("pupils:detail", args=[pupil.pk])))
    assert "Suspensions at previous schools" in html_text
    assert "This term (Autumn 2026): 5 days" in html_text
    assert "This school year (2026/27): 8 days, including 3 days at previous schools" in html_text
    assert "45-day limit: 37 days left" in html_text
    assert "Brook Lane Primary" in html_text
    assert "2025/26" in html_text


def test_a_teacher_sees_previous_school_days_but_cannot_change_them(teacher, pupil):
    existing = entry(pupil, sessions=2)
    html_text = text(client_for(teacher).get(reverse("pupils:detail", args=[pupil.pk])))
    assert "Oakwood Academy" in html_text
    assert add_url(pupil) not in html_text
    assert delete_url(existing) not in html_text


def test_the_pupil_page_says_what_to_do_when_there_are_none(office, pupil):
    html_text = text(client_for(office).get(reverse("pupils:detail", args=[pupil.pk])))
    assert (
        "None recorded. If Jordan was suspended at another school this school year, add those days here." in html_text
    )
    assert add_url(pupil) in html_text


def test_the_pupil_list_counts_previous_school_days_towards_the_limit(headteacher, pupil):
    record(pupil, start=date(2026, 11, 9), sessions=4)
    entry(pupil, sessions=6)
    entry(pupil, sessions=20, year=LAST_YEAR)
    html_text = text(client_for(headteacher).get(reverse("pupils:list")))
    assert "Days suspended in 2026/27 (counts towards the 45-day limit)" in html_text
    assert '<td class="numeric">5</td>' in html_text
    assert "Days suspended include days at previous schools in 2026/27" in html_text


def test_the_pupil_lists_query_count_does_not_grow_with_previous_school_days(
    headteacher, school, django_assert_max_num_queries
):
    client = client_for(headteacher)
    first = PupilFactory(school=school)
    entry(first, sessions=2)
    client.get(reverse("pupils:list"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("pupils:list"))
    for _ in range(5):
        entry(PupilFactory(school=school), sessions=3)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("pupils:list"))


# Duties


def test_adding_previous_school_days_brings_the_years_suspension_duties_up_to_date(pupil):
    suspension = record(pupil, start=date(2026, 11, 9), sessions=2)
    Duty.objects.filter(suspension=suspension).delete()
    entry(pupil, sessions=2)
    assert Duty.objects.filter(suspension=suspension, kind=Duty.Kind.LOCAL_AUTHORITY).exists()

"""The pupil list: search, year-group filter, flags, suspension days this year, pages of 50, access."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import client_for
from pupils.models import Pupil
from suspensions.models import Suspension
from testsupport.factories import PupilFactory
from testsupport.suspensions import cancel, record

URL = reverse("pupils:list")


def names(response) -> list[str]:
    return [row.pupil.display_name for row in response.context["rows"]]


@pytest.mark.parametrize("persona", ["headteacher", "pastoral_lead", "senco", "teacher", "office"])
def test_staff_who_work_with_pupils_see_the_list(persona, request, pupil):
    response = client_for(request.getfixturevalue(persona)).get(URL)
    assert response.status_code == 200
    assert "Jordan Ashby" in response.content.decode()
    assert pupil.upn in response.content.decode()


def test_a_governor_cannot_see_the_pupil_list(governor, pupil):
    response = client_for(governor).get(URL)
    assert response.status_code == 403
    assert "Jordan" not in response.content.decode()


def test_staff_of_another_school_see_only_their_own_pupils(other_head, other_school, pupil):
    PupilFactory(school=other_school, legal_first_name="Ola", legal_last_name="Brook")
    response = client_for(other_head).get(URL)
    assert response.status_code == 200
    assert names(response) == ["Ola Brook"]


def test_the_search_box_is_labelled_and_the_form_uses_get(headteacher, pupil):
    html = client_for(headteacher).get(URL).content.decode()
    assert '<form method="get"' in html
    assert '<label class="label" for="id_q">Search by name or UPN (optional)</label>' in html
    assert '<label class="label" for="id_year_group">Year group (optional)</label>' in html


@pytest.fixture
def pupils(school, pupil):
    PupilFactory(
        school=school,
        legal_first_name="Aleksandra",
        legal_last_name="Nowak",
        preferred_first_name="Ola",
        year_group="7",
    )
    PupilFactory(
        school=school,
        legal_first_name="Samuel",
        legal_last_name="Okoro",
        preferred_last_name="Okoro-Reed",
        year_group="9",
    )
    PupilFactory(school=school, legal_first_name="Priya", legal_last_name="Shah", year_group="11")
    return pupil


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("jordan", ["Jordan Ashby"]),  # legal first name, any case
        ("ASHBY", ["Jordan Ashby"]),  # legal last name
        ("ola", ["Ola Nowak"]),  # preferred first name
        ("aleksandra", ["Ola Nowak"]),  # legal first name behind a preferred one
        ("reed", ["Samuel Okoro-Reed"]),  # preferred last name
        ("jordan ash", ["Jordan Ashby"]),  # every word must match
        ("sh", ["Jordan Ashby", "Priya Shah"]),
    ],
)
def test_the_search_matches_legal_or_preferred_names_ignoring_case(query, expected, headteacher, pupils):
    response = client_for(headteacher).get(URL, {"q": query})
    assert names(response) == expected


def test_the_search_finds_a_pupil_by_upn_typed_in_lowercase_with_spaces(headteacher, pupils):
    spaced = f"{pupils.upn[:4]} {pupils.upn[4:8]} {pupils.upn[8:]}".lower()
    response = client_for(headteacher).get(URL, {"q": spaced})
    assert names(response) == ["Jordan Ashby"]


def test_the_list_filters_by_year_group(headteacher, pupils):
    response = client_for(headteacher).get(URL, {"year_group": "9"})
    assert names(response) == ["Jordan Ashby", "Samuel Okoro-Reed"]
    assert "2 pupils in Year 9" in response.content.decode()


def test_search_and_year_group_combine(headteacher, pupils):
    response = client_for(headteacher).get(URL, {"q": "okoro", "year_group": "11"})
    assert names(response) == []
    assert "No pupils in Year 11 match 'okoro'. Check the spelling or search by UPN." in (response.content.decode())


def test_a_search_with_no_match_says_what_to_do(headteacher, pupils):
    html = client_for(headteacher).get(URL, {"q": "zebedee"}).content.decode()
    assert "No pupils match 'zebedee'. Check the spelling or search by UPN." in html
    assert "<table" not in html


def test_what_was_searched_for_is_shown_back_safely(headteacher, pupils):
    html = client_for(headteacher).get(URL, {"q": "<b>o'neil</b>"}).content.decode()
    assert "No pupils match '&lt;b&gt;o&#x27;neil&lt;/b&gt;'." in html
    assert "<b>o'neil</b>" not in html


def test_a_school_with_no_pupils_says_so(headteacher):
    html = client_for(headteacher).get(URL).content.decode()
    assert "There are no pupils on roll at Larkfield Academy yet." in html


def test_an_unknown_year_group_is_ignored_rather_than_failing(headteacher, pupils):
    response = client_for(headteacher).get(URL, {"year_group": "99", "q": "jordan"})
    assert response.status_code == 200
    assert names(response) == ["Jordan Ashby"]


def test_pupils_who_have_left_are_listed_only_when_searched_for(headteacher, school, pupil):
    PupilFactory(school=school, legal_first_name="Nia", legal_last_name="Evans", is_active=False)
    client = client_for(headteacher)
    assert names(client.get(URL)) == ["Jordan Ashby"]
    response = client.get(URL, {"q": "evans"})
    assert names(response) == ["Nia Evans"]
    assert "Left the school" in response.content.decode()


def test_the_flags_are_shown_as_text(headteacher, school):
    PupilFactory(
        school=school,
        legal_first_name="Kai",
        legal_last_name="Morgan",
        sen_status=Pupil.SEN.EHC_PLAN,
        looked_after=True,
        fsm_eligible=True,
        has_social_worker=True,
        eal=True,
    )
    PupilFactory(school=school, legal_first_name="Lia", legal_last_name="Moss", sen_status=Pupil.SEN.SUPPORT)
    html = client_for(headteacher).get(URL).content.decode()
    assert "EHCP, Looked after, FSM, Social worker, EAL" in html
    assert "SEN support" in html


def test_the_list_shows_days_of_suspension_this_school_year(headteacher, school, pupil):
    from schools.services import academic_year_create

    academic_year_create(school=school, start_year=2025)
    record(pupil, start=date(2026, 3, 2), sessions=10)  # last school year: not counted
    record(pupil, start=date(2026, 11, 9), sessions=3)
    record(pupil, start=date(2026, 11, 16), sessions=2, kind=Suspension.Kind.LUNCHTIME)
    cancel(record(pupil, start=date(2026, 11, 18), sessions=4))  # cancelled: not counted
    other = PupilFactory(school=school, legal_first_name="Zac", legal_last_name="Young")
    record(other, start=date(2026, 11, 18), sessions=None, kind=Suspension.Kind.PERMANENT)  # outside the cap
    response = client_for(headteacher).get(URL)
    days = {row.pupil.display_name: row.suspension_days for row in response.context["rows"]}
    assert days == {"Jordan Ashby": "2.5", "Zac Young": "0"}
    assert "Days suspended in 2026/27" in response.content.decode()


def test_the_list_is_split_into_pages_of_50(headteacher, school):
    PupilFactory.create_batch(51, school=school)
    client = client_for(headteacher)
    first = client.get(URL)
    assert len(first.context["rows"]) == 50
    html = first.content.decode()
    assert "51 pupils" in html
    assert "Next page" in html
    second = client.get(URL, {"page": 2})
    assert len(second.context["rows"]) == 1
    assert "Previous page" in second.content.decode()


def test_the_next_page_link_keeps_the_search(headteacher, school):
    PupilFactory.create_batch(51, school=school, legal_last_name="Smith")
    html = client_for(headteacher).get(URL, {"q": "smith"}).content.decode()
    assert 'href="?q=smith&amp;page=2"' in html


def test_the_number_of_queries_does_not_grow_with_the_number_of_pupils(
    headteacher, school, pupil, django_assert_max_num_queries
):
    client = client_for(headteacher)
    record(pupil, start=date(2026, 11, 16), sessions=2)
    client.get(URL)  # warm up the session
    with CaptureQueriesContext(connection) as few:
        assert len(client.get(URL).context["rows"]) == 1
    for index, extra in enumerate(PupilFactory.create_batch(20, school=school)):
        record(extra, start=date(2026, 11, 2 + index % 5), sessions=2, decided_by=headteacher)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(client.get(URL).context["rows"]) == 21

"""The compliance page: every statutory duty at the school, soonest due first, with filters.

Today is Wednesday 18/11/2026 (frozen in conftest).
"""

from __future__ import annotations

import html as html_lib
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from conftest import client_for
from duties.models import Duty
from duties.services import duty_complete, duty_mark_not_needed
from testsupport.factories import PupilFactory
from testsupport.suspensions import cancel, record

pytestmark = pytest.mark.django_db

LIST = reverse("duties:list")
LONDON = ZoneInfo("Europe/London")
EMPTY = "No statutory duties are open. Each new suspension adds its duties here."


def page(user, query: str = "") -> str:
    response = client_for(user).get(f"{LIST}{query}")
    assert response.status_code == 200
    return html_lib.unescape(response.content.decode())


def rows(html: str) -> list[str]:
    body = html[html.index("<tbody>") : html.index("</tbody>")]
    return body.split("<tr>")[1:]


# --- Access -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["headteacher", "pastoral_lead", "senco", "office"])
def test_staff_who_handle_duties_see_the_page_and_the_nav_link(persona, request):
    html = page(request.getfixturevalue(persona))

    assert '<h1 class="heading-xl">Statutory duties</h1>' in html
    assert f'<a href="{LIST}" aria-current="page">Duties</a>' in html


@pytest.mark.parametrize("persona", ["teacher", "governor"])
def test_teachers_and_governors_cannot_see_the_duties(persona, request):
    assert client_for(request.getfixturevalue(persona)).get(LIST).status_code == 403


def test_a_teacher_has_no_duties_link(teacher):
    html = client_for(teacher).get(reverse("pupils:list")).content.decode()

    assert f'href="{LIST}"' not in html


def test_another_schools_duties_are_never_listed(pupil, headteacher, other_head):
    record(pupil, start=date(2026, 11, 19), sessions=4)

    html = page(other_head)

    assert "Jordan Ashby" not in html
    assert EMPTY in html


def test_the_page_cannot_be_posted_to(headteacher):
    assert client_for(headteacher).post(LIST).status_code == 405


# --- What the list shows ------------------------------------------------------------------------------------


def test_an_empty_list_says_what_fills_it(headteacher):
    assert EMPTY in page(headteacher)


def test_each_open_duty_is_listed_soonest_first_with_its_pupil_suspension_owner_and_detail(pupil, headteacher):
    suspension = record(pupil, start=date(2026, 11, 19), sessions=12)

    html = page(headteacher)

    listed = rows(html)
    assert len(listed) == 7
    assert "Without delay (18/11/2026)" in listed[0]
    assert "Set and mark work for the first five school days" in listed[4]
    # The parents hear of the provision 48 hours ahead (the school's default): Tuesday 24/11/2026.
    assert "24/11/2026" in listed[5]
    assert "Tell the parents about the sixth-day provision" in listed[5]
    assert "26/11/2026" in listed[6]
    assert "Arrange full-time education from the sixth school day" in listed[6]
    assert f'<a href="{reverse("pupils:detail", args=[pupil.pk])}">Jordan Ashby</a>' in listed[6]
    assert (
        f'<a href="{reverse("suspensions:detail", args=[suspension.pk])}">Suspension from 19/11/2026</a>' in listed[6]
    )
    assert "<td>Headteacher</td>" in listed[6]
    assert "Record the provider, its address and the times." in listed[6]
    assert "<caption>7 duties to do</caption>" in html


def test_an_overdue_duty_is_marked_overdue_in_text_and_one_due_today_says_so(pupil, headteacher):
    record(pupil, start=date(2026, 11, 16), sessions=4)  # work was due on Monday 16/11/2026

    listed = rows(page(headteacher))

    assert "16/11/2026" in listed[0]
    assert '<strong class="tag tag--overdue">Overdue</strong>' in listed[0]
    assert '<strong class="tag tag--due">Due today</strong>' in listed[1]


def test_staff_who_complete_duties_get_a_link_back_to_this_page(pupil, office):
    record(pupil, start=date(2026, 11, 19), sessions=4)

    html = page(office, "?kind=parents_told")

    url = reverse("duties:complete", args=[Duty.objects.get(kind="parents_told").pk])
    assert f'<a href="{url}?next=/duties/%3Fkind%3Dparents_told">Record as done' in html


def test_duties_of_a_cancelled_suspension_are_labelled_with_the_cancellation(pupil, headteacher):
    cancel(record(pupil, start=date(2026, 11, 19), sessions=4))

    html = page(headteacher, "?kind=local_authority")

    assert "Notify the local authority: the cancellation" in html
    assert "(cancelled)" in html
    assert "Tell them the suspension was cancelled and why." in html


# --- Filters ------------------------------------------------------------------------------------------------


def test_the_filters_are_labelled_selects(headteacher):
    html = page(headteacher)

    for label in ["Duty", "Owner", "Status", "Due"]:
        assert f">{label} (optional)</label>" in html
    assert '<select name="kind"' in html
    assert '<select name="owner_role"' in html
    assert '<select name="status"' in html


def test_filtering_by_duty_type_lists_only_that_duty(school, headteacher):
    for name in ("Amira", "Ben"):
        record(PupilFactory(school=school, legal_first_name=name), start=date(2026, 11, 19), sessions=4)

    listed = rows(page(headteacher, "?kind=local_authority"))

    assert len(listed) == 2
    assert all("Notify the local authority" in row for row in listed)


def test_filtering_by_owner_lists_only_that_roles_duties(pupil, headteacher):
    record(pupil, start=date(2026, 11, 19), sessions=12)

    listed = rows(page(headteacher, "?owner_role=office"))

    assert len(listed) == 3  # the letter, the local authority and the notice of sixth-day provision
    assert all("<td>Office staff</td>" in row for row in listed)


def test_done_duties_are_listed_only_when_asked_for_with_when_and_by_whom(pupil, headteacher):
    headteacher.first_name, headteacher.last_name = "Helen", "Hart"
    headteacher.save()
    suspension = record(pupil, start=date(2026, 11, 19), sessions=4)
    duty_complete(
        duty=Duty.objects.get(suspension=suspension, kind="parents_told"),
        done_by=headteacher,
        done_at=datetime(2026, 11, 18, 9, 15, tzinfo=LONDON),
        method=Duty.Method.PHONE,
        evidence="Spoke to Ms Ashby.",
    )

    open_html = page(headteacher)
    done_html = page(headteacher, "?status=done")
    all_rows = rows(page(headteacher, "?status=all"))

    assert not any("Tell the parents by phone or in person" in row for row in rows(open_html))
    assert len(rows(open_html)) == 4
    assert "Done 18/11/2026 at 09:15 by Helen Hart (phone call)" in done_html
    assert "Evidence: Spoke to Ms Ashby." in done_html
    assert "<caption>1 duty done</caption>" in done_html
    assert len(all_rows) == 5


def test_duties_no_longer_needed_can_be_listed_with_the_reason(pupil, headteacher):
    suspension = record(pupil, start=date(2026, 11, 19), sessions=4)
    duty_mark_not_needed(
        duty=Duty.objects.get(suspension=suspension, kind="work_set"), by=headteacher, reason="Pupil in hospital."
    )

    html = page(headteacher, "?status=not_needed")

    assert "Reason: Pupil in hospital." in html
    assert '<strong class="tag tag--not_needed">No longer needed</strong>' in html


def test_the_due_filter_narrows_to_overdue_today_or_the_next_7_days(pupil, headteacher):
    # Work due 16/11, the provision notice 20/11 (48 hours before), sixth day 23/11, notices today.
    record(pupil, start=date(2026, 11, 16), sessions=12)

    assert len(rows(page(headteacher, "?when=overdue"))) == 1
    assert len(rows(page(headteacher, "?when=today"))) == 4
    week = rows(page(headteacher, "?when=week"))
    assert len(week) == 2
    assert "20/11/2026" in week[0]
    assert "23/11/2026" in week[1]


def test_a_filter_value_that_is_not_a_choice_is_ignored(pupil, headteacher):
    record(pupil, start=date(2026, 11, 19), sessions=4)

    html = page(headteacher, "?kind=nonsense&owner_role=office")

    assert len(rows(html)) == 2


def test_filters_that_match_nothing_say_so_and_offer_to_clear_them(pupil, headteacher):
    record(pupil, start=date(2026, 11, 19), sessions=4)

    html = page(headteacher, "?kind=fsm_lunch")

    assert "No duties match these filters." in html
    assert "Clear filters" in html
    assert EMPTY not in html


# --- Paging and queries --------------------------------------------------------------------------------------


def test_a_long_list_is_paged_fifty_at_a_time_keeping_the_filters(school, headteacher):
    for i in range(11):
        record(PupilFactory(school=school, legal_last_name=f"Pupil{i:02d}"), start=date(2026, 11, 19), sessions=4)

    first = page(headteacher, "?owner_role=office")
    second = page(headteacher, "?owner_role=office&page=2")

    assert len(rows(first)) == 22  # 11 pupils, 2 office duties each
    assert "Page" not in first
    many = page(headteacher)
    assert len(rows(many)) == 50
    assert "Page 1 of 2" in many
    assert "?page=2" in many
    assert len(rows(second)) == 22
    assert len(rows(page(headteacher, "?page=2"))) == 5


def test_the_page_reads_a_fixed_number_of_queries_however_many_duties(
    school, headteacher, django_assert_max_num_queries
):
    client = client_for(headteacher)
    record(PupilFactory(school=school), start=date(2026, 11, 19), sessions=12)
    with django_assert_max_num_queries(20) as few:
        client.get(LIST)
    for _ in range(6):
        record(PupilFactory(school=school), start=date(2026, 11, 19), sessions=12)

    with django_assert_max_num_queries(len(few)):
        response = client.get(LIST)

    assert response.content.decode().count("Record as done") == 49  # 7 suspensions, 7 duties each

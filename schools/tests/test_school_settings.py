"""The school settings page: the repeated-suspensions alert thresholds (local practice, not statutory)."""

from __future__ import annotations

import html
from decimal import Decimal

import pytest
from django.urls import reverse

from conftest import client_for
from schools.models import Role, School
from testsupport.factories import MembershipFactory

URL = reverse("schools:settings")


def text(response) -> str:
    return html.unescape(response.content.decode()).replace("\u2019", "'")


@pytest.fixture
def senior_leader(school):
    return MembershipFactory(school=school, role=Role.SENIOR_LEADER, user__username="senior").user


def thresholds(school: School) -> tuple[int, Decimal]:
    school.refresh_from_db()
    return school.repeat_alert_suspensions, school.repeat_alert_days


# Access


@pytest.mark.parametrize("persona", ["headteacher", "senior_leader"])
def test_the_headteacher_and_senior_leaders_see_the_settings(persona, request, school):
    response = client_for(request.getfixturevalue(persona)).get(URL)
    assert response.status_code == 200
    html_text = text(response)
    assert '<h1 class="heading-xl">School settings</h1>' in html_text
    assert 'value="3"' in html_text
    assert 'value="10"' in html_text


@pytest.mark.parametrize("persona", ["pastoral_lead", "senco", "teacher", "office", "governor"])
def test_other_roles_may_not_change_the_settings(persona, request, school):
    client = client_for(request.getfixturevalue(persona))
    assert client.get(URL).status_code == 403
    assert (
        client.post(
            URL, {"repeat_alert_suspensions": "5", "repeat_alert_days": "8", "sixth_day_notice_hours": "48"}
        ).status_code
        == 403
    )
    assert thresholds(school) == (3, Decimal(10))


def test_another_schools_headteacher_changes_only_their_own_school(other_head, school, other_school):
    client_for(other_head).post(
        URL, {"repeat_alert_suspensions": "5", "repeat_alert_days": "8", "sixth_day_notice_hours": "48"}
    )
    assert thresholds(school) == (3, Decimal(10))
    assert thresholds(other_school) == (5, Decimal(8))


def test_the_page_says_the_thresholds_are_local_practice_with_their_defaults(headteacher):
    html_text = text(client_for(headteacher).get(URL))
    assert "not a statutory limit" in html_text
    assert "The defaults are 3 suspensions or 10 days." in html_text
    assert "Reintegrate suggests 3" in html_text
    assert "Reintegrate suggests 10" in html_text


# Saving


def test_saving_new_thresholds_says_what_will_happen(headteacher, school):
    response = client_for(headteacher).post(
        URL, {"repeat_alert_suspensions": "2", "repeat_alert_days": "7.5", "sixth_day_notice_hours": "48"}, follow=True
    )
    assert response.redirect_chain[-1][0] == URL
    assert (
        "Settings saved. Reintegrate will alert you when a pupil has had 2 suspensions or 7.5 days of suspension "
        "in the last three terms." in text(response)
    )
    assert thresholds(school) == (2, Decimal("7.5"))


@pytest.mark.parametrize(("suspensions", "days"), [("1", "0.5"), ("20", "45")])
def test_the_limits_of_each_threshold_are_accepted(suspensions, days, headteacher, school):
    client_for(headteacher).post(
        URL, {"repeat_alert_suspensions": suspensions, "repeat_alert_days": days, "sixth_day_notice_hours": "48"}
    )
    assert thresholds(school) == (int(suspensions), Decimal(days))


@pytest.mark.parametrize(
    ("suspensions", "days", "message"),
    [
        ("0", "10", "Enter a whole number of suspensions from 1 to 20, for example 3."),
        ("21", "10", "Enter a whole number of suspensions from 1 to 20, for example 3."),
        ("2.5", "10", "Enter a whole number of suspensions from 1 to 20, for example 3."),
        ("", "10", "Enter a whole number of suspensions from 1 to 20, for example 3."),
        ("3", "0", "Enter a number of days from 0.5 to 45, in whole or half days, for example 10 or 7.5."),
        ("3", "45.5", "Enter a number of days from 0.5 to 45, in whole or half days, for example 10 or 7.5."),
        ("3", "7.3", "Enter a number of days from 0.5 to 45, in whole or half days, for example 10 or 7.5."),
        ("3", "7.25", "Enter a number of days from 0.5 to 45, in whole or half days, for example 10 or 7.5."),
        ("3", "ten", "Enter a number of days from 0.5 to 45, in whole or half days, for example 10 or 7.5."),
    ],
)
def test_thresholds_out_of_range_are_refused_and_the_input_kept(suspensions, days, message, headteacher, school):
    response = client_for(headteacher).post(
        URL, {"repeat_alert_suspensions": suspensions, "repeat_alert_days": days, "sixth_day_notice_hours": "48"}
    )
    html_text = text(response)
    assert response.status_code == 200
    assert "There is a problem" in html_text
    assert message in html_text
    assert f'value="{days}"' in html_text or not days
    assert thresholds(school) == (3, Decimal(10))


# Links


def test_the_calendar_page_links_to_the_settings_only_for_those_who_may_change_them(headteacher, office):
    assert URL in text(client_for(headteacher).get(reverse("schools:calendar")))
    assert URL not in text(client_for(office).get(reverse("schools:calendar")))


def test_the_sixth_day_notice_can_be_set_and_is_refused_outside_24_to_120_hours(headteacher, school):
    client_for_head = client_for(headteacher)
    bad = client_for_head.post(
        URL, {"repeat_alert_suspensions": "3", "repeat_alert_days": "10", "sixth_day_notice_hours": "12"}
    )
    assert "Enter a whole number of hours from 24 to 120, for example 48." in bad.content.decode()
    school.refresh_from_db()
    assert school.sixth_day_notice_hours == 48

    client_for_head.post(
        URL, {"repeat_alert_suspensions": "3", "repeat_alert_days": "10", "sixth_day_notice_hours": "72"}
    )
    school.refresh_from_db()
    assert school.sixth_day_notice_hours == 72

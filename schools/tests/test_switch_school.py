"""Choosing the school to work in, for staff who hold roles at several schools of a trust."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from conftest import client_for
from schools.access import SESSION_SCHOOL_KEY
from schools.models import Role
from testsupport.factories import MembershipFactory, SchoolFactory, UserFactory

pytestmark = pytest.mark.django_db

SWITCH = reverse("schools:switch")


@pytest.fixture
def two_school_head(headteacher, other_school):
    MembershipFactory(user=headteacher, school=other_school, role=Role.SENIOR_LEADER)
    return headteacher


def test_staff_with_two_schools_see_both_to_choose_from(two_school_head, school, other_school):
    response = client_for(two_school_head).get(SWITCH)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Larkfield Academy (Headteacher)" in html
    assert "Brookside School (Senior leader)" in html
    # With no choice made yet the user works in their first school by name, which is chosen already.
    assert re.search(rf'value="{other_school.pk}"[^>]*checked', html)
    assert not re.search(rf'value="{school.pk}"[^>]*checked', html)


def test_choosing_a_school_makes_it_the_current_school(two_school_head, school, other_school):
    client = client_for(two_school_head)

    response = client.post(SWITCH, {"school": str(school.pk)}, follow=True)

    assert client.session[SESSION_SCHOOL_KEY] == school.pk
    html = response.content.decode()
    assert "You are now working in Larkfield Academy." in html
    assert "Larkfield Academy · Headteacher" in html
    assert re.search(rf'value="{school.pk}"[^>]*checked', client.get(SWITCH).content.decode())


def test_a_school_where_the_user_holds_no_role_is_not_found(headteacher, school):
    elsewhere = SchoolFactory(name="Hillcrest School", urn="999003")
    client = client_for(headteacher)

    response = client.post(SWITCH, {"school": str(elsewhere.pk)})

    assert response.status_code == 404
    assert SESSION_SCHOOL_KEY not in client.session


def test_a_school_id_that_is_not_a_number_is_not_found(two_school_head):
    response = client_for(two_school_head).post(SWITCH, {"school": "brookside"})

    assert response.status_code == 404


def test_choosing_nothing_asks_for_a_school(two_school_head):
    client = client_for(two_school_head)

    response = client.post(SWITCH, {})

    assert response.status_code == 200
    assert "Choose the school you want to work in." in response.content.decode()
    assert "There is a problem" in response.content.decode()
    assert SESSION_SCHOOL_KEY not in client.session


def test_a_governor_can_switch_and_lands_on_the_figures(governor, school, other_school):
    MembershipFactory(user=governor, school=other_school, role=Role.GOVERNOR)

    response = client_for(governor).post(SWITCH, {"school": str(school.pk)}, follow=True)

    assert response.redirect_chain[-1][0] == reverse("dashboard:figures")
    assert "Figures for Larkfield Academy" in response.content.decode()


def test_a_user_with_no_role_at_any_school_cannot_switch(db):
    response = client_for(UserFactory()).get(SWITCH)

    assert response.status_code == 403


def test_the_switch_link_shows_only_for_staff_of_several_schools(headteacher, two_school_head, teacher):
    assert SWITCH in client_for(two_school_head).get(reverse("schools:calendar")).content.decode()
    assert SWITCH not in client_for(teacher).get(reverse("pupils:list")).content.decode()

"""The Django admin: superusers only, and only after two-factor authentication."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.urls import reverse
from django_otp.admin import OTPAdminSite

from accounts.tests.helpers import authenticator_for, password_only_client
from conftest import client_for
from testsupport.factories import UserFactory

pytestmark = pytest.mark.django_db

ADMIN = reverse("admin:index")
REASON_CODES = reverse("admin:suspensions_reasoncode_changelist")


@pytest.fixture
def superuser(db):
    return UserFactory(username="admin", is_superuser=True, is_staff=True)


def test_the_admin_site_requires_two_factor_authentication():
    assert isinstance(admin.site, OTPAdminSite)


def test_a_superuser_past_two_factor_authentication_opens_the_admin(superuser):
    client = client_for(superuser)

    assert client.get(ADMIN).status_code == 200
    assert client.get(REASON_CODES).status_code == 200


def test_a_superuser_with_only_a_password_is_asked_for_a_code_first(superuser):
    authenticator_for(superuser)

    response = password_only_client(superuser).get(REASON_CODES)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:verify"))


def test_a_superuser_who_has_not_set_up_an_app_is_sent_to_set_one_up(superuser):
    response = password_only_client(superuser).get(ADMIN)

    assert response["Location"].startswith(reverse("accounts:enrol"))


@pytest.mark.parametrize("persona", ["headteacher", "pastoral_lead", "office", "governor"])
def test_school_staff_get_no_admin(persona, request):
    client = client_for(request.getfixturevalue(persona))

    assert client.get(ADMIN).status_code == 403
    assert client.get(REASON_CODES).status_code == 403


def test_staff_status_without_superuser_is_not_enough(db):
    staff = UserFactory(username="it.support", is_staff=True, is_superuser=False)

    assert client_for(staff).get(REASON_CODES).status_code == 403


def test_an_anonymous_visitor_is_sent_to_the_main_sign_in_page(client):
    to_admin_login = client.get(ADMIN)
    to_main_login = client.get(to_admin_login["Location"])

    assert to_admin_login["Location"] == f"{reverse('admin:login')}?next=/admin/"
    assert to_main_login.status_code == 302
    assert to_main_login["Location"] == f"{reverse('login')}?next=/admin/"


def test_the_admins_own_password_only_sign_in_form_is_not_used(client, superuser):
    response = client.get(reverse("admin:login") + "?next=/admin/")
    posted = client.post(reverse("admin:login"), {"username": "admin", "password": "correct-horse-battery"})

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next=/admin/"
    assert posted.status_code == 302
    assert "_auth_user_id" not in client.session

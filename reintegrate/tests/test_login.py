"""Signing in and out, and the login every other page needs."""

from __future__ import annotations

import re
from datetime import timedelta
from io import StringIO

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import client_for
from testsupport.factories import UserFactory

PASSWORD = "correct-horse-battery"  # the factories' password for every fictional member of staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def anonymous() -> Client:
    return Client()


def label_for(html: str, field_id: str) -> str | None:
    match = re.search(rf'<label[^>]*for="{field_id}"[^>]*>(.*?)</label>', html, re.S)
    return match.group(1).strip() if match else None


def test_the_login_page_needs_no_login(anonymous):
    response = anonymous.get(reverse("login"))

    assert response.status_code == 200
    assert "<h1" in response.text
    assert "Sign in" in response.text


def test_the_login_page_labels_each_field(anonymous):
    html = anonymous.get(reverse("login")).text

    assert label_for(html, "id_username")
    assert label_for(html, "id_password") == "Password"
    assert 'id="id_username"' in html
    assert 'id="id_password"' in html
    assert 'type="password"' in html
    assert html.count("<h1") == 1


def test_a_wrong_password_shows_an_error_summary_and_keeps_the_user_name(anonymous, headteacher):
    response = anonymous.post(reverse("login"), {"username": "head", "password": "wrong-password"})

    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert 'class="error-summary"' in response.text
    assert "password" in response.text.split("There is a problem", 1)[1].lower()
    assert 'value="head"' in response.text
    assert "_auth_user_id" not in anonymous.session


def test_an_empty_form_says_what_to_enter(anonymous):
    response = anonymous.post(reverse("login"), {"username": "", "password": ""})

    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert 'aria-invalid="true"' in response.text


def test_an_inactive_account_cannot_sign_in(anonymous):
    UserFactory(username="leaver", is_active=False)

    response = anonymous.post(reverse("login"), {"username": "leaver", "password": PASSWORD})

    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert "_auth_user_id" not in anonymous.session


def test_a_correct_password_goes_on_to_setting_up_two_factor_authentication_the_first_time(anonymous, headteacher):
    response = anonymous.post(reverse("login"), {"username": "head", "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:enrol")
    assert anonymous.session["_auth_user_id"] == str(headteacher.pk)
    # Signed in with the password alone, the dashboard is still out of reach.
    assert anonymous.get(reverse("dashboard:home"))["Location"] == reverse("accounts:enrol")


def test_a_correct_password_goes_on_to_the_code_once_the_app_is_set_up(anonymous, headteacher):
    TOTPDevice.objects.create(user=headteacher, name="Authenticator app", confirmed=True)

    response = anonymous.post(reverse("login"), {"username": "head", "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:verify")
    assert resolve_url(settings.LOGIN_REDIRECT_URL) == reverse("dashboard:home")


def test_signing_in_keeps_the_page_that_asked_for_it_through_two_factor_authentication(anonymous, headteacher):
    TOTPDevice.objects.create(user=headteacher, name="Authenticator app", confirmed=True)

    response = anonymous.post(reverse("login"), {"username": "head", "password": PASSWORD, "next": "/pupils/"})

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:verify')}?next=%2Fpupils%2F"


def test_signing_in_never_sends_the_user_to_another_site(anonymous, headteacher):
    response = anonymous.post(
        reverse("login"), {"username": "head", "password": PASSWORD, "next": "https://evil.example/"}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:enrol")
    assert "evil" not in anonymous.get(response["Location"]).text


def test_a_signed_in_and_verified_user_opening_the_login_page_goes_to_the_dashboard(headteacher):
    response = client_for(headteacher).get(reverse("login"))

    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard:home")


def test_an_anonymous_visitor_to_the_pupil_list_is_sent_to_the_login_page(anonymous):
    response = anonymous.get("/pupils/")

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next=/pupils/"


def test_an_anonymous_visitor_to_the_dashboard_is_sent_to_the_login_page(anonymous):
    response = anonymous.get(reverse("dashboard:home"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_signing_out_ends_the_session_and_goes_to_the_login_page(headteacher):
    client = client_for(headteacher)

    response = client.post(reverse("logout"))

    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert "_auth_user_id" not in client.session
    assert client.get("/pupils/")["Location"] == f"{reverse('login')}?next=/pupils/"


def test_signing_out_needs_a_post_so_a_link_cannot_sign_anyone_out(headteacher):
    client = client_for(headteacher)

    response = client.get(reverse("logout"))

    assert response.status_code == 405
    assert "_auth_user_id" in client.session


# --- Idle sessions ----------------------------------------------------------------------------------------------


def test_a_session_idle_for_31_minutes_is_signed_out(headteacher, frozen_time):
    client = client_for(headteacher)
    assert client.get("/pupils/").status_code == 200

    frozen_time.shift(timedelta(minutes=31))
    response = client.get("/pupils/")

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next=/pupils/"


def test_a_session_used_every_29_minutes_stays_signed_in(headteacher, frozen_time):
    client = client_for(headteacher)
    for _ in range(3):
        frozen_time.shift(timedelta(minutes=29))
        assert client.get("/pupils/").status_code == 200  # each request restarts the 30 idle minutes


def test_the_idle_limit_is_30_minutes_unless_configured():
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True


# --- Passwords --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("password", ["short1", "password123", "1234567890123", "qwertyuiop"])
def test_a_short_common_or_numeric_password_is_refused(password):
    with pytest.raises(ValidationError):
        validate_password(password)


def test_a_password_like_the_user_name_is_refused():
    user = UserFactory.build(username="imogen.thistlewood", first_name="Imogen", last_name="Thistlewood")

    with pytest.raises(ValidationError):
        validate_password("Thistlewood", user=user)


def test_a_long_uncommon_password_is_accepted():
    validate_password("lantern-quiet-orchard-42")


class _Terminal(StringIO):
    def isatty(self) -> bool:
        return True


def test_createsuperuser_refuses_a_weak_password_until_a_strong_one_is_given(monkeypatch):
    passwords = iter(["password123", "password123", "lantern-quiet-orchard-42", "lantern-quiet-orchard-42"])
    monkeypatch.setattr("getpass.getpass", lambda *args, **kwargs: next(passwords))
    monkeypatch.setattr("builtins.input", lambda *args: "n")  # "Bypass password validation?" No.
    out, err = StringIO(), StringIO()

    call_command(
        "createsuperuser",
        interactive=True,
        username="admin",
        email="admin@school.example",
        stdin=_Terminal(),
        stdout=out,
        stderr=err,
    )

    assert "This password is too common." in err.getvalue()
    admin = get_user_model().objects.get(username="admin")
    assert admin.check_password("lantern-quiet-orchard-42")

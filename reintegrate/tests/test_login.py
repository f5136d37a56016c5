"""Signing in and out, and the login every other page needs."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import reverse

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


def test_signing_in_goes_to_the_dashboard(anonymous, headteacher):
    response = anonymous.post(reverse("login"), {"username": "head", "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == resolve_url(settings.LOGIN_REDIRECT_URL) == reverse("dashboard:home")
    assert anonymous.session["_auth_user_id"] == str(headteacher.pk)


def test_signing_in_returns_to_the_page_that_asked_for_it(anonymous, headteacher):
    response = anonymous.post(reverse("login"), {"username": "head", "password": PASSWORD, "next": "/pupils/"})

    assert response.status_code == 302
    assert response["Location"] == "/pupils/"


def test_signing_in_never_sends_the_user_to_another_site(anonymous, headteacher):
    response = anonymous.post(
        reverse("login"), {"username": "head", "password": PASSWORD, "next": "https://evil.example/"}
    )

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

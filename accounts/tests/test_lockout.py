"""Lockout: 5 failed sign-ins (wrong passwords or wrong codes) for one user name and address lock that pair
for 15 minutes, with a page that says so."""

from __future__ import annotations

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse

from accounts.tests.helpers import PASSWORD, authenticator_for, code_now, password_only_client, wrong_code

pytestmark = pytest.mark.django_db

LOGIN = reverse("login")
VERIFY = reverse("accounts:verify")


def sign_in(client: Client, password: str, *, username: str = "head", address: str = "127.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def fail(client: Client, times: int, **kwargs) -> None:
    for _ in range(times):
        sign_in(client, "wrong-password", **kwargs)


def test_four_wrong_passwords_leave_the_fifth_attempt_open(headteacher):
    client = Client()
    fail(client, 4)

    response = sign_in(client, PASSWORD)

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(headteacher.pk)


def test_the_fifth_wrong_password_locks_the_account_with_a_clear_page(headteacher):
    client = Client()
    fail(client, 4)

    response = sign_in(client, "wrong-password")

    assert response.status_code == 429
    html = response.text
    assert html.count("<h1") == 1
    assert "You cannot sign in for 15 minutes" in html
    assert "Try again in 15 minutes" in html
    assert "ask your headteacher" in html


def test_during_the_lockout_the_sixth_attempt_is_refused_even_with_the_right_password(headteacher):
    client = Client()
    fail(client, 5)

    response = sign_in(client, PASSWORD)

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_lockout_is_for_that_user_name_from_that_address_only(headteacher, teacher):
    fail(Client(), 5)

    from_elsewhere = Client()
    other_user = Client()

    assert sign_in(from_elsewhere, PASSWORD, address="10.0.0.2").status_code == 302
    assert sign_in(other_user, PASSWORD, username="teacher").status_code == 302


def test_the_lockout_holds_at_14_minutes(headteacher, frozen_time):
    fail(Client(), 5)

    frozen_time.shift(timedelta(minutes=14, seconds=59))

    assert sign_in(Client(), PASSWORD).status_code == 429


def test_the_lockout_ends_after_15_minutes(headteacher, frozen_time):
    fail(Client(), 5)

    frozen_time.shift(timedelta(minutes=15, seconds=1))
    client = Client()
    response = sign_in(client, PASSWORD)

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(headteacher.pk)


def test_tries_during_the_lockout_do_not_make_it_longer(headteacher, frozen_time):
    fail(Client(), 5)
    frozen_time.shift(timedelta(minutes=10))
    fail(Client(), 3)

    frozen_time.shift(timedelta(minutes=5, seconds=1))

    assert sign_in(Client(), PASSWORD).status_code == 302


def test_a_successful_sign_in_clears_earlier_failures(headteacher):
    client = Client()
    fail(client, 4)
    sign_in(client, PASSWORD)
    client.post(reverse("logout"))

    fail(client, 4)

    assert sign_in(client, PASSWORD).status_code == 302


def test_wrong_codes_count_as_failed_sign_ins(headteacher, frozen_time):
    device = authenticator_for(headteacher)
    client = password_only_client(headteacher)
    client.post(VERIFY, {"code": wrong_code(device)})

    attempt = AccessAttempt.objects.get(username="head")
    assert attempt.failures_since_start == 1
    assert wrong_code(device) not in attempt.post_data  # the code typed is never stored


def test_five_wrong_codes_lock_the_password_sign_in_too(headteacher, frozen_time):
    device = authenticator_for(headteacher)
    client = password_only_client(headteacher)
    for _ in range(5):
        client.post(VERIFY, {"code": wrong_code(device)})
        frozen_time.shift(timedelta(seconds=60))

    response = sign_in(Client(), PASSWORD)

    assert response.status_code == 429
    assert "You cannot sign in for 15 minutes" in response.text


def test_a_half_signed_in_session_cannot_try_codes_while_the_account_is_locked(headteacher):
    device = authenticator_for(headteacher)
    client = password_only_client(headteacher)
    fail(Client(), 5)

    response = client.post(VERIFY, {"code": code_now(device)})

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session

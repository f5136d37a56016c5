"""Two-factor authentication for every member of staff: set up on first sign-in, a code at every sign-in after,
recovery codes for a lost phone."""

from __future__ import annotations

import re
from base64 import b32decode
from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.test import Client, RequestFactory
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.forms import CODE_HINT
from accounts.middleware import OTPRequiredMiddleware
from accounts.tests.helpers import (
    PASSWORD,
    authenticator_for,
    code_now,
    is_verified,
    password_only_client,
    wrong_code,
)
from conftest import client_for
from schools.access import SESSION_SCHOOL_KEY
from schools.models import Membership, Role
from testsupport.factories import UserFactory

pytestmark = pytest.mark.django_db

PERSONAS = ["headteacher", "pastoral_lead", "senco", "teacher", "office", "governor"]
ENROL = reverse("accounts:enrol")
VERIFY = reverse("accounts:verify")
RECOVER = reverse("accounts:recover")
RECOVERY_CODES = reverse("accounts:recovery_codes")


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def enrol(client: Client, next_page: str = "") -> tuple[TOTPDevice, list[str]]:
    """Set up an authenticator app through the pages; returns the device and the recovery codes shown."""
    query = f"?next={next_page}" if next_page else ""
    client.get(ENROL + query)
    device = TOTPDevice.objects.filter(confirmed=False).latest("pk")
    response = client.post(ENROL, {"code": code_now(device), "next": next_page}, follow=True)
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", response.text)
    return device, codes


# --- Enforcement: every page needs a code ----------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_role_signed_in_with_only_a_password_is_sent_to_set_up_two_factor_authentication(persona, request):
    client = password_only_client(request.getfixturevalue(persona))

    response = client.get("/pupils/")

    assert response.status_code == 302
    assert response["Location"] == f"{ENROL}?next=%2Fpupils%2F"


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_role_with_an_app_set_up_is_asked_for_a_code_before_any_page(persona, request):
    user = request.getfixturevalue(persona)
    authenticator_for(user)
    client = password_only_client(user)

    for url in ("/", "/pupils/", "/figures/", "/school/calendar/", "/school/switch/"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(VERIFY), url


def test_a_form_posted_before_the_code_is_not_acted_on(headteacher, school, other_school):
    Membership.objects.create(user=headteacher, school=other_school, role=Role.HEADTEACHER)
    authenticator_for(headteacher)
    client = password_only_client(headteacher)

    response = client.post(reverse("schools:switch"), {"school": other_school.pk})

    assert response["Location"].startswith(VERIFY)
    assert client.session.get(SESSION_SCHOOL_KEY) != other_school.pk


def test_a_superuser_needs_a_code_too(db):
    admin = UserFactory(username="admin", is_superuser=True, is_staff=True)
    authenticator_for(admin)

    response = password_only_client(admin).get(reverse("admin:index"))

    assert response["Location"].startswith(VERIFY)


def test_sign_in_sign_out_the_health_check_and_the_two_factor_pages_open_before_a_code(headteacher):
    client = password_only_client(headteacher)

    assert client.get(reverse("healthz")).status_code == 200
    assert client.get(ENROL).status_code == 200
    assert client.get(reverse("login"))["Location"] == ENROL  # the password is done: on to the next step
    assert client.post(reverse("logout"))["Location"] == reverse("login")
    assert "_auth_user_id" not in client.session


def test_static_files_are_not_held_back_by_two_factor_authentication(headteacher):
    request = RequestFactory().get("/static/css/app.css")
    request.user = headteacher
    headteacher.is_verified = lambda: False
    request.resolver_match = None

    middleware = OTPRequiredMiddleware(lambda r: None)

    assert middleware.process_view(request, lambda r: None, (), {}) is None


def test_a_verified_session_opens_pages_as_before(headteacher):
    assert client_for(headteacher).get("/pupils/").status_code == 200


def test_removing_a_users_app_ends_their_verified_sessions(headteacher):
    client = client_for(headteacher)
    TOTPDevice.objects.filter(user=headteacher).delete()

    response = client.get("/pupils/")

    assert response["Location"].startswith(ENROL)


def test_an_unconfirmed_app_does_not_count_as_set_up(headteacher):
    device = authenticator_for(headteacher, confirmed=False)
    client = password_only_client(headteacher)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()

    assert client.get("/pupils/")["Location"].startswith(ENROL)


# --- Setting up an authenticator app ---------------------------------------------------------------------------


def test_the_set_up_page_shows_a_qr_code_the_secret_in_groups_of_four_and_asks_for_the_code(headteacher):
    response = password_only_client(headteacher).get(ENROL)

    html = response.text
    device = TOTPDevice.objects.get(user=headteacher)
    assert response.status_code == 200
    assert not device.confirmed
    assert html.count("<h1") == 1
    assert "Set up two-factor authentication" in html
    svg = re.search(r"<svg.*?</svg>", html, re.S)
    assert svg is not None
    assert "style=" not in svg.group(0)
    assert 'role="img"' in svg.group(0)
    assert "aria-label=" in svg.group(0)
    secret = re.search(r'<code class="secret-key">([A-Z2-7 ]+)</code>', html).group(1)
    assert all(len(group) == 4 for group in secret.split(" "))
    assert b32decode(secret.replace(" ", "")).hex() == device.key
    assert 'inputmode="numeric"' in html
    assert 'autocomplete="one-time-code"' in html
    assert CODE_HINT in html
    assert re.search(r'<label class="label" for="id_code">\s*Security code', html)
    assert "Pupils</a>" not in html  # no navigation before the code


def test_reloading_the_set_up_page_keeps_the_same_secret(headteacher):
    client = password_only_client(headteacher)

    first = client.get(ENROL).text
    second = client.get(ENROL).text

    assert TOTPDevice.objects.filter(user=headteacher).count() == 1
    assert re.search(r'secret-key">(.*?)<', first).group(1) == re.search(r'secret-key">(.*?)<', second).group(1)


def test_the_right_code_sets_up_the_app_makes_ten_recovery_codes_and_signs_the_user_in(headteacher):
    client = password_only_client(headteacher)
    client.get(ENROL)
    device = TOTPDevice.objects.get(user=headteacher)

    response = client.post(ENROL, {"code": code_now(device), "next": "/pupils/"})

    assert response.status_code == 302
    assert response["Location"] == f"{RECOVERY_CODES}?next=%2Fpupils%2F"
    device.refresh_from_db()
    assert device.confirmed
    assert StaticToken.objects.filter(device__user=headteacher).count() == 10
    assert is_verified(client)


def test_the_recovery_codes_are_shown_once_with_a_warning_to_keep_them_safe(headteacher):
    client = password_only_client(headteacher)
    client.get(ENROL)
    device = TOTPDevice.objects.get(user=headteacher)
    client.post(ENROL, {"code": code_now(device), "next": "/pupils/"})

    first = client.get(f"{RECOVERY_CODES}?next=/pupils/").text
    again = client.get(f"{RECOVERY_CODES}?next=/pupils/").text

    shown = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", first)
    assert sorted(shown) == sorted(StaticToken.objects.filter(device__user=headteacher).values_list("token", flat=True))
    assert "Keep these codes safe. They are shown only once." in first
    assert "Two-factor authentication is set up." in first
    assert 'href="/pupils/" class="button">Continue' in first
    assert re.findall(r"<li><code>", again) == []
    assert "You have 10 unused recovery codes." in again


def test_a_code_typed_with_a_space_is_accepted(headteacher):
    client = password_only_client(headteacher)
    client.get(ENROL)
    code = code_now(TOTPDevice.objects.get(user=headteacher))

    client.post(ENROL, {"code": f"{code[:3]} {code[3:]}"})

    assert TOTPDevice.objects.get(user=headteacher).confirmed


def test_a_wrong_code_confirms_nothing_and_says_so_beside_the_field_and_in_the_summary(headteacher):
    client = password_only_client(headteacher)
    client.get(ENROL)
    device = TOTPDevice.objects.get(user=headteacher)

    response = client.post(ENROL, {"code": wrong_code(device)})

    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert response.text.count("The code is not right.") == 2  # in the summary and beside the field
    assert f'value="{wrong_code(device)}"' in response.text
    assert 'aria-invalid="true"' in response.text
    device.refresh_from_db()
    assert not device.confirmed
    assert not StaticDevice.objects.filter(user=headteacher).exists()
    assert not is_verified(client)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Enter the 6-digit code from your authenticator app"),
        ("12345", "for example 123456"),
        ("12345a", "for example 123456"),
        ("1234567", "for example 123456"),
    ],
)
def test_a_missing_or_malformed_code_says_what_to_enter(headteacher, typed, message):
    client = password_only_client(headteacher)
    client.get(ENROL)

    response = client.post(ENROL, {"code": typed})

    assert response.status_code == 200
    assert message in response.text
    assert not TOTPDevice.objects.get(user=headteacher).confirmed


def test_a_second_try_straight_after_a_wrong_code_is_asked_to_wait(headteacher, frozen_time):
    client = password_only_client(headteacher)
    client.get(ENROL)
    device = TOTPDevice.objects.get(user=headteacher)
    client.post(ENROL, {"code": wrong_code(device)})

    too_soon = client.post(ENROL, {"code": code_now(device)})
    frozen_time.shift(timedelta(seconds=2))
    later = client.post(ENROL, {"code": code_now(device)})

    assert "Wait 1 second, then enter the code again" in too_soon.text
    assert later.status_code == 302
    assert TOTPDevice.objects.get(user=headteacher).confirmed


def test_a_user_with_an_app_cannot_set_up_another_before_entering_a_code(headteacher):
    device = authenticator_for(headteacher)
    client = password_only_client(headteacher)

    response = client.get(f"{ENROL}?next=/pupils/")
    client.post(ENROL, {"code": "123456"})

    assert response["Location"] == f"{VERIFY}?next=%2Fpupils%2F"
    assert list(TOTPDevice.objects.filter(user=headteacher)) == [device]


def test_a_verified_user_can_replace_their_app_and_the_old_one_stops_working(headteacher):
    client = client_for(headteacher)
    old = TOTPDevice.objects.get(user=headteacher)

    new, codes = enrol(client)

    assert list(TOTPDevice.objects.filter(user=headteacher)) == [new]
    assert new.pk != old.pk
    assert len(codes) == 10


# --- A code at every sign-in -----------------------------------------------------------------------------------


def test_the_right_code_signs_the_user_in_and_returns_to_the_page_they_asked_for(headteacher, frozen_time):
    device = authenticator_for(headteacher)
    client = password_only_client(headteacher)

    page = client.get(f"{VERIFY}?next=/pupils/")
    response = client.post(VERIFY, {"code": code_now(device), "next": "/pupils/"})

    assert page.status_code == 200
    assert "Enter your security code" in page.text
    assert CODE_HINT in page.text
    assert 'autocomplete="one-time-code"' in page.text
    assert response.status_code == 302
    assert response["Location"] == "/pupils/"
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert is_verified(client)


def test_the_whole_sign_in_from_the_password_to_the_page(headteacher):
    device = authenticator_for(headteacher)
    client = Client()

    to_code = client.post(reverse("login"), {"username": "head", "password": PASSWORD, "next": "/pupils/"})
    to_page = client.post(to_code["Location"], {"code": code_now(device), "next": "/pupils/"})

    assert to_code["Location"] == f"{VERIFY}?next=%2Fpupils%2F"
    assert to_page["Location"] == "/pupils/"
    assert client.get("/pupils/").status_code == 200


def test_a_code_works_only_once(headteacher, frozen_time):
    device = authenticator_for(headteacher)
    first, second = password_only_client(headteacher), password_only_client(headteacher)
    code = code_now(device)

    first.post(VERIFY, {"code": code})
    frozen_time.shift(timedelta(seconds=5))  # the same 30-second window, past the wait after a wrong code
    response = second.post(VERIFY, {"code": code})

    assert is_verified(first)
    assert "The code is not right." in response.text
    assert not is_verified(second)


def test_a_code_is_refused_after_signing_out_and_in_again_without_one(headteacher):
    device = authenticator_for(headteacher)
    client = password_only_client(headteacher)
    client.post(VERIFY, {"code": code_now(device)})
    client.post(reverse("logout"))

    client.post(reverse("login"), {"username": "head", "password": PASSWORD})

    assert not is_verified(client)


def test_a_wrong_code_is_refused_with_a_message(headteacher):
    device = authenticator_for(headteacher)
    client = password_only_client(headteacher)

    response = client.post(VERIFY, {"code": wrong_code(device), "next": "/pupils/"})

    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert "The code is not right." in response.text
    assert 'name="next" value="/pupils/"' in response.text
    assert not is_verified(client)


def test_the_code_page_never_sends_the_user_to_another_site(headteacher):
    device = authenticator_for(headteacher)
    client = password_only_client(headteacher)

    response = client.post(VERIFY, {"code": code_now(device), "next": "https://evil.example/"})

    assert response["Location"] == reverse("dashboard:home")


def test_a_verified_user_opening_the_code_page_goes_straight_on(headteacher):
    response = client_for(headteacher).get(f"{VERIFY}?next=/pupils/")

    assert response["Location"] == "/pupils/"


def test_a_user_without_an_app_opening_the_code_page_is_sent_to_set_one_up(headteacher):
    response = password_only_client(headteacher).get(f"{VERIFY}?next=/pupils/")

    assert response["Location"] == f"{ENROL}?next=%2Fpupils%2F"


def test_five_wrong_codes_in_one_session_sign_the_user_out(headteacher, frozen_time):
    device = authenticator_for(headteacher)
    client = password_only_client(headteacher)
    for _ in range(4):
        assert client.post(VERIFY, {"code": wrong_code(device)}).status_code == 200
        frozen_time.shift(timedelta(seconds=60))

    response = client.post(VERIFY, {"code": wrong_code(device)})

    assert response.status_code == 429
    assert "You cannot sign in for 15 minutes" in response.text
    assert "_auth_user_id" not in client.session


def test_four_wrong_codes_then_the_right_one_signs_the_user_in(headteacher, frozen_time):
    device = authenticator_for(headteacher)
    client = password_only_client(headteacher)
    for _ in range(4):
        client.post(VERIFY, {"code": wrong_code(device)})
        frozen_time.shift(timedelta(seconds=60))

    response = client.post(VERIFY, {"code": code_now(device), "next": "/pupils/"})

    assert response["Location"] == "/pupils/"
    assert is_verified(client)


# --- Recovery codes --------------------------------------------------------------------------------------------


def test_the_code_page_links_to_using_a_recovery_code_keeping_the_next_page(headteacher):
    authenticator_for(headteacher)

    html = password_only_client(headteacher).get(f"{VERIFY}?next=/pupils/").text

    assert f'<a href="{RECOVER}?next=/pupils/">Use a recovery code</a>' in html


def test_a_recovery_code_signs_the_user_in_once_and_says_how_many_are_left(headteacher, frozen_time):
    client = password_only_client(headteacher)
    _device, codes = enrol(client)
    client.post(reverse("logout"))
    client.force_login(headteacher)

    page = client.get(f"{RECOVER}?next=/pupils/")
    response = client.post(RECOVER, {"code": codes[0].upper(), "next": "/pupils/"})

    assert page.status_code == 200
    assert "Enter a recovery code" in page.text
    assert response["Location"] == f"{RECOVERY_CODES}?next=%2Fpupils%2F"
    assert "You have 9 recovery codes left." in " ".join(messages_of(response))
    assert is_verified(client)
    assert StaticToken.objects.filter(device__user=headteacher).count() == 9

    other = password_only_client(headteacher)
    frozen_time.shift(timedelta(seconds=5))
    again = other.post(RECOVER, {"code": codes[0]})
    assert "That recovery code is not right, or it has already been used." in again.text
    assert not is_verified(other)


@pytest.mark.parametrize(("typed", "message"), [("", "Enter one of your recovery codes"), ("abc", "8 letters")])
def test_a_missing_or_malformed_recovery_code_says_what_to_enter(headteacher, typed, message):
    authenticator_for(headteacher)

    response = password_only_client(headteacher).post(RECOVER, {"code": typed})

    assert response.status_code == 200
    assert message in response.text


def test_making_new_recovery_codes_stops_the_old_ones_working(headteacher, frozen_time):
    client = password_only_client(headteacher)
    _device, old_codes = enrol(client)

    response = client.post(RECOVERY_CODES, {"next": "/pupils/"}, follow=True)

    new_codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", response.text)
    assert len(new_codes) == 10
    assert not set(new_codes) & set(old_codes)
    assert "Your old recovery codes no longer work." in response.text
    other = password_only_client(headteacher)
    assert "not right" in other.post(RECOVER, {"code": old_codes[1]}).text
    frozen_time.shift(timedelta(seconds=5))
    other.post(RECOVER, {"code": new_codes[1]})
    assert is_verified(other)


def test_the_recovery_codes_page_needs_a_code_first(headteacher):
    authenticator_for(headteacher)

    response = password_only_client(headteacher).get(RECOVERY_CODES)

    assert response["Location"].startswith(VERIFY)

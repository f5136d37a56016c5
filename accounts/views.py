"""Signing in: the password, then two-factor authentication (set up the first time, a code every time after).

These pages come before any school is chosen and show no school data, so they do not go through
schools/access.py; they only ever act on the signed-in user's own devices.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import Any

import django_otp
import qrcode
import qrcode.image.svg
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import services
from accounts.forms import CODE_WRONG, RECOVERY_WRONG, CodeForm, RecoveryCodeForm, wait_message
from accounts.navigation import next_url, with_next
from reintegrate.forms import LoginForm

WRONG_CODES_SESSION_KEY = "accounts_wrong_codes"
NEW_RECOVERY_CODES_SESSION_KEY = "accounts_new_recovery_codes"

SIGNED_OUT_AFTER_WRONG_CODES = (
    "You entered a wrong code too many times, so you have been signed out. "
    "Sign in again in 15 minutes, or ask your headteacher for help."
)
SET_UP_DONE = "Two-factor authentication is set up. You will need a code from your app each time you sign in."
NEW_CODES_DONE = "You have 10 new recovery codes. Your old recovery codes no longer work."

QR_LABEL = "QR code to scan with your authenticator app"

# The two-factor pages show no navigation: the user has no school pages until they have entered a code.
NO_NAVIGATION: dict[str, Any] = {"access": None, "can": set(), "memberships": []}


class SignInView(auth_views.LoginView):
    """The password step. A correct password leads straight on to the code (or to setting up the app)."""

    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_success_url(self) -> str:
        url = super().get_success_url()
        user = self.request.user
        if getattr(user, "is_verified", None) and user.is_verified():  # type: ignore[union-attr]
            return url
        return with_next("accounts:verify" if services.has_authenticator(user) else "accounts:enrol", url)


def locked_out(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    """django-axes' lockout page (AXES_LOCKOUT_CALLABLE): 5 failed sign-ins for one user name and address."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "accounts/locked_out.html", {"minutes": minutes, **NO_NAVIGATION}, status=429)


@never_cache
@require_http_methods(["GET", "POST"])
def enrol(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app: scan the QR code (or type the secret), then enter the code it shows."""
    user = _user(request)
    next_page = next_url(request)
    # Before a code, only a user with no app may set one up; once past a code, a user may replace their app (a new
    # phone). The old app keeps working until the new one is confirmed.
    if not request.user.is_verified() and services.has_authenticator(user):  # type: ignore[union-attr]
        return redirect(with_next("accounts:verify", next_page))
    device = services.authenticator_start(user=user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        wait = services.seconds_to_wait(user=user, device_class=TOTPDevice)
        if wait:
            _add_error(form, wait_message(wait))
        else:
            codes = services.authenticator_confirm(user=user, device=device, token=form.cleaned_data["code"])
            if codes is None:
                _add_error(form, CODE_WRONG)
            else:
                _verified(request, device)
                request.session[NEW_RECOVERY_CODES_SESSION_KEY] = codes
                messages.success(request, SET_UP_DONE)
                return redirect(with_next("accounts:recovery_codes", next_page))
    return render(
        request,
        "accounts/enrol.html",
        {
            "form": form,
            "next": next_page,
            "qr_code": _qr_code(device.config_url),
            "secret": services.secret_for_typing(device),
            **NO_NAVIGATION,
        },
    )


def _second_step(
    request: HttpRequest,
    *,
    form_class: type[CodeForm] | type[RecoveryCodeForm],
    device_class: type[TOTPDevice] | type[StaticDevice],
    check: Callable[..., Any],
    wrong: str,
    template: str,
    on_success: Callable[[HttpRequest, Any, str], HttpResponse],
) -> HttpResponse:
    """The second step of signing in, with an app code or a recovery code: the same checks either way."""
    user = _user(request)
    next_page = next_url(request)
    if request.user.is_verified():  # type: ignore[union-attr]
        return redirect(next_page)
    if not services.has_authenticator(user):
        return redirect(with_next("accounts:enrol", next_page))
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        refused = _refuse_if_locked(request, user)
        if refused:
            return refused
        wait = services.seconds_to_wait(user=user, device_class=device_class)
        if wait:
            _add_error(form, wait_message(wait))
        else:
            device = check(user, form.cleaned_data["code"])
            if device is not None:
                _verified(request, device)
                return on_success(request, user, next_page)
            signed_out = _wrong_code(request, user)
            if signed_out:
                return signed_out
            _add_error(form, wrong)
    return render(request, template, {"form": form, "next": next_page, **NO_NAVIGATION})


@never_cache
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """The code from the authenticator app, at every sign-in."""
    return _second_step(
        request,
        form_class=CodeForm,
        device_class=TOTPDevice,
        check=lambda user, code: services.authenticator_verify(user=user, token=code),
        wrong=CODE_WRONG,
        template="accounts/verify.html",
        on_success=lambda request, user, next_page: redirect(next_page),
    )


def _after_recovery_code(request: HttpRequest, user: Any, next_page: str) -> HttpResponse:
    left = services.recovery_codes_left(user=user)
    messages.warning(
        request,
        f"You signed in with a recovery code, which now no longer works. "
        f"You have {left} recovery code{'' if left == 1 else 's'} left.",
    )
    return redirect(with_next("accounts:recovery_codes", next_page))


@never_cache
@require_http_methods(["GET", "POST"])
def recover(request: HttpRequest) -> HttpResponse:
    """A one-time recovery code, for when the authenticator app is not to hand."""
    return _second_step(
        request,
        form_class=RecoveryCodeForm,
        device_class=StaticDevice,
        check=lambda user, code: services.recovery_code_use(user=user, code=code),
        wrong=RECOVERY_WRONG,
        template="accounts/recover.html",
        on_success=_after_recovery_code,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """New recovery codes, shown once; or how many are left, with a button to make new ones."""
    user = _user(request)
    next_page = next_url(request)
    if request.method == "POST":
        request.session[NEW_RECOVERY_CODES_SESSION_KEY] = services.recovery_codes_create(user=user)
        messages.success(request, NEW_CODES_DONE)
        return redirect(with_next("accounts:recovery_codes", next_page))
    codes = request.session.pop(NEW_RECOVERY_CODES_SESSION_KEY, None)
    return render(
        request,
        "accounts/recovery_codes.html",
        {
            "codes": codes,
            "left": services.recovery_codes_left(user=user),
            "has_authenticator": services.has_authenticator(user),
            "next": next_page,
        },
    )


# --- Helpers --------------------------------------------------------------------------------------------------


def _user(request: HttpRequest) -> AbstractBaseUser:
    user = request.user
    assert isinstance(user, AbstractBaseUser)  # LoginRequiredMiddleware has sent anonymous visitors to sign in
    return user


def _add_error(form: CodeForm | RecoveryCodeForm, message: str) -> None:
    form.add_error("code", message)
    form.mark_errors()


def _verified(request: HttpRequest, device: Device) -> None:
    """Mark the session as past two-factor authentication (with a new session key, against fixation)."""
    request.session.cycle_key()
    django_otp.login(request, device)
    request.session.pop(WRONG_CODES_SESSION_KEY, None)


def _credentials(user: AbstractBaseUser) -> dict[str, str]:
    return {"username": user.get_username()}  # the sign-in form's field, as django-axes reads it


def _refuse_if_locked(request: HttpRequest, user: AbstractBaseUser) -> HttpResponse | None:
    """While the user name and address are locked out, no code is checked: the user is signed out."""
    credentials = _credentials(user)
    if not AxesProxyHandler.is_locked(request, credentials):
        return None
    logout(request)
    return get_lockout_response(request, None, credentials)


def _wrong_code(request: HttpRequest, user: AbstractBaseUser) -> HttpResponse | None:
    """A wrong code counts as a failed sign-in for django-axes (so 5 lock the user name and address for 15
    minutes), and 5 in one session sign the user out. Returns the response when the user is signed out."""
    wrong = int(request.session.get(WRONG_CODES_SESSION_KEY, 0)) + 1
    request.session[WRONG_CODES_SESSION_KEY] = wrong
    credentials = _credentials(user)
    user_login_failed.send(sender=__name__, credentials=credentials, request=request)
    if wrong < settings.OTP_WRONG_CODE_LIMIT and not getattr(request, "axes_locked_out", False):
        return None
    logout(request)
    messages.error(request, SIGNED_OUT_AFTER_WRONG_CODES)
    # When django-axes has locked the user name and address, its middleware turns this into the lockout page.
    return redirect("login")


def _qr_code(config_url: str) -> SafeString:
    """The otpauth:// URL as a QR code: inline SVG markup, generated from the URL alone (no user input). The
    content security policy blocks style attributes, so an SVG carrying one is shown as an image instead."""
    image = qrcode.make(config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=4)
    svg = image.to_string(encoding="unicode")
    if "style=" in svg:
        data = base64.b64encode(svg.encode()).decode("ascii")
        return format_html('<img src="data:image/svg+xml;base64,{}" alt="{}" class="qr-code">', data, QR_LABEL)
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="{QR_LABEL}" class="qr-code" ', 1)
    return mark_safe(svg)  # noqa: S308 - markup generated by qrcode from our own otpauth:// URL

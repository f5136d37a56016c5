"""Two-factor authentication: setting up an authenticator app, recovery codes, and checking codes.

Every member of staff signs in with a password and then a 6-digit code from an authenticator app (TOTP,
RFC 6238, through django_otp.plugins.otp_totp). On setting the app up they get ten one-time recovery codes
(django_otp.plugins.otp_static) for the day the phone is lost. django_otp throttles each device: after a wrong
code the next try must wait 1, 2, 4, 8 ... seconds, and that count survives signing out.
"""

from __future__ import annotations

import math
from base64 import b32encode

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction
from django.utils import timezone
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

RECOVERY_CODE_COUNT = 10
AUTHENTICATOR_NAME = "Authenticator app"
RECOVERY_CODES_NAME = "Recovery codes"

AnyUser = AbstractBaseUser | AnonymousUser


def has_authenticator(user: AnyUser) -> bool:
    """Whether the user has set up an authenticator app (a confirmed TOTP device)."""
    if not user.is_authenticated:
        return False
    return TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).exists()


def authenticator_start(*, user: AbstractBaseUser) -> TOTPDevice:
    """The authenticator app being set up: a new secret the first time, then the same one until it is confirmed,
    so a QR code scanned before a reload still works."""
    device = TOTPDevice.objects.filter(user_id=user.pk, confirmed=False).order_by("-pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user_id=user.pk, name=AUTHENTICATOR_NAME, confirmed=False)
    return device


@transaction.atomic
def authenticator_confirm(*, user: AbstractBaseUser, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirm the app being set up if `token` is its current code: the app replaces any older one, and the
    user gets ten new recovery codes, returned here (the only time they are shown). None if the code is wrong;
    nothing is confirmed then, but the wrong try counts towards the device's throttling."""
    locked = TOTPDevice.objects.select_for_update().filter(pk=device.pk, user_id=user.pk, confirmed=False).first()
    if locked is None or not locked.verify_token(token):
        return None
    locked.confirmed = True
    locked.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user_id=user.pk).exclude(pk=locked.pk).delete()
    device.refresh_from_db()
    return recovery_codes_create(user=user)


@transaction.atomic
def recovery_codes_create(*, user: AbstractBaseUser) -> list[str]:
    """Ten new one-time recovery codes; any older codes stop working."""
    StaticDevice.objects.filter(user_id=user.pk).delete()
    device = StaticDevice.objects.create(user_id=user.pk, name=RECOVERY_CODES_NAME, confirmed=True)
    codes: list[str] = []
    while len(codes) < RECOVERY_CODE_COUNT:
        code = StaticToken.random_token()
        if code not in codes:
            codes.append(code)
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def recovery_codes_left(*, user: AbstractBaseUser) -> int:
    return StaticToken.objects.filter(device__user_id=user.pk, device__confirmed=True).count()


@transaction.atomic
def authenticator_verify(*, user: AbstractBaseUser, token: str) -> TOTPDevice | None:
    """The user's authenticator app if `token` is its current code (each code works once), else None."""
    device = TOTPDevice.objects.select_for_update().filter(user_id=user.pk, confirmed=True).first()
    if device is not None and device.verify_token(token):
        return device
    return None


@transaction.atomic
def recovery_code_use(*, user: AbstractBaseUser, code: str) -> StaticDevice | None:
    """The user's recovery codes device if `code` is one of their unused codes, which is then used up; else None."""
    device = StaticDevice.objects.select_for_update().filter(user_id=user.pk, confirmed=True).first()
    if device is not None and device.verify_token(normalise_recovery_code(code)):
        return device
    return None


def seconds_to_wait(*, user: AbstractBaseUser, device_class: type[TOTPDevice] | type[StaticDevice]) -> int:
    """How long django_otp's throttling makes the user wait before the next code is checked (0: no wait)."""
    device: Device | None = device_class.objects.filter(user_id=user.pk).order_by("-confirmed", "-pk").first()
    if device is None:
        return 0
    allowed, details = device.verify_is_allowed()
    if allowed or not details or "locked_until" not in details:
        return 0
    return max(1, math.ceil((details["locked_until"] - timezone.now()).total_seconds()))


def normalise_recovery_code(code: str) -> str:
    """Recovery codes are typed in any case, with spaces or hyphens between the groups."""
    return "".join(code.split()).replace("-", "").lower()


def secret_for_typing(device: TOTPDevice) -> str:
    """The secret in base32, in groups of four, for typing into an app that cannot scan the QR code."""
    secret = b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))

"""Test helpers for two-factor authentication: a session signed in with a password only, and current codes."""

from __future__ import annotations

from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

PASSWORD = "correct-horse-battery"  # the factories' password for every fictional member of staff


def password_only_client(user) -> Client:
    """A client signed in with the user's password but no code yet this session."""
    client = Client()
    client.force_login(user)
    return client


def authenticator_for(user, *, confirmed: bool = True) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=confirmed)


def code_now(device: TOTPDevice) -> str:
    """The code the user's authenticator app shows at this (frozen) moment."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"


def wrong_code(device: TOTPDevice) -> str:
    right = int(code_now(device))
    return f"{(right + 500_000) % 1_000_000:06d}"


def is_verified(client: Client) -> bool:
    """Whether the session is past two-factor authentication: the dashboard opens rather than redirecting."""
    return client.get("/pupils/").status_code == 200

"""Shared fixtures: a school with this year's calendar, and the personas every page is tested with.

Personas:
- headteacher, pastoral_lead, senco, teacher, office, governor: staff of Larkfield Academy;
- other_head: the headteacher of another school, who must never see Larkfield's records.

Time is frozen at Wednesday 18 November 2026, 10:00 (autumn term 2026/27) for every test; a test that
needs another day travels there itself.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import AbstractBaseUser
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from schools.models import Role, School
from schools.services import academic_year_create
from testsupport.factories import MembershipFactory, PupilFactory, SchoolFactory

NOW = datetime(2026, 11, 18, 10, 0, tzinfo=ZoneInfo("Europe/London"))


@pytest.fixture(autouse=True)
def frozen_time() -> Iterator[time_machine.Coordinates]:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def fast_password_hashing(settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def school(db) -> School:
    school = SchoolFactory(name="Larkfield Academy", urn="999001")
    academic_year_create(school=school, start_year=2026)
    return school


@pytest.fixture
def other_school(db) -> School:
    school = SchoolFactory(name="Brookside School", urn="999002")
    academic_year_create(school=school, start_year=2026)
    return school


def _staff(school: School, role: str, username: str, **kwargs) -> AbstractBaseUser:
    return MembershipFactory(school=school, role=role, user__username=username, **kwargs).user


@pytest.fixture
def headteacher(school):
    return _staff(school, Role.HEADTEACHER, "head")


@pytest.fixture
def pastoral_lead(school):
    return _staff(school, Role.PASTORAL_LEAD, "pastoral")


@pytest.fixture
def senco(school):
    return _staff(school, Role.SENCO, "senco")


@pytest.fixture
def teacher(school):
    return _staff(school, Role.TEACHER, "teacher")


@pytest.fixture
def office(school):
    return _staff(school, Role.OFFICE, "office")


@pytest.fixture
def governor(school):
    return _staff(school, Role.GOVERNOR, "governor")


@pytest.fixture
def other_head(other_school):
    return _staff(other_school, Role.HEADTEACHER, "otherhead")


@pytest.fixture
def pupil(school):
    return PupilFactory(school=school, legal_first_name="Jordan", legal_last_name="Ashby", year_group="9")


def client_for(user) -> Client:
    """A test client signed in as `user` and past two-factor authentication, as after a correct code.

    The user gets a confirmed authenticator app (a TOTP device) if they have none, and the session records
    that device as the one that verified them (what django_otp.login does after a correct code)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    client = Client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client

"""`manage.py demo_code <username>`: the current two-factor code of a demo account, with DEBUG on only."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from demo import data
from schools.models import Membership, Role
from testsupport.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    data.demo_load(now=timezone.now())


def demo_code(username: str) -> str:
    out = StringIO()
    call_command("demo_code", username, stdout=out)
    return out.getvalue()


def test_it_prints_the_current_code_which_signs_the_demo_account_in(demo, settings):
    settings.DEBUG = True
    client = Client()
    client.post(reverse("login"), {"username": "teacher", "password": data.PASSWORD})

    output = demo_code("teacher")
    code = re.match(r"(\d{6})  \(the code for teacher for the next \d+ seconds\)", output).group(1)
    response = client.post(reverse("accounts:verify"), {"code": code})

    assert response["Location"] == reverse("dashboard:home")


def test_it_refuses_when_debug_is_off(demo, settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="works only with DEBUG on"):
        demo_code("teacher")


def test_it_refuses_an_account_of_a_real_school(demo, school, settings):
    settings.DEBUG = True
    MembershipFactory(school=school, role=Role.HEADTEACHER, user__username="real.head")

    with pytest.raises(CommandError, match=r'"real\.head" is not an account of the demo school'):
        demo_code("real.head")


def test_it_refuses_a_demo_account_that_also_holds_a_role_at_a_real_school(demo, school, settings):
    settings.DEBUG = True
    Membership.objects.create(
        user=Membership.objects.get(user__username="office").user, school=school, role=Role.OFFICE
    )

    with pytest.raises(CommandError, match="not an account of the demo school"):
        demo_code("office")


def test_it_refuses_an_unknown_user_name(demo, settings):
    settings.DEBUG = True

    with pytest.raises(CommandError, match='"nobody" is not an account of the demo school'):
        demo_code("nobody")

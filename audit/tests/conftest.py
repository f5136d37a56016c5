"""Fixtures for the audit trail tests: the data protection officer persona, and a pupil's plan to look at."""

from __future__ import annotations

import pytest

from schools.models import Role
from testsupport.factories import MembershipFactory


@pytest.fixture
def dpo(school):
    return MembershipFactory(
        school=school,
        role=Role.DATA_PROTECTION_OFFICER,
        user__username="dpo",
        user__first_name="Dana",
        user__last_name="Okafor",
    ).user

"""Fixtures for the API tests: a token for each persona's role, and a client that sends it.

    client = api_client(token(headteacher))
    client.get("/api/v1/pupils")

All data is fictional; time is frozen at Wednesday 18/11/2026 10:00 (the root conftest).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from api.services import api_token_create
from schools.models import Membership


def make_token(user: Any, *, role: str | None = None, name: str = "Test sync", school: Any = None) -> str:
    """A token created by `user`, for their school and (by default) their role there. Returns the token itself."""
    membership = Membership.objects.select_related("school").get(user=user)
    _token, raw = api_token_create(
        school=school or membership.school, role=role or membership.role, name=name, created_by=user
    )
    return raw


def api_client(raw_token: str | None) -> Client:
    headers = {"Authorization": f"Bearer {raw_token}"} if raw_token else {}
    return Client(headers=headers)


@pytest.fixture
def token() -> Callable[..., str]:
    return make_token


@pytest.fixture
def head_api(headteacher) -> Client:
    return api_client(make_token(headteacher))

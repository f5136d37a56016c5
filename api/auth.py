"""Token authentication: `Authorization: Bearer <token>`.

A valid token scopes the request to its school and role, exactly as a member of staff with that role is scoped on
the pages: schools.access.get_for() and require() read the request's memberships, which here are the token's one
school and role. So every endpoint runs the same access checks as the pages (404 for another school's record, 403 for
a role without the capability).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

from auditlog.context import set_actor
from django.contrib.auth.models import User
from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from api.models import ApiToken
from api.selectors import active_token
from audit.access import client_address
from schools.access import SESSION_SCHOOL_KEY, SchoolRole

# last_used_at is written at most once a minute per token, so that reading pages of a list does not write each time.
LAST_USED_GRANULARITY = timedelta(minutes=1)


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        api_token = active_token(token.strip())
        if api_token is None:
            return None
        now = timezone.now()
        if api_token.last_used_at is None or now - api_token.last_used_at >= LAST_USED_GRANULARITY:
            ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=now)
            api_token.last_used_at = now
        # The token's school and role are the request's only membership (schools.access.user_memberships reads this).
        request._memberships = [SchoolRole(school=api_token.school, role=api_token.role)]  # type: ignore[attr-defined]
        # A plain dict, not a session: get_for() finds the school already chosen, and nothing is saved or sent back
        # as a cookie (SessionMiddleware leaves a request alone whose session is not a session store).
        request.session = {SESSION_SCHOOL_KEY: api_token.school_id}  # type: ignore[assignment]
        if api_token.created_by is not None:
            # The audit trail's actor for what the token reads and writes: the member of staff who created it.
            request.user = api_token.created_by
        request.api_token = api_token  # type: ignore[attr-defined]
        return api_token


def token_of(request: HttpRequest) -> ApiToken:
    token: Any = getattr(request, "api_token", None)
    assert isinstance(token, ApiToken), "TokenAuth runs before every endpoint."
    return token


def acting_user(request: HttpRequest) -> User | None:
    """The member of staff a write is recorded as made by: the token's creator (None for a token made without one)."""
    return token_of(request).created_by


@contextmanager
def audited_as_token_creator(request: HttpRequest) -> Iterator[None]:
    """Within this block, the audit trail records changes as made by the token's creator, from the client's address."""
    with set_actor(acting_user(request), remote_addr=client_address(request)):
        yield

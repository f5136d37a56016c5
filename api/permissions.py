"""Access helpers the endpoints share, on top of schools.access (which every endpoint calls first)."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from api.auth import acting_user
from schools.access import Access, Can, require

NO_STAFF_FOR_WRITES = (
    "This token was created without naming a member of staff, so it can read but not write: what is written must "
    "be recorded as someone's. Create a token on the API tokens page, or with manage.py api_token create --by."
)


def require_any(request: HttpRequest, *capabilities: Can) -> Access:
    """The school's access, checked for at least one of the capabilities (403 naming the role otherwise)."""
    denied: PermissionDenied | None = None
    for capability in capabilities:
        try:
            return require(request, capability)
        except PermissionDenied as error:
            denied = error
    assert denied is not None
    raise denied


def writer(request: HttpRequest) -> User:
    """The member of staff the token's writes are recorded as made by. 403 for a token made without one."""
    user = acting_user(request)
    if user is None:
        raise PermissionDenied(NO_STAFF_FOR_WRITES)
    return user

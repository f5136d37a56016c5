"""Template context: the school the user is working in, their role and what it allows.

`memberships` lists every school the user may work in: their own roles, and the schools their trust role reaches.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from schools.access import current_access, user_memberships


def current_school(request: HttpRequest) -> dict[str, Any]:
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    access = current_access(request)
    return {
        "access": access,
        "can": {c.value for c in access.allowed} if access else set(),
        "memberships": user_memberships(request),
    }

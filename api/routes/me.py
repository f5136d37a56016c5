"""The token itself: which school and role it acts as, and what that role may do."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from api.auth import token_of
from api.common import READ_ERRORS, staff_name
from api.schemas import MeOut
from schools.access import current_access

router = Router(tags=["Token"])


@router.get("/me", response={200: MeOut, **READ_ERRORS}, summary="The token's school, role and capabilities")
def me_read(request: HttpRequest) -> Any:
    """What this token is: its school, its role and what the role may do. Any valid token may ask."""
    token = token_of(request)
    access = current_access(request)
    assert access is not None, "TokenAuth gives the request its token's school."
    return {
        "token_name": token.name,
        "token_prefix": token.prefix,
        "school": {"id": access.school.pk, "name": access.school.name, "urn": access.school.urn},
        "role": access.role,
        "role_label": access.membership.role_label,
        "capabilities": sorted(str(capability) for capability in access.allowed),
        "acts_for": staff_name(token.created_by),
    }

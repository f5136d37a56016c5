"""The Django admin, for superusers only, and only after two-factor authentication.

django_otp's OTPAdminSite refuses users who have not entered a code this session; this site also refuses
staff who are not superusers. A signed-in user the admin refuses gets 403 (never the admin's own sign-in
form, which would ask for a password again and could loop back to the main sign-in page).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import update_wrapper
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django_otp.admin import OTPAdminSite


class ReintegrateAdminSite(OTPAdminSite):
    def has_permission(self, request: HttpRequest) -> bool:
        return bool(super().has_permission(request) and request.user.is_superuser)

    def admin_view(self, view: Callable[..., Any], cacheable: bool = False) -> Callable[..., Any]:
        inner = super().admin_view(view, cacheable)

        def refuse_signed_in_staff(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.user.is_authenticated and not self.has_permission(request):
                raise PermissionDenied
            return inner(request, *args, **kwargs)

        return update_wrapper(refuse_signed_in_staff, inner)

"""Two-factor authentication for every page: a signed-in user who has not yet entered a code this session is
sent to enter one (or, the first time, to set up an authenticator app), then back to the page they asked for."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from accounts import services
from accounts.navigation import with_next

# The pages a signed-in user may open before entering a code: signing in and out, the health check, and the
# two-factor pages themselves.
OPEN_BEFORE_CODE = frozenset({"login", "logout", "healthz", "accounts:enrol", "accounts:verify", "accounts:recover"})


class OTPRequiredMiddleware:
    """Must come after django_otp's OTPMiddleware (which sets request.user.is_verified) and Django's
    LoginRequiredMiddleware (which sends anonymous visitors to the sign-in page)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.static_prefix = "/" + settings.STATIC_URL.lstrip("/")

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., Any], view_args: Any, view_kwargs: Any
    ) -> HttpResponse | None:
        user = request.user
        if not user.is_authenticated or user.is_verified():  # type: ignore[attr-defined]
            return None
        if request.path_info.startswith(self.static_prefix):
            return None
        match = request.resolver_match
        if match is not None and match.view_name in OPEN_BEFORE_CODE:
            return None
        step = "accounts:verify" if services.has_authenticator(user) else "accounts:enrol"
        return redirect(with_next(step, request.get_full_path()))

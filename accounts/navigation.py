"""Where to go after two-factor authentication: the `next` page, kept safe through every step."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme


def next_url(request: HttpRequest) -> str:
    """The page to return to: `next` from the form or query string if it is on this site, else the dashboard."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def with_next(view_name: str, next_page: str) -> str:
    """The URL of `view_name` carrying `next_page` (left off when it is the dashboard, the default anyway)."""
    url = reverse(view_name)
    if next_page and next_page != resolve_url(settings.LOGIN_REDIRECT_URL):
        url = f"{url}?{urlencode({'next': next_page})}"
    return url

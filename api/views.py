"""The API tokens page: a school's tokens, creating one (shown once), and revoking one. For headteachers and senior
leaders (manage_settings). Also the API's index at /api/; the JSON API itself is in api.api."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from api.forms import ApiTokenForm
from api.models import ApiToken
from api.selectors import school_tokens
from api.services import ALREADY_REVOKED, api_token_create, api_token_revoke
from schools.access import Can, get_for, require

REVOKED = "API token '{name}' revoked. Anything still using it is refused from now on."
SHOWN_ONCE = (
    "The API token '{name}' was shown once, when it was created, and cannot be shown again. "
    "If it was not copied, revoke it and create another."
)


@login_not_required
@require_GET
def api_index_view(request: HttpRequest) -> HttpResponse:
    """/api/: where the API and its description are. Public: it holds no data."""
    return JsonResponse(
        {
            "name": "Reintegrate API",
            "versions": {"1": request.build_absolute_uri("/api/v1/")},
            "openapi": request.build_absolute_uri("/api/openapi.json"),
            "authentication": "Authorization: Bearer <token> (a school's headteacher creates tokens at /api/tokens/)",
        }
    )


def _staff_user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User), "LoginRequiredMiddleware lets only signed-in staff through."
    return user


@require_GET
def token_list_view(request: HttpRequest) -> HttpResponse:
    access = require(request, Can.MANAGE_SETTINGS)
    return render(
        request,
        "api/tokens.html",
        {"nav": "settings", "school": access.school, "tokens": list(school_tokens(access.school))},
    )


@require_http_methods(["GET", "POST"])
def token_create_view(request: HttpRequest) -> HttpResponse:
    access = require(request, Can.MANAGE_SETTINGS)
    form = ApiTokenForm(request.POST if request.method == "POST" else None, creator_role=access.role)
    if request.method == "POST" and form.is_valid():
        try:
            token, raw = api_token_create(
                school=access.school,
                role=form.cleaned_data["role"],
                name=form.cleaned_data["name"],
                created_by=_staff_user(request),
                creator_role=access.role,
            )
        except ValidationError as error:
            form.apply_service_errors(error)
        else:
            # Shown once, on the next page: kept in the session only until that page has read it.
            request.session[_shown_once_key(token.pk)] = raw
            return redirect("api_tokens:created", pk=token.pk)
    return render(request, "api/token_form.html", {"nav": "settings", "school": access.school, "form": form})


def _shown_once_key(pk: int) -> str:
    return f"api_token_shown_once_{pk}"


@require_GET
def token_created_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The new token, once: the session gives it up as the page reads it, so a reload or going back cannot show it."""
    token, _access = get_for(request, ApiToken.objects.select_related("school"), Can.MANAGE_SETTINGS, pk=pk)
    raw = request.session.pop(_shown_once_key(token.pk), None)
    if raw is None:
        messages.warning(request, SHOWN_ONCE.format(name=token.name))
        return redirect("api_tokens:list")
    response = render(request, "api/token_created.html", {"nav": "settings", "token": token, "raw": raw})
    response["Cache-Control"] = "no-store"  # never from a cache either
    return response


@require_http_methods(["GET", "POST"])
def token_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    token, _access = get_for(request, ApiToken.objects.select_related("created_by"), Can.MANAGE_SETTINGS, pk=pk)
    if token.is_revoked:
        messages.warning(request, ALREADY_REVOKED)
        return redirect("api_tokens:list")
    if request.method == "POST":
        try:
            api_token_revoke(token=token, revoked_by=_staff_user(request), now=timezone.now())
        except ValidationError as error:  # revoked by someone else a moment ago
            messages.warning(request, " ".join(error.messages))
        else:
            messages.success(request, REVOKED.format(name=token.name))
        return redirect("api_tokens:list")
    return render(request, "api/token_revoke.html", {"nav": "settings", "token": token})

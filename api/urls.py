"""The API (namespace "api-v1": /api/openapi.json and /api/v1/...) and the pages that manage API tokens."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.urls import URLPattern, URLResolver, include, path

from api import views
from api.api import api


def _token_authenticated(patterns: list[URLPattern | URLResolver]) -> list[URLPattern | URLResolver]:
    """The API's routes skip the sign-in page (LoginRequiredMiddleware): a token authenticates each request instead,
    and a request without one gets 401. The OpenAPI document is public: it describes the API and holds no data.
    ninja's root route (which it reverses to find the API's address) answers with the API's index instead of a 404."""
    routes: list[URLPattern | URLResolver] = []
    for pattern in patterns:
        if isinstance(pattern, URLPattern) and pattern.name == "api-root":
            routes.append(path("", views.api_index_view, name="api-root"))
            continue
        if isinstance(pattern, URLPattern):
            login_not_required(pattern.callback)
        routes.append(pattern)
    return routes


ninja_patterns, ninja_app, ninja_namespace = api.urls

token_pages: list[URLPattern | URLResolver] = [
    path("", views.token_list_view, name="list"),
    path("new/", views.token_create_view, name="create"),
    path("<int:pk>/", views.token_created_view, name="created"),
    path("<int:pk>/revoke/", views.token_revoke_view, name="revoke"),
]

urlpatterns: list[URLPattern | URLResolver] = [
    path("tokens/", include((token_pages, "api_tokens"))),
    path("", include((_token_authenticated(ninja_patterns), ninja_app), namespace=ninja_namespace)),
]

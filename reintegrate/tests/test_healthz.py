"""GET /healthz: a load balancer's question "is the app up and can it reach its database?"."""

from __future__ import annotations

from unittest import mock

import pytest
from django.db import OperationalError, connection
from django.test import Client
from django.urls import reverse


@pytest.fixture
def anonymous() -> Client:
    return Client()


def test_the_health_check_lives_at_slash_healthz():
    assert reverse("healthz") == "/healthz"


@pytest.mark.django_db
def test_the_health_check_says_ok_when_the_database_answers(anonymous):
    response = anonymous.get("/healthz")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok", "database": "ok"}


@pytest.mark.django_db
def test_the_health_check_needs_no_login(anonymous):
    response = anonymous.get("/healthz")

    assert response.status_code == 200
    assert "Location" not in response


@pytest.mark.django_db
def test_the_health_check_is_never_cached(anonymous):
    response = anonymous.get("/healthz")

    assert "no-cache" in response["Cache-Control"]
    assert "max-age=0" in response["Cache-Control"]


@pytest.mark.django_db
def test_the_health_check_says_unavailable_with_503_when_the_database_cannot_be_reached(anonymous, caplog):
    with mock.patch.object(connection, "cursor", side_effect=OperationalError("could not connect to server")):
        response = anonymous.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "unavailable"}
    assert "database could not be reached" in caplog.text


@pytest.mark.django_db
def test_the_health_check_says_unavailable_when_the_query_fails(anonymous):
    failing_cursor = mock.MagicMock()
    failing_cursor.__enter__.return_value.execute.side_effect = OperationalError("database is locked")
    with mock.patch.object(connection, "cursor", return_value=failing_cursor):
        response = anonymous.get("/healthz")

    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_the_health_check_only_answers_get(anonymous, method):
    response = getattr(anonymous, method)("/healthz")

    assert response.status_code == 405
    assert response["Allow"] == "GET"

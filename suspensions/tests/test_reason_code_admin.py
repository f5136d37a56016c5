"""The Django admin holds reference data only: the DfE reason codes, and nothing about pupils."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.urls import reverse

from conftest import client_for
from pupils.models import Contact, Pupil
from suspensions.models import ReasonCode, Suspension


def test_reason_codes_are_registered_with_their_validity_dates():
    model_admin = admin.site._registry[ReasonCode]
    assert tuple(model_admin.list_display) == ("code", "description", "valid_from", "valid_to")


def test_pupils_contacts_and_suspensions_are_not_in_the_admin():
    for model in (Pupil, Contact, Suspension):
        assert not admin.site.is_registered(model)


def test_the_reason_code_list_shows_the_codes_to_a_superuser(db):
    superuser = get_user_model().objects.create_superuser("admin", "admin@school.example", "fictional-pass-123")
    client = client_for(superuser)  # signed in and past two-factor authentication, as the admin requires
    response = client.get(reverse("admin:suspensions_reasoncode_changelist"))
    assert response.status_code == 200
    assert "Persistent or general disruptive behaviour" in response.content.decode()

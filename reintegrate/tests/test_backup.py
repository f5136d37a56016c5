"""`manage.py backup` and `manage.py restore`: a round trip gives back exactly the data that was backed up."""

from __future__ import annotations

from datetime import date

import pytest
from django.apps import apps
from django.core import serializers
from django.core.management import CommandError, call_command

from pupils.models import Contact, Pupil
from suspensions.models import Suspension
from testsupport.factories import ContactFactory, PupilFactory
from testsupport.suspensions import record

APPS = ("auth", "schools", "pupils", "suspensions", "plans", "duties", "documents", "notifications")


def everything() -> str:
    """Every row of the product's tables, serialised in a stable order."""
    models = [model for label in APPS for model in apps.get_app_config(label).get_models()]
    return serializers.serialize("json", [obj for model in models for obj in model.objects.order_by("pk")])


@pytest.fixture
def school_with_records(school, headteacher):
    pupil = PupilFactory(school=school, legal_first_name="Rowan", legal_last_name="Testwell")
    ContactFactory(pupil=pupil, name="Robin Testwell")
    record(pupil, start=date(2026, 11, 16), sessions=3, decided_by=headteacher)
    return pupil


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_backup_restores_exactly_the_data_it_was_taken_from(school_with_records, school, tmp_path, capsys):
    before = everything()
    backup_file = tmp_path / "reintegrate.backup"

    call_command("backup", "--output", str(backup_file))
    assert "Backed up the database" in capsys.readouterr().out

    # Things go wrong after the backup: a pupil renamed, a contact deleted, a pupil added.
    Pupil.objects.filter(pk=school_with_records.pk).update(legal_first_name="Changed")
    Contact.objects.all().delete()
    PupilFactory(school=school, legal_first_name="Added", legal_last_name="Later")
    assert everything() != before

    call_command("restore", str(backup_file), "--yes")

    assert everything() == before
    assert Suspension.objects.get().pupil.legal_first_name == "Rowan"


@pytest.mark.django_db
def test_restoring_needs_confirmation(tmp_path):
    with pytest.raises(CommandError, match="Run it again with --yes"):
        call_command("restore", str(tmp_path / "any.backup"))


@pytest.mark.django_db
def test_restoring_a_missing_file_says_so(tmp_path):
    with pytest.raises(CommandError, match="There is no backup file"):
        call_command("restore", str(tmp_path / "missing.backup"), "--yes")

"""The log is append-only: no page and no admin action adds, edits or deletes an entry."""

from __future__ import annotations

import pytest
from auditlog.models import LogEntry
from django.contrib import admin
from django.test import RequestFactory
from django.urls import get_resolver, reverse

from audit.access import record_access
from conftest import client_for
from testsupport.factories import UserFactory


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_staff=True, is_superuser=True)


@pytest.fixture
def entry(pupil, headteacher) -> LogEntry:
    request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.9")
    request.user = headteacher
    return record_access(request, pupil, what="pupil page")


def test_the_admin_lists_entries_read_only(entry, superuser):
    client = client_for(superuser)
    changelist = client.get(reverse("admin:auditlog_logentry_changelist"))
    assert changelist.status_code == 200
    assert "delete_selected" not in changelist.content.decode()
    page = client.get(reverse("admin:auditlog_logentry_change", args=[entry.pk]))
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert "deletelink" not in page.content.decode()


def test_the_admin_cannot_change_an_entry(entry, superuser):
    response = client_for(superuser).post(
        reverse("admin:auditlog_logentry_change", args=[entry.pk]),
        {"object_repr": "Tampered", "remote_addr": "1.2.3.4"},
    )
    assert response.status_code == 403
    entry.refresh_from_db()
    assert entry.object_repr != "Tampered"
    assert entry.remote_addr == "203.0.113.9"


def test_the_admin_cannot_delete_an_entry_one_at_a_time_or_in_bulk(entry, superuser):
    client = client_for(superuser)
    delete_url = reverse("admin:auditlog_logentry_delete", args=[entry.pk])
    assert client.get(delete_url).status_code == 403
    assert client.post(delete_url, {"post": "yes"}).status_code == 403
    client.post(
        reverse("admin:auditlog_logentry_changelist"),
        {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"},
    )
    assert LogEntry.objects.filter(pk=entry.pk).exists()


def test_the_admin_cannot_add_an_entry(superuser):
    assert client_for(superuser).get(reverse("admin:auditlog_logentry_add")).status_code == 403


def test_the_registered_admin_denies_every_write(rf, superuser):
    model_admin = admin.site.get_model_admin(LogEntry)
    request = rf.get("/")
    request.user = superuser
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)
    assert not model_admin.get_actions(request)


def test_no_page_outside_the_admin_writes_to_the_log(entry, headteacher):
    audit_routes = [p for p in get_resolver().url_patterns if str(p.pattern) == "audit/"]
    [audit] = audit_routes
    assert [p.name for p in audit.url_patterns] == ["pupil"]
    response = client_for(headteacher).post(reverse("audit:pupil", args=[entry.additional_data["pupil_id"]]))
    assert response.status_code == 405
    assert LogEntry.objects.filter(pk=entry.pk).exists()

"""Application logs hold no personal data: recording a suspension and viewing the pupil's page log no name.

The audit trail itself (auditlog's database table) does hold names, behind the VIEW_AUDIT capability; this is
about Python logging, which ends up in server logs that many more people and systems can read.
"""

from __future__ import annotations

import logging

from django.urls import reverse

from conftest import client_for
from schools.models import Membership
from suspensions.models import ReasonCode, Suspension
from testsupport.factories import ContactFactory

NAMES = ("Jordan", "Ashby", "Fictional Guardian")


def _logged_text(records: list[logging.LogRecord]) -> str:
    parts = []
    for record in records:
        parts.append(record.getMessage())
        if record.exc_info:
            parts.append(logging.Formatter().formatException(record.exc_info))
        if record.stack_info:
            parts.append(record.stack_info)
    return "\n".join(parts)


def test_recording_a_suspension_and_viewing_the_pupil_log_no_personal_data(pupil, headteacher, caplog):
    ContactFactory(pupil=pupil, name="Fictional Guardian")
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="django")
    client = client_for(headteacher)

    response = client.post(
        reverse("suspensions:record", args=[pupil.pk]),
        {
            "kind": "suspension",
            "start_date": "20/11/2026",
            "start_session": "am",
            "sessions": "2",
            "reasons": [ReasonCode.objects.get(code="DB", valid_to__isnull=True).pk],
            "incident_summary": "Fictional: Jordan Ashby left the lesson without permission.",
            "decided_by": Membership.objects.get(user=headteacher).pk,
        },
    )
    assert response.status_code == 302
    assert Suspension.objects.filter(pupil=pupil).exists()
    page = client.get(reverse("pupils:detail", args=[pupil.pk]))
    assert "Jordan Ashby" in page.content.decode()  # the page shows the name; the logs must not

    assert caplog.records, "the logs were captured (signing in is logged)"
    text = _logged_text(caplog.records)
    for name in NAMES:
        assert name not in text


def test_a_refused_form_logs_no_personal_data_either(pupil, headteacher, caplog):
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="django")
    client = client_for(headteacher)
    response = client.post(
        reverse("suspensions:record", args=[pupil.pk]),
        {"kind": "suspension", "start_date": "not a date", "incident_summary": "Fictional: Jordan Ashby"},
    )
    assert response.status_code == 200
    assert caplog.records, "the logs were captured (signing in is logged)"
    text = _logged_text(caplog.records)
    for name in NAMES:
        assert name not in text

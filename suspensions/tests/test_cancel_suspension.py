"""Cancelling a suspension: a confirmation with reasons; the record and the plan are kept."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from conftest import client_for
from plans.models import ReintegrationPlan
from schools.models import Role
from suspensions.models import Suspension
from suspensions.services import ALREADY_CANCELLED, CANCEL_REASON_REQUIRED
from testsupport.factories import MembershipFactory
from testsupport.suspensions import cancel, record

REASON = "Fictional: new witness statements show Jordan was not involved."
CANCELLED = (
    "Suspension cancelled. The record is kept and the reintegration plan remains: the pupil returns without delay."
)


def url(suspension) -> str:
    return reverse("suspensions:cancel", args=[suspension.pk])


@pytest.fixture
def suspension(pupil, headteacher):
    return record(pupil, start=date(2026, 11, 16), sessions=6)


def reload(suspension) -> Suspension:
    return Suspension.objects.get(pk=suspension.pk)


# Access


def test_the_headteacher_sees_the_confirmation_form(headteacher, suspension):
    response = client_for(headteacher).get(url(suspension))
    html = response.content.decode()
    assert response.status_code == 200
    assert '<h1 class="heading-xl">Cancel this suspension</h1>' in html
    assert '<label class="label" for="id_reason">Reasons for cancelling</label>' in html
    assert "These reasons are given to the parents, the governing board and the local authority." in html


def test_a_senior_leader_may_cancel(school, suspension):
    senior = MembershipFactory(school=school, role=Role.SENIOR_LEADER).user
    response = client_for(senior).post(url(suspension), {"reason": REASON})
    assert response.status_code == 302
    assert reload(suspension).is_cancelled


@pytest.mark.parametrize("persona", ["pastoral_lead", "senco", "teacher", "office", "governor"])
def test_other_roles_cannot_cancel(persona, request, suspension):
    client = client_for(request.getfixturevalue(persona))
    assert client.get(url(suspension)).status_code == 403
    assert client.post(url(suspension), {"reason": REASON}).status_code == 403
    assert not reload(suspension).is_cancelled


def test_another_schools_headteacher_gets_not_found(other_head, suspension):
    client = client_for(other_head)
    assert client.get(url(suspension)).status_code == 404
    assert client.post(url(suspension), {"reason": REASON}).status_code == 404
    assert not reload(suspension).is_cancelled


def test_an_unknown_suspension_is_not_found(headteacher):
    assert client_for(headteacher).get(reverse("suspensions:cancel", args=[999999])).status_code == 404


# Cancelling


def test_cancelling_keeps_the_record_and_the_plan_and_says_so(headteacher, suspension):
    response = client_for(headteacher).post(url(suspension), {"reason": REASON}, follow=True)
    assert response.redirect_chain == [(reverse("suspensions:detail", args=[suspension.pk]), 302)]
    assert CANCELLED in response.content.decode()
    cancelled = reload(suspension)
    assert cancelled.status == Suspension.Status.CANCELLED
    assert cancelled.cancellation_reason == REASON
    assert cancelled.cancelled_by == headteacher
    assert cancelled.cancelled_at is not None
    assert cancelled.return_date == suspension.return_date
    assert ReintegrationPlan.objects.filter(suspension=suspension).exists()


def test_the_reasons_are_required_and_nothing_changes_without_them(headteacher, suspension):
    response = client_for(headteacher).post(url(suspension), {"reason": "   "})
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert 'href="#id_reason"' in html
    assert f'id="id_reason_error"><span class="visually-hidden">Error:</span> {CANCEL_REASON_REQUIRED}' in html
    assert not reload(suspension).is_cancelled


def test_cancelling_twice_says_it_is_already_cancelled(headteacher, suspension):
    cancel(suspension)
    client = client_for(headteacher)
    for response in [
        client.post(url(suspension), {"reason": REASON}, follow=True),
        client.get(url(suspension), follow=True),
    ]:
        assert response.status_code == 200
        assert ALREADY_CANCELLED in response.content.decode()
    assert reload(suspension).cancellation_reason != REASON


def test_a_cancellation_made_by_someone_else_meanwhile_is_reported_not_a_crash(headteacher, suspension, monkeypatch):
    # Someone cancels between this page loading the suspension and the service locking it.
    from suspensions import views

    real_cancel = views.suspension_cancel

    def cancelled_meanwhile(**kwargs):
        cancel(Suspension.objects.get(pk=kwargs["suspension"].pk), reason="Fictional: cancelled by a colleague.")
        return real_cancel(**kwargs)

    monkeypatch.setattr(views, "suspension_cancel", cancelled_meanwhile)
    response = client_for(headteacher).post(url(suspension), {"reason": REASON}, follow=True)
    assert response.status_code == 200
    assert ALREADY_CANCELLED in response.content.decode()
    assert reload(suspension).cancellation_reason == "Fictional: cancelled by a colleague."


def test_a_cancelled_permanent_exclusion_says_the_pupil_returns(headteacher, pupil):
    exclusion = record(pupil, start=date(2026, 11, 18), sessions=None, kind=Suspension.Kind.PERMANENT)
    response = client_for(headteacher).post(url(exclusion), {"reason": REASON}, follow=True)
    assert "Permanent exclusion cancelled. The record is kept: the pupil returns without delay." in (
        response.content.decode()
    )


def test_the_cancelled_suspension_no_longer_counts_on_the_pupil_page(headteacher, pupil, suspension):
    client = client_for(headteacher)
    client.post(url(suspension), {"reason": REASON})
    html = client.get(reverse("pupils:detail", args=[pupil.pk])).content.decode()
    assert "This school year (2026/27): 0 days" in html
    assert ">Cancelled</strong>" in html

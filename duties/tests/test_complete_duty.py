"""Recording a statutory duty as done (how, when, evidence) or as no longer needed (with the reason).

Today is Wednesday 18/11/2026, 10:00 (frozen in conftest).
"""

from __future__ import annotations

import html as html_lib
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from conftest import client_for
from duties.forms import DONE_IN_FUTURE, DONE_TIME_INVALID
from duties.models import Duty
from duties.services import EVIDENCE_REQUIRED_PROVISION, METHOD_REQUIRED, REASON_REQUIRED
from testsupport.suspensions import record

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def suspension(pupil, headteacher):
    return record(pupil, start=date(2026, 11, 19), sessions=12)  # 6 days: sixth-day provision from 26/11/2026


def duty(suspension, kind: str) -> Duty:
    return Duty.objects.get(suspension=suspension, kind=kind, about=Duty.About.SUSPENSION)


def url(item: Duty, next_url: str | None = None) -> str:
    base = reverse("duties:complete", args=[item.pk])
    return f"{base}?next={next_url}" if next_url is not None else base


def done_data(**overrides) -> dict[str, str]:
    data = {
        "action": "done",
        "method": "phone",
        "done_on": "18/11/2026",
        "done_time": "09:30",
        "evidence": "Spoke to Ms Ashby (mother) on her mobile.",
    }
    data.update(overrides)
    return data


def text(response) -> str:
    return html_lib.unescape(response.content.decode())


# --- Access -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["headteacher", "pastoral_lead", "senco", "office"])
def test_staff_who_complete_duties_see_the_form(persona, request, suspension):
    response = client_for(request.getfixturevalue(persona)).get(url(duty(suspension, "parents_told")))

    assert response.status_code == 200
    assert '<h1 class="heading-xl">Tell the parents by phone or in person</h1>' in response.content.decode()


@pytest.mark.parametrize("persona", ["teacher", "governor"])
def test_teachers_and_governors_cannot_complete_a_duty(persona, request, suspension):
    item = duty(suspension, "parents_told")
    client = client_for(request.getfixturevalue(persona))

    assert client.get(url(item)).status_code == 403
    assert client.post(url(item), done_data()).status_code == 403
    item.refresh_from_db()
    assert item.status == Duty.Status.OPEN


def test_another_schools_headteacher_gets_not_found(other_head, suspension):
    item = duty(suspension, "parents_told")
    client = client_for(other_head)

    assert client.get(url(item)).status_code == 404
    assert client.post(url(item), done_data()).status_code == 404
    item.refresh_from_db()
    assert item.status == Duty.Status.OPEN


def test_an_unknown_duty_is_not_found(headteacher):
    assert client_for(headteacher).get(reverse("duties:complete", args=[999999])).status_code == 404


# --- The form -----------------------------------------------------------------------------------------------


def test_the_form_offers_each_method_and_defaults_to_now(headteacher, suspension):
    html = text(client_for(headteacher).get(url(duty(suspension, "local_authority"))))

    assert '<legend class="label">How was it done?</legend>' in html
    for label in ["Phone call", "In person", "Letter", "Email", "Online portal or form", "Meeting", "Other"]:
        assert label in html
    assert '<label class="label" for="id_done_on">Date it was done</label>' in html
    assert 'value="18/11/2026"' in html
    assert '<label class="label" for="id_done_time">Time it was done</label>' in html
    assert 'value="10:00"' in html
    assert "Who at the local authority was told, and any reference number." in html
    assert "Every suspension, whatever its length, is notified to the local authority" in html


def test_the_evidence_hint_for_sixth_day_provision_asks_for_the_provider_address_and_times(headteacher, suspension):
    html = text(client_for(headteacher).get(url(duty(suspension, "sixth_day_provision"))))

    assert "The provider, its address and the times." in html
    assert '<label class="label" for="id_evidence">Evidence</label>' in html  # required, so not "(optional)"


def test_the_no_longer_needed_option_is_a_separate_form_with_its_reason(headteacher, suspension):
    html = text(client_for(headteacher).get(url(duty(suspension, "parents_told"))))

    assert '<label class="label" for="id_reason">Why is it no longer needed?</label>' in html
    assert 'name="action" value="not_needed"' in html
    assert 'name="action" value="done"' in html


# --- Recording it as done -----------------------------------------------------------------------------------


def test_recording_a_duty_as_done_saves_how_when_who_and_the_evidence_and_goes_back(office, suspension):
    item = duty(suspension, "parents_letter")
    back = reverse("suspensions:detail", args=[suspension.pk])

    response = client_for(office).post(url(item, back), done_data(method="email"), follow=True)

    assert response.redirect_chain == [(back, 302)]
    assert "Recorded as done: Write to the parents for Jordan Ashby." in text(response)
    item.refresh_from_db()
    assert item.status == Duty.Status.DONE
    assert item.method == Duty.Method.EMAIL
    assert item.done_at == datetime(2026, 11, 18, 9, 30, tzinfo=LONDON)
    assert item.done_by == office
    assert item.evidence == "Spoke to Ms Ashby (mother) on her mobile."


def test_without_a_safe_next_page_it_goes_back_to_the_compliance_page(headteacher, suspension):
    item = duty(suspension, "parents_told")

    response = client_for(headteacher).post(url(item, "https://elsewhere.example/"), done_data())

    assert response.status_code == 302
    assert response["Location"] == reverse("duties:list")


def test_evidence_is_optional_for_most_duties(headteacher, suspension):
    item = duty(suspension, "governing_board")

    client_for(headteacher).post(url(item), done_data(evidence="", method="email"))

    item.refresh_from_db()
    assert item.status == Duty.Status.DONE
    assert item.evidence == ""


def test_sixth_day_provision_without_evidence_is_refused_beside_the_field_keeping_the_input(headteacher, suspension):
    item = duty(suspension, "sixth_day_provision")

    response = client_for(headteacher).post(url(item), done_data(evidence="", method="other", done_time="08:45"))

    assert response.status_code == 200
    html = text(response)
    assert html.count(EVIDENCE_REQUIRED_PROVISION) == 2  # beside the field and in the error summary
    assert 'value="08:45"' in html
    assert 'value="other" class="radios" required id="id_method_6" checked' in html
    item.refresh_from_db()
    assert item.status == Duty.Status.OPEN


def test_sixth_day_provision_with_its_details_is_recorded(headteacher, suspension):
    item = duty(suspension, "sixth_day_provision")
    details = "Northgate Learning Centre, 4 Mill Road, Exampletown. 9:00 to 15:00, Monday to Friday."

    client_for(headteacher).post(url(item), done_data(evidence=details, method="other"))

    item.refresh_from_db()
    assert (item.status, item.evidence) == (Duty.Status.DONE, details)


def test_no_method_chosen_is_refused(headteacher, suspension):
    item = duty(suspension, "parents_told")
    data = done_data()
    del data["method"]

    response = client_for(headteacher).post(url(item), data)

    assert response.status_code == 200
    assert text(response).count(METHOD_REQUIRED) == 2
    item.refresh_from_db()
    assert item.status == Duty.Status.OPEN


def test_a_time_in_the_future_is_refused(headteacher, suspension):
    item = duty(suspension, "parents_told")

    response = client_for(headteacher).post(url(item), done_data(done_time="10:01"))

    assert DONE_IN_FUTURE in text(response)
    item.refresh_from_db()
    assert item.status == Duty.Status.OPEN


def test_the_current_minute_is_accepted(headteacher, suspension):
    item = duty(suspension, "parents_told")

    client_for(headteacher).post(url(item), done_data(done_time="10:00"))

    item.refresh_from_db()
    assert item.status == Duty.Status.DONE


@pytest.mark.parametrize("value", ["9.30", "25:00", "half nine"])
def test_a_time_that_is_not_hours_and_minutes_is_refused(headteacher, suspension, value):
    item = duty(suspension, "parents_told")

    response = client_for(headteacher).post(url(item), done_data(done_time=value))

    assert response.status_code == 200
    html = text(response)
    assert DONE_TIME_INVALID in html
    assert f'value="{value}"' in html
    item.refresh_from_db()
    assert item.status == Duty.Status.OPEN


def test_an_impossible_date_asks_for_a_real_one(headteacher, suspension):
    response = client_for(headteacher).post(url(duty(suspension, "parents_told")), done_data(done_on="31/11/2026"))

    assert "Enter a real date, as day/month/year, for example 27/11/2026." in text(response)


# --- No longer needed ---------------------------------------------------------------------------------------


def test_a_duty_can_be_recorded_as_no_longer_needed_with_the_reason(pastoral_lead, suspension):
    item = duty(suspension, "work_set")

    response = client_for(pastoral_lead).post(
        url(item), {"action": "not_needed", "reason": "Pupil admitted to hospital."}, follow=True
    )

    assert "Recorded as no longer needed: Set and mark work for the first five school days for Jordan Ashby." in text(
        response
    )
    item.refresh_from_db()
    assert item.status == Duty.Status.NOT_NEEDED
    assert item.evidence == "Pupil admitted to hospital."
    assert item.done_by == pastoral_lead


def test_no_longer_needed_without_a_reason_is_refused(headteacher, suspension):
    item = duty(suspension, "work_set")

    response = client_for(headteacher).post(url(item), {"action": "not_needed", "reason": " "})

    assert response.status_code == 200
    assert text(response).count(REASON_REQUIRED) == 2
    item.refresh_from_db()
    assert item.status == Duty.Status.OPEN


# --- A duty already closed ----------------------------------------------------------------------------------


def test_a_done_duty_shows_its_record_and_no_form(headteacher, suspension):
    item = duty(suspension, "parents_told")
    client = client_for(headteacher)
    client.post(url(item), done_data())

    html = text(client.get(url(item)))

    assert "Spoke to Ms Ashby (mother) on her mobile." in html
    assert "18/11/2026 at 09:30" in html
    assert "Phone call" in html
    assert 'name="action"' not in html


def test_posting_to_a_duty_someone_else_completed_changes_nothing_and_says_so(headteacher, office, suspension):
    item = duty(suspension, "parents_told")
    client_for(office).post(url(item), done_data(evidence="First"))

    response = client_for(headteacher).post(url(item), done_data(evidence="Second"), follow=True)

    assert "This duty has already been recorded as done. Nothing was changed." in text(response)
    item.refresh_from_db()
    assert (item.evidence, item.done_by) == ("First", office)

"""The page to record a suspension: who may use it, the form, the service's refusals, further suspensions."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from conftest import client_for
from plans.models import ReintegrationPlan
from schools.models import Membership, Role
from suspensions import forms as forms_module
from suspensions.forms import SESSIONS_HINT, SESSIONS_REQUIRED
from suspensions.models import ReasonCode, Suspension
from suspensions.services import DECIDED_BY_NOT_HEAD, EXAM_DATE_REQUIRED, EXAM_DATE_WITHOUT_EXAM, REASONS_COUNT
from testsupport.factories import MembershipFactory, PupilFactory
from testsupport.suspensions import cancel, record

INCIDENT = "Fictional: threw a chair in the science lab during a practical."


def url(pupil, follows=None) -> str:
    base = reverse("suspensions:record", args=[pupil.pk])
    return f"{base}?follows={follows}" if follows is not None else base


def head_membership(user) -> Membership:
    return Membership.objects.get(user=user)


def reason_id(code: str) -> int:
    return ReasonCode.objects.get(code=code, valid_to__isnull=True).pk


def form_data(headteacher, **overrides):
    data = {
        "kind": "suspension",
        "start_date": "20/11/2026",
        "start_session": "am",
        "sessions": "2",
        "reasons": [reason_id("DB")],
        "incident_summary": INCIDENT,
        "decided_by": head_membership(headteacher).pk,
    }
    data.update(overrides)
    return data


def counts() -> tuple[int, int]:
    return Suspension.objects.count(), ReintegrationPlan.objects.count()


# Access


@pytest.mark.parametrize("persona", ["headteacher", "pastoral_lead", "senco", "office"])
def test_staff_who_record_suspensions_see_the_form(persona, request, pupil, headteacher):
    response = client_for(request.getfixturevalue(persona)).get(url(pupil))
    assert response.status_code == 200
    assert '<h1 class="heading-xl">Record a suspension</h1>' in response.content.decode()


@pytest.mark.parametrize("persona", ["teacher", "governor"])
def test_teachers_and_governors_cannot_record_a_suspension(persona, request, pupil, headteacher):
    client = client_for(request.getfixturevalue(persona))
    assert client.get(url(pupil)).status_code == 403
    assert client.post(url(pupil), form_data(headteacher)).status_code == 403
    assert counts() == (0, 0)


def test_another_schools_headteacher_gets_not_found(other_head, pupil, headteacher):
    client = client_for(other_head)
    assert client.get(url(pupil)).status_code == 404
    assert client.post(url(pupil), form_data(headteacher)).status_code == 404
    assert counts() == (0, 0)


def test_an_unknown_pupil_is_not_found(headteacher):
    assert client_for(headteacher).get(reverse("suspensions:record", args=[999999])).status_code == 404


# The form


def test_the_form_labels_every_field_with_its_hint(headteacher, pupil):
    html = client_for(headteacher).get(url(pupil)).content.decode()
    for text in [
        '<legend class="label">Type</legend>',
        "Lunchtime suspension",
        "Permanent exclusion",
        '<label class="label" for="id_start_date">Start date</label>',
        "For example, 27/11/2026",
        '<legend class="label">Starting session</legend>',
        "Morning",
        "Afternoon",
        '<label class="label" for="id_sessions">Length in sessions</label>',
        SESSIONS_HINT,
        "DB: Persistent or general disruptive behaviour",
        '<label class="label" for="id_incident_summary">Incident summary</label>',
        "Only staff who need it see this",
        '<label class="label" for="id_decided_by">Headteacher who decided</label>',
    ]:
        assert text in html, text


def test_the_decided_by_list_holds_only_headteachers_and_marks_the_acting_one(headteacher, pastoral_lead, pupil):
    headteacher.first_name, headteacher.last_name = "Helen", "Hart"
    headteacher.save()
    acting = MembershipFactory(school=pupil.school, role=Role.HEADTEACHER, is_acting=True)
    acting.user.first_name, acting.user.last_name = "Amir", "Aziz"
    acting.user.save()
    html = client_for(pastoral_lead).get(url(pupil)).content.decode()
    assert ">Helen Hart</option>" in html
    assert ">Amir Aziz (Acting headteacher)</option>" in html
    assert f'<option value="{head_membership(pastoral_lead).pk}"' not in html


def test_the_headteacher_recording_it_is_chosen_as_the_decision_maker(headteacher, school, pupil):
    MembershipFactory(school=school, role=Role.HEADTEACHER, is_acting=True)
    html = client_for(headteacher).get(url(pupil)).content.decode()
    assert f'<option value="{head_membership(headteacher).pk}" selected>' in html


def test_the_only_headteacher_is_chosen_when_someone_else_records_it(headteacher, office, pupil):
    html = client_for(office).get(url(pupil)).content.decode()
    assert f'<option value="{head_membership(headteacher).pk}" selected>' in html


def test_a_school_without_a_headteacher_is_told_why_nothing_can_be_recorded(office, pupil):
    html = client_for(office).get(url(pupil)).content.decode()
    assert "Nobody at Larkfield Academy holds the headteacher role in Reintegrate" in html


def test_the_form_shows_the_pupils_totals_and_the_cap_before_deciding(headteacher, pupil):
    record(pupil, start=date(2026, 9, 3), sessions=81)
    html = client_for(headteacher).get(url(pupil)).content.decode()
    assert "This term (Autumn 2026): 40.5 days" in html
    assert "This school year (2026/27): 40.5 days" in html
    assert "45-day limit: 4.5 days left" in html
    assert "Jordan is close to the limit" in html


def test_the_form_mentions_lunch_for_a_pupil_eligible_for_free_school_meals(headteacher, school):
    fsm = PupilFactory(school=school, legal_first_name="Kai", fsm_eligible=True)
    html = client_for(headteacher).get(url(fsm)).content.decode()
    assert "Kai is eligible for free school meals" in html


def test_the_form_does_not_mention_lunch_for_other_pupils(headteacher, pupil):
    assert "free school meals" not in client_for(headteacher).get(url(pupil)).content.decode()


# Recording


def test_recording_a_suspension_saves_it_with_a_draft_plan_and_says_when_the_pupil_returns(headteacher, office, pupil):
    response = client_for(office).post(url(pupil), form_data(headteacher), follow=True)
    suspension = Suspension.objects.get()
    assert response.redirect_chain == [(reverse("suspensions:detail", args=[suspension.pk]), 302)]
    assert (
        "Suspension recorded. Jordan returns on Monday 23/11/2026, morning. "
        "A draft reintegration plan has been created: write the strategy next."
    ) in response.content.decode()
    assert suspension.recorded_by == office
    assert suspension.decided_by == headteacher
    assert suspension.incident_summary == INCIDENT
    assert [r.code for r in suspension.reasons.all()] == ["DB"]
    assert suspension.plan.status == ReintegrationPlan.Status.DRAFT


def test_a_lunchtime_suspension_ignores_the_starting_session(headteacher, pupil):
    data = form_data(headteacher, kind="lunchtime", start_date="16/11/2026", start_session="am", sessions="4")
    response = client_for(headteacher).post(url(pupil), data, follow=True)
    suspension = Suspension.objects.get()
    assert suspension.start_session == "pm"
    assert suspension.days_label == "4 lunchtimes"
    assert "Lunchtime suspension recorded. Jordan is back at lunchtime from Friday 20/11/2026." in (
        response.content.decode()
    )


def test_a_permanent_exclusion_needs_no_length_and_gets_no_plan(headteacher, pupil):
    data = form_data(headteacher, kind="permanent", sessions="", start_date="18/11/2026")
    response = client_for(headteacher).post(url(pupil), data, follow=True)
    exclusion = Suspension.objects.get()
    assert exclusion.sessions is None
    assert not ReintegrationPlan.objects.exists()
    assert "Permanent exclusion recorded." in response.content.decode()


# Errors: shown in the summary and beside the field, typed input kept, nothing saved


def assert_error(html: str, field: str, message: str) -> None:
    assert "There is a problem" in html
    assert f'href="#id_{field}' in html
    assert f'id="id_{field}_error"' in html
    assert message in html.split(f'id="id_{field}_error"')[1].split("</p>")[0]


def test_a_missing_length_is_shown_beside_the_field_and_the_typed_input_is_kept(headteacher, pupil):
    response = client_for(headteacher).post(url(pupil), form_data(headteacher, sessions=""))
    html = response.content.decode()
    assert response.status_code == 200
    assert_error(html, "sessions", SESSIONS_REQUIRED)
    assert INCIDENT in html
    assert 'value="20/11/2026"' in html
    assert counts() == (0, 0)


def test_an_impossible_date_asks_for_a_real_one(headteacher, pupil):
    response = client_for(headteacher).post(url(pupil), form_data(headteacher, start_date="31/02/2026"))
    html = response.content.decode()
    assert_error(html, "start_date", "Enter a real date, as day/month/year, for example 27/11/2026.")
    assert 'value="31/02/2026"' in html
    assert counts() == (0, 0)


def test_more_than_three_reasons_are_refused(headteacher, pupil):
    reasons = [reason_id(code) for code in ("DB", "VA", "DM", "TH")]
    response = client_for(headteacher).post(url(pupil), form_data(headteacher, reasons=reasons))
    assert_error(response.content.decode(), "reasons", REASONS_COUNT)
    assert counts() == (0, 0)


def test_no_reasons_are_refused(headteacher, pupil):
    response = client_for(headteacher).post(url(pupil), form_data(headteacher, reasons=[]))
    assert_error(response.content.decode(), "reasons", REASONS_COUNT)


def test_a_pastoral_lead_cannot_be_named_as_the_decision_maker(headteacher, pastoral_lead, pupil):
    data = form_data(headteacher, decided_by=head_membership(pastoral_lead).pk)
    response = client_for(headteacher).post(url(pupil), data)
    assert_error(response.content.decode(), "decided_by", "Choose the headteacher who decided the suspension.")
    assert counts() == (0, 0)


def test_the_rules_refusal_of_a_decision_maker_is_shown_beside_the_field(headteacher, pupil, monkeypatch):
    # Offer every member of staff in the list, so that only the service's rule stands in the way.
    from suspensions import forms

    monkeypatch.setattr(
        forms, "headteacher_memberships", lambda school: Membership.objects.filter(school=school).select_related("user")
    )
    membership = head_membership(headteacher)
    membership.role = Role.SENIOR_LEADER
    membership.save()
    response = client_for(headteacher).post(url(pupil), form_data(headteacher))
    assert response.status_code == 200
    assert_error(response.content.decode(), "decided_by", DECIDED_BY_NOT_HEAD)
    assert INCIDENT in response.content.decode()
    assert counts() == (0, 0)


def test_a_suspension_over_the_cap_is_refused_beside_the_length_with_the_figures(headteacher, pupil):
    record(pupil, start=date(2026, 9, 3), sessions=90)
    before = counts()
    response = client_for(headteacher).post(url(pupil), form_data(headteacher, sessions="1"))
    html = response.content.decode()
    assert_error(
        html,
        "sessions",
        "This would take Jordan Ashby to 45.5 school days of suspension in 2026/27, over the limit of 45.",
    )
    assert INCIDENT in html
    assert counts() == before


def test_an_overlapping_suspension_is_refused_beside_the_start_date(headteacher, pupil):
    record(pupil, start=date(2026, 11, 19), sessions=4)
    before = counts()
    response = client_for(headteacher).post(url(pupil), form_data(headteacher))
    assert_error(response.content.decode(), "start_date", "This overlaps the suspension from 19/11/2026")
    assert counts() == before


def test_a_start_on_a_weekend_is_refused(headteacher, pupil):
    response = client_for(headteacher).post(url(pupil), form_data(headteacher, start_date="21/11/2026"))
    assert_error(response.content.decode(), "start_date", "21/11/2026 is not a school day")
    assert counts() == (0, 0)


def test_a_length_that_is_not_a_whole_number_is_refused(headteacher, pupil):
    response = client_for(headteacher).post(url(pupil), form_data(headteacher, sessions="1.5"))
    assert_error(response.content.decode(), "sessions", "Enter the length as a whole number of sessions")
    assert 'value="1.5"' in response.content.decode()
    assert counts() == (0, 0)


def test_a_length_over_45_days_is_refused_before_any_arithmetic(headteacher, pupil):
    response = client_for(headteacher).post(url(pupil), form_data(headteacher, sessions="100000"))
    assert_error(response.content.decode(), "sessions", "cannot be longer than 45 school days (90 sessions)")
    assert counts() == (0, 0)


# Further suspensions


@pytest.fixture
def earlier(pupil, headteacher):
    return record(pupil, start=date(2026, 11, 16), sessions=3)  # returns Tuesday 17/11/2026, afternoon


def test_a_further_suspension_page_explains_that_suspensions_are_not_extended(headteacher, pupil, earlier):
    html = client_for(headteacher).get(url(pupil, earlier.pk)).content.decode()
    assert '<h1 class="heading-xl">Record a further suspension</h1>' in html
    assert "A suspension cannot be extended. A further suspension is a new record with its own notice to parents." in (
        html
    )
    assert 'value="17/11/2026"' in html  # starts from the earlier one's return
    assert 'id="id_start_session_1" checked' in html


def test_a_further_suspension_is_recorded_against_the_one_it_follows(headteacher, pupil, earlier):
    data = form_data(headteacher, start_date="17/11/2026", start_session="pm", sessions="2")
    response = client_for(headteacher).post(url(pupil, earlier.pk), data, follow=True)
    further = Suspension.objects.exclude(pk=earlier.pk).get()
    assert further.follows == earlier
    assert "Further suspension recorded. Jordan returns on Wednesday 18/11/2026, afternoon." in (
        response.content.decode()
    )


def test_a_further_suspension_cannot_start_before_the_earlier_return(headteacher, pupil, earlier):
    data = form_data(headteacher, start_date="16/11/2026", start_session="pm", sessions="1")
    response = client_for(headteacher).post(url(pupil, earlier.pk), data)
    assert_error(
        response.content.decode(),
        "start_date",
        "A further suspension starts on or after the return from the one it follows (17/11/2026).",
    )
    assert Suspension.objects.count() == 1


def test_a_further_suspension_cannot_follow_another_pupils_suspension(headteacher, school, pupil, earlier):
    other = PupilFactory(school=school)
    assert client_for(headteacher).get(url(other, earlier.pk)).status_code == 404


def test_a_further_suspension_cannot_follow_a_cancelled_one(headteacher, pupil, earlier):
    cancel(earlier)
    assert client_for(headteacher).get(url(pupil, earlier.pk)).status_code == 404


@pytest.mark.parametrize("follows", ["999999", "abc"])
def test_an_unknown_earlier_suspension_is_not_found(follows, headteacher, pupil):
    assert client_for(headteacher).get(url(pupil, follows)).status_code == 404


# A missed public examination, and the statutory duties the suspension creates


def test_the_form_asks_whether_the_pupil_would_miss_a_public_exam_and_when(headteacher, pupil):
    html = client_for(headteacher).get(url(pupil)).content.decode()

    assert "Would the pupil miss a public examination or national curriculum test?" in html
    assert 'type="checkbox" name="misses_public_exam"' in html
    assert '<label class="label" for="id_exam_date">Date of the examination or test (optional)</label>' in html


def test_a_missed_exam_is_saved_with_its_date_and_brings_the_board_duty(headteacher, pupil):
    data = form_data(headteacher, misses_public_exam="on", exam_date="24/11/2026")

    response = client_for(headteacher).post(url(pupil), data, follow=True)

    suspension = Suspension.objects.get()
    assert (suspension.misses_public_exam, suspension.exam_date) == (True, date(2026, 11, 24))
    board = suspension.duties.get(kind="board_consideration")
    assert board.due_date == date(2026, 11, 23)  # the school day before the exam
    assert "Governing board to consider reinstatement" in response.content.decode()


def test_a_missed_exam_without_its_date_is_refused_beside_the_date(headteacher, pupil):
    response = client_for(headteacher).post(url(pupil), form_data(headteacher, misses_public_exam="on"))

    assert response.status_code == 200
    assert_error(response.content.decode(), "exam_date", EXAM_DATE_REQUIRED)
    assert 'id="id_misses_public_exam" checked' in response.content.decode()
    assert counts() == (0, 0)


def test_an_exam_date_without_the_box_ticked_is_refused_keeping_the_date(headteacher, pupil):
    response = client_for(headteacher).post(url(pupil), form_data(headteacher, exam_date="24/11/2026"))

    assert_error(response.content.decode(), "exam_date", EXAM_DATE_WITHOUT_EXAM)
    assert 'value="24/11/2026"' in response.content.decode()
    assert counts() == (0, 0)


def test_the_services_refusal_of_the_exam_date_is_shown_beside_the_field(headteacher, pupil, monkeypatch):
    # Let the form through, so that only the service's rule stands in the way.
    monkeypatch.setattr(forms_module.RecordSuspensionForm, "clean", lambda self: self.cleaned_data)

    response = client_for(headteacher).post(url(pupil), form_data(headteacher, misses_public_exam="on"))

    assert_error(response.content.decode(), "exam_date", EXAM_DATE_REQUIRED)
    assert counts() == (0, 0)


def test_the_success_message_says_how_many_statutory_duties_were_created_and_the_page_lists_them(
    headteacher, office, pupil
):
    response = client_for(office).post(url(pupil), form_data(headteacher, sessions="12"), follow=True)

    html = response.content.decode()
    assert "7 statutory duties were created: see below." in html
    assert '<h2 class="heading-m" id="statutory-duties">Statutory duties</h2>' in html
    assert html.count("Record as done<span") == 7
    assert "Arrange full-time education from the sixth school day" in html
    assert "Tell the parents about the sixth-day provision" in html

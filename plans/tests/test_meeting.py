"""Arranging and recording the optional reintegration meeting, or recording why none is held."""

from __future__ import annotations

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from conftest import client_for
from plans.models import Meeting, MeetingParticipant
from testsupport.factories import ContactFactory
from testsupport.plans import draft_plan, page_html, page_text

LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def plan(pupil, headteacher):
    """A plan for a suspension on Monday 23 and Tuesday 24/11/2026: the pupil returns on Wednesday 25/11/2026."""
    return draft_plan(pupil, headteacher, start=date(2026, 11, 23))


def _url(plan):
    return reverse("plans:meeting", args=[plan.pk])


def _data(people=(), **overrides):
    data = {
        "status": "arranged",
        "date": "24/11/2026",
        "time": "15:30",
        "mode": "in_person",
        "location": "Pastoral office",
        "pupil_views": "",
        "parent_views": "",
        "notes": "",
        "version": "",
        "participants-TOTAL_FORMS": "6",
        "participants-INITIAL_FORMS": "0",
        "participants-MIN_NUM_FORMS": "0",
        "participants-MAX_NUM_FORMS": "30",
    }
    for index in range(6):
        data[f"participants-{index}-invited"] = "on"
        data[f"participants-{index}-attended"] = ""
    for index, (name, role, attended) in enumerate(people):
        data[f"participants-{index}-name"] = name
        data[f"participants-{index}-role"] = role
        data[f"participants-{index}-attended"] = attended
    data.update(overrides)
    return data


def test_the_page_says_the_return_never_waits_for_the_meeting(plan, headteacher):
    response = client_for(headteacher).get(_url(plan))
    assert response.status_code == 200
    assert (
        "Jordan Ashby returns on Wednesday 25/11/2026, morning, whether or not this meeting takes place. "
        "A meeting is good practice, but the pupil and parents cannot be made to attend." in page_text(response)
    )


def test_the_meeting_defaults_to_the_school_day_before_the_return_at_nine(plan, headteacher):
    markup = page_html(client_for(headteacher).get(_url(plan)))
    assert 'name="date" value="24/11/2026"' in markup
    assert 'name="time" value="09:00"' in markup
    assert re.search(r'name="status" value="arranged"[^>]* checked', markup)


def test_the_meeting_defaults_to_the_return_date_when_the_day_before_has_passed(pupil, headteacher):
    plan = draft_plan(pupil, headteacher, start=date(2026, 11, 16))  # returns Wednesday 18/11/2026, today
    markup = page_html(client_for(headteacher).get(_url(plan)))
    assert 'name="date" value="18/11/2026"' in markup


def test_the_pupil_and_the_first_contact_with_parental_responsibility_are_invited(plan, pupil, headteacher):
    ContactFactory(pupil=pupil, name="Alex Ashby", relationship="Stepfather", parental_responsibility=False, priority=1)
    ContactFactory(pupil=pupil, name="Sam Ashby", relationship="Mother", parental_responsibility=True, priority=2)
    markup = page_html(client_for(headteacher).get(_url(plan)))
    assert 'name="participants-0-name" value="Jordan Ashby"' in markup
    assert 'name="participants-0-role" value="Pupil"' in markup
    assert 'name="participants-1-name" value="Sam Ashby"' in markup
    assert 'name="participants-1-role" value="Mother"' in markup
    assert "Alex Ashby" not in markup
    assert 'name="participants-5-name"' in markup
    assert 'name="participants-6-name"' not in markup


def test_recording_link_starts_with_the_meeting_marked_as_held(plan, headteacher):
    markup = page_html(client_for(headteacher).get(_url(plan) + "?record=1"))
    assert re.search(r'name="status" value="held"[^>]* checked', markup)


def test_arranging_the_meeting_saves_it_and_ignores_empty_rows(plan, headteacher):
    client = client_for(headteacher)
    response = client.post(_url(plan), _data(people=[("Jordan Ashby", "Pupil", ""), ("Sam Ashby", "Mother", "")]))
    assert response.status_code == 302
    meeting = Meeting.objects.get(plan=plan)
    assert meeting.status == Meeting.Status.ARRANGED
    assert meeting.scheduled_for == datetime(2026, 11, 24, 15, 30, tzinfo=LONDON)
    assert meeting.location == "Pastoral office"
    assert [(p.name, p.role, p.invited, p.attended) for p in meeting.participants.all()] == [
        ("Jordan Ashby", "Pupil", True, None),
        ("Sam Ashby", "Mother", True, None),
    ]
    page = client.get(response["Location"])
    assert "The meeting has been arranged for 24/11/2026 at 15:30." in page_text(page)


def test_recording_the_meeting_as_held_keeps_views_and_attendance(pupil, headteacher):
    plan = draft_plan(pupil, headteacher)  # returned on 11/11/2026
    client = client_for(headteacher)
    client.post(_url(plan), _data(people=[("Jordan Ashby", "Pupil", "")], date="10/11/2026"))
    response = client.post(
        _url(plan),
        _data(
            people=[("Jordan Ashby", "Pupil", "yes"), ("Sam Ashby", "Mother", "no")],
            status="held",
            date="10/11/2026",
            version="1",
            pupil_views="I want to stay in lessons.",
            parent_views="We will help with homework.",
        ),
    )
    assert response.status_code == 302
    meeting = Meeting.objects.get(plan=plan)
    assert meeting.status == Meeting.Status.HELD
    assert meeting.version == 2
    assert meeting.pupil_views == "I want to stay in lessons."
    assert [(p.name, p.attended) for p in meeting.participants.all()] == [
        ("Jordan Ashby", True),
        ("Sam Ashby", False),
    ]
    assert "has been recorded as held" in page_text(client.get(response["Location"]))


def test_a_held_meeting_without_anyone_attending_comes_back_with_the_message(pupil, headteacher):
    plan = draft_plan(pupil, headteacher)
    response = client_for(headteacher).post(
        _url(plan),
        _data(people=[("Jordan Ashby", "Pupil", "")], status="held", date="10/11/2026", notes="Typed notes"),
    )
    assert response.status_code == 200
    text = page_text(response)
    assert "There is a problem" in text
    assert "A held meeting needs at least one person marked as attended." in text
    assert "Typed notes" in text
    assert 'value="Jordan Ashby"' in page_html(response)
    assert not Meeting.objects.exists()


def test_a_meeting_in_the_future_cannot_be_recorded_as_held(plan, headteacher):
    response = client_for(headteacher).post(
        _url(plan), _data(people=[("Jordan Ashby", "Pupil", "yes")], status="held", date="24/11/2026")
    )
    assert response.status_code == 200
    text = page_text(response)
    assert text.count("A meeting can only be recorded as held on or before today.") == 2
    assert 'href="#id_date"' in page_html(response)
    assert not Meeting.objects.exists()


def test_a_row_with_a_name_but_no_role_is_refused_beside_that_row(plan, headteacher):
    response = client_for(headteacher).post(
        _url(plan), _data(people=[("Jordan Ashby", "Pupil", ""), ("", "", ""), ("Sam Ashby", "", "")])
    )
    assert response.status_code == 200
    markup = page_html(response)
    assert 'id="id_participants-2-role_error"' in markup
    assert "Enter the person's role, for example pupil, mother or head of year." in page_text(response)
    assert not Meeting.objects.exists()
    assert not MeetingParticipant.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("date", "31/11/2026", "Enter a real date, as day/month/year, for example 27/11/2026."),
        ("date", "", "Enter the date of the meeting, for example 27/11/2026."),
        ("time", "9am", "Enter the time as hours and minutes on the 24-hour clock, for example 09:00 or 14:30."),
        ("time", "", "Enter the time of the meeting, for example 09:00."),
    ],
)
def test_bad_dates_and_times_come_back_with_a_message(field, value, message, plan, headteacher):
    response = client_for(headteacher).post(_url(plan), _data(people=[("Jordan Ashby", "Pupil", "")], **{field: value}))
    assert response.status_code == 200
    assert page_text(response).count(message) == 2
    assert f'value="{value}"' in page_html(response) or not value
    assert not Meeting.objects.exists()


def test_a_second_edit_of_the_meeting_from_the_same_version_is_refused(plan, headteacher, senco):
    client_for(headteacher).post(_url(plan), _data(people=[("Jordan Ashby", "Pupil", "")]))
    first = client_for(headteacher).post(
        _url(plan), _data(people=[("Jordan Ashby", "Pupil", "")], version="1", location="Room 12")
    )
    assert first.status_code == 302
    second = client_for(senco).post(
        _url(plan), _data(people=[("Jordan Ashby", "Pupil", "")], version="1", location="The library")
    )
    assert second.status_code == 200
    text = page_text(second)
    assert "Someone else changed this meeting while you were editing it." in text
    assert 'value="The library"' in page_html(second)
    assert Meeting.objects.get(plan=plan).location == "Room 12"


def test_arranging_recording_or_cancelling_the_meeting_never_moves_the_return(plan, headteacher):
    suspension = plan.suspension
    before = (suspension.return_date, suspension.return_session, suspension.last_day)
    client = client_for(headteacher)
    client.post(_url(plan), _data(people=[("Jordan Ashby", "Pupil", "")], date="01/12/2026"))
    client.post(_url(plan), _data(people=[("Jordan Ashby", "Pupil", "")], status="not_held", version="1"))
    suspension.refresh_from_db()
    assert (suspension.return_date, suspension.return_session, suspension.last_day) == before
    assert suspension.return_date == date(2026, 11, 25)
    assert "returns on Wednesday 25/11/2026, morning, whether or not a meeting takes place" in page_text(
        client.get(reverse("plans:detail", args=[plan.pk]))
    )


# --- No meeting ------------------------------------------------------------------------------------------------


def test_the_no_meeting_page_asks_why_with_an_example(plan, headteacher):
    response = client_for(headteacher).get(reverse("plans:no_meeting", args=[plan.pk]))
    assert response.status_code == 200
    text = page_text(response)
    assert "Why no reintegration meeting will be held" in text
    assert "For example: parents declined; we spoke by phone instead and agreed the strategy." in text


def test_recording_why_no_meeting_is_held_shows_it_on_the_plan(plan, headteacher):
    client = client_for(headteacher)
    response = client.post(
        reverse("plans:no_meeting", args=[plan.pk]), {"reason": "Parents declined; agreed by phone.", "version": "1"}
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.no_meeting_reason == "Parents declined; agreed by phone."
    text = page_text(client.get(response["Location"]))
    assert "The reason no meeting will be held has been recorded." in text
    assert "Parents declined; agreed by phone." in text


def test_no_meeting_needs_a_reason(plan, headteacher):
    response = client_for(headteacher).post(
        reverse("plans:no_meeting", args=[plan.pk]), {"reason": " ", "version": "1"}
    )
    assert response.status_code == 200
    assert page_text(response).count("Enter why no meeting will be held.") == 2
    plan.refresh_from_db()
    assert plan.no_meeting_reason == ""


def test_no_meeting_from_a_stale_page_is_refused(plan, headteacher):
    client_for(headteacher).post(reverse("plans:no_meeting", args=[plan.pk]), {"reason": "First", "version": "1"})
    response = client_for(headteacher).post(
        reverse("plans:no_meeting", args=[plan.pk]), {"reason": "Second", "version": "1"}
    )
    assert response.status_code == 200
    assert "Someone else changed this plan while you were editing it." in page_text(response)
    assert "Second</textarea>" in page_html(response)
    plan.refresh_from_db()
    assert plan.no_meeting_reason == "First"

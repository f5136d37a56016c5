"""Calendar invitations (.ics) for the reintegration meeting and the plan's next review, read back with icalendar."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from auditlog.models import LogEntry
from django.contrib.messages import get_messages
from django.urls import reverse
from icalendar import Calendar

from conftest import client_for
from notifications.ics import meeting_ics, review_ics
from notifications.tests.helpers import LONDON, arrange_meeting
from plans import services
from plans.models import Meeting, ReintegrationPlan, Review
from testsupport.plans import active_plan, draft_plan, record_review

pytestmark = pytest.mark.django_db

UTC = ZoneInfo("UTC")
SITE = "https://reintegrate.example.org"


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE


@pytest.fixture
def plan(pupil, headteacher):
    return active_plan(pupil, headteacher, with_goal=False)


@pytest.fixture
def meeting(plan):
    return arrange_meeting(plan, when=datetime(2026, 11, 24, 9, 0, tzinfo=LONDON), location="Pastoral office")


def parse(text: str):
    calendar = Calendar.from_ical(text)
    [event] = calendar.walk("VEVENT")
    return calendar, event


def text_of(event, name: str) -> str:
    return str(event.get(name))


# --- The meeting ---------------------------------------------------------------------------------------------


def test_the_staff_invitation_names_the_pupil_and_holds_the_time_place_and_identity(meeting, plan):
    calendar, event = parse(meeting_ics(meeting, for_family=False))

    assert str(calendar["METHOD"]) == "PUBLISH"
    assert str(calendar["VERSION"]) == "2.0"
    assert text_of(event, "SUMMARY") == "Reintegration meeting: Jordan Ashby"
    assert "Jordan Ashby (Year 9)" in text_of(event, "DESCRIPTION")
    assert f"{SITE}/plans/{plan.pk}/" in text_of(event, "DESCRIPTION")
    assert text_of(event, "UID") == f"meeting-{meeting.pk}@reintegrate.example.org"
    assert text_of(event, "LOCATION") == "Pastoral office"
    assert event.decoded("DTSTART") == datetime(2026, 11, 24, 9, 0, tzinfo=LONDON)
    assert event.decoded("DTEND") == datetime(2026, 11, 24, 10, 0, tzinfo=LONDON)
    assert event.decoded("DTSTAMP") == datetime(2026, 11, 18, 10, 0, tzinfo=UTC)
    assert str(event["STATUS"]) == "CONFIRMED"


def test_the_family_invitation_names_the_school_not_the_pupil_and_says_the_return_does_not_depend_on_it(meeting):
    text = meeting_ics(meeting, for_family=True)
    _calendar, event = parse(text)

    assert text_of(event, "SUMMARY") == "Reintegration meeting at Larkfield Academy"
    assert "return to school does not depend on attending this meeting" in text_of(event, "DESCRIPTION")
    assert "Jordan" not in text
    assert "Ashby" not in text
    assert text_of(event, "UID") == f"meeting-{meeting.pk}@reintegrate.example.org"


def test_times_are_in_london_time_with_the_zone_described_in_the_file(meeting):
    text = meeting_ics(meeting, for_family=True)
    calendar, event = parse(text)

    assert "DTSTART;TZID=Europe/London:20261124T090000" in text
    assert "DTEND;TZID=Europe/London:20261124T100000" in text
    [zone] = calendar.walk("VTIMEZONE")
    assert str(zone["TZID"]) == "Europe/London"
    assert event["DTSTART"].params["TZID"] == "Europe/London"


def test_the_zone_in_the_file_keeps_the_clock_changes_of_europe_london(meeting):
    """Calendars that read the VTIMEZONE rather than their own zone data get the same hour as zoneinfo does."""
    calendar, _event = parse(meeting_ics(meeting, for_family=True))
    [zone] = calendar.walk("VTIMEZONE")
    described = zone.to_tz(lookup_tzid=False)
    # Every half hour around each clock change (01:00 UTC on the last Sundays of March and October) of three
    # years, and a summer and a winter morning.
    moments: list[datetime] = []
    for year, march, october in ((2026, 29, 25), (2027, 28, 31), (2030, 31, 27)):
        for day in (datetime(year, 3, march, tzinfo=UTC), datetime(year, 10, october, tzinfo=UTC)):
            moments += [day + timedelta(minutes=30 * step) for step in range(-2, 8)]
        moments += [datetime(year, 7, 1, 8, 0, tzinfo=UTC), datetime(year, 12, 1, 9, 0, tzinfo=UTC)]
    for moment in moments:
        assert moment.astimezone(described).utcoffset() == moment.astimezone(LONDON).utcoffset(), moment


def test_a_summer_meeting_is_at_the_same_local_hour_one_hour_earlier_in_utc(plan):
    meeting = arrange_meeting(plan, when=datetime(2027, 6, 14, 9, 0, tzinfo=LONDON))
    _calendar, event = parse(meeting_ics(meeting, for_family=False))

    start = event.decoded("DTSTART")
    assert start.hour == 9
    assert start.astimezone(UTC).hour == 8


def test_the_uid_stays_the_same_and_the_sequence_rises_when_the_meeting_is_moved(meeting, plan):
    _calendar, before = parse(meeting_ics(meeting, for_family=True))

    moved = arrange_meeting(plan, when=datetime(2026, 11, 25, 14, 0, tzinfo=LONDON), meeting=meeting)
    _calendar, after = parse(meeting_ics(moved, for_family=True))

    assert text_of(after, "UID") == text_of(before, "UID")
    assert int(before["SEQUENCE"]) == 0
    assert int(after["SEQUENCE"]) == 1
    assert after.decoded("DTSTART") == datetime(2026, 11, 25, 14, 0, tzinfo=LONDON)


def test_commas_semicolons_and_new_lines_in_the_location_are_escaped_and_read_back_intact(plan):
    location = "Room 4, Block B; use the side gate\nAsk at reception"
    meeting = arrange_meeting(plan, location=location)
    text = meeting_ics(meeting, for_family=True)

    assert "LOCATION:Room 4\\, Block B\\; use the side gate\\nAsk at reception" in text
    _calendar, event = parse(text)
    assert text_of(event, "LOCATION") == location


def test_long_lines_are_folded_at_75_octets_with_crlf(plan):
    meeting = arrange_meeting(plan, location="Conference room on the second floor of the sixth form centre, " * 3)
    text = meeting_ics(meeting, for_family=True)

    assert "\r\n " in text  # a folded line continues with a space
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    _calendar, event = parse(text)
    assert text_of(event, "LOCATION") == ("Conference room on the second floor of the sixth form centre, " * 3).strip()


def test_a_remote_meeting_gives_its_link_as_location_and_url(plan):
    meeting = arrange_meeting(plan, mode=Meeting.Mode.REMOTE, location="https://meet.example.org/larkfield-42")
    _calendar, event = parse(meeting_ics(meeting, for_family=True))

    assert text_of(event, "LOCATION") == "https://meet.example.org/larkfield-42"
    assert text_of(event, "URL") == "https://meet.example.org/larkfield-42"
    assert "How: Remote (video or phone)." in text_of(event, "DESCRIPTION")


def test_a_meeting_in_person_without_a_room_gives_the_school_and_its_address(plan):
    meeting = arrange_meeting(plan, location="")
    _calendar, event = parse(meeting_ics(meeting, for_family=True))

    assert text_of(event, "LOCATION") == "Larkfield Academy, 1 School Lane, Exampletown, EX1 1AA"


def test_a_meeting_that_did_not_take_place_is_cancelled_in_the_calendar(meeting, plan):
    not_held = arrange_meeting(plan, status=Meeting.Status.NOT_HELD, meeting=meeting)
    _calendar, event = parse(meeting_ics(not_held, for_family=True))

    assert str(event["STATUS"]) == "CANCELLED"
    assert int(event["SEQUENCE"]) == 1


# --- The next review -----------------------------------------------------------------------------------------


def test_the_next_review_is_a_30_minute_slot_at_0830_with_the_time_to_be_confirmed(plan):
    assert plan.next_review_date == date(2026, 11, 25)
    _calendar, event = parse(review_ics(plan))

    assert text_of(event, "SUMMARY") == "Plan review: Jordan Ashby"
    assert event.decoded("DTSTART") == datetime(2026, 11, 25, 8, 30, tzinfo=LONDON)
    assert event.decoded("DTEND") - event.decoded("DTSTART") == timedelta(minutes=30)
    assert "Time to be confirmed" in text_of(event, "DESCRIPTION")
    assert event["DTSTART"].params["TZID"] == "Europe/London"
    assert text_of(event, "UID") == f"plan-{plan.pk}-review-1@reintegrate.example.org"


def test_moving_the_review_keeps_its_uid_and_raises_its_sequence(plan):
    _calendar, before = parse(review_ics(plan))
    moved = services.plan_update(
        plan=plan,
        version=plan.version,
        strategy=plan.strategy,
        key_adult=None,
        support_measures=plan.support_measures,
        check_in_frequency=plan.check_in_frequency,
        reasonable_adjustments="",
        activate=True,
        next_review_date=date(2026, 11, 27),
    )
    _calendar, after = parse(review_ics(moved))

    assert text_of(after, "UID") == text_of(before, "UID")
    assert int(after["SEQUENCE"]) > int(before["SEQUENCE"])
    assert after.decoded("DTSTART") == datetime(2026, 11, 27, 8, 30, tzinfo=LONDON)


def test_once_a_review_is_recorded_the_next_one_is_a_new_event(plan, headteacher):
    _calendar, first = parse(review_ics(plan))
    record_review(plan, headteacher, next_review_date=date(2026, 12, 2))
    plan.refresh_from_db()
    _calendar, second = parse(review_ics(plan))

    assert text_of(second, "UID") != text_of(first, "UID")
    assert text_of(second, "UID") == f"plan-{plan.pk}-review-2@reintegrate.example.org"


# --- Downloading them ----------------------------------------------------------------------------------------


def test_a_pastoral_lead_downloads_the_meeting_as_a_calendar_file(meeting, plan, pastoral_lead):
    response = client_for(pastoral_lead).get(reverse("calendar:meeting", args=[plan.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="reintegration-meeting-2026-11-24.ics"'
    assert "no-store" in response["Cache-Control"]
    _calendar, event = parse(response.content.decode())
    assert text_of(event, "SUMMARY") == "Reintegration meeting: Jordan Ashby"


def test_a_senco_downloads_the_next_review(plan, senco):
    response = client_for(senco).get(reverse("calendar:next_review", args=[plan.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="plan-review-2026-11-25.ics"'
    assert "no-store" in response["Cache-Control"]
    assert parse(response.content.decode())[1].decoded("DTSTART").date() == date(2026, 11, 25)


def test_downloading_an_invitation_is_recorded_in_the_audit_trail(meeting, plan, pastoral_lead):
    client_for(pastoral_lead).get(reverse("calendar:meeting", args=[plan.pk]))

    entry = LogEntry.objects.filter(action=LogEntry.Action.ACCESS, actor=pastoral_lead).get()
    assert entry.additional_data["what"] == "meeting calendar invitation"


@pytest.mark.parametrize("name", ["calendar:meeting", "calendar:next_review"])
def test_a_teacher_may_not_download_them(name, meeting, plan, teacher):
    response = client_for(teacher).get(reverse(name, args=[plan.pk]))

    assert response.status_code == 403


@pytest.mark.parametrize("name", ["calendar:meeting", "calendar:next_review"])
def test_another_schools_headteacher_finds_nothing(name, meeting, plan, other_head):
    response = client_for(other_head).get(reverse(name, args=[plan.pk]))

    assert response.status_code == 404
    assert b"BEGIN:VCALENDAR" not in response.content


def test_without_a_meeting_the_user_goes_back_to_the_plan_with_a_message(plan, pastoral_lead):
    response = client_for(pastoral_lead).get(reverse("calendar:meeting", args=[plan.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("plans:detail", args=[plan.pk])
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "No meeting has been arranged for this plan yet, so there is no calendar invitation to download."
    ]


def test_without_a_next_review_the_user_goes_back_to_the_plan_with_a_message(pupil, headteacher, pastoral_lead):
    draft = draft_plan(pupil, headteacher)
    assert draft.next_review_date is None

    response = client_for(pastoral_lead).get(reverse("calendar:next_review", args=[draft.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("plans:detail", args=[draft.pk])
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "This plan has no next review date, so there is no calendar invitation to download."
    ]


def test_a_closed_plan_has_no_next_review_to_download(plan, headteacher, pastoral_lead):
    record_review(plan, headteacher, decision=Review.Decision.CLOSE, next_review_date=None, outcome="achieved")
    plan.refresh_from_db()
    assert plan.status == ReintegrationPlan.Status.CLOSED

    response = client_for(pastoral_lead).get(reverse("calendar:next_review", args=[plan.pk]))

    assert response.status_code == 302


def test_the_calendar_routes_take_get_only(meeting, plan, headteacher):
    response = client_for(headteacher).post(reverse("calendar:meeting", args=[plan.pk]))

    assert response.status_code == 405

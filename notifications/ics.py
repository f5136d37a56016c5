"""Calendar invitations (.ics, RFC 5545) for the reintegration meeting and for a plan's next review.

Each function returns the text of a whole calendar (METHOD:PUBLISH) holding one event. icalendar escapes the
text (commas, semicolons, new lines) and folds long lines.

- The UID is stable (`meeting-<pk>@<host of SITE_URL>`), so importing a changed invitation moves the event
  rather than adding another; SEQUENCE counts the changes (the meeting's `version` - 1).
- Times carry TZID=Europe/London with its VTIMEZONE, so calendars put the meeting at the right hour either side
  of the clock change.
- The family's invitation names the school, not the pupil, and says plainly that the return does not depend on
  attending. The staff's version names the pupil and links to the plan.
- A review has a date but no time in Reintegrate: its event is a 30-minute slot at 08:30, and its description
  says the time is to be confirmed.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard

from plans.models import Meeting, ReintegrationPlan

LONDON = ZoneInfo("Europe/London")
PRODID = "-//Reintegrate//Calendar invitations//EN"
MEETING_LENGTH = timedelta(hours=1)
REVIEW_TIME = time(8, 30)
REVIEW_LENGTH = timedelta(minutes=30)

RETURN_NOT_CONDITIONAL = (
    "Your child's return to school does not depend on attending this meeting: they return on the date the "
    "school gave you, whether or not the meeting takes place."
)


class NothingToInvite(Exception):
    """There is no event to put in a calendar (no meeting arranged, or no next review set)."""


def meeting_ics(meeting: Meeting, *, for_family: bool) -> str:
    """The meeting as a calendar invitation: for the family (no pupil's name) or for staff (with it)."""
    plan = meeting.plan
    school = plan.school
    start = timezone.localtime(meeting.scheduled_for, LONDON)
    if for_family:
        summary = f"Reintegration meeting at {school.name}"
        lines = [
            f"A meeting at {school.name} to plan your child's return to school and the support they will have.",
            RETURN_NOT_CONDITIONAL,
            "If the time does not suit you, or you would like to join remotely, please contact the school.",
        ]
    else:
        pupil = plan.pupil
        summary = f"Reintegration meeting: {pupil.display_name}"
        lines = [
            f"Reintegration meeting for {pupil.display_name} ({pupil.get_year_group_display()}) at {school.name}.",
            "The pupil's return does not depend on the meeting taking place.",
            f"The plan: {_site_link('plans:detail', plan.pk)}",
        ]
    lines.insert(1, f"How: {meeting.get_mode_display()}.")
    event = _event(
        uid=f"meeting-{meeting.pk}@{_host()}",
        sequence=max(meeting.version - 1, 0),
        start=start,
        end=start + MEETING_LENGTH,
        summary=summary,
        description="\n\n".join(lines),
        location=_meeting_location(meeting),
        last_modified=meeting.updated_at,
    )
    event.add("status", "CANCELLED" if meeting.status == Meeting.Status.NOT_HELD else "CONFIRMED")
    if meeting.location.strip().lower().startswith(("https://", "http://")):
        event.add("url", meeting.location.strip())
    return _calendar(event)


def review_ics(plan: ReintegrationPlan) -> str:
    """The plan's next review as a 30-minute event at 08:30 (the time to be confirmed). Staff only.

    Raises NothingToInvite when the plan has no next review (none set, or the plan is closed).
    """
    if plan.next_review_date is None or plan.status == ReintegrationPlan.Status.CLOSED:
        raise NothingToInvite("This plan has no next review date.")
    pupil = plan.pupil
    start = datetime.combine(plan.next_review_date, REVIEW_TIME, tzinfo=LONDON)
    # The next review is the (n+1)th: its UID stays the same while its date is moved, and the review after it,
    # once this one is recorded, is a new event.
    number = plan.reviews.count() + 1
    lines = [
        f"Review of the reintegration plan for {pupil.display_name} ({pupil.get_year_group_display()}) "
        f"at {plan.school.name}.",
        f"Time to be confirmed: Reintegrate records the review's date ({plan.next_review_date:%d/%m/%Y}) "
        f"but not its time, so this is a {_minutes(REVIEW_LENGTH)}-minute slot at {REVIEW_TIME:%H:%M}.",
        f"Record the review: {_site_link('plans:review_add', plan.pk)}",
    ]
    event = _event(
        uid=f"plan-{plan.pk}-review-{number}@{_host()}",
        sequence=max(plan.version - 1, 0),
        start=start,
        end=start + REVIEW_LENGTH,
        summary=f"Plan review: {pupil.display_name}",
        description="\n\n".join(lines),
        location=plan.school.name,
        last_modified=plan.updated_at,
    )
    event.add("status", "TENTATIVE")
    return _calendar(event)


def meeting_filename(meeting: Meeting) -> str:
    return f"reintegration-meeting-{timezone.localtime(meeting.scheduled_for, LONDON):%Y-%m-%d}.ics"


def review_filename(plan: ReintegrationPlan) -> str:
    day: date | None = plan.next_review_date
    return f"plan-review-{day:%Y-%m-%d}.ics" if day else "plan-review.ics"


# --- Building blocks ----------------------------------------------------------------------------------------


def _event(
    *,
    uid: str,
    sequence: int,
    start: datetime,
    end: datetime,
    summary: str,
    description: str,
    location: str,
    last_modified: datetime,
) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", timezone.now().astimezone(ZoneInfo("UTC")))
    event.add("sequence", sequence)
    event.add("dtstart", start)
    event.add("dtend", end)
    event.add("summary", summary)
    event.add("description", description)
    if location:
        event.add("location", location)
    event.add("last-modified", last_modified.astimezone(ZoneInfo("UTC")))
    event.add("transp", "OPAQUE")
    return event


def _calendar(event: Event) -> str:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add_component(_london())
    calendar.add_component(event)
    ical: bytes = calendar.to_ical()
    return ical.decode("utf-8")


def _london() -> Timezone:
    """Europe/London as the compact VTIMEZONE calendar programs write: BST from 01:00 GMT on the last Sunday of
    March to 02:00 BST on the last Sunday of October (the rule since 1996)."""
    zone = Timezone()
    zone.add("tzid", "Europe/London")
    summer = TimezoneDaylight()
    summer.add("tzname", "BST")
    summer.add("tzoffsetfrom", timedelta(0))
    summer.add("tzoffsetto", timedelta(hours=1))
    summer.add("dtstart", datetime(1970, 3, 29, 1, 0))
    summer.add("rrule", {"freq": "yearly", "bymonth": 3, "byday": "-1SU"})
    winter = TimezoneStandard()
    winter.add("tzname", "GMT")
    winter.add("tzoffsetfrom", timedelta(hours=1))
    winter.add("tzoffsetto", timedelta(0))
    winter.add("dtstart", datetime(1970, 10, 25, 2, 0))
    winter.add("rrule", {"freq": "yearly", "bymonth": 10, "byday": "-1SU"})
    zone.add_component(summer)
    zone.add_component(winter)
    return zone


def _meeting_location(meeting: Meeting) -> str:
    """The room or the link; for a meeting in person with no room given, the school's name and address."""
    location = meeting.location.strip()
    if location:
        return location
    if meeting.mode == Meeting.Mode.IN_PERSON:
        school = meeting.plan.school
        return ", ".join([school.name, *(line.strip() for line in school.address.splitlines() if line.strip())])
    return ""


def _host() -> str:
    return urlsplit(settings.SITE_URL).hostname or "reintegrate.invalid"


def _site_link(name: str, pk: int) -> str:
    return f"{settings.SITE_URL}{reverse(name, args=[pk])}"


def _minutes(length: timedelta) -> int:
    return int(length.total_seconds() // 60)

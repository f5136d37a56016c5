"""Retention: records are kept until the pupil's 25th birthday, then listed and anonymised by `manage.py retention`.

All data is fictional. Time is frozen at Wednesday 18/11/2026, so a pupil born on 17/11/2001 turned 25 yesterday.
"""

from __future__ import annotations

import io
import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from auditlog.models import LogEntry
from django.core.management import call_command
from django.core.management.base import CommandError

from duties.board_services import board_consideration_save
from duties.models import BoardConsideration, Duty
from duties.services import duty_complete
from plans import part_time, services
from plans.models import (
    Criterion,
    Goal,
    Meeting,
    MeetingParticipant,
    PartTimeTimetable,
    ReintegrationPlan,
    Review,
    ReviewCriterionResult,
    SupportAction,
)
from pupils.models import Contact, PreviousSchoolSuspension, Pupil
from pupils.retention import (
    REMOVED,
    is_past_retention,
    placeholder_upn,
    pupil_anonymise,
    retention_date,
)
from pupils.validators import validate_upn
from suspensions.models import Suspension
from suspensions.selectors import pupil_suspension_summary
from testsupport.factories import ContactFactory, PupilFactory
from testsupport.plans import active_plan, record_review
from testsupport.suspensions import cancel, headteacher_of, record

LONDON = ZoneInfo("Europe/London")
TODAY = date(2026, 11, 18)
FIRST, LAST, PREFERRED = "Zephyrine", "Quillfeather", "Zeph"
PARENT = "Marigold Quillfeather"
PHONE = "01632 960123"
EMAIL = "marigold@family.example"


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("retention", *args, stdout=out)
    return out.getvalue()


def former_pupil(school, *, born: date = date(2001, 11, 17), **kwargs) -> Pupil:
    return PupilFactory(
        school=school,
        legal_first_name=FIRST,
        legal_last_name=LAST,
        preferred_first_name=PREFERRED,
        date_of_birth=born,
        sen_status=Pupil.SEN.SUPPORT,
        sen_detail=f"{FIRST} has dyslexia; reading support twice a week.",
        **kwargs,
    )


def full_record(pupil: Pupil) -> dict[str, object]:
    """Every kind of record about the pupil, each holding their name somewhere in its text."""
    head = headteacher_of(pupil)
    ContactFactory(pupil=pupil, name=PARENT, phone=PHONE, email=EMAIL, address="12 Pemberton Road\nExampletown EX2 2BB")
    PreviousSchoolSuspension.objects.create(
        pupil=pupil,
        school_name="Hillcrest Primary",
        academic_year_start=date(2026, 9, 1),
        sessions=2,
        note=f"{FIRST}'s file from Hillcrest Primary",
        recorded_by=head,
    )
    earlier = record(
        pupil, start=date(2026, 10, 5), sessions=2, incident_summary=f"{FIRST} {LAST} damaged a fire door."
    )
    cancel(earlier, by=head, reason=f"CCTV showed {FIRST} was not there.")
    plan = active_plan(pupil, head)  # its suspension: Monday 09/11/2026, 2 days
    suspension = plan.suspension
    Suspension.objects.filter(pk=suspension.pk).update(incident_summary=f"{FIRST} {LAST} threw a chair in science.")
    services.meeting_save(
        plan=plan,
        version=None,
        status=Meeting.Status.HELD,
        scheduled_for=datetime(2026, 11, 11, 9, 0, tzinfo=LONDON),
        mode=Meeting.Mode.IN_PERSON,
        location="Pastoral office",
        pupil_views=f"{FIRST} said science is too loud.",
        parent_views=f"{PARENT} wants a weekly phone call.",
        notes=f"{FIRST} agreed the time-out card.",
        participants=[
            {"name": f"{FIRST} {LAST}", "role": "Pupil", "invited": True, "attended": True},
            {"name": PARENT, "role": "Mother", "invited": True, "attended": True},
        ],
    )
    plan.refresh_from_db()
    goal = plan.goals.get()
    Goal.objects.filter(pk=goal.pk).update(pupil_aim=f"I'm {FIRST} and I want to stay in science.")
    SupportAction.objects.filter(goal=goal).update(description=f"Meet {FIRST} at the gate", owner=PARENT)
    Criterion.objects.filter(goal=goal).update(baseline_note=f"{FIRST} had five on-calls")
    review = record_review(plan, head, participants=f"{FIRST} {LAST}\n{PARENT}", notes=f"{FIRST} settled well.")
    ReviewCriterionResult.objects.filter(review=review).update(comment=f"{FIRST} had one on-call")
    part_time.part_time_timetable_record(
        plan=plan,
        start_date=date(2026, 11, 23),
        end_date=date(2026, 12, 4),
        arrangements=f"{FIRST} attends mornings in the learning support base.",
        parents_agreed_on=date(2026, 11, 17),
        not_for_behaviour_confirmed=True,
        recorded_by=head,
    )
    duty = Duty.objects.filter(suspension=suspension, status=Duty.Status.OPEN).first()
    assert duty is not None
    duty_complete(
        duty=duty,
        done_by=head,
        done_at=datetime(2026, 11, 9, 12, 0, tzinfo=LONDON),
        method=Duty.Method.PHONE,
        evidence=f"Spoke to {PARENT} on {PHONE}.",
    )
    board_consideration_save(
        suspension=suspension,
        notified_on=date(2026, 11, 10),
        representations_received_on=date(2026, 11, 12),
        considered_on=date(2026, 11, 17),
        attendees=f"{PARENT}\nMs Okafor (chair of governors)",
        mode=BoardConsideration.Mode.IN_PERSON,
        decision=BoardConsideration.Decision.REPRESENTATIONS_NOTED,
        reinstatement_date=None,
        notes=f"{PARENT} may make representations about {FIRST}.",
        recorded_by=head,
    )
    return {"plan": plan, "suspension": suspension, "review": review}


def figures(pupil: Pupil) -> tuple[object, ...]:
    summary = pupil_suspension_summary(pupil, today=TODAY)
    return (
        summary.term_days,
        summary.year_days,
        list(
            Suspension.objects.filter(pupil=pupil)
            .order_by("id")
            .values_list("kind", "status", "start_date", "sessions", "last_day", "return_date", "occupied_sessions")
        ),
        sorted(Suspension.reasons.through.objects.filter(suspension__pupil=pupil).values_list("reasoncode__code")),
        list(PreviousSchoolSuspension.objects.filter(pupil=pupil).values_list("sessions", "academic_year_start")),
        sorted(Duty.objects.filter(pupil=pupil).values_list("kind", "status", "due_date")),
        list(ReintegrationPlan.objects.filter(pupil=pupil).values_list("status", "next_review_date")),
        list(Review.objects.filter(plan__pupil=pupil).values_list("held_on", "decision", "next_review_date")),
        list(ReviewCriterionResult.objects.filter(review__plan__pupil=pupil).values_list("observed_value", "met")),
        list(Goal.objects.filter(plan__pupil=pupil).values_list("area", "lifecycle_status", "achievement_status")),
        list(Criterion.objects.filter(goal__plan__pupil=pupil).values_list("measure", "target_value", "due_date")),
        list(MeetingParticipant.objects.filter(meeting__plan__pupil=pupil).values_list("invited", "attended")),
        list(PartTimeTimetable.objects.filter(plan__pupil=pupil).values_list("start_date", "end_date")),
    )


def database_dump() -> str:
    out = io.StringIO()
    call_command("dumpdata", stdout=out)
    return out.getvalue()


# The rule


def test_the_retention_date_is_the_25th_birthday():
    assert retention_date(date(2001, 11, 17), years=25) == date(2026, 11, 17)


def test_a_29_february_birthday_falls_on_28_february_in_a_year_that_is_not_a_leap_year():
    assert retention_date(date(2000, 2, 29), years=25) == date(2025, 2, 28)
    assert retention_date(date(2000, 2, 29), years=24) == date(2024, 2, 29)


def test_records_are_still_kept_on_the_25th_birthday_and_past_retention_the_day_after():
    assert not is_past_retention(date(2001, 11, 18), today=TODAY, years=25)
    assert is_past_retention(date(2001, 11, 17), today=TODAY, years=25)


def test_the_placeholder_upn_is_a_valid_temporary_upn_ending_in_a_letter():
    upn = placeholder_upn(42)

    validate_upn(upn)
    assert upn[-1].isalpha()
    assert placeholder_upn(42) == upn
    assert placeholder_upn(43) != upn


# Listing


def test_a_pupil_whose_25th_birthday_was_yesterday_is_listed_by_id_without_a_name(school):
    pupil = former_pupil(school, born=date(2001, 11, 17))

    output = run()

    assert "Larkfield Academy (URN 999001): 1 pupil past retention" in output
    assert f"pupil {pupil.pk}: kept until 17/11/2026" in output
    for personal in (FIRST, LAST, pupil.upn):
        assert personal not in output
    assert "manage.py retention --anonymise --yes" in output


def test_a_pupil_whose_25th_birthday_is_today_is_not_listed(school):
    pupil = former_pupil(school, born=date(2001, 11, 18))

    output = run()

    assert f"pupil {pupil.pk}" not in output
    assert "No pupil's records are past retention." in output


def test_a_leap_day_birthday_is_past_retention_from_1_march(school, frozen_time):
    pupil = former_pupil(school, born=date(2000, 2, 29))

    frozen_time.move_to(datetime(2025, 2, 28, 10, 0, tzinfo=LONDON))
    assert f"pupil {pupil.pk}" not in run()

    frozen_time.move_to(datetime(2025, 3, 1, 10, 0, tzinfo=LONDON))
    assert f"pupil {pupil.pk}: kept until 28/02/2025" in run()


def test_pupils_are_counted_by_school(school, other_school):
    former_pupil(school)
    former_pupil(school, born=date(1999, 5, 1))
    former_pupil(other_school)
    PupilFactory(school=school, date_of_birth=date(2013, 3, 14))

    output = run()

    assert "Brookside School (URN 999002): 1 pupil past retention" in output
    assert "Larkfield Academy (URN 999001): 2 pupils past retention" in output
    assert "Total: 3 pupils past retention at 2 schools." in output


def test_the_retention_period_follows_the_setting(school, settings):
    pupil = former_pupil(school, born=date(2001, 11, 17))
    settings.RETENTION_YEARS_AFTER_BIRTH = 30

    output = run()

    assert f"pupil {pupil.pk}" not in output
    assert "RETENTION_YEARS_AFTER_BIRTH = 30" in output


# Anonymising


def test_anonymising_without_yes_is_refused_and_changes_nothing(school):
    pupil = former_pupil(school)
    ContactFactory(pupil=pupil, name=PARENT)

    with pytest.raises(CommandError, match=re.escape("run: manage.py retention --anonymise --yes")):
        run("--anonymise")

    pupil.refresh_from_db()
    assert pupil.legal_first_name == FIRST
    assert Contact.objects.filter(pupil=pupil).count() == 1


def test_anonymising_removes_every_name_contact_and_note_from_the_whole_database(school):
    pupil = former_pupil(school)
    upn = pupil.upn
    made = full_record(pupil)
    erased = ContactFactory(pupil=pupil, name="Bartholomew Quillfeather")
    erased.delete()  # an earlier erasure: its audit entry still holds the name
    dump_before = database_dump()
    for personal in (FIRST, PARENT, "Bartholomew"):
        assert personal in dump_before

    output = run("--anonymise", "--yes")

    assert f"anonymised pupil {pupil.pk}" in output
    assert "Anonymised 1 pupil." in output
    dump = database_dump()
    for personal in (FIRST, LAST, PREFERRED, PARENT, "Marigold", "Bartholomew", PHONE, EMAIL, "Pemberton", upn):
        assert personal not in dump, personal
    pupil.refresh_from_db()
    assert pupil.display_name == f"Former pupil {pupil.pk}"
    assert pupil.upn == placeholder_upn(pupil.pk)
    assert pupil.date_of_birth == date(2001, 1, 1)
    assert pupil.sen_detail == ""
    assert pupil.sen_status == Pupil.SEN.SUPPORT
    assert not Contact.objects.filter(pupil=pupil).exists()
    suspension = Suspension.objects.get(pk=made["suspension"].pk)
    assert suspension.incident_summary == REMOVED
    assert Review.objects.get(pk=made["review"].pk).snapshot == {}
    assert Review.objects.get(pk=made["review"].pk).notes == REMOVED
    assert Goal.objects.get(plan=made["plan"]).pupil_aim == REMOVED
    assert BoardConsideration.objects.get(suspension=suspension).notes == REMOVED
    assert Criterion.objects.get(goal__plan=made["plan"]).measure == "On-call logs per week"


def test_anonymising_keeps_the_figures_true(school):
    pupil = former_pupil(school)
    full_record(pupil)
    before = figures(pupil)

    pupil_anonymise(pupil=pupil, by_system_reason="retention")

    assert figures(pupil) == before
    assert figures(pupil)[0] == "2"  # two days this term: the figures are not empty


def test_anonymising_is_recorded_once_in_the_audit_log_as_a_system_action(school):
    pupil = former_pupil(school)

    run("--anonymise", "--yes")

    entries = LogEntry.objects.filter(changes__anonymised__isnull=False)
    assert entries.count() == 1
    entry = entries.get()
    assert entry.object_pk == str(pupil.pk)
    assert entry.action == LogEntry.Action.UPDATE
    assert entry.changes == {"anonymised": ["", "retention"]}
    assert entry.actor is None


def test_anonymising_twice_changes_nothing_the_second_time(school):
    pupil = former_pupil(school)
    run("--anonymise", "--yes")
    pupil.refresh_from_db()
    after_first = (pupil.legal_first_name, pupil.legal_last_name, pupil.upn, pupil.date_of_birth)

    output = run("--anonymise", "--yes")
    pupil_anonymise(pupil=pupil, by_system_reason="retention")

    assert "No pupil's records are past retention." in output
    pupil.refresh_from_db()
    assert (pupil.legal_first_name, pupil.legal_last_name, pupil.upn, pupil.date_of_birth) == after_first
    assert LogEntry.objects.filter(changes__anonymised__isnull=False).count() == 1


def test_pupils_still_within_retention_are_left_alone(school, pupil):
    ContactFactory(pupil=pupil, name=PARENT)
    former_pupil(school)

    run("--anonymise", "--yes")

    pupil.refresh_from_db()
    assert pupil.legal_name == "Jordan Ashby"
    assert Contact.objects.filter(pupil=pupil).count() == 1

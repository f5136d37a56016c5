"""The change log: every create, update and delete of pupil-related data, with the actor, address and fields."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.urls import reverse

from conftest import client_for
from plans import services
from plans.models import Goal, Meeting, MeetingParticipant, ReintegrationPlan, ReviewCriterionResult, ReviewGoalStatus
from pupils.models import Contact, PreviousSchoolSuspension, Pupil
from schools.models import Membership, NonSchoolDay, Role
from suspensions.models import ReasonCode, Suspension
from testsupport.factories import ContactFactory, MembershipFactory, UserFactory
from testsupport.plans import active_plan, draft_plan, goal_fields, record_review

ADDRESS = "203.0.113.7"


def entries_for(obj, action=None):
    found = LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(obj), object_pk=str(obj.pk))
    if action is not None:
        found = found.filter(action=action)
    return list(found.order_by("timestamp", "id"))


def test_a_strategy_change_is_logged_with_the_fields_changed_the_actor_and_the_address(pupil, headteacher):
    plan = draft_plan(pupil, headteacher)
    response = client_for(headteacher).post(
        reverse("plans:edit", args=[plan.pk]),
        {
            "strategy": "Fictional: meet the key adult at the gate each morning.",
            "key_adult": "",
            "check_in_frequency": "daily",
            "support_measures": "",
            "reasonable_adjustments": "",
            "next_review_date": f"{plan.suspension.return_date + timedelta(days=14):%d/%m/%Y}",
            "version": str(plan.version),
            "action": "activate",
        },
        REMOTE_ADDR=ADDRESS,
    )
    assert response.status_code == 302

    [entry] = entries_for(plan, LogEntry.Action.UPDATE)
    assert entry.actor == headteacher
    assert entry.remote_addr == ADDRESS
    assert entry.changes["strategy"] == ["", "Fictional: meet the key adult at the gate each morning."]
    assert entry.changes["status"] == ["draft", "active"]
    assert entry.changes["check_in_frequency"] == ["", "daily"]
    assert entry.additional_data == {"pupil_id": pupil.pk}


def test_a_conflicting_strategy_edit_logs_nothing(pupil, headteacher):
    plan = active_plan(pupil, headteacher, with_goal=False)
    before = len(entries_for(plan, LogEntry.Action.UPDATE))
    stale = ReintegrationPlan.objects.get(pk=plan.pk)
    stale.version -= 1
    with pytest.raises(ValidationError):
        services.plan_update(
            plan=stale,
            version=stale.version,
            strategy="Lost update",
            key_adult=None,
            support_measures="",
            check_in_frequency="",
            reasonable_adjustments="",
            activate=False,
        )
    assert len(entries_for(plan, LogEntry.Action.UPDATE)) == before
    assert ReintegrationPlan.objects.get(pk=plan.pk).strategy != "Lost update"


def test_recording_a_suspension_logs_the_suspension_its_reasons_and_its_plan(pupil, headteacher):
    response = client_for(headteacher).post(
        reverse("suspensions:record", args=[pupil.pk]),
        {
            "kind": "suspension",
            "start_date": "20/11/2026",
            "start_session": "am",
            "sessions": "2",
            "reasons": [ReasonCode.objects.get(code="DB", valid_to__isnull=True).pk],
            "incident_summary": "Fictional: left the lesson without permission.",
            "decided_by": Membership.objects.get(user=headteacher).pk,
        },
        REMOTE_ADDR=ADDRESS,
    )
    assert response.status_code == 302
    suspension = Suspension.objects.get(pupil=pupil)
    [created] = entries_for(suspension, LogEntry.Action.CREATE)
    assert (created.actor, created.remote_addr) == (headteacher, ADDRESS)
    assert created.changes["incident_summary"] == ["None", "Fictional: left the lesson without permission."]
    reasons = [e for e in entries_for(suspension, LogEntry.Action.UPDATE) if "reasons" in e.changes]
    assert reasons[0].changes["reasons"]["operation"] == "add"
    assert reasons[0].changes["reasons"]["objects"][0].startswith("DB")
    [plan_created] = entries_for(suspension.plan, LogEntry.Action.CREATE)
    assert plan_created.actor == headteacher


def test_changing_and_deleting_pupil_records_are_logged(pupil, headteacher):
    contact = ContactFactory(pupil=pupil, name="Fictional Parent", phone="01632 960001")
    [created] = entries_for(contact, LogEntry.Action.CREATE)
    assert created.changes["name"] == ["None", "Fictional Parent"]

    contact.phone = "01632 960002"
    contact.save()
    [updated] = entries_for(contact, LogEntry.Action.UPDATE)
    assert updated.changes == {"phone": ["01632 960001", "01632 960002"]}

    contact_pk = contact.pk
    contact.delete()
    deleted = LogEntry.objects.get(
        content_type=ContentType.objects.get_for_model(Contact),
        object_pk=str(contact_pk),
        action=LogEntry.Action.DELETE,
    )
    assert deleted.additional_data == {"pupil_id": pupil.pk}


def test_deleting_days_at_a_previous_school_through_the_page_is_logged_with_the_actor(pupil, headteacher):
    entry = PreviousSchoolSuspension.objects.create(
        pupil=pupil,
        school_name="Oakwood Academy",
        academic_year_start=date(2026, 9, 1),
        sessions=2,
        recorded_by=headteacher,
    )
    response = client_for(headteacher).post(
        reverse("pupils:previous_school_delete", args=[pupil.pk, entry.pk]), REMOTE_ADDR=ADDRESS
    )
    assert response.status_code == 302
    assert not PreviousSchoolSuspension.objects.filter(pk=entry.pk).exists()
    [deleted] = entries_for(entry, LogEntry.Action.DELETE)
    assert (deleted.actor, deleted.remote_addr) == (headteacher, ADDRESS)
    assert deleted.additional_data == {"pupil_id": pupil.pk}


def test_a_pupil_update_records_only_the_fields_that_changed(pupil):
    pupil.sen_status = Pupil.SEN.SUPPORT
    pupil.save()
    [entry] = entries_for(pupil, LogEntry.Action.UPDATE)
    assert entry.changes == {"sen_status": ["N", "K"]}


def test_bulk_writes_in_the_meeting_goal_and_review_services_are_logged(pupil, headteacher):
    plan = active_plan(pupil, headteacher)
    participants = [{"name": "Fictional Pupil", "role": "Pupil", "invited": True, "attended": None}]
    meeting = services.meeting_save(
        plan=plan,
        version=None,
        status="arranged",
        scheduled_for=datetime(2026, 11, 19, 9, 0),
        mode="in_person",
        location="Room 4",
        pupil_views="",
        parent_views="",
        notes="",
        participants=participants,
    )
    [participant] = MeetingParticipant.objects.filter(meeting=meeting)
    assert entries_for(participant, LogEntry.Action.CREATE)

    services.meeting_save(
        plan=plan,
        version=meeting.version,
        status="arranged",
        scheduled_for=meeting.scheduled_for,
        mode="remote",
        location="A video link",
        pupil_views="",
        parent_views="",
        notes="",
        participants=participants,
    )
    [changed] = entries_for(Meeting.objects.get(pk=meeting.pk), LogEntry.Action.UPDATE)
    assert changed.changes["mode"] == ["in_person", "remote"]
    assert entries_for(participant, LogEntry.Action.DELETE)

    goal = plan.goals.get()
    fields = goal_fields(pupil_aim="I want to stay in every lesson.")
    fields["criteria"] = [{**row, "id": c.pk} for row, c in zip(fields["criteria"], goal.criteria.all(), strict=True)]
    fields["actions"] = [{**row, "id": a.pk} for row, a in zip(fields["actions"], goal.actions.all(), strict=True)]
    services.goal_update(goal=goal, version=goal.version, **fields)
    [goal_changed] = entries_for(goal, LogEntry.Action.UPDATE)
    assert goal_changed.changes["pupil_aim"][1] == "I want to stay in every lesson."

    review = record_review(ReintegrationPlan.objects.get(pk=plan.pk), headteacher)
    assert entries_for(ReviewCriterionResult.objects.get(review=review), LogEntry.Action.CREATE)
    assert entries_for(ReviewGoalStatus.objects.get(review=review), LogEntry.Action.CREATE)
    goal_entries = entries_for(Goal.objects.get(pk=goal.pk), LogEntry.Action.UPDATE)
    assert any("achievement_status" in e.changes for e in goal_entries)
    plan_entries = entries_for(plan, LogEntry.Action.UPDATE)
    assert any("next_review_date" in e.changes for e in plan_entries[1:])


def test_school_configuration_is_logged_including_days_made_in_bulk(school):
    days = NonSchoolDay.objects.filter(school=school)
    logged = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(NonSchoolDay), action=LogEntry.Action.CREATE
    )
    assert logged.count() == days.count() > 0
    membership = MembershipFactory(school=school, role=Role.TEACHER)
    assert entries_for(membership, LogEntry.Action.CREATE)


def test_user_accounts_are_not_logged_so_no_password_hash_is_stored(db):
    user = UserFactory()
    user.set_password("another-fictional-passphrase")
    user.save()
    assert not LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(user)).exists()
    assert not LogEntry.objects.filter(changes__icontains="md5$").exists()

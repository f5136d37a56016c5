"""Retention of pupils' records, and their anonymisation once the retention period has ended.

Rule: a pupil's records are kept until the pupil's 25th birthday, that is date of birth plus
settings.RETENTION_YEARS_AFTER_BIRTH years (25 by default; a school may set a longer period).
Source: domain.md section 6, "Data protection": the IRMS Information Management Toolkit for Schools, as adopted
by local authorities' retention schedules, keeps pupil records "until the pupil's 25th birthday" (Lincolnshire:
"date of birth plus 25 years"). The toolkit is guidance, not a standard, and its row for exclusion records is
unverified here.

Anonymisation removes everything that identifies the pupil or their family (names, UPN, exact date of birth,
contacts and every free-text note) and keeps what the school's figures are made of: dates, sessions, reason
codes, kinds, statuses and counts. So suspension totals, the census and the figures page stay true.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from auditlog import get_logentry_model
from auditlog.context import disable_auditlog
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import Case, Q, Value, When

from duties.models import BoardConsideration, Duty
from plans.models import (
    Criterion,
    Goal,
    Meeting,
    MeetingParticipant,
    PartTimeTimetable,
    ReintegrationPlan,
    Review,
    ReviewCriterionResult,
    ReviewGoalStatus,
    SupportAction,
)
from pupils.models import Contact, PreviousSchoolSuspension, Pupil
from pupils.validators import upn_check_letter
from schools.models import School
from suspensions.models import Suspension

ANONYMISED_FIRST_NAME = "Former pupil"
REMOVED = "Removed at the end of the retention period."
NAME_REMOVED = "Name removed"
RETENTION_REASON = "retention"


def retention_date(date_of_birth: date, *, years: int) -> date:
    """The last day the pupil's records are kept: the birthday `years` after birth (25 by default).

    Rule: "until the pupil's 25th birthday" (domain.md section 6; the IRMS toolkit for schools as adopted by
    local authorities). A birthday on 29 February falls on 28 February in a year that is not a leap year.
    """
    try:
        return date_of_birth.replace(year=date_of_birth.year + years)
    except ValueError:  # 29 February in a year that is not a leap year
        return date(date_of_birth.year + years, 2, 28)


def is_past_retention(date_of_birth: date, *, today: date, years: int) -> bool:
    """True once the retention date has passed: on the 25th birthday itself the records are still kept."""
    return retention_date(date_of_birth, years=years) < today


def is_anonymised(pupil: Pupil) -> bool:
    """Derived from the record itself, so that nothing else needs to be kept in step."""
    return pupil.legal_first_name == ANONYMISED_FIRST_NAME


def placeholder_upn(pupil_id: int) -> str:
    """A valid temporary UPN for an anonymised pupil: deterministic, unique, and ending in a letter.

    Its 11 digits are the pupil's id (local authority number 000, which no authority has), then "Z" as a
    temporary UPN's last character; the check letter is computed as for any UPN (pupils.validators).
    """
    body = f"{pupil_id:011d}Z"
    if len(body) != 12:
        raise ValueError("A pupil id over 11 digits does not fit in a UPN.")
    return upn_check_letter(body) + body


@dataclass(frozen=True)
class PastRetention:
    pupil_id: int
    retention_date: date


@dataclass(frozen=True)
class SchoolPastRetention:
    school: School
    pupils: list[PastRetention]


def pupils_past_retention(*, today: date, years: int) -> list[SchoolPastRetention]:
    """Pupils whose retention date has passed and who are not yet anonymised, grouped by school (by name)."""
    # A pupil born after the end of (this year - years) cannot be past retention: filter in the database first,
    # then apply the exact rule (with its 29 February case) in Python.
    candidates = (
        Pupil.objects.filter(date_of_birth__year__lte=today.year - years)
        .exclude(legal_first_name=ANONYMISED_FIRST_NAME)
        .select_related("school")
        .order_by("school__name", "school_id", "date_of_birth", "id")
        .only("id", "date_of_birth", "school__id", "school__name", "school__urn")
    )
    grouped: dict[int, SchoolPastRetention] = {}
    for pupil in candidates:
        if not is_past_retention(pupil.date_of_birth, today=today, years=years):
            continue
        group = grouped.setdefault(pupil.school_id, SchoolPastRetention(school=pupil.school, pupils=[]))
        group.pupils.append(PastRetention(pupil.pk, retention_date(pupil.date_of_birth, years=years)))
    return list(grouped.values())


def _redacted(field: str) -> Case:
    """The field's text replaced by REMOVED, or left empty if it was empty."""
    return Case(When(**{field: ""}, then=Value("")), default=Value(REMOVED))


def _redact(queryset: models.QuerySet[Any], *fields: str, **values: Any) -> None:
    queryset.update(**{field: _redacted(field) for field in fields}, **values)


def _ids(queryset: models.QuerySet[Any]) -> list[int]:
    return list(queryset.values_list("pk", flat=True))


def _redact_audit_entries(pupil: Pupil, records: Iterable[tuple[type[models.Model], Sequence[int]]]) -> None:
    """Remove personal data from the audit log entries about the pupil's records.

    The log is otherwise append-only. What stays: who acted, when, from where, the action, and which pupil the
    entry is about (additional_data["pupil_id"]); what goes: the record's text (object_repr), the changed values
    and the serialised copy, which hold names and notes. Entries are found by the pupil id the audit trail tags
    them with (audit.apps), and by the records' ids, for entries written before the tag existed.
    """
    log_entry = get_logentry_model()
    match = Q(additional_data__pupil_id=pupil.pk)
    for model, pks in records:
        if pks:
            match |= Q(content_type=ContentType.objects.get_for_model(model), object_pk__in=[str(pk) for pk in pks])
    log_entry.objects.filter(match).update(object_repr=REMOVED, changes={}, changes_text="", serialized_data=None)


@transaction.atomic
def pupil_anonymise(*, pupil: Pupil, by_system_reason: str) -> Pupil:
    """Anonymise one pupil's records in one transaction, keeping the figures true.

    Removes: names (the pupil becomes "Former pupil <id>"), the UPN (a placeholder), the exact date of birth
    (1 January of the birth year is kept), the SEN detail, every contact, and the free text of suspensions,
    plans, meetings, goals, support actions, criteria notes, reviews (with their snapshots), part-time
    timetables, duties and the governing board's consideration. Keeps dates, sessions, reason codes, kinds,
    statuses, counts and criteria measures. Writes one audit log entry as a system action.
    """
    pupil = Pupil.objects.select_for_update().get(pk=pupil.pk)
    if is_anonymised(pupil):
        return pupil
    suspensions = Suspension.objects.filter(pupil=pupil)
    plans = ReintegrationPlan.objects.filter(pupil=pupil)
    meetings = Meeting.objects.filter(plan__pupil=pupil)
    participants = MeetingParticipant.objects.filter(meeting__plan__pupil=pupil)
    goals = Goal.objects.filter(plan__pupil=pupil)
    actions = SupportAction.objects.filter(goal__plan__pupil=pupil)
    criteria = Criterion.objects.filter(goal__plan__pupil=pupil)
    reviews = Review.objects.filter(plan__pupil=pupil)
    results = ReviewCriterionResult.objects.filter(review__plan__pupil=pupil)
    timetables = PartTimeTimetable.objects.filter(plan__pupil=pupil)
    duties = Duty.objects.filter(pupil=pupil)
    boards = BoardConsideration.objects.filter(suspension__pupil=pupil)
    contacts = Contact.objects.filter(pupil=pupil)
    previous = PreviousSchoolSuspension.objects.filter(pupil=pupil)
    records: list[tuple[type[models.Model], Sequence[int]]] = [
        (Pupil, [pupil.pk]),
        (Contact, _ids(contacts)),
        (PreviousSchoolSuspension, _ids(previous)),
        (Suspension, _ids(suspensions)),
        (ReintegrationPlan, _ids(plans)),
        (Meeting, _ids(meetings)),
        (MeetingParticipant, _ids(participants)),
        (Goal, _ids(goals)),
        (SupportAction, _ids(actions)),
        (Criterion, _ids(criteria)),
        (Review, _ids(reviews)),
        (ReviewCriterionResult, _ids(results)),
        (ReviewGoalStatus, _ids(ReviewGoalStatus.objects.filter(review__plan__pupil=pupil))),
        (PartTimeTimetable, _ids(timetables)),
        (Duty, _ids(duties)),
        (BoardConsideration, _ids(boards)),
    ]
    # The changes below are not logged field by field: the old values are the personal data being removed.
    # One system entry is written instead, at the end.
    with disable_auditlog():
        Pupil.objects.filter(pk=pupil.pk).update(
            legal_first_name=ANONYMISED_FIRST_NAME,
            legal_last_name=str(pupil.pk),
            preferred_first_name="",
            preferred_last_name="",
            upn=placeholder_upn(pupil.pk),
            date_of_birth=date(pupil.date_of_birth.year, 1, 1),
            sen_detail="",
        )
        contacts.delete()
        previous.update(note="")
        _redact(suspensions, "incident_summary", "cancellation_reason")
        _redact(plans, "strategy", "support_measures", "reasonable_adjustments", "no_meeting_reason")
        _redact(meetings, "pupil_views", "parent_views", "notes", location="")
        participants.update(name=NAME_REMOVED)
        _redact(goals, "pupil_aim", "current_position", "pupil_actions", expressed_by_name="")
        _redact(actions, "description", "owner")
        criteria.update(baseline_note="")
        # Reviews are append-only (Review.save refuses updates). Anonymisation at the end of the retention
        # period is the one sanctioned exception: QuerySet.update() writes past save() on purpose, and the
        # change is recorded in the audit log as a system action below.
        _redact(reviews, "participants", "notes", snapshot={})
        results.update(comment="")
        _redact(timetables, "arrangements")
        _redact(duties, "detail", "evidence")
        _redact(boards, "attendees", "notes")
        _redact_audit_entries(pupil, records)
    pupil.refresh_from_db()
    get_logentry_model().objects.log_create(
        pupil,
        force_log=True,
        action=get_logentry_model().Action.UPDATE,
        changes={"anonymised": ["", by_system_reason]},
        actor=None,
        additional_data={"pupil_id": pupil.pk, "system_action": by_system_reason},
    )
    return pupil

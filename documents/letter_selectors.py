"""Reads for letters: the facts of one suspension, its plan and meeting, and the family to write to.

Every figure comes from the records or from reintegrate.statutory (through the suspension's stored period and the
board's requirement in duties.board_services); nothing here counts days itself.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from documents.letters import (
    BOARD_IF_REPRESENTATIONS,
    BOARD_MUST_MEET,
    BOARD_REPRESENTATIONS_ONLY,
    GoalFacts,
    LetterFacts,
    MeetingFacts,
    PlanFacts,
    Recipient,
    SuspensionFacts,
)
from documents.models import IssuedDocument, LetterKind, LetterTemplate
from documents.pdf import letterhead_for
from duties.board_services import board_requirement
from duties.models import Duty
from plans.models import Goal, Meeting, ReintegrationPlan
from pupils.models import Contact, Pupil
from reintegrate import statutory
from schools.access import Access, Can
from schools.models import School
from schools.selectors import school_calendar
from suspensions.models import Suspension

_BANDS = {
    statutory.BoardDuty.MUST_CONSIDER_REINSTATEMENT: BOARD_MUST_MEET,
    statutory.BoardDuty.CONSIDER_IF_REPRESENTATIONS: BOARD_IF_REPRESENTATIONS,
    statutory.BoardDuty.REPRESENTATIONS_ONLY: BOARD_REPRESENTATIONS_ONLY,
}


def family_contacts(pupil: Pupil) -> list[Contact]:
    """The adults with parental responsibility, first to contact first: the people letters go to."""
    return list(pupil.contacts.filter(parental_responsibility=True).order_by("priority", "name"))


def as_recipient(contact: Contact) -> Recipient:
    return Recipient(name=contact.name, relationship=contact.relationship, email=contact.email, address=contact.address)


def _suspension_facts(suspension: Suspension) -> SuspensionFacts:
    period = suspension.period
    assert period is not None, "letters are written for suspensions, which have a fixed period"
    today = timezone.localdate()
    board = getattr(suspension, "board_consideration", None)
    requirement = board_requirement(suspension, notified_on=board.notified_on if board else None, today=today)
    cancelled_on = timezone.localdate(suspension.cancelled_at) if suspension.cancelled_at else None
    back_on = None
    if cancelled_on is not None and cancelled_on >= suspension.start_date:
        try:
            back_on = statutory.next_school_day(school_calendar(suspension.school), cancelled_on)
        except statutory.CalendarError:
            back_on = None
    assert suspension.return_date is not None
    assert suspension.last_day is not None
    return SuspensionFacts(
        kind=suspension.get_kind_display().lower(),
        length=suspension.days_label,
        first_day=suspension.start_date,
        last_day=suspension.last_day,
        return_date=suspension.return_date,
        return_session="afternoon" if suspension.return_session == statutory.Session.PM else "morning",
        reason_codes=tuple(reason.description for reason in suspension.reasons.all()),
        first_five_days=tuple(statutory.first_five_days(period)),
        provision_from=statutory.provision_from(period),
        board_duty=_BANDS[requirement.duty],
        misses_public_exam=suspension.misses_public_exam,
        is_cancelled=suspension.is_cancelled,
        cancelled_on=cancelled_on,
        cancellation_reason=suspension.cancellation_reason,
        back_on=back_on,
    )


def _meeting_facts(plan: ReintegrationPlan | None) -> MeetingFacts | None:
    meeting = getattr(plan, "meeting", None) if plan is not None else None
    if meeting is None:
        return None
    return MeetingFacts(
        starts_at=timezone.localtime(meeting.scheduled_for).replace(tzinfo=None),
        is_remote=meeting.mode == Meeting.Mode.REMOTE,
        mode=meeting.get_mode_display(),
        location=meeting.location,
        participants=tuple((p.name, p.role) for p in meeting.participants.all() if p.invited),
    )


def _plan_facts(plan: ReintegrationPlan | None) -> PlanFacts | None:
    if plan is None:
        return None
    key_adult = plan.key_adult.get_full_name() or plan.key_adult.get_username() if plan.key_adult else ""
    goals = tuple(
        GoalFacts(
            area=goal.get_area_display(),
            aim=goal.pupil_aim,
            actions=goal.pupil_actions,
            target_date=goal.target_date,
            support=tuple(f"{a.description} ({a.owner})" for a in goal.actions.all()),
        )
        for goal in plan.goals.all()
        if goal.lifecycle_status in (Goal.Lifecycle.ACTIVE, Goal.Lifecycle.PROPOSED)
    )
    return PlanFacts(
        strategy=plan.strategy,
        key_adult=key_adult,
        check_ins=plan.get_check_in_frequency_display().lower() if plan.check_in_frequency else "",
        goals=goals,
        next_review=plan.next_review_date,
        reasonable_adjustments=plan.reasonable_adjustments,
    )


def letter_suspension(pk: int) -> QuerySet[Suspension]:
    """The suspension with everything a letter reads, for schools.access.get_for()."""
    return (
        Suspension.objects.filter(pk=pk)
        .select_related(
            "school", "pupil", "decided_by", "plan", "plan__key_adult", "plan__meeting", "board_consideration"
        )
        .prefetch_related(
            "reasons",
            "plan__meeting__participants",
            Prefetch("plan__goals", queryset=Goal.objects.order_by("area", "id").prefetch_related("actions")),
        )
    )


def letter_facts(suspension: Suspension) -> LetterFacts:
    """Everything a letter about this suspension may say."""
    school = suspension.school
    pupil = suspension.pupil
    letterhead = letterhead_for(school)
    plan = getattr(suspension, "plan", None)
    contacts = family_contacts(pupil)
    languages = {c.preferred_language.strip() for c in contacts if c.preferred_language.strip().lower() != "english"}
    provision = (
        Duty.objects.filter(suspension=suspension, kind=Duty.Kind.SIXTH_DAY_PROVISION, status=Duty.Status.DONE)
        .values_list("evidence", flat=True)
        .first()
    )
    decided_by = suspension.decided_by
    return LetterFacts(
        school_name=school.name,
        school_address=school.address,
        phone=letterhead.phone,
        email=letterhead.email,
        website=letterhead.website,
        signatory_name=letterhead.signatory_name or decided_by.get_full_name() or decided_by.get_username(),
        signatory_title=letterhead.signatory_title or "Headteacher",
        representations_contact=letterhead.representations_contact,
        impartial_advice=tuple(line.strip() for line in letterhead.impartial_advice.splitlines() if line.strip()),
        work_arrangements=letterhead.work_arrangements,
        pupil_first_name=pupil.first_name,
        pupil_full_name=pupil.display_name,
        year_group=pupil.get_year_group_display(),
        suspension=_suspension_facts(suspension),
        meeting=_meeting_facts(plan),
        plan=_plan_facts(plan),
        family_language=", ".join(sorted(languages)),
        recorded_provision=provision or "",
    )


def active_template(school: School, kind: str) -> LetterTemplate | None:
    return LetterTemplate.objects.filter(school=school, kind=kind, is_active=True).first()


def pupil_documents(pupil: Pupil) -> QuerySet[IssuedDocument]:
    """The letters issued about a pupil, newest first, without their (large) stored content."""
    return (
        IssuedDocument.objects.filter(pupil=pupil)
        .select_related("issued_by")
        .defer("pdf", "docx", "body_html", "body_text", "ics")
        .order_by("-issued_at", "-id")
    )


def letter_templates(school: School) -> list[tuple[str, str, LetterTemplate | None]]:
    """Every kind of letter with the school's own template, if it has one: (kind, label, template)."""
    own = {
        t.kind: t
        for t in LetterTemplate.objects.filter(school=school, is_active=True)
        .select_related("uploaded_by")
        .defer("docx")
    }
    return [(kind, str(label), own.get(kind)) for kind, label in LetterKind.choices]


@dataclass(frozen=True)
class LetterAction:
    kind: str
    label: str
    unavailable: str  # why it cannot be written yet ('' when it can)
    last_issued: IssuedDocument | None


def suspension_letter_actions(suspension: Suspension, issued: list[IssuedDocument]) -> list[LetterAction]:
    """Each letter about this suspension: can it be written, and when was it last issued.

    A notice that does not fit the suspension's state is left out unless it was issued: the notice of cancellation
    for a suspension still in force, the notice of suspension once it is cancelled.
    `suspension` needs its plan and meeting loaded (latest_suspension_for_letters); `issued` is the pupil's documents.
    """
    from documents.services import letter_unavailable_reason

    does_not_fit = LetterKind.SUSPENSION_NOTICE if suspension.is_cancelled else LetterKind.CANCELLATION_NOTICE
    actions = []
    for kind, label in LetterKind.choices:
        last = next((d for d in issued if d.suspension_id == suspension.pk and d.kind == kind), None)
        if kind == does_not_fit and last is None:
            continue
        actions.append(LetterAction(kind, str(label), letter_unavailable_reason(kind, suspension), last))
    return actions


def latest_suspension_for_letters(pupil: Pupil) -> Suspension | None:
    """The pupil's latest suspension with its plan and meeting: what the pupil page's letters are about."""
    return (
        Suspension.objects.filter(pupil=pupil)
        .exclude(kind=Suspension.Kind.PERMANENT)
        .select_related("plan", "plan__meeting")
        .order_by("-start_date", "-id")
        .first()
    )


def pupil_letters_context(pupil: Pupil, *, access: Access) -> dict[str, object]:
    """What the pupil page's "Letters and documents" section shows, in a fixed number of queries."""
    can_issue = access.can(Can.ISSUE_LETTERS)
    suspension = latest_suspension_for_letters(pupil) if (can_issue or access.can(Can.VIEW_PLAN_DETAIL)) else None
    issued = list(pupil_documents(pupil)) if can_issue else None
    return {
        "show_letters": True,
        "letters_suspension": suspension,
        "letter_actions": [
            action
            for action in (suspension_letter_actions(suspension, issued or []) if suspension and can_issue else [])
            if action.kind != LetterKind.PLAN_SUMMARY or access.can(Can.VIEW_PLANS)
        ],
        "issued_documents": issued,
        "other_suspension_count": (
            Suspension.objects.filter(pupil=pupil).exclude(pk=suspension.pk).count() if suspension else 0
        ),
    }

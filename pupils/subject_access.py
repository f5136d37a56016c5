"""Subject access: everything held about one pupil, as a ZIP with a readable PDF, the data as JSON, and a README.

UK GDPR Article 15 gives the pupil (and, for a young child, the parent acting for them) the right to a copy of the
personal data held about them. The export holds every record about the pupil in Reintegrate: the pupil's details,
contacts, days at previous schools, suspensions (reasons, dates, cancellation, the governing board's consideration),
reintegration plans (meeting and participants, goals with criteria and actions, reviews with their results and
snapshots, part-time timetables), statutory duties with their evidence, and the letters issued to the family (as
text; the exact PDFs stay on the pupil's record). Staff are named only where the record
itself names them (the key adult, free text); the person who made the export is given by role only.

The data is read in a fixed number of queries, however many suspensions the pupil has.
"""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import timezone

from documents.models import IssuedDocument
from duties.models import Duty
from plans.models import (
    Goal,
    Meeting,
    ReintegrationPlan,
    Review,
    ReviewCriterionResult,
    ReviewGoalStatus,
)
from pupils.models import Pupil
from suspensions.models import Suspension

README = """\
Everything {school} holds about one pupil in Reintegrate

Exported on {generated_on} by the school's {role}.

This ZIP file holds three files:

record.pdf
    The record, laid out to be read and printed: the pupil's details, contacts, days of suspension
    at previous schools, suspensions, reintegration plans (meeting, goals, reviews, part-time
    timetables), the statutory duties the school recorded, the governing board's consideration, and
    the letters sent to the family.
    Dates are written day/month/year.

data.json
    The same record as structured data (JSON), for moving it to another system. Dates are written
    year-month-day (ISO 8601). It also holds each review's snapshot: the plan, goals and criteria as
    they stood when the review was held.

README.txt
    This file.

The export holds personal data about a child. Keep it safe, share it only with the person who asked
for it, and delete it when it is no longer needed.
"""


@dataclass(frozen=True)
class SubjectAccessExport:
    filename: str
    content: bytes
    pdf_pages: int


def _choice(obj: Any, field: str) -> dict[str, str]:
    """A coded value with its label: {"code": "suspension", "label": "Suspension"}."""
    code = getattr(obj, field)
    label = getattr(obj, f"get_{field}_display")() if code else ""
    return {"code": code, "label": str(label)}


def _pupil(pupil: Pupil) -> dict[str, Any]:
    return {
        "id": pupil.pk,
        "upn": pupil.upn,
        "legal_first_name": pupil.legal_first_name,
        "legal_last_name": pupil.legal_last_name,
        "preferred_first_name": pupil.preferred_first_name,
        "preferred_last_name": pupil.preferred_last_name,
        "display_name": pupil.display_name,
        "date_of_birth": pupil.date_of_birth,
        "year_group": _choice(pupil, "year_group"),
        "sex": _choice(pupil, "sex"),
        "sen_status": _choice(pupil, "sen_status"),
        "sen_detail": pupil.sen_detail,
        "fsm_eligible": pupil.fsm_eligible,
        "looked_after": pupil.looked_after,
        "has_social_worker": pupil.has_social_worker,
        "eal": pupil.eal,
        "on_roll": pupil.is_active,
    }


def _board(suspension: Suspension) -> dict[str, Any] | None:
    board = getattr(suspension, "board_consideration", None)
    if board is None:
        return None
    return {
        "notified_on": board.notified_on,
        "representations_received_on": board.representations_received_on,
        "considered_on": board.considered_on,
        "attendees": board.attendees,
        "mode": _choice(board, "mode"),
        "decision": _choice(board, "decision"),
        "reinstatement_date": board.reinstatement_date,
        "notes": board.notes,
    }


def _suspension(suspension: Suspension) -> dict[str, Any]:
    return {
        "id": suspension.pk,
        "kind": _choice(suspension, "kind"),
        "status": _choice(suspension, "status"),
        "start_date": suspension.start_date,
        "start_session": suspension.start_session,
        "sessions": suspension.sessions,
        "length": suspension.days_label,
        "last_day": suspension.last_day,
        "return_date": suspension.return_date,
        "return_session": suspension.return_session,
        "reasons": [{"code": r.code, "description": r.description} for r in suspension.reasons.all()],
        "incident_summary": suspension.incident_summary,
        "decided_by_role": suspension.decided_by_role,
        "recorded_at": suspension.recorded_at,
        "misses_public_exam": suspension.misses_public_exam,
        "exam_date": suspension.exam_date,
        "follows_suspension_id": suspension.follows_id,
        "cancelled_at": suspension.cancelled_at,
        "cancellation_reason": suspension.cancellation_reason,
        "board_consideration": _board(suspension),
    }


def _meeting(plan: ReintegrationPlan) -> dict[str, Any] | None:
    meeting: Meeting | None = getattr(plan, "meeting", None)
    if meeting is None:
        return None
    return {
        "status": _choice(meeting, "status"),
        "scheduled_for": meeting.scheduled_for,
        "mode": _choice(meeting, "mode"),
        "location": meeting.location,
        "pupil_views": meeting.pupil_views,
        "parent_views": meeting.parent_views,
        "notes": meeting.notes,
        "participants": [
            {"name": p.name, "role": p.role, "invited": p.invited, "attended": p.attended}
            for p in meeting.participants.all()
        ],
    }


def _goal(goal: Goal) -> dict[str, Any]:
    return {
        "id": goal.pk,
        "area": _choice(goal, "area"),
        "pupil_aim": goal.pupil_aim,
        "expressed_by": _choice(goal, "expressed_by"),
        "expressed_by_name": goal.expressed_by_name,
        "current_position": goal.current_position,
        "pupil_actions": goal.pupil_actions,
        "start_date": goal.start_date,
        "target_date": goal.target_date,
        "review_dates": goal.review_dates,
        "lifecycle_status": _choice(goal, "lifecycle_status"),
        "achievement_status": _choice(goal, "achievement_status"),
        "criteria": [
            {
                "id": c.pk,
                "measure": c.measure,
                "kind": _choice(c, "kind"),
                "baseline_value": c.baseline_value,
                "baseline_note": c.baseline_note,
                "target": c.target_label,
                "due_date": c.due_date,
            }
            for c in goal.criteria.all()
        ],
        "support_actions": [
            {
                "by_whom": _choice(a, "by_whom"),
                "description": a.description,
                "owner": a.owner,
                "due_date": a.due_date,
                "done_on": a.done_on,
            }
            for a in goal.actions.all()
        ],
    }


def _review(review: Review) -> dict[str, Any]:
    return {
        "id": review.pk,
        "held_on": review.held_on,
        "participants": review.participants,
        "decision": _choice(review, "decision"),
        "next_review_date": review.next_review_date,
        "notes": review.notes,
        "recorded_at": review.recorded_at,
        "criterion_results": [
            {
                "measure": r.criterion.measure,
                "target": r.criterion.target_label,
                "observed_value": r.observed_value,
                "observed_yes": r.observed_yes,
                "met": r.met,
                "comment": r.comment,
            }
            for r in review.criterion_results.all()
        ],
        "goal_statuses": [
            {
                "goal_id": s.goal_id,
                "pupil_aim": s.goal.pupil_aim,
                "achievement_status": _choice(s, "achievement_status"),
            }
            for s in review.goal_statuses.all()
        ],
        "snapshot": review.snapshot,
    }


def _plan(plan: ReintegrationPlan) -> dict[str, Any]:
    key_adult = plan.key_adult
    return {
        "id": plan.pk,
        "suspension_id": plan.suspension_id,
        "suspension_start_date": plan.suspension.start_date,
        "status": _choice(plan, "status"),
        "strategy": plan.strategy,
        "key_adult": key_adult.get_full_name() or key_adult.get_username() if key_adult else "",
        "support_measures": plan.support_measures,
        "check_in_frequency": _choice(plan, "check_in_frequency"),
        "reasonable_adjustments": plan.reasonable_adjustments,
        "no_meeting_reason": plan.no_meeting_reason,
        "next_review_date": plan.next_review_date,
        "outcome": _choice(plan, "outcome"),
        "closed_on": plan.closed_on,
        "created_at": plan.created_at,
        "updated_at": plan.updated_at,
        "meeting": _meeting(plan),
        "goals": [_goal(goal) for goal in plan.goals.all()],
        "reviews": [_review(review) for review in plan.reviews.all()],
        "part_time_timetables": [
            {
                "start_date": t.start_date,
                "end_date": t.end_date,
                "arrangements": t.arrangements,
                "parents_agreed_on": t.parents_agreed_on,
                "ended_on": t.ended_on,
            }
            for t in plan.part_time_timetables.all()
        ],
    }


def _duty(duty: Duty) -> dict[str, Any]:
    return {
        "id": duty.pk,
        "suspension_id": duty.suspension_id,
        "kind": _choice(duty, "kind"),
        "about": _choice(duty, "about"),
        "due_date": duty.due_date,
        "owner_role": _choice(duty, "owner_role"),
        "detail": duty.detail,
        "status": _choice(duty, "status"),
        "done_at": duty.done_at,
        "method": _choice(duty, "method"),
        "evidence": duty.evidence,
    }


def pupil_subject_access_data(*, pupil: Pupil, generated_by_role: str, now: datetime) -> dict[str, Any]:
    """Everything held about the pupil, with dates as date objects (data.json writes them as ISO 8601).

    A fixed number of queries (about 15), whatever the number of suspensions, plans, goals or reviews.
    """
    suspensions = (
        Suspension.objects.filter(pupil=pupil)
        .select_related("board_consideration")
        .prefetch_related("reasons")
        .order_by("start_date", "id")
    )
    plans = (
        ReintegrationPlan.objects.filter(pupil=pupil)
        .select_related("suspension", "meeting", "key_adult")
        .prefetch_related(
            "meeting__participants",
            Prefetch("goals", queryset=Goal.objects.order_by("id").prefetch_related("criteria", "actions")),
            Prefetch(
                "reviews",
                queryset=Review.objects.order_by("held_on", "id").prefetch_related(
                    Prefetch(
                        "criterion_results",
                        queryset=ReviewCriterionResult.objects.select_related("criterion").order_by("id"),
                    ),
                    Prefetch("goal_statuses", queryset=ReviewGoalStatus.objects.select_related("goal").order_by("id")),
                ),
            ),
            "part_time_timetables",
        )
        .order_by("suspension__start_date", "id")
    )
    return {
        "generated_at": now,
        "school": {"name": pupil.school.name, "urn": pupil.school.urn},
        "generated_by": generated_by_role,
        "pupil": _pupil(pupil),
        "contacts": [
            {
                "name": c.name,
                "relationship": c.relationship,
                "parental_responsibility": c.parental_responsibility,
                "phone": c.phone,
                "email": c.email,
                "address": c.address,
                "preferred_language": c.preferred_language,
                "priority": c.priority,
            }
            for c in pupil.contacts.order_by("priority", "name")
        ],
        "previous_school_suspensions": [
            {
                "school_name": p.school_name,
                "academic_year_start": p.academic_year_start,
                "sessions": p.sessions,
                "note": p.note,
                "recorded_at": p.recorded_at,
            }
            for p in pupil.previous_school_suspensions.order_by("academic_year_start", "id")
        ],
        "suspensions": [_suspension(s) for s in suspensions],
        "plans": [_plan(p) for p in plans],
        "duties": [_duty(d) for d in Duty.objects.filter(pupil=pupil).order_by("due_date", "id")],
        "letters": [
            {
                "kind": _choice(d, "kind"),
                "issued_at": d.issued_at,
                "channel": _choice(d, "channel"),
                "recipients": [
                    {"name": r.get("name", ""), "relationship": r.get("relationship", "")} for r in d.recipients
                ],
                "subject": d.subject,
                "text": d.body_text,
            }
            for d in IssuedDocument.objects.filter(pupil=pupil)
            .defer("pdf", "docx", "body_html", "ics")
            .order_by("issued_at", "id")
        ],
    }


def subject_access_json(data: dict[str, Any]) -> str:
    return json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False)


def subject_access_pdf_html(data: dict[str, Any]) -> str:
    """The HTML the PDF is rendered from (templates/pupils/subject_access_pdf.html)."""
    return render_to_string("pupils/subject_access_pdf.html", {"data": data})


def _pdf(html: str) -> tuple[bytes, int]:
    from weasyprint import CSS, HTML  # imported here: it is slow to import and only this export needs it

    stylesheet = CSS(string=render_to_string("pupils/subject_access_pdf.css"))
    document = HTML(string=html).render(stylesheets=[stylesheet])
    return document.write_pdf(), len(document.pages)


def subject_access_filename(pupil: Pupil, on: date) -> str:
    return f"subject-access-{pupil.upn}-{on:%Y%m%d}.zip"


def pupil_subject_access_export(
    *, pupil: Pupil, generated_by_role: str, now: datetime | None = None
) -> SubjectAccessExport:
    """The ZIP: record.pdf, data.json and README.txt."""
    now = now or timezone.now()
    data = pupil_subject_access_data(pupil=pupil, generated_by_role=generated_by_role, now=now)
    pdf, pages = _pdf(subject_access_pdf_html(data))
    readme = README.format(
        school=pupil.school.name,
        generated_on=f"{timezone.localtime(now):%d/%m/%Y at %H:%M}",
        role=generated_by_role.lower(),
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("record.pdf", pdf)
        archive.writestr("data.json", subject_access_json(data))
        archive.writestr("README.txt", readme)
    return SubjectAccessExport(
        filename=subject_access_filename(pupil, timezone.localdate(now)),
        content=buffer.getvalue(),
        pdf_pages=pages,
    )

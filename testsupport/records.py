"""One pupil's whole story, fictional throughout: the shared records of the permission matrix and the browser tests.

`build_school_records(school, head)` gives a pupil with a suspension, an active plan with an arranged meeting, a
goal with a criterion and an action, a review, a part-time timetable, the statutory duties, a previous school's
days, the governing board's notice, a letter issued to the family, an import waiting for its columns and an API
token. The incident, a contact's phone and the SEN detail are parameters: tests check who may read them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from api.services import api_token_create
from conftest import NOW
from documents.letters import LetterInputs, Recipient
from documents.models import IssuedDocument, LetterKind
from documents.services import letter_issue
from duties.board_services import board_consideration_save
from duties.models import BoardConsideration, Duty
from imports.services import import_job_upload
from plans import part_time
from plans.models import Goal, Meeting, PartTimeTimetable, ReintegrationPlan, Review
from plans.services import meeting_save
from pupils.models import Contact, PreviousSchoolSuspension, Pupil
from pupils.services import previous_school_suspension_add
from schools.models import NonSchoolDay, Role, School, Term
from suspensions.models import Suspension
from testsupport.factories import ContactFactory, PupilFactory
from testsupport.plans import activate, add_goal, record_review
from testsupport.suspensions import record

INCIDENT = "Fictional incident: threw a chair in the design technology room and swore at the technician."
SEN_DETAIL = "Fictional SEN detail: awaiting an assessment for dyslexia; uses a coloured overlay for reading."
CONTACT_PHONE = "01632 960733"


@dataclass(frozen=True)
class SchoolRecords:
    pupil: Pupil
    contact: Contact
    suspension: Suspension
    plan: ReintegrationPlan
    meeting: Meeting
    goal: Goal
    review: Review
    timetable: PartTimeTimetable
    board: BoardConsideration
    previous_school_entry: PreviousSchoolSuspension
    issued: IssuedDocument
    duty: Duty
    term: Term
    non_school_day: NonSchoolDay
    import_job: Any = None
    api_token: Any = None


def build_school_records(
    school: School,
    head: Any,
    *,
    first_name: str = "Peregrine",
    last_name: str = "Ellingham-Worsley",
    incident: str = INCIDENT,
    phone: str = CONTACT_PHONE,
    sen_detail: str = SEN_DETAIL,
) -> SchoolRecords:
    """One pupil's whole story at `school`, decided by the headteacher `head`."""
    pupil = PupilFactory(
        school=school,
        legal_first_name=first_name,
        legal_last_name=last_name,
        year_group="9",
        sen_status=Pupil.SEN.SUPPORT,
        sen_detail=sen_detail,
    )
    contact = ContactFactory(pupil=pupil, name=f"Fictional Parent {last_name}", phone=phone)
    suspension = record(pupil, start=date(2026, 11, 9), sessions=4, decided_by=head, incident_summary=incident)
    plan = activate(suspension.plan)
    goal = add_goal(plan)
    meeting = meeting_save(
        plan=plan,
        version=None,
        status=Meeting.Status.ARRANGED,
        scheduled_for=datetime(2026, 11, 24, 9, 0),
        mode=Meeting.Mode.IN_PERSON,
        location="Pastoral office",
        pupil_views="",
        parent_views="",
        notes="",
        participants=[{"name": "Ms Patel", "role": "Key adult", "invited": True}],
    )
    review = record_review(plan, head)
    timetable = part_time.part_time_timetable_record(
        plan=plan,
        start_date=date(2026, 11, 23),
        end_date=date(2026, 12, 4),
        arrangements="Mornings only in the learning support base.",
        parents_agreed_on=date(2026, 11, 17),
        not_for_behaviour_confirmed=True,
        recorded_by=head,
    )
    board = board_consideration_save(
        suspension=suspension,
        notified_on=date(2026, 11, 16),
        representations_received_on=None,
        considered_on=None,
        attendees="",
        mode="",
        decision="",
        reinstatement_date=None,
        notes="",
        recorded_by=head,
    )
    entry = previous_school_suspension_add(
        pupil=pupil,
        school_name="Fictional High School",
        academic_year_start=date(2026, 9, 1),
        sessions=2,
        note="",
        recorded_by=head,
        today=NOW.date(),
    )
    issued = letter_issue(
        suspension=suspension,
        kind=LetterKind.SUSPENSION_NOTICE,
        inputs=LetterInputs(
            recipients=(Recipient(name=contact.name, relationship="Mother", address="1 Fictional Road"),),
            issued_on=NOW.date(),
            reasons="Fictional reasons.",
            return_time=time(8, 30),
            work_arrangements="Work is emailed daily.",
        ),
        channel=IssuedDocument.Channel.PRINT,
        issued_by=head,
        idempotency_key=f"records-{pupil.pk}",
    ).document
    duty = Duty.objects.filter(suspension=suspension, status=Duty.Status.OPEN).order_by("due_date", "pk").first()
    assert duty is not None, "The records need an open duty."
    term = Term.objects.filter(academic_year__school=school).order_by("start_date").first()
    non_school_day = NonSchoolDay.objects.filter(school=school).order_by("start_date").first()
    assert term is not None, "The school needs this year's calendar."
    assert non_school_day is not None, "The school needs this year's calendar."
    import_job = import_job_upload(
        school=school,
        kind="pupils",
        user=head,
        filename="pupils.csv",
        content=b"UPN,Legal Surname,Legal Forename,DOB,NC Year,Gender\n"
        + f"{pupil.upn},{last_name},{first_name},14/03/2012,9,M\n".encode(),
        options={},
    )
    api_token = api_token_create(school=school, role=Role.OFFICE, name="MIS nightly sync", created_by=head)[0]
    return SchoolRecords(
        import_job=import_job,
        api_token=api_token,
        pupil=pupil,
        contact=contact,
        suspension=suspension,
        plan=plan,
        meeting=meeting,
        goal=goal,
        review=review,
        timetable=timetable,
        board=board,
        previous_school_entry=entry,
        issued=issued,
        duty=duty,
        term=term,
        non_school_day=non_school_day,
    )

"""Bad input, fuzzed: random and malformed data posted to every form never gives a 500, and never saves half-way.

Each POST route of the URLconf has an entry in ROUTES: how to build its URL from a small world of records,
and a valid payload. Hypothesis then posts that payload with a few mutations (a field set to a random or
malformed value, a field left out, an extra field, a field sent twice, a formset's management form broken),
or a payload of random fields altogether, as the headteacher (who may post to every form). After each post:

- the status is below 500 (the test client re-raises any exception a view lets out, so a crash fails here);
- when the page comes back (200: a form error or a refusal), no row of the product's tables has changed:
  every row of every model in PRODUCT_APPS is compared before and after, which covers the plan, goal and
  meeting version numbers.

Each example runs inside a savepoint that is rolled back, so a post that succeeds does not change what the
next example sees. test_every_route_is_fuzzed_or_known_to_refuse_posts fails for a route added later
without an entry here (routes under accounts/, audit/ and admin/ are left to their own tests).
"""

from __future__ import annotations

import html
import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.apps import apps
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api.services import api_token_create
from conftest import NOW, client_for
from documents.letter_templates import default_template
from documents.letters import LetterInputs, Recipient
from documents.models import IssuedDocument, LetterKind
from documents.services import letter_issue
from duties.models import Duty
from imports.services import import_job_upload
from plans import part_time
from plans.models import Criterion, Goal, Meeting, ReintegrationPlan
from pupils.services import previous_school_suspension_add
from schools.models import Membership, NonSchoolDay, Role, Term
from schools.selectors import next_academic_year_start
from schools.services import academic_year_create
from suspensions.models import ReasonCode, Suspension
from testsupport.factories import ContactFactory, MembershipFactory, PupilFactory, SchoolFactory
from testsupport.plans import active_plan, add_goal, criterion_row, draft_plan

pytestmark = pytest.mark.django_db

PRODUCT_APPS = (
    "auth",
    "schools",
    "pupils",
    "suspensions",
    "plans",
    "duties",
    "documents",
    "notifications",
    "evidence",
    "imports",
)


def pupils_csv(upn: str) -> bytes:
    """A one-pupil export, as an MIS writes it."""
    return b"UPN,Legal Surname,Legal Forename,DOB,NC Year,Gender\n" + f"{upn},Fuzz,Sam,14/03/2012,9,M\n".encode()


# Per route (about 28 routes and pages), so that the whole fuzz run takes under a minute. FUZZ_EXAMPLES=500
# explores further (a few minutes).
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "20"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
LONDON = ZoneInfo("Europe/London")
PASSWORD = "correct-horse-battery"  # testsupport.factories.UserFactory's password

# --- The values posted ---------------------------------------------------------------------------------------

MALFORMED = [
    "",
    " ",
    "\t\n  \r\n",
    "\x00",
    "abc\x00def",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "{{ 7*7 }}{% debug %}",
    "' OR 1=1 --",
    "Robert'); DROP TABLE pupils_pupil;--",
    "Zoë Ångström-Øster ẞ ǅ",
    "\u202eevil\u202c",
    "😀" * 40,
    "x" * 5000,
    "y" * 100_000,
    # numbers
    "-1",
    "0",
    "1",
    "2",
    "90",
    "91",
    "-0",
    "0.5",
    "1.5",
    "2.25",
    "1e309",
    "1e-309",
    "NaN",
    "Infinity",
    "-Infinity",
    "9" * 30,
    "9" * 5000,
    "2147483648",
    "9223372036854775808",
    "18446744073709551616",
    "٣",
    "²",
    "1_000",
    " 2 ",
    "0x10",
    "True",
    "on",
    "null",
    "[]",
    # dates
    "31/02/2027",
    "2026-13-01",
    "99/99/9999",
    "00/00/0000",
    "29/02/2027",
    "29/02/2028",
    "01/01/0001",
    "31/12/9999",
    "01/01/1900",
    "01/01/2100",
    "18/11/2026",
    "11/11/2026",
    "23/11/2026",
    "25/12/2026",
    "18/11/26",
    "2026-11-18",
    "18-11-2026",
    "18 11 2026",
    "1/1/1",
    "02/12/2026, 16/12/2026",
    "02/12/2026, 31/02/2027",
    # times
    "25:00",
    "24:00",
    "23:59",
    "09:00",
    "9.00",
    "12:60",
    "-1:00",
]

_text = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=40)
_dates = st.dates().map(lambda day: f"{day.day:02d}/{day.month:02d}/{day.year:04d}")


def values(world: World) -> st.SearchStrategy[str]:
    """A random or malformed value: the list above, random text, integers, any date, or a record's id."""
    return st.one_of(
        st.sampled_from(MALFORMED),
        _text,
        st.integers().map(str),
        _dates,
        st.sampled_from([str(pk) for pk in world.ids]),
    )


# --- The world the forms are posted against ----------------------------------------------------------------


@dataclass
class World:
    school: Any
    head: Any
    head_membership: Membership
    pupil: Any
    other_pupil: Any
    plan: ReintegrationPlan
    draft: ReintegrationPlan
    goal: Goal
    suspension: Suspension
    timetable: Any
    duty: Duty
    entry: Any
    term: Term
    non_school_day: NonSchoolDay
    reason: ReasonCode
    foreign: dict[str, int]
    contact: Any = None
    issued: Any = None
    import_job: Any = None
    api_token: Any = None
    ids: list[int] = field(default_factory=list)


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
    """Built once for the module inside a transaction rolled back at its end; each test runs in a savepoint
    inside it (pytest-django's `db`), and each fuzz example in a savepoint of its own."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            # The root conftest's autouse fixtures (frozen time, a fast password hasher) are per test: apply both.
            fast_hashing = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
            with time_machine.travel(NOW, tick=False), fast_hashing:
                built = build_world()
            yield built
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def build_world() -> World:
    """Records at Larkfield (where the headteacher works) and at Brookside (another school's, for foreign ids)."""
    school = SchoolFactory(name="Larkfield Academy", urn="999001")
    academic_year_create(school=school, start_year=2026)
    other_school = SchoolFactory(name="Brookside School", urn="999002")
    academic_year_create(school=other_school, start_year=2026)
    headteacher = MembershipFactory(school=school, role=Role.HEADTEACHER, user__username="head").user
    other_head = MembershipFactory(school=other_school, role=Role.HEADTEACHER, user__username="otherhead").user
    pupil = PupilFactory(school=school, legal_first_name="Jordan", legal_last_name="Ashby", year_group="9")
    other_pupil = PupilFactory(school=school, legal_first_name="Casey", legal_last_name="Morrow", year_group="8")
    draft_pupil = PupilFactory(school=school, legal_first_name="Riley", legal_last_name="Quinn", year_group="10")
    plan = active_plan(pupil, headteacher)
    add_goal(
        plan,
        area=Goal.Area.ATTENDANCE,
        criteria=[criterion_row(kind=Criterion.Kind.YES_NO, comparator="", target_value=None, baseline_value=None)],
    )
    goal = plan.goals.order_by("id").first()
    assert goal is not None
    Meeting.objects.create(plan=plan, scheduled_for=datetime(2026, 11, 17, 9, 0, tzinfo=LONDON))
    draft = draft_plan(draft_pupil, headteacher)
    timetable = part_time.part_time_timetable_record(
        plan=plan,
        start_date=date(2026, 11, 23),
        end_date=date(2026, 12, 4),
        arrangements="Mornings only, in the learning support base.",
        parents_agreed_on=date(2026, 11, 17),
        not_for_behaviour_confirmed=True,
        recorded_by=headteacher,
    )
    entry = previous_school_suspension_add(
        pupil=pupil,
        school_name="Oakwood Primary School",
        academic_year_start=date(2026, 9, 1),
        sessions=3,
        note="",
        recorded_by=headteacher,
        today=date(2026, 11, 18),
    )
    duty = Duty.objects.filter(school=school, status=Duty.Status.OPEN).order_by("id").first()
    assert duty is not None
    term = Term.objects.filter(academic_year__school=school).order_by("start_date").first()
    assert term is not None
    non_school_day = NonSchoolDay.objects.create(
        school=school, start_date=date(2027, 1, 4), end_date=date(2027, 1, 4), kind=NonSchoolDay.Kind.INSET
    )
    # Another school's records: their ids are posted too, and must never be accepted.
    foreign_pupil = PupilFactory(school=other_school, legal_first_name="Sam", legal_last_name="Elsewhere")
    foreign_plan = active_plan(foreign_pupil, other_head)
    foreign_goal = foreign_plan.goals.get()
    foreign = {
        "pupil": foreign_pupil.pk,
        "plan": foreign_plan.pk,
        "goal": foreign_goal.pk,
        "criterion": foreign_goal.criteria.get().pk,
        "action": foreign_goal.actions.get().pk,
        "suspension": foreign_plan.suspension_id,
        "membership": Membership.objects.get(user=other_head).pk,
        "user": other_head.pk,
        "school": other_school.pk,
    }
    head_membership = Membership.objects.get(user=headteacher, school=school)
    MembershipFactory(school=school, role=Role.PASTORAL_LEAD, user__username="keyadult")
    reason = ReasonCode.objects.get(code="DB")
    contact = ContactFactory(pupil=pupil, name="Sam Fuzz", relationship="Mother", email="sam@family.example")
    issued = letter_issue(
        suspension=plan.suspension,
        kind=LetterKind.PLAN_SUMMARY,
        inputs=LetterInputs(recipients=(Recipient(name="Sam Fuzz"),), issued_on=date(2026, 11, 18)),
        channel=IssuedDocument.Channel.PRINT,
        issued_by=headteacher,
        idempotency_key="fuzz-world",
    ).document
    import_job = import_job_upload(
        school=school,
        kind="pupils",
        user=headteacher,
        filename="fuzz-pupils.csv",
        content=pupils_csv(pupil.upn),
        options={},
    )
    w = World(
        school=school,
        head=headteacher,
        head_membership=head_membership,
        pupil=pupil,
        other_pupil=other_pupil,
        plan=plan,
        draft=draft,
        goal=goal,
        suspension=plan.suspension,
        timetable=timetable,
        duty=duty,
        entry=entry,
        term=term,
        non_school_day=non_school_day,
        reason=reason,
        foreign=foreign,
        contact=contact,
        issued=issued,
        import_job=import_job,
        api_token=api_token_create(school=school, role=Role.OFFICE, name="Fuzz sync", created_by=headteacher)[0],
    )
    w.ids = sorted(
        {*foreign.values(), pupil.pk, plan.pk, goal.pk, reason.pk, headteacher.pk, head_membership.pk, 0, 10**20}
    )
    return w


# --- The routes and their valid payloads -------------------------------------------------------------------

Payload = dict[str, Any]


def _management(prefix: str, total: int, initial: int = 0, max_num: int = 1000) -> Payload:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": str(max_num),
    }


def _goal_payload(w: World, *, edit: bool) -> Payload:
    goal = w.goal
    criteria = list(goal.criteria.order_by("id")) if edit else []
    actions = list(goal.actions.order_by("id")) if edit else []
    data: Payload = {
        "area": goal.area if edit else Goal.Area.ACADEMIC,
        "pupil_aim": "I want to hand in my homework on time.",
        "expressed_by": "pupil",
        "expressed_by_name": "",
        "current_position": "Two pieces of homework missing last week.",
        "pupil_actions": "Write homework in my planner.",
        "start_date": "11/11/2026",
        "target_date": "29/01/2027",
        "review_dates": "02/12/2026, 16/12/2026",
        "version": str(goal.version) if edit else "",
        **_management("criteria", max(len(criteria), 1) + 1, 0, 20),
        **_management("actions", max(len(actions), 1) + 1, 0, 20),
    }
    rows = criteria or [None]
    for i, criterion in enumerate(rows):
        data.update(
            {
                f"criteria-{i}-id": str(criterion.pk) if criterion else "",
                f"criteria-{i}-measure": criterion.measure if criterion else "Homework handed in per week",
                f"criteria-{i}-kind": criterion.kind if criterion else "number",
                f"criteria-{i}-baseline_value": "3",
                f"criteria-{i}-baseline_note": "",
                f"criteria-{i}-comparator": (criterion.comparator if criterion else "gte") or "",
                f"criteria-{i}-target_value": "" if criterion and criterion.kind == "yes_no" else "5",
                f"criteria-{i}-due_date": "11/12/2026",
            }
        )
    action_rows = actions or [None]
    for i, action in enumerate(action_rows):
        data.update(
            {
                f"actions-{i}-id": str(action.pk) if action else "",
                f"actions-{i}-by_whom": "school",
                f"actions-{i}-description": "Homework club on Tuesdays",
                f"actions-{i}-owner": "Ms Patel",
                f"actions-{i}-due_date": "20/11/2026",
            }
        )
    return data


def _review_payload(w: World) -> Payload:
    data: Payload = {
        "held_on": "18/11/2026",
        "participants": "Jordan (pupil)\nMs Patel (key adult)",
        "decision": "continue",
        "outcome": "",
        "next_review_date": "02/12/2026",
        "notes": "Going well.",
    }
    for goal in w.plan.goals.prefetch_related("criteria"):
        data[f"goal_{goal.pk}_status"] = "improving"
        for criterion in goal.criteria.all():
            if criterion.kind == Criterion.Kind.YES_NO:
                data[f"criterion_{criterion.pk}_yes"] = "yes"
            else:
                data[f"criterion_{criterion.pk}_value"] = "1"
            data[f"criterion_{criterion.pk}_comment"] = ""
    return data


@dataclass(frozen=True)
class Route:
    name: str
    url: Callable[[World], str]
    payload: Callable[[World], Payload]
    anonymous: bool = False
    query: tuple[str, ...] = ()  # query-string parameters the view reads, fuzzed as well


ROUTES: list[Route] = [
    Route(
        "login",
        lambda w: reverse("login"),
        lambda w: {"username": w.head.username, "password": PASSWORD, "next": "/pupils/"},
        anonymous=True,
        query=("next",),
    ),
    Route("logout", lambda w: reverse("logout"), lambda w: {}),
    Route(
        "schools:term_edit",
        lambda w: reverse("schools:term_edit", args=[w.term.pk]),
        lambda w: {"start_date": "03/09/2026", "end_date": "18/12/2026"},
    ),
    Route(
        "schools:non_school_day_add",
        lambda w: reverse("schools:non_school_day_add"),
        lambda w: {"start_date": "05/01/2027", "end_date": "", "kind": "inset", "description": "Staff training"},
    ),
    Route(
        "schools:non_school_day_delete",
        lambda w: reverse("schools:non_school_day_delete", args=[w.non_school_day.pk]),
        lambda w: {},
    ),
    Route(
        "schools:academic_year_add",
        lambda w: reverse("schools:academic_year_add"),
        lambda w: {"start_year": str(next_academic_year_start(w.school, date(2026, 11, 18)))},
    ),
    Route(
        "schools:settings",
        lambda w: reverse("schools:settings"),
        lambda w: {"repeat_alert_suspensions": "3", "repeat_alert_days": "10", "sixth_day_notice_hours": "48"},
    ),
    Route("schools:switch", lambda w: reverse("schools:switch"), lambda w: {"school": str(w.school.pk)}),
    Route(
        "pupils:previous_school_add",
        lambda w: reverse("pupils:previous_school_add", args=[w.pupil.pk]),
        lambda w: {"school_name": "Oakwood Primary School", "school_year": "2026-09-01", "days": "2.5", "note": ""},
    ),
    Route(
        "pupils:previous_school_delete",
        lambda w: reverse("pupils:previous_school_delete", args=[w.pupil.pk, w.entry.pk]),
        lambda w: {},
    ),
    Route(
        "suspensions:record",
        lambda w: reverse("suspensions:record", args=[w.other_pupil.pk]),
        lambda w: {
            "kind": "suspension",
            "start_date": "23/11/2026",
            "start_session": "am",
            "sessions": "2",
            "reasons": [str(w.reason.pk)],
            "incident_summary": "Fictional incident: left the lesson and refused to return.",
            "decided_by": str(w.head_membership.pk),
            "misses_public_exam": "",
            "exam_date": "",
        },
        query=("follows",),
    ),
    Route(
        "suspensions:cancel",
        lambda w: reverse("suspensions:cancel", args=[w.suspension.pk]),
        lambda w: {"reason": "New evidence showed the pupil was not involved."},
    ),
    Route(
        "plans:edit",
        lambda w: reverse("plans:edit", args=[w.plan.pk]),
        lambda w: {
            "strategy": "Meet Ms Patel each morning.",
            "key_adult": "",
            "check_in_frequency": "daily",
            "support_measures": "A report card.",
            "reasonable_adjustments": "",
            "next_review_date": "25/11/2026",
            "version": str(w.plan.version),
            "action": "activate",
        },
    ),
    Route(
        "plans:meeting",
        lambda w: reverse("plans:meeting", args=[w.plan.pk]),
        lambda w: {
            "status": "held",
            "date": "17/11/2026",
            "time": "09:00",
            "mode": "in_person",
            "location": "Room 4",
            "pupil_views": "Wants a fresh start.",
            "parent_views": "Supportive.",
            "notes": "",
            "version": str(w.plan.meeting.version),
            **_management("participants", 2, 0, 30),
            "participants-0-name": "Jordan",
            "participants-0-role": "Pupil",
            "participants-0-invited": "on",
            "participants-0-attended": "yes",
            "participants-1-name": "",
            "participants-1-role": "",
            "participants-1-attended": "",
        },
        query=("record",),
    ),
    Route(
        "plans:no_meeting",
        lambda w: reverse("plans:no_meeting", args=[w.draft.pk]),
        lambda w: {"reason": "Parents declined; we spoke by phone.", "version": str(w.draft.version)},
    ),
    Route(
        "plans:goal_add",
        lambda w: reverse("plans:goal_add", args=[w.plan.pk]),
        lambda w: _goal_payload(w, edit=False),
    ),
    Route(
        "plans:goal_edit",
        lambda w: reverse("plans:goal_edit", args=[w.goal.pk]),
        lambda w: _goal_payload(w, edit=True),
    ),
    Route("plans:review_add", lambda w: reverse("plans:review_add", args=[w.plan.pk]), _review_payload),
    Route(
        "plans:part_time_add",
        lambda w: reverse("plans:part_time_add", args=[w.plan.pk]),
        lambda w: {
            "start_date": "07/12/2026",
            "end_date": "11/12/2026",
            "arrangements": "Afternoons only.",
            "parents_agreed_on": "17/11/2026",
            "not_for_behaviour_confirmed": "on",
        },
    ),
    Route(
        "plans:part_time_end",
        lambda w: reverse("plans:part_time_end", args=[w.timetable.pk]),
        lambda w: {"ended_on": "27/11/2026"},
    ),
    Route(
        "duties:complete",
        lambda w: reverse("duties:complete", args=[w.duty.pk]),
        lambda w: {
            "method": Duty.Method.choices[0][0],
            "done_on": "18/11/2026",
            "done_time": "09:30",
            "evidence": "Spoke to the mother by phone.",
            "next": "/duties/",
        },
        query=("next",),
    ),
    Route(
        "duties:board",
        lambda w: reverse("duties:board", args=[w.suspension.pk]),
        lambda w: {
            "notified_on": "12/11/2026",
            "representations_received_on": "",
            "considered_on": "",
            "attendees": "",
            "mode": "",
            "decision": "",
            "reinstatement_date": "",
            "notes": "",
        },
    ),
]
ROUTES += [
    Route(
        "documents:letter",
        lambda w: reverse("documents:letter", args=[w.suspension.pk, "suspension_notice"]),
        lambda w: {
            "issue_key": "fuzz-notice",
            "recipients": [str(w.contact.pk)],
            "reasons": "Left lessons without permission.",
            "return_time": "08:30",
            "work_arrangements": "Work is emailed each morning.",
            "email_agreed": "on",
            "action": "print",
        },
    ),
    Route(
        "documents:letterhead",
        lambda w: reverse("documents:letterhead"),
        lambda w: {
            "phone": "01632 960123",
            "email": "office@school.example",
            "website": "school.example",
            "signatory_name": "Mrs Head",
            "signatory_title": "Headteacher",
            "representations_contact": "The Clerk to the Governors",
            "work_arrangements": "Work is set online.",
            "impartial_advice": "Coram Child Law Advice",
        },
    ),
    Route(
        "documents:template_upload",
        lambda w: reverse("documents:template_upload", args=["plan_summary"]),
        lambda w: {"file": SimpleUploadedFile("ours.docx", default_template("plan_summary"))},
    ),
]
ROUTES += [
    Route(
        "imports:upload",
        lambda w: reverse("imports:upload", args=["pupils"]),
        lambda w: {"file": SimpleUploadedFile("pupils.csv", pupils_csv(w.pupil.upn))},
    ),
    Route(
        "imports:columns",
        lambda w: reverse("imports:columns", args=[w.import_job.pk]),
        lambda w: {
            "upn": "UPN",
            "legal_last_name": "Legal Surname",
            "legal_first_name": "Legal Forename",
            "date_of_birth": "DOB",
            "year_group": "NC Year",
            "sex": "Gender",
        },
    ),
    Route("imports:apply", lambda w: reverse("imports:apply", args=[w.import_job.pk]), lambda w: {}),
    Route("imports:cancel", lambda w: reverse("imports:cancel", args=[w.import_job.pk]), lambda w: {}),
    Route(
        "api_tokens:create", lambda w: reverse("api_tokens:create"), lambda w: {"name": "Fuzz sync", "role": "office"}
    ),
    Route("api_tokens:revoke", lambda w: reverse("api_tokens:revoke", args=[w.api_token.pk]), lambda w: {}),
]
ROUTE_NAMES = [route.name for route in ROUTES]

# Routes that refuse a POST (405): checked below, so that a route that starts taking posts must be fuzzed.
GET_ONLY = {
    "healthz": lambda w: reverse("healthz"),
    "dashboard:home": lambda w: reverse("dashboard:home"),
    "dashboard:figures": lambda w: reverse("dashboard:figures"),
    "schools:calendar": lambda w: reverse("schools:calendar"),
    "pupils:list": lambda w: reverse("pupils:list"),
    "pupils:detail": lambda w: reverse("pupils:detail", args=[w.pupil.pk]),
    "suspensions:detail": lambda w: reverse("suspensions:detail", args=[w.suspension.pk]),
    "plans:detail": lambda w: reverse("plans:detail", args=[w.plan.pk]),
    "plans:meeting_record": lambda w: reverse("plans:meeting_record", args=[w.plan.pk]),
    "plans:review_detail": None,  # needs a review: checked in its own test file; it takes GET only
    "duties:list": lambda w: reverse("duties:list"),
    "documents:issued": lambda w: reverse("documents:issued", args=[w.issued.pk]),
    "documents:issued_file": lambda w: reverse("documents:issued_file", args=[w.issued.pk, "pdf"]),
    "documents:templates": lambda w: reverse("documents:templates"),
    "documents:template_download": lambda w: reverse("documents:template_download", args=["plan_summary", "default"]),
    "records:blank_pdf": lambda w: reverse("records:blank_pdf"),
    "records:blank_docx": lambda w: reverse("records:blank_docx"),
    "records:meeting_record_pdf": lambda w: reverse("records:meeting_record_pdf", args=[w.plan.pk]),
    "records:meeting_record_docx": lambda w: reverse("records:meeting_record_docx", args=[w.plan.pk]),
    "records:plan_pdf": lambda w: reverse("records:plan_pdf", args=[w.plan.pk]),
    "records:plan_docx": lambda w: reverse("records:plan_docx", args=[w.plan.pk]),
    "records:my_return_plan_pdf": lambda w: reverse("records:my_return_plan_pdf", args=[w.plan.pk]),
    "records:my_return_plan_docx": lambda w: reverse("records:my_return_plan_docx", args=[w.plan.pk]),
    "evidence:register_check": lambda w: reverse("evidence:register_check"),
    "imports:home": lambda w: reverse("imports:home"),
    "api_tokens:list": lambda w: reverse("api_tokens:list"),
    "api_tokens:created": lambda w: reverse("api_tokens:created", args=[w.api_token.pk]),
    "api-v1:api-root": lambda w: reverse("api-v1:api-root"),
    "imports:history": lambda w: reverse("imports:history"),
    "imports:job": lambda w: reverse("imports:job", args=[w.import_job.pk]),
    "imports:example": lambda w: reverse("imports:example", args=["pupils"]),
    "calendar:meeting": lambda w: reverse("calendar:meeting", args=[w.plan.pk]),
    "calendar:next_review": lambda w: reverse("calendar:next_review", args=[w.plan.pk]),
}
# Routes that take a post but read nothing from it: one malformed post each (the export builds a PDF, which is
# too slow to fuzz; what it would fuzz is only the id in the path, checked by the huge-id test below).
NO_INPUT = {
    "pupils:subject_access": lambda w: reverse("pupils:subject_access", args=[w.pupil.pk]),
    "documents:issued_retry": lambda w: reverse("documents:issued_retry", args=[w.issued.pk]),
    "documents:template_reset": lambda w: reverse("documents:template_reset", args=["plan_summary"]),
}
# Left to the helpers building them (two-factor sign-in and enrolment, the audit trail) and to Django's admin.
OTHER_OWNERS = ("accounts/", "audit/", "admin/", "api/v1/", "api/openapi.json")


# --- Helpers -----------------------------------------------------------------------------------------------


def product_rows() -> dict[str, list[dict[str, Any]]]:
    """Every row of every product table (sessions, sign-in attempts and audit entries are not product data)."""
    rows = {}
    for label in PRODUCT_APPS:
        for model in apps.get_app_config(label).get_models():
            rows[model._meta.label] = list(model.objects.order_by("pk").values())
    return rows


def changed_tables(before: dict[str, list[dict[str, Any]]], after: dict[str, list[dict[str, Any]]]) -> list[str]:
    return [label for label in before if before[label] != after.get(label)]


class _Rollback(Exception):
    pass


@contextmanager
def rolled_back() -> Iterator[None]:
    """Run the block in a savepoint that is always rolled back, so that each example starts from the same data."""
    try:
        with transaction.atomic():
            yield
            raise _Rollback
    except _Rollback:
        pass


def mutate(data: Payload, mutations: list[tuple[str, str, Any]]) -> Payload:
    result = dict(data)
    for action, key, value in mutations:
        if action == "set":
            result[key] = value
        elif action == "drop":
            result.pop(key, None)
        elif action == "dup":
            original = result.get(key, "")
            result[key] = [*(original if isinstance(original, list) else [original]), value]
        elif action == "extra":
            result[key] = value
    return result


def mutations(keys: list[str], w: World) -> st.SearchStrategy[list[tuple[str, str, Any]]]:
    key = st.sampled_from(keys) if keys else _text
    management = st.sampled_from(["-1", "abc", "10000", "", "0", "1", "2.5", "9" * 30, "1e3", "٣"])
    management_keys = [k for k in keys if k.endswith(("TOTAL_FORMS", "INITIAL_FORMS", "MAX_NUM_FORMS"))]
    one = st.one_of(
        st.tuples(st.just("set"), key, values(w)),
        st.tuples(st.just("drop"), key, st.none()),
        st.tuples(st.just("dup"), key, values(w)),
        st.tuples(st.just("extra"), _text.filter(bool), values(w)),
        *([st.tuples(st.just("set"), st.sampled_from(management_keys), management)] if management_keys else []),
    )
    return st.lists(one, max_size=4)


def post_and_check(client: Client, url: str, data: Payload) -> int:
    before = product_rows()
    response = client.post(url, data)
    assert response.status_code < 500
    if response.status_code == 200:
        assert changed_tables(before, product_rows()) == [], f"a page came back but data was saved: {data!r}"
    return response.status_code


# --- The fuzz tests ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("route", ROUTES, ids=ROUTE_NAMES)
@FUZZ
@given(data=st.data())
def test_malformed_posts_never_crash_and_never_save_half_way(route, world, data):
    payload = route.payload(world)
    url = route.url(world)
    with rolled_back():
        # A valid payload with a few things wrong with it, or random fields altogether.
        posted = data.draw(
            st.one_of(
                mutations(sorted(payload), world).map(lambda m: mutate(payload, m)),
                st.dictionaries(st.sampled_from([*payload, "id", "pk", "school", "version"]) | _text, values(world)),
            ),
            label="posted",
        )
        if route.query:
            params = data.draw(st.dictionaries(st.sampled_from(route.query), values(world), max_size=2))
            if params:
                url = f"{url}?{'&'.join(f'{k}={v}' for k, v in params.items() if '#' not in v)}"
        client = Client() if route.anonymous else client_for(world.head)
        post_and_check(client, url, posted)


@pytest.mark.parametrize("route", ROUTES, ids=ROUTE_NAMES)
def test_the_valid_payload_of_each_route_is_accepted(route, world):
    """The fuzz starts from these payloads, so each must really pass: a redirect after a successful post."""
    client = Client() if route.anonymous else client_for(world.head)
    response = client.post(route.url(world), route.payload(world))
    assert response.status_code == 302, getattr(response, "context", None) and [
        f.errors for f in (response.context.get("form"),) if f is not None
    ]


NO_ID = {
    "login",
    "logout",
    "schools:non_school_day_add",
    "schools:academic_year_add",
    "schools:settings",
    "schools:switch",
    "documents:letterhead",
    "documents:template_upload",
    "imports:upload",
    "api_tokens:create",
}
ROUTES_WITH_IDS = [route for route in ROUTES if route.name not in NO_ID]


@pytest.mark.parametrize("route", ROUTES_WITH_IDS, ids=[route.name for route in ROUTES_WITH_IDS])
def test_an_id_too_large_for_the_database_is_not_found(route, world):
    client = client_for(world.head)
    url = route.url(world)
    parts = url.rstrip("/").split("/")
    digits = [i for i, part in enumerate(parts) if part.isdigit()]
    parts[digits[-1]] = "9" * 25
    response = client.post("/".join(parts) + "/", route.payload(world))
    assert response.status_code == 404


def _pattern_of(name: str) -> str:
    for full_name, route in all_routes():
        if full_name == name:
            return route
    return ""


def all_routes() -> list[tuple[str, str]]:
    """(namespaced name, route) for every named URL pattern."""
    found: list[tuple[str, str]] = []

    def walk(patterns: list[Any], namespace: str, prefix: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                ns = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern.url_patterns, ns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern) and pattern.name:
                found.append((namespace + pattern.name, prefix + str(pattern.pattern)))

    walk(get_resolver().url_patterns, "", "")
    return found


def test_every_route_is_fuzzed_or_known_to_refuse_posts():
    unknown = [
        name
        for name, route in all_routes()
        if not route.startswith(OTHER_OWNERS) and name not in (*ROUTE_NAMES, *GET_ONLY, *NO_INPUT)
    ]
    assert unknown == [], f"add these routes to ROUTES (they take posts) or to GET_ONLY: {unknown}"


@pytest.mark.parametrize("name", sorted(name for name, url in GET_ONLY.items() if url is not None))
def test_get_only_routes_refuse_a_post(name, world):
    response = client_for(world.head).post(GET_ONLY[name](world), {"anything": "x"})
    assert response.status_code == 405


@pytest.mark.parametrize("name", sorted(NO_INPUT))
def test_routes_that_read_no_input_ignore_a_malformed_post(name, world):
    client = client_for(world.head)
    before = product_rows()
    response = client.post(NO_INPUT[name](world), {"\x00": "\x00" * 100, "id": "9" * 30})
    assert response.status_code < 500
    assert changed_tables(before, product_rows()) == []
    parts = NO_INPUT[name](world).rstrip("/").split("/")
    digits = [i for i, part in enumerate(parts) if part.isdigit()]
    if digits:  # a route about one record: an id too large for the database is not found
        parts[digits[-1]] = "9" * 25
        assert client.post("/".join(parts) + "/").status_code == 404


# --- Query strings on the pages that read them -----------------------------------------------------------

GET_QUERIES = {
    "pupils:list": (lambda w: reverse("pupils:list"), ("q", "year_group", "page")),
    "duties:list": (lambda w: reverse("duties:list"), ("kind", "owner_role", "status", "when", "page")),
    "dashboard:home": (lambda w: reverse("dashboard:home"), ("today_page", "week_page", "due_page", "overdue_page")),
    "suspensions:record": (lambda w: reverse("suspensions:record", args=[w.other_pupil.pk]), ("follows",)),
    "plans:meeting": (lambda w: reverse("plans:meeting", args=[w.draft.pk]), ("record",)),
    "duties:complete": (lambda w: reverse("duties:complete", args=[w.duty.pk]), ("next",)),
}


@pytest.mark.parametrize("name", sorted(GET_QUERIES))
@FUZZ
@given(data=st.data())
def test_malformed_query_strings_never_crash_a_page(name, world, data):
    build, keys = GET_QUERIES[name]
    params = data.draw(st.dictionaries(st.sampled_from(keys), values(world) | st.lists(values(world), max_size=3)))
    response = client_for(world.head).get(build(world), params)
    assert response.status_code < 500


# --- Requests too big or with too many fields ------------------------------------------------------------


def test_a_body_over_the_upload_limit_is_refused_without_a_crash(world):
    client = client_for(world.head)
    before = product_rows()
    response = client.post(
        reverse("plans:edit", args=[world.plan.pk]), {"strategy": "x" * 3_000_000, "version": world.plan.version}
    )
    assert response.status_code == 400
    assert changed_tables(before, product_rows()) == []


def test_too_many_fields_are_refused_without_a_crash(world):
    client = client_for(world.head)
    data = {f"field{i}": "x" for i in range(1500)}
    response = client.post(reverse("plans:edit", args=[world.plan.pk]), data)
    assert response.status_code == 400


# --- CSRF on every form ------------------------------------------------------------------------------------

FORM_TAG = re.compile(r"<form\b[^>]*>(.*?)</form>", re.IGNORECASE | re.DOTALL)


def test_every_form_that_posts_carries_a_csrf_token():
    """Each <form method="post"> in every template has {% csrf_token %} inside it."""
    missing, checked = [], 0
    for template in sorted((Path(django_settings.BASE_DIR) / "templates").rglob("*.html")):
        for match in FORM_TAG.finditer(template.read_text()):
            opening = match.group(0)[: match.group(0).index(">") + 1]
            if not re.search(r"method\s*=\s*[\"']?post", opening, re.IGNORECASE):
                continue
            checked += 1
            if "{% csrf_token %}" not in match.group(1):
                missing.append(str(template.relative_to(django_settings.BASE_DIR)))
    assert missing == []
    assert checked >= len(ROUTES)  # the pattern really finds the forms


@pytest.mark.parametrize("route", ROUTES, ids=ROUTE_NAMES)
def test_a_post_without_the_csrf_token_is_refused_and_saves_nothing(route, world):
    client = Client(enforce_csrf_checks=True) if route.anonymous else client_for(world.head)
    client.handler.enforce_csrf_checks = True
    before = product_rows()
    response = client.post(route.url(world), route.payload(world))
    assert response.status_code == 403
    assert changed_tables(before, product_rows()) == []


# --- Inputs that once crashed a page, and other dangerous spots, checked every run -------------------------

EDGE_CASES = [
    # (route, fields changed in its valid payload, query string, status expected, text expected on the page)
    (
        "imports:upload",
        {"file": SimpleUploadedFile("pupils.xlsx", b"PK\x03\x04broken")},
        "",
        200,
        "could not be opened as an Excel workbook",
    ),
    ("imports:upload", {"file": SimpleUploadedFile("pupils.csv", b"\x00\x01")}, "", 200, "holds binary data"),
    ("imports:columns", {"upn": "Not a heading"}, "", 200, "Choose one of the file's columns"),
    ("imports:columns", {"legal_first_name": "Legal Surname"}, "", 200, "Choose each column once"),
    ("plans:goal_add", {"criteria-TOTAL_FORMS": "0"}, "", 200, "Add at least one criterion"),
    ("plans:goal_edit", {"criteria-TOTAL_FORMS": "0"}, "", 200, "Add at least one criterion"),
    ("plans:meeting", {"participants-TOTAL_FORMS": "0"}, "", 200, "at least one person marked as attended"),
    ("plans:goal_add", {"criteria-TOTAL_FORMS": "abc"}, "", 200, ""),
    ("plans:goal_add", {"actions-TOTAL_FORMS": "-1"}, "", 302, ""),  # no actions: they are optional
    ("plans:meeting", {"participants-TOTAL_FORMS": "10000"}, "", 200, ""),
    ("plans:goal_edit", {"criteria-0-id": "9" * 30}, "", 200, "does not belong to this goal"),
    ("suspensions:record", {}, "?follows=%C2%B2", 404, ""),
    ("suspensions:record", {}, "?follows=" + "9" * 5000, 404, ""),
    ("plans:part_time_add", {"end_date": "31/12/9999"}, "", 200, "no more than a year after the start"),
    ("plans:part_time_add", {"start_date": "18/12/9999", "end_date": "31/12/9999"}, "", 302, ""),
    ("plans:part_time_end", {"ended_on": "01/01/0001"}, "", 200, ""),
    ("plans:edit", {"version": "9" * 30}, "", 200, "Someone else changed this plan"),
    ("plans:edit", {"next_review_date": "31/12/9999"}, "", 302, ""),
    ("plans:edit", {"key_adult": "9" * 30}, "", 200, ""),
    ("plans:goal_add", {"target_date": "31/12/9999", "longer_horizon_confirmed": "on"}, "", 302, ""),
    ("plans:review_add", {"held_on": "01/01/0001"}, "", 200, ""),
    ("plans:review_add", {"next_review_date": "31/12/9999"}, "", 302, ""),
    ("plans:meeting", {"date": "01/01/0001", "time": "00:00"}, "", 302, ""),
    ("plans:meeting", {"status": "arranged", "date": "31/12/9999", "time": "23:59"}, "", 302, ""),
    ("suspensions:record", {"start_date": "01/01/0001"}, "", 200, ""),
    ("suspensions:record", {"start_date": "31/12/9999", "sessions": "90"}, "", 200, ""),
    ("suspensions:record", {"decided_by": "9" * 30, "reasons": ["9" * 30]}, "", 200, "Choose reasons from the list"),
    ("suspensions:record", {"reasons": ["9" * 5000, "-" + "9" * 20]}, "", 200, "Choose reasons from the list"),
    ("duties:complete", {"done_on": "01/01/0001", "done_time": "00:00"}, "", 302, ""),
    ("duties:complete", {"next": "/\nLocation: https://example.com"}, "", 302, ""),
    ("duties:board", {"notified_on": "01/01/0001"}, "", 302, ""),
    ("duties:board", {"notified_on": "31/12/9999"}, "", 200, ""),
    ("schools:term_edit", {"start_date": "01/01/0001"}, "", 200, ""),
    ("schools:non_school_day_add", {"start_date": "01/01/0001", "end_date": "31/12/9999"}, "", 200, ""),
    ("schools:academic_year_add", {"start_year": "9999"}, "", 200, ""),
    ("schools:switch", {"school": "9" * 30}, "", 404, ""),
    ("pupils:previous_school_add", {"school_year": "0001-09-01"}, "", 200, ""),
    ("pupils:previous_school_add", {"days": "1e309"}, "", 200, ""),
]


@pytest.mark.parametrize(
    ("name", "changes", "query", "status", "text"),
    EDGE_CASES,
    ids=[f"{case[0]}-{i}" for i, case in enumerate(EDGE_CASES)],
)
def test_dangerous_inputs_get_a_clear_answer(name, changes, query, status, text, world):
    route = next(route for route in ROUTES if route.name == name)
    client = Client() if route.anonymous else client_for(world.head)
    before = product_rows()
    response = client.post(route.url(world) + query, {**route.payload(world), **changes})
    assert response.status_code == status
    if status == 200:
        assert changed_tables(before, product_rows()) == []
        assert text in html.unescape(response.content.decode())

"""The API's permission matrix: every operation, with a token of every school role, at its own school and at another.

As on the pages (reintegrate/tests/permission_matrix.py), each operation states which roles may use it; every other
role gets 403, and a token of another school gets 404 for every record. A role allowed to write gets the success
status with a valid request (each test runs in its own savepoint, so nothing written outlives it).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import time_machine
from django.db import transaction
from django.test import override_settings

from api.services import api_token_create
from api.tests.conftest import api_client
from conftest import NOW
from duties.models import Duty
from evidence.models import AttendanceWeek, BehaviourEvent
from plans.models import Criterion, Goal, ReintegrationPlan, Review
from pupils.models import Pupil
from schools.access import ROLE_CAPABILITIES, Can
from schools.models import Role
from schools.services import academic_year_create
from suspensions.models import Suspension
from testsupport.factories import ContactFactory, MembershipFactory, PupilFactory, SchoolFactory
from testsupport.plans import active_plan, record_review

ROLES: tuple[str, ...] = tuple(Role.values)
LEADERS = ("headteacher", "senior_leader")
PASTORAL = (*LEADERS, "pastoral_lead", "senco")
RECORDERS = (*PASTORAL, "office")  # record suspensions, complete duties
PUPIL_READERS = (*PASTORAL, "teacher", "office", "dpo")
SUSPENSION_READERS = (*PASTORAL, "teacher", "office")
CONTACT_READERS = (*PASTORAL, "office")
PLAN_READERS = (*PASTORAL, "teacher")
PLAN_DETAIL_READERS = PASTORAL
DUTY_READERS = RECORDERS
IMPORTERS = (*LEADERS, "office")
EVIDENCE_READERS = (*PASTORAL, "office")  # view_plan_detail or import_data
EVERYONE = ROLES


@dataclass(frozen=True)
class Operation:
    method: str
    path: str  # with {name} for an object of the world
    roles: tuple[str, ...]  # who may; every other school role gets 403
    status: int = 200  # what an allowed role gets
    body: Callable[[Any], dict[str, Any]] | None = None

    @property
    def takes_record(self) -> bool:
        return "{" in self.path

    def __str__(self) -> str:
        return f"{self.method} {self.path}"


def _suspension_body(w: World) -> dict[str, Any]:
    return {
        "pupil": w.objects["quiet_pupil"].pk,
        "start_date": "2026-11-19",
        "sessions": 2,
        "reasons": ["DB"],
        "incident_summary": "Fictional incident.",
        "decided_by": w.head.pk,
    }


def _review_body(w: World) -> dict[str, Any]:
    return {
        "held_on": "2026-11-18",
        "participants": "Pupil and key adult",
        "decision": "continue",
        "next_review_date": "2026-12-02",
        "goal_statuses": [{"goal_id": w.objects["goal"].pk, "achievement_status": "improving"}],
    }


def _rows(w: World, what: str) -> dict[str, Any]:
    upn = w.objects["pupil"].upn
    row = {
        "behaviour-events": {"upn": upn, "occurred_on": "2026-11-17", "category": "Kindness", "kind": "achievement"},
        "attendance-weeks": {"upn": upn, "week_start": "2026-11-09", "possible_sessions": 10, "attended_sessions": 6},
        "attendance-marks": {"upn": upn, "date": "2026-11-17", "session": "am", "code": "/"},
    }[what]
    return {"items": [row]}


OPERATIONS: tuple[Operation, ...] = (
    Operation("GET", "/api/v1/me", EVERYONE),
    Operation("GET", "/api/v1/pupils", PUPIL_READERS),
    Operation("GET", "/api/v1/pupils/{pupil}", PUPIL_READERS),
    Operation("GET", "/api/v1/pupils/{pupil}/contacts", CONTACT_READERS),
    Operation("GET", "/api/v1/suspensions", SUSPENSION_READERS),
    Operation("GET", "/api/v1/suspensions/{suspension}", SUSPENSION_READERS),
    Operation("GET", "/api/v1/suspensions/{suspension}/incident", PASTORAL),
    Operation("POST", "/api/v1/suspensions", RECORDERS, 201, _suspension_body),
    Operation("POST", "/api/v1/suspensions/{suspension}/cancel", LEADERS, 200, lambda w: {"reason": "Fictional."}),
    Operation("GET", "/api/v1/reason-codes", RECORDERS),
    Operation("GET", "/api/v1/decision-makers", RECORDERS),
    Operation("GET", "/api/v1/plans", PLAN_READERS),
    Operation("GET", "/api/v1/plans/{plan}", PLAN_READERS),
    Operation("GET", "/api/v1/plans/{plan}/measures", PLAN_DETAIL_READERS),
    Operation("POST", "/api/v1/plans/{plan}/reviews", PASTORAL, 201, _review_body),
    Operation("GET", "/api/v1/goals", PLAN_READERS),
    Operation("GET", "/api/v1/goals/{goal}", PLAN_READERS),
    Operation("GET", "/api/v1/criteria", PLAN_READERS),
    Operation("GET", "/api/v1/criteria/{criterion}", PLAN_READERS),
    Operation("GET", "/api/v1/reviews", PLAN_DETAIL_READERS),
    Operation("GET", "/api/v1/reviews/{review}", PLAN_DETAIL_READERS),
    Operation("GET", "/api/v1/duties", DUTY_READERS),
    Operation("GET", "/api/v1/duties/{duty}", DUTY_READERS),
    Operation(
        "POST",
        "/api/v1/duties/{duty}/complete",
        RECORDERS,
        200,
        lambda w: {"done_at": "2026-11-18T09:00:00Z", "method": "phone", "evidence": "Fictional."},
    ),
    Operation("GET", "/api/v1/behaviour-events", EVIDENCE_READERS),
    Operation("POST", "/api/v1/behaviour-events", IMPORTERS, 200, lambda w: _rows(w, "behaviour-events")),
    Operation("GET", "/api/v1/attendance-weeks", EVIDENCE_READERS),
    Operation("POST", "/api/v1/attendance-weeks", IMPORTERS, 200, lambda w: _rows(w, "attendance-weeks")),
    Operation("GET", "/api/v1/attendance-marks", EVIDENCE_READERS),
    Operation("POST", "/api/v1/attendance-marks", IMPORTERS, 200, lambda w: _rows(w, "attendance-marks")),
)


@dataclass
class World:
    objects: dict[str, Any]
    head: Any
    tokens: dict[str, str]  # role -> token, at the world's school
    other_token: str  # the other school's headteacher
    other_objects: dict[str, Any] = field(default_factory=dict)

    def url(self, operation: Operation, objects: dict[str, Any] | None = None) -> str:
        chosen = objects or self.objects
        return operation.path.format(**{name: obj.pk for name, obj in chosen.items()})


def _records(school: Any, head: Any, name: str) -> dict[str, Any]:
    pupil = PupilFactory(school=school, legal_first_name="Fictional", legal_last_name=name)
    ContactFactory(pupil=pupil, name=f"Fictional Parent {name}")
    plan = active_plan(pupil, head)
    review = record_review(plan, head)
    goal = plan.goals.get()
    return {
        "pupil": pupil,
        "quiet_pupil": PupilFactory(school=school),
        "suspension": plan.suspension,
        "plan": plan,
        "goal": goal,
        "criterion": goal.criteria.get(),
        "review": review,
        "duty": Duty.objects.filter(suspension=plan.suspension, status=Duty.Status.OPEN).first(),
    }


def build_world() -> World:
    school = SchoolFactory(name="Larkfield Academy", urn="997001")
    other = SchoolFactory(name="Brookside School", urn="997002")
    for each in (school, other):
        academic_year_create(school=each, start_year=2026)
    users = {role: MembershipFactory(school=school, role=role, user__username=f"api-{role}").user for role in ROLES}
    head = users["headteacher"]
    other_head = MembershipFactory(school=other, role=Role.HEADTEACHER, user__username="api-other-head").user
    objects = _records(school, head, "Quennell")
    other_objects = _records(other, other_head, "Elsewhere")
    tokens = {
        role: api_token_create(school=school, role=role, name=f"Matrix {role}", created_by=users[role])[1]
        for role in ROLES
    }
    other_token = api_token_create(school=other, role=Role.HEADTEACHER, name="Other", created_by=other_head)[1]
    return World(objects=objects, head=head, tokens=tokens, other_token=other_token, other_objects=other_objects)


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
    """Built once for the module inside a transaction rolled back at its end; each test runs in a savepoint."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            fast_hashing = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
            with time_machine.travel(NOW, tick=False), fast_hashing:
                built = build_world()
            yield built
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


pytestmark = pytest.mark.django_db


def _send(token: str, operation: Operation, url: str, world: World) -> Any:
    client = api_client(token)
    if operation.method == "GET":
        return client.get(url)
    assert operation.body is not None
    return client.post(url, operation.body(world), content_type="application/json")


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("operation", OPERATIONS, ids=str)
def test_each_role_gets_what_the_matrix_says(world, operation, role):
    response = _send(world.tokens[role], operation, world.url(operation), world)

    expected = operation.status if role in operation.roles else 403
    assert response.status_code == expected, response.content[:300]
    if expected == 403:
        assert response.json()["detail"].startswith("Your role at Larkfield Academy")


@pytest.mark.parametrize("operation", [op for op in OPERATIONS if op.takes_record], ids=str)
def test_another_schools_records_are_not_found(world, operation):
    response = _send(world.other_token, operation, world.url(operation), world)

    assert response.status_code == 404
    assert response.json() == {"detail": "No such record.", "errors": []}


def test_lists_hold_only_the_tokens_own_school(world):
    school = world.other_objects["pupil"].school
    own = {
        "pupils": Pupil.objects.filter(school=school),
        "suspensions": Suspension.objects.filter(school=school),
        "plans": ReintegrationPlan.objects.filter(school=school),
        "goals": Goal.objects.filter(plan__school=school),
        "criteria": Criterion.objects.filter(goal__plan__school=school),
        "reviews": Review.objects.filter(plan__school=school),
        "duties": Duty.objects.filter(school=school),
    }
    client = api_client(world.other_token)
    for path, records in own.items():
        listed = {item["id"] for item in client.get(f"/api/v1/{path}?limit=200").json()["items"]}
        assert listed, path
        assert listed == set(records.values_list("pk", flat=True)), path


def test_writes_by_a_refused_role_change_nothing(world):
    counts = (Review.objects.count(), AttendanceWeek.objects.count(), BehaviourEvent.objects.count())
    for operation in OPERATIONS:
        if operation.method == "POST":
            _send(world.tokens["governor"], operation, world.url(operation), world)
    assert (Review.objects.count(), AttendanceWeek.objects.count(), BehaviourEvent.objects.count()) == counts
    assert not Duty.objects.filter(status=Duty.Status.DONE).exists()


def test_the_matrix_agrees_with_the_capabilities_of_each_role():
    """The groups above are the specification; a change to schools/access.py that moves a role must show here."""
    groups = {
        Can.VIEW_PUPILS: PUPIL_READERS,
        Can.VIEW_CONTACTS: CONTACT_READERS,
        Can.VIEW_SUSPENSIONS: SUSPENSION_READERS,
        Can.VIEW_INCIDENT: PASTORAL,
        Can.RECORD_SUSPENSION: RECORDERS,
        Can.CANCEL_SUSPENSION: LEADERS,
        Can.VIEW_PLANS: PLAN_READERS,
        Can.VIEW_PLAN_DETAIL: PLAN_DETAIL_READERS,
        Can.EDIT_PLANS: PASTORAL,
        Can.VIEW_DUTIES: DUTY_READERS,
        Can.COMPLETE_DUTIES: RECORDERS,
        Can.IMPORT_DATA: IMPORTERS,
    }
    for capability, roles in groups.items():
        assert {role for role in ROLES if capability in ROLE_CAPABILITIES[role]} == set(roles), capability


def test_the_matrix_covers_every_operation_of_the_api():
    from api.api import api

    schema = api.get_openapi_schema()
    documented = {
        (method.upper(), path)
        for path, operations in schema["paths"].items()
        for method in operations
        if method in ("get", "post", "put", "patch", "delete")
    }
    generic = {(op.method, _generic(op.path)) for op in OPERATIONS}
    assert {(method, _generic(path)) for method, path in documented} == generic


def _generic(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "{id}", path)

"""The permission matrix, tested in full: every route, for every role, at its own school and at another school.

The expected statuses are in reintegrate/tests/permission_matrix.py. One shared world (built once for this
module, rolled back at its end) holds a school with a pupil, a suspension with an active plan, a meeting, a goal
with a criterion, a review, a part-time timetable, a duty, a board consideration and a previous-school entry, so
that every route's arguments can be filled. The school belongs to a trust with a second school; a third school
belongs to another trust.

Field-level restriction: the incident summary, a family contact's phone number and the SEN detail appear only to
roles whose capabilities include them, on no page at all for the others; governors see no pupil name or UPN.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import Any

import pytest
import time_machine
from django.conf import settings
from django.db import transaction
from django.shortcuts import resolve_url
from django.test import Client, override_settings
from django.urls import reverse

from conftest import NOW, client_for
from pupils.models import Pupil
from reintegrate.tests import permission_matrix as matrix
from schools.access import ROLE_CAPABILITIES, SESSION_SCHOOL_KEY, TRUST_ROLE_CAPABILITIES, Can, capabilities
from schools.models import Role, Trust, TrustMembership, TrustRole
from schools.services import academic_year_create
from testsupport.documents import docx_text, pdf_text
from testsupport.factories import MembershipFactory, PupilFactory, SchoolFactory, UserFactory
from testsupport.records import build_school_records

INCIDENT = "Fictional incident: kicked the door of the science lab and swore at the technician."
PHONE = "01632 960417"
SEN_DETAIL = "Fictional SEN detail: awaiting a dyslexia assessment; uses a coloured overlay for reading."
UNKNOWN_ID = 987654321

TRUST_ROLES = {"trust_leader": TrustRole.TRUST_LEADER, "trust_dpo": TrustRole.TRUST_DPO}


@dataclass
class World:
    """The shared fixture world: objects by the name the matrix's `kwargs` use, and a user for every role."""

    objects: dict[str, Any]
    users: dict[str, Any]
    school: Any
    own_school: dict[int, Any]  # each user's school: the world's school, or the other school for its staff
    sibling_school: Any  # the other school of the same trust
    other_school: Any  # a school of another trust
    other_staff: dict[str, Any]  # the headteacher and a trust leader of the other school
    other_pupil: Any
    sibling_pupil: Any
    clients: dict[int, Client] = dataclass_field(default_factory=dict)  # signed in at the world's build, by user

    def url(self, route: matrix.Route, **overrides: Any) -> str:
        kwargs = {
            arg: overrides.get(arg, name[1:] if name.startswith("=") else self.objects[name].pk)
            for arg, name in route.kwargs.items()
        }
        return reverse(route.name, kwargs=kwargs)

    def client(self, user: Any, school: Any = None) -> Client:
        """A client signed in as `user`, working in `school` (by default: the user's own school of the world).

        Clients signed in while the world was built are reused: their sessions are part of the world, and what
        a test writes to them is rolled back with the test."""
        if school is None and user.pk in self.clients:
            return self.clients[user.pk]
        client = client_for(user)
        session = client.session
        session[SESSION_SCHOOL_KEY] = (school or self.own_school[user.pk]).pk
        session.save()
        return client

    @property
    def pupil(self) -> Pupil:
        pupil: Pupil = self.objects["pupil"]
        return pupil

    @property
    def names(self) -> list[str]:
        """What identifies the world's pupil: names and UPN."""
        return [self.pupil.legal_first_name, self.pupil.legal_last_name, self.pupil.upn]


def _school(name: str, urn: str, trust: Trust) -> Any:
    school = SchoolFactory(name=name, urn=urn, trust=trust)
    academic_year_create(school=school, start_year=2026)
    return school


def build_world() -> World:
    trust = Trust.objects.create(name="Meadowbank Learning Trust")
    other_trust = Trust.objects.create(name="Riverside Schools Trust")
    school = _school("Larkfield Academy", "998001", trust)
    sibling = _school("Oakfield School", "998002", trust)
    other = _school("Brookside School", "998003", other_trust)

    users: dict[str, Any] = {}
    for role in Role:
        users[role.value] = MembershipFactory(school=school, role=role, user__username=f"matrix-{role.value}").user
    for name, trust_role in TRUST_ROLES.items():
        users[name] = UserFactory(username=f"matrix-{name}")
        TrustMembership.objects.create(user=users[name], trust=trust, role=trust_role)
    head = users[Role.HEADTEACHER]

    other_head = MembershipFactory(school=other, role=Role.HEADTEACHER, user__username="matrix-other-head").user
    other_trust_leader = UserFactory(username="matrix-other-trust-leader")
    TrustMembership.objects.create(user=other_trust_leader, trust=other_trust, role=TrustRole.TRUST_LEADER)

    records = build_school_records(
        school,
        head,
        first_name="Tobias",
        last_name="Quennell",
        incident=INCIDENT,
        phone=PHONE,
        sen_detail=SEN_DETAIL,
    )
    objects: dict[str, Any] = {
        "pupil": records.pupil,
        "contact": records.contact,
        "suspension": records.suspension,
        "plan": records.plan,
        "meeting": records.meeting,
        "goal": records.goal,
        "criterion": records.goal.criteria.get(),
        "review": records.review,
        "part_time_timetable": records.timetable,
        "duty": records.duty,
        "board_consideration": records.board,
        "previous_school_entry": records.previous_school_entry,
        "issued_document": records.issued,
        "api_token": records.api_token,
        "import_job": records.import_job,
        "term": records.term,
        "non_school_day": records.non_school_day,
    }
    world = World(
        objects=objects,
        users=users,
        school=school,
        own_school={
            **{user.pk: school for user in users.values()},
            other_head.pk: other,
            other_trust_leader.pk: other,
        },
        sibling_school=sibling,
        other_school=other,
        other_staff={"other_head": other_head, "other_trust_leader": other_trust_leader},
        other_pupil=PupilFactory(school=other, legal_first_name="Riley", legal_last_name="Marsh"),
        sibling_pupil=PupilFactory(school=sibling, legal_first_name="Amara", legal_last_name="Whitcombe"),
    )
    for user in [*users.values(), *world.other_staff.values()]:
        world.clients[user.pk] = world.client(user)
    return world


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
    """Built once for the module inside a transaction that is rolled back at its end; each test runs in a
    savepoint inside it (pytest-django's `db`), so nothing a test does outlives the test."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            # The root conftest's autouse fixtures (frozen time, a fast password hasher) are per test: apply both here.
            fast_hashing = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
            with time_machine.travel(NOW, tick=False), fast_hashing:
                built = build_world()
            yield built
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


pytestmark = pytest.mark.django_db

PRIVATE_ROUTES = [route for route in matrix.MATRIX if not route.public]
RECORD_ROUTES = [route for route in PRIVATE_ROUTES if route.takes_record]
SCHOOL_WIDE_ROUTES = [route for route in PRIVATE_ROUTES if not route.takes_record]

# What a role must never read unless its capabilities include it (the issue: "incident detail, family contacts
# and SEN detail are hidden from roles that do not need them").
SECRETS: dict[Can, str] = {Can.VIEW_INCIDENT: INCIDENT, Can.VIEW_CONTACTS: PHONE, Can.VIEW_SEN_DETAIL: SEN_DETAIL}


def page(response: Any) -> str:
    """What the response shows a reader: the page, or the text of a PDF or Word download."""
    content_type = response.get("Content-Type", "")
    if content_type.startswith("application/pdf"):
        return pdf_text(response.content)
    if "wordprocessingml" in content_type:
        return docx_text(response.content)
    return " ".join(response.content.decode().split())


def leaks(world: World, role: str, html: str) -> list[str]:
    """The private text on a page that the role's capabilities do not allow it to read."""
    allowed = capabilities(role)
    found = [capability.value for capability, text in SECRETS.items() if capability not in allowed and text in html]
    if Can.VIEW_PUPILS not in allowed:
        found += [f"pupil name or UPN {name!r}" for name in world.names if name in html]
    return found


# --- The matrix covers every route, and only routes that exist -------------------------------------------------


def test_every_route_of_the_project_has_an_entry_in_the_permission_matrix():
    routes = matrix.project_routes()
    unnamed = [route.pattern for route in routes if not route.name]
    missing = sorted(route.name for route in routes if route.name and route.name not in matrix.BY_NAME)

    assert not unnamed, f"Routes without a name cannot be in the permission matrix: {unnamed}"
    assert not missing, (
        f"Routes missing from the permission matrix (add them to reintegrate/tests/permission_matrix.py): {missing}"
    )


def test_every_entry_of_the_permission_matrix_is_a_route_of_the_project():
    names = {route.name for route in matrix.project_routes()}

    stale = sorted(set(matrix.BY_NAME) - names)

    assert not stale, f"Entries for routes that no longer exist (remove them from the matrix): {stale}"


def test_every_entry_gives_a_status_for_every_role_and_fills_every_url_argument():
    routes = {route.name: route.pattern for route in matrix.project_routes()}
    for route in matrix.MATRIX:
        assert set(route.get) == set(matrix.ROLES), route.name
        arguments = set(re.findall(r"<(?:\w+:)?(\w+)>", routes.get(route.name, "")))
        assert arguments == set(route.kwargs), (
            f"{route.name}: the URL takes {arguments}, the matrix fills {route.kwargs}"
        )


# --- Every route, every role, at the role's own school -----------------------------------------------------


@pytest.mark.parametrize(
    ("route", "role"),
    [(route, role) for route in matrix.MATRIX for role in matrix.ROLES],
    ids=[f"{route.name}-{role}" for route in matrix.MATRIX for role in matrix.ROLES],
)
def test_each_role_gets_the_status_in_the_matrix_on_each_page_of_its_own_school(world, route, role):
    response = world.client(world.users[role]).get(world.url(route))

    expected = route.get[role]
    assert response.status_code == expected, f"{route.name} as {role}: {response.status_code}, expected {expected}"
    if expected == matrix.OK:
        assert not leaks(world, role, page(response)), f"{route.name} shows {role} {leaks(world, role, page(response))}"


REFUSED_CELLS = [(route, role) for route in PRIVATE_ROUTES for role in matrix.ROLES if route.get[role] == matrix.DENIED]
GET_ONLY_ROUTES = [route for route in PRIVATE_ROUTES if not route.writes]


@pytest.mark.parametrize(
    ("route", "role"), REFUSED_CELLS, ids=[f"{route.name}-{role}" for route, role in REFUSED_CELLS]
)
def test_a_role_refused_a_page_is_refused_a_post_to_it_too(world, route, role):
    response = world.client(world.users[role]).post(world.url(route), {})

    expected = matrix.DENIED if route.writes else matrix.NO_GET
    assert response.status_code == expected, f"POST {route.name} as {role}: {response.status_code}"


@pytest.mark.parametrize("route", GET_ONLY_ROUTES, ids=[route.name for route in GET_ONLY_ROUTES])
def test_a_page_that_only_shows_answers_a_post_with_method_not_allowed(world, route):
    response = world.client(world.users["headteacher"]).post(world.url(route), {})

    assert response.status_code == matrix.NO_GET


@pytest.mark.parametrize("route", matrix.MATRIX, ids=[route.name for route in matrix.MATRIX])
def test_a_visitor_who_has_not_signed_in_is_sent_to_sign_in_except_on_public_pages(world, route):
    response = Client().get(world.url(route))

    assert response.status_code == route.anonymous
    if route.anonymous == matrix.REDIRECT:
        assert response["Location"].startswith(resolve_url(settings.LOGIN_URL))


# --- Another school ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["other_head", "other_trust_leader"])
@pytest.mark.parametrize("route", RECORD_ROUTES, ids=[route.name for route in RECORD_ROUTES])
def test_staff_of_another_school_get_not_found_for_every_record(world, route, who):
    client = world.client(world.other_staff[who])

    assert client.get(world.url(route)).status_code == 404
    if route.writes:
        assert client.post(world.url(route), {}).status_code == 404


@pytest.mark.parametrize("who", ["other_head", "other_trust_leader"])
@pytest.mark.parametrize("route", SCHOOL_WIDE_ROUTES, ids=[route.name for route in SCHOOL_WIDE_ROUTES])
def test_staff_of_another_school_see_only_their_own_schools_data_on_school_wide_pages(world, route, who):
    response = world.client(world.other_staff[who]).get(world.url(route))

    assert response.status_code in {matrix.OK, matrix.REDIRECT, matrix.DENIED}
    html = page(response)
    for text in [*world.names, world.school.name, world.sibling_pupil.legal_last_name]:
        assert text not in html


def test_staff_of_another_school_see_their_own_pupils_on_the_pupil_list(world):
    html = page(world.client(world.other_staff["other_head"]).get(reverse("pupils:list")))

    assert "Marsh" in html
    assert "Quennell" not in html


@pytest.mark.parametrize("route", RECORD_ROUTES, ids=[route.name for route in RECORD_ROUTES])
def test_an_unknown_id_is_not_found_on_every_record_route(world, route):
    client = world.client(world.users["headteacher"])

    for argument in route.kwargs:
        assert client.get(world.url(route, **{argument: UNKNOWN_ID})).status_code == 404, argument


# --- Field-level restriction ----------------------------------------------------------------------------------

FIELD_PAGES = {
    "pupils:detail": {Can.VIEW_CONTACTS: PHONE, Can.VIEW_SEN_DETAIL: SEN_DETAIL},
    "suspensions:detail": {Can.VIEW_INCIDENT: INCIDENT},
    "plans:detail": {},
}


@pytest.mark.parametrize("role", matrix.ROLES)
@pytest.mark.parametrize("route_name", list(FIELD_PAGES))
def test_the_incident_contacts_and_sen_detail_show_only_to_roles_that_need_them(world, route_name, role):
    route = matrix.BY_NAME[route_name]
    response = world.client(world.users[role]).get(world.url(route))
    html = page(response)
    allowed = capabilities(role)

    for capability, text in SECRETS.items():
        shown_here = capability in FIELD_PAGES[route_name]
        expected = response.status_code == matrix.OK and shown_here and capability in allowed
        assert (text in html) == expected, f"{route_name} as {role}: {capability.value} shown={text in html}"


def test_the_roles_that_see_each_private_field_are_the_ones_the_documentation_names():
    def holders(capability: Can) -> set[str]:
        return {role for role in matrix.ROLES if capability in capabilities(role)}

    assert holders(Can.VIEW_INCIDENT) == {"headteacher", "senior_leader", "pastoral_lead", "senco"}
    assert holders(Can.VIEW_SEN_DETAIL) == {"headteacher", "senior_leader", "pastoral_lead", "senco"}
    assert holders(Can.VIEW_CONTACTS) == {"headteacher", "senior_leader", "pastoral_lead", "senco", "office"}


def test_the_governors_figures_page_holds_no_pupil_name_or_upn(world):
    response = world.client(world.users["governor"]).get(reverse("dashboard:figures"))

    assert response.status_code == 200
    html = page(response)
    assert "Larkfield Academy" in html  # the page is about the governor's school
    for text in [*world.names, world.pupil.display_name, "Fictional Parent Quennell"]:
        assert text not in html


def test_the_governors_home_page_sends_them_to_the_figures(world):
    response = world.client(world.users["governor"]).get(reverse("dashboard:home"))

    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard:figures")


# --- Trust-level roles -------------------------------------------------------------------------------------------


def test_a_trust_leader_sees_the_pupils_of_both_schools_of_the_trust(world):
    leader = world.users["trust_leader"]

    at_larkfield = page(world.client(leader, school=world.school).get(reverse("pupils:list")))
    at_oakfield = page(world.client(leader, school=world.sibling_school).get(reverse("pupils:list")))

    assert "Quennell" in at_larkfield
    assert "Whitcombe" not in at_larkfield
    assert "Whitcombe" in at_oakfield
    assert "Quennell" not in at_oakfield
    sibling_pupil = world.client(leader).get(reverse("pupils:detail", args=[world.sibling_pupil.pk]))
    assert sibling_pupil.status_code == 200


@pytest.mark.parametrize("who", ["trust_leader", "trust_dpo"])
def test_a_trust_role_gets_not_found_for_a_school_outside_the_trust(world, who):
    client = world.client(world.users[who])

    assert client.get(reverse("pupils:detail", args=[world.other_pupil.pk])).status_code == 404
    assert client.post(reverse("schools:switch"), {"school": str(world.other_school.pk)}).status_code == 404


def test_a_trust_leader_switches_between_the_trusts_schools_only(world):
    client = world.client(world.users["trust_leader"])

    html = page(client.get(reverse("schools:switch")))

    assert "Larkfield Academy (Trust leader)" in html
    assert "Oakfield School (Trust leader)" in html
    assert "Brookside School" not in html
    response = client.post(reverse("schools:switch"), {"school": str(world.sibling_school.pk)}, follow=True)
    assert "You are now working in Oakfield School." in page(response)
    assert "Oakfield School · Trust leader" in page(response)


@pytest.mark.parametrize("who", ["trust_leader", "trust_dpo"])
def test_a_trust_role_cannot_post_any_write(world, who):
    client = world.client(world.users[who])
    writes = [
        route
        for route in PRIVATE_ROUTES
        if route.writes and not route.personal and route.name not in WRITES_A_TRUST_ROLE_MAY_POST
    ]

    refused = {route.name: client.post(world.url(route), {}).status_code for route in writes}

    assert refused == dict.fromkeys(refused, 403)
    assert {"suspensions:record", "plans:edit", "plans:review_add", "duties:complete", "schools:settings"} <= set(
        refused
    )


# A POST that changes no school record: the subject access export (a download). Personal routes (the user's own
# two-factor settings, the school they work in) are not writes to a school's records either.
WRITES_A_TRUST_ROLE_MAY_POST = {"pupils:subject_access"}


def test_trust_roles_hold_no_write_capability():
    writes = {
        Can.RECORD_SUSPENSION,
        Can.CANCEL_SUSPENSION,
        Can.EDIT_PLANS,
        Can.MANAGE_CALENDAR,
        Can.COMPLETE_DUTIES,
        Can.RECORD_BOARD,
        Can.MANAGE_SETTINGS,
        Can.ISSUE_LETTERS,
        Can.MANAGE_LETTERS,
        Can.IMPORT_DATA,
    }
    for role, allowed in TRUST_ROLE_CAPABILITIES.items():
        assert not allowed & writes, role


# --- docs/permissions.md ----------------------------------------------------------------------------------------


def test_the_documented_route_table_is_the_matrix():
    documented = matrix.doc_section(matrix.DOC.read_text(encoding="utf-8"))

    assert documented == matrix.routes_markdown(matrix.project_routes()), (
        "docs/permissions.md is out of date: run .venv/bin/python -m reintegrate.tests.permission_matrix"
    )


def test_the_documented_capability_table_is_the_role_matrix_in_access_py():
    text = matrix.DOC.read_text(encoding="utf-8")
    header = next(line for line in text.splitlines() if line.startswith("| Capability |"))
    columns = [cell.strip() for cell in header.strip("|").split("|")][2:]
    assert columns == [matrix.ROLE_HEADINGS[role] for role in matrix.ROLES]
    rows = {}
    for line in text.splitlines():
        found = re.match(r"\| `(\w+)` \|", line)
        if found and found.group(1) in {c.value for c in Can}:
            cells = [cell.strip() for cell in line.strip().strip("|").split("|")][2:]
            rows[found.group(1)] = {role for role, cell in zip(matrix.ROLES, cells, strict=True) if cell == "✓"}

    assert set(rows) == {c.value for c in Can}
    all_roles = {**ROLE_CAPABILITIES, **TRUST_ROLE_CAPABILITIES}
    for capability, roles in rows.items():
        assert roles == {role for role in matrix.ROLES if Can(capability) in all_roles[role]}, capability

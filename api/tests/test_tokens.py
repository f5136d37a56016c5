"""API tokens: created for one school and one role, stored only as a hash, shown once; refused when missing, wrong,
revoked or when their creator's account is closed; managed on the API tokens page and with manage.py api_token."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from io import StringIO

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.utils import timezone

from api.models import ApiToken
from api.services import api_token_create, api_token_revoke
from api.tests.conftest import api_client, make_token
from conftest import client_for
from schools.models import Role
from testsupport.factories import MembershipFactory
from testsupport.plans import page_text, record_suspension

pytestmark = pytest.mark.django_db

ME = "/api/v1/me"


# --- The token itself ----------------------------------------------------------------------------------------------


def test_a_token_is_stored_only_as_its_sha256_hash(school, headteacher):
    token, raw = api_token_create(school=school, role=Role.OFFICE, name="MIS nightly sync", created_by=headteacher)

    token.refresh_from_db()
    assert raw.startswith("rit_")
    assert len(raw) > 40
    assert token.token_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert raw not in {str(value) for value in ApiToken.objects.values_list(flat=False).get(pk=token.pk)}
    assert token.prefix == raw[:12]


def test_two_tokens_are_never_the_same(school, headteacher):
    first = api_token_create(school=school, role=Role.OFFICE, name="One", created_by=headteacher)[1]
    second = api_token_create(school=school, role=Role.OFFICE, name="Two", created_by=headteacher)[1]

    assert first != second


def test_a_token_needs_a_name_and_a_school_role(school, headteacher):
    with pytest.raises(ValidationError) as refused:
        api_token_create(school=school, role="trust_leader", name="  ", created_by=headteacher)

    assert set(refused.value.message_dict) == {"name", "role"}


def test_a_token_cannot_act_for_staff_of_another_school(school, other_head):
    with pytest.raises(ValidationError) as refused:
        api_token_create(school=school, role=Role.OFFICE, name="Sync", created_by=other_head)

    assert "created_by" in refused.value.message_dict


def test_me_says_which_school_and_role_the_token_acts_as(school, headteacher):
    response = api_client(make_token(headteacher, role=Role.OFFICE, name="MIS nightly sync")).get(ME)

    assert response.status_code == 200
    body = response.json()
    assert body["school"] == {"id": school.pk, "name": "Larkfield Academy", "urn": "999001"}
    assert body["role"] == "office"
    assert body["token_name"] == "MIS nightly sync"
    assert "record_suspension" in body["capabilities"]
    assert "edit_plans" not in body["capabilities"]
    assert body["acts_for"] == headteacher.get_full_name()


# --- Refused tokens: 401 -------------------------------------------------------------------------------------------


def test_a_request_without_a_token_is_refused_with_401(school):
    response = api_client(None).get(ME)

    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert "Authorization: Bearer" in response.json()["detail"]


@pytest.mark.parametrize(
    "header",
    ["Bearer rit_not-a-real-token", "Bearer ", "Basic dXNlcjpwYXNz", "rit_without_the_scheme", "Bearer " + "x" * 5000],
)
def test_a_wrong_token_is_refused_with_401(school, header):
    response = api_client(None).get(ME, headers={"Authorization": header})

    assert response.status_code == 401
    assert response.json()["errors"] == []


def test_a_revoked_token_is_refused_from_then_on(school, headteacher):
    raw = make_token(headteacher)
    client = api_client(raw)
    assert client.get(ME).status_code == 200

    api_token_revoke(token=ApiToken.objects.get(), revoked_by=headteacher, now=timezone.now())

    assert client.get(ME).status_code == 401


def test_a_token_is_refused_once_the_account_of_the_member_of_staff_it_acts_for_is_closed(school, headteacher):
    client = api_client(make_token(headteacher))
    headteacher.is_active = False
    headteacher.save()

    assert client.get(ME).status_code == 401


def test_a_token_cannot_be_revoked_twice(school, headteacher):
    make_token(headteacher)
    token = ApiToken.objects.get()
    api_token_revoke(token=token, revoked_by=headteacher, now=timezone.now())

    with pytest.raises(ValidationError):
        api_token_revoke(token=token, revoked_by=headteacher, now=timezone.now())


def test_using_a_token_records_when_it_was_last_used_at_most_once_a_minute(school, headteacher, frozen_time):
    client = api_client(make_token(headteacher))
    token = ApiToken.objects.get()
    assert token.last_used_at is None

    client.get(ME)
    token.refresh_from_db()
    first_use = token.last_used_at
    assert first_use == timezone.now()

    frozen_time.shift(timedelta(seconds=59))
    client.get(ME)
    token.refresh_from_db()
    assert token.last_used_at == first_use

    frozen_time.shift(timedelta(seconds=1))
    client.get(ME)
    token.refresh_from_db()
    assert token.last_used_at == first_use + timedelta(minutes=1)


def test_an_api_request_sets_no_session_cookie(school, headteacher):
    response = api_client(make_token(headteacher)).get("/api/v1/pupils")

    assert response.status_code == 200
    assert "sessionid" not in response.cookies


def test_a_signed_in_session_without_a_token_does_not_reach_the_api(school, headteacher):
    response = client_for(headteacher).get("/api/v1/pupils")

    assert response.status_code == 401


# --- The API tokens page -------------------------------------------------------------------------------------------


def test_the_headteacher_creates_a_token_and_sees_it_once(school, headteacher):
    client = client_for(headteacher)

    posted = client.post("/api/tokens/new/", {"name": "MIS nightly sync", "role": "office"})
    token = ApiToken.objects.get()
    shown = client.get(posted["Location"])
    again = client.get(posted["Location"], follow=True)

    assert posted.status_code == 302
    assert shown.status_code == 200
    assert shown["Cache-Control"] == "no-store"
    raw = shown.context["raw"]
    assert token.token_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert raw in shown.content.decode()
    assert (token.created_by, token.role) == (headteacher, Role.OFFICE)
    assert raw not in again.content.decode()
    assert "was shown once, when it was created, and cannot be shown again" in page_text(again)
    assert not any(raw in str(value) for value in client.session.values())
    assert "MIS nightly sync" in page_text(again)
    assert api_client(raw).get(ME).json()["role"] == "office"


def test_the_token_form_explains_a_missing_name(school, headteacher):
    response = client_for(headteacher).post("/api/tokens/new/", {"name": "", "role": "office"})

    assert response.status_code == 200
    assert "Enter a name for the token" in page_text(response)
    assert not ApiToken.objects.exists()


def test_only_the_creator_of_the_page_sees_the_new_token(school, headteacher):
    leader = MembershipFactory(school=school, role=Role.SENIOR_LEADER, user__username="leader").user
    posted = client_for(headteacher).post("/api/tokens/new/", {"name": "MIS nightly sync", "role": "office"})

    response = client_for(leader).get(posted["Location"], follow=True)

    assert "cannot be shown again" in page_text(response)


def test_a_senior_leader_cannot_create_a_token_that_can_do_more_than_their_role(school):
    leader = MembershipFactory(school=school, role=Role.SENIOR_LEADER, user__username="leader").user
    client = client_for(leader)

    offered = client.get("/api/tokens/new/").context["form"].fields["role"].choices
    response = client.post("/api/tokens/new/", {"name": "Everything", "role": "headteacher"})

    assert "headteacher" not in [value for value, _label in offered]
    assert "senior_leader" in [value for value, _label in offered]
    assert response.status_code == 200
    assert not ApiToken.objects.exists()


def test_the_headteacher_revokes_a_token_after_confirming(school, headteacher):
    raw = make_token(headteacher, name="Old sync")
    token = ApiToken.objects.get()
    client = client_for(headteacher)

    confirm = client.get(f"/api/tokens/{token.pk}/revoke/")
    response = client.post(f"/api/tokens/{token.pk}/revoke/", follow=True)

    assert "Are you sure you want to revoke this API token?" in page_text(confirm)
    assert "API token 'Old sync' revoked" in page_text(response)
    token.refresh_from_db()
    assert token.revoked_by == headteacher
    assert api_client(raw).get(ME).status_code == 401
    assert "Revoked 18/11/2026" in page_text(client.get("/api/tokens/"))


def test_revoking_a_revoked_token_again_says_so(school, headteacher):
    make_token(headteacher)
    token = ApiToken.objects.get()
    api_token_revoke(token=token, revoked_by=headteacher, now=timezone.now())

    response = client_for(headteacher).post(f"/api/tokens/{token.pk}/revoke/", follow=True)

    assert "This token has already been revoked." in page_text(response)


@pytest.mark.parametrize("persona", ["pastoral_lead", "senco", "teacher", "office", "governor"])
def test_only_headteachers_and_senior_leaders_manage_tokens(request, school, headteacher, persona):
    make_token(headteacher)
    token = ApiToken.objects.get()
    client = client_for(request.getfixturevalue(persona))

    assert client.get("/api/tokens/").status_code == 403
    assert client.post("/api/tokens/new/", {"name": "Mine", "role": "teacher"}).status_code == 403
    assert client.post(f"/api/tokens/{token.pk}/revoke/").status_code == 403
    assert ApiToken.objects.filter(revoked_at__isnull=True).count() == 1


def test_another_schools_token_is_not_found(school, headteacher, other_head):
    make_token(other_head)
    token = ApiToken.objects.get()

    response = client_for(headteacher).post(f"/api/tokens/{token.pk}/revoke/")

    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_creating_and_revoking_a_token_is_in_the_audit_trail_without_its_hash(school, headteacher):
    client = client_for(headteacher)
    client.post("/api/tokens/new/", {"name": "MIS nightly sync", "role": "office"})
    token = ApiToken.objects.get()
    client.post(f"/api/tokens/{token.pk}/revoke/")

    entries = LogEntry.objects.get_for_object(token).order_by("timestamp", "id")
    assert [entry.action for entry in entries] == [LogEntry.Action.CREATE, LogEntry.Action.UPDATE]
    assert all(entry.actor == headteacher for entry in entries)
    assert all("token_hash" not in (entry.changes or {}) for entry in entries)


# --- manage.py api_token ---------------------------------------------------------------------------------------------


def _command(*args: str) -> str:
    out = StringIO()
    call_command("api_token", *args, stdout=out)
    return out.getvalue()


def test_the_command_creates_a_token_and_prints_it_once(school, headteacher):
    output = _command("create", "--school", "999001", "--role", "office", "--name", "MIS sync", "--by", "head")

    raw = output.strip().splitlines()[-1]
    token = ApiToken.objects.get()
    assert token.token_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert token.created_by == headteacher
    assert api_client(raw).get(ME).json()["school"]["urn"] == "999001"
    assert raw not in _command("list", "--school", "999001")


def test_a_token_created_without_a_member_of_staff_can_read_but_not_write(school, headteacher, pupil):
    suspension = record_suspension(pupil, headteacher)
    output = _command("create", "--school", "999001", "--role", "headteacher", "--name", "Read only")
    client = api_client(output.strip().splitlines()[-1])

    read = client.get(f"/api/v1/suspensions/{suspension.pk}")
    cancel = client.post(
        f"/api/v1/suspensions/{suspension.pk}/cancel", {"reason": "Fictional reason."}, content_type="application/json"
    )
    evidence = client.post(
        "/api/v1/attendance-marks",
        {"items": [{"upn": pupil.upn, "date": "2026-11-16", "session": "am", "code": "/"}]},
        content_type="application/json",
    )

    assert "can read but not write" in output
    assert read.status_code == 200
    assert cancel.status_code == 403
    assert "can read but not write" in cancel.json()["detail"]
    assert evidence.status_code == 403
    suspension.refresh_from_db()
    assert not suspension.is_cancelled


def test_the_command_revokes_a_token_by_its_prefix(school, headteacher):
    raw = make_token(headteacher)

    output = _command("revoke", "--school", "999001", "--prefix", raw[:12])

    assert "Revoked" in output
    assert api_client(raw).get(ME).status_code == 401


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("create", "--school", "123456", "--role", "office", "--name", "X"), "No school has the URN 123456."),
        (("create", "--school", "999001", "--role", "office", "--name", "X", "--by", "nobody"), "No user"),
        (("revoke", "--school", "999001", "--id", "999"), "has no such API token"),
    ],
)
def test_the_command_explains_what_it_cannot_do(school, args, message):
    with pytest.raises(CommandError, match=message):
        _command(*args)

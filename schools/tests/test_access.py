"""The school-scoped access helper: which school the user works in, 404 for other schools, 403 by role."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.db import SessionStore
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import RequestFactory

from pupils.models import Contact, Pupil
from schools.access import (
    DECISION_MAKER_ROLES,
    ROLE_CAPABILITIES,
    SESSION_SCHOOL_KEY,
    TRUST_ROLE_CAPABILITIES,
    Can,
    access_to_school,
    capabilities,
    current_access,
    get_for,
    require,
    user_memberships,
)
from schools.models import Role, Trust, TrustMembership, TrustRole
from testsupport.factories import ContactFactory, MembershipFactory, PupilFactory, SchoolFactory, UserFactory

pytestmark = pytest.mark.django_db


def request_for(user, **session):
    request = RequestFactory().get("/")
    request.user = user
    request.session = SessionStore()
    request.session.update(session)
    return request


@pytest.fixture
def two_school_user(school, other_school):
    """Teacher at Larkfield Academy and headteacher at Brookside School."""
    user = UserFactory(username="twohats")
    MembershipFactory(user=user, school=school, role=Role.TEACHER)
    MembershipFactory(user=user, school=other_school, role=Role.HEADTEACHER)
    return user


@pytest.fixture
def other_pupil(other_school):
    return PupilFactory(school=other_school, legal_first_name="Riley", legal_last_name="Marsh")


# --- current_access and require ----------------------------------------------------------------------------


def test_the_current_school_is_the_one_chosen_in_the_session(two_school_user, school):
    access = current_access(request_for(two_school_user, **{SESSION_SCHOOL_KEY: school.pk}))

    assert access is not None
    assert access.school == school
    assert access.role == Role.TEACHER


def test_without_a_choice_the_current_school_is_the_first_membership_by_school_name(two_school_user, other_school):
    access = current_access(request_for(two_school_user))

    assert access is not None
    assert access.school == other_school  # Brookside School comes before Larkfield Academy
    assert access.role == Role.HEADTEACHER


def test_a_chosen_school_where_the_user_holds_no_role_falls_back_to_the_first_membership(two_school_user, other_school):
    stranger_school = SchoolFactory(name="Castle Hill School")

    access = current_access(request_for(two_school_user, **{SESSION_SCHOOL_KEY: stranger_school.pk}))

    assert access is not None
    assert access.school == other_school


def test_a_user_without_any_role_has_no_current_school():
    assert current_access(request_for(UserFactory())) is None


def test_an_anonymous_visitor_has_no_current_school():
    assert current_access(request_for(AnonymousUser())) is None


def test_memberships_are_read_once_per_request(two_school_user, django_assert_num_queries):
    request = request_for(two_school_user)

    with django_assert_num_queries(1):
        first = user_memberships(request)
        current_access(request)
        user_memberships(request)

    assert len(first) == 2


def test_require_returns_the_current_schools_access_when_the_role_allows_it(headteacher, school):
    access = require(request_for(headteacher), Can.CANCEL_SUSPENSION)

    assert access.school == school


def test_require_refuses_a_role_without_the_capability_and_says_which_role(teacher):
    with pytest.raises(PermissionDenied) as denied:
        require(request_for(teacher), Can.RECORD_SUSPENSION)

    assert "Your role at Larkfield Academy (Teacher) does not allow this" in str(denied.value)


def test_require_checks_the_role_at_the_current_school_only(two_school_user, school, other_school):
    assert require(request_for(two_school_user, **{SESSION_SCHOOL_KEY: other_school.pk}), Can.VIEW_FIGURES)
    with pytest.raises(PermissionDenied):
        require(request_for(two_school_user, **{SESSION_SCHOOL_KEY: school.pk}), Can.VIEW_FIGURES)


def test_require_refuses_a_user_without_any_role_and_says_who_to_ask():
    with pytest.raises(PermissionDenied, match="You do not hold a role at any school"):
        require(request_for(UserFactory()), Can.VIEW_PUPILS)


def test_an_acting_headteacher_is_named_as_acting_in_the_refusal(school):
    acting = MembershipFactory(school=school, role=Role.GOVERNOR, is_acting=True).user

    with pytest.raises(PermissionDenied, match=r"\(Acting governor\)"):
        require(request_for(acting), Can.VIEW_PUPILS)


# --- get_for ----------------------------------------------------------------------------------------------


def test_get_for_returns_the_record_and_the_access_at_its_school(headteacher, pupil, school):
    obj, access = get_for(request_for(headteacher), Pupil.objects.all(), Can.VIEW_PUPILS, pk=pupil.pk)

    assert obj == pupil
    assert access.school == school
    assert access.role == Role.HEADTEACHER


def test_get_for_hides_another_schools_record_with_404(other_head, pupil):
    with pytest.raises(Http404):
        get_for(request_for(other_head), Pupil.objects.all(), Can.VIEW_PUPILS, pk=pupil.pk)


def test_get_for_hides_another_schools_record_even_for_a_capability_the_role_has_there(headteacher, other_pupil):
    with pytest.raises(Http404):
        get_for(request_for(headteacher), Pupil.objects.all(), Can.VIEW_PUPILS, pk=other_pupil.pk)


@pytest.mark.parametrize(
    "pk", [987654, "abc", "", "1.5", 2**70], ids=["unknown", "letters", "empty", "decimal", "huge"]
)
def test_get_for_answers_404_for_an_unknown_or_malformed_id(headteacher, pupil, pk):
    with pytest.raises(Http404):
        get_for(request_for(headteacher), Pupil.objects.all(), Can.VIEW_PUPILS, pk=pk)


def test_get_for_answers_404_for_a_malformed_value_in_any_lookup(headteacher, pupil):
    with pytest.raises(Http404):
        get_for(request_for(headteacher), Pupil.objects.all(), Can.VIEW_PUPILS, date_of_birth="not-a-date")


def test_get_for_answers_404_to_a_user_without_any_role(pupil):
    with pytest.raises(Http404):
        get_for(request_for(UserFactory()), Pupil.objects.all(), Can.VIEW_PUPILS, pk=pupil.pk)


def test_get_for_answers_403_when_the_role_lacks_the_capability(teacher, pupil):
    with pytest.raises(PermissionDenied, match="Your role at Larkfield Academy"):
        get_for(request_for(teacher), Pupil.objects.all(), Can.VIEW_CONTACTS, pk=pupil.pk)


def test_get_for_checks_the_role_at_the_records_school_not_the_current_one(two_school_user, other_school, pupil):
    # Headteacher at Brookside (the current school) but only a teacher at Larkfield, which owns the pupil.
    request = request_for(two_school_user, **{SESSION_SCHOOL_KEY: other_school.pk})

    with pytest.raises(PermissionDenied):
        get_for(request, Pupil.objects.all(), Can.VIEW_CONTACTS, pk=pupil.pk)
    obj, access = get_for(request, Pupil.objects.all(), Can.VIEW_PUPILS, pk=pupil.pk)
    assert obj == pupil
    assert access.role == Role.TEACHER


def test_get_for_makes_the_records_school_the_current_school(two_school_user, school, other_school, pupil):
    request = request_for(two_school_user, **{SESSION_SCHOOL_KEY: other_school.pk})

    get_for(request, Pupil.objects.all(), Can.VIEW_PUPILS, pk=pupil.pk)

    assert request.session[SESSION_SCHOOL_KEY] == school.pk
    assert current_access(request).school == school


def test_get_for_does_not_change_the_current_school_when_it_refuses(two_school_user, other_school, pupil):
    request = request_for(two_school_user, **{SESSION_SCHOOL_KEY: other_school.pk})

    with pytest.raises(PermissionDenied):
        get_for(request, Pupil.objects.all(), Can.VIEW_CONTACTS, pk=pupil.pk)

    assert request.session[SESSION_SCHOOL_KEY] == other_school.pk


def test_get_for_reaches_the_school_of_a_child_record_through_its_parent(pastoral_lead, other_head, pupil):
    contact = ContactFactory(pupil=pupil)
    queryset = Contact.objects.select_related("pupil")

    obj, access = get_for(
        request_for(pastoral_lead), queryset, Can.VIEW_CONTACTS, school_field="pupil__school", pk=contact.pk
    )
    assert obj == contact
    assert access.role == Role.PASTORAL_LEAD
    with pytest.raises(Http404):
        get_for(request_for(other_head), queryset, Can.VIEW_CONTACTS, school_field="pupil__school", pk=contact.pk)


# --- the role matrix -----------------------------------------------------------------------------------------


def test_every_role_has_a_row_in_the_matrix():
    assert set(ROLE_CAPABILITIES) == set(Role)
    assert set(TRUST_ROLE_CAPABILITIES) == set(TrustRole)


def test_an_unknown_role_can_do_nothing():
    assert capabilities("caretaker") == frozenset()


def test_the_headteacher_can_do_everything():
    assert capabilities(Role.HEADTEACHER) == frozenset(Can)


def test_a_senior_leader_can_do_everything_but_read_the_audit_trail_or_export_a_pupils_data():
    assert capabilities(Role.SENIOR_LEADER) == frozenset(Can) - {Can.VIEW_AUDIT, Can.EXPORT_PUPIL_DATA}


def test_the_data_protection_officer_finds_pupils_reads_their_audit_trail_and_exports_their_data():
    assert capabilities(Role.DATA_PROTECTION_OFFICER) == {Can.VIEW_PUPILS, Can.VIEW_AUDIT, Can.EXPORT_PUPIL_DATA}


def test_a_governor_sees_only_the_aggregate_figures():
    assert capabilities(Role.GOVERNOR) == {Can.VIEW_FIGURES}


def test_a_teacher_sees_pupils_suspension_dates_and_active_plans_only():
    assert capabilities(Role.TEACHER) == {Can.VIEW_PUPILS, Can.VIEW_SUSPENSIONS, Can.VIEW_PLANS}


@pytest.mark.parametrize(
    "capability",
    [
        Can.VIEW_INCIDENT,
        Can.VIEW_CONTACTS,
        Can.EDIT_PLANS,
        Can.VIEW_SEN_DETAIL,
        Can.VIEW_SUSPENSION_DETAIL,
        Can.VIEW_PLAN_DETAIL,
        Can.RECORD_SUSPENSION,
        Can.VIEW_FIGURES,
        Can.VIEW_DUTIES,
        Can.COMPLETE_DUTIES,
        Can.RECORD_BOARD,
        Can.MANAGE_SETTINGS,
    ],
)
def test_a_teacher_lacks(capability):
    assert capability not in capabilities(Role.TEACHER)


@pytest.mark.parametrize("role", [Role.PASTORAL_LEAD, Role.SENCO])
def test_pastoral_leads_and_sencos_do_everything_except_cancel_the_calendar_figures_board_and_settings(role):
    assert capabilities(role) == frozenset(Can) - {
        Can.CANCEL_SUSPENSION,
        Can.MANAGE_CALENDAR,
        Can.VIEW_FIGURES,
        Can.RECORD_BOARD,
        Can.MANAGE_SETTINGS,
        Can.VIEW_AUDIT,
        Can.EXPORT_PUPIL_DATA,
        Can.MANAGE_LETTERS,
        Can.IMPORT_DATA,
    }


def test_office_staff_record_suspensions_and_keep_the_calendar_but_never_see_the_incident_or_plans():
    office = capabilities(Role.OFFICE)

    assert office == {
        Can.VIEW_PUPILS,
        Can.VIEW_CONTACTS,
        Can.VIEW_SUSPENSIONS,
        Can.VIEW_SUSPENSION_DETAIL,
        Can.RECORD_SUSPENSION,
        Can.MANAGE_CALENDAR,
        Can.VIEW_DUTIES,
        Can.COMPLETE_DUTIES,
        Can.RECORD_BOARD,
        Can.ISSUE_LETTERS,
        Can.MANAGE_LETTERS,
        Can.IMPORT_DATA,
    }
    assert Can.VIEW_INCIDENT not in office
    assert Can.VIEW_PLANS not in office


def test_only_the_headteacher_role_decides_suspensions():
    assert set(DECISION_MAKER_ROLES) == {Role.HEADTEACHER}


def test_access_reports_what_the_role_allows(governor):
    access = require(request_for(governor), Can.VIEW_FIGURES)

    assert access.allowed == {Can.VIEW_FIGURES}
    assert access.can(Can.VIEW_FIGURES)
    assert not access.can(Can.VIEW_PUPILS)


# --- trust-level roles ---------------------------------------------------------------------------------------

TRUST_LEADER_READS = {
    Can.VIEW_FIGURES,
    Can.VIEW_PUPILS,
    Can.VIEW_SUSPENSIONS,
    Can.VIEW_SUSPENSION_DETAIL,
    Can.VIEW_PLANS,
    Can.VIEW_PLAN_DETAIL,
    Can.VIEW_DUTIES,
}


@pytest.fixture
def trust(school, other_school):
    """Larkfield Academy and Brookside School are the trust's schools."""
    trust = Trust.objects.create(name="Meadowbank Learning Trust")
    school.trust = trust
    school.save()
    other_school.trust = trust
    other_school.save()
    return trust


@pytest.fixture
def outside_school():
    return SchoolFactory(name="Castle Hill School", urn="999009")


def trust_user(trust, role=TrustRole.TRUST_LEADER, **kwargs):
    user = UserFactory(**kwargs)
    TrustMembership.objects.create(user=user, trust=trust, role=role)
    return user


def test_a_trust_leader_reads_figures_pupils_suspensions_plans_and_duties_and_writes_nothing():
    assert capabilities(TrustRole.TRUST_LEADER) == TRUST_LEADER_READS


def test_a_trust_leader_does_not_see_the_incident_family_contacts_or_sen_detail():
    assert not capabilities(TrustRole.TRUST_LEADER) & {Can.VIEW_INCIDENT, Can.VIEW_CONTACTS, Can.VIEW_SEN_DETAIL}


def test_a_trust_dpo_finds_pupils_reads_their_audit_trail_and_exports_their_data():
    assert capabilities(TrustRole.TRUST_DPO) == {Can.VIEW_PUPILS, Can.VIEW_AUDIT, Can.EXPORT_PUPIL_DATA}


def test_a_trust_role_reaches_every_school_of_its_trust_and_no_other(trust, school, other_school, outside_school):
    roles = user_memberships(request_for(trust_user(trust)))

    assert [role.school for role in roles] == [other_school, school]  # by name: Brookside, Larkfield
    assert {role.role for role in roles} == {TrustRole.TRUST_LEADER}
    assert [role.role_label for role in roles] == ["Trust leader", "Trust leader"]


def test_a_trust_roles_schools_are_read_in_one_query(trust, django_assert_num_queries):
    request = request_for(trust_user(trust))

    with django_assert_num_queries(1):
        roles = user_memberships(request)
        current_access(request)

    assert len(roles) == 2


def test_a_trust_leader_works_in_the_trust_school_chosen_in_the_session(trust, school):
    access = current_access(request_for(trust_user(trust), **{SESSION_SCHOOL_KEY: school.pk}))

    assert access is not None
    assert access.school == school
    assert access.allowed == TRUST_LEADER_READS


def test_a_trust_leader_opens_a_pupil_of_any_school_of_the_trust(trust, pupil, other_pupil):
    request = request_for(trust_user(trust))

    assert get_for(request, Pupil.objects.all(), Can.VIEW_PUPILS, pk=pupil.pk)[0] == pupil
    assert get_for(request, Pupil.objects.all(), Can.VIEW_PUPILS, pk=other_pupil.pk)[0] == other_pupil


def test_a_school_outside_the_trust_is_not_found_for_a_trust_role(trust, outside_school):
    stranger = PupilFactory(school=outside_school)
    request = request_for(trust_user(trust, role=TrustRole.TRUST_DPO))

    with pytest.raises(Http404):
        get_for(request, Pupil.objects.all(), Can.VIEW_PUPILS, pk=stranger.pk)
    with pytest.raises(Http404):
        access_to_school(request, outside_school.pk)


def test_a_trust_leader_is_refused_every_write_and_told_their_role(trust, pupil):
    request = request_for(trust_user(trust))

    for capability in set(Can) - TRUST_LEADER_READS:
        with pytest.raises(PermissionDenied, match=r"Your role at Larkfield Academy \(Trust leader\)"):
            get_for(request, Pupil.objects.all(), capability, pk=pupil.pk)


def test_a_school_role_and_a_trust_role_at_one_school_give_both_roles_capabilities(trust, school, other_school):
    user = trust_user(trust)
    MembershipFactory(user=user, school=school, role=Role.TEACHER)

    request = request_for(user, **{SESSION_SCHOOL_KEY: school.pk})
    access = current_access(request)

    assert access is not None
    assert access.role == Role.TEACHER
    assert access.membership.role_label == "Teacher and trust leader"
    assert access.allowed == capabilities(Role.TEACHER) | TRUST_LEADER_READS
    assert [role.school for role in user_memberships(request)] == [other_school, school]


def test_a_trust_role_of_another_trust_reaches_none_of_this_trusts_schools(trust, school, outside_school):
    elsewhere = Trust.objects.create(name="Riverside Schools Trust")
    outside_school.trust = elsewhere
    outside_school.save()

    roles = user_memberships(request_for(trust_user(elsewhere)))

    assert [role.school for role in roles] == [outside_school]


def test_a_school_without_a_trust_is_reached_by_no_trust_role(trust, outside_school):
    assert outside_school.trust is None
    assert outside_school not in [role.school for role in user_memberships(request_for(trust_user(trust)))]

"""The one school-scoped access helper. Every view reads through it.

Two questions, always in this order:
1. Does the user hold a role at the school that owns the record? If not, the record does not exist for
   them: 404, so that staff of another school cannot even learn that it exists.
2. Does that role allow the action? If not: 403 with a message that says so.

The role matrix below is the single statement of who may do what; docs/permissions.md explains it.

Trust-level roles (TrustMembership) reach every school of their trust, read-only, and no other school: for
those schools the user gets an Access as if they held a role there, with the trust role's capabilities
(TRUST_ROLE_CAPABILITIES). A user who also holds a role at one of those schools gets both roles' capabilities.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import models
from django.db.models import F, FilteredRelation, Q
from django.http import Http404, HttpRequest

from schools.models import Role, School, TrustRole

SESSION_SCHOOL_KEY = "current_school_id"


class Can(enum.StrEnum):
    VIEW_PUPILS = "view_pupils"
    VIEW_CONTACTS = "view_contacts"
    VIEW_SEN_DETAIL = "view_sen_detail"
    VIEW_SUSPENSIONS = "view_suspensions"
    VIEW_SUSPENSION_DETAIL = "view_suspension_detail"  # reasons and decision-maker
    VIEW_INCIDENT = "view_incident"  # the incident summary
    RECORD_SUSPENSION = "record_suspension"
    CANCEL_SUSPENSION = "cancel_suspension"
    VIEW_PLANS = "view_plans"  # strategy and goals of active plans
    VIEW_PLAN_DETAIL = "view_plan_detail"  # drafts, closed plans, meeting notes, reviews
    EDIT_PLANS = "edit_plans"
    MANAGE_CALENDAR = "manage_calendar"
    VIEW_FIGURES = "view_figures"  # aggregate figures, no names
    VIEW_AUDIT = "view_audit"  # the audit trail of one pupil's records
    EXPORT_PUPIL_DATA = "export_pupil_data"  # subject access: everything held about one pupil
    VIEW_DUTIES = "view_duties"  # the statutory duties each suspension triggers, across the school
    COMPLETE_DUTIES = "complete_duties"  # record a duty as done (when, how, evidence) or no longer needed
    RECORD_BOARD = "record_board"  # the governing board's notice, representations and consideration
    MANAGE_SETTINGS = "manage_settings"  # school settings such as the repeated-suspension alert thresholds
    ISSUE_LETTERS = "issue_letters"  # preview, send and print letters to parents; read the letters issued
    MANAGE_LETTERS = "manage_letters"  # the letterhead (logo, contact details) and the school's letter templates
    IMPORT_DATA = "import_data"  # import pupils, term dates, behaviour and attendance from the MIS


_PASTORAL = frozenset(
    {
        Can.VIEW_PUPILS,
        Can.VIEW_CONTACTS,
        Can.VIEW_SEN_DETAIL,
        Can.VIEW_SUSPENSIONS,
        Can.VIEW_SUSPENSION_DETAIL,
        Can.VIEW_INCIDENT,
        Can.RECORD_SUSPENSION,
        Can.VIEW_PLANS,
        Can.VIEW_PLAN_DETAIL,
        Can.EDIT_PLANS,
        Can.VIEW_DUTIES,
        Can.COMPLETE_DUTIES,
        Can.ISSUE_LETTERS,
    }
)

ROLE_CAPABILITIES: dict[str, frozenset[Can]] = {
    Role.HEADTEACHER: frozenset(Can),
    Role.SENIOR_LEADER: frozenset(Can) - {Can.VIEW_AUDIT, Can.EXPORT_PUPIL_DATA},
    Role.PASTORAL_LEAD: _PASTORAL,
    Role.SENCO: _PASTORAL,
    Role.TEACHER: frozenset({Can.VIEW_PUPILS, Can.VIEW_SUSPENSIONS, Can.VIEW_PLANS}),
    Role.OFFICE: frozenset(
        {
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
    ),
    Role.GOVERNOR: frozenset({Can.VIEW_FIGURES}),
    Role.DATA_PROTECTION_OFFICER: frozenset({Can.VIEW_PUPILS, Can.VIEW_AUDIT, Can.EXPORT_PUPIL_DATA}),
}

# Trust-level roles read across the trust's schools and write nothing (docs/permissions.md, "Trust roles").
# A trust leader compares schools: figures, pupils, suspensions with their reasons, plans, duties. Not the
# incident summary, family contacts or SEN detail: comparing schools does not need them.
# A trust data protection officer answers subject access requests and reads the audit trail.
TRUST_ROLE_CAPABILITIES: dict[str, frozenset[Can]] = {
    TrustRole.TRUST_LEADER: frozenset(
        {
            Can.VIEW_FIGURES,
            Can.VIEW_PUPILS,
            Can.VIEW_SUSPENSIONS,
            Can.VIEW_SUSPENSION_DETAIL,
            Can.VIEW_PLANS,
            Can.VIEW_PLAN_DETAIL,
            Can.VIEW_DUTIES,
        }
    ),
    TrustRole.TRUST_DPO: frozenset({Can.VIEW_PUPILS, Can.VIEW_AUDIT, Can.EXPORT_PUPIL_DATA}),
}

# Who may decide a suspension (domain.md row 1): the headteacher, or an acting headteacher.
DECISION_MAKER_ROLES = frozenset({Role.HEADTEACHER})


def capabilities(role: str) -> frozenset[Can]:
    """What a school role (Role) or a trust-level role (TrustRole) allows. Nothing for an unknown role."""
    return ROLE_CAPABILITIES.get(role) or TRUST_ROLE_CAPABILITIES.get(role, frozenset())


@dataclass(frozen=True)
class SchoolRole:
    """A user's standing at one school: a membership there, a trust-level role that reaches it, or both.

    `role` is the school role (a Role) when the user holds one there, else the trust role (a TrustRole);
    `trust_role` is the trust role reaching the school, if any. Templates read `school` and `role_label`.
    """

    school: School
    role: str
    is_acting: bool = False
    trust_role: str = ""

    @property
    def school_id(self) -> int:
        return self.school.pk

    @property
    def is_trust_only(self) -> bool:
        return self.role == self.trust_role

    @property
    def role_label(self) -> str:
        if self.is_trust_only:
            return TrustRole(self.trust_role).label
        label = Role(self.role).label
        if self.is_acting:
            label = f"Acting {label.lower()}"
        if self.trust_role:
            label = f"{label} and {TrustRole(self.trust_role).label.lower()}"
        return label

    @property
    def allowed(self) -> frozenset[Can]:
        return capabilities(self.role) | capabilities(self.trust_role)


@dataclass(frozen=True)
class Access:
    """The user's role at one school, and what it allows."""

    membership: SchoolRole

    @property
    def school(self) -> School:
        return self.membership.school

    @property
    def role(self) -> str:
        return self.membership.role

    def can(self, capability: Can) -> bool:
        return capability in self.membership.allowed

    @property
    def allowed(self) -> frozenset[Can]:
        return self.membership.allowed


def _school_roles(user_id: int) -> list[SchoolRole]:
    """Every school where the user holds a role, directly or through their trust, in one query."""
    schools = (
        School.objects.annotate(
            own=FilteredRelation("memberships", condition=Q(memberships__user_id=user_id)),
            trusts=FilteredRelation("trust__memberships", condition=Q(trust__memberships__user_id=user_id)),
        )
        .filter(Q(own__isnull=False) | Q(trusts__isnull=False))
        .annotate(own_role=F("own__role"), own_acting=F("own__is_acting"), trust_role=F("trusts__role"))
        .select_related("trust")
        .order_by("name", "pk")
    )
    roles = []
    for school in schools:
        trust_role: str = getattr(school, "trust_role", None) or ""
        own_role: str = getattr(school, "own_role", None) or ""
        is_acting = bool(getattr(school, "own_acting", False))
        roles.append(SchoolRole(school=school, role=own_role or trust_role, is_acting=is_acting, trust_role=trust_role))
    return roles


def user_memberships(request: HttpRequest) -> list[SchoolRole]:
    """The user's roles at schools (their memberships, and the schools their trust roles reach), read once per
    request, ordered by school name."""
    cached: list[SchoolRole] | None = getattr(request, "_memberships", None)
    if cached is None:
        user = request.user
        cached = _school_roles(user.pk) if user.is_authenticated else []
        request._memberships = cached  # type: ignore[attr-defined]
    return cached


def current_access(request: HttpRequest) -> Access | None:
    """The school the user is working in now: the one chosen in this session, else their first."""
    memberships = user_memberships(request)
    if not memberships:
        return None
    chosen = request.session.get(SESSION_SCHOOL_KEY)
    for membership in memberships:
        if membership.school_id == chosen:
            return Access(membership)
    return Access(memberships[0])


def access_to_school(request: HttpRequest, school_id: int) -> Access:
    """The user's access to one school. 404 when they hold no role there, directly or through their trust."""
    for membership in user_memberships(request):
        if membership.school_id == school_id:
            return Access(membership)
    raise Http404("No such record.")


def require(request: HttpRequest, capability: Can) -> Access:
    """The current school's access, checked for one capability (for pages that list a school's records)."""
    access = current_access(request)
    if access is None:
        raise PermissionDenied("You do not hold a role at any school. Ask your school's administrator for access.")
    if not access.can(capability):
        raise PermissionDenied(_denied_message(access, capability))
    return access


M = TypeVar("M", bound=models.Model)


def get_for(
    request: HttpRequest, queryset: models.QuerySet[M], capability: Can, *, school_field: str = "school", **lookup: Any
) -> tuple[M, Access]:
    """Fetch one record the user may act on, with their access at its school.

    404 when the record does not exist or belongs to a school where the user has no role;
    403 when the user's role there does not allow `capability`.
    """
    school_ids = [m.school_id for m in user_memberships(request)]
    try:
        obj = queryset.get(**{f"{school_field}__in": school_ids}, **lookup)
    except (ObjectDoesNotExist, ValueError, ValidationError):  # a malformed value in the lookup: no such record
        raise Http404("No such record.") from None
    school_id = _school_id_of(obj, school_field)
    access = access_to_school(request, school_id)
    if not access.can(capability):
        raise PermissionDenied(_denied_message(access, capability))
    if request.session.get(SESSION_SCHOOL_KEY) != school_id:
        request.session[SESSION_SCHOOL_KEY] = school_id
    return obj, access


def _school_id_of(obj: models.Model, school_field: str) -> int:
    value: Any = obj
    parts = school_field.split("__")
    for part in parts[:-1]:
        value = getattr(value, part)
    school_id: int = getattr(value, f"{parts[-1]}_id")
    return school_id


def _denied_message(access: Access, capability: Can) -> str:
    return (
        f"Your role at {access.school.name} ({access.membership.role_label}) does not allow this. "
        "Ask your headteacher if you need it."
    )

"""The one school-scoped access helper. Every view reads through it.

Two questions, always in this order:
1. Does the user hold a role at the school that owns the record? If not, the record does not exist for
   them: 404, so that staff of another school cannot even learn that it exists.
2. Does that role allow the action? If not: 403 with a message that says so.

The role matrix below is the single statement of who may do what; docs/permissions.md explains it.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import models
from django.http import Http404, HttpRequest

from schools.models import Membership, Role, School

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
        }
    ),
    Role.GOVERNOR: frozenset({Can.VIEW_FIGURES}),
    Role.DATA_PROTECTION_OFFICER: frozenset({Can.VIEW_PUPILS, Can.VIEW_AUDIT, Can.EXPORT_PUPIL_DATA}),
}

# Who may decide a suspension (domain.md row 1): the headteacher, or an acting headteacher.
DECISION_MAKER_ROLES = frozenset({Role.HEADTEACHER})


def capabilities(role: str) -> frozenset[Can]:
    return ROLE_CAPABILITIES.get(role, frozenset())


@dataclass(frozen=True)
class Access:
    """The user's membership at one school, and what it allows."""

    membership: Membership

    @property
    def school(self) -> School:
        return self.membership.school

    @property
    def role(self) -> str:
        return self.membership.role

    def can(self, capability: Can) -> bool:
        return capability in capabilities(self.membership.role)

    @property
    def allowed(self) -> frozenset[Can]:
        return capabilities(self.membership.role)


def user_memberships(request: HttpRequest) -> list[Membership]:
    """The user's memberships, read once per request."""
    cached: list[Membership] | None = getattr(request, "_memberships", None)
    if cached is None:
        user = request.user
        if not user.is_authenticated:
            cached = []
        else:
            cached = list(Membership.objects.filter(user_id=user.pk).select_related("school", "school__trust"))
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
    """The user's access to one school. 404 when they hold no role there."""
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

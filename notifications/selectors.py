"""Reads for the reminders: what is coming due or overdue across every school, and whom to tell.

`reminder_selection()` reads everything in a fixed number of queries (five at most), however many duties,
plans, meetings and staff there are: open duties, active plans with a review due, arranged meetings now past,
the staff who may need telling, and the reminders already sent about those items.

Who is told:
- a statutory duty: the school's staff holding the duty's owner role; when it is overdue, the headteachers too;
- a review due, a meeting to record: the plan's key adult, else the school's pastoral leads and SENCOs.
Where nobody at the school holds the role asked for, the headteachers are told instead. Only active accounts
are told; a key adult whose account is inactive, or who no longer holds a role at the school, counts as none.
"""

from __future__ import annotations

import enum
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from duties.models import Duty
from notifications.models import ReminderSent
from plans.models import Meeting, ReintegrationPlan
from schools.models import Membership, Role, School

PLAN_ROLES = (Role.PASTORAL_LEAD, Role.SENCO)  # told about a plan that has no key adult


class ItemKind(enum.StrEnum):
    DUTY = "duty"
    REVIEW = "review"
    MEETING = "meeting"


# The order of the sections in an email, with their headings.
SECTIONS: tuple[tuple[ItemKind, str], ...] = (
    (ItemKind.DUTY, "Statutory tasks"),
    (ItemKind.REVIEW, "Reviews due"),
    (ItemKind.MEETING, "Meetings to record"),
)


@dataclass(frozen=True)
class ReminderItem:
    """One thing to remind staff about. `key` names the item and its due date."""

    kind: ItemKind
    key: str
    school: School
    what: str
    pupil_name: str
    due_date: date
    overdue: bool
    due_today: bool
    url: str
    recipient_ids: frozenset[int]

    @property
    def due_label(self) -> str:
        """'Due 20/11/2026 (Friday)'; a meeting says when it was arranged for."""
        label = f"{self.due_date:%d/%m/%Y} ({self.due_date:%A})"
        if self.kind == ItemKind.MEETING:
            return f"Arranged for {label}"
        if self.overdue:
            return f"Was due {label}"
        if self.due_today:
            return f"Due today, {label}"
        return f"Due {label}"

    @property
    def sort_key(self) -> tuple[bool, date, str]:
        return (not self.overdue, self.due_date, self.key)


@dataclass
class ReminderSelection:
    """Every item due, the staff to tell about them, and the reminders already sent about them."""

    items: list[ReminderItem]
    users: dict[int, User]
    already_sent: set[tuple[int, str]]
    unassigned: int = 0  # items with nobody at the school to tell

    def digests(self) -> list[Digest]:
        """For each member of staff, the items they have not been reminded of yet (users by id)."""
        new: dict[int, list[ReminderItem]] = defaultdict(list)
        for item in self.items:
            for user_id in item.recipient_ids:
                if (user_id, item.key) not in self.already_sent:
                    new[user_id].append(item)
        return [
            Digest(user=self.users[user_id], items=sorted(items, key=lambda item: item.sort_key))
            for user_id, items in sorted(new.items())
        ]


@dataclass
class Digest:
    """One member of staff's new items for one run: one email."""

    user: User
    items: list[ReminderItem] = field(default_factory=list)

    @property
    def schools(self) -> list[School]:
        seen: dict[int, School] = {}
        for item in self.items:
            seen.setdefault(item.school.pk, item.school)
        return sorted(seen.values(), key=lambda school: school.name)

    @property
    def subject(self) -> str:
        count = len(self.items)
        things = "thing" if count == 1 else "things"
        names = [school.name for school in self.schools]
        where = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        return f"Reintegrate: {count} {things} due at {where}"

    @property
    def sections(self) -> list[tuple[str, list[ReminderItem]]]:
        return [
            (heading, [item for item in self.items if item.kind == kind])
            for kind, heading in SECTIONS
            if any(item.kind == kind for item in self.items)
        ]


def _link(name: str, pk: int, query: str = "") -> str:
    return f"{settings.SITE_URL}{reverse(name, args=[pk])}{query}"


def reminder_selection(*, today: date, now: datetime, days_ahead: int) -> ReminderSelection:
    """Open duties due by `today + days_ahead` (or overdue), active plans whose next review is due by then,
    and arranged meetings whose time has passed, with whom to tell about each. Five queries at most."""
    horizon = today + timedelta(days=days_ahead)
    duties = list(
        Duty.objects.filter(status=Duty.Status.OPEN, due_date__lte=horizon)
        .select_related("school", "pupil")
        .order_by("due_date", "pk")
    )
    plans = list(
        ReintegrationPlan.objects.filter(status=ReintegrationPlan.Status.ACTIVE, next_review_date__lte=horizon)
        .select_related("school", "pupil", "key_adult")
        .order_by("next_review_date", "pk")
    )
    meetings = list(
        Meeting.objects.filter(
            status=Meeting.Status.ARRANGED,
            scheduled_for__lt=now,
            plan__status__in=[ReintegrationPlan.Status.DRAFT, ReintegrationPlan.Status.ACTIVE],
        )
        .select_related("plan__school", "plan__pupil", "plan__key_adult")
        .order_by("scheduled_for", "pk")
    )
    if not (duties or plans or meetings):
        return ReminderSelection(items=[], users={}, already_sent=set())

    staff = _Staff.read(
        school_ids={duty.school_id for duty in duties}
        | {plan.school_id for plan in plans}
        | {meeting.plan.school_id for meeting in meetings},
        roles={duty.owner_role for duty in duties} | {Role.HEADTEACHER, *PLAN_ROLES},
        key_adult_ids={plan.key_adult_id for plan in plans if plan.key_adult_id}
        | {meeting.plan.key_adult_id for meeting in meetings if meeting.plan.key_adult_id},
    )
    items: list[ReminderItem] = []
    for duty in duties:
        overdue = duty.due_date < today
        roles = (duty.owner_role, Role.HEADTEACHER) if overdue else (duty.owner_role,)
        what = duty.get_kind_display()
        if duty.about == Duty.About.CANCELLATION:
            what = f"{what} (about the cancellation)"
        items.append(
            ReminderItem(
                kind=ItemKind.DUTY,
                key=f"duty:{duty.pk}:{duty.due_date.isoformat()}",
                school=duty.school,
                what=what,
                pupil_name=duty.pupil.display_name,
                due_date=duty.due_date,
                overdue=overdue,
                due_today=duty.due_date == today,
                url=_link("duties:complete", duty.pk),
                recipient_ids=staff.holding(duty.school_id, roles),
            )
        )
    for plan in plans:
        assert plan.next_review_date is not None
        items.append(
            ReminderItem(
                kind=ItemKind.REVIEW,
                key=f"review:{plan.pk}:{plan.next_review_date.isoformat()}",
                school=plan.school,
                what="Review the reintegration plan",
                pupil_name=plan.pupil.display_name,
                due_date=plan.next_review_date,
                overdue=plan.next_review_date < today,
                due_today=plan.next_review_date == today,
                url=_link("plans:detail", plan.pk),
                recipient_ids=staff.for_plan(plan),
            )
        )
    for meeting in meetings:
        day = timezone.localtime(meeting.scheduled_for).date()
        items.append(
            ReminderItem(
                kind=ItemKind.MEETING,
                key=f"meeting:{meeting.pk}:{day.isoformat()}",
                school=meeting.plan.school,
                what="Record the reintegration meeting",
                pupil_name=meeting.plan.pupil.display_name,
                due_date=day,
                overdue=day < today,
                due_today=day == today,
                url=_link("plans:meeting", meeting.plan_id, "?record=1"),
                recipient_ids=staff.for_plan(meeting.plan),
            )
        )
    told = [item for item in items if item.recipient_ids]
    wanted = {user_id for item in told for user_id in item.recipient_ids}
    already_sent = _already_sent(user_ids=wanted, keys={item.key for item in told})
    return ReminderSelection(
        items=told,
        users={user_id: staff.users[user_id] for user_id in wanted},
        already_sent=already_sent,
        unassigned=len(items) - len(told),
    )


def _already_sent(*, user_ids: Iterable[int], keys: Iterable[str]) -> set[tuple[int, str]]:
    rows = ReminderSent.objects.filter(user_id__in=list(user_ids), key__in=list(keys)).values_list("user_id", "key")
    return set(rows)


@dataclass
class _Staff:
    """The active staff of some schools who may be told about an item, read in one query."""

    users: dict[int, User]
    by_role: dict[tuple[int, str], set[int]]
    members: dict[int, set[int]]

    @classmethod
    def read(cls, *, school_ids: set[int], roles: set[str], key_adult_ids: set[int]) -> _Staff:
        memberships = Membership.objects.filter(school_id__in=school_ids, user__is_active=True).filter(
            Q(role__in=roles) | Q(user_id__in=key_adult_ids)
        )
        staff = cls(users={}, by_role=defaultdict(set), members=defaultdict(set))
        for membership in memberships.select_related("user"):
            staff.users[membership.user_id] = membership.user
            staff.by_role[(membership.school_id, membership.role)].add(membership.user_id)
            staff.members[membership.school_id].add(membership.user_id)
        return staff

    def holding(self, school_id: int, roles: Iterable[str]) -> frozenset[int]:
        """Staff of the school holding any of the roles. A role nobody there holds falls to the headteachers."""
        found: set[int] = set()
        for role in roles:
            holders = self.by_role.get((school_id, role), set())
            found |= holders or self.by_role.get((school_id, Role.HEADTEACHER), set())
        return frozenset(found)

    def for_plan(self, plan: ReintegrationPlan) -> frozenset[int]:
        """The plan's key adult if they are active and still at the school, else its pastoral leads and SENCOs."""
        key_adult = plan.key_adult_id
        if key_adult is not None and key_adult in self.members.get(plan.school_id, set()):
            return frozenset({key_adult})
        found = set().union(*(self.by_role.get((plan.school_id, role), set()) for role in PLAN_ROLES))
        return frozenset(found) or self.holding(plan.school_id, (Role.HEADTEACHER,))


def plan_for_calendar() -> QuerySet[ReintegrationPlan]:
    """Plans with what their calendar invitations show: school, pupil, meeting. Use with get_for(..., pk=pk)."""
    return ReintegrationPlan.objects.select_related("school", "pupil", "meeting")

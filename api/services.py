"""Writes for the API: creating and revoking tokens, and saving evidence sent through the API.

Evidence is saved all or nothing (one transaction per request) and idempotently: sending the same rows again changes
nothing. Rows are matched on the keys evidence.models states: a behaviour event by its MIS id when it has one (else by
its content), a week of attendance by pupil and week, a register mark by pupil, date and session.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from api.models import ApiToken
from evidence.models import AttendanceMark, AttendanceWeek, BehaviourEvent
from pupils.models import Pupil
from pupils.validators import normalise_upn
from schools.access import capabilities
from schools.models import Membership, Role, School

TOKEN_PREFIX = "rit_"  # noqa: S105  # "Reintegrate token": lets secret scanners and people recognise one
NAME_REQUIRED = "Enter a name for the token, for example 'MIS nightly sync'."
NAME_TOO_LONG = "Enter a name of at most 100 characters."
ROLE_INVALID = "Choose one of the school's roles."
ROLE_ABOVE_YOURS = "You cannot create a token that can do more than your own role can."
CREATED_BY_NOT_STAFF = "The token must be created by a member of staff of {school}."
ALREADY_REVOKED = "This token has already been revoked."
UNKNOWN_UPN = "There is no pupil with UPN {upn} at {school}."
ATTENDED_OVER_POSSIBLE = "Attended sessions ({attended}) cannot be more than possible sessions ({possible})."
LATE_OVER_ATTENDED = "Late sessions ({late}) cannot be more than attended sessions ({attended})."
SUSPENDED_OVER_POSSIBLE = "Suspended sessions ({suspended}) cannot be more than possible sessions ({possible})."
WEEK_NOT_MONDAY = "The week must start on a Monday; {day} is a {weekday}."
REPEATED_ROW = "This row repeats row {first} (the same {key})."
WEEK_FIELDS = ("possible_sessions", "attended_sessions", "late_sessions", "suspended_sessions")
BEHAVIOUR_FIELDS = ("pupil_id", "occurred_on", "kind", "category", "points", "description")


def token_hash(raw: str) -> str:
    """The SHA-256 of a token, as stored."""
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


@transaction.atomic
def api_token_create(
    *, school: School, role: str, name: str, created_by: User | None, creator_role: str | None = None
) -> tuple[ApiToken, str]:
    """Create a token for one school and one role. Returns the token row and the token itself (shown only once).

    `created_by`, when given, must hold a role at the school; what the token writes is recorded as theirs.
    `creator_role` (the role of a member of staff creating a token on the page) limits the token to what that role
    may do: nobody can give a token more than they have.
    """
    errors: dict[str, list[str]] = {}
    name = name.strip()
    if not name:
        errors.setdefault("name", []).append(NAME_REQUIRED)
    elif len(name) > 100:
        errors.setdefault("name", []).append(NAME_TOO_LONG)
    if role not in Role.values:
        errors.setdefault("role", []).append(ROLE_INVALID)
    elif creator_role is not None and not capabilities(role) <= capabilities(creator_role):
        errors.setdefault("role", []).append(ROLE_ABOVE_YOURS)
    if created_by is not None and not Membership.objects.filter(user=created_by, school=school).exists():
        errors.setdefault("created_by", []).append(CREATED_BY_NOT_STAFF.format(school=school.name))
    if errors:
        raise ValidationError(errors)
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        school=school,
        role=role,
        name=name,
        prefix=raw[: len(TOKEN_PREFIX) + 8],
        token_hash=token_hash(raw),
        created_by=created_by,
    )
    return token, raw


@transaction.atomic
def api_token_revoke(*, token: ApiToken, revoked_by: User | None, now: datetime) -> ApiToken:
    """Revoke a token: from now on it is refused (401). The row is kept for the audit trail."""
    locked = ApiToken.objects.select_for_update().get(pk=token.pk)
    if locked.revoked_at is not None:
        raise ValidationError(ALREADY_REVOKED, code="revoked")
    locked.revoked_at = now
    locked.revoked_by = revoked_by
    locked.save(update_fields=["revoked_at", "revoked_by"])
    token.refresh_from_db()
    return locked


# --- Evidence ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SaveSummary:
    """What a save changed: rows created, rows updated, rows sent that were already there as sent."""

    created: int
    updated: int
    unchanged: int


Errors = dict[str, list[str]]


def _add(errors: Errors, key: str, message: str) -> None:
    errors.setdefault(key, []).append(message)


def _pupils_by_upn(school: School, rows: Sequence[Mapping[str, Any]], errors: Errors) -> dict[str, Pupil]:
    """The school's pupils named by the rows' UPNs, in one query. An unknown UPN is an error on its row."""
    wanted = {normalise_upn(str(row["upn"])) for row in rows}
    found = {pupil.upn: pupil for pupil in Pupil.objects.filter(school=school, upn__in=wanted).only("id", "upn")}
    for index, row in enumerate(rows):
        upn = normalise_upn(str(row["upn"]))
        if upn not in found:
            _add(errors, f"items.{index}.upn", UNKNOWN_UPN.format(upn=upn, school=school.name))
    return found


def _refuse_repeats(keys: Sequence[tuple[Any, ...]], errors: Errors, label: str) -> None:
    first_seen: dict[tuple[Any, ...], int] = {}
    for index, key in enumerate(keys):
        if key in first_seen:
            _add(errors, f"items.{index}", REPEATED_ROW.format(first=first_seen[key], key=label))
        else:
            first_seen[key] = index


def _plain(value: Any) -> Any:
    """An enumeration member (e.g. BehaviourEvent.Kind.INCIDENT) as its stored value: enum members hash by name, so
    they would not match the database's values in a set or as a dictionary key."""
    return value.value if isinstance(value, Enum) else value


def _changed(obj: Any, fields: Mapping[str, Any]) -> bool:
    changed = False
    for name, value in fields.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed = True
    return changed


@transaction.atomic
def behaviour_events_save(*, school: School, rows: Sequence[Mapping[str, Any]]) -> SaveSummary:
    """Save behaviour events. Rows: upn, occurred_on, kind, category, points, description, source_id.

    A row with a source_id (the MIS's id) updates the event with that id, or creates it. A row without one is
    matched on its whole content, so sending it again changes nothing.
    """
    errors: Errors = {}
    pupils = _pupils_by_upn(school, rows, errors)
    keyed = [(str(row["source_id"]).strip(),) for row in rows if str(row.get("source_id") or "").strip()]
    _refuse_repeats(
        [(str(row.get("source_id") or "").strip() or f"row-{index}",) for index, row in enumerate(rows)],
        errors,
        "MIS id",
    )
    if errors:
        raise ValidationError(errors)

    by_source = {
        event.source_id: event
        for event in BehaviourEvent.objects.filter(school=school, source_id__in=[key[0] for key in keyed])
    }
    unkeyed_pupils = {pupils[normalise_upn(str(row["upn"]))].pk for row in rows if not row.get("source_id")}
    existing_content = set(
        BehaviourEvent.objects.filter(school=school, source_id="", pupil_id__in=unkeyed_pupils).values_list(
            *BEHAVIOUR_FIELDS
        )
    )
    to_create: list[BehaviourEvent] = []
    to_update: list[BehaviourEvent] = []
    unchanged = 0
    for row in rows:
        pupil = pupils[normalise_upn(str(row["upn"]))]
        source_id = str(row.get("source_id") or "").strip()
        fields = {
            "pupil_id": pupil.pk,
            "occurred_on": row["occurred_on"],
            "kind": _plain(row["kind"]),
            "category": str(row["category"]).strip(),
            "points": row["points"],
            "description": str(row.get("description") or "").strip(),
        }
        if source_id:
            event = by_source.get(source_id)
            if event is None:
                to_create.append(BehaviourEvent(school=school, source_id=source_id, **fields))
            elif _changed(event, fields):
                to_update.append(event)
            else:
                unchanged += 1
        else:
            content = tuple(fields.values())
            if content in existing_content:
                unchanged += 1
            else:
                existing_content.add(content)
                to_create.append(BehaviourEvent(school=school, **fields))
    BehaviourEvent.objects.bulk_create(to_create)
    BehaviourEvent.objects.bulk_update(to_update, list(BEHAVIOUR_FIELDS))
    return SaveSummary(created=len(to_create), updated=len(to_update), unchanged=unchanged)


@transaction.atomic
def attendance_weeks_save(*, school: School, rows: Sequence[Mapping[str, Any]]) -> SaveSummary:
    """Save weeks of attendance, one per pupil and week (the Monday). Rows: upn, week_start, possible_sessions,
    attended_sessions, late_sessions, suspended_sessions."""
    errors: Errors = {}
    pupils = _pupils_by_upn(school, rows, errors)
    for index, row in enumerate(rows):
        week_start: date = row["week_start"]
        possible, attended = row["possible_sessions"], row["attended_sessions"]
        late, suspended = row["late_sessions"], row["suspended_sessions"]
        if week_start.weekday() != 0:
            _add(
                errors,
                f"items.{index}.week_start",
                WEEK_NOT_MONDAY.format(day=f"{week_start:%d/%m/%Y}", weekday=f"{week_start:%A}"),
            )
        if attended > possible:
            _add(
                errors,
                f"items.{index}.attended_sessions",
                ATTENDED_OVER_POSSIBLE.format(attended=attended, possible=possible),
            )
        if late > attended:
            _add(errors, f"items.{index}.late_sessions", LATE_OVER_ATTENDED.format(late=late, attended=attended))
        if suspended > possible:
            _add(
                errors,
                f"items.{index}.suspended_sessions",
                SUSPENDED_OVER_POSSIBLE.format(suspended=suspended, possible=possible),
            )
    _refuse_repeats([(normalise_upn(str(row["upn"])), row["week_start"]) for row in rows], errors, "pupil and week")
    if errors:
        raise ValidationError(errors)

    existing = {
        (week.pupil_id, week.week_start): week
        for week in AttendanceWeek.objects.filter(
            school=school,
            pupil_id__in={pupil.pk for pupil in pupils.values()},
            week_start__in={row["week_start"] for row in rows},
        )
    }
    to_create: list[AttendanceWeek] = []
    to_update: list[AttendanceWeek] = []
    unchanged = 0
    for row in rows:
        pupil = pupils[normalise_upn(str(row["upn"]))]
        fields = {name: row[name] for name in WEEK_FIELDS}
        week = existing.get((pupil.pk, row["week_start"]))
        if week is None:
            to_create.append(AttendanceWeek(school=school, pupil=pupil, week_start=row["week_start"], **fields))
        elif _changed(week, fields):
            to_update.append(week)
        else:
            unchanged += 1
    now = timezone.now()
    for week in to_update:
        week.imported_at = now  # bulk_update leaves auto_now fields alone
    AttendanceWeek.objects.bulk_create(to_create)
    AttendanceWeek.objects.bulk_update(to_update, [*WEEK_FIELDS, "imported_at"])
    return SaveSummary(created=len(to_create), updated=len(to_update), unchanged=unchanged)


@transaction.atomic
def attendance_marks_save(*, school: School, rows: Sequence[Mapping[str, Any]]) -> SaveSummary:
    """Save register marks, one per pupil, date and session (am/pm). Rows: upn, date, session, code."""
    errors: Errors = {}
    pupils = _pupils_by_upn(school, rows, errors)
    _refuse_repeats(
        [(normalise_upn(str(row["upn"])), row["date"], _plain(row["session"])) for row in rows],
        errors,
        "pupil, date and session",
    )
    if errors:
        raise ValidationError(errors)

    existing = {
        (mark.pupil_id, mark.date, mark.session): mark
        for mark in AttendanceMark.objects.filter(
            school=school,
            pupil_id__in={pupil.pk for pupil in pupils.values()},
            date__in={row["date"] for row in rows},
        )
    }
    to_create: list[AttendanceMark] = []
    to_update: list[AttendanceMark] = []
    unchanged = 0
    for row in rows:
        pupil = pupils[normalise_upn(str(row["upn"]))]
        code = str(row["code"]).strip().upper()
        session = _plain(row["session"])
        mark = existing.get((pupil.pk, row["date"], session))
        if mark is None:
            to_create.append(AttendanceMark(school=school, pupil=pupil, date=row["date"], session=session, code=code))
        elif _changed(mark, {"code": code}):
            to_update.append(mark)
        else:
            unchanged += 1
    now = timezone.now()
    for mark in to_update:
        mark.imported_at = now  # bulk_update leaves auto_now fields alone
    AttendanceMark.objects.bulk_create(to_create)
    AttendanceMark.objects.bulk_update(to_update, ["code", "imported_at"])
    return SaveSummary(created=len(to_create), updated=len(to_update), unchanged=unchanged)

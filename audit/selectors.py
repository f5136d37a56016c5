"""Reads for the audit trail of one pupil: every entry about the pupil and their related records."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from auditlog.models import LogEntry
from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import IntegerField, Q, QuerySet, Value
from django.utils import timezone

from audit.tracked import pupil_models
from pupils.models import Pupil
from schools.models import Membership

TRUNCATE_AT = 80
EMPTY = "(empty)"
# Bookkeeping fields kept in the log but not worth a reader's attention on the page.
NOT_SHOWN = frozenset({"version", "updated_at"})

VERBS = {
    LogEntry.Action.CREATE: "Created",
    LogEntry.Action.UPDATE: "Changed",
    LogEntry.Action.DELETE: "Deleted",
    LogEntry.Action.ACCESS: "Viewed",
}


def _related_keys(pupil: Pupil) -> dict[int, set[str]]:
    """The pupil's records, as {content type id: {primary keys}}: one query for them all (UNION ALL).

    Records since deleted are found from their deletion entries, which carry the pupil's id.
    """
    models_and_paths = pupil_models()
    types = ContentType.objects.get_for_models(*(model for model, _path in models_and_paths))
    keys: dict[int, set[str]] = defaultdict(set)
    parts: list[QuerySet[Any, Any]] = []
    for model, path in models_and_paths:
        type_id = types[model].pk
        if path == "":
            keys[type_id].add(str(pupil.pk))
            continue
        parts.append(
            model._base_manager.filter(**{path: pupil.pk})
            .order_by()
            .annotate(audit_type=Value(type_id, output_field=IntegerField()))
            .values_list("pk", "audit_type")
        )
    if parts:
        # One flat UNION ALL: chaining .union() nests each query in the last, which SQLite's parser cannot take
        # past a dozen or so models.
        for pk, type_id in parts[0].union(*parts[1:], all=True):
            keys[type_id].add(str(pk))
    deleted = LogEntry.objects.filter(action=LogEntry.Action.DELETE, additional_data__pupil_id=pupil.pk).values_list(
        "content_type_id", "object_pk"
    )
    for type_id, object_pk in deleted:
        keys[type_id].add(object_pk)
    return keys


def pupil_log_entries(pupil: Pupil) -> QuerySet[LogEntry]:
    """Every log entry about the pupil and their records, newest first (actor and record type loaded)."""
    condition = Q()
    for type_id, pks in _related_keys(pupil).items():
        condition |= Q(content_type_id=type_id, object_pk__in=sorted(pks))
    return LogEntry.objects.filter(condition).select_related("actor", "content_type").order_by("-timestamp", "-id")


@dataclass(frozen=True)
class FieldChange:
    name: str
    old: str
    new: str


@dataclass(frozen=True)
class AuditRow:
    when: datetime
    who: str
    role: str
    address: str
    verb: str
    record_type: str
    label: str
    viewed: str
    changes: list[FieldChange] = field(default_factory=list)
    m2m: list[str] = field(default_factory=list)


def audit_rows(entries: Sequence[LogEntry], *, school_id: int) -> list[AuditRow]:
    """Readable rows for one page of entries: two more queries at most (staff roles, staff named in changes)."""
    actor_ids = {entry.actor_id for entry in entries if entry.actor_id is not None}
    roles = {m.user_id: m.role_label for m in Membership.objects.filter(user_id__in=actor_ids, school_id=school_id)}
    user_ids = _user_ids_in_changes(entries)
    users = {u.pk: _person(u) for u in User.objects.filter(pk__in=user_ids)} if user_ids else {}
    rows = []
    for entry in entries:
        model = entry.content_type.model_class()
        changes, m2m = _changes(entry, model, users) if entry.action == LogEntry.Action.UPDATE else ([], [])
        extra = entry.additional_data if isinstance(entry.additional_data, dict) else {}
        rows.append(
            AuditRow(
                when=entry.timestamp,
                who=_person(entry.actor) if entry.actor else (entry.actor_email or "The system"),
                role=roles.get(entry.actor_id, "") if entry.actor_id else "",
                address=entry.remote_addr or "Not known",
                verb=VERBS.get(entry.action, "Recorded"),
                record_type=str(model._meta.verbose_name).capitalize() if model else entry.content_type.model,
                label=_truncate(entry.object_repr),
                viewed=str(extra.get("what", "")) if entry.action == LogEntry.Action.ACCESS else "",
                changes=changes,
                m2m=m2m,
            )
        )
    return rows


def _person(user: User) -> str:
    return user.get_full_name() or user.get_username()


def _user_ids_in_changes(entries: Iterable[LogEntry]) -> set[int]:
    ids: set[int] = set()
    for entry in entries:
        model = entry.content_type.model_class()
        if entry.action != LogEntry.Action.UPDATE or model is None or not isinstance(entry.changes, dict):
            continue
        for name, values in entry.changes.items():
            model_field = _field(model, name)
            if _is_user_fk(model_field) and isinstance(values, list | tuple):
                ids.update(int(v) for v in values if str(v).isdigit())
    return ids


def _field(model: type[models.Model] | None, name: str) -> Any:
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def _is_user_fk(model_field: Any) -> bool:
    return isinstance(model_field, models.ForeignKey) and model_field.related_model is User


def _changes(
    entry: LogEntry, model: type[models.Model] | None, users: dict[int, str]
) -> tuple[list[FieldChange], list[str]]:
    changes: list[FieldChange] = []
    m2m: list[str] = []
    if not isinstance(entry.changes, dict):
        return changes, m2m
    for name, values in entry.changes.items():
        if name in NOT_SHOWN:
            continue
        model_field = _field(model, name)
        label = str(getattr(model_field, "verbose_name", name)).capitalize()
        if isinstance(values, dict) and values.get("type") == "m2m":
            verb = "added" if values.get("operation") == "add" else "removed"
            m2m.append(f"{label}: {verb} {', '.join(str(o) for o in values.get('objects', []))}")
            continue
        if not isinstance(values, list | tuple) or len(values) != 2:
            continue
        if model_field is not None and not getattr(model_field, "concrete", False):
            continue
        old, new = (_display(model_field, value, users) for value in values)
        changes.append(FieldChange(name=label, old=old, new=new))
    return changes, m2m


def _display(model_field: Any, value: Any, users: dict[int, str]) -> str:
    text = "" if value is None else str(value)
    if text in ("", "None"):
        return EMPTY
    if model_field is None:
        return _truncate(text)
    if _is_user_fk(model_field) and text.isdigit():
        return users.get(int(text), f"Staff member {text}")
    if isinstance(model_field, models.ForeignKey):
        return f"Record {text}"
    choices = dict(model_field.flatchoices) if getattr(model_field, "choices", None) else None
    if choices:
        return str(choices.get(text, text))
    if isinstance(model_field, models.BooleanField):
        return {"True": "Yes", "False": "No"}.get(text, text)
    if isinstance(model_field, models.DateTimeField):
        return _datetime(text)
    if isinstance(model_field, models.DateField):
        try:
            return f"{date.fromisoformat(text[:10]):%d/%m/%Y}"
        except ValueError:
            return text
    return _truncate(text)


def _datetime(text: str) -> str:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return text
    if timezone.is_naive(moment):  # auditlog keeps datetimes as naive UTC
        moment = moment.replace(tzinfo=UTC)
    return f"{timezone.localtime(moment):%d/%m/%Y %H:%M}" if settings.USE_TZ else f"{moment:%d/%m/%Y %H:%M}"


def _truncate(text: str) -> str:
    return text if len(text) <= TRUNCATE_AT else text[: TRUNCATE_AT - 1].rstrip() + "…"

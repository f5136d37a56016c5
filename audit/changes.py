"""Recording the writes that django-auditlog cannot see: QuerySet.update() and bulk_create().

auditlog listens to model signals, which these bulk writes do not send. Services that use them (to keep a
conditional UPDATE for optimistic locking, or to insert many rows at once) record the change here:

    before = snapshot(plan)
    updated = ReintegrationPlan.objects.filter(pk=plan.pk, version=version).update(...)
    plan.refresh_from_db()
    record_update(before, plan)
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from auditlog.context import auditlog_disabled
from auditlog.diff import model_instance_diff
from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.conf import settings
from django.db import models

M = TypeVar("M", bound=models.Model)


def snapshot(instance: M) -> M:
    """A copy of a record as it is now, to compare with after a bulk update."""
    return copy.copy(instance)


def _json_changes() -> bool:
    return bool(getattr(settings, "AUDITLOG_STORE_JSON_CHANGES", False))


def _enabled(model: type[models.Model]) -> bool:
    return auditlog.contains(model) and not auditlog_disabled.get()


def record_update(before: models.Model, after: models.Model) -> LogEntry | None:
    """Record the fields that differ between two states of one record (None when nothing changed)."""
    if not _enabled(type(after)):
        return None
    changes = model_instance_diff(before, after, use_json_for_changes=_json_changes())
    if not changes:
        return None
    entry: LogEntry = LogEntry.objects.log_create(after, action=LogEntry.Action.UPDATE, changes=changes)
    return entry


def record_updated(before: Iterable[models.Model], values: Mapping[str, Any]) -> None:
    """Record `QuerySet.update(**values)` for the records it changed (read before the update, e.g. locked)."""
    for old in before:
        new = snapshot(old)
        for name, value in values.items():
            setattr(new, name, value)
        record_update(old, new)


def record_created(created: Iterable[models.Model]) -> None:
    """Record records inserted with bulk_create (which returns them with their ids)."""
    for instance in created:
        if instance.pk is None or not _enabled(type(instance)):
            continue
        changes = model_instance_diff(None, instance, use_json_for_changes=_json_changes())
        LogEntry.objects.log_create(instance, action=LogEntry.Action.CREATE, changes=changes)

"""The audit trail of what the API returns: one ACCESS entry per pupil record in a response, in one INSERT.

The pages record a view of a pupil's page, a suspension, a plan or a review (audit.access.record_access). The API
returns the same records in lists too, so each record returned is recorded, naming the token: "suspension via the
API (token 'MIS sync')". The actor is the member of staff who created the token. Evidence copied from the MIS
(behaviour events, attendance) is not tracked by the audit trail, on the pages or here.
"""

from __future__ import annotations

from collections.abc import Sequence

from auditlog.cid import get_cid
from auditlog.models import LogEntry
from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.http import HttpRequest

from api.auth import token_of
from audit.access import client_address


def record_api_access(request: HttpRequest, records: Sequence[tuple[models.Model, int]], *, what: str) -> None:
    """Record that the token read each (record, pupil id) pair; `what` says what it is, e.g. "suspension"."""
    if not records:
        return
    token = token_of(request)
    actor: User | None = token.created_by
    address = client_address(request)
    cid = get_cid()
    label = f"{what} via the API (token '{token.name}')"
    content_types: dict[type[models.Model], ContentType] = {}
    entries = []
    for obj, pupil_id in records:
        model = type(obj)
        if model not in content_types:
            content_types[model] = ContentType.objects.get_for_model(model)
        pk = obj.pk
        entries.append(
            LogEntry(
                content_type=content_types[model],
                object_pk=str(pk),
                object_id=pk if isinstance(pk, int) else None,
                object_repr=f"{model._meta.verbose_name} {pk}",
                action=LogEntry.Action.ACCESS,
                changes=None,
                additional_data={"what": label, "pupil_id": pupil_id, "api_token_id": token.pk},
                actor=actor,
                actor_email=getattr(actor, "email", None) or None,
                remote_addr=address,
                cid=cid,
            )
        )
    LogEntry.objects.bulk_create(entries)

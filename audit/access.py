"""Recording who viewed a pupil's records: one ACCESS entry per page view, in one INSERT."""

from __future__ import annotations

from auditlog.cid import get_cid
from auditlog.models import LogEntry
from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.http import HttpRequest

from audit.tracked import pupil_id_of


def client_address(request: HttpRequest) -> str | None:
    """The address the request came from, as AuditlogMiddleware reads it (first X-Forwarded-For, else peer)."""
    forwarded = str(request.headers.get("X-Forwarded-For", ""))
    if forwarded:
        address = forwarded.split(",")[0].strip()
        if "." in address and ":" in address:  # IPv4 with a port
            address = address.split(":")[0]
        elif address.startswith("["):  # [IPv6]:port
            address = address[1:].split("]")[0]
        return address or None
    peer = request.META.get("REMOTE_ADDR")
    return str(peer) if peer else None


def record_access(request: HttpRequest, obj: models.Model, *, what: str) -> LogEntry:
    """Record that the signed-in user viewed `obj` (`what`: the page, e.g. "pupil page").

    The entry holds the actor, the time, the address and what was viewed. The label of the record is taken
    from relations the view has already loaded (no extra reads): one query, the INSERT.
    """
    user = request.user
    actor = user if isinstance(user, User) and user.is_authenticated else None
    pupil_id = pupil_id_of(obj)
    additional: dict[str, object] = {"what": what}
    if pupil_id is not None:
        additional["pupil_id"] = pupil_id
    pk = obj.pk
    entry: LogEntry = LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(obj),
        object_pk=str(pk),
        object_id=pk if isinstance(pk, int) else None,
        object_repr=str(obj),
        action=LogEntry.Action.ACCESS,
        changes=None,
        additional_data=additional,
        actor=actor,
        actor_email=getattr(actor, "email", None) or None,
        remote_addr=client_address(request),
        cid=get_cid(),
    )
    return entry

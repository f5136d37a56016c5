"""The audit trail: every change to pupil-related data, and every view of a pupil's records.

Changes are recorded by django-auditlog (signals on save, delete and many-to-many changes); the actor and the
address come from AuditlogMiddleware. Writes that bypass signals (QuerySet.update, bulk_create) are recorded
by the services that make them, through audit.changes. Views are recorded by audit.access.record_access.
"""

from __future__ import annotations

from typing import Any

from django.apps import AppConfig, apps


def _additional_data(self: Any) -> dict[str, Any] | None:
    """Tag each entry with the pupil it is about, so that entries for deleted records still find their pupil."""
    from audit.tracked import pupil_id_of

    pupil_id = pupil_id_of(self)
    return {"pupil_id": pupil_id} if pupil_id is not None else None


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = "Audit trail"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from audit.tracked import CONFIGURATION_MODELS, EXCLUDED_FIELDS, M2M_FIELDS, PUPIL_PATHS

        # User is deliberately not registered: its changes would hold password hashes.
        for label in PUPIL_PATHS:
            model = apps.get_model(label)
            if not hasattr(model, "get_additional_data"):
                model.get_additional_data = _additional_data
            auditlog.register(
                model, m2m_fields=M2M_FIELDS.get(label, set()), exclude_fields=EXCLUDED_FIELDS.get(label, [])
            )
        for label in CONFIGURATION_MODELS:
            auditlog.register(apps.get_model(label), exclude_fields=EXCLUDED_FIELDS.get(label, []))

"""Which models the audit trail follows, and how each record leads back to its pupil.

Model labels (not classes) are kept here, so that services anywhere may import the audit helpers without
import cycles; the classes are looked up from the app registry when needed.
"""

from __future__ import annotations

from django.apps import apps
from django.db import models

# Every model holding pupil-related data, with the lookup path from it to its pupil ("" for the pupil itself).
PUPIL_PATHS: dict[str, str] = {
    "pupils.Pupil": "",
    "pupils.Contact": "pupil",
    "pupils.PreviousSchoolSuspension": "pupil",
    "suspensions.Suspension": "pupil",
    "plans.ReintegrationPlan": "pupil",
    "plans.Meeting": "plan__pupil",
    "plans.MeetingParticipant": "meeting__plan__pupil",
    "plans.Goal": "plan__pupil",
    "plans.SupportAction": "goal__plan__pupil",
    "plans.Criterion": "goal__plan__pupil",
    "plans.Review": "plan__pupil",
    "plans.ReviewCriterionResult": "review__plan__pupil",
    "plans.ReviewGoalStatus": "review__plan__pupil",
    "plans.PartTimeTimetable": "plan__pupil",
    "duties.Duty": "pupil",
    "duties.BoardConsideration": "suspension__pupil",
    "documents.IssuedDocument": "pupil",
    "documents.EmailDelivery": "document__pupil",
}

# Staff and school configuration: changes are recorded, but they belong to no pupil.
CONFIGURATION_MODELS: tuple[str, ...] = (
    "schools.School",
    "schools.Term",
    "schools.NonSchoolDay",
    "schools.Membership",
    "schools.TrustMembership",
    "documents.Letterhead",
    "documents.LetterTemplate",
)

# Fields left out of the audit trail's diffs: file contents (kept whole on the record itself, and unchanged once
# issued) would only bloat the log.
EXCLUDED_FIELDS: dict[str, list[str]] = {
    "documents.IssuedDocument": ["pdf", "docx", "body_html", "body_text", "ics"],
    "documents.EmailDelivery": ["message"],
    "documents.Letterhead": ["logo"],
    "documents.LetterTemplate": ["docx"],
}

# Many-to-many fields whose additions and removals are recorded.
M2M_FIELDS: dict[str, set[str]] = {"suspensions.Suspension": {"reasons"}}


def pupil_models() -> list[tuple[type[models.Model], str]]:
    """The pupil-related model classes with their path to the pupil."""
    return [(apps.get_model(label), path) for label, path in PUPIL_PATHS.items()]


def pupil_path(model: type[models.Model]) -> str | None:
    """The lookup path from `model` to its pupil, or None when the model is not about one pupil."""
    return PUPIL_PATHS.get(model._meta.label)


def pupil_id_of(obj: models.Model) -> int | None:
    """The id of the pupil a record is about, or None.

    Follows relations already loaded; otherwise reads the rest of the path in one query from the first
    relation not loaded (never from `obj` itself, which may just have been deleted).
    """
    path = pupil_path(type(obj))
    if path is None:
        return None
    if path == "":
        pk = obj.pk
        return int(pk) if pk is not None else None
    parts = path.split("__")
    current: models.Model = obj
    for index, part in enumerate(parts):
        field = current._meta.get_field(part)
        assert isinstance(field, models.ForeignKey)
        if index == len(parts) - 1:
            value = getattr(current, field.attname)
            return int(value) if value is not None else None
        if field.is_cached(current):
            current = getattr(current, part)
            continue
        related_id = getattr(current, field.attname)
        if related_id is None:
            return None
        rest = "__".join(parts[index + 1 :])
        found = field.related_model._base_manager.filter(pk=related_id).values_list(rest, flat=True).first()
        return int(found) if found is not None else None
    return None

"""Forms for recording and cancelling a suspension. The rules themselves live in suspensions.services."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import QuerySet

from reintegrate import statutory
from reintegrate.forms import Form, UKDateField
from schools.access import DECISION_MAKER_ROLES
from schools.models import Membership, School
from suspensions.models import ReasonCode, Suspension, reason_codes_valid_on
from suspensions.services import (
    CANCEL_REASON_REQUIRED,
    EXAM_DATE_REQUIRED,
    EXAM_DATE_WITHOUT_EXAM,
    MAX_REASONS,
    REASONS_COUNT,
)

SESSIONS_HINT = (
    "A school day has two sessions. Enter 1 for half a day, 2 for one day, 10 for five days. "
    "For a lunchtime suspension, enter the number of lunchtimes."
)
SESSIONS_REQUIRED = "Enter the length in sessions (half days), at least 1."
SESSIONS_WHOLE_NUMBER = "Enter the length as a whole number of sessions, for example 2 for one day."
SESSIONS_TOO_LONG = "A suspension cannot be longer than 45 school days (90 sessions)."
START_DATE_REQUIRED = "Enter the date the suspension starts, for example 23/11/2026."
START_DATE_INVALID = "Enter a real date, as day/month/year, for example 27/11/2026."
KIND_REQUIRED = "Choose the type: suspension, lunchtime suspension or permanent exclusion."
START_SESSION_REQUIRED = "Choose whether the suspension starts in the morning or the afternoon."
INCIDENT_REQUIRED = "Enter a summary of the incident."
DECIDED_BY_REQUIRED = "Choose the headteacher who decided the suspension."


class ReasonChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        assert isinstance(obj, ReasonCode)
        return f"{obj.code}: {obj.description}"

    def _check_values(self, value: Any) -> Any:
        """Refuse an id too large for the database before Django's `pk__in` query sends it there (a crash on SQLite)."""
        low, high = connection.ops.integer_field_range("BigIntegerField")
        for pk in value:
            try:
                number = int(str(pk))
            except ValueError:
                continue  # not a number at all: Django's own check refuses it
            if not low <= number <= high:
                raise ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice", params={"value": pk}
                )
        return super()._check_values(value)  # type: ignore[misc]  # Django API the stubs omit


class HeadteacherChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        assert isinstance(obj, Membership)
        name = obj.user.get_full_name() or obj.user.get_username()
        return f"{name} (Acting headteacher)" if obj.is_acting else name


def headteacher_memberships(school: School) -> QuerySet[Membership]:
    """The memberships of the staff who may decide a suspension at the school (incl. acting heads)."""
    return (
        Membership.objects.filter(school=school, role__in=DECISION_MAKER_ROLES)
        .select_related("user")
        .order_by("is_acting", "user__last_name", "user__first_name", "id")
    )


class RecordSuspensionForm(Form):
    kind = forms.ChoiceField(
        label="Type",
        choices=Suspension.Kind.choices,
        widget=forms.RadioSelect,
        initial=Suspension.Kind.SUSPENSION,
        error_messages={"required": KIND_REQUIRED},
    )
    start_date = UKDateField(
        label="Start date", error_messages={"required": START_DATE_REQUIRED, "invalid": START_DATE_INVALID}
    )
    start_session = forms.ChoiceField(
        label="Starting session",
        choices=[(statutory.Session.AM.value, "Morning"), (statutory.Session.PM.value, "Afternoon")],
        widget=forms.RadioSelect,
        initial=statutory.Session.AM.value,
        help_text="A lunchtime suspension always covers the lunchtime session, so this is ignored for one.",
        error_messages={"required": START_SESSION_REQUIRED},
    )
    sessions = forms.IntegerField(
        label="Length in sessions",
        help_text=f"{SESSIONS_HINT} Leave it empty for a permanent exclusion.",
        min_value=1,
        max_value=statutory.CAP_SESSIONS,
        widget=forms.NumberInput(attrs={"class": "input--short", "inputmode": "numeric"}),
        error_messages={
            "required": SESSIONS_REQUIRED,
            "invalid": SESSIONS_WHOLE_NUMBER,
            "min_value": SESSIONS_REQUIRED,
            "max_value": SESSIONS_TOO_LONG,
        },
    )
    misses_public_exam = forms.BooleanField(
        label="Would the pupil miss a public examination or national curriculum test?",
        required=False,
        help_text=(
            "Tick if the suspension covers the day of a public examination or a national curriculum test. "
            "The governing board must then consider reinstatement within 15 school days, and before the exam "
            "where practicable."
        ),
    )
    exam_date = UKDateField(
        label="Date of the examination or test",
        required=False,
        help_text="Only if you ticked the box above. For example, 27/11/2026",
    )
    reasons = ReasonChoiceField(
        label="Reasons",
        help_text="Choose one, two or three reasons.",
        queryset=ReasonCode.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": REASONS_COUNT, "invalid_choice": "Choose reasons from the list."},
    )
    incident_summary = forms.CharField(
        label="Incident summary",
        help_text="Only staff who need it see this",
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": INCIDENT_REQUIRED},
    )
    decided_by = HeadteacherChoiceField(
        label="Headteacher who decided",
        help_text="Only the headteacher, or an acting headteacher, can decide a suspension.",
        queryset=Membership.objects.none(),
        empty_label="Choose the headteacher",
        error_messages={"required": DECIDED_BY_REQUIRED, "invalid_choice": DECIDED_BY_REQUIRED},
    )

    def __init__(self, *args: Any, school: School, today: date, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        reasons = self.fields["reasons"]
        assert isinstance(reasons, forms.ModelMultipleChoiceField)
        reasons.queryset = reason_codes_valid_on(today).order_by("description")
        decided_by = self.fields["decided_by"]
        assert isinstance(decided_by, forms.ModelChoiceField)
        decided_by.queryset = headteacher_memberships(school)
        heads = list(decided_by.queryset)
        self.has_headteacher = bool(heads)
        if not self.is_bound and "decided_by" not in self.initial:
            # Preselect the headteacher recording it themselves, or the school's only headteacher.
            mine = [m for m in heads if user is not None and m.user_id == user.pk]
            if mine or len(heads) == 1:
                self.initial["decided_by"] = (mine or heads)[0].pk

    def clean_reasons(self) -> Any:
        reasons = self.cleaned_data["reasons"]
        if len(reasons) > MAX_REASONS:
            raise ValidationError(REASONS_COUNT)
        return reasons

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("kind") == Suspension.Kind.PERMANENT:
            # A permanent exclusion has no length: an empty box, or whatever was typed there, is set aside.
            cleaned["sessions"] = None
            self.errors.pop("sessions", None)
        if "exam_date" not in self.errors:
            misses, exam_date = cleaned.get("misses_public_exam"), cleaned.get("exam_date")
            if misses and exam_date is None:
                self.add_error("exam_date", EXAM_DATE_REQUIRED)
            elif not misses and exam_date is not None:
                self.add_error("exam_date", EXAM_DATE_WITHOUT_EXAM)
        return cleaned


class CancelSuspensionForm(Form):
    reason = forms.CharField(
        label="Reasons for cancelling",
        help_text="These reasons are given to the parents, the governing board and the local authority.",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": CANCEL_REASON_REQUIRED},
    )

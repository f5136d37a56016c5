"""Forms for the school calendar settings and for choosing the school to work in."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms

from reintegrate.forms import Form, UKDateField
from schools.models import Membership, NonSchoolDay


class TermForm(Form):
    start_date = UKDateField(
        label="First day of term",
        help_text="The first day pupils are in school, or an INSET day. For example, 03/09/2026",
        error_messages={
            "required": "Enter the first day of term, for example 03/09/2026.",
            "invalid": "Enter the first day of term as day/month/year, for example 03/09/2026.",
        },
    )
    end_date = UKDateField(
        label="Last day of term",
        help_text="For example, 18/12/2026",
        error_messages={
            "required": "Enter the last day of term, for example 18/12/2026.",
            "invalid": "Enter the last day of term as day/month/year, for example 18/12/2026.",
        },
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start: date | None = cleaned.get("start_date")
        end: date | None = cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", "The last day of term must be on or after the first day.")
        return cleaned


class NonSchoolDayForm(Form):
    start_date = UKDateField(
        label="First day",
        help_text="For example, 02/11/2026",
        error_messages={
            "required": "Enter the date, for example 02/11/2026.",
            "invalid": "Enter the date as day/month/year, for example 02/11/2026.",
        },
    )
    end_date = UKDateField(
        label="Last day",
        required=False,
        help_text="Only for a run of days, such as a week's closure. Leave empty for a single day.",
        error_messages={"invalid": "Enter the last day as day/month/year, for example 06/11/2026."},
    )
    kind = forms.ChoiceField(
        label="What kind of day is it?",
        choices=NonSchoolDay.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what kind of day it is."},
    )
    description = forms.CharField(
        label="Description",
        required=False,
        max_length=200,
        help_text="For example, 'Staff training' or 'Polling station'.",
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start: date | None = cleaned.get("start_date")
        end: date | None = cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", "The last day must be on or after the first day. Leave it empty for one day.")
        return cleaned


class AcademicYearForm(Form):
    """Confirms which year is added, so that sending the page twice cannot add two years."""

    start_year = forms.IntegerField(widget=forms.HiddenInput, min_value=2000, max_value=2100)


class SwitchSchoolForm(Form):
    school = forms.ChoiceField(
        label="Which school do you want to work in?",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the school you want to work in."},
    )

    def __init__(self, *args: Any, memberships: list[Membership], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["school"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(str(m.school_id), f"{m.school.name} ({m.role_label})") for m in memberships]

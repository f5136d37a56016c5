"""Forms for the pupil pages: the search box and year-group filter on the pupil list, days at previous schools."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django import forms

from pupils.models import YearGroup
from reintegrate import statutory
from reintegrate.forms import Form


class PupilSearchForm(Form):
    q = forms.CharField(
        label="Search by name or UPN",
        help_text="Legal or preferred name, first or last, or the pupil's UPN",
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off", "spellcheck": "false"}),
    )
    year_group = forms.ChoiceField(
        label="Year group",
        required=False,
        choices=[("", "All year groups"), *YearGroup.choices],
    )

    def search(self) -> str:
        """The words searched for, or "" (a field that fails validation is ignored, the other still applies)."""
        self.is_valid()
        value: str = self.cleaned_data.get("q", "")
        return value.strip()

    def year(self) -> str:
        self.is_valid()
        value: str = self.cleaned_data.get("year_group", "")
        return value


# --- Days at previous schools --------------------------------------------------------------------------------

DAYS_REQUIRED = "Enter the days of suspension at the previous school, for example 3 or 2.5."
DAYS_INVALID = "Enter the days as a number, for example 3 or 2.5."
DAYS_HALVES = "Enter the days in whole or half days, for example 3 or 2.5."
DAYS_TOO_FEW = "Enter at least half a day (0.5)."
DAYS_TOO_MANY = "Enter no more than 45 days: no pupil can be suspended for more than 45 school days in a school year."
SCHOOL_YEAR_REQUIRED = "Choose the school year the days fall in."
SCHOOL_NAME_REQUIRED = "Enter the name of the previous school."

# Where a service error keyed by the service's argument belongs on this form.
_SERVICE_FIELDS = {"sessions": "days", "academic_year_start": "school_year"}


def school_year_choices(today: date) -> list[tuple[str, str]]:
    """The current and the previous school year, as (1 September in ISO form, '2026/27')."""
    this_year = statutory.academic_year_start(today)
    last_year = date(this_year.year - 1, 9, 1)
    return [(start.isoformat(), statutory.academic_year_label(start)) for start in (this_year, last_year)]


class PreviousSchoolSuspensionForm(Form):
    service_error_fields = _SERVICE_FIELDS
    school_name = forms.CharField(
        label="Previous school",
        max_length=200,
        help_text="The school's full name, for example Oakwood Primary School.",
        error_messages={"required": SCHOOL_NAME_REQUIRED},
    )
    school_year = forms.ChoiceField(
        label="School year",
        help_text="Only the days in the same school year count towards the 45-day limit.",
        error_messages={"required": SCHOOL_YEAR_REQUIRED, "invalid_choice": SCHOOL_YEAR_REQUIRED},
    )
    days = forms.DecimalField(
        label="Days of suspension there",
        help_text="In whole or half days, for example 3 or 2.5. A lunchtime suspension counts as half a day.",
        max_digits=3,
        decimal_places=1,
        error_messages={
            "required": DAYS_REQUIRED,
            "invalid": DAYS_INVALID,
            "max_digits": DAYS_TOO_MANY,
            "max_whole_digits": DAYS_TOO_MANY,
            "max_decimal_places": DAYS_HALVES,
        },
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "input--short"}),
    )
    note = forms.CharField(
        label="Note",
        required=False,
        max_length=300,
        help_text="For example, where the figure comes from: 'Transfer record (CTF) received 02/11/2026'.",
    )

    def __init__(self, *args: Any, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["school_year"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = school_year_choices(today)

    def clean_school_name(self) -> str:
        value: str = self.cleaned_data["school_name"].strip()
        if not value:
            raise forms.ValidationError(SCHOOL_NAME_REQUIRED)
        return value

    def clean_days(self) -> Decimal:
        days: Decimal = self.cleaned_data["days"]
        if days < Decimal("0.5"):
            raise forms.ValidationError(DAYS_TOO_FEW)
        if days > statutory.CAP_DAYS:
            raise forms.ValidationError(DAYS_TOO_MANY)
        try:
            statutory.days_to_sessions(days)
        except ValueError:
            raise forms.ValidationError(DAYS_HALVES) from None
        return days

    @property
    def sessions(self) -> int:
        return statutory.days_to_sessions(self.cleaned_data["days"])

    @property
    def academic_year_start(self) -> date:
        return date.fromisoformat(self.cleaned_data["school_year"])

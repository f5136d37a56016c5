"""Forms for the pupil pages: the search box and year-group filter on the pupil list."""

from __future__ import annotations

from django import forms

from pupils.models import YearGroup
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

"""Forms for imports: the upload, and the choice of the file's column for each of Reintegrate's fields."""

from __future__ import annotations

from typing import Any

from django import forms

from imports import reading
from imports.framework import Importer
from imports.models import ImportKind
from reintegrate.forms import Form

NOT_IN_FILE = "Not in this file"


def _lower_first(label: str) -> str:
    """'Legal surname' -> 'legal surname', but 'UPN' stays 'UPN'."""
    return label if label[1:2].isupper() else label[:1].lower() + label[1:]


class UploadForm(Form):
    file = forms.FileField(
        label="Upload the file",
        error_messages={
            "required": "Choose the file to upload.",
            "empty": "The file is empty. Export the data from your MIS again and upload that file.",
            "invalid": "Choose a file to upload.",
        },
    )
    replace_days = forms.BooleanField(
        label="Replace the holidays, INSET days and closures already in the calendar for the school years in the file",
        required=False,
        help_text=(
            "Choose this when the file is your school's whole calendar for those years: the days it does not list "
            "are removed (bank holidays are kept, unless the file lists bank holidays). The preview shows what "
            "would be removed before anything changes."
        ),
    )

    def __init__(self, *args: Any, importer: Importer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kinds = " or ".join(f".{fmt}" for fmt in importer.formats)
        self.fields["file"].help_text = (
            f"A {kinds} file, up to {reading.MAX_BYTES // (1024 * 1024)} MB, with one row per {importer.noun[0]} "
            "and the headings in the first row."
            if reading.ICS not in importer.formats
            else f"A {kinds} file, up to {reading.MAX_BYTES // (1024 * 1024)} MB: a spreadsheet with a row for each "
            "term, holiday, INSET day or closure, or your school calendar exported as .ics."
        )
        self.fields["file"].widget.attrs["accept"] = ",".join(
            {"csv": ".csv,text/csv", "xlsx": ".xlsx", "ics": ".ics,text/calendar"}[fmt] for fmt in importer.formats
        )
        if importer.kind != ImportKind.TERM_DATES:
            del self.fields["replace_days"]

    def options(self) -> dict[str, Any]:
        return {"replace_days": True} if self.cleaned_data.get("replace_days") else {}


class ColumnsForm(Form):
    """One drop-down per field, listing the file's headings."""

    def __init__(self, *args: Any, importer: Importer, headings: list[str], **kwargs: Any) -> None:
        self.importer = importer
        super().__init__(*args, **kwargs)
        for f in importer.fields:
            self.fields[f.name] = forms.ChoiceField(
                label=f.label,
                required=f.required,
                choices=[("", "Choose a column" if f.required else NOT_IN_FILE), *((h, h) for h in headings)],
                help_text=f.hint,
                error_messages={
                    "required": f"Choose the column with the {_lower_first(f.label)}",
                    "invalid_choice": "Choose one of the file's columns",
                },
            )
        self.style_fields()

    def groups(self) -> list[tuple[str, list[forms.BoundField]]]:
        """The fields in their groups (for contacts, one group each), in order."""
        grouped: dict[str, list[forms.BoundField]] = {}
        for f in self.importer.fields:
            grouped.setdefault(f.group, []).append(self[f.name])
        return list(grouped.items())

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        chosen_by: dict[str, str] = {}
        for f in self.importer.fields:
            heading = cleaned.get(f.name)
            if not heading:
                continue
            if heading in chosen_by:
                first = self.importer.field(chosen_by[heading]).label
                self.add_error(f.name, f"'{heading}' is already chosen for {first}. Choose each column once")
            else:
                chosen_by[heading] = f.name
        if not self.errors:
            chosen = {name: heading for name, heading in cleaned.items() if heading}
            for name, message in self.importer.column_problems(chosen).items():
                self.add_error(name, message)
        return cleaned

    def columns(self) -> dict[str, str]:
        return {f.name: self.cleaned_data.get(f.name) or "" for f in self.importer.fields}

"""Forms for letters: the preview (who it is to and what staff decide for this letter), the letterhead, templates."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms

from documents.letters import LetterFacts, LetterInputs, Recipient
from documents.models import Letterhead, LetterKind
from documents.rendering import MAX_TEMPLATE_BYTES
from documents.services import MAX_LOGO_BYTES
from pupils.models import Contact
from reintegrate.forms import Form, ModelForm

TOO_LARGE = "The file is larger than 2 MB. Remove large pictures from it and upload it again."
ARRIVAL_REQUIRED = "Enter the time the pupil should arrive, for example 08:30."
TIME_INVALID = "Enter the time on the 24-hour clock, as hours and minutes, for example 08:30."
EMAIL_AGREEMENT_NEEDED = (
    "A written notice can be emailed only if the parents have agreed to receive notices by email. Tick the box to "
    "confirm that they have, or print the letter instead."
)
# Letters whose email must rest on the parents' agreement to electronic notice (domain.md section 2, row 8).
NOTICES = (LetterKind.SUSPENSION_NOTICE, LetterKind.CANCELLATION_NOTICE)


def _contact_label(contact: Contact) -> str:
    email = contact.email or "no email address"
    return f"{contact.name} ({contact.relationship}): {email}"


class LetterForm(Form):
    """What staff decide for one letter. Fields that the kind of letter does not use are removed."""

    issue_key = forms.CharField(widget=forms.HiddenInput, max_length=64)
    recipients = forms.TypedMultipleChoiceField(
        label="Who the letter is to",
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        help_text="The adults with parental responsibility. Each gets their own email.",
        error_messages={"required": "Choose who the letter is to."},
    )
    reasons = forms.CharField(
        label="The reasons for the suspension, as the letter gives them",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=3000,
        help_text="Say what happened in words the family will understand. Do not name other pupils.",
        error_messages={"required": "Enter the reasons for the suspension, as the letter should give them."},
    )
    return_time = forms.TimeField(
        label="Time to arrive",
        input_formats=["%H:%M", "%H.%M"],
        widget=forms.TimeInput(format="%H:%M", attrs={"inputmode": "numeric", "class": "input--width-5"}),
        help_text="On the 24-hour clock, for example 08:30.",
        error_messages={
            "required": "Enter the time the pupil should arrive, for example 08:30.",
            "invalid": TIME_INVALID,
        },
    )
    work_arrangements = forms.CharField(
        label="How work will be set and marked",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": "Enter how work will be set and marked during the suspension."},
    )
    provision = forms.CharField(
        label="Full-time education from the sixth school day",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        help_text="The provider, its address and the times, for example Northgate Learning Centre, 4 Mill Road, "
        "9:00am to 3:00pm.",
        error_messages={
            "required": "Enter where the full-time education from the sixth school day will be: the provider, its "
            "address and the times."
        },
    )
    attendees = forms.CharField(
        label="Who will attend, and why",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text="One person a line, for example: Ms Patel, head of year 9, who knows the pupil well.",
        error_messages={"required": "Enter who will attend the meeting and why, one person a line."},
    )
    email_agreed = forms.BooleanField(
        label="The parents have agreed to receive notices by email",
        required=False,
        help_text="A written notice may be emailed only with their agreement. Otherwise, print it.",
    )

    def __init__(self, *args: Any, kind: str, facts: LetterFacts, contacts: list[Contact], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.contacts = {contact.pk: contact for contact in contacts}
        self.fields["recipients"].choices = [(c.pk, _contact_label(c)) for c in contacts]  # type: ignore[attr-defined]
        keep = {"issue_key", "recipients"}
        if kind == LetterKind.SUSPENSION_NOTICE:
            keep |= {"reasons", "return_time", "work_arrangements", "email_agreed"}
            if facts.suspension.provision_from is not None:
                keep.add("provision")
                self.fields[
                    "provision"
                ].label = (
                    f"Full-time education from {facts.suspension.provision_from:%A %d/%m/%Y}, the sixth school day"
                )
        elif kind == LetterKind.CANCELLATION_NOTICE:
            keep |= {"return_time", "email_agreed"}
        elif kind == LetterKind.MEETING_INVITATION:
            keep.add("attendees")
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]

    def inputs(self, *, issued_on: date) -> LetterInputs:
        data = self.cleaned_data
        recipients = tuple(
            Recipient(name=c.name, relationship=c.relationship, email=c.email, address=c.address)
            for pk in data["recipients"]
            if (c := self.contacts.get(pk)) is not None
        )
        return LetterInputs(
            recipients=recipients,
            issued_on=issued_on,
            reasons=data.get("reasons", ""),
            return_time=data.get("return_time"),
            work_arrangements=data.get("work_arrangements", ""),
            provision=data.get("provision", ""),
            attendees=data.get("attendees", ""),
        )

    def check_email_agreement(self) -> bool:
        """For a notice sent by email: the parents' agreement is confirmed (adds the error if not)."""
        if self.kind in NOTICES and not self.cleaned_data.get("email_agreed"):
            self.add_error("email_agreed", EMAIL_AGREEMENT_NEEDED)
            self.mark_errors()
            return False
        return True


class LetterheadForm(ModelForm):
    logo = forms.FileField(
        label="Logo",
        required=False,
        help_text="A PNG or JPEG picture, smaller than 1 MB. It appears at the top of every letter and document.",
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg"}),
    )
    remove_logo = forms.BooleanField(label="Remove the logo", required=False)

    class Meta:
        model = Letterhead
        fields = [
            "phone",
            "email",
            "website",
            "signatory_name",
            "signatory_title",
            "representations_contact",
            "work_arrangements",
            "impartial_advice",
        ]
        labels = {"phone": "Telephone", "email": "Email address", "website": "Website"}
        help_texts = {
            "signatory_name": "Usually the headteacher. If empty, letters are signed by the headteacher who decided.",
        }

    def clean_logo(self) -> bytes | None:
        upload = self.cleaned_data.get("logo")
        if not upload:
            return None
        if upload.size > MAX_LOGO_BYTES:
            raise forms.ValidationError("The logo must be smaller than 1 MB.")
        return bytes(upload.read())


class TemplateUploadForm(Form):
    file = forms.FileField(
        label="Your Word template (.docx)",
        help_text="Start from the default template, change the wording in Word, and upload it here.",
        widget=forms.ClearableFileInput(
            attrs={"accept": ".docx,application/vnd.openxmlformats-officedocument.wordprocessingml.document"}
        ),
        error_messages={"required": "Choose the Word file to upload."},
    )

    def clean_file(self) -> tuple[bytes, str]:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_TEMPLATE_BYTES:
            raise forms.ValidationError(
                "The file is larger than 2 MB. Remove large pictures from it and upload it again."
            )
        if not upload.name.lower().endswith(".docx"):
            raise forms.ValidationError("The file must be a Word document saved as .docx.")
        return bytes(upload.read()), upload.name

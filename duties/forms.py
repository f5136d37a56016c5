"""Forms for statutory duties: the compliance page's filters, recording a duty as done, or as no longer needed."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django import forms
from django.utils import timezone

from duties import selectors
from duties.models import Duty
from duties.services import EVIDENCE_REQUIRED_PROVISION, METHOD_REQUIRED, REASON_REQUIRED
from reintegrate.forms import Form, UKDateField
from schools.models import Role

# --- The compliance page's filters ---------------------------------------------------------------------------


class DutyFilterForm(Form):
    kind = forms.ChoiceField(label="Duty", required=False, choices=[("", "All duties"), *Duty.Kind.choices])
    owner_role = forms.ChoiceField(
        label="Owner",
        required=False,
        choices=[
            ("", "All owners"),
            *[(value, label) for value, label in Role.choices if value not in (Role.TEACHER, Role.GOVERNOR)],
        ],
    )
    status = forms.ChoiceField(label="Status", required=False, choices=selectors.STATUS_CHOICES)
    when = forms.ChoiceField(label="Due", required=False, choices=[("", "Any time"), *selectors.WHEN_CHOICES])

    def filters(self) -> dict[str, str]:
        """The filters chosen; a value that is not one of the choices is ignored (the others still apply)."""
        self.is_valid()
        chosen = {name: str(self.cleaned_data.get(name) or "") for name in self.fields}
        chosen["status"] = chosen["status"] or selectors.STATUS_OPEN
        return chosen

    @property
    def is_filtered(self) -> bool:
        chosen = self.filters()
        return any(chosen[name] for name in ("kind", "owner_role", "when")) or chosen["status"] != selectors.STATUS_OPEN


# --- Recording a duty as done --------------------------------------------------------------------------------

DONE_ON_REQUIRED = "Enter the date it was done, for example 18/11/2026."
DONE_TIME_REQUIRED = "Enter the time it was done, for example 14:30."
DONE_TIME_INVALID = "Enter the time on the 24-hour clock, as hours and minutes, for example 14:30."
DONE_IN_FUTURE = "The date and time it was done must not be in the future."

EVIDENCE_HINTS: dict[str, str] = {
    Duty.Kind.PARENTS_TOLD: "Who you spoke to and what you told them.",
    Duty.Kind.PARENTS_LETTER: "To whom it was sent, and how (email only if the parents have agreed to it).",
    Duty.Kind.LOCAL_AUTHORITY: "Who at the local authority was told, and any reference number.",
    Duty.Kind.SOCIAL_WORKER: "The social worker's name, and what they were told.",
    Duty.Kind.VIRTUAL_SCHOOL_HEAD: "Who at the virtual school was told, and what they were told.",
    Duty.Kind.GOVERNING_BOARD: "Which governor was told, for example the chair.",
    Duty.Kind.BOARD_CONSIDERATION: "When the board met, who attended, and its decision.",
    Duty.Kind.BOARD_REPRESENTATIONS: "When the board considered the parents' representations, and its response.",
    Duty.Kind.WORK_SET: "What work was set, how it reaches the pupil, and who marks it.",
    Duty.Kind.SIXTH_DAY_PROVISION: "The provider, its address and the times.",
    Duty.Kind.EHCP_REVIEW: "What was decided, for example an early review asked of the local authority.",
    Duty.Kind.FSM_LUNCH: "How the pupil gets a lunch, for example a packed lunch collected from reception.",
    Duty.Kind.PASTORAL_SUPPORT: "What was decided, for example a pastoral support programme and its start date.",
    Duty.Kind.PART_TIME_REVIEW: "Who reviewed the timetable with the pupil and parents, and what was agreed.",
}


class CompleteDutyForm(Form):
    method = forms.ChoiceField(
        label="How was it done?",
        choices=Duty.Method.choices,
        widget=forms.RadioSelect,
        error_messages={"required": METHOD_REQUIRED, "invalid_choice": METHOD_REQUIRED},
    )
    done_on = UKDateField(label="Date it was done", error_messages={"required": DONE_ON_REQUIRED})
    done_time = forms.TimeField(
        label="Time it was done",
        help_text="On the 24-hour clock, for example 14:30",
        input_formats=["%H:%M"],
        widget=forms.TimeInput(format="%H:%M", attrs={"inputmode": "numeric", "class": "input--short"}),
        error_messages={"required": DONE_TIME_REQUIRED, "invalid": DONE_TIME_INVALID},
    )
    evidence = forms.CharField(
        label="Evidence",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, duty: Duty, now: datetime, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.now = timezone.localtime(now)
        evidence = self.fields["evidence"]
        evidence.help_text = EVIDENCE_HINTS.get(duty.kind, "What was done, by whom, and any reference.")
        if duty.kind == Duty.Kind.SIXTH_DAY_PROVISION:
            evidence.required = True
            evidence.error_messages["required"] = EVIDENCE_REQUIRED_PROVISION
        if not self.is_bound:
            self.initial.setdefault("done_on", self.now.date())
            self.initial.setdefault("done_time", self.now.strftime("%H:%M"))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        done_on: date | None = cleaned.get("done_on")
        done_time = cleaned.get("done_time")
        if done_on is not None and done_time is not None:
            done_at = timezone.make_aware(datetime.combine(done_on, done_time), timezone.get_current_timezone())
            if done_at > self.now:
                self.add_error("done_on", DONE_IN_FUTURE)
            cleaned["done_at"] = done_at
        return cleaned


class NotNeededForm(Form):
    reason = forms.CharField(
        label="Why is it no longer needed?",
        help_text="For example, the parents were told at the meeting in school. The reason is kept with the record.",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": REASON_REQUIRED},
    )

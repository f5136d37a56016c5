"""Forms for the plan pages. They check the shape of what was typed; the rules live in plans.services."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, time
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from plans.models import Criterion, Goal, Meeting, ReintegrationPlan, Review, SupportAction
from plans.part_time import (
    AGREED_IN_FUTURE,
    AGREED_REQUIRED,
    ARRANGEMENTS_REQUIRED,
    BEHAVIOUR_QUOTE,
    END_NOT_AFTER_START,
    END_REQUIRED,
    ENDED_ON_REQUIRED,
    NOT_FOR_BEHAVIOUR_REQUIRED,
    START_REQUIRED,
)
from plans.services import (
    ACTION_BY_WHOM_INVALID,
    ACTION_DESCRIPTION_REQUIRED,
    ACTION_DUE_REQUIRED,
    ACTION_OWNER_REQUIRED,
    CRITERIA_REQUIRED,
    CRITERION_COMPARATOR_REQUIRED,
    CRITERION_DUE_REQUIRED,
    CRITERION_KIND_INVALID,
    CRITERION_MEASURE_REQUIRED,
    CRITERION_TARGET_REQUIRED,
    CRITERION_YES_NO_HAS_TARGET,
    PARTICIPANT_NAME_REQUIRED,
    PARTICIPANT_ROLE_REQUIRED,
)
from reintegrate.forms import DATE_HINT, Form, UKDateField

STRATEGY_HINT = (
    "How the pupil's behaviour will be managed on return: for example, the key adult, where they go at break, "
    "the script staff use, what happens if they feel they cannot stay in a lesson."
)
ADJUSTMENTS_HINT = (
    "For a pupil with SEN support or an education, health and care (EHC) plan, or a disability: "
    "the reasonable adjustments staff will make, for example a quiet place to work or a visual timetable."
)
NO_MEETING_HINT = "For example: parents declined; we spoke by phone instead and agreed the strategy."
MEETING_DATE_REQUIRED = "Enter the date of the meeting, for example 27/11/2026."
MEETING_TIME_REQUIRED = "Enter the time of the meeting, for example 09:00."
MEETING_TIME_INVALID = "Enter the time as hours and minutes on the 24-hour clock, for example 09:00 or 14:30."
REVIEW_DATES_INVALID = (
    "Enter each review date as day/month/year, separated by commas, for example 02/12/2026, 16/12/2026."
)
NUMBER_INVALID = "Enter a number, for example 2 or 2.5."
NUMBER_TOO_LARGE = "Enter a number smaller than 10,000,000."
NUMBER_DECIMALS = "Enter a number with no more than 2 decimal places."

YES_NO_UNKNOWN = [("", "Not yet known"), ("yes", "Yes"), ("no", "No")]
OBSERVED_YES_NO = [("", "Not checked"), ("yes", "Yes"), ("no", "No")]


def _number_field(label: str, **kwargs: Any) -> forms.DecimalField:
    field = forms.DecimalField(
        label=label,
        required=False,
        max_digits=9,
        decimal_places=2,
        error_messages={
            "invalid": NUMBER_INVALID,
            "max_digits": NUMBER_TOO_LARGE,
            "max_whole_digits": NUMBER_TOO_LARGE,
            "max_decimal_places": NUMBER_DECIMALS,
        },
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "input--short"}),
        **kwargs,
    )
    return field


def yes_no(value: str) -> bool | None:
    """'yes' -> True, 'no' -> False, anything else -> None."""
    return {"yes": True, "no": False}.get(value)


def apply_row_errors(
    formset: forms.BaseFormSet, error: ValidationError, *, name: str, rows: Sequence[int], first_field: str
) -> None:
    """Put errors keyed "<name>-<index>-<field>" (index into the rows sent) onto the right formset row.

    An error keyed just "<name>" (for example "Add at least one criterion") goes beside the first row.
    """
    if not hasattr(error, "error_dict"):
        return
    touched: set[int] = set()
    for key, messages in error.message_dict.items():
        if key == name:
            if not formset.forms:
                # No rows were sent (a tampered page): the message goes above the rows, in the error summary.
                formset.non_form_errors().extend(messages)
                continue
            form, field = formset.forms[0], first_field
        elif key.startswith(f"{name}-"):
            _, position, field = key.split("-", 2)
            form = formset.forms[rows[int(position)]]
        else:
            continue
        for message in messages:
            form.add_error(field if field in form.fields else None, message)
        touched.add(formset.forms.index(form))
    for index in touched:
        mark = getattr(formset.forms[index], "mark_errors", None)
        if mark is not None:
            mark()


# --- The plan --------------------------------------------------------------------------------------------------


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.get_full_name() or obj.get_username())


class PlanForm(Form):
    strategy = forms.CharField(
        label="Strategy",
        help_text=STRATEGY_HINT,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": "Write the strategy: every return needs one."},
    )
    key_adult = StaffChoiceField(
        label="Key adult",
        help_text="The member of staff the pupil goes to first.",
        queryset=None,
        required=False,
        empty_label="Not chosen yet",
    )
    check_in_frequency = forms.ChoiceField(
        label="How often the pupil checks in with the key adult",
        choices=[("", "Not decided yet"), *ReintegrationPlan.CheckIn.choices],
        required=False,
    )
    support_measures = forms.CharField(
        label="Support measures",
        help_text="For example: a report card, mentoring, a time-out card, a phased timetable.",
        widget=forms.Textarea,
        required=False,
    )
    reasonable_adjustments = forms.CharField(
        label="Reasonable adjustments for SEND",
        help_text=ADJUSTMENTS_HINT,
        widget=forms.Textarea,
        required=False,
    )
    next_review_date = UKDateField(
        label="First review",
        required=False,
        help_text="When the plan's progress will first be reviewed. About two weeks after the return is usual. "
        "For example, 27/11/2026",
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, staff: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        key_adult = self.fields["key_adult"]
        assert isinstance(key_adult, forms.ModelChoiceField)
        key_adult.queryset = staff


class NoMeetingForm(Form):
    reason = forms.CharField(
        label="Why no reintegration meeting will be held",
        help_text=NO_MEETING_HINT,
        widget=forms.Textarea,
        error_messages={"required": "Enter why no meeting will be held."},
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


# --- The meeting ------------------------------------------------------------------------------------------------


class MeetingForm(Form):
    status = forms.ChoiceField(
        label="Meeting status",
        choices=Meeting.Status.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether the meeting is arranged, was held, or did not take place."},
    )
    date = UKDateField(label="Date", error_messages={"required": MEETING_DATE_REQUIRED})
    time = forms.TimeField(
        label="Time",
        help_text="On the 24-hour clock, for example 09:00 or 14:30.",
        input_formats=["%H:%M", "%H.%M"],
        widget=forms.TimeInput(format="%H:%M", attrs={"class": "input--short", "inputmode": "numeric"}),
        error_messages={"required": MEETING_TIME_REQUIRED, "invalid": MEETING_TIME_INVALID},
    )
    mode = forms.ChoiceField(
        label="How the meeting is held",
        choices=Meeting.Mode.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether the meeting is in person or remote."},
    )
    location = forms.CharField(
        label="Room or link",
        help_text="The room, or the video link or phone number.",
        max_length=300,
        required=False,
    )
    pupil_views = forms.CharField(label="The pupil's views", widget=forms.Textarea, required=False)
    parent_views = forms.CharField(label="The parents' or carers' views", widget=forms.Textarea, required=False)
    notes = forms.CharField(label="Notes", widget=forms.Textarea, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def scheduled_for(self) -> datetime:
        day: date = self.cleaned_data["date"]
        at: time = self.cleaned_data["time"]
        return timezone.make_aware(datetime.combine(day, at))


class RowForm(Form):
    """A formset row that may be left empty: an empty row is skipped, a started row must be complete.

    A row counts as started when any of BLANK_FIELDS has something typed in it.
    """

    BLANK_FIELDS: tuple[str, ...] = ()
    ROW_NAME = "row"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.empty_permitted = True
        # "Due date (criterion 2)": so that each message in the error summary says which row it is about.
        position = (self.prefix or "").rsplit("-", 1)[-1]
        if position.isdigit():
            for field in self.fields.values():
                if not field.widget.is_hidden:
                    field.label = f"{field.label} ({self.ROW_NAME} {int(position) + 1})"

    def has_changed(self) -> bool:
        if not self.is_bound:
            return False
        return any(str(self[name].value() or "").strip() for name in self.BLANK_FIELDS)

    def is_blank(self) -> bool:
        return not self.has_changed()

    def as_row(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        if not data.get("id"):
            data.pop("id", None)
        return data


class ParticipantForm(RowForm):
    name = forms.CharField(label="Name", max_length=200, error_messages={"required": PARTICIPANT_NAME_REQUIRED})
    role = forms.CharField(label="Role", max_length=100, error_messages={"required": PARTICIPANT_ROLE_REQUIRED})
    invited = forms.BooleanField(label="Invited", required=False)
    attended = forms.ChoiceField(label="Attended", choices=YES_NO_UNKNOWN, required=False)

    BLANK_FIELDS = ("name", "role")
    ROW_NAME = "person"

    def as_participant(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "role": data["role"],
            "invited": data["invited"],
            "attended": yes_no(data["attended"]),
        }


ParticipantFormSet = forms.formset_factory(ParticipantForm, extra=0, max_num=30, validate_max=True)
PARTICIPANT_ROWS = 6


def participant_initial(rows: Iterable[dict[str, Any]], *, total: int = PARTICIPANT_ROWS) -> list[dict[str, Any]]:
    """The participant rows to show: the given ones, then blank rows up to `total` (at least one blank)."""
    initial = list(rows)
    blanks = max(total - len(initial), 1)
    return initial + [{"invited": True, "attended": ""} for _ in range(blanks)]


# --- Goals ---------------------------------------------------------------------------------------------------


class ReviewDatesField(forms.CharField):
    """Several dates typed as dd/mm/yyyy, separated by commas (or spaces or new lines)."""

    def to_python(self, value: Any) -> list[date]:  # type: ignore[override]
        text = super().to_python(value) or ""
        days: list[date] = []
        for part in text.replace(";", ",").replace("\n", ",").split(","):
            part = part.strip()
            if not part:
                continue
            for fmt in settings.DATE_INPUT_FORMATS:
                try:
                    days.append(datetime.strptime(part, fmt).date())
                    break
                except ValueError:
                    continue
            else:
                raise ValidationError(REVIEW_DATES_INVALID, code="invalid")
        return sorted(set(days))

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list | tuple):
            return ", ".join(
                (day if isinstance(day, date) else date.fromisoformat(day)).strftime("%d/%m/%Y") for day in value
            )
        return value


class GoalForm(Form):
    area = forms.ChoiceField(
        label="Area",
        choices=Goal.Area.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the area of the goal."},
    )
    pupil_aim = forms.CharField(
        label="What the pupil wants to achieve",
        help_text="In the pupil's own words.",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter what the pupil wants to achieve, in their own words."},
    )
    expressed_by = forms.ChoiceField(
        label="Who said this",
        choices=Goal.ExpressedBy.choices,
        widget=forms.RadioSelect,
        initial=Goal.ExpressedBy.PUPIL,
        error_messages={"required": "Choose who said this."},
    )
    expressed_by_name = forms.CharField(
        label="Name of the person who said it",
        help_text="Leave empty if it was the pupil.",
        max_length=200,
        required=False,
    )
    current_position = forms.CharField(
        label="Where the pupil is now",
        help_text="The starting point against the aim, for example 'sent out of 5 lessons last week'.",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter where the pupil is now, against the aim."},
    )
    pupil_actions = forms.CharField(
        label="What the pupil will do",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter what the pupil will do to reach the aim."},
    )
    start_date = UKDateField(
        label="Start date",
        error_messages={"required": "Enter the start date, for example 27/11/2026."},
    )
    target_date = UKDateField(
        label="Target date",
        error_messages={"required": "Enter the target date, for example 27/11/2026."},
    )
    longer_horizon_confirmed = forms.BooleanField(
        label="Confirm a longer timeline",
        help_text="Tick this only if the target date is meant to be more than a term after the return.",
        required=False,
    )
    review_dates = ReviewDatesField(
        label="Review dates",
        help_text="Dates to check progress, separated by commas, for example 02/12/2026, 16/12/2026.",
        required=False,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, limit: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields[
            "target_date"
        ].help_text = f"A realistic timeline is within a term of the return: by {limit:%d/%m/%Y}. {DATE_HINT}"


class CriterionForm(RowForm):
    id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    measure = forms.CharField(
        label="Measure",
        help_text="What is measured, for example 'on-call logs per week'.",
        max_length=200,
        error_messages={"required": CRITERION_MEASURE_REQUIRED},
    )
    kind = forms.ChoiceField(
        label="Kind of measure",
        choices=Criterion.Kind.choices,
        widget=forms.RadioSelect,
        initial=Criterion.Kind.NUMBER,
        error_messages={"required": CRITERION_KIND_INVALID},
    )
    source = forms.ChoiceField(
        label="Measured from",
        choices=Criterion.Source.choices,
        initial=Criterion.Source.MANUAL,
        help_text="From the school's data, it is measured for you from the behaviour and attendance imported from "
        "your MIS, week by week since the return.",
        required=False,
    )
    source_category = forms.CharField(
        label="Behaviour category (only for one category)",
        max_length=100,
        required=False,
        help_text="As your MIS names it, for example Disruption.",
    )
    baseline_value = _number_field("Baseline number", help_text="Where the pupil is now, as a number.")
    baseline_note = forms.CharField(
        label="Baseline note",
        help_text="For example 'in the week before the suspension'.",
        max_length=200,
        required=False,
    )
    comparator = forms.ChoiceField(
        label="How it compares with the target",
        help_text="For a number only, for example 'at most'.",
        choices=[("", "Choose (numbers only)"), *Criterion.Comparator.choices],
        required=False,
    )
    target_value = _number_field("Target number")
    due_date = UKDateField(label="Due date", error_messages={"required": CRITERION_DUE_REQUIRED})

    BLANK_FIELDS = ("measure", "baseline_value", "baseline_note", "comparator", "target_value", "due_date")
    ROW_NAME = "criterion"

    def clean(self) -> dict[str, Any]:
        """A number needs a comparison and a target; a yes or no check has neither (also checked by the service)."""
        data = super().clean() or {}
        kind = data.get("kind")
        if kind == Criterion.Kind.NUMBER:
            if not data.get("comparator"):
                self.add_error("comparator", CRITERION_COMPARATOR_REQUIRED)
            if data.get("target_value") is None and "target_value" not in self.errors:
                self.add_error("target_value", CRITERION_TARGET_REQUIRED)
        elif kind == Criterion.Kind.YES_NO:
            if data.get("comparator"):
                self.add_error("comparator", CRITERION_YES_NO_HAS_TARGET)
            if data.get("target_value") is not None:
                self.add_error("target_value", CRITERION_YES_NO_HAS_TARGET)
        data["source"] = data.get("source") or Criterion.Source.MANUAL
        return data


class ActionForm(RowForm):
    id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    by_whom = forms.ChoiceField(
        label="By whom",
        choices=[("", "Choose"), *SupportAction.ByWhom.choices],
        error_messages={"required": ACTION_BY_WHOM_INVALID},
    )
    description = forms.CharField(
        label="What will be done", max_length=1000, error_messages={"required": ACTION_DESCRIPTION_REQUIRED}
    )
    owner = forms.CharField(
        label="Owner",
        help_text="The named person who makes sure it happens.",
        max_length=200,
        error_messages={"required": ACTION_OWNER_REQUIRED},
    )
    due_date = UKDateField(label="Due date", error_messages={"required": ACTION_DUE_REQUIRED})

    BLANK_FIELDS = ("by_whom", "description", "owner", "due_date")
    ROW_NAME = "action"


class BaseCriterionFormSet(forms.BaseFormSet):
    """The first criterion is required: a goal needs at least one way to measure progress."""

    def clean(self) -> None:
        super().clean()
        if self.forms and all(not form.has_changed() for form in self.forms):
            self.forms[0].add_error("measure", CRITERIA_REQUIRED)
            mark = getattr(self.forms[0], "mark_errors", None)
            if mark is not None:
                mark()


CriterionFormSet = forms.formset_factory(
    CriterionForm, formset=BaseCriterionFormSet, extra=0, max_num=20, validate_max=True
)
ActionFormSet = forms.formset_factory(ActionForm, extra=0, max_num=20, validate_max=True)
CRITERION_ROWS = 3
ACTION_ROWS = 4


def padded(rows: list[dict[str, Any]], total: int, blank: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """Rows followed by blank rows up to `total`, with at least one blank row to add another."""
    blanks = max(total - len(rows), 1)
    return rows + [dict(blank or {}) for _ in range(blanks)]


# --- Reviews -------------------------------------------------------------------------------------------------


class ReviewForm(Form):
    """A review of one plan: a field per live goal (its achievement status) and per criterion (what was seen)."""

    held_on = UKDateField(
        label="Date the review was held",
        error_messages={
            "required": "Enter the date the review was held, for example 27/11/2026.",
        },
    )
    participants = forms.CharField(
        label="Who took part",
        help_text="One per line, for example 'Jordan (pupil)' and 'Ms Patel (key adult)'.",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter who took part in the review."},
    )
    decision = forms.ChoiceField(
        label="Decision",
        choices=Review.Decision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a decision."},
    )
    outcome = forms.ChoiceField(
        label="Outcome of the plan",
        help_text="Only needed when closing the plan.",
        choices=ReintegrationPlan.Outcome.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    next_review_date = UKDateField(
        label="Date of the next review", help_text=f"Not needed when closing the plan. {DATE_HINT}", required=False
    )
    notes = forms.CharField(label="Notes", widget=forms.Textarea, required=False)

    def __init__(
        self, *args: Any, goals: Sequence[Goal], evidence: Mapping[int, Any] | None = None, **kwargs: Any
    ) -> None:
        """`evidence`: criteria measured from the school's data (evidence.selectors.plan_evidence), whose value is
        filled in from the data, with the figure explained in the hint."""
        self.goals = list(goals)
        self.evidence = evidence or {}
        super().__init__(*args, **kwargs)
        fields: dict[str, forms.Field] = {}
        for goal in self.goals:
            for criterion in goal.criteria.all():
                if criterion.kind == Criterion.Kind.YES_NO:
                    fields[f"criterion_{criterion.pk}_yes"] = forms.ChoiceField(
                        label=f"{criterion.measure}: was it met?",
                        choices=OBSERVED_YES_NO,
                        widget=forms.RadioSelect,
                        required=False,
                    )
                else:
                    measured = self.evidence.get(criterion.pk)
                    hint = f"Target: {criterion.target_label}. Leave empty if it was not measured."
                    if measured is not None:
                        summary = measured.evaluation.summary()
                        hint = f"From the school's data: {summary}. Target: {criterion.target_label}."
                    fields[f"criterion_{criterion.pk}_value"] = _number_field(
                        f"{criterion.measure}: what was seen", help_text=hint
                    )
                    if measured is not None and measured.value_for_review is not None:
                        fields[f"criterion_{criterion.pk}_value"].initial = measured.value_for_review
                fields[f"criterion_{criterion.pk}_comment"] = forms.CharField(
                    label=f"{criterion.measure}: comment", max_length=300, required=False
                )
            fields[f"goal_{goal.pk}_status"] = forms.ChoiceField(
                label=f"How the pupil is getting on with this goal ({goal.get_area_display().lower()})",
                choices=[("", "Choose"), *Goal.Achievement.choices],
                initial=goal.achievement_status,
                error_messages={"required": "Choose how the pupil is getting on with this goal."},
            )
        base, self.fields = self.fields, fields
        self.style_fields()  # the base fields were styled by Form.__init__
        # Keep the goal fields between the participants and the decision, in page order.
        ordered: dict[str, forms.Field] = {}
        for name, field in base.items():
            if name == "decision":
                ordered.update(fields)
            ordered[name] = field
        self.fields = ordered

    def goal_sections(self) -> list[dict[str, Any]]:
        """For the template: each goal with its status field and each criterion with its fields."""
        sections = []
        for goal in self.goals:
            criteria = []
            for criterion in goal.criteria.all():
                observed_name = (
                    f"criterion_{criterion.pk}_yes"
                    if criterion.kind == Criterion.Kind.YES_NO
                    else f"criterion_{criterion.pk}_value"
                )
                criteria.append(
                    {
                        "criterion": criterion,
                        "observed": self[observed_name],
                        "comment": self[f"criterion_{criterion.pk}_comment"],
                    }
                )
            sections.append({"goal": goal, "status": self[f"goal_{goal.pk}_status"], "criteria": criteria})
        return sections

    def criterion_results(self) -> list[dict[str, Any]]:
        data = self.cleaned_data
        results = []
        for goal in self.goals:
            for criterion in goal.criteria.all():
                results.append(
                    {
                        "criterion": criterion,
                        "observed_value": data.get(f"criterion_{criterion.pk}_value"),
                        "observed_yes": yes_no(data.get(f"criterion_{criterion.pk}_yes", "")),
                        "comment": data.get(f"criterion_{criterion.pk}_comment", ""),
                    }
                )
        return results

    def goal_statuses(self) -> dict[int, str]:
        return {goal.pk: self.cleaned_data.get(f"goal_{goal.pk}_status", "") for goal in self.goals}


# --- Part-time timetables ---------------------------------------------------------------------------------------


class PartTimeTimetableForm(Form):
    """A part-time timetable: the rules (dates, agreement, overlap) are checked by plans.part_time."""

    start_date = UKDateField(
        label="Start date",
        help_text="The first day of the part-time timetable, on or after the return. For example, 23/11/2026",
        error_messages={"required": START_REQUIRED},
    )
    end_date = UKDateField(
        label="End date",
        help_text="A part-time timetable must be time-limited and short: choose the earliest date the pupil can be "
        "back on a full timetable. For example, 04/12/2026",
        error_messages={"required": END_REQUIRED},
    )
    arrangements = forms.CharField(
        label="The arrangements",
        help_text="Which sessions the pupil attends, for example mornings only, and why this is exceptional.",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": ARRANGEMENTS_REQUIRED},
    )
    parents_agreed_on = UKDateField(
        label="Date the parents agreed in writing",
        help_text="Keep their written agreement on the pupil's file. For example, 20/11/2026",
        error_messages={"required": AGREED_REQUIRED},
    )
    not_for_behaviour_confirmed = forms.BooleanField(
        label="I confirm this timetable is not being used to manage the pupil's behaviour",
        help_text=f"The attendance guidance says: “{BEHAVIOUR_QUOTE}”.",
        error_messages={"required": NOT_FOR_BEHAVIOUR_REQUIRED},
    )

    def clean(self) -> dict[str, Any]:
        """The date checks that need no record, so that they show with the other errors (the service repeats them)."""
        data = super().clean() or {}
        start, end, agreed = data.get("start_date"), data.get("end_date"), data.get("parents_agreed_on")
        if start is not None and end is not None and end <= start:
            self.add_error("end_date", END_NOT_AFTER_START.format(day=f"{start:%d/%m/%Y}"))
        if agreed is not None and agreed > timezone.localdate():
            self.add_error("parents_agreed_on", AGREED_IN_FUTURE)
        return data


class PartTimeEndForm(Form):
    ended_on = UKDateField(
        label="Last day of the part-time timetable",
        help_text="From the next school day the pupil is back on a full timetable. For example, 27/11/2026",
        error_messages={"required": ENDED_ON_REQUIRED},
    )

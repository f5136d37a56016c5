"""The form on the governing board page. Field checks only: the rules that join fields live in board_services."""

from __future__ import annotations

from typing import Any

from django import forms

from duties.models import BoardConsideration
from reintegrate.forms import Form, UKDateField

ATTENDEES_HINT = (
    "One per line, with their role. Usually: the parents (with a representative or friend if they wish), "
    "the headteacher, a representative of the local authority, and the social worker or virtual school head "
    "where the pupil has one. At least three governors consider the suspension."
)


DECISION_HINT = "The board upholds the decision or directs reinstatement, at once or from a date."
DECISION_HINT_NO_POWER = (
    "At 5 days or fewer in the term the board considers the parents' representations but cannot direct reinstatement."
)


class BoardConsiderationForm(Form):
    notified_on = UKDateField(
        label="When was the governing board notified?",
        help_text="The date the board was told of the suspension. For example, 17/11/2026",
        error_messages={"required": "Enter the date the governing board was notified, for example 17/11/2026."},
    )
    representations_received_on = UKDateField(
        label="When did the parents make representations?",
        required=False,
        help_text="Leave empty if the parents have not made representations to the board. For example, 20/11/2026",
    )
    considered_on = UKDateField(
        label="When did the board consider the suspension?",
        required=False,
        help_text="Leave empty until the board has met or considered it. For example, 02/12/2026",
    )
    attendees = forms.CharField(
        label="Who attended",
        required=False,
        max_length=2000,
        help_text=ATTENDEES_HINT,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    mode = forms.ChoiceField(
        label="How did the board meet?",
        required=False,
        choices=BoardConsideration.Mode.choices,
        widget=forms.RadioSelect,
        help_text="In person unless the parents asked for a remote meeting. Leave empty if the board considered "
        "written representations without a meeting.",
        error_messages={"invalid_choice": "Choose whether the board met in person or remotely."},
    )
    decision = forms.ChoiceField(
        label="The board's decision",
        required=False,
        choices=BoardConsideration.Decision.choices,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choose one of the decisions listed."},
    )
    reinstatement_date = UKDateField(
        label="Date of reinstatement",
        required=False,
        help_text="Only if the board directed reinstatement: the day the pupil comes back. For example, 03/12/2026",
    )
    notes = forms.CharField(
        label="Notes",
        required=False,
        max_length=5000,
        help_text="For example, the board's reasons, or when the parents were told of the decision.",
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, can_reinstate: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["decision"].help_text = DECISION_HINT if can_reinstate else DECISION_HINT_NO_POWER

    @staticmethod
    def initial_from(board: BoardConsideration | None, *, notified_on_default: object) -> dict[str, object]:
        if board is None:
            return {"notified_on": notified_on_default}
        return {
            "notified_on": board.notified_on,
            "representations_received_on": board.representations_received_on,
            "considered_on": board.considered_on,
            "attendees": board.attendees,
            "mode": board.mode,
            "decision": board.decision,
            "reinstatement_date": board.reinstatement_date,
            "notes": board.notes,
        }

"""The codes typed during two-factor authentication."""

from __future__ import annotations

import re

from django import forms

from reintegrate.forms import Form

CODE_HINT = "The 6-digit code from your authenticator app"
CODE_MISSING = "Enter the 6-digit code from your authenticator app"
CODE_MALFORMED = "Enter the 6-digit code from your authenticator app, for example 123456"
CODE_WRONG = (
    "The code is not right. Enter the code your authenticator app shows now for Reintegrate; "
    "a new code appears every 30 seconds"
)
RECOVERY_HINT = "One of the 10 recovery codes you were given when you set up two-factor authentication"
RECOVERY_MISSING = "Enter one of your recovery codes"
RECOVERY_MALFORMED = "Enter a recovery code as 8 letters and numbers, for example abcd2345"
RECOVERY_WRONG = "That recovery code is not right, or it has already been used. Each code works once"


def wait_message(seconds: int) -> str:
    unit = "second" if seconds == 1 else "seconds"
    return f"You have entered a wrong code recently. Wait {seconds} {unit}, then enter the code again"


class CodeForm(Form):
    """The 6-digit code from the authenticator app."""

    code = forms.CharField(
        label="Security code",
        help_text=CODE_HINT,
        max_length=20,
        error_messages={"required": CODE_MISSING},
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "spellcheck": "false",
                "class": "input--short",
            }
        ),
    )

    def clean_code(self) -> str:
        code = re.sub(r"[\s-]", "", self.cleaned_data["code"])
        if not re.fullmatch(r"\d{6}", code):
            raise forms.ValidationError(CODE_MALFORMED)
        return code


class RecoveryCodeForm(Form):
    """One of the user's one-time recovery codes."""

    code = forms.CharField(
        label="Recovery code",
        help_text=RECOVERY_HINT,
        max_length=40,
        error_messages={"required": RECOVERY_MISSING},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "none"}),
    )

    def clean_code(self) -> str:
        code = re.sub(r"[\s-]", "", self.cleaned_data["code"]).lower()
        if not re.fullmatch(r"[a-z2-7]{8}", code):
            raise forms.ValidationError(RECOVERY_MALFORMED)
        return code

"""The form that creates an API token on the API tokens page. The rules are in api.services.api_token_create."""

from __future__ import annotations

from typing import Any

from django import forms

from api.services import NAME_REQUIRED, ROLE_INVALID
from reintegrate.forms import Form
from schools.access import capabilities
from schools.models import Role


class ApiTokenForm(Form):
    name = forms.CharField(
        label="Name",
        max_length=100,
        help_text="What the token is for, so you recognise it later. For example, MIS nightly sync",
        error_messages={"required": NAME_REQUIRED, "max_length": "Enter a name of at most 100 characters."},
    )
    role = forms.ChoiceField(
        label="Role",
        choices=(),
        widget=forms.RadioSelect,
        help_text=(
            "The token can do what a member of staff in this role can do on the pages, at this school only. "
            "Choose the least it needs: for an MIS sync, Office staff."
        ),
        error_messages={"required": ROLE_INVALID, "invalid_choice": ROLE_INVALID},
    )

    def __init__(self, *args: Any, creator_role: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        role = self.fields["role"]
        assert isinstance(role, forms.ChoiceField)
        # Nobody can give a token more than their own role has.
        mine = capabilities(creator_role)
        role.choices = [(value, label) for value, label in Role.choices if capabilities(value) <= mine]

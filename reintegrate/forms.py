"""Form building blocks shared by every app: GOV.UK-style fields, UK dates, accessible error wiring."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.forms.renderers import TemplatesSetting

DATE_HINT = "For example, 27/11/2026"


class FormRenderer(TemplatesSetting):
    """Renders every field with a label, a hint, its error message and the input, in that order."""

    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"


class UKDateField(forms.DateField):
    """A date typed as dd/mm/yyyy. Shown back the same way, so what the user typed is kept."""

    widget = forms.DateInput(format="%d/%m/%Y", attrs={"inputmode": "numeric", "autocomplete": "off"})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("help_text", DATE_HINT)
        kwargs["error_messages"] = {
            "invalid": "Enter a real date, as day/month/year, for example 27/11/2026.",
            **kwargs.get("error_messages", {}),
        }
        super().__init__(*args, **kwargs)


def apply_service_errors(form: forms.BaseForm, error: ValidationError, field_map: dict[str, str] | None = None) -> None:
    """Put a service's ValidationError on a form: each message beside its field (and so in the error
    summary), messages about no field at the top. `field_map` renames service keys to form fields."""
    names = field_map or {}
    if hasattr(error, "error_dict"):
        for key, messages in error.message_dict.items():
            name = names.get(key, key)
            for message in messages:
                form.add_error(name if name in form.fields else None, message)
    else:
        for message in error.messages:
            form.add_error(None, message)
    mark = getattr(form, "mark_errors", None)
    if mark is not None:
        mark()


class StyledFormMixin:
    """Adds GOV.UK classes and links each input to its hint and error for screen readers."""

    service_error_fields: dict[str, str] = {}  # a service's error keys that name a differently named field

    def apply_service_errors(self, error: ValidationError) -> None:
        assert isinstance(self, forms.BaseForm)
        apply_service_errors(self, error, self.service_error_fields)

    fields: dict[str, forms.Field]
    errors: Any
    prefix: str | None

    def style_fields(self) -> None:
        for field in self.fields.values():
            widget = field.widget
            css_by_widget: dict[type, str] = {
                forms.Textarea: "textarea",
                forms.Select: "select",
                forms.SelectMultiple: "select",
                forms.CheckboxInput: "checkbox-input",
                forms.RadioSelect: "radios",
                forms.CheckboxSelectMultiple: "checkboxes",
            }
            css = css_by_widget.get(type(widget), "input")
            existing = widget.attrs.get("class", "")
            widget.attrs["class"] = f"{existing} {css}".strip()
            if isinstance(widget, forms.Textarea):
                widget.attrs.setdefault("rows", 4)
            if isinstance(field, forms.DateField):
                widget.attrs["class"] += " input--date"

    def mark_errors(self) -> None:
        for name in self.errors:
            if name not in self.fields:
                continue
            field = self.fields[name]
            widget = field.widget
            bound_id = f"id_{self.prefix}-{name}" if self.prefix else f"id_{name}"
            described = [f"{bound_id}_helptext"] if field.help_text else []
            described.append(f"{bound_id}_error")
            widget.attrs["aria-describedby"] = " ".join(described)
            widget.attrs["aria-invalid"] = "true"
            if "input--error" not in widget.attrs.get("class", ""):
                widget.attrs["class"] = widget.attrs.get("class", "") + " input--error"


class Form(StyledFormMixin, forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style_fields()

    def full_clean(self) -> None:
        super().full_clean()
        self.mark_errors()


class ModelForm(StyledFormMixin, forms.ModelForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style_fields()

    def full_clean(self) -> None:
        super().full_clean()
        self.mark_errors()


class LoginForm(StyledFormMixin, AuthenticationForm):
    """Django's sign-in form, styled and wired like every other form."""

    error_messages = {
        "invalid_login": "Enter a correct user name and password. Both are case-sensitive.",
        "inactive": "This account is inactive. Ask your school's administrator.",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "User name"
        self.style_fields()

    def full_clean(self) -> None:
        super().full_clean()
        self.mark_errors()

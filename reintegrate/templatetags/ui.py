"""Template tags for the page furniture: the error summary and status tags."""

from __future__ import annotations

from typing import Any

from django import forms, template
from django.core.exceptions import NON_FIELD_ERRORS

register = template.Library()


def _error_items(form: forms.BaseForm) -> list[tuple[str, str]]:
    items: list[tuple[str, str]] = []
    prefix = f"{form.prefix}-" if form.prefix else ""
    for message in form.non_field_errors():
        items.append((f"{prefix}non_field_errors", str(message)))
    for name, errors in form.errors.items():
        if name == NON_FIELD_ERRORS or name not in form.fields:
            continue
        field = form[name]
        if isinstance(field.field.widget, forms.RadioSelect):  # radios and CheckboxSelectMultiple: the first option
            target = f"{field.auto_id}_0"
        else:
            target = field.id_for_label or field.auto_id
        for message in errors:
            label = field.label or name
            items.append(
                (str(target), f"{label}: {message}" if not str(message).startswith(str(label)) else str(message))
            )
    return items


@register.inclusion_tag("includes/error_summary.html")
def error_summary(*forms_or_formsets: Any) -> dict[str, Any]:
    """A GOV.UK error summary listing every error of the given forms and formsets, each linking to its field."""
    items: list[tuple[str, str]] = []
    for item in forms_or_formsets:
        if item is None:
            continue
        if isinstance(item, forms.BaseFormSet):
            for message in item.non_form_errors():
                items.append((f"{item.prefix}-non_form_errors", str(message)))
            for form in item.forms:
                items.extend(_error_items(form))
        else:
            items.extend(_error_items(item))
    return {"error_items": items}


@register.simple_tag
def status_tag(value: str, label: str) -> str:
    """A status shown as text in a coloured tag: colour is never the only carrier of meaning."""
    from django.utils.html import format_html

    return format_html('<strong class="tag tag--{}">{}</strong>', value, label)

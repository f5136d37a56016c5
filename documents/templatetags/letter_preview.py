"""Showing a letter inside a page: the letter's own headings nest under the page's heading for it."""

from __future__ import annotations

import re

from django import template
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

_HEADING_TAG = re.compile(r"<(/?)h([1-6])\b", re.IGNORECASE)


@register.filter
def nested_headings(html: str, below: int) -> SafeString:
    """The letter's HTML (from mammoth: trusted) with its headings moved down to sit below a heading of level
    `below`: the letter's h1 becomes h(below + 1), its h2 h(below + 2), and so on, no lower than h6.

    A page has one h1 (its own title) and headings in order: the letter previewed or issued under the page's h2
    keeps its structure without a second h1.
    """
    shift = max(int(below), 0)

    def moved(match: re.Match[str]) -> str:
        return f"<{match.group(1)}h{min(int(match.group(2)) + shift, 6)}"

    return mark_safe(_HEADING_TAG.sub(moved, str(html)))  # noqa: S308  # the letter's HTML is already trusted

"""A letter shown inside a page keeps its headings, nested under the page's own: one h1 per page, headings in order.

The letter's HTML (for the email and the PDF) starts at h1; the letter page and the issued letter's page show it
under their h2, so its h1 becomes an h3 and its h2s h4s.
"""

from __future__ import annotations

import itertools
import re
from datetime import date

import pytest
from django.template import Context, Template
from django.urls import reverse

from conftest import client_for
from documents.models import IssuedDocument, LetterKind
from testsupport.factories import ContactFactory
from testsupport.suspensions import record

LEVELS = re.compile(r"<h([1-6])\b")


def nested(html: str, below: int) -> str:
    return Template("{% load letter_preview %}{{ html|nested_headings:below }}").render(
        Context({"html": html, "below": below})
    )


def test_each_heading_moves_down_by_the_level_it_sits_below_with_its_attributes_and_text_kept():
    html = '<h1>Suspension of Jordan Ashby</h1><p>Text</p><h2 class="x">Why</h2><H3>Detail</H3>'

    assert nested(html, 2) == '<h3>Suspension of Jordan Ashby</h3><p>Text</p><h4 class="x">Why</h4><h5>Detail</h5>'


def test_a_heading_never_goes_below_h6_and_nothing_moves_below_level_zero():
    assert nested("<h5>a</h5><h6>b</h6>", 2) == "<h6>a</h6><h6>b</h6>"
    assert nested("<h1>a</h1>", 0) == "<h1>a</h1>"


def test_tags_that_only_start_with_h_are_left_alone():
    assert nested("<hr><header>x</header><h1>t</h1>", 2) == "<hr><header>x</header><h3>t</h3>"


@pytest.fixture
def suspension(pupil, headteacher):
    ContactFactory(pupil=pupil, name="Sam Ashby", relationship="Mother", email="sam@family.example")
    return record(pupil, start=date(2026, 11, 19), sessions=4, decided_by=headteacher)


def heading_levels(response) -> list[int]:
    return [int(level) for level in LEVELS.findall(response.content.decode())]


def test_the_letter_page_has_one_h1_and_the_letter_title_as_an_h3_under_what_the_family_will_receive(
    pastoral_lead, suspension
):
    response = client_for(pastoral_lead).get(
        reverse("documents:letter", args=[suspension.pk, LetterKind.SUSPENSION_NOTICE])
    )

    levels = heading_levels(response)
    assert levels.count(1) == 1
    assert all(b <= a + 1 for a, b in itertools.pairwise(levels))
    assert "<h3>Suspension of Jordan Ashby (Year 9)</h3>" in response.content.decode()


def test_the_issued_letter_page_has_one_h1_and_the_letter_under_the_letter_as_issued(pastoral_lead, suspension):
    client = client_for(pastoral_lead)
    url = reverse("documents:letter", args=[suspension.pk, LetterKind.SUSPENSION_NOTICE])
    form = client.get(url).context["form"]
    data = {name: form[name].value() for name in form.fields}
    data = {key: value for key, value in data.items() if value not in (None, "")}
    data.update(action="print", return_time="08:30", work_arrangements="Work is set online each day.")
    client.post(url, data)
    document = IssuedDocument.objects.get(suspension=suspension)

    response = client.get(reverse("documents:issued", args=[document.pk]))

    levels = heading_levels(response)
    assert levels.count(1) == 1
    assert all(b <= a + 1 for a, b in itertools.pairwise(levels))
    assert "<h3>Suspension of Jordan Ashby (Year 9)</h3>" in response.content.decode()

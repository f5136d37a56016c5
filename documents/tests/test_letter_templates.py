"""A school's own Word templates: download the default, change it in Word, upload it; it is checked before use.

Personas: the office and the headteacher manage letters; a pastoral lead issues them but does not change them.
"""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document

from conftest import client_for
from documents.letter_templates import default_template
from documents.models import LetterKind, LetterTemplate
from documents.services import letter_draft, template_problems
from testsupport.documents import docx_text
from testsupport.factories import ContactFactory
from testsupport.plans import page_text
from testsupport.suspensions import record

NOTICE = LetterKind.SUSPENSION_NOTICE


def _edited(kind: str = NOTICE, *, replace: dict[str, str] | None = None, drop: str = "") -> bytes:
    """The default template as a member of staff would change it in Word."""
    document = Document(io.BytesIO(default_template(kind)))
    for paragraph in document.paragraphs:
        for old, new in (replace or {}).items():
            if old in paragraph.text:
                for run in paragraph.runs:
                    run.text = run.text.replace(old, new)
        if drop and drop in paragraph.text:
            paragraph._element.getparent().remove(paragraph._element)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _upload(client, content: bytes, *, kind=NOTICE, name="our-notice.docx"):
    return client.post(
        reverse("documents:template_upload", args=[kind]), {"file": SimpleUploadedFile(name, content)}, follow=True
    )


@pytest.mark.parametrize("kind", LetterKind.values)
def test_every_default_template_passes_its_own_check(kind):
    assert template_problems(kind, default_template(kind)) == []


def test_the_default_template_downloads_as_word_with_its_fields(office):
    response = client_for(office).get(reverse("documents:template_download", args=[NOTICE, "default"]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    text = docx_text(response.content)
    assert "{{ suspension.return_date }}" in text
    assert "{{ school.name }}" in text


def test_an_uploaded_template_is_used_for_the_next_letter(office, pupil):
    ContactFactory(pupil=pupil, name="Sam Ashby")
    changed = _edited(replace={"Please come to the school office with": "Please bring to the Year 9 door"})

    response = _upload(client_for(office), changed)

    assert "Your template for the notice of suspension is now in use." in page_text(response)
    suspension = record(pupil, start=date(2026, 11, 9), sessions=2)
    draft = letter_draft(suspension=suspension, kind=NOTICE, pdf=False)
    assert "Please bring to the Year 9 door Jordan" in draft.rendered.text
    assert draft.template == LetterTemplate.objects.get()
    assert draft.missing == []


def test_a_template_that_leaves_out_a_required_item_is_refused_with_what_is_missing(office):
    without_advice = _edited(drop="{{ line }}")

    response = _upload(client_for(office), without_advice)

    text = page_text(response)
    assert "There is a problem" in text
    assert "It leaves out: How to make representations." in text
    assert "It leaves out: Sources of impartial advice." in text
    assert LetterTemplate.objects.count() == 0


def test_a_misspelt_field_is_named_in_the_message(office):
    misspelt = _edited(replace={"{{ pupil.first_name }} should return": "{{ pupil_name }} should return"})

    text = page_text(_upload(client_for(office), misspelt))

    assert "The template uses fields that Reintegrate does not know: {{ pupil_name }}" in text
    assert LetterTemplate.objects.count() == 0


def test_a_file_that_is_not_a_word_document_is_refused(office):
    text = page_text(_upload(client_for(office), b"%PDF-1.4 not a word file", name="letter.docx"))

    assert "The file is not a Word document (.docx). Save it from Word as .docx." in text


def test_a_template_cannot_reach_outside_its_fields(office, pupil):
    ContactFactory(pupil=pupil, name="Sam Ashby")
    escaping = _edited(replace={"Yours sincerely,": "Yours sincerely,{{ school.__class__.__mro__ }}{{ ''.__class__ }}"})

    _upload(client_for(office), escaping)

    suspension = record(pupil, start=date(2026, 11, 9), sessions=2)
    text = letter_draft(suspension=suspension, kind=NOTICE, pdf=False).rendered.text
    assert "Yours sincerely," in text
    assert "class" not in text
    assert "object" not in text


def test_broken_template_syntax_gets_a_message_not_an_error_page(office):
    broken = _edited(replace={"Yours sincerely,": "{% if %}"})

    response = _upload(client_for(office), broken)

    assert response.status_code == 200
    assert "not written correctly" in page_text(response)


def test_going_back_to_the_default_keeps_the_upload_but_stops_using_it(office):
    client = client_for(office)
    _upload(client, _edited(replace={"Please come to the school office": "Please come to reception"}))

    response = client.post(reverse("documents:template_reset", args=[NOTICE]), follow=True)

    assert "The notice of suspension uses the default template again." in page_text(response)
    assert LetterTemplate.objects.get().is_active is False
    assert "Reintegrate\N{RIGHT SINGLE QUOTATION MARK}s default" in page_text(
        client.get(reverse("documents:templates"))
    )


def test_the_letters_page_says_which_template_each_letter_uses(office):
    client = client_for(office)
    _upload(client, _edited())

    text = page_text(client.get(reverse("documents:templates")))

    assert "Notice of suspension Your school\N{RIGHT SINGLE QUOTATION MARK}s, uploaded 18/11/2026" in text
    assert "Invitation to the reintegration meeting Reintegrate\N{RIGHT SINGLE QUOTATION MARK}s default" in text


def test_a_pastoral_lead_issues_letters_but_does_not_change_the_templates(pastoral_lead):
    client = client_for(pastoral_lead)

    assert client.get(reverse("documents:templates")).status_code == 403
    assert client.post(reverse("documents:template_reset", args=[NOTICE])).status_code == 403


def test_an_unknown_letter_is_not_found(office):
    assert client_for(office).get(reverse("documents:template_upload", args=["love_letter"])).status_code == 404

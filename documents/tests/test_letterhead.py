"""The school's letterhead: the logo and contact details on every letter, checked and re-encoded on upload.

Personas: the office manages letters; a teacher may not.
"""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from conftest import client_for
from documents.models import Letterhead, LetterKind
from documents.services import letter_draft
from testsupport.documents import docx_header_images, pdf_image_count, pdf_text
from testsupport.factories import ContactFactory
from testsupport.plans import page_text
from testsupport.suspensions import record

NOTICE = LetterKind.SUSPENSION_NOTICE


def _picture(fmt: str = "PNG", size: tuple[int, int] = (400, 120)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (29, 53, 87)).save(buffer, format=fmt)
    return buffer.getvalue()


def _post(client, **fields):
    data = {
        "phone": "01632 960123",
        "email": "office@larkfield.example",
        "website": "larkfield.example",
        "signatory_name": "Mrs A. Okafor",
        "signatory_title": "Headteacher",
        "representations_contact": "The Clerk to the Governors, Larkfield Academy",
        "work_arrangements": "Work is set on the school's online platform and marked by class teachers.",
        "impartial_advice": "Coram Child Law Advice: 0300 330 5485",
    }
    data.update(fields)
    return client.post(reverse("documents:letterhead"), data, follow=True)


def test_the_office_uploads_a_logo_that_appears_on_the_letter_in_pdf_and_word(office, pupil):
    ContactFactory(pupil=pupil, name="Sam Ashby")
    response = _post(client_for(office), logo=SimpleUploadedFile("logo.jpg", _picture("JPEG", (1200, 300))))

    assert "Letterhead saved. Every new letter and document uses it." in page_text(response)
    letterhead = Letterhead.objects.get()
    with Image.open(io.BytesIO(bytes(letterhead.logo))) as stored:
        assert stored.format == "PNG"
        assert stored.size == (600, 150)
    draft = letter_draft(
        suspension=record(pupil, start=date(2026, 11, 9), sessions=2), kind=LetterKind.SUSPENSION_NOTICE
    )
    assert pdf_image_count(draft.rendered.pdf) == 1
    assert docx_header_images(draft.rendered.docx) == 1
    text = pdf_text(draft.rendered.pdf)
    assert "Telephone: 01632 960123" in text
    assert "Mrs A. Okafor Headteacher, Larkfield Academy" in text
    assert "Work is set on the school's online platform and marked by class teachers." in text


def test_without_a_logo_the_letter_has_no_picture(office, pupil):
    ContactFactory(pupil=pupil, name="Sam Ashby")
    draft = letter_draft(
        suspension=record(pupil, start=date(2026, 11, 9), sessions=2), kind=LetterKind.SUSPENSION_NOTICE
    )

    assert pdf_image_count(draft.rendered.pdf) == 0
    assert docx_header_images(draft.rendered.docx) == 0


def test_a_file_that_is_not_a_picture_is_refused_and_what_was_typed_is_kept(office):
    response = _post(client_for(office), logo=SimpleUploadedFile("logo.png", b"<svg onload=alert(1)>"), phone="0777")

    text = page_text(response)
    assert "The file is not a picture. Upload the logo as a PNG or JPEG." in text
    assert 'value="0777"' in response.content.decode()
    assert not Letterhead.objects.exists()


def test_a_gif_is_refused(office):
    response = _post(client_for(office), logo=SimpleUploadedFile("logo.gif", _picture("GIF")))

    assert "The logo must be a PNG or JPEG picture." in page_text(response)


def test_a_logo_over_one_megabyte_is_refused(office):
    response = _post(client_for(office), logo=SimpleUploadedFile("logo.png", b"\x89PNG" + b"0" * (1024 * 1024)))

    assert "The logo must be smaller than 1 MB." in page_text(response)


def test_the_logo_can_be_removed(office):
    client = client_for(office)
    _post(client, logo=SimpleUploadedFile("logo.png", _picture()))

    _post(client, remove_logo="on")

    assert not Letterhead.objects.get().has_logo


@pytest.mark.parametrize("persona", ["teacher", "pastoral_lead", "governor"])
def test_only_staff_who_manage_letters_change_the_letterhead(db, request, persona):
    assert client_for(request.getfixturevalue(persona)).get(reverse("documents:letterhead")).status_code == 403

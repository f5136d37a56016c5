"""The blank reintegration meeting template, as PDF and DOCX, for a school to complete on paper."""

from __future__ import annotations

import pytest
from django.urls import reverse

from conftest import client_for
from documents.record_docx import CONTENT_TYPE as DOCX_TYPE
from documents.record_docx import record_docx
from documents.records import blank_template, record_pdf
from documents.tests.helpers import (
    PLACEHOLDERS,
    docx_header_has_image,
    docx_text,
    give_logo,
    open_docx,
    pdf_image_count,
    pdf_pages,
    pdf_text,
)

PROMPTS = (
    "What the pupil wants to achieve",
    "Where the pupil is now",
    "What the pupil will do",
    "Timeline: start date",
    "Target date",
    "Criteria for measuring progress",
)


def _pdf(school):
    return record_pdf(blank_template(school)).content


def _docx(school):
    return record_docx(blank_template(school))


def _texts(school):
    return {"PDF": pdf_text(_pdf(school)), "DOCX": docx_text(_docx(school))}


def test_behaviour_and_academic_progress_each_ask_the_five_questions(school):
    for name, text in _texts(school).items():
        behaviour = text[text.index("Behaviour What the pupil wants") : text.index("Academic progress What")]
        academic = text[text.index("Academic progress What the pupil wants") : text.index("The strategy")]
        for section in (behaviour, academic):
            for prompt in PROMPTS:
                assert prompt in section, (name, prompt)
            assert "What will be measured" in section, name
            assert "Where it is now" in section, name
            assert "Target (e.g. at most 2 a week)" in section, name
            assert "By when" in section, name


def test_it_has_room_for_attendees_views_strategy_support_key_adult_adjustments_and_review_dates(school):
    for name, text in _texts(school).items():
        for item in (
            "Attendees Name Role Attended (yes or no)",
            "The pupil's views",
            "The parents' or carers' views",
            "How behaviour will be managed on return",
            "Who will do what",
            "Key adult",
            "Check-ins: how often, where and when",
            "Reasonable adjustments",
            "First review",
            "Second review",
            "Third review",
        ):
            assert item in text, (name, item)


def test_it_has_signature_lines_for_the_pupil_a_parent_or_carer_and_a_member_of_staff(school):
    for name, text in _texts(school).items():
        signatures = text[text.index("Signatures") :]
        assert "Who Name Signature Date" in signatures, name
        for who in ("Pupil", "Parent or carer", "Member of staff"):
            assert who in signatures, (name, who)


def test_it_says_the_return_does_not_depend_on_the_meeting(school):
    for name, text in _texts(school).items():
        assert "the return does not depend on the meeting" in text, name


def test_it_carries_the_school_letterhead_and_page_numbers(school):
    pages = pdf_pages(_pdf(school))
    assert "Larkfield Academy" in pages[0]
    assert "1 School Lane Exampletown EX1 1AA" in pages[0]
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in page
    assert len(pages) > 1
    text = docx_text(_docx(school))
    assert text.startswith("Larkfield Academy 1 School Lane Exampletown EX1 1AA")
    assert "Page 1 of 1" in text  # Word's PAGE and NUMPAGES fields, updated when Word lays the pages out


def test_the_logo_appears_once_the_school_has_uploaded_one(school):
    assert pdf_image_count(_pdf(school)) == 0
    assert not docx_header_has_image(_docx(school))
    give_logo(school)
    school.refresh_from_db()
    assert pdf_image_count(_pdf(school)) == 1
    assert docx_header_has_image(_docx(school))
    assert "Telephone: 01632 960123" in docx_text(_docx(school))


def test_the_docx_answer_boxes_have_empty_lines_to_write_on(school):
    word = open_docx(_docx(school))
    boxes = [table for table in word.tables if len(table.rows) == 1 and len(table.columns) == 1]
    assert len(boxes) >= 10
    for box in boxes:
        cell = box.rows[0].cells[0]
        assert len(cell.paragraphs) >= 3
        assert cell.text.strip() == ""


def test_it_holds_no_personal_data_and_no_leftover_placeholder(school, pupil):
    for name, text in _texts(school).items():
        assert pupil.legal_last_name not in text, name
        assert pupil.upn not in text, name
        for placeholder in PLACEHOLDERS:
            assert placeholder not in text, (name, placeholder)


@pytest.mark.parametrize(
    ("route", "content_type"), [("records:blank_pdf", "application/pdf"), ("records:blank_docx", DOCX_TYPE)]
)
def test_a_teacher_can_download_it(teacher, route, content_type):
    response = client_for(teacher).get(reverse(route))
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    extension = route.rsplit("_", 1)[-1]
    assert response["Content-Disposition"] == (
        f'attachment; filename="reintegration-meeting-template-larkfield-academy.{extension}"'
    )
    assert response["Cache-Control"] == "no-store"


def test_it_carries_the_letterhead_of_the_school_the_user_works_at(other_head):
    response = client_for(other_head).get(reverse("records:blank_pdf"))
    text = pdf_text(response.content)
    assert "Brookside School" in text
    assert "Larkfield" not in text


@pytest.mark.parametrize("route", ["records:blank_pdf", "records:blank_docx"])
def test_a_governor_cannot(governor, route):
    assert client_for(governor).get(reverse(route)).status_code == 403


def test_it_is_only_downloaded_never_changed(teacher):
    assert client_for(teacher).post(reverse("records:blank_pdf")).status_code == 405

"""'My return plan': the plan for the pupil, in plain words and large type, with the pupil's own words first."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from conftest import client_for
from documents.record_docx import CONTENT_TYPE as DOCX_TYPE
from documents.record_docx import record_docx
from documents.records import my_return_plan, record_pdf
from documents.selectors import plan_for_documents
from documents.tests.helpers import (
    PLACEHOLDERS,
    add_academic_goal,
    docx_header_has_image,
    docx_text,
    full_plan,
    give_logo,
    open_docx,
    pdf_image_count,
    pdf_pages,
    pdf_text,
    pdf_text_sizes,
)
from plans.models import Criterion, Goal
from testsupport.plans import active_plan, add_goal, criterion_row, draft_plan

SECTIONS = (
    "My return day",
    "What I want to achieve",
    "Where I am now",
    "What I will do",
    "Who will help me",
    "How we will know it is working",
    "When we will check",
)
RENDERERS = {
    "PDF": lambda document: pdf_text(record_pdf(document).content),
    "DOCX": lambda document: docx_text(record_docx(document)),
}


@pytest.fixture
def plan(pupil, headteacher):
    return full_plan(pupil, headteacher)


def _document(plan):
    return my_return_plan(plan_for_documents(plan.pk))


def _texts(plan):
    document = _document(plan)
    return {name: render(document) for name, render in RENDERERS.items()}


def _section(text, heading):
    start = text.index(heading)
    following = [text.index(other, start + 1) for other in (*SECTIONS, "Signing my plan") if other in text[start + 1 :]]
    return text[start : min(following)]


def test_it_has_the_sections_in_order_starting_with_the_return_day(plan):
    for name, text in _texts(plan).items():
        assert "My return plan Jordan Ashby" in text, name
        positions = [text.index(heading) for heading in SECTIONS]
        assert positions == sorted(positions), name


def test_it_says_when_i_come_back_in_a_short_sentence(plan):
    for name, text in _texts(plan).items():
        assert "I come back to school on Wednesday 11/11/2026, in the morning." in _section(text, "My return day"), name


def test_a_return_after_a_half_day_is_in_the_afternoon(pupil, headteacher):
    plan = draft_plan(pupil, headteacher, start=date(2026, 11, 16), sessions=1)
    assert plan.suspension.return_label == "Monday 16/11/2026, afternoon"
    text = docx_text(record_docx(_document(plan)))
    assert "I come back to school on Monday 16/11/2026, in the afternoon." in text


def test_what_i_want_to_achieve_starts_with_my_own_words_then_what_others_said(pupil, headteacher):
    plan = active_plan(pupil, headteacher, with_goal=False)
    add_goal(plan, expressed_by=Goal.ExpressedBy.PARENT, expressed_by_name="", pupil_aim="Stay in every lesson.")
    add_academic_goal(plan, expressed_by=Goal.ExpressedBy.PUPIL, expressed_by_name="", pupil_aim="Get a 5 in maths.")
    for name, text in _texts(plan).items():
        section = _section(text, "What I want to achieve")
        assert section.index("Get a 5 in maths.") < section.index("Stay in every lesson."), name
        assert "My learning Get a 5 in maths. I said this." in section, name
        assert "In lessons and around school Stay in every lesson. My parent or carer said this." in section, name


def test_what_i_said_at_my_meeting_is_there_in_my_words(plan):
    for name, text in _texts(plan).items():
        section = _section(text, "What I want to achieve")
        assert "What I said at my meeting I want a fresh start in science." in section, name
        assert "Catch up on the maths I missed. Sam Ashby said this." in section, name


def test_where_i_am_now_and_what_i_will_do(plan):
    for name, text in _texts(plan).items():
        assert "Sent out of five lessons in the week before the suspension." in _section(text, "Where I am now"), name
        assert "Four maths homeworks missing." in _section(text, "Where I am now"), name
        doing = _section(text, "What I will do")
        assert "Use my time-out card instead of walking out." in doing, name
        assert "Go to homework club on Tuesdays." in doing, name


def test_who_will_help_me_names_my_key_adult_how_often_we_meet_and_who_does_what(plan):
    for name, text in _texts(plan).items():
        section = _section(text, "Who will help me")
        assert "My key adult is Priya Patel. We will meet every day." in section, name
        assert "Ms Patel: Key adult meets the pupil at the gate each morning, by Friday 20/11/2026." in section, name
        assert "Mr Okafor: Maths teacher sends the missed work home, by Wednesday 25/11/2026." in section, name
        assert "Things that will be different for me: Seat near the door; one instruction at a time." in section, name


def test_how_we_will_know_it_is_working_is_said_in_plain_words_with_the_last_check(plan):
    for name, text in _texts(plan).items():
        section = _section(text, "How we will know it is working")
        for item in (
            "On-call logs per week: no more than 1, by Friday 11/12/2026. When we checked on Wednesday 18/11/2026: 1.",
            "Uses the time-out card instead of leaving the room: yes, by Wednesday 25/11/2026. "
            "When we checked on Wednesday 18/11/2026: Yes.",
            "Homework handed in on time: at least 80%, by Friday 18/12/2026. "
            "When we checked on Wednesday 18/11/2026: 70%.",
        ):
            assert item in section, (name, item)


@pytest.mark.parametrize(
    ("comparator", "words"),
    [
        (Criterion.Comparator.LESS_THAN, "fewer than 3"),
        (Criterion.Comparator.MORE_THAN, "more than 3"),
        (Criterion.Comparator.EXACTLY, "exactly 3"),
    ],
)
def test_every_kind_of_target_has_plain_words(pupil, headteacher, comparator, words):
    plan = active_plan(pupil, headteacher, with_goal=False)
    add_goal(
        plan, criteria=[criterion_row(comparator=comparator, target_value=Decimal("3"), due_date=date(2026, 12, 18))]
    )
    text = docx_text(record_docx(_document(plan)))
    assert f"On-call logs per week: {words}, by Friday 18/12/2026." in text


def test_when_we_will_check_lists_the_reviews_to_come_and_those_done(plan):
    for name, text in _texts(plan).items():
        section = _section(text, "When we will check")
        assert "We will look at how it is going on: Wednesday 02/12/2026" in section, name
        assert "We have already checked on Friday 13/11/2026, Wednesday 18/11/2026." in section, name


def test_it_uses_no_jargon(plan):
    for name, text in _texts(plan).items():
        lowered = text.lower()
        for word in ("criterion", "criteria", "lifecycle", "comparator", "baseline", "reintegration"):
            assert word not in lowered, (name, word)


def test_a_plan_still_being_written_says_we_will_write_it_together(pupil, headteacher):
    plan = draft_plan(pupil, headteacher)
    for name, text in _texts(plan).items():
        for heading in ("What I want to achieve", "Where I am now", "What I will do", "Who will help me"):
            assert "We will write this together." in _section(text, heading), (name, heading)
        assert "We will tell you when we will check." in text, name
        for placeholder in PLACEHOLDERS:
            assert placeholder not in text, (name, placeholder)


def test_the_pdf_body_text_is_large_14pt_or_more(plan):
    content = record_pdf(_document(plan)).content
    letterhead_and_footer = ("Larkfield Academy", "1 School Lane", "Exampletown", "EX1 1AA")
    body = [
        (text, size)
        for text, size in pdf_text_sizes(content)
        if not text.startswith(letterhead_and_footer) and not text.startswith("Page ")
    ]
    assert body
    assert min(size for _text, size in body) >= 14
    assert ("I come back to school on Wednesday 11/11/2026, in the morning.", 14.0) in body


def test_the_docx_body_text_is_large_14pt_or_more(plan):
    word = open_docx(record_docx(_document(plan)))
    assert word.styles["Normal"].font.size.pt >= 14
    assert word.styles["List Bullet"].font.size.pt >= 14


def test_it_has_the_letterhead_page_numbers_and_lines_to_sign(plan):
    give_logo(plan.school)
    document = _document(plan)
    pages = pdf_pages(record_pdf(document).content)
    assert "Larkfield Academy" in pages[0]
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in page
        assert "Larkfield Academy · My return plan: Jordan Ashby" in page
    assert pdf_image_count(record_pdf(document).content) == 1
    assert docx_header_has_image(record_docx(document))
    for name, text in _texts(plan).items():
        signing = text[text.index("Signing my plan") :]
        assert "Me Jordan Ashby" in signing, name
        assert "My key adult Priya Patel" in signing, name
        assert "My parent or carer" in signing, name
        for placeholder in PLACEHOLDERS:
            assert placeholder not in text, (name, placeholder)


@pytest.mark.parametrize(
    ("route", "content_type", "extension"),
    [("records:my_return_plan_pdf", "application/pdf", "pdf"), ("records:my_return_plan_docx", DOCX_TYPE, "docx")],
)
def test_the_pastoral_lead_downloads_it_and_the_download_is_audited(
    plan, pastoral_lead, route, content_type, extension
):
    response = client_for(pastoral_lead).get(reverse(route, args=[plan.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert (
        response["Content-Disposition"] == f'attachment; filename="my-return-plan-jordan-ashby-2026-11-18.{extension}"'
    )
    assert response["Cache-Control"] == "no-store"
    entry = LogEntry.objects.filter(action=LogEntry.Action.ACCESS, actor=pastoral_lead).get()
    assert entry.additional_data["what"] == f"My return plan ({extension.upper()})"


@pytest.mark.parametrize("route", ["records:my_return_plan_pdf", "records:my_return_plan_docx"])
def test_a_teacher_may_not_download_it(plan, teacher, route):
    assert client_for(teacher).get(reverse(route, args=[plan.pk])).status_code == 403


@pytest.mark.parametrize("route", ["records:my_return_plan_pdf", "records:my_return_plan_docx"])
def test_another_schools_head_finds_no_such_plan(plan, other_head, route):
    assert client_for(other_head).get(reverse(route, args=[plan.pk])).status_code == 404

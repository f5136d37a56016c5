"""The completed reintegration meeting record for one plan, as PDF and DOCX."""

from __future__ import annotations

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from conftest import client_for
from documents.record_docx import CONTENT_TYPE as DOCX_TYPE
from documents.record_docx import record_docx
from documents.records import meeting_record, record_html, record_pdf
from documents.selectors import plan_for_documents
from documents.tests.helpers import (
    PLACEHOLDERS,
    docx_header_has_image,
    docx_text,
    full_plan,
    give_logo,
    open_docx,
    pdf_image_count,
    pdf_pages,
    pdf_text,
)
from plans import services
from testsupport.plans import active_plan, draft_plan

RENDERERS = {
    "PDF": lambda document: pdf_text(record_pdf(document).content),
    "DOCX": lambda document: docx_text(record_docx(document)),
}


def _texts(plan):
    document = meeting_record(plan_for_documents(plan.pk))
    return {name: render(document) for name, render in RENDERERS.items()}


@pytest.fixture
def plan(pupil, headteacher):
    return full_plan(pupil, headteacher)


def test_it_names_the_pupil_the_suspension_and_the_return(plan):
    for name, text in _texts(plan).items():
        for item in (
            "Reintegration meeting record",
            "Jordan Ashby, Year 9",
            "Suspension, 2 days",
            "Monday 09/11/2026 to Tuesday 10/11/2026",
            "Wednesday 11/11/2026, morning",
            "whether or not a meeting takes place",
        ):
            assert item in text, (name, item)


def test_it_records_the_meeting_who_was_invited_and_who_came_and_the_views(plan):
    for name, text in _texts(plan).items():
        for item in (
            "Held",
            "Tuesday 10/11/2026 at 15:30",
            "In person",
            "Pastoral office",
            "Name Role Invited Attended",
            "Jordan Ashby Pupil Yes Yes",
            "Sam Ashby Mother Yes No",
            "Priya Patel Key adult Yes Yes",
            "I want a fresh start in science.",
            "We will check the planner every night.",
            "Agreed the strategy and two goals.",
        ):
            assert item in text, (name, item)


def test_it_records_the_strategy_the_key_adult_the_check_ins_and_the_adjustments(plan):
    for name, text in _texts(plan).items():
        for item in (
            "Meet Ms Patel at the pastoral office each morning",
            "Priya Patel",
            "Daily",
            "Daily check-in with the key adult.",
            "Seat near the door; one instruction at a time.",
        ):
            assert item in text, (name, item)


def test_the_goals_come_by_area_with_aims_positions_actions_timelines_criteria_and_support(plan):
    for name, text in _texts(plan).items():
        behaviour = text[text.index("Behaviour What the pupil wants") : text.index("Academic progress What")]
        for item in (
            "I want to stay in my lessons and not get sent out.",
            "The pupil",
            "Sent out of five lessons in the week before the suspension.",
            "Use my time-out card instead of walking out.",
            "Wednesday 11/11/2026 → Friday 29/01/2027",
            "Wednesday 02/12/2026",
            "On-call logs per week",
            "5 (Five on-calls in the week before the suspension)",
            "at most 1",
            "11/12/2026",
            "Uses the time-out card instead of leaving the room",
            "Key adult meets the pupil at the gate each morning",
            "Ms Patel",
            "20/11/2026",
        ):
            assert item in behaviour, (name, item)
        academic = text[text.index("Academic progress What the pupil wants") : text.rindex("Review dates")]
        for item in (
            "Catch up on the maths I missed.",
            "Sam Ashby (a parent or carer)",
            "Four maths homeworks missing.",
            "Homework handed in on time (%)",
            "40 (This half term)",
            "at least 80",
            "18/12/2026",
            "Maths teacher sends the missed work home",
            "Mr Okafor",
        ):
            assert item in academic, (name, item)


def test_both_sections_of_the_template_appear_even_before_any_goal_is_set(pupil, headteacher):
    plan = active_plan(pupil, headteacher, with_goal=False)
    for name, text in _texts(plan).items():
        assert "No behaviour goal has been set." in text, name
        assert "No academic progress goal has been set." in text, name


def test_it_ends_with_lines_to_sign_for_the_pupil_a_parent_or_carer_and_a_member_of_staff(plan):
    for name, text in _texts(plan).items():
        signatures = text[text.index("Signatures We have talked about this plan") :]
        assert "Who Name Signature Date" in signatures, name
        assert "Pupil Jordan Ashby" in signatures, name
        assert "Parent or carer" in signatures, name
        assert "Member of staff" in signatures, name


def test_when_no_meeting_is_held_it_says_why(pupil, headteacher):
    plan = draft_plan(pupil, headteacher)
    services.plan_record_no_meeting(plan=plan, version=plan.version, reason="Parents declined; we phoned instead.")
    for name, text in _texts(plan).items():
        assert "Why no meeting was held Parents declined; we phoned instead." in text, name
        assert "Name Role Invited Attended" not in text, name


def test_when_no_meeting_is_arranged_yet_it_says_so(pupil, headteacher):
    plan = draft_plan(pupil, headteacher)
    for name, text in _texts(plan).items():
        assert "No meeting has been arranged." in text, name
        assert "Not written yet" in text, name  # a draft with no strategy yet
        assert "Not chosen yet" in text, name


def test_every_page_has_its_number_and_the_school_and_the_first_the_whole_letterhead(plan):
    pages = pdf_pages(record_pdf(meeting_record(plan_for_documents(plan.pk))).content)
    assert len(pages) >= 2
    assert "Larkfield Academy 1 School Lane Exampletown EX1 1AA" in pages[0]
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in page
        assert "Larkfield Academy · Confidential: meeting record for Jordan Ashby, printed 18/11/2026" in page
    word = open_docx(record_docx(meeting_record(plan_for_documents(plan.pk))))
    header = " ".join(cell.text for table in word.sections[0].header.tables for cell in table._cells)
    assert "Larkfield Academy" in header
    assert "Exampletown" in header
    assert "Page 1 of 1" in " ".join(p.text for p in word.sections[0].footer.paragraphs)


def test_the_school_logo_is_on_it_once_uploaded(plan):
    give_logo(plan.school)
    document = meeting_record(plan_for_documents(plan.pk))
    assert pdf_image_count(record_pdf(document).content) == 1
    assert docx_header_has_image(record_docx(document))


def test_no_placeholder_is_left_over(plan):
    for name, text in _texts(plan).items():
        for placeholder in PLACEHOLDERS:
            assert placeholder not in text, (name, placeholder)


def test_text_typed_by_staff_is_shown_as_typed_never_as_markup(pupil, headteacher):
    plan = full_plan(pupil, headteacher, reviews=False)
    meeting = plan.meeting
    services.meeting_save(
        plan=plan,
        version=meeting.version,
        status=meeting.status,
        scheduled_for=meeting.scheduled_for,
        mode=meeting.mode,
        location="Room <b>4</b> & co",
        pupil_views='I said "no" <script>alert(1)</script>\nThen I said yes.',
        parent_views="Fine\x0bby us",
        notes="",
        participants=[{"name": "Jordan Ashby", "role": "Pupil", "invited": True, "attended": True}],
    )
    document = meeting_record(plan_for_documents(plan.pk))
    html = record_html(document)
    assert "&lt;script&gt;" in html
    assert "<script" not in html
    assert "Room &lt;b&gt;4&lt;/b&gt; &amp; co" in html
    assert (
        '<td class="pre-line">I said &quot;no&quot; &lt;script&gt;alert(1)&lt;/script&gt;\nThen I said yes.</td>'
        in html
    )
    assert "Room <b>4</b> & co" in pdf_text(record_pdf(document).content)
    word = open_docx(record_docx(document))
    cells = [cell for table in word.tables for cell in table._cells]
    views = next(cell for cell in cells if cell.text.startswith('I said "no"'))
    assert [p.text for p in views.paragraphs] == ['I said "no" <script>alert(1)</script>', "Then I said yes."]
    assert any(cell.text == "Fineby us" for cell in cells)  # a control character Word cannot hold is dropped


@pytest.mark.parametrize(
    ("route", "content_type", "extension"),
    [("records:meeting_record_pdf", "application/pdf", "pdf"), ("records:meeting_record_docx", DOCX_TYPE, "docx")],
)
def test_the_pastoral_lead_downloads_it_and_the_download_is_audited(
    plan, pastoral_lead, route, content_type, extension
):
    response = client_for(pastoral_lead).get(reverse(route, args=[plan.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == (
        f'attachment; filename="reintegration-meeting-record-jordan-ashby-2026-11-18.{extension}"'
    )
    assert plan.pupil.upn not in response["Content-Disposition"]
    assert response["Cache-Control"] == "no-store"
    entry = LogEntry.objects.filter(action=LogEntry.Action.ACCESS, actor=pastoral_lead).get()
    assert entry.additional_data["what"] == f"meeting record ({extension.upper()})"
    assert entry.additional_data["pupil_id"] == plan.pupil_id


@pytest.mark.parametrize("route", ["records:meeting_record_pdf", "records:meeting_record_docx"])
def test_a_teacher_may_not_download_it(plan, teacher, route):
    assert client_for(teacher).get(reverse(route, args=[plan.pk])).status_code == 403


@pytest.mark.parametrize("route", ["records:meeting_record_pdf", "records:meeting_record_docx"])
def test_another_schools_head_finds_no_such_plan(plan, other_head, route):
    assert client_for(other_head).get(reverse(route, args=[plan.pk])).status_code == 404
    assert LogEntry.objects.filter(action=LogEntry.Action.ACCESS).count() == 0

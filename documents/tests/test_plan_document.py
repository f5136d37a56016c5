"""The whole reintegration plan for one pupil, as PDF and DOCX: goals, criteria, support, reviews and charts."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from conftest import client_for
from documents.record_docx import CONTENT_TYPE as DOCX_TYPE
from documents.record_docx import record_docx
from documents.records import Chart, meeting_record, my_return_plan, plan_record, record_html, record_pdf
from documents.selectors import plan_for_documents
from documents.tests.helpers import (
    PLACEHOLDERS,
    add_academic_goal,
    docx_text,
    full_plan,
    hold_meeting,
    open_docx,
    pdf_pages,
    pdf_text,
    review_on,
)
from plans.models import Criterion, Goal, Review
from testsupport.factories import PupilFactory
from testsupport.plans import action_row, activate, active_plan, add_goal, criterion_row, draft_plan, record_review

RENDERERS = {
    "PDF": lambda document: pdf_text(record_pdf(document).content),
    "DOCX": lambda document: docx_text(record_docx(document)),
}


@pytest.fixture
def plan(pupil, headteacher):
    return full_plan(pupil, headteacher)


def _document(plan):
    return plan_record(plan_for_documents(plan.pk))


def _texts(plan):
    document = _document(plan)
    return {name: render(document) for name, render in RENDERERS.items()}


def test_it_has_the_pupil_the_suspension_the_meeting_the_strategy_and_the_plan_status(plan):
    for name, text in _texts(plan).items():
        for item in (
            "Reintegration plan",
            "Jordan Ashby, Year 9",
            "Suspension, 2 days",
            "Monday 09/11/2026 to Tuesday 10/11/2026",
            "Wednesday 11/11/2026, morning",
            "Plan status Active",
            "Next review Wednesday 02/12/2026",
            "Tuesday 10/11/2026 at 15:30",
            "Sam Ashby Mother Yes No",
            "I want a fresh start in science.",
            "We will check the planner every night.",
            "Meet Ms Patel at the pastoral office each morning",
            "Priya Patel",
            "Seat near the door; one instruction at a time.",
        ):
            assert item in text, (name, item)


def test_each_goal_has_its_status_criteria_with_the_latest_result_and_support_with_whether_it_is_done(plan):
    for name, text in _texts(plan).items():
        behaviour = text[text.index("Behaviour goal 1") : text.index("Academic progress goal 1")]
        for item in (
            "I want to stay in my lessons and not get sent out.",
            "Wednesday 11/11/2026 → Friday 29/01/2027",
            "Active; improving",
            "Measure Baseline Target Due Latest review",
            "On-call logs per week",
            "5 (Five on-calls in the week before the suspension)",
            "at most 1",
            "1 (met) on 18/11/2026",
            "Yes (met) on 18/11/2026",
            "Who What Owner Due Done",
            "Key adult meets the pupil at the gate each morning",
            "Not yet",
        ):
            assert item in behaviour, (name, item)
        academic = text[text.index("Academic progress goal 1") : text.index("Reviews Review on")]
        for item in ("Catch up on the maths I missed.", "Sam Ashby (a parent or carer)", "70 (not met) on 18/11/2026"):
            assert item in academic, (name, item)


def test_each_review_has_its_date_decision_participants_results_and_goal_statuses(plan):
    for name, text in _texts(plan).items():
        reviews = text[text.index("Reviews Review on") : text.index("Signatures")]
        first = reviews[: reviews.index("Review on Wednesday 18/11/2026")]
        second = reviews[reviews.index("Review on Wednesday 18/11/2026") :]
        assert first.startswith("Reviews Review on Friday 13/11/2026"), name
        for review, on_calls, homework in ((first, "3", "55"), (second, "1", "70")):
            for item in (
                "Decision Continue the plan as it is",
                "Jordan (pupil)",
                "Priya Patel (key adult)",
                "Goal Measure Target Seen Met",
                f"On-call logs per week at most 1 {on_calls}",
                f"Homework handed in on time (%) at least 80 {homework} Not met",
                "Uses the time-out card instead of leaving the room Yes Yes Met",
                "Area Goal Before After",
                "Improving",
            ):
                assert item in review, (name, item)
        assert "On-call logs per week at most 1 3 Not met" in first, name
        assert "On-call logs per week at most 1 1 Met" in second, name
        assert "Next review Wednesday 18/11/2026" in first, name
        assert "Next review Wednesday 02/12/2026" in second, name


def test_a_number_criterion_with_results_gets_a_chart_of_each_review_against_baseline_and_target(plan):
    charts = [block for block in _document(plan).blocks if isinstance(block, Chart)]
    assert [chart.title for chart in charts] == [
        "Progress: On-call logs per week",
        "Progress: Homework handed in on time (%)",
    ]  # the yes/no criterion has none
    on_calls = charts[0].svg
    assert "<title id=" in on_calls
    assert ">Progress: On-call logs per week</title>" in on_calls
    assert "Seen at each review: 3 on 13/11/2026, 1 on 18/11/2026." in on_calls
    html = record_html(_document(plan))
    assert html.count('<svg xmlns="http://www.w3.org/2000/svg"') == 2


def test_the_pdf_draws_the_charts_with_labels_that_can_be_read_back(plan):
    pages = pdf_pages(record_pdf(_document(plan)).content)
    text = " ".join(pages)
    chart = text[text.index("Progress: On-call logs per week") :]
    for label in ("13/11", "18/11", "At each review", "Target: at most 1", "Baseline: 5"):
        assert label in chart, label
    homework = text[text.index("Progress: Homework handed in on time (%)") :]
    for label in ("Target: at least 80", "Baseline: 40", "55", "70"):
        assert label in homework, label


def test_the_docx_gives_the_same_figures_as_a_table(plan):
    text = docx_text(record_docx(_document(plan)))
    chart = text[text.index("Progress: On-call logs per week When") :]
    assert chart.startswith(
        "Progress: On-call logs per week When On-call logs per week Baseline 5 "
        "Review on Friday 13/11/2026 3 Review on Wednesday 18/11/2026 1 Target at most 1"
    )
    assert "Baseline 40 Review on Friday 13/11/2026 55 Review on Wednesday 18/11/2026 70 Target at least 80" in text


def test_a_criterion_not_yet_reviewed_gets_no_chart(pupil, headteacher):
    plan = active_plan(pupil, headteacher)
    document = plan_record(plan_for_documents(plan.pk))
    assert not [block for block in document.blocks if isinstance(block, Chart)]
    for name, render in RENDERERS.items():
        text = render(document)
        assert "No review has been held yet." in text, name
        assert "Not reviewed yet" in text, name


def test_a_closed_plan_shows_its_outcome(pupil, headteacher):
    plan = active_plan(pupil, headteacher)
    record_review(
        plan,
        headteacher,
        decision=Review.Decision.CLOSE,
        next_review_date=None,
        outcome="achieved",
        goal_statuses={goal.pk: Goal.Achievement.ACHIEVED for goal in plan.goals.all()},
    )
    for name, text in _texts(plan).items():
        assert "Plan status Closed on Wednesday 18/11/2026: Goals achieved" in text, name
        assert "Decision Close the plan" in text, name
        assert "Next review No more reviews" in text, name
        assert "Completed; achieved" in text, name


def test_every_page_has_its_number_and_no_placeholder_is_left_over(plan):
    pages = pdf_pages(record_pdf(_document(plan)).content)
    assert len(pages) >= 3
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in page
        assert "Larkfield Academy · Confidential: reintegration plan for Jordan Ashby, printed 18/11/2026" in page
    assert "Larkfield Academy 1 School Lane Exampletown EX1 1AA" in pages[0]
    for name, text in _texts(plan).items():
        for placeholder in PLACEHOLDERS:
            assert placeholder not in text, (name, placeholder)
    footer = open_docx(record_docx(_document(plan))).sections[0].footer
    assert "Page 1 of 1" in " ".join(paragraph.text for paragraph in footer.paragraphs)


def _bigger_plan(school, headteacher):
    """A meeting of eight people, six goals with three criteria and two actions each, four reviews."""
    pupil = PupilFactory(school=school, legal_first_name="Alex", legal_last_name="Brook")
    plan = draft_plan(pupil, headteacher)
    hold_meeting(plan, extra=[{"name": f"Colleague {n}", "role": "Teacher", "attended": True} for n in range(5)])
    plan = activate(plan)
    for number in range(3):
        add_goal(
            plan,
            criteria=[criterion_row(measure=f"On-calls in lesson {number}.{k}") for k in range(3)],
            actions=[action_row(), action_row(owner="Mr Okafor")],
        )
        add_academic_goal(plan)
    review_on(
        plan,
        headteacher,
        [(date(2026, 11, day), "2", "60") for day in (11, 12, 13, 16)],
    )
    return plan


def test_the_documents_read_a_fixed_number_of_queries_however_big_the_plan(
    plan, headteacher, school, django_assert_max_num_queries
):
    big = _bigger_plan(school, headteacher)
    assert big.goals.count() == 6
    assert Review.objects.filter(plan=big).count() == 4
    assert big.meeting.participants.count() == 8
    for each in (plan, big):
        with django_assert_max_num_queries(8):
            loaded = plan_for_documents(each.pk)
            meeting_record(loaded)
            plan_record(loaded)
            my_return_plan(loaded)


@pytest.mark.parametrize(
    ("route", "content_type", "extension"),
    [("records:plan_pdf", "application/pdf", "pdf"), ("records:plan_docx", DOCX_TYPE, "docx")],
)
def test_the_pastoral_lead_downloads_it_and_the_download_is_audited(
    plan, pastoral_lead, route, content_type, extension
):
    response = client_for(pastoral_lead).get(reverse(route, args=[plan.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert (
        response["Content-Disposition"]
        == f'attachment; filename="reintegration-plan-jordan-ashby-2026-11-18.{extension}"'
    )
    assert response["Cache-Control"] == "no-store"
    entry = LogEntry.objects.filter(action=LogEntry.Action.ACCESS, actor=pastoral_lead).get()
    assert entry.additional_data["what"] == f"reintegration plan ({extension.upper()})"


@pytest.mark.parametrize("route", ["records:plan_pdf", "records:plan_docx"])
def test_a_teacher_may_not_download_it(plan, teacher, route):
    assert client_for(teacher).get(reverse(route, args=[plan.pk])).status_code == 403


@pytest.mark.parametrize("route", ["records:plan_pdf", "records:plan_docx"])
def test_another_schools_head_finds_no_such_plan(plan, other_head, route):
    assert client_for(other_head).get(reverse(route, args=[plan.pk])).status_code == 404


def test_a_missing_plan_is_not_found(pastoral_lead):
    assert client_for(pastoral_lead).get(reverse("records:plan_pdf", args=[987654])).status_code == 404


def test_the_filename_names_the_pupil_by_the_name_they_use_without_accents(school, headteacher, pastoral_lead):
    pupil = PupilFactory(
        school=school, legal_first_name="Zoë", legal_last_name="O'Neill-Brontë", preferred_first_name="Zo"
    )
    plan = active_plan(pupil, headteacher)
    response = client_for(pastoral_lead).get(reverse("records:plan_docx", args=[plan.pk]))
    assert (
        response["Content-Disposition"] == 'attachment; filename="reintegration-plan-zo-oneill-bronte-2026-11-18.docx"'
    )
    assert re.fullmatch(r'attachment; filename="[a-z0-9.-]+"', response["Content-Disposition"])


def test_a_decimal_observation_is_written_plainly(pupil, headteacher):
    plan = active_plan(pupil, headteacher)
    criterion = Criterion.objects.get(goal__plan=plan)
    record_review(
        plan,
        headteacher,
        criterion_results=[
            {"criterion": criterion, "observed_value": Decimal("2.50"), "observed_yes": None, "comment": ""}
        ],
    )
    text = docx_text(record_docx(plan_record(plan_for_documents(plan.pk))))
    assert "2.5 (not met) on 18/11/2026" in text

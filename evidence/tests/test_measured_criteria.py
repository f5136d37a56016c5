"""A criterion measured from the school's data: set on the goal form, shown on the plan page with a trend chart
and its table, and filled in at the review, with nothing retyped. And the register check.

Time is frozen at Wednesday 18/11/2026; the default suspension runs Monday 09/11 and Tuesday 10/11, and the pupil
returned on Wednesday 11/11/2026.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from conftest import client_for
from evidence.models import AttendanceMark, AttendanceWeek, BehaviourEvent
from evidence.selectors import plan_evidence, register_mismatches
from plans.models import Criterion
from testsupport.plans import active_plan, add_goal, criterion_row, page_text
from testsupport.suspensions import record


def _measured_plan(pupil, headteacher, **criterion):
    plan = active_plan(pupil, headteacher, with_goal=False)
    row = criterion_row(
        measure="Behaviour incidents a week",
        source=Criterion.Source.INCIDENTS,
        baseline_value=None,
        comparator=Criterion.Comparator.AT_MOST,
        target_value=Decimal("1"),
        **criterion,
    )
    add_goal(plan, criteria=[row])
    return plan


def _incidents(pupil, *days):
    for day in days:
        BehaviourEvent.objects.create(school=pupil.school, pupil=pupil, occurred_on=day, category="Disruption")


def test_the_plan_page_shows_the_figure_a_chart_and_its_table(pupil, headteacher, pastoral_lead):
    plan = _measured_plan(pupil, headteacher)
    _incidents(pupil, date(2026, 11, 12), date(2026, 11, 13), date(2026, 11, 17))

    response = client_for(pastoral_lead).get(reverse("plans:detail", args=[plan.pk]))

    text = page_text(response)
    assert "Behaviour incidents a week: measured from the school\N{RIGHT SINGLE QUOTATION MARK}s data" in text
    assert "1.5 incidents a week on average over 2 weeks since 11/11/2026" in text
    assert "Does not meet the target yet" in text
    html = response.content.decode()
    assert "<svg" in html
    assert 'role="img"' in html
    assert "w/c 09/11/2026 2" in text
    assert "w/c 16/11/2026 1" in text


def test_the_review_form_is_filled_in_from_the_data(pupil, headteacher, pastoral_lead):
    plan = _measured_plan(pupil, headteacher)
    _incidents(pupil, date(2026, 11, 12))
    criterion = Criterion.objects.get(goal__plan=plan)

    response = client_for(pastoral_lead).get(reverse("plans:review_add", args=[plan.pk]))

    field = response.context["form"].fields[f"criterion_{criterion.pk}_value"]
    assert field.initial == Decimal("0.5")
    assert "From the school's data: 0.5 incidents a week on average over 2 weeks" in field.help_text


def test_without_data_the_page_says_what_to_import(pupil, headteacher, pastoral_lead):
    plan = _measured_plan(pupil, headteacher)

    text = page_text(client_for(pastoral_lead).get(reverse("plans:detail", args=[plan.pk])))

    assert "No data yet since 11/11/2026: import the school's behaviour data to measure it." in text


def test_attendance_since_the_return_meets_its_target(pupil, headteacher):
    plan = _measured_plan(pupil, headteacher, source_category="")
    criterion = Criterion.objects.get(goal__plan=plan)
    Criterion.objects.filter(pk=criterion.pk).update(
        source=Criterion.Source.ATTENDANCE, comparator=Criterion.Comparator.AT_LEAST, target_value=Decimal("95")
    )
    AttendanceWeek.objects.create(
        school=pupil.school, pupil=pupil, week_start=date(2026, 11, 9), possible_sessions=6, attended_sessions=6
    )
    AttendanceWeek.objects.create(
        school=pupil.school, pupil=pupil, week_start=date(2026, 11, 16), possible_sessions=6, attended_sessions=6
    )

    found = plan_evidence(plan)[criterion.pk]

    assert found.evaluation.value == 100
    assert found.met is True


def test_the_plan_page_reads_the_evidence_in_a_fixed_number_of_queries(
    pupil, headteacher, pastoral_lead, django_assert_max_num_queries
):
    plan = _measured_plan(pupil, headteacher)
    client = client_for(pastoral_lead)
    _incidents(pupil, date(2026, 11, 12))
    client.get(reverse("plans:detail", args=[plan.pk]))
    with django_assert_max_num_queries(40) as few:
        client.get(reverse("plans:detail", args=[plan.pk]))
    add_goal(plan, criteria=[criterion_row(measure="Lates a week", source=Criterion.Source.LATES, baseline_value=None)])
    _incidents(pupil, date(2026, 11, 13), date(2026, 11, 16), date(2026, 11, 17))
    with django_assert_max_num_queries(len(few.captured_queries) + 2):  # the second goal's rows, not per week
        client.get(reverse("plans:detail", args=[plan.pk]))


def test_a_criterion_measured_from_data_must_be_a_number(pupil, headteacher):
    from django.core.exceptions import ValidationError

    plan = active_plan(pupil, headteacher, with_goal=False)
    row = criterion_row(source=Criterion.Source.INCIDENTS, kind=Criterion.Kind.YES_NO, comparator="", target_value=None)
    with pytest.raises(ValidationError) as refused:
        add_goal(plan, criteria=[row])

    assert "A criterion measured from the school's data is a number" in str(refused.value)


def test_one_category_needs_the_category(pupil, headteacher):
    from django.core.exceptions import ValidationError

    plan = active_plan(pupil, headteacher, with_goal=False)
    with pytest.raises(ValidationError) as refused:
        add_goal(plan, criteria=[criterion_row(source=Criterion.Source.CATEGORY)])

    assert "Enter the behaviour category to count" in str(refused.value)


def _mark(pupil, day, session, code):
    AttendanceMark.objects.create(school=pupil.school, pupil=pupil, date=day, session=session, code=code)


def test_the_register_check_lists_e_marks_without_a_suspension_and_suspended_sessions_not_marked_e(pupil, headteacher):
    record(pupil, start=date(2026, 11, 9), sessions=2, decided_by=headteacher)  # Monday 09/11, both sessions
    _mark(pupil, date(2026, 11, 9), "am", "E")
    _mark(pupil, date(2026, 11, 9), "pm", "/")
    _mark(pupil, date(2026, 11, 10), "am", "E")

    found = register_mismatches(pupil.school, start=date(2026, 11, 2), end=date(2026, 11, 18))

    assert [(m.day, m.session, m.problem) for m in found] == [
        (date(2026, 11, 9), "pm", "Suspended, but the register says /, not E"),
        (date(2026, 11, 10), "am", "Marked E, but no suspension is recorded"),
    ]


def test_the_register_check_page_lists_the_disagreements(pupil, headteacher, office):
    _mark(pupil, date(2026, 11, 10), "am", "E")

    text = page_text(client_for(office).get(reverse("evidence:register_check")))

    assert "1 session where the register and the suspensions disagree" in text
    assert "Tuesday 10/11/2026 Morning Jordan Ashby Marked E, but no suspension is recorded" in text


def test_the_register_check_says_when_no_register_was_imported(office):
    text = page_text(client_for(office).get(reverse("evidence:register_check")))

    assert "No register marks have been imported for these dates." in text


def test_teachers_do_not_see_the_register_check(teacher):
    assert client_for(teacher).get(reverse("evidence:register_check")).status_code == 403

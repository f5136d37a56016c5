"""Journey 10: a teacher reads the plan of a pupil returning to their lessons: the strategy and the goals, never the
incident, the family's contacts or the written SEN detail.

A teacher needs to know how to support the pupil in class. What happened in the incident, how to reach the
family and the detail of the pupil's special educational needs are for the pastoral team.
"""

from __future__ import annotations

from django.urls import reverse

from testsupport.plans import STRATEGY
from testsupport.records import CONTACT_PHONE, INCIDENT, SEN_DETAIL, build_school_records

AIM = "I want to stay in my lessons and not get sent out."  # testsupport.plans.goal_fields
FORBIDDEN = {"the incident summary": INCIDENT, "the family's phone": CONTACT_PHONE, "the SEN detail": SEN_DETAIL}


def assert_nothing_forbidden(site, where: str) -> None:
    html = site.page.content()
    shown = [name for name, text in FORBIDDEN.items() if text in html]
    assert shown == [], f"A teacher sees {shown} on {where}"


def test_a_teacher_opens_a_pupils_plan_and_reads_the_strategy_and_goals_but_not_the_incident(
    site, school, headteacher, teacher
):
    records = build_school_records(school, headteacher)
    site.sign_in(teacher)
    assert_nothing_forbidden(site, "the dashboard")

    site.follow("Read the plan for Peregrine Ellingham-Worsley")
    assert site.page.url.endswith(reverse("plans:detail", args=[records.plan.pk]))
    main = site.page.locator("main").inner_text()
    assert STRATEGY in main
    assert AIM in main
    assert "Use my time-out card instead of walking out." in main
    assert "Change the strategy" not in main, "A teacher reads the plan only"
    assert "Record a review" not in main
    assert_nothing_forbidden(site, "the plan")

    breadcrumbs = site.page.get_by_role("navigation", name="Breadcrumb")
    breadcrumbs.get_by_role("link", name="Peregrine Ellingham-Worsley").click()
    site.check(context="the pupil's page")
    main = site.page.locator("main").inner_text()
    assert "SEN support" in main, "The SEN status itself is shown to every member of staff who sees the pupil"
    assert records.contact.name not in main
    assert_nothing_forbidden(site, "the pupil's page")

    site.follow("View the suspension from 09/11/2026")
    main = site.page.locator("main").inner_text()
    assert "Wednesday 11/11/2026" in main, "The return date is shown"
    assert "Incident summary" not in main
    assert_nothing_forbidden(site, "the suspension's page")


def test_a_teacher_cannot_open_the_meeting_record_where_the_incident_is_discussed(site, school, headteacher, teacher):
    records = build_school_records(school, headteacher)
    site.sign_in(teacher)

    site.go(reverse("plans:meeting_record", args=[records.plan.pk]))

    assert site.page.get_by_role("heading", level=1).inner_text() == "You cannot see this page"
    assert_nothing_forbidden(site, "the refused meeting record")
    assert site.console_errors == ["Failed to load resource: the server responded with a status of 403 (Forbidden)"]
    site.console_errors.clear()

"""Journey 11: a form sent with mistakes keeps what was typed, shows an error summary that takes focus, and each
error in the summary links to its field, which then takes focus (GOV.UK's error summary pattern).
"""

from __future__ import annotations

from django.urls import reverse

from plans.models import Goal
from suspensions.models import Suspension
from testsupport.plans import active_plan

INCIDENT = "Fictional incident: left the lesson without permission and refused to return to the classroom."


def focused(site, target: str = "") -> dict:
    """What has keyboard focus now: whether it is the error summary, and whether it is the field `target` (or, for a
    group of radios or checkboxes linked by their wrapper, its first option)."""
    return site.page.evaluate(
        """(target) => {
            const active = document.activeElement;
            const wanted = target && document.getElementById(target);
            const controls = 'input, select, textarea';
            const field = wanted && (wanted.matches(controls) ? wanted : wanted.querySelector(controls));
            return {summary: active.classList.contains('error-summary'), field: Boolean(field) && active === field};
        }""",
        target,
    )


def assert_the_summary_has_focus_and_links_to_each_field(site) -> list[str]:
    """The summary has focus; each of its links moves focus to its field. Returns the summary's messages."""
    summary = site.page.locator(".error-summary")
    assert summary.is_visible()
    assert summary.get_by_role("heading", name="There is a problem").is_visible()
    assert focused(site)["summary"], "The error summary takes focus when the page loads"
    assert site.page.title().startswith("Error: "), "The page title says there is an error"

    links = summary.get_by_role("link").all()
    assert links, "The summary lists the errors"
    for link in links:
        target = link.get_attribute("href").removeprefix("#")
        link.click()
        assert focused(site, target)["field"], f"{link.inner_text()!r} moves focus to its field"
        field = site.page.locator(f"[id='{target}']")
        assert field.is_visible()
        assert field.evaluate("element => element.getBoundingClientRect().top >= 0")
    return [link.inner_text() for link in links]


def test_a_suspension_with_an_impossible_date_and_no_reason_keeps_what_was_typed(site, school, headteacher, pupil):
    site.sign_in(headteacher)
    site.go(reverse("suspensions:record", args=[pupil.pk]))
    page = site.page

    page.get_by_label("Start date").fill("31/02/2026")
    page.get_by_label("Length in sessions").fill("4")
    page.get_by_label("Incident summary").fill(INCIDENT)
    site.submit("Record the suspension")

    messages = assert_the_summary_has_focus_and_links_to_each_field(site)
    assert len(messages) == 2
    assert messages[0].startswith("Start date")
    assert messages[1].startswith("Reasons")
    # What was typed is still there, mistakes included, so only the mistakes need correcting.
    assert page.get_by_label("Start date").input_value() == "31/02/2026"
    assert page.get_by_label("Length in sessions").input_value() == "4"
    assert page.get_by_label("Incident summary").input_value() == INCIDENT
    assert page.get_by_label("Headteacher who decided").input_value() == str(
        headteacher.memberships.get(school=school).pk
    )
    # Each message beside its field starts with a visually hidden "Error:" for screen readers.
    for message in page.locator("main .error-message").all():
        assert message.locator(".visually-hidden").inner_text() == "Error:"
    assert page.get_by_label("Start date").get_attribute("aria-invalid") == "true"
    assert not Suspension.objects.filter(pupil=pupil).exists()

    # Corrected, it is recorded.
    page.get_by_label("Start date").fill("23/11/2026")
    page.get_by_label("DB: Persistent or general disruptive behaviour").check()
    site.submit("Record the suspension")
    assert Suspension.objects.filter(pupil=pupil).count() == 1
    assert site.page.locator(".error-summary").count() == 0


def test_a_goal_with_a_criterion_whose_target_is_not_a_number_keeps_the_whole_goal(
    site, school, headteacher, pastoral_lead, pupil
):
    plan = active_plan(pupil, headteacher, with_goal=False)
    site.sign_in(pastoral_lead)
    site.go(reverse("plans:goal_add", args=[plan.pk]))
    page = site.page

    def field(label: str):
        return page.get_by_label(label, exact=True)

    page.get_by_role("group", name="Area", exact=True).get_by_label("Behaviour", exact=True).check()
    field("What the pupil wants to achieve").fill("I want to stay in my lessons.")
    page.get_by_role("group", name="Who said this", exact=True).get_by_label("The pupil", exact=True).check()
    field("Where the pupil is now").fill("Sent out of five lessons last week.")
    field("What the pupil will do").fill("Use my time-out card.")
    field("Target date").fill("29/01/2027")
    field("Measure (criterion 1)").fill("On-call logs per week")
    page.get_by_role("group", name="Kind of measure (criterion 1)").get_by_label("A number", exact=True).check()
    field("Target number (criterion 1) (optional)").fill("fewer")
    field("Due date (criterion 1)").fill("11/12/2026")
    site.submit("Save the goal")

    messages = assert_the_summary_has_focus_and_links_to_each_field(site)
    assert any("Target number" in message for message in messages), messages
    assert field("What the pupil wants to achieve").input_value() == "I want to stay in my lessons."
    assert field("Measure (criterion 1)").input_value() == "On-call logs per week"
    assert field("Target number (criterion 1) (optional)").input_value() == "fewer"
    assert field("Due date (criterion 1)").input_value() == "11/12/2026"
    assert not Goal.objects.filter(plan=plan).exists()


def test_the_sign_in_page_keeps_the_user_name_after_a_wrong_password(site, school, teacher):
    site.go("/accounts/login/")
    site.page.get_by_label("User name").fill(teacher.username)
    site.page.get_by_label("Password").fill("not-the-password")
    site.submit("Sign in")

    assert site.page.locator(".error-summary").is_visible()
    assert focused(site)["summary"]
    assert site.page.get_by_label("User name").input_value() == teacher.username
    assert site.page.get_by_label("Password").input_value() == "", "A password is never sent back to the browser"

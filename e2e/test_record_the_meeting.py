"""Journey 4: the reintegration meeting, arranged and then recorded as held on the meeting template; and the same
record completed by keyboard alone, with a visible focus on every control."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from plans.models import Meeting
from testsupport.factories import ContactFactory
from testsupport.plans import activate
from testsupport.suspensions import record

LONDON = ZoneInfo("Europe/London")
PUPIL_VIEWS = "Jordan said the science lessons feel too loud and wants a seat near the door."
PARENT_VIEWS = "Ms Ashby supports the plan and asked for a weekly phone call."


@pytest.fixture
def plan(headteacher, pupil):
    """Jordan is suspended on Thursday 19/11/2026 for a day and returns on Friday 20/11/2026."""
    ContactFactory(pupil=pupil, name="Sam Ashby", relationship="Mother")
    return activate(record(pupil, start=date(2026, 11, 19), sessions=2, decided_by=headteacher).plan)


def test_the_pastoral_lead_arranges_the_meeting_and_after_it_records_who_came_and_their_views(
    site, frozen_time, pastoral_lead, pupil, plan
):
    site.sign_in(pastoral_lead)
    site.go(f"/plans/{plan.pk}/")
    site.follow("Arrange the meeting")

    page = site.page
    assert page.get_by_label("Date", exact=True).input_value() == "19/11/2026"  # the school day before the return
    assert page.get_by_label("Arranged").is_checked()
    assert page.get_by_label("Name (person 1)").input_value() == pupil.display_name
    assert page.get_by_label("Name (person 2)").input_value() == "Sam Ashby"
    page.get_by_label("Time").fill("15:30")
    page.get_by_label("Room or link (optional)").fill("Pastoral office")
    page.get_by_label("Name (person 3)").fill("Ms Patel")
    page.get_by_label("Role (person 3)").fill("Key adult")
    site.submit("Save the meeting")

    main = page.locator("main")
    assert "The meeting has been arranged for 19/11/2026 at 15:30." in main.inner_text()
    assert "Thursday 19/11/2026 at 15:30" in main.inner_text()

    # The meeting is over: the next morning, the pastoral lead signs in again and records it on the template.
    frozen_time.move_to(datetime(2026, 11, 20, 8, 15, tzinfo=LONDON))
    site.sign_in(pastoral_lead, next_path=f"/plans/{plan.pk}/")
    site.follow("Record the meeting")
    assert page.get_by_label("Held").is_checked()
    page.get_by_label("Attended (person 1)").select_option(label="Yes")
    page.get_by_label("Attended (person 2)").select_option(label="Yes")
    page.get_by_label("Attended (person 3)").select_option(label="No")
    page.get_by_label("The pupil's views (optional)").fill(PUPIL_VIEWS)
    page.get_by_label("The parents' or carers' views (optional)").fill(PARENT_VIEWS)
    site.submit("Save the meeting")

    assert "The meeting on 19/11/2026 has been recorded as held." in main.inner_text()
    people = main.get_by_role("table", name="Who was invited and who attended")
    assert [row.inner_text().split("\t") for row in people.locator("tbody tr").all()] == [
        [pupil.display_name, "Pupil", "Yes", "Yes"],
        ["Sam Ashby", "Mother", "Yes", "Yes"],
        ["Ms Patel", "Key adult", "Yes", "No"],
    ]

    site.follow("Print the reintegration record")
    record_page = page.locator("main").inner_text()
    assert PUPIL_VIEWS in record_page
    assert PARENT_VIEWS in record_page
    meeting = Meeting.objects.get(plan=plan)
    assert meeting.status == Meeting.Status.HELD
    assert meeting.location == "Pastoral office"


FOCUSED = """() => {
    const element = document.activeElement;
    const style = getComputedStyle(element);
    const label = element.labels && element.labels.length ? element.labels[0].innerText : element.innerText || "";
    return {
        id: element.id,
        tag: element.tagName.toLowerCase(),
        type: element.type || "",
        label: label.trim(),
        value: element.value === undefined ? "" : String(element.value),
        checked: Boolean(element.checked),
        outline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0
            && style.outlineColor !== "rgba(0, 0, 0, 0)" && style.outlineColor !== "transparent",
        shadow: style.boxShadow !== "none",
    };
}"""

# Every control of the form a keyboard user must be able to reach (radio groups are one tab stop: the checked one).
CONTROLS = """() => [...document.querySelectorAll(
        "main form input, main form select, main form textarea, main form button")]
    .filter(e => e.type !== "hidden" && (e.type !== "radio" || e.checked)).map(e => e.id || e.textContent.trim())"""


def press(page, key: str) -> dict:
    """Press a key and return the element that then has focus, which must show a visible focus indicator."""
    page.keyboard.press(key)
    focused = page.evaluate(FOCUSED)
    assert focused["tag"] != "body", f"{key} left the focus nowhere"
    assert focused["outline"] or focused["shadow"], f"No visible focus on {focused['tag']} {focused['label']!r}"
    return focused


def skip_to_main_content(site) -> None:
    """The first Tab reaches the skip link; Enter on it moves to the main content (the same page, at #main-content)."""
    assert press(site.page, "Tab")["label"] == "Skip to main content"
    site.page.keyboard.press("Enter")
    site.check(context="after the skip link")


def press_enter_and_load(site, *, context: str) -> None:
    with site.page.expect_navigation():
        site.page.keyboard.press("Enter")
    site.check(context=context)


def tab_to(page, tag: str, text: str, *, limit: int = 80) -> dict:
    """Tab forwards, checking the focus of every element passed, until the element with this text has the focus."""
    for _ in range(limit):
        focused = press(page, "Tab")
        if focused["tag"] == tag and focused["label"] == text:
            return focused
    raise AssertionError(f"Tabbing never reached the {tag} {text!r}")


def test_the_meeting_record_can_be_completed_by_keyboard_alone_with_a_visible_focus_on_every_control(
    site, frozen_time, pastoral_lead, pupil, plan
):
    from plans.services import meeting_save

    meeting_save(
        plan=plan,
        version=None,
        status=Meeting.Status.ARRANGED,
        scheduled_for=datetime(2026, 11, 19, 15, 30, tzinfo=LONDON),
        mode=Meeting.Mode.IN_PERSON,
        location="Pastoral office",
        pupil_views="",
        parent_views="",
        notes="",
        participants=[
            {"name": pupil.display_name, "role": "Pupil", "invited": True, "attended": None},
            {"name": "Sam Ashby", "role": "Mother", "invited": True, "attended": None},
        ],
    )
    frozen_time.move_to(datetime(2026, 11, 20, 8, 15, tzinfo=LONDON))
    site.sign_in(pastoral_lead)
    site.go(f"/plans/{plan.pk}/")
    page = site.page

    # From the top of the plan page: the skip link, then on through the content to "Record the meeting".
    skip_to_main_content(site)
    tab_to(page, "a", "Record the meeting")
    press_enter_and_load(site, context="the meeting form, reached by keyboard")
    assert page.get_by_role("heading", level=1).inner_text() == "The reintegration meeting"

    # Through the form: each control in turn, acting on those that need it.
    typing = {
        "id_participants-2-name": "Ms Patel",
        "id_participants-2-role": "Key adult",
        "id_pupil_views": PUPIL_VIEWS,
        "id_parent_views": "Ms Ashby supports the plan.",
        "id_notes": "Next review in two weeks.",
    }
    choices = {  # a closed select moves to the next option with the down arrow
        "id_participants-0-attended": ["ArrowDown"],  # Yes
        "id_participants-1-attended": ["ArrowDown"],  # Yes
        "id_participants-2-attended": ["ArrowDown", "ArrowDown"],  # No
    }
    reached: list[str] = []
    skip_to_main_content(site)
    for _ in range(80):
        focused = press(page, "Tab")
        if not page.evaluate("document.activeElement.closest('main form') !== null"):
            continue  # a link before the form
        reached.append(focused["id"] or focused["label"])
        if focused["id"] in typing:
            page.keyboard.type(typing[focused["id"]])
        for key in choices.get(focused["id"], []):
            page.keyboard.press(key)
        if focused["id"] == "id_notes":
            # Back to the parents' views to add what was forgotten, then on again.
            back = press(page, "Shift+Tab")
            assert back["id"] == "id_parent_views"
            page.keyboard.press("End")
            page.keyboard.type(" " + PARENT_VIEWS.removeprefix("Ms Ashby supports the plan. "))
            assert press(page, "Tab")["id"] == "id_notes"
        if focused["tag"] == "button":
            break
    assert focused["label"] == "Save the meeting"
    assert reached == page.evaluate(CONTROLS)
    assert page.get_by_label("Held").is_checked(), "Recording an arranged meeting starts at 'Held'"
    press_enter_and_load(site, context="after saving the meeting by keyboard")

    main = page.locator("main")
    assert "The meeting on 19/11/2026 has been recorded as held." in main.inner_text()
    meeting = Meeting.objects.get(plan=plan)
    assert meeting.status == Meeting.Status.HELD
    assert meeting.pupil_views == PUPIL_VIEWS
    assert meeting.parent_views == "Ms Ashby supports the plan. " + PARENT_VIEWS.removeprefix(
        "Ms Ashby supports the plan. "
    )
    assert meeting.notes == "Next review in two weeks."
    assert [(p.name, p.role, p.attended) for p in meeting.participants.order_by("pk")] == [
        (pupil.display_name, "Pupil", True),
        ("Sam Ashby", "Mother", True),
        ("Ms Patel", "Key adult", False),
    ]

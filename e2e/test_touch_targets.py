"""Touch targets (WCAG 2.2, 2.5.8 Target Size (Minimum)): actions that sit together are each big enough, and far
enough apart, to be pressed on their own, at a phone's 320 px and at a desktop's 1280 px, whatever the font.

The dashboard's "Meetings to arrange" table offers two actions per pupil, one above the other. With the links
stacked by a line break they sat closer than 24 px on a machine whose fonts differed from the one they were first
tested on. They are now a list of actions (.actions-list) whose targets are at least 24 px tall, which does not
depend on the font: each check below runs with both fonts `make e2e` installs, as well as the stylesheet's own.
"""

from __future__ import annotations

from datetime import date

import pytest

from e2e.conftest import AXE
from testsupport.factories import PupilFactory
from testsupport.suspensions import record

PHONE = {"width": 320, "height": 640}
DESKTOP = {"width": 1280, "height": 900}
ACTIONS = "#arrange ~ .table-wrap td .actions-list a"

TARGET_SIZE = """async (selector) => {
  const result = await axe.run(document, {runOnly: {type: 'rule', values: ['target-size']}});
  const names = (nodes) => nodes.map((node) => node.target.join(' '));
  const links = [...document.querySelectorAll(selector)];
  const checked = result.passes.flatMap((rule) => rule.nodes)
    .filter((node) => links.includes(document.querySelector(node.target.join(' ')))).length;
  return {violations: result.violations.flatMap((rule) => names(rule.nodes)), checked, links: links.length};
}"""

BOXES = """(selector) => [...document.querySelectorAll(selector)].map((link) => {
  const box = link.getBoundingClientRect();
  return {text: link.textContent.trim(), top: box.top, bottom: box.bottom, height: box.height, width: box.width};
})"""


@pytest.fixture
def meetings_to_arrange(headteacher, school):
    """Three pupils suspended for a day, each with a plan and no meeting arranged yet."""
    pupils = [PupilFactory(school=school, legal_first_name=name) for name in ("Avery", "Blake", "Casey")]
    for day, pupil in enumerate(pupils, start=16):
        record(pupil, start=date(2026, 11, day), sessions=2, decided_by=headteacher)
    return pupils


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["320px", "1280px"])
def test_the_actions_for_each_meeting_to_arrange_are_targets_of_their_own_at_any_width_and_in_any_font(
    site, pastoral_lead, meetings_to_arrange, viewport
):
    site.page.set_viewport_size(viewport)
    site.sign_in(pastoral_lead)  # the dashboard, checked with every axe rule in the stylesheet's own font
    page = site.page
    assert page.locator("#arrange").is_visible()

    widths = {}
    for font in ("", "Liberation Sans", "DejaVu Sans"):
        # Set through the CSS object model, which the content security policy allows (an inline <style> it would not).
        page.evaluate("(font) => { document.body.style.fontFamily = font; }", font)
        widths[font] = page.locator(ACTIONS).first.evaluate("(link) => link.getBoundingClientRect().width")

        page.evaluate(AXE)
        result = page.evaluate(TARGET_SIZE, ACTIONS)
        assert result["links"] == 2 * len(meetings_to_arrange), result
        assert result["checked"] == result["links"], f"axe did not check every action in {font or 'the page font'}"
        assert result["violations"] == [], f"target-size in {font or 'the page font'} at {viewport['width']} px"

        boxes = page.evaluate(BOXES, ACTIONS)
        for box in boxes:
            assert box["height"] >= 24, box
        for first, second in zip(boxes[::2], boxes[1::2], strict=True):
            assert second["top"] - first["bottom"] >= 8, (first, second)

    # Both fonts were really drawn: had one been missing, the browser would have fallen back to the same face twice.
    assert widths["Liberation Sans"] != widths["DejaVu Sans"], widths
    assert widths[""] == widths["Liberation Sans"], "the stylesheet's first font is Liberation Sans"

"""Reflow (WCAG 1.4.10) and 200% zoom (WCAG 1.4.4): every HTML page of the product on a 320 CSS px wide screen.

A phone held upright in a corridor is 320 CSS pixels wide; a laptop at 1280 px zoomed to 200% lays pages out in
640 CSS pixels. At both widths no page may scroll sideways. A wide data table may scroll inside its own box
(.table-wrap), which WCAG allows for data tables, but the page itself must not. At 320 px every page is also checked
with axe and the structural checks (site.check), since content that reflows can break in new ways.

The headteacher may open every page, so the pages are opened as the headteacher, over realistic records
(testsupport/records.py): a suspension, an active plan with a meeting, a goal, a review, a part-time timetable, the
duties, the board's notice and a letter issued to the family.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse

from reintegrate.tests.permission_matrix import MATRIX, project_routes
from testsupport.records import SchoolRecords, build_school_records

PHONE = {"width": 320, "height": 640}
ZOOMED = {"width": 640, "height": 450}  # 1280 x 900 at 200%

# Whether the page scrolls sideways, and which elements stick out of the viewport without being inside a box that
# scrolls by itself. Visually hidden text (1 px) and the skip link (off to the left until focused) are left out.
SIDEWAYS = """() => {
  const width = document.documentElement.clientWidth;
  const inScrollingBox = (element) => {
    for (let parent = element.parentElement; parent && parent !== document.body; parent = parent.parentElement) {
      if (getComputedStyle(parent).overflowX !== 'visible') return true;
    }
    return false;
  };
  const describe = (element) => {
    const names = typeof element.className === 'string' ? element.className.trim().split(/\\s+/) : [];
    const classes = names.filter(Boolean).map((name) => '.' + name).join('');
    const text = (element.textContent || '').trim().replace(/\\s+/g, ' ').slice(0, 40);
    const right = Math.round(element.getBoundingClientRect().right);
    return `${element.tagName.toLowerCase()}${classes} (right edge ${right} px) "${text}"`;
  };
  const sticking = [...document.querySelectorAll('body *')].filter((element) => {
    const box = element.getBoundingClientRect();
    return box.width > 1 && box.right > width + 1 && !inScrollingBox(element);
  });
  return {
    width,
    scrollWidth: Math.max(document.documentElement.scrollWidth, document.body.scrollWidth),
    sticking: sticking.slice(0, 5).map(describe),
  };
}"""

Path = Callable[[SchoolRecords], str]


def _url(name: str, *args: Any) -> Path:
    return lambda records: reverse(name, args=[arg(records) if callable(arg) else arg for arg in args])


# Every HTML page a signed-in headteacher can open, by route name (downloads are files, not pages).
PAGES: dict[str, Path] = {
    "dashboard:home": _url("dashboard:home"),
    "dashboard:figures": _url("dashboard:figures"),
    "schools:calendar": _url("schools:calendar"),
    "schools:term_edit": _url("schools:term_edit", lambda r: r.term.pk),
    "schools:non_school_day_add": _url("schools:non_school_day_add"),
    "schools:non_school_day_delete": _url("schools:non_school_day_delete", lambda r: r.non_school_day.pk),
    "schools:academic_year_add": _url("schools:academic_year_add"),
    "schools:settings": _url("schools:settings"),
    "schools:switch": _url("schools:switch"),
    "pupils:list": _url("pupils:list"),
    "pupils:detail": _url("pupils:detail", lambda r: r.pupil.pk),
    "pupils:subject_access": _url("pupils:subject_access", lambda r: r.pupil.pk),
    "pupils:previous_school_add": _url("pupils:previous_school_add", lambda r: r.pupil.pk),
    "pupils:previous_school_delete": _url(
        "pupils:previous_school_delete", lambda r: r.pupil.pk, lambda r: r.previous_school_entry.pk
    ),
    "audit:pupil": _url("audit:pupil", lambda r: r.pupil.pk),
    "suspensions:record": _url("suspensions:record", lambda r: r.pupil.pk),
    "suspensions:detail": _url("suspensions:detail", lambda r: r.suspension.pk),
    "suspensions:cancel": _url("suspensions:cancel", lambda r: r.suspension.pk),
    "plans:detail": _url("plans:detail", lambda r: r.plan.pk),
    "plans:edit": _url("plans:edit", lambda r: r.plan.pk),
    "plans:meeting": _url("plans:meeting", lambda r: r.plan.pk),
    "plans:meeting_record": _url("plans:meeting_record", lambda r: r.plan.pk),
    "plans:no_meeting": _url("plans:no_meeting", lambda r: r.plan.pk),
    "plans:goal_add": _url("plans:goal_add", lambda r: r.plan.pk),
    "plans:goal_edit": _url("plans:goal_edit", lambda r: r.goal.pk),
    "plans:review_add": _url("plans:review_add", lambda r: r.plan.pk),
    "plans:review_detail": _url("plans:review_detail", lambda r: r.review.pk),
    "plans:part_time_add": _url("plans:part_time_add", lambda r: r.plan.pk),
    "plans:part_time_end": _url("plans:part_time_end", lambda r: r.timetable.pk),
    "duties:list": _url("duties:list"),
    "duties:complete": _url("duties:complete", lambda r: r.duty.pk),
    "duties:board": _url("duties:board", lambda r: r.suspension.pk),
    "documents:letter": _url("documents:letter", lambda r: r.suspension.pk, "suspension_notice"),
    "documents:issued": _url("documents:issued", lambda r: r.issued.pk),
    "documents:letterhead": _url("documents:letterhead"),
    "documents:templates": _url("documents:templates"),
    "documents:template_upload": _url("documents:template_upload", "suspension_notice"),
    "evidence:register_check": _url("evidence:register_check"),
    "imports:home": _url("imports:home"),
    "imports:history": _url("imports:history"),
    "imports:upload": _url("imports:upload", "pupils"),
    "imports:job": _url("imports:job", lambda r: r.import_job.pk),
    "imports:columns": _url("imports:columns", lambda r: r.import_job.pk),
    "api_tokens:list": _url("api_tokens:list"),
    "api_tokens:create": _url("api_tokens:create"),
    "api_tokens:revoke": _url("api_tokens:revoke", lambda r: r.api_token.pk),
    "accounts:enrol": _url("accounts:enrol"),
    "accounts:recovery_codes": _url("accounts:recovery_codes"),
}
# Pages shown before the code is entered: reached on the way in, while signing in at 320 px.
SIGN_IN_PAGES = {"login", "accounts:verify"}
# Reached only before the code is entered, with a recovery code instead: covered in test_every_other_page.py.
ELSEWHERE = {"accounts:recover"}
# A GET on these only sends the user on to another page (their buttons POST).
REDIRECT_ONLY = {
    "documents:issued_retry",
    "documents:template_reset",
    "imports:apply",
    "imports:cancel",
    "api_tokens:created",  # the new token is shown once, straight after it is made (e2e/test_import_from_the_mis.py)
}
# Not HTML: the API's JSON index.
NOT_HTML = {"api-v1:api-root"}

GROUPS: dict[str, list[str]] = {
    "the dashboard, the figures and the school's own pages": [
        name for name in PAGES if name.startswith(("dashboard:", "schools:", "accounts:"))
    ],
    "a pupil's pages and their suspension": [name for name in PAGES if name.startswith(("pupils:", "audit:", "susp"))],
    "the reintegration plan's pages": [name for name in PAGES if name.startswith("plans:")],
    "duties, letters and the letter templates": [name for name in PAGES if name.startswith(("duties:", "documents:"))],
    "imports, the register check and the API tokens": [
        name for name in PAGES if name.startswith(("imports:", "evidence:", "api_tokens:"))
    ],
}


def _is_download(name: str) -> bool:
    """Files (PDF, Word, calendar invitations) end in an extension: documents/template/blank.pdf."""
    pattern = next(str(route.pattern) for route in project_routes() if route.name == name)
    return "." in pattern.rstrip("/").rsplit("/", 1)[-1]


def _assert_no_sideways_scrolling(site: Any, where: str) -> None:
    result = site.page.evaluate(SIDEWAYS)
    assert result["scrollWidth"] <= result["width"], (
        f"{where} scrolls sideways at {result['width']} px: the page is {result['scrollWidth']} px wide; "
        f"sticking out: {result['sticking']}"
    )
    assert not result["sticking"], f"{where} at {result['width']} px: elements stick out: {result['sticking']}"


def test_the_list_of_pages_holds_every_html_page_of_the_product():
    html_routes = {
        route.name
        for route in MATRIX
        if "GET" in route.methods and route.name != "healthz" and not _is_download(route.name)
    }

    listed = set(PAGES) | SIGN_IN_PAGES | ELSEWHERE | REDIRECT_ONLY | NOT_HTML
    assert html_routes - listed == set(), "Pages missing from the reflow test's list"
    assert listed - html_routes == set(), "Pages in the reflow test's list that are not routes"
    assert set().union(*GROUPS.values()) == set(PAGES), "Every listed page belongs to a group"


@pytest.mark.parametrize("group", list(GROUPS))
def test_every_page_reflows_at_320_pixels_and_at_200_percent_zoom(site, school, headteacher, group):
    records = build_school_records(school, headteacher)
    site.page.set_viewport_size(PHONE)
    site.sign_in(headteacher)  # the sign-in page and the code page, at 320 px
    _assert_no_sideways_scrolling(site, "The page after signing in")

    for name in GROUPS[group]:
        path = PAGES[name](records)
        site.page.set_viewport_size(PHONE)
        site.go(path)
        assert site.page.url.endswith(path), f"{name}: expected {path}, reached {site.page.url}"
        _assert_no_sideways_scrolling(site, name)
        site.page.set_viewport_size(ZOOMED)
        _assert_no_sideways_scrolling(site, f"{name} at 200% zoom")


def test_the_sign_in_pages_and_the_page_not_found_reflow_at_320_pixels(site, school, headteacher):
    site.page.set_viewport_size(PHONE)
    site.go("/accounts/login/")
    _assert_no_sideways_scrolling(site, "The sign-in page")
    site.page.get_by_label("User name").fill("nobody-here")
    site.page.get_by_label("Password").fill("not-the-password")
    site.submit("Sign in")
    assert site.page.locator(".error-summary").is_visible()
    _assert_no_sideways_scrolling(site, "The sign-in page with an error")

    site.sign_in(headteacher)
    site.go("/pupils/987654321/")
    assert site.page.get_by_role("heading", level=1).inner_text() == "Page not found"
    _assert_no_sideways_scrolling(site, "The page not found")
    # The browser reports the 404 status of the page itself in its console: that one is expected.
    assert site.console_errors == ["Failed to load resource: the server responded with a status of 404 (Not Found)"]
    site.console_errors.clear()


def test_a_wide_table_scrolls_in_its_own_box_which_keyboard_users_can_reach(site, school, headteacher):
    records = build_school_records(school, headteacher)
    site.page.set_viewport_size(PHONE)
    site.sign_in(headteacher)
    site.go(reverse("pupils:detail", args=[records.pupil.pk]))

    boxes = site.page.locator(".table-wrap[tabindex='0'][role='region']")
    assert boxes.count() >= 1, "No table scrolls in its own box at 320 px on the pupil's page"
    first = boxes.first
    assert first.evaluate("box => box.scrollWidth > box.clientWidth")
    assert first.get_attribute("aria-labelledby") or first.get_attribute("aria-label")
    first.focus()
    site.page.keyboard.press("ArrowRight")
    site.page.wait_for_function("box => box.scrollLeft > 0", arg=first.element_handle())

    site.page.set_viewport_size({"width": 1280, "height": 900})
    site.page.wait_for_function("() => !document.querySelector('.table-wrap[tabindex]')")

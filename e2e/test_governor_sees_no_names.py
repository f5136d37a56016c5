"""Journey 9: a governor opens the reports and sees the school's figures, never a pupil's name or UPN.

Governors hold the school to account through aggregate figures. Pupils with distinctive (fictional) names are
suspended first; the governor then opens every page they can reach, and none of the names or UPNs appears in any
of them: not in the text, the page title or the markup.
"""

from __future__ import annotations

from datetime import date

from django.urls import reverse

from testsupport.factories import PupilFactory
from testsupport.records import build_school_records
from testsupport.suspensions import record

# Distinctive fictional names, so that a match can only mean the page shows the pupil.
NAMES = [("Thaddeus", "Quillfeather"), ("Philippa", "Wrenshaw-Dunmore"), ("Barnaby", "Oakenfold")]


def row_values(site, label: str) -> list[str]:
    """The cells of the figures table's row with this heading."""
    row = site.page.locator("main tr", has=site.page.get_by_role("rowheader", name=label, exact=True)).first
    return [cell.strip() for cell in row.locator("td").all_inner_texts()]


def test_a_governor_opens_the_figures_and_sees_no_pupil_names_or_upns(site, school, headteacher, governor):
    pupils = [build_school_records(school, headteacher, first_name="Ignatius", last_name="Pemberton-Vale").pupil]
    for first, last in NAMES:
        pupil = PupilFactory(school=school, legal_first_name=first, legal_last_name=last)
        record(pupil, start=date(2026, 11, 16), sessions=2, decided_by=headteacher)
        pupils.append(pupil)
    identifying = [value for pupil in pupils for value in (pupil.legal_first_name, pupil.legal_last_name, pupil.upn)]

    site.sign_in(governor)  # a governor's home page is the figures

    assert site.page.url.endswith(reverse("dashboard:figures"))
    assert site.page.get_by_role("heading", level=1).inner_text() == "Suspension and reintegration figures"
    assert row_values(site, "Suspensions (including lunchtime)")[0] == "4", "Four suspensions this autumn term"
    assert row_values(site, "Pupils suspended")[0] == "4"
    seen = {"figures": site.page.content()}

    # The navigation offers the governor the figures only. The dashboard's address, and the pages every member of
    # staff has (switching school, recovery codes), are opened too.
    links = site.page.get_by_role("navigation", name="Main").get_by_role("link").all()
    assert [link.inner_text() for link in links] == ["Figures"]

    for path in (reverse("dashboard:home"), reverse("schools:switch"), reverse("accounts:recovery_codes")):
        site.go(path)
        seen[path] = site.page.content()

    for place, html in seen.items():
        shown = [value for value in identifying if value in html]
        assert shown == [], f"The governor sees {shown} on {place}"


def test_a_governor_who_opens_a_pupils_page_is_refused_without_learning_the_name(site, school, headteacher, governor):
    records = build_school_records(school, headteacher, first_name="Ignatius", last_name="Pemberton-Vale")
    site.sign_in(governor)

    for path in (
        reverse("pupils:list"),
        reverse("pupils:detail", args=[records.pupil.pk]),
        reverse("plans:detail", args=[records.plan.pk]),
    ):
        site.go(path)
        assert site.page.get_by_role("heading", level=1).inner_text() == "You cannot see this page"
        html = site.page.content()
        assert "Ignatius" not in html
        assert "Pemberton-Vale" not in html
        assert records.pupil.upn not in html

    # The browser reports each refused page's status in its console: those are expected, nothing else.
    assert site.console_errors == ["Failed to load resource: the server responded with a status of 403 (Forbidden)"] * 3
    site.console_errors.clear()

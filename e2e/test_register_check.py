"""The register check in the browser: the office compares the imported register with the suspensions recorded."""

from __future__ import annotations

from datetime import date

from evidence.models import AttendanceMark


def test_the_office_sees_an_e_mark_without_a_suspension_and_can_change_the_dates(site, office, pupil):
    AttendanceMark.objects.create(school=pupil.school, pupil=pupil, date=date(2026, 11, 10), session="am", code="E")
    site.sign_in(office)

    site.go("/evidence/register-check/")

    main = site.page.locator("main")
    assert "Marked E, but no suspension is recorded" in main.inner_text()
    site.page.get_by_label("From").fill("11/11/2026")
    site.page.get_by_label("To").fill("18/11/2026")
    site.submit("Check these dates")
    assert "No register marks have been imported for these dates." in site.page.locator("main").inner_text()

"""Journey 2: recording a suspension from the pupil page, and seeing its return date and statutory duties."""

from __future__ import annotations

from duties.models import Duty
from suspensions.models import Suspension


def fill_in_the_suspension(page, *, start: str, sessions: str, reasons: list[str], incident: str) -> None:
    page.get_by_label("Suspension", exact=True).check()
    page.get_by_label("Start date").fill(start)
    page.get_by_label("Morning").check()
    page.get_by_label("Length in sessions").fill(sessions)
    for reason in reasons:
        page.get_by_label(reason).check()
    page.get_by_label("Incident summary").fill(incident)


def test_the_headteacher_records_a_suspension_and_sees_the_return_date_and_the_duties(site, headteacher, pupil):
    site.sign_in(headteacher)
    site.go(f"/pupils/{pupil.pk}/")
    site.follow("Record a suspension")

    fill_in_the_suspension(
        site.page,
        start="23/11/2026",
        sessions="6",
        reasons=[
            "DB: Persistent or general disruptive behaviour",
            "VA: Verbal abuse or threatening behaviour against an adult",
        ],
        incident="Fictional incident: shouted at a member of staff and left the lesson.",
    )
    site.submit("Record the suspension")

    page = site.page
    main = page.locator("main")
    assert page.get_by_role("heading", level=1).inner_text() == "Suspension from 23/11/2026"
    assert "Suspension recorded. Jordan returns on Thursday 26/11/2026, morning." in main.inner_text()
    assert "3 days" in main.inner_text()
    assert "Wednesday 25/11/2026" in main.inner_text()  # the last day
    duties = main.get_by_role("table", name="Statutory duties")
    assert "Tell the parents by phone or in person" in duties.inner_text()
    assert "Write to the parents" in duties.inner_text()
    duty_rows = duties.locator("tbody tr").count()
    assert f"{duty_rows} statutory duties were created" in main.inner_text()

    suspension = Suspension.objects.get(pupil=pupil)
    assert (suspension.start_date.isoformat(), suspension.sessions) == ("2026-11-23", 6)
    assert sorted(suspension.reasons.values_list("code", flat=True)) == ["DB", "VA"]
    assert suspension.decided_by == headteacher
    assert Duty.objects.filter(suspension=suspension).count() == duty_rows


def test_the_office_records_a_suspension_the_headteacher_decided(site, headteacher, office, pupil):
    site.sign_in(office)
    site.go(f"/pupils/{pupil.pk}/")
    site.follow("Record a suspension")

    page = site.page
    decided_by = page.get_by_label("Headteacher who decided")
    assert decided_by.evaluate("select => select.selectedOptions[0].text") == headteacher.get_full_name()
    fill_in_the_suspension(
        page,
        start="19/11/2026",
        sessions="2",
        reasons=["DM: Damage to property"],
        incident="Fictional incident: broke a window in the science block.",
    )
    site.submit("Record the suspension")

    main = page.locator("main")
    assert "Suspension recorded. Jordan returns on Friday 20/11/2026, morning." in main.inner_text()
    assert "Write to the parents" in main.get_by_role("table", name="Statutory duties").inner_text()
    suspension = Suspension.objects.get(pupil=pupil)
    assert (suspension.decided_by, suspension.recorded_by) == (headteacher, office)

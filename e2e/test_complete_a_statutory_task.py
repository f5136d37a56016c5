"""Journey 8: from the Duties page, the office records a statutory duty as done (how, when, the evidence) and then
sees it done."""

from __future__ import annotations

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

from duties.models import Duty
from testsupport.suspensions import record

EVIDENCE = "Spoke to Sam Ashby (mother) on 01632 960000; she will bring Jordan back on Monday."


def test_the_office_records_from_the_duties_page_that_the_parents_were_told_and_sees_it_done(
    site, headteacher, office, pupil
):
    suspension = record(pupil, start=date(2026, 11, 19), sessions=4, decided_by=headteacher)
    site.sign_in(office)
    page = site.page
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Duties").click()
    site.check(context="the Duties page, from the main navigation")
    assert page.get_by_role("heading", level=1).inner_text() == "Statutory duties"

    duties = page.locator("main").get_by_role("table")
    told = duties.locator("tbody tr").filter(has_text="Tell the parents by phone or in person")
    assert "Due today" in told.text_content()
    told.get_by_role("link", name=re.compile(r"^Record as done")).click()
    site.check(context="recording the duty")
    assert page.get_by_role("heading", level=1).inner_text() == "Tell the parents by phone or in person"

    page.get_by_role("group", name="How was it done?").get_by_label("Phone call").check()
    page.get_by_label("Date it was done").fill("18/11/2026")
    page.get_by_label("Time it was done").fill("09:15")
    page.get_by_label("Evidence (optional)").fill(EVIDENCE)
    site.submit("Record as done")

    main = page.locator("main")
    assert f"Recorded as done: Tell the parents by phone or in person for {pupil.display_name}." in main.inner_text()
    assert "Tell the parents by phone or in person" not in main.get_by_role("table").inner_text()  # no longer to do

    page.get_by_label("Status").select_option(label="Done")
    site.submit("Filter")
    done = main.get_by_role("table").locator("tbody tr").filter(has_text="Tell the parents by phone or in person")
    assert "Done 18/11/2026 at 09:15" in done.inner_text()
    assert "(phone call)" in done.inner_text()
    assert EVIDENCE in done.inner_text()

    duty = Duty.objects.get(suspension=suspension, kind=Duty.Kind.PARENTS_TOLD)
    assert (duty.status, duty.method, duty.done_by) == (Duty.Status.DONE, Duty.Method.PHONE, office)
    assert duty.done_at == datetime(2026, 11, 18, 9, 15, tzinfo=ZoneInfo("Europe/London"))

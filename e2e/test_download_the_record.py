"""Journey 7: the record, downloaded and printed; the notice of suspension issued; the family invited by email.

The meeting record (PDF and Word), the whole plan and "My return plan" are downloaded from the pupil page and from
the plan page and read back as a person would; the blank template is downloaded to print; the notice of suspension
is previewed and saved to print; the invitation to an arranged meeting is emailed to the family.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core import mail

from documents.models import IssuedDocument, LetterKind
from duties.models import Duty
from plans.models import Meeting
from plans.services import meeting_save
from testsupport.documents import docx_text, pdf_text
from testsupport.factories import ContactFactory
from testsupport.plans import active_plan
from testsupport.suspensions import record

LONDON = ZoneInfo("Europe/London")
PUPIL_VIEWS = "Jordan wants to sit near the door in science."
WORK = "Work for each lesson is on the school's online classroom; send it back each evening to be marked."


@pytest.fixture
def mother(pupil):
    return ContactFactory(pupil=pupil, name="Sam Ashby", relationship="Mother", email="sam.ashby@family.example")


def download(site, link: str) -> tuple[str, bytes]:
    """Follow a download link in the main content: the file's suggested name and its bytes."""
    with site.page.expect_download() as event:
        site.page.locator("main").get_by_role("link", name=link, exact=True).click()
    downloaded = event.value
    return downloaded.suggested_filename, Path(downloaded.path()).read_bytes()


def meeting(plan, status: str, *, day: date, hour: int, pupil_views: str = "") -> Meeting:
    return meeting_save(
        plan=plan,
        version=None,
        status=status,
        scheduled_for=datetime(day.year, day.month, day.day, hour, 0, tzinfo=LONDON),
        mode=Meeting.Mode.IN_PERSON,
        location="Pastoral office",
        pupil_views=pupil_views,
        parent_views="",
        notes="",
        participants=[{"name": "Jordan Ashby", "role": "Pupil", "invited": True, "attended": True}],
    )


def test_the_pastoral_lead_downloads_the_record_from_the_pupil_page_and_the_plan_page_and_prints_it(
    site, headteacher, pastoral_lead, pupil, mother
):
    plan = active_plan(pupil, headteacher)
    meeting(plan, Meeting.Status.HELD, day=date(2026, 11, 10), hour=15, pupil_views=PUPIL_VIEWS)
    name = pupil.display_name
    site.sign_in(pastoral_lead)
    site.go(f"/pupils/{pupil.pk}/")

    filename, content = download(site, "PDF of the meeting record")
    assert filename.endswith(".pdf")
    assert name in pdf_text(content)
    assert PUPIL_VIEWS in pdf_text(content)
    filename, content = download(site, "Word version of the meeting record")
    assert filename.endswith(".docx")
    assert name in docx_text(content)
    assert PUPIL_VIEWS in docx_text(content)
    _, content = download(site, "PDF of the whole plan")
    assert name in pdf_text(content)
    assert "On-call logs per week" in pdf_text(content)
    _, content = download(site, "PDF of My return plan")
    assert "My return plan" in pdf_text(content)
    assert pupil.first_name in pdf_text(content)
    # The blank template, to print and fill in by hand: nobody's name in it.
    filename, content = download(site, "PDF of the blank template")
    assert filename.endswith(".pdf")
    assert "Reintegration" in pdf_text(content)
    assert pupil.last_name not in pdf_text(content)

    site.go(f"/plans/{plan.pk}/")
    _, content = download(site, "PDF of the meeting record")
    assert name in pdf_text(content)
    _, content = download(site, "Word version of the whole plan")
    assert name in docx_text(content)
    assert "On-call logs per week" in docx_text(content)
    _, content = download(site, "Word version of My return plan")
    assert pupil.first_name in docx_text(content)

    site.follow("Print the reintegration record")
    page = site.page
    assert PUPIL_VIEWS in page.locator("main").inner_text()
    page.evaluate("window.print = () => { document.body.dataset.printed = 'yes'; }")  # no print dialog when headless
    page.get_by_role("button", name="Print this record").click()
    assert page.evaluate("document.body.dataset.printed") == "yes"


def test_the_office_issues_the_notice_of_suspension_from_the_pupil_page_and_prints_it(
    site, headteacher, office, pupil, mother
):
    suspension = record(pupil, start=date(2026, 11, 19), sessions=4, decided_by=headteacher)
    site.sign_in(office)
    site.go(f"/pupils/{pupil.pk}/")
    site.follow(re.compile(r"^Issue the notice\W+notice of suspension$"))

    page = site.page
    assert page.get_by_label("Sam Ashby (Mother): sam.ashby@family.example").is_checked()
    page.get_by_label("Time to arrive").fill("08:30")
    page.get_by_label("How work will be set and marked").fill(WORK)
    site.submit("Update the preview")
    preview = page.locator("main section.letter-preview").inner_text()
    assert f"Suspension of {pupil.display_name}" in preview
    assert "at 8:30am" in preview
    assert WORK in preview
    site.submit("Save and print instead")

    main = page.locator("main")
    assert page.get_by_role("heading", level=1).inner_text() == "Notice of suspension"
    assert "Notice of suspension saved. Download the PDF below, print it and post it or hand it over." in (
        main.inner_text()
    )
    assert "Write to the parents: done" in main.inner_text()
    with page.expect_download() as event:
        main.get_by_role("link", name="Download the PDF of the notice of suspension").click()
    assert pupil.display_name in pdf_text(Path(event.value.path()).read_bytes())

    document = IssuedDocument.objects.get(pupil=pupil)
    assert (document.kind, document.channel) == (LetterKind.SUSPENSION_NOTICE, IssuedDocument.Channel.PRINT)
    assert Duty.objects.get(suspension=suspension, kind=Duty.Kind.PARENTS_LETTER).status == Duty.Status.DONE


def test_the_pastoral_lead_invites_the_family_to_the_arranged_meeting_by_email(
    site, headteacher, pastoral_lead, pupil, mother
):
    plan = record(pupil, start=date(2026, 11, 19), sessions=2, decided_by=headteacher).plan
    meeting(plan, Meeting.Status.ARRANGED, day=date(2026, 11, 19), hour=15)
    site.sign_in(pastoral_lead)
    site.go(f"/plans/{plan.pk}/")
    site.follow("Invite the family")

    page = site.page
    page.get_by_label("Who will attend, and why").fill(
        "Ms Patel, head of year 9, who knows Jordan well.\nMr Okafor, the SENCO."
    )
    site.submit("Update the preview")
    assert "Ms Patel, head of year 9" in page.locator("main section.letter-preview").inner_text()
    site.submit("Send by email")

    main = page.locator("main")
    assert "Invitation to the reintegration meeting emailed to Sam Ashby." in main.inner_text()
    emails = main.get_by_role("table", name="The emails of this letter, one to each person").inner_text()
    assert "sam.ashby@family.example" in emails
    assert "Sent" in emails
    assert [message.to for message in mail.outbox] == [["sam.ashby@family.example"]]
    assert pupil.first_name in mail.outbox[0].body

"""Every page the other journeys do not reach, driven as the people who use it would, and so checked with axe.

The school calendar and its forms, school settings, switching school, the letterhead and letter templates, the
governing board's record, a pupil's audit trail and subject access, days at a previous school, cancelling a
suspension, a review's record, part-time timetables, "no meeting will be held", setting up two-factor
authentication and recovery codes, the lockout page, the dashboard and figures, and the pages for 403 and 404.
"""

from __future__ import annotations

import io
import zipfile
from datetime import date
from typing import Any

from django.template.loader import render_to_string
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from documents.letter_templates import default_template
from documents.models import LetterKind, LetterTemplate
from duties.models import BoardConsideration
from plans.models import PartTimeTimetable
from pupils.models import PreviousSchoolSuspension
from schools.models import AcademicYear, NonSchoolDay, Role
from suspensions.models import Suspension
from testsupport.factories import MembershipFactory, PupilFactory
from testsupport.records import build_school_records
from testsupport.suspensions import record

PASSWORD = "correct-horse-battery"  # testsupport.factories.UserFactory
BOARDS = "board\u2019s"  # the pages write the apostrophe as a typographer would


def nav(site: Any, name: str) -> None:
    """Follow a link of the main navigation in the header, and check where it leads."""
    site.page.get_by_role("navigation", name="Main").get_by_role("link", name=name).click()
    site.check(context=f"after the navigation link {name!r}")


def notice(site: Any) -> str:
    """The success or warning messages shown at the top of the page."""
    return " ".join(site.page.locator("main .notification").all_inner_texts())


def main_text(site: Any) -> str:
    return site.page.locator("main").inner_text()


def h1(site: Any) -> str:
    return site.page.get_by_role("heading", level=1).inner_text()


def expect_page_status(site: Any, status: int, times: int = 1) -> None:
    """The browser logs the status of a refused page in its console: that one error is expected, nothing else."""
    texts = {404: "404 (Not Found)", 403: "403 (Forbidden)", 429: "429 (Too Many Requests)"}
    expected = f"Failed to load resource: the server responded with a status of {texts[status]}"
    assert site.console_errors == [expected] * times
    site.console_errors.clear()


# --- The school: calendar, settings, switching school, the dashboard and figures ------------------------------


def test_the_office_keeps_the_school_calendar_the_same_as_the_published_one(site, school, office):
    site.sign_in(office)
    nav(site, "School calendar")
    assert site.page.get_by_role("heading", name="School year 2026/27").is_visible()

    site.follow("Change the dates of the Autumn 2026 term")
    assert site.page.get_by_label("First day of term").input_value() == "03/09/2026"
    site.page.get_by_label("First day of term").fill("02/09/2026")
    site.submit("Save the term dates")
    assert "02/09/2026" in site.page.get_by_role("table", name="Terms in 2026/27").inner_text()

    site.follow("Add a non-school day")
    site.page.get_by_label("First day").fill("27/11/2026")
    site.page.get_by_label("INSET (training) day").check()
    site.page.get_by_label("Description").fill("Staff training: safeguarding")
    site.submit("Add the non-school day")
    assert "Staff training: safeguarding" in main_text(site)
    added = NonSchoolDay.objects.get(school=school, description="Staff training: safeguarding")
    assert added.start_date == added.end_date == date(2026, 11, 27)

    site.follow("Delete the non-school day of 27/11/2026")
    assert "Staff training: safeguarding" in main_text(site)
    site.submit("Delete the non-school day")
    assert not NonSchoolDay.objects.filter(pk=added.pk).exists()
    assert "Staff training: safeguarding" not in main_text(site)

    site.follow("Add the school year 2027/28")
    site.submit("Add the school year 2027/28")
    assert site.page.get_by_role("heading", name="School year 2027/28").is_visible()
    assert AcademicYear.objects.filter(school=school, start_date__year=2027).exists()


def test_a_headteacher_of_two_schools_switches_school_reads_the_figures_and_changes_the_settings(
    site, school, other_school, headteacher
):
    build_school_records(school, headteacher)
    MembershipFactory(user=headteacher, school=other_school, role=Role.HEADTEACHER)
    site.sign_in(headteacher)

    nav(site, "Switch school")
    site.page.get_by_label("Larkfield Academy").check()
    site.submit("Continue")
    assert "Larkfield Academy" in site.page.get_by_role("banner").inner_text()
    assert "Larkfield Academy" in site.page.title()
    assert h1(site).startswith("Dashboard")

    nav(site, "Figures")
    assert h1(site) == "Suspension and reintegration figures"
    pupils = site.page.locator("main tr", has=site.page.get_by_role("rowheader", name="Pupils suspended"))
    assert pupils.locator("td").first.inner_text() == "fewer than 3", "One pupil is too few to show"

    nav(site, "School settings")
    site.page.get_by_label("Alert after this many suspensions").fill("4")
    site.submit("Save the settings")
    school.refresh_from_db()
    assert school.repeat_alert_suspensions == 4
    assert site.page.get_by_label("Alert after this many suspensions").input_value() == "4"

    nav(site, "Switch school")
    site.page.get_by_label("Brookside School").check()
    site.submit("Continue")
    assert "Brookside School" in site.page.get_by_role("banner").inner_text()
    nav(site, "Figures")
    assert pupils.locator("td").first.inner_text() == "0", "Brookside's figures, not Larkfield's"


# --- Letters and the governing board (the office) ---------------------------------------------------------------


def test_the_office_sets_up_the_letters_and_records_the_governing_boards_notice(
    site, school, headteacher, office, tmp_path
):
    pupil = PupilFactory(school=school, legal_first_name="Ottoline", legal_last_name="Brackenbury")
    suspension = record(pupil, start=date(2026, 11, 9), sessions=4, decided_by=headteacher)
    site.sign_in(office)
    nav(site, "Letters")

    site.follow("Change the letterhead")
    site.submit("Save the letterhead")
    assert "Letterhead saved" in notice(site)
    site.follow("Back to letters")

    site.follow("Upload your own template for the notice of suspension")
    site.submit("Check and use this template")  # no file chosen
    assert site.page.locator(".error-summary").is_visible()
    assert site.page.title().startswith("Error:")
    upload = tmp_path / "notice-of-suspension.docx"
    upload.write_bytes(default_template(LetterKind.SUSPENSION_NOTICE))
    site.page.get_by_label("Your Word template (.docx)").set_input_files(upload)
    site.submit("Check and use this template")
    assert "Your template for the notice of suspension is now in use" in notice(site)
    assert LetterTemplate.objects.filter(school=school, kind=LetterKind.SUSPENSION_NOTICE).exists()

    site.go(reverse("suspensions:detail", args=[suspension.pk]))
    site.follow(f"Record the governing {BOARDS} notice and consideration")
    site.page.get_by_label("When was the governing board notified?").fill("16/11/2026")
    site.submit(f"Save the {BOARDS} record")
    assert BoardConsideration.objects.get(suspension=suspension).notified_on == date(2026, 11, 16)
    assert notice(site)


# --- A pupil: the audit trail, subject access, days at a previous school, cancelling a suspension ---------------


def test_the_headteacher_reads_a_pupils_audit_trail_and_exports_everything_held_about_them(site, school, headteacher):
    records = build_school_records(school, headteacher)
    site.sign_in(headteacher)
    site.go(reverse("pupils:detail", args=[records.pupil.pk]))

    site.follow("Audit trail")
    assert h1(site) == "Audit trail"
    assert "Created suspension" in site.page.locator("main table").inner_text()
    site.follow("Back to Peregrine Ellingham-Worsley")

    site.follow("Download everything held about Peregrine (subject access)")
    with site.page.expect_download() as download:
        site.page.locator("main").get_by_role("button", name="Download everything held about").click()
    archive = zipfile.ZipFile(io.BytesIO(download.value.path().read_bytes()))
    assert archive.namelist(), "The subject access export is a ZIP with files in it"


def test_the_headteacher_adds_and_removes_days_at_a_previous_school_and_cancels_a_suspension(site, school, headteacher):
    records = build_school_records(school, headteacher)
    site.sign_in(headteacher)
    site.go(reverse("pupils:detail", args=[records.pupil.pk]))

    site.follow("Add days at a previous school")
    site.page.get_by_label("Previous school").fill("Fictional Hill Academy")
    site.page.get_by_label("Days of suspension there").fill("1.5")
    site.submit("Add the days")
    assert "Fictional Hill Academy" in main_text(site)
    site.follow("Remove the days at Fictional Hill Academy")
    site.submit("Remove the days")
    assert not PreviousSchoolSuspension.objects.filter(school_name="Fictional Hill Academy").exists()

    site.go(reverse("suspensions:detail", args=[records.suspension.pk]))
    site.follow("Cancel this suspension")
    site.page.get_by_label("Reasons for cancelling").fill("Entered against the wrong pupil by mistake.")
    site.submit("Cancel the suspension")
    assert Suspension.objects.get(pk=records.suspension.pk).is_cancelled
    assert "cancelled" in notice(site).lower()


# --- A plan: a review's record, part-time timetables, no meeting -------------------------------------------------


def test_the_senco_reads_a_review_manages_part_time_timetables_and_gives_a_reason_for_no_meeting(
    site, school, headteacher, senco
):
    records = build_school_records(school, headteacher)  # a part-time timetable from 23/11/2026 to 04/12/2026
    site.sign_in(senco)
    site.go(reverse("plans:detail", args=[records.plan.pk]))

    site.follow("18/11/2026 review")
    assert "18/11/2026" in h1(site)
    site.follow("Back to the plan")

    site.follow("End this timetable early")
    site.page.get_by_label("Last day of the part-time timetable").fill("27/11/2026")
    site.submit("End the part-time timetable")
    assert PartTimeTimetable.objects.get(pk=records.timetable.pk).ended_on == date(2026, 11, 27)

    site.follow("Add a part-time timetable")
    site.page.get_by_label("Start date").fill("30/11/2026")
    site.page.get_by_label("End date").fill("11/12/2026")
    site.page.get_by_label("The arrangements").fill("Mornings in lessons, afternoons in the learning base.")
    site.page.get_by_label("Date the parents agreed in writing").fill("17/11/2026")
    site.page.get_by_label("I confirm this timetable is not being used").check()
    site.submit("Save the part-time timetable")
    assert PartTimeTimetable.objects.filter(plan=records.plan, end_date=date(2026, 12, 11)).exists()

    site.follow("No meeting will be held")
    site.page.get_by_label("Why no reintegration meeting will be held").fill(
        "The parents declined a meeting; we spoke by phone instead."
    )
    site.submit("Save the reason")
    assert "The parents declined a meeting" in main_text(site)


# --- Signing in: setting up the app, recovery codes, the lockout page ----------------------------------------


def test_new_staff_set_up_two_factor_authentication_then_sign_in_with_a_recovery_code(site, school):
    user = MembershipFactory(school=school, role=Role.TEACHER, user__username="newteacher").user
    site.go("/accounts/login/")
    site.page.get_by_label("User name").fill("newteacher")
    site.page.get_by_label("Password").fill(PASSWORD)
    site.submit("Sign in")
    assert h1(site) == "Set up two-factor authentication"

    device = TOTPDevice.objects.get(user=user, confirmed=False)
    code = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token()
    site.page.get_by_label("Security code").fill(f"{code:0{device.digits}d}")
    site.submit("Continue")
    assert h1(site) == "Your recovery codes"
    codes = site.page.locator("main .recovery-codes code").all_inner_texts()
    assert len(codes) == 10

    site.page.locator("main").get_by_role("link", name="Continue").click()
    site.check(context="after the recovery codes")
    site.page.get_by_role("banner").get_by_role("button", name="Sign out").click()
    site.check(context="signed out")

    site.page.get_by_label("User name").fill("newteacher")
    site.page.get_by_label("Password").fill(PASSWORD)
    site.submit("Sign in")
    assert h1(site) == "Enter your security code"
    site.follow("Use a recovery code")
    site.page.get_by_label("Recovery code").fill(codes[0])
    site.submit("Continue")

    assert "You signed in with a recovery code" in notice(site)
    assert "9 unused recovery codes" in main_text(site)


def test_five_wrong_passwords_lead_to_the_lockout_page(site, school, teacher):
    site.go("/accounts/login/")
    for attempt in range(5):
        site.page.get_by_label("User name").fill(teacher.username)
        site.page.get_by_label("Password").fill(f"wrong-password-{attempt}")
        site.submit("Sign in")

    assert h1(site) == "You cannot sign in for 15 minutes"
    expect_page_status(site, 429)


# --- The pages that refuse -------------------------------------------------------------------------------------


def test_a_teacher_who_opens_the_duties_page_is_told_they_cannot_see_it(site, school, teacher):
    site.sign_in(teacher)

    site.go(reverse("duties:list"))

    assert h1(site) == "You cannot see this page"
    assert site.page.locator("main").get_by_role("link", name="Go to your dashboard").is_visible()
    expect_page_status(site, 403)


def test_another_schools_headteacher_who_opens_a_pupil_is_told_the_page_is_not_found(
    site, school, headteacher, other_head
):
    pupil = PupilFactory(school=school, legal_first_name="Wilhelmina", legal_last_name="Ashcombe")
    site.sign_in(other_head)

    site.go(reverse("pupils:detail", args=[pupil.pk]))

    assert h1(site) == "Page not found"
    assert "Wilhelmina" not in site.page.content()
    expect_page_status(site, 404)


def test_the_page_for_a_fault_in_the_service_passes_the_checks_on_a_phone(site):
    """No route fails on purpose, so the browser is given the 500 page as the server renders it, at the server's
    address (its stylesheet comes from the live server)."""
    page = render_to_string("500.html")
    site.page.route(
        "**/a-page-that-fails/", lambda route: route.fulfill(status=500, body=page, content_type="text/html")
    )
    site.page.set_viewport_size({"width": 320, "height": 640})

    site.go("/a-page-that-fails/")

    assert h1(site) == "Sorry, there is a problem with the service"
    assert site.page.evaluate("document.documentElement.scrollWidth") <= 320
    header = site.page.evaluate("getComputedStyle(document.querySelector('.header')).backgroundColor")
    assert header != "rgba(0, 0, 0, 0)", "The page has the service's stylesheet"
    assert site.console_errors == [
        "Failed to load resource: the server responded with a status of 500 (Internal Server Error)"
    ]
    site.console_errors.clear()

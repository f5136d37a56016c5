"""From an MIS export to a populated Reintegrate, in the browser: upload, match the columns, preview, import.

The office imports a pupil list (CSV) with the headings SIMS uses; the columns are matched for them; the preview
says what will change; the import adds the pupils; the history records it. Then the headteacher creates an API
token for another system, sees it once, and revokes it.
"""

from __future__ import annotations

from pathlib import Path

from pupils.models import Pupil
from pupils.validators import upn_check_letter


def _upn(digits: str) -> str:
    """A valid UPN: its check letter, then twelve digits."""
    body = digits.rjust(12, "0")
    return upn_check_letter(body) + body


def test_the_office_imports_a_pupil_list_and_sees_what_changed(site, office, tmp_path: Path):
    rows = [f"{_upn(f'80123456789{n}')},Testpupil{n},Alex,14/03/2012,9,F" for n in range(1, 4)]
    export = tmp_path / "pupils.csv"
    export.write_text("UPN,Legal Surname,Legal Forename,DOB,NC Year,Gender\n" + "\n".join(rows) + "\n")
    site.sign_in(office)

    site.go("/imports/")
    site.follow("Import pupils and contacts")
    site.page.get_by_label("File").set_input_files(str(export))
    site.submit("Upload and continue")
    assert "/columns/" in site.page.url  # the SIMS headings are matched already: the user checks them
    site.submit("Check the file")
    assert "Reintegrate has read all 3 rows and found no problems" in site.page.locator("main").inner_text()
    site.page.locator("main").get_by_role("button", name="Import", exact=True).click()
    site.check(context="after importing")

    assert Pupil.objects.filter(legal_last_name__startswith="Testpupil").count() == 3
    site.go("/imports/history/")
    assert "pupils.csv" in site.page.locator("main").inner_text()


def test_the_headteacher_creates_an_api_token_sees_it_once_and_revokes_it(site, headteacher):
    site.sign_in(headteacher)

    site.go("/api/tokens/")
    site.follow("Create a token")
    site.page.get_by_label("Name").fill("Behaviour sync")
    site.page.get_by_label("Office staff").check()
    site.submit("Create the token")
    token = site.page.get_by_label("Your API token").input_value()
    assert len(token) > 30
    site.go("/api/tokens/")
    assert "Behaviour sync" in site.page.locator("main").inner_text()
    site.page.locator("main").get_by_role("link", name="Revoke").first.click()
    site.check(context="revoke the token")
    site.submit("Revoke the token")
    assert "revoked" in site.page.locator("main").inner_text().lower()

"""Journey 1: signing in with a password and a code from the authenticator app."""

from __future__ import annotations

from urllib.parse import urlsplit


def test_a_pastoral_lead_signs_in_with_two_factor_authentication_and_reaches_the_dashboard(site, pastoral_lead):
    site.sign_in(pastoral_lead)

    assert urlsplit(site.page.url).path == "/"
    assert site.page.get_by_role("heading", level=1).inner_text().startswith("Dashboard")


def test_a_wrong_code_is_refused_with_a_message_and_the_error_summary_takes_focus(site, pastoral_lead):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.create(user=pastoral_lead, name="Authenticator app", confirmed=True)
    site.go("/accounts/login/")
    site.page.get_by_label("User name").fill(pastoral_lead.username)
    site.page.get_by_label("Password").fill("correct-horse-battery")
    site.submit("Sign in")
    site.page.locator("main input[type=text], main input[inputmode=numeric]").first.fill("000000")
    site.page.locator("main").get_by_role("button").first.click()
    site.check(context="wrong code")

    summary = site.page.locator(".error-summary")
    assert summary.is_visible()
    assert site.page.evaluate("document.activeElement.classList.contains('error-summary')")

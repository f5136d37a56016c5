"""Journey 3: the pastoral lead writes the strategy of a draft plan, names the key adult and makes the plan active."""

from __future__ import annotations

from datetime import date

from plans.models import ReintegrationPlan
from testsupport.suspensions import record

STRATEGY = (
    "Jordan meets the key adult at the pastoral office at 08:40 each morning. "
    "A time-out card for lessons; lunch in the library."
)


def test_the_pastoral_lead_writes_the_strategy_names_the_key_adult_and_activates_the_plan(
    site, headteacher, pastoral_lead, pupil
):
    suspension = record(pupil, start=date(2026, 11, 16), sessions=4, decided_by=headteacher)
    key_adult = pastoral_lead.get_full_name()

    site.sign_in(pastoral_lead)
    site.go(f"/pupils/{pupil.pk}/")
    site.follow("View plan")
    page = site.page
    assert "Draft" in page.locator("main .caption").text_content()
    site.follow("Write the strategy")

    page.get_by_label("Strategy", exact=True).fill(STRATEGY)
    page.get_by_label("Key adult (optional)", exact=True).select_option(label=key_adult)
    page.get_by_label("How often the pupil checks in with the key adult (optional)", exact=True).select_option(
        label="Daily"
    )
    page.get_by_label("Support measures (optional)", exact=True).fill("A report card signed by each teacher.")
    page.get_by_label("First review (optional)", exact=True).fill("02/12/2026")
    site.submit("Save and make the plan active")

    main = page.locator("main")
    assert "The strategy has been saved and the plan is active." in main.inner_text()
    summary = main.locator("dl").filter(has_text="Key adult")
    assert STRATEGY in summary.inner_text()
    assert key_adult in summary.inner_text()
    assert "Daily" in summary.inner_text()
    assert "Wednesday 02/12/2026" in main.inner_text()
    assert "Active" in main.locator(".caption").text_content()

    plan = ReintegrationPlan.objects.get(suspension=suspension)
    assert (plan.status, plan.key_adult, plan.next_review_date) == (
        ReintegrationPlan.Status.ACTIVE,
        pastoral_lead,
        date(2026, 12, 2),
    )

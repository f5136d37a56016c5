"""Writing the strategy: required, saved as a draft or made active, and protected against lost updates."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from conftest import client_for
from plans import services
from plans.models import ReintegrationPlan, Review
from pupils.models import Pupil
from testsupport.plans import active_plan, draft_plan, page_html, page_text, record_review


def _url(plan):
    return reverse("plans:edit", args=[plan.pk])


def _post(user, plan, **overrides):
    data = {
        "strategy": "Key adult meets Jordan at the gate; lunch in the library for two weeks.",
        "key_adult": "",
        "check_in_frequency": "daily",
        "support_measures": "A time-out card.",
        "reasonable_adjustments": "",
        "next_review_date": f"{plan.suspension.return_date + timedelta(days=14):%d/%m/%Y}",
        "version": str(plan.version),
        "action": "activate",
    }
    data.update(overrides)
    client = user if hasattr(user, "post") else client_for(user)
    return client.post(_url(plan), data)


def test_the_form_explains_the_strategy_and_offers_draft_or_active(pupil, headteacher):
    plan = draft_plan(pupil, headteacher)
    response = client_for(headteacher).get(_url(plan))
    assert response.status_code == 200
    text, markup = page_text(response), page_html(response)
    assert "Write the strategy" in text
    assert "How the pupil's behaviour will be managed on return: for example, the key adult" in text
    assert "SEN support" in text
    assert "Save and make the plan active" in text
    assert "Save as draft" in text
    assert 'name="version" value="1"' in markup


def test_the_key_adult_can_be_any_member_of_staff_at_the_school_only(pupil, headteacher, pastoral_lead, other_head):
    plan = draft_plan(pupil, headteacher)
    text = page_text(client_for(headteacher).get(_url(plan)))
    assert pastoral_lead.get_full_name() in text
    assert other_head.get_full_name() not in text


def test_saving_and_making_active_activates_the_plan(pupil, headteacher, pastoral_lead):
    plan = draft_plan(pupil, headteacher)
    client = client_for(headteacher)
    response = _post(client, plan, key_adult=str(pastoral_lead.pk))
    assert response.status_code == 302
    assert response["Location"] == reverse("plans:detail", args=[plan.pk])
    plan.refresh_from_db()
    assert plan.status == ReintegrationPlan.Status.ACTIVE
    assert plan.key_adult == pastoral_lead
    assert plan.strategy.startswith("Key adult meets Jordan")
    page = client.get(response["Location"])
    assert "The strategy has been saved and the plan is active." in page_text(page)


def test_saving_as_a_draft_keeps_the_plan_a_draft(pupil, headteacher):
    plan = draft_plan(pupil, headteacher)
    response = _post(headteacher, plan, action="draft")
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == ReintegrationPlan.Status.DRAFT
    assert plan.strategy.startswith("Key adult meets Jordan")


@pytest.mark.parametrize("role", ["pastoral_lead", "senco"])
def test_pastoral_staff_and_the_senco_can_write_the_strategy(role, request, pupil, headteacher):
    plan = draft_plan(pupil, headteacher)
    assert _post(request.getfixturevalue(role), plan).status_code == 302
    plan.refresh_from_db()
    assert plan.status == ReintegrationPlan.Status.ACTIVE


def test_a_blank_strategy_comes_back_with_the_message_and_keeps_what_was_typed(pupil, headteacher):
    plan = draft_plan(pupil, headteacher)
    response = _post(headteacher, plan, strategy="  ", support_measures="Mentoring on Fridays")
    assert response.status_code == 200
    text, markup = page_text(response), page_html(response)
    assert "There is a problem" in text
    assert text.count("Write the strategy: every return needs one.") == 2  # the summary and the field
    assert 'href="#id_strategy"' in markup
    assert "Mentoring on Fridays" in text
    plan.refresh_from_db()
    assert plan.strategy == ""
    assert plan.version == 1


def test_a_second_edit_from_the_same_version_is_refused_and_keeps_both_texts_safe(pupil, headteacher, senco):
    plan = draft_plan(pupil, headteacher)
    first = _post(headteacher, plan, strategy="The head's strategy.")
    assert first.status_code == 302
    second = _post(senco, plan, strategy="The SENCO's strategy.", version="1")
    assert second.status_code == 200
    text = page_text(second)
    assert "There is a problem" in text
    assert "Someone else changed this plan while you were editing it. Your changes have not been saved." in text
    assert "The SENCO's strategy." in text
    plan.refresh_from_db()
    assert plan.strategy == "The head's strategy."
    assert plan.version == 2


def test_an_active_plan_has_one_save_button(pupil, headteacher):
    plan = active_plan(pupil, headteacher)
    text = page_text(client_for(headteacher).get(_url(plan)))
    assert "Change the strategy" in text
    assert "Save changes" in text
    assert "Save as draft" not in text


@pytest.mark.parametrize(("sen", "expected"), [(Pupil.SEN.SUPPORT, "SEN support"), (Pupil.SEN.EHC_PLAN, "(EHC) plan")])
def test_a_notice_asks_for_reasonable_adjustments_for_a_pupil_with_sen(sen, expected, pupil, headteacher):
    pupil.sen_status = sen
    pupil.save()
    plan = draft_plan(pupil, headteacher)
    text = page_text(client_for(headteacher).get(_url(plan)))
    assert "Warning" in text
    assert f"Jordan has {'SEN support' if sen == 'K' else 'an education, health and care (EHC) plan'}" in text
    assert expected in text
    assert "Record the reasonable adjustments staff will make" in text


def test_no_sen_notice_for_a_pupil_without_sen(pupil, headteacher):
    plan = draft_plan(pupil, headteacher)
    assert "Record the reasonable adjustments staff will make" not in page_text(client_for(headteacher).get(_url(plan)))


def test_a_closed_plan_cannot_be_edited(pupil, headteacher):
    plan = active_plan(pupil, headteacher)
    record_review(plan, headteacher, decision=Review.Decision.CLOSE, outcome="achieved", next_review_date=None)
    client = client_for(headteacher)
    response = _post(client, plan, strategy="Changed after closing", version="3")
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert services.PLAN_CLOSED in page_text(page)
    plan.refresh_from_db()
    assert plan.strategy.startswith("Meet Ms Patel")


def test_the_form_suggests_a_first_review_two_school_weeks_after_the_return(pupil, headteacher):
    plan = draft_plan(pupil, headteacher)
    from plans.selectors import suggested_first_review

    markup = page_html(client_for(headteacher).get(_url(plan)))

    assert f'value="{suggested_first_review(plan):%d/%m/%Y}"' in markup
    assert "First review" in markup

"""The access log: every view of a pupil's page, a plan, the meeting record, a review, a suspension or the
board page records who viewed what, when and from where."""

from __future__ import annotations

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.test import RequestFactory
from django.urls import reverse

from audit.access import client_address, record_access
from conftest import NOW, client_for
from testsupport.plans import active_plan, record_review

ADDRESS = "198.51.100.23"


def views_of(obj):
    return list(
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(obj), object_pk=str(obj.pk), action=LogEntry.Action.ACCESS
        )
    )


def test_viewing_a_pupils_page_records_who_when_where_and_what(pupil, headteacher):
    response = client_for(headteacher).get(reverse("pupils:detail", args=[pupil.pk]), REMOTE_ADDR=ADDRESS)
    assert response.status_code == 200
    [entry] = views_of(pupil)
    assert entry.actor == headteacher
    assert entry.timestamp == NOW
    assert entry.remote_addr == ADDRESS
    assert entry.additional_data == {"what": "pupil page", "pupil_id": pupil.pk}
    assert entry.object_repr == pupil.display_name


@pytest.mark.parametrize(
    ("route", "record", "what"),
    [
        ("plans:detail", "plan", "plan page"),
        ("plans:meeting_record", "plan", "meeting record"),
        ("plans:review_detail", "review", "review"),
        ("suspensions:detail", "suspension", "suspension page"),
        ("duties:board", "suspension", "governing board page"),
    ],
)
def test_each_page_of_a_pupils_records_records_a_view(route, record, what, pupil, headteacher):
    plan = active_plan(pupil, headteacher)
    records = {"plan": plan, "review": record_review(plan, headteacher), "suspension": plan.suspension}
    viewed = records[record]
    response = client_for(headteacher).get(reverse(route, args=[viewed.pk]), REMOTE_ADDR=ADDRESS)
    assert response.status_code == 200
    [entry] = views_of(viewed)
    assert (entry.actor, entry.remote_addr) == (headteacher, ADDRESS)
    assert entry.additional_data == {"what": what, "pupil_id": pupil.pk}


def test_a_teacher_viewing_an_active_plan_is_recorded_too(pupil, headteacher, teacher):
    plan = active_plan(pupil, headteacher)
    assert client_for(teacher).get(reverse("plans:detail", args=[plan.pk])).status_code == 200
    assert [entry.actor for entry in views_of(plan)] == [teacher]


def test_a_refused_or_missing_page_records_no_view(pupil, headteacher, governor, other_head):
    assert client_for(governor).get(reverse("pupils:detail", args=[pupil.pk])).status_code == 403
    assert client_for(other_head).get(reverse("pupils:detail", args=[pupil.pk])).status_code == 404
    assert views_of(pupil) == []


def test_saving_the_board_form_is_a_change_not_a_view(pupil, headteacher):
    plan = active_plan(pupil, headteacher, with_goal=False)
    response = client_for(headteacher).post(reverse("duties:board", args=[plan.suspension.pk]), {})
    assert response.status_code == 200  # the form comes back with its errors
    assert views_of(plan.suspension) == []


def test_recording_a_view_takes_one_query(pupil, headteacher, django_assert_num_queries):
    request = RequestFactory().get("/", REMOTE_ADDR=ADDRESS)
    request.user = headteacher
    ContentType.objects.get_for_model(pupil)  # the content type is cached after its first use
    with django_assert_num_queries(1):
        record_access(request, pupil, what="pupil page")
    assert len(views_of(pupil)) == 1


def test_the_address_behind_a_proxy_is_the_first_forwarded_one():
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="192.0.2.5:4431, 10.0.0.1")
    assert client_address(request) == "192.0.2.5"

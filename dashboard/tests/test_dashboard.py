"""The pastoral dashboard: who returns today and in the next 7 days, and the plans, meetings and reviews to act on.

Today is Wednesday 18/11/2026 (frozen in conftest).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from conftest import client_for
from duties.models import Duty
from duties.services import duty_complete
from plans.models import Meeting, ReintegrationPlan
from plans.services import meeting_save, plan_record_no_meeting
from testsupport.factories import PupilFactory, UserFactory
from testsupport.plans import activate, active_plan, draft_plan
from testsupport.suspensions import cancel, record

pytestmark = pytest.mark.django_db

HOME = reverse("dashboard:home")
TODAY = date(2026, 11, 18)
LONDON = ZoneInfo("Europe/London")


def a_pupil(school, first: str, last: str, **kwargs):
    return PupilFactory(school=school, legal_first_name=first, legal_last_name=last, **kwargs)


def section(html: str, heading: str) -> str:
    """The HTML of one dashboard section, from its heading to the next section."""
    start = html.index(f">{heading}</h2>")
    end = html.find("<section", start)
    return html[start : end if end != -1 else len(html)]


def arrange_meeting(plan: ReintegrationPlan, when: datetime) -> Meeting:
    return meeting_save(
        plan=plan,
        version=None,
        status=Meeting.Status.ARRANGED,
        scheduled_for=when,
        mode=Meeting.Mode.IN_PERSON,
        location="Pastoral office",
        pupil_views="",
        parent_views="",
        notes="",
        participants=[{"name": "Ms Patel", "role": "Head of year", "invited": True}],
    )


def review_on(plan: ReintegrationPlan, day: date) -> None:
    ReintegrationPlan.objects.filter(pk=plan.pk).update(next_review_date=day)


# --- Who sees what ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["headteacher", "pastoral_lead", "senco"])
def test_pastoral_staff_see_every_section(request, school, persona):
    response = client_for(request.getfixturevalue(persona)).get(HOME)

    assert response.status_code == 200
    html = response.content.decode()
    for heading in [
        "Returning today",
        "Returning in the next 7 days",
        "Plans without a strategy",
        "Meetings to arrange",
        "Meetings to record",
        "Reviews overdue",
        "Reviews due in the next 7 days",
    ]:
        assert f">{heading}</h2>" in html
    assert "To record a suspension" in html


def test_a_governor_is_sent_to_the_figures(governor):
    response = client_for(governor).get(HOME)

    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard:figures")


def test_someone_with_no_role_at_any_school_cannot_see_the_dashboard(db):
    response = client_for(UserFactory()).get(HOME)

    assert response.status_code == 403


def test_the_dashboard_needs_a_sign_in(db, client):
    response = client.get(HOME)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_teacher_sees_returns_and_active_plans_but_no_plan_tasks(school, teacher, headteacher):
    plan = active_plan(a_pupil(school, "Robin", "Quill"), headteacher)
    record(a_pupil(school, "Sasha", "Fenwick"), start=date(2026, 11, 16), sessions=4, decided_by=headteacher)

    response = client_for(teacher).get(HOME)

    html = response.content.decode()
    assert ">Returning today</h2>" in html
    assert ">Pupils with an active reintegration plan</h2>" in html
    assert "Robin Quill" in section(html, "Pupils with an active reintegration plan")
    assert reverse("plans:detail", args=[plan.pk]) in html
    assert "Plans without a strategy" not in html
    assert "Meetings to arrange" not in html
    assert "Reviews overdue" not in html
    assert "To record a suspension" not in html
    assert "Fictional incident" not in html
    assert "The plan is not ready yet" in section(html, "Returning today")


def test_the_office_sees_returns_with_a_link_to_the_suspension_and_no_plans(school, office, headteacher):
    suspension = record(
        a_pupil(school, "Sasha", "Fenwick"), start=date(2026, 11, 16), sessions=4, decided_by=headteacher
    )

    html = client_for(office).get(HOME).content.decode()

    assert reverse("suspensions:detail", args=[suspension.pk]) in section(html, "Returning today")
    assert "Strategy" not in section(html, "Returning today")
    assert "Plans without a strategy" not in html
    assert "To record a suspension" in html
    assert reverse("pupils:list") in html


# --- Returns ------------------------------------------------------------------------------------------------


def test_pupils_returning_today_and_in_the_next_7_days_are_listed_apart(school, pastoral_lead, headteacher):
    record(a_pupil(school, "Ada", "Today"), start=date(2026, 11, 16), sessions=4, decided_by=headteacher)
    record(a_pupil(school, "Ben", "Tomorrow"), start=date(2026, 11, 17), sessions=4, decided_by=headteacher)
    record(a_pupil(school, "Cal", "Friday"), start=date(2026, 11, 18), sessions=4, decided_by=headteacher)
    record(a_pupil(school, "Dee", "Monday"), start=date(2026, 11, 19), sessions=4, decided_by=headteacher)
    record(a_pupil(school, "Eve", "Yesterday"), start=date(2026, 11, 16), sessions=2, decided_by=headteacher)

    html = client_for(pastoral_lead).get(HOME).content.decode()

    today = section(html, "Returning today")
    week = section(html, "Returning in the next 7 days")
    assert "Ada Today" in today
    assert "Wednesday 18/11/2026, morning" in today
    assert "Ben Tomorrow" not in today
    assert "Ben Tomorrow" in week
    assert "Thursday 19/11/2026, morning" in week
    assert "Cal Friday" in week
    assert "Dee Monday" in week  # Monday 23/11 is within seven days of Wednesday 18/11
    assert "Eve Yesterday" not in html.split(">Plans without a strategy</h2>")[0]


def test_a_return_shows_whether_the_plan_has_a_strategy(school, pastoral_lead, headteacher):
    without = record(a_pupil(school, "Ada", "Draft"), start=date(2026, 11, 16), sessions=4, decided_by=headteacher)
    with_strategy = record(
        a_pupil(school, "Ben", "Ready"), start=date(2026, 11, 16), sessions=4, decided_by=headteacher
    )
    activate(with_strategy.plan)

    html = section(client_for(pastoral_lead).get(HOME).content.decode(), "Returning today")

    assert "No strategy yet" in html
    assert "Strategy written" in html
    assert reverse("plans:edit", args=[without.plan.pk]) in html
    assert reverse("plans:detail", args=[with_strategy.plan.pk]) in html


def test_a_cancelled_suspension_is_not_a_return(school, pastoral_lead, headteacher):
    cancel(record(a_pupil(school, "Ada", "Cancelled"), start=date(2026, 11, 16), sessions=4, decided_by=headteacher))

    html = client_for(pastoral_lead).get(HOME).content.decode()

    assert "Ada Cancelled" not in html
    assert "No pupils return from suspension today." in html


def test_another_schools_returns_are_never_shown(school, other_school, pastoral_lead, other_head):
    record(a_pupil(other_school, "Olly", "Elsewhere"), start=date(2026, 11, 16), sessions=4, decided_by=other_head)

    html = client_for(pastoral_lead).get(HOME).content.decode()

    assert "Olly Elsewhere" not in html


# --- Plans and meetings -------------------------------------------------------------------------------------


def test_plans_without_a_strategy_link_to_writing_it(school, pastoral_lead, headteacher):
    draft = draft_plan(a_pupil(school, "Ada", "Draft"), headteacher)
    active_plan(a_pupil(school, "Ben", "Active"), headteacher)
    cancelled = record(a_pupil(school, "Cal", "Cancelled"), start=date(2026, 11, 2), sessions=2, decided_by=headteacher)
    cancel(cancelled)

    html = section(client_for(pastoral_lead).get(HOME).content.decode(), "Plans without a strategy")

    assert "Ada Draft" in html
    assert reverse("plans:edit", args=[draft.pk]) in html
    assert "Ben Active" not in html
    assert "Cal Cancelled" not in html


def test_meetings_to_arrange_leave_out_plans_with_a_meeting_or_a_reason(school, pastoral_lead, headteacher):
    to_arrange = draft_plan(a_pupil(school, "Ada", "Arrange"), headteacher)
    with_meeting = draft_plan(a_pupil(school, "Ben", "Meeting"), headteacher)
    arrange_meeting(with_meeting, datetime(2026, 11, 20, 9, 0, tzinfo=LONDON))
    with_reason = draft_plan(a_pupil(school, "Cal", "Reason"), headteacher)
    plan_record_no_meeting(plan=with_reason, version=with_reason.version, reason="Parents declined a meeting.")

    html = section(client_for(pastoral_lead).get(HOME).content.decode(), "Meetings to arrange")

    assert "Ada Arrange" in html
    assert reverse("plans:meeting", args=[to_arrange.pk]) in html
    assert reverse("plans:no_meeting", args=[to_arrange.pk]) in html
    assert "Ben Meeting" not in html
    assert "Cal Reason" not in html


def test_an_arranged_meeting_whose_time_has_passed_is_to_record(school, pastoral_lead, headteacher):
    past = draft_plan(a_pupil(school, "Ada", "Past"), headteacher)
    arrange_meeting(past, datetime(2026, 11, 18, 9, 30, tzinfo=LONDON))
    future = draft_plan(a_pupil(school, "Ben", "Later"), headteacher)
    arrange_meeting(future, datetime(2026, 11, 18, 10, 30, tzinfo=LONDON))

    html = section(client_for(pastoral_lead).get(HOME).content.decode(), "Meetings to record")

    assert "Ada Past" in html
    assert "18/11/2026 09:30" in html
    assert reverse("plans:meeting", args=[past.pk]) in html
    assert "Ben Later" not in html


# --- Reviews ------------------------------------------------------------------------------------------------


def test_a_review_due_in_seven_days_is_listed_and_in_eight_days_is_not(school, pastoral_lead, headteacher):
    seven = active_plan(a_pupil(school, "Ada", "Seven"), headteacher)
    review_on(seven, TODAY + timedelta(days=7))
    eight = active_plan(a_pupil(school, "Ben", "Eight"), headteacher)
    review_on(eight, TODAY + timedelta(days=8))
    today = active_plan(a_pupil(school, "Cal", "Today"), headteacher)
    review_on(today, TODAY)

    html = client_for(pastoral_lead).get(HOME).content.decode()

    due = section(html, "Reviews due in the next 7 days")
    assert "Ada Seven" in due
    assert "25/11/2026" in due
    assert reverse("plans:review_add", args=[seven.pk]) in due
    assert "Cal Today" in due
    assert "Due today" in due
    assert "Ben Eight" not in due
    assert "Ben Eight" not in section(html, "Reviews overdue")
    assert "Cal Today" not in section(html, "Reviews overdue")


def test_a_review_due_yesterday_is_overdue_with_a_text_tag(school, pastoral_lead, headteacher):
    late = active_plan(a_pupil(school, "Ada", "Late"), headteacher)
    review_on(late, TODAY - timedelta(days=1))

    html = client_for(pastoral_lead).get(HOME).content.decode()

    overdue = section(html, "Reviews overdue")
    assert "Ada Late" in overdue
    assert "17/11/2026" in overdue
    assert ">Overdue</strong>" in overdue
    assert reverse("plans:review_add", args=[late.pk]) in overdue
    assert "Ada Late" not in section(html, "Reviews due in the next 7 days")


def test_draft_and_closed_plans_are_not_due_a_review(school, pastoral_lead, headteacher):
    draft = draft_plan(a_pupil(school, "Ada", "Draft"), headteacher)
    review_on(draft, TODAY - timedelta(days=1))

    html = client_for(pastoral_lead).get(HOME).content.decode()

    assert "Ada Draft" not in section(html, "Reviews overdue")


# --- Counts, empty states, query counts ---------------------------------------------------------------------


def test_the_cards_count_each_list(school, pastoral_lead, headteacher):
    for name in ["Ada", "Ben", "Cal"]:
        review_on(active_plan(a_pupil(school, name, "Late"), headteacher), TODAY - timedelta(days=3))

    html = client_for(pastoral_lead).get(HOME).content.decode()

    assert '<span class="card__count">3 </span><span class="card__label">reviews overdue</span>' in html
    assert '<span class="card__count">0 </span><span class="card__label">returning today</span>' in html


def test_an_empty_dashboard_says_there_is_nothing_to_do(school, pastoral_lead):
    html = client_for(pastoral_lead).get(HOME).content.decode()

    assert "No pupils return from suspension today." in html
    assert "Every plan has a strategy." in html
    assert "No reviews are overdue." in html
    assert "No meetings are waiting to be recorded." in html


def test_a_teacher_with_no_active_plans_is_told_so(school, teacher):
    html = client_for(teacher).get(HOME).content.decode()

    assert "No pupils have an active reintegration plan at the moment." in html


def _fill(school, headteacher, n: int, offset: int) -> None:
    for i in range(n):
        key = f"{offset + i}"
        record(a_pupil(school, "Today", key), start=date(2026, 11, 16), sessions=4, decided_by=headteacher)
        record(a_pupil(school, "Week", key), start=date(2026, 11, 17), sessions=4, decided_by=headteacher)
        arrange_meeting(draft_plan(a_pupil(school, "Meet", key), headteacher), datetime(2026, 11, 17, 9, tzinfo=LONDON))
        review_on(active_plan(a_pupil(school, "Due", key), headteacher, with_goal=False), TODAY)
        review_on(active_plan(a_pupil(school, "Late", key), headteacher, with_goal=False), TODAY - timedelta(days=2))


@pytest.mark.parametrize("persona", ["pastoral_lead", "teacher"])
def test_the_dashboard_reads_a_fixed_number_of_queries_however_many_rows(
    request, school, headteacher, persona, django_assert_max_num_queries
):
    client = client_for(request.getfixturevalue(persona))
    _fill(school, headteacher, 1, 0)
    client.get(HOME)
    with django_assert_max_num_queries(40) as few:
        client.get(HOME)
    _fill(school, headteacher, 4, 1)

    with django_assert_max_num_queries(len(few)):
        response = client.get(HOME)

    assert response.content.decode().count("Late ") >= 5


def test_a_long_list_is_paged_fifty_at_a_time(school, teacher, headteacher):
    for i in range(51):
        plan = draft_plan(a_pupil(school, "Pupil", f"{i:02d}"), headteacher)
        ReintegrationPlan.objects.filter(pk=plan.pk).update(status=ReintegrationPlan.Status.ACTIVE, strategy="Plan.")
    client = client_for(teacher)

    first = client.get(HOME).content.decode()
    second = client.get(HOME, {"active_page": 2}).content.decode()

    assert "Page 1 of 2" in first
    assert "Pupil 50" not in first
    assert "Pupil 50" in second


def test_a_return_seven_days_ahead_is_listed_and_eight_days_ahead_is_not(school, pastoral_lead, headteacher):
    # Wed 25/11/2026 is seven days after today (Wed 18/11); Thu 26/11 is eight.
    record(a_pupil(school, "Sam", "Seven"), start=date(2026, 11, 24), sessions=2, decided_by=headteacher)
    record(a_pupil(school, "Tia", "Eight"), start=date(2026, 11, 25), sessions=2, decided_by=headteacher)

    html = client_for(pastoral_lead).get(HOME).content.decode()

    week = section(html, "Returning in the next 7 days")
    assert "Sam Seven" in week
    assert "Tia Eight" not in week


# --- Statutory duties ---------------------------------------------------------------------------------------

DUTIES = reverse("duties:list")


def card(count: int, label: str, when: str) -> str:
    return (
        f'<a href="{DUTIES}?when={when}"><span class="card__count">{count} </span>'
        f'<span class="card__label">{label}</span></a>'
    )


@pytest.mark.parametrize("persona", ["headteacher", "pastoral_lead", "senco", "office"])
def test_staff_who_handle_duties_see_the_duty_counts_linking_to_the_compliance_page(request, school, persona):
    # Work due Monday 16/11 (overdue); 4 notices without delay (today); in the next 7 days, the parents' notice of
    # the sixth-day provision on Friday 20/11 and the sixth day itself on Monday 23/11.
    record(a_pupil(school, "Sasha", "Fenwick"), start=date(2026, 11, 16), sessions=12)

    html = client_for(request.getfixturevalue(persona)).get(HOME).content.decode()

    assert ">Statutory duties</h2>" in html
    assert card(1, "duty overdue", "overdue") in html
    assert card(4, "duties due today", "today") in html
    assert card(2, "duties due in the next 7 days", "week") in html
    assert f'<a href="{DUTIES}">See every open statutory duty</a>' in html


def test_a_teacher_sees_no_duty_counts(school, teacher, headteacher):
    record(a_pupil(school, "Sasha", "Fenwick"), start=date(2026, 11, 16), sessions=12, decided_by=headteacher)

    html = client_for(teacher).get(HOME).content.decode()

    assert "Statutory duties" not in html
    assert DUTIES not in html


def test_a_duty_due_in_seven_days_is_counted_and_in_eight_days_is_not(school, pastoral_lead, headteacher):
    # Sixth days: Wednesday 25/11/2026 (7 days on) and Thursday 26/11/2026 (8 days on).
    record(a_pupil(school, "Seven", "Days"), start=date(2026, 11, 18), sessions=12, decided_by=headteacher)
    record(a_pupil(school, "Eight", "Days"), start=date(2026, 11, 19), sessions=12, decided_by=headteacher)

    html = client_for(pastoral_lead).get(HOME).content.decode()

    # In the week: the first pupil's sixth day (25/11) and its notice (23/11); the second pupil's work (19/11)
    # and notice (24/11). The second pupil's sixth day, Thursday 26/11, is eight days on and not counted.
    assert card(4, "duties due in the next 7 days", "week") in html


def test_done_duties_and_other_schools_duties_are_not_counted(school, other_school, pastoral_lead, headteacher):
    record(a_pupil(other_school, "Elsewhere", "Pupil"), start=date(2026, 11, 16), sessions=4)
    mine = record(a_pupil(school, "Sasha", "Fenwick"), start=date(2026, 11, 19), sessions=2, decided_by=headteacher)
    for duty in mine.duties.filter(due_date=TODAY):
        duty_complete(
            duty=duty,
            done_by=headteacher,
            done_at=datetime(2026, 11, 18, 9, 0, tzinfo=LONDON),
            method=Duty.Method.PHONE,
            evidence="",
        )

    html = client_for(pastoral_lead).get(HOME).content.decode()

    assert card(0, "duties overdue", "overdue") in html
    assert card(0, "duties due today", "today") in html
    assert card(1, "duty due in the next 7 days", "week") in html

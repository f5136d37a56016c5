"""`manage.py load_demo`: a fictional school with pupils at every stage, current whatever the date."""

from __future__ import annotations

from base64 import b32decode, b32encode
from collections import defaultdict
from datetime import date, datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.test import Client, RequestFactory
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import client_for
from demo import data
from plans.models import Goal, Meeting, ReintegrationPlan, Review
from pupils.models import Contact, Pupil
from pupils.validators import validate_upn
from reintegrate import statutory
from schools.models import Membership, School
from schools.selectors import school_calendar
from suspensions.models import Suspension
from suspensions.selectors import pupil_suspension_summary

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")


def load(*args: str) -> str:
    out = StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


def demo_school() -> School:
    return School.objects.get(urn=data.SCHOOL_URN)


def assert_every_stage(today: date) -> None:
    school = demo_school()
    calendar = school_calendar(school)
    suspensions = list(Suspension.objects.filter(school=school).select_related("pupil"))
    plans = ReintegrationPlan.objects.filter(school=school)

    # A return in the next few school days, its plan a draft with no strategy.
    soon = list(statutory.iter_school_days(calendar, today, today + timedelta(days=60)))[:5]
    upcoming = plans.filter(
        status="draft", strategy="", suspension__return_date__in=soon, suspension__status="confirmed"
    )
    assert upcoming.exists()
    # A meeting arranged, and a meeting held with behaviour and academic goals with measurable criteria.
    assert Meeting.objects.filter(plan__school=school, status=Meeting.Status.ARRANGED).exists()
    held = plans.filter(meeting__status=Meeting.Status.HELD, status="active", goals__isnull=False).distinct()
    assert held.exists()
    for plan in held:
        assert {g.area for g in plan.goals.all()} >= {Goal.Area.BEHAVIOUR, Goal.Area.ACADEMIC}
        assert all(goal.criteria.exists() for goal in plan.goals.all())
    # An active plan with two reviews, and a plan closed as achieved.
    assert any(plan.reviews.count() >= 2 for plan in plans.filter(status="active"))
    assert plans.filter(status="closed", outcome=ReintegrationPlan.Outcome.ACHIEVED).exists()
    # A cancelled suspension, a lunchtime suspension and a permanent exclusion.
    assert any(s.is_cancelled for s in suspensions)
    assert any(s.kind == Suspension.Kind.LUNCHTIME and not s.is_cancelled for s in suspensions)
    assert any(s.kind == Suspension.Kind.PERMANENT for s in suspensions)
    # A pupil within five days of the 45-day cap in one school year, every session a past school day.
    sessions_by_pupil_year: dict[tuple[int, date], int] = defaultdict(int)
    for suspension in suspensions:
        if suspension.is_cancelled or suspension.period is None:
            continue
        for day, _session in suspension.period.sessions:
            sessions_by_pupil_year[(suspension.pupil_id, statutory.academic_year_start(day))] += 1
    near_cap = [key for key, sessions in sessions_by_pupil_year.items() if 80 <= sessions <= statutory.CAP_SESSIONS]
    assert near_cap
    for pupil_id, _year in near_cap:
        for suspension in Suspension.objects.filter(pupil_id=pupil_id):
            assert suspension.period is not None
            assert all(day < today and calendar.is_school_day(day) for day, _ in suspension.period.sessions)
    # Every review is in the past and on or after the pupil's return.
    for review in Review.objects.filter(plan__school=school).select_related("plan__suspension"):
        assert review.held_on <= today
        assert review.held_on >= review.plan.suspension.return_date


# --- At the frozen date, Wednesday 18/11/2026 ---------------------------------------------------------------


def test_the_demo_creates_a_fictional_school_with_its_calendar_staff_and_pupils(db):
    output = load()

    school = demo_school()
    assert (school.name, school.local_authority) == ("Larkfield Academy (demo)", "Exampleshire")
    assert [y.label for y in school.academic_years.order_by("start_date")] == ["2026/27", "2027/28"]
    assert sorted(Membership.objects.filter(school=school).values_list("user__username", "role")) == sorted(
        (a.username, a.role) for a in data.ACCOUNTS
    )
    pupils = list(Pupil.objects.filter(school=school))
    assert 55 <= len(pupils) <= 65
    for pupil in pupils:
        validate_upn(pupil.upn)
    assert {p.year_group for p in pupils} == {"7", "8", "9", "10", "11"}
    assert {p.sen_status for p in pupils} == {"N", "K", "E"}
    assert any(p.fsm_eligible for p in pupils)
    assert any(p.looked_after for p in pupils)
    assert any(p.has_social_worker for p in pupils)
    assert any(p.eal for p in pupils)
    contacts = Contact.objects.filter(pupil__school=school)
    assert all(c.phone.startswith("01632 960") for c in contacts)
    assert all(c.email.endswith("@family.example") for c in contacts if c.email)
    assert 0 < sum(1 for c in contacts if not c.email) < len(contacts) / 4  # a few families get printed letters
    assert all(1 <= p.contacts.count() <= 2 for p in pupils)
    assert "Loaded Larkfield Academy (demo)" in output


def test_the_demo_has_a_pupil_at_every_stage(db):
    load()

    assert_every_stage(date(2026, 11, 18))


def test_the_near_cap_pupil_is_within_five_days_of_the_cap_this_year(db):
    load()

    summaries = [
        pupil_suspension_summary(pupil, today=date(2026, 11, 18))
        for pupil in Pupil.objects.filter(school=demo_school(), suspensions__isnull=False).distinct()
    ]
    near = [s for s in summaries if s.near_cap]
    assert len(near) == 1
    assert near[0].year_days == "42"
    assert near[0].cap_remaining_days == "3"


def test_the_demo_accounts_sign_in_with_the_printed_password(db):
    output = load()

    for account in data.ACCOUNTS:
        assert f"{account.username:<10} reintegrate-demo" in output
        assert account.role_label in output
        request = RequestFactory().post("/accounts/login/")
        assert authenticate(request, username=account.username, password="reintegrate-demo") is not None


def test_the_demo_prints_each_accounts_two_factor_secret_and_how_to_get_a_code(db):
    output = load()

    assert "2FA secret" in output
    assert "python manage.py demo_code <username>" in output
    for account in data.ACCOUNTS:
        line = next(line for line in output.splitlines() if line.strip().startswith(f"{account.username} "))
        assert line.split()[-1] == account.totp_secret
        assert account.totp_secret.startswith("DEMO")
        device = TOTPDevice.objects.get(user__username=account.username)
        assert device.confirmed
        assert b32encode(device.bin_key).decode() == account.totp_secret


def test_a_demo_account_signs_in_with_the_password_and_a_code_from_the_printed_secret(db):
    load()
    client = Client()

    to_code = client.post(reverse("login"), {"username": "pastoral", "password": "reintegrate-demo"})
    secret = next(a.totp_secret for a in data.ACCOUNTS if a.username == "pastoral")
    code = f"{TOTP(b32decode(secret)).token():06d}"  # what an authenticator app given the secret shows
    to_page = client.post(to_code["Location"], {"code": code})

    assert to_code["Location"] == reverse("accounts:verify")
    assert to_page["Location"] == reverse("dashboard:home")
    assert client.get(reverse("dashboard:home")).status_code == 200


def test_a_demo_account_is_asked_for_a_code_like_everyone_else(db):
    load()
    client = Client()
    client.post(reverse("login"), {"username": "head", "password": "reintegrate-demo"})

    response = client.get(reverse("pupils:list"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:verify"))


def test_the_dashboard_and_figures_work_on_the_demo(db):
    load()
    school = demo_school()
    pastoral = Membership.objects.get(school=school, user__username="pastoral").user
    governor = Membership.objects.get(school=school, user__username="governor").user

    dashboard = client_for(pastoral).get(reverse("dashboard:home")).content.decode()
    figures = client_for(governor).get(reverse("dashboard:figures"))

    assert "No pupils return from suspension today." not in dashboard
    assert "Every plan has a strategy." not in dashboard
    assert ">Overdue</strong>" in dashboard
    assert figures.status_code == 200
    for pupil in Pupil.objects.filter(school=school):
        assert pupil.upn not in figures.content.decode()


# --- Running it again ---------------------------------------------------------------------------------------


def test_with_if_empty_a_second_run_creates_nothing_and_still_prints_the_accounts(db):
    load("--if-empty")
    counts = (School.objects.count(), Pupil.objects.count(), Suspension.objects.count(), Review.objects.count())

    output = load("--if-empty")

    assert (School.objects.count(), Pupil.objects.count(), Suspension.objects.count(), Review.objects.count()) == counts
    assert "already holds a school, so no demo data was loaded" in output
    assert "head       reintegrate-demo   Headteacher" in output


def test_with_if_empty_a_database_with_another_school_is_left_alone(school):
    output = load("--if-empty")

    assert not School.objects.filter(urn=data.SCHOOL_URN).exists()
    assert "no demo data was loaded" in output
    assert "No demo accounts exist in this database." in output


def test_without_if_empty_a_second_run_is_refused_and_changes_nothing(db):
    load()
    before = Pupil.objects.count()

    with pytest.raises(CommandError, match="already loaded"):
        load()

    assert Pupil.objects.count() == before


def test_a_taken_user_name_is_refused_before_anything_is_created(headteacher):
    # The conftest headteacher is called "head", like the demo's.
    with pytest.raises(CommandError, match="head"):
        load()

    assert not School.objects.filter(urn=data.SCHOOL_URN).exists()


# --- Other days of the year ---------------------------------------------------------------------------------


def test_the_demo_works_in_the_summer_holiday(db):
    with time_machine.travel(datetime(2027, 8, 10, 10, 0, tzinfo=LONDON), tick=False):
        load()

        assert_every_stage(date(2027, 8, 10))
        assert [y.label for y in demo_school().academic_years.order_by("start_date")] == ["2026/27", "2027/28"]


def test_the_demo_works_at_the_start_of_september(db):
    with time_machine.travel(datetime(2027, 9, 1, 8, 0, tzinfo=LONDON), tick=False):
        load()

        assert_every_stage(date(2027, 9, 1))
        # So early in the year the story began last year, so last year's calendar is there too.
        assert [y.label for y in demo_school().academic_years.order_by("start_date")] == [
            "2026/27",
            "2027/28",
            "2028/29",
        ]


def test_the_demo_works_in_the_first_week_of_term(db):
    with time_machine.travel(datetime(2027, 9, 8, 16, 0, tzinfo=LONDON), tick=False):
        load()

        assert_every_stage(date(2027, 9, 8))


def test_the_demo_works_on_a_saturday_in_half_term(db):
    with time_machine.travel(datetime(2027, 2, 13, 11, 0, tzinfo=LONDON), tick=False):
        load()

        assert_every_stage(date(2027, 2, 13))


def test_the_demo_school_has_kept_up_with_old_duties_but_shows_recent_ones_open(db):
    from duties.models import Duty

    load()

    duties = Duty.objects.filter(school=demo_school())
    yesterday = date(2026, 11, 17)
    assert not duties.filter(status=Duty.Status.OPEN, due_date__lt=yesterday).exists()
    done = duties.filter(status=Duty.Status.DONE)
    assert done.exists()
    assert all(d.done_by_id and d.method and d.done_at.date() == d.due_date for d in done)
    assert duties.filter(status=Duty.Status.OPEN, due_date__gte=yesterday).exists()

"""Reminders to staff: who is told about what, the email they get, and that no reminder is ever sent twice.

Today is Wednesday 18/11/2026; with the default window of two calendar days, anything due by Friday 20/11/2026
(or overdue) is reminded.
"""

from __future__ import annotations

import threading
import time
import uuid
from datetime import date, datetime, timedelta

import pytest
from django.core import mail
from django.db import OperationalError, connection
from django.urls import reverse
from django.utils import timezone

from duties.models import Duty
from notifications import services
from notifications.models import ReminderSent
from notifications.selectors import reminder_selection
from notifications.services import ReminderRun, reminder_claim, reminders_send
from notifications.tests.helpers import LONDON, arrange_meeting, close_all_duties, make_duty
from plans.models import Meeting
from schools.models import Role
from testsupport.factories import MembershipFactory, PupilFactory
from testsupport.plans import activate, draft_plan

pytestmark = pytest.mark.django_db

SITE = "https://reintegrate.example.org"
TODAY = date(2026, 11, 18)


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE


@pytest.fixture
def staff(headteacher, pastoral_lead, senco, teacher, office):
    """Every role at Larkfield, so each test can see who is told and who is not."""
    return {"head": headteacher, "pastoral": pastoral_lead, "senco": senco, "teacher": teacher, "office": office}


def inboxes() -> dict[str, list[mail.EmailMessage]]:
    """Emails sent, by recipient username (the part before @)."""
    found: dict[str, list[mail.EmailMessage]] = {}
    for message in mail.outbox:
        for address in message.to:
            found.setdefault(address.split("@")[0], []).append(message)
    return found


def body(message) -> str:
    return message.body


def html(message) -> str:
    [(content, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    return content


def plan_with_review(pupil, headteacher, *, key_adult=None, review=date(2026, 11, 19)):
    """An active plan whose next review is on `review`; the duties the suspension created are closed."""
    plan = draft_plan(pupil, headteacher)
    plan.next_review_date = review
    plan.save()
    plan = activate(plan, key_adult=key_adult)
    close_all_duties()
    return plan


# --- Statutory duties ----------------------------------------------------------------------------------------


def test_a_duty_due_within_two_days_reminds_the_staff_holding_its_role_and_nobody_else(staff, pupil):
    make_duty(pupil, due=date(2026, 11, 20), role=Role.PASTORAL_LEAD)

    result = reminders_send()

    assert result.emails_sent == 1
    assert list(inboxes()) == ["pastoral"]


@pytest.mark.parametrize(
    ("due", "reminded"),
    [
        (date(2026, 11, 17), True),  # overdue
        (date(2026, 11, 18), True),  # today
        (date(2026, 11, 20), True),  # the last day of the window
        (date(2026, 11, 21), False),  # a day beyond it
    ],
)
def test_the_window_is_two_calendar_days_and_includes_anything_overdue(staff, pupil, due, reminded):
    make_duty(pupil, due=due, role=Role.OFFICE)

    reminders_send()

    assert ("office" in inboxes()) is reminded


def test_a_wider_or_narrower_window_can_be_asked_for(staff, pupil):
    make_duty(pupil, due=date(2026, 11, 19), role=Role.OFFICE)

    assert reminders_send(days_ahead=0).emails_sent == 0
    assert reminders_send(days_ahead=1).emails_sent == 1


def test_an_overdue_duty_also_reminds_the_headteacher_but_one_coming_due_does_not(staff, pupil):
    make_duty(pupil, due=date(2026, 11, 16), role=Role.OFFICE, kind=Duty.Kind.LOCAL_AUTHORITY)
    make_duty(pupil, due=date(2026, 11, 20), role=Role.OFFICE, kind=Duty.Kind.PARENTS_LETTER)

    reminders_send()

    head_mail = inboxes()["head"]
    assert len(head_mail) == 1
    assert "Notify the local authority" in body(head_mail[0])
    assert "Write to the parents" not in body(head_mail[0])
    assert "Write to the parents" in body(inboxes()["office"][0])


def test_duties_done_or_no_longer_needed_are_not_reminded(staff, pupil):
    make_duty(pupil, due=date(2026, 11, 17), role=Role.OFFICE)
    Duty.objects.update(status=Duty.Status.NOT_NEEDED)

    assert reminders_send().emails_sent == 0


def test_a_duty_whose_role_nobody_holds_falls_to_the_headteacher(headteacher, pastoral_lead, pupil):
    make_duty(pupil, due=date(2026, 11, 20), role=Role.OFFICE)  # Larkfield has no office staff here

    reminders_send()

    assert list(inboxes()) == ["head"]


def test_staff_of_another_school_are_never_told_about_larkfields_pupils(staff, pupil, other_school, other_head):
    MembershipFactory(school=other_school, role=Role.PASTORAL_LEAD, user__username="otherpastoral")
    make_duty(pupil, due=date(2026, 11, 16), role=Role.PASTORAL_LEAD)

    reminders_send()

    assert set(inboxes()) == {"pastoral", "head"}


# --- Reviews due and meetings to record ----------------------------------------------------------------------


def test_a_review_due_reminds_the_key_adult_only(staff, pupil, headteacher, teacher):
    plan_with_review(pupil, headteacher, key_adult=teacher)

    reminders_send()

    assert list(inboxes()) == ["teacher"]
    assert "Review the reintegration plan" in body(inboxes()["teacher"][0])


def test_a_review_due_on_a_plan_without_a_key_adult_reminds_the_pastoral_leads_and_sencos(staff, pupil, headteacher):
    plan_with_review(pupil, headteacher, key_adult=None)

    reminders_send()

    assert set(inboxes()) == {"pastoral", "senco"}


def test_a_key_adult_whose_account_is_closed_counts_as_none(staff, pupil, headteacher, teacher):
    plan_with_review(pupil, headteacher, key_adult=teacher)
    teacher.is_active = False
    teacher.save()

    reminders_send()

    assert set(inboxes()) == {"pastoral", "senco"}


def test_reviews_beyond_the_window_and_draft_plans_are_not_reminded(staff, pupil, headteacher):
    plan_with_review(pupil, headteacher, review=date(2026, 11, 21))
    other = PupilFactory(school=pupil.school)
    draft = draft_plan(other, headteacher)
    draft.next_review_date = date(2026, 11, 18)
    draft.save()
    close_all_duties()

    assert reminders_send().emails_sent == 0


def test_a_meeting_whose_time_has_passed_and_is_not_recorded_reminds_the_key_adult(staff, pupil, headteacher, senco):
    plan = plan_with_review(pupil, headteacher, key_adult=senco, review=date(2026, 12, 2))
    arrange_meeting(plan, when=datetime(2026, 11, 18, 9, 0, tzinfo=LONDON))  # an hour ago

    reminders_send()

    assert list(inboxes()) == ["senco"]
    text = body(inboxes()["senco"][0])
    assert "Record the reintegration meeting: Jordan Ashby" in text
    assert f"{SITE}{reverse('plans:meeting', args=[plan.pk])}?record=1" in text


@pytest.mark.parametrize(
    ("when", "status"),
    [
        (datetime(2026, 11, 18, 11, 0, tzinfo=LONDON), Meeting.Status.ARRANGED),  # in an hour
        (datetime(2026, 11, 17, 9, 0, tzinfo=LONDON), Meeting.Status.HELD),  # already recorded
        (datetime(2026, 11, 17, 9, 0, tzinfo=LONDON), Meeting.Status.NOT_HELD),
    ],
)
def test_meetings_still_to_come_or_already_recorded_are_not_reminded(staff, pupil, headteacher, when, status):
    plan = plan_with_review(pupil, headteacher, review=date(2026, 12, 2))
    arrange_meeting(plan, when=when, status=status)

    assert reminders_send().emails_sent == 0


# --- The email -----------------------------------------------------------------------------------------------


@pytest.fixture
def three_things(staff, pupil, headteacher, pastoral_lead):
    """For the pastoral lead: an overdue duty, a duty due on Friday and a review due tomorrow."""
    plan = plan_with_review(pupil, headteacher, key_adult=pastoral_lead, review=date(2026, 11, 19))
    overdue = make_duty(pupil, due=date(2026, 11, 16), role=Role.PASTORAL_LEAD, kind=Duty.Kind.WORK_SET)
    upcoming = make_duty(pupil, due=date(2026, 11, 20), role=Role.PASTORAL_LEAD, kind=Duty.Kind.PARENTS_TOLD)
    return plan, overdue, upcoming


def test_each_member_of_staff_gets_one_email_listing_their_new_items(three_things):
    result = reminders_send()

    [message] = inboxes()["pastoral"]
    assert message.subject == "Reintegrate: 3 things due at Larkfield Academy"
    assert result.items_sent == 4  # three for the pastoral lead, the overdue duty for the headteacher
    assert inboxes()["head"][0].subject == "Reintegrate: 1 thing due at Larkfield Academy"


def test_each_item_says_what_for_whom_when_and_links_to_where_it_is_done(three_things):
    plan, overdue, _upcoming = three_things
    reminders_send()

    text = body(inboxes()["pastoral"][0])
    assert "Set and mark work for the first five school days: Jordan Ashby" in text
    assert "Was due 16/11/2026 (Monday) - OVERDUE" in text
    assert f"{SITE}/duties/{overdue.pk}/complete/" in text
    assert "Tell the parents by phone or in person: Jordan Ashby" in text
    assert "Due 20/11/2026 (Friday)\n" in text
    assert "Review the reintegration plan: Jordan Ashby" in text
    assert "Due 19/11/2026 (Thursday)" in text
    assert f"{SITE}/plans/{plan.pk}/" in text
    # Overdue first, then by date.
    assert text.index("16/11/2026") < text.index("20/11/2026")
    assert text.index("Statutory tasks") < text.index("Reviews due")


def test_the_email_has_an_html_version_with_the_same_items_as_links(three_things):
    plan, overdue, _upcoming = three_things
    reminders_send()

    content = html(inboxes()["pastoral"][0])
    assert f'<a href="{SITE}/duties/{overdue.pk}/complete/">Set and mark work for the first five school days</a>' in (
        content
    )
    assert f'<a href="{SITE}/plans/{plan.pk}/">Review the reintegration plan</a>' in content
    assert "<strong>Overdue</strong>" in content
    assert "Jordan Ashby" in content


def test_someone_working_at_two_schools_gets_one_email_naming_both(staff, pupil, office, other_school):
    MembershipFactory(school=other_school, role=Role.OFFICE, user=office)
    other_pupil = PupilFactory(school=other_school, legal_first_name="Riley", legal_last_name="Marsh")
    make_duty(pupil, due=date(2026, 11, 19), role=Role.OFFICE)
    make_duty(other_pupil, due=date(2026, 11, 20), role=Role.OFFICE)

    reminders_send()

    [message] = inboxes()["office"]
    assert message.subject == "Reintegrate: 2 things due at Brookside School and Larkfield Academy"
    assert "Write to the parents: Jordan Ashby (Larkfield Academy)" in body(message)
    assert "Write to the parents: Riley Marsh (Brookside School)" in body(message)


def test_a_duty_about_a_cancellation_says_so(staff, pupil):
    make_duty(pupil, due=date(2026, 11, 18), role=Role.OFFICE, about=Duty.About.CANCELLATION)

    reminders_send()

    assert "Write to the parents (about the cancellation): Jordan Ashby" in body(inboxes()["office"][0])
    assert "Due today, 18/11/2026 (Wednesday)" in body(inboxes()["office"][0])


def test_names_with_apostrophes_are_not_html_escaped_in_the_plain_text(staff, school):
    pupil = PupilFactory(school=school, legal_first_name="Niamh", legal_last_name="O'Connell")
    make_duty(pupil, due=date(2026, 11, 18), role=Role.OFFICE)

    reminders_send()

    assert "Niamh O'Connell" in body(inboxes()["office"][0])
    assert "Niamh O&#x27;Connell" in html(inboxes()["office"][0])


def test_staff_without_an_email_address_are_skipped_and_counted(staff, pupil, office):
    office.email = ""
    office.save()
    make_duty(pupil, due=date(2026, 11, 18), role=Role.OFFICE)

    result = reminders_send()

    assert result.emails_sent == 0
    assert result.skipped_no_email == 1
    assert not ReminderSent.objects.exists()  # once they have an address, they get it


def test_inactive_accounts_are_not_emailed(staff, pupil, office):
    office.is_active = False
    office.save()
    make_duty(pupil, due=date(2026, 11, 18), role=Role.OFFICE)

    reminders_send()

    assert "office" not in inboxes()
    assert list(inboxes()) == ["head"]  # nobody active holds the role: the headteacher is told


# --- Never the same reminder twice ---------------------------------------------------------------------------


def test_two_runs_send_one_email(staff, pupil):
    make_duty(pupil, due=date(2026, 11, 19), role=Role.OFFICE)

    first = reminders_send()
    second = reminders_send()

    assert (first.emails_sent, second.emails_sent) == (1, 0)
    assert len(mail.outbox) == 1


def test_a_duty_whose_due_date_moves_is_reminded_once_more(staff, pupil):
    duty = make_duty(pupil, due=date(2026, 11, 19), role=Role.OFFICE)
    reminders_send()

    Duty.objects.filter(pk=duty.pk).update(due_date=date(2026, 11, 20))
    reminders_send()
    reminders_send()

    assert len(mail.outbox) == 2
    assert "Due 20/11/2026 (Friday)" in body(mail.outbox[1])
    assert set(ReminderSent.objects.values_list("key", flat=True)) == {
        f"duty:{duty.pk}:2026-11-19",
        f"duty:{duty.pk}:2026-11-20",
    }


def test_a_new_item_later_is_sent_alone(staff, pupil):
    make_duty(pupil, due=date(2026, 11, 19), role=Role.OFFICE, kind=Duty.Kind.LOCAL_AUTHORITY)
    reminders_send()
    make_duty(pupil, due=date(2026, 11, 20), role=Role.OFFICE, kind=Duty.Kind.PARENTS_LETTER)

    reminders_send()

    second = mail.outbox[1]
    assert second.subject == "Reintegrate: 1 thing due at Larkfield Academy"
    assert "Notify the local authority" not in body(second)


def test_a_failed_email_is_not_recorded_and_is_sent_by_the_next_run(staff, pupil, settings):
    make_duty(pupil, due=date(2026, 11, 19), role=Role.OFFICE)
    settings.EMAIL_BACKEND = "notifications.tests.test_reminders.RefusingBackend"

    failed = reminders_send()

    assert (failed.emails_sent, failed.failures) == (0, 1)
    assert not ReminderSent.objects.exists()

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    retried = reminders_send()

    assert (retried.emails_sent, retried.failures) == (1, 0)
    assert len(mail.outbox) == 1


def test_one_persons_failed_email_does_not_stop_or_undo_the_others(staff, pupil, settings, monkeypatch):
    make_duty(pupil, due=date(2026, 11, 16), role=Role.OFFICE)  # overdue: the office and the headteacher
    settings.EMAIL_BACKEND = "notifications.tests.test_reminders.RefusingBackend"
    monkeypatch.setattr(RefusingBackend, "refuse", {"office@school.example"})

    result = reminders_send()

    assert (result.emails_sent, result.failures) == (1, 1)
    assert list(ReminderSent.objects.values_list("user__username", flat=True)) == ["head"]


def test_an_item_another_run_has_just_claimed_is_not_sent_again(staff, pupil, office):
    """Two runs at once: the other run claimed the reminder after this one read what was due."""
    duty = make_duty(pupil, due=date(2026, 11, 19), role=Role.OFFICE)
    [digest] = reminder_selection(today=TODAY, now=timezone.now(), days_ahead=2).digests()
    ReminderSent.objects.create(
        user=office,
        school=pupil.school,
        key=f"duty:{duty.pk}:2026-11-19",
        due_date=date(2026, 11, 19),
        sent_at=timezone.now(),
        run=uuid.uuid4(),
    )

    claimed = reminder_claim(user=office, items=digest.items, run=uuid.uuid4(), now=timezone.now())

    assert claimed == []
    assert ReminderSent.objects.count() == 1


def test_claiming_returns_only_the_items_this_run_claimed(staff, pupil, office):
    first = make_duty(pupil, due=date(2026, 11, 19), role=Role.OFFICE, kind=Duty.Kind.LOCAL_AUTHORITY)
    make_duty(pupil, due=date(2026, 11, 20), role=Role.OFFICE, kind=Duty.Kind.PARENTS_LETTER)
    [digest] = reminder_selection(today=TODAY, now=timezone.now(), days_ahead=2).digests()
    ReminderSent.objects.create(
        user=office,
        school=pupil.school,
        key=f"duty:{first.pk}:2026-11-19",
        due_date=date(2026, 11, 19),
        sent_at=timezone.now(),
        run=uuid.uuid4(),
    )

    claimed = reminder_claim(user=office, items=digest.items, run=uuid.uuid4(), now=timezone.now())

    assert [item.what for item in claimed] == ["Write to the parents"]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_runs_at_the_same_moment_send_each_reminder_once(staff, pupil, monkeypatch):
    """Real threads, each with its own database connection: both read what is due before either claims it
    (a barrier after the selection), then both claim and send. On SQLite a thread that finds the database locked
    runs again, as cron's next run would (so the runs' own counts may split either way: what is sent is checked)."""
    make_duty(pupil, due=date(2026, 11, 16), role=Role.OFFICE)  # the office and the headteacher
    make_duty(pupil, due=date(2026, 11, 19), role=Role.PASTORAL_LEAD)
    both_selected = threading.Barrier(2, timeout=30)
    waited = threading.local()
    real_selection = services.reminder_selection

    def selection_then_wait(**kwargs):
        found = real_selection(**kwargs)
        if not getattr(waited, "done", False):
            waited.done = True
            both_selected.wait()
        return found

    monkeypatch.setattr(services, "reminder_selection", selection_then_wait)
    results: list[object] = [None, None]

    def run(index: int) -> None:
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    results[index] = reminders_send()
                    return
                except OperationalError as error:
                    if connection.vendor != "sqlite" or "locked" not in str(error) or time.monotonic() > deadline:
                        raise
                    time.sleep(0.01)
        except Exception as error:  # reported to the test, which fails on it
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not any(thread.is_alive() for thread in threads)

    assert all(isinstance(result, ReminderRun) for result in results), results
    assert sorted(message.to[0].split("@")[0] for message in mail.outbox) == ["head", "office", "pastoral"]
    assert ReminderSent.objects.count() == 3


# --- A fixed number of queries -------------------------------------------------------------------------------


def _many(school, headteacher, count: int) -> None:
    """`count` pupils, each with an overdue duty, a plan with a review due and a meeting to record."""
    pupils = [PupilFactory(school=school) for _ in range(count)]
    for n, pupil in enumerate(pupils):
        plan = plan_with_review(pupil, headteacher, review=date(2026, 11, 19))
        arrange_meeting(plan, when=datetime(2026, 11, 17, 9, 0, tzinfo=LONDON) + timedelta(minutes=n))
    for pupil in pupils:  # after every plan: plan_with_review closes the duties there are
        make_duty(pupil, due=date(2026, 11, 16), role=Role.OFFICE)


@pytest.mark.parametrize("count", [1, 6])
def test_reading_what_is_due_takes_five_queries_however_many_items(
    staff, school, headteacher, count, django_assert_num_queries
):
    _many(school, headteacher, count)

    with django_assert_num_queries(5):
        selection = reminder_selection(today=TODAY, now=timezone.now(), days_ahead=2)
        digests = selection.digests()

    assert len(selection.items) == 3 * count
    told = {digest.user.username: len(digest.items) for digest in digests}
    assert told == {"office": count, "head": count, "pastoral": 2 * count, "senco": 2 * count}


@pytest.mark.parametrize("count", [1, 6])
def test_a_whole_run_takes_the_same_queries_for_one_item_or_many(
    staff, school, headteacher, count, django_assert_num_queries
):
    """Five reads, then for each of the four people told (office, head, pastoral lead, SENCO): a savepoint
    and its release around the claim, the insert, and reading the claims back."""
    _many(school, headteacher, count)

    with django_assert_num_queries(5 + 4 * 4):
        result = reminders_send()

    assert result.emails_sent == 4


class RefusingBackend:
    """An email backend whose server refuses every message (or only those to `refuse`, when set)."""

    refuse: set[str] | None = None

    def __init__(self, *args, **kwargs):
        pass

    def open(self):
        return True

    def close(self):
        pass

    def send_messages(self, messages):
        sent = 0
        for message in messages:
            if RefusingBackend.refuse is None or set(message.to) & RefusingBackend.refuse:
                raise ConnectionRefusedError("The mail server refused the connection.")
            mail.outbox.append(message)
            sent += 1
        return sent

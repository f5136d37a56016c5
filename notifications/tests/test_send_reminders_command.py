"""`manage.py send_reminders`: once for cron, `--loop` to keep running, `--dry-run` to look first. Counts only."""

from __future__ import annotations

import logging
import signal
from datetime import date
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from notifications.management.commands import send_reminders
from notifications.models import ReminderSent
from notifications.tests.helpers import make_duty
from schools.models import Role
from testsupport.factories import ContactFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def due(pupil, headteacher, office):
    """An overdue duty of the office's: the office and the headteacher are reminded of it."""
    ContactFactory(pupil=pupil, name="Fictional Guardian Ashby", email="guardian@family.example")
    return make_duty(pupil, due=date(2026, 11, 16), role=Role.OFFICE)


def run(*args: str) -> str:
    out = StringIO()
    call_command("send_reminders", *args, stdout=out, stderr=out)
    return out.getvalue()


def test_a_run_emails_each_person_once_and_prints_the_counts(due):
    output = run()

    assert len(mail.outbox) == 2
    assert output.strip() == (
        "Reminders: 2 emails sent (2 items); 0 staff skipped (no email address); 0 failures; "
        "0 items with nobody to tell."
    )


def test_the_output_and_the_logs_hold_no_names_and_no_email_addresses(due, office, caplog):
    office.email = ""
    office.save()
    caplog.set_level(logging.DEBUG)

    output = run() + run("--dry-run")

    assert "1 staff skipped (no email address)" in output
    text = output + "\n".join(record.getMessage() for record in caplog.records)
    for private in ("Jordan", "Ashby", "Fictional Guardian", "@school.example", "@family.example", "head", "office"):
        assert private not in text


def test_a_dry_run_counts_what_would_be_sent_and_sends_and_records_nothing(due):
    output = run("--dry-run")

    assert output.strip() == (
        "Dry run: 2 emails would be sent (2 items); 0 staff without an email address would be skipped; "
        "0 items with nobody to tell. Nothing was sent or recorded."
    )
    assert mail.outbox == []
    assert not ReminderSent.objects.exists()
    run()
    assert len(mail.outbox) == 2  # the dry run took nothing away from the real one


def test_running_twice_sends_nothing_the_second_time(due):
    run()
    output = run()

    assert len(mail.outbox) == 2
    assert output.startswith("Reminders: 0 emails sent (0 items)")


def test_a_refused_email_is_counted_as_a_failure_and_retried_by_the_next_run(due, settings, caplog):
    settings.EMAIL_BACKEND = "notifications.tests.test_reminders.RefusingBackend"

    failed = run()

    assert "0 emails sent" in failed
    assert "2 failures" in failed
    assert "A reminder email could not be sent (ConnectionRefusedError); it will be retried." in caplog.text
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert "2 emails sent" in run()


def test_the_days_ahead_option_widens_the_window(pupil, office):
    make_duty(pupil, due=date(2026, 11, 23), role=Role.OFFICE)  # Monday: five days ahead

    assert "0 emails sent" in run()
    assert "1 email sent (1 item)" in run("--days-ahead", "5")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--days-ahead", "-1"), "--days-ahead must be 0 or more."),
        (("--loop", "--interval", "-5"), "--interval must be 0 or more seconds."),
        (("--loop", "--max-runs", "0"), "--max-runs must be 1 or more."),
    ],
)
def test_impossible_options_are_refused_with_a_message(args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)


# --- The loop ------------------------------------------------------------------------------------------------


@pytest.fixture
def sleeps(monkeypatch):
    """The sleeps between runs, recorded instead of slept."""
    slept: list[float] = []
    monkeypatch.setattr(send_reminders, "_sleep", slept.append)
    return slept


def test_the_loop_runs_twice_and_sends_once(due):
    output = run("--loop", "--max-runs", "2", "--interval", "0")

    assert len(mail.outbox) == 2  # one each for the office and the headteacher, from the first run
    lines = output.strip().splitlines()
    assert lines[0].startswith("Reminders: 2 emails sent")
    assert lines[1].startswith("Reminders: 0 emails sent")
    assert lines[2] == "Stopped after 2 runs."


def test_the_loop_sleeps_the_interval_between_runs_and_not_after_the_last(due, sleeps):
    run("--loop", "--max-runs", "3")

    assert sleeps == [900, 900]


def test_the_loop_picks_up_what_comes_due_between_runs(pupil, office, headteacher, monkeypatch):
    def next_duty_arrives(seconds: float) -> None:
        make_duty(pupil, due=date(2026, 11, 19), role=Role.OFFICE)

    monkeypatch.setattr(send_reminders, "_sleep", next_duty_arrives)
    output = run("--loop", "--max-runs", "2", "--interval", "60")

    assert [line.split(" (")[0] for line in output.splitlines()[:2]] == [
        "Reminders: 0 emails sent",
        "Reminders: 1 email sent",
    ]


def test_ctrl_c_during_the_sleep_stops_the_loop_cleanly(due, monkeypatch):
    def interrupted(seconds: float) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(send_reminders, "_sleep", interrupted)
    output = run("--loop")

    assert output.strip().splitlines()[-1] == "Stopped after 1 run."
    assert len(mail.outbox) == 2


def test_sigterm_during_the_sleep_stops_the_loop_cleanly_and_restores_the_handlers(due, monkeypatch):
    before = signal.getsignal(signal.SIGTERM)
    seen: list[object] = []

    def terminated(seconds: float) -> None:
        handler = signal.getsignal(signal.SIGTERM)
        seen.append(handler)
        assert callable(handler)
        handler(signal.SIGTERM, None)  # what the operating system does on `kill <pid>`
        raise AssertionError("the handler should have ended the sleep")

    monkeypatch.setattr(send_reminders, "_sleep", terminated)
    output = run("--loop")

    assert output.strip().splitlines()[-1] == "Stopped after 1 run."
    assert seen
    assert seen[0] is not before
    assert signal.getsignal(signal.SIGTERM) is before


def test_sigterm_during_a_run_lets_the_run_finish_then_stops(due, monkeypatch, sleeps):
    real_send = send_reminders.reminders_send

    def send_then_terminated(**kwargs):
        result = real_send(**kwargs)
        signal.getsignal(signal.SIGTERM)(signal.SIGTERM, None)
        return result

    monkeypatch.setattr(send_reminders, "reminders_send", send_then_terminated)
    output = run("--loop", "--max-runs", "5")

    assert output.strip().splitlines() == [
        "Reminders: 2 emails sent (2 items); 0 staff skipped (no email address); 0 failures; "
        "0 items with nobody to tell.",
        "Stopped after 1 run.",
    ]
    assert sleeps == []
    assert len(mail.outbox) == 2


def test_a_run_that_fails_does_not_end_the_loop(due, monkeypatch, sleeps, caplog):
    real_send = send_reminders.reminders_send
    calls: list[int] = []

    def flaky(**kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise ConnectionError("database went away: Jordan Ashby")
        return real_send(**kwargs)

    monkeypatch.setattr(send_reminders, "reminders_send", flaky)
    output = run("--loop", "--max-runs", "2", "--interval", "5")

    assert "The run failed (ConnectionError); trying again in 5 seconds." in output
    assert "2 emails sent" in output
    assert "Jordan" not in output
    assert "Jordan" not in caplog.text

"""Writes for the reminders: claim each reminder, email one digest per member of staff, release on failure.

A reminder is claimed before its email is sent: a row of ReminderSent per (user, item and due date), inserted in
one transaction per member of staff. The unique constraint means that a second run, even one running at the same
moment, claims nothing already claimed, so no reminder is sent twice. If the email fails, that person's rows from
this run are deleted and the next run tries again. (If the process dies between the claim and the send, those
reminders are not sent; if the database fails mid-run, the run stops and the next one carries on from what was
claimed. A missed or later reminder is preferred to a repeated one.)

Nothing here logs or returns a name or an email address: the command prints counts only.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from notifications.models import ReminderSent
from notifications.selectors import Digest, ReminderItem, reminder_selection

logger = logging.getLogger(__name__)

DEFAULT_DAYS_AHEAD = 2


@dataclass
class ReminderRun:
    """What one run did, in counts only (no names, no addresses)."""

    emails_sent: int = 0
    items_sent: int = 0
    skipped_no_email: int = 0  # staff with new items but no email address
    failures: int = 0  # emails the mail server refused; retried next run
    unassigned: int = 0  # items with nobody at the school to tell
    dry_run: bool = False

    @property
    def summary(self) -> str:
        if self.dry_run:
            return (
                f"Dry run: {self.emails_sent} {_plural(self.emails_sent, 'email')} would be sent "
                f"({self.items_sent} {_plural(self.items_sent, 'item')}); "
                f"{self.skipped_no_email} staff without an email address would be skipped; "
                f"{self.unassigned} {_plural(self.unassigned, 'item')} with nobody to tell. "
                "Nothing was sent or recorded."
            )
        return (
            f"Reminders: {self.emails_sent} {_plural(self.emails_sent, 'email')} sent "
            f"({self.items_sent} {_plural(self.items_sent, 'item')}); "
            f"{self.skipped_no_email} staff skipped (no email address); "
            f"{self.failures} {_plural(self.failures, 'failure')}; "
            f"{self.unassigned} {_plural(self.unassigned, 'item')} with nobody to tell."
        )


def _plural(count: int, word: str) -> str:
    return word if count == 1 else f"{word}s"


def reminders_send(
    *,
    days_ahead: int = DEFAULT_DAYS_AHEAD,
    dry_run: bool = False,
    today: date | None = None,
    now: datetime | None = None,
) -> ReminderRun:
    """Email each member of staff one digest of the items they have not been reminded of yet.

    Items: open statutory duties due within `days_ahead` calendar days or overdue, active plans whose next review
    is due by then, and arranged meetings whose time has passed (see notifications.selectors for who is told).
    With `dry_run`, counts what would be sent and writes nothing.
    """
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    selection = reminder_selection(today=today, now=now, days_ahead=days_ahead)
    result = ReminderRun(dry_run=dry_run, unassigned=selection.unassigned)
    digests = selection.digests()
    to_send = []
    for digest in digests:
        if not digest.user.email:
            result.skipped_no_email += 1
        else:
            to_send.append(digest)
    if dry_run:
        result.emails_sent = len(to_send)
        result.items_sent = sum(len(digest.items) for digest in to_send)
        return result
    if not to_send:
        return result

    run = uuid.uuid4()
    connection = get_connection()
    try:
        for digest in to_send:
            claimed = reminder_claim(user=digest.user, items=digest.items, run=run, now=now)
            if not claimed:
                continue  # another run claimed them all a moment ago
            try:
                _email(Digest(user=digest.user, items=claimed), connection=connection)
            except Exception as error:  # any failure to send: release the claims so the next run retries
                reminder_release(user=digest.user, run=run)
                result.failures += 1
                logger.warning("A reminder email could not be sent (%s); it will be retried.", type(error).__name__)
            else:
                result.emails_sent += 1
                result.items_sent += len(claimed)
    finally:
        connection.close()
    return result


@transaction.atomic
def reminder_claim(*, user: User, items: list[ReminderItem], run: uuid.UUID, now: datetime) -> list[ReminderItem]:
    """Claim the reminders about `items` for `user` in this run; return the items claimed (in order).

    An item already claimed, by an earlier run or by one running now, is left out: the unique constraint on
    (user, key) makes the insert skip it, and only this run's rows are read back.
    """
    ReminderSent.objects.bulk_create(
        [
            ReminderSent(user=user, school=item.school, key=item.key, due_date=item.due_date, sent_at=now, run=run)
            for item in items
        ],
        ignore_conflicts=True,
    )
    mine = set(ReminderSent.objects.filter(user=user, run=run).values_list("key", flat=True))
    return [item for item in items if item.key in mine]


@transaction.atomic
def reminder_release(*, user: User, run: uuid.UUID) -> None:
    """Give back the reminders claimed for `user` in this run (their email failed), so the next run retries."""
    ReminderSent.objects.filter(user=user, run=run).delete()


def _email(digest: Digest, *, connection: Any) -> None:
    context = {
        "user": digest.user,
        "digest": digest,
        "several_schools": len(digest.schools) > 1,
        "site_url": settings.SITE_URL,
    }
    message = EmailMultiAlternatives(
        subject=digest.subject,
        body=render_to_string("notifications/reminder_email.txt", context),
        to=[digest.user.email],
        connection=connection,
    )
    message.attach_alternative(render_to_string("notifications/reminder_email.html", context), "text/html")
    message.send()

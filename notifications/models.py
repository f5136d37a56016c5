"""Reminders emailed to staff, one row per reminder per person, so that none is ever sent twice.

A row is claimed (inserted) before the email goes out; the unique constraint on (user, key) means a second run,
even one running at the same moment, cannot claim it again. If the email fails, the row is deleted so that the
next run tries again. The key names the item and its due date (e.g. `duty:12:2026-11-20`): when a due date
moves, the item is a new reminder.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from schools.models import School


class ReminderSent(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=100, help_text="The item and its due date, e.g. duty:12:2026-11-20.")
    due_date = models.DateField()
    sent_at = models.DateTimeField(help_text="When the reminder was claimed for sending.")
    run = models.UUIDField(editable=False, help_text="The run of send_reminders that claimed it.")

    class Meta:
        ordering = ["-sent_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="one_reminder_per_user_per_item"),
        ]

    def __str__(self) -> str:
        return f"Reminder {self.key} ({self.due_date:%d/%m/%Y})"

"""Evidence from the school's own data (imported from its MIS): behaviour events and attendance.

Criteria in plans can be measured from this evidence instead of typed from memory. Rows are keyed so that importing
the same file again changes nothing: a behaviour event by the MIS's own id when the export has one (else by its
content), attendance by pupil and week, a mark by pupil, date and session.
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q

from pupils.models import Pupil
from schools.models import School


class BehaviourEvent(models.Model):
    class Kind(models.TextChoices):
        INCIDENT = "incident", "Behaviour incident"
        ACHIEVEMENT = "achievement", "Achievement (positive)"

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="behaviour_events")
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="behaviour_events")
    occurred_on = models.DateField()
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.INCIDENT)
    category = models.CharField(max_length=100, help_text="The MIS's category, e.g. 'Disruption', 'Late to lesson'.")
    points = models.IntegerField(default=0, help_text="Behaviour points as the MIS gives them (negative or positive).")
    description = models.CharField(max_length=300, blank=True)
    source_id = models.CharField(
        "MIS id", max_length=100, blank=True, help_text="The event's id in the MIS export, when it has one."
    )
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["occurred_on", "id"]
        indexes = [
            models.Index(fields=["pupil", "occurred_on"]),
            models.Index(fields=["school", "occurred_on"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "source_id"], condition=~Q(source_id=""), name="one_behaviour_event_per_mis_id"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.category} on {self.occurred_on:%d/%m/%Y}"


class AttendanceWeek(models.Model):
    """A pupil's attendance in one week (Monday to Friday), in sessions (half days), as the MIS summarises it."""

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="attendance_weeks")
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="attendance_weeks")
    week_start = models.DateField(help_text="The Monday of the week.")
    possible_sessions = models.PositiveSmallIntegerField()
    attended_sessions = models.PositiveSmallIntegerField()
    late_sessions = models.PositiveSmallIntegerField(default=0)
    suspended_sessions = models.PositiveSmallIntegerField(default=0, help_text="Sessions marked E (suspended).")
    imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["week_start", "id"]
        indexes = [models.Index(fields=["school", "week_start"])]
        constraints = [
            models.UniqueConstraint(fields=["pupil", "week_start"], name="one_attendance_row_per_pupil_week"),
            models.CheckConstraint(
                condition=Q(attended_sessions__lte=F("possible_sessions")), name="attended_at_most_possible"
            ),
            models.CheckConstraint(condition=Q(week_start__week_day=2), name="attendance_week_starts_monday"),
        ]

    def __str__(self) -> str:
        return f"Attendance w/c {self.week_start:%d/%m/%Y}: {self.attended_sessions}/{self.possible_sessions}"

    @property
    def percentage(self) -> float | None:
        return None if not self.possible_sessions else 100 * self.attended_sessions / self.possible_sessions


class AttendanceMark(models.Model):
    """One register mark for one session, with its code (e.g. '/', '\\\\', 'L', 'E', 'C2')."""

    class Session(models.TextChoices):
        AM = "am", "Morning"
        PM = "pm", "Afternoon"

    # Codes that count as present (DfE register codes); L is present but late.
    PRESENT = frozenset({"/", "\\", "L", "B", "D", "J", "P", "V", "W", "K"})
    NOT_POSSIBLE = frozenset({"X", "Y", "Z", "#"})
    SUSPENDED = "E"

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="attendance_marks")
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="attendance_marks")
    date = models.DateField()
    session = models.CharField(max_length=2, choices=Session.choices)
    code = models.CharField(max_length=3)
    imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["date", "session"]
        indexes = [
            models.Index(fields=["pupil", "date"]),
            models.Index(fields=["school", "date", "code"]),
        ]
        constraints = [
            models.UniqueConstraint(fields=["pupil", "date", "session"], name="one_mark_per_pupil_session"),
        ]

    def __str__(self) -> str:
        return f"{self.code} on {self.date:%d/%m/%Y} {self.session}"

"""Suspensions and the DfE reason codes they are recorded against."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from pupils.models import Pupil
from reintegrate import statutory
from schools.models import School


class ReasonCode(models.Model):
    """A DfE census reason for a suspension or permanent exclusion, valid for a range of dates.

    Reference data: a later code list is added by a data migration, closing the old codes with valid_to.
    """

    code = models.CharField(max_length=4)
    description = models.CharField(max_length=200)
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True, help_text="Empty while the code is in force.")

    class Meta:
        ordering = ["description"]
        constraints = [
            models.UniqueConstraint(fields=["code", "valid_from"], name="one_reason_code_per_version"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="reason_code_valid_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.description}"

    def is_valid_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


def reason_codes_valid_on(day: date) -> models.QuerySet[ReasonCode]:
    return ReasonCode.objects.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day), valid_from__lte=day)


class Suspension(models.Model):
    class Kind(models.TextChoices):
        SUSPENSION = "suspension", "Suspension"
        LUNCHTIME = "lunchtime", "Lunchtime suspension"
        PERMANENT = "permanent", "Permanent exclusion"

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", "Confirmed"
        CANCELLED = "cancelled", "Cancelled"

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="suspensions")
    pupil = models.ForeignKey(Pupil, on_delete=models.PROTECT, related_name="suspensions")
    kind = models.CharField("Type", max_length=12, choices=Kind.choices, default=Kind.SUSPENSION)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.CONFIRMED)
    start_date = models.DateField()
    start_session = models.CharField(
        max_length=2, choices=[(s.value, s.name) for s in statutory.Session], default=statutory.Session.AM.value
    )
    sessions = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Length in sessions (half days); a lunchtime counts as one session."
    )
    reasons = models.ManyToManyField(ReasonCode, related_name="suspensions")
    incident_summary = models.TextField()
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_by_role = models.CharField(max_length=40, help_text="The decision-maker's role when deciding.")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    misses_public_exam = models.BooleanField(
        "Misses a public examination or national curriculum test",
        default=False,
        help_text="The governing board must then consider the suspension, before the exam where practicable.",
    )
    exam_date = models.DateField(null=True, blank=True)
    follows = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="further_suspensions",
        help_text="The suspension this further suspension follows on from.",
    )
    # Computed from the school calendar when recorded (reintegrate.statutory.suspension_period).
    last_day = models.DateField(null=True, blank=True)
    return_date = models.DateField(null=True, blank=True)
    return_session = models.CharField(max_length=2, blank=True)
    occupied_sessions = models.JSONField(
        default=list, blank=True, help_text='The sessions the suspension covers, as ["2026-11-02", "am"] pairs.'
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    cancellation_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-start_date", "-id"]
        indexes = [
            models.Index(fields=["school", "return_date"]),
            models.Index(fields=["school", "start_date"]),
            models.Index(fields=["pupil", "start_date"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="permanent", sessions__isnull=True)
                | (~Q(kind="permanent") & Q(sessions__gte=1) & Q(return_date__isnull=False)),
                name="suspension_has_fixed_length",
            ),
            models.CheckConstraint(
                condition=~Q(kind="lunchtime") | Q(start_session="pm"), name="lunchtime_is_an_afternoon_session"
            ),
            models.CheckConstraint(
                condition=Q(misses_public_exam=False, exam_date__isnull=True)
                | Q(misses_public_exam=True, exam_date__isnull=False),
                name="missed_exam_has_a_date",
            ),
            models.CheckConstraint(
                condition=Q(status="confirmed", cancelled_at__isnull=True)
                | (Q(status="cancelled", cancelled_at__isnull=False) & ~Q(cancellation_reason="")),
                name="cancellation_has_time_and_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} from {self.start_date:%d/%m/%Y}"

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    @property
    def is_permanent(self) -> bool:
        return self.kind == self.Kind.PERMANENT

    @property
    def days_label(self) -> str:
        """'2.5 days', '1 lunchtime': the length as staff say it."""
        if self.sessions is None:
            return "Permanent"
        if self.kind == self.Kind.LUNCHTIME:
            return f"{self.sessions} lunchtime{'s' if self.sessions != 1 else ''}"
        days = statutory.format_days(self.sessions)
        return f"{days} day{'' if days == '1' else 's'}"

    @property
    def period(self) -> statutory.SuspensionPeriod | None:
        """The sessions this suspension covers, as recorded (None for a permanent exclusion)."""
        if not self.occupied_sessions or self.return_date is None or self.last_day is None:
            return None
        return statutory.SuspensionPeriod(
            sessions=tuple((date.fromisoformat(day), statutory.Session(s)) for day, s in self.occupied_sessions),
            first_day=self.start_date,
            last_day=self.last_day,
            return_date=self.return_date,
            return_session=statutory.Session(self.return_session),
        )

    @property
    def return_label(self) -> str:
        if self.return_date is None:
            return ""
        when = "afternoon" if self.return_session == statutory.Session.PM else "morning"
        return f"{self.return_date:%A %d/%m/%Y}, {when}"

"""Trusts, schools, their calendars, and the staff who work there in a role."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from reintegrate import statutory


class Trust(models.Model):
    name = models.CharField(max_length=200, unique=True)

    def __str__(self) -> str:
        return self.name


class School(models.Model):
    trust = models.ForeignKey(Trust, null=True, blank=True, on_delete=models.PROTECT, related_name="schools")
    name = models.CharField(max_length=200)
    urn = models.CharField("URN", max_length=6, unique=True, help_text="The six-digit unique reference number.")
    local_authority = models.CharField(max_length=100)
    address = models.TextField(blank=True)
    # Repeated suspensions (guidance para 7; not statutory): alert and prompt a pastoral support programme when
    # a pupil reaches either threshold within the last three terms. Defaults follow domain.md row 30.
    repeat_alert_suspensions = models.PositiveSmallIntegerField(
        "Alert after this many suspensions", default=3, help_text="Counted over the last three terms."
    )
    sixth_day_notice_hours = models.PositiveSmallIntegerField(
        "Tell parents of sixth-day provision this many hours ahead",
        default=48,
        help_text="Unverified in the guidance; 48 hours is the figure usually quoted.",
    )
    repeat_alert_days = models.DecimalField(
        "Alert after this many days of suspension",
        max_digits=4,
        decimal_places=1,
        default=10,
        help_text="Counted over the last three terms.",
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(urn__regex=r"^[0-9]{6}$"), name="school_urn_six_digits"),
        ]

    def __str__(self) -> str:
        return self.name


class AcademicYear(models.Model):
    """A school year, 1 September to 31 August by default, holding three terms."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="academic_years")
    start_date = models.DateField()
    end_date = models.DateField()

    class Meta:
        ordering = ["start_date"]
        constraints = [
            models.UniqueConstraint(fields=["school", "start_date"], name="one_academic_year_per_start"),
            models.CheckConstraint(condition=Q(end_date__gt=F("start_date")), name="academic_year_ends_after_start"),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return statutory.academic_year_label(self.start_date)


class Term(models.Model):
    class Name(models.TextChoices):
        AUTUMN = "autumn", "Autumn"
        SPRING = "spring", "Spring"
        SUMMER = "summer", "Summer"

    academic_year = models.ForeignKey(AcademicYear, on_delete=models.CASCADE, related_name="terms")
    name = models.CharField(max_length=10, choices=Name.choices)
    start_date = models.DateField(help_text="The first day of term.")
    end_date = models.DateField(help_text="The last day of term.")

    class Meta:
        ordering = ["start_date"]
        constraints = [
            models.UniqueConstraint(fields=["academic_year", "name"], name="one_term_of_each_name_per_year"),
            models.CheckConstraint(condition=Q(end_date__gte=F("start_date")), name="term_ends_on_or_after_start"),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        year = self.start_date.year
        return f"{self.get_name_display()} {year}"


class NonSchoolDay(models.Model):
    """A day, or a run of days, inside term when pupils are not taught: INSET, closures, bank holidays."""

    class Kind(models.TextChoices):
        INSET = "inset", "INSET (training) day"
        HOLIDAY = "holiday", "Holiday (e.g. half term)"
        BANK_HOLIDAY = "bank_holiday", "Bank holiday"
        CLOSURE = "closure", "Closure (e.g. snow, polling station)"

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="non_school_days")
    start_date = models.DateField()
    end_date = models.DateField()
    kind = models.CharField(max_length=20, choices=Kind.choices)
    description = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["start_date"]
        indexes = [models.Index(fields=["school", "start_date"])]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=F("start_date")), name="non_school_day_ends_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.start_date:%d/%m/%Y}"


class Role(models.TextChoices):
    HEADTEACHER = "headteacher", "Headteacher"
    SENIOR_LEADER = "senior_leader", "Senior leader"
    PASTORAL_LEAD = "pastoral_lead", "Pastoral lead"
    SENCO = "senco", "SENCO"
    TEACHER = "teacher", "Teacher"
    OFFICE = "office", "Office staff"
    GOVERNOR = "governor", "Governor"
    DATA_PROTECTION_OFFICER = "dpo", "Data protection officer"


class Membership(models.Model):
    """A member of staff's role at one school. A user may hold roles at several schools of a trust."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices)
    is_acting = models.BooleanField(
        default=False, help_text="Acting in this role, e.g. an acting headteacher who may decide suspensions."
    )
    job_title = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["school__name", "role"]
        constraints = [
            models.UniqueConstraint(fields=["user", "school"], name="one_role_per_user_per_school"),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()}, {self.school})"

    @property
    def role_label(self) -> str:
        label = self.get_role_display()
        return f"Acting {label.lower()}" if self.is_acting else label


class TrustRole(models.TextChoices):
    TRUST_LEADER = "trust_leader", "Trust leader"
    TRUST_DPO = "trust_dpo", "Trust data protection officer"


class TrustMembership(models.Model):
    """A role at trust level: it reads across the trust's schools, and nowhere else."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="trust_memberships")
    trust = models.ForeignKey(Trust, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=TrustRole.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "trust"], name="one_trust_role_per_user_per_trust"),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()}, {self.trust})"

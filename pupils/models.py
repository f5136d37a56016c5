"""Pupils and the adults to contact about them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower

from pupils.validators import validate_upn
from schools.models import School


class YearGroup(models.TextChoices):
    RECEPTION = "R", "Reception"
    Y1 = "1", "Year 1"
    Y2 = "2", "Year 2"
    Y3 = "3", "Year 3"
    Y4 = "4", "Year 4"
    Y5 = "5", "Year 5"
    Y6 = "6", "Year 6"
    Y7 = "7", "Year 7"
    Y8 = "8", "Year 8"
    Y9 = "9", "Year 9"
    Y10 = "10", "Year 10"
    Y11 = "11", "Year 11"
    Y12 = "12", "Year 12"
    Y13 = "13", "Year 13"


class Pupil(models.Model):
    class Sex(models.TextChoices):
        FEMALE = "F", "Female"
        MALE = "M", "Male"

    class SEN(models.TextChoices):
        NONE = "N", "No special educational needs"
        SUPPORT = "K", "SEN support"
        EHC_PLAN = "E", "Education, health and care plan"

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="pupils")
    upn = models.CharField("UPN", max_length=13, validators=[validate_upn], help_text="Unique pupil number.")
    legal_first_name = models.CharField(max_length=100)
    legal_last_name = models.CharField(max_length=100)
    preferred_first_name = models.CharField(max_length=100, blank=True)
    preferred_last_name = models.CharField(max_length=100, blank=True)
    date_of_birth = models.DateField()
    year_group = models.CharField(max_length=2, choices=YearGroup.choices)
    sex = models.CharField(max_length=1, choices=Sex.choices)
    sen_status = models.CharField("SEN status", max_length=1, choices=SEN.choices, default=SEN.NONE)
    sen_detail = models.TextField("SEN detail", blank=True)
    fsm_eligible = models.BooleanField("Eligible for free school meals", default=False)
    looked_after = models.BooleanField("Looked after", default=False)
    has_social_worker = models.BooleanField("Has a social worker", default=False)
    eal = models.BooleanField("English as an additional language", default=False)
    is_active = models.BooleanField(default=True, help_text="False once the pupil has left the school.")

    class Meta:
        ordering = ["legal_last_name", "legal_first_name"]
        indexes = [
            models.Index(fields=["school", "legal_last_name", "legal_first_name"]),
            models.Index(Lower("legal_last_name"), "school", name="pupil_last_name_ci"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["school", "upn"], name="one_pupil_per_upn_per_school"),
            models.CheckConstraint(condition=Q(upn__regex=r"^[A-Z][0-9]{11}[0-9A-Z]$"), name="pupil_upn_shape"),
        ]

    def __str__(self) -> str:
        return self.display_name

    def save(self, *args: object, **kwargs: object) -> None:
        self.upn = "".join(self.upn.split()).upper()
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @property
    def first_name(self) -> str:
        return self.preferred_first_name or self.legal_first_name

    @property
    def last_name(self) -> str:
        return self.preferred_last_name or self.legal_last_name

    @property
    def display_name(self) -> str:
        """The name staff use: the preferred name where the pupil has one."""
        return f"{self.first_name} {self.last_name}"

    @property
    def legal_name(self) -> str:
        return f"{self.legal_first_name} {self.legal_last_name}"


class Contact(models.Model):
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(max_length=200)
    relationship = models.CharField(max_length=100, help_text="For example mother, father, foster carer.")
    parental_responsibility = models.BooleanField(default=True)
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    address = models.TextField(blank=True)
    preferred_language = models.CharField(max_length=60, default="English")
    priority = models.PositiveSmallIntegerField(default=1, help_text="1 is the first to contact.")

    class Meta:
        ordering = ["priority", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.relationship})"


class PreviousSchoolSuspension(models.Model):
    """Days of suspension at a previous school in one school year: they count towards the 45-day cap.

    Rule: the cap's total "includes suspensions from previous schools" (domain.md section 2, row 2).
    """

    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="previous_school_suspensions")
    school_name = models.CharField("Previous school", max_length=200)
    academic_year_start = models.DateField(help_text="1 September of the school year the days fall in.")
    sessions = models.PositiveSmallIntegerField(help_text="Half days of suspension there in that school year.")
    note = models.CharField(max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-academic_year_start", "school_name"]
        constraints = [
            models.CheckConstraint(condition=Q(sessions__gte=1), name="previous_school_days_positive"),
            models.CheckConstraint(
                condition=Q(academic_year_start__month=9, academic_year_start__day=1),
                name="previous_school_year_starts_1_september",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.school_name}: {self.sessions} sessions"

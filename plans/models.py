"""The reintegration plan: strategy, optional meeting, goals with measurable criteria, and progress reviews.

Three statuses are kept apart (after FHIR CarePlan and Goal):
- the plan's status (draft, active, closed);
- each goal's lifecycle status (is it live?);
- each goal's achievement status (is it being met?), set at each review.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from pupils.models import Pupil
from schools.models import School
from suspensions.models import Suspension


class ReintegrationPlan(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        ACTIVE = "active", "Active"
        CLOSED = "closed", "Closed"

    class CheckIn(models.TextChoices):
        DAILY = "daily", "Daily"
        TWICE_WEEKLY = "twice_weekly", "Twice a week"
        WEEKLY = "weekly", "Weekly"
        FORTNIGHTLY = "fortnightly", "Every two weeks"

    class Outcome(models.TextChoices):
        ACHIEVED = "achieved", "Goals achieved"
        PARTLY_ACHIEVED = "partly_achieved", "Goals partly achieved"
        NOT_ACHIEVED = "not_achieved", "Goals not achieved"
        ESCALATED = "escalated", "Escalated to other support"

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="plans")
    pupil = models.ForeignKey(Pupil, on_delete=models.PROTECT, related_name="plans")
    suspension = models.OneToOneField(Suspension, on_delete=models.PROTECT, related_name="plan")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    strategy = models.TextField(
        blank=True,
        help_text="How the pupil's behaviour will be managed on return. Every return needs one.",
    )
    key_adult = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="key_adult_plans"
    )
    support_measures = models.TextField(blank=True)
    check_in_frequency = models.CharField(max_length=20, choices=CheckIn.choices, blank=True)
    reasonable_adjustments = models.TextField(
        "Reasonable adjustments for SEND", blank=True, help_text="Adjustments for a pupil with SEN or a disability."
    )
    no_meeting_reason = models.TextField(
        "Why no reintegration meeting is held",
        blank=True,
        help_text="A meeting is good practice but optional. Where none is held, record why.",
    )
    next_review_date = models.DateField(null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    closed_on = models.DateField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1, help_text="Bumped on every change, to detect conflicts.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-suspension__return_date", "-id"]
        indexes = [
            models.Index(fields=["school", "status"]),
            models.Index(fields=["school", "next_review_date"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | ~Q(strategy=""), name="active_or_closed_plan_has_strategy"
            ),
            models.CheckConstraint(
                condition=~Q(status="closed") | (~Q(outcome="") & Q(closed_on__isnull=False)),
                name="closed_plan_has_outcome",
            ),
        ]

    def __str__(self) -> str:
        return f"Reintegration plan for {self.pupil} ({self.suspension})"

    @property
    def has_strategy(self) -> bool:
        return bool(self.strategy.strip())


class Meeting(models.Model):
    """The optional reintegration meeting. The return never depends on it."""

    class Status(models.TextChoices):
        ARRANGED = "arranged", "Arranged"
        HELD = "held", "Held"
        NOT_HELD = "not_held", "Did not take place"

    class Mode(models.TextChoices):
        IN_PERSON = "in_person", "In person"
        REMOTE = "remote", "Remote (video or phone)"

    plan = models.OneToOneField(ReintegrationPlan, on_delete=models.CASCADE, related_name="meeting")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ARRANGED)
    scheduled_for = models.DateTimeField()
    mode = models.CharField(max_length=10, choices=Mode.choices, default=Mode.IN_PERSON)
    location = models.CharField(
        "Room or link", max_length=300, blank=True, help_text="The room, or the video link or phone number."
    )
    pupil_views = models.TextField("The pupil's views", blank=True)
    parent_views = models.TextField("The parents' or carers' views", blank=True)
    notes = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["status", "scheduled_for"])]

    def __str__(self) -> str:
        return f"Reintegration meeting {self.scheduled_for:%d/%m/%Y %H:%M}"


class MeetingParticipant(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="participants")
    name = models.CharField(max_length=200)
    role = models.CharField(max_length=100, help_text="For example pupil, mother, head of year, SENCO.")
    invited = models.BooleanField(default=True)
    attended = models.BooleanField(null=True, blank=True, help_text="Empty until the meeting is recorded.")

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.role})"


class Goal(models.Model):
    class Area(models.TextChoices):
        BEHAVIOUR = "behaviour", "Behaviour"
        ACADEMIC = "academic", "Academic progress"
        ATTENDANCE = "attendance", "Attendance"
        WELLBEING = "wellbeing", "Wellbeing"

    class ExpressedBy(models.TextChoices):
        PUPIL = "pupil", "The pupil"
        PARENT = "parent", "A parent or carer"
        STAFF = "staff", "A member of staff"

    class Lifecycle(models.TextChoices):
        PROPOSED = "proposed", "Proposed"
        ACTIVE = "active", "Active"
        COMPLETED = "completed", "Completed"
        CANCELLED = "cancelled", "Cancelled"

    class Achievement(models.TextChoices):
        IN_PROGRESS = "in_progress", "In progress"
        IMPROVING = "improving", "Improving"
        NO_CHANGE = "no_change", "No change"
        WORSENING = "worsening", "Worsening"
        ACHIEVED = "achieved", "Achieved"
        NOT_ACHIEVED = "not_achieved", "Not achieved"

    plan = models.ForeignKey(ReintegrationPlan, on_delete=models.CASCADE, related_name="goals")
    area = models.CharField(max_length=12, choices=Area.choices)
    pupil_aim = models.TextField("What the pupil wants to achieve", help_text="In the pupil's own words.")
    expressed_by = models.CharField("Who said this", max_length=10, choices=ExpressedBy.choices)
    expressed_by_name = models.CharField("Name of the person who said it", max_length=200, blank=True)
    current_position = models.TextField("Where the pupil is now", help_text="The baseline, against the aim.")
    pupil_actions = models.TextField("What the pupil will do")
    start_date = models.DateField()
    target_date = models.DateField()
    longer_horizon_confirmed = models.BooleanField(
        default=False, help_text="The target date is more than a term after the return, and that is intended."
    )
    review_dates = models.JSONField(default=list, blank=True, help_text="ISO dates of planned reviews.")
    lifecycle_status = models.CharField(max_length=10, choices=Lifecycle.choices, default=Lifecycle.ACTIVE)
    achievement_status = models.CharField(max_length=12, choices=Achievement.choices, default=Achievement.IN_PROGRESS)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["area", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(target_date__gt=F("start_date")), name="goal_target_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.get_area_display()}: {self.pupil_aim[:60]}"


class SupportAction(models.Model):
    """Something the school, the family, the pupil or an agency will do, with an owner and a due date."""

    class ByWhom(models.TextChoices):
        SCHOOL = "school", "The school"
        FAMILY = "family", "The family"
        PUPIL = "pupil", "The pupil"
        AGENCY = "agency", "Another agency"

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="actions")
    by_whom = models.CharField(max_length=10, choices=ByWhom.choices)
    description = models.TextField()
    owner = models.CharField(max_length=200, help_text="The named person who will make sure it happens.")
    due_date = models.DateField()
    done_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["due_date", "id"]

    def __str__(self) -> str:
        return self.description[:60]


class Criterion(models.Model):
    """A measurable success criterion: a measure, a baseline, a target and a due date."""

    class Kind(models.TextChoices):
        NUMBER = "number", "A number"
        YES_NO = "yes_no", "A yes or no check"

    class Comparator(models.TextChoices):
        AT_MOST = "lte", "at most"
        LESS_THAN = "lt", "fewer than"
        AT_LEAST = "gte", "at least"
        MORE_THAN = "gt", "more than"
        EXACTLY = "eq", "exactly"

    class Source(models.TextChoices):
        """Where the observed value comes from: staff at each review, or the school's data (evidence.measures)."""

        MANUAL = "manual", "Entered by staff at each review"
        INCIDENTS = "incidents", "Behaviour incidents per week, from the school's data"
        CATEGORY = "category", "Incidents of one behaviour category per week, from the school's data"
        POINTS = "points", "Behaviour points per week, from the school's data"
        ATTENDANCE = "attendance", "Attendance since the return (%), from the school's data"
        LATES = "lates", "Lates per week, from the school's data"

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="criteria")
    measure = models.CharField(max_length=200, help_text="What is measured, e.g. 'on-call logs per week'.")
    source = models.CharField("Measured from", max_length=12, choices=Source.choices, default=Source.MANUAL)
    source_category = models.CharField(
        "Behaviour category", max_length=100, blank=True, help_text="As the MIS names it, e.g. 'Disruption'."
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.NUMBER)
    baseline_value = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True)
    baseline_note = models.CharField(max_length=200, blank=True)
    comparator = models.CharField(max_length=3, choices=Comparator.choices, blank=True)
    target_value = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True)
    due_date = models.DateField()

    class Meta:
        ordering = ["due_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="number") & ~Q(comparator="") & Q(target_value__isnull=False))
                | (Q(kind="yes_no") & Q(comparator="") & Q(target_value__isnull=True)),
                name="criterion_has_measurable_target",
            ),
            models.CheckConstraint(
                condition=Q(source="manual") | Q(kind="number"), name="measured_criterion_is_a_number"
            ),
            models.CheckConstraint(
                condition=(Q(source="category") & ~Q(source_category=""))
                | (~Q(source="category") & Q(source_category="")),
                name="category_criterion_names_its_category",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.measure}: {self.target_label}"

    @property
    def is_measured(self) -> bool:
        """Measured from the school's data rather than entered by staff."""
        return self.source != self.Source.MANUAL

    @property
    def target_label(self) -> str:
        if self.kind == self.Kind.YES_NO:
            return "yes"
        assert self.target_value is not None
        return f"{self.get_comparator_display()} {_plain_number(self.target_value)}"

    def is_met(self, *, value: Decimal | None = None, yes: bool | None = None) -> bool | None:
        """Whether an observation meets the target; None when nothing was observed."""
        if self.kind == self.Kind.YES_NO:
            return yes
        if value is None or self.target_value is None:
            return None
        target = self.target_value
        return {
            "lte": value <= target,
            "lt": value < target,
            "gte": value >= target,
            "gt": value > target,
            "eq": value == target,
        }[self.comparator]


def _plain_number(value: Decimal) -> str:
    return f"{value.normalize():f}"


class Review(models.Model):
    """A progress review. Append-only: it keeps a snapshot of the plan as it stood."""

    class Decision(models.TextChoices):
        CONTINUE = "continue", "Continue the plan as it is"
        ADJUST = "adjust", "Adjust the plan"
        CLOSE = "close", "Close the plan"
        ESCALATE = "escalate", "Escalate (more support needed)"

    plan = models.ForeignKey(ReintegrationPlan, on_delete=models.PROTECT, related_name="reviews")
    held_on = models.DateField()
    participants = models.TextField(help_text="Who took part, one per line.")
    decision = models.CharField(max_length=10, choices=Decision.choices)
    next_review_date = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True)
    snapshot = models.JSONField(help_text="The plan, goals and criteria as they stood at this review.")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(decision="close") | Q(next_review_date__isnull=False),
                name="open_review_sets_next_review",
            ),
            models.CheckConstraint(
                condition=Q(next_review_date__isnull=True) | Q(next_review_date__gt=F("held_on")),
                name="next_review_after_review",
            ),
        ]

    def __str__(self) -> str:
        return f"Review on {self.held_on:%d/%m/%Y}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not kwargs.get("force_insert"):
            raise ValueError("Reviews are append-only: record a new review instead of changing this one.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ValueError("Reviews are append-only and cannot be deleted.")


class ReviewCriterionResult(models.Model):
    review = models.ForeignKey(Review, on_delete=models.PROTECT, related_name="criterion_results")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="results")
    observed_value = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True)
    observed_yes = models.BooleanField(null=True, blank=True)
    met = models.BooleanField(null=True, blank=True)
    comment = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["review", "criterion"], name="one_result_per_criterion_per_review"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion.measure} at {self.review}"


class ReviewGoalStatus(models.Model):
    review = models.ForeignKey(Review, on_delete=models.PROTECT, related_name="goal_statuses")
    goal = models.ForeignKey(Goal, on_delete=models.PROTECT, related_name="review_statuses")
    achievement_status = models.CharField(max_length=12, choices=Goal.Achievement.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["review", "goal"], name="one_status_per_goal_per_review"),
        ]

    def __str__(self) -> str:
        return f"{self.goal} at {self.review}: {self.get_achievement_status_display()}"


class PartTimeTimetable(models.Model):
    """A reduced timetable on return: exceptional, agreed with the parents, time-limited, reviewed fortnightly.

    Rules (domain.md section 1, part-time timetables): not to manage behaviour; the parents' agreement
    recorded; an end date; reviews at least every two weeks; recorded as authorised absence (code C2).
    """

    plan = models.ForeignKey(ReintegrationPlan, on_delete=models.PROTECT, related_name="part_time_timetables")
    start_date = models.DateField()
    end_date = models.DateField()
    arrangements = models.TextField(help_text="Which sessions the pupil attends, and why this is exceptional.")
    parents_agreed_on = models.DateField(help_text="When the parents agreed in writing.")
    not_for_behaviour_confirmed = models.BooleanField(
        default=False, help_text="Confirmed that the timetable is not being used to manage behaviour."
    )
    ended_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gt=F("start_date")), name="part_time_ends_after_start"),
            models.CheckConstraint(condition=Q(not_for_behaviour_confirmed=True), name="part_time_not_for_behaviour"),
        ]

    def __str__(self) -> str:
        return f"Part-time timetable {self.start_date:%d/%m/%Y} to {self.end_date:%d/%m/%Y}"

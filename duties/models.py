"""The statutory duties a suspension triggers, tracked as tasks, and the governing board's consideration.

Duties are created when a suspension is recorded and recomputed when it changes (duties.services.duties_sync).
Their due dates come from reintegrate.statutory; docs/statutory-rules.md lists each rule and its source.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from pupils.models import Pupil
from schools.models import Role, School
from suspensions.models import Suspension


class Duty(models.Model):
    class Kind(models.TextChoices):
        PARENTS_TOLD = "parents_told", "Tell the parents by phone or in person"
        PARENTS_LETTER = "parents_letter", "Write to the parents"
        LOCAL_AUTHORITY = "local_authority", "Notify the local authority"
        SOCIAL_WORKER = "social_worker", "Notify the pupil's social worker"
        VIRTUAL_SCHOOL_HEAD = "virtual_school_head", "Notify the virtual school head"
        GOVERNING_BOARD = "governing_board", "Notify the governing board"
        BOARD_CONSIDERATION = "board_consideration", "Governing board to consider reinstatement"
        BOARD_REPRESENTATIONS = "board_representations", "Governing board to consider the parents' representations"
        WORK_SET = "work_set", "Set and mark work for the first five school days"
        SIXTH_DAY_PROVISION = "sixth_day_provision", "Arrange full-time education from the sixth school day"
        PROVISION_NOTICE = "provision_notice", "Tell the parents about the sixth-day provision"
        EHCP_REVIEW = "ehcp_review", "Consider an early review of the EHC plan"
        FSM_LUNCH = "fsm_lunch", "Arrange the pupil's free school meal"
        PASTORAL_SUPPORT = "pastoral_support", "Consider a pastoral support programme"
        PART_TIME_REVIEW = "part_time_review", "Review the part-time timetable"

    class About(models.TextChoices):
        SUSPENSION = "suspension", "The suspension"
        CANCELLATION = "cancellation", "The cancellation"

    class Status(models.TextChoices):
        OPEN = "open", "To do"
        DONE = "done", "Done"
        NOT_NEEDED = "not_needed", "No longer needed"

    class Method(models.TextChoices):
        PHONE = "phone", "Phone call"
        IN_PERSON = "in_person", "In person"
        LETTER = "letter", "Letter"
        EMAIL = "email", "Email"
        PORTAL = "portal", "Online portal or form"
        MEETING = "meeting", "Meeting"
        OTHER = "other", "Other"

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="duties")
    pupil = models.ForeignKey(Pupil, on_delete=models.PROTECT, related_name="duties")
    suspension = models.ForeignKey(Suspension, null=True, blank=True, on_delete=models.PROTECT, related_name="duties")
    part_time_timetable = models.ForeignKey(
        "plans.PartTimeTimetable", null=True, blank=True, on_delete=models.PROTECT, related_name="duties"
    )
    kind = models.CharField(max_length=30, choices=Kind.choices)
    about = models.CharField(max_length=15, choices=About.choices, default=About.SUSPENSION)
    due_date = models.DateField()
    without_delay = models.BooleanField(default=False, help_text="Due at once; shown as due on the day it arose.")
    owner_role = models.CharField(max_length=20, choices=Role.choices)
    detail = models.CharField(max_length=300, blank=True, help_text="Why the duty arose, with its figures.")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    method = models.CharField(max_length=12, choices=Method.choices, blank=True)
    evidence = models.TextField(blank=True, help_text="What was done: who was told, reference numbers, provider.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_date", "id"]
        indexes = [
            models.Index(fields=["school", "status", "due_date"]),
            models.Index(fields=["school", "kind", "status"]),
            models.Index(fields=["school", "owner_role", "status"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="done") | (Q(done_at__isnull=False) & Q(done_by__isnull=False) & ~Q(method="")),
                name="done_duty_has_evidence",
            ),
            models.UniqueConstraint(
                fields=["suspension", "kind", "about"],
                condition=Q(suspension__isnull=False),
                name="one_duty_of_a_kind_per_suspension",
            ),
            models.UniqueConstraint(
                fields=["part_time_timetable", "due_date"],
                condition=Q(part_time_timetable__isnull=False),
                name="one_timetable_review_per_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} by {self.due_date:%d/%m/%Y}"


class BoardConsideration(models.Model):
    """The governing board's consideration of a suspension: representations, the meeting and its decision.

    The outcome stays on the pupil's record (domain.md row 29). Once the board has considered a suspension
    it can no longer be cancelled (row 22).
    """

    class Mode(models.TextChoices):
        IN_PERSON = "in_person", "In person"
        REMOTE = "remote", "Remote (video or phone)"

    class Decision(models.TextChoices):
        UPHELD = "upheld", "Upheld the suspension"
        REINSTATE = "reinstate", "Directed reinstatement"
        REPRESENTATIONS_NOTED = "noted", "Considered the representations (no power to reinstate)"

    suspension = models.OneToOneField(Suspension, on_delete=models.PROTECT, related_name="board_consideration")
    notified_on = models.DateField(help_text="When the governing board was told of the suspension.")
    representations_received_on = models.DateField(null=True, blank=True)
    considered_on = models.DateField(null=True, blank=True)
    attendees = models.TextField(blank=True, help_text="Who attended, one per line.")
    mode = models.CharField(max_length=10, choices=Mode.choices, blank=True)
    decision = models.CharField(max_length=10, choices=Decision.choices, blank=True)
    reinstatement_date = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(considered_on__isnull=True, decision="")
                | (Q(considered_on__isnull=False) & ~Q(decision="")),
                name="considered_board_has_decision",
            ),
            models.CheckConstraint(
                condition=~Q(decision="reinstate") | Q(reinstatement_date__isnull=False),
                name="reinstatement_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"Governing board consideration of {self.suspension}"

    @property
    def has_considered(self) -> bool:
        return self.considered_on is not None

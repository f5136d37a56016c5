"""Letters and documents: the school's letterhead, its own letter templates, and every document issued.

An IssuedDocument is kept exactly as it was sent or printed: the rendered PDF and DOCX, the email as plain text
and HTML (and the whole message as sent), the recipients, the time and who issued it. It is never edited.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from pupils.models import Pupil
from schools.models import School

DEFAULT_WORK_ARRANGEMENTS = (
    "Work will be set for each school day of the suspension. It will be sent home by email, or can be "
    "collected from the school office, and should be returned to the school office for marking."
)
DEFAULT_IMPARTIAL_ADVICE = (
    "Coram Child Law Advice: childlawadvice.org.uk, 0300 330 5485\n"
    "ACE Education (exclusions guidance for parents): ace-ed.org.uk\n"
    "Your local SEND Information, Advice and Support Service (SENDIASS), if your child has special "
    "educational needs or a disability\n"
    "The Department for Education's guidance on suspensions and permanent exclusions: gov.uk"
)


class LetterKind(models.TextChoices):
    """The letters to parents that Reintegrate writes. Each has a default template a school may replace."""

    SUSPENSION_NOTICE = "suspension_notice", "Notice of suspension"
    MEETING_INVITATION = "meeting_invitation", "Invitation to the reintegration meeting"
    CANCELLATION_NOTICE = "cancellation_notice", "Notice of cancellation"
    PLAN_SUMMARY = "plan_summary", "Summary of the reintegration plan"


class Letterhead(models.Model):
    """What heads every letter and document of one school: its logo and contact details, and the standing
    text that letters to parents repeat (how to make representations, how work is set, impartial advice)."""

    school = models.OneToOneField(School, on_delete=models.CASCADE, related_name="letterhead")
    logo = models.BinaryField(blank=True, default=b"", editable=False)
    logo_content_type = models.CharField(max_length=20, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    website = models.CharField(max_length=200, blank=True)
    signatory_name = models.CharField(
        "Name of the person who signs letters", max_length=200, blank=True, help_text="Usually the headteacher."
    )
    signatory_title = models.CharField("Their job title", max_length=100, default="Headteacher")
    representations_contact = models.TextField(
        "How parents make representations to the governing board",
        blank=True,
        help_text="The clerk to the governors' name, postal address and email address.",
    )
    work_arrangements = models.TextField(
        "How work is set and marked during a suspension",
        default=DEFAULT_WORK_ARRANGEMENTS,
        help_text="Repeated in every notice of suspension. A letter can change it for one pupil.",
    )
    impartial_advice = models.TextField(
        "Sources of impartial advice",
        default=DEFAULT_IMPARTIAL_ADVICE,
        help_text="One per line. Repeated in every notice of suspension.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Letterhead of {self.school}"

    @property
    def has_logo(self) -> bool:
        return bool(self.logo)


class LetterTemplate(models.Model):
    """A school's own Word template for one kind of letter, replacing the default. Earlier uploads are kept."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="letter_templates")
    kind = models.CharField(max_length=30, choices=LetterKind.choices)
    docx = models.BinaryField(editable=False)
    filename = models.CharField(max_length=200)
    is_active = models.BooleanField(default=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "kind"], condition=Q(is_active=True), name="one_active_template_per_letter"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} template ({self.filename})"


class IssuedDocument(models.Model):
    """A letter as it was issued: by email, or printed to post or hand over. Never changed once issued."""

    class Channel(models.TextChoices):
        EMAIL = "email", "Email"
        PRINT = "print", "Printed, to post or hand over"

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="issued_documents")
    pupil = models.ForeignKey(Pupil, on_delete=models.PROTECT, related_name="issued_documents")
    suspension = models.ForeignKey("suspensions.Suspension", on_delete=models.PROTECT, related_name="issued_documents")
    kind = models.CharField(max_length=30, choices=LetterKind.choices)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    recipients = models.JSONField(help_text='[{"name": ..., "relationship": ..., "email": ..., "address": ...}]')
    subject = models.CharField(max_length=300)
    body_text = models.TextField()
    body_html = models.TextField()
    pdf = models.BinaryField(editable=False)
    docx = models.BinaryField(editable=False)
    ics = models.TextField(blank=True, help_text="The calendar invitation sent with it, if any.")
    sha256 = models.CharField(max_length=64, help_text="Of the PDF, to show that it has not changed since.")
    template = models.ForeignKey(
        LetterTemplate, null=True, blank=True, on_delete=models.PROTECT, related_name="issued_documents"
    )
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField()
    idempotency_key = models.CharField(max_length=64, help_text="One issue per preview, however often it is sent.")
    answers = models.JSONField(
        default=list, blank=True, help_text='The statutory duties it answers, as [["parents_letter", "suspension"]].'
    )
    duties = models.ManyToManyField("duties.Duty", blank=True, related_name="issued_documents")

    class Meta:
        ordering = ["-issued_at", "-id"]
        indexes = [
            models.Index(fields=["pupil", "issued_at"]),
            models.Index(fields=["school", "kind", "issued_at"]),
        ]
        constraints = [
            models.UniqueConstraint(fields=["school", "idempotency_key"], name="one_document_per_issue"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} issued {self.issued_at:%d/%m/%Y %H:%M}"

    @property
    def recipient_names(self) -> str:
        return ", ".join(r.get("name", "") for r in self.recipients)


class EmailDelivery(models.Model):
    """One email of an issued letter, to one recipient, kept as it was sent. Each parent gets their own email, so
    that parents who live apart do not see each other's addresses."""

    class Status(models.TextChoices):
        PENDING = "pending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Not sent"

    document = models.ForeignKey(IssuedDocument, on_delete=models.PROTECT, related_name="deliveries")
    to_name = models.CharField(max_length=200)
    to_email = models.EmailField()
    message = models.BinaryField(editable=False, help_text="The whole email as sent (MIME).")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    error = models.CharField(max_length=300, blank=True, help_text="Why it was not sent; never personal data.")
    attempts = models.PositiveSmallIntegerField(default=0)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["status"])]
        constraints = [
            models.UniqueConstraint(fields=["document", "to_email"], name="one_email_per_recipient"),
            models.CheckConstraint(condition=~Q(status="sent") | Q(sent_at__isnull=False), name="sent_email_has_time"),
        ]

    def __str__(self) -> str:
        return f"Email of {self.document} ({self.get_status_display()})"

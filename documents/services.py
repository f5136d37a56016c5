"""Letters: drafting one for the preview, issuing it (by email or to print), and the school's letterhead and templates.

Issuing is idempotent: the preview carries a key, and a second "Send" with the same key (a double click, a
reload) returns the letter already issued instead of sending it again. A letter is kept exactly as issued
(IssuedDocument, and an EmailDelivery per email), and completes the statutory duty it answers.
"""

from __future__ import annotations

import hashlib
import io
import logging
from dataclasses import dataclass
from datetime import datetime
from email.message import Message
from email.utils import formatdate, make_msgid
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from PIL import Image, UnidentifiedImageError

from documents import letters
from documents.letter_selectors import active_template, letter_facts
from documents.letter_templates import default_template
from documents.models import EmailDelivery, IssuedDocument, Letterhead, LetterKind, LetterTemplate
from documents.rendering import RenderedLetter, TemplateProblem, render_letter, unknown_fields
from duties.models import Duty
from duties.services import duty_complete
from plans.models import Meeting
from schools.models import School
from suspensions.models import Suspension

logger = logging.getLogger(__name__)

NO_RECIPIENTS = "Choose who the letter is to."
NO_EMAIL = (
    "None of the people you chose has an email address. Print the letter to post or hand over instead, or add "
    "an email address to their contact details."
)
LACKS_ITEMS = "The letter does not say everything it must. It lacks: {items}. Correct the school's template for {kind}."
MAX_LOGO_BYTES = 1024 * 1024
LOGO_MAX_WIDTH = 600


@dataclass(frozen=True)
class LetterDraft:
    kind: str
    facts: letters.LetterFacts
    inputs: letters.LetterInputs
    context: dict[str, object]
    rendered: RenderedLetter
    template: LetterTemplate | None
    missing: list[str]  # required items the rendered letter lacks
    leftovers: list[str]  # template syntax left in the rendered letter

    @property
    def title(self) -> str:
        return str(LetterKind(self.kind).label)

    @property
    def subject(self) -> str:
        return f"{self.title}: {self.facts.pupil_full_name}, {self.facts.school_name}"


def letter_unavailable_reason(kind: str, suspension: Suspension) -> str:
    """Why this letter cannot be written about this suspension yet ('' when it can)."""
    if suspension.is_permanent:
        return (
            "Reintegrate writes letters about suspensions. Write to the family about a permanent exclusion with "
            "your local authority's letter."
        )
    plan = getattr(suspension, "plan", None)
    if kind == LetterKind.SUSPENSION_NOTICE and suspension.is_cancelled:
        return "This suspension has been cancelled: send the notice of cancellation instead."
    if kind == LetterKind.CANCELLATION_NOTICE and not suspension.is_cancelled:
        return "This suspension has not been cancelled."
    if kind == LetterKind.MEETING_INVITATION:
        meeting = getattr(plan, "meeting", None) if plan is not None else None
        if meeting is None:
            return "Arrange the reintegration meeting first: its date, time and place go in the invitation."
        if meeting.status != Meeting.Status.ARRANGED:
            return "The meeting has already been recorded, so there is nothing to invite the family to."
    if kind == LetterKind.PLAN_SUMMARY and (plan is None or not plan.has_strategy):
        return "Write the reintegration strategy first: the summary tells the family what it is."
    return ""


def _template_bytes(school: School, kind: str) -> tuple[bytes, LetterTemplate | None]:
    own = active_template(school, kind)
    if own is not None:
        return bytes(own.docx), own
    return default_template(kind), None


def letter_draft(
    *, suspension: Suspension, kind: str, inputs: letters.LetterInputs | None = None, pdf: bool = True
) -> LetterDraft:
    """The letter as it would be issued now: for issuing, or (without the PDF) for the preview."""
    facts = letter_facts(suspension)
    if inputs is None:
        from documents.letter_selectors import as_recipient, family_contacts

        recipients = tuple(as_recipient(c) for c in family_contacts(suspension.pupil))
        inputs = letters.default_inputs(kind, facts, recipients=recipients, issued_on=timezone.localdate())
    context = letters.letter_context(kind, facts, inputs)
    template, own = _template_bytes(suspension.school, kind)
    rendered = render_letter(
        template=template, context=context, school=suspension.school, title=str(LetterKind(kind).label), pdf=pdf
    )
    return LetterDraft(
        kind=kind,
        facts=facts,
        inputs=inputs,
        context=context,
        rendered=rendered,
        template=own,
        missing=letters.missing_items(kind, rendered.text, context),
        leftovers=letters.leftover_placeholders(rendered.text),
    )


def _filename(draft: LetterDraft, extension: str) -> str:
    slug = "-".join(draft.facts.pupil_full_name.lower().split())
    return f"{draft.kind.replace('_', '-')}-{slug}.{extension}"


def _email(draft: LetterDraft, *, to_name: str, to_email: str, ics: str, now: datetime) -> EmailMultiAlternatives:
    domain = urlsplit(settings.SITE_URL).hostname or "localhost"
    reply_to = [draft.facts.email] if draft.facts.email else []
    context = {"draft": draft, "body_html": draft.rendered.html, "body_text": draft.rendered.text}
    message = EmailMultiAlternatives(
        subject=draft.subject,
        body=render_to_string("documents/letter_email.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[f"{to_name} <{to_email}>"],
        reply_to=reply_to,
        headers={"Message-ID": make_msgid(domain=domain), "Date": formatdate(now.timestamp(), localtime=True)},
    )
    message.attach_alternative(render_to_string("documents/letter_email.html", context), "text/html")
    message.attach(_filename(draft, "pdf"), draft.rendered.pdf, "application/pdf")
    if ics:
        message.attach("reintegration-meeting.ics", ics.encode("utf-8"), "text/calendar")
    return message


def _ics(draft: LetterDraft, suspension: Suspension) -> str:
    if draft.kind != LetterKind.MEETING_INVITATION:
        return ""
    from notifications.ics import meeting_ics

    return meeting_ics(suspension.plan.meeting, for_family=True)


def _duty_kinds(draft: LetterDraft) -> list[tuple[str, str]]:
    """The statutory duties a letter completes: (Duty.Kind, Duty.About)."""
    if draft.kind == LetterKind.SUSPENSION_NOTICE:
        kinds: list[tuple[str, str]] = [(Duty.Kind.PARENTS_LETTER, Duty.About.SUSPENSION)]
        if draft.facts.suspension.provision_from is not None and draft.inputs.provision.strip():
            kinds.append((Duty.Kind.PROVISION_NOTICE, Duty.About.SUSPENSION))
        return kinds
    if draft.kind == LetterKind.CANCELLATION_NOTICE:
        return [(Duty.Kind.PARENTS_LETTER, Duty.About.CANCELLATION)]
    return []


def _complete_duties(document: IssuedDocument, *, method: str, done_at: datetime) -> int:
    """Record the open duties this letter answers as done, with the letter as evidence. Returns how many."""
    if not document.answers:
        return 0
    how = "emailed to" if method == Duty.Method.EMAIL else "printed for"
    evidence = (
        f"{document.get_kind_display()} {how} {document.recipient_names} on "
        f"{timezone.localtime(done_at):%d/%m/%Y at %H:%M}. Kept in Reintegrate as document {document.pk}."
    )
    completed = 0
    for kind, about in document.answers:
        for duty in Duty.objects.filter(
            suspension_id=document.suspension_id, kind=kind, about=about, status=Duty.Status.OPEN
        ):
            done = duty_complete(
                duty=duty, done_by=document.issued_by, done_at=done_at, method=method, evidence=evidence
            )
            document.duties.add(done)
            completed += 1
    return completed


def _validate(draft: LetterDraft, *, channel: str, suspension: Suspension) -> None:
    errors: dict[str, list[str]] = {}
    unavailable = letter_unavailable_reason(draft.kind, suspension)
    if unavailable:
        raise ValidationError(unavailable)
    for field_name, message in letters.missing_inputs(draft.kind, draft.facts, draft.inputs).items():
        errors[field_name] = [message]
    if not draft.inputs.recipients:
        errors["recipients"] = [NO_RECIPIENTS]
    elif channel == IssuedDocument.Channel.EMAIL and not any(r.email for r in draft.inputs.recipients):
        errors["recipients"] = [NO_EMAIL]
    if errors:
        raise ValidationError(errors)
    if draft.missing or draft.leftovers:
        problems = [*draft.missing, *(f"template text {item} left in" for item in draft.leftovers)]
        raise ValidationError(LACKS_ITEMS.format(items="; ".join(problems), kind=draft.title.lower()))


@dataclass(frozen=True)
class IssueResult:
    document: IssuedDocument
    created: bool  # False when this preview's letter had already been issued
    emails_sent: int = 0
    emails_failed: int = 0
    duties_completed: int = 0


def letter_issue(
    *,
    suspension: Suspension,
    kind: str,
    inputs: letters.LetterInputs,
    channel: str,
    issued_by: User,
    idempotency_key: str,
    now: datetime | None = None,
) -> IssueResult:
    """Issue a letter: keep it exactly as rendered, email it (one email per recipient) or mark it printed, and
    complete the duty it answers. A second call with the same key returns the first letter and sends nothing."""
    now = now or timezone.now()
    existing = IssuedDocument.objects.filter(school=suspension.school, idempotency_key=idempotency_key).first()
    if existing is not None:
        return IssueResult(document=existing, created=False)
    draft = letter_draft(suspension=suspension, kind=kind, inputs=inputs)
    _validate(draft, channel=channel, suspension=suspension)
    ics = _ics(draft, suspension)
    try:
        with transaction.atomic():
            document = IssuedDocument.objects.create(
                school=suspension.school,
                pupil=suspension.pupil,
                suspension=suspension,
                kind=kind,
                channel=channel,
                recipients=[r.as_dict() for r in inputs.recipients],
                subject=draft.subject,
                body_text=draft.rendered.text,
                body_html=draft.rendered.html,
                pdf=draft.rendered.pdf,
                docx=draft.rendered.docx,
                ics=ics,
                sha256=hashlib.sha256(draft.rendered.pdf).hexdigest(),
                template=draft.template,
                issued_by=issued_by,
                issued_at=now,
                idempotency_key=idempotency_key,
                answers=[list(pair) for pair in _duty_kinds(draft)],
            )
            completed = 0
            if channel == IssuedDocument.Channel.PRINT:
                completed = _complete_duties(document, method=Duty.Method.LETTER, done_at=now)
            else:
                for recipient in inputs.recipients:
                    if recipient.email:
                        message = _email(draft, to_name=recipient.name, to_email=recipient.email, ics=ics, now=now)
                        EmailDelivery.objects.create(
                            document=document,
                            to_name=recipient.name,
                            to_email=recipient.email,
                            message=message.message().as_bytes(),
                        )
    except IntegrityError:
        # The same preview was sent twice at once: the other request issued it.
        existing = IssuedDocument.objects.filter(school=suspension.school, idempotency_key=idempotency_key).first()
        if existing is None:
            raise
        return IssueResult(document=existing, created=False)
    if channel == IssuedDocument.Channel.PRINT:
        return IssueResult(document=document, created=True, duties_completed=completed)
    sent, failed, completed = letter_emails_send(document=document, now=now)
    return IssueResult(
        document=document, created=True, emails_sent=sent, emails_failed=failed, duties_completed=completed
    )


def letter_emails_send(*, document: IssuedDocument, now: datetime | None = None) -> tuple[int, int, int]:
    """Send the letter's emails that have not gone yet, exactly as kept. Returns (sent, failed, duties completed).

    Each email is claimed before it is sent, so two runs at once cannot send it twice.
    """
    from email import message_from_bytes

    from django.core.mail import get_connection

    now = now or timezone.now()
    sent = failed = 0
    connection = get_connection()
    for delivery_id in document.deliveries.exclude(status=EmailDelivery.Status.SENT).values_list("pk", flat=True):
        with transaction.atomic():
            delivery = (
                EmailDelivery.objects.select_for_update()
                .exclude(status=EmailDelivery.Status.SENT)
                .filter(pk=delivery_id)
                .first()
            )
            if delivery is None:
                continue
            stored = message_from_bytes(bytes(delivery.message))
            message = _StoredEmail(stored, to=[delivery.to_email])
            delivery.attempts += 1
            try:
                connection.send_messages([message])
            except (OSError, ValueError) as error:  # smtplib errors are OSErrors
                delivery.status = EmailDelivery.Status.FAILED
                delivery.error = f"The email server did not accept the email ({type(error).__name__})."
                logger.warning("Letter email %s not sent: %s", delivery.pk, type(error).__name__)
                failed += 1
            else:
                delivery.status = EmailDelivery.Status.SENT
                delivery.error = ""
                delivery.sent_at = now
                sent += 1
            delivery.save(update_fields=["status", "error", "attempts", "sent_at"])
    completed = 0
    if sent:
        with transaction.atomic():
            completed = _complete_duties(document, method=Duty.Method.EMAIL, done_at=now)
    return sent, failed, completed


class _StoredEmail(EmailMultiAlternatives):
    """An email sent exactly as it was kept: the stored MIME message, unchanged."""

    def __init__(self, stored: Message, *, to: list[str]) -> None:
        text = next((part for part in stored.walk() if part.get_content_type() == "text/plain"), None)
        body = text.get_payload(decode=True) if text is not None else b""
        super().__init__(
            subject=str(stored["Subject"] or ""),
            body=body.decode("utf-8") if isinstance(body, bytes) else "",
            from_email=str(stored["From"] or settings.DEFAULT_FROM_EMAIL),
            to=to,
        )
        self._stored = stored

    def message(self, *, policy: object = None) -> object:  # type: ignore[override]
        return self._stored

    def recipients(self) -> list[str]:
        return list(self.to)


# --- The letterhead and the school's own templates ----------------------------------------------------------


def _clean_logo(upload: bytes) -> tuple[bytes, str]:
    """A logo as a small PNG: re-encoded, so nothing but the picture is kept (no metadata, no hidden content)."""
    if len(upload) > MAX_LOGO_BYTES:
        raise ValidationError({"logo": ["The logo must be smaller than 1 MB."]})
    try:
        with Image.open(io.BytesIO(upload)) as image:
            if image.format not in ("PNG", "JPEG"):
                raise ValidationError({"logo": ["The logo must be a PNG or JPEG picture."]})
            image.load()
            picture = image.convert("RGBA")
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as error:
        raise ValidationError({"logo": ["The file is not a picture. Upload the logo as a PNG or JPEG."]}) from error
    if picture.width > LOGO_MAX_WIDTH:
        height = max(1, round(picture.height * LOGO_MAX_WIDTH / picture.width))
        picture = picture.resize((LOGO_MAX_WIDTH, height))
    out = io.BytesIO()
    picture.save(out, format="PNG", optimize=True)
    return out.getvalue(), "image/png"


@transaction.atomic
def letterhead_update(
    *, school: School, values: dict[str, str], logo: bytes | None = None, remove_logo: bool = False
) -> Letterhead:
    """Save the school's letterhead: contact details, standing texts, and a new logo or none."""
    letterhead, _ = Letterhead.objects.select_for_update().get_or_create(school=school)
    for field_name, value in values.items():
        setattr(letterhead, field_name, value)
    if logo:
        letterhead.logo, letterhead.logo_content_type = _clean_logo(logo)
    elif remove_logo:
        letterhead.logo, letterhead.logo_content_type = b"", ""
    letterhead.full_clean()
    letterhead.save()
    return letterhead


def template_problems(kind: str, template: bytes) -> list[str]:
    """Why a school's template cannot be used: unknown fields, errors, or required items it leaves out."""
    try:
        unknown = unknown_fields(template)
        if unknown:
            names = ", ".join("{{ " + name + " }}" for name in unknown)
            return [f"The template uses fields that Reintegrate does not know: {names}. Use the fields listed below."]
        inputs = letters.sample_inputs(kind)
        context = letters.letter_context(kind, letters.sample_facts(), inputs)
        from documents.rendering import docx_to_text, render_docx

        text = docx_to_text(render_docx(template, context))
    except TemplateProblem as problem:
        return [str(problem)]
    problems = [f"It leaves out: {item}." for item in letters.missing_items(kind, text, context)]
    leftovers = letters.leftover_placeholders(text)
    if leftovers:
        problems.append(f"Template text is left in the letter: {' '.join(leftovers)}. Check the fields' brackets.")
    return problems


@transaction.atomic
def letter_template_upload(*, school: School, kind: str, content: bytes, filename: str, user: User) -> LetterTemplate:
    """Use a school's own Word template for one kind of letter, after checking it says everything it must."""
    problems = template_problems(kind, content)
    if problems:
        raise ValidationError({"file": problems})
    LetterTemplate.objects.select_for_update().filter(school=school, kind=kind, is_active=True).update(is_active=False)
    return LetterTemplate.objects.create(
        school=school, kind=kind, docx=content, filename=filename[:200], uploaded_by=user, is_active=True
    )


@transaction.atomic
def letter_template_reset(*, school: School, kind: str) -> int:
    """Go back to the default template for one kind of letter. The school's uploads are kept, unused."""
    return LetterTemplate.objects.filter(school=school, kind=kind, is_active=True).update(is_active=False)

"""Letters to parents: preview and issue, the letters issued, and the school's letterhead and templates."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from audit.access import record_access
from documents import letter_selectors, services
from documents.forms import LetterForm, LetterheadForm, TemplateUploadForm
from documents.letter_templates import default_template
from documents.models import EmailDelivery, IssuedDocument, LetterKind
from documents.pdf import letterhead_for, logo_data_uri
from documents.rendering import KNOWN_FIELDS
from documents.services import letter_unavailable_reason
from schools.access import Access, Can, get_for, require

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ACTION_PREVIEW, ACTION_EMAIL, ACTION_PRINT = "preview", "email", "print"
CHANNELS = {ACTION_EMAIL: IssuedDocument.Channel.EMAIL, ACTION_PRINT: IssuedDocument.Channel.PRINT}


def _staff_user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User), "LoginRequiredMiddleware lets only signed-in staff through."
    return user


def _check_plan_letter(access: Access, kind: str) -> None:
    """The plan summary states the strategy and goals: only for staff who may read plans (not the office)."""
    if kind == LetterKind.PLAN_SUMMARY and not access.can(Can.VIEW_PLANS):
        raise PermissionDenied("Only staff who may read reintegration plans can send the plan's summary.")


def _kind(kind: str) -> str:
    if kind not in LetterKind.values:
        raise Http404("No such letter.")
    return kind


def download(content: bytes, *, filename: str, content_type: str) -> HttpResponse:
    """A file to download that holds personal data: never cached."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET", "POST"])
def letter_view(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """One page: what the letter will say (the preview), who it is to, and Send or Print."""
    kind = _kind(kind)
    suspension, access = get_for(request, letter_selectors.letter_suspension(pk), Can.ISSUE_LETTERS, pk=pk)
    _check_plan_letter(access, kind)
    pupil = suspension.pupil
    unavailable = letter_unavailable_reason(kind, suspension)
    context: dict[str, object] = {
        "nav": "pupils",
        "pupil": pupil,
        "suspension": suspension,
        "kind": kind,
        "title": LetterKind(kind).label,
        "unavailable": unavailable,
    }
    if unavailable:
        return render(request, "documents/letter.html", context)
    contacts = letter_selectors.family_contacts(pupil)
    today = timezone.localdate()
    draft = services.letter_draft(suspension=suspension, kind=kind, pdf=False)
    if request.method == "POST":
        form = LetterForm(request.POST, kind=kind, facts=draft.facts, contacts=contacts)
        action = request.POST.get("action", ACTION_PREVIEW)
        if form.is_valid():
            inputs = form.inputs(issued_on=today)
            if action in (ACTION_EMAIL, ACTION_PRINT):
                if action == ACTION_EMAIL and not form.check_email_agreement():
                    draft = services.letter_draft(suspension=suspension, kind=kind, inputs=inputs, pdf=False)
                else:
                    try:
                        result = services.letter_issue(
                            suspension=suspension,
                            kind=kind,
                            inputs=inputs,
                            channel=IssuedDocument.Channel.EMAIL
                            if action == ACTION_EMAIL
                            else IssuedDocument.Channel.PRINT,
                            issued_by=_staff_user(request),
                            idempotency_key=form.cleaned_data["issue_key"],
                        )
                    except ValidationError as error:
                        form.apply_service_errors(error)
                        draft = services.letter_draft(suspension=suspension, kind=kind, inputs=inputs, pdf=False)
                    else:
                        _issued_message(request, result)
                        return redirect("documents:issued", result.document.pk)
            else:
                draft = services.letter_draft(suspension=suspension, kind=kind, inputs=inputs, pdf=False)
    else:
        initial = {
            "issue_key": uuid.uuid4().hex,
            "recipients": [c.pk for c in contacts],
            "reasons": draft.inputs.reasons,
            "return_time": draft.inputs.return_time,
            "work_arrangements": draft.inputs.work_arrangements,
            "provision": draft.inputs.provision,
            "attendees": draft.inputs.attendees,
        }
        form = LetterForm(initial=initial, kind=kind, facts=draft.facts, contacts=contacts)
    head = letterhead_for(suspension.school)
    context.update(
        form=form,
        draft=draft,
        contacts=contacts,
        has_email=any(c.email for c in contacts),
        letterhead=head,
        logo_uri=logo_data_uri(head),
        previous=letter_selectors.pupil_documents(pupil).filter(suspension=suspension, kind=kind).first(),
    )
    record_access(request, suspension, what=f"{LetterKind(kind).label.lower()} (preview)")
    return render(request, "documents/letter.html", context)


def _issued_message(request: HttpRequest, result: services.IssueResult) -> None:
    document = result.document
    what = document.get_kind_display()
    if not result.created:
        messages.info(request, f"{what} had already been issued from that preview, so it was not sent again.")
        return
    duties = (
        f" {result.duties_completed} statutory dut{'y' if result.duties_completed == 1 else 'ies'} recorded as done."
        if result.duties_completed
        else ""
    )
    if document.channel == IssuedDocument.Channel.PRINT:
        messages.success(
            request, f"{what} saved. Download the PDF below, print it and post it or hand it over.{duties}"
        )
    elif result.emails_failed:
        messages.warning(
            request,
            f"{what} saved, but {result.emails_failed} email{'s' if result.emails_failed != 1 else ''} could not be "
            "sent. Try again below, or print the letter instead.",
        )
    else:
        messages.success(request, f"{what} emailed to {document.recipient_names}.{duties}")


@require_http_methods(["GET"])
def issued_view(request: HttpRequest, pk: int) -> HttpResponse:
    document, access = get_for(
        request,
        IssuedDocument.objects.select_related("pupil", "suspension", "issued_by", "template").defer("pdf", "docx"),
        Can.ISSUE_LETTERS,
        pk=pk,
    )
    _check_plan_letter(access, document.kind)
    record_access(request, document, what="issued letter")
    return render(
        request,
        "documents/issued.html",
        {
            "nav": "pupils",
            "document": document,
            "pupil": document.pupil,
            "deliveries": list(document.deliveries.defer("message")),
            "duties": list(document.duties.all()),
            "can_retry": document.deliveries.exclude(status=EmailDelivery.Status.SENT).exists(),
        },
    )


@require_http_methods(["GET"])
def issued_file_view(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    if fmt not in ("pdf", "docx"):
        raise Http404("Letters download as PDF or Word.")
    document, access = get_for(request, IssuedDocument.objects.select_related("pupil"), Can.ISSUE_LETTERS, pk=pk)
    _check_plan_letter(access, document.kind)
    record_access(request, document, what=f"issued letter ({fmt.upper()})")
    name = f"{document.kind.replace('_', '-')}-{document.issued_at:%Y%m%d}-{document.pk}"
    if fmt == "pdf":
        return download(bytes(document.pdf), filename=f"{name}.pdf", content_type="application/pdf")
    return download(bytes(document.docx), filename=f"{name}.docx", content_type=DOCX)


@require_http_methods(["GET", "POST"])
def issued_retry_view(request: HttpRequest, pk: int) -> HttpResponse:
    """POST: send the letter's unsent emails again. A GET (a followed link) goes to the letter's page."""
    document, _ = get_for(request, IssuedDocument.objects.defer("pdf", "docx"), Can.ISSUE_LETTERS, pk=pk)
    if request.method == "GET":
        return redirect("documents:issued", document.pk)
    sent, failed, _completed = services.letter_emails_send(document=document)
    if failed:
        messages.warning(request, "The email server still did not accept the email. Print the letter instead.")
    elif sent:
        messages.success(request, f"Sent {sent} email{'s' if sent != 1 else ''}.")
    else:
        messages.info(request, "Every email of this letter had already been sent.")
    return redirect("documents:issued", document.pk)


# --- The school's letterhead and templates --------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def letterhead_view(request: HttpRequest) -> HttpResponse:
    access = require(request, Can.MANAGE_LETTERS)
    letterhead = letterhead_for(access.school)
    form = LetterheadForm(request.POST or None, request.FILES or None, instance=letterhead)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in LetterheadForm.Meta.fields}
        try:
            services.letterhead_update(
                school=access.school,
                values=values,
                logo=form.cleaned_data.get("logo"),
                remove_logo=form.cleaned_data.get("remove_logo", False),
            )
        except ValidationError as error:
            form.apply_service_errors(error)
        else:
            messages.success(request, "Letterhead saved. Every new letter and document uses it.")
            return redirect("documents:letterhead")
    return render(
        request,
        "documents/letterhead.html",
        {"nav": "letters", "form": form, "school": access.school, "logo_uri": logo_data_uri(letterhead)},
    )


@require_http_methods(["GET"])
def templates_view(request: HttpRequest) -> HttpResponse:
    access = require(request, Can.MANAGE_LETTERS)
    return render(
        request,
        "documents/templates.html",
        {
            "nav": "letters",
            "school": access.school,
            "templates": letter_selectors.letter_templates(access.school),
            "fields": sorted(KNOWN_FIELDS),
        },
    )


@require_http_methods(["GET"])
def template_download_view(request: HttpRequest, kind: str, which: str) -> HttpResponse:
    kind = _kind(kind)
    if which not in ("default", "current"):
        raise Http404("No such template.")
    access = require(request, Can.MANAGE_LETTERS)
    slug = kind.replace("_", "-")
    if which == "default":
        return download(default_template(kind), filename=f"{slug}-default-template.docx", content_type=DOCX)
    own = letter_selectors.active_template(access.school, kind)
    if own is None:
        raise Http404("The school uses the default template for this letter.")
    return download(bytes(own.docx), filename=f"{slug}-school-template.docx", content_type=DOCX)


@require_http_methods(["GET", "POST"])
def template_upload_view(request: HttpRequest, kind: str) -> HttpResponse:
    kind = _kind(kind)
    access = require(request, Can.MANAGE_LETTERS)
    form = TemplateUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        content, filename = form.cleaned_data["file"]
        try:
            services.letter_template_upload(
                school=access.school, kind=kind, content=content, filename=filename, user=_staff_user(request)
            )
        except ValidationError as error:
            form.apply_service_errors(error)
        else:
            messages.success(request, f"Your template for the {LetterKind(kind).label.lower()} is now in use.")
            return redirect("documents:templates")
    return render(
        request,
        "documents/template_upload.html",
        {
            "nav": "letters",
            "form": form,
            "kind": kind,
            "title": LetterKind(kind).label,
            "required": services.letters.required_labels(kind),
            "fields": sorted(KNOWN_FIELDS),
        },
    )


@require_http_methods(["GET", "POST"])
def template_reset_view(request: HttpRequest, kind: str) -> HttpResponse:
    """POST: go back to the default template. A GET (a followed link) goes to the letters page."""
    kind = _kind(kind)
    access = require(request, Can.MANAGE_LETTERS)
    if request.method == "GET":
        return redirect("documents:templates")
    if services.letter_template_reset(school=access.school, kind=kind):
        messages.success(request, f"The {LetterKind(kind).label.lower()} uses the default template again.")
    else:
        messages.info(request, f"The {LetterKind(kind).label.lower()} already uses the default template.")
    return redirect(reverse("documents:templates"))

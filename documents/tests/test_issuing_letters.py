"""Issuing letters from the pupil page: preview, send by email or print, kept exactly as sent, duties completed.

Personas: pastoral_lead issues letters; office may too; a teacher may not; another school's head gets 404.
"""

from __future__ import annotations

import smtplib
from datetime import date, datetime
from email import message_from_bytes, policy
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.urls import reverse

from conftest import client_for
from documents.models import EmailDelivery, IssuedDocument, LetterKind
from duties.models import Duty
from plans import services as plan_services
from plans.models import Meeting
from testsupport.documents import pdf_text
from testsupport.factories import ContactFactory
from testsupport.plans import page_text
from testsupport.suspensions import cancel, record

LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def suspension(pupil, headteacher):
    return record(pupil, start=date(2026, 11, 9), sessions=4, decided_by=headteacher)


@pytest.fixture
def mother(pupil):
    return ContactFactory(
        pupil=pupil, name="Sam Ashby", relationship="Mother", email="sam@family.example", address="4 Elm Road"
    )


@pytest.fixture
def father(pupil):
    return ContactFactory(
        pupil=pupil, name="Lee Ashby", relationship="Father", email="lee@elsewhere.example", priority=2
    )


def _url(suspension, kind=LetterKind.SUSPENSION_NOTICE):
    return reverse("documents:letter", args=[suspension.pk, kind])


def _form(client, suspension, kind=LetterKind.SUSPENSION_NOTICE) -> dict[str, object]:
    """The preview form's fields as the page filled them in."""
    response = client.get(_url(suspension, kind))
    assert response.status_code == 200
    form = response.context["form"]
    data: dict[str, object] = {}
    for name in form.fields:
        value = form[name].value()
        if name == "recipients":
            data[name] = [str(v) for v in value]
        elif name == "return_time":
            data[name] = "08:40"
        elif name == "email_agreed":
            data[name] = "on"
        elif value is not None:
            data[name] = value
    return data


def _send(client, suspension, kind=LetterKind.SUSPENSION_NOTICE, action="email", **changes):
    data = _form(client, suspension, kind)
    data.update(changes)
    data["action"] = action
    return client.post(_url(suspension, kind), data)


def test_the_pastoral_lead_issues_the_notice_by_email_each_parent_getting_their_own(
    pastoral_lead, suspension, mother, father
):
    client = client_for(pastoral_lead)
    response = _send(client, suspension)

    document = IssuedDocument.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("documents:issued", args=[document.pk])
    assert len(mail.outbox) == 2
    assert sorted(str(m.message()["To"]) for m in mail.outbox) == [
        "Lee Ashby <lee@elsewhere.example>",
        "Sam Ashby <sam@family.example>",
    ]
    stored = message_from_bytes(
        bytes(document.deliveries.get(to_email="sam@family.example").message), policy=policy.SMTP
    )
    assert stored["Subject"] == "Notice of suspension: Jordan Ashby, Larkfield Academy"
    kinds = [part.get_content_type() for part in stored.walk()]
    assert "text/plain" in kinds
    assert "text/html" in kinds
    assert "application/pdf" in kinds
    assert "Dear Sam Ashby and Lee Ashby" in stored.get_body(("plain",)).get_content()
    assert "Dear Sam Ashby and Lee Ashby" in stored.get_body(("html",)).get_content()
    assert "Lee" not in str(stored["To"])
    assert document.deliveries.filter(status=EmailDelivery.Status.SENT).count() == 2
    assert document.issued_by == pastoral_lead
    assert "return to school on Wednesday 11/11/2026 at 8:40am" in pdf_text(bytes(document.pdf))


def test_the_email_sent_is_the_email_kept(pastoral_lead, suspension, mother):
    _send(client_for(pastoral_lead), suspension)

    delivery = EmailDelivery.objects.get()
    sent = mail.outbox[0].message().as_bytes()
    assert sent == bytes(delivery.message)


def test_issuing_the_notice_completes_the_duty_to_write_to_the_parents_with_the_letter_as_evidence(
    pastoral_lead, suspension, mother
):
    _send(client_for(pastoral_lead), suspension)

    duty = Duty.objects.get(suspension=suspension, kind=Duty.Kind.PARENTS_LETTER)
    document = IssuedDocument.objects.get()
    assert duty.status == Duty.Status.DONE
    assert duty.method == Duty.Method.EMAIL
    assert duty.done_by == pastoral_lead
    assert f"Kept in Reintegrate as document {document.pk}" in duty.evidence
    assert list(document.duties.all()) == [duty]


def test_sending_the_same_preview_twice_sends_it_once(pastoral_lead, suspension, mother):
    client = client_for(pastoral_lead)
    data = _form(client, suspension)
    data["action"] = "email"

    client.post(_url(suspension), data)
    second = client.post(_url(suspension), data, follow=True)

    assert IssuedDocument.objects.count() == 1
    assert len(mail.outbox) == 1
    assert "had already been issued from that preview, so it was not sent again" in page_text(second)


def test_a_new_preview_of_the_same_letter_warns_that_it_was_already_issued(pastoral_lead, suspension, mother):
    client = client_for(pastoral_lead)
    _send(client, suspension)

    text = page_text(client.get(_url(suspension)))
    assert "This letter was already issued on 18/11/2026 at 10:00 (email)" in text


def test_with_no_email_address_the_page_says_so_and_offers_only_printing(pastoral_lead, suspension, pupil):
    ContactFactory(pupil=pupil, name="Sam Ashby", relationship="Mother", email="")
    client = client_for(pastoral_lead)

    response = client.get(_url(suspension))
    text = page_text(response)
    assert "No one above has an email address, so the letter cannot be emailed. Print it" in text
    assert 'value="email"' not in response.content.decode()

    refused = _send(client, suspension, action="email")
    assert "None of the people you chose has an email address. Print the letter" in page_text(refused)
    assert IssuedDocument.objects.count() == 0

    printed = _send(client, suspension, action="print", email_agreed="")
    document = IssuedDocument.objects.get()
    assert printed.url == reverse("documents:issued", args=[document.pk])
    assert document.channel == IssuedDocument.Channel.PRINT
    assert len(mail.outbox) == 0
    duty = Duty.objects.get(suspension=suspension, kind=Duty.Kind.PARENTS_LETTER)
    assert duty.status == Duty.Status.DONE
    assert duty.method == Duty.Method.LETTER
    pdf = client.get(reverse("documents:issued_file", args=[document.pk, "pdf"]))
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf["Cache-Control"] == "no-store"
    assert "Dear Sam Ashby" in pdf_text(pdf.content)


def test_a_notice_is_emailed_only_when_the_parents_have_agreed_to_email(pastoral_lead, suspension, mother):
    response = _send(client_for(pastoral_lead), suspension, email_agreed="")

    assert response.status_code == 200
    assert "can be emailed only if the parents have agreed to receive notices by email" in page_text(response)
    assert IssuedDocument.objects.count() == 0
    assert len(mail.outbox) == 0


def test_bad_input_keeps_what_was_typed_and_saves_nothing(pastoral_lead, suspension, mother):
    response = _send(client_for(pastoral_lead), suspension, return_time="25:99", reasons="Typed by hand.")

    text = page_text(response)
    assert response.status_code == 200
    assert "There is a problem" in text
    assert "Enter the time on the 24-hour clock" in text
    assert "Typed by hand." in response.content.decode()
    assert IssuedDocument.objects.count() == 0


def test_an_empty_reason_is_refused_with_a_message(pastoral_lead, suspension, mother):
    response = _send(client_for(pastoral_lead), suspension, reasons="  ")

    assert "Enter the reasons for the suspension" in page_text(response)
    assert IssuedDocument.objects.count() == 0


def test_the_preview_shows_what_the_family_will_receive_before_sending(pastoral_lead, suspension, mother):
    client = client_for(pastoral_lead)
    data = _form(client, suspension)
    data.update(action="preview", reasons="A new wording of the reasons.")

    response = client.post(_url(suspension), data)

    text = page_text(response)
    assert "What the family will receive" in text
    assert "A new wording of the reasons." in text
    assert "Dear Sam Ashby" in text
    assert IssuedDocument.objects.count() == 0
    assert len(mail.outbox) == 0


def test_a_refused_email_is_kept_as_not_sent_and_can_be_sent_again(pastoral_lead, suspension, mother, settings):
    settings.EMAIL_BACKEND = "documents.tests.test_issuing_letters.RefusingBackend"
    client = client_for(pastoral_lead)

    response = _send(client, suspension)
    followed = client.get(response.url)

    document = IssuedDocument.objects.get()
    assert "1 email could not be sent. Try again below, or print the letter instead." in page_text(followed)
    assert document.deliveries.get().status == EmailDelivery.Status.FAILED
    assert Duty.objects.get(suspension=suspension, kind=Duty.Kind.PARENTS_LETTER).status == Duty.Status.OPEN

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    retried = client.post(reverse("documents:issued_retry", args=[document.pk]), follow=True)

    assert "Sent 1 email." in page_text(retried)
    assert len(mail.outbox) == 1
    assert document.deliveries.get().attempts == 2
    assert Duty.objects.get(suspension=suspension, kind=Duty.Kind.PARENTS_LETTER).status == Duty.Status.DONE


class RefusingBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise smtplib.SMTPRecipientsRefused({})


def test_the_invitation_carries_the_meeting_and_a_calendar_invitation(pastoral_lead, suspension, mother):
    plan_services.meeting_save(
        plan=suspension.plan,
        version=None,
        status=Meeting.Status.ARRANGED,
        scheduled_for=datetime(2026, 11, 20, 15, 30, tzinfo=LONDON),
        mode=Meeting.Mode.IN_PERSON,
        location="Pastoral office",
        pupil_views="",
        parent_views="",
        notes="",
        participants=[{"name": "Ms Patel", "role": "Head of Year 9", "invited": True, "attended": None}],
    )
    _send(client_for(pastoral_lead), suspension, kind=LetterKind.MEETING_INVITATION)

    document = IssuedDocument.objects.get()
    text = pdf_text(bytes(document.pdf))
    assert "Date: Friday 20/11/2026" in text
    assert "Time: 3:30pm" in text
    assert "Where: Pastoral office" in text
    assert "Ms Patel, Head of Year 9" in text
    assert "The return does not depend on attending this meeting" in text
    assert "Jordan will come back to school on Wednesday 11/11/2026 whether or not you are able to attend" in text
    stored = message_from_bytes(bytes(document.deliveries.get().message), policy=policy.SMTP)
    calendars = [p for p in stored.walk() if p.get_content_type() == "text/calendar"]
    assert len(calendars) == 1
    assert "BEGIN:VEVENT" in calendars[0].get_content()
    assert document.duties.count() == 0


def test_the_invitation_waits_for_a_meeting_to_be_arranged(pastoral_lead, suspension, mother):
    text = page_text(client_for(pastoral_lead).get(_url(suspension, LetterKind.MEETING_INVITATION)))

    assert "Arrange the reintegration meeting first" in text


def test_the_cancellation_notice_completes_the_cancellation_letter_duty(pastoral_lead, suspension, mother):
    cancel(suspension, reason="CCTV showed that Jordan was not involved.")
    client = client_for(pastoral_lead)

    assert "This suspension has been cancelled" in page_text(client.get(_url(suspension)))
    _send(client, suspension, kind=LetterKind.CANCELLATION_NOTICE)

    document = IssuedDocument.objects.get()
    text = pdf_text(bytes(document.pdf))
    assert "I have cancelled Jordan's suspension that started on Monday 09/11/2026" in text
    assert "CCTV showed that Jordan was not involved." in text
    duty = Duty.objects.get(suspension=suspension, kind=Duty.Kind.PARENTS_LETTER, about=Duty.About.CANCELLATION)
    assert duty.status == Duty.Status.DONE


def test_the_pupil_page_lists_the_letters_and_links_to_each(pastoral_lead, suspension, mother, pupil):
    client = client_for(pastoral_lead)
    before = page_text(client.get(reverse("pupils:detail", args=[pupil.pk])))
    assert "Letters and documents" in before
    assert "No letters have been issued to Jordan\N{RIGHT SINGLE QUOTATION MARK}s family yet." in before

    _send(client, suspension)
    after = client.get(reverse("pupils:detail", args=[pupil.pk]))

    document = IssuedDocument.objects.get()
    assert reverse("documents:issued", args=[document.pk]) in after.content.decode()
    assert "18/11/2026 10:00 Notice of suspension Sam Ashby Email" in page_text(after)


def test_the_issued_letter_page_shows_the_letter_as_sent_and_its_emails(pastoral_lead, suspension, mother):
    client = client_for(pastoral_lead)
    _send(client, suspension)
    document = IssuedDocument.objects.get()

    text = page_text(client.get(reverse("documents:issued", args=[document.pk])))

    assert "Wednesday 18/11/2026 at 10:00" in text
    assert "Sam Ashby sam@family.example Sent 18/11/2026 10:00" in text
    assert "Write to the parents: done" in text
    assert document.sha256 in text


@pytest.mark.parametrize("persona", ["teacher", "governor"])
def test_staff_who_do_not_write_to_families_are_refused(request, persona, suspension, mother):
    client = client_for(request.getfixturevalue(persona))

    assert client.get(_url(suspension)).status_code == 403


def test_another_schools_head_cannot_learn_the_letter_exists(other_head, suspension, mother, pastoral_lead):
    _send(client_for(pastoral_lead), suspension)
    client = client_for(other_head)
    document = IssuedDocument.objects.get()

    assert client.get(_url(suspension)).status_code == 404
    assert client.get(reverse("documents:issued", args=[document.pk])).status_code == 404
    assert client.get(reverse("documents:issued_file", args=[document.pk, "pdf"])).status_code == 404


def test_the_pupil_page_offers_only_the_notices_that_fit_the_suspension(pastoral_lead, suspension, mother, pupil):
    client = client_for(pastoral_lead)
    in_force = page_text(client.get(reverse("pupils:detail", args=[pupil.pk])))
    assert "Notice of suspension Not yet Issue the notice" in in_force
    assert "Notice of cancellation" not in in_force

    cancel(suspension, reason="CCTV showed that Jordan was not involved.")
    cancelled = page_text(client.get(reverse("pupils:detail", args=[pupil.pk])))
    assert "Notice of cancellation Not yet Issue the notice" in cancelled
    assert "Notice of suspension" not in cancelled

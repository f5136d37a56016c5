"""The notice of suspension: everything the guidance requires, read back from the PDF and the Word file.

Required content: domain.md section 2, rows 7, 8, 13, 14 and 20. Time is frozen at Wednesday 18/11/2026.
"""

from __future__ import annotations

from datetime import date, time

import pytest

from documents.letter_selectors import as_recipient, family_contacts, letter_suspension
from documents.letters import LetterInputs, leftover_placeholders
from documents.models import LetterKind
from documents.services import letter_draft
from testsupport.documents import docx_text, pdf_text
from testsupport.factories import ContactFactory
from testsupport.suspensions import record

NOTICE = LetterKind.SUSPENSION_NOTICE


@pytest.fixture
def family(pupil):
    return [
        ContactFactory(
            pupil=pupil,
            name="Sam Ashby",
            relationship="Mother",
            email="sam@family.example",
            address="4 Elm Road\nLarkfield\nLK1 2AB",
            priority=1,
        ),
        ContactFactory(pupil=pupil, name="Lee Ashby", relationship="Father", email="", priority=2),
    ]


def _draft(suspension, **changes):
    suspension = letter_suspension(suspension.pk).get()
    recipients = tuple(as_recipient(c) for c in family_contacts(suspension.pupil))
    values = {
        "recipients": recipients,
        "issued_on": date(2026, 11, 18),
        "reasons": "Jordan repeatedly left lessons without permission and refused to return.",
        "return_time": time(8, 40),
        "work_arrangements": "Work will be emailed each morning and marked by Jordan's teachers.",
        "provision": "Northgate Learning Centre, 4 Mill Road, Larkfield, 9:00am to 3:00pm",
    }
    values.update(changes)
    return letter_draft(suspension=suspension, kind=NOTICE, inputs=LetterInputs(**values))


def _both_texts(draft) -> list[str]:
    return [pdf_text(draft.rendered.pdf), docx_text(draft.rendered.docx)]


def test_a_six_day_notice_gives_everything_the_guidance_requires_in_the_pdf_and_in_word(pupil, family, headteacher):
    suspension = record(pupil, start=date(2026, 11, 9), sessions=12, decided_by=headteacher)
    draft = _draft(suspension)

    for text in _both_texts(draft):
        assert "Larkfield Academy" in text
        assert "Suspension of Jordan Ashby (Year 9)" in text
        assert "Dear Sam Ashby and Lee Ashby" in text
        assert "for 6 days, from Monday 09/11/2026 to Monday 16/11/2026" in text
        assert "Jordan repeatedly left lessons without permission and refused to return." in text
        assert "return to school on Tuesday 17/11/2026 at 8:40am" in text
        assert "must make sure that Jordan is not present in a public place during school hours" in text
        for day in ("Monday 09/11/2026", "Tuesday 10/11/2026", "Wednesday 11/11/2026", "Thursday 12/11/2026"):
            assert day in text
        assert "Friday 13/11/2026" in text
        assert "Work will be emailed each morning and marked by Jordan's teachers." in text
        assert "From Monday 16/11/2026, the sixth school day of the suspension" in text
        assert "Northgate Learning Centre, 4 Mill Road, Larkfield, 9:00am to 3:00pm" in text
        assert "right to make representations about this suspension to the governing board" in text
        assert "within 50 school days" in text
        assert "Jordan may also give their views to the governing board" in text
        assert "the right to attend, to be represented and to bring a friend" in text
        assert "the right to ask for a meeting of the governing board to be held remotely" in text
        assert "Coram Child Law Advice" in text
        assert "return does not depend on that meeting" in text
        assert leftover_placeholders(text) == []
    assert draft.missing == []
    assert draft.rendered.pages == 2


def test_the_letter_says_how_to_make_representations_with_the_clerk_from_the_letterhead(pupil, family, school):
    from documents.services import letterhead_update

    letterhead_update(
        school=school,
        values={"representations_contact": "Mrs Clerk, Clerk to the Governors\nclerk@larkfield.example"},
    )
    draft = _draft(record(pupil, start=date(2026, 11, 9), sessions=2))

    word = docx_text(draft.rendered.docx)
    assert "To make representations, write to: Mrs Clerk, Clerk to the Governors clerk@larkfield.example" in word
    pdf = pdf_text(draft.rendered.pdf)  # the lines may fall on either side of a page break
    assert "Mrs Clerk, Clerk to the Governors clerk@larkfield.example" in pdf


def test_five_days_has_no_sixth_day_provision_and_the_board_cannot_direct_reinstatement(pupil, family):
    suspension = record(pupil, start=date(2026, 11, 9), sessions=10)
    draft = _draft(suspension, provision="")

    for text in _both_texts(draft):
        assert "for 5 days, from Monday 09/11/2026 to Friday 13/11/2026" in text
        assert "sixth school day" not in text
        assert "cannot direct that Jordan is reinstated" in text
        assert "bring a friend" not in text
    assert draft.missing == []


def test_five_and_a_half_days_brings_the_provision_from_the_afternoon_day(pupil, family):
    suspension = record(pupil, start=date(2026, 11, 9), sessions=11)
    text = pdf_text(_draft(suspension).rendered.pdf)

    assert "From Monday 16/11/2026, the sixth school day of the suspension" in text


def test_over_fifteen_days_in_the_term_the_board_must_meet_within_fifteen_school_days(pupil, family):
    record(pupil, start=date(2026, 10, 12), sessions=20)
    second = record(pupil, start=date(2026, 11, 9), sessions=12)
    draft = _draft(second)

    text = pdf_text(draft.rendered.pdf)
    assert "The governing board must meet to consider whether Jordan should be reinstated" in text
    assert "more than 15 school days in this term" in text
    assert "within 15 school days of being told of the suspension" in text
    assert "to be represented and to bring a friend" in text
    assert draft.missing == []


def test_a_missed_exam_brings_the_board_meeting_even_for_one_day(pupil, family, headteacher):
    from suspensions.models import ReasonCode, Suspension
    from suspensions.services import suspension_record

    suspension = suspension_record(
        pupil=pupil,
        kind=Suspension.Kind.SUSPENSION,
        start_date=date(2026, 11, 9),
        sessions=2,
        reasons=[ReasonCode.objects.get(code="DB")],
        incident_summary="Left the exam hall.",
        decided_by=headteacher,
        recorded_by=headteacher,
        misses_public_exam=True,
        exam_date=date(2026, 11, 9),
    )
    text = pdf_text(_draft(suspension).rendered.pdf)

    assert "Jordan will miss a public examination or national curriculum test" in text


def test_the_family_language_brings_an_offer_of_an_interpreter(pupil):
    ContactFactory(pupil=pupil, name="Ewa Nowak", relationship="Mother", preferred_language="Polish")
    text = pdf_text(_draft(record(pupil, start=date(2026, 11, 9), sessions=2)).rendered.pdf)

    assert "explained in Polish, or to have an interpreter" in text


def test_names_with_ampersands_and_angle_brackets_are_printed_as_typed(pupil):
    ContactFactory(pupil=pupil, name="Sam & Lee <Ashby>", relationship="Parents")
    draft = _draft(record(pupil, start=date(2026, 11, 9), sessions=2))

    for text in _both_texts(draft):
        assert "Dear Sam & Lee <Ashby>" in text

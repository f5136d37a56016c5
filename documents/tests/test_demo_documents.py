"""Every letter and document, rendered from the demo school's data, says everything it must and nothing left over.

The demo (manage.py load_demo) has pupils at every stage: suspensions recorded, cancelled, with meetings arranged
and held, plans with goals and reviews. Each letter that can be written about each of its suspensions is rendered
and read back from the PDF and from the Word file; so is each plan's record, whole plan and "My return plan".
"""

from __future__ import annotations

import pytest
from django.utils import timezone

from demo.data import demo_load
from documents import records
from documents.letter_selectors import letter_suspension
from documents.letters import leftover_placeholders, missing_items
from documents.models import LetterKind
from documents.record_docx import record_docx
from documents.selectors import plans_for_documents
from documents.services import letter_draft, letter_unavailable_reason
from suspensions.models import Suspension
from testsupport.documents import docx_text, pdf_text


@pytest.fixture
def demo(db):
    return demo_load(now=timezone.now())


def test_every_letter_the_demo_allows_is_complete_in_the_pdf_and_in_word(demo):
    rendered = dict.fromkeys(LetterKind.values, 0)
    for suspension in Suspension.objects.exclude(kind=Suspension.Kind.PERMANENT).order_by("pk"):
        suspension = letter_suspension(suspension.pk).get()
        for kind in LetterKind.values:
            if letter_unavailable_reason(kind, suspension):
                continue
            draft = letter_draft(suspension=suspension, kind=kind)
            for text in (pdf_text(draft.rendered.pdf), docx_text(draft.rendered.docx)):
                assert missing_items(kind, text, draft.context) == [], (kind, suspension.pk)
                assert leftover_placeholders(text) == [], (kind, suspension.pk)
                assert draft.facts.pupil_full_name in text
            rendered[kind] += 1

    assert all(count > 0 for count in rendered.values()), rendered


def test_every_plan_document_of_the_demo_renders_without_placeholders(demo):
    builders = (records.meeting_record, records.plan_record, records.my_return_plan)
    plans = list(plans_for_documents().filter(school=demo.school).order_by("pk")[:6])
    assert plans
    for plan in plans:
        for build in builders:
            document = build(plan)
            for text in (pdf_text(records.record_pdf(document).content), docx_text(record_docx(document))):
                assert plan.pupil.display_name in text
                assert "{{" not in text
                assert "None" not in text

"""The default Word templates of the letters to parents, written here as code so that they can be read and reviewed.

Each template is a .docx with docxtpl (Jinja) fields such as {{ pupil.first_name }}. A school downloads one,
changes the wording in Word and uploads it as its own (documents/services.py: letter_template_upload). The fields
are those of documents.letters.letter_context(); docs/letters.md lists them.

A line of the layout is (style, text): "title", "h" (a heading), "p" (a paragraph), "b" (a bullet), "address"
(a line of an address: no space after it), "signature" (the signatory's name, with room above it to sign), or
"raw" (a docxtpl paragraph tag such as {%p if ... %}, which docxtpl removes with its paragraph).
"""

from __future__ import annotations

import io
from functools import cache

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.text.paragraph import Paragraph

from documents.models import LetterKind

Line = tuple[str, str]

# Paragraph styles of the templates that the HTML and PDF keep (documents/rendering.py maps them to classes).
ADDRESS_STYLE = "Address"
SIGNATURE_STYLE = "Signature"

_OPENING: list[Line] = [
    ("p", "{{ date }}"),
    ("raw", "{%p for line in recipients.address_lines %}"),
    ("address", "{{ line }}"),
    ("raw", "{%p endfor %}"),
    ("p", ""),
    ("p", "Dear {{ recipients.names }},"),
]

_CLOSING: list[Line] = [
    ("p", "Yours sincerely,"),
    ("signature", "{{ signatory.name }}"),
    ("address", "{{ signatory.title }}, {{ school.name }}"),
]

_INTERPRETER: list[Line] = [
    ("raw", "{%p if interpreter %}"),
    (
        "p",
        "If it would help to have this letter explained in {{ interpreter }}, or to have an interpreter at any "
        "meeting, please contact the school office and we will arrange it.",
    ),
    ("raw", "{%p endif %}"),
]

SUSPENSION_NOTICE: list[Line] = [
    *_OPENING,
    ("title", "Suspension of {{ pupil.full_name }} ({{ pupil.year_group }})"),
    (
        "p",
        "I am writing to confirm what we told you earlier: I have decided to suspend {{ pupil.first_name }} "
        "from school for {{ suspension.length }}, {{ suspension.period }}.",
    ),
    ("h", "Why {{ pupil.first_name }} has been suspended"),
    ("p", "{{ suspension.reasons }}"),
    ("h", "When {{ pupil.first_name }} comes back"),
    (
        "p",
        "{{ pupil.first_name }} should return to school on {{ suspension.return_date }} at "
        "{{ suspension.return_time }}. Please come to the school office with {{ pupil.first_name }}.",
    ),
    (
        "p",
        "We would like to meet you and {{ pupil.first_name }} to plan a good return, and will invite you "
        "separately. {{ pupil.first_name }}'s return does not depend on that meeting.",
    ),
    ("h", "The first school days of the suspension"),
    (
        "p",
        "On the following days you must make sure that {{ pupil.first_name }} is not present in a public place "
        "during school hours without a good reason. If {{ pupil.first_name }} is, you may be given a penalty "
        "notice.",
    ),
    ("raw", "{%p for day in suspension.first_five_days %}"),
    ("b", "{{ day }}"),
    ("raw", "{%p endfor %}"),
    ("h", "Schoolwork during the suspension"),
    ("p", "{{ suspension.work_arrangements }}"),
    ("raw", "{%p if provision.applies %}"),
    ("h", "Full-time education from the sixth school day"),
    (
        "p",
        "From {{ provision.from_date }}, the sixth school day of the suspension, {{ pupil.first_name }} will "
        "receive full-time education at: {{ provision.details }}",
    ),
    ("raw", "{%p endif %}"),
    ("h", "Your right to make representations to the governing board"),
    ("p", "{{ board.text }}"),
    ("p", "{{ board.pupil_involvement }}"),
    ("p", "To make representations, write to:"),
    ("raw", "{%p for line in board.contact_lines %}"),
    ("address", "{{ line }}"),
    ("raw", "{%p endfor %}"),
    ("p", "{{ board.remote }}"),
    ("h", "Impartial advice"),
    ("p", "You can get free, impartial advice about suspensions from:"),
    ("raw", "{%p for line in advice %}"),
    ("b", "{{ line }}"),
    ("raw", "{%p endfor %}"),
    *_INTERPRETER,
    *_CLOSING,
]

MEETING_INVITATION: list[Line] = [
    *_OPENING,
    ("title", "Invitation to a reintegration meeting for {{ pupil.full_name }}"),
    (
        "p",
        "We would like to invite you and {{ pupil.first_name }} to a meeting to help {{ pupil.first_name }} "
        "settle back into school well after the suspension. Together we will agree what {{ pupil.first_name }} "
        "wants to achieve, for behaviour and for learning, what will help, and how we will all know it is "
        "working.",
    ),
    ("h", "When and where"),
    ("p", "Date: {{ meeting.date }}"),
    ("p", "Time: {{ meeting.time }}"),
    ("p", "How: {{ meeting.mode }}"),
    ("p", "Where: {{ meeting.place }}"),
    ("h", "Who will be there"),
    ("raw", "{%p for person in meeting.attendees %}"),
    ("b", "{{ person }}"),
    ("raw", "{%p endfor %}"),
    ("h", "{{ pupil.first_name }}'s return does not depend on this meeting"),
    (
        "p",
        "{{ pupil.first_name }} will come back to school on {{ suspension.return_date }} whether or not you are "
        "able to attend. The return does not depend on attending this meeting. If the time does not suit you, "
        "or you would rather meet by video or phone, please contact the school office and we will try to find "
        "another way.",
    ),
    *_INTERPRETER,
    *_CLOSING,
]

CANCELLATION_NOTICE: list[Line] = [
    *_OPENING,
    ("title", "Cancellation of {{ pupil.full_name }}'s suspension"),
    (
        "p",
        "I am writing to tell you that I have cancelled {{ pupil.first_name }}'s {{ suspension.kind }} that "
        "started on {{ suspension.first_day }}. The suspension was cancelled on {{ cancellation.date }}.",
    ),
    ("h", "Why the suspension has been cancelled"),
    ("p", "{{ cancellation.reason }}"),
    ("h", "When {{ pupil.first_name }} comes back"),
    ("raw", "{%p if cancellation.back_on %}"),
    (
        "p",
        "{{ pupil.first_name }} should come back to school without delay: we expect {{ pupil.first_name }} on "
        "{{ cancellation.back_on }} at {{ suspension.return_time }}.",
    ),
    ("raw", "{%p else %}"),
    (
        "p",
        "{{ pupil.first_name }} should come to school as usual, at {{ suspension.return_time }} each day.",
    ),
    ("raw", "{%p endif %}"),
    (
        "p",
        "We will still make a plan with you to help {{ pupil.first_name }} settle back in. The governing board "
        "and the local authority have been told of the cancellation.",
    ),
    *_INTERPRETER,
    *_CLOSING,
]

PLAN_SUMMARY: list[Line] = [
    *_OPENING,
    ("title", "{{ pupil.full_name }}'s return to school: the plan we agreed"),
    (
        "p",
        "Thank you for working with us on {{ pupil.first_name }}'s return. This letter sums up the plan. "
        "Please keep it, and talk to us if anything changes.",
    ),
    ("h", "How we will support {{ pupil.first_name }}"),
    ("p", "{{ plan.strategy }}"),
    ("raw", "{%p if plan.key_adult %}"),
    (
        "p",
        "{{ pupil.first_name }}'s key adult in school is {{ plan.key_adult }}, who will check in with "
        "{{ pupil.first_name }}: {{ plan.check_ins }}.",
    ),
    ("raw", "{%p endif %}"),
    ("raw", "{%p if plan.reasonable_adjustments %}"),
    ("p", "Adjustments for {{ pupil.first_name }}: {{ plan.reasonable_adjustments }}"),
    ("raw", "{%p endif %}"),
    ("h", "What {{ pupil.first_name }} is aiming for"),
    ("raw", "{%p for goal in plan.goals %}"),
    (
        "b",
        "{{ goal.area }}: {{ goal.aim }}. {{ pupil.first_name }} will: {{ goal.actions }} (by {{ goal.target_date }})",
    ),
    ("raw", "{%p endfor %}"),
    ("h", "When we will look at progress together"),
    ("p", "The next review is on {{ plan.next_review }}. We will tell you how it went."),
    *_INTERPRETER,
    *_CLOSING,
]

LAYOUTS: dict[str, list[Line]] = {
    LetterKind.SUSPENSION_NOTICE: SUSPENSION_NOTICE,
    LetterKind.MEETING_INVITATION: MEETING_INVITATION,
    LetterKind.CANCELLATION_NOTICE: CANCELLATION_NOTICE,
    LetterKind.PLAN_SUMMARY: PLAN_SUMMARY,
}


def _field(paragraph: Paragraph, instruction: str) -> None:
    """A Word field (PAGE, NUMPAGES) in a paragraph: Word fills it in when the document is shown."""
    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = instruction
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run._r.append(begin)
    run._r.append(text)
    run._r.append(end)


def add_page_numbers(paragraph: Paragraph) -> None:
    """'Page 1 of 2' in a footer paragraph."""
    paragraph.add_run("Page ")
    _field(paragraph, "PAGE")
    paragraph.add_run(" of ")
    _field(paragraph, "NUMPAGES")


def _letterhead(document: DocumentObject) -> None:
    section = document.sections[0]
    section.page_height, section.page_width = Mm(297), Mm(210)
    section.top_margin = section.bottom_margin = Mm(18)
    section.left_margin = section.right_margin = Mm(20)
    header = section.header
    logo = header.paragraphs[0]
    logo.add_run("{{ logo }}")
    name = header.add_paragraph()
    name.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    name.add_run("{{ school.name }}").bold = True
    header.add_paragraph("{%p for line in school.address_lines %}")
    line = header.add_paragraph("{{ line }}")
    line.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    header.add_paragraph("{%p endfor %}")
    contact = header.add_paragraph(
        "{% if school.phone %}Telephone: {{ school.phone }}  {% endif %}"
        "{% if school.email %}Email: {{ school.email }}{% endif %}"
    )
    contact.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    add_page_numbers(footer)


@cache
def default_template(kind: str) -> bytes:
    """The default template for one kind of letter, as .docx bytes."""
    document = Document()
    style = document.styles["Normal"]
    style.font.name = "Arial"
    style.font.size = Pt(11)
    address = document.styles.add_style(ADDRESS_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    address.base_style = style
    address.paragraph_format.space_after = Pt(0)
    signature = document.styles.add_style(SIGNATURE_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    signature.base_style = style
    signature.paragraph_format.space_before = Pt(36)
    signature.paragraph_format.space_after = Pt(0)
    _letterhead(document)
    for kind_of_line, text in LAYOUTS[kind]:
        if kind_of_line == "title":
            document.add_heading(text, level=1)
        elif kind_of_line == "h":
            document.add_heading(text, level=2)
        elif kind_of_line == "b":
            document.add_paragraph(text, style="List Bullet")
        elif kind_of_line == "address":
            document.add_paragraph(text, style=ADDRESS_STYLE)
        elif kind_of_line == "signature":
            document.add_paragraph(text, style=SIGNATURE_STYLE)
        else:
            document.add_paragraph(text)
    _drop_unused_styles(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _drop_unused_styles(document: DocumentObject) -> None:
    """Keep the styles the templates use (and those they build on). python-docx's blank document carries every
    built-in Word style, 350 KB of them, which makes each letter slow to read back."""
    styles = document.styles.element
    by_id = {style.get(qn("w:styleId")): style for style in styles.findall(qn("w:style"))}
    wanted = {"Normal", "Heading1", "Heading2", "ListBullet", "Header", "Footer", ADDRESS_STYLE, SIGNATURE_STYLE}
    wanted |= {style_id for style_id, style in by_id.items() if style.get(qn("w:default")) == "1"}
    pending = list(wanted)
    while pending:
        style = by_id.get(pending.pop())
        if style is None:
            continue
        for link in ("w:basedOn", "w:link", "w:next"):
            ref = style.find(qn(link))
            if ref is not None and ref.get(qn("w:val")) not in wanted:
                wanted.add(ref.get(qn("w:val")))
                pending.append(ref.get(qn("w:val")))
    for style_id, style in by_id.items():
        if style_id not in wanted:
            styles.remove(style)
    latent = styles.find(qn("w:latentStyles"))
    if latent is not None:
        styles.remove(latent)

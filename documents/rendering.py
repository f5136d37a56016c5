"""Filling a letter's Word template and turning the result into what is sent: DOCX, HTML, plain text and PDF.

One source for every form of a letter: the .docx rendered by docxtpl is the letter. Its body is read back as HTML
(mammoth) for the email and the PDF, and as plain text for the plain-text email and for the check of required
items, so the four can never say different things.

A school's own template is code written by staff (Jinja inside Word), so it is rendered in Jinja's sandbox and
sees only the plain values of documents.letters.letter_context(): no records, no methods.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from html import unescape

import mammoth
from django.template.loader import render_to_string
from django.utils.html import strip_tags
from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage
from jinja2 import ChainableUndefined, TemplateError
from jinja2.sandbox import SandboxedEnvironment

from documents.pdf import letterhead_context, render_pdf
from schools.models import School

# The top-level fields a template may use (documents.letters.letter_context, plus the logo).
KNOWN_FIELDS = frozenset(
    {
        "date",
        "school",
        "signatory",
        "recipients",
        "pupil",
        "suspension",
        "provision",
        "board",
        "advice",
        "interpreter",
        "cancellation",
        "meeting",
        "plan",
        "logo",
    }
)
# Jinja's own names, which a template may use without Reintegrate providing them.
_JINJA_NAMES = frozenset({"loop", "range", "true", "false", "none", "True", "False", "None"})

MAX_TEMPLATE_BYTES = 2 * 1024 * 1024


class TemplateProblem(Exception):
    """A letter template that cannot be used, with a message for the member of staff who uploaded it."""


@dataclass(frozen=True)
class RenderedLetter:
    docx: bytes
    html: str  # the letter's body, as HTML
    text: str  # the letter's body, as plain text
    pdf: bytes
    pages: int


def _environment() -> SandboxedEnvironment:
    return SandboxedEnvironment(undefined=ChainableUndefined)


def _open(template: bytes) -> DocxTemplate:
    if len(template) > MAX_TEMPLATE_BYTES:
        raise TemplateProblem("The file is larger than 2 MB. Remove large pictures from it and upload it again.")
    try:
        with zipfile.ZipFile(io.BytesIO(template)) as archive:
            if "word/document.xml" not in archive.namelist():
                raise TemplateProblem("The file is not a Word document (.docx). Save it from Word as .docx.")
    except zipfile.BadZipFile as error:
        raise TemplateProblem("The file is not a Word document (.docx). Save it from Word as .docx.") from error
    return DocxTemplate(io.BytesIO(template))


def unknown_fields(template: bytes) -> list[str]:
    """Fields the template uses that Reintegrate does not provide, e.g. a misspelt {{ pupil_name }}."""
    document = _open(template)
    try:
        used = document.get_undeclared_template_variables(jinja_env=_environment())
    except TemplateError as error:
        raise TemplateProblem(f"A field in the template is not written correctly: {error.message}.") from error
    return sorted(set(used) - KNOWN_FIELDS - _JINJA_NAMES)


def render_docx(template: bytes, context: dict[str, object], *, logo: bytes = b"") -> bytes:
    document = _open(template)
    values = dict(context)
    values["logo"] = InlineImage(document, io.BytesIO(logo), height=Mm(18)) if logo else ""
    try:
        document.render(values, jinja_env=_environment(), autoescape=True)
    except TemplateError as error:
        message = getattr(error, "message", None) or str(error)
        raise TemplateProblem(f"The template could not be filled in: {message}.") from error
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


_SAFE_HREF = re.compile(r"^(https?:|mailto:)", re.IGNORECASE)
_HREF = re.compile(r'href="([^"]*)"')


def _safe_links(html: str) -> str:
    """Only web and email links survive from a Word document into HTML."""
    return _HREF.sub(lambda m: m.group(0) if _SAFE_HREF.match(m.group(1)) else 'href="#"', html)


# Word paragraph styles kept in the HTML: an address line has no space after it; a signature has room above it.
_STYLE_MAP = "p[style-name='Address'] => p.address:fresh\np[style-name='Signature'] => p.signature:fresh"


def docx_to_html(docx: bytes) -> str:
    result = mammoth.convert_to_html(io.BytesIO(docx), style_map=_STYLE_MAP)
    return _safe_links(result.value)


_BLOCK_END = re.compile(r"</(p|h[1-6]|li|tr|table|ul|ol)>|<br\s*/?>", re.IGNORECASE)
_ADDRESS_LINE = re.compile(r'<p class="address">(.*?)</p>', re.IGNORECASE | re.DOTALL)
_LIST_ITEM = re.compile(r"<li[^>]*>", re.IGNORECASE)


def html_to_text(html: str) -> str:
    """The letter's HTML as plain text: a paragraph a line, a bullet for each list item."""
    text = _ADDRESS_LINE.sub(r"\1\n", html)
    text = _LIST_ITEM.sub("* ", text)
    text = _BLOCK_END.sub("\n\n", text)
    text = unescape(strip_tags(text))
    lines = [" ".join(line.split()) for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip() + "\n"


def docx_to_text(docx: bytes) -> str:
    return html_to_text(docx_to_html(docx))


def render_letter(
    *, template: bytes, context: dict[str, object], school: School, title: str, pdf: bool = True
) -> RenderedLetter:
    """The letter in every form it is kept and sent in (without the PDF, which is slow, for a preview)."""
    head = letterhead_context(school)
    letterhead = head["letterhead"]
    docx = render_docx(template, context, logo=bytes(getattr(letterhead, "logo", b"") or b""))
    html = docx_to_html(docx)
    text = html_to_text(html)
    if not pdf:
        return RenderedLetter(docx=docx, html=html, text=text, pdf=b"", pages=0)
    page = render_to_string("documents/letter_pdf.html", {**head, "body": html, "title": title})
    rendered = render_pdf(page, footer=f"{school.name}: {title}")
    return RenderedLetter(docx=docx, html=html, text=text, pdf=rendered.content, pages=rendered.pages)

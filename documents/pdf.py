"""HTML to PDF with WeasyPrint, and the letterhead every document carries.

Only DejaVu fonts are installed on our machines (docs: stack.md), so every stylesheet names DejaVu Sans, also
inside @page, where margin boxes would otherwise fall back to DejaVu Serif.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass

from django.template.loader import render_to_string

from documents.models import Letterhead
from schools.models import School


@dataclass(frozen=True)
class Pdf:
    content: bytes
    pages: int


def letterhead_for(school: School) -> Letterhead:
    """The school's letterhead, or an unsaved default one (name and address only) if it has none yet."""
    return Letterhead.objects.filter(school=school).first() or Letterhead(school=school)


def logo_data_uri(letterhead: Letterhead) -> str:
    """The logo as a data: URI for HTML and PDF ('' when there is none). It never leaves the page as a URL."""
    if not letterhead.has_logo:
        return ""
    encoded = base64.b64encode(bytes(letterhead.logo)).decode("ascii")
    return f"data:{letterhead.logo_content_type};base64,{encoded}"


def letterhead_context(school: School) -> dict[str, object]:
    """What templates/documents/_letterhead.html needs."""
    letterhead = letterhead_for(school)
    return {"school": school, "letterhead": letterhead, "logo_uri": logo_data_uri(letterhead)}


def css_string(text: str) -> str:
    """Text for a CSS string literal ("..."): backslashes and quotes escaped, on one line."""
    return " ".join(text.replace("\\", "\\\\").replace('"', '\\"').split())


def render_pdf(html: str, *, footer: str = "") -> Pdf:
    """Render HTML to an A4 PDF with the shared stylesheet: page numbers ("Page 2 of 3") and a footer line."""
    from weasyprint import CSS, HTML  # imported here: slow to import, and only documents need it

    stylesheet = CSS(string=render_to_string("documents/pdf.css", {"footer": css_string(footer)}))
    document = HTML(string=html).render(stylesheets=[stylesheet])
    return Pdf(content=document.write_pdf(), pages=len(document.pages))

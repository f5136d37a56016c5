"""Reading generated documents back as text, as a person (or a screen reader) would get it.

PDFs are read with pypdf; Word documents with python-docx: headers, the body (paragraphs and tables, nested
tables too) and footers, in reading order.
"""

from __future__ import annotations

import io
from typing import Any

import docx
import pypdf
from docx.document import Document as WordDocument
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.table import Table
from docx.text.paragraph import Paragraph


def _collapse(text: str) -> str:
    return " ".join(text.split())


# --- PDF ------------------------------------------------------------------------------------------------------


def pdf_pages(content: bytes) -> list[str]:
    reader = pypdf.PdfReader(io.BytesIO(content))
    return [_collapse(page.extract_text() or "") for page in reader.pages]


def pdf_text(content: bytes) -> str:
    return " ".join(pdf_pages(content))


def pdf_image_count(content: bytes) -> int:
    """How many different pictures the PDF holds (pages may share one picture's resources)."""
    reader = pypdf.PdfReader(io.BytesIO(content))
    return len({image.data for page in reader.pages for image in page.images})


def pdf_text_sizes(content: bytes) -> list[tuple[str, float]]:
    """Each run of text on every page with its size in points, as drawn."""
    reader = pypdf.PdfReader(io.BytesIO(content))
    sizes: list[tuple[str, float]] = []

    def visit(text: str, cm: list[float], tm: list[float], font: Any, size: float) -> None:
        if text.strip():
            sizes.append((text.strip(), round(abs(size * tm[0] * cm[0]), 1)))

    for page in reader.pages:
        page.extract_text(visitor_text=visit)
    return sizes


# --- DOCX -----------------------------------------------------------------------------------------------------


def _block_texts(container: Any) -> list[str]:
    """Paragraphs and tables of a body, cell, header or footer, in order, tables cell by cell (nested too)."""
    texts: list[str] = []
    for child in container._element.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            texts.append(Paragraph(child, container).text)
        elif tag == "tbl":
            for row in Table(child, container).rows:
                seen: set[int] = set()
                for cell in row.cells:
                    if id(cell._tc) in seen:  # a merged cell appears once per column it spans
                        continue
                    seen.add(id(cell._tc))
                    texts.extend(_block_texts(cell))
    return texts


def open_docx(content: bytes) -> WordDocument:
    return docx.Document(io.BytesIO(content))


def docx_text(content: bytes) -> str:
    """Everything a reader sees in the DOCX: headers, the body (paragraphs and tables), footers."""
    word = open_docx(content)
    texts: list[str] = []
    for section in word.sections:
        texts.extend(_block_texts(section.header))
    texts.extend(_block_texts(word._body))
    for section in word.sections:
        texts.extend(_block_texts(section.footer))
    return _collapse(" ".join(texts))


def docx_header_has_image(content: bytes) -> bool:
    word = open_docx(content)
    return any(rel.reltype == RT.IMAGE for section in word.sections for rel in section.header.part.rels.values())


def docx_header_images(content: bytes) -> int:
    """Pictures in the documents' page headers (the logo)."""
    word = open_docx(content)
    return sum(1 for section in word.sections for rel in section.header.part.rels.values() if rel.reltype == RT.IMAGE)

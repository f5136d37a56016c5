"""The reintegration documents in Word: the same blocks as the PDF (documents/records.py), with python-docx.

The school's letterhead (logo, name, address, contact details) sits in the page header and "Page X of Y" in the
footer, as Word fields (PAGE and NUMPAGES) that Word and LibreOffice fill in as they lay the pages out. Text typed
by staff goes in as plain text runs, one paragraph per line; characters that XML cannot hold (control characters
pasted from elsewhere) are dropped. Charts become tables of the same figures.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from docx import Document
from docx.document import Document as WordDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.table import CT_Row
from docx.shared import Mm, Pt, RGBColor
from docx.table import Table as DocxTable
from docx.table import _Cell
from docx.text.paragraph import Paragraph as DocxParagraph
from docx.text.run import Run

from documents.records import (
    AnswerBox,
    Block,
    BulletList,
    Chart,
    Heading,
    KeyValues,
    Paragraph,
    RecordDocument,
    SignatureLines,
    Table,
    clean,
)

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
FONT = "Arial"
INK = RGBColor(0x0B, 0x0C, 0x0C)
GREY = RGBColor(0x50, 0x5A, 0x5F)
SHADE = "F3F2F1"
PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)
MARGIN_SIDE, MARGIN_TOP, MARGIN_BOTTOM = Mm(16), Mm(16), Mm(18)
TEXT_WIDTH = Mm(210 - 2 * 16)


def record_docx(document: RecordDocument) -> bytes:
    """The document as a .docx file."""
    word = Document()
    _page_and_styles(word, large=document.large_type)
    _letterhead(word, document)
    _page_numbers(word, document.footer)
    word.add_paragraph(clean(document.title), style="Title")
    if document.subtitle:
        subtitle = word.add_paragraph(style="Subtitle")
        subtitle.add_run(clean(document.subtitle))
    for block in document.blocks:
        _block(word, block)
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


# --- The page, the styles, the header and the footer -----------------------------------------------------


def _page_and_styles(word: WordDocument, *, large: bool) -> None:
    section = word.sections[0]
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.left_margin = section.right_margin = MARGIN_SIDE
    section.top_margin, section.bottom_margin = MARGIN_TOP, MARGIN_BOTTOM
    section.header_distance = section.footer_distance = Mm(8)
    body = 14 if large else 10.5
    sizes = {
        "Normal": body,
        "Title": 26 if large else 20,
        "Subtitle": 16 if large else 12,
        "Heading 1": 20 if large else 14,
        "Heading 2": 16 if large else 12,
        "List Bullet": body,
    }
    for name, size in sizes.items():
        style = word.styles[name]
        font = style.font
        font.name = FONT
        font.size = Pt(size)
        font.color.rgb = GREY if name == "Subtitle" else INK
        font.italic = False
        # East Asian and complex-script font slots too, or Word shows them in the theme font.
        rpr = style.element.get_or_add_rPr()
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is None:
            fonts = OxmlElement("w:rFonts")
            rpr.append(fonts)
        for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
            fonts.set(qn(slot), FONT)
        for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            if fonts.get(qn(theme)) is not None:
                del fonts.attrib[qn(theme)]
    word.styles["Heading 1"].font.bold = True
    word.styles["Heading 2"].font.bold = True
    normal_format = word.styles["Normal"].paragraph_format
    normal_format.space_after = Pt(4)
    normal_format.line_spacing = 1.1


def _letterhead(word: WordDocument, document: RecordDocument) -> None:
    """The logo on the left, the school's name, address and contact details on the right, in the page header."""
    school = document.school
    letterhead = document.letterhead
    header = word.sections[0].header
    table = header.add_table(rows=1, cols=2, width=TEXT_WIDTH)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    logo_cell, details_cell = table.rows[0].cells
    _widths(table, (40, 60))
    if letterhead.has_logo:
        run = logo_cell.paragraphs[0].add_run()
        run.add_picture(io.BytesIO(bytes(letterhead.logo)), height=Mm(18))
    lines = [
        *[line.strip() for line in school.address.splitlines() if line.strip()],
        *([f"Telephone: {letterhead.phone}"] if letterhead.phone else []),
        *([f"Email: {letterhead.email}"] if letterhead.email else []),
        *([letterhead.website] if letterhead.website else []),
    ]
    name = details_cell.paragraphs[0]
    name.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    run = name.add_run(clean(school.name))
    run.bold = True
    run.font.size = Pt(13)
    for line in lines:
        paragraph = details_cell.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        paragraph.paragraph_format.space_after = Pt(0)
        detail = paragraph.add_run(clean(line))
        detail.font.size = Pt(9)
    # The table goes before the header's own (empty) paragraph, which draws a rule under it, as on the PDF.
    rule = header.paragraphs[0]
    rule._p.addprevious(table._tbl)
    _bottom_border(rule)


def _page_numbers(word: WordDocument, footer_text: str) -> None:
    footer = word.sections[0].footer
    paragraph = footer.paragraphs[0]
    if footer_text:
        note = paragraph.add_run(clean(footer_text))
        note.font.size = Pt(8)
        note.font.color.rgb = GREY
        paragraph = footer.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for part in ("Page ", "PAGE", " of ", "NUMPAGES"):
        if part in ("PAGE", "NUMPAGES"):
            _field(paragraph, part)
        else:
            run = paragraph.add_run(part)
            run.font.size = Pt(8)
            run.font.color.rgb = GREY


def _field(paragraph: DocxParagraph, instruction: str) -> None:
    """A Word field (PAGE, NUMPAGES) with "1" as its last-known result; Word updates it when laying out."""

    def small(run: Run) -> Run:
        run.font.size = Pt(8)
        run.font.color.rgb = GREY
        return run

    def char(kind: str) -> None:
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        small(paragraph.add_run())._r.append(element)

    char("begin")
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = f" {instruction} \\* MERGEFORMAT "
    small(paragraph.add_run())._r.append(text)
    char("separate")
    small(paragraph.add_run("1"))
    char("end")


# --- Blocks -----------------------------------------------------------------------------------------------


def _block(word: WordDocument, block: Block) -> None:
    if isinstance(block, Heading):
        word.add_paragraph(clean(block.text), style="Heading 1" if block.level <= 2 else "Heading 2")
    elif isinstance(block, Paragraph):
        _paragraphs(word, block)
    elif isinstance(block, KeyValues):
        _key_values(word, block)
    elif isinstance(block, Table):
        _table(word, block)
    elif isinstance(block, AnswerBox):
        _answer_box(word, block)
    elif isinstance(block, BulletList):
        for item in block.items:
            _lines(word.add_paragraph(style="List Bullet"), item)
    elif isinstance(block, SignatureLines):
        _signatures(word, block)
    elif isinstance(block, Chart):
        _table(word, block.figures)


def _lines(paragraph: DocxParagraph, text: str, *, bold: bool = False) -> None:
    """Text into a paragraph, its line breaks kept as breaks."""
    for index, line in enumerate(clean(text).split("\n")):
        if index:
            paragraph.runs[-1].add_break()
        run = paragraph.add_run(line)
        if bold:
            run.bold = True


def _paragraphs(word: WordDocument, block: Paragraph) -> None:
    for line in clean(block.text).splitlines() or [""]:
        paragraph = word.add_paragraph()
        run = paragraph.add_run(line)
        if block.style == "note":
            run.bold = True
            _shade_paragraph(paragraph)
        elif block.style == "quote":
            run.font.size = Pt(16)
            paragraph.paragraph_format.left_indent = Mm(5)
        elif block.style == "small":
            run.font.color.rgb = GREY
            paragraph.paragraph_format.space_after = Pt(0)


def _cell_text(cell: _Cell, text: str, *, bold: bool = False) -> None:
    """Text into a table cell: one paragraph per line."""
    lines = clean(text).split("\n")
    first = cell.paragraphs[0]
    for index, line in enumerate(lines):
        paragraph = first if index == 0 else cell.add_paragraph()
        paragraph.paragraph_format.space_after = Pt(2)
        run = paragraph.add_run(line)
        if bold:
            run.bold = True


def _key_values(word: WordDocument, block: KeyValues) -> None:
    table = _new_table(word, rows=len(block.rows), cols=2)
    _widths(table, (32, 68))
    for row, (key, value) in zip(table.rows, block.rows, strict=True):
        key_cell, value_cell = row.cells
        _cell_text(key_cell, key, bold=True)
        _shade(key_cell)
        if block.blank:
            row.height = Mm(9)
        else:
            _cell_text(value_cell, value)
        _keep_row_together(row._tr)
    _space_after(word)


def _table(word: WordDocument, block: Table) -> None:
    if block.caption:
        caption = word.add_paragraph()
        caption.paragraph_format.keep_with_next = True
        caption.paragraph_format.space_after = Pt(2)
        caption.add_run(clean(block.caption)).bold = True
    if not block.rows and not block.blank_rows and block.empty:
        word.add_paragraph(clean(block.empty))
        return
    rows = [*block.rows, *block.blank_lines]
    table = _new_table(word, rows=1 + len(rows), cols=len(block.headers))
    if block.widths:
        _widths(table, block.widths)
    for cell, header in zip(table.rows[0].cells, block.headers, strict=True):
        _cell_text(cell, header, bold=True)
        _shade(cell)
    _repeat_header(table.rows[0]._tr)
    for row, values in zip(table.rows[1:], rows, strict=True):
        for cell, value in zip(row.cells, values, strict=True):
            if value:
                _cell_text(cell, value)
        if not any(values):
            row.height = Mm(9)
        _keep_row_together(row._tr)
    _space_after(word)


def _answer_box(word: WordDocument, block: AnswerBox) -> None:
    label = word.add_paragraph()
    label.paragraph_format.keep_with_next = True
    label.paragraph_format.space_after = Pt(1)
    label.add_run(clean(block.label)).bold = True
    if block.hint:
        hint = word.add_paragraph()
        hint.paragraph_format.keep_with_next = True
        hint.paragraph_format.space_after = Pt(2)
        run = hint.add_run(clean(block.hint))
        run.font.color.rgb = GREY
        run.font.size = Pt(9)
    table = _new_table(word, rows=1, cols=1)
    cell = table.rows[0].cells[0]
    for _ in range(max(block.lines, 1) * 2 - 1):  # a few empty lines to write on
        cell.add_paragraph()
    _keep_row_together(table.rows[0]._tr)
    _space_after(word)


def _signatures(word: WordDocument, block: SignatureLines) -> None:
    word.add_paragraph(clean(block.statement))
    table = _new_table(word, rows=1 + len(block.signers), cols=4)
    _widths(table, (25, 30, 25, 20))
    for cell, header in zip(table.rows[0].cells, ("Who", "Name", "Signature", "Date"), strict=True):
        _cell_text(cell, header, bold=True)
        _shade(cell)
    for row, (who, name) in zip(table.rows[1:], block.signers, strict=True):
        _cell_text(row.cells[0], who, bold=True)
        if name:
            _cell_text(row.cells[1], name)
        row.height = Mm(14)
        _keep_row_together(row._tr)


# --- Table and paragraph details ----------------------------------------------------------------------------


def _new_table(word: WordDocument, *, rows: int, cols: int) -> DocxTable:
    table = word.add_table(rows=rows, cols=cols)
    table.style = "Table Grid"
    table.autofit = False
    return table


def _widths(table: DocxTable, percentages: Sequence[int]) -> None:
    total = sum(percentages)
    widths = [int(TEXT_WIDTH * share / total) for share in percentages]
    for column, width in zip(table.columns, widths, strict=False):
        column.width = width
        for cell in column.cells:
            cell.width = width


def _shade(cell: _Cell) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), SHADE)
    cell._tc.get_or_add_tcPr().append(shading)


def _shade_paragraph(paragraph: DocxParagraph) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), SHADE)
    paragraph._p.get_or_add_pPr().append(shading)


def _bottom_border(paragraph: DocxParagraph) -> None:
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "12"), ("w:space", "1"), ("w:color", "0B0C0C")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().append(borders)


def _repeat_header(tr: CT_Row) -> None:
    """The header row repeats at the top of each page a table runs onto."""
    properties = tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def _keep_row_together(tr: CT_Row) -> None:
    properties = tr.get_or_add_trPr()
    properties.append(OxmlElement("w:cantSplit"))


def _space_after(word: WordDocument) -> None:
    spacer = word.add_paragraph()
    spacer.paragraph_format.space_after = Pt(0)
    spacer.paragraph_format.line_spacing = Pt(6)

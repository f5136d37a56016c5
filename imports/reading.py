"""Reading an uploaded file into headings and rows of text: CSV, Excel (.xlsx) or iCalendar (.ics).

Every way a file can be malformed ends in FileProblem, whose message tells the user what to do; nothing here
raises anything else for bad input. Row numbers are the spreadsheet's own (the headings are usually row 1), so
that "Row 14" is row 14 in Excel.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

import openpyxl  # type: ignore[import-untyped]

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 200_000
MAX_COLUMNS = 200
MAX_CELL = 10_000
MAX_UNZIPPED_BYTES = 400 * 1024 * 1024  # an .xlsx is a zip: refuse one that would unpack to more (a zip bomb)
HEADING_SEARCH_ROWS = 10  # a title line or two above the headings is skipped
DELIMITERS = ",;\t|"

CSV, XLSX, ICS = "csv", "xlsx", "ics"
CSV_COPY = "csv-copy"  # a workbook's rows as Reintegrate copied them to CSV while checking: comma, UTF-8
Copy = Callable[[list[str]], object] | None  # called with each row read, for the copy
EXTENSIONS = {".csv": CSV, ".xlsx": XLSX, ".ics": ICS}


class FileProblem(Exception):
    """The file cannot be read. The message says why and what to do, in plain words."""


def file_format(filename: str, content: bytes, allowed: tuple[str, ...]) -> str:
    """The format of an upload from its name, checked against its first bytes."""
    name = filename.lower().strip()
    extension = "." + name.rsplit(".", 1)[-1] if "." in name else ""
    choices = " or ".join(f".{fmt}" for fmt in allowed)
    if extension in (".xls", ".xlsm", ".xlsb", ".ods", ".numbers"):
        raise FileProblem(f"Reintegrate cannot read {extension} files. Save the file as {choices} and upload that.")
    fmt = EXTENSIONS.get(extension)
    if fmt is None or fmt not in allowed:
        raise FileProblem(f"The file must be a {choices} file. Save it in one of those formats and upload it again.")
    if not content.strip():
        raise FileProblem("The file is empty. Export the data from your MIS again and upload that file.")
    if fmt == XLSX and not content.startswith(b"PK\x03\x04"):
        raise FileProblem("The file is named .xlsx but is not an Excel workbook. Save it from Excel as .xlsx.")
    if fmt != XLSX and content.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        raise FileProblem(
            f"The file is named .{fmt} but is a spreadsheet. Save it as .xlsx or .csv and upload that file."
        )
    if fmt == ICS and b"BEGIN:VCALENDAR" not in content[:4096].upper():
        raise FileProblem("The file is not an iCalendar file: it does not start with BEGIN:VCALENDAR.")
    return fmt


@dataclass(frozen=True)
class Table:
    """A file read as text: its headings and, lazily, its rows (spreadsheet row number, cells)."""

    headings: list[str]
    heading_row: int
    total_estimate: int | None
    _rows: Iterator[tuple[int, list[str]]]

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        """Each row that has something in it, padded to the number of headings."""
        width = len(self.headings)
        count = 0
        for number, cells in self._rows:
            if not any(cells):
                continue
            count += 1
            if count > MAX_ROWS:
                raise FileProblem(
                    f"The file has more than {MAX_ROWS:,} rows. Split it into smaller files and import each."
                )
            if len(cells) < width:
                cells = cells + [""] * (width - len(cells))
            yield number, cells[:width]


def read_table(content: bytes, fmt: str, copy: Copy = None) -> Table:
    """The file's headings and rows. `copy`, for a workbook, receives every row as text, to keep a CSV copy."""
    if fmt == CSV:
        return _read_csv(content)
    if fmt == CSV_COPY:
        return _read_csv(content, delimiter=",")
    if fmt == XLSX:
        return _read_xlsx(content, copy)
    raise FileProblem("This kind of file has no columns to read.")


def _headings(cells: list[str]) -> list[str]:
    """Headings made unique and never empty, so that each can be chosen on the mapping page."""
    if len(cells) > MAX_COLUMNS:
        raise FileProblem(f"The file has more than {MAX_COLUMNS} columns. Export only the columns you need.")
    while cells and not cells[-1]:
        cells = cells[:-1]
    seen: dict[str, int] = {}
    headings = []
    for index, cell in enumerate(cells, start=1):
        heading = " ".join(cell.split())[:100] or f"Column {index}"
        if heading in seen:
            seen[heading] += 1
            heading = f"{heading} ({seen[heading]})"
        seen.setdefault(heading, 1)
        headings.append(heading)
    return headings


def _find_headings(rows: Iterator[tuple[int, list[str]]]) -> tuple[int, list[str]]:
    """The headings: the first row with at least two cells filled in (a title line above them is skipped)."""
    first: tuple[int, list[str]] | None = None
    for _ in range(HEADING_SEARCH_ROWS):
        try:
            number, cells = next(rows)
        except StopIteration:
            break
        if sum(1 for cell in cells if cell) >= 2:
            return number, _headings(cells)
        if first is None and any(cells):
            first = (number, cells)
    if first is None:
        raise FileProblem("The file has no rows. Export the data from your MIS again and upload that file.")
    return first[0], _headings(first[1])


# --- CSV --------------------------------------------------------------------------------------------------


def _decode(content: bytes) -> str:
    if b"\x00" in content[:65536]:
        raise FileProblem(
            "The file is not a CSV file: it holds binary data. Save it as CSV (comma delimited) and upload that file."
        )
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:  # Excel on Windows saves "CSV" in the Windows code page
        return content.decode("cp1252")
    except UnicodeDecodeError:
        raise FileProblem(
            "The file's characters could not be read. Save it as 'CSV UTF-8 (comma delimited)' and upload that file."
        ) from None


def _delimiter(text: str) -> str:
    sample = text[:65536]
    try:
        found = csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:
        found = ""
    first_line = next((line for line in sample.splitlines() if line.strip()), "")
    counts = {d: first_line.count(d) for d in DELIMITERS}
    if found in counts and counts[found] > 0:
        return found
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def _read_csv(content: bytes, delimiter: str = "") -> Table:
    text = _decode(content)
    delimiter = delimiter or _delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)

    def rows() -> Iterator[tuple[int, list[str]]]:
        number = 0
        try:
            for record in reader:
                number += 1
                if any(len(cell) > MAX_CELL for cell in record):
                    raise FileProblem(f"Row {number} has a cell longer than {MAX_CELL:,} characters.")
                yield number, [cell.strip() for cell in record]
        except csv.Error as exc:
            raise FileProblem(
                f"Row {number + 1} could not be read as CSV ({exc}). Save the file again as CSV."
            ) from None

    iterator = rows()
    heading_row, headings = _find_headings(iterator)
    estimate = max(0, text.count("\n") - heading_row + (0 if text.endswith("\n") else 1))
    return Table(headings=headings, heading_row=heading_row, total_estimate=estimate, _rows=iterator)


# --- Excel ------------------------------------------------------------------------------------------------


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time | timedelta):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    text = str(value).strip()
    if len(text) > MAX_CELL:
        raise FileProblem(f"A cell has more than {MAX_CELL:,} characters. Check the file and upload it again.")
    return text


def _read_xlsx(content: bytes, copy: Copy = None) -> Table:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        raise FileProblem("The file could not be opened as an Excel workbook. Save it from Excel as .xlsx.") from None
    if unpacked > MAX_UNZIPPED_BYTES:
        raise FileProblem("The workbook is too large once unpacked. Export only the rows and columns you need.")
    try:
        # A workbook is parsed by openpyxl, which may raise almost anything on a damaged file.
        book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        sheet = book.worksheets[0]
        estimate = sheet.max_row if isinstance(sheet.max_row, int) else None
        raw = sheet.iter_rows(values_only=True)
    except Exception:
        raise FileProblem(
            "The file could not be opened as an Excel workbook. Save it from Excel as .xlsx and upload it again."
        ) from None

    def rows() -> Iterator[tuple[int, list[str]]]:
        number = 0
        try:
            for values in raw:
                number += 1
                if len(values) > MAX_COLUMNS * 5:
                    values = values[: MAX_COLUMNS * 5]
                cells = [_cell_text(value) for value in values]
                if copy is not None:
                    copy(cells)
                yield number, cells
        except FileProblem:
            raise
        except Exception:  # a damaged sheet can fail anywhere while it is streamed
            raise FileProblem(
                f"Row {number + 1} of the workbook could not be read. Save it from Excel as .xlsx and try again."
            ) from None
        finally:
            book.close()

    iterator = rows()
    heading_row, headings = _find_headings(iterator)
    total = None if estimate is None else max(0, estimate - heading_row)
    return Table(headings=headings, heading_row=heading_row, total_estimate=total, _rows=iterator)


def headings_of(content: bytes, fmt: str) -> tuple[list[str], int | None]:
    """The headings and the estimated number of rows, checking that the file can be read at all."""
    table = read_table(content, fmt)
    return table.headings, table.total_estimate


# --- iCalendar --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CalendarEvent:
    number: int
    summary: str
    start: date
    end: date  # the last day (inclusive)


def read_calendar(content: bytes) -> list[CalendarEvent]:
    """The events of an .ics file, each with its first and last day (an all-day DTEND is the day after)."""
    from icalendar import Calendar

    try:
        calendars = Calendar.from_ical(content, multiple=True)
    except Exception:  # icalendar raises ValueError, KeyError, IndexError... on damaged files
        raise FileProblem(
            "The calendar file could not be read. Export it again from your calendar as .ics and upload it."
        ) from None
    events: list[CalendarEvent] = []
    number = 0
    for calendar in calendars:
        for component in calendar.walk("VEVENT"):
            number += 1
            if number > MAX_ROWS:
                raise FileProblem(f"The calendar has more than {MAX_ROWS:,} events.")
            summary = " ".join(str(component.get("SUMMARY", "")).split())[:200]
            try:
                start = _ical_day(component.get("DTSTART"))
                end_value = component.get("DTEND")
                if end_value is not None:
                    end = _ical_day(end_value.dt)
                    if not isinstance(end_value.dt, datetime) or end_value.dt.time() == time(0):
                        end = end - timedelta(days=1)  # DTEND is the first day after the event
                    end = max(end, start)
                elif component.get("DURATION") is not None:
                    duration = component.get("DURATION").dt
                    end = max(start, start + duration - timedelta(days=1))
                else:
                    end = start
            except (AttributeError, TypeError, ValueError, OverflowError):
                raise FileProblem(
                    f"Event {number} ('{summary or 'no title'}') has no readable start date. Fix it and export again."
                ) from None
            events.append(CalendarEvent(number=number, summary=summary, start=start, end=end))
    if not events:
        raise FileProblem("The calendar file holds no events.")
    return events


def _ical_day(value: Any) -> date:
    value = getattr(value, "dt", value)
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    raise ValueError("no date")

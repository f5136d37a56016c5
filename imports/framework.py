"""The one framework every import goes through, and the base each importer fills in.

An importer states its fields (with the usual MIS headings for each), parses one row at a time into a plain value
(recording problems against the row and column rather than raising), then plans the changes against the database
in a few queries, and applies the plan with bulk writes. The framework reads the file, counts, keeps the problems,
and reports progress; services.py runs it for a job, all or nothing.
"""

from __future__ import annotations

import abc
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, ClassVar

from schools.models import School

from . import reading

MAX_PROBLEMS_KEPT = 500
MAX_SAMPLES = 20


def normalise_heading(text: str) -> str:
    """'Legal Surname', 'legal_surname' and 'LEGAL-SURNAME ' are the same heading."""
    return re.sub(r"[^a-z0-9]", "", text.casefold())


# --- Values -----------------------------------------------------------------------------------------------

_DAY_FIRST = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2,4})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$")
DATE_EXAMPLE = "day/month/year, for example 27/11/2026"


def parse_date(text: str) -> date:
    """A date written day first (27/11/2026, 27-11-2026, 27.11.2026) or as ISO (2026-11-27), as MIS exports do."""
    value = text.strip()
    if match := _ISO.match(value):
        year, month, day = (int(part) for part in match.groups())
    elif match := _DAY_FIRST.match(value):
        day, month, year = (int(part) for part in match.groups())
        if year < 100:
            raise ValueError(f"{value} has a two-digit year: write the year in full, as {DATE_EXAMPLE}")
    else:
        raise ValueError(f"'{value}' is not a date: write it as {DATE_EXAMPLE}")
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueError(f"{value} is not a real date (dates are {DATE_EXAMPLE})") from None


_YES = frozenset({"y", "yes", "true", "t", "1", "x", "eligible", "✓"})
_NO = frozenset({"", "n", "no", "false", "f", "0", "noteligible", "none", "-"})


def parse_yes_no(text: str) -> bool:
    value = re.sub(r"[\s_]", "", text.casefold())
    if value in _YES:
        return True
    if value in _NO:
        return False
    raise ValueError(f"'{text}' is not yes or no: write Y or N")


def parse_whole_number(text: str, *, minimum: int, maximum: int) -> int:
    value = text.strip().replace(",", "")
    try:
        number = float(value) if "." in value else int(value)
    except ValueError:
        raise ValueError(f"'{text}' is not a whole number") from None
    if isinstance(number, float):
        if not number.is_integer():
            raise ValueError(f"{text} is not a whole number")
        number = int(number)
    if not minimum <= number <= maximum:
        raise ValueError(f"{text} is out of range: it must be from {minimum} to {maximum}")
    return number


def clean_text(text: str) -> str:
    return " ".join(text.split())


# --- Fields, rows and problems ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    required: bool = False
    headings: tuple[str, ...] = ()  # the usual MIS export headings, matched without case, spaces or punctuation
    hint: str = ""
    group: str = ""


@dataclass(frozen=True)
class Problem:
    row: int
    column: str
    message: str
    where: str = "Row"

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": self.message, "where": self.where}


class Row:
    """One row of the file as the importer sees it: the cells of the mapped fields, and the problems found."""

    def __init__(self, number: int, cells: dict[str, str], headings: dict[str, str], where: str = "Row") -> None:
        self.number = number
        self.cells = cells
        self.headings = headings
        self.where = where
        self.problems: list[Problem] = []

    def has(self, name: str) -> bool:
        """Whether the field is in the file (a column was chosen for it)."""
        return name in self.cells

    def raw(self, name: str) -> str:
        return self.cells.get(name, "")

    def problem(self, name: str, message: str) -> None:
        self.problems.append(Problem(self.number, self.headings.get(name, name), message, self.where))

    def text(self, name: str, *, required: str = "", max_length: int | None = None, label: str = "") -> str:
        value = clean_text(self.raw(name))
        if not value and required:
            self.problem(name, required)
        elif max_length is not None and len(value) > max_length:
            self.problem(name, f"{label or 'This'} is longer than {max_length} characters")
        return value

    def value(self, name: str, parser: Callable[[str], Any], *, required: str = "", default: Any = None) -> Any:
        """The cell parsed by `parser` (which raises ValueError with the message to show), or `default`."""
        text = self.raw(name).strip()
        if not text:
            if required:
                self.problem(name, required)
            return default
        try:
            return parser(text)
        except ValueError as exc:
            self.problem(name, str(exc))
            return default


@dataclass(frozen=True)
class Change:
    """One row's change, shown in the preview: what it is about and what changes."""

    row: int
    action: str  # "new", "updated" or "removed"
    about: str
    details: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "action": self.action, "about": self.about, "details": list(self.details)}


@dataclass
class Plan:
    """What importing the rows would change, worked out against the database; `payload` is for apply()."""

    new: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    samples: list[Change] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    payload: Any = None

    def sample(self, change: Change) -> None:
        if len(self.samples) < MAX_SAMPLES:
            self.samples.append(change)


@dataclass
class Context:
    """What an importer knows while it reads: the school, today, the options chosen, and rows left out."""

    school: School
    today: date
    options: dict[str, Any]
    source: str
    columns: dict[str, str] = field(default_factory=dict)  # field -> the file's heading
    skipped: Counter[str] = field(default_factory=Counter)
    data: dict[str, Any] = field(default_factory=dict)

    def skip(self, reason: str) -> None:
        self.skipped[reason] += 1

    @property
    def where(self) -> str:
        """What a row is called in this kind of file: a row of a spreadsheet, an event of a calendar."""
        return "Event" if self.source == reading.ICS else "Row"

    def problem(self, row: int, column: str, message: str) -> Problem:
        return Problem(row, column, message, self.where)

    def heading(self, name: str, label: str) -> str:
        """The file's heading for a field, for a problem found across rows."""
        return self.columns.get(name, label)


def change_text(label: str, old: Any, new: Any) -> str:
    return f"{label}: {display(old)} → {display(new)}"


def display(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime | date):
        return f"{value:%d/%m/%Y}"
    if value in ("", None):
        return "(blank)"
    return str(value)


class Importer(abc.ABC):
    """The base of every importer. Subclasses set the class attributes and implement parse, plan and apply (and
    begin, when parsing needs something loaded first); an importer missing one cannot be created."""

    kind: ClassVar[str]
    title: ClassVar[str]
    summary: ClassVar[str]  # a sentence for the imports page
    fields: ClassVar[tuple[Field, ...]]
    formats: ClassVar[tuple[str, ...]] = (reading.CSV, reading.XLSX)
    noun: ClassVar[tuple[str, str]] = ("row", "rows")  # what each row is, singular and plural
    example: ClassVar[list[dict[str, str]]] = []  # fictional example rows: field name -> text

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)

    @property
    def required_fields(self) -> list[Field]:
        return [f for f in self.fields if f.required]

    def column_problems(self, columns: dict[str, str]) -> dict[str, str]:
        """Problems with the columns chosen beyond a missing required field: field name -> message."""
        return {}

    def begin(self, ctx: Context) -> None:  # noqa: B027 - optional: most importers need nothing loaded first
        """Load what parsing needs (e.g. the school's pupils by UPN), in a query or two."""

    @abc.abstractmethod
    def parse(self, row: Row, ctx: Context) -> Any:
        """One row into the value to import, or None after adding its problems to `ctx`."""

    @abc.abstractmethod
    def plan(self, items: list[Any], ctx: Context) -> Plan:
        """The changes the values make against the database: new, updated, unchanged."""

    @abc.abstractmethod
    def apply(self, plan: Plan, ctx: Context) -> list[str]:
        """Write the plan (inside the caller's transaction); return what changed, in sentences."""

    def rows(self, content: bytes, fmt: str, columns: dict[str, str], copy: reading.Copy = None) -> Iterator[Row]:
        table = reading.read_table(content, fmt, copy)
        index = {h: i for i, h in enumerate(table.headings)}
        chosen = {name: index[heading] for name, heading in columns.items() if heading in index}
        headings = {name: table.headings[i] for name, i in chosen.items()}
        for number, cells in table.rows():
            yield Row(number, {name: cells[i] for name, i in chosen.items()}, headings)

    def counted(self, number: int) -> str:
        return f"{number:,} {self.noun[0] if number == 1 else self.noun[1]}"


def suggest_columns(importer: Importer, headings: list[str], saved: dict[str, str]) -> dict[str, str]:
    """The column for each field: the school's last choice when the file has that heading, else the usual MIS
    heading for it, else none. A heading is suggested for one field only."""
    by_norm: dict[str, str] = {}
    for heading in headings:
        by_norm.setdefault(normalise_heading(heading), heading)
    chosen: dict[str, str] = {}
    used: set[str] = set()
    for f in importer.fields:
        if saved.get(f.name) in headings:
            chosen[f.name] = saved[f.name]
            used.add(saved[f.name])
    for f in importer.fields:
        if f.name in chosen or (f.name in saved and saved[f.name] == "" and not f.required):
            continue
        for candidate in (f.label, *f.headings):
            found = by_norm.get(normalise_heading(candidate))
            if found and found not in used:
                chosen[f.name] = found
                used.add(found)
                break
    return chosen


@dataclass
class Examined:
    items: list[Any]
    problems: list[Problem]
    problem_count: int
    rows: int
    ctx: Context


def examine(
    importer: Importer,
    *,
    school: School,
    content: bytes,
    fmt: str,
    columns: dict[str, str],
    options: dict[str, Any],
    today: date,
    progress: Callable[[int], None] | None = None,
    copy: reading.Copy = None,
) -> Examined:
    """Read and parse every row. Problems are collected (the first 500 kept, all counted); raises FileProblem."""
    ctx = Context(school=school, today=today, options=options, source=fmt, columns=dict(columns))
    importer.begin(ctx)
    items: list[Any] = []
    problems: list[Problem] = []
    count = problem_count = 0
    for row in importer.rows(content, fmt, columns, copy):
        count += 1
        item = importer.parse(row, ctx)
        if row.problems:
            problem_count += len(row.problems)
            problems.extend(row.problems[: max(0, MAX_PROBLEMS_KEPT - len(problems))])
        elif item is not None:
            items.append(item)
        if progress is not None:
            progress(count)
    if count == 0:
        raise reading.FileProblem("The file has headings but no rows below them. Export the data again.")
    return Examined(items=items, problems=problems, problem_count=problem_count, rows=count, ctx=ctx)


def skipped_notes(ctx: Context, importer: Importer) -> list[str]:
    return [f"{importer.counted(n)} left out: {reason}." for reason, n in ctx.skipped.most_common()]

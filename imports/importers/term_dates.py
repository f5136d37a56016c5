"""Term dates and closures, from a CSV or Excel file (what, name, first day, last day) or an iCalendar (.ics) file.

Each row or event is a term (its name says which: autumn, spring or summer; "Autumn 1" and "Autumn 2" together make
the autumn term, and the weekdays between them its half term), or a day or run of days without pupils: an INSET day,
a holiday, a bank holiday or a closure. An event such as "Autumn term begins" with a matching "Autumn term ends"
gives the term's first and last days. Calendar events that are none of these (a sports day, a parents' evening) are
left out. A school year not yet in the calendar is added (with England's bank holidays) when the file has its terms.

Terms are matched by school year and name; non-school days by their dates and kind. With "replace" chosen, the
holidays, INSET days and closures already held for the school years in the file, and not in it, are removed (bank
holidays too, when the file lists that year's bank holidays).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import pairwise

from imports import reading
from imports.framework import Change, Context, Field, Importer, Plan, Row, parse_date, skipped_notes
from imports.models import ImportKind
from reintegrate import statutory
from schools.models import AcademicYear, NonSchoolDay, Term
from schools.services import academic_year_create, default_term_dates, england_bank_holidays

MAX_SPAN_DAYS = 200
SEASONS = {
    "autumn": Term.Name.AUTUMN,
    "michaelmas": Term.Name.AUTUMN,
    "spring": Term.Name.SPRING,
    "lent": Term.Name.SPRING,
    "summer": Term.Name.SUMMER,
    "trinity": Term.Name.SUMMER,
}
Kind = NonSchoolDay.Kind
UNKNOWN_EVENT = "calendar events that are not terms, holidays, INSET days, bank holidays or closures"
REPEATED = "rows that repeat an earlier row"

_BANK = re.compile(
    r"bank holiday|public holiday|good friday|easter monday|christmas day|boxing day|new year'?s day|\bmay day\b"
)
_INSET = re.compile(
    r"\binset\b|training day|staff development|professional development|\bpd day\b|teacher day|non[- ]pupil day"
)
_HOLIDAY = re.compile(r"half[- ]?term|holiday|\bbreak\b|vacation|\bchristmas\b|\beaster\b")
_CLOSURE = re.compile(r"\bclos(ed|ure)\b|snow day|polling")
_TERM = re.compile(r"\bterm\b|\b(autumn|spring|summer|michaelmas|lent|trinity)\s*[1-6]\b")
_STARTS = re.compile(r"\b(begins?|starts?|opens?|first day|start of|beginning of)\b")
_ENDS = re.compile(r"\b(ends?|finish(es)?|last day|end of|closes?)\b")
_KIND_WORDS = {
    "term": "term",
    "termdates": "term",
    "terms": "term",
    "inset": Kind.INSET,
    "insetday": Kind.INSET,
    "training": Kind.INSET,
    "trainingday": Kind.INSET,
    "holiday": Kind.HOLIDAY,
    "halfterm": Kind.HOLIDAY,
    "schoolholiday": Kind.HOLIDAY,
    "bankholiday": Kind.BANK_HOLIDAY,
    "publicholiday": Kind.BANK_HOLIDAY,
    "closure": Kind.CLOSURE,
    "closed": Kind.CLOSURE,
    "schoolclosed": Kind.CLOSURE,
}


def season_of(text: str) -> str | None:
    lowered = text.casefold()
    for word, season in SEASONS.items():
        if re.search(rf"\b{word}", lowered):
            return season
    return None


def classify(text: str) -> str | None:
    """'term', a NonSchoolDay kind, or None, from a name such as 'Autumn 1', 'Half term' or 'INSET day'."""
    lowered = " ".join(text.casefold().split())
    if _BANK.search(lowered):
        return Kind.BANK_HOLIDAY
    if _INSET.search(lowered):
        return Kind.INSET
    if _HOLIDAY.search(lowered):
        return Kind.HOLIDAY
    if _TERM.search(lowered) and season_of(lowered):
        return "term"
    if _CLOSURE.search(lowered):
        return Kind.CLOSURE
    return None


@dataclass(frozen=True)
class TermPiece:
    number: int
    year: int  # the school year's start year
    season: str
    start: date | None
    end: date | None  # one of start and end is None for "X term begins" or "X term ends"


@dataclass(frozen=True)
class DayItem:
    number: int
    kind: str
    start: date
    end: date
    description: str

    @property
    def key(self) -> tuple[date, date, str]:
        return (self.start, self.end, self.kind)


@dataclass
class TermPlan:
    year: int
    season: str
    start: date
    end: date
    number: int
    term_id: int | None = None  # None: a new term in a school year added by the import


@dataclass
class DatesPayload:
    years_to_add: list[int] = field(default_factory=list)
    terms: list[TermPlan] = field(default_factory=list)
    days_new: list[DayItem] = field(default_factory=list)
    days_updated: list[DayItem] = field(default_factory=list)
    days_removed: list[int] = field(default_factory=list)


def _uk(day: date) -> str:
    return f"{day:%d/%m/%Y}"


def _span(start: date, end: date) -> str:
    return _uk(start) if start == end else f"{_uk(start)} to {_uk(end)}"


class TermDatesImporter(Importer):
    kind = ImportKind.TERM_DATES
    title = "Term dates and closures"
    summary = "Your terms, INSET days, holidays and closures, from a spreadsheet or a calendar file (.ics)."
    formats = (reading.CSV, reading.XLSX, reading.ICS)
    noun = ("date", "dates")
    fields = (
        Field(
            "kind",
            "What it is",
            False,
            ("Type", "Kind", "Event Type", "Category", "What"),
            "Term, INSET, holiday, bank holiday or closure. Without this column, the name says what it is.",
        ),
        Field(
            "name",
            "Name",
            True,
            ("Name", "Description", "Term", "Title", "Event", "Summary", "Term Name"),
            "For a term, its name says which: Autumn, Spring or Summer (Autumn 1 and Autumn 2 make one term).",
        ),
        Field("start", "First day", True, ("Start Date", "Start", "From", "First Day", "Date", "Begins", "Date From")),
        Field(
            "end",
            "Last day",
            False,
            ("End Date", "End", "To", "Last Day", "Ends", "Date To"),
            "Leave blank for a single day.",
        ),
    )
    example = [
        {"kind": "Term", "name": "Autumn 1", "start": "03/09/2026", "end": "23/10/2026"},
        {"kind": "Holiday", "name": "Autumn half term", "start": "26/10/2026", "end": "30/10/2026"},
        {"kind": "Term", "name": "Autumn 2", "start": "02/11/2026", "end": "18/12/2026"},
        {"kind": "INSET", "name": "Staff training", "start": "04/01/2027", "end": ""},
        {"kind": "Closure", "name": "Polling station", "start": "06/05/2027", "end": ""},
    ]

    def rows(self, content: bytes, fmt: str, columns: dict[str, str], copy: reading.Copy = None) -> Iterator[Row]:
        if fmt != reading.ICS:
            yield from super().rows(content, fmt, columns, copy)
            return
        headings = {"name": "SUMMARY", "start": "DTSTART", "end": "DTEND"}
        for event in reading.read_calendar(content):
            cells = {"name": event.summary, "start": event.start.isoformat(), "end": event.end.isoformat()}
            yield Row(event.number, cells, headings, where="Event")

    def begin(self, ctx: Context) -> None:
        ctx.data["unknown"] = []

    def parse(self, row: Row, ctx: Context) -> TermPiece | DayItem | None:
        name = row.text("name", max_length=200, label="The name")
        kind_text = row.raw("kind").strip()
        if kind_text:
            kind = _KIND_WORDS.get(re.sub(r"[^a-z]", "", kind_text.casefold()))
            if kind is None:
                kind = classify(kind_text)
            if kind is None:
                row.problem("kind", f"'{kind_text}' is not term, INSET, holiday, bank holiday or closure")
                return None
        else:
            kind = classify(name)
        if kind is None:
            if ctx.source == reading.ICS:
                ctx.skip(UNKNOWN_EVENT)
                if len(ctx.data["unknown"]) < 5 and name:
                    ctx.data["unknown"].append(name)
                return None
            what = f"'{name}'" if name else "This row"
            row.problem(
                "name" if not row.has("kind") else "kind",
                f"{what}: say whether it is a term, an INSET day, a holiday, a bank holiday or a closure",
            )
            return None
        start = row.value("start", parse_date, required="Enter the first day")
        end = row.value("end", parse_date, default=start)
        if start is None or end is None:
            return None
        if kind == "term":
            return self._term(row, name, start, end)
        if end < start:
            row.problem("end", "The last day is before the first day")
        elif (end - start).days > MAX_SPAN_DAYS:
            row.problem("end", f"{_span(start, end)} is longer than {MAX_SPAN_DAYS} days")
        if row.problems:
            return None
        return DayItem(row.number, kind, start, end, name or Kind(kind).label)

    def _term(self, row: Row, name: str, start: date, end: date) -> TermPiece | None:
        season = season_of(name)
        if season is None:
            row.problem("name", f"'{name}': the name of a term must say which: autumn, spring or summer")
            return None
        year = statutory.academic_year_start(start).year
        lowered = name.casefold()
        if start == end and _STARTS.search(lowered) and not _ENDS.search(lowered):
            return TermPiece(row.number, year, season, start, None)
        if start == end and _ENDS.search(lowered) and not _STARTS.search(lowered):
            return TermPiece(row.number, year, season, None, end)
        if end < start:
            row.problem("end", "The last day of term is before the first day")
            return None
        if (end - start).days > MAX_SPAN_DAYS:
            row.problem("end", f"{_span(start, end)} is too long for a term")
            return None
        return TermPiece(row.number, year, season, start, end)

    # --- Planning ---------------------------------------------------------------------------------------

    def plan(self, items: list[TermPiece | DayItem], ctx: Context) -> Plan:
        plan = Plan()
        payload = DatesPayload()
        days = [item for item in items if isinstance(item, DayItem)]
        file_terms = self._combine_terms([i for i in items if isinstance(i, TermPiece)], days, plan, ctx)
        if plan.problems:
            return plan
        years = {y.start_date.year: y for y in AcademicYear.objects.filter(school=ctx.school)}
        held_terms = list(Term.objects.filter(academic_year__school=ctx.school).select_related("academic_year"))
        payload.years_to_add = sorted({t.year for t in file_terms} - set(years))
        final: dict[tuple[int, str], TermPlan] = {}
        for held_term in held_terms:
            key = (held_term.academic_year.start_date.year, held_term.name)
            final[key] = TermPlan(key[0], held_term.name, held_term.start_date, held_term.end_date, 0, held_term.pk)
        for year in payload.years_to_add:
            for season, (start, end) in default_term_dates(year).items():
                final[(year, season)] = TermPlan(year, season, start, end, 0)
        for term in file_terms:
            key = (term.year, term.season)
            held = final.get(key)
            term.term_id = held.term_id if held else None
            label = f"{Term.Name(term.season).label} term {statutory.academic_year_label(date(term.year, 9, 1))}"
            if held is None or term.term_id is None:
                plan.new += 1
                plan.sample(Change(term.number, "new", label, (_span(term.start, term.end),)))
                payload.terms.append(term)
            elif (held.start, held.end) != (term.start, term.end):
                plan.updated += 1
                plan.sample(
                    Change(
                        term.number,
                        "updated",
                        label,
                        (f"{_span(held.start, held.end)} → {_span(term.start, term.end)}",),
                    )
                )
                payload.terms.append(term)
            else:
                plan.unchanged += 1
            final[key] = term
        self._check_overlaps(final, {(t.year, t.season) for t in file_terms}, plan, ctx)
        year_spans = {y: (ay.start_date, ay.end_date) for y, ay in years.items()}
        year_spans.update({y: (date(y, 9, 1), date(y + 1, 8, 31)) for y in payload.years_to_add})
        self._plan_days(days, year_spans, payload, plan, ctx)
        if ctx.data.get("unknown"):
            plan.notes.append("Left out, for example: " + "; ".join(f"'{name}'" for name in ctx.data["unknown"]) + ".")
        plan.notes[:0] = skipped_notes(ctx, self)
        for year in payload.years_to_add:
            plan.notes.append(
                f"The school year {statutory.academic_year_label(date(year, 9, 1))} will be added to the calendar, "
                "with England's bank holidays."
            )
        plan.payload = payload
        return plan

    def _combine_terms(self, pieces: list[TermPiece], days: list[DayItem], plan: Plan, ctx: Context) -> list[TermPlan]:
        """One term per school year and season: its pieces joined, and the weekdays between them a half term."""
        groups: dict[tuple[int, str], list[TermPiece]] = {}
        for piece in pieces:
            groups.setdefault((piece.year, piece.season), []).append(piece)
        terms = []
        for (year, season), group in sorted(groups.items()):
            label = f"the {Term.Name(season).label.lower()} term {statutory.academic_year_label(date(year, 9, 1))}"
            starts = [p for p in group if p.end is None]
            ends = [p for p in group if p.start is None]
            spans = [(p.start, p.end, p.number) for p in group if p.start is not None and p.end is not None]
            if len(starts) > 1 or len(ends) > 1 or ((starts or ends) and not (starts and ends)):
                first = (starts or ends)[0]
                plan.problems.append(
                    ctx.problem(
                        first.number, "", f"The file must give both the first and the last day of {label}, once"
                    )
                )
                continue
            if starts and ends:
                if ends[0].end < starts[0].start:  # type: ignore[operator]
                    plan.problems.append(ctx.problem(ends[0].number, "", f"{label} ends before it begins"))
                    continue
                spans.append((starts[0].start, ends[0].end, starts[0].number))  # type: ignore[arg-type]
            spans.sort()
            for (_s1, e1, _n1), (s2, _e2, n2) in pairwise(spans):
                if s2 <= e1:
                    plan.problems.append(ctx.problem(n2, "", f"These dates overlap another part of {label}"))
                    break
                gap_start, gap_end = e1 + timedelta(days=1), s2 - timedelta(days=1)
                while gap_start <= gap_end and gap_start.weekday() >= 5:
                    gap_start += timedelta(days=1)
                while gap_end >= gap_start and gap_end.weekday() >= 5:
                    gap_end -= timedelta(days=1)
                covered = any(d.start <= gap_end and gap_start <= d.end for d in days)
                if gap_start <= gap_end and not covered:
                    days.append(DayItem(n2, Kind.HOLIDAY, gap_start, gap_end, f"{Term.Name(season).label} half term"))
            start, end = spans[0][0], max(e for _, e, _ in spans)
            if end > date(year + 1, 8, 31):
                plan.problems.append(ctx.problem(spans[0][2], "", f"{label} must end by 31/08/{year + 1}"))
                continue
            terms.append(TermPlan(year, season, start, end, spans[0][2]))
        return terms

    def _check_overlaps(
        self, final: dict[tuple[int, str], TermPlan], from_file: set[tuple[int, str]], plan: Plan, ctx: Context
    ) -> None:
        ordered = sorted(final.items(), key=lambda item: item[1].start)
        for (key1, t1), (key2, t2) in pairwise(ordered):
            if t2.start <= t1.end and (key1 in from_file or key2 in from_file):
                culprit = t2 if key2 in from_file else t1
                plan.problems.append(
                    ctx.problem(
                        culprit.number,
                        ctx.heading("start", "First day"),
                        f"The {Term.Name(t2.season).label.lower()} term ({_span(t2.start, t2.end)}) overlaps the "
                        f"{Term.Name(t1.season).label.lower()} term ({_span(t1.start, t1.end)})",
                    )
                )

    def _plan_days(
        self,
        days: list[DayItem],
        year_spans: dict[int, tuple[date, date]],
        payload: DatesPayload,
        plan: Plan,
        ctx: Context,
    ) -> None:
        held: dict[tuple[date, date, str], tuple[int | None, str]] = {}
        held_rows = list(
            NonSchoolDay.objects.filter(school=ctx.school).values_list(
                "pk", "start_date", "end_date", "kind", "description"
            )
        )
        for pk, start, end, kind, description in held_rows:
            held.setdefault((start, end, kind), (pk, description))
        for year in payload.years_to_add:  # what adding the year will create
            for day, name in england_bank_holidays(date(year, 9, 1), date(year + 1, 8, 31)).items():
                if day.weekday() < 5:
                    held.setdefault((day, day, Kind.BANK_HOLIDAY), (None, name))
        seen: set[tuple[date, date, str]] = set()
        years_in_file: set[int] = set()
        bank_years: set[int] = set()
        for item in sorted(days, key=lambda d: d.number):
            found = next((y for y, (s, e) in year_spans.items() if s <= item.start and item.end <= e), None)
            if found is None:
                plan.problems.append(
                    ctx.problem(
                        item.number,
                        ctx.heading("start", "First day"),
                        f"No school year in the calendar holds {_span(item.start, item.end)}: include that year's "
                        "terms in the file, or add the year on the School calendar page",
                    )
                )
                continue
            years_in_file.add(found)
            if item.kind == Kind.BANK_HOLIDAY:
                bank_years.add(found)
            if item.key in seen:
                ctx.skip(REPEATED)
                continue
            seen.add(item.key)
            label = f"{Kind(item.kind).label}: {_span(item.start, item.end)}"
            current = held.get(item.key)
            if current is None:
                plan.new += 1
                payload.days_new.append(item)
                plan.sample(Change(item.number, "new", label, (item.description,)))
            elif current[1] != item.description and current[0] is not None:
                plan.updated += 1
                payload.days_updated.append(item)
                plan.sample(Change(item.number, "updated", label, (f"{current[1]} → {item.description}",)))
            else:
                plan.unchanged += 1
        if ctx.options.get("replace_days"):
            for pk, start, end, kind, description in held_rows:
                held_year = next((y for y, (s, e) in year_spans.items() if s <= start <= e), None)
                if held_year not in years_in_file or (start, end, kind) in seen:
                    continue
                if kind == Kind.BANK_HOLIDAY and held_year not in bank_years:
                    continue
                plan.removed += 1
                payload.days_removed.append(pk)
                plan.sample(Change(0, "removed", f"{Kind(kind).label}: {_span(start, end)}", (description,)))

    # --- Writing ----------------------------------------------------------------------------------------

    def apply(self, plan: Plan, ctx: Context) -> list[str]:
        payload: DatesPayload = plan.payload
        school = ctx.school
        for year in payload.years_to_add:
            academic_year_create(school=school, start_year=year, with_half_terms=False)
        held = {
            (t.academic_year.start_date.year, t.name): t
            for t in Term.objects.filter(academic_year__school=school).select_related("academic_year")
        }
        for planned in payload.terms:  # a few rows: saved one by one, so that the audit trail records each
            term = held.get((planned.year, planned.season))
            if term is None:
                academic_year = AcademicYear.objects.get(school=school, start_date__year=planned.year)
                Term.objects.create(
                    academic_year=academic_year, name=planned.season, start_date=planned.start, end_date=planned.end
                )
                continue
            term.start_date, term.end_date = planned.start, planned.end
            term.save(update_fields=["start_date", "end_date"])
        now_held = {
            (d.start_date, d.end_date, d.kind): d for d in NonSchoolDay.objects.filter(school=school)
        }  # after adding years: their bank holidays are held now
        for item in payload.days_updated:
            day = now_held[item.key]
            day.description = item.description
            day.save(update_fields=["description"])
        for item in payload.days_new:
            if item.key not in now_held:
                NonSchoolDay.objects.create(
                    school=school,
                    start_date=item.start,
                    end_date=item.end,
                    kind=item.kind,
                    description=item.description,
                )
        for day in NonSchoolDay.objects.filter(school=school, pk__in=payload.days_removed):
            day.delete()
        return [self.sentence(plan)]

    def sentence(self, plan: Plan) -> str:
        text = f"{plan.new:,} added, {plan.updated:,} changed, {plan.unchanged:,} unchanged"
        if plan.removed:
            text += f", {plan.removed:,} removed"
        return text + " (terms and non-school days)."

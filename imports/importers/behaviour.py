"""Behaviour events: date, pupil (UPN), incident or achievement, category, points, and the MIS's event id.

An event with an id in the export is matched on it, so a re-import updates it in place (a corrected category, say).
An event without one is matched on its content (pupil, date, kind, category, points, description): a file with three
identical rows and a database with two adds one. Either way, importing the same file again changes nothing.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date
from itertools import islice
from typing import Any

from evidence.models import BehaviourEvent
from imports.framework import (
    Change,
    Context,
    Field,
    Importer,
    Plan,
    Row,
    change_text,
    parse_whole_number,
    skipped_notes,
)
from imports.importers.common import UPN_HEADINGS, load_pupils, past_date, pupil_of
from imports.models import ImportKind

BATCH = 1000
LOOKUP_CHUNK = 5000
Kind = BehaviourEvent.Kind
_INCIDENT = {"negative", "incident", "behaviour", "sanction", "poor", "neg", "bad", "concern", "demerit", "-"}
_ACHIEVEMENT = {"positive", "achievement", "reward", "praise", "merit", "commendation", "pos", "good", "+"}
VALUES = ("pupil_id", "occurred_on", "kind", "category", "points", "description")
LABELS = {
    "pupil_id": "Pupil",
    "occurred_on": "Date",
    "kind": "Kind",
    "category": "Category",
    "points": "Points",
    "description": "Description",
}


def parse_kind(text: str) -> str:
    value = text.strip().casefold()
    if value in _INCIDENT or value.startswith("neg"):
        return Kind.INCIDENT
    if value in _ACHIEVEMENT or value.startswith("pos"):
        return Kind.ACHIEVEMENT
    raise ValueError(f"'{text}' is not positive or negative: write Negative (an incident) or Positive (an achievement)")


def _points(text: str) -> int:
    return parse_whole_number(text.replace("+", ""), minimum=-1000, maximum=1000)


@dataclass(frozen=True)
class EventRow:
    number: int
    about: str
    source_id: str
    pupil_id: int
    occurred_on: date
    kind: str
    category: str
    points: int
    description: str

    def values(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in VALUES}

    @property
    def content(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in VALUES)


@dataclass
class EventsPayload:
    new: list[EventRow]
    updated: list[tuple[int, EventRow]]


class BehaviourImporter(Importer):
    kind = ImportKind.BEHAVIOUR
    title = "Behaviour events"
    summary = "Incidents and achievements with their category and points, for criteria measured from behaviour."
    noun = ("event", "events")
    fields = (
        Field(
            "source_id",
            "Event id",
            False,
            ("Incident ID", "Event ID", "Behaviour ID", "ID", "Record ID", "Incident Id", "Behaviour Incident ID"),
            "The MIS's own id for the event. With it, a corrected event is updated when imported again.",
        ),
        Field(
            "occurred_on", "Date", True, ("Date", "Incident Date", "Event Date", "Date of Incident", "Behaviour Date")
        ),
        Field("upn", "UPN", True, UPN_HEADINGS),
        Field(
            "kind",
            "Positive or negative",
            False,
            ("Type", "Positive/Negative", "Polarity", "Behaviour Kind", "Incident or Achievement", "Positive Negative"),
            "Negative (an incident) or Positive (an achievement). Without this column, positive points mean an "
            "achievement.",
        ),
        Field(
            "category",
            "Category",
            True,
            ("Category", "Behaviour Type", "Incident Type", "Behaviour Category", "Incident Category", "Behaviour"),
        ),
        Field("points", "Points", False, ("Points", "Behaviour Points", "Score", "Point Value", "Points Awarded")),
        Field(
            "description",
            "Description",
            False,
            ("Description", "Comments", "Comment", "Notes", "Details", "Summary"),
            "Kept to its first 300 characters.",
        ),
    )
    example = [
        {
            "source_id": "B-1001",
            "occurred_on": "02/11/2026",
            "upn": "U820400026010",
            "kind": "Negative",
            "category": "Disruption",
            "points": "-2",
            "description": "Talking over the teacher",
        }
    ]

    def begin(self, ctx: Context) -> None:
        load_pupils(ctx)

    def parse(self, row: Row, ctx: Context) -> EventRow | None:
        source_id = row.text("source_id", max_length=100, label="The event id")
        occurred_on = past_date(row, "occurred_on", ctx, required="Enter the date of the event")
        pupil = pupil_of(row, ctx)
        category = row.text("category", required="Enter the category", max_length=100, label="The category")
        points = row.value("points", _points, default=0)
        kind = row.value("kind", parse_kind, default=None)
        if kind is None and not row.problems:
            kind = Kind.ACHIEVEMENT if points > 0 else Kind.INCIDENT
        description = row.text("description")
        if len(description) > 300:
            description = description[:299] + "…"
            ctx.data["shortened"] = ctx.data.get("shortened", 0) + 1
        if row.problems or pupil is None or occurred_on is None:
            return None
        return EventRow(
            number=row.number,
            about=pupil[1],
            source_id=source_id,
            pupil_id=pupil[0],
            occurred_on=occurred_on,
            kind=kind,
            category=category,
            points=points,
            description=description,
        )

    def plan(self, items: list[EventRow], ctx: Context) -> Plan:
        plan = Plan()
        first_row: dict[str, int] = {}
        for item in items:
            if not item.source_id:
                continue
            if item.source_id in first_row:
                plan.problems.append(
                    ctx.problem(
                        item.number,
                        ctx.heading("source_id", "Event id"),
                        f"Event id {item.source_id} is in the file twice: also on row {first_row[item.source_id]}",
                    )
                )
            else:
                first_row[item.source_id] = item.number
        if plan.problems or not items:
            plan.payload = EventsPayload([], [])
            return plan
        payload = EventsPayload([], [])
        by_id = self._held_by_id(ctx, list(first_row))
        without_id = [item for item in items if not item.source_id]
        held_content: Counter[tuple[Any, ...]] = Counter()
        if without_id:
            first = min(item.occurred_on for item in without_id)
            last = max(item.occurred_on for item in without_id)
            held_content.update(
                BehaviourEvent.objects.filter(school=ctx.school, source_id="", occurred_on__range=(first, last))
                .values_list(*VALUES)
                .iterator(chunk_size=5000)
            )
        for item in items:
            if not item.source_id:
                if held_content[item.content] > 0:
                    held_content[item.content] -= 1
                    plan.unchanged += 1
                else:
                    plan.new += 1
                    payload.new.append(item)
                    plan.sample(Change(item.number, "new", item.about, (self._describe(item),)))
                continue
            held = by_id.get(item.source_id)
            if held is None:
                plan.new += 1
                payload.new.append(item)
                plan.sample(Change(item.number, "new", item.about, (self._describe(item),)))
                continue
            changed = [name for name in VALUES if held[name] != getattr(item, name)]
            if changed:
                plan.updated += 1
                payload.updated.append((held["pk"], item))
                plan.sample(
                    Change(
                        item.number,
                        "updated",
                        item.about,
                        tuple(change_text(LABELS[n], held[n], getattr(item, n)) for n in changed if n != "pupil_id"),
                    )
                )
            else:
                plan.unchanged += 1
        if ctx.data.get("shortened"):
            plan.notes.append(f"{ctx.data['shortened']:,} descriptions will be shortened to 300 characters.")
        plan.notes.extend(skipped_notes(ctx, self))
        plan.payload = payload
        return plan

    def _held_by_id(self, ctx: Context, ids: list[str]) -> dict[str, dict[str, Any]]:
        held: dict[str, dict[str, Any]] = {}
        iterator = iter(ids)
        while chunk := list(islice(iterator, LOOKUP_CHUNK)):
            for row in BehaviourEvent.objects.filter(school=ctx.school, source_id__in=chunk).values(
                "pk", "source_id", *VALUES
            ):
                held[row["source_id"]] = row
        return held

    def _describe(self, item: EventRow) -> str:
        points = f", {item.points:+d} points" if item.points else ""
        return f"{Kind(item.kind).label}: {item.category} on {item.occurred_on:%d/%m/%Y}{points}"

    def apply(self, plan: Plan, ctx: Context) -> list[str]:
        payload: EventsPayload = plan.payload
        BehaviourEvent.objects.bulk_create(
            [BehaviourEvent(school=ctx.school, source_id=item.source_id, **item.values()) for item in payload.new],
            batch_size=BATCH,
        )
        if payload.updated:
            BehaviourEvent.objects.bulk_update(
                [BehaviourEvent(pk=pk, **item.values()) for pk, item in payload.updated], list(VALUES), batch_size=500
            )
        by_pupil: defaultdict[int, int] = defaultdict(int)
        for item in payload.new:
            by_pupil[item.pupil_id] += 1
        return [
            f"{self.counted(plan.new)} added, {plan.updated:,} updated, {plan.unchanged:,} unchanged, "
            f"for {len(by_pupil):,} pupil{'' if len(by_pupil) == 1 else 's'} with new events."
        ]

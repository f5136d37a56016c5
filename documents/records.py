"""The reintegration documents: the blank meeting template, the meeting record, the whole plan, "My return plan".

One content builder, two renderers. Each document is built here as a plain structure, a RecordDocument holding
a list of blocks (heading, paragraph, key/value rows, table, answer box, list, signature lines, chart); then
`record_pdf()` renders it to HTML (templates/documents/record.html) and to PDF with documents.pdf.render_pdf, and
documents.record_docx.record_docx() renders the same blocks to Word with python-docx. Neither renderer decides
what a document says, so the PDF and the DOCX always carry the same content.

The builders read a plan loaded by documents.selectors.plans_for_documents(): they make no query of their own.
Every value in a block is a string already worded for the reader (dates as "Wednesday 11/11/2026"); text typed
by staff is kept as typed and escaped by the renderer.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import ClassVar

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify

from documents.charts import number_label, progress_chart
from documents.letters import long_date
from documents.models import Letterhead
from documents.pdf import Pdf, letterhead_for, logo_data_uri, render_pdf
from plans.models import Criterion, Goal, Meeting, ReintegrationPlan, Review, SupportAction
from plans.selectors import RECORD_AREAS, baseline_label, review_results
from pupils.models import Pupil
from schools.models import School
from suspensions.models import Suspension

RETURN_NOT_CONDITIONAL = (
    "The pupil returns to school on the return date whether or not this meeting takes place: the return does not "
    "depend on the meeting, and the pupil and parents cannot be made to attend."
)
AGREEMENT = "We have talked about this plan and agree to work together on it."
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


# --- Blocks -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Heading:
    kind: ClassVar[str] = "heading"
    text: str
    level: int = 2  # 2 for a section, 3 for a part of one


@dataclass(frozen=True)
class Paragraph:
    kind: ClassVar[str] = "paragraph"
    text: str
    style: str = ""  # "" plain, "note" (a boxed note), "quote" (someone's own words), "small"


@dataclass(frozen=True)
class KeyValues:
    """Rows of a label and its value. With `blank`, the values are left empty, to be written in by hand."""

    kind: ClassVar[str] = "key_values"
    rows: tuple[tuple[str, str], ...]
    blank: bool = False


@dataclass(frozen=True)
class Table:
    kind: ClassVar[str] = "table"
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...] = ()
    caption: str = ""
    widths: tuple[int, ...] = ()  # percentages of the page width, one per column (multiples of 5)
    blank_rows: int = 0  # empty rows to write in by hand
    empty: str = ""  # said instead of the table when it has no row at all

    @property
    def blank_lines(self) -> list[tuple[str, ...]]:
        return [("",) * len(self.headers)] * self.blank_rows


@dataclass(frozen=True)
class AnswerBox:
    """A labelled box with room to write in by hand."""

    kind: ClassVar[str] = "answer_box"
    label: str
    hint: str = ""
    lines: int = 4


@dataclass(frozen=True)
class BulletList:
    kind: ClassVar[str] = "list"
    items: tuple[str, ...]


@dataclass(frozen=True)
class SignatureLines:
    """Who signs, with their name when it is known; the signature and the date are written by hand."""

    kind: ClassVar[str] = "signatures"
    statement: str
    signers: tuple[tuple[str, str], ...]  # (who, name or "")


@dataclass(frozen=True)
class Chart:
    """A chart (inline SVG, for the PDF) and the same figures as a table (for the DOCX)."""

    kind: ClassVar[str] = "chart"
    title: str
    svg: str
    figures: Table


Block = Heading | Paragraph | KeyValues | Table | AnswerBox | BulletList | SignatureLines | Chart


@dataclass(frozen=True)
class RecordDocument:
    title: str
    subtitle: str
    school: School
    letterhead: Letterhead
    filename_stem: str  # without extension, e.g. "reintegration-plan-jordan-ashby-2026-11-18"
    footer: str
    blocks: tuple[Block, ...] = field(default_factory=tuple)
    large_type: bool = False  # "My return plan": body text 14pt and up


# --- Wording ------------------------------------------------------------------------------------------------


def short_date(day: date) -> str:
    return f"{day:%d/%m/%Y}"


def person_name(user: object | None) -> str:
    if user is None:
        return ""
    full = str(getattr(user, "get_full_name", lambda: "")() or "").strip()
    return full or str(getattr(user, "username", ""))


def _or(text: str, default: str) -> str:
    return text.strip() or default


def _yes_no(value: bool | None, unknown: str = "Not known yet") -> str:
    return unknown if value is None else ("Yes" if value else "No")


def _plain(value: Decimal | None) -> str:
    return "" if value is None else number_label(value)


def _filename(kind: str, pupil: Pupil, today: date) -> str:
    return f"{kind}-{slugify(f'{pupil.first_name} {pupil.last_name}')}-{today:%Y-%m-%d}"


def _footer(plan: ReintegrationPlan, what: str, today: date) -> str:
    """On every page: the school, and whose record this is ("Confidential: meeting record for ...")."""
    return f"{plan.school.name} · Confidential: {what} for {plan.pupil.display_name}, printed {short_date(today)}"


def _letterhead_of(school: School) -> Letterhead:
    """The school's letterhead as loaded with it (plans_for_documents() selects it), else read once."""
    if School.letterhead.is_cached(school):
        try:
            return school.letterhead
        except Letterhead.DoesNotExist:
            return Letterhead(school=school)
    return letterhead_for(school)


def _meeting(plan: ReintegrationPlan) -> Meeting | None:
    try:
        return plan.meeting
    except Meeting.DoesNotExist:
        return None


def _suspension_rows(suspension: Suspension) -> list[tuple[str, str]]:
    kind = f"{suspension.get_kind_display()}, {suspension.days_label}"
    if suspension.is_cancelled:
        kind += " (cancelled)"
    dates = long_date(suspension.start_date)
    if suspension.last_day and suspension.last_day != suspension.start_date:
        dates += f" to {long_date(suspension.last_day)}"
    return [
        ("Suspension", kind),
        ("Dates", dates),
        ("Return to school", suspension.return_label or "No return date: this is a permanent exclusion"),
    ]


def _pupil_rows(pupil: Pupil) -> list[tuple[str, str]]:
    return [("Pupil", pupil.display_name), ("Year group", pupil.get_year_group_display())]


def _return_note(plan: ReintegrationPlan) -> Paragraph | None:
    suspension = plan.suspension
    if suspension.return_date is None:
        return None
    return Paragraph(
        f"{plan.pupil.first_name} returns to school on {suspension.return_label}, whether or not a meeting takes "
        "place: the return never depends on the meeting.",
        style="note",
    )


def _meeting_blocks(plan: ReintegrationPlan) -> list[Block]:
    meeting = _meeting(plan)
    blocks: list[Block] = [Heading("The reintegration meeting")]
    if meeting is not None:
        when = timezone.localtime(meeting.scheduled_for)
        blocks.append(
            KeyValues(
                (
                    ("Status", meeting.get_status_display()),
                    ("Date and time", f"{long_date(when.date())} at {when:%H:%M}"),
                    ("How", meeting.get_mode_display()),
                    ("Place or link", _or(meeting.location, "Not recorded")),
                )
            )
        )
        people = list(meeting.participants.all())
        blocks.append(
            Table(
                headers=("Name", "Role", "Invited", "Attended"),
                rows=tuple(
                    (person.name, person.role, _yes_no(person.invited), _yes_no(person.attended)) for person in people
                ),
                caption="Who was invited and who attended",
                widths=(35, 35, 15, 15),
                empty="No one has been added to the meeting.",
            )
        )
        blocks.append(
            KeyValues(
                (
                    ("The pupil's views", _or(meeting.pupil_views, "Not recorded")),
                    ("The parents' or carers' views", _or(meeting.parent_views, "Not recorded")),
                    ("Notes", _or(meeting.notes, "No notes")),
                )
            )
        )
    if plan.no_meeting_reason:
        blocks.append(KeyValues((("Why no meeting was held", plan.no_meeting_reason),)))
    elif meeting is None:
        blocks.append(Paragraph("No meeting has been arranged."))
    return blocks


def _strategy_blocks(plan: ReintegrationPlan) -> list[Block]:
    return [
        Heading("The strategy and support"),
        KeyValues(
            (
                ("How behaviour will be managed on return", _or(plan.strategy, "Not written yet")),
                ("Key adult", person_name(plan.key_adult) or "Not chosen yet"),
                ("Check-ins", plan.get_check_in_frequency_display() or "Not decided yet"),
                ("Support", _or(plan.support_measures, "Nothing recorded")),
                ("Reasonable adjustments for SEND", _or(plan.reasonable_adjustments, "Nothing recorded")),
            )
        ),
    ]


def _said_by(goal: Goal) -> str:
    who = goal.get_expressed_by_display()
    if goal.expressed_by_name:
        return f"{goal.expressed_by_name} ({who[0].lower()}{who[1:]})"
    return who


def _timeline(goal: Goal) -> str:
    return f"{long_date(goal.start_date)} → {long_date(goal.target_date)}"


def _review_days(goal: Goal) -> list[date]:
    return sorted(date.fromisoformat(day) for day in goal.review_dates)


def _target_words(criterion: Criterion) -> str:
    return "Yes" if criterion.kind == Criterion.Kind.YES_NO else criterion.target_label


def _criteria_table(goal: Goal, latest: dict[int, str] | None = None) -> Table:
    headers: tuple[str, ...] = ("Measure", "Baseline", "Target", "Due")
    widths: tuple[int, ...] = (40, 25, 15, 20)
    if latest is not None:
        headers, widths = (*headers, "Latest review"), (30, 25, 15, 15, 15)
    rows = []
    for criterion in goal.criteria.all():
        row: tuple[str, ...] = (
            criterion.measure,
            baseline_label(criterion.baseline_value, criterion.baseline_note),
            _target_words(criterion),
            short_date(criterion.due_date),
        )
        if latest is not None:
            row = (*row, latest.get(criterion.pk, "Not reviewed yet"))
        rows.append(row)
    return Table(
        headers=headers,
        rows=tuple(rows),
        caption="Criteria for measuring progress",
        widths=widths,
        empty="No way of measuring progress has been set yet.",
    )


def _actions_table(goal: Goal, *, with_done: bool) -> Table:
    headers: tuple[str, ...] = ("Who", "What", "Owner", "Due")
    widths: tuple[int, ...] = (15, 45, 20, 20)
    if with_done:
        headers, widths = (*headers, "Done"), (15, 40, 15, 15, 15)
    rows = []
    for action in goal.actions.all():
        row: tuple[str, ...] = (
            action.get_by_whom_display(),
            action.description,
            action.owner,
            short_date(action.due_date),
        )
        if with_done:
            row = (*row, short_date(action.done_on) if action.done_on else "Not yet")
        rows.append(row)
    return Table(
        headers=headers,
        rows=tuple(rows),
        caption="Support: who will do what",
        widths=widths,
        empty="No support agreed.",
    )


def _goal_rows(goal: Goal) -> list[tuple[str, str]]:
    days = _review_days(goal)
    return [
        ("What the pupil wants to achieve", goal.pupil_aim),
        ("Who said it", _said_by(goal)),
        ("Where the pupil is now", goal.current_position),
        ("What the pupil will do", goal.pupil_actions),
        ("Timeline", _timeline(goal)),
        ("Review dates", ", ".join(long_date(day) for day in days) or "Not planned yet"),
    ]


def _sections(plan: ReintegrationPlan) -> list[tuple[str, list[Goal]]]:
    """Goals by area: behaviour and academic progress always (the template's two sections), others if used."""
    goals = list(plan.goals.all())
    sections = []
    for area in Goal.Area:
        in_area = [goal for goal in goals if goal.area == area.value]
        if in_area or area.value in RECORD_AREAS:
            sections.append((area.label, in_area))
    return sections


def _upcoming_reviews(plan: ReintegrationPlan) -> list[date]:
    days = {day for goal in plan.goals.all() for day in _review_days(goal)}
    if plan.next_review_date:
        days.add(plan.next_review_date)
    return sorted(days)


def _signatures(pupil: Pupil) -> SignatureLines:
    return SignatureLines(
        statement=AGREEMENT,
        signers=(("Pupil", pupil.display_name), ("Parent or carer", ""), ("Member of staff", "")),
    )


def _heading_blocks(plan: ReintegrationPlan) -> list[Block]:
    blocks: list[Block] = []
    note = _return_note(plan)
    if note is not None:
        blocks.append(note)
    blocks += [Heading("The pupil and the suspension"), KeyValues(tuple(_pupil_rows(plan.pupil)))]
    blocks.append(KeyValues(tuple(_suspension_rows(plan.suspension))))
    return blocks


# --- The blank template -------------------------------------------------------------------------------------


def _blank_area(label: str) -> list[Block]:
    return [
        Heading(label),
        AnswerBox("What the pupil wants to achieve", hint="In the pupil's own words. Note who said it.", lines=3),
        AnswerBox("Where the pupil is now", hint="The starting point, measured where possible.", lines=3),
        AnswerBox("What the pupil will do", lines=3),
        KeyValues(
            (("Timeline: start date", ""), ("Target date", ""), ("Review dates", "")),
            blank=True,
        ),
        Table(
            headers=("What will be measured", "Where it is now", "Target (e.g. at most 2 a week)", "By when"),
            caption="Criteria for measuring progress",
            widths=(35, 25, 25, 15),
            blank_rows=3,
        ),
    ]


def blank_template(school: School) -> RecordDocument:
    """The reintegration meeting template on paper: headings and room to write, and no personal data."""
    blocks: list[Block] = [
        Paragraph(RETURN_NOT_CONDITIONAL, style="note"),
        Heading("The pupil and the suspension"),
        KeyValues(
            (
                ("Pupil's name", ""),
                ("Year group", ""),
                ("Dates of the suspension", ""),
                ("Date and time of return", ""),
            ),
            blank=True,
        ),
        Heading("The meeting"),
        KeyValues((("Date and time", ""), ("Place, or remote (video or phone)", "")), blank=True),
        Table(
            headers=("Name", "Role", "Attended (yes or no)"),
            caption="Attendees",
            widths=(45, 35, 20),
            blank_rows=6,
        ),
        AnswerBox("The pupil's views", lines=4),
        AnswerBox("The parents' or carers' views", lines=4),
        *_blank_area("Behaviour"),
        *_blank_area("Academic progress"),
        Heading("The strategy"),
        AnswerBox(
            "How behaviour will be managed on return",
            hint="Where the pupil goes, who they see, and what happens if things go wrong.",
            lines=5,
        ),
        Heading("Support"),
        Table(
            headers=("Who will do what", "Name", "By when"),
            caption="Support from the school, the family and other agencies",
            widths=(60, 25, 15),
            blank_rows=4,
        ),
        KeyValues((("Key adult", ""), ("Check-ins: how often, where and when", "")), blank=True),
        AnswerBox(
            "Reasonable adjustments", hint="For a pupil with special educational needs or a disability.", lines=3
        ),
        Heading("Review dates"),
        KeyValues((("First review", ""), ("Second review", ""), ("Third review", "")), blank=True),
        Heading("Signatures"),
        SignatureLines(
            statement=AGREEMENT,
            signers=(("Pupil", ""), ("Parent or carer", ""), ("Member of staff", "")),
        ),
    ]
    return RecordDocument(
        title="Reintegration meeting record",
        subtitle="To complete at the reintegration meeting",
        school=school,
        letterhead=_letterhead_of(school),
        filename_stem=f"reintegration-meeting-template-{slugify(school.name)}",
        footer=f"Reintegration meeting record · {school.name}",
        blocks=tuple(blocks),
    )


# --- The meeting record -------------------------------------------------------------------------------------


def meeting_record(plan: ReintegrationPlan, *, today: date | None = None) -> RecordDocument:
    """What was agreed for the return: the meeting (or why there was none), the strategy, the goals by area
    with their criteria and support, the review dates, and lines to sign."""
    today = today or timezone.localdate()
    pupil = plan.pupil
    blocks: list[Block] = [*_heading_blocks(plan), *_meeting_blocks(plan), *_strategy_blocks(plan)]
    for label, goals in _sections(plan):
        blocks.append(Heading(label))
        if not goals:
            blocks.append(Paragraph(f"No {label.lower()} goal has been set."))
        for number, goal in enumerate(goals, start=1):
            if len(goals) > 1:
                blocks.append(Heading(f"{label} goal {number}", level=3))
            blocks += [KeyValues(tuple(_goal_rows(goal))), _criteria_table(goal), _actions_table(goal, with_done=False)]
    blocks.append(Heading("Review dates"))
    days = _upcoming_reviews(plan)
    blocks.append(BulletList(tuple(long_date(day) for day in days)) if days else Paragraph("Not set yet."))
    blocks += [Heading("Signatures"), _signatures(pupil)]
    return RecordDocument(
        title="Reintegration meeting record",
        subtitle=f"{pupil.display_name}, {pupil.get_year_group_display()}",
        school=plan.school,
        letterhead=_letterhead_of(plan.school),
        filename_stem=_filename("reintegration-meeting-record", pupil, today),
        footer=_footer(plan, "meeting record", today),
        blocks=tuple(blocks),
    )


# --- The whole plan -----------------------------------------------------------------------------------------


def _observations(plan: ReintegrationPlan) -> dict[int, list[tuple[date, Decimal]]]:
    """Each number criterion's observed values, by review day (oldest first)."""
    seen: dict[int, list[tuple[date, Decimal]]] = {}
    for review in plan.reviews.all():
        for result in review.criterion_results.all():
            if result.observed_value is not None:
                seen.setdefault(result.criterion_id, []).append((review.held_on, result.observed_value))
    return seen


def _latest_labels(plan: ReintegrationPlan) -> dict[int, str]:
    latest: dict[int, str] = {}
    for review in plan.reviews.all():  # oldest first: later reviews overwrite
        for result in review.criterion_results.all():
            criterion = result.criterion
            if criterion.kind == Criterion.Kind.YES_NO:
                value = _yes_no(result.observed_yes, "Not measured")
            else:
                value = _plain(result.observed_value) or "Not measured"
            met = {True: "met", False: "not met", None: ""}[result.met]
            latest[criterion.pk] = f"{value}{f' ({met})' if met else ''} on {short_date(review.held_on)}"
    return latest


def _chart(criterion: Criterion, points: Sequence[tuple[date, Decimal]]) -> Chart:
    title = f"Progress: {criterion.measure}"
    svg = progress_chart(
        title=title,
        points=points,
        baseline=criterion.baseline_value,
        target=criterion.target_value,
        target_label=criterion.target_label,
        chart_id=f"criterion-{criterion.pk}",
    )
    rows: list[tuple[str, str]] = []
    if criterion.baseline_value is not None:
        rows.append(("Baseline", _plain(criterion.baseline_value)))
    rows += [(f"Review on {long_date(day)}", _plain(value)) for day, value in points]
    rows.append(("Target", criterion.target_label))
    figures = Table(headers=("When", criterion.measure), rows=tuple(rows), caption=title, widths=(60, 40))
    return Chart(title=title, svg=svg, figures=figures)


def _review_blocks(plan: ReintegrationPlan) -> list[Block]:
    reviews: list[Review] = list(plan.reviews.all())
    blocks: list[Block] = [Heading("Reviews")]
    if not reviews:
        blocks.append(Paragraph("No review has been held yet."))
    for review in reviews:
        results, statuses = review_results(review)
        blocks.append(Heading(f"Review on {long_date(review.held_on)}", level=3))
        rows = [
            ("Decision", review.get_decision_display()),
            ("Who took part", review.participants),
            ("Next review", long_date(review.next_review_date) if review.next_review_date else "No more reviews"),
        ]
        if review.notes:
            rows.append(("Notes", review.notes))
        rows.append(("Recorded by", person_name(review.recorded_by)))
        blocks.append(KeyValues(tuple(rows)))
        blocks.append(
            Table(
                headers=("Goal", "Measure", "Target", "Seen", "Met"),
                rows=tuple(
                    (
                        row.goal_aim,
                        row.measure + (f" ({row.comment})" if row.comment else ""),
                        "Yes" if row.target_label == "yes" else row.target_label,
                        row.observed,
                        {True: "Met", False: "Not met", None: "Not measured"}[row.met],
                    )
                    for row in results
                ),
                caption="Results",
                widths=(30, 25, 15, 15, 15),
                empty="Nothing was measured at this review.",
            )
        )
        blocks.append(
            Table(
                headers=("Area", "Goal", "Before", "After"),
                rows=tuple((row.area_label, row.goal_aim, row.before or "Not known", row.after) for row in statuses),
                caption="Progress of each goal",
                widths=(20, 40, 20, 20),
                empty="No goal was live at this review.",
            )
        )
    return blocks


def plan_record(plan: ReintegrationPlan, *, today: date | None = None) -> RecordDocument:
    """The whole plan: everything in the meeting record, each goal's status and progress chart, and every
    review with its results."""
    today = today or timezone.localdate()
    pupil = plan.pupil
    status = plan.get_status_display()
    if plan.status == ReintegrationPlan.Status.CLOSED and plan.closed_on:
        status += f" on {long_date(plan.closed_on)}: {plan.get_outcome_display()}"
    plan_rows: list[tuple[str, str]] = [("Plan status", status)]
    if plan.next_review_date and plan.status != ReintegrationPlan.Status.CLOSED:
        plan_rows.append(("Next review", long_date(plan.next_review_date)))
    blocks: list[Block] = [*_heading_blocks(plan), KeyValues(tuple(plan_rows))]
    blocks += [*_meeting_blocks(plan), *_strategy_blocks(plan)]
    observations = _observations(plan)
    latest = _latest_labels(plan)
    for label, goals in _sections(plan):
        blocks.append(Heading(label))
        if not goals:
            blocks.append(Paragraph(f"No {label.lower()} goal has been set."))
        for number, goal in enumerate(goals, start=1):
            blocks.append(Heading(f"{label} goal {number}", level=3))
            rows = [
                *_goal_rows(goal),
                ("Status", f"{goal.get_lifecycle_status_display()}; {goal.get_achievement_status_display().lower()}"),
            ]
            blocks += [KeyValues(tuple(rows)), _criteria_table(goal, latest), _actions_table(goal, with_done=True)]
            for criterion in goal.criteria.all():
                points = observations.get(criterion.pk)
                if criterion.kind == Criterion.Kind.NUMBER and points:
                    blocks.append(_chart(criterion, points))
    blocks += _review_blocks(plan)
    blocks += [Heading("Signatures"), _signatures(pupil)]
    return RecordDocument(
        title="Reintegration plan",
        subtitle=f"{pupil.display_name}, {pupil.get_year_group_display()}",
        school=plan.school,
        letterhead=_letterhead_of(plan.school),
        filename_stem=_filename("reintegration-plan", pupil, today),
        footer=_footer(plan, "reintegration plan", today),
        blocks=tuple(blocks),
    )


# --- "My return plan" ---------------------------------------------------------------------------------------

# Plain words for the pupil's version. Never "criterion", "lifecycle" or "comparator".
AREA_WORDS: dict[str, str] = {
    Goal.Area.BEHAVIOUR: "In lessons and around school",
    Goal.Area.ACADEMIC: "My learning",
    Goal.Area.ATTENDANCE: "Coming to school",
    Goal.Area.WELLBEING: "How I feel",
}
SAID_BY_WORDS: dict[str, str] = {
    Goal.ExpressedBy.PUPIL: "I said this.",
    Goal.ExpressedBy.PARENT: "My parent or carer said this.",
    Goal.ExpressedBy.STAFF: "A teacher said this.",
}
CHECK_IN_WORDS: dict[str, str] = {
    ReintegrationPlan.CheckIn.DAILY: "every day",
    ReintegrationPlan.CheckIn.TWICE_WEEKLY: "twice a week",
    ReintegrationPlan.CheckIn.WEEKLY: "once a week",
    ReintegrationPlan.CheckIn.FORTNIGHTLY: "every two weeks",
}
MEASURE_WORDS: dict[str, str] = {
    Criterion.Comparator.AT_MOST: "no more than",
    Criterion.Comparator.LESS_THAN: "fewer than",
    Criterion.Comparator.AT_LEAST: "at least",
    Criterion.Comparator.MORE_THAN: "more than",
    Criterion.Comparator.EXACTLY: "exactly",
}


def _action_words(action: SupportAction) -> str:
    """'Key adult meets me at the gate, by Monday 28/09/2026.'"""
    return f"{action.description.strip().rstrip('.')}, by {long_date(action.due_date)}."


def _is_percent(criterion: Criterion) -> bool:
    return criterion.measure.strip().rstrip(".").endswith("(%)")


def _value_words(criterion: Criterion, value: Decimal) -> str:
    return f"{number_label(value)}%" if _is_percent(criterion) else number_label(value)


def working_words(criterion: Criterion) -> str:
    """A way of measuring progress in plain words: 'On-call logs per week: fewer than 3, by Friday 18/12/2026.'"""
    measure = criterion.measure.strip().rstrip(".")
    by = f"by {long_date(criterion.due_date)}"
    if criterion.kind == Criterion.Kind.YES_NO or criterion.target_value is None:
        return f"{measure}: yes, {by}."
    if _is_percent(criterion):
        measure = measure[:-3].strip()
    words = MEASURE_WORDS.get(criterion.comparator, criterion.get_comparator_display())
    return f"{measure}: {words} {_value_words(criterion, criterion.target_value)}, {by}."


def _last_check(criterion: Criterion, plan: ReintegrationPlan) -> str:
    """What was seen the last time it was checked, in words ('' when it has not been checked yet)."""
    for review in reversed(list(plan.reviews.all())):
        for result in review.criterion_results.all():
            if result.criterion_id != criterion.pk:
                continue
            when = f"When we checked on {long_date(review.held_on)}"
            if criterion.kind == Criterion.Kind.YES_NO and result.observed_yes is not None:
                return f"{when}: {_yes_no(result.observed_yes)}."
            if criterion.kind == Criterion.Kind.NUMBER and result.observed_value is not None:
                return f"{when}: {_value_words(criterion, result.observed_value)}."
    return ""


def _pupil_first(goals: Iterable[Goal]) -> list[Goal]:
    """The pupil's own words first, then what others said, each in area order."""
    return sorted(goals, key=lambda goal: (goal.expressed_by != Goal.ExpressedBy.PUPIL, goal.area, goal.pk))


TOGETHER = "We will write this together."


def my_return_plan(plan: ReintegrationPlan, *, today: date | None = None) -> RecordDocument:
    """The plan for the pupil, in plain words and large type, starting with what they want to achieve."""
    today = today or timezone.localdate()
    pupil = plan.pupil
    suspension = plan.suspension
    goals = _pupil_first(goal for goal in plan.goals.all() if goal.lifecycle_status != Goal.Lifecycle.CANCELLED)
    meeting = _meeting(plan)

    blocks: list[Block] = [Heading("My return day")]
    if suspension.return_date is not None:
        when = "afternoon" if suspension.return_label.endswith("afternoon") else "morning"
        blocks.append(Paragraph(f"I come back to school on {long_date(suspension.return_date)}, in the {when}."))
    else:
        blocks.append(Paragraph("My school will tell me when I come back."))

    blocks.append(Heading("What I want to achieve"))
    for goal in goals:
        said = SAID_BY_WORDS[goal.expressed_by]
        if goal.expressed_by_name and goal.expressed_by != Goal.ExpressedBy.PUPIL:
            said = f"{goal.expressed_by_name} said this."
        blocks += [
            Heading(AREA_WORDS.get(goal.area, goal.get_area_display()), level=3),
            Paragraph(goal.pupil_aim, style="quote"),
            Paragraph(said, style="small"),
        ]
    if meeting is not None and meeting.pupil_views:
        blocks += [Heading("What I said at my meeting", level=3), Paragraph(meeting.pupil_views, style="quote")]
    if not goals and not (meeting and meeting.pupil_views):
        blocks.append(Paragraph(TOGETHER))

    blocks.append(Heading("Where I am now"))
    blocks.append(BulletList(tuple(goal.current_position for goal in goals)) if goals else Paragraph(TOGETHER))

    actions = [action for goal in goals for action in goal.actions.all()]
    blocks.append(Heading("What I will do"))
    things = [goal.pupil_actions for goal in goals]
    things += [_action_words(action) for action in actions if action.by_whom == SupportAction.ByWhom.PUPIL]
    blocks.append(BulletList(tuple(things)) if things else Paragraph(TOGETHER))

    blocks.append(Heading("Who will help me"))
    if plan.key_adult is not None:
        text = f"My key adult is {person_name(plan.key_adult)}."
        how_often = CHECK_IN_WORDS.get(plan.check_in_frequency, "")
        if how_often:
            text += f" We will meet {how_often}."
        blocks.append(Paragraph(text))
    helpers = [
        f"{action.owner}: {_action_words(action)}" for action in actions if action.by_whom != SupportAction.ByWhom.PUPIL
    ]
    if helpers:
        blocks.append(BulletList(tuple(helpers)))
    if plan.reasonable_adjustments:
        blocks += [Paragraph("Things that will be different for me:"), Paragraph(plan.reasonable_adjustments)]
    if plan.key_adult is None and not helpers:
        blocks.append(Paragraph(TOGETHER))

    blocks.append(Heading("How we will know it is working"))
    checks = [
        f"{working_words(criterion)} {_last_check(criterion, plan)}".strip()
        for goal in goals
        for criterion in goal.criteria.all()
    ]
    blocks.append(BulletList(tuple(checks)) if checks else Paragraph(TOGETHER))

    blocks.append(Heading("When we will check"))
    upcoming = [day for day in _upcoming_reviews(plan) if day >= today]
    if upcoming:
        blocks += [
            Paragraph("We will look at how it is going on:"),
            BulletList(tuple(long_date(day) for day in upcoming)),
        ]
    held = [review.held_on for review in plan.reviews.all()]
    if held:
        blocks.append(Paragraph(f"We have already checked on {', '.join(long_date(day) for day in held)}."))
    if not upcoming and not held:
        blocks.append(Paragraph("We will tell you when we will check."))

    blocks += [
        Heading("Signing my plan"),
        SignatureLines(
            statement="We have talked about this plan together.",
            signers=(
                ("Me", pupil.display_name),
                ("My key adult", person_name(plan.key_adult)),
                ("My parent or carer", ""),
            ),
        ),
    ]
    return RecordDocument(
        title="My return plan",
        subtitle=pupil.display_name,
        school=plan.school,
        letterhead=_letterhead_of(plan.school),
        filename_stem=_filename("my-return-plan", pupil, today),
        footer=f"{plan.school.name} · My return plan: {pupil.display_name}",
        blocks=tuple(blocks),
        large_type=True,
    )


# --- Rendering to PDF ---------------------------------------------------------------------------------------


def clean(text: str) -> str:
    """Text without the control characters that XML cannot hold and PDFs garble (pasted from elsewhere)."""
    return _NOT_XML.sub("", text)


def record_html(document: RecordDocument) -> str:
    letterhead = document.letterhead
    context = {
        "doc": document,
        "school": document.school,
        "letterhead": letterhead,
        "logo_uri": logo_data_uri(letterhead),
    }
    html = render_to_string("documents/record.html", context)
    return clean(html)


def record_pdf(document: RecordDocument) -> Pdf:
    return render_pdf(record_html(document), footer=document.footer)

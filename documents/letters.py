"""Letters to parents: what each letter must say, the fields a template can use, and the check of a rendered letter.

Pure: plain values in, plain values out; no database and no clock. `documents/letter_selectors.py` gathers the
facts from the records, `documents/rendering.py` fills a Word template with `letter_context()`, and
`missing_items()` reads the rendered text back to check that everything the guidance requires is still there,
whether the school uses the default template or its own.

What a notice of suspension must give: domain.md section 2, rows 7, 8, 13, 14 and 20 (docs/statutory-rules.md,
"Letters to parents").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time

from documents.models import LetterKind

BOARD_MUST_MEET = "must_meet"
BOARD_IF_REPRESENTATIONS = "if_representations"
BOARD_REPRESENTATIONS_ONLY = "representations_only"


def long_date(day: date) -> str:
    """'Wednesday 11/11/2026': the weekday helps families, the date follows the UK order."""
    return f"{day:%A %d/%m/%Y}"


def clock(moment: time) -> str:
    """'8:40am', '3:30pm': how a letter to a family gives a time."""
    hour = moment.hour % 12 or 12
    suffix = "am" if moment.hour < 12 else "pm"
    return f"{hour}:{moment.minute:02d}{suffix}"


def join_names(names: Sequence[str]) -> str:
    names = [n for n in names if n]
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"


def lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def normalise(text: str) -> str:
    """Text as compared by the check: one space between words, case kept."""
    return re.sub(r"\s+", " ", text).strip()


@dataclass(frozen=True)
class Recipient:
    name: str
    relationship: str = ""
    email: str = ""
    address: str = ""

    def as_dict(self) -> dict[str, str]:
        return {"name": self.name, "relationship": self.relationship, "email": self.email, "address": self.address}


@dataclass(frozen=True)
class SuspensionFacts:
    kind: str  # "suspension", "lunchtime suspension"
    length: str  # "2 days", "3 lunchtimes"
    first_day: date
    last_day: date
    return_date: date
    return_session: str  # "morning" or "afternoon"
    reason_codes: tuple[str, ...]
    first_five_days: tuple[date, ...]
    provision_from: date | None
    board_duty: str  # BOARD_MUST_MEET, BOARD_IF_REPRESENTATIONS or BOARD_REPRESENTATIONS_ONLY
    misses_public_exam: bool = False
    is_cancelled: bool = False
    cancelled_on: date | None = None
    cancellation_reason: str = ""
    back_on: date | None = None  # after a cancellation: the next school day (None if it never started)


@dataclass(frozen=True)
class MeetingFacts:
    starts_at: datetime  # local time
    is_remote: bool
    mode: str  # "In person", "Remote (video or phone)"
    location: str
    participants: tuple[tuple[str, str], ...]  # (name, role)


@dataclass(frozen=True)
class GoalFacts:
    area: str
    aim: str
    actions: str
    target_date: date
    support: tuple[str, ...] = ()


@dataclass(frozen=True)
class PlanFacts:
    strategy: str
    key_adult: str
    check_ins: str
    goals: tuple[GoalFacts, ...]
    next_review: date | None
    reasonable_adjustments: str = ""


@dataclass(frozen=True)
class LetterFacts:
    """Everything a letter may say, as plain values read from the records."""

    school_name: str
    school_address: str
    phone: str
    email: str
    website: str
    signatory_name: str
    signatory_title: str
    representations_contact: str
    impartial_advice: tuple[str, ...]
    work_arrangements: str
    pupil_first_name: str
    pupil_full_name: str
    year_group: str
    suspension: SuspensionFacts
    meeting: MeetingFacts | None = None
    plan: PlanFacts | None = None
    family_language: str = ""  # a contact's preferred language other than English
    recorded_provision: str = ""  # the sixth-day provision recorded on the duty, if any


@dataclass(frozen=True)
class LetterInputs:
    """What staff decide for one letter on the preview page."""

    recipients: tuple[Recipient, ...]
    issued_on: date
    reasons: str = ""
    return_time: time | None = None
    work_arrangements: str = ""
    provision: str = ""
    attendees: str = ""


def default_inputs(
    kind: str, facts: LetterFacts, *, recipients: tuple[Recipient, ...], issued_on: date
) -> LetterInputs:
    """The preview's starting values, each of which staff may change before the letter is issued."""
    reasons = ""
    if kind == LetterKind.SUSPENSION_NOTICE:
        codes = "; ".join(facts.suspension.reason_codes)
        reasons = f"{facts.pupil_first_name} has been suspended for: {codes}." if codes else ""
    attendees = ""
    if facts.meeting is not None:
        attendees = "\n".join(f"{name}, {role}" for name, role in facts.meeting.participants)
    return LetterInputs(
        recipients=recipients,
        issued_on=issued_on,
        reasons=reasons,
        return_time=time(8, 30),
        work_arrangements=facts.work_arrangements,
        provision=facts.recorded_provision,
        attendees=attendees,
    )


def _board_text(facts: LetterFacts) -> str:
    """What the governing board must do, in the family's terms (domain.md rows 15 to 18)."""
    name = facts.pupil_first_name
    if facts.suspension.board_duty == BOARD_MUST_MEET:
        why = "because this suspension means that " + (
            f"{name} will miss a public examination or national curriculum test"
            if facts.suspension.misses_public_exam
            else f"{name} has been suspended for more than 15 school days in this term"
        )
        return (
            f"The governing board must meet to consider whether {name} should be reinstated, {why}. It must meet "
            "within 15 school days of being told of the suspension. You have the right to attend the meeting, to "
            "be represented and to bring a friend, and to make representations to the board before it meets."
        )
    if facts.suspension.board_duty == BOARD_IF_REPRESENTATIONS:
        return (
            "You have the right to make representations about this suspension to the governing board. If you "
            "do, the board must consider them within 50 school days of being told of the suspension, and may "
            f"decide that {name} should be reinstated. If the board meets, you have the right to attend, to be "
            "represented and to bring a friend."
        )
    return (
        "You have the right to make representations about this suspension to the governing board. The board "
        f"must consider them, but it cannot direct that {name} is reinstated. You may ask for your "
        f"representations to be placed on {name}'s school record with a copy of this letter."
    )


def letter_context(kind: str, facts: LetterFacts, inputs: LetterInputs) -> dict[str, object]:
    """The fields a letter template can use. docs/letters.md lists them for schools editing their own templates."""
    s = facts.suspension
    name = facts.pupil_first_name
    recipient_names = join_names([r.name for r in inputs.recipients])
    address_lines: list[str] = []
    if inputs.recipients:
        address_lines = [recipient_names, *lines(inputs.recipients[0].address)]
    return_time = clock(inputs.return_time) if inputs.return_time else ""
    context: dict[str, object] = {
        "date": f"{inputs.issued_on:%d/%m/%Y}",
        "school": {
            "name": facts.school_name,
            "address_lines": lines(facts.school_address),
            "phone": facts.phone,
            "email": facts.email,
            "website": facts.website,
        },
        "signatory": {"name": facts.signatory_name, "title": facts.signatory_title},
        "recipients": {"names": recipient_names, "address_lines": address_lines},
        "pupil": {"first_name": name, "full_name": facts.pupil_full_name, "year_group": facts.year_group},
        "suspension": {
            "kind": s.kind,
            "length": s.length,
            "first_day": long_date(s.first_day),
            "last_day": long_date(s.last_day),
            "period": (
                f"on {long_date(s.first_day)}"
                if s.first_day == s.last_day
                else f"from {long_date(s.first_day)} to {long_date(s.last_day)}"
            ),
            "reasons": inputs.reasons.strip(),
            "return_date": long_date(s.return_date),
            "return_session": s.return_session,
            "return_time": return_time,
            "first_five_days": [long_date(day) for day in s.first_five_days],
            "work_arrangements": inputs.work_arrangements.strip(),
        },
        "provision": {
            "applies": s.provision_from is not None,
            "from_date": long_date(s.provision_from) if s.provision_from else "",
            "details": inputs.provision.strip(),
        },
        "board": {
            "must_meet": s.board_duty == BOARD_MUST_MEET,
            "text": _board_text(facts),
            "contact_lines": lines(facts.representations_contact) or [facts.school_name, *lines(facts.school_address)],
            "pupil_involvement": (
                f"{name} may also give their views to the governing board, in writing or in person, in a way that "
                "suits their age and understanding."
            ),
            "remote": (
                "You have the right to ask for a meeting of the governing board to be held remotely, by video. "
                "To ask, say so when you contact the clerk."
            ),
        },
        "advice": list(facts.impartial_advice),
        "interpreter": facts.family_language,
        "cancellation": {
            "date": long_date(s.cancelled_on) if s.cancelled_on else "",
            "reason": s.cancellation_reason,
            "back_on": long_date(s.back_on) if s.back_on else "",
        },
    }
    if facts.meeting is not None:
        m = facts.meeting
        context["meeting"] = {
            "date": long_date(m.starts_at.date()),
            "time": clock(m.starts_at.time()),
            "mode": m.mode,
            "is_remote": m.is_remote,
            "place": m.location,
            "attendees": lines(inputs.attendees),
        }
    if facts.plan is not None:
        p = facts.plan
        context["plan"] = {
            "strategy": p.strategy,
            "key_adult": p.key_adult,
            "check_ins": p.check_ins,
            "reasonable_adjustments": p.reasonable_adjustments,
            "next_review": long_date(p.next_review) if p.next_review else "",
            "goals": [
                {
                    "area": g.area,
                    "aim": g.aim,
                    "actions": g.actions,
                    "target_date": long_date(g.target_date),
                    "support": list(g.support),
                }
                for g in p.goals
            ],
        }
    return context


# The check of a rendered letter: every item the guidance asks for, read back from the letter's text.


@dataclass(frozen=True)
class Requirement:
    label: str
    check: Callable[[str, dict[str, object]], bool]
    applies: Callable[[dict[str, object]], bool] = field(default=lambda context: True)


def _get(context: dict[str, object], path: str) -> object:
    value: object = context
    for part in path.split("."):
        assert isinstance(value, dict)
        value = value.get(part, "")
    return value


def _has(*paths: str) -> Callable[[str, dict[str, object]], bool]:
    """Every value at these paths (each line of a list or of a text) appears in the letter."""

    def check(text: str, context: dict[str, object]) -> bool:
        for path in paths:
            value = _get(context, path)
            values = value if isinstance(value, list) else lines(str(value))
            if not all(normalise(str(v)) in text for v in values):
                return False
        return True

    return check


def _says(*phrases: str) -> Callable[[str, dict[str, object]], bool]:
    """The letter uses these words (case-insensitive)."""

    def check(text: str, context: dict[str, object]) -> bool:
        lowered = text.lower()
        return all(phrase.lower() in lowered for phrase in phrases)

    return check


def _both(*checks: Callable[[str, dict[str, object]], bool]) -> Callable[[str, dict[str, object]], bool]:
    return lambda text, context: all(c(text, context) for c in checks)


def _flag(path: str) -> Callable[[dict[str, object]], bool]:
    return lambda context: bool(_get(context, path))


REQUIREMENTS: dict[str, tuple[Requirement, ...]] = {
    LetterKind.SUSPENSION_NOTICE: (
        Requirement("The pupil's name", _has("pupil.full_name")),
        Requirement("The reasons for the suspension", _has("suspension.reasons")),
        Requirement("The period of the suspension", _has("suspension.first_day", "suspension.last_day")),
        Requirement("The return date and time", _has("suspension.return_date", "suspension.return_time")),
        Requirement(
            "The right to make representations to the governing board",
            _both(_says("representations", "governing board"), _has("board.text")),
        ),
        Requirement("How to make representations", _has("board.contact_lines")),
        Requirement("How the pupil may be involved", _has("board.pupil_involvement")),
        Requirement("The right to ask for a remote meeting", _both(_says("remote"), _has("board.remote"))),
        Requirement(
            "The right to attend the board's meeting, be represented and bring a friend",
            _says("represented", "friend"),
            applies=_flag("board.must_meet"),
        ),
        Requirement(
            "The days the child must not be in a public place in school hours",
            _both(_says("public place"), _has("suspension.first_five_days")),
        ),
        Requirement("How work will be set and marked", _has("suspension.work_arrangements")),
        Requirement(
            "The full-time education from the sixth school day",
            _has("provision.from_date", "provision.details"),
            applies=_flag("provision.applies"),
        ),
        Requirement("Sources of impartial advice", _has("advice")),
    ),
    LetterKind.MEETING_INVITATION: (
        Requirement("The pupil's name", _has("pupil.full_name")),
        Requirement("The date and time of the meeting", _has("meeting.date", "meeting.time")),
        Requirement("The place or the link", _has("meeting.place")),
        Requirement("Who will attend and why", _has("meeting.attendees")),
        Requirement(
            "That the return does not depend on attending",
            _both(_has("suspension.return_date"), _says("does not depend")),
        ),
    ),
    LetterKind.CANCELLATION_NOTICE: (
        Requirement("The pupil's name", _has("pupil.full_name")),
        Requirement("That the suspension is cancelled", _both(_says("cancelled"), _has("suspension.first_day"))),
        Requirement("The reason for the cancellation", _has("cancellation.reason")),
        Requirement("When the pupil returns", _has("suspension.return_time")),
    ),
    LetterKind.PLAN_SUMMARY: (
        Requirement("The pupil's name", _has("pupil.full_name")),
        Requirement("The strategy for the return", _has("plan.strategy")),
        Requirement("The next review", _has("plan.next_review")),
    ),
}


def missing_items(kind: str, text: str, context: dict[str, object]) -> list[str]:
    """The required items a rendered letter lacks (empty when it has them all)."""
    flat = normalise(text)
    return [r.label for r in REQUIREMENTS[kind] if r.applies(context) and not r.check(flat, context)]


def required_labels(kind: str) -> list[str]:
    return [r.label for r in REQUIREMENTS[kind]]


PLACEHOLDER = re.compile(r"\{\{|\}\}|\{%|%\}|\bNone\b")


def leftover_placeholders(text: str) -> list[str]:
    """Template syntax, or a Python None, left in a rendered letter."""
    return sorted({m.group(0) for m in PLACEHOLDER.finditer(text)})


def missing_inputs(kind: str, facts: LetterFacts, inputs: LetterInputs) -> dict[str, str]:
    """What staff must fill in before this letter can be issued, keyed by the preview form's field."""
    errors: dict[str, str] = {}
    if kind == LetterKind.SUSPENSION_NOTICE:
        if not inputs.reasons.strip():
            errors["reasons"] = "Enter the reasons for the suspension, as the letter should give them."
        if not inputs.work_arrangements.strip():
            errors["work_arrangements"] = "Enter how work will be set and marked during the suspension."
        if facts.suspension.provision_from is not None and not inputs.provision.strip():
            errors["provision"] = (
                "Enter where the full-time education from the sixth school day will be: the provider, its address "
                "and the times."
            )
    if kind in (LetterKind.SUSPENSION_NOTICE, LetterKind.CANCELLATION_NOTICE) and inputs.return_time is None:
        errors["return_time"] = "Enter the time the pupil should arrive, for example 8:30."
    if kind == LetterKind.MEETING_INVITATION and not lines(inputs.attendees):
        errors["attendees"] = "Enter who will attend the meeting and why, one person a line."
    return errors


def sample_facts() -> LetterFacts:
    """A fictional case that takes every branch of the letters: used to check a school's own template."""
    suspension = SuspensionFacts(
        kind="suspension",
        length="6 days",
        first_day=date(2026, 11, 9),
        last_day=date(2026, 11, 16),
        return_date=date(2026, 11, 17),
        return_session="morning",
        reason_codes=("Persistent disruptive behaviour",),
        first_five_days=tuple(date(2026, 11, d) for d in (9, 10, 11, 12, 13)),
        provision_from=date(2026, 11, 16),
        board_duty=BOARD_MUST_MEET,
        is_cancelled=True,
        cancelled_on=date(2026, 11, 10),
        cancellation_reason="New information showed that the pupil was not involved.",
        back_on=date(2026, 11, 11),
    )
    return LetterFacts(
        school_name="Example Academy",
        school_address="1 Sample Road\nExampletown\nEX1 1AA",
        phone="01234 567890",
        email="office@example.org",
        website="example.org",
        signatory_name="A. Head",
        signatory_title="Headteacher",
        representations_contact="The Clerk to the Governors\nExample Academy\n1 Sample Road\nclerk@example.org",
        impartial_advice=("An advice service: example.org/advice",),
        work_arrangements="Work will be emailed each morning and marked by the class teacher.",
        pupil_first_name="Alex",
        pupil_full_name="Alex Example",
        year_group="Year 8",
        suspension=suspension,
        meeting=MeetingFacts(
            starts_at=datetime(2026, 11, 16, 15, 30),
            is_remote=False,
            mode="In person",
            location="Pastoral office",
            participants=(("B. Lead", "Head of Year 8"),),
        ),
        plan=PlanFacts(
            strategy="A daily check-in with the head of year.",
            key_adult="B. Lead",
            check_ins="Daily",
            goals=(GoalFacts("Behaviour", "Stay in lessons", "Use my time-out card", date(2026, 12, 18)),),
            next_review=date(2026, 12, 1),
        ),
        family_language="Polish",
        recorded_provision="Example Learning Centre, 2 Mill Road, 9:00am to 3:00pm",
    )


def sample_inputs(kind: str) -> LetterInputs:
    facts = sample_facts()
    recipients = (Recipient("Sam Example", "Parent", "sam@example.org", "3 Sample Street\nExampletown\nEX1 2BB"),)
    return default_inputs(kind, facts, recipients=recipients, issued_on=date(2026, 11, 9))

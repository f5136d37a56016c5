"""Reading generated documents back, as a reader would: the text of a PDF (pypdf) and of a DOCX (python-docx),
and a realistic, fictional reintegration plan to render.

    pdf_text(content)   -> every page's text, whitespace collapsed
    pdf_pages(content)  -> each page's text, whitespace collapsed
    docx_text(content)  -> body paragraphs and tables (nested too), headers and footers, whitespace collapsed
"""

from __future__ import annotations

import io
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from PIL import Image

from documents.models import Letterhead
from plans import services
from plans.models import Criterion, Goal, Meeting, ReintegrationPlan, Review
from schools.models import Role, School
from testsupport.documents import (  # noqa: F401 - the readers, for the document tests
    docx_header_has_image,
    docx_text,
    open_docx,
    pdf_image_count,
    pdf_pages,
    pdf_text,
    pdf_text_sizes,
)
from testsupport.factories import MembershipFactory
from testsupport.plans import action_row, activate, add_goal, criterion_row, draft_plan, record_review

LONDON = ZoneInfo("Europe/London")
PLACEHOLDERS = ("{{", "}}", "{%", "%}", "None", "[]")


# --- Fictional data ---------------------------------------------------------------------------------------------


def tiny_png(colour: tuple[int, int, int] = (29, 112, 184)) -> bytes:
    """A 60 x 30 pixel logo in one colour."""
    buffer = io.BytesIO()
    Image.new("RGB", (60, 30), colour).save(buffer, format="PNG")
    return buffer.getvalue()


def give_logo(school: School) -> Letterhead:
    return Letterhead.objects.create(
        school=school, logo=tiny_png(), logo_content_type="image/png", phone="01632 960123"
    )


def key_adult(school: School) -> Any:
    return MembershipFactory(
        school=school,
        role=Role.PASTORAL_LEAD,
        user__username="ppatel",
        user__first_name="Priya",
        user__last_name="Patel",
    ).user


def hold_meeting(plan: ReintegrationPlan, *, extra: list[dict[str, Any]] | None = None) -> Meeting:
    return services.meeting_save(
        plan=plan,
        version=None,
        status=Meeting.Status.HELD,
        scheduled_for=datetime(2026, 11, 10, 15, 30, tzinfo=LONDON),
        mode=Meeting.Mode.IN_PERSON,
        location="Pastoral office",
        pupil_views="I want a fresh start in science.",
        parent_views="We will check the planner every night.",
        notes="Agreed the strategy and two goals.",
        participants=[
            {"name": "Jordan Ashby", "role": "Pupil", "invited": True, "attended": True},
            {"name": "Sam Ashby", "role": "Mother", "invited": True, "attended": False},
            {"name": "Priya Patel", "role": "Key adult", "invited": True, "attended": True},
            *(extra or []),
        ],
    )


def add_academic_goal(plan: ReintegrationPlan, **overrides: Any) -> Goal:
    fields: dict[str, Any] = {
        "area": Goal.Area.ACADEMIC,
        "pupil_aim": "Catch up on the maths I missed.",
        "expressed_by": Goal.ExpressedBy.PARENT,
        "expressed_by_name": "Sam Ashby",
        "current_position": "Four maths homeworks missing.",
        "pupil_actions": "Go to homework club on Tuesdays.",
        "target_date": date(2027, 1, 29),
        "review_dates": [date(2026, 12, 2)],
        "criteria": [
            criterion_row(
                measure="Homework handed in on time (%)",
                baseline_value=Decimal("40"),
                baseline_note="This half term",
                comparator=Criterion.Comparator.AT_LEAST,
                target_value=Decimal("80"),
                due_date=date(2026, 12, 18),
            )
        ],
        "actions": [
            action_row(
                description="Maths teacher sends the missed work home",
                owner="Mr Okafor",
                due_date=date(2026, 11, 25),
            )
        ],
    }
    fields.update(overrides)
    return add_goal(plan, **fields)


def full_plan(pupil: Any, headteacher: Any, *, reviews: bool = True) -> ReintegrationPlan:
    """An active plan as a school would have it a week after the return: a meeting held, the strategy with a key
    adult, a behaviour goal (a number and a yes/no criterion) and an academic goal, and two reviews."""
    plan = draft_plan(pupil, headteacher)
    hold_meeting(plan)
    plan.refresh_from_db()
    plan = activate(plan, key_adult=key_adult(plan.school))
    services.plan_update(
        plan=plan,
        version=plan.version,
        strategy=plan.strategy,
        key_adult=plan.key_adult,
        support_measures=plan.support_measures,
        check_in_frequency=plan.check_in_frequency,
        reasonable_adjustments="Seat near the door; one instruction at a time.",
        activate=False,
    )
    add_goal(
        plan,
        criteria=[
            criterion_row(),
            criterion_row(
                measure="Uses the time-out card instead of leaving the room",
                kind=Criterion.Kind.YES_NO,
                baseline_value=None,
                baseline_note="",
                comparator="",
                target_value=None,
                due_date=date(2026, 11, 25),
            ),
        ],
    )
    add_academic_goal(plan)
    plan.refresh_from_db()
    if reviews:
        review_twice(plan, headteacher)
    return plan


def review_twice(plan: ReintegrationPlan, recorded_by: Any) -> list[Review]:
    """Reviews on Friday 13/11/2026 (on-calls 3, homework 55%) and Wednesday 18/11/2026 (1 and 70%)."""
    return review_on(plan, recorded_by, [(date(2026, 11, 13), "3", "55"), (date(2026, 11, 18), "1", "70")])


def review_on(plan: ReintegrationPlan, recorded_by: Any, days: list[tuple[date, str, str]]) -> list[Review]:
    """A 'continue' review on each day, observing (on-call logs, homework %); the next one two weeks on."""
    held = []
    for index, (held_on, on_calls, homework) in enumerate(days):
        next_review = days[index + 1][0] if index + 1 < len(days) else date(2026, 12, 2)
        criteria = [c for g in plan.goals.prefetch_related("criteria") for c in g.criteria.all()]
        results = []
        for criterion in criteria:
            if criterion.kind == Criterion.Kind.YES_NO:
                results.append({"criterion": criterion, "observed_value": None, "observed_yes": True, "comment": ""})
            else:
                value = on_calls if criterion.measure.startswith("On-call") else homework
                results.append(
                    {"criterion": criterion, "observed_value": Decimal(value), "observed_yes": None, "comment": ""}
                )
        held.append(
            record_review(
                plan,
                recorded_by,
                held_on=held_on,
                next_review_date=next_review,
                criterion_results=results,
                participants="Jordan (pupil)\nPriya Patel (key adult)",
            )
        )
        plan.refresh_from_db()
    return held

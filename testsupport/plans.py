"""Test helpers for reintegration plans: a recorded suspension, an active plan, goals with criteria.

All data is fictional. Time in tests is frozen at Wednesday 18/11/2026, so the default suspension
(Monday 09/11/2026, two days) returns on Wednesday 11/11/2026, a week before "today".
"""

from __future__ import annotations

import html
import re
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from plans import services
from plans.models import Criterion, Goal, ReintegrationPlan, Review
from pupils.models import Pupil
from suspensions.models import ReasonCode, Suspension
from suspensions.services import suspension_record

START = date(2026, 11, 9)
RETURN = date(2026, 11, 11)
STRATEGY = "Meet Ms Patel at the pastoral office each morning; a time-out card for lessons; lunch in the library."


def record_suspension(
    pupil: Pupil, headteacher: Any, *, start: date = START, sessions: int = 4, follows: Suspension | None = None
) -> Suspension:
    """A confirmed suspension decided by the headteacher. Its plan is `suspension.plan` (a draft)."""
    return suspension_record(
        pupil=pupil,
        kind=Suspension.Kind.SUSPENSION,
        start_date=start,
        sessions=sessions,
        reasons=[ReasonCode.objects.get(code="DB")],
        incident_summary="Repeatedly left lessons without permission and refused to return.",
        decided_by=headteacher,
        recorded_by=headteacher,
        follows=follows,
    )


def draft_plan(pupil: Pupil, headteacher: Any, **kwargs: Any) -> ReintegrationPlan:
    return record_suspension(pupil, headteacher, **kwargs).plan


def activate(plan: ReintegrationPlan, *, strategy: str = STRATEGY, key_adult: Any = None) -> ReintegrationPlan:
    return services.plan_update(
        plan=plan,
        version=plan.version,
        strategy=strategy,
        key_adult=key_adult,
        support_measures="Daily check-in with the key adult.",
        check_in_frequency=ReintegrationPlan.CheckIn.DAILY,
        reasonable_adjustments="",
        activate=True,
        next_review_date=plan.next_review_date or plan.suspension.return_date + timedelta(days=14),
    )


def criterion_row(**overrides: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "measure": "On-call logs per week",
        "kind": Criterion.Kind.NUMBER,
        "baseline_value": Decimal("5"),
        "baseline_note": "Five on-calls in the week before the suspension",
        "comparator": Criterion.Comparator.AT_MOST,
        "target_value": Decimal("1"),
        "due_date": date(2026, 12, 11),
    }
    row.update(overrides)
    return row


def action_row(**overrides: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "by_whom": "school",
        "description": "Key adult meets the pupil at the gate each morning",
        "owner": "Ms Patel",
        "due_date": date(2026, 11, 20),
    }
    row.update(overrides)
    return row


def goal_fields(**overrides: Any) -> dict[str, Any]:
    """Keyword arguments for services.goal_create (without `plan`), valid for the default suspension."""
    fields: dict[str, Any] = {
        "area": Goal.Area.BEHAVIOUR,
        "pupil_aim": "I want to stay in my lessons and not get sent out.",
        "expressed_by": Goal.ExpressedBy.PUPIL,
        "expressed_by_name": "",
        "current_position": "Sent out of five lessons in the week before the suspension.",
        "pupil_actions": "Use my time-out card instead of walking out.",
        "start_date": RETURN,
        "target_date": date(2027, 1, 29),
        "longer_horizon_confirmed": False,
        "review_dates": [date(2026, 12, 2)],
        "criteria": [criterion_row()],
        "actions": [action_row()],
    }
    fields.update(overrides)
    return fields


def add_goal(plan: ReintegrationPlan, **overrides: Any) -> Goal:
    return services.goal_create(plan=plan, **goal_fields(**overrides))


def active_plan(pupil: Pupil, headteacher: Any, *, with_goal: bool = True, **kwargs: Any) -> ReintegrationPlan:
    """An active plan with a strategy and, by default, a behaviour goal with one number criterion."""
    plan = activate(draft_plan(pupil, headteacher, **kwargs))
    if with_goal:
        add_goal(plan)
    return plan


def record_review(plan: ReintegrationPlan, recorded_by: Any, **overrides: Any) -> Review:
    """A 'continue' review held today, every live goal 'improving', every criterion observed at 1."""
    goals = list(plan.goals.prefetch_related("criteria"))
    fields: dict[str, Any] = {
        "held_on": date(2026, 11, 18),
        "participants": "Jordan (pupil)\nMs Patel (key adult)",
        "decision": Review.Decision.CONTINUE,
        "next_review_date": date(2026, 12, 2),
        "notes": "",
        "criterion_results": [
            {"criterion": c, "observed_value": Decimal("1"), "observed_yes": None, "comment": ""}
            for g in goals
            for c in g.criteria.all()
            if c.kind == Criterion.Kind.NUMBER
        ]
        + [
            {"criterion": c, "observed_value": None, "observed_yes": True, "comment": ""}
            for g in goals
            for c in g.criteria.all()
            if c.kind == Criterion.Kind.YES_NO
        ],
        "goal_statuses": {
            g.pk: Goal.Achievement.IMPROVING for g in goals if g.lifecycle_status in ("active", "proposed")
        },
        "outcome": "",
        "recorded_by": recorded_by,
    }
    fields.update(overrides)
    return services.review_record(plan=plan, **fields)


def page_html(response: Any) -> str:
    """A page's HTML with entities decoded and runs of whitespace collapsed."""
    return " ".join(html.unescape(response.content.decode()).split())


def page_text(response: Any) -> str:
    """What a user reads on the page: the text of <main>, without tags, whitespace collapsed."""
    content = response.content.decode()
    main = content.split("<main", 1)[-1].split("</main>", 1)[0]
    main = main.split(">", 1)[-1]
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", main)).split())

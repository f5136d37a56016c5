"""Two people saving the same plan at the same moment: one wins, the other is told, nothing is lost silently.

Real threads, each with its own database connection, start together (threading.Barrier) and call the
service with the version they both loaded. On PostgreSQL the two transactions really overlap: the second
UPDATE waits for the first one's row lock and then finds the version changed. On SQLite a write
transaction locks the whole database, so the two run one after the other (a thread that finds the database
locked tries again, as a second request would): the outcome must be the same.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import date, datetime
from datetime import time as clock
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import OperationalError, close_old_connections, connection

from plans import services
from plans.models import Goal, Meeting, ReintegrationPlan, Review
from testsupport.plans import active_plan, draft_plan, goal_fields, record_review

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

TIMEOUT = 30  # seconds: no thread may wait longer than this for the other


def run_together(*jobs: Callable[[], Any]) -> list[tuple[str, Any]]:
    """Run each job in its own thread, all released at once. Returns ("ok", result) or ("error", exception)."""
    barrier = threading.Barrier(len(jobs), timeout=TIMEOUT)
    outcomes: list[tuple[str, Any]] = [("pending", None)] * len(jobs)

    def worker(index: int, job: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            deadline = time.monotonic() + TIMEOUT
            while True:
                try:
                    outcomes[index] = ("ok", job())
                    return
                except OperationalError as error:
                    # SQLite (in-memory test database) reports the other writer's lock at once instead of waiting:
                    # the transaction was rolled back whole, so trying again is what a second request would do.
                    if connection.vendor != "sqlite" or "locked" not in str(error) or time.monotonic() > deadline:
                        raise
                    time.sleep(0.01)
        except ValidationError as error:
            outcomes[index] = ("error", error)
        except Exception as error:  # a crash is reported to the test, which fails on it
            outcomes[index] = ("crash", error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT)
    assert not any(thread.is_alive() for thread in threads), "a thread did not finish in time"
    close_old_connections()
    return outcomes


def _at(day: date) -> datetime:
    return datetime.combine(day, clock(9, 0), tzinfo=ZoneInfo("Europe/London"))


def _fresh_plan(pk: int) -> ReintegrationPlan:
    return ReintegrationPlan.objects.select_related("suspension", "school").get(pk=pk)


def _conflicts(outcomes: list[tuple[str, Any]], message: str) -> list[tuple[str, Any]]:
    crashes = [outcome for outcome in outcomes if outcome[0] == "crash"]
    assert crashes == []
    return [outcome for outcome in outcomes if outcome[0] == "error" and message in outcome[1].messages]


@pytest.fixture
def plan(pupil, headteacher):
    return active_plan(pupil, headteacher)


def test_two_strategies_saved_at_once_one_wins_and_the_other_is_told(plan):
    version = plan.version
    strategies = ["Strategy A: meet Ms Patel at the gate.", "Strategy B: start each day in the library."]

    def save(strategy: str) -> Callable[[], ReintegrationPlan]:
        def job() -> ReintegrationPlan:
            return services.plan_update(
                plan=_fresh_plan(plan.pk),
                version=version,
                strategy=strategy,
                key_adult=None,
                support_measures="",
                check_in_frequency="",
                reasonable_adjustments="",
                activate=True,
            )

        return job

    outcomes = run_together(save(strategies[0]), save(strategies[1]))

    winners = [i for i, (kind, _) in enumerate(outcomes) if kind == "ok"]
    assert len(winners) == 1
    assert len(_conflicts(outcomes, services.PLAN_CONFLICT)) == 1
    stored = ReintegrationPlan.objects.get(pk=plan.pk)
    assert stored.strategy == strategies[winners[0]]
    assert stored.version == version + 1


def test_two_edits_of_one_goal_at_once_never_overwrite_silently(plan):
    goal = plan.goals.get()
    version = goal.version
    aims = ["I want to stay in every lesson.", "I want to get to school on time every day."]

    def save(aim: str) -> Callable[[], Goal]:
        def job() -> Goal:
            fresh = Goal.objects.select_related("plan", "plan__suspension").get(pk=goal.pk)
            rows = [
                {"id": c.pk, **{k: getattr(c, k) for k in ("measure", "kind", "baseline_value", "baseline_note")}}
                | {"comparator": c.comparator, "target_value": c.target_value, "due_date": c.due_date}
                for c in fresh.criteria.all()
            ]
            actions = [
                {
                    "id": a.pk,
                    "by_whom": a.by_whom,
                    "description": a.description,
                    "owner": a.owner,
                    "due_date": a.due_date,
                }
                for a in fresh.actions.all()
            ]
            fields = goal_fields(pupil_aim=aim, criteria=rows, actions=actions)
            return services.goal_update(goal=fresh, version=version, **fields)

        return job

    outcomes = run_together(save(aims[0]), save(aims[1]))

    winners = [i for i, (kind, _) in enumerate(outcomes) if kind == "ok"]
    assert len(winners) == 1
    assert len(_conflicts(outcomes, services.GOAL_CONFLICT)) == 1
    stored = Goal.objects.get(pk=goal.pk)
    assert stored.pupil_aim == aims[winners[0]]
    assert stored.version == version + 1
    assert stored.criteria.count() == 1
    assert stored.actions.count() == 1


def test_two_meeting_records_at_once_keep_one_and_its_participants(pupil, headteacher):
    plan = draft_plan(pupil, headteacher)
    meeting = services.meeting_save(
        plan=plan,
        version=None,
        status=Meeting.Status.ARRANGED,
        scheduled_for=_at(date(2026, 11, 20)),
        mode=Meeting.Mode.IN_PERSON,
        location="Room 4",
        pupil_views="",
        parent_views="",
        notes="",
        participants=[{"name": "Jordan", "role": "Pupil", "invited": True, "attended": None}],
    )
    version = meeting.version
    notes = ["Notes by the head of year.", "Notes by the pastoral lead."]
    people = [["Ms Patel", "Mr Okafor"], ["Mrs Ashby"]]

    def save(index: int) -> Callable[[], Meeting]:
        def job() -> Meeting:
            return services.meeting_save(
                plan=_fresh_plan(plan.pk),
                version=version,
                status=Meeting.Status.HELD,
                scheduled_for=_at(date(2026, 11, 17)),
                mode=Meeting.Mode.IN_PERSON,
                location="Room 4",
                pupil_views="",
                parent_views="",
                notes=notes[index],
                participants=[{"name": n, "role": "Staff", "invited": True, "attended": True} for n in people[index]],
            )

        return job

    outcomes = run_together(save(0), save(1))

    winners = [i for i, (kind, _) in enumerate(outcomes) if kind == "ok"]
    assert len(winners) == 1
    assert len(_conflicts(outcomes, services.MEETING_CONFLICT)) == 1
    stored = Meeting.objects.get(plan=plan)
    assert stored.notes == notes[winners[0]]
    assert stored.version == version + 1
    assert sorted(stored.participants.values_list("name", flat=True)) == sorted(people[winners[0]])


def test_two_first_meetings_arranged_at_once_make_one_meeting(pupil, headteacher):
    plan = draft_plan(pupil, headteacher)
    rooms = ["Room 4", "The library"]

    def arrange(room: str) -> Callable[[], Meeting]:
        def job() -> Meeting:
            return services.meeting_save(
                plan=_fresh_plan(plan.pk),
                version=None,
                status=Meeting.Status.ARRANGED,
                scheduled_for=_at(date(2026, 11, 20)),
                mode=Meeting.Mode.IN_PERSON,
                location=room,
                pupil_views="",
                parent_views="",
                notes="",
                participants=[{"name": "Jordan", "role": "Pupil", "invited": True, "attended": None}],
            )

        return job

    outcomes = run_together(arrange(rooms[0]), arrange(rooms[1]))

    crashes = [outcome for outcome in outcomes if outcome[0] == "crash"]
    assert crashes == []
    winners = [i for i, (kind, _) in enumerate(outcomes) if kind == "ok"]
    assert len(winners) == 1
    assert Meeting.objects.filter(plan=plan).count() == 1
    assert Meeting.objects.get(plan=plan).location == rooms[winners[0]]
    assert Meeting.objects.get(plan=plan).participants.count() == 1


def test_two_reviews_recorded_at_once_both_land_in_order(plan, headteacher):
    next_dates = [date(2026, 12, 2), date(2026, 12, 9)]

    def review(next_review: date) -> Callable[[], Review]:
        def job() -> Review:
            return record_review(_fresh_plan(plan.pk), headteacher, next_review_date=next_review)

        return job

    outcomes = run_together(review(next_dates[0]), review(next_dates[1]))

    assert [kind for kind, _ in outcomes] == ["ok", "ok"]
    reviews = list(Review.objects.filter(plan=plan).order_by("id"))
    assert len(reviews) == 2
    stored = ReintegrationPlan.objects.get(pk=plan.pk)
    # The plan's next review is the one of the review recorded last: never a mixture of the two.
    assert stored.next_review_date == reviews[-1].next_review_date
    assert stored.version == plan.version + 2
    # The later review's snapshot saw the earlier one's next review date: the two did not interleave.
    assert reviews[1].snapshot["plan"]["next_review_date"] == reviews[0].next_review_date.isoformat()

"""Reads for evidence: a plan's criteria measured from the school's data, and the register checked against the
suspensions recorded. Each reads in a fixed number of queries, however many criteria or weeks."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Max
from django.utils import timezone

from documents.charts import progress_chart
from evidence import measures
from evidence.models import AttendanceMark, AttendanceWeek, BehaviourEvent
from plans.models import Criterion, ReintegrationPlan
from schools.models import School
from suspensions.models import Suspension


@dataclass(frozen=True)
class CriterionEvidence:
    criterion: Criterion
    evaluation: measures.Evaluation
    met: bool | None

    @property
    def value_for_review(self) -> Decimal | None:
        value = self.evaluation.value
        return None if value is None else Decimal(str(round(value, 2)))

    @property
    def baseline(self) -> float | None:
        """The criterion's own baseline, or else the one measured before the suspension."""
        if self.criterion.baseline_value is not None:
            return float(self.criterion.baseline_value)
        return self.evaluation.baseline

    def chart(self) -> str:
        """The trend since the return as inline SVG: weekly values, the baseline and the dashed target line."""
        points = [(week.start, week.value) for week in self.evaluation.weeks if week.value is not None]
        return progress_chart(
            title=f"{self.criterion.measure}: week by week since the return",
            points=points,
            baseline=self.baseline,
            target=self.criterion.target_value,
            target_label=self.criterion.target_label,
            chart_id=f"criterion-{self.criterion.pk}",
        )

    def rows(self) -> list[tuple[str, str]]:
        """The chart's figures as a table: the week (Monday) and the value, or 'No data yet'."""
        return [
            (f"w/c {week.start:%d/%m/%Y}", "No data yet" if week.value is None else measures.number(week.value))
            for week in self.evaluation.weeks
        ]


def plan_evidence(
    plan: ReintegrationPlan, *, criteria: Iterable[Criterion] | None = None, today: date | None = None
) -> dict[int, CriterionEvidence]:
    """The plan's criteria that are measured from data, evaluated since the return: 3 queries at most, plus one for
    the criteria when they are not given (pass the criteria already loaded with the goals)."""
    today = today or timezone.localdate()
    if criteria is None:
        criteria = Criterion.objects.filter(goal__plan=plan)
    criteria = [c for c in criteria if c.is_measured]
    suspension = plan.suspension
    if not criteria or suspension.return_date is None:
        return {}
    window_start = measures.monday(suspension.start_date) - timedelta(weeks=measures.BASELINE_WEEKS)
    events = [
        measures.EventRow(occurred_on=day, kind=kind, category=category, points=points)
        for day, kind, category, points in BehaviourEvent.objects.filter(
            pupil_id=plan.pupil_id, occurred_on__gte=window_start, occurred_on__lte=today
        ).values_list("occurred_on", "kind", "category", "points")
    ]
    attendance = [
        measures.AttendanceRow(week_start=week, possible=possible, attended=attended, late=late)
        for week, possible, attended, late in AttendanceWeek.objects.filter(
            pupil_id=plan.pupil_id, week_start__gte=window_start, week_start__lte=today
        ).values_list("week_start", "possible_sessions", "attended_sessions", "late_sessions")
    ]
    latest_import = BehaviourEvent.objects.filter(school_id=plan.school_id).aggregate(latest=Max("imported_at"))[
        "latest"
    ]
    data_until = timezone.localdate(latest_import) if latest_import else None
    found = {}
    for criterion in criteria:
        evaluation = measures.evaluate(
            criterion.source,
            returned_on=suspension.return_date,
            suspended_on=suspension.start_date,
            today=today,
            events=events,
            attendance=attendance,
            behaviour_data_until=data_until,
            category=criterion.source_category,
        )
        value = None if evaluation.value is None else Decimal(str(round(evaluation.value, 2)))
        found[criterion.pk] = CriterionEvidence(criterion, evaluation, criterion.is_met(value=value))
    return found


@dataclass(frozen=True)
class Mismatch:
    pupil_id: int
    pupil_name: str
    day: date
    session: str
    problem: str


def register_mismatches(school: School, *, start: date, end: date) -> list[Mismatch]:
    """Sessions marked E (suspended) in the register with no suspension recorded for them, and sessions of a
    recorded suspension that the register does not mark E. Only days for which the register was imported count."""
    marks = list(
        AttendanceMark.objects.filter(school=school, date__gte=start, date__lte=end)
        .select_related("pupil")
        .only(
            "pupil__legal_first_name",
            "pupil__legal_last_name",
            "pupil__preferred_first_name",
            "pupil__preferred_last_name",
            "date",
            "session",
            "code",
        )
    )
    by_session = {(m.pupil_id, m.date, m.session): m for m in marks}
    suspended: dict[tuple[int, date, str], str] = {}
    for suspension in Suspension.objects.filter(
        school=school, status=Suspension.Status.CONFIRMED, start_date__lte=end, last_day__gte=start
    ).select_related("pupil"):
        for day, session in suspension.occupied_sessions:
            moment = date.fromisoformat(day)
            if start <= moment <= end:
                suspended[(suspension.pupil_id, moment, session)] = suspension.pupil.display_name
    problems = []
    for key, marked in by_session.items():
        if marked.code.upper() == AttendanceMark.SUSPENDED and key not in suspended:
            problems.append(
                Mismatch(key[0], marked.pupil.display_name, key[1], key[2], "Marked E, but no suspension is recorded")
            )
    for key, name in suspended.items():
        mark = by_session.get(key)
        if mark is not None and mark.code.upper() != AttendanceMark.SUSPENDED:
            problems.append(
                Mismatch(key[0], name, key[1], key[2], f"Suspended, but the register says {mark.code}, not E")
            )
    return sorted(problems, key=lambda m: (m.day, m.pupil_name, m.session))

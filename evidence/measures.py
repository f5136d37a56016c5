"""Criteria measured from the school's own data: pure functions, plain values in, weekly figures out.

A criterion linked to a measure (plans.models.Criterion.Source) is evaluated over the plan's period, from the
pupil's return to today, week by week (Monday to Sunday):

- behaviour incidents per week, or incidents of one category per week, or behaviour points per week, or lates per
  week: the figure compared with the target is the **average per week** over the weeks since the return that have
  data; a week with no event is a week of zero, as long as the school's data reaches that week;
- attendance: the **percentage of possible sessions attended** since the return (attended / possible).

The baseline from the data is the same figure over the four weeks before the suspension began. No database and no
clock here: evidence/selectors.py reads the rows, and passes today.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

INCIDENTS = "incidents"
CATEGORY = "category"
POINTS = "points"
ATTENDANCE = "attendance"
LATES = "lates"
MEASURED = (INCIDENTS, CATEGORY, POINTS, ATTENDANCE, LATES)
BASELINE_WEEKS = 4

UNITS = {
    INCIDENTS: "incidents a week",
    CATEGORY: "incidents a week",
    POINTS: "behaviour points a week",
    ATTENDANCE: "% attendance",
    LATES: "lates a week",
}


@dataclass(frozen=True)
class EventRow:
    occurred_on: date
    kind: str  # evidence.models.BehaviourEvent.Kind
    category: str
    points: int


@dataclass(frozen=True)
class AttendanceRow:
    week_start: date
    possible: int
    attended: int
    late: int


@dataclass(frozen=True)
class Week:
    start: date  # the Monday
    value: float | None  # None: no data for that week yet


@dataclass(frozen=True)
class Evaluation:
    source: str
    weeks: tuple[Week, ...]
    value: float | None  # the figure compared with the target (None: no data since the return)
    baseline: float | None  # the same figure over the four weeks before the suspension
    since: date
    weeks_with_data: int

    @property
    def has_data(self) -> bool:
        return self.value is not None

    @property
    def unit(self) -> str:
        return UNITS[self.source]

    def summary(self) -> str:
        """'1.5 incidents a week on average over 3 weeks since 04/11/2026', or why there is no figure yet."""
        if self.value is None:
            return f"No data yet since {self.since:%d/%m/%Y}: import the school's {self._data_name()} to measure it."
        figure = number(self.value)
        weeks = f"{self.weeks_with_data} week{'' if self.weeks_with_data == 1 else 's'}"
        if self.source == ATTENDANCE:
            return f"{figure}% attendance over {weeks} since {self.since:%d/%m/%Y}"
        unit = self.unit.replace("incidents", "incident").replace("lates", "late") if figure == "1" else self.unit
        unit = unit.replace("points", "point") if figure in ("1", "-1") else unit
        return f"{figure} {unit} on average over {weeks} since {self.since:%d/%m/%Y}"

    def _data_name(self) -> str:
        return "attendance" if self.source == ATTENDANCE else "behaviour data"


def number(value: float) -> str:
    """2.0 -> '2', 1.5 -> '1.5', 95.4321 -> '95.4'."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def mondays(first: date, last: date) -> list[date]:
    """The Mondays of every week from the week of `first` to the week of `last`."""
    start, end = monday(first), monday(last)
    return [start + timedelta(weeks=n) for n in range((end - start).days // 7 + 1)] if end >= start else []


def _weekly_counts(
    events: Iterable[EventRow], weeks: Sequence[date], *, data_until: date | None, count: str, category: str = ""
) -> list[Week]:
    totals = dict.fromkeys(weeks, 0.0)
    for event in events:
        week = monday(event.occurred_on)
        if week not in totals:
            continue
        if count == POINTS:
            totals[week] += event.points
        elif event.kind == "incident" and (count != CATEGORY or event.category.casefold() == category.casefold()):
            totals[week] += 1
    return [Week(week, totals[week] if data_until is not None and week <= data_until else None) for week in weeks]


def _weekly_attendance(rows: Iterable[AttendanceRow], weeks: Sequence[date], *, lates: bool) -> list[Week]:
    by_week = {row.week_start: row for row in rows}
    result = []
    for week in weeks:
        row = by_week.get(week)
        if row is None or not row.possible:
            result.append(Week(week, None))
        else:
            result.append(Week(week, float(row.late) if lates else 100 * row.attended / row.possible))
    return result


def _figure(source: str, weeks: Sequence[Week], rows: Iterable[AttendanceRow]) -> tuple[float | None, int]:
    known = [week for week in weeks if week.value is not None]
    if not known:
        return None, 0
    if source == ATTENDANCE:
        starts = {week.start for week in known}
        chosen = [row for row in rows if row.week_start in starts and row.possible]
        possible = sum(row.possible for row in chosen)
        return (100 * sum(row.attended for row in chosen) / possible if possible else None), len(known)
    return sum(week.value for week in known if week.value is not None) / len(known), len(known)


def weekly(
    source: str,
    *,
    weeks: Sequence[date],
    events: Iterable[EventRow] = (),
    attendance: Iterable[AttendanceRow] = (),
    behaviour_data_until: date | None = None,
    category: str = "",
) -> list[Week]:
    if source in (ATTENDANCE, LATES):
        return _weekly_attendance(attendance, weeks, lates=source == LATES)
    return _weekly_counts(events, weeks, data_until=behaviour_data_until, count=source, category=category)


def evaluate(
    source: str,
    *,
    returned_on: date,
    suspended_on: date,
    today: date,
    events: Sequence[EventRow] = (),
    attendance: Sequence[AttendanceRow] = (),
    behaviour_data_until: date | None = None,
    category: str = "",
) -> Evaluation:
    """The criterion's figure since the return, week by week, and the baseline before the suspension."""
    if source not in MEASURED:
        raise ValueError(f"{source!r} is not measured from data")
    # The weeks before the suspension's week, for the baseline; the weeks from the return's week to today's.
    before = [monday(suspended_on) - timedelta(weeks=n) for n in range(BASELINE_WEEKS, 0, -1)]
    since = mondays(returned_on, today) if today >= returned_on else []

    def series(starts: Sequence[date]) -> list[Week]:
        return weekly(
            source,
            weeks=starts,
            events=events,
            attendance=attendance,
            behaviour_data_until=behaviour_data_until,
            category=category,
        )

    weeks, base_weeks = series(since), series(before)
    value, counted = _figure(source, weeks, attendance)
    baseline, _ = _figure(source, base_weeks, attendance)
    return Evaluation(
        source=source,
        weeks=tuple(weeks),
        value=value,
        baseline=baseline,
        since=returned_on,
        weeks_with_data=counted,
    )

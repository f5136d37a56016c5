"""Criteria measured from the school's data: the weekly figures, the figure compared with the target, the baseline.

Pure functions, no database. Weeks run Monday to Sunday; the return here is Wednesday 11/11/2026.
"""

from __future__ import annotations

from datetime import date

import pytest

from evidence import measures
from evidence.measures import AttendanceRow, EventRow

SUSPENDED = date(2026, 11, 9)  # Monday
RETURNED = date(2026, 11, 11)  # Wednesday
TODAY = date(2026, 11, 25)  # Wednesday, two weeks later


def incident(day: date, category: str = "Disruption", points: int = -1) -> EventRow:
    return EventRow(occurred_on=day, kind="incident", category=category, points=points)


def evaluate(source: str, **kwargs):
    return measures.evaluate(source, returned_on=RETURNED, suspended_on=SUSPENDED, today=TODAY, **kwargs)


def test_weeks_run_from_the_week_of_the_return_to_this_week():
    result = evaluate(measures.INCIDENTS, behaviour_data_until=TODAY)

    assert [week.start for week in result.weeks] == [date(2026, 11, 9), date(2026, 11, 16), date(2026, 11, 23)]


def test_incidents_a_week_are_averaged_over_the_weeks_with_data_and_a_quiet_week_counts_as_zero():
    events = [incident(date(2026, 11, 12)), incident(date(2026, 11, 13)), incident(date(2026, 11, 24))]

    result = evaluate(measures.INCIDENTS, events=events, behaviour_data_until=TODAY)

    assert [week.value for week in result.weeks] == [2, 0, 1]
    assert result.value == 1
    assert result.summary() == "1 incident a week on average over 3 weeks since 11/11/2026"


def test_weeks_after_the_latest_import_have_no_data_rather_than_zero():
    events = [incident(date(2026, 11, 12))]

    result = evaluate(measures.INCIDENTS, events=events, behaviour_data_until=date(2026, 11, 16))

    assert [week.value for week in result.weeks] == [1, 0, None]
    assert result.value == 0.5
    assert result.weeks_with_data == 2


def test_without_any_behaviour_data_there_is_no_figure_and_the_summary_says_what_to_import():
    result = evaluate(measures.INCIDENTS, behaviour_data_until=None)

    assert result.value is None
    assert not result.has_data
    assert result.summary() == "No data yet since 11/11/2026: import the school's behaviour data to measure it."


def test_one_category_counts_only_incidents_of_that_category_whatever_the_case():
    events = [incident(date(2026, 11, 12), "Disruption"), incident(date(2026, 11, 12), "Lateness")]

    result = evaluate(measures.CATEGORY, events=events, behaviour_data_until=TODAY, category="disruption")

    assert result.weeks[0].value == 1


def test_achievements_are_not_incidents_but_their_points_count():
    events = [incident(date(2026, 11, 12), points=-3), EventRow(date(2026, 11, 12), "achievement", "Praise", 2)]

    assert evaluate(measures.INCIDENTS, events=events, behaviour_data_until=TODAY).weeks[0].value == 1
    assert evaluate(measures.POINTS, events=events, behaviour_data_until=TODAY).weeks[0].value == -1


def test_attendance_is_attended_over_possible_since_the_return_not_an_average_of_weeks():
    rows = [AttendanceRow(date(2026, 11, 9), 6, 6, 0), AttendanceRow(date(2026, 11, 16), 10, 8, 2)]

    result = evaluate(measures.ATTENDANCE, attendance=rows)

    assert [week.value for week in result.weeks] == [100, 80, None]
    assert result.value == pytest.approx(100 * 14 / 16)
    assert result.summary() == "87.5% attendance over 2 weeks since 11/11/2026"


def test_lates_a_week_come_from_the_attendance_rows():
    rows = [AttendanceRow(date(2026, 11, 9), 6, 6, 1), AttendanceRow(date(2026, 11, 16), 10, 10, 3)]

    assert evaluate(measures.LATES, attendance=rows).value == 2


def test_the_baseline_is_the_four_weeks_before_the_week_of_the_suspension():
    before = [incident(date(2026, 10, 13)), incident(date(2026, 10, 14)), incident(date(2026, 11, 2))]
    too_early = [incident(date(2026, 10, 5))]  # five weeks before: not in the baseline

    result = evaluate(measures.INCIDENTS, events=before + too_early, behaviour_data_until=TODAY)

    assert result.baseline == pytest.approx(3 / 4)


def test_a_return_in_the_future_has_no_weeks_yet():
    result = measures.evaluate(
        measures.INCIDENTS,
        returned_on=date(2026, 12, 1),
        suspended_on=SUSPENDED,
        today=TODAY,
        behaviour_data_until=TODAY,
    )

    assert result.weeks == ()
    assert result.value is None


def test_a_manual_criterion_is_not_measured_from_data():
    with pytest.raises(ValueError, match="not measured from data"):
        evaluate("manual")


@pytest.mark.parametrize(("value", "text"), [(2.0, "2"), (1.5, "1.5"), (95.4321, "95.4"), (0.04, "0")])
def test_figures_are_written_as_staff_say_them(value, text):
    assert measures.number(value) == text

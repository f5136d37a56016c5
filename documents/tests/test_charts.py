"""The progress chart: values seen at each review against the baseline and a dashed target, as inline SVG."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date
from decimal import Decimal

from documents.charts import number_label, progress_chart

SVG = "{http://www.w3.org/2000/svg}"
POINTS = [(date(2026, 11, 13), Decimal("3")), (date(2026, 11, 18), Decimal("1"))]


def _chart(**overrides):
    fields = {
        "title": "Progress: On-call logs per week",
        "points": POINTS,
        "baseline": Decimal("5"),
        "target": Decimal("1"),
        "target_label": "at most 1",
        "chart_id": "criterion-7",
    }
    fields.update(overrides)
    return progress_chart(**fields)


def _tree(svg):
    return ET.fromstring(svg)  # noqa: S314 - our own output, not untrusted input


def _texts(svg):
    return ["".join(node.itertext()) for node in _tree(svg).iter(f"{SVG}text")]


def _value_axis(svg):
    """The numbers along the value axis (right-aligned against it)."""
    return [float(node.text) for node in _tree(svg).iter(f"{SVG}text") if node.get("text-anchor") == "end"]


def test_the_chart_is_an_image_with_a_title_and_a_description_for_screen_readers():
    root = _tree(_chart())
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "criterion-7-title criterion-7-desc"
    assert root.find(f"{SVG}title").text == "Progress: On-call logs per week"
    assert root.find(f"{SVG}title").get("id") == "criterion-7-title"
    assert root.find(f"{SVG}desc").text == (
        "Baseline 5. Target at most 1. Seen at each review: 3 on 13/11/2026, 1 on 18/11/2026."
    )


def test_each_review_is_a_dot_labelled_with_its_value_and_its_day_as_dd_mm():
    svg = _chart()
    texts = _texts(svg)
    assert "13/11" in texts
    assert "18/11" in texts
    assert "3" in texts
    assert "1" in texts
    assert len(list(_tree(svg).iter(f"{SVG}circle"))) == 2
    assert len(list(_tree(svg).iter(f"{SVG}polyline"))) == 1


def test_a_higher_value_is_drawn_higher_on_the_chart():
    dots = [float(circle.get("cy")) for circle in _tree(_chart()).iter(f"{SVG}circle")]
    assert dots[0] < dots[1]  # 3 is above 1: SVG's y grows downwards


def test_the_target_line_is_dashed_and_the_baseline_is_solid_with_a_legend_naming_both():
    root = _tree(_chart())
    lines = list(root.iter(f"{SVG}line"))
    dashed = [line for line in lines if line.get("stroke-dasharray")]
    assert len(dashed) == 2  # the target line and its sample in the legend
    assert "Target: at most 1" in _texts(_chart())
    assert "Baseline: 5" in _texts(_chart())
    assert "At each review" in _texts(_chart())


def test_the_target_and_the_baseline_are_drawn_at_their_values():
    root = _tree(_chart())
    dashed_y = {line.get("y1") for line in root.iter(f"{SVG}line") if line.get("stroke-dasharray")}
    dot_at_one = [circle.get("cy") for circle in root.iter(f"{SVG}circle")][1]
    assert dot_at_one in dashed_y  # the second review's 1 sits on the target line of 1


def test_the_points_are_put_in_date_order_whatever_order_they_come_in():
    assert _texts(_chart(points=list(reversed(POINTS)))) == _texts(_chart())


def test_text_typed_by_staff_is_escaped_and_never_becomes_markup():
    svg = _chart(title='Fights <script>alert("x")</script> & "so on"', target_label="<b>at most</b> 1")
    assert "<script" not in svg
    assert "<b>" not in svg
    assert "&lt;script&gt;" in svg
    root = _tree(svg)  # still well-formed XML
    assert root.find(f"{SVG}title").text == 'Fights <script>alert("x")</script> & "so on"'
    assert "Target: <b>at most</b> 1" in _texts(svg)


def test_an_id_with_quotes_cannot_break_out_of_its_attribute():
    svg = _chart(chart_id='x" onload="alert(1)')
    assert 'onload="' not in svg
    assert _tree(svg).get("aria-labelledby") == 'x" onload="alert(1)-title x" onload="alert(1)-desc'


def test_one_review_is_a_single_dot_in_the_middle_with_no_line():
    svg = _chart(points=POINTS[:1])
    root = _tree(svg)
    assert list(root.iter(f"{SVG}polyline")) == []
    (dot,) = list(root.iter(f"{SVG}circle"))
    assert float(dot.get("cx")) == (52 + 560 - 20) / 2


def test_a_chart_with_no_review_yet_still_shows_the_baseline_and_the_target_and_says_so():
    svg = _chart(points=[])
    assert list(_tree(svg).iter(f"{SVG}circle")) == []
    assert "Not measured at a review yet." in _tree(svg).find(f"{SVG}desc").text
    assert "Target: at most 1" in _texts(svg)


def test_the_value_axis_starts_at_zero_and_ends_on_a_round_number_above_every_value():
    svg = _chart(points=[(date(2026, 11, 13), Decimal("47"))], baseline=40, target=80)
    assert min(_value_axis(svg)) == 0
    assert max(_value_axis(svg)) == 80
    assert _value_axis(svg) == sorted(_value_axis(svg))


def test_values_below_zero_extend_the_axis_below_zero():
    svg = _chart(points=[(date(2026, 11, 13), Decimal("-3"))], baseline=0, target=2, target_label="at least 2")
    assert min(_value_axis(svg)) <= -3
    (dot,) = [float(circle.get("cy")) for circle in _tree(svg).iter(f"{SVG}circle")]
    assert dot <= 210 - 64  # inside the plot, above the date axis


def test_numbers_are_written_plainly():
    assert number_label(Decimal("5.00")) == "5"
    assert number_label(Decimal("2.50")) == "2.5"
    assert number_label(0.333333) == "0.33"
    assert number_label(12) == "12"
    assert number_label(Decimal("-0.00")) == "0"

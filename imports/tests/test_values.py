"""How the framework reads the values MIS exports write: dates, yes or no, whole numbers, and headings."""

from __future__ import annotations

import re
from datetime import date

import pytest

from imports.framework import normalise_heading, parse_date, parse_whole_number, parse_yes_no


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("27/11/2026", date(2026, 11, 27)),
        ("7/1/2026", date(2026, 1, 7)),
        ("27-11-2026", date(2026, 11, 27)),
        ("27.11.2026", date(2026, 11, 27)),
        ("2026-11-27", date(2026, 11, 27)),
        ("2026-11-27 00:00:00", date(2026, 11, 27)),
        ("2026-11-27T09:30:00Z", date(2026, 11, 27)),
        ("29/02/2028", date(2028, 2, 29)),
        (" 01/09/2026 ", date(2026, 9, 1)),
    ],
)
def test_dates_are_read_day_first_or_as_iso(text, day):
    assert parse_date(text) == day


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("29/02/2027", "29/02/2027 is not a real date (dates are day/month/year, for example 27/11/2026)"),
        ("11/27/2026", "11/27/2026 is not a real date (dates are day/month/year, for example 27/11/2026)"),
        (
            "27/11/26",
            "27/11/26 has a two-digit year: write the year in full, as day/month/year, for example 27/11/2026",
        ),
        ("next Tuesday", "'next Tuesday' is not a date: write it as day/month/year, for example 27/11/2026"),
        ("20261127", "'20261127' is not a date: write it as day/month/year, for example 27/11/2026"),
    ],
)
def test_dates_that_are_not_real_or_ambiguous_are_refused_with_the_reason(text, message):
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        parse_date(text)


@pytest.mark.parametrize(
    ("text", "value"),
    [("Y", True), ("yes", True), ("TRUE", True), ("1", True), ("N", False), ("No", False), ("", False), ("F", False)],
)
def test_yes_and_no_are_read_in_the_usual_ways(text, value):
    assert parse_yes_no(text) is value


def test_anything_else_is_not_yes_or_no():
    with pytest.raises(ValueError, match="'maybe' is not yes or no: write Y or N"):
        parse_yes_no("maybe")


@pytest.mark.parametrize(("text", "number"), [("-1000", -1000), ("1000", 1000), ("2.0", 2), ("1,000", 1000)])
def test_whole_numbers_at_the_limits_are_accepted(text, number):
    assert parse_whole_number(text, minimum=-1000, maximum=1000) == number


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("-1001", "-1001 is out of range: it must be from -1000 to 1000"),
        ("1001", "1001 is out of range: it must be from -1000 to 1000"),
        ("2.5", "2.5 is not a whole number"),
        ("two", "'two' is not a whole number"),
        ("1e309", "'1e309' is not a whole number"),
    ],
)
def test_numbers_beyond_the_limits_or_not_whole_are_refused(text, message):
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        parse_whole_number(text, minimum=-1000, maximum=1000)


def test_headings_match_whatever_their_case_spaces_and_punctuation():
    assert (
        normalise_heading("Legal Surname") == normalise_heading("legal_surname") == normalise_heading(" LEGAL-SURNAME")
    )

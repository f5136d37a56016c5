"""The UPN check letter: DfE's weighted sum modulo 23, letters A-Z without I, O and S."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from pupils.models import Pupil
from pupils.validators import upn_check_letter, validate_upn
from testsupport.factories import PupilFactory, make_upn


def error_code(value: str) -> str:
    with pytest.raises(ValidationError) as caught:
        validate_upn(value)
    return caught.value.code or ""


def test_a_known_upn_computed_by_hand_is_valid():
    # Body 123456789012, weights 2..13: 2+6+12+20+30+42+56+72+90+0+12+26 = 368 = 16 x 23, remainder 0 -> A.
    assert upn_check_letter("123456789012") == "A"
    validate_upn("A123456789012")


@pytest.mark.parametrize("n", [0, 1, 7, 42, 99, 123, 999])
def test_upns_made_by_the_factory_helper_are_valid(n):
    upn = make_upn(n)
    assert len(upn) == 13
    validate_upn(upn)


def test_a_wrong_check_letter_is_refused_with_a_message_saying_what_to_check():
    with pytest.raises(ValidationError, match="check letter does not match"):
        validate_upn("B123456789012")


@pytest.mark.parametrize("value", ["A12345678901", "A1234567890123", "", "A"])
def test_a_upn_of_the_wrong_length_is_refused(value):
    assert error_code(value) == "upn_length"


@pytest.mark.parametrize("letter", ["I", "O", "S"])
def test_the_letters_i_o_and_s_are_never_check_letters(letter):
    assert error_code(f"{letter}123456789012") == "upn_letter"


@pytest.mark.parametrize("letter", ["I", "O", "S"])
def test_a_temporary_upn_cannot_end_in_i_o_or_s(letter):
    assert error_code(f"A12345678901{letter}") == "upn_characters"


def test_a_letter_among_the_digits_is_refused():
    assert error_code("A12345X789012") == "upn_characters"


def test_lowercase_and_spaces_are_normalised_before_checking():
    validate_upn(" a123 4567 89012 ")


def test_a_pupil_saved_with_a_lowercase_spaced_upn_is_stored_in_capitals(school):
    pupil = PupilFactory(school=school, upn="a1234 5678 9012")
    pupil.refresh_from_db()
    assert pupil.upn == "A123456789012"
    assert Pupil.objects.filter(upn="A123456789012").exists()


def test_a_temporary_upn_ending_in_a_letter_is_valid():
    # Body 12345678901A: 2+6+12+20+30+42+56+72+90+0+12 + (A=0)x13 = 342; 342 mod 23 = 20 -> X.
    assert upn_check_letter("12345678901A") == "X"
    validate_upn("X12345678901A")


def test_a_temporary_upn_with_the_wrong_check_letter_is_refused():
    assert error_code("A12345678901A") == "upn_check_letter"

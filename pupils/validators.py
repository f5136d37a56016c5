"""The DfE unique pupil number (UPN): 13 characters, the first a check letter.

Algorithm (DfE "Unique pupil numbers (UPN)" guidance, appendix on the check letter):
multiply the characters in positions 2 to 13 by weights 2 to 13, add the products, take the remainder
after dividing by 23, and map 0-22 to the letters A-Z without I, O and S. Positions 2-4 are the LA
number, 5-8 the establishment number, 9-10 the year of allocation, 11-12 a serial number; position 13
is a digit, or a letter for a temporary UPN.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError

CHECK_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"  # 23 letters: no I, O or S
_LETTER_VALUES = {letter: index for index, letter in enumerate(CHECK_LETTERS)}


def upn_check_letter(body: str) -> str:
    """The check letter for the last 12 characters of a UPN."""
    if len(body) != 12:
        raise ValueError("A UPN body has 12 characters.")
    total = 0
    for weight, char in enumerate(body, start=2):
        if char.isdigit():
            value = int(char)
        elif char in _LETTER_VALUES:
            value = _LETTER_VALUES[char]
        else:
            raise ValueError(f"{char!r} cannot appear in a UPN.")
        total += value * weight
    return CHECK_LETTERS[total % 23]


def normalise_upn(value: str) -> str:
    return "".join(value.split()).upper()


def validate_upn(value: str) -> None:
    upn = normalise_upn(value)
    if len(upn) != 13:
        raise ValidationError("A UPN has 13 characters, for example A123456789012.", code="upn_length")
    if upn[0] not in _LETTER_VALUES:
        raise ValidationError("A UPN starts with a check letter (A to Z, but not I, O or S).", code="upn_letter")
    if not upn[1:12].isdigit() or not (upn[12].isdigit() or upn[12] in _LETTER_VALUES):
        raise ValidationError(
            "After the check letter a UPN has 11 digits, then a digit or a letter.", code="upn_characters"
        )
    if upn_check_letter(upn[1:]) != upn[0]:
        raise ValidationError(
            "This UPN's check letter does not match its digits. Check it against the pupil's record in your MIS.",
            code="upn_check_letter",
        )

"""CURP and RFC: shape, check digit, what they encode (resolve/identifiers.py)."""

from __future__ import annotations

from datetime import date

from tearline.resolve.identifiers import (
    curp_check_digit,
    normalize_passport,
    parse_curp,
    parse_rfc,
    rfc_check_character,
)

CURP = "MAHJ280603MSPRRV09"  # a CURP whose check digit holds


def test_a_valid_curp_gives_birth_date_sex_and_state() -> None:
    curp = parse_curp(CURP.lower())
    assert curp is not None and curp.valid
    assert (curp.birth_date, curp.sex, curp.state) == (date(1928, 6, 3), "M", "SP")


def test_a_curp_with_a_wrong_check_digit_is_read_but_not_valid() -> None:
    wrong = CURP[:17] + str((int(CURP[17]) + 1) % 10)
    curp = parse_curp(wrong)
    assert curp is not None and not curp.valid
    assert curp_check_digit(CURP[:17]) == CURP[17]


def test_a_letter_homoclave_means_born_after_2000_and_a_bad_state_is_invalid() -> None:
    first = "GOMJ050102HDFRRNA"
    curp = parse_curp(first + curp_check_digit(first))
    assert curp is not None and curp.valid and curp.birth_date == date(2005, 1, 2)
    bad_state = "GOMJ050102HQQRRNA"
    read = parse_curp(bad_state + curp_check_digit(bad_state))
    assert read is not None and not read.valid


def test_not_a_curp_at_all() -> None:
    assert parse_curp("12345") is None


def test_rfc_check_character_and_birth_date() -> None:
    rfc = "GODE561231GR8"
    assert rfc_check_character(rfc[:12]) == "8"
    assert parse_rfc(rfc) == (rfc, date(1956, 12, 31), True)
    read = parse_rfc("GODE561231GR9")
    assert read is not None and read[2] is False


def test_passport_numbers_compare_without_spaces_or_dashes() -> None:
    assert normalize_passport(" g-123 456 ") == "G123456"

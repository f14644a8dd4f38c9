"""Resident ID numbers (GB 11643-1999): check character, 15-to-18 conversion, rejections."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from frontdesk.domain.idcard import birth_of, check_char, gender_of, make_id, normalise
from frontdesk.errors import UserError

TODAY = date(2026, 11, 26)
JIANGMEN = ("440703", "440704", "440705", "440781", "440783", "440784", "440785")
ALLOWED = "0123456789X"

address_codes = st.one_of(
    st.sampled_from(JIANGMEN),
    st.sampled_from(("810000", "820000", "830000")),  # HK / Macao / Taiwan residence permits
    st.from_regex(r"[0-9]{6}", fullmatch=True),  # unknown codes are not rejected
)
births = st.dates(min_value=date(1900, 1, 1), max_value=TODAY)
sequences = st.integers(min_value=0, max_value=999)


def _code(raw: str) -> str:
    with pytest.raises(UserError) as caught:
        normalise(raw, TODAY)
    assert caught.value.field == "id_number"
    return caught.value.code


def test_standard_example_is_valid() -> None:
    assert check_char("11010519491231002") == "X"
    assert normalise("11010519491231002X", TODAY) == "11010519491231002X"


def test_lower_case_x_and_spaces_are_normalised() -> None:
    assert normalise(" 11010519491231002x ", TODAY) == "11010519491231002X"


def test_full_width_input_is_accepted() -> None:
    assert normalise("１１０１０５１９４９１２３１００２ｘ", TODAY) == "11010519491231002X"


def test_gender_and_birth_come_from_the_number() -> None:
    assert gender_of("11010519491231002X") == "F"  # 17th digit 2: even
    assert birth_of("11010519491231002X") == date(1949, 12, 31)
    assert gender_of(make_id("440703", date(1990, 5, 1), 123)) == "M"


def test_fifteen_digits_convert_to_eighteen() -> None:
    # 440703 800101 123 -> 440703 19800101 123 + check. By hand, digits x weights:
    # 4*7 + 4*9 + 0*10 + 7*5 + 0*8 + 3*4 + 1*2 + 9*1 + 8*6 + 0*3 + 0*7 + 1*9 + 0*10
    #   + 1*5 + 1*8 + 2*4 + 3*2 = 206; 206 mod 11 = 8; "10X98765432"[8] = "4".
    assert normalise("440703800101123", TODAY) == "440703198001011234"


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("", "id.length"),
        ("4407031980010112", "id.length"),
        ("4407031980010112345", "id.length"),
        ("44070319800101123A", "id.chars"),
        ("4407031980X101123X", "id.chars"),
        ("44070380010112X", "id.chars"),  # no check character in a 15-digit number
        ("440703199902301234", "id.birth_date"),  # 30 February
        ("440703199913011234", "id.birth_date"),
        ("440703000229123", "id.birth_date"),  # 1900 was not a leap year
        ("440703198001011235", "id.check"),
    ],
)
def test_bad_numbers_are_rejected(raw: str, code: str) -> None:
    assert _code(raw) == code


def test_february_30_rejected_even_with_a_matching_check() -> None:
    first17 = "44070319990230123"
    assert _code(first17 + check_char(first17)) == "id.birth_date"


def test_future_birth_date_rejected_today_accepted() -> None:
    assert _code(make_id("440703", TODAY + timedelta(days=1), 1)) == "id.birth_date"
    assert normalise(make_id("440703", TODAY, 1), TODAY).startswith("44070320261126")


@given(address_codes, births, sequences)
def test_made_numbers_are_accepted(code: str, birth: date, sequence: int) -> None:
    number = make_id(code, birth, sequence)
    assert normalise(number, TODAY) == number
    assert normalise(number.lower(), TODAY) == number
    assert birth_of(number) == birth
    assert gender_of(number) == ("M" if sequence % 2 else "F")


@given(
    address_codes,
    births,
    sequences,
    st.integers(min_value=0, max_value=17),
    st.sampled_from(ALLOWED),
)
def test_any_single_change_is_rejected(
    code: str, birth: date, sequence: int, position: int, char: str
) -> None:
    number = make_id(code, birth, sequence)
    if number[position] == char:
        char = ALLOWED[(ALLOWED.index(char) + 1) % len(ALLOWED)]
    changed = number[:position] + char + number[position + 1 :]
    with pytest.raises(UserError):
        normalise(changed, TODAY)


def test_make_id_refuses_bad_parts() -> None:
    with pytest.raises(ValueError):
        make_id("4407", date(1990, 1, 1), 1)
    with pytest.raises(ValueError):
        make_id("440703", date(1990, 1, 1), 1000)

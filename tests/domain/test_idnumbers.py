"""ID numbers: normalisation, hard errors, 15→18, Excel damage, cross-checks."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum.cn import ric

from clinic.core.errors import IdNumberError
from clinic.core.idnumbers import (
    IdNumber,
    check_against,
    check_character,
    normalise_id,
    parse_id,
    upgrade_15,
)
from clinic.i18n import set_language

TODAY = date(2025, 6, 1)
QIJIANG_CODES = ["510223", "500222", "500110"]


def make_id(area: str, born: date, seq: int) -> str:
    """A synthetic 18-digit number with a correct check character."""
    first17 = f"{area}{born:%Y%m%d}{seq:03d}"
    return first17 + ric.calc_check_digit(first17 + "0")


# --- concrete cases -------------------------------------------------------


def test_known_check_characters():
    # Verified against the ISO 7064 MOD 11-2 definition via stdnum.
    assert check_character("11010519491231002") == "X"
    assert make_id("500110", date(1969, 11, 26), 964)[-1] == ric.calc_check_digit(
        make_id("500110", date(1969, 11, 26), 964)
    )
    assert ric.is_valid("11010519491231002X")


@pytest.mark.parametrize("area", QIJIANG_CODES)
def test_qijiang_area_codes_accepted_at_any_birth_year(area):
    # stdnum's validate() rejects e.g. 500110 for people born before 2011.
    number = make_id(area, date(1938, 3, 5), 123)
    idn = parse_id(number, today=TODAY)
    assert idn == IdNumber(number, None, date(1938, 3, 5), "M", area)


def test_unknown_area_code_is_not_an_error():
    number = make_id("999999", date(1980, 1, 1), 2)
    assert parse_id(number, today=TODAY).area_code == "999999"


def test_sex_from_sequence():
    assert parse_id(make_id("500222", date(1950, 2, 28), 1), today=TODAY).sex == "M"
    assert parse_id(make_id("500222", date(1950, 2, 28), 2), today=TODAY).sex == "F"


def test_lower_case_x_fullwidth_spaces_hyphens():
    number = "11010519491231002X"
    assert parse_id("110105 1949-1231 002x", today=TODAY).number == number
    assert parse_id("１１０１０５１９４９１２３１００２ｘ", today=TODAY).number == number
    assert normalise_id(" 110105－19491231－002x\t") == number


@pytest.mark.parametrize(
    "text,kind",
    [
        ("", "length"),
        ("   ", "length"),
        ("5001101969112696", "length"),
        ("5001101969112696461", "length"),
        ("50011019691126964A", "characters"),
        ("5001101969112X9646", "characters"),
        ("50011019691126964.", "characters"),
        ("50011X691126964", "characters"),
    ],
)
def test_shape_errors(text, kind):
    with pytest.raises(IdNumberError) as err:
        parse_id(text, today=TODAY)
    assert err.value.kind == kind
    assert err.value.message


@pytest.mark.parametrize("digits", ["19690230", "19691301", "19690001", "20230229"])
def test_impossible_birth_date(digits):
    first17 = f"500110{digits}964"
    number = first17 + ric.calc_check_digit(first17 + "0")
    with pytest.raises(IdNumberError) as err:
        parse_id(number, today=TODAY)
    assert err.value.kind == "birth_date"
    assert digits[:4] in err.value.message


def test_future_and_too_early_birth_dates():
    with pytest.raises(IdNumberError) as err:
        parse_id(make_id("500110", TODAY + timedelta(days=1), 1), today=TODAY)
    assert err.value.kind == "birth_date"
    assert "future" in err.value.message
    with pytest.raises(IdNumberError) as err:
        parse_id(make_id("500110", date(1889, 12, 31), 1), today=TODAY)
    assert err.value.kind == "birth_date"
    assert parse_id(make_id("500110", date(1890, 1, 1), 1), today=TODAY)
    assert parse_id(make_id("500110", TODAY, 1), today=TODAY)


def test_wrong_check_character():
    number = make_id("500110", date(1969, 11, 26), 964)
    wrong = number[:-1] + ("1" if number[-1] != "1" else "2")
    with pytest.raises(IdNumberError) as err:
        parse_id(wrong, today=TODAY)
    assert err.value.kind == "check"
    assert wrong not in err.value.message  # the full number is not echoed


def test_fifteen_digit_conversion():
    old = "500222691126964"
    idn = parse_id(old, today=TODAY)
    assert idn.old == old
    assert idn.number == make_id("500222", date(1969, 11, 26), 964)
    assert idn.birth_date == date(1969, 11, 26)
    assert idn.sex == "F"
    assert idn.area_code == "500222"
    assert ric.calc_check_digit(idn.number) == idn.number[-1]


def test_fifteen_digit_impossible_date():
    with pytest.raises(IdNumberError) as err:
        parse_id("500222690230964", today=TODAY)
    assert err.value.kind == "birth_date"


@pytest.mark.parametrize(
    "text",
    [
        "5.00222E+17",
        "5.00110196911269E+17",
        "5.00110196911269e+17",
        "5.0011E17",
        " 5.00222E+17 ",
        "500110196911269646.0",
    ],
)
def test_excel_scientific_notation(text):
    with pytest.raises(IdNumberError) as err:
        parse_id(text, today=TODAY)
    assert err.value.kind == "excel"
    assert "Excel" in err.value.message


def test_excel_trailing_zeros():
    number = make_id("500110", date(1969, 11, 26), 964)
    damaged = number[:15] + "000"
    assert ric.calc_check_digit(damaged) != "0"  # damage is detectable here
    with pytest.raises(IdNumberError) as err:
        parse_id(damaged, today=TODAY)
    assert err.value.kind == "excel"


def test_valid_number_ending_000_is_accepted():
    # Some real numbers end in 000 legitimately (sequence x00, check 0).
    found = 0
    for day in range(60):
        for seq in range(0, 1000, 100):
            number = make_id("500110", date(1970, 1, 1) + timedelta(days=day), seq)
            if number.endswith("000"):
                assert parse_id(number, today=TODAY).number == number
                found += 1
    assert found


def test_check_against():
    idn = parse_id(make_id("500110", date(1969, 11, 26), 964), today=TODAY)  # F
    assert check_against(idn, "F", date(1969, 11, 26)) == []
    assert check_against(idn, None, None) == []
    assert check_against(idn, "女", None) == []
    messages = check_against(idn, "M", date(1969, 11, 27))
    assert len(messages) == 2
    assert "female" in messages[0] and "male" in messages[0]
    assert "1969-11-26" in messages[1] and "1969-11-27" in messages[1]
    assert check_against(idn, "??", None) == []  # the sex column has its own check


def test_messages_in_chinese():
    set_language("zh")
    idn = parse_id(make_id("500110", date(1969, 11, 26), 964), today=TODAY)
    messages = check_against(idn, "M", None)
    assert messages == ["身份证号显示性别为女，但性别栏填的是男。"]
    with pytest.raises(IdNumberError) as err:
        parse_id("5.00222E+17", today=TODAY)
    assert "Excel" in err.value.message and "文本" in err.value.message
    with pytest.raises(IdNumberError) as err:
        parse_id("123", today=TODAY)
    assert "18" in err.value.message and "身份证号" in err.value.message


# --- properties ----------------------------------------------------------

areas = st.one_of(
    st.sampled_from(QIJIANG_CODES),
    st.integers(110000, 999999).map(str),
)
births = st.dates(min_value=date(1900, 1, 1), max_value=date(2025, 5, 31))
sequences = st.integers(0, 999)


@settings(max_examples=200)
@given(areas, births, sequences)
def test_valid_numbers_parse_and_round_trip(area, born, seq):
    number = make_id(area, born, seq)
    idn = parse_id(number, today=TODAY)
    assert idn.number == number
    assert idn.old is None
    assert idn.birth_date == born
    assert idn.sex == ("M" if seq % 2 else "F")
    assert idn.area_code == area


def _fullwidth(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if c.isalnum() else c for c in text)


@settings(max_examples=200)
@given(areas, births, sequences, st.data())
def test_survives_typing_noise(area, born, seq, data):
    number = make_id(area, born, seq)
    noisy = number.lower()
    if data.draw(st.booleans()):
        noisy = _fullwidth(noisy)
    # Insert spaces or hyphens at random positions.
    cuts = sorted(data.draw(st.lists(st.integers(0, 18), max_size=4)))
    seps = data.draw(
        st.lists(st.sampled_from([" ", "-", "　", "\t", "－"]), min_size=4, max_size=4)
    )
    parts, last = [], 0
    for i, cut in enumerate(cuts):
        parts += [noisy[last:cut], seps[i]]
        last = cut
    parts.append(noisy[last:])
    assert parse_id("".join(parts), today=TODAY).number == number


@settings(max_examples=200)
@given(areas, births, sequences, st.integers(0, 17), st.integers(1, 10))
def test_any_single_character_change_is_rejected(area, born, seq, pos, delta):
    number = make_id(area, born, seq)
    alphabet = "0123456789X" if pos == 17 else "0123456789"
    old = alphabet.index(number[pos])
    changed = alphabet[(old + delta) % len(alphabet)]
    if changed == number[pos]:
        return
    mutated = number[:pos] + changed + number[pos + 1 :]
    with pytest.raises(IdNumberError):
        parse_id(mutated, today=TODAY)


@settings(max_examples=200)
@given(areas, st.dates(min_value=date(1900, 1, 1), max_value=date(1999, 12, 31)), sequences)
def test_fifteen_to_eighteen(area, born, seq):
    old = f"{area}{born:%y%m%d}{seq:03d}"
    idn = parse_id(old, today=TODAY)
    assert idn.old == old
    assert idn.number == make_id(area, born, seq) == upgrade_15(old)
    assert idn.birth_date == born
    assert idn.sex == ("M" if seq % 2 else "F")
    # The converted number is itself valid.
    assert parse_id(idn.number, today=TODAY).number == idn.number


@settings(max_examples=200)
@given(areas, births, sequences)
def test_excel_damage_is_caught_unless_the_checksum_happens_to_fit(area, born, seq):
    number = make_id(area, born, seq)
    damaged = number[:15] + "000"
    scientific = f"{int(number[:15] + '000'):.14E}"
    with pytest.raises(IdNumberError) as err:
        parse_id(scientific, today=TODAY)
    assert err.value.kind == "excel"
    if ric.calc_check_digit(damaged) == "0":
        # 1 in 11 damaged numbers is itself a valid number: undetectable.
        assert parse_id(damaged, today=TODAY).number == damaged
    else:
        with pytest.raises(IdNumberError) as err:
            parse_id(damaged, today=TODAY)
        assert err.value.kind == "excel"

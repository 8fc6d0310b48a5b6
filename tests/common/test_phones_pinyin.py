"""Phone normalisation and pinyin search keys (common/)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from common.phones import normalize_phone
from common.pinyin import pinyin_keys


@pytest.mark.parametrize(
    ("raw", "normal"),
    [
        ("13812345678", "13812345678"),
        ("138 1234 5678", "13812345678"),
        ("+86 138-1234-5678", "13812345678"),
        ("１３８１２３４５６７８", "13812345678"),
        ("024-23456789", "024-23456789"),
        ("02423456789", "024-23456789"),
        ("(024) 2345 6789", "024-23456789"),
        ("010-12345678", "010-12345678"),
        ("0411-82345678", "0411-82345678"),
        ("024-23456789转8001", "024-23456789-8001"),
        ("", ""),
    ],
)
def test_valid_numbers_are_normalised(raw, normal):
    assert normalize_phone(raw) == normal


@pytest.mark.parametrize(
    "raw", ["12345", "1381234567", "138123456789", "024-1234", "abc", "23456789", "+1 202 555 0100"]
)
def test_invalid_numbers_are_refused_in_chinese(raw):
    with pytest.raises(ValidationError) as error:
        normalize_phone(raw)
    assert "有效的电话号码" in error.value.messages[0]


@pytest.mark.parametrize(
    ("name", "person", "full", "initials"),
    [
        ("和平区科协", False, "hepingqukexie", "hpqkx"),
        ("单志强", True, "shanzhiqiang", "szq"),
        ("曾国华", True, "zengguohua", "zgh"),
        ("尉迟敬", True, "yuchijing", "ycj"),
        ("单位", False, "danwei", "dw"),
    ],
)
def test_pinyin_keys(name, person, full, initials):
    assert pinyin_keys(name, person=person) == (full, initials)


MOBILE_PREFIXES = ["130", "135", "138", "139", "150", "186", "199"]


@given(
    prefix=st.sampled_from(MOBILE_PREFIXES),
    rest=st.text(alphabet="0123456789", min_size=8, max_size=8),
    separator=st.sampled_from(["", " ", "-"]),
    country=st.sampled_from(["", "+86 ", "86"]),
)
def test_any_spelling_of_a_mobile_normalises_to_its_11_digits(prefix, rest, separator, country):
    number = prefix + rest
    spelled = country + separator.join([number[:3], number[3:7], number[7:]])
    assert normalize_phone(spelled) == number
    assert normalize_phone(normalize_phone(spelled)) == number  # stable once stored


@given(local=st.text(alphabet="0123456789", min_size=7, max_size=7).filter(lambda s: s[0] in "2345678"))
def test_landline_normal_form_is_stable(local):
    stored = normalize_phone("024" + "2" + local)
    assert stored == f"024-2{local}"
    assert normalize_phone(stored) == stored


@given(name=st.text(alphabet="和平区科协王李张单曾学会大", min_size=1, max_size=8))
def test_initials_are_first_letters_of_full_pinyin(name):
    full, initials = pinyin_keys(name)
    assert len(initials) == len(name)
    assert full.startswith(initials[0])


def test_the_quick_mobile_check_answers_as_phonenumbers_does_on_every_prefix():
    """common.phones answers 11 plain digits from phonenumbers' patterns without parsing them; for every
    five-digit prefix 10000–19999 (with two endings each) that must be exactly the library's answer: a mobile
    it keeps as it is, anything else left to the full parse."""
    import phonenumbers

    from common.phones import _plain_mobile

    disagree = []
    for prefix in range(10000, 20000):
        for ending in ("000000", "987654"):
            digits = f"{prefix}{ending}"
            number = phonenumbers.parse(digits, "CN")
            library = (
                phonenumbers.is_valid_number(number)
                and phonenumbers.number_type(number) == phonenumbers.PhoneNumberType.MOBILE
                and phonenumbers.national_significant_number(number) == digits
            )
            if _plain_mobile(digits) != library:
                disagree.append(digits)
    assert disagree == []
    # and the quick check is not vacuous: mobiles of every operator pass it, other numbers don't
    assert [_plain_mobile(n) for n in ("13812345678", "19912345678", "16612345678")] == [True, True, True]
    assert [_plain_mobile(n) for n in ("12345678901", "10123456789", "2423456789", "138123456789")] == [
        False,
        False,
        False,
        False,
    ]

"""Phones (SPEC §1): parsed, validated and normalised to E.164 (default region CN)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from leadctl.domain.phones import display_phone, normalise_phone, normalise_phones, split_phones
from leadctl.errors import LeadctlError


@pytest.mark.parametrize(
    ("text", "e164"),
    [
        ("13800138000", "+8613800138000"),
        ("138 0013 8000", "+8613800138000"),
        ("+86 138-0013-8000", "+8613800138000"),
        ("+8613800138000", "+8613800138000"),
        ("008613800138000", "+8613800138000"),
        ("'13800138000", "+8613800138000"),  # a spreadsheet's text marker
        ("010-62345678", "+861062345678"),
        ("(010) 6234 5678", "+861062345678"),
        ("+86 10 6234 5678", "+861062345678"),
        ("0571-87654321", "+8657187654321"),
        ("400-810-8888", "+864008108888"),
        ("+1 650 253 0000", "+16502530000"),
        ("+44 20 7946 0958", "+442079460958"),
    ],
)
def test_valid_phones_are_normalised_to_e164(text: str, e164: str) -> None:
    assert normalise_phone(text) == e164


def test_spacing_and_dashes_name_the_same_phone() -> None:
    assert normalise_phone("138 0013 8000") == normalise_phone("+86 138-0013-8000")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "A phone number is empty."),
        ("   ", "A phone number is empty."),
        (
            "abc",
            "Phone 'abc' is not a phone number: give a mobile like 13800138000, a landline like "
            "010-62345678, or +country code.",
        ),
        (
            "12345",
            "Phone '12345' is not a valid number: check the digits (mobiles have 11, landlines "
            "need their area code).",
        ),
        (
            "1380013800",
            "Phone '1380013800' is not a valid number: check the digits (mobiles have 11, "
            "landlines need their area code).",
        ),
    ],
)
def test_invalid_phones_are_refused_with_a_reason(text: str, message: str) -> None:
    with pytest.raises(LeadctlError) as info:
        normalise_phone(text)
    assert info.value.message == message


@pytest.mark.parametrize("text", ["138001380001", "62345678", "95588", "+86 123", "1" * 41, "@@@"])
def test_other_invalid_phones_are_refused(text: str) -> None:
    with pytest.raises(LeadctlError):
        normalise_phone(text)


def test_several_phones_keep_order_and_drop_repeats() -> None:
    assert normalise_phones(["138 0013 8000", "+86 138-0013-8000", "13900139000;010-62345678"]) == [
        "+8613800138000",
        "+8613900139000",
        "+861062345678",
    ]


def test_one_bad_phone_among_many_is_refused() -> None:
    with pytest.raises(LeadctlError):
        normalise_phones(["13800138000", "12345"])


def test_cells_split_on_semicolon_and_slash() -> None:
    assert split_phones("13800138000; 13900139000/010-62345678") == [
        "13800138000",
        "13900139000",
        "010-62345678",
    ]
    assert split_phones("13800138000；13900139000") == ["13800138000", "13900139000"]


def test_display_form() -> None:
    assert display_phone("+8613800138000") == "138 0013 8000"
    assert display_phone("+861062345678") == "010-6234 5678"
    assert display_phone("+16502530000") == "+1 650-253-0000"


@given(
    prefix=st.sampled_from(["130", "135", "138", "139", "150", "158", "186", "188"]),
    rest=st.integers(min_value=0, max_value=99_999_999),
)
def test_any_cn_mobile_in_any_spacing_normalises_the_same(prefix: str, rest: int) -> None:
    digits = f"{prefix}{rest:08d}"
    e164 = normalise_phone(digits)
    assert e164 == f"+86{digits}"
    spaced = f"{digits[:3]} {digits[3:7]} {digits[7:]}"
    dashed = f"+86 {digits[:3]}-{digits[3:7]}-{digits[7:]}"
    assert normalise_phone(spaced) == normalise_phone(dashed) == e164
    assert normalise_phone(display_phone(e164)) == e164


# ---------------------------------------------------------------- extensions (SPEC §6.4)


@pytest.mark.parametrize(
    "text",
    [
        "0571-88886677-8001",  # a dash after a whole landline
        "0571-88886677转8001",
        "0571-88886677 转 8001",
        "0571-88886677分机8001",
        "0571-88886677 分机号 8001",
        "0571-88886677 ext. 8001",
        "0571-88886677 x8001",
        "0571-88886677#8001",
        "+86 571 8888 6677;ext=8001",  # copied from JSON
        "0571-8888 6677 ext. 8001",  # as leadctl shows it
        "０５７１－８８８８６６７７转８００１",  # full-width
    ],
)
def test_an_extension_is_kept_in_every_spelling(text: str) -> None:
    assert normalise_phone(text) == "+8657188886677;ext=8001"


def test_numbers_with_different_extensions_are_different_phones() -> None:
    assert normalise_phones(["0571-88886677转8001", "0571-88886677转8002", "0571-88886677"]) == [
        "+8657188886677;ext=8001",
        "+8657188886677;ext=8002",
        "+8657188886677",
    ]


def test_a_dash_after_a_mobile_is_no_extension() -> None:
    """Mobiles have no extensions: 13800138000-123 is a typo, refused as it was."""
    with pytest.raises(LeadctlError) as info:
        normalise_phone("13800138000-123")
    assert info.value.message == (
        "Phone '13800138000-123' is not a valid number: check the digits (mobiles have 11, "
        "landlines need their area code)."
    )


def test_an_extension_too_long_for_the_column_is_refused() -> None:
    with pytest.raises(LeadctlError) as info:
        normalise_phone("0571-88886677转12345678901")
    assert info.value.message == (
        "Phone '0571-88886677转12345678901' has an extension of more than 10 digits; "
        "an extension is its digits only, like 0571-88886677转8001."
    )
    assert normalise_phone("0571-88886677转1234567890") == "+8657188886677;ext=1234567890"


def test_a_cell_of_phones_is_not_split_at_an_extension() -> None:
    assert split_phones("+8657188886677;ext=8001;13800138000") == [
        "+8657188886677;ext=8001",
        "13800138000",
    ]


# ---------------------------------------------------------------- full-width input


@pytest.mark.parametrize(
    ("text", "e164"),
    [
        ("１３８００１３８０００", "+8613800138000"),
        ("１３８　００１３　８０００", "+8613800138000"),  # ideographic spaces
        ("＋８６　１３８－００１３－８０００", "+8613800138000"),
        ("（０１０）６２３４５６７８", "+861062345678"),
    ],
)
def test_full_width_phones_read_as_half_width(text: str, e164: str) -> None:
    assert normalise_phone(text) == e164


# ---------------------------------------------------------------- the form people read


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        ("+8613800138000", "138 0013 8000"),
        ("+8657188886666", "0571-8888 6666"),  # a landline: its area code, a dash
        ("+861062345678", "010-6234 5678"),
        ("+864008108888", "400 810 8888"),  # no area code, no dash
        ("+8657188886677;ext=8001", "0571-8888 6677 ext. 8001"),
        ("+8613800138000;ext=12", "138 0013 8000 ext. 12"),
        ("+16502530000", "+1 650-253-0000"),  # abroad: international
        ("+442079460958;ext=7", "+44 20 7946 0958 ext. 7"),
    ],
)
def test_phones_are_shown_in_national_form(stored: str, shown: str) -> None:
    assert display_phone(stored) == shown
    assert normalise_phone(shown) == stored  # what people read, typed back, is the same phone

"""Amounts (SPEC §1 Outcome): exact decimals of CNY, stored as integer fen."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from leadctl.domain.money import MAX_FEN, from_fen, money_text, parse_amount, to_fen
from leadctl.errors import LeadctlError

LARGEST = Decimal(MAX_FEN - 1) / 100  # the largest amount leadctl accepts


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("300000", Decimal("300000.00")),
        ("300000.5", Decimal("300000.50")),
        ("300,000", Decimal("300000.00")),
        ("30万", Decimal("300000.00")),
        ("30w", Decimal("300000.00")),
        ("30W", Decimal("300000.00")),
        ("1.5万", Decimal("15000.00")),
        ("0.01", Decimal("0.01")),
        ("0.001万", Decimal("10.00")),
        ("1.23456万", Decimal("12345.60")),
        ("¥300000", Decimal("300000.00")),
        (" 30 万 ", Decimal("300000.00")),
        ("2亿", Decimal("200000000.00")),
        ("999999999999999.99", Decimal("999999999999999.99")),
    ],
)
def test_amount_forms_are_exact(text: str, expected: Decimal) -> None:
    value = parse_amount(text)
    assert value == expected
    assert value.as_tuple().exponent == -2  # always two places
    assert str(value) == str(expected)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("0", "Amount '0' must be more than 0."),
        ("0.00", "Amount '0.00' must be more than 0."),
        ("0万", "Amount '0万' must be more than 0."),
        ("0.001", "Amount '0.001' has fractions of a fen: use at most 2 decimals."),
        ("1.2345", "Amount '1.2345' has fractions of a fen: use at most 2 decimals."),
        ("1000000000000000", "Amount '1000000000000000' is too large."),
        ("12345678901234567.89", "Amount '12345678901234567.89' is too large."),
    ],
)
def test_amount_refused_with_a_reason(text: str, message: str) -> None:
    with pytest.raises(LeadctlError) as info:
        parse_amount(text)
    assert info.value.message == message


@pytest.mark.parametrize(
    "text",
    ["-5", "-30万", "", "abc", "30 thousand", "1e5", "NaN", "Infinity", "3..5", "万", "1.5.万"],
)
def test_garbage_and_negative_amounts_are_refused(text: str) -> None:
    with pytest.raises(LeadctlError) as info:
        parse_amount(text)
    assert info.value.message == (
        f"Cannot read amount {text!r}: use a number of yuan like 300000, 30万, 30w or 1.5万."
    )


@pytest.mark.parametrize(
    "text",
    [
        "9" * 29,  # more digits than Decimal's default precision
        "9" * 200,
        "1." + "0" * 40 + "1",  # would round to 1.00 at 28 digits
        "0." + "0" * 40 + "1万",
    ],
)
def test_long_amounts_are_refused_never_rounded_or_crashing(text: str) -> None:
    with pytest.raises(LeadctlError):
        parse_amount(text)


def test_json_form_is_a_decimal_string() -> None:
    assert money_text(30_000_000) == "300000.00"
    assert money_text(1) == "0.01"
    assert money_text(to_fen(Decimal("12345678901234567.89"))) == "12345678901234567.89"


# ---------------------------------------------------------------- properties

two_places = st.decimals(
    min_value=Decimal("0.01"), max_value=LARGEST, places=2, allow_nan=False, allow_infinity=False
)


@given(amount=two_places)
def test_any_two_place_amount_parses_exactly(amount: Decimal) -> None:
    assert parse_amount(str(amount)) == amount
    assert parse_amount(f"{amount:,}") == amount


@given(
    amount=st.decimals(
        min_value=Decimal("-99999999999999999.99"),
        max_value=Decimal("99999999999999999.99"),
        places=2,
        allow_nan=False,
        allow_infinity=False,
    )
)
def test_any_two_place_amount_round_trips_through_fen(amount: Decimal) -> None:
    fen = to_fen(amount)
    assert isinstance(fen, int)
    assert from_fen(fen) == amount
    assert money_text(fen) == f"{amount:.2f}"


def test_huge_amount_round_trips_through_fen() -> None:
    amount = Decimal("12345678901234567.89")  # lost to REAL storage; exact as fen
    assert to_fen(amount) == 1234567890123456789
    assert from_fen(1234567890123456789) == amount
    assert to_fen(amount) < 2**63  # fits a BigInteger column


@given(
    yuan=st.integers(min_value=1, max_value=99_999_999_999), unit=st.sampled_from(["万", "w", "W"])
)
def test_wan_multiplies_by_ten_thousand(yuan: int, unit: str) -> None:
    assert parse_amount(f"{yuan}{unit}") == Decimal(yuan * 10_000).quantize(Decimal("0.01"))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("３０万", Decimal("300000.00")),
        ("３０ｗ", Decimal("300000.00")),
        ("３００，０００", Decimal("300000.00")),
        ("￥１．５万", Decimal("15000.00")),
    ],
)
def test_full_width_amounts_read_as_half_width(text: str, expected: Decimal) -> None:
    assert parse_amount(text) == expected

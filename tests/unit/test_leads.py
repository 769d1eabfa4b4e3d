"""Lead numbers and references, customer keys, and text checks (SPEC §1)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from leadctl.domain.choices import CustomerType, Grade, LossReason, Status, parse_choice
from leadctl.domain.leads import clean_text, customer_key, lead_number, parse_lead_ref
from leadctl.errors import LeadctlError


def test_lead_numbers_are_padded_to_four_digits() -> None:
    assert lead_number(1) == "L0001"
    assert lead_number(42) == "L0042"
    assert lead_number(12345) == "L12345"
    assert lead_number(7, "线索") == "线索0007"


@pytest.mark.parametrize("ref", ["L0001", "L1", "l1", "1", "0001", " L0001 ", "l0001"])
def test_every_form_names_lead_one(ref: str) -> None:
    assert parse_lead_ref(ref) == 1


def test_configured_prefix_and_default_prefix_both_work() -> None:
    assert parse_lead_ref("线索0007", "线索") == 7
    assert parse_lead_ref("L7", "线索") == 7
    assert parse_lead_ref("7", "线索") == 7


@pytest.mark.parametrize(
    "ref", ["0", "L0", "L0000", "abc", "", "L", "L-1", "-1", "1.5", "LL1", "L 1x"]
)
def test_bad_refs_are_refused(ref: str) -> None:
    with pytest.raises(LeadctlError) as info:
        parse_lead_ref(ref)
    assert info.value.message == (
        f"{ref!r} is not a lead number: use the number `leadctl list` shows, like L0001 or 1."
    )


@given(lead_id=st.integers(min_value=1, max_value=10**12 - 1))
def test_number_and_ref_round_trip(lead_id: int) -> None:
    assert parse_lead_ref(lead_number(lead_id)) == lead_id
    assert parse_lead_ref(lead_number(lead_id).lower()) == lead_id
    assert parse_lead_ref(str(lead_id)) == lead_id


def test_customer_key_ignores_spaces_and_case() -> None:
    key = customer_key("Acme Trading Co")
    assert customer_key("acme trading co") == key
    assert customer_key("  ACME   TRADING\tCO ") == key
    assert customer_key("AcmeTradingCo") == key
    assert customer_key("杭州 云栖科技 有限公司") == customer_key("杭州云栖科技有限公司")
    assert customer_key("杭州\u3000云栖科技有限公司") == customer_key("杭州云栖科技有限公司")
    assert customer_key("ＡＣＭＥ Trading Co") == key  # full-width letters
    assert customer_key("Acme Trading Ltd") != key


def test_clean_text() -> None:
    assert clean_text("  张经理  ", "contact") == "张经理"
    assert clean_text(None, "contact") is None
    assert clean_text("   ", "contact") is None
    with pytest.raises(LeadctlError, match="required"):
        clean_text("  ", "source", required=True)
    with pytest.raises(LeadctlError, match="required"):
        clean_text(None, "source", required=True)
    with pytest.raises(LeadctlError, match="NUL"):
        clean_text("a\x00b", "need")
    with pytest.raises(LeadctlError, match="longer"):
        clean_text("x" * 10_001, "need")
    assert clean_text("[bold red]x[/]", "customer") == "[bold red]x[/]"


@pytest.mark.parametrize(
    ("enum", "text", "expected"),
    [
        (Grade, "a", Grade.A),
        (Grade, " B ", Grade.B),
        (CustomerType, "企业", CustomerType.COMPANY),
        (CustomerType, "个人", CustomerType.PERSON),
        (CustomerType, "Person", CustomerType.PERSON),
        (Status, "active", Status.ACTIVE),
        (LossReason, "预算不足", LossReason.BUDGET),
        (LossReason, "need-changed", LossReason.NEED_CHANGED),
    ],
)
def test_choices_by_english_or_chinese_name(enum: type, text: str, expected: object) -> None:
    assert parse_choice(enum, text) == expected


def test_unknown_choice_lists_the_valid_ones() -> None:
    with pytest.raises(LeadctlError) as info:
        parse_choice(Grade, "E")
    assert info.value.message == "Unknown grade 'E': use one of A, B, C, D."
    with pytest.raises(LeadctlError) as info:
        parse_choice(CustomerType, "gov")
    assert (
        info.value.message == "Unknown customer type 'gov': use one of company, person, 企业, 个人."
    )


# ---------------------------------------------------------------- full-width input


@pytest.mark.parametrize("ref", ["Ｌ０００１", "ｌ１", "１", "　Ｌ１　"])
def test_full_width_lead_numbers_name_the_same_lead(ref: str) -> None:
    assert parse_lead_ref(ref) == 1
    assert parse_lead_ref("线索０００７", "线索") == 7


@pytest.mark.parametrize(
    ("enum", "text", "expected"),
    [
        (Grade, "Ａ", Grade.A),
        (Grade, "ｂ", Grade.B),
        (Status, "ＡＣＴＩＶＥ", Status.ACTIVE),
        (CustomerType, "ｐｅｒｓｏｎ", CustomerType.PERSON),
        (LossReason, "ｎｅｅｄ－ｃｈａｎｇｅｄ", LossReason.NEED_CHANGED),
    ],
)
def test_full_width_choices_read_as_half_width(enum: type, text: str, expected: object) -> None:
    assert parse_choice(enum, text) == expected

"""What find matches (domain/search.py) and the customer key of near-duplicates, without a
database."""

from __future__ import annotations

import pytest

from leadctl.domain.leads import customer_key
from leadctl.domain.search import (
    KEY_COMBOS,
    digits_reversed,
    fold,
    next_prefix,
    phone_digits,
    readings,
    search_text,
    spelling_keys,
    spells,
)


@pytest.mark.parametrize(
    ("text", "digits"),
    [
        ("8000", "8000"),
        ("138 0013 8000", "13800138000"),
        ("+86 (138) 0013-8000", "8613800138000"),
        ("８０００", "8000"),
        ("800", None),  # too few digits: text
        ("L8000", None),
        ("8000号", None),
        ("--", None),
    ],
)
def test_a_phone_spelling_has_digits_and_phone_punctuation_only(text, digits):
    assert phone_digits(text) == digits


def test_digits_reversed_leave_out_the_plus_and_an_extension():
    assert digits_reversed("+8613800138000") == "0008310083168"
    assert digits_reversed("+8657188886677;ext=8001") == "7766888817568"


@pytest.mark.parametrize(
    ("prefix", "after"), [("0008", "0009"), ("abz", "ab{"), ("hz", "h{"), ("云", "互"), ("", None)]
)
def test_next_prefix_bounds_every_string_with_the_prefix(prefix, after):
    assert next_prefix(prefix) == after


def test_fold_ignores_case_full_width_forms_and_spaces():
    assert fold(" Ｌｉｕ　Wei\t杭州 ") == "liuwei杭州"
    assert search_text("杭州 云栖", None, "WX_1", "A@B.cn") == "杭州云栖\n\nwx_1\na@b.cn"


def test_readings_are_every_reading_of_the_character_as_pypinyin_gives_them():
    from pypinyin import Style, pinyin

    for ch in "曾单行长重杭栖银乐朝":
        expected = list(dict.fromkeys(pinyin(ch, style=Style.NORMAL, heteronym=True)[0]))
        assert list(readings(ch)) == expected, ch
    assert {"ceng", "zeng"} <= set(readings("曾"))
    assert readings("a") == ("a",) and readings("7") == ("7",)
    assert readings("(") == () and readings("@") == ()


def test_keys_hold_every_reading_of_the_first_characters_in_full_and_as_initials():
    keys = spelling_keys("杭州云栖科技有限公司", "曾经理")
    assert {"hangzhouyunqi", "kangzhouyunxi", "hzyq", "kzyx", "zjl", "cjl"} <= keys
    assert {"zengjingli", "cengjingli"} <= keys
    assert spelling_keys(None, "") == set()
    assert spelling_keys("(（）)") == set()


def test_keys_stop_early_when_readings_multiply():
    # 圳 has four readings, 立 two: four characters would be 8 × 4 readings
    keys = spelling_keys("深圳立方数据有限公司")
    full = {k for k in keys if len(k) > 4}
    assert 0 < len(full) <= KEY_COMBOS
    assert all(k.startswith("shen") for k in full)
    # the first character's readings are always all there, however many (差: five)
    assert len(readings("差")) > KEY_COMBOS
    assert set(readings("差")) <= spelling_keys("差价")


@pytest.mark.parametrize(
    ("text", "name", "match"),
    [
        ("hzyq", "杭州云栖科技", True),
        ("hzyqkjyxgs", "杭州云栖科技有限公司", True),
        ("hangzhouyunqikejiyou", "杭州云栖科技有限公司", True),
        ("hangzhouyunqikejiyx", "杭州云栖科技有限公司", False),
        ("hzyqkjyxgz", "杭州云栖科技有限公司", False),
        ("szlfsj", "深圳立方数据", True),
        ("shenzhenlifangshuju", "深圳立方数据", True),
        ("zengjl", "曾经理", False),  # pinyin or initials, not a mix of the two
        ("zengjingli", "曾经理", True),
        ("ibmz", "IBM（中国）", True),
        ("zhou", "杭州", False),
        ("hangzhou", "杭", False),  # a text longer than the name's pinyin
        ("hang", "杭", True),
    ],
)
def test_spells_checks_every_reading_of_the_whole_name(text, name, match):
    assert spells(text, name) is match


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("杭州云栖科技有限公司", "杭州云栖科技"),
        ("杭州云栖科技", "杭州云栖科技"),
        ("杭州 云栖科技 有限责任公司", "杭州云栖科技"),
        ("杭州云栖科技股份有限公司", "杭州云栖科技"),
        ("杭州云栖科技集团有限公司", "杭州云栖科技"),
        ("杭州云栖科技（滨江）有限公司", "杭州云栖科技"),
        ("杭州云栖科技(Binjiang)", "杭州云栖科技"),
        ("ACME Trading Co", "acmetradingco"),
        ("公司", "公司"),  # never the whole name
        ("(测试)", "(测试)"),
    ],
)
def test_customer_key_leaves_out_brackets_and_company_suffixes(name, key):
    assert customer_key(name) == key

"""The team's list of sources (issue 16 point 4), without a database: reading `[sources]`,
matching names and aliases, refusing what is not on it."""

from __future__ import annotations

from datetime import date

import pytest

from leadctl.domain.capture import FieldError, check_source, draft_lead
from leadctl.domain.sources import SourceList, source_list
from leadctl.errors import LeadctlError

TEAM = source_list(
    {
        "行业展会": ["展会", "Expo"],
        "官网注册": ["官网"],
        "老客户转介绍": [],
        "短视频平台推广": "抖音",
    }
)
LISTED = "行业展会 (or 展会, Expo), 官网注册 (or 官网), 老客户转介绍, 短视频平台推广 (or 抖音)"


def test_the_list_keeps_the_configs_order_and_aliases() -> None:
    assert TEAM.names == ("行业展会", "官网注册", "老客户转介绍", "短视频平台推广")
    assert TEAM.aliases["行业展会"] == ("展会", "Expo")
    assert TEAM.aliases["短视频平台推广"] == ("抖音",)  # one alias may be written without a list
    assert TEAM.describe() == LISTED


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("行业展会", "行业展会"),
        ("展会", "行业展会"),
        (" 展 会 ", "行业展会"),
        ("expo", "行业展会"),
        ("ＥＸＰＯ", "行业展会"),  # full-width, as a Chinese keyboard types it
        ("官网", "官网注册"),
        ("抖音", "短视频平台推广"),
    ],
)
def test_a_name_or_alias_in_any_spelling_is_stored_by_the_lists_name(typed: str, stored: str):
    assert TEAM.check(typed) == stored
    assert TEAM.canonical(typed) == stored


def test_a_source_off_the_list_is_refused_naming_the_list() -> None:
    with pytest.raises(LeadctlError) as info:
        TEAM.check("展销会")
    assert info.value.message == (
        f"Unknown source '展销会': the team's sources (config [sources]) are {LISTED}; use one "
        "of them, or pass --new-source to add it anyway."
    )


def test_new_source_keeps_a_source_off_the_list_as_written() -> None:
    assert TEAM.check("展销会", new_source=True) == "展销会"
    assert TEAM.check("展会", new_source=True) == "行业展会"  # an alias is still its name


def test_without_a_list_any_source_is_taken_as_written() -> None:
    empty = source_list(None)
    assert not empty
    assert empty.check("随便什么渠道") == "随便什么渠道"
    assert empty.canonical("展会") is None
    assert SourceList().spellings("展会") == ("展会",)


def test_a_filter_on_a_listed_source_matches_its_name_and_aliases() -> None:
    assert TEAM.spellings("展会") == ("行业展会", "展会", "Expo")
    assert TEAM.spellings("老客户转介绍") == ("老客户转介绍",)
    assert TEAM.spellings("展销会") == ("展销会",)


def test_capture_checks_the_source_as_add_edit_and_import_do() -> None:
    assert check_source(" 官网 ", TEAM) == "官网注册"
    assert check_source("展销会", None) == "展销会"
    with pytest.raises(FieldError) as info:
        check_source("展销会", TEAM)
    assert info.value.field == "source"
    with pytest.raises(FieldError) as empty:
        check_source("  ", TEAM)
    assert empty.value.message == "The source (线索来源) is required and cannot be empty."
    draft = draft_lead(
        customer="杭州云栖科技", phones=["13800138000"], source="Expo", need="CRM",
        today=date(2024, 10, 7), owner="王芳", sources=TEAM,
    )  # fmt: skip
    assert draft.source == "行业展会"


@pytest.mark.parametrize(
    ("table", "message"),
    [
        (["展会"], '[sources] in X must be a table: each source with its aliases, e.g. "行业展会" = ["展会"].'),
        ({"行业展会": 3}, "[sources] in X: the aliases of '行业展会' must be a list of words, e.g. \"行业展会\" = [\"…\"] (or [] for none)."),
        ({"行业展会": ["展会"], "展会": []}, "[sources] in X: '展会' names both '行业展会' and '展会'; keep it under one of them."),
        ({"行业展会": ["展会"], "展销会": ["展 会"]}, "[sources] in X: '展 会' names both '行业展会' and '展销会'; keep it under one of them."),
        ({"行业展会": [" "]}, "[sources] in X: a source or alias is empty."),
        ({" ": []}, "[sources] in X: a source or alias is empty."),
    ],
)  # fmt: skip
def test_a_list_that_cannot_be_read_is_refused_naming_the_problem(table: object, message: str):
    with pytest.raises(LeadctlError) as info:
        source_list(table, "X")
    assert info.value.message == message

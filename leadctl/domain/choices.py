"""Closed choices of the playbook, each with its English name and Chinese alias."""

from __future__ import annotations

from enum import StrEnum
from typing import TypeVar

from leadctl.domain.halfwidth import half_width
from leadctl.domain.said import Said, said, word
from leadctl.errors import LeadctlError
from leadctl.i18n import N_, _p, lang


class Status(StrEnum):
    NEW = "new"
    ACTIVE = "active"
    OPPORTUNITY = "opportunity"
    WON = "won"
    LOST = "lost"
    DORMANT = "dormant"


class Grade(StrEnum):
    A = "A"
    B = "B"
    C = "C"
    D = "D"


class CustomerType(StrEnum):
    COMPANY = "company"
    PERSON = "person"


class Channel(StrEnum):
    PHONE = "phone"
    WECHAT = "wechat"
    MEETING = "meeting"
    EMAIL = "email"
    OTHER = "other"


class Kind(StrEnum):
    CONTACT = "contact"
    PROPOSAL = "proposal"
    CASE = "case"
    GREETING = "greeting"
    DEMO = "demo"
    ACTIVATION = "activation"


class Mood(StrEnum):
    POSITIVE = "positive"
    HESITANT = "hesitant"
    NEGATIVE = "negative"


class LossReason(StrEnum):
    BUDGET = "budget"
    PRICE = "price"
    COMPETITOR = "competitor"
    NEED_CHANGED = "need-changed"
    TIMING = "timing"
    NO_RESPONSE = "no-response"
    OUT_OF_SCOPE = "out-of-scope"
    OTHER = "other"


OPEN_STATUSES = (Status.NEW, Status.ACTIVE, Status.OPPORTUNITY)
# statuses a duplicate is checked against: not closed
NOT_CLOSED_STATUSES = (*OPEN_STATUSES, Status.DORMANT)
CLOSED_STATUSES = (Status.WON, Status.LOST)

CHINESE: dict[type[StrEnum], dict[str, str]] = {
    Channel: {
        "电话": "phone",
        "微信": "wechat",
        "面谈": "meeting",
        "邮件": "email",
        "其他": "other",
    },
    Kind: {
        "沟通": "contact",
        "方案": "proposal",
        "案例": "case",
        "问候": "greeting",
        "演示": "demo",
        "激活": "activation",
    },
    Mood: {"积极关注": "positive", "犹豫观望": "hesitant", "明确拒绝": "negative"},
    LossReason: {
        "预算不足": "budget",
        "价格": "price",
        "选择竞品": "competitor",
        "需求变更": "need-changed",
        "时机": "timing",
        "无回应": "no-response",
        "超出业务范围": "out-of-scope",
        "其他": "other",
    },
    CustomerType: {"企业": "company", "个人": "person"},
    Status: {
        "新线索": "new",
        "跟进中": "active",
        "销售机会": "opportunity",
        "成交": "won",
        "未转化": "lost",
        "沉睡": "dormant",
    },
}

# how a refusal names each choice
WHAT: dict[type[StrEnum], str] = {
    Channel: N_("channel"),
    Kind: N_("kind"),
    Mood: N_("mood"),
    LossReason: N_("lost reason"),
    CustomerType: N_("customer type"),
    Status: N_("status"),
    Grade: N_("grade"),
}


E = TypeVar("E", bound=StrEnum)


def parse_choice(enum: type[E], text: str) -> E:
    """Read a closed choice by its English name (any case, full-width too) or its Chinese alias.

    The refusal is a `Said`: import lists it in JSON too."""
    raw = half_width(text).strip()
    value = CHINESE.get(enum, {}).get(raw, raw.upper() if enum is Grade else raw.lower())
    try:
        return enum(value)
    except ValueError:
        names = [m.value for m in enum]
        aliases = list(CHINESE.get(enum, {}))
        # in Chinese, the Chinese names first
        first = aliases + names if lang() == "zh" else names + aliases
        choices = Said(_p("list", ", ").join(first), ", ".join(names + aliases))
        raise LeadctlError(
            said(
                N_("Unknown {what} {text!r}: use one of {choices}."),
                what=word(WHAT[enum]),
                text=text,
                choices=choices,
            )
        ) from None


def shown(enum: type[StrEnum], value: str | None) -> str:
    """A closed choice as the interface shows it to people: its English name, or in Chinese
    (SPEC §6.5) its Chinese name, the one a rep may also type. JSON always keeps the value."""
    from leadctl.i18n import lang

    if value is None:
        return ""
    if lang() == "zh":
        for alias, each in CHINESE.get(enum, {}).items():
            if each == value:
                return alias
    return str(value)


def chinese_name(member: StrEnum) -> str | None:
    for alias, value in CHINESE.get(type(member), {}).items():
        if value == member.value:
            return alias
    return None

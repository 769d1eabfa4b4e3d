"""Lead numbers, customer keys and text checks."""

from __future__ import annotations

import re
import unicodedata

from leadctl.domain.halfwidth import half_width
from leadctl.domain.said import said, word
from leadctl.errors import LeadctlError
from leadctl.i18n import N_, _

DEFAULT_PREFIX = "L"
MAX_TEXT = 10_000


def lead_number(lead_id: int, prefix: str = DEFAULT_PREFIX) -> str:
    return f"{prefix}{lead_id:04d}"


def parse_lead_ref(ref: str, prefix: str = DEFAULT_PREFIX) -> int:
    """`L0001`, `L1`, `l1`, `1`, `Ｌ０００１` (and the configured prefix, e.g. `线索0001`) → 1."""
    raw = half_width(ref).strip()
    for p in sorted({half_width(prefix), DEFAULT_PREFIX}, key=len, reverse=True):
        if p and raw.lower().startswith(p.lower()):
            raw = raw[len(p) :]
            break
    if not re.fullmatch(r"\d{1,12}", raw) or int(raw) == 0:
        raise LeadctlError(
            _(
                "{ref!r} is not a lead number: use the number `leadctl list` shows, like L0001 "
                "or 1."
            ).format(ref=ref)
        )
    return int(raw)


# company suffixes a customer's name may carry or leave out (SPEC §6.4), longest first
COMPANY_SUFFIXES = ("股份有限公司", "有限责任公司", "有限公司", "集团", "公司")
_BRACKETED = re.compile(r"\([^()]*\)")  # full-width （…） is (…) once folded


def customer_key(name: str) -> str:
    """What two customer names must share to be the same customer: no spaces, any case,
    full-width forms made plain, and neither bracketed text nor company suffixes, so
    `杭州云栖科技` and `杭州云栖科技有限公司（滨江）` are one customer. Suffixes come off from the
    end, one after another (`…集团有限公司`), never the whole name; a name that is nothing but
    bracketed text keeps it."""
    folded = "".join(unicodedata.normalize("NFKC", name).casefold().split())
    core = folded
    while True:
        bare = _BRACKETED.sub("", core)
        if bare == core:
            break
        core = bare
    trimmed = True
    while trimmed:
        trimmed = False
        for suffix in COMPANY_SUFFIXES:
            if core.endswith(suffix) and len(core) > len(suffix):
                core = core[: -len(suffix)]
                trimmed = True
                break
    return core or folded


def clean_text(value: str | None, what: str, *, required: bool = False) -> str | None:
    """Trim user text; refuse empty required text and NUL characters; keep everything else.

    `what` names the text in words ("grade reason"), marked with N_ by the caller; the refusal
    is a `Said` (import lists it in JSON too)."""
    if value is None:
        if required:
            raise LeadctlError(said(N_("The {what} is required."), what=word(what)))
        return None
    text = value.strip()
    if "\x00" in text:
        raise LeadctlError(
            said(N_("The {what} contains a NUL character; remove it."), what=word(what))
        )
    if len(text) > MAX_TEXT:
        raise LeadctlError(
            said(
                N_("The {what} is longer than {limit} characters."), what=word(what), limit=MAX_TEXT
            )
        )
    if not text:
        if required:
            raise LeadctlError(
                said(N_("The {what} is required and cannot be empty."), what=word(what))
            )
        return None
    return text

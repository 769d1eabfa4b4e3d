"""Phones: parsed, validated and normalised with phonenumbers (default region CN).

A phone is stored as E.164, with its extension when it has one (`+8657188886677;ext=8001`, the
extension written as RFC 3966 writes it): numbers with different extensions are different
phones. People read it in national form (`138 0013 8000`, `0571-8888 6666 ext. 8001`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from leadctl.domain.halfwidth import half_width
from leadctl.domain.said import said
from leadctl.errors import LeadctlError
from leadctl.i18n import N_

if TYPE_CHECKING:
    from phonenumbers import PhoneNumber

DEFAULT_REGION = "CN"
EXTENSION = ";ext="  # between a stored phone's E.164 number and its extension
MAX_EXTENSION = 10  # digits: E.164 (at most 16 characters) and the extension fit the column (32)
# an extension as Chinese offices write it: 0571-88886677转8001, …分机8001, …分机号 8001;
# phonenumbers reads `ext. 8001`, `x8001`, `#8001` and `;ext=8001` itself
_CN_EXTENSION = re.compile(r"^(?P<number>.*\d)\s*(?:转分机|转|分机号?|内线)\s*(?P<ext>\d+)$")
_MARKED_EXTENSION = re.compile(
    r"^(?P<number>.*\d)\s*(?:;ext=|ext\.?|extension|x|#)\s*\d+$", re.IGNORECASE
)
# …or after a dash: 0571-88886677-8001 (an extension only when the part before it is a whole
# phone and the whole is not)
_DASH_EXTENSION = re.compile(r"^(?P<number>.*\d)\s*-\s*(?P<ext>\d{1,6})$")
# several phones in one spreadsheet cell: 138…;139… or 138…/139… (also ，、 and Chinese ；), but
# not the `;ext=` of a phone copied from JSON
_SPLIT = re.compile(r"(?![;；]ext=)[;/；，,、\n]+", re.IGNORECASE)


def split_phones(cell: str) -> list[str]:
    return [p.strip() for p in _SPLIT.split(cell) if p.strip()]


def normalise_phone(text: str, region: str = DEFAULT_REGION) -> str:
    """Return the phone in E.164 (`+8613800138000`), with its extension if it has one
    (`0571-88886677转8001` → `+8657188886677;ext=8001`), or refuse it with a reason (a `Said`:
    import lists it in JSON too). Full-width digits and signs are read as plain ones."""
    import phonenumbers

    raw = text.strip()
    if raw.startswith("'"):  # a spreadsheet's text marker
        raw = raw[1:]
    if not raw:
        raise LeadctlError(said(N_("A phone number is empty.")))
    if len(raw) > 40:
        raise LeadctlError(
            said(N_("Phone {phone!r}… is too long to be a phone number."), phone=raw[:40])
        )
    plain = half_width(raw).strip()
    extension = None
    if m := _CN_EXTENSION.match(plain):
        plain, extension = m["number"], m["ext"]
    number = _parse(plain, region, raw)
    if number is None and extension is None and (m := _DASH_EXTENSION.match(plain)):
        landline = _parse(m["number"], region, raw)
        if landline is not None and _is_landline(landline):
            number, extension = landline, m["ext"]
    if number is None:
        raise LeadctlError(
            said(
                N_(
                    "Phone {phone!r} is not a valid number: check the digits (mobiles have 11, "
                    "landlines need their area code)."
                ),
                phone=raw,
            )
        )
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    extension = extension or number.extension or None
    if extension is None:
        return e164
    if not extension.isdigit() or len(extension) > MAX_EXTENSION:
        raise LeadctlError(
            said(
                N_(
                    "Phone {phone!r} has an extension of more than {limit} digits; an extension "
                    "is its digits only, like 0571-88886677转8001."
                ),
                phone=raw,
                limit=MAX_EXTENSION,
            )
        )
    return f"{e164}{EXTENSION}{extension}"


def _parse(plain: str, region: str, raw: str) -> PhoneNumber | None:
    """The valid number `plain` spells, None for an invalid one; refuses what is no number."""
    import phonenumbers

    try:
        number = phonenumbers.parse(plain, region)
    except phonenumbers.NumberParseException:
        raise LeadctlError(
            said(
                N_(
                    "Phone {phone!r} is not a phone number: give a mobile like 13800138000, "
                    "a landline like 010-62345678, or +country code."
                ),
                phone=raw,
            )
        ) from None
    return number if phonenumbers.is_valid_number(number) else None


def _is_landline(number: PhoneNumber) -> bool:
    """A mobile has no extension: 13800138000-123 is a typo, not an extension."""
    from phonenumbers import PhoneNumberType, number_type

    # FIXED_LINE_OR_MOBILE: regions whose landlines and mobiles share their ranges (US)
    return number_type(number) in (PhoneNumberType.FIXED_LINE, PhoneNumberType.FIXED_LINE_OR_MOBILE)


def without_extension(text: str) -> str:
    """A phone as typed without an extension written as such (`转8001`, `ext. 8001`, `x8001`,
    `#8001`, `;ext=8001`); a dash before one stays, it may be part of the number."""
    plain = half_width(text).strip()
    if m := _CN_EXTENSION.match(plain) or _MARKED_EXTENSION.match(plain):
        return m["number"]
    return plain


def normalise_phones(texts: list[str], region: str = DEFAULT_REGION) -> list[str]:
    """Validate every phone given (each must be valid); drop repeats, keep order."""
    seen: list[str] = []
    for text in texts:
        for part in split_phones(text) or [text]:
            e164 = normalise_phone(part, region)
            if e164 not in seen:
                seen.append(e164)
    return seen


def display_phone(stored: str, region: str = DEFAULT_REGION) -> str:
    """How people read a stored phone: domestic numbers in national form, a Chinese landline's
    area code before a dash (`138 0013 8000`, `0571-8888 6666`), others international
    (`+1 650-253-0000`); an extension after ` ext. ` (`0571-8888 6677 ext. 8001`), which
    `normalise_phone` reads back.

    The common case, a CN mobile at home, is formatted directly: phonenumbers costs ~20 ms to
    import (`leadctl today` does not pay it) and ~15 µs a number (1.5 s per 100k exported leads).
    """
    e164, _sep, extension = stored.partition(EXTENSION)
    if region == "CN" and len(e164) == 14 and e164.startswith("+861") and not extension:
        return f"{e164[3:6]} {e164[6:10]} {e164[10:]}"
    import phonenumbers

    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return stored
    if phonenumbers.region_code_for_number(number) == region:
        shown = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
        if region == "CN" and shown.startswith("0"):  # 0571 8888 6666: the area code, a dash
            shown = shown.replace(" ", "-", 1)
    else:
        shown = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    return f"{shown} ext. {extension}" if extension else shown


def display_phones(stored: Iterable[str | None], region: str = DEFAULT_REGION) -> list[str]:
    """display_phone of each stored phone ("" for none), a long list of them (`today` of 100k
    leads) formatted in one pass: the common case as display_phone formats it, inline."""
    if region != "CN":
        return [display_phone(phone, region) if phone else "" for phone in stored]
    return [
        (f"{phone[3:6]} {phone[6:10]} {phone[10:]}" if len(phone) == 14 and phone[:4] == "+861"
         else display_phone(phone, region)) if phone else ""
        for phone in stored
    ]  # fmt: skip

"""Phones: parsed, validated and normalised with phonenumbers (default region CN)."""

from __future__ import annotations

import re

from leadctl.errors import LeadctlError

DEFAULT_REGION = "CN"
# several phones in one spreadsheet cell: 138…;139… or 138…/139… (also ，、 and Chinese ；)
_SPLIT = re.compile(r"[;/；，,、\n]+")


def split_phones(cell: str) -> list[str]:
    return [p.strip() for p in _SPLIT.split(cell) if p.strip()]


def normalise_phone(text: str, region: str = DEFAULT_REGION) -> str:
    """Return the phone in E.164 (`+8613800138000`), or refuse it with a reason."""
    import phonenumbers

    raw = text.strip()
    if raw.startswith("'"):  # a spreadsheet's text marker
        raw = raw[1:]
    if not raw:
        raise LeadctlError("A phone number is empty.")
    if len(raw) > 40:
        raise LeadctlError(f"Phone {raw[:40]!r}… is too long to be a phone number.")
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        raise LeadctlError(
            f"Phone {raw!r} is not a phone number: give a mobile like 13800138000, "
            "a landline like 010-62345678, or +country code."
        ) from None
    if not phonenumbers.is_valid_number(number):
        raise LeadctlError(
            f"Phone {raw!r} is not a valid number: check the digits (mobiles have 11, "
            "landlines need their area code)."
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalise_phones(texts: list[str], region: str = DEFAULT_REGION) -> list[str]:
    """Validate every phone given (each must be valid); drop repeats, keep order."""
    seen: list[str] = []
    for text in texts:
        for part in split_phones(text) or [text]:
            e164 = normalise_phone(part, region)
            if e164 not in seen:
                seen.append(e164)
    return seen


def display_phone(e164: str, region: str = DEFAULT_REGION) -> str:
    """Domestic numbers in national form (`138 0013 8000`), others international.

    The common case, a CN mobile at home, is formatted directly: phonenumbers costs ~20 ms to
    import (`leadctl today` does not pay it) and ~15 µs a number (1.5 s per 100k exported leads).
    """
    if region == "CN" and len(e164) == 14 and e164.startswith("+861"):
        return f"{e164[3:6]} {e164[6:10]} {e164[10:]}"
    import phonenumbers

    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    if phonenumbers.region_code_for_number(number) == region:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)

"""Lead numbers, customer keys and text checks."""

from __future__ import annotations

import re
import unicodedata

from leadctl.errors import LeadctlError

DEFAULT_PREFIX = "L"
MAX_TEXT = 10_000


def lead_number(lead_id: int, prefix: str = DEFAULT_PREFIX) -> str:
    return f"{prefix}{lead_id:04d}"


def parse_lead_ref(ref: str, prefix: str = DEFAULT_PREFIX) -> int:
    """`L0001`, `L1`, `l1`, `1` (and the configured prefix, e.g. `线索0001`) → 1."""
    raw = ref.strip()
    for p in sorted({prefix, DEFAULT_PREFIX}, key=len, reverse=True):
        if p and raw.lower().startswith(p.lower()):
            raw = raw[len(p) :]
            break
    if not re.fullmatch(r"\d{1,12}", raw) or int(raw) == 0:
        raise LeadctlError(
            f"{ref!r} is not a lead number: use the number `leadctl list` shows, like L0001 or 1."
        )
    return int(raw)


def customer_key(name: str) -> str:
    """What two customer names must share to be the same customer: no spaces, any case."""
    folded = unicodedata.normalize("NFKC", name).casefold()
    return "".join(ch for ch in folded if not ch.isspace())


def clean_text(value: str | None, what: str, *, required: bool = False) -> str | None:
    """Trim user text; refuse empty required text and NUL characters; keep everything else."""
    if value is None:
        if required:
            raise LeadctlError(f"The {what} is required.")
        return None
    text = value.strip()
    if "\x00" in text:
        raise LeadctlError(f"The {what} contains a NUL character; remove it.")
    if len(text) > MAX_TEXT:
        raise LeadctlError(f"The {what} is longer than {MAX_TEXT} characters.")
    if not text:
        if required:
            raise LeadctlError(f"The {what} is required and cannot be empty.")
        return None
    return text

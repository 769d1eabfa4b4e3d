"""Amounts in CNY: exact decimals, stored as integer fen."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext

from leadctl.domain.halfwidth import half_width
from leadctl.errors import LeadctlError
from leadctl.i18n import _

_AMOUNT = re.compile(r"^(\d+(?:\.\d+)?)\s*(万|w|W|千|k|K|亿)?\s*(?:元|rmb|cny)?$", re.IGNORECASE)
_SCALE = {None: 1, "万": 10_000, "w": 10_000, "千": 1_000, "k": 1_000, "亿": 100_000_000}
MAX_FEN = 10**17  # fits a signed 64-bit column with room to sum


def parse_amount(text: str) -> Decimal:
    """`300000`, `300,000`, `30万`, `30w`, `1.5万`, `¥300000` → Decimal yuan with 2 places."""
    raw = half_width(text).strip().replace(",", "").replace("，", "").lstrip("¥￥").strip()
    m = _AMOUNT.match(raw)
    if not m:
        raise LeadctlError(
            _(
                "Cannot read amount {text!r}: use a number of yuan like 300000, 30万, 30w or 1.5万."
            ).format(text=text)
        )
    # exact arithmetic whatever the length (the default 28 digits would round silently)
    with localcontext(prec=len(m[1]) + 12):
        try:
            value = Decimal(m[1]) * _SCALE[m[2].lower() if m[2] and m[2].isascii() else m[2]]
        except InvalidOperation:
            raise LeadctlError(_("Cannot read amount {text!r}.").format(text=text)) from None
        if value != value.quantize(Decimal("0.01")):
            raise LeadctlError(
                _("Amount {text!r} has fractions of a fen: use at most 2 decimals.").format(
                    text=text
                )
            )
        value = value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    if value >= Decimal(MAX_FEN) / 100:
        raise LeadctlError(_("Amount {text!r} is too large.").format(text=text))
    if value <= 0:
        raise LeadctlError(_("Amount {text!r} must be more than 0.").format(text=text))
    return value


def to_fen(amount: Decimal) -> int:
    return int(amount * 100)


def from_fen(fen: int) -> Decimal:
    return (Decimal(fen) / 100).quantize(Decimal("0.01"))


def money_text(fen: int) -> str:
    """The JSON form: a decimal string with two places ("300000.00")."""
    return str(from_fen(fen))

"""Full-width forms (全角) as their plain forms: what a Chinese input method types for letters,
digits and signs (`Ａ`, `Ｌ０００１`, `２０２４－１０－０５`, `＋３ｄ`, `３０万`) is read as what it
looks like. Only for what leadctl parses — choices, lead numbers, dates, amounts, phones,
emails —, never for the user's own text (names, notes), which is kept as typed."""

from __future__ import annotations

import unicodedata


def half_width(text: str) -> str:
    """`Ａ` → `A`, `ｌ１` → `l1`, `１０：３０` → `10:30`, `　` → ` ` (Unicode NFKC)."""
    return text if text.isascii() else unicodedata.normalize("NFKC", text)

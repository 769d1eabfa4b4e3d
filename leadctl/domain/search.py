"""What `find` matches (SPEC §6.4), and the keys a lead keeps so it is found fast.

- A phone spelling (digits, `+ - ( )` and spaces) with 4 or more digits finds the leads with a
  phone that ends with those digits (尾号) or equals the number. Each phone keeps its digits
  reversed (`digits_reversed`), so "ends with" is an indexed prefix range.
- Any other text finds the leads whose customer, contact, WeChat or email contains it, ignoring
  case, full-width forms and spaces (`fold`): a lead keeps those four folded in `search_text`.
- …or whose customer's or contact's pinyin or pinyin initials start with it, any reading of
  every character counting (`杭州云栖` reads hang/kang zhou yun qi/xi: `hzyq`, `kzyx`,
  `hangzhouyun` all match). A lead keeps `spelling_keys`: every reading of the first
  KEY_CHARS letters of each name, in full and as initials, at most KEY_COMBOS of each (fewer
  characters when their readings multiply past it). A text that one of them starts with is a
  match; a text that runs past one of them is a candidate, checked here (`spells`) against
  every reading of the whole name.

pypinyin costs ~45 ms to import without its phrase dictionary (~250 ms with it): only commands
that write a name, or `find` with candidates to check, load it. Readings are per character
(`pinyin(ch, heteronym=True)`), never per phrase: a phrase picks one reading (曾经理 reads
ceng as in 曾经, while the surname is zeng), and any reading must count.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Callable, Iterable
from functools import cache, lru_cache

MIN_PHONE_DIGITS = 4
KEY_CHARS = 4  # a name's spelling keys cover at most its first four letters or characters
KEY_COMBOS = 4  # at most this many readings of them per name, in full and as initials
FIELD_SEPARATOR = "\n"  # between the folded fields of search_text: never inside one

_PHONE_SPELLING = re.compile(r"[0-9\s+\-()]+")


def fold(text: str) -> str:
    """Text as find compares it: full-width forms made plain (NFKC), any case, no spaces."""
    return "".join(unicodedata.normalize("NFKC", text).casefold().split())


def search_text(customer: str, contact: str | None, wechat: str | None, email: str | None) -> str:
    """The folded customer, contact, WeChat id and email, one line each (a match never spans
    two of them: folding removes every line break from the values)."""
    return FIELD_SEPARATOR.join(fold(v) if v else "" for v in (customer, contact, wechat, email))


def phone_digits(text: str) -> str | None:
    """The digits of a phone spelling with at least MIN_PHONE_DIGITS of them, else None."""
    plain = unicodedata.normalize("NFKC", text).strip()
    if not _PHONE_SPELLING.fullmatch(plain):
        return None
    digits = "".join(ch for ch in plain if "0" <= ch <= "9")
    return digits if len(digits) >= MIN_PHONE_DIGITS else None


def digits_reversed(e164: str) -> str:
    """A stored phone's digits, last first (an extension, `;ext=…`, is not part of them):
    a phone ends with 8000 when this starts with 0008."""
    number = e164.split(";", 1)[0]
    return "".join(ch for ch in reversed(number) if "0" <= ch <= "9")


def next_prefix(prefix: str) -> str | None:
    """The least string after every string that starts with `prefix` (code point order), or
    None when there is none: `key >= prefix AND key < next_prefix(prefix)` is a prefix range."""
    for cut in range(len(prefix) - 1, -1, -1):
        code = ord(prefix[cut]) + 1
        if code < 0x110000 and not 0xD800 <= code <= 0xDFFF:
            return prefix[:cut] + chr(code)
    return None


# ---------------------------------------------------------------- pinyin


def _load_pinyin() -> Callable[[str], list[list[str]]]:
    # readings are looked up one character at a time: the phrase dictionary (~200 ms to load)
    # would only narrow them, so it is left out unless the user asked for it
    os.environ.setdefault("PYPINYIN_NO_PHRASES", "1")
    os.environ.setdefault("PYPINYIN_NO_DICT_COPY", "1")
    from pypinyin import Style, pinyin

    def each_reading(ch: str) -> list[list[str]]:
        return pinyin(ch, style=Style.NORMAL, heteronym=True, errors="ignore")

    return each_reading


_PINYIN: list[Callable[[str], list[list[str]]]] = []


def _is_han(ch: str) -> bool:
    return unicodedata.category(ch) == "Lo" and "CJK" in unicodedata.name(ch, "")


@cache
def readings(ch: str) -> tuple[str, ...]:
    """Every pinyin reading of a Chinese character without tones (`曾` → ceng, zeng); a letter
    or digit reads as itself; anything else (punctuation) is not read at all."""
    if _is_han(ch):
        if not _PINYIN:
            _PINYIN.append(_load_pinyin())
        found = _PINYIN[0](ch)
        if found and found[0]:
            return tuple(dict.fromkeys(r for r in found[0] if r))
    return (ch,) if ch.isalnum() else ()


def _letters(name: str, limit: int | None = None) -> list[tuple[str, ...]]:
    """The readings of each character of a name that has any (punctuation is skipped), the
    first `limit` of them."""
    found: list[tuple[str, ...]] = []
    for ch in fold(name):
        options = readings(ch)
        if options:
            found.append(options)
            if len(found) == limit:
                break
    return found


@lru_cache(maxsize=4096)
def _initials(options: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(r[0] for r in options))


def _combos(letters: Iterable[tuple[str, ...]]) -> list[str]:
    """Every reading of the first letters, in full or as initials: as many characters as keep
    them to KEY_COMBOS (always the first character's, however many it has)."""
    combos = [""]
    for options in letters:
        if len(options) == 1:
            combos = [c + options[0] for c in combos]
            continue
        longer = list(dict.fromkeys(c + r for c in combos for r in options))
        if combos != [""] and len(longer) > KEY_COMBOS:
            break
        combos = longer
    return combos if combos != [""] else []


def spelling_keys(*names: str | None) -> set[str]:
    """The keys `find` looks pinyin up by, for a lead's customer and contact."""
    keys: set[str] = set()
    for name in names:
        if name:
            keys.update(_keys_of(_head(name)))
    return keys


def _head(name: str) -> str:
    """The first KEY_CHARS characters of a name that have a reading: all its keys depend on."""
    head = ""
    for ch in fold(name):
        if readings(ch):
            head += ch
            if len(head) == KEY_CHARS:
                break
    return head


@lru_cache(maxsize=65_536)
def _keys_of(head: str) -> tuple[str, ...]:
    # names share their first characters (a city, a company): computed once per run each
    letters = [readings(ch) for ch in head]
    return (*_combos(letters), *_combos(map(_initials, letters)))


def spells(text: str, name: str | None) -> bool:
    """Whether the name's pinyin or pinyin initials, in any reading, start with `text`
    (folded, letters and digits only)."""
    if not name or not text:
        return False
    letters = _letters(name)
    return _starts(text, letters, initials=False) or _starts(text, letters, initials=True)


def _starts(text: str, letters: list[tuple[str, ...]], *, initials: bool) -> bool:
    reached = {0}  # how much of `text` some reading of the characters so far spells
    for options in letters:
        after: set[int] = set()
        for at in reached:
            rest = text[at:]
            for reading in options:
                piece = reading[0] if initials else reading  # a letter's initial: itself
                if piece.startswith(rest):
                    return True
                if rest.startswith(piece):
                    after.add(at + len(piece))
        if not after:
            return False
        if len(text) in after:
            return True
        reached = after
    return False


def spelling_query(text: str) -> str:
    """What a pinyin lookup compares: the folded text's letters and digits."""
    return "".join(ch for ch in fold(text) if ch.isalnum())

"""The Chinese catalog is complete and faithful (SPEC §6.5, issue 17).

- every message the source marks (`_`, `N_`, `_n`, `_p`) has a translation in zh_CN's .po, not
  fuzzy and not empty;
- a translation keeps every placeholder of its message, spelled the same, and adds none;
- the committed .mo is the .po compiled (the wheel ships the .mo);
- every help text Typer shows (commands, options, arguments, Click's and Typer's own) is a
  message of the catalog, so `--help` cannot fall back to English unnoticed.
"""

from __future__ import annotations

import gettext
import inspect
import string
from pathlib import Path
from typing import Any

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "leadctl/locale/zh_CN/LC_MESSAGES/leadctl.po"
MO = PO.with_suffix(".mo")
# the keywords tools/catalog.sh gives pybabel
KEYWORDS: dict[str, Any] = {"_": None, "N_": None, "_n": (1, 2), "_p": ((1, "c"), 2)}


def _key(message_id: str | tuple[str, ...], context: str | None) -> tuple[str | None, str]:
    return context, message_id if isinstance(message_id, str) else message_id[0]


def _source_messages() -> dict[tuple[str | None, str], tuple[str, int, str | tuple[str, ...]]]:
    found = {}
    for filename, line, message, _comments, context in extract_from_dir(
        str(ROOT),
        method_map=[("leadctl/**.py", "python")],
        keywords=KEYWORDS,
        comment_tags=("TRANSLATORS:",),
    ):
        found.setdefault(_key(message, context), (filename, line, message))
    return found


def _catalog() -> Any:
    with PO.open("rb") as fh:
        return read_po(fh)


def _translation(message: Any) -> str:
    return message.string if isinstance(message.string, str) else "".join(message.string)


def test_the_source_marks_messages() -> None:
    # a broken extraction (wrong keywords, wrong paths) would make every other test vacuous
    found = _source_messages()
    assert len(found) > 500
    assert (None, "Error: {message}") in found
    assert ("channel", "other") in found or (None, "Options") in found


def test_every_message_of_the_source_has_a_chinese_translation() -> None:
    catalog = _catalog()
    missing = []
    for (context, msgid), (filename, line, _message) in sorted(
        _source_messages().items(), key=lambda kv: (kv[1][0], kv[1][1])
    ):
        entry = catalog.get(msgid, context=context)
        if entry is None or not _translation(entry).strip() or entry.fuzzy:
            missing.append(f"{filename}:{line}: {msgid!r}")
    assert not missing, (
        f"{len(missing)} messages without a zh_CN translation (run tools/catalog.sh, translate "
        "in leadctl/locale/zh_CN/LC_MESSAGES/leadctl.po, run it again):\n" + "\n".join(missing)
    )


def _fields(text: str) -> list[tuple[str, str, str]]:
    """The placeholders of a brace-format message: name, conversion, format spec."""
    return sorted(
        (name, conversion or "", spec or "")
        for _literal, name, spec, conversion in string.Formatter().parse(text)
        if name is not None
    )


def test_every_translation_keeps_its_placeholders() -> None:
    wrong = []
    for entry in _catalog():
        if not entry.id or not _translation(entry):
            continue
        singular = entry.id if isinstance(entry.id, str) else entry.id[0]
        translated = [entry.string] if isinstance(entry.string, str) else list(entry.string)
        expected = _fields(singular)
        for text in translated:
            if not text:
                continue
            try:
                got = _fields(text)
            except ValueError as exc:
                wrong.append(f"{singular!r}: the translation is not a format string ({exc})")
                continue
            if got != expected:
                wrong.append(f"{singular!r} → {text!r}: {expected} ≠ {got}")
    assert not wrong, "\n".join(wrong)


def test_a_dropped_placeholder_is_caught() -> None:
    # the check above must fail on the mistake it is for
    assert _fields("Lead {number} is closed.") != _fields("线索已关闭。")
    assert _fields("{name!r} left") != _fields("{name}离开了")


def test_the_committed_mo_is_the_po_compiled() -> None:
    with MO.open("rb") as fh:
        compiled = gettext.GNUTranslations(fh)
    stale = []
    for entry in _catalog():
        if not entry.id or not _translation(entry) or entry.fuzzy:
            continue
        singular = entry.id if isinstance(entry.id, str) else entry.id[0]
        want = entry.string if isinstance(entry.string, str) else entry.string[0]
        if entry.context:
            got = compiled.pgettext(entry.context, singular)
        elif isinstance(entry.id, str):
            got = compiled.gettext(singular)
        else:
            got = compiled.ngettext(singular, entry.id[1], 1)
        if got != want:
            stale.append(singular)
    assert not stale, f"the .mo is stale (run tools/catalog.sh): {stale[:10]}"


def _help_texts(command: Any) -> list[str]:
    texts = [command.help or ""]
    for param in command.params:
        texts.append(getattr(param, "help", None) or "")
    for sub in getattr(command, "commands", {}).values():
        texts.extend(_help_texts(sub))
    return [inspect.cleandoc(t) for t in texts if t]


def test_every_help_text_is_in_the_catalog(monkeypatch: pytest.MonkeyPatch) -> None:
    from leadctl import i18n
    from leadctl.entry import _command_for

    i18n.use("en")
    group = _command_for([])  # every command, as `leadctl --help` builds them
    catalog = _catalog()
    texts = [*_help_texts(group), "Show this message and exit."]
    missing = [t for t in texts if catalog.get(t) is None or not _translation(catalog.get(t))]
    assert not missing, "help texts not in the catalog (mark them with N_):\n" + "\n".join(missing)
    assert len(texts) > 100

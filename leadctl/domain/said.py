"""Messages shown in the interface's language that keep their English too (SPEC §6.5).

Most refusals of the domain are only ever shown to a person: they are translated where they
are raised, `_("…").format(…)`. A few also end up in JSON, which never changes with the
language: the reasons `import` gives for its bad rows (every check of `capture.draft_lead`, and
`team.check_owner`) are both printed in a table and listed by `--json`. Those are `Said`: a str
in the interface's language, what `LeadctlError.message` shows, that keeps its English as
`english` (`english(reason)` for JSON). A placeholder may be a `Said` too (a field's name from
`word`, a list): each form takes its own.
"""

from __future__ import annotations

from collections.abc import Iterable

from leadctl.i18n import _


class Said(str):
    """A message in the interface's language (the str itself); `english`: the same in English."""

    english: str

    def __new__(cls, shown: str, english: str | None = None) -> Said:
        self = super().__new__(cls, shown)
        self.english = shown if english is None else english
        return self


def said(msgid: str, /, **params: object) -> Said:
    """`_(msgid).format(**params)`, keeping `msgid.format(**params)` in English; mark the msgid
    with `N_` where it is written, for the catalog."""
    shown = _(msgid).format(**params)
    plain = msgid.format(**{name: _english(value) for name, value in params.items()})
    return Said(shown, plain)


def word(msgid: str) -> Said:
    """A word of the catalog (a field's name) as a placeholder of a `Said`: translated in the
    shown form, English in the other. A word the catalog does not know is shown as written."""
    return Said(_(msgid), msgid)


def joined(separator: str, english_separator: str, parts: Iterable[str]) -> Said:
    """`parts` joined, each form by its own separator (`_p("list", ", ")` and ", ")."""
    items = list(parts)
    return Said(separator.join(items), english_separator.join(english(p) for p in items))


def english(text: str) -> str:
    """The English of a message: a `Said`'s (for JSON); any other text as it is."""
    return text.english if isinstance(text, Said) else text


def _english(value: object) -> object:
    return value.english if isinstance(value, Said) else value

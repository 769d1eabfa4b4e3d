"""The team's list of sources (线索来源), when the config file writes one (`[sources]`).

Each name of the list may have aliases: the other words reps use for the same channel
(`展会` for 行业展会). A source is matched by its folded form (full-width made plain, any case,
spaces ignored), and stored by the list's own name, so the review counts one channel once.
Without a list every source is accepted as it is written.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from leadctl.domain.said import Said, joined, said
from leadctl.errors import LeadctlError
from leadctl.i18n import N_, _, _p


def fold(text: str) -> str:
    """What two spellings of a source must share to be the same word."""
    return "".join(unicodedata.normalize("NFKC", text).casefold().split())


@dataclass(frozen=True)
class SourceList:
    """The list's names in the config's order, and every folded spelling → its name."""

    names: tuple[str, ...] = ()
    aliases: dict[str, tuple[str, ...]] = field(default_factory=dict)  # name → its aliases
    _by_spelling: dict[str, str] = field(default_factory=dict, repr=False, compare=False)

    def __bool__(self) -> bool:
        return bool(self.names)

    def canonical(self, source: str) -> str | None:
        """The list's name for `source` (a name or an alias, however spelled), else None."""
        return self._by_spelling.get(fold(source))

    def spellings(self, source: str, in_use: Iterable[str] = ()) -> tuple[str, ...]:
        """What a filter on `source` matches: the name, its aliases and every spelling in use
        that folds to one of them (`ＥＸＰＯ`, `expo ` stored before the list) when it is on
        the list, as the review and `sources` count them; else `source` alone."""
        name = self.canonical(source)
        if name is None:
            return (source,)
        stored = (s for s in in_use if self.canonical(s) == name)
        return tuple(dict.fromkeys((name, *self.aliases.get(name, ()), *stored)))

    def describe(self) -> Said:
        """The list as a refusal names it: `官网注册, 行业展会 (or 展会, 展销会), …`."""
        comma = _p("list", ", ")
        return joined(
            comma,
            ", ",
            (
                said(
                    N_("{name} (or {aliases})"),
                    name=name,
                    aliases=joined(comma, ", ", self.aliases[name]),
                )
                if self.aliases.get(name)
                else name
                for name in self.names
            ),
        )

    def check(self, source: str, *, new_source: bool = False) -> str:
        """The source as it is stored: the list's name for a name or alias; `source` itself
        without a list or with `new_source`; otherwise refused with the list (a `Said`: import
        lists it in JSON too)."""
        if not self.names:
            return source
        name = self.canonical(source)
        if name is not None:
            return name
        if new_source:
            return source
        raise LeadctlError(
            said(
                N_(
                    "Unknown source {source!r}: the team's sources (config [sources]) are "
                    "{names}; use one of them, or pass --new-source to add it anyway."
                ),
                source=source,
                names=self.describe(),
            )
        )


def source_list(table: Any, where: str = N_("the config file")) -> SourceList:
    """`[sources]` of the config file: each name with the list of its aliases,

        [sources]
        "行业展会" = ["展会", "展销会"]
        "官网注册" = []

    Refused when a value is not a list of words or one spelling names two sources. `where`
    names the file in words, as it is shown."""
    if table is None:
        return SourceList()
    where = _(where)
    if not isinstance(table, dict):
        raise LeadctlError(
            _(
                "[sources] in {where} must be a table: each source with its aliases, e.g. "
                '"行业展会" = ["展会"].'
            ).format(where=where)
        )
    names: list[str] = []
    aliases: dict[str, tuple[str, ...]] = {}
    by_spelling: dict[str, str] = {}

    def claim(spelling: str, name: str) -> None:
        key = fold(spelling)
        if not key:
            raise LeadctlError(
                _("[sources] in {where}: a source or alias is empty.").format(where=where)
            )
        other = by_spelling.get(key)
        if other is not None and other != name:
            raise LeadctlError(
                _(
                    "[sources] in {where}: {spelling!r} names both {other!r} and {name!r}; keep "
                    "it under one of them."
                ).format(where=where, spelling=spelling, other=other, name=name)
            )
        by_spelling[key] = name

    for raw_name, raw_aliases in table.items():
        name = str(raw_name).strip()
        if isinstance(raw_aliases, str):
            raw_aliases = [raw_aliases]
        if not isinstance(raw_aliases, list) or not all(isinstance(a, str) for a in raw_aliases):
            raise LeadctlError(
                _(
                    "[sources] in {where}: the aliases of {name!r} must be a list of words, "
                    'e.g. "{name}" = ["…"] (or [] for none).'
                ).format(where=where, name=name)
            )
        claim(name, name)
        names.append(name)
        kept = tuple(dict.fromkeys(a.strip() for a in raw_aliases if fold(a) != fold(name)))
        for alias in kept:
            claim(alias, name)
        aliases[name] = kept
    return SourceList(tuple(names), aliases, by_spelling)
